/*
 * catpack.c: a build's catalogs kept packed in out/ between builds
 * (catpack.h).
 */
#define _GNU_SOURCE     /* dl_iterate_phdr */
#include <elf.h>
#include <errno.h>
#include <limits.h>
#include <link.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "catpack.h"
#include "manifest.h"
#include "path.h"
#include "util.h"

#define MAGIC "wpgen-catalogs 1\n"
#define HEAD (sizeof MAGIC - 1 + 33 + 33)   /* magic, key, digest */
#define NONE 0xFFFFFFFFu

/* ---- the program's build id ---- */

typedef struct build_id {
	char hex[2 * 64 + 1];
	int found;
} build_id;

/* The GNU build id note among the notes of one segment. */
static void
note_build_id(const char *p, size_t n, build_id *id)
{
	static const char hex[] = "0123456789abcdef";
	const ElfW(Nhdr) *h;
	const unsigned char *desc;
	size_t at = 0, name, size, i;

	while (!id->found && n - at >= sizeof *h) {
		h = (const ElfW(Nhdr) *)(const void *)(p + at);
		name = (h->n_namesz + 3) & ~(size_t)3;
		size = (h->n_descsz + 3) & ~(size_t)3;
		if (name > n - at - sizeof *h ||
		    size > n - at - sizeof *h - name)
			return;
		desc = (const unsigned char *)p + at + sizeof *h + name;
		if (h->n_type == NT_GNU_BUILD_ID && h->n_namesz == 4 &&
		    memcmp(p + at + sizeof *h, "GNU", 4) == 0 &&
		    h->n_descsz > 0 && h->n_descsz <= 64) {
			for (i = 0; i < h->n_descsz; i++) {
				id->hex[2 * i] = hex[desc[i] >> 4];
				id->hex[2 * i + 1] = hex[desc[i] & 15];
			}
			id->hex[2 * i] = '\0';
			id->found = 1;
		}
		at += sizeof *h + name + size;
	}
}

/* Called for the program first (then its libraries: 1 stops). */
static int
program_notes(struct dl_phdr_info *info, size_t size, void *data)
{
	build_id *id = data;
	size_t i;

	(void)size;
	for (i = 0; i < info->dlpi_phnum; i++)
		if (info->dlpi_phdr[i].p_type == PT_NOTE)
			note_build_id((const char *)(info->dlpi_addr +
			    info->dlpi_phdr[i].p_vaddr),
			    info->dlpi_phdr[i].p_memsz, id);
	return 1;
}

/* ---- writing ---- */

static void
put_u32(wp_buf *out, size_t v)
{
	unsigned char b[4];

	b[0] = (unsigned char)(v & 0xFF);
	b[1] = (unsigned char)((v >> 8) & 0xFF);
	b[2] = (unsigned char)((v >> 16) & 0xFF);
	b[3] = (unsigned char)((v >> 24) & 0xFF);
	wp_buf_put(out, (const char *)b, 4);
}

/* -1 (none) as 0, i as i + 1. */
static void
put_index(wp_buf *out, int i)
{
	put_u32(out, (size_t)(i + 1));
}

/* A string, or none. */
static void
put_str(wp_buf *out, const char *s)
{
	size_t n;

	if (s == NULL) {
		put_u32(out, NONE);
		return;
	}
	n = strlen(s);
	put_u32(out, n);
	wp_buf_put(out, s, n);
}

static void
pack_catalog(const wp_catalog *cat, wp_buf *out)
{
	const wp_group *g;
	const wp_control *c;
	size_t i, j;

	put_str(out, cat->id);
	put_u32(out, cat->nlangs);
	for (i = 0; i < cat->nlangs; i++) {
		put_str(out, cat->langs[i]);
		put_str(out, cat->paths[i]);
		put_str(out, cat->titles[i]);
	}
	put_str(out, cat->version);
	put_u32(out, cat->ndocument_ids);
	for (i = 0; i < cat->ndocument_ids; i++)
		put_str(out, cat->document_ids[i]);
	put_u32(out, cat->ngroups);
	for (i = 0; i < cat->ngroups; i++) {
		g = &cat->groups[i];
		put_str(out, g->id);
		put_str(out, g->label);
		put_index(out, g->parent);
		put_u32(out, (size_t)g->depth);
		for (j = 0; j < cat->nlangs; j++)
			put_str(out, g->titles[j]);
	}
	put_u32(out, cat->ncontrols);
	for (i = 0; i < cat->ncontrols; i++) {
		c = &cat->controls[i];
		put_str(out, c->id);
		put_str(out, c->label);
		put_u32(out, c->nlabels);
		for (j = 0; j < c->nlabels; j++)
			put_str(out, c->labels[j]);
		put_str(out, c->alt_identifier);
		for (j = 0; j < cat->nlangs; j++)
			put_str(out, c->titles[j]);
		put_index(out, c->group);
		put_index(out, c->parent);
		put_u32(out, (size_t)c->line);
	}
}

