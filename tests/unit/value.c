/*
 * value.c: unit tests of value trees (value.h) and arenas (arena.h):
 * lookup by hashed keys, keys interned, replacing an entry, borrowed values, a map made
 * from another's entries, values made in an arena and heap values an
 * arena takes over, values of an arena changed in place (pointed at
 * texts they borrow), an arena reset between items; JSON escaping of
 * texts of every length up to 50 bytes; and digests
 * (manifest.h) given in pieces, the manifest's records, and when the
 * stat data of a file digested from a text read before may be trusted.
 * Run under ASan, a leak, a double free or a use after free fails the
 * program.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "arena.h"
#include "buf.h"
#include "harness.h"
#include "manifest.h"
#include "path.h"
#include "summary.h"
#include "util.h"
#include "value.h"

/* The value as JSON, malloc'd. */
static char *
json(const wp_value *v)
{
	wp_buf b = WP_BUF_INIT;

	wp_value_write_json(v, &b);
	return wp_buf_detach(&b);
}

#define CHECK_JSON(v, want) do { char *j_ = json(v); CHECK_STR(j_, want); \
	free(j_); } while (0)

static void
value_map_lookup_and_replace(void)
{
	wp_value *m = wp_value_new_map();
	char key[16];
	int i;

	for (i = 0; i < 100; i++) {
		snprintf(key, sizeof key, "k%d", i);
		wp_map_set_int(m, key, i);
	}
	wp_map_set_str(m, "k7", "seven");      /* replaces, frees the old */
	CHECK_INT(wp_value_len(m), 100);
	CHECK_STR(wp_value_text(wp_map_get(m, "k7")), "seven");
	CHECK_STR(wp_value_text(wp_map_get(m, "k99")), "99");
	CHECK_STR(wp_value_text(wp_map_get_interned(m,
	    wp_key_intern("k42", wp_key_hash("k42")), wp_key_hash("k42"))),
	    "42");
	CHECK(wp_map_get(m, "k100") == NULL);
	CHECK(wp_map_get(m, "") == NULL);
	CHECK_STR(m->u.map.items[7].key, "k7");  /* keeps its place */
	wp_value_free(m);
}

/* A map made from another (wp_map_new_with_in) holds its entries,
 * shared: setting one of them or a new key in it leaves the other as it
 * was; both are found by key, in the order the entries were made. */
static void
value_map_with(void)
{
	wp_arena *shared = wp_arena_new(), *page = wp_arena_new();
	wp_value *base = wp_value_new_map_in(shared), *row, *row2;
	char key[16];
	int i;

	wp_map_set_str(base, "id", "9.2.1");
	wp_map_set_str(base, "title", "User registration");
	for (i = 0; i < 20; i++) {
		snprintf(key, sizeof key, "k%d", i);
		wp_map_set_int(base, key, i);
	}
	row = wp_map_new_with_in(page, base, 2);
	CHECK(wp_map_get(row, "title") == wp_map_get(base, "title"));
	wp_map_set_bool(row, "addressed", 1);
	wp_map_set_str(row, "id", "A.5.16");     /* replaces, in row only */
	for (i = 0; i < 10; i++) {               /* grows past its room */
		snprintf(key, sizeof key, "new%d", i);
		wp_map_set_int(row, key, i);
	}
	CHECK_INT(wp_value_len(row), 33);
	CHECK_INT(wp_value_len(base), 22);
	CHECK_STR(wp_value_text(wp_map_get(row, "id")), "A.5.16");
	CHECK_STR(wp_value_text(wp_map_get(base, "id")), "9.2.1");
	CHECK_STR(wp_value_text(wp_map_get(row, "k19")), "19");
	CHECK_STR(wp_value_text(wp_map_get(row, "new9")), "9");
	CHECK(wp_map_get(base, "addressed") == NULL);
	CHECK(wp_map_get(base, "new0") == NULL);
	CHECK(wp_map_get(row, "new10") == NULL);
	row2 = wp_map_new_with_in(page, base, 0);
	wp_map_set_bool(row2, "addressed", 0);
	CHECK_JSON(row2, "{\"id\":\"9.2.1\",\"title\":\"User registration\","
	    "\"k0\":0,\"k1\":1,\"k2\":2,\"k3\":3,\"k4\":4,\"k5\":5,"
	    "\"k6\":6,\"k7\":7,\"k8\":8,\"k9\":9,\"k10\":10,\"k11\":11,"
	    "\"k12\":12,\"k13\":13,\"k14\":14,\"k15\":15,\"k16\":16,"
	    "\"k17\":17,\"k18\":18,\"k19\":19,\"addressed\":false}");
	wp_arena_free(page);
	CHECK_STR(wp_value_text(wp_map_get(base, "title")), "User registration");
	wp_arena_free(shared);
}

/* Keys whose hashes are equal ("k32728" and "k261234": FNV-1a 0x92c402be)
 * are two keys, in a map too small for an index and in one that keeps
 * one (value.c: 16 entries' room or more), on the heap and in an arena,
 * before and after the map grows. */
