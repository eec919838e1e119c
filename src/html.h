/*
 * html.h: the body of an edition as HTML.
 *
 * Works on the tree that document.c left: soft line breaks between CJK
 * characters are removed (as goldmark's East Asian line-break option
 * does), images point at their copies in the output, every heading is
 * replaced by HTML that the caller renders (the style's heading template),
 * and sections can be wrapped (for translation notices).  cmark-gfm then
 * renders the tree in one pass, footnotes included.
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
} wp_html_hooks;

/* Removes soft breaks between two CJK characters or next to CJK
 * punctuation (wp_cjk_joins). */
void wp_html_join_cjk_lines(wp_document *doc);

/* Renders doc's body into out.  Changes doc's tree (headings become raw
 * HTML), so it is called once per document.  0, or -1 when a hook
 * failed. */
int wp_html_render_body(wp_document *doc, const wp_html_hooks *hooks,
    struct wp_buf *out);

#endif
