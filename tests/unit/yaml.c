/*
 * yaml.c: unit tests of the YAML loader: positions of nested values,
 * scalar resolution, explicit tags, duplicate keys, invalid UTF-8, alias
 * expansion and its bound, syntax errors, and the Mustache specification's
 * .yml files loading to the same tests as their .json twins.
 */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "harness.h"
#include "util.h"
#include "yamlvalue.h"

static wp_value *
load(const char *text, wp_diags *d)
{
	return wp_yaml_load("t.yaml", text, strlen(text), d);
}

/* Loads text, which must load cleanly. */
static wp_value *
load_ok(const char *text)
{
	wp_diags d;
	wp_value *v;

	wp_diags_init(&d);
	v = load(text, &d);
	if (v == NULL)
		test_fail_at(__FILE__, __LINE__, "%s: %s", text,
		    d.len ? d.items[0].message : "failed");
	wp_diags_free(&d);
	return v;
}

/* Loading text fails with one yaml-error at line:column mentioning what. */
static void
check_error(const char *text, int line, int column, const char *what)
{
	wp_diags d;
	wp_value *v;
	const wp_diag *g;

	wp_diags_init(&d);
	v = load(text, &d);
	CHECK(v == NULL);
	if (d.len != 1) {
		test_fail_at(__FILE__, __LINE__, "%s: %zu diagnostics", text,
		    d.len);
	} else {
		g = &d.items[0];
		if (strcmp(g->file, "t.yaml") != 0 || g->line != line ||
		    g->column != column || strcmp(g->code, "yaml-error") ||
		    strstr(g->message, what) == NULL)
			test_fail_at(__FILE__, __LINE__, "%s: got %s:%d:%d: %s "
			    "[%s], want %d:%d ...%s...", text, g->file,
			    g->line, g->column, g->message, g->code, line,
			    column, what);
	}
	wp_value_free(v);
	wp_diags_free(&d);
}

static void
check_at(const wp_value *v, int line, int column)
{
	CHECK(v != NULL);
	if (v != NULL && (v->line != line || v->column != column))
		test_fail_at(__FILE__, __LINE__, "at %d:%d, want %d:%d",
		    v->line, v->column, line, column);
}

static void
yaml_positions_of_nested_values(void)
{
	wp_value *v = load_ok(
	    "service: idcf\n"
	    "meta:\n"
	    "  title: \"Hello\"\n"
	    "  list:\n"
	    "    - a\n"
	    "    - {x: 1, y: [true]}\n"
	    "  text: |\n"
	    "    block\n");
	wp_value *meta = wp_map_get(v, "meta");
	wp_value *list = wp_map_get(meta, "list");

	check_at(v, 1, 1);
	check_at(wp_map_get(v, "service"), 1, 10);
	check_at(meta, 3, 3);
	check_at(wp_map_get(meta, "title"), 3, 10);
	check_at(list, 5, 5);
	check_at(list ? list->u.list.items[0] : NULL, 5, 7);
	check_at(list ? list->u.list.items[1] : NULL, 6, 7);
	check_at(wp_map_get(list->u.list.items[1], "x"), 6, 11);
	check_at(wp_map_get(list->u.list.items[1], "y"), 6, 17);
	check_at(wp_map_get(meta, "text"), 7, 9);
	CHECK_STR(wp_value_text(wp_map_get(meta, "text")), "block\n");
	wp_value_free(v);

	v = load_ok("{\n  \"a\": {\"b\": [1, 2.5]}\n}\n");
	check_at(wp_map_get(v, "a"), 2, 8);
	check_at(wp_map_get(wp_map_get(v, "a"), "b"), 2, 14);
	wp_value_free(v);
}