static void
value_map_equal_hashes(void)
{
	wp_arena *a = wp_arena_new();
	wp_value *maps[2] = {wp_value_new_map(), wp_value_new_map_in(a)};
	char key[16];
	int i, j;

	CHECK(wp_key_hash("k32728") == wp_key_hash("k261234"));
	for (j = 0; j < 2; j++) {
		wp_map_set_str(maps[j], "k32728", "first");
		CHECK(wp_map_get(maps[j], "k261234") == NULL);
		wp_map_set_str(maps[j], "k261234", "second");
		for (i = 0; i < 40; i++) {
			CHECK_STR(wp_value_text(wp_map_get(maps[j],
			    "k32728")), "first");
			CHECK_STR(wp_value_text(wp_map_get(maps[j],
			    "k261234")), "second");
			snprintf(key, sizeof key, "x%d", i);
			CHECK(wp_map_get(maps[j], key) == NULL);
			wp_map_set_int(maps[j], key, i);
			CHECK_STR(wp_value_text(wp_map_get(maps[j], key)),
			    key + 1);
		}
		wp_map_set_str(maps[j], "k261234", "replaced");
		CHECK_STR(wp_value_text(wp_map_get(maps[j], "k261234")),
		    "replaced");
		CHECK_STR(wp_value_text(wp_map_get(maps[j], "k32728")),
		    "first");
		CHECK_INT(wp_value_len(maps[j]), 42);
		CHECK_STR(maps[j]->u.map.items[1].key, "k261234");
	}
	wp_value_free(maps[0]);
	wp_arena_free(a);
}

/* Keys are interned (value.h): a key set in two maps, from two buffers,
 * is one string, the one wp_key_intern() gives, kept after the buffer
 * changes and the maps are freed, and the same after the table of keys
 * has grown; two keys of one hash are two strings; looking up a key
 * never set interns nothing. */
static void
value_keys_interned(void)
{
	wp_arena *a = wp_arena_new();
	wp_value *heap = wp_value_new_map(), *in = wp_value_new_map_in(a), *c;
	char buf[32], key[32];
	const char *title, *k0;
	int i;

	snprintf(buf, sizeof buf, "title");
	wp_map_set_str(heap, buf, "heap");
	snprintf(buf, sizeof buf, "omega");       /* the caller's buffer */
	memcpy(key, "title", 6);
	wp_map_set_str(in, key, "arena");
	title = wp_key_intern("title", wp_key_hash("title"));
	CHECK(heap->u.map.items[0].key == title);
	CHECK(in->u.map.items[0].key == title);
	CHECK(heap->u.map.items[0].key != buf && in->u.map.items[0].key !=
	    key);
	CHECK(wp_map_get(heap, "omega") == NULL);
	CHECK_STR(wp_value_text(wp_map_get(heap, "title")), "heap");
	CHECK_STR(wp_value_text(wp_map_get_interned(in, title,
	    wp_key_hash("title"))), "arena");
	c = wp_value_copy(heap);
	CHECK(c->u.map.items[0].key == title);
	wp_value_free(c);

	CHECK(wp_key_interned("never-set-key", wp_key_hash("never-set-key"))
	    == NULL);
	CHECK(wp_map_get(heap, "never-set-key") == NULL);
	CHECK(wp_key_interned("never-set-key", wp_key_hash("never-set-key"))
	    == NULL);

	CHECK(wp_key_intern("k32728", wp_key_hash("k32728")) !=
	    wp_key_intern("k261234", wp_key_hash("k261234")));
	CHECK_STR(wp_key_intern("k261234", wp_key_hash("k261234")),
	    "k261234");

	k0 = wp_key_intern("grow0", wp_key_hash("grow0"));
	for (i = 1; i < 3000; i++) {              /* the table grows */
		snprintf(key, sizeof key, "grow%d", i);
		wp_map_set_int(heap, key, i);
	}
	CHECK(wp_key_intern("grow0", wp_key_hash("grow0")) == k0);
	CHECK_STR(wp_value_text(wp_map_get(heap, "grow2999")), "2999");
	CHECK(wp_map_get(heap, "grow0") == NULL);  /* interned, not set */
	wp_value_free(heap);
	wp_arena_free(a);
	CHECK(wp_key_intern("title", wp_key_hash("title")) == title);
	CHECK_STR(title, "title");
}

/* A key set again and again from one buffer whose text changes (the
 * address the last keys set are remembered by, value.c) is each time
 * the key its text says. */
