/*
 * catalog.h: control catalogs and the mappings between them.
 *
 * Catalogs are read from content/catalogs/ in the OSCAL 1.x catalog model
 * (<catalog>.<lang>.xml, one file per language with the same ids), and
 * mappings in the OSCAL mapping model (<source>_to_<target>.xml).  Only the
 * subset described in docs/format.md is read; any other OSCAL element is
 * ignored, so real catalogs such as NIST SP 800-53 load as they are.
 *
 * Every *.xml file of the directory is read, in byte order of name.  A file
 * whose root is <catalog> is one language of a catalog: "<id>.<lang>.xml",
 * the language being the last dot-separated part before ".xml".  A file
 * whose root is <mapping-collection> holds mappings; its catalogs are named
 * by the source-resource / target-resource hrefs ("x.en.xml" or "x") or
 * else by its name.  Other files get a warning and are skipped.  Problems
 * are reported with the code "catalog-error" and the file and line.
 *
 * Catalog order is document order; controls nested in controls
 * (enhancements) are controls too and follow their parent.  The language
 * that sorts first fixes the order; the others contribute titles.  Title
 * text is the text content of <title>, inline markup dropped and white
 * space collapsed.  Props carrying an ns attribute other than OSCAL's are
 * not OSCAL's own label or alt-identifier and are ignored.
 *
 * A <map> relates each of its sources to each of its targets; a map of
 * more than WP_CATALOG_MAX_MAP_PAIRS pairs, or one that would take the
 * pairs of every mapping past WP_CATALOG_MAX_PAIRS, is an error and is
 * skipped (the pairs are copied out, so memory stays bounded).
 *
 * XML is parsed without network access and without expanding entities.
 */
#ifndef WP_CATALOG_H
#define WP_CATALOG_H

#include <stddef.h>

#include "diag.h"

struct wp_value;

#define WP_CATALOG_MAX_MAP_PAIRS 1024      /* source-target pairs a map */
#define WP_CATALOG_MAX_PAIRS 1000000       /* in every mapping together */

typedef struct wp_group {
	char *id;              /* "g-9.2" */
	char *label;           /* label prop, NULL when none */
	char **titles;         /* [catalog->nlangs], NULL where missing */
	int parent;            /* index in catalog->groups, -1 at top */
	int depth;             /* 0 at top */
} wp_group;

typedef struct wp_control {
	char *id;              /* "c-9.2.1", "ac-2.1" */
	char *label;           /* shown: label prop without class, else the
	                          first label prop, else the id */
	char **labels;         /* every distinct label prop value, classed
	                          ones too, in document order */
	size_t nlabels;
	char *alt_identifier;  /* "A.9.2.1"; NULL when none */
	char **titles;         /* [catalog->nlangs], NULL where missing */
	int group;             /* innermost group, -1 when none */
	int parent;            /* enclosing control (enhancements), -1 */
	int line;              /* line in the first file that defines it */
} wp_control;

typedef struct wp_catalog {
	char *id;              /* file name stem: "iso27017-2015" */
	char **langs;          /* languages with a file, sorted */
	char **paths;          /* [nlangs] file paths */
	size_t nlangs;
	char **titles;         /* [nlangs] metadata titles, NULL where missing */
	char *version;         /* metadata version, NULL when none */
	char **document_ids;   /* metadata document-ids: "ISO/IEC 27017:2015" */
	size_t ndocument_ids;
	wp_group *groups;
	size_t ngroups;
	wp_control *controls;  /* catalog order */
	size_t ncontrols;
	void *index;           /* private: lookup table */
} wp_catalog;

/* One mapped target of a control. */
typedef struct wp_map_target {
	const wp_catalog *catalog;
	size_t control;        /* index in catalog->controls */
	char *relationship;    /* "equivalent-to", ... */
} wp_map_target;

typedef struct wp_catalogs {
	wp_catalog **items;    /* sorted by id */
	size_t len;
	void *maps;            /* private: mapping table */
	char *cache_key;       /* the key to keep them packed under
	                          (catpack.h), or NULL: not to be kept */
} wp_catalogs;

/* Loads every catalog and mapping under dir.  Problems (unreadable XML,
 * ids that differ between languages, a mapping naming an unknown control)
 * are reported in d; NULL only when dir cannot be read at all (nothing is
 * reported then: the caller names the directory). */
wp_catalogs *wp_catalogs_load(const char *dir, wp_diags *d);
/* One file's text, for wp_catalogs_load_texts(). */
typedef struct wp_catalog_text {
	const char *name;      /* file name: "iso27017-2015.en.xml" */
	const char *path;      /* for diagnostics */
	const char *data;
	size_t len;
} wp_catalog_text;

/* Loads catalogs and mappings from texts already read, as if they were
 * the files of a directory in the order given (for tests and fuzzing). */
wp_catalogs *wp_catalogs_load_texts(const wp_catalog_text *files, size_t n,
    wp_diags *d);
/* The same as wp_catalogs_load(dir, d) for the texts of dir's files,
 * already read (in the order of their names). */
wp_catalogs *wp_catalogs_load_read(const char *dir,
    const wp_catalog_text *files, size_t n, wp_diags *d);
void wp_catalogs_free(wp_catalogs *set);

