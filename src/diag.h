/*
 * diag.h: diagnostics for authors.
 *
 * Every stage that reads input reports problems into a wp_diags list rather
 * than printing them, so that `build`, `check` and `diff` can show them as
 * text (path:line:column: severity: message [code]) or JSON.
 */
#ifndef WP_DIAG_H
#define WP_DIAG_H

#include <stdio.h>

struct wp_buf;

typedef enum wp_severity {
	WP_ERROR,
	WP_WARNING
} wp_severity;

typedef struct wp_diag {
	char *file;        /* path as given to the tool */
	int line, column;  /* 1-based; 0 when unknown */
	wp_severity severity;
	char *code;        /* "unknown-control", ... */
	char *message;
	int once;          /* a template's problem, reported once to each
	                      list (mustache.c): a copy made by another
	                      process is dropped when merged (check.c) */
} wp_diag;

typedef struct wp_diags {
	wp_diag *items;
	size_t len, cap;
	int errors, warnings;
	int strict;        /* warnings are reported as errors */
	unsigned long id;  /* distinct for every list wp_diags_init() makes
	                      (a template registry reports a problem once
	                      to each list: mustache.c) */
} wp_diags;

void wp_diags_init(wp_diags *d);
void wp_diags_free(wp_diags *d);
/* Reports a problem.  Nothing is filtered: every file is read once, so a
 * problem is found once. */
void wp_diag_add(wp_diags *d, wp_severity sev, const char *file, int line,
    int column, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));
/* Says g again in d: a problem said before (kept in a build manifest,
 * a worker's report), its severity decided again by d (a warning is an
 * error with strict). */
void wp_diag_again(wp_diags *d, const wp_diag *g);
/* Appends a copy of g, as it is (its severity already decided). */
void wp_diag_copy(wp_diags *d, const wp_diag *g);
/* Appends d->items[from..] to out as bytes for another process (worker
 * reports: workers.h), which wp_diags_unpack() reads back: n of them
 * from *p (advanced past them), appended to d.  -1: not what
 * wp_diags_pack() wrote. */
void wp_diags_pack(const wp_diags *d, size_t from, struct wp_buf *out);
int wp_diags_unpack(wp_diags *d, const char **p, const char *end,
    size_t n);
/* Takes back the last problem of d that says what g says (its file,
 * line, column, code and message): what an edition kept from the
 * previous build said again, when its service is built after all and
 * says its problems itself.  1, or 0 when there is none. */
int wp_diags_withdraw(wp_diags *d, const wp_diag *g);
/* Leaves the errors only (check --errors-only). */
void wp_diags_drop_warnings(wp_diags *d);
/* Stable sort by file, line, column (keeps discovery order for ties). */
void wp_diags_sort(wp_diags *d);
void wp_diags_print_text(const wp_diags *d, FILE *f);
void wp_diags_write_json(const wp_diags *d, struct wp_buf *out);

#endif