static void
value_keys_same_buffer(void)
{
	wp_value *m = wp_value_new_map();
	char buf[16];
	int i, round;

	for (round = 0; round < 2; round++) {
		for (i = 0; i < 50; i++) {
			snprintf(buf, sizeof buf, "b%d", i);
			wp_map_set_int(m, buf, round * 100 + i);
		}
	}
	CHECK_INT(wp_value_len(m), 50);
	for (i = 0; i < 50; i++) {
		snprintf(buf, sizeof buf, "b%d", i);
		CHECK_INT(atoi(wp_value_text(wp_map_get(m, buf))), 100 + i);
		CHECK_STR(m->u.map.items[i].key, buf);
	}
	wp_value_free(m);
}

/* A map borrowing another's entries (wp_map_new_borrowing) has its keys,
 * in order, and the same values; setting a key in it, or freeing it,
 * leaves the other as it was (ASan). */
static void
value_map_borrowing(void)
{
	wp_value *base = wp_value_new_map(), *m;
	char key[16];
	int i;

	for (i = 0; i < 40; i++) {
		snprintf(key, sizeof key, "l%d", i);
		wp_map_set_int(base, key, i);
	}
	m = wp_map_new_borrowing(base);
	CHECK_INT(wp_value_len(m), 40);
	CHECK(wp_map_get(m, "l39") == wp_map_get(base, "l39"));
	CHECK(m->u.map.items[7].key == base->u.map.items[7].key);
	wp_map_set_str(m, "l7", "own");
	wp_map_set_str(m, "extra", "x");
	CHECK_STR(wp_value_text(wp_map_get(m, "l7")), "own");
	CHECK_STR(wp_value_text(wp_map_get(base, "l7")), "7");
	CHECK(wp_map_get(base, "extra") == NULL);
	wp_value_free(m);
	CHECK_STR(wp_value_text(wp_map_get(base, "l39")), "39");
	wp_value_free(base);
}

/* wp_keys_forget frees the interned keys (ASan: freed, not leaked); keys
 * set after it are interned again, remembered or not, and found.  (Run
 * last: no map of the other tests may hold a key then.) */
static void
value_keys_forgotten(void)
{
	wp_value *m = wp_value_new_map();
	char buf[16];

	wp_map_set_str(m, "title", "one");
	wp_value_free(m);
	wp_keys_forget();
	CHECK(wp_key_interned("title", wp_key_hash("title")) == NULL);
	m = wp_value_new_map();
	wp_map_set_str(m, "title", "two");
	snprintf(buf, sizeof buf, "title");
	CHECK_STR(wp_value_text(wp_map_get(m, buf)), "two");
	wp_map_set_str(m, buf, "three");
	CHECK_INT(wp_value_len(m), 1);
	CHECK(m->u.map.items[0].key == wp_key_intern("title",
	    wp_key_hash("title")));
	wp_value_free(m);
	wp_keys_forget();
}

/* Booleans are two shared constants: a heap map holding them, replacing
 * them, copied and freed frees neither (ASan); integers in decimal, to
 * the extremes. */
static void
value_bool_int(void)
{
	wp_value *m = wp_value_new_map(), *c;
	const wp_value *t = wp_map_set_bool(m, "yes", 1);

	CHECK(wp_map_set_bool(m, "also", 7) == t);
	CHECK(wp_map_set_bool(m, "no", 0) != t);
	CHECK(wp_value_truthy(t) && !wp_value_truthy(wp_map_get(m, "no")));
	wp_map_set_str(m, "also", "replaced");
	wp_map_set_bool(m, "no", 1);
	CHECK(wp_map_get(m, "no") == t);
	wp_map_set_int(m, "zero", 0);
	wp_map_set_int(m, "neg", -42);
	wp_map_set_int(m, "max", 9223372036854775807LL);
	wp_map_set_int(m, "min", -9223372036854775807LL - 1);
	c = wp_value_copy(m);
	CHECK_JSON(c, "{\"yes\":true,\"also\":\"replaced\",\"no\":true,"
	    "\"zero\":0,\"neg\":-42,\"max\":9223372036854775807,"
	    "\"min\":-9223372036854775808}");
	wp_value_free(c);
	wp_value_free(m);
	c = wp_value_new_int(-7);
	CHECK_STR(wp_value_text(c), "-7");
	wp_value_free(c);
}

static void
value_borrowed(void)
{
	wp_value *shared = wp_value_new_map(), *a = wp_value_new_map(),
	    *b = wp_value_new_map(), *c;

	wp_map_set_str(shared, "x", "1");
	wp_map_set_ref(a, "labels", shared);
	wp_map_set_ref(b, "labels", shared);
	CHECK(wp_map_get(a, "labels") == shared);
	c = wp_value_copy(a);                   /* a copy owns its own */
	CHECK(wp_map_get(c, "labels") != shared);
	CHECK_JSON(c, "{\"labels\":{\"x\":\"1\"}}");
	wp_value_free(a);                       /* leaves shared alone */
	wp_map_set_str(b, "labels", "owned now");  /* replacing a borrowed */
	CHECK_JSON(b, "{\"labels\":\"owned now\"}");
	CHECK_JSON(shared, "{\"x\":\"1\"}");
	wp_value_free(b);
	wp_value_free(c);
	wp_value_free(shared);
}

