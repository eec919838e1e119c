/*
 * yamlvalue.c: the YAML loader of yamlvalue.h, on top of libyaml's event
 * parser.
 *
 * Values are built bottom-up: the lists and maps still open sit on an
 * explicit stack (so deep nesting costs heap, not C stack, and is bounded
 * by WP_YAML_MAX_DEPTH), and a finished value is attached to the list or
 * map below it.  Anchors point into the tree being built; an alias is a
 * deep copy of its anchor's value, charged against WP_YAML_MAX_NODES.
 * Duplicate keys are found when a map ends, by sorting its keys.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "util.h"
#include "yamlvalue.h"

#include <yaml.h>

#define CORE_TAG "tag:yaml.org,2002:"

typedef struct position {
	int line, column;
} position;

/* A list or map still open. */
typedef struct frame {
	wp_value *v;
	char *anchor;           /* its anchor, registered when it ends */
	size_t first_node;      /* loader.nodes when it started */
	char *key;              /* maps: the key waiting for its value */
	position key_at;
	position *keys;         /* maps: where the key of each entry is */
	size_t nkeys, capkeys;
} frame;

typedef struct anchor {
	char *name;
	const wp_value *v;      /* in the tree being built, or owned */
	wp_value *owned;        /* an anchored key has no place in the tree */
	size_t nodes;           /* values a copy of it adds */
} anchor;

typedef struct loader {
	const char *path;
	const char *data;
	size_t len;
	wp_diags *d;
	frame *stack;
	size_t depth, cap;
	anchor *anchors;
	size_t nanchors, capanchors;
	size_t nodes;           /* values made so far, copies included */
	size_t copies;          /* values made by aliases */
	int documents;
	wp_value *root;
	int failed;
	position *fixups;       /* surrogate pairs rewritten, in order */
	size_t nfixups, capfixups;
} loader;

