/*
 * document.c: Markdown to the document model (document.h).
 *
 * One pass over the top-level blocks of cmark-gfm's tree: headings open
 * sections, marker paragraphs attach controls to the current section and
 * leave the tree, other text is searched for markers in the wrong place,
 * raw HTML is dropped unless allowed, and images are resolved to files.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>

#include "buf.h"
#include "content.h"
#include "document.h"
#include "marker.h"
#include "util.h"
#include "value.h"

typedef struct walker {
	wp_document *doc;
	const wp_document_options *opt;
	wp_diags *d;
	long section;              /* current section, -1 before the first */
	cmark_node **doomed;       /* nodes to take out after the walk */
	size_t ndoomed, capdoomed;
	cmark_node **unwrapped;    /* unsafe links and images: replaced by
	                              their text after the walk */
	size_t nunwrapped, capunwrapped;
	cmark_node **breaks;       /* the soft line breaks the walk met, */
	size_t nbreaks, capbreaks; /* all of the tree's after it */
	size_t capsections;        /* of doc->sections */
	char *standard;            /* the last standard resolved, */
	const wp_catalog *catalog; /* to this catalog */
} walker;

/* ---- source and positions ---- */

/* 1 when s[i] ends a line as cmark sees it: \n, or \r not followed by
 * \n (the \n of \r\n ends the line). */
static int
ends_line(const char *s, size_t len, size_t i)
{
	return s[i] == '\n' || (s[i] == '\r' && (i + 1 >= len ||
	    s[i + 1] != '\n'));
}

/* The offset after the next line end in s[from..len) (ends_line), or
 * len.  Without \r in s (cr 0), a line ends at \n alone. */
static size_t
next_line(const char *s, size_t len, size_t from, int cr)
{
	const char *nl;
	size_t i;

	if (!cr) {
		nl = memchr(s + from, '\n', len - from);
		return nl ? (size_t)(nl - s) + 1 : len;
	}
	for (i = from; i < len; i++)
		if (ends_line(s, len, i))
			return i + 1;
	return len;
}

/* The line starts of the source, and from them the lines of each file:
 * those that start within its text (the last one with or without its
 * end), after the previous file and the blank line that follows it. */
static void
index_lines(wp_document *doc)
{
	size_t i, n = 1, cap = 64, f;
	int cr = memchr(doc->source, '\r', doc->source_len) != NULL;
	size_t first = 1;

	doc->line_starts = xmalloc(cap * sizeof *doc->line_starts);
	doc->line_starts[0] = 0;
	doc->line_starts[n++] = 0;
	for (i = next_line(doc->source, doc->source_len, 0, cr);
	    i < doc->source_len;
	    i = next_line(doc->source, doc->source_len, i, cr)) {
		if (n == cap) {
			cap *= 2;
			doc->line_starts = xrealloc(doc->line_starts,
			    cap * sizeof *doc->line_starts);
		}
		doc->line_starts[n++] = i;
	}
	doc->nlines = (int)n - 1;
	for (f = 0; f < doc->nfiles; f++) {
		wp_document_file *file = &doc->files[f];
		size_t end = file->offset + file->len, k = first;

		while (k < n && doc->line_starts[k] < end)
			k++;
		file->first_line = f > 0 ? file[-1].first_line +
		    file[-1].nlines + 1 : 1;
		file->nlines = (int)(k - first);
		first = k + 1;          /* the blank line after it */
	}
}

const wp_document_file *
wp_document_locate(const wp_document *doc, int global_line, int *file_line)
{
	size_t lo = 0, hi = doc->nfiles;

	/* The last file whose first line is <= global_line. */
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;
		if (doc->files[mid].first_line <= global_line)
			lo = mid;
		else
			hi = mid;
	}
	if (file_line)
		*file_line = global_line - doc->files[lo].first_line + 1;
	return &doc->files[lo];
}

/* The bytes of a global line, without its newline. */
static const char *
line_text(const wp_document *doc, int line, size_t *len)
{
	size_t start, end;

	if (line < 1 || line > doc->nlines) {
		*len = 0;
		return "";
	}
	start = doc->line_starts[line];
	end = line < doc->nlines ? doc->line_starts[line + 1] :
	    doc->source_len;
	while (end > start && (doc->source[end - 1] == '\n' ||
	    doc->source[end - 1] == '\r'))
		end--;
	*len = end - start;
	return doc->source + start;
}

int
wp_document_char_column(const wp_document *doc, int line, int byte_column)
{
	size_t len;
	const char *s = line_text(doc, line, &len);
	size_t upto = byte_column > 1 ? (size_t)byte_column - 1 : 0;

	if (upto > len)
		upto = len;
	return (int)wp_utf8_count(s, upto) + 1;
}

/* Finds needle on a global line at or after line; sets the byte column. */
static int
find_in_lines(const wp_document *doc, int line, int last, const char *needle,
    size_t nlen, int *col)
{
	size_t len, i;
	const char *s;

	for (; line <= last && line <= doc->nlines; line++) {
		s = line_text(doc, line, &len);
		for (i = 0; i + nlen <= len; i++) {
			if (memcmp(s + i, needle, nlen) == 0) {
				*col = (int)i + 1;
				return line;
			}
		}
	}
	return 0;
}

static void
report(walker *w, wp_severity sev, int line, int byte_col, const char *code,
    const char *fmt, const char *a, const char *b)
{
	int fline = 0;
	const wp_document_file *f = wp_document_locate(w->doc, line, &fline);
	int col = byte_col > 0 ? wp_document_char_column(w->doc, line,
	    byte_col) : 0;

	wp_diag_add(w->d, sev, f->path, line > 0 ? fline : 0, col, code, fmt,
	    a, b ? b : "");
}

/* The one message of every control statement in the wrong place; where
 * says where this one is. */
static void
misplaced(walker *w, int line, int byte_col, const char *where)
{
	report(w, WP_ERROR, line, byte_col, "misplaced-marker", "a control "
	    "statement must be a paragraph of its own under a heading, or a "
	    "heading that names one control; this one is %s%s", where, "");
}

/* ---- text of nodes ---- */

/* The literal text under node: text, code and raw HTML, breaks as "\n". */
static void
node_text(cmark_node *node, wp_buf *out, int breaks_as_space)
{
	cmark_iter *it = cmark_iter_new(node);
	cmark_event_type ev;
	cmark_node *n;
	const char *lit;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		if (ev != CMARK_EVENT_ENTER)
			continue;
		n = cmark_iter_get_node(it);
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
		case CMARK_NODE_HTML_INLINE:
		case CMARK_NODE_HTML_BLOCK:
			if ((lit = cmark_node_get_literal(n)) != NULL)
				wp_buf_puts(out, lit);
			break;
		case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_LINEBREAK:
			wp_buf_putc(out, breaks_as_space ? ' ' : '\n');
			break;
		default:
			break;
		}
	}
	cmark_iter_free(it);
}

/* The first byte of node_text(node) that is not white space (isspace),
 * or 0: a marker paragraph starts with '<'.  node (of type t) is a
 * paragraph or a raw HTML block; of a paragraph only the text and raw
 * HTML that are its children count (one with other inlines is no marker
 * paragraph). */