static void
value_in_arena(void)
{
	wp_arena *a = wp_arena_new();
	wp_value *m = wp_value_new_map_in(a), *list, *item, *heap;
	char big[3000];
	int i;

	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	list = wp_map_set_list(m, "rows");
	for (i = 0; i < 1000; i++) {
		item = wp_list_push_map(list);
		CHECK(item->arena == a);
		wp_map_set_int(item, "n", i);
		wp_map_set_bool(item, "last", i == 999);
		wp_map_set_str(item, "big", i % 100 ? "small" : big);
		wp_map_set_str(item, "none", NULL);
		wp_list_push_str(wp_map_set_list(item, "tags"), "t");
	}
	wp_map_set_str(m, "title", "first");
	wp_map_set_str(m, "title", "second");   /* the first stays the arena's */
	heap = wp_value_new_string_owned(xstrdup("a heap string"));
	wp_map_set(m, "body", heap);            /* taken over by the arena */
	wp_list_push(list, wp_value_copy(wp_map_get(m, "title")));
	wp_value_free(m);                       /* does nothing */
	CHECK_INT(wp_value_len(list), 1001);
	CHECK_STR(wp_value_text(wp_map_get(list->u.list.items[999], "n")),
	    "999");
	CHECK_STR(wp_value_text(wp_map_get(list->u.list.items[100], "big")),
	    big);
	CHECK_STR(wp_value_text(wp_map_get(m, "title")), "second");
	CHECK_STR(wp_value_text(wp_map_get(m, "body")), "a heap string");
	CHECK_STR(wp_value_text(list->u.list.items[1000]), "second");
	CHECK(wp_map_get(list->u.list.items[0], "none")->kind == WP_NULL);
	wp_arena_free(a);                       /* frees body and the copy */
}

/* wp_map_set_join: the parts joined, on the heap and in an arena, an
 * empty part and no part at all included. */
static void
value_join(void)
{
	const char *parts[] = {"#wp-row-", "iso27017", "-", "", "A.9.2.1",
	    NULL};
	const char *none[] = {NULL};
	wp_arena *a = wp_arena_new();
	wp_value *heap = wp_value_new_map(), *m = wp_value_new_map_in(a), *v;

	v = wp_map_set_join(heap, "href", parts);
	CHECK_STR(wp_value_text(v), "#wp-row-iso27017-A.9.2.1");
	CHECK_INT((long long)v->u.str.len, 24);
	CHECK(v->arena == NULL);
	v = wp_map_set_join(m, "href", parts);
	CHECK(v->arena == a);
	CHECK_STR(wp_value_text(wp_map_get(m, "href")),
	    "#wp-row-iso27017-A.9.2.1");
	v = wp_map_set_join(heap, "empty", none);
	CHECK_STR(wp_value_text(v), "");
	CHECK_INT((long long)v->u.str.len, 0);
	wp_value_free(heap);
	wp_arena_free(a);
}

/* wp_value_point_text, wp_value_point_bool: a value of an arena made a
 * string, a number, null and a boolean in turn, its text borrowed (the
 * caller's buffer changed and pointed at again), what a lookup then
 * finds and how it is rendered as JSON. */
static void
value_pointed(void)
{
	wp_arena *a = wp_arena_new();
	wp_value *m = wp_value_new_map_in(a), *v;
	char text[16];

	v = wp_map_set_str(m, "f", NULL);
	CHECK(v->kind == WP_NULL);
	strcpy(text, "first");
	wp_value_point_text(v, WP_STRING, text);
	CHECK(v->kind == WP_STRING);
	CHECK(v->u.str.text == text);           /* not copied */
	CHECK_INT((long long)v->u.str.len, 5);
	CHECK(wp_map_get(m, "f") == v);
	CHECK_JSON(m, "{\"f\":\"first\"}");
	strcpy(text, "12");
	wp_value_point_text(v, WP_NUMBER, text);
	CHECK_JSON(m, "{\"f\":12}");
	wp_value_point_text(v, WP_STRING, NULL);
	CHECK(v->kind == WP_NULL);
	CHECK(!wp_value_truthy(v));
	wp_value_point_bool(v, 7);
	CHECK(v->kind == WP_BOOL);
	CHECK_INT(v->u.boolean, 1);
	CHECK_JSON(m, "{\"f\":true}");
	wp_value_point_bool(v, 0);
	CHECK(!wp_value_truthy(v));
	wp_value_point_text(v, WP_STRING, "");
	CHECK(!wp_value_truthy(v));
	CHECK_JSON(m, "{\"f\":\"\"}");
	wp_arena_free(a);
}

/* The JSON string literal of s[0..n), a byte at a time: what
 * wp_buf_put_json, which passes sixteen bytes at a time over text that
 * needs no escape, must give. */
