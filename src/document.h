/*
 * document.h: an edition's Markdown as a document model.
 *
 * The edition's files are concatenated (byte order of file name) and
 * parsed once by cmark-gfm with the table, strikethrough and autolink
 * extensions and footnotes.  Walking that tree, this stage finds the
 * sections (every top-level heading), their numbers and anchors, the
 * control statements (marker paragraphs and marker headings) resolved
 * against the catalogs, and the images; it reports misplaced or unknown
 * markers.  Marker paragraphs are taken out of the tree; raw HTML is
 * taken out too unless the service allows it.  Rendering (html.c) works
 * from the tree and sections this stage leaves.
 */
#ifndef WP_DOCUMENT_H
#define WP_DOCUMENT_H

#include <stddef.h>

#include "catalog.h"
#include "diag.h"

struct cmark_mem;
struct cmark_node;
struct cmark_parser;
struct wp_value;

/* A control that a section addresses. */
typedef struct wp_control_ref {
	const wp_catalog *catalog;
	size_t control;            /* index in catalog->controls */
	int line, column;          /* where the marker names it (global) */
} wp_control_ref;

typedef struct wp_section {
	int level;                 /* Markdown heading level, 1..6 */
	char *number;              /* "5.3.3"; NULL when unnumbered */
	char *title;               /* text after the number; for a marker
	                              heading, the control's title */
	char *anchor;              /* sec-5.3.3, ctl-9.2.1 or a slug */
	char *key;                 /* control label, else number, else anchor */
	int control_heading;       /* 1 for a marker heading: controls[0] */
	int title_fallback;        /* the title is not in the edition's lang */
	wp_control_ref *controls;  /* marker heading first, then paragraphs */
	size_t ncontrols;
	int parent;                /* enclosing section, -1 at top */
	int line, column;          /* heading position (global line) */
	int end_line;              /* last line of its own text, before the
	                              next heading (global) */
	struct cmark_node *node;   /* the heading in the tree */
	/* Set by translations (translate.c) in a target edition: */
	const char *from_lang;     /* shown from this language (untranslated) */
	int stale;                 /* the source changed since translated */
} wp_section;

/* An image of the body whose file was found. */
typedef struct wp_image {
	struct cmark_node *node;
	char *path;                /* file to copy: content/svc/assets/x.svg */
	char *href;                /* in the output: assets/x.svg */
} wp_image;

typedef struct wp_document_options {
	const wp_catalogs *catalogs;
	const char *const *allowed;        /* catalog ids; NULL for all */
	const struct wp_value *standards;  /* service.yaml's, or NULL */
	const char *lang;                  /* edition language */
	int unsafe_html;
	int render;                        /* ready the tree for html.c:
	                                      wp_document_prepare_render() */
	const char *service_dir;           /* images: content/<svc>; NULL
	                                      to resolve next to files only */
	int images_optional;               /* an image not found is left as
	                                      it is (a past revision read
	                                      from git) */
	/* Images found elsewhere than in the file system (a past revision
	 * read from git): whether name, named as the Markdown files and
	 * service_dir are ("v2.1:content/svc/assets/x.svg"), is a file
	 * that may be read there.  NULL: the file system. */
	int (*image_is_file)(void *ctx, const char *name);
	void *image_ctx;
	/* The memory of the tree and its parser (markmem.h): its owner
	 * frees them with the rest of it, after wp_document_free().  NULL:
	 * cmark-gfm's own, freed by wp_document_free(). */
	struct cmark_mem *mem;
} wp_document_options;

typedef struct wp_document_file {
	char *path;
	int first_line;            /* global line of its line 1 */
	int nlines;
	size_t offset, len;        /* its text in the document's source */
} wp_document_file;

typedef struct wp_document {
	char *lang;
	char *source;              /* the concatenated Markdown */
	size_t source_len;
	size_t *line_starts;       /* byte offset of each global line (1-based
	                              index; [0] unused) */
	int nlines;
	wp_document_file *files;
	size_t nfiles;
	struct cmark_parser *parser;
	struct cmark_node *root;
	int tree_not_owned;        /* parser and tree are in memory that
	                              its owner frees (options.mem) */
	wp_section *sections;
	size_t nsections;
	wp_image *images;
	size_t nimages;
	struct cmark_node **notes; /* footnote definitions, in their order */
	size_t nnotes;
	int unsafe_html;
	int render_ready;          /* wp_document_prepare_render() was done */
	int view;                  /* a published edition (translate.c):
	                              sections, images and notes point into
	                              other documents, which own them and
	                              everything else here */
} wp_document;

/* Reads and parses files (NULL-terminated, in order).  NULL when a file
 * cannot be read or is not UTF-8; otherwise a document, with any content
 * errors in d. */
wp_document *wp_document_load(char *const *files,
    const wp_document_options *opt, wp_diags *d);
/* The same, with each file read by read(ctx, name, &len) (a malloc'd
 * text, NULL when it cannot be read): a past revision from git. */
typedef char *(*wp_read_fn)(void *ctx, const char *name, size_t *len);
wp_document *wp_document_read(char *const *files, wp_read_fn read,
    void *ctx, const wp_document_options *opt, wp_diags *d);
/* Parses one text that was read from path (for tests and `diff`). */
wp_document *wp_document_parse(const char *path, const char *text,
    size_t len, const wp_document_options *opt, wp_diags *d);
void wp_document_free(wp_document *doc);
/*
 * Readies a freshly parsed tree for rendering: soft breaks between CJK
 * characters are removed (as goldmark's East Asian line-break option
 * does) and images point at their copies in the output.  Part of reading
 * (wp_document_options.render); a document is not changed after that.
 */
void wp_document_prepare_render(wp_document *doc);

/* The file and its line for a global line. */
const wp_document_file *wp_document_locate(const wp_document *doc,
    int global_line, int *file_line);
/* Column in characters (1-based) for a byte column of a global line. */
int wp_document_char_column(const wp_document *doc, int global_line,
    int byte_column);
/* A section's own source text: from its heading to the line before the
 * next heading (pointer into doc->source, length in *len). */
const char *wp_section_source(const wp_document *doc, size_t i, size_t *len);
/* The footnote definition that a footnote reference node names (by its
 * literal: cmark-gfm numbers references by first use and orders the
 * definitions the same way), or NULL. */
struct cmark_node *wp_document_footnote(const wp_document *doc,
    struct cmark_node *ref);
/* The section whose key is key, or -1. */
long wp_document_find_key(const wp_document *doc, const char *key);

/* Parses a heading number: "5.3.3 お客様" -> "5.3.3" and rest
 * "お客様"; NULL when unnumbered (see content-format.md). */
char *wp_heading_number(const char *text, const char **rest);
/* Appends the slug of text: lower-cased ASCII, letters and digits of every
 * script kept, runs of anything else turned into one hyphen. */
struct wp_buf;
void wp_slug(struct wp_buf *out, const char *text);

#endif
