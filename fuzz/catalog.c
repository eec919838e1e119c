/*
 * catalog.c: libFuzzer target for the OSCAL catalog and mapping loader
 * (src/catalog.c) and the lookups built on it.
 *
 * The input is cut at NUL bytes into up to six XML files, named as a
 * content/catalogs directory would name them: a.en.xml, a.ja.xml,
 * b.en.xml, a_to_b.xml, c.en.xml, c_to_a.xml.  Once loaded
 * (wp_catalogs_load_texts), every control is looked up by its labels
 * and id, suggestions are asked for near misses, titles and mappings are
 * read, and standards resolved; a set read without a diagnostic is
 * packed as a build keeps it (src/catpack.c), read back and packed
 * again, which must give the same bytes.  Diagnostics are expected;
 * crashes, leaks, hangs and a set that does not survive the round trip
 * are not.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "catalog.h"
#include "catpack.h"
#include "diag.h"
#include "fuzz.h"
#include "util.h"
#include "value.h"

static const char *const names[] = {
	"a.en.xml", "a.ja.xml", "b.en.xml", "a_to_b.xml", "c.en.xml",
	"c_to_a.xml",
};
#define NFILES (sizeof names / sizeof names[0])

static void
query_control(const wp_catalogs *set, const wp_catalog *cat, size_t ci)
{
	const wp_control *c = &cat->controls[ci];
	const char *fallback;
	char *near, *typo;
	size_t i, n;

	wp_catalog_find(cat, c->id);
	wp_catalog_find(cat, c->label);
	for (i = 0; i < c->nlabels; i++)
		wp_catalog_find(cat, c->labels[i]);
	if (c->alt_identifier)
		wp_catalog_find(cat, c->alt_identifier);
	/* A near miss: the label with its last character dropped. */
	typo = xstrdup(c->label);
	if (*typo)
		typo[strlen(typo) - 1] = '\0';
	near = wp_catalog_suggest(cat, typo);
	free(near);
	free(typo);
	wp_control_title(cat, c, "ja", &fallback);
	if (c->group >= 0)
		wp_group_title(cat, &cat->groups[c->group], "en", &fallback);
	wp_catalogs_maps_to(set, cat, ci, &n);
	wp_catalogs_maps_from(set, cat, ci, &n);
}

static void
query(const wp_catalogs *set)
{
	const wp_catalog *cat;
	char *known;
	int ambiguous;
	size_t i, j;

	for (i = 0; i < set->len; i++) {
		cat = set->items[i];
		wp_catalog_title(cat, "en");
		for (j = 0; j < cat->ncontrols; j++)
			query_control(set, cat, j);
		for (j = 0; j < cat->ndocument_ids; j++)
			wp_catalogs_resolve(set, cat->document_ids[j], NULL,
			    NULL, &ambiguous);
		wp_catalogs_resolve(set, cat->id, NULL, NULL, &ambiguous);
	}
	wp_catalogs_get(set, "a");
	known = wp_catalogs_known_standards(set, NULL, NULL);
	free(known);
}

/* What a build keeps of a set read without a diagnostic (catpack.h)
 * reads back, and packs again the same bytes. */
static void
round_trip(const wp_catalogs *set)
{
	static const char key[] = "0123456789abcdef0123456789abcdef";
	wp_buf one = WP_BUF_INIT, two = WP_BUF_INIT;
	wp_catalogs *back;

	wp_catpack_pack(set, key, &one);
	if ((back = wp_catpack_unpack(one.data, one.len, key)) == NULL)
		abort();
	wp_catpack_pack(back, key, &two);
	if (one.len != two.len || memcmp(one.data, two.data, one.len) != 0)
		abort();
	wp_catalogs_free(back);
	wp_buf_free(&one);
	wp_buf_free(&two);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_part parts[NFILES];
	wp_catalog_text files[NFILES];
	size_t n = fuzz_split(data, size, parts, NFILES), i;
	wp_catalogs *set;
	wp_diags d;

	for (i = 0; i < n; i++) {
		files[i].name = names[i];
		files[i].path = names[i];
		files[i].data = parts[i].data;
		files[i].len = parts[i].len;
	}
	wp_diags_init(&d);
	set = wp_catalogs_load_texts(files, n, &d);
	query(set);
	if (d.len == 0)
		round_trip(set);
	wp_catalogs_free(set);
	wp_diags_free(&d);
	wp_keys_forget();        /* (nothing holds a key now) */
	return 0;
}
