/*
 * manifest.c: unit tests of out/'s manifest written in two steps
 * (manifest.h, wp_manifest_stream_begin and _end): the same text as
 * written whole, in pieces handed to a sink; the front holds nothing of
 * the site's entry, which the end writes as it is then; a sink that
 * fails, no stream, or an end that fails.  And of out/'s store of
 * summaries (summary.h, manifest.h): put, named by the manifest, read
 * back; a store of another name, cut short or with a byte changed is
 * as none for the summaries it should hold; a new store made from the
 * old one holds the live summaries only.  And the file cache's items
 * under a directory, in byte order of path.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "harness.h"
#include "manifest.h"
#include "path.h"
#include "summary.h"
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
		wp_manifest_write(&m, &whole);
		CHECK_INT((long long)steps.len, (long long)whole.len);
		CHECK(steps.len == whole.len && memcmp(steps.data, whole.data,
		    whole.len) == 0);
		CHECK(wp_manifest_parse(&back, steps.data, steps.len) ==
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

/* The summary text sample() gives edition i. */
static char *
sample_summary(const wp_manifest *m, size_t i)
{
	return xstrndup(m->editions[i]->summary_text,
	    m->editions[i]->summary_len);
}

/* m's editions' summaries dropped from memory (as a manifest read back
 * has them: a `sumat` record each). */
static void
forget_texts(wp_manifest *m)
{
	size_t i;

	for (i = 0; i < m->nedit; i++) {
		free(m->editions[i]->summary_text);
		m->editions[i]->summary_text = NULL;
		m->editions[i]->summary_len = 0;
	}
}

/* The manifest m written and read back, with out/'s store in dir
 * opened for it: what wp_manifest_open_store returned. */
static int
reread(wp_manifest *m, wp_manifest *back, const char *dir)
{
	wp_buf text = WP_BUF_INIT;
	int rc;

	wp_manifest_write(m, &text);
	CHECK(wp_manifest_parse(back, text.data, text.len) == 0);
	rc = wp_manifest_open_store(back, dir);
	wp_buf_free(&text);
	return rc;
}

static void
store_of_summaries(void)
{
	char dir[] = "/tmp/wpgen-manifest-XXXXXX", *path, **want, *cmd;
	wp_summary_store st, fresh;
	wp_manifest m, back;
	size_t i, n = 6;
	long long appended;
	int rc;

	CHECK(mkdtemp(dir) != NULL);
	path = wp_path_join(dir, WP_STORE_NAME);
	sample(&m, n);
	want = xcalloc(n, sizeof *want);
	for (i = 0; i < n; i++)
		want[i] = sample_summary(&m, i);
	CHECK(wp_summary_store_create(&st, path,
	    "00112233445566778899aabbccddeeff") == 0);
	CHECK(wp_manifest_put_summaries(&m, &st, NULL) == 0);
	CHECK(strcmp(m.store_id, "00112233445566778899aabbccddeeff") == 0);
	wp_summary_store_close(&st);
	/* read back where the manifest says, each the text put */
	CHECK(reread(&m, &back, dir) == 0);
	for (i = 0; i < n; i++) {
		CHECK(back.editions[i]->sum_len > 0);
		CHECK(wp_manifest_entry_read_summary(back.editions[i],
		    back.sums) == 0);
		CHECK(back.editions[i]->summary_text &&
		    strcmp(back.editions[i]->summary_text, want[i]) == 0);
	}
	wp_manifest_free(&back);
	/* an edition whose summary changed appends it; the others keep
	 * their place */
	forget_texts(&m);
	free(m.editions[2]->summary_text);
	m.editions[2]->summary_text = xstrdup("summary\t2\nsum\tservice\t"
	    "svc0001\nsum\tlang\tja\nsum\ttitle\tchanged\n");
	m.editions[2]->summary_len = strlen(m.editions[2]->summary_text);
	m.editions[2]->sum_len = 0;
	free(want[2]);
	want[2] = xstrdup(m.editions[2]->summary_text);
	CHECK(reread(&m, &back, dir) == 0);
	appended = back.sums->end;
	CHECK(wp_manifest_put_summaries(&m, back.sums, NULL) == 0);
	CHECK_INT(back.sums->end - appended, (long long)strlen(want[2]));
	CHECK_INT(m.editions[2]->sum_at, appended);
	wp_manifest_free(&back);
	forget_texts(&m);
	CHECK(reread(&m, &back, dir) == 0);
	for (i = 0; i < n; i++)
		CHECK(wp_manifest_entry_read_summary(back.editions[i],
		    back.sums) == 0 && strcmp(back.editions[i]->summary_text,
		    want[i]) == 0);
	/* a new store of the live ones (the old one with a byte of the
	 * fourth changed: left out) */
	wp_manifest_free(&back);
	CHECK(reread(&m, &back, dir) == 0);
	CHECK(pwrite(back.sums->fd, "#", 1, m.editions[3]->sum_at + 20) == 1);
	cmd = wp_path_join(dir, "fresh");
	CHECK(wp_summary_store_create(&fresh, cmd,
	    "ffeeddccbbaa99887766554433221100") == 0);
	CHECK(wp_manifest_put_summaries(&back, &fresh, back.sums) == 0);
	CHECK(back.editions[3]->sum_len == 0);
	CHECK_INT(fresh.end, (long long)(WP_STORE_HEAD + strlen(want[0]) +
	    strlen(want[1]) + strlen(want[2]) + strlen(want[4]) +
	    strlen(want[5])));
	for (i = 0; i < n; i++)
		CHECK(i == 3 || (wp_manifest_entry_read_summary(
		    back.editions[i], &fresh) == 0 && strcmp(
		    back.editions[i]->summary_text, want[i]) == 0));
	wp_summary_store_close(&fresh);
	unlink(cmd);
	free(cmd);
	wp_manifest_free(&back);
	/* the byte changed: read, that summary is as none */
	CHECK(reread(&m, &back, dir) == 0);
	CHECK(wp_manifest_entry_read_summary(back.editions[3], back.sums) != 0);
	CHECK(back.editions[3]->sum_len == 0 &&
	    back.editions[3]->summary_text == NULL);
	CHECK(wp_manifest_entry_read_summary(back.editions[4], back.sums) == 0);
	wp_manifest_free(&back);
	/* cut short after the second summary: the others as none */
	CHECK(truncate(path, m.editions[1]->sum_at +
	    m.editions[1]->sum_len) == 0);
	CHECK(reread(&m, &back, dir) == 0);
	for (i = 0; i < n; i++)
		CHECK((back.editions[i]->sum_len > 0) == (i < 2));
	wp_manifest_free(&back);
	/* another store's name: every summary as none */
	memcpy(m.store_id, "0123456789abcdef0123456789abcdef", 33);
	rc = reread(&m, &back, dir);
	CHECK(rc != 0);
	for (i = 0; i < n; i++)
		CHECK(back.editions[i]->sum_len == 0);
	wp_manifest_free(&back);
	/* none at all */
	CHECK(unlink(path) == 0);
	CHECK(reread(&m, &back, dir) != 0);
	CHECK(back.editions[0]->sum_len == 0);
	wp_manifest_free(&back);
	for (i = 0; i < n; i++)
		free(want[i]);
	free(want);
	wp_manifest_free(&m);
	free(path);
	CHECK(rmdir(dir) == 0);
}