static int
first_nonspace(cmark_node *node, cmark_node_type t)
{
	cmark_node *n = t == CMARK_NODE_PARAGRAPH ?
	    cmark_node_first_child(node) : node;
	const char *lit;

	for (; n; n = n == node ? NULL : cmark_node_next(n)) {
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_HTML_INLINE:
		case CMARK_NODE_HTML_BLOCK:
			if ((lit = cmark_node_get_literal(n)) == NULL)
				break;
			while (isspace((unsigned char)*lit))
				lit++;
			if (*lit)
				return (unsigned char)*lit;
			break;
		default:
			break;
		}
	}
	return 0;
}

/* Only text, breaks and raw inline HTML: could be a marker paragraph. */
static int
plain_inlines(cmark_node *para)
{
	cmark_node *c;

	for (c = cmark_node_first_child(para); c; c = cmark_node_next(c)) {
		switch (cmark_node_get_type(c)) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_LINEBREAK:
		case CMARK_NODE_HTML_INLINE:
			break;
		default:
			return 0;
		}
	}
	return 1;
}

static void
doom(walker *w, cmark_node *n)
{
	if (w->ndoomed == w->capdoomed) {
		w->capdoomed = w->capdoomed ? w->capdoomed * 2 : 16;
		w->doomed = xrealloc(w->doomed, w->capdoomed *
		    sizeof *w->doomed);
	}
	w->doomed[w->ndoomed++] = n;
}

/* Marks link or image n to be replaced by its text (its URL dropped). */
static void
unwrap(walker *w, cmark_node *n)
{
	if (w->nunwrapped == w->capunwrapped) {
		w->capunwrapped = w->capunwrapped ? w->capunwrapped * 2 : 8;
		w->unwrapped = xrealloc(w->unwrapped, w->capunwrapped *
		    sizeof *w->unwrapped);
	}
	w->unwrapped[w->nunwrapped++] = n;
}

/* Notes soft line break n: those left after the walk are all of the
 * tree's (marker paragraphs leave it with theirs), for join_breaks. */
static void
keep_break(walker *w, cmark_node *n)
{
	if (w->nbreaks == w->capbreaks) {
		w->capbreaks = w->capbreaks ? w->capbreaks * 2 : 64;
		w->breaks = xrealloc(w->breaks, w->capbreaks *
		    sizeof *w->breaks);
	}
	w->breaks[w->nbreaks++] = n;
}

/* ---- markers ---- */

/* Position of marker m found in text (taken from node starting at
 * line/col): the global line and the byte column of its '<'. */
static void
marker_position(walker *w, const char *text, const wp_marker *m, int line,
    int col, int last_line, int *mline, int *mcol)
{
	size_t i;
	int l = line, found;

	for (i = 0; i < m->start; i++)
		if (text[i] == '\n')
			l++;
	found = find_in_lines(w->doc, l, last_line, text + m->start,
	    m->end - m->start, mcol);
	if (found) {
		*mline = found;
		return;
	}
	*mline = l;
	*mcol = l == line ? col : 1;
}

static void
add_control(wp_section *s, const wp_catalog *cat, size_t ci, int line,
    int col)
{
	size_t i;

	for (i = 0; i < s->ncontrols; i++)
		if (s->controls[i].catalog == cat &&
		    s->controls[i].control == ci)
			return;
	s->controls = xrealloc(s->controls, (s->ncontrols + 1) *
	    sizeof *s->controls);
	s->controls[s->ncontrols].catalog = cat;
	s->controls[s->ncontrols].control = ci;
	s->controls[s->ncontrols].line = line;
	s->controls[s->ncontrols].column = col;
	s->ncontrols++;
}

static const wp_catalog *
resolve_standard(walker *w, const wp_marker *m, int line, int col)
{
	int ambiguous = 0;
	const wp_catalog *cat;
	char *known;

	/* Most markers of an edition name the same standard. */
	if (w->standard && m->standard &&
	    strcmp(w->standard, m->standard) == 0)
		return w->catalog;
	cat = wp_catalogs_resolve(w->opt->catalogs, m->standard,
	    w->opt->standards, w->opt->allowed, &ambiguous);
	if (cat) {
		free(w->standard);
		w->standard = xstrdup(m->standard);
		w->catalog = cat;
		return cat;
	}
	if (ambiguous) {
		report(w, WP_ERROR, line, col, "ambiguous-standard",
		    "'%s' matches more than one catalog; give the year "
		    "(e.g. '%s:2015')", m->standard, m->standard);
		return NULL;
	}
	known = wp_catalogs_known_standards(w->opt->catalogs,
	    w->opt->standards, w->opt->allowed);
	if (*known)
		report(w, WP_ERROR, line, col, "unknown-standard",
		    "no catalog for the standard '%s'; known standards: %s "
		    "(another standard needs its catalog in "
		    "content/catalogs/ and in catalogs: of service.yaml)",
		    m->standard, known);
	else
		report(w, WP_ERROR, line, col, "unknown-standard",
		    "no catalog for the standard '%s': the service uses no "
		    "catalog that loaded (see catalogs: in service.yaml)%s",
		    m->standard, "");
	free(known);
	return NULL;
}

/*
 * What follows "'ID' is not in " when no control comes near ID: the
 * standard's name, and for a catalog without a document-id (a NIST
 * baseline, which holds part of its standard) which catalog was searched,
 * so that a control of the whole standard left out of the baseline reads
 * as such (malloc'd).
 */
static char *
absent_control(const wp_catalog *cat, const char *name, const char *lang)
{
	const char *title = wp_catalog_title(cat, lang);

	if (cat->ndocument_ids > 0 || title == NULL ||
	    strcmp(title, name) == 0)
		return xstrdup(name);
	return xasprintf("%s: the catalog %s (\"%s\") has no such control; "
	    "check the ID, or use a catalog that has it", name, cat->id,
	    title);
}

/*
 * Resolves every ID of marker m (at line/col) and, when section is not
 * NULL, adds the controls to it.  Returns 1 when all resolved.
 */
static int
resolve_marker(walker *w, const wp_marker *m, int line, int col,
    wp_section *section)
{
	const wp_catalog *cat = resolve_standard(w, m, line, col);
	const char *name;
	size_t i;
	long ci;
	char *hint, *msg;
	int ok = cat != NULL;

	for (i = 0; cat && i < m->nids; i++) {
		int idcol = col + (int)(m->id_offsets[i] - m->start);
		if ((ci = wp_catalog_find(cat, m->ids[i])) >= 0) {
			if (section)
				add_control(section, cat, (size_t)ci, line,
				    idcol);
			continue;
		}
		ok = 0;
		hint = wp_catalog_suggest(cat, m->ids[i]);
		name = wp_catalog_name(cat, w->opt->standards, w->opt->lang);
		msg = hint ? xasprintf("%s; did you mean '%s'?", name, hint) :
		    absent_control(cat, name, w->opt->lang);
		report(w, WP_ERROR, line, idcol, "unknown-control",
		    "'%s' is not in %s", m->ids[i], msg);
		free(msg);
		free(hint);
	}
	return ok;
}

/*
 * Reports bracketed text that names a known standard but whose IDs are
 * malformed (a stray comma, full-width digits): it would otherwise pass
 * as plain text and its section lose the control without a word.
 */
