/*
 * marker.h: the shape of control statements, `<STANDARD ID[, ID]...>`.
 *
 * This module only finds marker-shaped text and splits it into a standard
 * and IDs; resolving them against catalogs is document.c's job.  A marker
 * has the shape `<` words `space` IDs `>` where an ID is made of ASCII
 * letters, digits, dots, hyphens and parentheses and holds at least one
 * digit, IDs are separated by commas, and nothing inside spans a line.
 * Other bracketed text (`<方法 1:...>`) is not a marker.
 */
#ifndef WP_MARKER_H
#define WP_MARKER_H

#include <stddef.h>

#define WP_MARKER_MAX_IDS 64

typedef struct wp_marker {
	size_t start, end;           /* s[start] == '<', s[end - 1] == '>' */
	char *standard;              /* "ISO/IEC 27017", spaces normalized */
	size_t nids;
	char *ids[WP_MARKER_MAX_IDS];
	size_t id_offsets[WP_MARKER_MAX_IDS];  /* byte offsets in s */
} wp_marker;

/* Finds the first marker-shaped text in s[from..n).  Returns 1 and fills
 * m (free with wp_marker_clear), or 0. */
int wp_marker_find(const char *s, size_t n, size_t from, wp_marker *m);
void wp_marker_clear(wp_marker *m);
/* 1 when s[0..n) is one or more markers separated by white space only. */
int wp_marker_only(const char *s, size_t n);
/* The same, the first marker kept in *first when there are (the
 * caller clears it). */
int wp_marker_only_first(const char *s, size_t n, wp_marker *first);
/*
 * Finds the first bracketed text in s[from..n), on one line, that is not
 * a marker but looks like one gone wrong: words, a space, then only what
 * IDs are made of, full-width digits and letters, commas (also full-width
 * and 、) and spaces, with at least one digit (`<ISO/IEC 27017 9.2.1,,>`,
 * `<ISO/IEC 27017 ９.２.１>`, `<ISO/IEC 27017 9.2.1 , 9.2.2,>`).  Returns
 * 1 with m->start and m->end set and, in m->ids, the texts before the ID
 * list that could be its standard, longest first (free with
 * wp_marker_clear), or 0.  The caller decides, by whether one of them
 * names a catalog, if it is an error.
 */
int wp_marker_find_malformed(const char *s, size_t n, size_t from,
    wp_marker *m);
/* 1 when c may appear in an ID. */
int wp_marker_id_char(int c);

#endif
