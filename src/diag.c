/*
 * diag.c: collecting and printing diagnostics (diag.h).
 */
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "util.h"

void
wp_diags_init(wp_diags *d)
{
	static unsigned long lists;

	memset(d, 0, sizeof *d);
	d->id = __atomic_add_fetch(&lists, 1, __ATOMIC_RELAXED);
}

void
wp_diags_free(wp_diags *d)
{
	size_t i;

	for (i = 0; i < d->len; i++) {
		free(d->items[i].file);
		free(d->items[i].code);
		free(d->items[i].message);
	}
	free(d->items);
	wp_diags_init(d);
}

void
wp_diags_drop_warnings(wp_diags *d)
{
	size_t i, k = 0;

	for (i = 0; i < d->len; i++) {
		if (d->items[i].severity == WP_WARNING) {
			free(d->items[i].file);
			free(d->items[i].code);
			free(d->items[i].message);
		} else {
			d->items[k++] = d->items[i];
		}
	}
	d->len = k;
	d->warnings = 0;
}

void
wp_diag_again(wp_diags *d, const wp_diag *g)
{
	wp_diag_add(d, g->severity, g->file, g->line, g->column, g->code,
	    "%s", g->message);
}

int
wp_diags_withdraw(wp_diags *d, const wp_diag *g)
{
	wp_diag *it;
	size_t i;

	for (i = d->len; i-- > 0;) {
		it = &d->items[i];
		if (it->line != g->line || it->column != g->column ||
		    strcmp(it->file, g->file) != 0 ||
		    strcmp(it->code, g->code) != 0 ||
		    strcmp(it->message, g->message) != 0)
			continue;
		if (it->severity == WP_ERROR)
			d->errors--;
		else
			d->warnings--;
		free(it->file);
		free(it->code);
		free(it->message);
		memmove(it, it + 1, (d->len - i - 1) * sizeof *it);
		d->len--;
		return 1;
	}
	return 0;
}

/* Appends s to out with control characters written as \n, \t, \xNN,
 * so that a message quoting the input stays on its one line. */
static void
put_one_line(wp_buf *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '\n')
			wp_buf_puts(out, "\\n");
		else if (*s == '\t')
			wp_buf_puts(out, "\\t");
		else if ((unsigned char)*s < 0x20 || *s == 0x7f)
			wp_buf_printf(out, "\\x%02x", (unsigned char)*s);
		else
			wp_buf_putc(out, *s);
	}
}

void
wp_diag_add(wp_diags *d, wp_severity sev, const char *file, int line,
    int column, const char *code, const char *fmt, ...)
{
	wp_buf raw = WP_BUF_INIT, msg = WP_BUF_INIT;
	wp_diag *g;
	va_list ap;

	if (sev == WP_WARNING && d->strict)
		sev = WP_ERROR;
	va_start(ap, fmt);
	wp_buf_vprintf(&raw, fmt, ap);
	va_end(ap);
	put_one_line(&msg, wp_buf_cstr(&raw));
	wp_buf_free(&raw);
	if (d->len == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 16;
		d->items = xrealloc(d->items, d->cap * sizeof *d->items);
	}
	g = &d->items[d->len++];
	g->file = xstrdup(file ? file : "");
	g->line = line;
	g->column = column;
	g->severity = sev;
	g->code = xstrdup(code);
	g->message = wp_buf_detach(&msg);
	g->once = 0;    /* mustache.c marks the problems it reports once */
	if (sev == WP_ERROR)
		d->errors++;
	else
		d->warnings++;
}

void
wp_diag_copy(wp_diags *d, const wp_diag *g)
{
	wp_diag *c;

	if (d->len == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 16;
		d->items = xrealloc(d->items, d->cap * sizeof *d->items);
	}
	c = &d->items[d->len++];
	*c = *g;
	c->file = xstrdup(g->file);
	c->code = xstrdup(g->code);
	c->message = xstrdup(g->message);
	if (c->severity == WP_ERROR)
		d->errors++;
	else
		d->warnings++;
}

/* One problem: "SEVERITY ONCE LINE COLUMN FILELEN CODELEN MSGLEN\n",
 * then the three strings, each followed by a line break. */
void
wp_diags_pack(const wp_diags *d, size_t from, wp_buf *out)
{
	const wp_diag *g;

	for (; from < d->len; from++) {
		g = &d->items[from];
		wp_buf_printf(out, "%d %d %d %d %zu %zu %zu\n",
		    (int)g->severity, g->once, g->line, g->column,
		    strlen(g->file), strlen(g->code), strlen(g->message));
		wp_buf_printf(out, "%s\n%s\n%s\n", g->file, g->code,
		    g->message);
	}
}