static void
check_malformed_markers(walker *w, const char *text, size_t n, int line,
    int col, int last_line)
{
	wp_marker m;
	size_t from = 0, i;
	int ml, mc, ambiguous;
	char *msg;

	while (wp_marker_find_malformed(text, n, from, &m)) {
		for (i = 0; i < m.nids; i++) {
			if (wp_catalogs_resolve(w->opt->catalogs, m.ids[i],
			    w->opt->standards, w->opt->allowed, &ambiguous) ||
			    ambiguous)
				break;
		}
		if (i < m.nids) {
			marker_position(w, text, &m, line, col, last_line,
			    &ml, &mc);
			msg = xasprintf("'%.*s' names %s but its controls "
			    "are not a list of IDs (ASCII letters, digits, '.', "
			    "'-', '(' and ')') separated by commas; write e.g. "
			    "<%s 9.2.1, 9.2.2>", (int)(m.end - m.start),
			    text + m.start, m.ids[i], m.ids[i]);
			report(w, WP_ERROR, ml, mc, "malformed-marker", "%s%s",
			    msg, NULL);
			free(msg);
		}
		from = m.end;
		wp_marker_clear(&m);
	}
}

/*
 * Reports every marker-shaped text inside other text: a marker whose
 * standard resolves is misplaced; one whose standard does not is an
 * unknown standard.
 */
static void
check_stray_markers(walker *w, const char *text, size_t n, int line,
    int col, int last_line, const char *where)
{
	wp_marker m;
	size_t from = 0;
	int ml, mc, ambiguous;

	while (wp_marker_find(text, n, from, &m)) {
		marker_position(w, text, &m, line, col, last_line, &ml, &mc);
		if (wp_catalogs_resolve(w->opt->catalogs, m.standard,
		    w->opt->standards, w->opt->allowed, &ambiguous) ||
		    ambiguous)
			misplaced(w, ml, mc, where);
		else
			resolve_standard(w, &m, ml, mc);
		from = m.end;
		wp_marker_clear(&m);
	}
	check_malformed_markers(w, text, n, line, col, last_line);
}

/* A paragraph or raw HTML block (node, of type t) that is only markers.
 * Returns 1 when it was one (and dooms it). */
static int
marker_paragraph(walker *w, cmark_node *node, cmark_node_type t,
    int top_level)
{
	wp_buf text = WP_BUF_INIT;
	wp_marker m;
	size_t from = 0;
	int line = cmark_node_get_start_line(node);
	int col = cmark_node_get_start_column(node);
	int last = cmark_node_get_end_line(node), ml, mc;
	wp_section *sec;

	if (first_nonspace(node, t) != '<' || (t == CMARK_NODE_PARAGRAPH &&
	    !plain_inlines(node)))
		return 0;
	node_text(node, &text, 0);
	if (!wp_marker_only(text.data ? text.data : "", text.len)) {
		wp_buf_free(&text);
		return 0;
	}
	sec = w->section >= 0 ? &w->doc->sections[w->section] : NULL;
	while (wp_marker_find(text.data, text.len, from, &m)) {
		marker_position(w, text.data, &m, line, col, last, &ml, &mc);
		if (sec == NULL)
			misplaced(w, ml, mc, "before the first heading");
		else if (!top_level)
			misplaced(w, ml, mc, "inside a list, quote or table");
		else
			resolve_marker(w, &m, ml, mc, sec);
		from = m.end;
		wp_marker_clear(&m);
	}
	wp_buf_free(&text);
	doom(w, node);
	return 1;
}

/* ---- headings ---- */

char *
wp_heading_number(const char *text, const char **rest)
{
	const char *p = text, *end;

	if (!isdigit((unsigned char)*p))
		return NULL;
	while (isdigit((unsigned char)*p))
		p++;
	while (p[0] == '.' && isdigit((unsigned char)p[1])) {
		p++;
		while (isdigit((unsigned char)*p))
			p++;
	}
	end = p;
	if (*p == '.')
		p++;
	if (isdigit((unsigned char)*p))
		return NULL;
	while (*p == ' ' || *p == '\t')
		p++;
	if (rest)
		*rest = p;
	return xstrndup(text, (size_t)(end - text));
}

void
wp_slug(wp_buf *out, const char *text)
{
	size_t n = strlen(text), i = 0, clen;
	unsigned cp;
	int hyphen = 0;
	size_t start = out->len;

	while (i < n) {
		cp = wp_utf8_decode(text + i, n - i, &clen);
		if ((cp < 0x80 && isalnum((int)cp)) || (cp >= 0x80 &&
		    cp != 0xFFFD && !(cp >= 0x2000 && cp <= 0x206F) &&
		    !(cp >= 0x3000 && cp <= 0x303F) &&
		    !(cp >= 0xFF00 && cp <= 0xFF0F) &&
		    !(cp >= 0xFF1A && cp <= 0xFF20) && cp != 0x00A0 &&
		    cp != 0x30FB)) {
			if (hyphen && out->len > start)
				wp_buf_putc(out, '-');
			hyphen = 0;
			if (cp < 0x80)
				wp_buf_putc(out, tolower((int)cp));
			else
				wp_buf_put(out, text + i, clen);
		} else {
			hyphen = 1;
		}
		i += clen;
	}
	if (out->len == start)
		wp_buf_puts(out, "section");
}

static wp_section *
new_section(walker *w)
{
	wp_document *doc = w->doc;
	wp_section *s;

	if (doc->nsections == w->capsections) {
		w->capsections = w->capsections ? w->capsections * 2 : 32;
		doc->sections = xrealloc(doc->sections, w->capsections *
		    sizeof *doc->sections);
	}
	s = &doc->sections[doc->nsections++];
	memset(s, 0, sizeof *s);
	s->parent = -1;
	return s;
}

static void
set_parent(wp_document *doc, size_t i)
{
	long p = (long)i - 1;

	while (p >= 0 && doc->sections[p].level >= doc->sections[i].level)
		p = doc->sections[p].parent;
	doc->sections[i].parent = (int)p;
}

/* A heading whose whole text is one marker: the section of a control. */
static int
marker_heading(walker *w, wp_section *s, const char *text, int line, int col)
{
	wp_marker m;
	int ml, mc;
	const wp_control *c;
	const char *fallback = NULL, *title;
	size_t n = strlen(text);

	if (!wp_marker_only_first(text, n, &m))
		return 0;
	marker_position(w, text, &m, line, col, line, &ml, &mc);
	if (m.nids != 1 || m.end != n - strspn(text, " \t") ||
	    text[m.end] != '\0') {
		misplaced(w, ml, mc, "in a heading together with other "
		    "controls or text");
		wp_marker_clear(&m);
		s->title = xstrdup(text);
		return 1;
	}
	if (resolve_marker(w, &m, ml, mc, s) && s->ncontrols == 1) {
		s->control_heading = 1;
		c = &s->controls[0].catalog->controls[s->controls[0].control];
		s->key = xstrdup(c->label);
		title = wp_control_title(s->controls[0].catalog, c,
		    w->opt->lang, &fallback);
		s->title = xstrdup(title ? title : c->label);
		s->title_fallback = fallback != NULL;
	} else {
		s->title = xstrdup(text);
	}
	wp_marker_clear(&m);
	return 1;
}

