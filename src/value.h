/*
 * value.h: the data model shared by YAML loading and Mustache rendering.
 *
 * A wp_value is null, a boolean, a number (kept as the text it was written
 * with, so 1.21 stays 1.21), a string, an ordered list, an ordered map or a
 * lambda (a C callback, for Mustache's optional lambdas module).  Values
 * loaded from YAML remember their line and column for diagnostics.
 *
 * Ownership: a value owns its children.  wp_list_push() and wp_map_set()
 * take ownership of the value passed in; wp_value_free() frees a whole tree.
 * Two exceptions keep the contexts of a page cheap (page.c):
 *
 *  - a map may borrow a value it does not own (wp_map_set_ref(): the
 *    labels that every page and heading shows); the value must outlive
 *    the map, and freeing or copying the map leaves it alone / copies it;
 *  - a value may live in an arena (arena.h) instead of the heap: a map or
 *    list made with wp_value_new_map_in() / wp_value_new_list_in(), and
 *    every value the wp_map_set_* and wp_list_push_* shorthands then make
 *    in it.  wp_value_free() of a value in an arena does nothing: the
 *    arena frees it.  A heap value put into an arena's map or list is
 *    taken over by the arena (freed with it); an arena's value must not be
 *    put into a heap map or list that outlives the arena.  As nothing in
 *    an arena frees its children, a value in an arena may be in several
 *    of its maps and lists at once (the same list in two orders).
 *
 * A generated list (WP_GENERATED, wp_value_new_generated()) is a list
 * whose items are made on demand: it holds its length and a callback that
 * makes item i in a scratch arena.  The Mustache engine iterates it like a
 * list, making each item just before it renders it and dropping it (the
 * arena reset) right after, so that a page of many rows never holds more
 * than one row's values (page.c's site index and coverage page).  It is
 * falsey when empty, like a list; wp_value_len() is its length; a dotted
 * name indexes no item of it (list.0 is a list's only).
 *
 * Map keys are interned: the process keeps one copy of each key ever set
 * (wp_key_intern), every map's entry points at it, and a key is looked up
 * by its interned copy, so that a key found in a map is told by its
 * pointer, not by comparing strings (the Mustache engine interns its
 * tags' names when it compiles a template: a lookup in a page's context
 * compares no string at all), and a key is not copied into each map that
 * holds it (the same dozen keys in every row of a page).  The interned
 * keys are kept until the process ends (or wp_keys_forget); as values
 * are, they are made by one thread at a time.  A map's keys are kept with their hash; a map has a bit mask of
 * its keys' hashes, so that most keys that it does not hold (a Mustache
 * name looked up through the maps of the context stack, a new key set)
 * are known absent without a look at its entries; and a map of 16
 * entries or more keeps an index of them by hash after them (value.c),
 * so that a key is found in a slot or two, not by reading every entry.
 */
#ifndef WP_VALUE_H
#define WP_VALUE_H

#include <stddef.h>
#include <stdint.h>

struct wp_buf;

typedef enum wp_kind {
	WP_NULL,
	WP_BOOL,
	WP_NUMBER,
	WP_STRING,
	WP_LIST,
	WP_MAP,
	WP_LAMBDA,
	WP_GENERATED
} wp_kind;

/*
 * A lambda.  For an interpolation ({{name}}) text is NULL; for a section
 * ({{#name}}...{{/name}}) text is the section's raw source.  The callback
 * appends its result to out and returns 0, or -1 on failure.  The result is
 * rendered as a template by the engine, as the spec says.
 */
typedef int (*wp_lambda_fn)(void *data, const char *text, size_t len,
    struct wp_buf *out);

typedef struct wp_value wp_value;
struct wp_arena;

/*
 * Makes item i of a generated list in arena (which the caller frees or
 * resets when it is done with the item: everything the item needs that
 * does not outlive the list belongs there).  Never NULL.
 */
typedef wp_value *(*wp_generate_fn)(void *data, size_t i,
    struct wp_arena *arena);

typedef struct wp_map_entry {
	const char *key;         /* interned: wp_key_intern() */
	wp_value *value;
	unsigned hash;           /* wp_key_hash(key) */
	unsigned borrowed : 1;   /* value is not owned (wp_map_set_ref) */
	int line, column;        /* the key's source position; 0 when built */
} wp_map_entry;

/* kind and line share a word so that a value stays at 40 bytes: value
 * trees (the parsed manifest, summaries) are most of a build's memory. */
