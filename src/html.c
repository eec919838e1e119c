/*
 * html.c: rendering an edition's body (html.h).
 */
#include <stdlib.h>
#include <string.h>

#include <cmark-gfm.h>
#include <cmark-gfm-extension_api.h>

#include "buf.h"
#include "html.h"
#include "markmem.h"
#include "phrase.h"
#include "util.h"

/* Appends HTML as cmark-gfm puts a raw HTML block: on lines of its own. */
static void
put_raw_block(wp_buf *out, const char *html, size_t len)
{
	if (out->len && out->data[out->len - 1] != '\n')
		wp_buf_putc(out, '\n');
	wp_buf_put(out, html, len);
	if (out->len && out->data[out->len - 1] != '\n')
		wp_buf_putc(out, '\n');
}

/* A table short enough to keep on one page in print: the print sheet
 * keeps it whole (WeasyPrint 57 honours no break-before/after between
 * table rows once rows avoid breaks inside); a longer one keeps its first
 * and last rows together (put_print_table). */
enum { SHORT_TABLE_ROWS = 12 };

/* The body rows of a table (all but its header row). */
static int
table_rows(cmark_node *table)
{
	cmark_node *row;
	int rows = 0;

	for (row = cmark_node_first_child(table); row;
	    row = cmark_node_next(row))
		rows++;
	return rows - 1;
}

/* The first and the last rows of a long table that print keeps
 * together (html.h). */
enum { KEPT_ROWS = 2 };

/* The end of the tag that starts at p ('<'), quoted values skipped: the
 * character after its '>', or the end of the text. */
static const char *
tag_end(const char *p)
{
	char q;

	for (p++; *p && *p != '>'; p++)
		if (*p == '"' || *p == '\'') {
			q = *p;
			while (p[1] && p[1] != q)
				p++;
			if (p[1])
				p++;
		}
	return *p ? p + 1 : p;
}

/* Whether the tag at p opens (close 0) or closes (1) an element named
 * name: "<td>", "<td align=...>", "</td>". */
static int
is_tag(const char *p, const char *name, int close)
{
	size_t n = strlen(name);

	p += 1 + (close != 0);
	if (close && p[-1] != '/')
		return 0;
	return strncmp(p, name, n) == 0 && (p[n] == '>' || p[n] == ' ');
}

/* The text s[0..n) of a table cell, in print: each short phrase with
 * Japanese in it (wp_phrase_keeps) as <span class="wp-ph">, which the print sheet
 * sets as an inline block, so that a narrow column breaks between
 * phrases ("ネットワーク|基盤", not "ネットワーク基|盤": WeasyPrint 57
 * has no word-break: keep-all) and widens to its longest phrase rather
 * than split it.  Long phrases (a URL, a long compound) stay text that
 * may break anywhere, so that no column is forced wider than the page.
 * Phrase boundaries fall only where the script changes, never inside an
 * entity (&amp;: all Latin). */
static void
put_phrased_text(wp_buf *out, const char *s, size_t n)
{
	size_t count, i, start = 0, end;
	size_t *br = wp_phrase_breaks(s, n, &count);

	for (i = 0; i <= count; i++) {
		end = i < count ? br[i] : n;
		if (wp_phrase_keeps(s + start, end - start)) {
			wp_buf_puts(out, "<span class=\"wp-ph\">");
			wp_buf_put(out, s + start, end - start);
			wp_buf_puts(out, "</span>");
		} else {
			wp_buf_put(out, s + start, end - start);
		}
		start = end;
	}
	free(br);
}

/*
 * A table as print wants it (html.h): the text of its cells in phrases
 * (put_phrased_text), and when it has more than rows_kept * 2 body rows
 * and is not kept whole, its first and last KEPT_ROWS rows each in a row
 * group of their own, which the print sheet keeps unbroken: a page
 * never begins or ends the table with a lone row (WeasyPrint 57 keeps
 * rows together only that way).  html is cmark-gfm's table: <tbody>,
 * then rows "<tr>...</tr>" each ending a line.
 */