/* A number of the header at *p, followed by sep. */
static int
unpack_num(const char **p, const char *end, char sep, long *n)
{
	const char *s = *p;
	long v = 0;
	int neg = 0;

	if (s < end && *s == '-') {
		neg = 1;
		s++;
	}
	if (s >= end || *s < '0' || *s > '9')
		return -1;
	for (; s < end && *s >= '0' && *s <= '9'; s++) {
		if (v > (LONG_MAX - 9) / 10)
			return -1;
		v = v * 10 + (*s - '0');
	}
	if (s >= end || *s != sep)
		return -1;
	*p = s + 1;
	*n = neg ? -v : v;
	return 0;
}

/* A string of len bytes at *p, followed by a line break. */
static char *
unpack_str(const char **p, const char *end, long len)
{
	char *s;

	if (len < 0 || end - *p <= len || (*p)[len] != '\n')
		return NULL;
	s = xstrndup(*p, (size_t)len);
	*p += len + 1;
	return s;
}

int
wp_diags_unpack(wp_diags *d, const char **p, const char *end, size_t n)
{
	long v[7];
	wp_diag g;
	int i, rc = 0;

	for (; n > 0 && rc == 0; n--) {
		for (i = 0; i < 7; i++)
			if (unpack_num(p, end, i < 6 ? ' ' : '\n', &v[i]) != 0)
				return -1;
		if ((v[0] != WP_ERROR && v[0] != WP_WARNING) ||
		    v[2] < INT_MIN || v[2] > INT_MAX ||
		    v[3] < INT_MIN || v[3] > INT_MAX)
			return -1;
		memset(&g, 0, sizeof g);
		g.severity = (wp_severity)v[0];
		g.once = v[1] != 0;
		g.line = (int)v[2];
		g.column = (int)v[3];
		g.file = unpack_str(p, end, v[4]);
		g.code = g.file ? unpack_str(p, end, v[5]) : NULL;
		g.message = g.code ? unpack_str(p, end, v[6]) : NULL;
		if (g.message)
			wp_diag_copy(d, &g);
		else
			rc = -1;
		free(g.file);
		free(g.code);
		free(g.message);
	}
	return rc;
}

static int
diag_cmp(const wp_diag *a, const wp_diag *b)
{
	int c = strcmp(a->file, b->file);

	if (c)
		return c;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->column != b->column)
		return a->column < b->column ? -1 : 1;
	return 0;
}

void
wp_diags_sort(wp_diags *d)
{
	size_t i, j;
	wp_diag tmp;

	/* Insertion sort after a merge would be overkill: the list is short
	 * and mostly sorted already, and this keeps the sort stable. */
	for (i = 1; i < d->len; i++) {
		tmp = d->items[i];
		for (j = i; j > 0 && diag_cmp(&d->items[j - 1], &tmp) > 0; j--)
			d->items[j] = d->items[j - 1];
		d->items[j] = tmp;
	}
}

static const char *
severity_name(wp_severity s)
{
	return s == WP_ERROR ? "error" : "warning";
}

void
wp_diags_print_text(const wp_diags *d, FILE *f)
{
	size_t i;
	const wp_diag *g;

	wp_buf file = WP_BUF_INIT;

	for (i = 0; i < d->len; i++) {
		g = &d->items[i];
		/* A file name with a line break cannot forge a line. */
		wp_buf_clear(&file);
		put_one_line(&file, g->file);
		if (g->line > 0)
			fprintf(f, "%s:%d:%d: %s: %s [%s]\n",
			    wp_buf_cstr(&file), g->line,
			    g->column > 0 ? g->column : 1,
			    severity_name(g->severity), g->message, g->code);
		else
			fprintf(f, "%s: %s: %s [%s]\n", wp_buf_cstr(&file),
			    severity_name(g->severity), g->message, g->code);
	}
	wp_buf_free(&file);
}

void
wp_diags_write_json(const wp_diags *d, wp_buf *out)
{
	size_t i;
	const wp_diag *g;

	wp_buf_puts(out, "{\"diagnostics\": [");
	for (i = 0; i < d->len; i++) {
		g = &d->items[i];
		wp_buf_puts(out, i ? ",\n  {\"file\": " : "\n  {\"file\": ");
		wp_buf_put_json(out, g->file, strlen(g->file));
		wp_buf_printf(out, ", \"line\": %d, \"column\": %d, "
		    "\"severity\": \"%s\", \"code\": ", g->line, g->column,
		    severity_name(g->severity));
		wp_buf_put_json(out, g->code, strlen(g->code));
		wp_buf_puts(out, ", \"message\": ");
		wp_buf_put_json(out, g->message, strlen(g->message));
		wp_buf_putc(out, '}');
	}
	wp_buf_printf(out, "%s], \"errors\": %d, \"warnings\": %d}\n",
	    d->len ? "\n" : "", d->errors, d->warnings);
}