static void
open_section(walker *w, cmark_node *node)
{
	wp_document *doc = w->doc;
	wp_section *s = new_section(w);
	wp_buf text = WP_BUF_INIT;
	const char *t, *rest = NULL;
	int line = cmark_node_get_start_line(node);
	int col = cmark_node_get_start_column(node);

	s->level = cmark_node_get_heading_level(node);
	s->node = node;
	s->line = line;
	s->column = col;
	w->section = (long)doc->nsections - 1;
	set_parent(doc, doc->nsections - 1);
	node_text(node, &text, 1);
	t = text.data ? text.data : "";
	t += strspn(t, " \t");
	if (!marker_heading(w, s, t, line, col)) {
		check_stray_markers(w, t, strlen(t), line, col, line,
		    "inside a heading's text");
		s->number = wp_heading_number(t, &rest);
		s->title = xstrdup(s->number ? rest : t);
	}
	wp_buf_free(&text);
}

/* ---- anchors ---- */

/* Section i has the anchor of an earlier one: says where that one is. */
static void
duplicate_anchor(walker *w, size_t i)
{
	const wp_section *s = &w->doc->sections[i], *first = s;
	const wp_document_file *f;
	size_t k;
	int fline = 0;
	char *where;

	for (k = 0; k < i; k++)
		if (w->doc->sections[k].anchor &&
		    strcmp(w->doc->sections[k].anchor, s->anchor) == 0) {
			first = &w->doc->sections[k];
			break;
		}
	f = wp_document_locate(w->doc, first->line, &fline);
	where = xasprintf("the heading at %s:%d:%d already has the anchor "
	    "'%s' (%s)", f->path, fline, wp_document_char_column(w->doc,
	    first->line, first->column), s->anchor, s->control_heading ?
	    "the same control" : "the same section number");
	report(w, WP_ERROR, s->line, s->column, "duplicate-anchor", "%s%s",
	    where, "");
	free(where);
}

/* For each slug, the next -N suffix to try: repeats of one title cost
 * one lookup each, not one per earlier repeat (20,000 equal headings). */
typedef struct suffixes {
	char **keys;
	int *next;
	size_t cap, len;
} suffixes;

static int *
suffix_slot(suffixes *t, const char *key)
{
	size_t i, ncap, j;
	char **nkeys;
	int *nnext;

	if ((t->len + 1) * 2 > t->cap) {
		ncap = t->cap ? t->cap * 2 : 64;
		nkeys = xcalloc(ncap, sizeof *nkeys);
		nnext = xcalloc(ncap, sizeof *nnext);
		for (i = 0; i < t->cap; i++) {
			if (t->keys[i] == NULL)
				continue;
			j = wp_hash(t->keys[i], strlen(t->keys[i])) &
			    (ncap - 1);
			while (nkeys[j])
				j = (j + 1) & (ncap - 1);
			nkeys[j] = t->keys[i];
			nnext[j] = t->next[i];
		}
		free(t->keys);
		free(t->next);
		t->keys = nkeys;
		t->next = nnext;
		t->cap = ncap;
	}
	i = wp_hash(key, strlen(key)) & (t->cap - 1);
	while (t->keys[i] && strcmp(t->keys[i], key) != 0)
		i = (i + 1) & (t->cap - 1);
	if (t->keys[i] == NULL) {
		t->keys[i] = xstrdup(key);
		t->next[i] = 2;
		t->len++;
	}
	return &t->next[i];
}

static void
suffixes_free(suffixes *t)
{
	size_t i;

	for (i = 0; i < t->cap; i++)
		free(t->keys[i]);
	free(t->keys);
	free(t->next);
}

/* prefix and s, malloc'd (xasprintf's "%s%s", without its formatting:
 * an anchor a section). */
static char *
prefixed(const char *prefix, const char *s)
{
	size_t a = strlen(prefix), b = strlen(s);
	char *p = xmalloc(a + b + 1);

	memcpy(p, prefix, a);
	memcpy(p + a, s, b + 1);
	return p;
}

static void
assign_anchors(walker *w)
{
	wp_document *doc = w->doc;
	wp_strset used;
	suffixes sfx = {NULL, NULL, 0, 0};
	wp_buf b = WP_BUF_INIT;
	size_t i;
	int *next;
	wp_section *s;
	const wp_control *c;

	wp_strset_init(&used);
	for (i = 0; i < doc->nsections; i++) {
		s = &doc->sections[i];
		if (s->control_heading) {
			c = &s->controls[0].catalog->controls[
			    s->controls[0].control];
			s->anchor = prefixed("ctl-", c->label);
		} else if (s->number) {
			s->anchor = prefixed("sec-", s->number);
			s->key = xstrdup(s->number);
		} else {
			continue;
		}
		if (!wp_strset_add(&used, s->anchor))
			duplicate_anchor(w, i);
	}
	for (i = 0; i < doc->nsections; i++) {
		s = &doc->sections[i];
		if (s->anchor)
			continue;
		wp_buf_clear(&b);
		wp_slug(&b, s->title);
		s->anchor = xstrdup(b.data);
		if (!wp_strset_add(&used, s->anchor)) {
			next = suffix_slot(&sfx, b.data);
			do {
				free(s->anchor);
				s->anchor = xasprintf("%s-%d", b.data,
				    (*next)++);
			} while (!wp_strset_add(&used, s->anchor));
		}
		s->key = xstrdup(s->anchor);
	}
	for (i = 0; i < doc->nsections; i++) {
		s = &doc->sections[i];
		s->end_line = i + 1 < doc->nsections ?
		    doc->sections[i + 1].line - 1 : doc->nlines;
	}
	wp_buf_free(&b);
	wp_strset_free(&used);
	suffixes_free(&sfx);
}

/* ---- images ---- */

static int
has_scheme(const char *url)
{
	const char *p = url;

	if (url[0] == '/' || url[0] == '#' || url[0] == '\0')
		return 1;
	while (isalnum((unsigned char)*p) || *p == '+' || *p == '-' ||
	    *p == '.')
		p++;
	return *p == ':' && p > url;
}

static char *
url_decode(const char *url)
{
	wp_buf b = WP_BUF_INIT;
	const char *p;
	unsigned v;

	for (p = url; *p && *p != '?' && *p != '#'; p++) {
		if (p[0] == '%' && isxdigit((unsigned char)p[1]) &&
		    isxdigit((unsigned char)p[2]) &&
		    sscanf(p + 1, "%2x", &v) == 1) {
			wp_buf_putc(&b, (int)v);
			p += 2;
		} else {
			wp_buf_putc(&b, *p);
		}
	}
	return wp_buf_detach(&b);
}

/* ---- URLs ---- */

/*
 * 1 when a link or image URL is safe without unsafe_html: relative, or
 * http, https or mailto.  The scheme is read as a browser reads it:
 * leading spaces and control characters skipped, tabs and line breaks
 * inside ignored, any case.
 */
static int
url_is_safe(const char *url)
{
	static const char *const ok[] = {"http", "https", "mailto", NULL};
	wp_buf scheme = WP_BUF_INIT;
	const unsigned char *p = (const unsigned char *)url;
	int safe = 0;
	size_t i;

	while (*p && *p <= 0x20)
		p++;
	for (; *p && *p != ':'; p++) {
		if (*p == '\t' || *p == '\n' || *p == '\r')
			continue;
		if (!(isalpha(*p) || (scheme.len > 0 && (isdigit(*p) ||
		    *p == '+' || *p == '-' || *p == '.'))))
			break;
		wp_buf_putc(&scheme, tolower(*p));
	}
	if (*p != ':' || scheme.len == 0) {
		safe = 1;       /* no scheme: a relative URL */
	} else {
		for (i = 0; ok[i]; i++)
			if (strcmp(scheme.data, ok[i]) == 0)
				safe = 1;
	}
	wp_buf_free(&scheme);
	return safe;
}