/* What each_under gives: the paths, one a line. */
static int
collect_path(void *ctx, const wp_filecache_item *it)
{
	wp_buf_puts(ctx, it->path);
	wp_buf_putc(ctx, '\n');
	return 1;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The items under a directory come in byte order of path however they
 * were put (runs in order, one out of place, reversed, a name that
 * sorts between a directory and its files: "a.c" before "a/b"), and
 * only those under it ("ab" is not under "a"). */
static void
filecache_under_in_order(void)
{
	static const char *const put[] = {
		"t/x", "a/b/2", "a/b/3", "a/c", "a/d", "z/1", "z/2",
		"a/b/1", "a.c", "ab", "a", "m/9", "m/8", "m/7", "m/6",
		"a/a", "z/0", "m/10", NULL
	};
	const char *under[] = {"a", "a/b", "m", "z", "t", "ab", "q", NULL};
	wp_filecache c;
	wp_filestat st = {1, 2, 3, 4};
	wp_buf got = WP_BUF_INIT, want = WP_BUF_INIT;
	const char *sorted[32];
	size_t i, j, n, len;

	wp_filecache_init(&c);
	for (n = 0; put[n]; n++) {
		wp_filecache_put(&c, put[n], "0123456789abcdef0123456789abcdef",
		    &st, 1);
		sorted[n] = put[n];
	}
	qsort(sorted, n, sizeof *sorted, cmp_str);
	for (i = 0; under[i]; i++) {
		wp_buf_clear(&got);
		wp_buf_clear(&want);
		CHECK(wp_filecache_each_under(&c, under[i], collect_path,
		    &got) == 1);
		len = strlen(under[i]);
		for (j = 0; j < n; j++)
			if (strncmp(sorted[j], under[i], len) == 0 &&
			    (sorted[j][len] == '/' || sorted[j][len] == '\0'))
				collect_path(&want, &(wp_filecache_item){
				    .path = (char *)sorted[j]});
		CHECK_STR(got.data ? got.data : "", want.data ? want.data : "");
	}
	wp_buf_free(&got);
	wp_buf_free(&want);
	wp_filecache_free(&c);
}

int
main(void)
{
	TEST_RUN(manifest_in_two_steps);
	TEST_RUN(store_of_summaries);
	TEST_RUN(filecache_under_in_order);
	return test_exit_status();
}
