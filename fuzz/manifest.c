/*
 * manifest.c: libFuzzer target for the build manifest's reader
 * (wp_manifest_parse in src/manifest.c), which reads out/'s manifest
 * and the reports of build workers, and for the reader of out/'s store
 * of summaries (wp_manifest_entry_read_summary, summary.h).
 *
 * The input is the text of a manifest, read whole; and, split at its
 * first NUL byte, a manifest and the bytes of a store its `sumat`
 * records point into.  When the manifest reads whole, it is written
 * again (in the same form) and read back, and the second reading must
 * give the same text: what the writer escapes, the reader unescapes;
 * the text written must be sealed (its last line the digest of the rest:
 * wp_manifest_sealed, which reads every input too).
 * Every edition is looked up and copied, and its summary's records
 * (kept as text by the reader, or read from the store where they have
 * the digest recorded) are read: a summary that reads is written again
 * from its struct, and that text must read and give the same text
 * again.  The summaries read from the store are put into a new store
 * (wp_manifest_put_summaries, as a build that makes a new one does)
 * and must read back from it as the same bytes.  Crashes, leaks, hangs and a
 * text that does not survive a round trip are failures.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "manifest.h"
#include "summary.h"

/* A summary read from e's records, written from its struct, read and
 * written again: the same text. */
static void
summary_round_trip(wp_manifest_entry *e)
{
	int has = wp_manifest_entry_has_summary(e);
	wp_manifest_entry *one, *two;
	wp_buf a = WP_BUF_INIT, b = WP_BUF_INIT;

	/* (records that have a summary's digest are taken as one: they
	 * may still not read) */
	if (wp_manifest_entry_summary(e) == NULL)
		return;
	if (!has)
		abort();
	one = wp_manifest_entry_copy(e);
	free(one->summary_text);
	one->summary_text = NULL;
	wp_manifest_entry_write_summary(one, &a);
	two = wp_manifest_entry_new("s", "l");
	two->summary_text = wp_buf_detach(&a);
	two->summary_len = strlen(two->summary_text);
	if (wp_manifest_entry_summary(two) == NULL)
		abort();
	free(two->summary_text);
	two->summary_text = NULL;
	wp_manifest_entry_write_summary(two, &b);
	wp_manifest_entry_write_summary(one, &a);
	if (a.len != b.len || memcmp(a.data, b.data, a.len) != 0)
		abort();
	wp_manifest_entry_free(one);
	wp_manifest_entry_free(two);
	wp_buf_free(&a);
	wp_buf_free(&b);
}

/* A manifest and the store after it (split at the first NUL): each
 * summary read from the store, put into a new one and read back from
 * it the same. */
static void
store_round_trip(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, 0, size);
	wp_summary_store old, fresh;
	wp_manifest m;
	wp_manifest_entry *e;
	char **texts;
	size_t i, n;

	if (nul == NULL)
		return;
	n = (size_t)(nul - data);
	if (wp_manifest_parse(&m, (const char *)data, n) != 0) {
		wp_manifest_free(&m);
		return;
	}
	wp_summary_store_open(&old, NULL);
	wp_summary_store_append(&old, nul + 1, size - n - 1);
	texts = calloc(m.nedit + 1, sizeof *texts);
	for (i = 0; i < m.nedit; i++) {
		e = m.editions[i];
		/* (those read from the store: the others are written from
		 * their struct, which may write their records otherwise) */
		if (wp_manifest_entry_read_summary(e, &old) == 0 &&
		    e->summary_text && e->sum_len > 0)
			texts[i] = strdup(e->summary_text);
		summary_round_trip(e);
	}
	/* (those read into a struct are written from it, the others
	 * copied from the store) */
	wp_summary_store_open(&fresh, NULL);
	memcpy(fresh.id, "0123456789abcdef0123456789abcdef", 33);
	if (wp_manifest_put_summaries(&m, &fresh, &old) != 0)
		abort();
	for (i = 0; i < m.nedit; i++) {
		e = m.editions[i];
		if (texts[i] == NULL)
			continue;
		if (e->summary == NULL && e->summary_text == NULL)
			abort();
		free(e->summary_text);
		e->summary_text = NULL;
		wp_summary_free(e->summary);
		e->summary = NULL;
		if (wp_manifest_entry_read_summary(e, &fresh) != 0 ||
		    e->summary_text == NULL ||
		    strcmp(e->summary_text, texts[i]) != 0)
			abort();
		free(texts[i]);
	}
	free(texts);
	wp_summary_store_close(&old);
	wp_summary_store_close(&fresh);
	wp_manifest_free(&m);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	wp_manifest m, again;
	wp_manifest_entry *e;
	wp_buf one = WP_BUF_INIT, two = WP_BUF_INIT;
	size_t i;

	store_round_trip(data, size);
	(void)wp_manifest_sealed((const char *)data, size);
	if (wp_manifest_parse(&m, (const char *)data, size) != 0) {
		wp_manifest_free(&m);
		return 0;
	}
	for (i = 0; i < m.nedit; i++) {
		wp_manifest_find(&m, m.editions[i]->service,
		    m.editions[i]->lang);
		e = wp_manifest_entry_copy(m.editions[i]);
		wp_manifest_entry_free(e);
		summary_round_trip(m.editions[i]);
	}
	wp_manifest_write(&m, &one);
	if (!wp_manifest_sealed(one.data, one.len) ||
	    wp_manifest_parse(&again, one.data, one.len) != 0)
		abort();
	wp_manifest_write(&again, &two);
	if (one.len != two.len || memcmp(one.data, two.data, one.len) != 0)
		abort();
	wp_manifest_free(&m);
	wp_manifest_free(&again);
	wp_buf_free(&one);
	wp_buf_free(&two);
	return 0;
}
