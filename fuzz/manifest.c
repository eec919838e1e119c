/*
 * manifest.c: libFuzzer target for the build manifest's reader
 * (wp_manifest_parse in src/manifest.c), which also reads the reports of
 * build workers.
 *
 * The input is the text of a manifest.  When it reads whole, it is
 * written again and read back, and the second reading must give the same
 * text: what the writer escapes, the reader unescapes.  Every edition is
 * looked up and copied.  Crashes, leaks, hangs and a text that does not
 * survive the round trip are failures.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "manifest.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	wp_manifest m, again;
	wp_manifest_entry *e;
	wp_buf one = WP_BUF_INIT, two = WP_BUF_INIT;
	size_t i;

	if (wp_manifest_parse(&m, (const char *)data, size) != 0) {
		wp_manifest_free(&m);
		return 0;
	}
	for (i = 0; i < m.nedit; i++) {
		wp_manifest_find(&m, m.editions[i]->service,
		    m.editions[i]->lang);
		e = wp_manifest_entry_copy(m.editions[i]);
		wp_manifest_entry_free(e);
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
