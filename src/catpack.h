/*
 * catpack.h: a build's catalogs kept packed in out/ between builds.
 *
 * Reading the catalogs from XML costs a build that edits one page about
 * a tenth of its time: libxml2 loaded with ICU and libstdc++, five files
 * parsed, their trees walked and freed.  So a build keeps what it read
 * in out/.wpgen-catalogs, packed, under a key: the digest of the packing's
 * format, of the program (its GNU build id, so another wpgen never reads
 * it), of the catalogs directory's path and of each of its *.xml files,
 * name and bytes.  The next build reads the XML files (as it must, to
 * know they are the same) and the packed catalogs, and parses no XML
 * when the key is theirs.  Only catalogs read without any diagnostic are
 * kept, so a set read back has none to say either.
 *
 * A packing is read back checked whole: its digest (so a damaged
 * packing is none), then every count and length against what is left,
 * every string valid UTF-8 without NUL, every index in its range (a
 * group's or control's parent before it, a control's group its
 * parent's), catalogs, languages and mapped controls in order, no id or
 * mapping twice (a mapping found again by an index of them, not by
 * reading its control's list: catalog.c); anything else is no packing,
 * and the XML is read.  What
 * is read is the same set as the XML gives, lookups and mappings
 * included (tests/unit/catpack.c).
 *
 * The packing: "wpgen-catalogs 1\n", the key (32 hex digits and "\n"),
 * the digest of the body that follows (the same), then the body:
 * integers as 4 bytes, least significant first, and strings as their
 * length and bytes (length 0xFFFFFFFF: none):
 *
 *   ncatalogs, then each catalog:
 *     id, nlangs, (lang, path, title?) each, version?,
 *     ndocument_ids, document_id each,
 *     ngroups, (id, label?, parent, depth, title? each lang) each,
 *     ncontrols, (id, label, nlabels, label each, alt_identifier?,
 *       title? each lang, group, parent, line) each
 *   then for each catalog, twice (the controls it maps to, then those
 *   that map to it): the number of its controls with any, and for each
 *     control index, n, (catalog index, control index, relationship) n
 *   (a parent or group is stored plus one, so that none, -1, is 0)
 */
#ifndef WP_CATPACK_H
#define WP_CATPACK_H

#include <stddef.h>

#include "buf.h"
#include "catalog.h"
#include "diag.h"

#define WP_CATPACK_NAME ".wpgen-catalogs"

/* The catalogs of dir, as wp_catalogs_load(dir, d) gives them, read
 * from the packing in the file cache when its key is theirs, otherwise
 * from XML.  Their key is set->cache_key (so a full build writes them
 * into its new out/ either way), unless the program has no build id or
 * the XML gave a diagnostic. */
wp_catalogs *wp_catpack_load(const char *dir, const char *cache,
    wp_diags *d);
/* Writes the packing of set into path when set->cache_key says it is
 * wanted: 0 (also when it is not), or -1 with errno. */
int wp_catpack_write(const wp_catalogs *set, const char *path);

/* The packing of set under key (32 hex digits), appended to out. */
void wp_catpack_pack(const wp_catalogs *set, const char *key, wp_buf *out);
/* The set packed in data[0..len), or NULL when it is not one whole
 * packing, or its key is not key, or its body not that of its digest.
 * key NULL (tests, fuzzing): neither is asked, the body is read as it
 * is. */
wp_catalogs *wp_catpack_unpack(const char *data, size_t len,
    const char *key);

#endif
