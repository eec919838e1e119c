/*
 * translate.h: translations, section by section.
 *
 * Editions are aligned by section key (the control of a marker heading,
 * else the section number, else the anchor).  translations.lock records,
 * per target language and key, the hash of the source-language section
 * when its translation was last confirmed; a section whose source hash
 * changed since is stale, one the target lacks is missing, one only the
 * target has is extra.  The hash is of the section's own source text with
 * white space normalized, so re-wrapping lines changes nothing.
 *
 * The lock also keeps the hash of the translated section as it was when
 * confirmed, so that `accept` can tell a translation that was updated
 * from one that was not (locks written before have no such field).
 *
 * The lock is plain text, one line a key, sorted, so it diffs well:
 *     # comment
 *     en 9.2.1 5f1c0e3a9b2d4c71 0b6e2c91d4a7f358
 */
#ifndef WP_TRANSLATE_H
#define WP_TRANSLATE_H

#include <stddef.h>

#include "diag.h"
#include "site.h"

typedef struct wp_lock_entry {
	char *lang, *key, *hash;   /* in one block, which lang points at */
	char *thash;       /* the translation's hash, or NULL (older locks) */
	size_t pos;        /* order of insertion, for sorting */
} wp_lock_entry;

typedef struct wp_lock {
	char *path;
	wp_lock_entry *items;
	size_t len, cap;
	size_t nsorted;    /* items[0..nsorted) are sorted; the rest were
	                      added since and are sorted on the next lookup */
} wp_lock;

/* The lock of a service (content/<svc>/translations.lock); an absent file
 * is an empty lock.  NULL (with a diagnostic) when it is malformed. */
wp_lock *wp_lock_load(const wp_service *svc, wp_diags *d);
/* The same, with the text parsed into *text (malloc'd; NULL when the
 * file is absent or could not be read), for its digest (build.c). */
wp_lock *wp_lock_load_text(const wp_service *svc, wp_diags *d, char **text,
    size_t *len);
/* A lock from the text data[0..len) of the file path. */
wp_lock *wp_lock_parse(const char *path, const char *data, size_t len,
    wp_diags *d);
void wp_lock_free(wp_lock *lock);
const char *wp_lock_get(const wp_lock *lock, const char *lang,
    const char *key);
/* The hash of the translation as confirmed, or NULL. */
const char *wp_lock_get_translation(const wp_lock *lock, const char *lang,
    const char *key);
/* Records key of lang as confirmed: the source section's hash and the
 * translated section's (thash may be NULL). */
void wp_lock_set(wp_lock *lock, const char *lang, const char *key,
    const char *hash, const char *thash);
/* Writes the lock, sorted.  0 or -1 with errno. */
int wp_lock_save(const wp_lock *lock);

/* The normalized hash of section i's own source text (17 bytes: 16 hex
 * digits and NUL, written into out). */
void wp_section_hash(const wp_document *doc, size_t i, char out[17]);
/* The same of the n sections sections[0..n), into out[0..n): several
 * hashed side by side, faster than one by one. */
void wp_section_hashes(const wp_document *doc, const size_t *sections,
    size_t n, char (*out)[17]);

/* The state of one section of a target edition. */
typedef enum wp_tr_state {
	WP_TR_OK,
	WP_TR_MISSING,     /* only in the source */
	WP_TR_STALE,       /* in both; the source changed since confirmed */
	WP_TR_EXTRA        /* only in the target */
} wp_tr_state;

typedef struct wp_tr_item {
	wp_tr_state state;
	const char *key;
	long source;       /* index in the source document, or -1 */
	long target;       /* index in the target document, or -1 */
	int unconfirmed;   /* stale because the lock has no entry at all */
} wp_tr_item;

/* The alignment of a target edition with the source edition: every
 * section of either, in the source's order with extras where they stand
 * in the target. */
typedef struct wp_tr_align {
	wp_tr_item *items;
	size_t len;
	size_t missing, stale, extra;
} wp_tr_align;

void wp_translations_align(const wp_document *source,
    const wp_document *target, const char *lang, const wp_lock *lock,
    wp_tr_align *out);
void wp_tr_align_free(wp_tr_align *a);

/* Strings outside the Markdown that lang lacks: service.yaml strings
 * ("title", "revisions[0].changes") and catalog titles ("catalog
 * iso27001-2022 title 5.7").  Appends names to the list value out. */
void wp_translations_untranslated(const wp_site *site, const wp_service *svc,
    const char *lang, wp_value *out);

/*
 * Makes a target edition publishable: its doc becomes a view (see
 * wp_document.view) of the sections in the source's order, those the
 * target lacks taken from the source edition (marked untranslated, in the
 * source language, with their images and footnotes), stale ones marked;
 * the cross-reference is rebuilt.  The target's own document moves to
 * target->own.  Neither document changes: one source edition serves
 * every target language.
 */
void wp_translations_merge(wp_site *site, wp_edition *target,
    const wp_edition *source, const wp_lock *lock);

/* A target edition as its author wrote it; when it has no files yet, an
 * empty one (and *empty, if given, is set). */
wp_edition *wp_edition_load_target(wp_site *site, const wp_service *svc,
    const char *lang, int *empty, wp_diags *d);
/* The same, ready for rendering when render is set (wp_edition_read). */
wp_edition *wp_edition_read_target(wp_site *site, const wp_service *svc,
    const char *lang, int render, int *empty, wp_diags *d);
/* Publishes target with the sections it lacks from source
 * (wp_translations_merge).  source must outlive target; target does not
 * free it unless target->owns_source is set. */
void wp_edition_publish(wp_site *site, wp_edition *target,
    const wp_edition *source, const wp_lock *lock);
/* The same, given their alignment (wp_translations_align of the two
 * documents with the lock), which the caller has made for its own use
 * (check compares the translation with it first). */
void wp_edition_publish_aligned(wp_site *site, wp_edition *target,
    const wp_edition *source, const wp_tr_align *al);

/*
 * The edition of svc in lang as it is published: for a target language,
 * merged with the source edition (wp_translations_merge), so that it is
 * whole even when the target has no files yet.  NULL when the source
 * edition cannot be read; content errors in d.
 */
wp_edition *wp_edition_load_published(wp_site *site, const wp_service *svc,
    const wp_style *style, const char *lang, const wp_lock *lock,
    wp_diags *d);

#endif
