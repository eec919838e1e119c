/*
 * manifest.c: digests and the build manifest (manifest.h).
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "manifest.h"
#include "util.h"
#include "yamlvalue.h"

#define FORMAT "wpgen-manifest 1"

static uint64_t
rotl(uint64_t x, int r)
{
	return (x << r) | (x >> (64 - r));
}

void
wp_digest_init(wp_digest *h)
{
	h->a = 0x9e3779b97f4a7c15ULL;
	h->b = 0xc2b2ae3d27d4eb4fULL;
}

void
wp_digest_add(wp_digest *h, const void *data, size_t n)
{
	const unsigned char *p = data;
	uint64_t a = h->a ^ n, b = h->b + n, w;
	size_t i;

	for (i = 0; i + 8 <= n; i += 8) {
		memcpy(&w, p + i, 8);
		a = rotl((a ^ w) * 0x87c37b91114253d5ULL, 31);
		b = rotl((b + w) * 0x4cf5ad432745937fULL, 27) ^ a;
	}
	for (w = 0; i < n; i++)
		w = (w << 8) | p[i];
	a = rotl((a ^ w) * 0x87c37b91114253d5ULL, 31);
	b = rotl((b + w) * 0x4cf5ad432745937fULL, 27) ^ a;
	/* Final mix, so that every input bit reaches every output bit. */
	a ^= a >> 33;
	a *= 0xff51afd7ed558ccdULL;
	a ^= a >> 33;
	b ^= b >> 29;
	b *= 0xc4ceb9fe1a85ec53ULL;
	b ^= b >> 32;
	h->a = a;
	h->b = b;
}

void
wp_digest_add_str(wp_digest *h, const char *s)
{
	wp_digest_add(h, s ? s : "", s ? strlen(s) : 0);
}

void
wp_digest_hex(const wp_digest *h, char out[33])
{
	snprintf(out, 33, "%016llx%016llx", (unsigned long long)h->a,
	    (unsigned long long)h->b);
}

static int
skipped(const char *const *skip, const char *name)
{
	for (; skip && *skip; skip++)
		if (strcmp(*skip, name) == 0)
			return 1;
	return 0;
}

int
wp_digest_tree(wp_digest *h, const char *dir, const char *const *skip)
{
	char **names = wp_dir_names(dir, NULL, NULL), *path, *text;
	size_t i, len;
	int rc = 0;

	if (names == NULL) {
		wp_digest_add_str(h, "(unreadable)");
		return -1;
	}
	for (i = 0; names[i]; i++) {
		if (skipped(skip, names[i]))
			continue;
		path = wp_path_join(dir, names[i]);
		wp_digest_add_str(h, names[i]);
		if (wp_is_dir(path)) {
			wp_digest_add_str(h, "/");
			if (wp_digest_tree(h, path, NULL) != 0)
				rc = -1;
		} else if ((text = wp_read_file(path, &len)) != NULL) {
			wp_digest_add(h, text, len);
			free(text);
		} else {
			wp_digest_add_str(h, "(unreadable)");
			rc = -1;
		}
		free(path);
	}
	wp_strv_free(names);
	return rc;
}

wp_value *
wp_manifest_load(const char *out_dir, const char *tool)
{
	char *path = wp_path_join(out_dir, WP_MANIFEST_NAME);
	wp_diags ignore;
	wp_value *m = NULL;

	wp_diags_init(&ignore);
	if (wp_is_file(path))
		m = wp_yaml_load_file(path, &ignore);
	wp_diags_free(&ignore);
	free(path);
	if (m && (m->kind != WP_MAP ||
	    strcmp(wp_value_text(wp_map_get(m, "format")), FORMAT) != 0 ||
	    strcmp(wp_value_text(wp_map_get(m, "tool")), tool) != 0 ||
	    wp_map_get(m, "editions") == NULL ||
	    wp_map_get(m, "editions")->kind != WP_LIST)) {
		wp_value_free(m);
		m = NULL;
	}
	return m;
}

const wp_value *
wp_manifest_find(const wp_value *manifest, const char *svc, const char *lang)
{
	const wp_value *eds = wp_map_get(manifest, "editions"), *e;
	size_t i;

	for (i = 0; i < wp_value_len(eds); i++) {
		e = eds->u.list.items[i];
		if (e->kind == WP_MAP &&
		    strcmp(wp_value_text(wp_map_get(e, "service")), svc) == 0 &&
		    strcmp(wp_value_text(wp_map_get(e, "lang")), lang) == 0)
			return e;
	}
	return NULL;
}

void
wp_manifest_write(const char *tool, const wp_value *editions,
    const wp_value *site, wp_buf *out)
{
	wp_value *m = wp_value_new_map();

	wp_map_set_str(m, "format", FORMAT);
	wp_map_set_str(m, "tool", tool);
	wp_map_set(m, "editions", wp_value_copy(editions));
	wp_map_set(m, "site", wp_value_copy(site));
	wp_value_write_json(m, out);
	wp_buf_putc(out, '\n');
	wp_value_free(m);
}