/* Reports a link or image whose URL is not safe (without unsafe_html), at
 * the URL, and marks it to be replaced by its text: whoever reads the
 * document, and whatever becomes of the diagnostics (a past revision's
 * are not shown), no such URL reaches a page.  1 when it is fine. */
static int
check_url(walker *w, cmark_node *n, int line)
{
	const char *url = cmark_node_get_url(n);
	int nline = cmark_node_get_start_line(n), col = 0;

	if (url == NULL || w->opt->unsafe_html || url_is_safe(url))
		return 1;
	if (nline > 0)
		line = nline;
	/* The URL as written; else (written with entities) the link. */
	if (!find_in_lines(w->doc, line, line, url, strlen(url), &col))
		col = nline > 0 ? cmark_node_get_start_column(n) : 0;
	report(w, WP_ERROR, line, col, "unsafe-url", "the URL '%s' is not "
	    "allowed: only http, https, mailto and relative links are; "
	    "remove it, or set unsafe_html: true in service.yaml when the "
	    "content is trusted%s", url, NULL);
	unwrap(w, n);
	return 0;
}

/* The directory images of md_path must stay in: the service's, else the
 * Markdown file's own. */
static char *
image_root(walker *w, const char *md_path)
{
	return w->opt->service_dir ? xstrdup(w->opt->service_dir) :
	    wp_path_dirname(md_path);
}

enum { IMAGE_MISSING, IMAGE_OUTSIDE, IMAGE_NOT_FILE };

/* The part of path below dir ("dir/x" gives "x"), or NULL. */
static const char *
below(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	return strncmp(path, dir, n) == 0 && path[n] == '/' ? path + n + 1 :
	    NULL;
}

/* find_image for images that are not in the file system: names, not
 * files, so the root is a prefix of the name. */
static char *
find_named_image(walker *w, const char *md_path, const char *rel, int *why)
{
	char *root = image_root(w, md_path);
	char *dirs[2], *cand, *norm = NULL;
	size_t i;

	*why = IMAGE_MISSING;
	dirs[0] = wp_path_dirname(md_path);
	dirs[1] = w->opt->service_dir ? wp_path_join(w->opt->service_dir,
	    "assets") : NULL;
	for (i = 0; i < 2 && dirs[i] && norm == NULL; i++) {
		cand = wp_path_join(dirs[i], rel);
		norm = wp_path_normalize(cand);
		free(cand);
		if (below(norm, root) == NULL) {
			*why = IMAGE_OUTSIDE;
			free(norm);
			norm = NULL;
		} else if (!w->opt->image_is_file(w->opt->image_ctx, norm)) {
			free(norm);
			norm = NULL;
		}
	}
	free(dirs[0]);
	free(dirs[1]);
	free(root);
	return norm;
}

/*
 * Where an image url resolves: next to its file, then in the service's
 * assets/.  Only a regular file that, symlinks and `..` resolved, lies
 * inside the image root is taken; otherwise *why says what was met.
 */
static char *
find_image(walker *w, const char *md_path, const char *rel, int *why)
{
	char *root = image_root(w, md_path);
	char *dirs[2], *cand, *norm = NULL;
	struct stat st;
	size_t i;

	if (w->opt->image_is_file) {
		free(root);
		return find_named_image(w, md_path, rel, why);
	}
	*why = IMAGE_MISSING;
	dirs[0] = wp_path_dirname(md_path);
	dirs[1] = w->opt->service_dir ? wp_path_join(w->opt->service_dir,
	    "assets") : NULL;
	for (i = 0; i < 2 && dirs[i] && norm == NULL; i++) {
		cand = wp_path_join(dirs[i], rel);
		norm = wp_path_normalize(cand);
		free(cand);
		if (stat(norm, &st) != 0) {
			free(norm);
			norm = NULL;
		} else if (!wp_path_beneath(norm, root) ||
		    !wp_path_allowed(norm)) {
			*why = IMAGE_OUTSIDE;
			free(norm);
			norm = NULL;
		} else if (!S_ISREG(st.st_mode)) {
			if (*why == IMAGE_MISSING)
				*why = IMAGE_NOT_FILE;
			free(norm);
			norm = NULL;
		}
	}
	free(dirs[0]);
	free(dirs[1]);
	free(root);
	return norm;
}

/* Appends the files of dir (no Markdown, no directories) to v, each
 * name after prefix. */
static void
add_files(const char *dir, const char *prefix, char ***v, size_t *n)
{
	char **names = wp_dir_names(dir, NULL, NULL), *path;
	size_t i, len;

	for (i = 0; names && names[i]; i++) {
		path = wp_path_join(dir, names[i]);
		len = strlen(names[i]);
		if (wp_is_file(path) && (len < 3 ||
		    strcmp(names[i] + len - 3, ".md") != 0)) {
			*v = xrealloc(*v, (*n + 1) * sizeof **v);
			(*v)[(*n)++] = xasprintf("%s%s", prefix, names[i]);
		}
		free(path);
	}
	wp_strv_free(names);
}

/*
 * What to write for a missing image: "; did you mean 'diagram.svg'?",
 * else where to put it.  Only a name that find_image resolves is
 * suggested.  Names are relative to the Markdown file or to the service's
 * assets/, so an `assets/` written before a name is dropped: with
 * assets/diagram.svg present, 'assets/diagram.svg' is told to write
 * 'diagram.svg'.
 */
static char *
image_suggestion(walker *w, const char *md_path, const char *rel)
{
	char *dir = wp_path_dirname(md_path), *assets, *msg = NULL, *found;
	const char *bare = rel;
	char **names = NULL;
	size_t n = 0, i;
	long near;
	int why;

	if (strncmp(rel, "assets/", 7) == 0 && rel[7] != '\0' &&
	    strstr(rel, "..") == NULL)
		bare = rel + 7;
	if (bare != rel && (found = find_image(w, md_path, bare, &why))) {
		msg = xasprintf("; write '%s': image names are relative to "
		    "the Markdown file or to %s/assets/", bare,
		    w->opt->service_dir);
		free(found);
	}
	add_files(dir, "", &names, &n);
	if (w->opt->service_dir) {
		assets = wp_path_join(w->opt->service_dir, "assets");
		add_files(assets, "", &names, &n);
		free(assets);
	}
	near = wp_closest(bare, (const char *const *)names, n);
	if (msg == NULL && near >= 0 &&
	    (found = find_image(w, md_path, names[near], &why))) {
		msg = xasprintf("; did you mean '%s'?", names[near]);
		free(found);
	}
	if (msg == NULL && w->opt->service_dir && bare != rel)
		msg = xasprintf("; put the file at %s/assets/%s and write "
		    "'%s'", w->opt->service_dir, bare, bare);
	else if (msg == NULL && w->opt->service_dir)
		msg = xasprintf("; put the file in %s/assets/ (or fix the "
		    "name)", w->opt->service_dir);
	else if (msg == NULL)
		msg = xstrdup("");
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(dir);
	return msg;
}

