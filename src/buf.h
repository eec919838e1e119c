/*
 * buf.h: a growable byte buffer.
 *
 * Everything wpgen writes (HTML pages, JSON, CSV, diagnostics) is streamed
 * into a wp_buf.  Capacity grows geometrically, so appending N bytes costs
 * O(N) overall.  The data is always NUL-terminated (data[len] == 0) once
 * anything has been written, so it can be handed to C string functions.
 */
#ifndef WP_BUF_H
#define WP_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <string.h>

typedef struct wp_buf {
	char *data;   /* NULL until the first write */
	size_t len;   /* bytes in use, not counting the terminating NUL */
	size_t cap;   /* bytes allocated */
} wp_buf;

#define WP_BUF_INIT {NULL, 0, 0}

void wp_buf_init(wp_buf *b);
void wp_buf_free(wp_buf *b);
void wp_buf_clear(wp_buf *b);                 /* len = 0, keeps memory */
void wp_buf_grow(wp_buf *b, size_t extra);    /* room for extra more bytes */
/* wp_buf_put, wp_buf_puts and wp_buf_putc are inline: most calls put a
 * few bytes into room the buffer has (and where s is a literal, its
 * length is known where it is written). */
static inline void
wp_buf_put(wp_buf *b, const char *s, size_t n)
{
	if (b->len + n >= b->cap)
		wp_buf_grow(b, n);
	if (n)
		memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

static inline void
wp_buf_puts(wp_buf *b, const char *s)
{
	wp_buf_put(b, s, strlen(s));
}

static inline void
wp_buf_putc(wp_buf *b, int c)
{
	if (b->len + 1 >= b->cap)
		wp_buf_grow(b, 1);
	b->data[b->len++] = (char)c;
	b->data[b->len] = '\0';
}
void wp_buf_printf(wp_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void wp_buf_vprintf(wp_buf *b, const char *fmt, va_list ap);
/* Text with &, <, >, " and ' escaped for HTML text and attribute values. */
void wp_buf_put_html(wp_buf *b, const char *s, size_t n);
/* A JSON string literal, quotes included. */
void wp_buf_put_json(wp_buf *b, const char *s, size_t n);
/* The string, never NULL ("" when empty). */
const char *wp_buf_cstr(const wp_buf *b);
/* Hands the NUL-terminated data to the caller (malloc'd, never NULL); the
 * buffer is left empty. */
char *wp_buf_detach(wp_buf *b);

#endif