static void
fail(loader *l, position at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
fail(loader *l, position at, const char *fmt, ...)
{
	wp_buf msg = WP_BUF_INIT;
	va_list ap;

	if (l->failed)
		return;
	l->failed = 1;
	va_start(ap, fmt);
	wp_buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	wp_diag_add(l->d, WP_ERROR, l->path, at.line, at.column, "yaml-error",
	    "%s", wp_buf_cstr(&msg));
	wp_buf_free(&msg);
}

static position
mark_position(yaml_mark_t m)
{
	position p;

	p.line = (int)m.line + 1;
	p.column = (int)m.column + 1;
	return p;
}

/*
 * Where the text libyaml saw is shorter than the input (see
 * rewrite_surrogates()), columns after a rewritten escape move right by 2
 * for each: the fixups are sorted, so two binary searches count them.
 */
static size_t
fixups_before(const loader *l, int line, int column)
{
	size_t lo = 0, hi = l->nfixups, mid;
	const position *f;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		f = &l->fixups[mid];
		if (f->line < line || (f->line == line && f->column < column))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static position
unshift(const loader *l, position p)
{
	if (l->nfixups > 0)
		p.column += 2 * (int)(fixups_before(l, p.line, p.column) -
		    fixups_before(l, p.line, 1));
	return p;
}

static position
event_position(const loader *l, yaml_mark_t m)
{
	return unshift(l, mark_position(m));
}

/*
 * The line and column of byte offset off, counted the way libyaml counts
 * its marks: CR, LF, CR LF, NEL, LS and PS end lines, and columns count
 * characters.
 */
static position
offset_position(const char *s, size_t len, size_t off)
{
	const unsigned char *u = (const unsigned char *)s;
	position p = {1, 1};
	size_t i = 0;

	if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	for (; i < off && i < len; i++) {
		if (u[i] == '\r' && i + 1 < off && u[i + 1] == '\n')
			i++;
		if (u[i] == '\n' || u[i] == '\r' ||
		    (u[i] == 0xC2 && i + 1 < len && u[i + 1] == 0x85) ||
		    (u[i] == 0xE2 && i + 2 < len && u[i + 1] == 0x80 &&
		    (u[i + 2] == 0xA8 || u[i + 2] == 0xA9))) {
			p.line++;
			p.column = 1;
			i += u[i] == 0xC2 ? 1 : u[i] == 0xE2 ? 2 : 0;
		} else if ((u[i] & 0xC0) != 0x80) {
			p.column++;
		}
	}
	return p;
}

/* Counts the n values an alias copies; fails when aliases have copied
 * too many (values written out are bounded by the input's size). */
static int
count_copies(loader *l, size_t n, position at)
{
	if (n > WP_YAML_MAX_NODES || l->copies + n > WP_YAML_MAX_NODES) {
		fail(l, at, "aliases expand to more than %d values",
		    WP_YAML_MAX_NODES);
		return -1;
	}
	l->copies += n;
	l->nodes += n;
	return 0;
}

/* Scalar resolution (YAML 1.2 core schema). */

static int
text_is(const char *s, size_t n, const char *const *words)
{
	for (; *words; words++)
		if (strlen(*words) == n && memcmp(s, *words, n) == 0)
			return 1;
	return 0;
}

static int
is_null_text(const char *s, size_t n)
{
	static const char *const words[] = {"~", "null", "Null", "NULL",
	    NULL};

	return n == 0 || text_is(s, n, words);
}

/* 1 and *b set when s is a boolean. */
static int
is_bool_text(const char *s, size_t n, int *b)
{
	static const char *const yes[] = {"true", "True", "TRUE", NULL};
	static const char *const no[] = {"false", "False", "FALSE", NULL};

	if (text_is(s, n, yes)) {
		*b = 1;
		return 1;
	}
	if (text_is(s, n, no)) {
		*b = 0;
		return 1;
	}
	return 0;
}

/* The number of leading characters of s[0..n) found in set. */
static size_t
span(const char *s, size_t n, const char *set)
{
	size_t i = 0;

	while (i < n && s[i] != '\0' && strchr(set, s[i]) != NULL)
		i++;
	return i;
}

#define DIGITS "0123456789"

static int
is_int_text(const char *s, size_t n)
{
	size_t i = 0;

	if (n > 2 && s[0] == '0' && s[1] == 'o')
		return span(s + 2, n - 2, "01234567") == n - 2;
	if (n > 2 && s[0] == '0' && s[1] == 'x')
		return span(s + 2, n - 2, DIGITS "abcdefABCDEF") == n - 2;
	if (n > 0 && (s[0] == '-' || s[0] == '+'))
		i++;
	return i < n && span(s + i, n - i, DIGITS) == n - i;
}

static int
is_float_text(const char *s, size_t n)
{
	static const char *const special[] = {".inf", ".Inf", ".INF",
	    "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF",
	    ".nan", ".NaN", ".NAN", NULL};
	size_t i = 0, whole, frac = 0, exp;

	if (text_is(s, n, special))
		return 1;
	if (i < n && (s[i] == '-' || s[i] == '+'))
		i++;
	whole = span(s + i, n - i, DIGITS);
	i += whole;
	if (i < n && s[i] == '.') {
		i++;
		frac = span(s + i, n - i, DIGITS);
		i += frac;
	}
	if (whole == 0 && frac == 0)
		return 0;
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '-' || s[i] == '+'))
			i++;
		exp = span(s + i, n - i, DIGITS);
		if (exp == 0)
			return 0;
		i += exp;
	}
	return i == n;
}

static wp_value *
resolve_plain(const char *s, size_t n)
{
	int b;

	if (is_null_text(s, n))
		return wp_value_new_null();
	if (is_bool_text(s, n, &b))
		return wp_value_new_bool(b);
	if (is_int_text(s, n) || is_float_text(s, n))
		return wp_value_new_number(s);
	return wp_value_new_stringn(s, n);
}

/* A scalar with an explicit tag:yaml.org,2002: tag; NULL when the text
 * does not fit. */
static wp_value *
resolve_core_tag(loader *l, const char *t, const char *s, size_t n,
    position at)
{
	int b;

	if (strcmp(t, "null") == 0 && is_null_text(s, n))
		return wp_value_new_null();
	if (strcmp(t, "bool") == 0 && is_bool_text(s, n, &b))
		return wp_value_new_bool(b);
	if (strcmp(t, "int") == 0 && is_int_text(s, n))
		return wp_value_new_number(s);
	if (strcmp(t, "float") == 0 && (is_int_text(s, n) ||
	    is_float_text(s, n)))
		return wp_value_new_number(s);
	if (strcmp(t, "null") == 0 || strcmp(t, "bool") == 0 ||
	    strcmp(t, "int") == 0 || strcmp(t, "float") == 0)
		fail(l, at, "'%s' is not a valid !!%s", s, t);
	else if (strcmp(t, "seq") == 0 || strcmp(t, "map") == 0)
		fail(l, at, "a scalar cannot be tagged !!%s", t);
	else
		return wp_value_new_stringn(s, n);
	return NULL;
}

