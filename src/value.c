/*
 * value.c: construction, lookup and destruction of wp_value trees.
 */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "util.h"
#include "value.h"

static wp_value *
value_in(wp_arena *a, wp_kind kind)
{
	wp_value *v = a ? wp_arena_alloc(a, sizeof *v) :
	    xcalloc(1, sizeof *v);

	v->kind = kind;
	v->arena = a;
	return v;
}

static wp_value *
value_new(wp_kind kind)
{
	return value_in(NULL, kind);
}

/* A copy of s[0..n) where v lives. */
static char *
text_in(wp_arena *a, const char *s, size_t n)
{
	return a ? wp_arena_strndup(a, s, n) : xstrndup(s, n);
}

static wp_value *
string_in(wp_arena *a, wp_kind kind, const char *s, size_t n)
{
	wp_value *v = value_in(a, kind);

	v->u.str.text = text_in(a, s, n);
	v->u.str.len = n;
	return v;
}

wp_value *
wp_value_new_null(void)
{
	return value_new(WP_NULL);
}

wp_value *
wp_value_new_bool(int b)
{
	wp_value *v = value_new(WP_BOOL);

	v->u.boolean = b != 0;
	return v;
}

wp_value *
wp_value_new_number(const char *text)
{
	return string_in(NULL, WP_NUMBER, text, strlen(text));
}

wp_value *
wp_value_new_int(long long n)
{
	char tmp[32];
	size_t len = wp_format_ll(tmp, n);

	return string_in(NULL, WP_NUMBER, tmp, len);
}

wp_value *
wp_value_new_stringn(const char *s, size_t n)
{
	return string_in(NULL, WP_STRING, s, n);
}

wp_value *
wp_value_new_string(const char *s)
{
	return wp_value_new_stringn(s, strlen(s));
}

wp_value *
wp_value_new_string_owned(char *s)
{
	wp_value *v = value_new(WP_STRING);

	v->u.str.text = s;
	v->u.str.len = strlen(s);
	return v;
}

wp_value *
wp_value_new_list(void)
{
	return value_new(WP_LIST);
}

wp_value *
wp_value_new_map(void)
{
	return value_new(WP_MAP);
}

wp_value *
wp_value_new_map_in(wp_arena *a)
{
	return value_in(a, WP_MAP);
}


wp_value *
wp_value_new_list_in(wp_arena *a)
{
	return value_in(a, WP_LIST);
}

wp_value *
wp_value_new_lambda(wp_lambda_fn fn, void *data)
{
	wp_value *v = value_new(WP_LAMBDA);

	v->u.lambda.fn = fn;
	v->u.lambda.data = data;
	return v;
}

wp_value *
wp_value_new_generated(wp_arena *a, size_t len, wp_generate_fn fn,
    void *data)
{
	wp_value *v = value_in(a, WP_GENERATED);

	v->u.gen.fn = fn;
	v->u.gen.data = data;
	v->u.gen.len = len;
	return v;
}

wp_value *
wp_generated_item(const wp_value *v, size_t i, wp_arena *arena)
{
	return v->u.gen.fn(v->u.gen.data, i, arena);
}

void
wp_value_free(wp_value *v)
{
	size_t i;

	if (v == NULL || v->arena != NULL)
		return;
	switch (v->kind) {
	case WP_STRING:
	case WP_NUMBER:
		free(v->u.str.text);
		break;
	case WP_LIST:
		for (i = 0; i < v->u.list.len; i++)
			wp_value_free(v->u.list.items[i]);
		free(v->u.list.items);
		break;
	case WP_MAP:
		for (i = 0; i < v->u.map.len; i++)
			if (!v->u.map.items[i].borrowed)
				wp_value_free(v->u.map.items[i].value);
		free(v->u.map.items);
		break;
	default:
		break;
	}
	free(v);
}

static wp_map_entry *append_entry(wp_value *map, const char *key,
    unsigned hash);

