/*
 * manifest.c: libFuzzer target for the build manifest's reader
 * (wp_manifest_parse in src/manifest.c), which also reads the reports of
 * build workers, and for the reader of out/'s manifest, whose summaries
 * come first and whose last line says where its other records begin
 * (wp_manifest_parse_out).
 *
 * The input is the text of a manifest, read both ways.  When it reads
 * whole, it is written again (in the same form) and read back, and the
 * second reading must give the same text: what the writer escapes, the
 * reader unescapes, and where the writer says a summary lies, the reader
 * finds it.  Every edition is
 * looked up and copied, and its summary's records (kept as text by the
 * reader) are read: a summary that reads is written again
 * from its struct, and that text must read and give the same text again.
 * Crashes, leaks, hangs and a text that does not survive a round trip
 * are failures.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "manifest.h"

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

/* The text read as out/'s manifest, written and read back. */
static void
out_round_trip(const uint8_t *data, size_t size)
{
	wp_manifest m, again;
	wp_buf one = WP_BUF_INIT, two = WP_BUF_INIT;
	size_t i;

	if (wp_manifest_parse_out(&m, (const char *)data, size) != 0) {
		wp_manifest_free(&m);
		return;
	}
	for (i = 0; i < m.nedit; i++)
		summary_round_trip(m.editions[i]);
	wp_manifest_write_out(&m, &one);
	if (wp_manifest_parse_out(&again, one.data, one.len) != 0)
		abort();
	for (i = 0; i < again.nedit; i++)
		if ((again.editions[i]->summary_text != NULL ||
		    again.editions[i]->summary != NULL) !=
		    (m.editions[i]->summary_text != NULL ||
		    m.editions[i]->summary != NULL))
			abort();
	wp_manifest_write_out(&again, &two);
	if (one.len != two.len || memcmp(one.data, two.data, one.len) != 0)
		abort();
	wp_manifest_free(&m);
	wp_manifest_free(&again);
	wp_buf_free(&one);
	wp_buf_free(&two);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	wp_manifest m, again;
	wp_manifest_entry *e;
	wp_buf one = WP_BUF_INIT, two = WP_BUF_INIT;
	size_t i;

	out_round_trip(data, size);
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
	if (wp_manifest_parse(&again, one.data, one.len) != 0)
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
