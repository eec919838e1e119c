/*
 * diags.c: libFuzzer target for the reader of packed diagnostics
 * (wp_diags_unpack in src/diag.c), which reads the reports of check
 * workers.
 *
 * The input is packed diagnostics (wp_diags_pack).  They are read one at
 * a time until the text ends or a reading fails; what was read is packed
 * again and read back, and packing that must give the same text.
 * Crashes, leaks, hangs and a text that does not survive the round trip
 * are failures.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	wp_diags d, again;
	wp_buf one = WP_BUF_INIT, two = WP_BUF_INIT;
	const char *p = (const char *)data, *end = p + size;

	wp_diags_init(&d);
	while (p < end && wp_diags_unpack(&d, &p, end, 1) == 0)
		;
	wp_diags_pack(&d, 0, &one);
	wp_diags_init(&again);
	p = wp_buf_cstr(&one);
	if (wp_diags_unpack(&again, &p, p + one.len, d.len) != 0 ||
	    p != wp_buf_cstr(&one) + one.len)
		abort();
	wp_diags_pack(&again, 0, &two);
	if (one.len != two.len || memcmp(wp_buf_cstr(&one),
	    wp_buf_cstr(&two), one.len) != 0 || again.errors != d.errors ||
	    again.warnings != d.warnings)
		abort();
	wp_buf_free(&one);
	wp_buf_free(&two);
	wp_diags_free(&d);
	wp_diags_free(&again);
	return 0;
}
