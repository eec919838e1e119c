/*
 * tests/unit/catpack.c: catalogs packed and read back (src/catpack.c).
 *
 * The project's content/catalogs (the program runs from the repository
 * root) and NIST SP 800-53 from ../shared/oscal, read from XML, packed
 * and read back: every field, lookup and mapping the same, and packed
 * again the same bytes.  Cut or damaged packings are refused, or read as
 * exactly what they say.  wp_catpack_load reads the packing only under
 * the key of the XML files it has.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "catalog.h"
#include "catpack.h"
#include "diag.h"
#include "harness.h"
#include "path.h"
#include "util.h"

#define CATALOGS "content/catalogs"
#define KEY "0123456789abcdef0123456789abcdef"
#define MAGIC_LEN 17            /* "wpgen-catalogs 1\n" */
#define HEAD_LEN (MAGIC_LEN + 33 + 33)  /* then the key, the digest */

/* --- helpers ------------------------------------------------------ */

static char *
temp_dir(void)
{
	const char *base = getenv("TMP");
	char *tmpl = xasprintf("%s/catpack-test-XXXXXX",
	    base && *base ? base : "/tmp");

	if (mkdtemp(tmpl) == NULL) {
		perror(tmpl);
		exit(3);
	}
	return tmpl;
}

static int
same_str(const char *a, const char *b)
{
	return a == NULL ? b == NULL : b != NULL && strcmp(a, b) == 0;
}

static int
same_strv(char *const *a, char *const *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!same_str(a[i], b[i]))
			return 0;
	return 1;
}

/* The mapped controls of control ci of a in set x and of b in set y,
 * one way: the same catalogs (by id), controls and relationships. */
static int
same_maps(const wp_catalogs *x, const wp_catalog *a, const wp_catalogs *y,
    const wp_catalog *b, size_t ci, int from)
{
	const wp_map_target *s, *t;
	size_t n, m, i;

	s = (from ? wp_catalogs_maps_from : wp_catalogs_maps_to)(x, a, ci,
	    &n);
	t = (from ? wp_catalogs_maps_from : wp_catalogs_maps_to)(y, b, ci,
	    &m);
	if (n != m)
		return 0;
	for (i = 0; i < n; i++)
		if (strcmp(s[i].catalog->id, t[i].catalog->id) != 0 ||
		    s[i].control != t[i].control ||
		    strcmp(s[i].relationship, t[i].relationship) != 0)
			return 0;
	return 1;
}

/* Every name of control ci finds the same control in a and in b, as
 * written and upper-cased (the normal forms and case folding). */
static int
same_finds(const wp_catalog *a, const wp_catalog *b, size_t ci)
{
	const wp_control *c = &a->controls[ci];
	const char *names[4];
	char *up;
	size_t i, j, n = 0;
	int ok = 1;

	names[n++] = c->id;
	names[n++] = c->label;
	if (c->alt_identifier)
		names[n++] = c->alt_identifier;
	if (c->nlabels)
		names[n++] = c->labels[c->nlabels - 1];
	for (i = 0; i < n; i++) {
		up = xstrdup(names[i]);
		for (j = 0; up[j]; j++)
			if (up[j] >= 'a' && up[j] <= 'z')
				up[j] = (char)(up[j] - 'a' + 'A');
		ok &= wp_catalog_find(a, names[i]) == wp_catalog_find(b,
		    names[i]);
		ok &= wp_catalog_find(a, up) == wp_catalog_find(b, up);
		free(up);
	}
	return ok;
}

/* Sets x and y hold the same catalogs, field by field, with the same
 * lookups and mappings; the first difference is reported. */
