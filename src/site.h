/*
 * site.h: what every command reads once: the content and templates
 * directories, the catalogs, the templates (compiled on first use and
 * cached), the UI labels per language and the styles.  And an edition:
 * one service in one language, parsed, with its cross-reference.
 */
#ifndef WP_SITE_H
#define WP_SITE_H

#include <stddef.h>

#include "catalog.h"
#include "content.h"
#include "diag.h"
#include "document.h"
#include "util.h"
#include "value.h"
#include "xref.h"

struct wp_templates;

typedef struct wp_style {
	char *name;               /* "cps-vm" */
	struct wp_style *parent;  /* its `extends`, or NULL (base below) */
	int xref_rows;            /* rows per cross-reference table; 0: all */
	int toc_depth;            /* heading levels in the table of contents */
	int toc_controls;         /* the contents lists every control section
	                             whatever its level: 1 yes, 0 no, -1 as
	                             the parent (default no) */
	int xref_scope;           /* WP_SCOPE_* (content.h); UNSET: parent's */
	char **stylesheets;       /* its own `stylesheets` (files of its
	                             assets/), NULL-terminated; never NULL */
	char **scripts;           /* its own `scripts` (files of its or
	                             base's assets/: the style opts its pages
	                             in), NULL-terminated; never NULL */
} wp_style;

typedef struct wp_site {
	char *content_dir;
	char *templates_dir;
	char *catalogs_dir;
	wp_catalogs *catalogs;
	struct wp_templates *templates;   /* NULL until wp_site_templates() */
	wp_value *labels;                 /* lang -> merged labels, cached */
	/* The problems of label files loaded for a caller that takes no
	 * diagnostics (a check of label names), kept by language for the
	 * next caller that does: said once, whoever loaded them first. */
	char **unsaid_langs;
	wp_diags *unsaid;
	size_t nunsaid;
	wp_strset labels_missing;         /* languages without labels
	                                     (warned of once) */
	wp_style **styles;
	size_t nstyles;
	wp_value *config;                 /* content/site.yaml, or NULL */
	const wp_value *site_labels;      /* its labels: lang -> map */
	int coverage;                     /* publish coverage.html (default 1) */
	wp_value *template_rels;          /* wp_style_template()'s answers:
	                                     "style\nname" -> rel, or "" */
	struct wp_arena *shared;          /* what every page shows the same,
	                                     made once (page.c); NULL until
	                                     used */
	struct wp_xref_half *xref_halves; /* in it: the catalogs' half of
	                                     the appendix's rows, by
	                                     catalog and language (page.c) */
	struct wp_phrase_memo *phrases;   /* section titles' phrases
	                                     (page.c); NULL until used */
	wp_xref_texts *xref_texts;        /* what xref.json and xref.csv
	                                     show of the catalogs (xref.h) */
	/* Where editions' files are read from (NULL: the disk): build hands
	 * over the Markdown it read for its digests (wp_document_read). */
	char *(*read)(void *ctx, const char *path, size_t *len);
	void *read_ctx;
	/* The memory wp_edition_read() parses into (wp_document_options.mem;
	 * NULL: cmark-gfm's): build's arena of a service's trees. */
	struct cmark_mem *mem;
} wp_site;

typedef struct wp_edition {
	const wp_service *service;
	const char *lang;
	const wp_style *style;     /* NULL when only parsing */
	wp_document *doc;          /* as published: for a translation, a view
	                              (translate.c) */
	wp_xref *xref;
	wp_document *own;          /* when doc is a view: the document read
	                              from this language's files */
	const struct wp_edition *source;  /* the source-language edition that
	                               gave untranslated sections, or NULL */
	int owns_source;           /* wp_edition_free frees source too */
	const struct wp_history *history;  /* published redlines and past
	                               editions to link (history.h), or NULL */
} wp_edition;

/* Opens a site: reads the catalogs (through the packed copy in the file
 * catalogs_cache when not NULL: catpack.h).  templates_dir NULL: found
 * as wp_templates_find() says.  NULL when content_dir is unusable. */
wp_site *wp_site_open(const char *content_dir, const char *templates_dir,
    const char *catalogs_cache, wp_diags *d);
void wp_site_free(wp_site *site);
/* The template registry (created on first use). */
struct wp_templates *wp_site_templates(wp_site *site);

/* The style of a service, loading templates/<name>/style.yaml and its
 * parents; NULL with a diagnostic at the service's `style` when there is
 * no such style. */
const wp_style *wp_site_style(wp_site *site, const wp_service *svc,
    wp_diags *d);
/* A style by its name, as wp_site_style() loads a service's (the
 * problems of its style.yaml in d); NULL, saying nothing, when there is
 * no such style or it has no page.mustache. */
const wp_style *wp_site_style_named(wp_site *site, const char *name,
    wp_diags *d);
/* The styles under templates_dir (directories with a page.mustache),
 * sorted, NULL-terminated (free with wp_strv_free); never NULL. */
char **wp_style_names(const char *templates_dir, size_t *n);
/* The first template NAME found along the style chain, then base:
 * "fjcloud/heading", "idcf/heading", "base/heading"...  malloc'd name, or
 * NULL when none exists. */
char *wp_style_template(const wp_site *site, const wp_style *style,
    const char *name);

/* The labels of lang, with a style's overrides (style may be NULL). The
 * map is owned by the site.  Their problems (a missing or malformed label
 * file) go to the first d that is not NULL: d may be NULL for a caller
 * that only looks names up. */
const wp_value *wp_site_labels(wp_site *site, const wp_style *style,
    const char *lang, wp_diags *d);

/* Whether a style's contents lists every control section (toc_controls
 * along its extends chain). */
int wp_style_toc_controls(const wp_style *style);
/* The appendix scope of a service: its xref_scope, else its style's
 * (along extends), else WP_SCOPE_ALL. */
int wp_service_xref_scope(const wp_service *svc, const wp_style *style);

/* Reports the entries of service.yaml's `catalogs` and `standards` that
 * name no loaded catalog (errors at their line).  0 when all are known. */
int wp_site_check_catalogs(const wp_site *site, const wp_service *svc,
    wp_diags *d);

/* Reports the names in service.yaml's `labels:` that no label file of
 * the templates (base, the style along extends) defines, with the
 * nearest name (unknown-key, at its line).  0 when all are known. */
int wp_site_check_labels(wp_site *site, const wp_service *svc,
    const wp_style *style, wp_diags *d);
/* The same for content/site.yaml's `labels:`, whose names may be any
 * label of the base labels or of the styles (those of the services the
 * site pages show; none: the base labels only). */
int wp_site_check_site_labels(wp_site *site, const wp_style *const *styles,
    size_t nstyles, wp_diags *d);

/* Parses the edition of svc in lang (NULL: the source language). NULL
 * when it has no files or cannot be read; content errors in d. */
wp_edition *wp_edition_load(wp_site *site, const wp_service *svc,
    const char *lang, wp_diags *d);
/* The same; with render set, the document is read ready for rendering
 * (wp_document_prepare_render), as pages need it. */
wp_edition *wp_edition_read(wp_site *site, const wp_service *svc,
    const char *lang, int render, wp_diags *d);
void wp_edition_free(wp_edition *ed);
void wp_document_options_for(const wp_site *site, const wp_service *svc,
    const char *lang, wp_document_options *opt);

#endif