/* The index of cat in set. */
static size_t
position_of(const wp_catalogs *set, const wp_catalog *cat)
{
	size_t i;

	for (i = 0; i < set->len && set->items[i] != cat; i++)
		;
	return i;
}

/* The mapped controls of each control of set->items[k], one way. */
static void
pack_maps(const wp_catalogs *set, size_t k, int from, wp_buf *out)
{
	const wp_catalog *cat = set->items[k];
	const wp_map_target *t;
	size_t ci, n, i, with = 0;

	for (ci = 0; ci < cat->ncontrols; ci++) {
		(from ? wp_catalogs_maps_from : wp_catalogs_maps_to)(set, cat,
		    ci, &n);
		with += n > 0;
	}
	put_u32(out, with);
	for (ci = 0; ci < cat->ncontrols; ci++) {
		t = (from ? wp_catalogs_maps_from : wp_catalogs_maps_to)(set,
		    cat, ci, &n);
		if (n == 0)
			continue;
		put_u32(out, ci);
		put_u32(out, n);
		for (i = 0; i < n; i++) {
			put_u32(out, position_of(set, t[i].catalog));
			put_u32(out, t[i].control);
			put_str(out, t[i].relationship);
		}
	}
}

/* The digest of a packing's body, in hex. */
static void
body_digest(const char *body, size_t len, char hex[33])
{
	wp_digest h;

	wp_digest_init(&h);
	wp_digest_add(&h, body, len);
	wp_digest_hex(&h, hex);
}

void
wp_catpack_pack(const wp_catalogs *set, const char *key, wp_buf *out)
{
	size_t i, start, body;
	char hex[33];

	start = out->len;
	wp_buf_puts(out, MAGIC);
	wp_buf_put(out, key, 32);
	wp_buf_putc(out, '\n');
	wp_buf_put(out, "00000000000000000000000000000000\n", 33);
	body = out->len;
	put_u32(out, set->len);
	for (i = 0; i < set->len; i++)
		pack_catalog(set->items[i], out);
	for (i = 0; i < set->len; i++) {
		pack_maps(set, i, 0, out);
		pack_maps(set, i, 1, out);
	}
	body_digest(out->data + body, out->len - body, hex);
	memcpy(out->data + start + HEAD - 33, hex, 32);
}

int
wp_catpack_write(const wp_catalogs *set, const char *path)
{
	wp_buf out = WP_BUF_INIT;
	int rc;

	if (set->cache_key == NULL)
		return 0;
	wp_catpack_pack(set, set->cache_key, &out);
	rc = wp_write_file(path, out.data, out.len);
	wp_buf_free(&out);
	return rc;
}

/* ---- reading ---- */

typedef struct reader {
	const unsigned char *p;
	size_t left;
	int bad;
} reader;

static size_t
get_u32(reader *r)
{
	size_t v;

	if (r->bad || r->left < 4) {
		r->bad = 1;
		return 0;
	}
	v = (size_t)r->p[0] | (size_t)r->p[1] << 8 | (size_t)r->p[2] << 16 |
	    (size_t)r->p[3] << 24;
	r->p += 4;
	r->left -= 4;
	return v;
}

/* A count of things of at least min bytes each that are still to come:
 * no more than the bytes left can hold. */
static size_t
get_count(reader *r, size_t min)
{
	size_t n = get_u32(r);

	if (n > r->left / min)
		r->bad = 1;
	return r->bad ? 0 : n;
}

/* An index below n, stored plus one (none: -1). */
static int
get_index(reader *r, size_t n)
{
	size_t v = get_u32(r);

	if (v > n)
		r->bad = 1;
	return r->bad ? -1 : (int)v - 1;
}

/* A number up to INT_MAX. */
static int
get_int(reader *r)
{
	size_t v = get_u32(r);

	if (v > INT_MAX)
		r->bad = 1;
	return r->bad ? 0 : (int)v;
}

