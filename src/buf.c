/*
 * buf.c: the growable byte buffer of buf.h, with HTML and JSON escaping.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "util.h"

void
wp_buf_init(wp_buf *b)
{
	b->data = NULL;
	b->len = b->cap = 0;
}

void
wp_buf_free(wp_buf *b)
{
	free(b->data);
	wp_buf_init(b);
}

void
wp_buf_clear(wp_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

void
wp_buf_grow(wp_buf *b, size_t extra)
{
	size_t need = b->len + extra + 1;
	size_t cap;

	if (need <= b->cap)
		return;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap *= 2;
	b->data = xrealloc(b->data, cap);
	b->cap = cap;
}

void
wp_buf_vprintf(wp_buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return;
	wp_buf_grow(b, (size_t)n);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void
wp_buf_printf(wp_buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	wp_buf_vprintf(b, fmt, ap);
	va_end(ap);
}

/* Sixteen bytes, compared at once (GCC's vector extension: SSE2 on
 * x86-64, a loop elsewhere). */
typedef unsigned char bytes16 __attribute__((vector_size(16)));

/* Whether one of the 16 bytes at s needs escaping for HTML. */
static int
html_special16(const char *s)
{
	bytes16 x;
	uint64_t w[2];

	memcpy(&x, s, sizeof x);
	x = (bytes16)((x == '&') | (x == '<') | (x == '>') | (x == '"') |
	    (x == '\''));
	memcpy(w, &x, sizeof w);
	return (w[0] | w[1]) != 0;
}

/* Text is passed over sixteen bytes at a time where none needs escaping
 * (most of a page's text: Japanese has no ASCII at all), a byte at a time
 * in the sixteen bytes where one does. */
void
wp_buf_put_html(wp_buf *b, const char *s, size_t n)
{
	size_t i = 0, start = 0, end;
	const char *rep;

	while (i < n) {
		if (n - i >= 16 && !html_special16(s + i)) {
			i += 16;
			continue;
		}
		for (end = n - i > 16 ? i + 16 : n; i < end; i++) {
			switch (s[i]) {
			case '&': rep = "&amp;"; break;
			case '<': rep = "&lt;"; break;
			case '>': rep = "&gt;"; break;
			case '"': rep = "&quot;"; break;
			case '\'': rep = "&#39;"; break;
			default: continue;
			}
			wp_buf_put(b, s + start, i - start);
			wp_buf_puts(b, rep);
			start = i + 1;
		}
	}
	wp_buf_put(b, s + start, n - start);
}

/* Whether one of the 16 bytes at s needs escaping in a JSON string: a
 * control character, '"' or '\\'. */
static int
json_special16(const char *s)
{
	bytes16 x;
	uint64_t w[2];

	memcpy(&x, s, sizeof x);
	x = (bytes16)((x < 0x20) | (x == '"') | (x == '\\'));
	memcpy(w, &x, sizeof w);
	return (w[0] | w[1]) != 0;
}

/* Sixteen bytes at a time where none needs escaping, as in
 * wp_buf_put_html. */
void
wp_buf_put_json(wp_buf *b, const char *s, size_t n)
{
	size_t i = 0, start = 0, end;
	unsigned char c;

	wp_buf_putc(b, '"');
	while (i < n) {
		if (n - i >= 16 && !json_special16(s + i)) {
			i += 16;
			continue;
		}
		for (end = n - i > 16 ? i + 16 : n; i < end; i++) {
			c = (unsigned char)s[i];
			if (c >= 0x20 && c != '"' && c != '\\')
				continue;
			wp_buf_put(b, s + start, i - start);
			start = i + 1;
			switch (c) {
			case '"': wp_buf_puts(b, "\\\""); break;
			case '\\': wp_buf_puts(b, "\\\\"); break;
			case '\n': wp_buf_puts(b, "\\n"); break;
			case '\r': wp_buf_puts(b, "\\r"); break;
			case '\t': wp_buf_puts(b, "\\t"); break;
			default: wp_buf_printf(b, "\\u%04x", c); break;
			}
		}
	}
	wp_buf_put(b, s + start, n - start);
	wp_buf_putc(b, '"');
}

const char *
wp_buf_cstr(const wp_buf *b)
{
	return b->data ? b->data : "";
}

char *
wp_buf_detach(wp_buf *b)
{
	char *s = b->data ? b->data : xstrdup("");

	wp_buf_init(b);
	return s;
}