static void
put_print_table(wp_buf *out, const char *html, int body_rows, int split)
{
	const char *p = html, *e;
	int cell = 0, row = 0, body = 0;

	split = split && body_rows > 2 * KEPT_ROWS;
	while (*p) {
		if (*p != '<') {
			e = strchr(p, '<');
			if (e == NULL)
				e = p + strlen(p);
			if (cell > 0)
				put_phrased_text(out, p, (size_t)(e - p));
			else
				wp_buf_put(out, p, (size_t)(e - p));
			p = e;
			continue;
		}
		e = tag_end(p);
		if (is_tag(p, "td", 0) || is_tag(p, "th", 0))
			cell++;
		else if ((is_tag(p, "td", 1) || is_tag(p, "th", 1)) && cell)
			cell--;
		if (split && is_tag(p, "tbody", 0)) {
			body = 1;
			wp_buf_puts(out, "<tbody class=\"wp-rows-kept\">");
			p = e;
			continue;
		}
		if (body && is_tag(p, "tr", 0)) {
			row++;
			if (row == KEPT_ROWS + 1)
				wp_buf_puts(out, "</tbody>\n<tbody>\n");
			else if (row == body_rows - KEPT_ROWS + 1)
				wp_buf_puts(out, "</tbody>\n"
				    "<tbody class=\"wp-rows-kept\">\n");
		}
		wp_buf_put(out, p, (size_t)(e - p));
		p = e;
	}
}

/* cmark-gfm's HTML of a node, in the memory of one rendering, whatever
 * memory the tree is in: dropped with wp_markmem_scratch_reset(), never
 * freed (markmem.h). */
static char *
render_html(cmark_node *n, cmark_llist *exts)
{
	return cmark_render_html_with_mem(n, CMARK_OPT_UNSAFE |
	    CMARK_OPT_FOOTNOTES, exts, wp_markmem_scratch());
}

/* Text as cmark-gfm escapes it in HTML: &, <, > and " (not ' and /). */
static void
put_escaped(wp_buf *out, const char *s)
{
	size_t n;

	for (;;) {
		n = strcspn(s, "&<>\"");
		wp_buf_put(out, s, n);
		s += n;
		switch (*s) {
		case '&': wp_buf_put(out, "&amp;", 5); break;
		case '<': wp_buf_put(out, "&lt;", 4); break;
		case '>': wp_buf_put(out, "&gt;", 4); break;
		case '"': wp_buf_put(out, "&quot;", 6); break;
		default: return;
		}
		s++;
	}
}

/* A paragraph of text and soft line breaks only, put as cmark-gfm puts
 * it (its text escaped, each break a line end), without a renderer for
 * each: most of a whitepaper.  0 for any other block (type t), out as it
 * was: a child of another kind takes back what was put. */
static int
put_plain_paragraph(wp_buf *out, cmark_node *n, cmark_node_type t)
{
	size_t start = out->len;
	cmark_node *c;
	const char *lit;

	if (t != CMARK_NODE_PARAGRAPH)
		return 0;
	wp_buf_put(out, "<p>", 3);
	for (c = cmark_node_first_child(n); c; c = cmark_node_next(c)) {
		t = cmark_node_get_type(c);
		if (t == CMARK_NODE_SOFTBREAK) {
			wp_buf_putc(out, '\n');
		} else if (t != CMARK_NODE_TEXT) {
			out->len = start;
			out->data[start] = '\0';
			return 0;
		} else if ((lit = cmark_node_get_literal(c)) != NULL) {
			put_escaped(out, lit);
		}
	}
	wp_buf_put(out, "</p>\n", 5);
	return 1;
}

/* A block (of type t); a table in a box of its own that scrolls sideways
 * when the table is wider than the page (a phone), so that the page does
 * not; a short table's box says so (wp-table-short) for print, where its
 * cells and rows are put as put_print_table says. */
static void
put_node(wp_buf *out, cmark_node *n, cmark_node_type t, cmark_llist *exts,
    int print)
{
	char *html;
	int table, rows;

	if (put_plain_paragraph(out, n, t))
		return;
	html = render_html(n, exts);
	table = strcmp(cmark_node_get_type_string(n), "table") == 0;
	rows = table ? table_rows(n) : 0;

	if (table)
		wp_buf_printf(out, "<div class=\"wp-table-scroll%s\" "
		    "tabindex=\"0\">\n", rows <= SHORT_TABLE_ROWS ?
		    " wp-table-short" : "");
	if (table && print)
		put_print_table(out, html, rows, rows > SHORT_TABLE_ROWS);
	else
		wp_buf_puts(out, html);
	if (table)
		wp_buf_puts(out, "</div>\n");
	wp_markmem_scratch_reset();
}

/* Top-level blocks before the first section. */
static void
put_preamble(const wp_document *doc, cmark_llist *exts, int print,
    wp_buf *out)
{
	cmark_node *n;
	cmark_node_type t;

	for (n = cmark_node_first_child(doc->root); n; n = cmark_node_next(n)) {
		t = cmark_node_get_type(n);
		if (t == CMARK_NODE_HEADING ||
		    t == CMARK_NODE_FOOTNOTE_DEFINITION)
			break;
		put_node(out, n, t, exts, print);
	}
}