static void
check_scalar(const char *text, wp_kind kind, const char *value)
{
	char *doc = xasprintf("k: %s\n", text);
	wp_value *v = load_ok(doc), *k = wp_map_get(v, "k");

	if (k == NULL || k->kind != kind ||
	    strcmp(wp_value_text(k), value) != 0)
		test_fail_at(__FILE__, __LINE__, "%s: got %s '%s', want %s "
		    "'%s'", text, k ? wp_kind_name(k->kind) : "nothing",
		    k ? wp_value_text(k) : "", wp_kind_name(kind), value);
	wp_value_free(v);
	free(doc);
}

static void
yaml_scalar_resolution(void)
{
	static const char *const nulls[] = {"~", "null", "Null", "NULL", "",
	    "!!null ''", NULL};
	static const char *const numbers[] = {"0", "-7", "+12", "007",
	    "0x1F", "0o17", "1.210", "1.5", "-2e10", "6.02E+23", ".5", "1.",
	    ".inf", "-.Inf", "+.INF", ".nan", ".NaN",
	    "123456789012345678901234567890", NULL};
	static const char *const strings[] = {"2017-07-10", "yes", "no", "on",
	    "off", "1_000", "0x", "0xG1", "0o8", "1e", "1.2.3", "+-1",
	    "nan", "inf", "true1", "NULL0", "12:30", "0b101", NULL};
	size_t i;

	for (i = 0; nulls[i]; i++)
		check_scalar(nulls[i], WP_NULL, "");
	check_scalar("true", WP_BOOL, "true");
	check_scalar("True", WP_BOOL, "true");
	check_scalar("TRUE", WP_BOOL, "true");
	check_scalar("false", WP_BOOL, "false");
	check_scalar("False", WP_BOOL, "false");
	check_scalar("FALSE", WP_BOOL, "false");
	check_scalar("tRUE", WP_STRING, "tRUE");
	for (i = 0; numbers[i]; i++)
		check_scalar(numbers[i], WP_NUMBER, numbers[i]);
	for (i = 0; strings[i]; i++)
		check_scalar(strings[i], WP_STRING, strings[i]);
	/* Quoted and block scalars are strings. */
	check_scalar("'123'", WP_STRING, "123");
	check_scalar("\"true\"", WP_STRING, "true");
	check_scalar("\"\"", WP_STRING, "");
	check_scalar("''", WP_STRING, "");
	check_scalar("|\n  null\n", WP_STRING, "null\n");
	check_scalar("\"caf\\u00e9\"", WP_STRING, "caf\xc3\xa9");
}

static void
yaml_explicit_tags(void)
{
	check_scalar("!!str 123", WP_STRING, "123");
	check_scalar("!!str true", WP_STRING, "true");
	check_scalar("!!str", WP_STRING, "");
	check_scalar("!!int 12", WP_NUMBER, "12");
	check_scalar("!!int \"12\"", WP_NUMBER, "12");
	check_scalar("!!float 1", WP_NUMBER, "1");
	check_scalar("!!float 1.5", WP_NUMBER, "1.5");
	check_scalar("!!bool \"false\"", WP_BOOL, "false");
	check_scalar("!!null null", WP_NULL, "");
	check_scalar("!!timestamp 2017-07-10", WP_STRING, "2017-07-10");
	check_scalar("!local 12", WP_STRING, "12");
	check_error("k: !!int abc\n", 1, 4, "'abc' is not a valid !!int");
	check_error("k: !!float x1\n", 1, 4, "not a valid !!float");
	check_error("k: !!bool yes\n", 1, 4, "not a valid !!bool");
	check_error("k: !!null 0\n", 1, 4, "not a valid !!null");
	check_error("k: !!map x\n", 1, 4, "a scalar cannot be tagged !!map");
	check_error("k: !!str [1]\n", 1, 4, "a list cannot be tagged !!str");
	check_error("k: !!seq {a: 1}\n", 1, 4, "a map cannot be tagged !!seq");
}

