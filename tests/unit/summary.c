/*
 * summary.c: unit tests of an edition's summary (summary.h): its copy in
 * one block, whose first head_size bytes are its head (its fields and
 * catalogs, their strings), and the store, from which a summary comes
 * back whole or as its head alone, in a file or in memory.  Run under
 * ASan: a read past the head, a leak or a double free fails the program.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "summary.h"
#include "util.h"

/* A summary of two catalogs, the first with its coverage: control 0
 * addressed by two sections, control 2 through the mapping (via), one
 * section's title the same text as a field (the copy keeps it once);
 * description of dlen bytes. */
static wp_summary *
sample(size_t dlen)
{
	wp_summary *s = wp_summary_new();
	wp_summary_catalog *c;
	char *d = xmalloc(dlen + 1);

	memset(d, 'd', dlen);
	d[dlen] = '\0';
	*wp_summary_field(s, "service") = xstrdup("svc");
	*wp_summary_field(s, "lang") = xstrdup("en");
	*wp_summary_field(s, "title") = xstrdup("Access control");
	*wp_summary_field(s, "description") = d;
	*wp_summary_field(s, "href") = xstrdup("svc/en/index.html");
	s->source = 1;
	s->translated = 80;
	s->coverage = 1;
	c = wp_summary_add_catalog(s, "iso27017-2015", "ISO/IEC 27017", 3);
	c->badge = 1;
	CHECK(wp_summary_add_section(c, 0, "5.1.1 Policies", "ctl-5.1.1",
	    "Policies", NULL) == 0);
	CHECK(wp_summary_add_section(c, 0, "9 Access control", "sec-9",
	    "Access control", NULL) == 0);
	CHECK(wp_summary_add_section(c, 2, "9.2.1 Users", "ctl-9.2.1",
	    "Users", "9.2.1, 9.2.2") == 0);
	wp_summary_add_catalog(s, "iso27001-2022", "ISO/IEC 27001", 0);
	return s;
}

/* Whether p lies in the block's first n bytes. */
static int
in_first(const void *p, const void *block, size_t n)
{
	return (const char *)p >= (const char *)block &&
	    (const char *)p < (const char *)block + n;
}

/* The fields and catalogs of h are those of s (sample()); with its
 * coverage (whole) or without (a head). */
static void
check_summary(const wp_summary *h, size_t dlen, int whole)
{
	const wp_summary_catalog *c;

	CHECK(h != NULL);
	if (h == NULL)
		return;
	CHECK_STR(h->service, "svc");
	CHECK_STR(h->lang, "en");
	CHECK_STR(h->title, "Access control");
	CHECK_STR(h->href, "svc/en/index.html");
	CHECK(h->short_title == NULL);
	CHECK(h->description != NULL && strlen(h->description) == dlen);
	CHECK_INT(h->source, 1);
	CHECK_INT(h->translated, 80);
	CHECK_INT(h->coverage, 1);
	CHECK_INT((long long)h->ncatalogs, 2);
	if (h->ncatalogs != 2)
		return;
	c = &h->catalogs[0];
	CHECK_STR(c->id, "iso27017-2015");
	CHECK_STR(c->name, "ISO/IEC 27017");
	CHECK_INT(c->badge, 1);
	CHECK_STR(h->catalogs[1].id, "iso27001-2022");
	CHECK_INT(h->catalogs[1].badge, 0);
	if (!whole) {
		CHECK_INT((long long)c->ncontrols, 0);
		CHECK_INT((long long)c->nsections, 0);
		CHECK(c->count == NULL && c->sections == NULL);
		return;
	}
	CHECK_INT((long long)c->ncontrols, 3);
	CHECK_INT((long long)c->nsections, 3);
	if (c->ncontrols != 3 || c->nsections != 3)
		return;
	CHECK_INT(c->count[0], 2);
	CHECK_INT(c->count[1], 0);
	CHECK_INT(c->count[2], 1);
	CHECK_STR(c->sections[0].text, "5.1.1 Policies");
	CHECK_STR(c->sections[1].anchor, "sec-9");
	CHECK_STR(c->sections[1].title, "Access control");
	CHECK(c->sections[1].via == NULL);
	CHECK_STR(c->sections[2].title, "Users");
	CHECK_STR(c->sections[2].via, "9.2.1, 9.2.2");
}

