/*
 * manifest.c: unit tests of out/'s manifest written in two steps
 * (manifest.h, wp_manifest_stream_begin and _end): the same text as
 * written whole, in pieces handed to a sink; the front holds nothing of
 * the site's entry, which the end writes as it is then; a sink that
 * fails, no stream, or an end that fails.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "harness.h"
#include "manifest.h"
#include "util.h"

static int
sink(void *data, const char *s, size_t len)
{
	wp_buf_put(data, s, len);
	return 0;
}

/* A sink that takes nothing (a full disk). */
static int
full(void *data, const char *s, size_t len)
{
	(void)data;
	(void)s;
	(void)len;
	return -1;
}

/* A manifest of n editions with their summaries inline, each with an
 * output, and the assets' entry; no site entry yet. */
static void
sample(wp_manifest *m, size_t n)
{
	wp_manifest_entry *e;
	char svc[32];
	size_t i;

	wp_manifest_init(m);
	memcpy(m->tool, "0123456789abcdef0123456789abcdef", 33);
	memcpy(m->global, "fedcba9876543210fedcba9876543210", 33);
	m->editions = xcalloc(n + 1, sizeof *m->editions);
	for (i = 0; i < n; i++) {
		snprintf(svc, sizeof svc, "svc%04zu", i / 2);
		e = wp_manifest_entry_new(svc, i % 2 ? "en" : "ja");
		memcpy(e->inputs, "00112233445566778899aabbccddeeff", 33);
		e->summary_text = xasprintf("summary\t2\nsum\tservice\t%s\n"
		    "sum\tlang\t%s\nsum\ttitle\t%zu %s\n", svc, e->lang, i,
		    "ホワイトペーパー ホワイトペーパー ホワイトペーパー");
		e->summary_len = strlen(e->summary_text);
		wp_manifest_entry_out(e, "index.html",
		    "ffeeddccbbaa99887766554433221100");
		m->editions[m->nedit++] = e;
	}
	m->assets = wp_manifest_entry_new(NULL, NULL);
	wp_manifest_entry_out(m->assets, "assets/wpgen.css",
	    "0f1e2d3c4b5a69788796a5b4c3d2e1f0");
}

/* The site's entry, made after the front was written. */
static void
add_site(wp_manifest *m)
{
	m->site = wp_manifest_entry_new(NULL, NULL);
	memcpy(m->site->inputs, "abababababababababababababababab", 33);
	wp_manifest_entry_out(m->site, "index.html",
	    "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd");
	wp_manifest_entry_out(m->site, "index.ja.html",
	    "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd");
}

static void
manifest_in_two_steps(void)
{
	/* (2,000 editions: the front spills many pieces to the sink) */
	static const size_t sizes[] = {0, 1, 2000};
	wp_manifest m, back;
	wp_manifest_stream *st;
	wp_buf whole = WP_BUF_INIT, steps = WP_BUF_INIT;
	size_t k, front;

	for (k = 0; k < sizeof sizes / sizeof *sizes; k++) {
		sample(&m, sizes[k]);
		st = wp_manifest_stream_begin(&m, sink, &steps);
		front = steps.len;
		CHECK(strstr(steps.data ? steps.data : "", "cdcdcdcd") ==
		    NULL);
		add_site(&m);
		CHECK(wp_manifest_stream_end(st, &m) == 0);
		CHECK(steps.len > front);
		wp_manifest_write_out(&m, &whole);
		CHECK_INT((long long)steps.len, (long long)whole.len);
		CHECK(steps.len == whole.len && memcmp(steps.data, whole.data,
		    whole.len) == 0);
		CHECK(wp_manifest_parse_out(&back, steps.data, steps.len) ==
		    0);
		CHECK_INT((long long)back.nedit, (long long)sizes[k]);
		CHECK(back.site != NULL && back.site->nouts == 2);
		wp_manifest_free(&back);
		wp_manifest_free(&m);
		wp_buf_clear(&whole);
		wp_buf_clear(&steps);
	}
	/* given up after its front: nothing more written */
	sample(&m, 3);
	st = wp_manifest_stream_begin(&m, sink, &steps);
	front = steps.len;
	CHECK(wp_manifest_stream_end(st, NULL) != 0);
	CHECK_INT((long long)steps.len, (long long)front);
	/* a sink that fails: no stream when it failed on the front (more
	 * than a piece), else the end fails */
	st = wp_manifest_stream_begin(&m, full, NULL);
	CHECK(st != NULL);
	CHECK(wp_manifest_stream_end(st, &m) != 0);
	wp_manifest_free(&m);
	sample(&m, 2000);
	CHECK(wp_manifest_stream_begin(&m, full, NULL) == NULL);
	wp_manifest_free(&m);
	wp_buf_free(&whole);
	wp_buf_free(&steps);
}

int
main(void)
{
	TEST_RUN(manifest_in_two_steps);
	return test_exit_status();
}