static void
yaml_duplicate_keys(void)
{
	check_error("a: 1\nb: 2\na: 3\n", 3, 1,
	    "duplicate key 'a' (first at line 1, column 1)");
	check_error("m:\n  x: 1\n  y: 2\n  y: 3\n  x: 4\n", 4, 3,
	    "duplicate key 'y' (first at line 3, column 3)");
	check_error("{\"a\": 1, \"b\": {\"c\": 1, \"c\": 2}}", 1, 24,
	    "duplicate key 'c'");
	check_error("1: a\n\"1\": b\n", 2, 1, "duplicate key '1'");
}

static void
yaml_keys_must_be_scalars(void)
{
	check_error("? [a, b]\n: x\n", 1, 3, "a key must be a scalar, not a list");
	check_error("{{a: 1}: x}\n", 1, 2, "a key must be a scalar, not a map");
	check_error("a: &l [1]\n*l : x\n", 2, 1, "a key must be a scalar");
}

static void
yaml_invalid_utf8(void)
{
	check_error("a: ok\nb: \xff\n", 2, 4, "invalid UTF-8 (byte 0xFF)");
	check_error("a: caf\xc3\xa9 \xc3\x28\n", 1, 9, "invalid UTF-8");
	check_error("a: \xed\xa0\x80\n", 1, 4, "invalid UTF-8");  /* surrogate */
	check_error("a: \xc0\xaf\n", 1, 4, "invalid UTF-8");      /* overlong */
	check_error("a: x\r\nb: \x01\n", 2, 4, "control characters");
	check_error("a: \"x\\0y\"\n", 1, 4, "NUL character");
}

static void
yaml_aliases(void)
{
	wp_value *v = load_ok("base: &b {k: v, l: [1, 2]}\n"
	    "copy: *b\n"
	    "name: &n Joe\n"
	    "again: *n\n");
	wp_value *copy = wp_map_get(v, "copy");

	CHECK(copy != NULL && copy->kind == WP_MAP);
	CHECK_STR(wp_value_text(wp_map_get(copy, "k")), "v");
	CHECK_INT(wp_value_len(wp_map_get(copy, "l")), 2);
	CHECK(copy != wp_map_get(v, "base"));
	CHECK_STR(wp_value_text(wp_map_get(v, "again")), "Joe");
	wp_value_free(v);
	check_error("a: *nope\n", 1, 4, "unknown alias '*nope'");
	/* An anchor is not defined inside its own node. */
	check_error("a: &x [*x]\n", 1, 8, "unknown alias '*x'");
}

/* The "billion laughs": nine levels of nine aliases each. */
static void
yaml_alias_bomb_rejected(void)
{
	wp_buf doc = WP_BUF_INIT;
	wp_diags d;
	wp_value *v;
	char c;
	int i;

	wp_buf_puts(&doc, "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, "
	    "lol]\n");
	for (c = 'b'; c <= 'j'; c++) {
		wp_buf_printf(&doc, "%c: &%c [", c, c);
		for (i = 0; i < 9; i++)
			wp_buf_printf(&doc, "%s*%c", i ? ", " : "", c - 1);
		wp_buf_puts(&doc, "]\n");
	}
	wp_diags_init(&d);
	v = wp_yaml_load("bomb.yaml", doc.data, doc.len, &d);
	CHECK(v == NULL);
	CHECK_INT(d.len, 1);
	CHECK(d.len && strstr(d.items[0].message, "more than 1000000") &&
	    d.items[0].line > 1);
	wp_value_free(v);
	wp_diags_free(&d);
	wp_buf_free(&doc);
}

