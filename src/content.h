/*
 * content.h: loading a service: service.yaml and the edition files.
 *
 * A service is a directory under content/ that holds service.yaml.  The
 * YAML is checked strictly: an unknown key, a missing required key or a
 * value of the wrong shape is a diagnostic with line and column.
 * Localized strings and lists stay wp_values (a plain value, or a map from
 * language tag to value); wp_localized() picks a language.
 */
#ifndef WP_CONTENT_H
#define WP_CONTENT_H

#include <stddef.h>

#include "diag.h"
#include "value.h"

typedef struct wp_revision {
	const char *version;        /* "4.1" */
	const wp_value *label;      /* localized string or NULL */
	const char *date;           /* "2021-01-18" */
	const wp_value *changes;    /* localized list or NULL */
	const char *ref;            /* the git revision it was published
	                               from ("v2.1"), or NULL */
	int line, column;
} wp_revision;

/* Which controls the cross-reference appendix lists. */
#define WP_SCOPE_UNSET     0   /* the style decides (default: all) */
#define WP_SCOPE_ALL       1
#define WP_SCOPE_ADDRESSED 2

typedef struct wp_service {
	char *id;                   /* directory name: "idcf-27017" */
	char *dir;                  /* content/idcf-27017 */
	char *yaml_path;            /* content/idcf-27017/service.yaml */
	wp_value *yaml;             /* owned; everything below points into it */
	const char *style;
	const wp_value *style_node; /* for diagnostics */
	const char **langs;         /* NULL-terminated; langs[0] is the source */
	size_t nlangs;
	const wp_value *title, *provider, *description;
	const wp_value *copyright;  /* localized footer line, or NULL */
	const wp_value *short_title;  /* localized column name on the
	                               coverage page, or NULL (the id) */
	int pdf;                    /* pdf: true: build the PDF by default */
	const char **catalogs;      /* NULL-terminated, or NULL for all */
	const wp_value *standards;  /* map name -> catalog id, or NULL */
	int unsafe_html;
	int archive;                /* publish each past revision with a ref */
	const wp_value *required_controls;  /* list of patterns, or NULL */
	const wp_value *labels;     /* lang -> {label: text}, or NULL */
	int xref_scope;             /* WP_SCOPE_* */
	int coverage;               /* on the site's coverage page (default 1) */
	wp_revision *revisions;     /* oldest first; last = current */
	size_t nrevisions;
} wp_service;

/* The service ids under content_dir (directories holding service.yaml),
 * sorted; NULL-terminated, malloc'd (free with wp_strv_free). */
char **wp_service_ids(const char *content_dir, size_t *n);
/* 1 when id names one of the site's own outputs beside out/<id>/
 * (assets, a name ending in .html): no service may have it. */
int wp_service_id_reserved(const char *id);

/* Loads and validates content_dir/id/service.yaml.  NULL when it cannot be
 * used at all; diagnostics in d either way. */
wp_service *wp_service_load(const char *content_dir, const char *id,
    wp_diags *d);
/* The same from the text of a service.yaml read elsewhere (a past
 * revision from git), named yaml_name in diagnostics. */
wp_service *wp_service_parse(const char *content_dir, const char *id,
    const char *yaml_name, const char *text, size_t len, wp_diags *d);
/* The same, but a service.yaml with errors still gives what could be read
 * of it (*ok is 0 then), so that every problem of the file can be found
 * in one pass; NULL only when it is not YAML or not a map. */
wp_service *wp_service_read(const char *content_dir, const char *id,
    wp_diags *d, int *ok);
/* The same, with the bytes of the service.yaml it read in *text
 * (malloc'd, *len of them; NULL when it could not be read). */
wp_service *wp_service_read_text(const char *content_dir, const char *id,
    wp_diags *d, int *ok, char **text, size_t *len);
void wp_service_free(wp_service *s);
int wp_service_has_lang(const wp_service *s, const char *lang);
/* 1 when a revision of s links a past revision by a git ref. */
int wp_service_has_refs(const wp_service *s);
/* 1 when s is a language tag: 2-3 letters, then -subtags (zh-Hant). */
int wp_lang_tag_valid(const char *s);
const wp_revision *wp_service_current(const wp_service *s);

/* The Markdown files of an edition (content/<id>/<lang>/ *.md) sorted by
 * byte order of name, NULL-terminated, malloc'd; NULL when the directory
 * does not exist. */
char **wp_edition_files(const wp_service *s, const char *lang, size_t *n);
/* 0 when the edition directory of lang is absent or can be listed;
 * otherwise reports why it cannot (not a directory, a link out of the
 * tree, unreadable) and returns -1: such an edition is an error, never
 * an edition published as untranslated. */
int wp_edition_dir_check(const wp_service *s, const char *lang,
    struct wp_diags *d);

/*
 * A localized value in lang: a plain value is the same in every language;
 * for a map, the entry for lang, else the one for fallback_lang (and
 * *missing is set to 1), else NULL.  missing may be NULL.
 */
const wp_value *wp_localized(const wp_value *v, const char *lang,
    const char *fallback_lang, int *missing);
/* The text of a localized string ("" when absent). */
const char *wp_localized_text(const wp_value *v, const char *lang,
    const char *fallback_lang, int *missing);

#endif