/* The name of an image in the edition's output: assets/<path relative
 * to the Markdown file's directory, else to the service directory, without
 * a leading assets/>, from the resolved paths, so never with `..`. */
static char *
image_href(walker *w, const char *path, const char *md_path)
{
	char *root, *mddir, *real, *realmd, *realroot, *href = NULL;
	const char *rel = NULL;
	size_t n;

	if (w->opt->image_is_file) {
		/* Names (find_named_image): below the Markdown file's
		 * directory, else the root. */
		mddir = wp_path_dirname(md_path);
		root = image_root(w, md_path);
		if ((rel = below(path, mddir)) == NULL)
			rel = below(path, root);
		if (rel && strncmp(rel, "assets/", 7) == 0)
			rel += 7;
		if (rel && wp_path_is_inside_rel(rel))
			href = xasprintf("assets/%s", rel);
		free(mddir);
		free(root);
		return href;
	}
	root = image_root(w, md_path);
	mddir = wp_path_dirname(md_path);
	real = realpath(path, NULL);
	realmd = realpath(mddir, NULL);
	realroot = realpath(root, NULL);
	if (real && realmd && (n = strlen(realmd), strncmp(real, realmd, n)
	    == 0) && real[n] == '/')
		rel = real + n + 1;
	else if (real && realroot && (n = strlen(realroot),
	    strncmp(real, realroot, n) == 0) && real[n] == '/')
		rel = real + n + 1;
	if (rel && strncmp(rel, "assets/", 7) == 0)
		rel += 7;
	if (rel && wp_path_is_inside_rel(rel))
		href = xasprintf("assets/%s", rel);
	free(root);
	free(mddir);
	free(real);
	free(realmd);
	free(realroot);
	return href;
}

static void
resolve_image(walker *w, cmark_node *img, int line, int last)
{
	const char *url = cmark_node_get_url(img);
	char *rel, *path, *href = NULL;
	int col = 1, found, fline, why;
	const wp_document_file *f;
	wp_image *im;

	if (!check_url(w, img, line) || url == NULL || has_scheme(url))
		return;
	found = find_in_lines(w->doc, line, last, url, strlen(url), &col);
	if (found)
		line = found;
	f = wp_document_locate(w->doc, line, &fline);
	rel = url_decode(url);
	path = find_image(w, f->path, rel, &why);
	if (path && (href = image_href(w, path, f->path)) == NULL)
		why = IMAGE_OUTSIDE;
	if (path == NULL && why == IMAGE_MISSING &&
	    w->opt->images_optional) {
		free(rel);
		return;
	}
	if (path == NULL || href == NULL) {
		if (why == IMAGE_OUTSIDE)
			report(w, WP_ERROR, line, col, "outside-tree",
			    "image '%s' lies outside the service directory "
			    "(after following symlinks and '..'); copy it into "
			    "the service's assets/%s", rel, NULL);
		else if (why == IMAGE_NOT_FILE)
			report(w, WP_ERROR, line, col, "not-a-file",
			    "image '%s' is not a regular file (a directory, "
			    "FIFO or device); point at an image file%s", rel,
			    NULL);
		else {
			char *hint = image_suggestion(w, f->path, rel);
			report(w, WP_ERROR, line, col, "missing-image",
			    "image '%s' not found next to the Markdown file "
			    "or in the service's assets/%s", rel, hint);
			free(hint);
		}
		free(path);
		free(rel);
		return;
	}
	free(rel);
	w->doc->images = xrealloc(w->doc->images, (w->doc->nimages + 1) *
	    sizeof *w->doc->images);
	im = &w->doc->images[w->doc->nimages++];
	im->node = img;
	im->path = path;
	im->href = href;
}

/* ---- the walk ---- */

/* Whether the source of lines first..last holds a '<' or an '&': else no
 * text inside a block of those lines has a '<' (one comes from the
 * source as written, escaped or not, or from an entity), and the text
 * need not be looked at for stray markers. */
static int
lines_may_hold_angle(const wp_document *doc, int first, int last)
{
	size_t start, end;

	if (first < 1 || last < first || last > doc->nlines)
		return 1;
	start = doc->line_starts[first];
	end = last < doc->nlines ? doc->line_starts[last + 1] :
	    doc->source_len;
	return memchr(doc->source + start, '<', end - start) != NULL ||
	    memchr(doc->source + start, '&', end - start) != NULL;
}

/* Everything inside a block other than a heading or marker paragraph:
 * nested paragraphs, stray markers, raw HTML and images. */
static void
scan_block(walker *w, cmark_node *block)
{
	cmark_iter *it = cmark_iter_new(block);
	cmark_event_type ev;
	cmark_node *n;
	cmark_node_type t;
	const char *lit;
	int line = cmark_node_get_start_line(block);
	int last = cmark_node_get_end_line(block);
	int angle = lines_may_hold_angle(w->doc, line, last);

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		if (ev != CMARK_EVENT_ENTER)
			continue;
		n = cmark_iter_get_node(it);
		t = cmark_node_get_type(n);
		if (t == CMARK_NODE_PARAGRAPH && n != block)
			line = cmark_node_get_start_line(n);
		if ((t == CMARK_NODE_PARAGRAPH || t == CMARK_NODE_HTML_BLOCK) &&
		    n != block && marker_paragraph(w, n, t, 0)) {
			cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
			continue;
		}
		if (angle && (t == CMARK_NODE_TEXT ||
		    t == CMARK_NODE_HTML_INLINE || t == CMARK_NODE_HTML_BLOCK)) {
			lit = cmark_node_get_literal(n);
			if (lit && strchr(lit, '<'))
				check_stray_markers(w, lit, strlen(lit), line,
				    1, last, "inside other text");
		}
		if ((t == CMARK_NODE_HTML_INLINE || t == CMARK_NODE_HTML_BLOCK) &&
		    !w->opt->unsafe_html)
			doom(w, n);
		if (t == CMARK_NODE_SOFTBREAK)
			keep_break(w, n);
		else if (t == CMARK_NODE_IMAGE)
			resolve_image(w, n, line, last);
		else if (t == CMARK_NODE_LINK)
			check_url(w, n, line);
	}
	cmark_iter_free(it);
}

/* Footnote definition n, the next one of the tree: the walk meets them
 * in the order cmark-gfm numbered them. */
static void
add_note(wp_document *doc, cmark_node *n)
{
	doc->notes = xrealloc(doc->notes, (doc->nnotes + 1) *
	    sizeof *doc->notes);
	doc->notes[doc->nnotes++] = n;
}

static void
walk(walker *w)
{
	cmark_node *n;
	cmark_node_type t;

	for (n = cmark_node_first_child(w->doc->root); n;
	    n = cmark_node_next(n)) {
		t = cmark_node_get_type(n);
		if (t == CMARK_NODE_HEADING) {
			open_section(w, n);
			continue;
		}
		if ((t == CMARK_NODE_PARAGRAPH || t == CMARK_NODE_HTML_BLOCK) &&
		    marker_paragraph(w, n, t, 1))
			continue;
		if (t == CMARK_NODE_FOOTNOTE_DEFINITION)
			add_note(w->doc, n);
		scan_block(w, n);
	}
}