static void
json_bytewise(wp_buf *out, const char *s, size_t n)
{
	size_t i;
	char u[8];

	wp_buf_putc(out, '"');
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"')
			wp_buf_puts(out, "\\\"");
		else if (c == '\\')
			wp_buf_puts(out, "\\\\");
		else if (c == '\n')
			wp_buf_puts(out, "\\n");
		else if (c == '\r')
			wp_buf_puts(out, "\\r");
		else if (c == '\t')
			wp_buf_puts(out, "\\t");
		else if (c < 0x20) {
			snprintf(u, sizeof u, "\\u%04x", c);
			wp_buf_puts(out, u);
		} else
			wp_buf_putc(out, (char)c);
	}
	wp_buf_putc(out, '"');
}

/* wp_buf_put_json: every length up to 50 bytes (Japanese and ASCII),
 * each character that needs an escape at each position, a second one
 * three bytes later; each text in a block of its own size (ASan fails a
 * read past it). */
static void
json_escaping_lengths(void)
{
	static const char special[] = "\"\\\n\r\t\x01\x1f";
	const char *ja = "\xe3\x81\x82\xe3\x81\x84\x7f\xe3\x81\x86";
	char text[64], *exact;
	wp_buf got = WP_BUF_INIT, want = WP_BUF_INIT;
	size_t n, p, k, i, nspecial = sizeof special - 1;
	int bad = 0;

	for (n = 0; n <= 50 && !bad; n++) {
		for (p = 0; p <= n && !bad; p++) {
			for (k = 0; k < nspecial && !bad; k++) {
				for (i = 0; i < n; i++)
					text[i] = i % 4 ? ja[i % 10] : 'a';
				if (p < n)
					text[p] = special[k];
				if (p + 3 < n)
					text[p + 3] = special[(k + 1) %
					    nspecial];
				exact = xmalloc(n ? n : 1);
				memcpy(exact, text, n);
				wp_buf_clear(&got);
				wp_buf_clear(&want);
				wp_buf_put_json(&got, exact, n);
				free(exact);
				json_bytewise(&want, text, n);
				bad = got.len != want.len ||
				    memcmp(wp_buf_cstr(&got), wp_buf_cstr(&want),
				    got.len) != 0;
			}
		}
	}
	CHECK(!bad);
	if (bad)
		CHECK_STR(wp_buf_cstr(&got), wp_buf_cstr(&want));
	wp_buf_free(&got);
	wp_buf_free(&want);
}

static int cleanups;

static void
count_cleanup(void *p)
{
	CHECK(p == &cleanups);
	cleanups++;
}

static void
arena_blocks(void)
{
	wp_arena *a = wp_arena_new();
	char *s, *t;
	long long *p;
	size_t i;

	s = wp_arena_strndup(a, "abc", 2);
	CHECK_STR(s, "ab");
	p = wp_arena_alloc(a, sizeof *p * 3);
	CHECK(((size_t)p % sizeof(long long)) == 0);
	CHECK(p[0] == 0 && p[1] == 0 && p[2] == 0);
	t = wp_arena_alloc(a, 5 * 1024 * 1024);   /* larger than a chunk */
	t[5 * 1024 * 1024 - 1] = 'z';
	for (i = 0; i < 100000; i++)
		wp_arena_strndup(a, "0123456789", 10);
	CHECK_STR(s, "ab");
	CHECK_STR(wp_arena_strndup(a, NULL, 0), "");
	wp_arena_on_free(a, count_cleanup, &cleanups);
	wp_arena_on_free(a, count_cleanup, &cleanups);
	wp_arena_free(a);
	CHECK_INT(cleanups, 2);
	wp_arena_free(NULL);
}

/* A reset runs the cleanups once, keeps the arena usable and keeps
 * one chunk (what the items of a generated list need). */
static void
arena_reset(void)
{
	wp_arena *a = wp_arena_new();
	int round;
	char *s;
	size_t i;

	cleanups = 0;
	for (round = 0; round < 3; round++) {
		for (i = 0; i < 20000; i++)     /* several chunks */
			s = wp_arena_strndup(a, "0123456789", 10);
		CHECK_STR(s, "0123456789");
		wp_arena_on_free(a, count_cleanup, &cleanups);
		wp_arena_reset(a);
		CHECK_INT(cleanups, round + 1);
	}
	s = wp_arena_strndup(a, "after", 5);
	CHECK_STR(s, "after");
	wp_arena_reset(a);
	wp_arena_reset(a);
	wp_arena_free(a);
	CHECK_INT(cleanups, 3);
}

/* wp_arena_grow: the newest block grows where it is while its chunk
 * has room; another is copied into a new block; the bytes kept. */
