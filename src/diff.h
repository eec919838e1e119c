/*
 * diff.h: what changed between two revisions of an edition.
 *
 * Sections are paired by key (control, else number, else anchor) and by
 * content, as git pairs renamed files: the same key and text, the same
 * text under another key (renumbered), the same control or key with a
 * similar text, any similar text (renumbered and edited), and last the
 * same key.  A pair is unchanged, changed, or moved (it left the order of
 * the others: found with a longest increasing subsequence); the others
 * are added or removed.  A pair under another key is renumbered; an
 * unchanged one so is only renumbered, counted apart (not moved).
 * Inside a section the text is compared token by token (textdiff.h),
 * with paragraphs, list items, table cells and footnotes as structure, and
 * its controls as a set.
 */
#ifndef WP_DIFF_H
#define WP_DIFF_H

#include <stddef.h>

#include "document.h"
#include "textdiff.h"

struct wp_buf;
struct wp_site;
struct wp_style;

typedef enum wp_diff_status {
	WP_DIFF_UNCHANGED,
	WP_DIFF_CHANGED,
	WP_DIFF_ADDED,
	WP_DIFF_REMOVED,
	WP_DIFF_MOVED
} wp_diff_status;

typedef struct wp_diff_section {
	wp_diff_status status;
	long old_index, new_index;     /* -1 where absent */
	size_t inserted, deleted;      /* code points */
	int controls_changed;
	int renumbered;                /* paired under another key; with
	                                  status unchanged: only renumbered
	                                  (wp_diff_only_renumbered) */
	int out_of_order;              /* left the order of the others */
	/* Kept for the redline: */
	wp_tokens old_body, new_body, old_title, new_title;
	wp_edit *body_edits, *title_edits;
	size_t nbody_edits, ntitle_edits;
} wp_diff_section;

typedef struct wp_diff {
	wp_document *old, *new;        /* not owned */
	wp_diff_section *sections;     /* new order; removed ones after
	                                  their old predecessor */
	size_t len;
	size_t changed, added, removed, moved;
	size_t renumbered;             /* only renumbered (in order, text and
	                                  controls the same): unchanged */
} wp_diff;

wp_diff *wp_diff_new(wp_document *old_doc, wp_document *new_doc);
void wp_diff_free(wp_diff *d);
const char *wp_diff_status_name(wp_diff_status s);
/* Changes: sections not unchanged, and those only renumbered. */
size_t wp_diff_changes(const wp_diff *d);
/* A section only renumbered: unchanged, in order, under another number
 * (an insertion or removal before it, or a chapter renumbered). */
int wp_diff_only_renumbered(const wp_diff_section *s);

void wp_diff_write_json(const wp_diff *d, const char *old_name,
    const char *new_name, struct wp_buf *out);
/* One line a change, the totals, then the revision note; nothing at all
 * when there is no change. */
void wp_diff_write_text(const wp_diff *d, const struct wp_value *labels,
    struct wp_buf *out);
/* The revision note alone, worded by the labels of the new document's
 * language (diff_*_note_pattern over list, joined by diff_note_separator;
 * lists by list_separator and list_and; runs of renumbered sections by
 * diff_range_pattern; sections without a number by diff_title_pattern):
 * "3.3 を追加。3.4〜3.6 の番号を変更" / "3.3 added; 3.4–3.6 renumbered".
 * labels may be NULL (English-like fallbacks). */
void wp_diff_revision_note(const wp_diff *d,
    const struct wp_value *labels,
    struct wp_buf *out);
/* How a section is named in notes and summaries: its control label or
 * number, else its title. */
const char *wp_diff_section_name(const wp_section *s);

/* Section i of old (NULL: none) against section j of new, title first,
 * as text with [-deleted-] and {+inserted+} words (as git diff
 * --word-diff=plain), a line a paragraph or item, cells apart by " | ". */
void wp_diff_section_words(wp_document *old, size_t i, wp_document *new,
    size_t j, struct wp_buf *out);

/* Tokenizes the old text of a removed section (for the redline). */
void wp_diff_section_tokens(wp_diff *d, wp_diff_section *s);

/* What the redline says besides the diff, and where it goes. */
typedef struct wp_redline_info {
	struct wp_site *site;          /* templates and labels */
	const struct wp_style *style;  /* NULL: base */
	const char *service_title, *provider;     /* or NULL */
	/* The service's `standards` (names of catalogs, as its pages show
	 * them) and its first catalog's id, or NULL (then the site's
	 * first catalog is the primary one, as on the pages). */
	const struct wp_value *standards;
	const char *primary_catalog;
	/* The service's labels: (language -> label -> text), or NULL. */
	const struct wp_value *labels;
	/* Each version: its number (NULL: say name), its label in the
	 * language (or NULL), its date (ISO, or NULL). */
	const char *old_version, *old_label, *old_date, *old_name;
	const char *new_version, *new_label, *new_date, *new_name;
	const char *root;       /* the site's root from the page ("../../")
	                           for assets/; NULL with css */
	const char *css;        /* style sheets to inline, or NULL */
	const char *edition_href;  /* the full edition, or NULL */
	const char *pdf_href;      /* the redline's PDF, or NULL */
	const char *copyright;     /* the footer line of print, or NULL */
	int print;              /* the page is the print variant, for
	                           WeasyPrint (pdf.h): css is then
	                           wp_redline_print_css's */
	struct wp_buf *print_out;  /* or NULL: the print variant too, with
	                           print_css inlined, rendered from the
	                           same marked-up body */
	const char *print_css;
	int context;            /* unchanged sections farther than this from
	                           a change show their heading only; -1: all */
} wp_redline_info;

/* The HTML redline (redline.c) through the templates redline,
 * redline_heading and redline_parts of the style: the whole new document
 * with <ins> and <del> in changed sections, a summary at the top.  Changes
 * d's documents (their trees are rendered).  0, or -1 with diagnostics. */
int wp_diff_write_html(wp_diff *d, const wp_redline_info *info,
    struct wp_buf *out, wp_diags *diags);
/* The style sheets a redline written as one file inlines: wpgen.css,
 * redline.css and those of the style and its parents (malloc'd). */
char *wp_redline_css(const struct wp_site *site,
    const struct wp_style *style);
/* Those the print variant inlines instead: print.css, redline-print.css
 * and the print sheets (*-print.css) of the style and its parents. */
char *wp_redline_print_css(const struct wp_site *site,
    const struct wp_style *style);

#endif
