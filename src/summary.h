/*
 * summary.h: what the site pages (the index in each language and the
 * coverage page) need of an edition.
 *
 * A summary is made once, when the edition is built (page.c,
 * wp_page_edition_summary), from the edition and its labels; it is kept
 * in out/'s store (below; manifest.c writes and reads it, as records of
 * its own versioned form) for the editions a later build does not make
 * again, and travels the same way from a build worker to the parent
 * (which keep its records as text, and read them into this struct only
 * when the site pages are rendered again: wp_manifest_entry_summary).  It stays this struct until the index and
 * coverage templates are rendered: only there does it become Mustache
 * values, a card or a coverage row at a time (page.c,
 * wp_page_render_index and wp_page_render_coverage).
 *
 * During a build a summary waits in a store out of memory (below): the
 * site pages get them back one at a time, most of them only their heads
 * (page.h).
 *
 * Every string is owned by the summary; NULL means absent (the value
 * then has no such key, or null).
 */
#ifndef WP_SUMMARY_H
#define WP_SUMMARY_H

#include <stddef.h>

/* A section of the edition that addresses a control, or covers it
 * through the mapping (via: the labels of the mapped controls it
 * addresses, "9.2.1, 9.2.2", when no section addresses the control
 * directly; NULL otherwise). */
typedef struct wp_summary_section {
	char *text;               /* its number and title, as linked */
	char *anchor;             /* its id in the page */
	char *title;
	char *via;
} wp_summary_section;

/* A catalog the edition addresses.  With coverage (an edition of a
 * service that takes part in the coverage pages), the sections that
 * address each of its controls, in catalog order: count[c] sections for
 * control c, one after the other in sections (those of a control
 * covered only through the mapping carry via). */
typedef struct wp_summary_catalog {
	char *id;
	char *name;               /* as the service names the standard */
	int badge;                /* shown as a badge on the index: the
	                             service names its catalogs, or the
	                             edition addresses one of its controls */
	size_t ncontrols;         /* 0 without coverage */
	unsigned *count;          /* ncontrols of them */
	wp_summary_section *sections;
	size_t nsections, cap;    /* (cap: room for sections) */
	size_t last;              /* the control of the last section */
} wp_summary_catalog;

typedef struct wp_summary {
	char *service, *lang;
	char *lang_name;          /* the language's name in itself */
	int source;               /* the service's source language */
	char *title, *short_title, *provider, *description;
	char *copyright;
	/* The language of title, provider, description and copyright
	 * where the edition's lacks them and the source language's is
	 * shown; NULL where they are in the edition's own. */
	char *title_lang, *provider_lang, *description_lang;
	char *copyright_lang;
	char *style;
	/* The current revision (revision 0: the service has none): its
	 * version and date as the edition's labels write them. */
	int revision;
	char *version, *version_text, *label, *display, *date, *date_text;
	int has_label;            /* label is the revision's own */
	char *href;               /* the edition's page, from out/ */
	int translated;           /* percent of its sections in its own
	                             language */
	wp_summary_catalog *catalogs;
	size_t ncatalogs;
	int coverage;             /* the catalogs hold their coverage (every
	                             edition of a service that takes part:
	                             each language's coverage page shows
	                             the edition in its language) */
	char *pdf_file, *pdf_href;  /* its PDF, when one is made */
	int one_block;            /* made by wp_summary_copy(): one
	                             allocation, not to be added to */
	size_t block_size;        /* its size then */
	size_t head_size;         /* the size of its head, the block's
	                             first bytes (wp_summary_copy) */
} wp_summary;

wp_summary *wp_summary_new(void);
/* A copy in one allocation (that nothing may be added to), where equal
 * strings are one string.  The allocation starts with the summary's
 * head: the struct, its catalogs and the strings of both, without the
 * catalogs' coverage (counts and sections), which follow. */
wp_summary *wp_summary_copy(const wp_summary *s);
/* s, or its copy in one allocation (s is then freed). */
wp_summary *wp_summary_compact(wp_summary *s);
void wp_summary_free(wp_summary *s);
/* Adds a catalog (ncontrols 0: without coverage). */
wp_summary_catalog *wp_summary_add_catalog(wp_summary *s, const char *id,
    const char *name, size_t ncontrols);
/* Adds a section addressing control c of the last catalog added (via:
 * through the mapping, as wp_summary_section, or NULL); the sections
 * come in control order.  0, or -1 when c is out of order. */
