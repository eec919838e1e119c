/*
 * manifest.h: what an incremental build knows of the previous one.
 *
 * A build writes out/.wpgen-manifest.json: the digest of the tool and of
 * the inputs every page depends on (templates, catalogs, site files), and
 * per edition the digest of its inputs (its Markdown, the source
 * language's, service.yaml, the lock, the service's other files), the
 * digest of every file it wrote, its summary for the index and coverage
 * pages and the warnings it had.  The next build copies an edition whose
 * inputs did not change, after checking that the files it wrote are still
 * as written, and builds the others; the site pages are made from the
 * summaries, or copied when the summaries are all the same.  A manifest that does not parse, is of another format or
 * another tool, is ignored: the build is then a full one.
 *
 * Digests are 128 bits (two 64-bit lanes, words at a time): for noticing
 * change, not for security.
 */
#ifndef WP_MANIFEST_H
#define WP_MANIFEST_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "value.h"

#define WP_MANIFEST_NAME ".wpgen-manifest.json"

typedef struct wp_digest {
	uint64_t a, b;
} wp_digest;

void wp_digest_init(wp_digest *h);
/* Adds n bytes (and their length, so that "ab"+"c" != "a"+"bc"). */
void wp_digest_add(wp_digest *h, const void *data, size_t n);
void wp_digest_add_str(wp_digest *h, const char *s);
/* 32 hex digits and a NUL. */
void wp_digest_hex(const wp_digest *h, char out[33]);
/* Adds every regular file under dir (names and contents, in byte order
 * of name, recursively), skipping the names in skip (NULL-terminated, may
 * be NULL) at the top level.  Returns -1 when dir cannot be read (then
 * only that is added). */
int wp_digest_tree(wp_digest *h, const char *dir, const char *const *skip);

/* The previous build's manifest: NULL when absent or unusable. */
wp_value *wp_manifest_load(const char *out_dir, const char *tool);
/* Its entry for an edition, or NULL. */
const wp_value *wp_manifest_find(const wp_value *manifest, const char *svc,
    const char *lang);
/* The manifest of a build as JSON: editions (a list of entries) and the
 * site pages' entry (inputs: the digest of every summary; outputs). */
void wp_manifest_write(const char *tool, const wp_value *editions,
    const wp_value *site, struct wp_buf *out);

#endif
