/*
 * fuzz.h: what the libFuzzer targets of fuzz/ share: cutting one input
 * into parts at NUL bytes (a template and its data, two texts to
 * compare, several catalog files).
 */
#ifndef WP_FUZZ_H
#define WP_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define FUZZ_MAX_PARTS 8

typedef struct fuzz_part {
	const char *data;
	size_t len;
} fuzz_part;

/* Cuts data[0..size) at its first max - 1 NUL bytes into at most max
 * parts (max <= FUZZ_MAX_PARTS); the last part keeps any further NULs.
 * Returns the number of parts (at least 1). */
static inline size_t
fuzz_split(const uint8_t *data, size_t size, fuzz_part *parts, size_t max)
{
	const char *s = (const char *)data, *end = s + size, *nul;
	size_t n = 0;

	while (n + 1 < max && (nul = memchr(s, '\0', (size_t)(end - s)))) {
		parts[n].data = s;
		parts[n++].len = (size_t)(nul - s);
		s = nul + 1;
	}
	parts[n].data = s;
	parts[n++].len = (size_t)(end - s);
	return n;
}

#endif
