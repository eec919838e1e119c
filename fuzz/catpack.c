/*
 * catpack.c: libFuzzer target for the reader of packed catalogs
 * (wp_catpack_unpack in src/catpack.c), which reads out/.wpgen-catalogs.
 *
 * The input is a packing, read without asking its key or digest (so
 * that the body is what is read).  A set that reads is packed again,
 * under the input's key, and read back: the same bytes but for the
 * digest, and the same again.  Every lookup of every control's id and
 * label runs on it.  Crashes, leaks, hangs and a set that does not
 * survive the round trip are failures.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "catalog.h"
#include "catpack.h"

#define MAGIC_LEN 17            /* "wpgen-catalogs 1\n" */
#define HEAD_LEN (MAGIC_LEN + 33 + 33)

static void
look_up(const wp_catalogs *set)
{
	const wp_catalog *cat;
	size_t i, j, n;
	char *s;

	for (i = 0; i < set->len; i++) {
		cat = set->items[i];
		if (wp_catalogs_get(set, cat->id) != cat)
			abort();
		for (j = 0; j < cat->ncontrols; j++) {
			if (wp_catalog_find(cat, cat->controls[j].id) < 0)
				abort();
			(void)wp_catalog_find(cat, cat->controls[j].label);
			(void)wp_control_title(cat, &cat->controls[j], "en",
			    NULL);
			(void)wp_control_family(cat, j);
			(void)wp_catalogs_maps_to(set, cat, j, &n);
			(void)wp_catalogs_maps_from(set, cat, j, &n);
		}
		s = wp_catalog_suggest(cat, "9.2.l");
		free(s);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	wp_catalogs *set, *back;
	wp_buf one = WP_BUF_INIT, two = WP_BUF_INIT;

	set = wp_catpack_unpack((const char *)data, size, NULL);
	if (set == NULL)
		return 0;
	look_up(set);
	wp_catpack_pack(set, (const char *)data + MAGIC_LEN, &one);
	if (one.len != size || memcmp(one.data, data, MAGIC_LEN + 33) != 0 ||
	    memcmp(one.data + HEAD_LEN, data + HEAD_LEN, size - HEAD_LEN) != 0)
		abort();
	back = wp_catpack_unpack(one.data, one.len, one.data + MAGIC_LEN);
	if (back == NULL)
		abort();
	wp_catpack_pack(back, one.data + MAGIC_LEN, &two);
	if (one.len != two.len || memcmp(one.data, two.data, one.len) != 0)
		abort();
	wp_catalogs_free(back);
	wp_catalogs_free(set);
	wp_buf_free(&one);
	wp_buf_free(&two);
	return 0;
}