/* A set put together from its parts, as catpack.c reads it back: room
 * for n catalogs; each added in order of id with its groups and
 * controls filled (its lookup tables are made here; -1, and cat freed,
 * when two groups or two controls share an id); then the mapped
 * controls of each control (from: those that map to it), in order
 * (-1 when an index is out of range, or the control is mapped so
 * already: found in an index of every pair added, in a probe or two);
 * then wp_catalogs_maps_made(), which frees that index and ends the
 * adding. */
wp_catalogs *wp_catalogs_new(size_t n);
int wp_catalogs_add(wp_catalogs *set, wp_catalog *cat);
/* A catalog not added (its fields freed where not NULL). */
void wp_catalog_free(wp_catalog *cat);
int wp_catalogs_map_add(wp_catalogs *set, int from, size_t cat, size_t ci,
    size_t other, size_t oci, const char *relationship);
/* The mapped controls all added: what wp_catalogs_map_add kept to find a
 * pair added twice (an index of them all) is freed. */
void wp_catalogs_maps_made(wp_catalogs *set);
wp_catalog *wp_catalogs_get(const wp_catalogs *set, const char *id);

/* The index of the control that ID names, by label (any label prop),
 * alt-identifier or id, case-insensitively, else by their normal form
 * (white space, parentheses and leading zeros aside: "SC-7 (3)",
 * "sc-7.3", "SC-07(03)" all name SC-7(3)); -1 when none.  O(1). */
long wp_catalog_find(const wp_catalog *cat, const char *id);
/* The nearest known label or alt-identifier by edit distance, for "did
 * you mean" (malloc'd), or NULL when nothing is likely.  Only names with
 * the same numbers are candidates (AC-2(6) is not a typo of AC-2(1));
 * case is ignored; punctuation left out, put in or swapped and
 * look-alikes (l and 1, O and 0) cost half an edit, so CLD12.4.5 ->
 * CLD.12.4.5, 9.2.l -> 9.2.1.  At most max(2, strlen(id) / 3) edits;
 * ties go to catalog order. */
char *wp_catalog_suggest(const wp_catalog *cat, const char *id);

/* The title of a control or group in lang.  When lang has none, the title
 * of the first language that has one, and *fallback is set to that
 * language's tag (else to NULL).  NULL when no language has one. */
const char *wp_control_title(const wp_catalog *cat, const wp_control *c,
    const char *lang, const char **fallback);
const char *wp_group_title(const wp_catalog *cat, const wp_group *g,
    const char *lang, const char **fallback);
const char *wp_catalog_title(const wp_catalog *cat, const char *lang);
/* The index in cat->langs that serves lang: the same tag, else (BCP 47
 * fallback) the tag without its last subtag (en-US -> en), else a
 * regional tag of the same language (en -> en-US); -1 when none. */
long wp_catalog_lang(const wp_catalog *cat, const char *lang);

/* The controls that control index ci of cat maps to, in the order of the
 * mapping files; *n gets their count (NULL and 0 when none).  O(1). */
const wp_map_target *wp_catalogs_maps_to(const wp_catalogs *set,
    const wp_catalog *cat, size_t ci, size_t *n);
/* The other way round: the controls that map to control ci of cat, with
 * the relationship as the mapping states it (source relationship target:
 * "subset-of" means the listed control is a subset of ci). */
const wp_map_target *wp_catalogs_maps_from(const wp_catalogs *set,
    const wp_catalog *cat, size_t ci, size_t *n);

/*
 * Resolves the STANDARD of a marker: a document-id with or without its
 * ":year", the catalog id, or a name given in standards (service.yaml's
 * map of names to catalog ids; may be NULL).  Only catalogs whose ids are
 * in allowed (NULL-terminated; NULL for all) are considered.  Comparisons
 * ignore case and runs of white space.  An exact name (full document-id,
 * catalog id, standards name) wins over a document-id without its year,
 * so a standards entry can settle "ISO/IEC 27017" when two editions are
 * loaded.  Returns the catalog, or NULL with *ambiguous set to 1 when two
 * catalogs match equally, 0 when none does.
 */
wp_catalog *wp_catalogs_resolve(const wp_catalogs *set, const char *standard,
    const struct wp_value *standards, const char *const *allowed,
    int *ambiguous);
/*
 * How readers know a catalog: its first document-id ("ISO/IEC 27017:2015"),
 * else the first name that standards (service.yaml's; may be NULL) gives
 * it ("NIST SP 800-53"), else its metadata title in lang, else its id.
 * Points into cat or standards.
 */
const char *wp_catalog_name(const wp_catalog *cat,
    const struct wp_value *standards, const char *lang);
/* How a marker shown on a page names the catalog: its first document-id
 * without the year ("ISO/IEC 27017"), else the first standards name, else
 * its metadata title in lang, else its id (malloc'd). */
char *wp_catalog_marker_standard(const wp_catalog *cat,
    const struct wp_value *standards, const char *lang);
/* The top-level group (family) that control ci is in, or NULL. */
const wp_group *wp_control_family(const wp_catalog *cat, size_t ci);

/* The names a marker may use for the catalogs in allowed (for the error
 * that lists known standards): "ISO/IEC 27017:2015, ISO/IEC 27017, ..."
 * malloc'd.  Per catalog: document-ids, each with and without year,
 * standards names, else its id; only names that resolve to it alone. */
char *wp_catalogs_known_standards(const wp_catalogs *set,
    const struct wp_value *standards, const char *const *allowed);

#endif
