/*
 * value.c: construction, lookup and destruction of wp_value trees.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "util.h"
#include "value.h"

static wp_value *
value_new(wp_kind kind)
{
	wp_value *v = xcalloc(1, sizeof *v);

	v->kind = kind;
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
	wp_value *v = value_new(WP_NUMBER);

	v->u.str.len = strlen(text);
	v->u.str.text = xstrndup(text, v->u.str.len);
	return v;
}

wp_value *
wp_value_new_int(long long n)
{
	char tmp[32];

	snprintf(tmp, sizeof tmp, "%lld", n);
	return wp_value_new_number(tmp);
}

wp_value *
wp_value_new_stringn(const char *s, size_t n)
{
	wp_value *v = value_new(WP_STRING);

	v->u.str.text = xstrndup(s, n);
	v->u.str.len = n;
	return v;
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
wp_value_new_lambda(wp_lambda_fn fn, void *data)
{
	wp_value *v = value_new(WP_LAMBDA);

	v->u.lambda.fn = fn;
	v->u.lambda.data = data;
	return v;
}

void
wp_value_free(wp_value *v)
{
	size_t i;

	if (v == NULL)
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
		for (i = 0; i < v->u.map.len; i++) {
			free(v->u.map.items[i].key);
			wp_value_free(v->u.map.items[i].value);
		}
		free(v->u.map.items);
		break;
	default:
		break;
	}
	free(v);
}

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
			wp_map_append(c, v->u.map.items[i].key,
			    wp_value_copy(v->u.map.items[i].value));
		break;
	default:
		c = wp_value_new_lambda(v->u.lambda.fn, v->u.lambda.data);
		break;
	}
	c->line = v->line;
	c->column = v->column;
	return c;
}

wp_value *
wp_list_push(wp_value *list, wp_value *item)
{
	if (list->u.list.len == list->u.list.cap) {
		list->u.list.cap = list->u.list.cap ? list->u.list.cap * 2 : 4;
		list->u.list.items = xrealloc(list->u.list.items,
		    list->u.list.cap * sizeof *list->u.list.items);
	}
	list->u.list.items[list->u.list.len++] = item;
	return item;
}

wp_value *
wp_map_append(wp_value *map, const char *key, wp_value *v)
{
	wp_map_entry *e;

	if (map->u.map.len == map->u.map.cap) {
		map->u.map.cap = map->u.map.cap ? map->u.map.cap * 2 : 4;
		map->u.map.items = xrealloc(map->u.map.items,
		    map->u.map.cap * sizeof *map->u.map.items);
	}
	e = &map->u.map.items[map->u.map.len++];
	e->key = xstrdup(key);
	e->value = v;
	e->line = e->column = 0;
	return v;
}

wp_value *
wp_map_set(wp_value *map, const char *key, wp_value *v)
{
	size_t i;

	for (i = 0; i < map->u.map.len; i++) {
		if (strcmp(map->u.map.items[i].key, key) == 0) {
			wp_value_free(map->u.map.items[i].value);
			map->u.map.items[i].value = v;
			return v;
		}
	}
	return wp_map_append(map, key, v);
}

wp_value *
wp_map_get(const wp_value *map, const char *key)
{
	size_t i;

	if (map == NULL || map->kind != WP_MAP)
		return NULL;
	for (i = 0; i < map->u.map.len; i++)
		if (strcmp(map->u.map.items[i].key, key) == 0)
			return map->u.map.items[i].value;
	return NULL;
}

wp_value *
wp_map_set_str(wp_value *map, const char *key, const char *s)
{
	return wp_map_set(map, key, s ? wp_value_new_string(s) :
	    wp_value_new_null());
}

wp_value *
wp_map_set_bool(wp_value *map, const char *key, int b)
{
	return wp_map_set(map, key, wp_value_new_bool(b));
}

wp_value *
wp_map_set_int(wp_value *map, const char *key, long long n)
{
	return wp_map_set(map, key, wp_value_new_int(n));
}

wp_value *
wp_map_set_list(wp_value *map, const char *key)
{
	return wp_map_set(map, key, wp_value_new_list());
}

wp_value *
wp_map_set_map(wp_value *map, const char *key)
{
	return wp_map_set(map, key, wp_value_new_map());
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

/*
 * Falsey, as the Mustache spec uses it: null, false, and the empty list.
 * Empty strings and zero are truthy in the spec's data model (JavaScript
 * and Ruby disagree; the spec tests never depend on them), but "" is falsey
 * in practice for templates that test for an optional string, so we treat
 * the empty string as falsey too.
 */
int
wp_value_truthy(const wp_value *v)
{
	if (v == NULL)
		return 0;
	switch (v->kind) {
	case WP_NULL: return 0;
	case WP_BOOL: return v->u.boolean;
	case WP_STRING: return v->u.str.len > 0;
	case WP_LIST: return v->u.list.len > 0;
	default: return 1;
	}
}

const char *
wp_kind_name(wp_kind k)
{
	static const char *names[] = {"null", "boolean", "number", "string",
	    "list", "map", "lambda"};

	return names[k];
}

void
wp_value_write_json(const wp_value *v, wp_buf *out)
{
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
	default:
		wp_buf_puts(out, "null");
		break;
	}
}