static void
arena_grow(void)
{
	wp_arena *a = wp_arena_new();
	char *p, *q, *r;
	size_t n;

	p = wp_arena_alloc(a, 16);
	memcpy(p, "0123456789abcde", 16);
	q = wp_arena_grow(a, p, 16, 64);
	CHECK(q == p);                          /* the newest: in place */
	CHECK_STR(q, "0123456789abcde");
	CHECK(wp_arena_grow(a, q, 64, 32) == q);     /* not smaller */
	r = wp_arena_alloc(a, 8);
	p = wp_arena_grow(a, q, 64, 128);
	CHECK(p != q && p != r);                /* not the newest: copied */
	CHECK_STR(p, "0123456789abcde");
	for (n = 128; n < 1000000; n *= 3) {    /* past a chunk's size */
		p = wp_arena_grow(a, p, n, n * 3);
		p[n * 3 - 1] = 'x';
	}
	CHECK_STR(p, "0123456789abcde");
	p = wp_arena_grow(a, NULL, 0, 10);
	CHECK(p != NULL);
	wp_arena_free(a);
}

/* wp_digest_part_*: the digest of the whole, however it is cut. */
static void
digest_in_pieces(void)
{
	static const size_t cuts[] = {1, 3, 7, 8, 9, 15, 16, 17, 31, 32, 33,
	    64, 1000};
	char data[3001], whole[33], parts[33];
	wp_digest h, g;
	wp_digest_part p;
	size_t n, i, k, at, len;

	for (i = 0; i < sizeof data; i++)
		data[i] = (char)(i * 131 + i / 7);
	for (n = 0; n < sizeof data; n += n < 40 ? 1 : 331) {
		wp_digest_init(&h);
		wp_digest_add(&h, data, n);
		wp_digest_hex(&h, whole);
		for (k = 0; k < sizeof cuts / sizeof cuts[0]; k++) {
			wp_digest_init(&g);
			wp_digest_part_begin(&p, &g);
			for (at = 0; at < n; at += len) {
				len = n - at < cuts[k] ? n - at : cuts[k];
				wp_digest_part_add(&p, data + at, len);
			}
			wp_digest_part_end(&p);
			wp_digest_hex(&g, parts);
			if (strcmp(whole, parts) != 0)
				test_fail_at(__FILE__, __LINE__, "%zu bytes in "
				    "pieces of %zu: %s, whole %s", n, cuts[k],
				    parts, whole);
		}
	}
}

/* wp_filecache_truncate drops the last items (a full build keeps a
 * service's file records out of memory once it is built): the others are
 * still found, whatever the probing clusters, and the dropped ones are
 * not; paths put again are new items. */
static void
filecache_truncate(void)
{
	wp_filecache c;
	wp_filestat st = {1, 2, 3, 4};
	char path[32];
	size_t i;

	wp_filecache_init(&c);
	for (i = 0; i < 300; i++) {
		snprintf(path, sizeof path, "content/s%zu/ja/%zu.md", i % 7, i);
		wp_filecache_put(&c, path, "0123456789abcdef0123456789abcdef",
		    &st, 1);
	}
	wp_filecache_truncate(&c, 120);
	CHECK_INT((long long)c.len, 120);
	for (i = 0; i < 300; i++) {
		snprintf(path, sizeof path, "content/s%zu/ja/%zu.md", i % 7, i);
		if ((wp_filecache_get(&c, path) != NULL) != (i < 120))
			test_fail_at(__FILE__, __LINE__, "%s %s", path, i < 120 ?
			    "lost" : "still there");
	}
	snprintf(path, sizeof path, "content/s%d/ja/%d.md", 200 % 7, 200);
	wp_filecache_put(&c, path, "0123456789abcdef0123456789abcdef", &st,
	    0);
	CHECK_INT((long long)c.len, 121);
	CHECK(wp_filecache_get(&c, path) == &c.items[120]);
	wp_filecache_truncate(&c, 0);
	CHECK_INT((long long)c.len, 0);
	CHECK(wp_filecache_get(&c, path) == NULL);
	wp_filecache_free(&c);
}

/* An edition's records kept in the build's store that cannot be read
 * back when out/'s manifest is written: the manifest must not read whole
 * (the next build a full one), not read as an edition without outputs,
 * which a later build would take as it is (its pages lost). */
static void
manifest_unreadable_records(void)
{
	char dir[] = "/tmp/wpgen-value-XXXXXX";
	wp_summary_store st;
	wp_manifest m, back;
	wp_manifest_entry *e;
	wp_buf out = WP_BUF_INIT;

	CHECK(mkdtemp(dir) != NULL);
	wp_summary_store_open(&st, dir);
	CHECK(st.fd >= 0);
	CHECK(rmdir(dir) == 0);
	wp_manifest_init(&m);
	e = wp_manifest_entry_new("svc", "ja");
	e->store = &st;
	e->records_at = 4096;     /* past the end of the (empty) store */
	e->records_len = 64;
	m.editions = xcalloc(2, sizeof *m.editions);
	m.editions[0] = e;
	m.nedit = 1;
	memcpy(e->inputs, "0123456789abcdef0123456789abcdef", 33);
	/* (read whole when its records are not in the store) */
	e->store = NULL;
	wp_manifest_write(&m, &out);
	CHECK(wp_manifest_parse(&back, out.data, out.len) == 0);
	wp_manifest_free(&back);
	wp_buf_clear(&out);
	e->store = &st;
	wp_manifest_write(&m, &out);
	CHECK(wp_manifest_parse(&back, out.data, out.len) != 0);
	wp_manifest_free(&back);
	wp_manifest_free(&m);
	wp_buf_free(&out);
	wp_summary_store_close(&st);
}