/* Replaces each unsafe link or image by its children (the link text,
 * the image's description): the text stays, the URL goes.  Outer nodes
 * were marked first, so an image inside a link is moved out before its
 * own turn. */
static void
unwrap_unsafe(walker *w)
{
	cmark_node *n, *c;
	size_t i;

	for (i = 0; i < w->nunwrapped; i++) {
		n = w->unwrapped[i];
		while ((c = cmark_node_first_child(n)) != NULL)
			cmark_node_insert_before(n, c);
		cmark_node_free(n);
	}
	free(w->unwrapped);
}

static void
remove_doomed(walker *w)
{
	size_t i;

	/* A doomed node may sit inside another doomed node (raw HTML in a
	 * marker paragraph): unlink all first, then free the top ones. */
	for (i = 0; i < w->ndoomed; i++)
		cmark_node_unlink(w->doomed[i]);
	for (i = 0; i < w->ndoomed; i++)
		if (cmark_node_parent(w->doomed[i]) == NULL)
			cmark_node_free(w->doomed[i]);
	free(w->doomed);
}

/* ---- parsing ---- */

/* 1 when s[0..n) holds seq, looked for at its byte seq[k] (rare in
 * text, found fast with memchr). */
static int
has_seq(const char *s, size_t n, const char *seq, size_t k)
{
	const char *p = s, *end = s + n;
	size_t len = strlen(seq);

	while (p < end && (p = memchr(p, seq[k], (size_t)(end - p))) != NULL) {
		if ((size_t)(p - s) >= k && (size_t)(end - p) >= len - k &&
		    memcmp(p - k, seq, len) == 0)
			return 1;
		p++;
	}
	return 0;
}

/*
 * 0 when cmark-gfm's autolink extension would find nothing in s[0..n),
 * so that the parser can go without it: the extension stops the inline
 * parser at every ':' and 'w' of the text (about 4 % of a build), and
 * links only "://" and "www." written as such and e-mail addresses,
 * which need an '@', written or as an entity ("&#64;", "&commat;").
 * Without any of these the tree is the same with or without it.
 */
static int
may_autolink(const char *s, size_t n)
{
	if (memchr(s, '@', n) != NULL || has_seq(s, n, "://", 0) ||
	    has_seq(s, n, "&#", 0) || has_seq(s, n, "&commat;", 0))
		return 1;
	/* "www." by strstr where the source has no NUL before its end
	 * (s[n] is one: wp_buf_detach): it compares its candidates by their
	 * first two bytes, "ww", a vector at a time, where has_seq stops at
	 * each '.' of an English text (4 times as long). */
	if (s[n] == '\0' && strlen(s) == n)
		return strstr(s, "www.") != NULL;
	return has_seq(s, n, "www.", 3);
}

static cmark_parser *
new_parser(struct cmark_mem *mem, const char *source, size_t len)
{
	static const char *const exts[] = {"table", "strikethrough",
	    "autolink", NULL};
	cmark_parser *p;
	cmark_syntax_extension *e;
	size_t i;

	cmark_gfm_core_extensions_ensure_registered();
	p = cmark_parser_new_with_mem(CMARK_OPT_FOOTNOTES | CMARK_OPT_UNSAFE,
	    mem ? mem : cmark_get_default_mem_allocator());
	for (i = 0; exts[i]; i++) {
		if (strcmp(exts[i], "autolink") == 0 &&
		    !may_autolink(source, len))
			continue;
		if ((e = cmark_find_syntax_extension(exts[i])) != NULL)
			cmark_parser_attach_syntax_extension(p, e);
	}
	return p;
}

/* ---- ready for rendering ---- */

/* The last code point of the text at the end of node (descending into
 * emphasis and links), or 0. */
static unsigned
last_char(cmark_node *n)
{
	const char *s;
	size_t len, i, clen;

	while (n && cmark_node_get_type(n) != CMARK_NODE_TEXT &&
	    cmark_node_get_type(n) != CMARK_NODE_CODE)
		n = cmark_node_last_child(n);
	if (n == NULL || (s = cmark_node_get_literal(n)) == NULL ||
	    (len = strlen(s)) == 0)
		return 0;
	i = len - 1;
	while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80)
		i--;
	return wp_utf8_decode(s + i, len - i, &clen);
}

static unsigned
first_char(cmark_node *n)
{
	const char *s;
	size_t clen;

	while (n && cmark_node_get_type(n) != CMARK_NODE_TEXT &&
	    cmark_node_get_type(n) != CMARK_NODE_CODE)
		n = cmark_node_first_child(n);
	if (n == NULL || (s = cmark_node_get_literal(n)) == NULL)
		return 0;
	return wp_utf8_decode(s, strnlen(s, 4), &clen);
}

/* Drops each of the soft line breaks breaks[0..n) that falls between
 * two characters that join across it (wp_cjk_joins): Japanese wrapped in
 * the source is not spaced on the page.  All are decided, then freed. */
static void
join_breaks(cmark_node **breaks, size_t n)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		if (wp_cjk_joins(last_char(cmark_node_previous(breaks[i])),
		    first_char(cmark_node_next(breaks[i]))))
			breaks[k++] = breaks[i];
	for (i = 0; i < k; i++)
		cmark_node_free(breaks[i]);
}

static void
point_images(wp_document *doc)
{
	size_t i;

	for (i = 0; i < doc->nimages; i++)
		cmark_node_set_url(doc->images[i].node, doc->images[i].href);
}

/* The tree made ready to render, given its soft line breaks. */
static void
finish_render(wp_document *doc, cmark_node **breaks, size_t nbreaks)
{
	join_breaks(breaks, nbreaks);
	point_images(doc);
	doc->render_ready = 1;
}

void
wp_document_prepare_render(wp_document *doc)
{
	cmark_iter *it;
	cmark_event_type ev;
	cmark_node *n;
	walker w;

	if (doc->render_ready)
		return;
	/* (every soft line break of the tree, gathered as the walk does) */
	memset(&w, 0, sizeof w);
	it = cmark_iter_new(doc->root);
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		n = cmark_iter_get_node(it);
		if (ev == CMARK_EVENT_ENTER &&
		    cmark_node_get_type(n) == CMARK_NODE_SOFTBREAK)
			keep_break(&w, n);
	}
	cmark_iter_free(it);
	finish_render(doc, w.breaks, w.nbreaks);
	free(w.breaks);
}

/* The images and links of a section's heading. */
static void
scan_heading(walker *w, cmark_node *heading, int line)
{
	cmark_iter *it = cmark_iter_new(heading);
	cmark_event_type ev;
	cmark_node *n;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		if (ev != CMARK_EVENT_ENTER)
			continue;
		n = cmark_iter_get_node(it);
		if (cmark_node_get_type(n) == CMARK_NODE_SOFTBREAK)
			keep_break(w, n);
		else if (cmark_node_get_type(n) == CMARK_NODE_IMAGE)
			resolve_image(w, n, line, line);
		else if (cmark_node_get_type(n) == CMARK_NODE_LINK)
			check_url(w, n, line);
	}
	cmark_iter_free(it);
}

