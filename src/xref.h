/*
 * xref.h: the cross-reference of an edition: for every control of every
 * catalog the service uses, in catalog order, the sections that address
 * it and the controls it maps to.  Also the outline, and both exported as
 * JSON and CSV (the `outline` and `xref` commands, and the xref.json and
 * xref.csv written next to each edition).
 */
#ifndef WP_XREF_H
#define WP_XREF_H

#include <stddef.h>

#include "catalog.h"
#include "document.h"

struct wp_buf;

typedef struct wp_xref_catalog {
	const wp_catalog *catalog;
	/* For control c: sections[first[c] .. first[c+1]) are the indices of
	 * the sections that address it, in document order. */
	size_t *first;             /* [ncontrols + 1] */
	size_t *sections;
	/* For control c: via[via_first[c] .. via_first[c+1]) are the
	 * controls it is covered through (wp_xref_via), worked out once. */
	size_t *via_first;         /* [ncontrols + 1] */
	struct wp_xref_via_pair {
		size_t k, c;       /* catalog in use, control */
	} *via;
} wp_xref_catalog;

typedef struct wp_xref {
	const wp_catalogs *set;
	const wp_document *doc;
	const char *service;
	const char *lang;
	wp_xref_catalog *catalogs;
	size_t ncatalogs;
} wp_xref;

/* The catalogs a service uses: its `catalogs` list (ids), else all of
 * them; none (a plain document) when it has no `catalogs` and no section
 * of doc names a control. */
wp_xref *wp_xref_new(const wp_catalogs *set, const char *const *allowed,
    const wp_document *doc, const char *service, const char *lang);
void wp_xref_free(wp_xref *x);
/* Number of sections addressing control c of catalog k. */
size_t wp_xref_count(const wp_xref *x, size_t k, size_t c);
const size_t *wp_xref_sections(const wp_xref *x, size_t k, size_t c);

/* The text that links a section: its number, else its control label,
 * else its title. */
const char *wp_section_link_text(const wp_section *s);
/* How a catalog names itself in markers: its first document-id without
 * the year ("ISO/IEC 27017"), else its id. */
char *wp_catalog_marker_name(const wp_catalog *cat);

/* The i-th control that control c of cat is mapped with, either way:
 * first those it maps to, then those that map to it (so the ISO/IEC
 * 27001:2022 side of a 27017 -> 27001 mapping lists its 27017 controls).
 * *n gets the total. */
const wp_map_target *wp_xref_mapped(const wp_catalogs *set,
    const wp_catalog *cat, size_t c, size_t i, size_t *n);

/* Coverage through the mapping: when no section addresses control c of
 * catalog k directly, the i-th control mapped with it (either way, as
 * wp_xref_mapped) in a catalog in use that sections do address (27001:2022
 * A.5.16 <- 27017 9.2.1).  Sets *vk and *vc (catalog and control) and
 * returns 1; 0 past the last (or when c is addressed directly). */
int wp_xref_via(const wp_xref *x, size_t k, size_t c, size_t i, size_t *vk,
    size_t *vc);
/* The sections of those controls, each once, in document order: a new
 * array of section indices (NULL when none), *n its length. */
size_t *wp_xref_via_sections(const wp_xref *x, size_t k, size_t c,
    size_t *n);

/* What the two files below show the same for every edition of a catalog
 * in a language (a control's ids, title, family, mapping), made once per
 * catalog and language and kept until wp_xref_texts_free(): pass one to
 * the writers of many editions (a build), or NULL (they are then made
 * for the one file, by the same code). */
typedef struct wp_xref_texts wp_xref_texts;
wp_xref_texts *wp_xref_texts_new(void);
void wp_xref_texts_free(wp_xref_texts *t);

/* JSON: the contract's fields (cli.md), and per catalog its name (as
 * standards, service.yaml's, names it), title and version, per control
 * its family (the title of its top-level group) and family_id, and via
 * (the controls it is covered through, wp_xref_via: catalog, label and
 * their sections; empty when addressed directly or not at all). */
void wp_xref_write_json(const wp_xref *x, const struct wp_value *standards,
    wp_xref_texts *texts, struct wp_buf *out);
/* CSV (RFC 4180, UTF-8, CRLF, a header row), one row a control, the
 * columns a comma-separated list of names (NULL: the default):
 * catalog (its id), label, alt_identifier, title, sections (numbers,
 * joined by a space), maps_to (labels, joined by a space): cli.md's
 * contract, in that order, first in the default; then catalog_name (as
 * the pages name it), family (the title of its top-level group),
 * family_id, id (the OSCAL id), addressed (yes; via: only through the
 * mapping, wp_xref_via; no), section_titles (joined by " | "),
 * section_urls (index.html#anchor, beside the page), via (the labels of
 * wp_xref_via) and via_sections (their sections' link texts).  The
 * default is every one of them but family_id. */
extern const char *const wp_xref_csv_default_columns;
void wp_xref_write_csv(const wp_xref *x, const struct wp_value *standards,
    wp_xref_texts *texts, const char *columns, struct wp_buf *out);
/* NULL when every name of the comma-separated list is a column, each
 * once; else the first that is not (malloc'd), with *near the closest
 * column name or NULL, or the first repeated (*twice set). */
char *wp_xref_csv_columns_check(const char *list, const char **near,
    int *twice);
/* The name of the i-th CSV column, NULL past the last. */
const char *wp_xref_csv_column_name(size_t i);
void wp_outline_write_json(const wp_document *doc, const char *service,
    struct wp_buf *out);
void wp_outline_write_text(const wp_document *doc, struct wp_buf *out);

#endif
