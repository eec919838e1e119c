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
	return wp_utf8_decode(s, strlen(s), &clen);
}

void
wp_html_join_cjk_lines(wp_document *doc)
{
	cmark_iter *it = cmark_iter_new(doc->root);
	cmark_event_type ev;
	cmark_node *n, **doomed = NULL;
	size_t ndoomed = 0, i;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		n = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER ||
		    cmark_node_get_type(n) != CMARK_NODE_SOFTBREAK)
			continue;
		if (wp_cjk_joins(last_char(cmark_node_previous(n)),
		    first_char(cmark_node_next(n)))) {
			doomed = xrealloc(doomed, (ndoomed + 1) *
			    sizeof *doomed);
			doomed[ndoomed++] = n;
		}
	}
	cmark_iter_free(it);
	for (i = 0; i < ndoomed; i++)
		cmark_node_free(doomed[i]);
	free(doomed);
}

static void
point_images(wp_document *doc)
{
	size_t i;

	for (i = 0; i < doc->nimages; i++)
		cmark_node_set_url(doc->images[i].node, doc->images[i].href);
}

static cmark_node *
raw_block(const char *html)
{
	cmark_node *n = cmark_node_new(CMARK_NODE_HTML_BLOCK);

	cmark_node_set_literal(n, html);
	return n;
}

/* Where the own text of section i ends: before the next heading of any
 * level, else before the footnote definitions at the end. */
static cmark_node *
own_text_end(wp_document *doc, size_t i)
{
	cmark_node *n;

	if (i + 1 < doc->nsections)
		return doc->sections[i + 1].node;
	for (n = cmark_node_first_child(doc->root); n; n = cmark_node_next(n))
		if (cmark_node_get_type(n) == CMARK_NODE_FOOTNOTE_DEFINITION)
			return n;
	return NULL;
}

static int
replace_headings(wp_document *doc, const wp_html_hooks *hooks)
{
	wp_buf b = WP_BUF_INIT;
	cmark_node *end, *block;
	size_t i;
	int rc = 0;

	/* Close wrappers first, while the section nodes still stand. */
	for (i = 0; hooks->close && i < doc->nsections; i++) {
		wp_buf_clear(&b);
		hooks->close(hooks->data, doc, i, &b);
		if (b.len == 0)
			continue;
		end = own_text_end(doc, i);
		block = raw_block(b.data);
		if (end)
			cmark_node_insert_before(end, block);
		else
			cmark_node_append_child(doc->root, block);
	}
	for (i = 0; i < doc->nsections; i++) {
		wp_buf_clear(&b);
		if (hooks->open)
			hooks->open(hooks->data, doc, i, &b);
		if (hooks->heading(hooks->data, doc, i, &b) != 0)
			rc = -1;
		block = raw_block(b.data ? b.data : "");
		cmark_node_replace(doc->sections[i].node, block);
		cmark_node_free(doc->sections[i].node);
		doc->sections[i].node = block;
	}
	wp_buf_free(&b);
	return rc;
}

int
wp_html_render_body(wp_document *doc, const wp_html_hooks *hooks,
    wp_buf *out)
{
	char *html;
	int rc;

	wp_html_join_cjk_lines(doc);
	point_images(doc);
	rc = replace_headings(doc, hooks);
	html = cmark_render_html(doc->root, CMARK_OPT_UNSAFE |
	    CMARK_OPT_FOOTNOTES, cmark_parser_get_syntax_extensions(
	    doc->parser));
	wp_buf_puts(out, html);
	free(html);
	return rc;
}