static wp_value *
scalar_value(loader *l, const yaml_event_t *e, position at)
{
	const char *s = (const char *)e->data.scalar.value;
	size_t n = e->data.scalar.length;
	const char *tag = (const char *)e->data.scalar.tag;

	if (tag == NULL)
		return e->data.scalar.style == YAML_PLAIN_SCALAR_STYLE ?
		    resolve_plain(s, n) : wp_value_new_stringn(s, n);
	if (strncmp(tag, CORE_TAG, strlen(CORE_TAG)) == 0)
		return resolve_core_tag(l, tag + strlen(CORE_TAG), s, n, at);
	return wp_value_new_stringn(s, n);
}

/* A collection's explicit tag must not name a scalar type or the other
 * kind of collection. */
static int
check_collection_tag(loader *l, const yaml_char_t *utag, const char *kind,
    position at)
{
	const char *tag = (const char *)utag;
	const char *t;

	if (tag == NULL || strncmp(tag, CORE_TAG, strlen(CORE_TAG)) != 0)
		return 0;
	t = tag + strlen(CORE_TAG);
	if (strcmp(t, kind) == 0 || (strcmp(t, "str") != 0 &&
	    strcmp(t, "null") != 0 && strcmp(t, "bool") != 0 &&
	    strcmp(t, "int") != 0 && strcmp(t, "float") != 0 &&
	    strcmp(t, "seq") != 0 && strcmp(t, "map") != 0))
		return 0;
	fail(l, at, "a %s cannot be tagged !!%s",
	    strcmp(kind, "seq") == 0 ? "list" : "map", t);
	return -1;
}

/* Anchors. */

static void
anchor_add(loader *l, const yaml_char_t *name, const wp_value *v,
    wp_value *owned, size_t nodes)
{
	anchor *a;

	if (l->nanchors == l->capanchors) {
		l->capanchors = l->capanchors ? l->capanchors * 2 : 8;
		l->anchors = xrealloc(l->anchors,
		    l->capanchors * sizeof *l->anchors);
	}
	a = &l->anchors[l->nanchors++];
	a->name = xstrdup((const char *)name);
	a->v = v;
	a->owned = owned;
	a->nodes = nodes;
}

/* The latest anchor of that name (YAML lets a name be redefined). */
static const anchor *
anchor_find(const loader *l, const char *name)
{
	size_t i;

	for (i = l->nanchors; i > 0; i--)
		if (strcmp(l->anchors[i - 1].name, name) == 0)
			return &l->anchors[i - 1];
	return NULL;
}

/* Attaching finished values. */

static frame *
top(loader *l)
{
	return l->depth ? &l->stack[l->depth - 1] : NULL;
}

static int
expects_key(loader *l)
{
	frame *f = top(l);

	return f != NULL && f->v->kind == WP_MAP && f->key == NULL;
}

static void
take_key(loader *l, const char *s, size_t n, position at)
{
	frame *f = top(l);

	if (memchr(s, '\0', n) != NULL) {
		fail(l, at, "a key cannot hold a NUL character");
		return;
	}
	f->key = xstrndup(s, n);
	f->key_at = at;
}

/* Hands v (owned) to the list or map being built, or makes it the root. */
static void
attach(loader *l, wp_value *v)
{
	frame *f = top(l);

	if (f == NULL) {
		l->root = v;
		return;
	}
	if (f->v->kind == WP_LIST) {
		wp_list_push(f->v, v);
		return;
	}
	if (f->nkeys == f->capkeys) {
		f->capkeys = f->capkeys ? f->capkeys * 2 : 8;
		f->keys = xrealloc(f->keys, f->capkeys * sizeof *f->keys);
	}
	f->keys[f->nkeys++] = f->key_at;
	wp_map_append(f->v, f->key, v);
	f->v->u.map.items[f->v->u.map.len - 1].line = f->key_at.line;
	f->v->u.map.items[f->v->u.map.len - 1].column = f->key_at.column;
	free(f->key);
	f->key = NULL;
}

/* Duplicate keys, found by sorting (key, index) pairs. */

typedef struct key_ref {
	const char *key;
	size_t index;
} key_ref;