int wp_summary_add_section(wp_summary_catalog *cat, size_t c,
    const char *text, const char *anchor, const char *title,
    const char *via);

/* The string fields by name, for the manifest's records: the field of
 * s called key, or NULL when there is none. */
char **wp_summary_field(wp_summary *s, const char *key);
/* Their names, NULL-terminated, in the order they are written. */
extern const char *const wp_summary_fields[];

/*
 * A store of summaries (and of other records: a full build's records of
 * the next manifest, the coverage page's cells) that a build keeps out
 * of memory: a file in the build's own directory, unlinked as soon
 * as it is made (so that nothing of it is left by any exit, a killed
 * process included), shared by the build's worker processes (forked
 * after it is opened: each appends under a lock on the file) and read
 * back a summary at a time.  A summary goes in as its block
 * (wp_summary_copy) with its pointers made offsets, and comes out as a
 * block again.  When no file can be made the store is in memory.
 */
typedef struct wp_summary_store {
	int fd;                   /* -1: in memory */
	char id[33];              /* out/'s store: its name (below); else
	                             empty */
	int shared;               /* other processes append to it too
	                             (workers forked since it was opened,
	                             set before): each append is made under
	                             a lock at the end of the file; else at
	                             end, without a lock */
	long long end;            /* its size while not shared */
	struct wp_buf *mem;
	size_t held;              /* summaries got and not yet freed
	                             (wp_summary_store_release) */
	size_t held_max;
} wp_summary_store;

/* Opens a store in dir (a build's work directory); in memory when dir
 * is NULL or no file can be made there. */
void wp_summary_store_open(wp_summary_store *st, const char *dir);
void wp_summary_store_close(wp_summary_store *st);
/* Appends n bytes: where they are, or -1 (errno). */
long long wp_summary_store_append(wp_summary_store *st, const void *data,
    size_t n);
/* Reads n bytes at at into buf: 0, or -1. */
int wp_summary_store_read(wp_summary_store *st, long long at,
    void *buf, size_t n);
/* Puts a summary (one block: wp_summary_copy), followed by nextra
 * bytes of extra (its records, say) in the same write: where, the
 * block's size in *len, or -1. */
long long wp_summary_store_put(wp_summary_store *st, const wp_summary *s,
    const char *extra, size_t nextra, size_t *len);
/* The summary put at at (len bytes), one block to free with
 * wp_summary_store_release (or wp_summary_free); NULL when it cannot be
 * read. */
wp_summary *wp_summary_store_get(wp_summary_store *st, long long at,
    size_t len);
/* The head of the summary put at at (len bytes), read alone (the
 * block's first bytes: wp_summary_copy): its fields and its catalogs'
 * ids, names and badges, without their coverage (each catalog's
 * ncontrols and nsections 0), what the site index and the coverage
 * page's columns show.  One block to free with wp_summary_store_release;
 * NULL when it cannot be read. */
wp_summary *wp_summary_store_get_head(wp_summary_store *st, long long at,
    size_t len);
void wp_summary_store_release(wp_summary_store *st, wp_summary *s);

/*
 * out/'s store (WP_STORE_NAME): the summaries a build keeps for the
 * next one, as the records manifest.c writes them, one after another.
 * A file of its own, so that a build that keeps most editions neither
 * reads nor writes their summaries: an edition whose summary changed
 * appends its new one, and out/'s manifest says where each edition's
 * lies (manifest.h).  Its first line names it, `wpgen-store 1\tID`
 * (ID: 32 hex digits, new for every store made): a manifest names the
 * store its records point into, and a store of another name is not
 * that one.  The store is made new (create) by a full build, and by a
 * build that finds more dead bytes in it than live ones.
 */
#define WP_STORE_NAME ".wpgen-store"
#define WP_STORE_MAGIC "wpgen-store 1\t"
#define WP_STORE_HEAD (sizeof WP_STORE_MAGIC - 1 + 32 + 1)

/* Makes the store at path (replacing a file there) named id, for
 * appending: 0, or -1 with errno (st then in memory). */
int wp_summary_store_create(wp_summary_store *st, const char *path,
    const char *id);
/* Opens the store at path, when it is a regular file named id (and of
 * no other name: a hard link would have it append to a file elsewhere),
 * for reading and appending at its end: 0, else -1 (st then in
 * memory). */
int wp_summary_store_attach(wp_summary_store *st, const char *path,
    const char *id);

#endif