/* A manifest written after other text in the buffer is the text of one
 * written alone, and reads back as it (with a summary inline). */
static void
manifest_after_other_text(void)
{
	static const char before[] = "other text\n";
	wp_manifest m, back;
	wp_manifest_entry *e;
	wp_buf alone = WP_BUF_INIT, after = WP_BUF_INIT, again = WP_BUF_INIT;
	size_t n = sizeof before - 1;

	wp_manifest_init(&m);
	e = wp_manifest_entry_new("svc", "ja");
	memcpy(e->inputs, "0123456789abcdef0123456789abcdef", 33);
	e->summary_text = xstrdup("summary\t2\nsum\tservice\tsvc\n"
	    "sum\tlang\tja\n");
	e->summary_len = strlen(e->summary_text);
	m.editions = xcalloc(2, sizeof *m.editions);
	m.editions[0] = e;
	m.nedit = 1;
	wp_manifest_write(&m, &alone);
	wp_buf_put(&after, before, n);
	wp_manifest_write(&m, &after);
	CHECK(after.len == n + alone.len);
	CHECK(after.len >= n && memcmp(after.data, before, n) == 0);
	CHECK(after.len == n + alone.len &&
	    memcmp(after.data + n, alone.data, alone.len) == 0);
	CHECK(wp_manifest_parse(&back, after.data + n, after.len - n) == 0);
	CHECK(back.nedit == 1);
	wp_manifest_write(&back, &again);
	CHECK(again.len == alone.len &&
	    memcmp(again.data, alone.data, alone.len) == 0);
	wp_manifest_free(&back);
	wp_manifest_free(&m);
	wp_buf_free(&alone);
	wp_buf_free(&after);
	wp_buf_free(&again);
}

/* An edition whose records a full build's worker kept in the store but
 * whose summary it could not put there (a write that failed) has its
 * summary inline in the worker's report, and the store set for its
 * records: the site pages read the summary from its records, not from
 * the store (where it has none: store_len 0). */
static void
manifest_summary_not_stored(void)
{
	wp_summary_store st;
	wp_manifest_entry *e;
	const wp_summary *s;
	wp_buf text = WP_BUF_INIT;
	int stored = -1;

	wp_summary_store_open(&st, NULL);
	e = wp_manifest_entry_new("svc", "en");
	e->summary = wp_summary_new();
	*wp_summary_field(e->summary, "service") = xstrdup("svc");
	*wp_summary_field(e->summary, "lang") = xstrdup("en");
	wp_manifest_entry_out(e, "svc/en/index.html",
	    "0123456789abcdef0123456789abcdef");
	CHECK(wp_manifest_entry_spill(e, &st) == 0);
	CHECK(e->store == &st && e->records_len > 0 && e->store_len == 0);
	/* (as the parent reads it from the worker's report) */
	wp_manifest_entry_write_summary(e, &text);
	wp_summary_free(e->summary);
	e->summary = NULL;
	e->summary_len = text.len;
	e->summary_text = wp_buf_detach(&text);
	CHECK(wp_manifest_entry_has_summary(e));
	s = wp_manifest_entry_site_summary(e, 0, &stored);
	CHECK_INT(stored, 0);
	CHECK(s != NULL);
	if (s)
		CHECK_STR(*wp_summary_field((wp_summary *)s, "service"),
		    "svc");
	wp_manifest_entry_free(e);
	wp_summary_store_close(&st);
}

/* A build's store in a file: appends of this process alone (no lock,
 * at the end it keeps) and, once workers share it, under the lock at
 * the file's end, each found where it was said to be. */
static void
store_appends(void)
{
	char dir[] = "/tmp/wpgen-value-XXXXXX", buf[16];
	wp_summary_store st;
	long long a, b, c;

	CHECK(mkdtemp(dir) != NULL);
	wp_summary_store_open(&st, dir);
	CHECK(st.fd >= 0);
	CHECK(rmdir(dir) == 0);
	a = wp_summary_store_append(&st, "abc", 3);
	b = wp_summary_store_append(&st, "defgh", 5);
	st.shared = 1;
	c = wp_summary_store_append(&st, "ij", 2);
	CHECK_INT(a, 0);
	CHECK_INT(b, 3);
	CHECK_INT(c, 8);
	memset(buf, 0, sizeof buf);
	CHECK(wp_summary_store_read(&st, b, buf, 5) == 0);
	CHECK_STR(buf, "defgh");
	memset(buf, 0, sizeof buf);
	CHECK(wp_summary_store_read(&st, 0, buf, 10) == 0);
	CHECK_STR(buf, "abcdefghij");
	CHECK(wp_summary_store_read(&st, c, buf, 3) != 0);
	wp_summary_store_close(&st);
}

