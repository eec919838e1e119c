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

/* JSON: the contract's fields (cli.md), and per catalog its name (as
 * standards, service.yaml's, names it), title and version, per control
 * its family (the title of its top-level group) and family_id, and via
 * (the controls it is covered through, wp_xref_via: catalog, label and
 * their sections; empty when addressed directly or not at all).  CSV
 * (RFC 4180, UTF-8, CRLF): catalog (its name), family, id, label,
 * alt_identifier (when a catalog in use has any), title, addressed (yes;
 * via: only through the mapping, wp_xref_via; no), sections, section_titles (joined by " | "), section_urls
 * (index.html#anchor, beside the page), maps_to, via (the labels of
 * wp_xref_via) and via_sections (their sections' link texts) (these three
 * when any control is mapped). */
void wp_xref_write_json(const wp_xref *x, const struct wp_value *standards,
    struct wp_buf *out);
void wp_xref_write_csv(const wp_xref *x, const struct wp_value *standards,
    struct wp_buf *out);
void wp_outline_write_json(const wp_document *doc, const char *service,
    struct wp_buf *out);
void wp_outline_write_text(const wp_document *doc, struct wp_buf *out);

#endif