static int
key_ref_cmp(const void *a, const void *b)
{
	const key_ref *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	if (c)
		return c;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* The index of the first entry (in document order) whose key an earlier
 * entry already has, or (size_t)-1; *first gets that earlier entry. */
static size_t
first_duplicate(const wp_value *map, size_t *first)
{
	size_t n = map->u.map.len, i, best = (size_t)-1;
	key_ref *refs;

	if (n < 2)
		return best;
	refs = xmalloc(n * sizeof *refs);
	for (i = 0; i < n; i++) {
		refs[i].key = map->u.map.items[i].key;
		refs[i].index = i;
	}
	qsort(refs, n, sizeof *refs, key_ref_cmp);
	for (i = 1; i < n; i++) {
		if (strcmp(refs[i - 1].key, refs[i].key) != 0)
			continue;
		if (i >= 2 && strcmp(refs[i - 2].key, refs[i].key) == 0)
			continue;       /* only the second of each run */
		if (refs[i].index < best) {
			best = refs[i].index;
			*first = refs[i - 1].index;
		}
	}
	free(refs);
	return best;
}

static void
frame_free(frame *f)
{
	wp_value_free(f->v);
	free(f->anchor);
	free(f->key);
	free(f->keys);
}

/* Events. */

static void
open_collection(loader *l, const yaml_event_t *e, int is_map)
{
	position at = event_position(l, e->start_mark);
	const yaml_char_t *anchor_name, *tag;
	frame *f;

	if (expects_key(l)) {
		fail(l, at, "a key must be a scalar, not a %s",
		    is_map ? "map" : "list");
		return;
	}
	if (l->depth >= WP_YAML_MAX_DEPTH) {
		fail(l, at, "lists and maps nested more than %d deep",
		    WP_YAML_MAX_DEPTH);
		return;
	}
	anchor_name = is_map ? e->data.mapping_start.anchor :
	    e->data.sequence_start.anchor;
	tag = is_map ? e->data.mapping_start.tag : e->data.sequence_start.tag;
	if (check_collection_tag(l, tag, is_map ? "map" : "seq", at) != 0)
		return;
	l->nodes++;
	if (l->depth == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->stack = xrealloc(l->stack, l->cap * sizeof *l->stack);
	}
	f = &l->stack[l->depth++];
	memset(f, 0, sizeof *f);
	f->v = is_map ? wp_value_new_map() : wp_value_new_list();
	f->v->line = at.line;
	f->v->column = at.column;
	f->anchor = anchor_name ? xstrdup((const char *)anchor_name) : NULL;
	f->first_node = l->nodes - 1;
}

static void
close_collection(loader *l)
{
	frame f = l->stack[--l->depth];
	size_t dup, first = 0;

	if (f.v->kind == WP_MAP &&
	    (dup = first_duplicate(f.v, &first)) != (size_t)-1) {
		fail(l, f.keys[dup], "duplicate key '%s' (first at line %d, "
		    "column %d)", f.v->u.map.items[dup].key,
		    f.keys[first].line, f.keys[first].column);
		frame_free(&f);
		return;
	}
	if (f.anchor != NULL)
		anchor_add(l, (const yaml_char_t *)f.anchor, f.v, NULL,
		    l->nodes - f.first_node);
	free(f.anchor);
	free(f.keys);
	free(f.key);
	attach(l, f.v);
}

static void
on_scalar(loader *l, const yaml_event_t *e)
{
	position at = event_position(l, e->start_mark);
	const char *s = (const char *)e->data.scalar.value;
	size_t n = e->data.scalar.length;
	wp_value *v;

	if (expects_key(l)) {
		take_key(l, s, n, at);
		if (e->data.scalar.anchor != NULL && !l->failed)
			anchor_add(l, e->data.scalar.anchor, NULL,
			    wp_value_new_stringn(s, n), 1);
		return;
	}
	if (memchr(s, '\0', n) != NULL) {
		fail(l, at, "a string cannot hold a NUL character");
		return;
	}
	if ((v = scalar_value(l, e, at)) == NULL)
		return;
	l->nodes++;
	v->line = at.line;
	v->column = at.column;
	if (e->data.scalar.anchor != NULL)
		anchor_add(l, e->data.scalar.anchor, v, NULL, 1);
	attach(l, v);
}

static void
on_alias(loader *l, const yaml_event_t *e)
{
	position at = event_position(l, e->start_mark);
	const char *name = (const char *)e->data.alias.anchor;
	const anchor *a = anchor_find(l, name);
	const wp_value *v;

	if (a == NULL) {
		fail(l, at, "unknown alias '*%s'", name);
		return;
	}
	v = a->owned ? a->owned : a->v;
	if (expects_key(l)) {
		if (v->kind == WP_LIST || v->kind == WP_MAP)
			fail(l, at, "a key must be a scalar, not a %s",
			    wp_kind_name(v->kind));
		else
			take_key(l, wp_value_text(v), strlen(wp_value_text(v)),
			    at);
		return;
	}
	if (count_copies(l, a->nodes, at) != 0)
		return;
	attach(l, wp_value_copy(v));
}

static void
on_event(loader *l, const yaml_event_t *e)
{
	switch (e->type) {
	case YAML_DOCUMENT_START_EVENT:
		if (++l->documents > 1)
			fail(l, event_position(l, e->start_mark),
			    "more than one YAML document (a second '---')");
		break;
	case YAML_SCALAR_EVENT:
		on_scalar(l, e);
		break;
	case YAML_ALIAS_EVENT:
		on_alias(l, e);
		break;
	case YAML_SEQUENCE_START_EVENT:
		open_collection(l, e, 0);
		break;
	case YAML_MAPPING_START_EVENT:
		open_collection(l, e, 1);
		break;
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		close_collection(l);
		break;
	default:
		break;
	}
}

/* What a parser error says was left open ("'['"), or NULL: a bracket
 * that is never closed, a quote that runs to the end of the file. */
static const char *
unclosed(const char *context, const char *problem)
{
	if (context == NULL || problem == NULL)
		return NULL;
	if (strstr(context, "flow sequence") &&
	    strstr(problem, "did not find expected ','"))
		return "'['";
	if (strstr(context, "flow mapping") &&
	    strstr(problem, "did not find expected ','"))
		return "'{'";
	if (strstr(context, "quoted scalar") &&
	    strstr(problem, "end of stream"))
		return "quoted string";
	return NULL;
}

/* The character at pos of the text (lines and columns as libyaml counts
 * them, near enough for a tab or an ASCII character); 0 past the end. */
static int
char_at(const loader *l, position pos)
{
	const unsigned char *u = (const unsigned char *)l->data;
	size_t i = 0;
	int line = 1, col = 1;

	while (i < l->len && line < pos.line) {
		if (u[i] == '\n' || (u[i] == '\r' && (i + 1 >= l->len ||
		    u[i + 1] != '\n')))
			line++;
		i++;
	}
	while (i < l->len && col < pos.column && u[i] != '\n') {
		i++;
		while (i < l->len && (u[i] & 0xC0) == 0x80)
			i++;
		col++;
	}
	return i < l->len ? u[i] : 0;
}

/* Line number line (from 1) of the text, without its end, and its length;
 * NULL past the end. */
static const char *
line_of(const loader *l, int line, size_t *len)
{
	size_t i = 0, e;
	int n = 1;

	while (i < l->len && n < line) {
		if (l->data[i] == '\n' || (l->data[i] == '\r' &&
		    (i + 1 >= l->len || l->data[i + 1] != '\n')))
			n++;
		i++;
	}
	if (n < line)
		return NULL;
	for (e = i; e < l->len && l->data[e] != '\n' && l->data[e] != '\r';
	    e++)
		;
	*len = e - i;
	return l->data + i;
}

/* The column of the first character of s that is not a space; 0 for a
 * blank line or a comment. */
static int
indent_of(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len && s[i] == ' ')
		i++;
	return i < len && s[i] != '#' ? (int)i + 1 : 0;
}