/* A string (malloc'd), or NULL for none (when may_be_none) or when
 * it is not one: a length past the end, a NUL, invalid UTF-8. */
static char *
get_str(reader *r, int may_be_none)
{
	size_t n = get_u32(r);
	char *s;

	if (r->bad)
		return NULL;
	if (n == NONE) {
		r->bad = !may_be_none;
		return NULL;
	}
	if (n > r->left || memchr(r->p, '\0', n) != NULL ||
	    wp_utf8_invalid_at((const char *)r->p, n) != (size_t)-1) {
		r->bad = 1;
		return NULL;
	}
	s = xstrndup((const char *)r->p, n);
	r->p += n;
	r->left -= n;
	return s;
}

/* A string that is there and not empty. */
static char *
get_name(reader *r)
{
	char *s = get_str(r, 0);

	if (s && *s == '\0')
		r->bad = 1;
	return s;
}

static char **
get_titles(reader *r, size_t nlangs)
{
	char **v = xcalloc(nlangs + 1, sizeof *v);
	size_t i;

	for (i = 0; i < nlangs; i++)
		v[i] = get_str(r, 1);
	return v;
}

static void
get_group(reader *r, wp_catalog *cat, size_t i)
{
	wp_group *g = &cat->groups[i];

	g->id = get_name(r);
	g->label = get_str(r, 1);
	g->parent = get_index(r, i);
	g->depth = get_int(r);
	g->titles = get_titles(r, cat->nlangs);
	if (g->depth != (g->parent < 0 ? 0 :
	    cat->groups[g->parent].depth + 1))
		r->bad = 1;
}

static void
get_control(reader *r, wp_catalog *cat, size_t i)
{
	wp_control *c = &cat->controls[i];
	size_t j;

	c->id = get_name(r);
	c->label = get_str(r, 0);
	c->nlabels = get_count(r, 4);
	c->labels = xcalloc(c->nlabels + 1, sizeof *c->labels);
	for (j = 0; j < c->nlabels; j++)
		c->labels[j] = get_str(r, 0);
	c->alt_identifier = get_str(r, 1);
	c->titles = get_titles(r, cat->nlangs);
	c->group = get_index(r, cat->ngroups);
	c->parent = get_index(r, i);
	c->line = get_int(r);
	if ((c->parent >= 0 &&
	    cat->controls[c->parent].group != c->group))
		r->bad = 1;
}

/* One catalog, its id after prev's (NULL: the first); NULL when it does
 * not read. */
static wp_catalog *
get_catalog(reader *r, const wp_catalog *prev)
{
	wp_catalog *cat = xcalloc(1, sizeof *cat);
	size_t i;

	cat->id = get_name(r);
	cat->nlangs = get_count(r, 12);
	cat->langs = xcalloc(cat->nlangs + 1, sizeof *cat->langs);
	cat->paths = xcalloc(cat->nlangs + 1, sizeof *cat->paths);
	cat->titles = xcalloc(cat->nlangs + 1, sizeof *cat->titles);
	for (i = 0; i < cat->nlangs && !r->bad; i++) {
		cat->langs[i] = get_name(r);
		cat->paths[i] = get_name(r);
		cat->titles[i] = get_str(r, 1);
		if (!r->bad && i > 0 &&
		    strcmp(cat->langs[i - 1], cat->langs[i]) >= 0)
			r->bad = 1;
	}
	cat->version = get_str(r, 1);
	cat->ndocument_ids = get_count(r, 4);
	cat->document_ids = xcalloc(cat->ndocument_ids + 1,
	    sizeof *cat->document_ids);
	for (i = 0; i < cat->ndocument_ids; i++)
		cat->document_ids[i] = get_str(r, 0);
	cat->ngroups = get_count(r, 16);
	cat->groups = xcalloc(cat->ngroups + 1, sizeof *cat->groups);
	for (i = 0; i < cat->ngroups && !r->bad; i++)
		get_group(r, cat, i);
	cat->ngroups = i;
	cat->ncontrols = get_count(r, 28);
	cat->controls = xcalloc(cat->ncontrols + 1, sizeof *cat->controls);
	for (i = 0; i < cat->ncontrols && !r->bad; i++)
		get_control(r, cat, i);
	cat->ncontrols = i;
	if (cat->nlangs == 0 || (prev && cat->id &&
	    strcmp(prev->id, cat->id) >= 0))
		r->bad = 1;
	return cat;
}

/* The mapped controls of catalog k, one way: controls in order, each
 * with one at least. */