static void
yaml_syntax_errors(void)
{
	/* The usual mistakes, said with what to do. */
	check_error("a: b: c\n", 1, 5, "': ' inside a value: put the whole "
	    "value in double quotes");
	check_error("a:\n  - x\n - y\n", 3, 2, "this line is not lined up "
	    "with the keys above it (the block of keys at line 1 starts at "
	    "column 1)");
	check_error("a:\n\tb: 1\n", 2, 1, "a tab: YAML indents with spaces "
	    "only");
	/* Lined up, but text after a closing quote; a key indented under
	 * a key that has its value. */
	check_error("a: 1\ntitle: \"My\" Cloud\n", 2, 13, "text after the "
	    "closing quote: put the whole value in quotes (single quotes "
	    "keep double ones: '\"A\" B')");
	check_error("title: demo\n  subtitle: x\n", 2, 3, "this line is "
	    "indented under 'title' as if it were part of its value: to "
	    "make it a key of its own, start it at column 1 as 'title' "
	    "does");
	check_error("r:\n  - k: v\n    d: 2026\n      x: y\n", 4, 7, "this "
	    "line is indented under 'd' as if it were part of its value: "
	    "to make it a key of its own, start it at column 5 as 'd' "
	    "does");
	check_error("a: `b`\n", 1, 4, "a value cannot start with '`'");
	check_error("a: 1\nb:2\nc: 3\n", 2, 1, "no ': ' after this key");
	check_error("a: - b\n", 1, 4, "a list item ('- ') cannot start on "
	    "the line of its key");
	check_error("{\"a\": 1,,}\n", 1, 9, "did not find expected node");
	/* An unclosed quote or bracket: where it opened. */
	check_error("a: \"open\n", 1, 4, "this quoted string is never "
	    "closed: found unexpected end of stream (at line 2, column 1)");
	check_error("a: [1,\n  2\nb: 3\n", 1, 4, "this '[' is never closed");
	check_error("a: 1\n---\nb: 2\n", 2, 1, "more than one YAML document");
}

static void
yaml_nesting_limit(void)
{
	wp_buf doc = WP_BUF_INIT;
	int i;

	for (i = 0; i < WP_YAML_MAX_DEPTH + 1; i++)
		wp_buf_putc(&doc, '[');
	for (i = 0; i < WP_YAML_MAX_DEPTH + 1; i++)
		wp_buf_putc(&doc, ']');
	check_error(doc.data, 1, WP_YAML_MAX_DEPTH + 1, "nested more than");
	wp_buf_free(&doc);
}

static void
yaml_empty_documents(void)
{
	static const char *const docs[] = {"", "# only a comment\n", "---\n",
	    "--- ~\n", "\xEF\xBB\xBF", NULL};
	wp_value *v;
	size_t i;

	for (i = 0; docs[i]; i++) {
		v = load_ok(docs[i]);
		CHECK(v != NULL && v->kind == WP_NULL);
		wp_value_free(v);
	}
}

/* JSON's UTF-16 surrogate pairs, which libyaml alone refuses. */
static void
yaml_json_surrogate_pairs(void)
{
	wp_value *v = load_ok("{\"a\": \"\\ud83d\\ude00 \\uD842\\uDFB7\", "
	    "\"b\": \"x\"}");

	CHECK_STR(wp_value_text(wp_map_get(v, "a")),
	    "\xF0\x9F\x98\x80 \xF0\xA0\xAE\xB7");
	check_at(wp_map_get(v, "b"), 1, 41);    /* columns of the input */
	wp_value_free(v);
	/* Single-quoted text is literal. */
	v = load_ok("a: '\\ud83d\\ude00'\nb: \"\\ud83d\\ude00\"\n");
	CHECK_STR(wp_value_text(wp_map_get(v, "a")), "\\ud83d\\ude00");
	CHECK_STR(wp_value_text(wp_map_get(v, "b")), "\xF0\x9F\x98\x80");
	wp_value_free(v);
	check_error("{\"a\": \"\\ud83d\\ude00\", \"a\": 1}", 1, 23,
	    "duplicate key 'a' (first at line 1, column 2)");
	check_error("a: \"\\ud83d\"\n", 1, 7, "invalid Unicode character");
}