static void
check_same_sets(const wp_catalogs *x, const wp_catalogs *y)
{
	const wp_catalog *a, *b;
	const wp_group *g, *h;
	const wp_control *c, *e;
	size_t k, i;

	CHECK_INT(x->len, y->len);
	for (k = 0; k < x->len && k < y->len; k++) {
		a = x->items[k];
		b = y->items[k];
		CHECK_STR(b->id, a->id);
		CHECK(wp_catalogs_get(y, a->id) == b);
		CHECK_INT(b->nlangs, a->nlangs);
		if (b->nlangs != a->nlangs)
			return;
		CHECK(same_strv(a->langs, b->langs, a->nlangs));
		CHECK(same_strv(a->paths, b->paths, a->nlangs));
		CHECK(same_strv(a->titles, b->titles, a->nlangs));
		CHECK(same_str(a->version, b->version));
		CHECK_INT(b->ndocument_ids, a->ndocument_ids);
		CHECK(b->ndocument_ids == a->ndocument_ids &&
		    same_strv(a->document_ids, b->document_ids,
		    a->ndocument_ids));
		CHECK_INT(b->ngroups, a->ngroups);
		for (i = 0; i < a->ngroups && i < b->ngroups; i++) {
			g = &a->groups[i];
			h = &b->groups[i];
			if (!same_str(g->id, h->id) ||
			    !same_str(g->label, h->label) ||
			    g->parent != h->parent || g->depth != h->depth ||
			    !same_strv(g->titles, h->titles, a->nlangs)) {
				test_fail_at(__FILE__, __LINE__, "%s: group %zu "
				    "(%s) differs", a->id, i, g->id);
				return;
			}
		}
		CHECK_INT(b->ncontrols, a->ncontrols);
		for (i = 0; i < a->ncontrols && i < b->ncontrols; i++) {
			c = &a->controls[i];
			e = &b->controls[i];
			if (!same_str(c->id, e->id) ||
			    !same_str(c->label, e->label) ||
			    c->nlabels != e->nlabels ||
			    !same_strv(c->labels, e->labels, c->nlabels) ||
			    !same_str(c->alt_identifier, e->alt_identifier) ||
			    !same_strv(c->titles, e->titles, a->nlangs) ||
			    c->group != e->group || c->parent != e->parent ||
			    c->line != e->line || !same_finds(a, b, i) ||
			    !same_maps(x, a, y, b, i, 0) ||
			    !same_maps(x, a, y, b, i, 1)) {
				test_fail_at(__FILE__, __LINE__, "%s: control "
				    "%zu (%s) differs", a->id, i, c->id);
				return;
			}
		}
	}
}

/* set, packed, read back: the same set, which packs the same bytes. */
static void
check_round_trip(const wp_catalogs *set)
{
	wp_buf one = WP_BUF_INIT, two = WP_BUF_INIT;
	wp_catalogs *back;

	wp_catpack_pack(set, KEY, &one);
	back = wp_catpack_unpack(one.data, one.len, KEY);
	CHECK(back != NULL);
	if (back) {
		check_same_sets(set, back);
		wp_catpack_pack(back, KEY, &two);
		CHECK(two.len == one.len &&
		    memcmp(one.data, two.data, one.len) == 0);
	}
	wp_catalogs_free(back);
	wp_buf_free(&one);
	wp_buf_free(&two);
}

/* --- cases -------------------------------------------------------- */

static void
iso_packs_and_reads_back_the_same(void)
{
	wp_diags d;
	wp_catalogs *set;
	size_t i, controls = 0, maps = 0, n;

	wp_diags_init(&d);
	set = wp_catalogs_load(CATALOGS, &d);
	CHECK(set != NULL && d.len == 0);
	if (set == NULL)
		return;
	/* (what is compared is there to compare) */
	for (i = 0; i < set->len; i++) {
		controls += set->items[i]->ncontrols;
		wp_catalogs_maps_to(set, set->items[i], 0, &n);
		maps += n;
	}
	CHECK(set->len >= 2 && controls >= 200 && maps > 0);
	check_round_trip(set);
	wp_catalogs_free(set);
	wp_diags_free(&d);
}

static void
nist_packs_and_reads_back_the_same(void)
{
	char *dir = temp_dir();
	char *rel = wp_path_join(test_shared_dir(),
	    "oscal/nist-800-53r5-moderate.en.xml");
	char *from = realpath(rel, NULL);
	char *to = wp_path_join(dir, "nist-800-53r5-moderate.en.xml");
	wp_diags d;
	wp_catalogs *set;

	CHECK(from != NULL && symlink(from, to) == 0);
	wp_diags_init(&d);
	set = wp_catalogs_load(dir, &d);
	CHECK(set != NULL && d.len == 0 && set->len == 1);
	/* (enhancements: controls with a parent, in groups) */
	CHECK(set && set->items[0]->ngroups == 18 &&
	    set->items[0]->ncontrols == 287);
	if (set)
		check_round_trip(set);
	wp_catalogs_free(set);
	wp_diags_free(&d);
	wp_remove_tree(dir);
	free(dir);
	free(rel);
	free(from);
	free(to);
}

