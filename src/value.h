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
 */
#ifndef WP_VALUE_H
#define WP_VALUE_H

#include <stddef.h>

struct wp_buf;

typedef enum wp_kind {
	WP_NULL,
	WP_BOOL,
	WP_NUMBER,
	WP_STRING,
	WP_LIST,
	WP_MAP,
	WP_LAMBDA
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

typedef struct wp_map_entry {
	char *key;
	wp_value *value;
	int line, column;        /* the key's source position; 0 when built */
} wp_map_entry;

struct wp_value {
	wp_kind kind;
	int line, column;        /* 1-based source position; 0 when built */
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
			size_t len, cap;
		} map;
		struct {
			wp_lambda_fn fn;
			void *data;
		} lambda;
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
void wp_value_free(wp_value *v);
/* A deep copy (lambdas share their data pointer). */
wp_value *wp_value_copy(const wp_value *v);

/* Appends item to a list; returns item. */
wp_value *wp_list_push(wp_value *list, wp_value *item);
/* Sets key in a map, replacing (and freeing) an earlier value; returns v. */
wp_value *wp_map_set(wp_value *map, const char *key, wp_value *v);
/* Appends without looking for an earlier entry (for building large maps). */
wp_value *wp_map_append(wp_value *map, const char *key, wp_value *v);
wp_value *wp_map_get(const wp_value *map, const char *key);
/* Shorthands that return the value set. */
wp_value *wp_map_set_str(wp_value *map, const char *key, const char *s);
wp_value *wp_map_set_bool(wp_value *map, const char *key, int b);
wp_value *wp_map_set_int(wp_value *map, const char *key, long long n);
wp_value *wp_map_set_list(wp_value *map, const char *key);  /* new list */
wp_value *wp_map_set_map(wp_value *map, const char *key);   /* new map */

/* Items of a list, entries of a map; 0 for other kinds. */
size_t wp_value_len(const wp_value *v);
/* The text of a string or number, "true"/"false" for booleans, "" for null
 * and NULL for lists, maps and lambdas. */
const char *wp_value_text(const wp_value *v);
/* Mustache truthiness: null, false, "" ... see value.c. */
int wp_value_truthy(const wp_value *v);
const char *wp_kind_name(wp_kind k);


/* Appends v as JSON (numbers as written, lambdas as null). */
void wp_value_write_json(const wp_value *v, struct wp_buf *out);

#endif
