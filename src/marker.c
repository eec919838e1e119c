/*
 * marker.c: finding control statements in text (marker.h).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "marker.h"
#include "util.h"

int
wp_marker_id_char(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
	    (c >= 'a' && c <= 'z') || c == '.' || c == '-' || c == '(' ||
	    c == ')';
}

static int
is_space(int c)
{
	return c == ' ' || c == '\t';
}

void
wp_marker_clear(wp_marker *m)
{
	size_t i;

	free(m->standard);
	for (i = 0; i < m->nids; i++)
		free(m->ids[i]);
	memset(m, 0, sizeof *m);
}

/* Is s[a..b) one ID: ID characters only, with a digit? */
static int
is_id(const char *s, size_t a, size_t b)
{
	int digit = 0;
	size_t i;

	if (a >= b)
		return 0;
	for (i = a; i < b; i++) {
		if (!wp_marker_id_char((unsigned char)s[i]))
			return 0;
		if (isdigit((unsigned char)s[i]))
			digit = 1;
	}
	return digit;
}

/* The start of the ID that ends at i: ID characters back from i, and an
 * enhancement written apart ("SC-7 (3)", as NIST SP 800-53 Rev. 4 did)
 * joined to the ID before it. */
static size_t
id_start(const char *s, size_t a, size_t i)
{
	size_t j = i, e, k;

	while (j > a && wp_marker_id_char((unsigned char)s[j - 1]))
		j--;
	if (j < i && s[j] == '(') {
		for (e = j; e > a && is_space(s[e - 1]); e--)
			;
		if (e < j && e > a && wp_marker_id_char((unsigned char)
		    s[e - 1])) {
			for (k = e; k > a && wp_marker_id_char((unsigned char)
			    s[k - 1]); k--)
				;
			if (is_id(s, k, e))
				return k;
		}
	}
	return j;
}

/* 1 when s[a..b) is one ID, an enhancement written apart included. */
static int
is_spaced_id(const char *s, size_t a, size_t b)
{
	size_t i, j;

	for (i = a; i < b && !is_space(s[i]); i++)
		;
	if (i == b)
		return is_id(s, a, b);
	for (j = i; j < b && is_space(s[j]); j++)
		;
	return is_id(s, a, i) && s[j] == '(' && is_id(s, j, b);
}

/*
 * Splits the inside of a bracket, s[a..b), into the standard and the ID
 * list.  The ID list is the longest tail of comma-separated IDs that
 * follows a space; what comes before it is the standard.
 */
static int
parse_inside(const char *s, size_t a, size_t b, wp_marker *m)
{
	size_t ids_start, i, j, k;
	wp_buf std = WP_BUF_INIT;

	while (b > a && is_space(s[b - 1]))
		b--;
	/* Walk back over "ID", "ID, ID", "ID ,ID"... */
	i = b;
	for (;;) {
		j = id_start(s, a, i);
		if (!is_spaced_id(s, j, i))
			return 0;
		ids_start = j;
		k = j;
		while (k > a && is_space(s[k - 1]))
			k--;
		if (k > a && s[k - 1] == ',') {
			k--;
			while (k > a && is_space(s[k - 1]))
				k--;
			i = k;
			continue;
		}
		break;
	}
	/* A space must separate the standard from the IDs. */
	if (ids_start == a || !is_space(s[ids_start - 1]))
		return 0;
	for (i = a; i < ids_start; i++) {
		if (is_space(s[i])) {
			if (std.len && std.data[std.len - 1] != ' ')
				wp_buf_putc(&std, ' ');
		} else {
			wp_buf_putc(&std, s[i]);
		}
	}
	while (std.len && std.data[std.len - 1] == ' ')
		std.data[--std.len] = '\0';
	if (std.len == 0 || !isalpha((unsigned char)std.data[0])) {
		wp_buf_free(&std);
		return 0;
	}
	m->standard = wp_buf_detach(&std);
	/* Collect the IDs left to right. */
	for (i = ids_start; i < b && m->nids < WP_MARKER_MAX_IDS;) {
		j = i;
		while (j < b && wp_marker_id_char((unsigned char)s[j]))
			j++;
		/* "SC-7 (3)": the enhancement goes with its control. */
		for (k = j; k < b && is_space(s[k]); k++)
			;
		if (k > j && k < b && s[k] == '(') {
			j = k;
			while (j < b && wp_marker_id_char((unsigned char)s[j]))
				j++;
		}
		m->id_offsets[m->nids] = i;
		m->ids[m->nids++] = xstrndup(s + i, j - i);
		while (j < b && (is_space(s[j]) || s[j] == ','))
			j++;
		i = j;
	}
	return 1;
}