static void
another_key_is_refused(void)
{
	wp_buf b = WP_BUF_INIT;
	wp_diags d;
	wp_catalogs *set, *back;

	wp_diags_init(&d);
	set = wp_catalogs_load(CATALOGS, &d);
	if (set == NULL) {
		CHECK(set != NULL);
		return;
	}
	wp_catpack_pack(set, KEY, &b);
	CHECK(wp_catpack_unpack(b.data, b.len,
	    "0123456789abcdef0123456789abcdee") == NULL);
	back = wp_catpack_unpack(b.data, b.len, NULL);
	CHECK(back != NULL);
	wp_catalogs_free(back);
	/* not a packing at all */
	CHECK(wp_catpack_unpack("", 0, NULL) == NULL);
	CHECK(wp_catpack_unpack(b.data, b.len - 1, NULL) == NULL);
	wp_buf_put(&b, "", 1);
	CHECK(wp_catpack_unpack(b.data, b.len, NULL) == NULL);
	wp_catalogs_free(set);
	wp_buf_free(&b);
	wp_diags_free(&d);
}

/* A packing cut anywhere is refused: the head, every length and count
 * near the start, and the rest a step at a time. */
static void
every_cut_is_refused(void)
{
	wp_buf b = WP_BUF_INIT;
	wp_diags d;
	wp_catalogs *set, *back;
	size_t len, bad = 0, tried = 0;

	wp_diags_init(&d);
	set = wp_catalogs_load(CATALOGS, &d);
	if (set == NULL) {
		CHECK(set != NULL);
		return;
	}
	wp_catpack_pack(set, KEY, &b);
	for (len = 0; len < b.len; len += len < 600 || len + 600 > b.len ?
	    1 : 37) {
		tried++;
		if ((back = wp_catpack_unpack(b.data, len, NULL)) != NULL) {
			bad++;
			wp_catalogs_free(back);
		}
	}
	CHECK(tried > 1500);
	CHECK_INT(bad, 0);
	wp_catalogs_free(set);
	wp_buf_free(&b);
	wp_diags_free(&d);
}

/* A byte changed, read without asking its key and digest (as the
 * fuzz target does): refused, or read as exactly what it then says (it
 * packs again to the changed bytes, but for the digest).  Every byte
 * of the first 4,000 (the head, the first catalog's fields and groups),
 * each changed to a few values: an index or count out of range, a
 * parent after its child, a NUL or a broken UTF-8 sequence in a
 * string. */
static void
damaged_packing_is_refused_or_exact(void)
{
	static const unsigned char to[] = {0x00, 0x01, 0x7F, 0x80, 0xFF};
	wp_buf b = WP_BUF_INIT, again = WP_BUF_INIT;
	wp_diags d;
	wp_catalogs *set, *back;
	size_t i, k, refused = 0, read = 0, wrong = 0;
	char was;

	wp_diags_init(&d);
	set = wp_catalogs_load(CATALOGS, &d);
	if (set == NULL) {
		CHECK(set != NULL);
		return;
	}
	wp_catpack_pack(set, KEY, &b);
	for (i = 0; i < b.len && i < 4000; i++) {
		was = b.data[i];
		for (k = 0; k < sizeof to; k++) {
			if ((unsigned char)was == to[k])
				continue;
			b.data[i] = (char)to[k];
			back = wp_catpack_unpack(b.data, b.len, NULL);
			if (back == NULL) {
				refused++;
				continue;
			}
			read++;
			again.len = 0;
			wp_catpack_pack(back, b.data + strlen("wpgen-catalogs "
			    "1\n"), &again);
			if (again.len != b.len || memcmp(again.data, b.data,
			    MAGIC_LEN + 33) != 0 || memcmp(again.data +
			    HEAD_LEN, b.data + HEAD_LEN, b.len - HEAD_LEN) != 0)
				wrong++;
			wp_catalogs_free(back);
		}
		b.data[i] = was;
	}
	/* (both happen: the case tests something) */
	CHECK(refused > 1000 && read > 100);
	CHECK_INT(wrong, 0);
	wp_catalogs_free(set);
	wp_buf_free(&b);
	wp_buf_free(&again);
	wp_diags_free(&d);
}

/* With its key asked, a packing with any byte changed is refused (the
 * digest of its body, or its head). */
static void
damaged_packing_is_refused_under_its_key(void)
{
	wp_buf b = WP_BUF_INIT;
	wp_diags d;
	wp_catalogs *set, *back;
	size_t i, read = 0, tried = 0;
	char was;

	wp_diags_init(&d);
	set = wp_catalogs_load(CATALOGS, &d);
	if (set == NULL) {
		CHECK(set != NULL);
		return;
	}
	wp_catpack_pack(set, KEY, &b);
	for (i = 0; i < b.len; i += i < 2 * HEAD_LEN ? 1 : 53) {
		was = b.data[i];
		b.data[i] = (char)(was ^ 0x20);
		tried++;
		if ((back = wp_catpack_unpack(b.data, b.len, KEY)) != NULL) {
			read++;
			wp_catalogs_free(back);
		}
		b.data[i] = was;
	}
	back = wp_catpack_unpack(b.data, b.len, KEY);
	CHECK(back != NULL && tried > 500);
	CHECK_INT(read, 0);
	wp_catalogs_free(back);
	wp_catalogs_free(set);
	wp_buf_free(&b);
	wp_diags_free(&d);
}