struct wp_value {
	wp_kind kind : 4;
	int line : 28;           /* 1-based source position (at most 2^27-1);
	                          * 0 when built */
	int column;
	struct wp_arena *arena;  /* where it lives; NULL: the heap */
	union {
		int boolean;
		struct {
			char *text;      /* NUL-terminated */
			size_t len;
		} str;                   /* WP_STRING and WP_NUMBER */
		struct {
			wp_value **items;
			size_t len, cap;
		} list;
		struct {
			wp_map_entry *items;
			unsigned len, cap;
			/* A bit for each key, chosen by its hash (a
			 * one-word Bloom filter): a key whose bit is
			 * clear is not in the map, found without
			 * looking at its entries. */
			unsigned long long keys;
		} map;
		struct {
			wp_lambda_fn fn;
			void *data;
		} lambda;
		struct {
			wp_generate_fn fn;
			void *data;
			size_t len;
		} gen;                   /* WP_GENERATED */
	} u;
};

wp_value *wp_value_new_null(void);
wp_value *wp_value_new_bool(int b);
wp_value *wp_value_new_number(const char *text);
wp_value *wp_value_new_int(long long n);
wp_value *wp_value_new_string(const char *s);
wp_value *wp_value_new_stringn(const char *s, size_t n);
/* Takes ownership of a malloc'd string. */
wp_value *wp_value_new_string_owned(char *s);
wp_value *wp_value_new_list(void);
wp_value *wp_value_new_map(void);
wp_value *wp_value_new_lambda(wp_lambda_fn fn, void *data);
/* A generated list of len items made by fn (see above), in arena a (NULL:
 * the heap); data must outlive it. */
wp_value *wp_value_new_generated(struct wp_arena *a, size_t len,
    wp_generate_fn fn, void *data);
/* Item i of a generated list, made in arena. */
wp_value *wp_generated_item(const wp_value *v, size_t i,
    struct wp_arena *arena);
/* An empty map or list in arena a (see above). */
wp_value *wp_value_new_map_in(struct wp_arena *a);
wp_value *wp_value_new_list_in(struct wp_arena *a);
/* A map in arena a (not NULL) that starts with the entries of map base
 * (in a, or in an arena that outlives a): the same keys and values,
 * shared, not copied; room for extra more before it grows.  The map of one page's
 * row made from the part that every page shows the same (page.c). */
wp_value *wp_map_new_with_in(struct wp_arena *a, const wp_value *base,
    size_t extra);
/* A heap map holding the entries of map base, their values borrowed
 * (wp_map_set_ref): base must outlive it and stay as it is.  A map's
 * copy that copies no value (an edition's labels, labels.c). */
wp_value *wp_map_new_borrowing(const wp_value *base);
/* Frees a heap value and what it owns; nothing for an arena's value. */
void wp_value_free(wp_value *v);
/* A deep copy (lambdas share their data pointer). */
wp_value *wp_value_copy(const wp_value *v);

/* Appends item to a list; returns item. */
wp_value *wp_list_push(wp_value *list, wp_value *item);
/* Appends a new empty map / a string to a list (in the list's arena, if
 * any); returns it. */
wp_value *wp_list_push_map(wp_value *list);
wp_value *wp_list_push_str(wp_value *list, const char *s);
/* Sets key in a map, replacing (and freeing) an earlier value; returns v. */
wp_value *wp_map_set(wp_value *map, const char *key, wp_value *v);
/* Appends without looking for an earlier entry (for building large maps). */
wp_value *wp_map_append(wp_value *map, const char *key, wp_value *v);
/* Sets key to a value the map borrows (see above); returns v. */
const wp_value *wp_map_set_ref(wp_value *map, const char *key,
    const wp_value *v);
wp_value *wp_map_get(const wp_value *map, const char *key);
/* The hash of a key (FNV-1a). */
unsigned wp_key_hash(const char *key);
/* The interned copy of key, of that hash (made the first time; the same
 * pointer for equal keys until the process ends), and the interned copy
 * if there is one, else NULL (then no map holds the key). */
const char *wp_key_intern(const char *key, unsigned hash);
const char *wp_key_interned(const char *key, unsigned hash);
/* Frees every interned key: only where no map, template or anything
 * else holds one any more (a fuzz target between two inputs, which
 * would otherwise keep every key ever made up). */
void wp_keys_forget(void);
/* Lookup by an interned key and its hash, comparing pointers: the
 * Mustache engine interns the names of its tags once, when compiling. */
wp_value *wp_map_get_interned(const wp_value *map, const char *key,
    unsigned hash);
/* The bit of a key's hash in a map's key mask: the hash's top six bits,
 * which FNV-1a mixes best. */