wp_value *
wp_value_copy(const wp_value *v)
{
	wp_value *c;
	size_t i;

	switch (v->kind) {
	case WP_NULL: c = wp_value_new_null(); break;
	case WP_BOOL: c = wp_value_new_bool(v->u.boolean); break;
	case WP_NUMBER: c = wp_value_new_number(v->u.str.text); break;
	case WP_STRING:
		c = wp_value_new_stringn(v->u.str.text, v->u.str.len);
		break;
	case WP_LIST:
		c = wp_value_new_list();
		for (i = 0; i < v->u.list.len; i++)
			wp_list_push(c, wp_value_copy(v->u.list.items[i]));
		break;
	case WP_MAP:
		c = wp_value_new_map();
		for (i = 0; i < v->u.map.len; i++)
			append_entry(c, v->u.map.items[i].key,
			    v->u.map.items[i].hash)->value =
			    wp_value_copy(v->u.map.items[i].value);
		break;
	case WP_GENERATED:
		c = wp_value_new_generated(NULL, v->u.gen.len, v->u.gen.fn,
		    v->u.gen.data);
		break;
	default:
		c = wp_value_new_lambda(v->u.lambda.fn, v->u.lambda.data);
		break;
	}
	c->line = v->line;
	c->column = v->column;
	return c;
}

static void
free_value(void *v)
{
	wp_value_free(v);
}

/* item is going into container: an arena takes over a heap value. */
static void
adopt(const wp_value *container, wp_value *item)
{
	if (container->arena != NULL && item != NULL && item->arena == NULL)
		wp_arena_on_free(container->arena, free_value, item);
}

/* Room for one more item of size each in *items (len used of *cap), in
 * the container's arena or on the heap. */
static void
grow(const wp_value *container, void **items, size_t len, size_t *cap,
    size_t each)
{
	size_t n = *cap ? *cap * 2 : 4;
	void *p;

	if (len < *cap)
		return;
	if (container->arena == NULL) {
		*items = xrealloc(*items, n * each);
	} else {
		p = wp_arena_alloc(container->arena, n * each);
		if (len)
			memcpy(p, *items, len * each);
		*items = p;
	}
	*cap = n;
}

wp_value *
wp_list_push(wp_value *list, wp_value *item)
{
	grow(list, (void **)&list->u.list.items, list->u.list.len,
	    &list->u.list.cap, sizeof *list->u.list.items);
	list->u.list.items[list->u.list.len++] = item;
	adopt(list, item);
	return item;
}

wp_value *
wp_list_push_map(wp_value *list)
{
	return wp_list_push(list, value_in(list->arena, WP_MAP));
}

wp_value *
wp_list_push_str(wp_value *list, const char *s)
{
	return wp_list_push(list, string_in(list->arena, WP_STRING, s,
	    strlen(s)));
}

unsigned
wp_key_hash(const char *key)
{
	unsigned h = 2166136261u;

	for (; *key; key++)
		h = (h ^ (unsigned char)*key) * 16777619u;
	return h;
}

/*
 * The interned keys (value.h): a table of them by hash, open addressing
 * with linear probing, at most half full; the keys' text in an arena of
 * their own, both kept until the process ends (reachable) or
 * wp_keys_forget().
 */
typedef struct key_slot {
	const char *key;          /* NULL: empty */
	unsigned hash;
} key_slot;

static struct {
	key_slot *slots;
	size_t len, cap;          /* cap: 0 or a power of two */
	wp_arena *text;
} keys;

/* Whether a and b are the same text: strcmp without a call, for keys,
 * which are short. */
static int
same_text(const char *a, const char *b)
{
	while (*a != '\0' && *a == *b)
		a++, b++;
	return *a == *b;
}

/*
 * The keys set last, by the caller's pointer to them: the keys that
 * page.c sets on every section, row and phrase are the same literals,
 * at the same addresses.  A key found here is still compared with the
 * text there (another text may be at an address seen before), but is
 * neither hashed nor looked up in the table again.
 */
#define RECENT 256
static struct recent_key {
	const char *at;           /* the caller's pointer */
	const char *key;          /* interned */
	unsigned hash;
} recent[RECENT];

void
wp_keys_forget(void)
{
	free(keys.slots);
	wp_arena_free(keys.text);
	memset(&keys, 0, sizeof keys);
	memset(recent, 0, sizeof recent);
}