static void
put_file(const char *dir, const char *name, const char *text)
{
	char *path = wp_path_join(dir, name);

	if (wp_write_file(path, text, strlen(text)) != 0) {
		perror(path);
		exit(3);
	}
	free(path);
}

#define SMALL_CATALOG \
	"<catalog xmlns=\"http://csrc.nist.gov/ns/oscal/1.0\">\n" \
	"<metadata><title>Small</title></metadata>\n" \
	"<group id=\"g-1\"><title>One</title>\n" \
	"<control id=\"c-1.1\"><title>%s</title></control>\n" \
	"</group></catalog>\n"

/* The title of the only control of set's only catalog. */
static const char *
only_title(const wp_catalogs *set)
{
	if (set == NULL || set->len != 1 || set->items[0]->ncontrols != 1)
		return "(not one control)";
	return wp_control_title(set->items[0], &set->items[0]->controls[0],
	    "en", NULL);
}

/* wp_catpack_load: from XML and keyed; then from the packing under its
 * key (a packing made to say another title says it); from XML again
 * once a file changed; not keyed with a diagnostic. */
static void
load_reads_the_packing_of_the_same_files(void)
{
	char *dir = temp_dir(), *cats = wp_path_join(dir, "catalogs");
	char *other = wp_path_join(dir, "other");
	char *cache = wp_path_join(dir, WP_CATPACK_NAME), *text;
	wp_catalogs *one, *two, *three;
	wp_buf b = WP_BUF_INIT;
	wp_diags d;

	CHECK(wp_mkdir_p(cats) == 0 && wp_mkdir_p(other) == 0);
	text = xasprintf(SMALL_CATALOG, "First");
	put_file(cats, "small.en.xml", text);
	free(text);
	text = xasprintf(SMALL_CATALOG, "Said by the packing");
	put_file(other, "small.en.xml", text);
	free(text);
	wp_diags_init(&d);
	one = wp_catpack_load(cats, cache, &d);
	CHECK(one != NULL && d.len == 0 && one->cache_key != NULL);
	CHECK(one && wp_catpack_write(one, cache) == 0);
	two = wp_catpack_load(cats, cache, &d);
	CHECK(two != NULL && d.len == 0 && two->cache_key != NULL &&
	    one && strcmp(two->cache_key, one->cache_key) == 0);
	if (one && two)
		check_same_sets(one, two);
	wp_catalogs_free(two);
	/* other catalogs packed under the key of cats: read, they are
	 * what is said */
	two = wp_catalogs_load(other, &d);
	if (one && two) {
		wp_catpack_pack(two, one->cache_key, &b);
		CHECK(wp_write_file(cache, b.data, b.len) == 0);
	}
	wp_catalogs_free(two);
	two = wp_catpack_load(cats, cache, &d);
	CHECK_STR(only_title(two), "Said by the packing");
	CHECK(d.len == 0);
	/* another title: the packing is not theirs */
	text = xasprintf(SMALL_CATALOG, "Second");
	put_file(cats, "small.en.xml", text);
	free(text);
	three = wp_catpack_load(cats, cache, &d);
	CHECK(three != NULL && three->cache_key != NULL &&
	    one && strcmp(three->cache_key, one->cache_key) != 0);
	CHECK_STR(only_title(three), "Second");
	wp_catalogs_free(three);
	/* a file with a warning: read, not kept */
	put_file(cats, "notes.xml", "<notes/>\n");
	three = wp_catpack_load(cats, cache, &d);
	CHECK(three != NULL && d.len == 1 && three->cache_key == NULL);
	wp_catalogs_free(one);
	wp_catalogs_free(two);
	wp_catalogs_free(three);
	wp_diags_free(&d);
	wp_buf_free(&b);
	wp_remove_tree(dir);
	free(dir);
	free(cats);
	free(other);
	free(cache);
}

int
main(void)
{
	TEST_RUN(iso_packs_and_reads_back_the_same);
	TEST_RUN_SHARED(nist_packs_and_reads_back_the_same,
	    "oscal/nist-800-53r5-moderate.en.xml");
	TEST_RUN(another_key_is_refused);
	TEST_RUN(every_cut_is_refused);
	TEST_RUN(damaged_packing_is_refused_or_exact);
	TEST_RUN(damaged_packing_is_refused_under_its_key);
	TEST_RUN(load_reads_the_packing_of_the_same_files);
	return test_exit_status();
}
