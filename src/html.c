/*
 * html.c: rendering an edition's body (html.h).
 */
#include <stdlib.h>
#include <string.h>

#include <cmark-gfm.h>
#include <cmark-gfm-extension_api.h>

#include "buf.h"
#include "html.h"
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
 * table rows once rows avoid breaks inside, so a longer table may still
 * leave a lone row at a page foot). */
enum { SHORT_TABLE_ROWS = 12 };

static int
is_short_table(cmark_node *table)
{
	cmark_node *row;
	int rows = 0;

	for (row = cmark_node_first_child(table); row;
	    row = cmark_node_next(row))
		rows++;
	return rows - 1 <= SHORT_TABLE_ROWS;
}

/* A block; a table in a box of its own that scrolls sideways when the
 * table is wider than the page (a phone), so that the page does not;
 * a short table's box says so (wp-table-short) for print. */
static void
put_node(wp_buf *out, cmark_node *n, cmark_llist *exts)
{
	char *html = cmark_render_html(n, CMARK_OPT_UNSAFE |
	    CMARK_OPT_FOOTNOTES, exts);
	int table = strcmp(cmark_node_get_type_string(n), "table") == 0;

	if (table)
		wp_buf_printf(out, "<div class=\"wp-table-scroll%s\" "
		    "tabindex=\"0\">\n", is_short_table(n) ?
		    " wp-table-short" : "");
	wp_buf_puts(out, html);
	if (table)
		wp_buf_puts(out, "</div>\n");
	free(html);
}

/* Top-level blocks before the first section. */
static void
put_preamble(const wp_document *doc, cmark_llist *exts, wp_buf *out)
{
	cmark_node *n;
	int t;

	for (n = cmark_node_first_child(doc->root); n; n = cmark_node_next(n)) {
		t = cmark_node_get_type(n);
		if (t == CMARK_NODE_HEADING ||
		    t == CMARK_NODE_FOOTNOTE_DEFINITION)
			break;
		put_node(out, n, exts);
	}
}

/* The own text of a section after its heading: the top-level blocks up
 * to the next heading of any level or the footnote definitions, in
 * whichever document the section comes from. */
static void
put_own_text(const wp_section *s, cmark_llist *exts, wp_buf *out)
{
	cmark_node *n;
	int t;

	for (n = cmark_node_next(s->node); n; n = cmark_node_next(n)) {
		t = cmark_node_get_type(n);
		if (t == CMARK_NODE_HEADING ||
		    t == CMARK_NODE_FOOTNOTE_DEFINITION)
			break;
		put_node(out, n, exts);
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
		html = cmark_render_html(doc->notes[i], CMARK_OPT_UNSAFE |
		    CMARK_OPT_FOOTNOTES, exts);
		len = strlen(html);
		if (len >= sizeof open - 1 + sizeof close - 1 &&
		    memcmp(html, open, sizeof open - 1) == 0 &&
		    memcmp(html + len - (sizeof close - 1), close,
		    sizeof close - 1) == 0)
			wp_buf_put(out, html + sizeof open - 1, len -
			    (sizeof open - 1) - (sizeof close - 1));
		else
			wp_buf_puts(out, html);
		free(html);
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

	put_preamble(doc, exts, out);
	for (i = 0; i < doc->nsections; i++) {
		wp_buf_clear(&b);
		if (hooks->open)
			hooks->open(hooks->data, doc, i, &b);
		if (hooks->heading(hooks->data, doc, i, &b) != 0)
			rc = -1;
		put_raw_block(out, b.data ? b.data : "", b.len);
		put_own_text(&doc->sections[i], exts, out);
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

char *
wp_html_localize_footnotes(wp_buf *body, const char *back)
{
	static const char en[] = "aria-label=\"Back to content\"";
	const char *p, *hit;
	wp_buf out = WP_BUF_INIT;

	if (back == NULL || *back == '\0' ||
	    strstr(wp_buf_cstr(body), en) == NULL)
		return wp_buf_detach(body);
	for (p = body->data; (hit = strstr(p, en)) != NULL; p = hit +
	    sizeof en - 1) {
		wp_buf_put(&out, p, (size_t)(hit - p));
		wp_buf_puts(&out, "aria-label=\"");
		wp_buf_put_html(&out, back, strlen(back));
		wp_buf_putc(&out, '"');
	}
	wp_buf_puts(&out, p);
	wp_buf_free(body);
	return wp_buf_detach(&out);
}