static void
get_maps(reader *r, wp_catalogs *set, size_t k, int from)
{
	size_t with = get_count(r, 8), i, n, j, ci = 0, other, oci;
	char *rel;

	for (i = 0; i < with && !r->bad; i++) {
		oci = ci;
		ci = get_u32(r);
		n = get_count(r, 12);
		if ((i > 0 && ci <= oci) || n == 0)
			r->bad = 1;
		for (j = 0; j < n && !r->bad; j++) {
			other = get_u32(r);
			oci = get_u32(r);
			rel = get_str(r, 0);
			if (!r->bad && wp_catalogs_map_add(set, from, k, ci,
			    other, oci, rel) != 0)
				r->bad = 1;
			free(rel);
		}
	}
}

wp_catalogs *
wp_catpack_unpack(const char *data, size_t len, const char *key)
{
	reader r = {(const unsigned char *)data, len, 0};
	size_t n, i;
	wp_catalogs *set;
	wp_catalog *cat;
	char hex[33];

	if (len < HEAD || memcmp(data, MAGIC, sizeof MAGIC - 1) != 0 ||
	    data[HEAD - 34] != '\n' || data[HEAD - 1] != '\n')
		return NULL;
	if (key) {
		body_digest(data + HEAD, len - HEAD, hex);
		if (memcmp(data + sizeof MAGIC - 1, key, 32) != 0 ||
		    memcmp(data + HEAD - 33, hex, 32) != 0)
			return NULL;
	}
	r.p += HEAD;
	r.left -= HEAD;
	n = get_count(&r, 20);
	set = wp_catalogs_new(n);
	for (i = 0; i < n && !r.bad; i++) {
		cat = get_catalog(&r, i ? set->items[i - 1] : NULL);
		if (r.bad)
			wp_catalog_free(cat);
		else if (wp_catalogs_add(set, cat) != 0)
			r.bad = 1;
	}
	for (i = 0; i < set->len && !r.bad; i++) {
		get_maps(&r, set, i, 0);
		get_maps(&r, set, i, 1);
	}
	wp_catalogs_maps_made(set);
	if (r.bad || r.left != 0) {
		wp_catalogs_free(set);
		return NULL;
	}
	return set;
}

/* ---- the catalogs of a build ---- */

/* The key of the texts of dir's files under this program (build id). */
static void
cache_key(const char *dir, const build_id *id, const wp_catalog_text *files,
    size_t n, char key[33])
{
	wp_digest h;
	size_t i;

	wp_digest_init(&h);
	wp_digest_add_str(&h, MAGIC);
	wp_digest_add_str(&h, id->hex);
	wp_digest_add_str(&h, dir);
	for (i = 0; i < n; i++) {
		wp_digest_add_str(&h, files[i].name);
		wp_digest_add(&h, files[i].data, files[i].len);
	}
	wp_digest_hex(&h, key);
}

static void
texts_free(wp_catalog_text *files, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free((char *)files[i].path);
		free((char *)files[i].data);
	}
	free(files);
}

wp_catalogs *
wp_catpack_load(const char *dir, const char *cache, wp_diags *d)
{
	build_id id = {"", 0};
	wp_catalog_text *files;
	wp_catalogs *set = NULL;
	char **names, key[33], *packed;
	size_t n = 0, i, len, from = d->len;

	dl_iterate_phdr(program_notes, &id);
	if (!id.found || (names = wp_dir_names(dir, ".xml", &n)) == NULL)
		return wp_catalogs_load(dir, d);
	/* Read as wp_catalogs_load reads them; one that does not read is
	 * said by it. */
	files = xcalloc(n + 1, sizeof *files);
	for (i = 0; i < n; i++) {
		files[i].name = names[i];
		files[i].path = wp_path_join(dir, names[i]);
		files[i].data = wp_read_file_max(files[i].path,
		    WP_CATALOG_MAX, &files[i].len);
		if (files[i].data == NULL) {
			texts_free(files, i + 1);
			wp_strv_free(names);
			return wp_catalogs_load(dir, d);
		}
	}
	cache_key(dir, &id, files, n, key);
	if ((packed = wp_read_own_file(cache, &len)) != NULL) {
		set = wp_catpack_unpack(packed, len, key);
		free(packed);
	}
	if (set == NULL)
		set = wp_catalogs_load_read(dir, files, n, d);
	if (set && d->len == from)
		set->cache_key = xstrdup(key);
	texts_free(files, n);
	wp_strv_free(names);
	return set;
}