/* The slot holding key, or the empty slot where it would go. */
static key_slot *
key_slot_for(const char *key, unsigned hash)
{
	size_t mask = keys.cap - 1, i;
	key_slot *k;

	for (i = hash & mask;; i = (i + 1) & mask) {
		k = &keys.slots[i];
		if (k->key == NULL || k->key == key ||
		    (k->hash == hash && same_text(k->key, key)))
			return k;
	}
}

static void
keys_grow(void)
{
	key_slot *old = keys.slots, *k;
	size_t n = keys.cap, i;

	keys.cap = n ? 2 * n : 256;
	keys.slots = xcalloc(keys.cap, sizeof *keys.slots);
	for (i = 0; i < n; i++) {
		if (old[i].key == NULL)
			continue;
		k = key_slot_for(old[i].key, old[i].hash);
		*k = old[i];
	}
	free(old);
}

const char *
wp_key_interned(const char *key, unsigned hash)
{
	return keys.cap ? key_slot_for(key, hash)->key : NULL;
}

const char *
wp_key_intern(const char *key, unsigned hash)
{
	key_slot *k;

	if (2 * (keys.len + 1) > keys.cap)
		keys_grow();
	k = key_slot_for(key, hash);
	if (k->key == NULL) {
		if (keys.text == NULL)
			keys.text = wp_arena_new();
		k->key = wp_arena_strndup(keys.text, key, strlen(key));
		k->hash = hash;
		keys.len++;
	}
	return k->key;
}


/* (the index of a map: value.h, WP_MAP_INDEXED) */
#define INDEXED WP_MAP_INDEXED

/* The bytes of a map's block of entries for room cap. */
static size_t
entries_size(size_t cap)
{
	return cap * sizeof(wp_map_entry) + (cap >= INDEXED ?
	    2 * cap * sizeof(uint32_t) : 0);
}

/* The index of a map, or NULL when it keeps none. */
static uint32_t *
map_index(const wp_value *map)
{
	return map->u.map.cap >= INDEXED ?
	    (uint32_t *)(map->u.map.items + map->u.map.cap) : NULL;
}

/* Puts entry i, of hash, into the index of map. */
static void
index_put(wp_value *map, unsigned hash, unsigned i)
{
	uint32_t *slots = map_index(map);
	size_t mask = 2 * (size_t)map->u.map.cap - 1, at = hash & mask;

	while (slots[at] != 0)
		at = (at + 1) & mask;
	slots[at] = i + 1;
}

/* Gives map room for cap entries (a power of two, at least its
 * length): a new block, in the map's arena or on the heap, holding its
 * entries (copied from from, its own or, in an arena, another map's)
 * and their index made again. */
static void
map_resize(wp_value *map, const wp_map_entry *from, size_t cap)
{
	unsigned i, n = map->u.map.len;
	wp_map_entry *items;

	if (cap > UINT_MAX / 2)
		abort();
	if (map->arena == NULL) {
		items = xrealloc(map->u.map.items, entries_size(cap));
		if (cap >= INDEXED)
			memset(items + cap, 0, 2 * cap * sizeof(uint32_t));
	} else {
		items = wp_arena_alloc(map->arena, entries_size(cap));
		if (n)
			memcpy(items, from, n * sizeof *items);
	}
	map->u.map.items = items;
	map->u.map.cap = (unsigned)cap;
	if (cap >= INDEXED)
		for (i = 0; i < n; i++)
			index_put(map, items[i].hash, i);
}

wp_value *
wp_map_new_with_in(wp_arena *a, const wp_value *base, size_t extra)
{
	wp_value *m;
	size_t cap = 4;

	if (a == NULL)      /* a heap map would free base's entries */
		abort();
	m = value_in(a, WP_MAP);

	while (cap < base->u.map.len + extra)
		cap *= 2;
	m->u.map.len = base->u.map.len;
	map_resize(m, base->u.map.items, cap);
	m->u.map.keys = base->u.map.keys;
	return m;
}

wp_value *
wp_map_new_borrowing(const wp_value *base)
{
	wp_value *m = value_new(WP_MAP);
	const wp_map_entry *from;
	wp_map_entry *e;
	size_t cap = 4, i;

	while (cap < base->u.map.len)
		cap *= 2;
	map_resize(m, NULL, cap);
	for (i = 0; i < base->u.map.len; i++) {
		from = &base->u.map.items[i];
		e = append_entry(m, from->key, from->hash);
		e->value = from->value;
		e->borrowed = 1;
	}
	return m;
}