/* The own text of a section after its heading: the top-level blocks up
 * to the next heading of any level or the footnote definitions, in
 * whichever document the section comes from. */
static void
put_own_text(const wp_section *s, cmark_llist *exts, int print,
    wp_buf *out)
{
	cmark_node *n;
	cmark_node_type t;

	for (n = cmark_node_next(s->node); n; n = cmark_node_next(n)) {
		t = cmark_node_get_type(n);
		if (t == CMARK_NODE_HEADING ||
		    t == CMARK_NODE_FOOTNOTE_DEFINITION)
			break;
		put_node(out, n, t, exts, print);
	}
}

/*
 * The footnote definitions, one list.  cmark-gfm renders each definition
 * alone inside the list's opening and closing tags; those are taken off
 * and put once around them all, as when it renders a whole document.
 */
static void
put_footnotes(const wp_document *doc, cmark_llist *exts, wp_buf *out)
{
	static const char open[] = "<section class=\"footnotes\" "
	    "data-footnotes>\n<ol>\n", close[] = "</ol>\n</section>\n";
	size_t i, len;
	char *html;

	if (doc->nnotes == 0)
		return;
	if (out->len && out->data[out->len - 1] != '\n')
		wp_buf_putc(out, '\n');
	wp_buf_puts(out, open);
	for (i = 0; i < doc->nnotes; i++) {
		html = render_html(doc->notes[i], exts);
		len = strlen(html);
		if (len >= sizeof open - 1 + sizeof close - 1 &&
		    memcmp(html, open, sizeof open - 1) == 0 &&
		    memcmp(html + len - (sizeof close - 1), close,
		    sizeof close - 1) == 0)
			wp_buf_put(out, html + sizeof open - 1, len -
			    (sizeof open - 1) - (sizeof close - 1));
		else
			wp_buf_puts(out, html);
		wp_markmem_scratch_reset();
	}
	wp_buf_puts(out, close);
}

int
wp_html_render_body(const wp_document *doc, const wp_html_hooks *hooks,
    wp_buf *out)
{
	cmark_llist *exts = cmark_parser_get_syntax_extensions(doc->parser);
	wp_buf b = WP_BUF_INIT;
	size_t i;
	int rc = 0;

	put_preamble(doc, exts, hooks->print, out);
	for (i = 0; i < doc->nsections; i++) {
		wp_buf_clear(&b);
		if (hooks->open)
			hooks->open(hooks->data, doc, i, &b);
		if (hooks->heading(hooks->data, doc, i, &b) != 0)
			rc = -1;
		put_raw_block(out, b.data ? b.data : "", b.len);
		put_own_text(&doc->sections[i], exts, hooks->print, out);
		if (hooks->close) {
			wp_buf_clear(&b);
			hooks->close(hooks->data, doc, i, &b);
			if (b.len)
				put_raw_block(out, b.data, b.len);
		}
	}
	put_footnotes(doc, exts, out);
	wp_buf_free(&b);
	return rc;
}

/* The attribute cmark-gfm gives a footnote's link back. */
static const char back_en[] = "aria-label=\"Back to content\"";

/* strstr(s, back_en): found by its end, "Back to content\"", whose first
 * two letters are rare in a page (strstr compares its candidates by
 * their first two: "ar" is in most English words), then its start. */
static const char *
find_back_en(const char *s)
{
	static const size_t head = sizeof "aria-label=\"" - 1;
	const char *from = s, *hit;

	for (; (hit = strstr(from, back_en + head)) != NULL; from = hit + 1)
		if ((size_t)(hit - s) >= head &&
		    memcmp(hit - head, back_en, head) == 0)
			return hit - head;
	return NULL;
}

char *
wp_html_localize_footnotes(wp_buf *body, const char *back)
{
	const char *p, *hit;
	char *tail;

	if (back == NULL || *back == '\0' ||
	    (hit = find_back_en(wp_buf_cstr(body))) == NULL)
		return wp_buf_detach(body);
	/* The body stays as it is up to the first; the rest (the
	 * footnotes, at its end) is put again. */
	tail = xstrdup(hit);
	body->len = (size_t)(hit - body->data);
	for (p = tail; (hit = find_back_en(p)) != NULL;
	    p = hit + sizeof back_en - 1) {
		wp_buf_put(body, p, (size_t)(hit - p));
		wp_buf_puts(body, "aria-label=\"");
		wp_buf_put_html(body, back, strlen(back));
		wp_buf_putc(body, '"');
	}
	wp_buf_puts(body, p);
	free(tail);
	return wp_buf_detach(body);
}