static inline unsigned long long
wp_key_bit(unsigned hash)
{
	return 1ULL << (hash >> 26);
}
/* 0 when map, a map, surely holds no key of that hash (its bit in the
 * map's key mask is clear), else 1: a test without a call, for the
 * Mustache engine's walk down the context stack. */
static inline int
wp_map_may_hold(const wp_value *map, unsigned hash)
{
	return (map->u.map.keys & wp_key_bit(hash)) != 0;
}
/* A map with room for WP_MAP_INDEXED entries or more keeps, after its
 * entries in the same block, an index of them by hash: 2 * cap slots
 * (cap, its room, a power of two), each 0 (empty) or an entry's
 * position + 1, found by linear probing from the hash's low bits
 * (value.c makes it).  Looking up a key in a map of labels or in a
 * page's context then reads a slot or two, not every entry.  Entries
 * are never removed, so slots are only added. */
#define WP_MAP_INDEXED 16
/* The entry of key (interned, of that hash) in map, a map, or NULL:
 * pointers compared.  Inline: the Mustache engine looks up every name
 * of a template down its context stack. */
static inline wp_map_entry *
wp_map_find_entry(const wp_value *map, const char *key, unsigned hash)
{
	wp_map_entry *items = map->u.map.items;
	const uint32_t *slots;
	size_t i, mask;

	if (!wp_map_may_hold(map, hash))
		return NULL;
	if (map->u.map.cap >= WP_MAP_INDEXED) {
		slots = (const uint32_t *)(items + map->u.map.cap);
		mask = 2 * (size_t)map->u.map.cap - 1;
		for (i = hash & mask; slots[i] != 0; i = (i + 1) & mask)
			if (items[slots[i] - 1].key == key)
				return &items[slots[i] - 1];
		return NULL;
	}
	for (i = 0; i < map->u.map.len; i++)
		if (items[i].key == key)
			return &items[i];
	return NULL;
}
/* Shorthands that return the value set, made in the map's arena if any.
 * wp_map_set_str() with s NULL sets null; wp_map_set_strn() copies
 * s[0..n). */
wp_value *wp_map_set_str(wp_value *map, const char *key, const char *s);
wp_value *wp_map_set_strn(wp_value *map, const char *key, const char *s,
    size_t n);
/* Sets key to the string parts[0] parts[1] ... (parts ends with NULL),
 * joined without printf (ids and links made for every row of a page). */
wp_value *wp_map_set_join(wp_value *map, const char *key,
    const char *const *parts);
/* A boolean is one of two constant values that every map borrows (no
 * value made for each): not to be changed. */
const wp_value *wp_map_set_bool(wp_value *map, const char *key, int b);
wp_value *wp_map_set_int(wp_value *map, const char *key, long long n);
wp_value *wp_map_set_list(wp_value *map, const char *key);  /* new list */
/* Change v, a value in an arena, in place: into the string or number
 * (kind) text, not copied (text must outlive every use of v), or null
 * when text is NULL; into a boolean.  For a context made once whose
 * values are pointed at each section's texts in turn (page.c's
 * headings), not a map made again for each. */
void wp_value_point_text(wp_value *v, wp_kind kind, const char *text);
void wp_value_point_bool(wp_value *v, int b);
wp_value *wp_map_set_map(wp_value *map, const char *key);   /* new map */

/* Items of a list (generated or not), entries of a map; 0 for other
 * kinds. */
size_t wp_value_len(const wp_value *v);
/* The text of a string or number, "true"/"false" for booleans, "" for null
 * and NULL for lists, maps and lambdas. */
const char *wp_value_text(const wp_value *v);
/*
 * Mustache truthiness (inline: the engine asks it at every section).
 * Falsey, as the Mustache spec uses it: null, false, and the empty list.
 * Empty strings and zero are truthy in the spec's data model (JavaScript
 * and Ruby disagree; the spec tests never depend on them), but "" is
 * falsey in practice for templates that test for an optional string, so
 * we treat the empty string as falsey too.
 */
static inline int
wp_value_truthy(const wp_value *v)
{
	if (v == NULL)
		return 0;
	switch (v->kind) {
	case WP_NULL: return 0;
	case WP_BOOL: return v->u.boolean;
	case WP_STRING: return v->u.str.len > 0;
	case WP_LIST: return v->u.list.len > 0;
	case WP_GENERATED: return v->u.gen.len > 0;
	default: return 1;
	}
}
const char *wp_kind_name(wp_kind k);


/* Appends v as JSON (numbers as written, lambdas as null, a generated
 * list as the list of its items). */
void wp_value_write_json(const wp_value *v, struct wp_buf *out);

#endif