/* A new entry for key, interned, of that hash. */
static wp_map_entry *
append_entry(wp_value *map, const char *key, unsigned hash)
{
	wp_map_entry *e;

	if (map->u.map.len == map->u.map.cap)
		map_resize(map, map->u.map.items, map->u.map.cap ?
		    2 * (size_t)map->u.map.cap : 4);
	map->u.map.keys |= wp_key_bit(hash);
	e = &map->u.map.items[map->u.map.len++];
	e->key = key;
	e->hash = hash;
	e->borrowed = 0;
	e->line = e->column = 0;
	if (map->u.map.cap >= INDEXED)
		index_put(map, hash, map->u.map.len - 1);
	return e;
}

/* The interned copy of key, and its hash in *hash. */
static const char *
intern(const char *key, unsigned *hash)
{
	struct recent_key *r = &recent[((uintptr_t)key *
	    11400714819323198485ULL) >> 56];

	if (r->at == key && same_text(r->key, key)) {
		*hash = r->hash;
		return r->key;
	}
	*hash = wp_key_hash(key);
	r->at = key;
	r->key = wp_key_intern(key, *hash);
	r->hash = *hash;
	return r->key;
}

wp_value *
wp_map_append(wp_value *map, const char *key, wp_value *v)
{
	unsigned hash;

	key = intern(key, &hash);
	append_entry(map, key, hash)->value = v;
	adopt(map, v);
	return v;
}

/* Points key's entry (an earlier one, or a new one) at v. */
static wp_map_entry *
set_entry(wp_value *map, const char *key, wp_value *v)
{
	unsigned hash;
	wp_map_entry *e;

	key = intern(key, &hash);
	e = wp_map_find_entry(map, key, hash);
	if (e == NULL) {
		e = append_entry(map, key, hash);
	} else if (!e->borrowed && map->arena == NULL) {
		wp_value_free(e->value);
	}           /* in an arena, the old value is the arena's to free */
	e->value = v;
	return e;
}

wp_value *
wp_map_set(wp_value *map, const char *key, wp_value *v)
{
	set_entry(map, key, v)->borrowed = 0;
	adopt(map, v);
	return v;
}

const wp_value *
wp_map_set_ref(wp_value *map, const char *key, const wp_value *v)
{
	set_entry(map, key, (wp_value *)v)->borrowed = 1;
	return v;
}

wp_value *
wp_map_get_interned(const wp_value *map, const char *key, unsigned hash)
{
	const wp_map_entry *e;

	if (map == NULL || map->kind != WP_MAP)
		return NULL;
	e = wp_map_find_entry(map, key, hash);
	return e ? e->value : NULL;
}

wp_value *
wp_map_get(const wp_value *map, const char *key)
{
	unsigned hash;

	if (map == NULL || map->kind != WP_MAP)
		return NULL;
	hash = wp_key_hash(key);
	key = wp_key_interned(key, hash);
	return key ? wp_map_get_interned(map, key, hash) : NULL;
}

wp_value *
wp_map_set_str(wp_value *map, const char *key, const char *s)
{
	if (s == NULL)
		return wp_map_set(map, key, value_in(map->arena, WP_NULL));
	return wp_map_set_strn(map, key, s, strlen(s));
}

wp_value *
wp_map_set_strn(wp_value *map, const char *key, const char *s, size_t n)
{
	return wp_map_set(map, key, string_in(map->arena, WP_STRING, s, n));
}

wp_value *
wp_map_set_join(wp_value *map, const char *key, const char *const *parts)
{
	wp_value *v = value_in(map->arena, WP_STRING);
	size_t i, n = 0, len;
	char *p;

	for (i = 0; parts[i]; i++)
		n += strlen(parts[i]);
	p = v->u.str.text = map->arena ? wp_arena_alloc(map->arena, n + 1) :
	    xmalloc(n + 1);
	for (i = 0; parts[i]; i++) {
		len = strlen(parts[i]);
		memcpy(p, parts[i], len);
		p += len;
	}
	*p = '\0';
	v->u.str.len = n;
	return wp_map_set(map, key, v);
}