static void
yaml_unreadable_file(void)
{
	wp_diags d;

	wp_diags_init(&d);
	CHECK(wp_yaml_load_file("/nonexistent/x.yaml", &d) == NULL);
	CHECK_INT(d.len, 1);
	CHECK(d.len && d.items[0].line == 0 &&
	    strcmp(d.items[0].code, "io-error") == 0);
	wp_diags_free(&d);
}

/* a and b are the same data; JSON maps with "__tag__" (the lambdas' code)
 * stand for tagged YAML maps, and numbers compare by value. */
static int
same_value(const wp_value *a, const wp_value *b)
{
	size_t i, n;

	if (a->kind != b->kind)
		return 0;
	switch (a->kind) {
	case WP_NUMBER:
		return strtod(a->u.str.text, NULL) == strtod(b->u.str.text,
		    NULL);
	case WP_LIST:
		if (a->u.list.len != b->u.list.len)
			return 0;
		for (i = 0; i < a->u.list.len; i++)
			if (!same_value(a->u.list.items[i],
			    b->u.list.items[i]))
				return 0;
		return 1;
	case WP_MAP:
		n = 0;
		for (i = 0; i < b->u.map.len; i++) {
			const wp_map_entry *e = &b->u.map.items[i];
			const wp_value *o = wp_map_get(a, e->key);
			if (strcmp(e->key, "__tag__") == 0)
				continue;
			if (o == NULL || !same_value(o, e->value))
				return 0;
			n++;
		}
		return n == a->u.map.len;
	default:
		return strcmp(wp_value_text(a), wp_value_text(b)) == 0;
	}
}

/* Each spec .yml file holds the same tests as its .json twin. */
static void
yaml_spec_files_match_json(void)
{
	char *dir = wp_path_join(test_shared_dir(), "mustache-spec");
	DIR *dp = opendir(dir);
	struct dirent *e;
	int files = 0;

	if (dp == NULL) {
		test_fail_at(__FILE__, __LINE__, "cannot open %s", dir);
		free(dir);
		return;
	}
	while ((e = readdir(dp)) != NULL) {
		size_t len = strlen(e->d_name);
		char *yml, *json;
		wp_value *a, *b;
		wp_diags d;

		if (len < 5 || strcmp(e->d_name + len - 4, ".yml") != 0)
			continue;
		yml = wp_path_join(dir, e->d_name);
		json = xasprintf("%.*s.json", (int)(strlen(yml) - 4), yml);
		wp_diags_init(&d);
		a = wp_yaml_load_file(yml, &d);
		b = wp_yaml_load_file(json, &d);
		if (a == NULL || b == NULL)
			test_fail_at(__FILE__, __LINE__, "%s", d.len ?
			    d.items[0].message : yml);
		else if (!same_value(wp_map_get(a, "tests"),
		    wp_map_get(b, "tests")))
			test_fail_at(__FILE__, __LINE__, "%s differs from its "
			    ".json", yml);
		files++;
		wp_value_free(a);
		wp_value_free(b);
		wp_diags_free(&d);
		free(yml);
		free(json);
	}
	closedir(dp);
	CHECK(files >= 9);
	free(dir);
}

int
main(void)
{
	TEST_RUN(yaml_positions_of_nested_values);
	TEST_RUN(yaml_scalar_resolution);
	TEST_RUN(yaml_explicit_tags);
	TEST_RUN(yaml_duplicate_keys);
	TEST_RUN(yaml_keys_must_be_scalars);
	TEST_RUN(yaml_invalid_utf8);
	TEST_RUN(yaml_aliases);
	TEST_RUN(yaml_alias_bomb_rejected);
	TEST_RUN(yaml_syntax_errors);
	TEST_RUN(yaml_nesting_limit);
	TEST_RUN(yaml_empty_documents);
	TEST_RUN(yaml_json_surrogate_pairs);
	TEST_RUN(yaml_unreadable_file);
	TEST_RUN_SHARED(yaml_spec_files_match_json, "mustache-spec");
	return test_exit_status();
}