/* A file whose digest is that of the text its reader parsed (service.yaml,
 * the lock) has its stat data taken after that read: they may stand for
 * it next time only when the file had settled before the reading began,
 * not only before the build began (the project reads service.yaml
 * before it; one saved in between, more than a second before the build
 * began, would be taken as the text built, and its stale pages kept). */
static void
inputs_known_read_before_build(void)
{
	char dir[] = "/tmp/wpgen-value-XXXXXX", *path;
	const wp_filecache_item *it;
	wp_filecache seen;
	wp_inputs in;
	wp_digest h;
	struct timespec now;
	long long t;
	int k;

	CHECK(mkdtemp(dir) != NULL);
	path = wp_path_join(dir, "service.yaml");
	CHECK(wp_write_file(path, "style: idcf\n", 12) == 0);
	clock_gettime(CLOCK_REALTIME, &now);
	t = (long long)now.tv_sec * 1000000000LL + now.tv_nsec;
	/* k = 0: read 10 s before the file was written, the build began
	 * 10 s after it; k = 1: read when the build began */
	for (k = 0; k < 2; k++) {
		memset(&in, 0, sizeof in);
		wp_filecache_init(&seen);
		in.seen = &seen;
		in.t0 = t + 10000000000LL;
		in.known_path[0] = path;
		in.known_hex[0] = "0123456789abcdef0123456789abcdef";
		in.known_t[0] = k == 0 ? t - 10000000000LL : in.t0;
		wp_digest_init(&h);
		wp_inputs_tree(&in, &h, dir, NULL);
		it = wp_filecache_get(&seen, path);
		CHECK(it != NULL);
		if (it) {
			CHECK_STR(it->hex, "0123456789abcdef0123456789abcdef");
			CHECK_INT(it->trusted, k);
		}
		wp_filecache_free(&seen);
	}
	CHECK(unlink(path) == 0);
	CHECK(rmdir(dir) == 0);
	free(path);
}

/* A file that was absent when its reader looked (a lock: none) and is
 * there when the inputs are digested was saved since: it stands as
 * WP_DIGEST_ABSENT, not trusted, whatever its stat data say, so that
 * the next build reads it and finds it changed; the walk notes that it
 * met it (one read then and not met now was removed since). */
static void
inputs_known_absent(void)
{
	char dir[] = "/tmp/wpgen-value-XXXXXX", *path;
	const wp_filecache_item *it;
	wp_filecache seen;
	wp_inputs in;
	wp_digest h;

	CHECK(mkdtemp(dir) != NULL);
	path = wp_path_join(dir, "translations.lock");
	memset(&in, 0, sizeof in);
	wp_filecache_init(&seen);
	in.seen = &seen;
	in.t0 = 4000000000LL * 1000000000LL;
	in.known_path[1] = path;
	in.known_t[1] = in.t0;
	wp_digest_init(&h);
	wp_inputs_tree(&in, &h, dir, NULL);
	CHECK_INT(in.known_met[1], 0);
	CHECK(wp_write_file(path, "lock\n", 5) == 0);
	wp_digest_init(&h);
	wp_inputs_tree(&in, &h, dir, NULL);
	CHECK_INT(in.known_met[1], 1);
	it = wp_filecache_get(&seen, path);
	CHECK(it != NULL);
	if (it) {
		CHECK_STR(it->hex, WP_DIGEST_ABSENT);
		CHECK_INT(it->trusted, 0);
	}
	wp_filecache_free(&seen);
	CHECK(unlink(path) == 0);
	CHECK(rmdir(dir) == 0);
	free(path);
}

int
main(void)
{
	TEST_RUN(value_map_lookup_and_replace);
	TEST_RUN(value_borrowed);
	TEST_RUN(value_map_with);
	TEST_RUN(value_map_equal_hashes);
	TEST_RUN(value_keys_interned);
	TEST_RUN(value_keys_same_buffer);
	TEST_RUN(value_map_borrowing);
	TEST_RUN(value_bool_int);
	TEST_RUN(value_in_arena);
	TEST_RUN(value_join);
	TEST_RUN(value_pointed);
	TEST_RUN(json_escaping_lengths);
	TEST_RUN(arena_blocks);
	TEST_RUN(arena_reset);
	TEST_RUN(arena_grow);
	TEST_RUN(digest_in_pieces);
	TEST_RUN(filecache_truncate);
	TEST_RUN(manifest_unreadable_records);
	TEST_RUN(manifest_after_other_text);
	TEST_RUN(manifest_summary_not_stored);
	TEST_RUN(store_appends);
	TEST_RUN(inputs_known_read_before_build);
	TEST_RUN(inputs_known_absent);
	TEST_RUN(value_keys_forgotten);
	return test_exit_status();
}
