/*
 * phrase.c: libFuzzer target for the phrase boundaries of Japanese
 * titles (src/phrase.c).
 *
 * The input is one title, any bytes (invalid UTF-8 included).  The
 * boundaries are checked: strictly increasing, inside the text (never at
 * 0 or at its end) and at the start of a UTF-8 character, never inside
 * one.  A wrong boundary aborts, as a crash does.
 */
#include <stdint.h>
#include <stdlib.h>

#include "phrase.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	size_t n, i, *at = wp_phrase_breaks(s, size, &n);

	for (i = 0; i < n; i++) {
		if (at[i] == 0 || at[i] >= size || (i > 0 && at[i] <= at[i - 1]))
			abort();
		if (((unsigned char)s[at[i]] & 0xC0) == 0x80)
			abort();
	}
	free(at);
	return 0;
}