/* 1 when at is the first character of its line that is not a space and
 * stands in another column than the block that began at ctx. */
static int
misaligned(const loader *l, position at, position ctx)
{
	size_t len;
	const char *s = line_of(l, at.line, &len);

	return s != NULL && indent_of(s, len) == at.column &&
	    at.column != ctx.column;
}

/* 1 when what comes before at on its line, spaces skipped, is a closing
 * quote. */
static int
after_quote(const loader *l, position at)
{
	position p = at;
	int c = ' ';

	while (p.column > 1 && c == ' ') {
		p.column--;
		c = char_at(l, p);
	}
	return c == '"' || c == '\'';
}

/*
 * For ': ' that libyaml refuses on a line indented under a key whose value
 * is on the key's line ("title: demo", then "  subtitle: x", read as
 * part of the value "demo subtitle"): that key, and its column in *col;
 * else NULL.  Only when the ': ' is the first of its line.
 */
static char *
indented_under(const loader *l, position at, int *col)
{
	const char *s, *end, *colon, *k;
	size_t len, klen, i;
	int ind, chars = 0;

	if ((s = line_of(l, at.line, &len)) == NULL ||
	    (ind = indent_of(s, len)) <= 1 ||
	    (colon = memchr(s, ':', len)) == NULL)
		return NULL;
	for (i = 0; s + i < colon; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			chars++;
	if (chars + 1 != at.column)
		return NULL;
	/* Back over the lines before it (a walk, not line_of, to stay
	 * linear). */
	end = s;
	while (end > l->data) {
		if (end[-1] == '\n' && end - 1 > l->data && end[-2] == '\r')
			end--;
		end--;
		for (s = end; s > l->data && s[-1] != '\n' && s[-1] != '\r';
		    s--)
			;
		len = (size_t)(end - s);
		end = s;
		if ((*col = indent_of(s, len)) == 0 || *col >= ind)
			continue;
		k = s + *col - 1;
		if (len - (size_t)(*col - 1) >= 2 && k[0] == '-' &&
		    k[1] == ' ') {
			k += 2;
			*col += 2;
		}
		colon = memchr(k, ':', len - (size_t)(k - s));
		if (colon == NULL || colon == k || colon + 1 >= s + len ||
		    colon[1] != ' ')
			return NULL;
		/* The key has a value on its line. */
		for (i = (size_t)(colon - s) + 1; i < len && s[i] == ' '; i++)
			;
		if (i >= len || s[i] == '#')
			return NULL;
		klen = (size_t)(colon - k);
		return klen <= 60 ? xstrndup(k, klen) : NULL;
	}
	return NULL;
}

/*
 * What to do about a syntax error, in place of libyaml's words, for the
 * mistakes authors make: a tab, a character that cannot start a plain
 * value, ': ' or '- ' inside a value, a key without ': ', a line that is
 * not lined up with its neighbours.  Returns 0 when it has nothing
 * better to say.
 */
static int
explain(loader *l, const char *problem, const char *context, position at,
    position ctx)
{
	int c = char_at(l, at), col;
	const char *text;
	size_t len;
	position line;
	char *key;

	if (problem == NULL)
		return 0;
	if (strstr(problem, "cannot start any token") && c == '\t') {
		fail(l, at, "a tab: YAML indents with spaces only; replace "
		    "the tab with spaces");
	} else if (strstr(problem, "cannot start any token") && c > ' ' &&
	    c < 0x7F) {
		fail(l, at, "a value cannot start with '%c': put the whole "
		    "value in double quotes", c);
	} else if (strstr(problem, "mapping values are not allowed") &&
	    (key = indented_under(l, at, &col)) != NULL) {
		line.line = at.line;
		text = line_of(l, at.line, &len);
		line.column = indent_of(text, len);
		fail(l, line, "this line is indented under '%s' as if it "
		    "were part of its value: to make it a key of its own, "
		    "start it at column %d as '%s' does", key, col, key);
		free(key);
	} else if (strstr(problem, "mapping values are not allowed")) {
		fail(l, at, "': ' inside a value: put the whole value in "
		    "double quotes (title: \"A: B\")");
	} else if (strstr(problem, "could not find expected ':'") &&
	    context && strstr(context, "simple key")) {
		fail(l, ctx, "no ': ' after this key: write 'key: value', "
		    "with a space after the colon (or, for a comment, '# ' "
		    "at the start of the line)");
	} else if ((strstr(problem, "did not find expected key") ||
	    strstr(problem, "did not find expected '-'")) &&
	    after_quote(l, at)) {
		fail(l, at, "text after the closing quote: put the whole "
		    "value in quotes (single quotes keep double ones: "
		    "'\"A\" B')");
	} else if (strstr(problem, "did not find expected key") &&
	    context && strstr(context, "block mapping") &&
	    misaligned(l, at, ctx)) {
		fail(l, at, "this line is not lined up with the keys above "
		    "it (the block of keys at line %d starts at column %d): "
		    "indent it by as many spaces as they are", ctx.line,
		    ctx.column);
	} else if (strstr(problem, "did not find expected '-'") &&
	    context && strstr(context, "block collection") &&
	    misaligned(l, at, ctx)) {
		fail(l, at, "this line is not lined up with the list above "
		    "it (its '- ' items at line %d start at column %d): "
		    "indent it by as many spaces as they are", ctx.line,
		    ctx.column);
	} else if (strstr(problem, "block sequence entries are not "
	    "allowed")) {
		fail(l, at, "a list item ('- ') cannot start on the line of "
		    "its key: put it on the next line, indented, or write "
		    "the list as [a, b]");
	} else {
		return 0;
	}
	return 1;
}

static void
parser_error(loader *l, const yaml_parser_t *p)
{
	position at, ctx;
	const char *what;

	switch (p->error) {
	case YAML_MEMORY_ERROR:
		at.line = at.column = 0;
		fail(l, at, "out of memory");
		break;
	case YAML_READER_ERROR:
		at = unshift(l, offset_position(l->data, l->len,
		    p->problem_offset));
		if (p->problem_value != -1)
			fail(l, at, "%s (#%X)", p->problem, p->problem_value);
		else
			fail(l, at, "%s", p->problem);
		break;
	default:
		at = event_position(l, p->problem_mark);
		ctx = event_position(l, p->context_mark);
		if (explain(l, p->problem, p->context, at, ctx))
			;
		else if ((what = unclosed(p->context, p->problem)) != NULL)
			/* The mistake is where the bracket or quote opened,
			 * not where the parser gave up. */
			fail(l, ctx, "this %s is never closed: %s (at line %d, "
			    "column %d)", what, p->problem ? p->problem :
			    "syntax error", at.line, at.column);
		else if (p->context != NULL)
			fail(l, at, "%s (%s at line %d, column %d)",
			    p->problem ? p->problem : "syntax error",
			    p->context, ctx.line, ctx.column);
		else
			fail(l, at, "%s",
			    p->problem ? p->problem : "syntax error");
		break;
	}
}

static void
parse(loader *l)
{
	yaml_parser_t parser;
	yaml_event_t event;
	int done = 0;

	if (!yaml_parser_initialize(&parser)) {
		position none = {0, 0};
		fail(l, none, "out of memory");
		return;
	}
	yaml_parser_set_input_string(&parser,
	    (const unsigned char *)(l->len ? l->data : ""), l->len);
	yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
	while (!done && !l->failed) {
		if (!yaml_parser_parse(&parser, &event)) {
			parser_error(l, &parser);
			break;
		}
		done = event.type == YAML_STREAM_END_EVENT;
		on_event(l, &event);
		yaml_event_delete(&event);
	}
	yaml_parser_delete(&parser);
}

/*
 * JSON writes a character beyond U+FFFF as a UTF-16 surrogate pair,
 * "\ud83d\ude00", which libyaml refuses.  Inside double-quoted strings
 * such pairs are rewritten as the YAML escape "\U0001F600" before parsing,
 * and l->fixups remembers where (in the rewritten text's columns).  Quotes
 * are followed the YAML way: single-quoted strings and comments are
 * skipped.
 */

/* s[0..n) begins with \uHHHH, HHHH in lo..hi; *cp gets it. */
static int
u_escape(const char *s, size_t n, unsigned lo, unsigned hi, unsigned *cp)
{
	char hex[5];
	size_t i;

	if (n < 6 || s[0] != '\\' || s[1] != 'u')
		return 0;
	for (i = 0; i < 4; i++)
		if (!isxdigit((unsigned char)s[2 + i]))
			return 0;
	memcpy(hex, s + 2, 4);
	hex[4] = '\0';
	*cp = (unsigned)strtoul(hex, NULL, 16);
	return *cp >= lo && *cp <= hi;
}

static int
has_surrogate_pair(const char *s, size_t n)
{
	unsigned cp;
	const char *p;

	for (p = s; (p = memchr(p, '\\', n - (size_t)(p - s))) != NULL; p++)
		if (u_escape(p, n - (size_t)(p - s), 0xD800, 0xDBFF, &cp))
			return 1;
	return 0;
}

static void
add_fixup(loader *l, position at)
{
	if (l->nfixups == l->capfixups) {
		l->capfixups = l->capfixups ? l->capfixups * 2 : 16;
		l->fixups = xrealloc(l->fixups,
		    l->capfixups * sizeof *l->fixups);
	}
	l->fixups[l->nfixups++] = at;
}

enum quoting { OUTSIDE, DOUBLE, SINGLE, COMMENT };

/* The quoting after s[i] (k bytes, k > 1 for escapes) given prev, the
 * byte before it. */
static enum quoting
next_quoting(enum quoting q, const char *s, size_t i, size_t n, char prev,
    size_t *k)
{
	char c = s[i];

	*k = 1;
	switch (q) {
	case OUTSIDE:
		if (c == '"')
			return DOUBLE;
		if (c == '\'' && strchr(" \t\r\n[{,:", prev) != NULL)
			return SINGLE;
		if (c == '#' && strchr(" \t\r\n", prev) != NULL)
			return COMMENT;
		return OUTSIDE;
	case COMMENT:
		return c == '\n' ? OUTSIDE : COMMENT;
	case SINGLE:
		if (c == '\'' && i + 1 < n && s[i + 1] == '\'') {
			*k = 2;
			return SINGLE;
		}
		return c == '\'' ? OUTSIDE : SINGLE;
	default:
		if (c == '\\' && i + 1 < n)
			*k = 2;
		return c == '"' ? OUTSIDE : DOUBLE;
	}
}

static void
advance_position(position *at, const char *s, size_t k)
{
	size_t i;

	for (i = 0; i < k; i++) {
		if (s[i] == '\n') {
			at->line++;
			at->column = 1;
		} else if (((unsigned char)s[i] & 0xC0) != 0x80) {
			at->column++;
		}
	}
}

static char *
rewrite_surrogates(loader *l, const char *s, size_t n, size_t *len)
{
	wp_buf b = WP_BUF_INIT;
	enum quoting q = OUTSIDE;
	position at = {1, 1};
	unsigned hi, lo;
	size_t i = 0, k;
	char prev = '\n';

	while (i < n) {
		if (q == DOUBLE && u_escape(s + i, n - i, 0xD800, 0xDBFF, &hi) &&
		    u_escape(s + i + 6, n - i - 6, 0xDC00, 0xDFFF, &lo)) {
			add_fixup(l, at);
			wp_buf_printf(&b, "\\U%08X", 0x10000 +
			    ((hi - 0xD800) << 10) + (lo - 0xDC00));
			at.column += 10;
			i += 12;
			prev = '0';
			continue;
		}
		q = next_quoting(q, s, i, n, prev, &k);
		wp_buf_put(&b, s + i, k);
		advance_position(&at, s + i, k);
		prev = s[i + k - 1];
		i += k;
	}
	*len = b.len;
	return wp_buf_detach(&b);
}

static void
loader_free(loader *l)
{
	size_t i;

	while (l->depth > 0)
		frame_free(&l->stack[--l->depth]);
	free(l->stack);
	for (i = 0; i < l->nanchors; i++) {
		free(l->anchors[i].name);
		wp_value_free(l->anchors[i].owned);
	}
	free(l->anchors);
	free(l->fixups);
}

wp_value *
wp_yaml_load(const char *path, const char *data, size_t len, wp_diags *d)
{
	loader l;
	size_t bad;
	char *rewritten = NULL;

	/* A byte order mark, which some editors write, is no content. */
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
		data += 3;
		len -= 3;
	}
	memset(&l, 0, sizeof l);
	l.path = path;
	l.data = data;
	l.len = len;
	l.d = d;
	if ((bad = wp_utf8_invalid_at(data, len)) != (size_t)-1) {
		fail(&l, offset_position(data, len, bad),
		    "invalid UTF-8 (byte 0x%02X)", (unsigned char)data[bad]);
		return NULL;
	}
	if (has_surrogate_pair(data, len)) {
		rewritten = rewrite_surrogates(&l, data, len, &l.len);
		l.data = rewritten;
	}
	parse(&l);
	loader_free(&l);
	free(rewritten);
	if (l.failed) {
		wp_value_free(l.root);
		return NULL;
	}
	return l.root ? l.root : wp_value_new_null();
}

wp_value *
wp_yaml_load_file_text(const char *path, wp_diags *d, char **text,
    size_t *len)
{
	int e;

	*len = 0;
	if ((*text = wp_read_file(path, len)) == NULL) {
		e = errno;
		wp_diag_add(d, WP_ERROR, path, 0, 0, wp_read_error_code(e),
		    "cannot read: %s", wp_read_error(e));
		return NULL;
	}
	return wp_yaml_load(path, *text, *len, d);
}

wp_value *
wp_yaml_load_file(const char *path, wp_diags *d)
{
	char *text;
	size_t len;
	wp_value *v = wp_yaml_load_file_text(path, d, &text, &len);

	free(text);
	return v;
}
