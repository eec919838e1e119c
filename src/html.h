/*
 * html.h: the body of an edition as HTML.
 *
 * Reads the tree that document.c left, without changing it: cmark-gfm
 * renders each top-level block; every heading is HTML that the caller
 * renders (the style's heading template), and sections can be wrapped
 * (for translation notices).  A published edition's sections may come
 * from two documents (translate.c); each section's blocks are read from
 * its own tree.
 */
#ifndef WP_HTML_H
#define WP_HTML_H

#include "document.h"

struct wp_buf;

typedef struct wp_html_hooks {
	/* Appends the HTML of section i's heading; 0 or -1 on failure. */
	int (*heading)(void *data, const wp_document *doc, size_t i,
	    struct wp_buf *out);
	/* Optional: HTML before and after the own text of section i (its
	 * heading and the text up to the next heading of any level).  May
	 * append nothing. */
	void (*open)(void *data, const wp_document *doc, size_t i,
	    struct wp_buf *out);
	void (*close)(void *data, const wp_document *doc, size_t i,
	    struct wp_buf *out);
	void *data;
	/* The print variant (for WeasyPrint): the text of table cells in
	 * phrases (<span class="wp-ph">) and the first and last two rows of
	 * a long table in row groups of their own (tbody.wp-rows-kept),
	 * which the print sheet keeps unbroken. */
	int print;
} wp_html_hooks;

/* Renders doc's body into out: the blocks before the first section,
 * then each section (open, heading, its own blocks, close) from the tree
 * it comes from, then the footnotes.  The tree is not changed; it must
 * be ready (wp_document_prepare_render).  0, or -1 when a hook failed. */
int wp_html_render_body(const wp_document *doc, const wp_html_hooks *hooks,
    struct wp_buf *out);

/* cmark-gfm labels footnote back-links in English: says it with back
 * (the label footnote_back) instead.  Takes body over; returns the text,
 * malloc'd. */
char *wp_html_localize_footnotes(struct wp_buf *body, const char *back);

#endif