/* The two values wp_map_set_bool() sets, borrowed by every map. */
static const wp_value true_value = {.kind = WP_BOOL, .u.boolean = 1};
static const wp_value false_value = {.kind = WP_BOOL, .u.boolean = 0};

const wp_value *
wp_map_set_bool(wp_value *map, const char *key, int b)
{
	return wp_map_set_ref(map, key, b ? &true_value : &false_value);
}

wp_value *
wp_map_set_int(wp_value *map, const char *key, long long n)
{
	char tmp[32];
	size_t len = wp_format_ll(tmp, n);

	return wp_map_set(map, key, string_in(map->arena, WP_NUMBER, tmp,
	    len));
}

void
wp_value_point_text(wp_value *v, wp_kind kind, const char *text)
{
	if (v->arena == NULL)   /* a heap value would free text */
		abort();
	v->kind = text ? kind : WP_NULL;
	v->u.str.text = (char *)text;
	v->u.str.len = text ? strlen(text) : 0;
}

void
wp_value_point_bool(wp_value *v, int b)
{
	if (v->arena == NULL)
		abort();
	v->kind = WP_BOOL;
	v->u.boolean = b != 0;
}

wp_value *
wp_map_set_list(wp_value *map, const char *key)
{
	return wp_map_set(map, key, value_in(map->arena, WP_LIST));
}

wp_value *
wp_map_set_map(wp_value *map, const char *key)
{
	return wp_map_set(map, key, value_in(map->arena, WP_MAP));
}

size_t
wp_value_len(const wp_value *v)
{
	if (v == NULL)
		return 0;
	if (v->kind == WP_LIST)
		return v->u.list.len;
	if (v->kind == WP_MAP)
		return v->u.map.len;
	if (v->kind == WP_GENERATED)
		return v->u.gen.len;
	return 0;
}

const char *
wp_value_text(const wp_value *v)
{
	if (v == NULL)
		return "";
	switch (v->kind) {
	case WP_NULL: return "";
	case WP_BOOL: return v->u.boolean ? "true" : "false";
	case WP_NUMBER:
	case WP_STRING: return v->u.str.text;
	default: return NULL;
	}
}

const char *
wp_kind_name(wp_kind k)
{
	static const char *names[] = {"null", "boolean", "number", "string",
	    "list", "map", "lambda", "generated list"};

	return names[k];
}

void
wp_value_write_json(const wp_value *v, wp_buf *out)
{
	wp_arena *scratch;
	size_t i;

	switch (v ? v->kind : WP_NULL) {
	case WP_BOOL:
		wp_buf_puts(out, v->u.boolean ? "true" : "false");
		break;
	case WP_NUMBER:
		wp_buf_puts(out, v->u.str.text);
		break;
	case WP_STRING:
		wp_buf_put_json(out, v->u.str.text, v->u.str.len);
		break;
	case WP_LIST:
		wp_buf_putc(out, '[');
		for (i = 0; i < v->u.list.len; i++) {
			if (i)
				wp_buf_putc(out, ',');
			wp_value_write_json(v->u.list.items[i], out);
		}
		wp_buf_putc(out, ']');
		break;
	case WP_MAP:
		wp_buf_putc(out, '{');
		for (i = 0; i < v->u.map.len; i++) {
			if (i)
				wp_buf_putc(out, ',');
			wp_buf_put_json(out, v->u.map.items[i].key,
			    strlen(v->u.map.items[i].key));
			wp_buf_putc(out, ':');
			wp_value_write_json(v->u.map.items[i].value, out);
		}
		wp_buf_putc(out, '}');
		break;
	case WP_GENERATED:
		scratch = wp_arena_new();
		wp_buf_putc(out, '[');
		for (i = 0; i < v->u.gen.len; i++) {
			if (i)
				wp_buf_putc(out, ',');
			wp_value_write_json(wp_generated_item(v, i, scratch),
			    out);
			wp_arena_reset(scratch);
		}
		wp_buf_putc(out, ']');
		wp_arena_free(scratch);
		break;
	default:
		wp_buf_puts(out, "null");
		break;
	}
}