static wp_document *
parse_source(wp_document *doc, const wp_document_options *opt, wp_diags *d)
{
	walker w;
	size_t i;

	memset(&w, 0, sizeof w);
	w.doc = doc;
	w.opt = opt;
	w.d = d;
	w.section = -1;
	doc->lang = xstrdup(opt->lang ? opt->lang : "");
	doc->unsafe_html = opt->unsafe_html;
	index_lines(doc);
	doc->parser = new_parser(opt->mem, doc->source, doc->source_len);
	doc->tree_not_owned = opt->mem != NULL;
	cmark_parser_feed(doc->parser, doc->source, doc->source_len);
	doc->root = cmark_parser_finish(doc->parser);
	walk(&w);
	/* Images and links inside headings belong to no block scan. */
	for (i = 0; i < doc->nsections; i++)
		scan_heading(&w, doc->sections[i].node, doc->sections[i].line);
	free(w.standard);
	unwrap_unsafe(&w);
	remove_doomed(&w);
	assign_anchors(&w);
	if (opt->render)
		finish_render(doc, w.breaks, w.nbreaks);
	free(w.breaks);
	return doc;
}

/* Checks that a file is UTF-8; reports the first bad byte. */
static int
check_utf8(const char *path, const char *text, size_t len, wp_diags *d)
{
	size_t bad = wp_utf8_invalid_at(text, len), i, ls = 0;
	int line = 1;

	if (bad == (size_t)-1)
		return 1;
	for (i = 0; i < bad; i++)
		if (ends_line(text, len, i)) {
			line++;
			ls = i + 1;
		}
	wp_diag_add(d, WP_ERROR, path, line, (int)wp_utf8_count(text + ls,
	    bad - ls) + 1, "invalid-utf8", "the file is not valid UTF-8 "
	    "(byte 0x%02x)", (unsigned char)text[bad]);
	return 0;
}

static void
add_file(wp_document *doc, wp_buf *src, const char *path, const char *text,
    size_t len)
{
	wp_document_file *f;

	doc->files = xrealloc(doc->files, (doc->nfiles + 1) *
	    sizeof *doc->files);
	f = &doc->files[doc->nfiles++];
	memset(f, 0, sizeof *f);
	f->path = xstrdup(path);
	f->offset = src->len;
	f->len = len;           /* its lines are counted by index_lines */
	wp_buf_put(src, text, len);
	/* (After a final \r, this \n makes it one \r\n line end.) */
	if (len && text[len - 1] != '\n')
		wp_buf_putc(src, '\n');
	/* A blank line keeps the last block of one file apart from the
	 * first of the next. */
	wp_buf_putc(src, '\n');
}

static wp_document *
document_new(void)
{
	return xcalloc(1, sizeof(wp_document));
}

wp_document *
wp_document_parse(const char *path, const char *text, size_t len,
    const wp_document_options *opt, wp_diags *d)
{
	wp_document *doc;
	wp_buf src = WP_BUF_INIT;

	if (!check_utf8(path, text, len, d))
		return NULL;
	doc = document_new();
	add_file(doc, &src, path, text, len);
	doc->source_len = src.len;
	doc->source = wp_buf_detach(&src);
	return parse_source(doc, opt, d);
}

static char *
read_from_disk(void *ctx, const char *path, size_t *len)
{
	(void)ctx;
	return wp_read_file(path, len);
}

wp_document *
wp_document_load(char *const *files, const wp_document_options *opt,
    wp_diags *d)
{
	return wp_document_read(files, read_from_disk, NULL, opt, d);
}

wp_document *
wp_document_read(char *const *files, wp_read_fn read, void *ctx,
    const wp_document_options *opt, wp_diags *d)
{
	wp_document *doc = document_new();
	wp_buf src = WP_BUF_INIT;
	size_t i, n, total = 0, *lens;
	char **texts;
	int ok = 1;

	/* The files read first, so that the source they are joined into
	 * is allocated once, at its size (not copied as it doubles). */
	for (n = 0; files[n]; n++)
		;
	texts = xcalloc(n + 1, sizeof *texts);
	lens = xcalloc(n + 1, sizeof *lens);
	for (i = 0; i < n; i++) {
		errno = 0;
		if ((texts[i] = read(ctx, files[i], &lens[i])) == NULL) {
			int e = errno;
			wp_diag_add(d, WP_ERROR, files[i], 0, 0,
			    e ? wp_read_error_code(e) : "io-error",
			    "cannot read the Markdown file%s%s", e ? ": " : "",
			    e ? wp_read_error(e) : "");
			ok = 0;
			continue;
		}
		if (!check_utf8(files[i], texts[i], lens[i], d)) {
			free(texts[i]);
			texts[i] = NULL;
			ok = 0;
			continue;
		}
		total += lens[i] + 2;   /* (add_file's line ends) */
	}
	wp_buf_grow(&src, total);
	for (i = 0; i < n; i++) {
		if (texts[i] != NULL)
			add_file(doc, &src, files[i], texts[i], lens[i]);
		free(texts[i]);
	}
	free(texts);
	free(lens);
	doc->source_len = src.len;
	doc->source = wp_buf_detach(&src);
	if (!ok || doc->nfiles == 0) {
		if (doc->nfiles == 0 && ok)
			wp_diag_add(d, WP_ERROR, "", 0, 0, "io-error",
			    "an edition without Markdown files");
		wp_document_free(doc);
		return NULL;
	}
	return parse_source(doc, opt, d);
}

void
wp_document_free(wp_document *doc)
{
	size_t i;

	if (doc == NULL)
		return;
	if (doc->view) {
		/* Everything but these arrays belongs to the documents the
		 * view points into. */
		free(doc->sections);
		free(doc->images);
		free(doc->notes);
		free(doc);
		return;
	}
	for (i = 0; i < doc->nsections; i++) {
		free(doc->sections[i].number);
		free(doc->sections[i].title);
		free(doc->sections[i].anchor);
		free(doc->sections[i].key);
		free(doc->sections[i].controls);
	}
	for (i = 0; i < doc->nimages; i++) {
		free(doc->images[i].path);
		free(doc->images[i].href);
	}
	for (i = 0; i < doc->nfiles; i++)
		free(doc->files[i].path);
	free(doc->images);
	free(doc->notes);
	free(doc->sections);
	free(doc->files);
	free(doc->line_starts);
	free(doc->source);
	free(doc->lang);
	if (doc->root && !doc->tree_not_owned)
		cmark_node_free(doc->root);
	if (doc->parser && !doc->tree_not_owned)
		cmark_parser_free(doc->parser);
	free(doc);
}

const char *
wp_section_source(const wp_document *doc, size_t i, size_t *len)
{
	const wp_section *s = &doc->sections[i];
	size_t start = doc->line_starts[s->line];
	size_t end = s->end_line < doc->nlines ?
	    doc->line_starts[s->end_line + 1] : doc->source_len;

	*len = end - start;
	return doc->source + start;
}

cmark_node *
wp_document_footnote(const wp_document *doc, cmark_node *ref)
{
	const char *lit = cmark_node_get_literal(ref);
	long want = lit ? strtol(lit, NULL, 10) : 0;

	return want > 0 && (size_t)want <= doc->nnotes ? doc->notes[want - 1] :
	    NULL;
}

long
wp_document_find_key(const wp_document *doc, const char *key)
{
	size_t i;

	for (i = 0; i < doc->nsections; i++)
		if (strcmp(doc->sections[i].key, key) == 0)
			return (long)i;
	return -1;
}