int
wp_marker_find(const char *s, size_t n, size_t from, wp_marker *m)
{
	size_t i, j;

	memset(m, 0, sizeof *m);
	for (i = from; i < n; i++) {
		if (s[i] != '<')
			continue;
		for (j = i + 1; j < n && s[j] != '>' && s[j] != '<' &&
		    s[j] != '\n'; j++)
			;
		if (j >= n || s[j] != '>')
			continue;
		if (parse_inside(s, i + 1, j, m)) {
			m->start = i;
			m->end = j + 1;
			return 1;
		}
		wp_marker_clear(m);
	}
	return 0;
}

int
wp_marker_only_first(const char *s, size_t n, wp_marker *first)
{
	size_t i = 0;
	wp_marker m;
	int found = 0;

	while (i < n) {
		if (isspace((unsigned char)s[i])) {
			i++;
			continue;
		}
		if (s[i] != '<' || !wp_marker_find(s, n, i, &m) ||
		    m.start != i) {
			if (s[i] == '<')
				wp_marker_clear(&m);
			if (found && first)
				wp_marker_clear(first);
			return 0;
		}
		i = m.end;
		if (!found && first)
			*first = m;
		else
			wp_marker_clear(&m);
		found = 1;
	}
	return found;
}

int
wp_marker_only(const char *s, size_t n)
{
	return wp_marker_only_first(s, n, NULL);
}

/* The length of an ID-list character at s (n bytes left), 0 when none:
 * ASCII ID characters, commas and spaces, and their full-width forms
 * (U+FF01..U+FF5E), the ideographic comma and space. */
static size_t
id_list_char(const char *s, size_t n, int *digit)
{
	size_t clen;
	unsigned cp = wp_utf8_decode(s, n, &clen);

	if (cp < 0x80) {
		if (isdigit((int)cp))
			*digit = 1;
		return wp_marker_id_char((int)cp) || cp == ',' ||
		    is_space((int)cp) ? 1 : 0;
	}
	if (cp >= 0xFF10 && cp <= 0xFF19)
		*digit = 1;
	if ((cp >= 0xFF01 && cp <= 0xFF5E) || cp == 0x3001 || cp == 0x3000)
		return clen;
	return 0;
}

/* s[a..b) is malformed-marker-shaped: a word, a space, then an ID-list
 * tail with a digit.  Every way to split it so (the standard before a
 * space, an ID-list tail with a digit after) goes into m->ids, the
 * longest standard first. */
static int
parse_malformed(const char *s, size_t a, size_t b, wp_marker *m)
{
	size_t i, k, e, len;
	int digit;

	if (a >= b || !isalpha((unsigned char)s[a]))
		return 0;
	for (i = b; i > a && m->nids < WP_MARKER_MAX_IDS; i--) {
		if (!is_space(s[i - 1]))
			continue;
		digit = 0;
		for (k = i; k < b; k += len)
			if ((len = id_list_char(s + k, b - k, &digit)) == 0)
				break;
		if (k < b)
			break;          /* nor will any longer tail be */
		if (!digit)
			continue;
		for (e = i - 1; e > a && is_space(s[e - 1]); e--)
			;
		if (e > a)
			m->ids[m->nids++] = xstrndup(s + a, e - a);
	}
	return m->nids > 0;
}

int
wp_marker_find_malformed(const char *s, size_t n, size_t from,
    wp_marker *m)
{
	size_t i, j;
	wp_marker ok;

	memset(m, 0, sizeof *m);
	for (i = from; i < n; i++) {
		if (s[i] != '<')
			continue;
		for (j = i + 1; j < n && s[j] != '>' && s[j] != '<' &&
		    s[j] != '\n'; j++)
			;
		if (j >= n || s[j] != '>')
			continue;
		memset(&ok, 0, sizeof ok);
		if (parse_inside(s, i + 1, j, &ok)) {
			wp_marker_clear(&ok);
			i = j;
			continue;
		}
		wp_marker_clear(&ok);
		if (parse_malformed(s, i + 1, j, m)) {
			m->start = i;
			m->end = j + 1;
			return 1;
		}
		wp_marker_clear(m);
	}
	return 0;
}