/* The copy's block starts with its head: every string of the fields
 * and catalogs, and the catalogs, in its first head_size bytes; the
 * sections' own texts after them. */
static void
summary_head_first(void)
{
	wp_summary *s = sample(100), *c = wp_summary_copy(s);
	const char *const *f;
	const wp_summary_catalog *cat;
	size_t i;

	CHECK(c->one_block);
	CHECK(c->head_size > sizeof *c && c->head_size < c->block_size);
	check_summary(c, 100, 1);
	for (f = wp_summary_fields; *f; f++) {
		char *v = *wp_summary_field(c, *f);

		if (v && !in_first(v, c, c->head_size))
			test_fail_at(__FILE__, __LINE__, "%s past the head", *f);
	}
	CHECK(in_first(c->catalogs, c, c->head_size));
	for (i = 0; i < c->ncatalogs; i++) {
		cat = &c->catalogs[i];
		CHECK(in_first(cat->id, c, c->head_size));
		CHECK(in_first(cat->name, c, c->head_size));
	}
	cat = &c->catalogs[0];
	CHECK(!in_first(cat->sections, c, c->head_size));
	CHECK(!in_first(cat->count, c, c->head_size));
	CHECK(!in_first(cat->sections[0].text, c, c->head_size));
	/* (a title the same as a field's text: one string, in the head) */
	CHECK(cat->sections[1].title == c->title);
	wp_summary_free(c);
	wp_summary_free(s);
}

/* Summaries put into a store (a file, and memory) come back whole and
 * as heads, each where it was put (a head of more than the first read
 * too); the store counts what is held.  A head whose length says
 * another block does not read. */
static void
store_heads(void)
{
	char dir[] = "/tmp/wpgen-summary-XXXXXX";
	static const size_t dlens[] = {100, 9000};
	wp_summary_store st;
	wp_summary *s[2], *h, *w;
	long long at[2];
	size_t len[2], k;
	int mem;

	CHECK(mkdtemp(dir) != NULL);
	for (mem = 0; mem < 2; mem++) {
		wp_summary_store_open(&st, mem ? NULL : dir);
		CHECK(mem ? st.fd < 0 : st.fd >= 0);
		for (k = 0; k < 2; k++) {
			s[k] = sample(dlens[k]);
			at[k] = wp_summary_store_put(&st, s[k], "records\n", 8,
			    &len[k]);
			CHECK(at[k] >= 0);
		}
		for (k = 0; k < 2; k++) {
			h = wp_summary_store_get_head(&st, at[k], len[k]);
			w = wp_summary_store_get(&st, at[k], len[k]);
			CHECK_INT((long long)st.held, 2);
			check_summary(h, dlens[k], 0);
			check_summary(w, dlens[k], 1);
			CHECK(h && w && h->head_size == w->head_size &&
			    h->block_size == h->head_size);
			wp_summary_store_release(&st, h);
			wp_summary_store_release(&st, w);
			CHECK_INT((long long)st.held, 0);
		}
		CHECK(wp_summary_store_get_head(&st, at[0], len[0] + 1) ==
		    NULL);
		CHECK(wp_summary_store_get_head(&st, at[1], len[0]) == NULL);
		for (k = 0; k < 2; k++)
			wp_summary_free(s[k]);
		wp_summary_store_close(&st);
	}
	CHECK(rmdir(dir) == 0);
}

int
main(void)
{
	TEST_RUN(summary_head_first);
	TEST_RUN(store_heads);
	return test_exit_status();
}
