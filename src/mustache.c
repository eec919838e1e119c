/*
 * mustache.c: the Mustache engine of mustache.h.
 *
 * Compiling makes four passes over a template's source:
 *
 *  1. scan: split the source into tokens, text pieces of at most one line
 *     and tags, applying set-delimiter tags as they come;
 *  2. count_parents: note for each tag how many parent tags are open after
 *     it, which decides whether several tags may share a standalone line;
 *  3. mark_standalone: find the lines holding only whitespace and tags
 *     that print nothing, and mark their whitespace for removal;
 *  4. build: turn the tokens into a tree of nodes, checking that sections
 *     close and removing block indentation; a tag's name is split at its
 *     dots and each part hashed and interned (wp_key_intern), once, so
 *     that looking it up in the maps of the context stack compares
 *     pointers, not strings.
 *
 * Rendering walks the tree with a context stack (the values of the
 * enclosing sections), a stack of the parent tags being expanded (their
 * blocks override the templates'), and the current indentation, which
 * standalone partials and blocks extend.  Indentation is written lazily, in
 * front of the first character of each template line that has one.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "mustache.h"
#include "util.h"

/* Sections, partials, blocks and lambdas in progress while rendering. */
#define MAX_RENDER_NESTING 1000

/*
 * Compiled templates.
 */

typedef enum node_kind {
	N_TEXT,
	N_VAR,
	N_SECTION,
	N_INVERTED,
	N_PARTIAL,
	N_PARENT,
	N_BLOCK
} node_kind;

typedef struct node node;

typedef struct node_list {
	node *items;
	size_t len, cap;
} node_list;

struct node {
	node_kind kind;
	unsigned escape : 1;      /* N_VAR: {{x}}, not {{{x}}} or {{&x}} */
	unsigned dynamic : 1;     /* N_PARTIAL, N_PARENT: {{>*x}} */
	unsigned standalone : 1;  /* alone on its line */
	int line, column;         /* of the tag */
	char *text;               /* N_TEXT: the text; otherwise the name */
	size_t len;
	const char **path;        /* the name split at dots, each part
	                             interned; none for "." */
	unsigned *hash;           /* wp_key_hash() of each path[i] */
	size_t npath;
	unsigned long name_hash;  /* N_PARTIAL, N_PARENT not dynamic:
	                             hash_name() of text, for the registry */
	char *indent;             /* N_PARTIAL, N_PARENT, N_BLOCK */
	node_list kids;           /* content; N_PARENT: its blocks */
	char *raw;                /* N_SECTION: its source, for lambdas */
	size_t raw_len;
	char *otag, *ctag;        /* N_SECTION: its delimiters, for lambdas */
};

struct wp_template {
	char *name;
	char *path;
	node_list root;
};

static void list_free(node_list *l);

static void
node_free(node *n)
{
	free(n->text);
	free(n->path);
	free(n->hash);
	free(n->indent);
	list_free(&n->kids);
	free(n->raw);
	free(n->otag);
	free(n->ctag);
}

static void
list_free(node_list *l)
{
	size_t i;

	for (i = 0; i < l->len; i++)
		node_free(&l->items[i]);
	free(l->items);
	l->items = NULL;
	l->len = l->cap = 0;
}

static void
list_push(node_list *l, const node *n)
{
	if (l->len == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 8;
		l->items = xrealloc(l->items, l->cap * sizeof *l->items);
	}
	l->items[l->len++] = *n;
}

void
wp_template_free(wp_template *tpl)
{
	if (tpl == NULL)
		return;
	list_free(&tpl->root);
	free(tpl->name);
	free(tpl->path);
	free(tpl);
}

const char *
wp_template_name(const wp_template *tpl)
{
	return tpl->name;
}

const char *
wp_template_path(const wp_template *tpl)
{
	return tpl->path;
}

/*
 * Diagnostics.  A problem of a template is a property of the template:
 * met again (the same partial missing from every page of a build), it is
 * reported once to each diagnostics list (reg_report).
 */

static void
vreport(wp_diags *d, const char *file, int line, int column,
    const char *code, const char *fmt, va_list ap)
{
	wp_buf msg = WP_BUF_INIT;

	wp_buf_vprintf(&msg, fmt, ap);
	wp_diag_add(d, WP_ERROR, file, line, column, code, "%s",
	    wp_buf_cstr(&msg));
	wp_buf_free(&msg);
}

static void
report(wp_diags *d, const char *file, int line, int column, const char *code,
    const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static void
report(wp_diags *d, const char *file, int line, int column, const char *code,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(d, file, line, column, code, fmt, ap);
	va_end(ap);
}

struct wp_templates;
static int first_time(struct wp_templates *reg, const wp_diags *d,
    const char *file, int line, int column, const char *code,
    const char *msg);

/* report(), once per registry for the same problem. */
static void
reg_report(struct wp_templates *reg, wp_diags *d, const char *file, int line,
    int column, const char *code, const char *msg)
{
	if (first_time(reg, d, file, line, column, code, msg)) {
		report(d, file, line, column, code, "%s", msg);
		if (d != NULL && d->len > 0)
			d->items[d->len - 1].once = 1;
	}
}

void
wp_templates_report(struct wp_templates *t, wp_diags *d, const char *file,
    const char *code, const char *msg)
{
	reg_report(t, d, file, 0, 0, code, msg);
}

static void
replay(struct wp_templates *reg, wp_diags *to, const wp_diags *from)
{
	size_t i;
	const wp_diag *g;

	for (i = 0; i < from->len; i++) {
		g = &from->items[i];
		reg_report(reg, to, g->file, g->line, g->column, g->code,
		    g->message);
	}
}

/*
 * The compiler.
 */

typedef enum tok_kind {
	T_TEXT,
	T_VAR,
	T_SECTION,
	T_INVERTED,
	T_CLOSE,
	T_COMMENT,
	T_DELIM,
	T_PARTIAL,
	T_PARENT,
	T_BLOCK
} tok_kind;

typedef struct token {
	tok_kind kind;
	unsigned escape : 1;      /* T_VAR */
	unsigned dynamic : 1;     /* T_PARTIAL, T_PARENT, T_CLOSE */
	unsigned standalone : 1;  /* a tag alone on its line */
	unsigned drop : 1;        /* text of a standalone line */
	unsigned bol : 1;         /* starts a line */
	size_t start, end;        /* the text, or the whole tag */
	size_t name, name_len;    /* the tag's name */
	size_t ws, ws_len;        /* standalone: the line's indentation */
	int line, column;
	int parents;              /* parent tags open after this tag */
	const char *otag, *ctag;  /* the delimiters it was read with */
	size_t olen, clen;
} token;

typedef struct frame {
	node n;                   /* the section, block or parent being built */
	size_t tok;               /* its opening tag */
	size_t dedent_len;        /* compiler.dedent's length outside it */
} frame;

typedef struct compiler {
	const char *src;
	size_t len;
	const char *path;
	wp_diags *d;
	int failed;
	size_t pos;               /* scanning */
	int line, column;
	const char *otag, *ctag;
	size_t olen, clen;
	token *toks;
	size_t ntoks, captoks;
	frame *frames;            /* building */
	size_t nframes, capframes;
	wp_buf text;              /* text waiting to become a node */
	wp_buf dedent;            /* block indentation to remove */
} compiler;

static void
compile_error(compiler *c, int line, int column, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void
compile_error(compiler *c, int line, int column, const char *fmt, ...)
{
	va_list ap;

	if (c->failed)
		return;
	c->failed = 1;
	va_start(ap, fmt);
	vreport(c->d, c->path, line, column, "template-error", fmt, ap);
	va_end(ap);
}

static int
is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

static int
is_blank(char ch)
{
	return ch == ' ' || ch == '\t';
}

/* Moves the scanning position to the byte offset to, counting lines and
 * (UTF-8) columns. */
static void
advance(compiler *c, size_t to)
{
	unsigned char ch;

	for (; c->pos < to; c->pos++) {
		ch = (unsigned char)c->src[c->pos];
		if (ch == '\n') {
			c->line++;
			c->column = 1;
		} else if ((ch & 0xC0) != 0x80) {
			c->column++;
		}
	}
}

static token *
push_token(compiler *c, tok_kind kind, size_t start, size_t end)
{
	token *t;

	if (c->ntoks == c->captoks) {
		c->captoks = c->captoks ? c->captoks * 2 : 64;
		c->toks = xrealloc(c->toks, c->captoks * sizeof *c->toks);
	}
	t = &c->toks[c->ntoks++];
	memset(t, 0, sizeof *t);
	t->kind = kind;
	t->start = start;
	t->end = end;
	t->line = c->line;
	t->column = c->column;
	t->bol = c->ntoks == 1 || (t[-1].kind == T_TEXT &&
	    c->src[t[-1].end - 1] == '\n');
	t->otag = c->otag;
	t->ctag = c->ctag;
	t->olen = c->olen;
	t->clen = c->clen;
	return t;
}

/* Text up to offset to, one token per line. */
static void
scan_text(compiler *c, size_t to)
{
	const char *nl;
	size_t end;

	while (c->pos < to) {
		nl = memchr(c->src + c->pos, '\n', to - c->pos);
		end = nl ? (size_t)(nl - c->src) + 1 : to;
		push_token(c, T_TEXT, c->pos, end);
		advance(c, end);
	}
}

/* The first needle[0..m) in s[0..n) (m > 0), or NULL. */
static const char *
find(const char *s, size_t n, const char *needle, size_t m)
{
	const char *end = s + n, *p = s;

	while ((size_t)(end - p) >= m &&
	    (p = memchr(p, needle[0], (size_t)(end - p) - m + 1)) != NULL) {
		if (memcmp(p, needle, m) == 0)
			return p;
		p++;
	}
	return NULL;
}

/*
 * Where the tag whose content starts at p ends: the offset of its closing
 * marker (the closing delimiter, after '}' for triple mustaches and '=' for
 * set-delimiter tags), or (size_t)-1 after reporting an error.
 */
static size_t
tag_close(compiler *c, size_t p, char prefix, int line, int column)
{
	const char *q;
	char *marker;
	size_t at;

	if (prefix == '=') {    /* the new delimiters may hold the old */
		marker = xasprintf("=%.*s", (int)c->clen, c->ctag);
		q = find(c->src + p, c->len - p, marker, c->clen + 1);
		free(marker);
		if (q != NULL)
			return (size_t)(q - c->src);
	}
	q = find(c->src + p, c->len - p, c->ctag, c->clen);
	if (q == NULL) {
		compile_error(c, line, column, "unclosed tag: no '%.*s' after "
		    "'%.*s'", (int)c->clen, c->ctag, (int)c->olen, c->otag);
		return (size_t)-1;
	}
	at = (size_t)(q - c->src);
	if (prefix == '\0')
		return at;
	if (at > p && c->src[at - 1] == prefix)
		return at - 1;
	if (c->src[at] == prefix && at + 1 + c->clen <= c->len &&
	    memcmp(c->src + at + 1, c->ctag, c->clen) == 0)
		return at;
	compile_error(c, line, column, "%s tag must end with '%c%.*s'",
	    prefix == '}' ? "a triple mustache" : "a set-delimiter", prefix,
	    (int)c->clen, c->ctag);
	return (size_t)-1;
}

/* Parses the content of a set-delimiter tag: two words, no '='. */
static int
set_delimiters(compiler *c, size_t cs, size_t ce, const token *t)
{
	size_t a = cs, b, i;

	while (a < ce && !is_space(c->src[a]))
		a++;
	b = a;
	while (b < ce && is_space(c->src[b]))
		b++;
	if (a == cs || b == a || b == ce ||
	    memchr(c->src + cs, '=', ce - cs) != NULL)
		goto bad;
	for (i = b; i < ce; i++)
		if (is_space(c->src[i]))
			goto bad;
	c->otag = c->src + cs;
	c->olen = a - cs;
	c->ctag = c->src + b;
	c->clen = ce - b;
	return 0;
bad:
	compile_error(c, t->line, t->column, "invalid set-delimiter tag "
	    "'%.*s': want two delimiters without '=' separated by a space",
	    (int)(ce - cs), c->src + cs);
	return -1;
}

/* A tag name: no whitespace or NUL; dotted names have no empty part. */
static int
check_name(compiler *c, const token *t, int dotted)
{
	const char *s = c->src + t->name;
	size_t n = t->name_len, i;

	if (n == 0) {
		compile_error(c, t->line, t->column, "empty tag name");
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (is_space(s[i]) || s[i] == '\0') {
			compile_error(c, t->line, t->column, "invalid tag name "
			    "'%.*s': names cannot hold whitespace or NUL",
			    (int)n, s);
			return -1;
		}
	}
	if (!dotted || (n == 1 && s[0] == '.'))
		return 0;
	for (i = 0; i < n; i++) {
		if (s[i] == '.' && (i == 0 || i == n - 1 || s[i + 1] == '.')) {
			compile_error(c, t->line, t->column, "invalid name "
			    "'%.*s': empty part between dots", (int)n, s);
			return -1;
		}
	}
	return 0;
}

static tok_kind
tag_kind(char type)
{
	switch (type) {
	case '{':
	case '&': return T_VAR;
	case '#': return T_SECTION;
	case '^': return T_INVERTED;
	case '/': return T_CLOSE;
	case '!': return T_COMMENT;
	case '=': return T_DELIM;
	case '>': return T_PARTIAL;
	case '<': return T_PARENT;
	case '$': return T_BLOCK;
	default: return T_VAR;
	}
}

/* The tag at c->pos (where the opening delimiter is). */
static int
scan_tag(compiler *c)
{
	size_t at = c->pos, p = at + c->olen, close, end, cs, ce;
	char type = p < c->len ? c->src[p] : '\0';
	tok_kind kind = tag_kind(type);
	char prefix = type == '{' ? '}' : type == '=' ? '=' : '\0';
	token *t;

	if (kind != T_VAR || type == '{' || type == '&')
		p++;
	close = tag_close(c, p, prefix, c->line, c->column);
	if (close == (size_t)-1)
		return -1;
	end = close + (prefix ? 1 : 0) + c->clen;
	t = push_token(c, kind, at, end);
	t->escape = type != '{' && type != '&';
	for (cs = p, ce = close; cs < ce && is_space(c->src[cs]); cs++)
		;
	while (ce > cs && is_space(c->src[ce - 1]))
		ce--;
	if (kind == T_DELIM && set_delimiters(c, cs, ce, t) != 0)
		return -1;
	if ((kind == T_PARTIAL || kind == T_PARENT || kind == T_CLOSE) &&
	    cs < ce && c->src[cs] == '*') {
		t->dynamic = 1;
		for (cs++; cs < ce && is_space(c->src[cs]); cs++)
			;
	}
	t->name = cs;
	t->name_len = ce - cs;
	if (kind != T_COMMENT && kind != T_DELIM && check_name(c, t,
	    kind == T_VAR || kind == T_SECTION || kind == T_INVERTED ||
	    t->dynamic) != 0)
		return -1;
	advance(c, end);
	return 0;
}

static int
scan(compiler *c)
{
	const char *open;
	size_t at;

	while (c->pos < c->len) {
		open = find(c->src + c->pos, c->len - c->pos, c->otag,
		    c->olen);
		at = open ? (size_t)(open - c->src) : c->len;
		scan_text(c, at);
		if (open == NULL)
			break;
		if (scan_tag(c) != 0)
			return -1;
	}
	return 0;
}

/* Pass 2: how many parent tags are open after each tag. */
static void
count_parents(compiler *c)
{
	unsigned char *open = NULL;
	size_t depth = 0, cap = 0, i;
	int parents = 0;
	token *t;

	for (i = 0; i < c->ntoks; i++) {
		t = &c->toks[i];
		if (t->kind == T_SECTION || t->kind == T_INVERTED ||
		    t->kind == T_BLOCK || t->kind == T_PARENT) {
			if (depth == cap) {
				cap = cap ? cap * 2 : 16;
				open = xrealloc(open, cap);
			}
			open[depth++] = t->kind == T_PARENT;
			parents += t->kind == T_PARENT;
		} else if (t->kind == T_CLOSE && depth > 0) {
			parents -= open[--depth];
		}
		t->parents = parents;
	}
	free(open);
}

/* Whitespace, then perhaps a line end. */
static int
blank_text(const compiler *c, const token *t)
{
	size_t i;

	for (i = t->start; i < t->end; i++) {
		if (is_blank(c->src[i]))
			continue;
		if (c->src[i] == '\n' && i + 1 == t->end)
			continue;
		if (c->src[i] == '\r' && i + 2 == t->end &&
		    c->src[i + 1] == '\n')
			continue;
		return 0;
	}
	return 1;
}

/* Tokens first..last-1 form one line: mark it if it is standalone. */
static void
check_line(compiler *c, size_t first, size_t last)
{
	const token *prev = NULL;
	token *t;
	size_t i, ws = 0, ws_len = 0;

	for (i = first; i < last; i++) {
		t = &c->toks[i];
		if (t->kind == T_TEXT) {
			if (!blank_text(c, t))
				return;
		} else if (t->kind == T_VAR) {
			return;
		} else {
			if (prev != NULL && prev->parents == 0)
				return;
			prev = t;
		}
	}
	if (prev == NULL)
		return;
	if (c->toks[first].kind == T_TEXT) {
		ws = c->toks[first].start;
		ws_len = c->toks[first].end - ws;
	}
	for (i = first; i < last; i++) {
		t = &c->toks[i];
		if (t->kind == T_TEXT) {
			t->drop = 1;
		} else {
			t->standalone = 1;
			t->ws = ws;
			t->ws_len = ws_len;
		}
	}
}

/* Pass 3. */
static void
mark_standalone(compiler *c)
{
	size_t first = 0, i;
	const token *t;

	for (i = 0; i < c->ntoks; i++) {
		t = &c->toks[i];
		if (t->kind == T_TEXT && c->src[t->end - 1] == '\n') {
			check_line(c, first, i + 1);
			first = i + 1;
		}
	}
	if (first < c->ntoks)
		check_line(c, first, c->ntoks);
}

/* Pass 4: building the tree. */

static frame *
top_frame(compiler *c)
{
	return &c->frames[c->nframes - 1];
}

static int
in_parent(compiler *c)
{
	return top_frame(c)->n.kind == N_PARENT;
}

/* s[0..*n) without the longest prefix it shares with the indentation
 * being removed. */
static const char *
dedent(const compiler *c, const char *s, size_t *n)
{
	size_t k = 0;

	while (k < *n && k < c->dedent.len && s[k] == c->dedent.data[k])
		k++;
	*n -= k;
	return s + k;
}

static void
flush_text(compiler *c)
{
	node n;

	if (c->text.len == 0)
		return;
	memset(&n, 0, sizeof n);
	n.kind = N_TEXT;
	n.len = c->text.len;
	n.text = xstrndup(c->text.data, c->text.len);
	wp_buf_clear(&c->text);
	list_push(&top_frame(c)->n.kids, &n);
}

static void
add_text(compiler *c, const token *t)
{
	const char *s = c->src + t->start;
	size_t n = t->end - t->start;

	if (in_parent(c))
		return;         /* text inside a parent tag is ignored */
	if (t->bol && c->dedent.len > 0)
		s = dedent(c, s, &n);
	wp_buf_put(&c->text, s, n);
}

static unsigned long hash_name(const char *s);

/* A node for tag t: kind, name, position. */
static node
tag_node(const compiler *c, const token *t, node_kind kind)
{
	const char *s = c->src + t->name, *dot;
	size_t n = t->name_len, k;
	char *part;
	node nd;

	memset(&nd, 0, sizeof nd);
	nd.kind = kind;
	nd.escape = t->escape;
	nd.dynamic = t->dynamic;
	nd.standalone = t->standalone;
	nd.line = t->line;
	nd.column = t->column;
	nd.text = xstrndup(s, n);
	nd.len = n;
	if ((kind == N_PARTIAL || kind == N_PARENT) && !t->dynamic)
		nd.name_hash = hash_name(nd.text);
	if ((kind == N_VAR || kind == N_SECTION || kind == N_INVERTED ||
	    t->dynamic) && !(n == 1 && s[0] == '.')) {
		nd.npath = 1;
		for (k = 0; k < n; k++)
			nd.npath += s[k] == '.';
		nd.path = xcalloc(nd.npath, sizeof *nd.path);
		nd.hash = xcalloc(nd.npath, sizeof *nd.hash);
		for (k = 0; k < nd.npath; k++) {
			dot = memchr(s, '.', n);
			part = xstrndup(s, dot ? (size_t)(dot - s) : n);
			nd.hash[k] = wp_key_hash(part);
			nd.path[k] = wp_key_intern(part, nd.hash[k]);
			free(part);
			if (dot) {
				n -= (size_t)(dot - s) + 1;
				s = dot + 1;
			}
		}
	}
	return nd;
}

/* The indentation of a standalone partial or parent tag, minus what the
 * enclosing blocks remove. */
static char *
tag_indent(const compiler *c, const token *t)
{
	size_t n = t->ws_len;
	const char *s = dedent(c, c->src + t->ws, &n);

	return xstrndup(s, n);
}

/*
 * The indentation of block tag i, relative to the enclosing blocks: when
 * the tag is standalone, that of the first non-blank line after it (its
 * content's, or its closing tag's); otherwise the whitespace before it when
 * nothing else precedes it on its line.
 */
static char *
block_indent(const compiler *c, size_t i)
{
	const token *t = &c->toks[i];
	const char *s = "", *nl;
	size_t n = 0, p, w;

	if (t->standalone) {
		s = c->src + t->ws;
		n = t->ws_len;
		nl = memchr(c->src + t->end, '\n', c->len - t->end);
		for (p = nl ? (size_t)(nl - c->src) + 1 : c->len; p < c->len;
		    p = (size_t)(nl - c->src) + 1) {
			for (w = 0; p + w < c->len && is_blank(c->src[p + w]);
			    w++)
				;
			nl = memchr(c->src + p, '\n', c->len - p);
			if (p + w < c->len && c->src[p + w] != '\n' &&
			    !(c->src[p + w] == '\r' && p + w + 1 < c->len &&
			    c->src[p + w + 1] == '\n')) {
				s = c->src + p;
				n = w;
				break;
			}
			if (nl == NULL)
				break;
		}
	} else if (i > 0 && !t->bol && t[-1].kind == T_TEXT && t[-1].bol &&
	    blank_text(c, &t[-1])) {
		s = c->src + t[-1].start;
		n = t[-1].end - t[-1].start;
	}
	s = dedent(c, s, &n);
	return xstrndup(s, n);
}

static const char *
sigil(node_kind k)
{
	switch (k) {
	case N_SECTION: return "#";
	case N_INVERTED: return "^";
	case N_PARENT: return "<";
	case N_BLOCK: return "$";
	default: return "";
	}
}

static void
open_frame(compiler *c, size_t i)
{
	const token *t = &c->toks[i];
	node_kind kind = t->kind == T_SECTION ? N_SECTION :
	    t->kind == T_INVERTED ? N_INVERTED :
	    t->kind == T_PARENT ? N_PARENT : N_BLOCK;
	frame *f;

	if (c->nframes > WP_MUSTACHE_MAX_NESTING) {
		compile_error(c, t->line, t->column, "sections nested more "
		    "than %d deep", WP_MUSTACHE_MAX_NESTING);
		return;
	}
	if (c->nframes == c->capframes) {
		c->capframes *= 2;
		c->frames = xrealloc(c->frames,
		    c->capframes * sizeof *c->frames);
	}
	f = &c->frames[c->nframes++];
	f->n = tag_node(c, t, kind);
	f->tok = i;
	f->dedent_len = c->dedent.len;
	if (kind == N_SECTION) {
		f->n.otag = xstrndup(t->otag, t->olen);
		f->n.ctag = xstrndup(t->ctag, t->clen);
	} else if (kind == N_PARENT && t->standalone) {
		f->n.indent = tag_indent(c, t);
	} else if (kind == N_BLOCK) {
		f->n.indent = block_indent(c, i);
		wp_buf_puts(&c->dedent, f->n.indent);
	}
}

static void
close_frame(compiler *c, size_t i)
{
	const token *t = &c->toks[i];
	frame *f;
	node n;

	if (c->nframes == 1) {
		compile_error(c, t->line, t->column, "closing tag '/%s%.*s' "
		    "without an opening tag", t->dynamic ? "*" : "",
		    (int)t->name_len, c->src + t->name);
		return;
	}
	f = top_frame(c);
	if (f->n.len != t->name_len || f->n.dynamic != t->dynamic ||
	    memcmp(f->n.text, c->src + t->name, t->name_len) != 0) {
		compile_error(c, t->line, t->column, "closing tag '/%s%.*s' "
		    "does not match '%s%s%s' (line %d, column %d)",
		    t->dynamic ? "*" : "", (int)t->name_len, c->src + t->name,
		    sigil(f->n.kind), f->n.dynamic ? "*" : "", f->n.text,
		    f->n.line, f->n.column);
		return;
	}
	n = f->n;
	if (n.kind == N_SECTION) {
		n.raw_len = t->start - c->toks[f->tok].end;
		n.raw = xstrndup(c->src + c->toks[f->tok].end, n.raw_len);
	}
	c->dedent.len = f->dedent_len;
	if (c->dedent.data)
		c->dedent.data[c->dedent.len] = '\0';
	c->nframes--;
	if (in_parent(c) && n.kind != N_BLOCK)
		node_free(&n);  /* only blocks count inside a parent tag */
	else
		list_push(&top_frame(c)->n.kids, &n);
}

static void
build_token(compiler *c, size_t i)
{
	const token *t = &c->toks[i];
	node n;

	if (t->drop || t->kind == T_COMMENT || t->kind == T_DELIM)
		return;
	if (t->kind == T_TEXT) {
		add_text(c, t);
		return;
	}
	flush_text(c);
	switch (t->kind) {
	case T_VAR:
	case T_PARTIAL:
		if (in_parent(c))
			return;
		n = tag_node(c, t, t->kind == T_VAR ? N_VAR : N_PARTIAL);
		if (t->kind == T_PARTIAL && t->standalone)
			n.indent = tag_indent(c, t);
		list_push(&top_frame(c)->n.kids, &n);
		break;
	case T_CLOSE:
		close_frame(c, i);
		break;
	default:
		open_frame(c, i);
		break;
	}
}

static void
build(compiler *c, node_list *out)
{
	const node *open;
	size_t i;

	c->capframes = 16;
	c->frames = xcalloc(c->capframes, sizeof *c->frames);
	c->nframes = 1;
	for (i = 0; i < c->ntoks && !c->failed; i++)
		build_token(c, i);
	if (!c->failed)
		flush_text(c);
	if (!c->failed && c->nframes > 1) {
		open = &top_frame(c)->n;
		compile_error(c, open->line, open->column, "unclosed %s "
		    "'%s%s%s': no closing tag", open->kind == N_PARENT ?
		    "parent" : open->kind == N_BLOCK ? "block" : "section",
		    sigil(open->kind), open->dynamic ? "*" : "", open->text);
	}
	while (c->nframes > 1)
		node_free(&c->frames[--c->nframes].n);
	*out = c->frames[0].n.kids;
	if (c->failed)
		list_free(out);
	free(c->frames);
}

/* Compiles src with the given opening and closing delimiters. */
static wp_template *
compile(const char *name, const char *path, const char *src, size_t len,
    const char *otag, const char *ctag, wp_diags *d)
{
	compiler c;
	wp_template *tpl;
	node_list root = {NULL, 0, 0};

	memset(&c, 0, sizeof c);
	c.src = len ? src : "";
	c.len = len;
	c.path = path;
	c.d = d;
	c.line = c.column = 1;
	c.otag = otag;
	c.olen = strlen(otag);
	c.ctag = ctag;
	c.clen = strlen(ctag);
	if (scan(&c) == 0) {
		count_parents(&c);
		mark_standalone(&c);
		build(&c, &root);
	}
	free(c.toks);
	wp_buf_free(&c.text);
	wp_buf_free(&c.dedent);
	if (c.failed)
		return NULL;
	tpl = xcalloc(1, sizeof *tpl);
	tpl->name = xstrdup(name);
	tpl->path = xstrdup(path);
	tpl->root = root;
	return tpl;
}

wp_template *
wp_template_compile(wp_templates *t, const char *name, const char *src,
    size_t len, wp_diags *d)
{
	(void)t;
	return compile(name, name, src, len, "{{", "}}", d);
}

/*
 * The registry.
 */

typedef struct entry {
	char *name;
	unsigned long hash;
	int status;               /* what the loader said */
	int err;                  /* errno, for WP_TEMPLATE_IO_ERROR */
	char *path;
	wp_template *tpl;         /* NULL unless found and compiled */
	wp_diags diags;           /* what compiling reported */
} entry;

struct wp_templates {
	wp_template_loader loader;
	void *data;
	int strict;
	char *root;               /* wp_templates_new_dir() */
	entry **entries;
	size_t len, cap;
	wp_strset reported;       /* problems reported (reg_report) */
	pthread_mutex_t lock;
};

/* Whether this problem is new to the list d (and remembers it). */
static int
first_time(struct wp_templates *reg, const wp_diags *d, const char *file,
    int line, int column, const char *code, const char *msg)
{
	char *key;
	int added;

	if (reg == NULL || d == NULL)
		return 1;
	key = xasprintf("%lu\n%s\n%d\n%d\n%s\n%s", d->id, file ? file : "",
	    line, column, code, msg);
	pthread_mutex_lock(&reg->lock);
	added = wp_strset_add(&reg->reported, key);
	pthread_mutex_unlock(&reg->lock);
	free(key);
	return added;
}

wp_templates *
wp_templates_new(wp_template_loader loader, void *data)
{
	wp_templates *t = xcalloc(1, sizeof *t);

	t->loader = loader;
	t->data = data;
	pthread_mutex_init(&t->lock, NULL);
	return t;
}

void
wp_templates_set_strict(wp_templates *t, int strict)
{
	t->strict = strict;
}

void
wp_templates_free(wp_templates *t)
{
	size_t i;
	entry *e;

	if (t == NULL)
		return;
	for (i = 0; i < t->len; i++) {
		e = t->entries[i];
		free(e->name);
		free(e->path);
		wp_template_free(e->tpl);
		wp_diags_free(&e->diags);
		free(e);
	}
	free(t->entries);
	free(t->root);
	wp_strset_free(&t->reported);
	pthread_mutex_destroy(&t->lock);
	free(t);
}

static unsigned long
hash_name(const char *s)
{
	unsigned long h = 5381;

	while (*s)
		h = h * 33 + (unsigned char)*s++;
	return h;
}

static entry *
load_entry(wp_templates *t, const char *name, unsigned long h)
{
	entry *e = xcalloc(1, sizeof *e);
	char *src = NULL;
	size_t len = 0;

	e->name = xstrdup(name);
	e->hash = h;
	wp_diags_init(&e->diags);
	errno = 0;
	e->status = t->loader(t->data, name, &src, &len, &e->path);
	e->err = errno;
	if (e->status == WP_TEMPLATE_FOUND)
		e->tpl = compile(name, e->path ? e->path : name, src, len,
		    "{{", "}}", &e->diags);
	free(src);
	return e;
}

/* The entry for name, of hash h (hash_name), loading and compiling it
 * the first time.  Entries never change once made, so they can be read
 * without the lock. */
static const entry *
registry_entry(wp_templates *t, const char *name, unsigned long h)
{
	entry *e = NULL;
	size_t i;

	pthread_mutex_lock(&t->lock);
	for (i = 0; i < t->len && e == NULL; i++)
		if (t->entries[i]->hash == h &&
		    strcmp(t->entries[i]->name, name) == 0)
			e = t->entries[i];
	if (e == NULL) {
		e = load_entry(t, name, h);
		if (t->len == t->cap) {
			t->cap = t->cap ? t->cap * 2 : 16;
			t->entries = xrealloc(t->entries,
			    t->cap * sizeof *t->entries);
		}
		t->entries[t->len++] = e;
	}
	pthread_mutex_unlock(&t->lock);
	return e;
}

const wp_template *
wp_templates_get(wp_templates *t, const char *name, wp_diags *d)
{
	const entry *e = registry_entry(t, name, hash_name(name));
	const char *file = e->path ? e->path : name, *code;
	char *msg;

	switch (e->status) {
	case WP_TEMPLATE_FOUND:
		if (e->tpl == NULL)
			replay(t, d, &e->diags);
		return e->tpl;
	case WP_TEMPLATE_MISSING:
		msg = xasprintf("no template '%s'", name);
		code = "template-error";
		break;
	case WP_TEMPLATE_BAD_NAME:
		msg = xasprintf("invalid template name '%s'", name);
		code = "template-error";
		break;
	default:
		msg = xasprintf("cannot read template '%s': %s", name,
		    strerror(e->err));
		code = "io-error";
		break;
	}
	reg_report(t, d, file, 0, 0, code, msg);
	free(msg);
	return NULL;
}

/*
 * The directory loader: NAME is root/NAME.mustache.
 */

/* Relative, no "..", ".", empty part or backslash. */
static int
safe_name(const char *name)
{
	const char *p = name, *slash;
	size_t n;

	if (*name == '\0' || *name == '/' || strchr(name, '\\') != NULL)
		return 0;
	for (;;) {
		slash = strchr(p, '/');
		n = slash ? (size_t)(slash - p) : strlen(p);
		if (n == 0 || (n == 1 && p[0] == '.') ||
		    (n == 2 && p[0] == '.' && p[1] == '.'))
			return 0;
		if (slash == NULL)
			return 1;
		p = slash + 1;
	}
}

static int
dir_loader(void *data, const char *name, char **source, size_t *len,
    char **path)
{
	const wp_templates *t = data;
	char *file;
	int err;

	if (!safe_name(name))
		return WP_TEMPLATE_BAD_NAME;
	if (t->root[0] == '\0' || strcmp(t->root, ".") == 0)
		file = xasprintf("%s.mustache", name);
	else
		file = xasprintf("%s%s%s.mustache", t->root,
		    t->root[strlen(t->root) - 1] == '/' ? "" : "/", name);
	*path = file;
	*source = wp_read_file(file, len);
	if (*source != NULL)
		return WP_TEMPLATE_FOUND;
	err = errno;
	errno = err;
	return err == ENOENT || err == ENOTDIR ? WP_TEMPLATE_MISSING :
	    WP_TEMPLATE_IO_ERROR;
}

wp_templates *
wp_templates_new_dir(const char *root, int strict)
{
	wp_templates *t = wp_templates_new(dir_loader, NULL);

	t->data = t;
	t->root = xstrdup(root);
	t->strict = strict;
	return t;
}

/*
 * Numbers.
 */

static int
all_digits(const char *s, const char *set)
{
	if (*s == '\0')
		return 0;
	return strspn(s, set) == strlen(s);
}

/* The shortest decimal that reads back as x (x > 0), printed the way
 * JavaScript's Number.prototype.toString does. */
static void
put_double(wp_buf *out, double x)
{
	char buf[64], digits[32];
	int p, k = 0, e, n, i;
	const char *q;

	for (p = 1; p <= 17; p++) {
		snprintf(buf, sizeof buf, "%.*e", p - 1, x);
		if (strtod(buf, NULL) == x)
			break;
	}
	for (q = buf; *q != '\0' && *q != 'e'; q++)
		if (isdigit((unsigned char)*q))
			digits[k++] = *q;
	e = *q ? atoi(q + 1) : 0;
	while (k > 1 && digits[k - 1] == '0')
		k--;
	n = e + 1;              /* digits[0..n) come before the point */
	if (k <= n && n <= 21) {
		wp_buf_put(out, digits, (size_t)k);
		for (i = k; i < n; i++)
			wp_buf_putc(out, '0');
	} else if (0 < n && n <= 21) {
		wp_buf_put(out, digits, (size_t)n);
		wp_buf_putc(out, '.');
		wp_buf_put(out, digits + n, (size_t)(k - n));
	} else if (-6 < n && n <= 0) {
		wp_buf_puts(out, "0.");
		for (i = n; i < 0; i++)
			wp_buf_putc(out, '0');
		wp_buf_put(out, digits, (size_t)k);
	} else {
		wp_buf_putc(out, digits[0]);
		if (k > 1) {
			wp_buf_putc(out, '.');
			wp_buf_put(out, digits + 1, (size_t)(k - 1));
		}
		wp_buf_printf(out, "e%c%d", n - 1 < 0 ? '-' : '+',
		    n - 1 < 0 ? 1 - n : n - 1);
	}
}

/*
 * The fast way for a plain decimal (digits, a point, digits) with at most 15
 * significant digits: a double holds those exactly, so no shorter decimal
 * names the same double and the text minus its redundant zeros is the
 * answer.  0 when s is not such a decimal.
 */
static int
put_plain_decimal(wp_buf *out, const char *s, int neg)
{
	const char *dot = strchr(s, '.'), *ip = s, *frac;
	size_t iplen, flen, lz = 0;

	if (dot == NULL || strspn(s, "0123456789") != (size_t)(dot - s) ||
	    strspn(dot + 1, "0123456789") != strlen(dot + 1) ||
	    (dot == s && dot[1] == '\0'))
		return 0;
	while (*ip == '0')
		ip++;
	iplen = (size_t)(dot - ip);
	frac = dot + 1;
	flen = strlen(frac);
	while (flen > 0 && frac[flen - 1] == '0')
		flen--;
	if (iplen == 0)
		while (lz < flen && frac[lz] == '0')
			lz++;
	if (iplen + flen - lz > 15 || iplen > 21 || lz > 5)
		return 0;       /* long, or printed with an exponent */
	if (iplen + flen == 0) {
		wp_buf_putc(out, '0');
		return 1;
	}
	if (neg)
		wp_buf_putc(out, '-');
	if (iplen == 0)
		wp_buf_putc(out, '0');
	wp_buf_put(out, ip, iplen);
	if (flen > 0) {
		wp_buf_putc(out, '.');
		wp_buf_put(out, frac, flen);
	}
	return 1;
}

/* 0x1F and 0o17, in decimal. */
static int
put_radix(wp_buf *out, const char *s)
{
	unsigned long long u;
	int base;

	if (s[0] != '0' || (s[1] != 'x' && s[1] != 'o'))
		return 0;
	base = s[1] == 'x' ? 16 : 8;
	if (!all_digits(s + 2, base == 16 ? "0123456789abcdefABCDEF" :
	    "01234567"))
		return 0;
	errno = 0;
	u = strtoull(s + 2, NULL, base);
	if (errno != 0)
		return 0;
	wp_buf_printf(out, "%llu", u);
	return 1;
}

/* .inf, -.Inf, .nan, as JavaScript prints them. */
static int
put_special(wp_buf *out, const char *s, int neg, int signed_)
{
	if (strcmp(s, ".inf") == 0 || strcmp(s, ".Inf") == 0 ||
	    strcmp(s, ".INF") == 0) {
		wp_buf_puts(out, neg ? "-Infinity" : "Infinity");
		return 1;
	}
	if (!signed_ && (strcmp(s, ".nan") == 0 || strcmp(s, ".NaN") == 0 ||
	    strcmp(s, ".NAN") == 0)) {
		wp_buf_puts(out, "NaN");
		return 1;
	}
	return 0;
}

/* Any other decimal, exponent or not. */
static int
put_float(wp_buf *out, const char *s, int neg)
{
	char *end;
	double x;

	if (strpbrk(s, "0123456789") == NULL ||
	    !all_digits(s, "0123456789.eE+-"))
		return 0;
	x = strtod(s, &end);
	if (*end != '\0')
		return 0;
	if (!isfinite(x)) {
		wp_buf_puts(out, neg ? "-Infinity" : "Infinity");
	} else if (x == 0) {
		wp_buf_putc(out, '0');
	} else {
		if (neg)
			wp_buf_putc(out, '-');
		put_double(out, x);
	}
	return 1;
}

void
wp_mustache_put_number(wp_buf *out, const char *text)
{
	const char *s = text;
	int neg = 0;

	if (*s == '+' || *s == '-')
		neg = *s++ == '-';
	if (all_digits(s, "0123456789")) {        /* as written */
		while (s[0] == '0' && s[1] != '\0')
			s++;
		if (neg && strcmp(s, "0") != 0)
			wp_buf_putc(out, '-');
		wp_buf_puts(out, s);
		return;
	}
	if (put_plain_decimal(out, s, neg) ||
	    (s == text && put_radix(out, s)) ||
	    put_special(out, s, neg, s != text) || put_float(out, s, neg))
		return;
	wp_buf_puts(out, text);         /* not a number after all */
}

/*
 * Rendering.
 */

typedef struct scope {
	const node *parent;       /* an N_PARENT node: its blocks */
	const wp_template *tpl;   /* the template it is written in */
} scope;

typedef struct renderer {
	wp_templates *reg;
	wp_diags *d;
	wp_buf *out;
	const wp_value **ctx;     /* the context stack: first ctx_here */
	size_t nctx, capctx;
	const wp_value *ctx_here[16];  /* (no malloc for a shallow one: a
	                              page renders a template a heading) */
	scope *scopes;            /* parent tags being expanded */
	size_t nscopes, capscopes;
	wp_buf indent;            /* indentations, outermost first */
	size_t indent_start;      /* the current one is indent[start..len) */
	int at_bol;               /* at the start of a template line */
	int calls;                /* partials, parents, lambdas in progress */
	int nesting;              /* render_list() calls in progress */
	const wp_template *tpl;   /* the template of the nodes rendered */
	const node *lambda_at;    /* rendering what this lambda returned */
	const wp_template *lambda_tpl;  /* the template of lambda_at */
	wp_buf scratch;           /* a number being printed */
	int plain;                /* text output: {{x}} is not escaped */
	wp_render_sink sink;      /* streaming: where the output goes */
	void *sink_data;
	wp_buf *stream;           /* the output before the sink takes it */
	int sink_failed;
	const node *partial_at;   /* the partial or parent tag (not dynamic)
	                             found last, and its template: a list's
	                             items meet the same tag again */
	const wp_template *partial_tpl;
} renderer;

static int render_list(renderer *r, const node_list *l, const node *at);

static int
render_error(renderer *r, const node *n, const char *code,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int
render_error(renderer *r, const node *n, const char *code,
    const char *fmt, ...)
{
	wp_buf msg = WP_BUF_INIT;
	const wp_template *t = r->tpl;
	va_list ap;

	va_start(ap, fmt);
	wp_buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	if (r->lambda_at != NULL) {     /* positions in its text mean little */
		wp_buf_printf(&msg, " (in what lambda '%s' returned)",
		    r->lambda_at->text);
		n = r->lambda_at;
		t = r->lambda_tpl;
	}
	reg_report(r->reg, r->d, t->path, n ? n->line : 0, n ? n->column : 0,
	    code, wp_buf_cstr(&msg));
	wp_buf_free(&msg);
	return -1;
}

static void
put_indent(renderer *r)
{
	if (r->at_bol && r->indent.len > r->indent_start)
		wp_buf_put(r->out, r->indent.data + r->indent_start,
		    r->indent.len - r->indent_start);
	r->at_bol = 0;
}

/* Template text: each line that has something on it is indented. */
static void
emit_text(renderer *r, const char *s, size_t n)
{
	const char *nl;
	size_t i, end;

	if (n == 0)
		return;
	if (r->indent.len == r->indent_start) {
		wp_buf_put(r->out, s, n);
		r->at_bol = s[n - 1] == '\n';
		return;
	}
	for (i = 0; i < n; i = end) {
		nl = memchr(s + i, '\n', n - i);
		end = nl ? (size_t)(nl - s) + 1 : n;
		if (s[i] != '\n' && !(end - i == 2 && s[i] == '\r' &&
		    s[i + 1] == '\n'))
			put_indent(r);
		wp_buf_put(r->out, s + i, end - i);
		r->at_bol = s[end - 1] == '\n';
	}
}

/* An interpolated value: its newlines are not template lines. */
static void
emit_value(renderer *r, const char *s, size_t n, int escape)
{
	if (n == 0)
		return;
	put_indent(r);
	if (escape && !r->plain)
		wp_buf_put_html(r->out, s, n);
	else
		wp_buf_put(r->out, s, n);
}

static void
push_context(renderer *r, const wp_value *v)
{
	if (r->nctx == r->capctx) {
		r->capctx *= 2;
		if (r->ctx == r->ctx_here) {
			r->ctx = xmalloc(r->capctx * sizeof *r->ctx);
			memcpy(r->ctx, r->ctx_here, sizeof r->ctx_here);
		} else {
			r->ctx = xrealloc(r->ctx, r->capctx * sizeof *r->ctx);
		}
	}
	r->ctx[r->nctx++] = v;
}

/* A map's entry, or a list's item by index. */
static const wp_value *
child(const wp_value *v, const char *key, unsigned hash)
{
	char *end;
	unsigned long i;

	if (v->kind == WP_MAP)
		return wp_map_get_interned(v, key, hash);
	if (v->kind == WP_LIST && all_digits(key, "0123456789")) {
		i = strtoul(key, &end, 10);
		return i < v->u.list.len ? v->u.list.items[i] : NULL;
	}
	return NULL;
}

/* The value a (dotted) name stands for, or NULL. */
static const wp_value *
lookup(const renderer *r, const node *n)
{
	const wp_value *v = NULL;
	const wp_map_entry *e;
	size_t i;

	if (r->nctx == 0)
		return NULL;
	if (n->npath == 0)
		return r->ctx[r->nctx - 1];
	for (i = r->nctx; i > 0 && v == NULL; i--)
		if (r->ctx[i - 1]->kind == WP_MAP &&
		    (e = wp_map_find_entry(r->ctx[i - 1], n->path[0],
		    n->hash[0])) != NULL)
			v = e->value;
	for (i = 1; v != NULL && i < n->npath; i++)
		v = child(v, n->path[i], n->hash[i]);
	return v;
}

/* The text of a scalar (lists, maps and lambdas have none). */
static void
value_string(renderer *r, const wp_value *v, const char **s, size_t *n)
{
	*s = "";
	*n = 0;
	if (v == NULL)
		return;
	switch (v->kind) {
	case WP_BOOL:
		*s = v->u.boolean ? "true" : "false";
		*n = strlen(*s);
		break;
	case WP_STRING:
		*s = v->u.str.text;
		*n = v->u.str.len;
		break;
	case WP_NUMBER:
		wp_buf_clear(&r->scratch);
		wp_mustache_put_number(&r->scratch, v->u.str.text);
		*s = wp_buf_cstr(&r->scratch);
		*n = r->scratch.len;
		break;
	default:
		break;
	}
}

/* Calls a lambda, compiles what it returns with the given delimiters and
 * renders that in place. */
static int
render_lambda(renderer *r, const node *n, const wp_value *fn,
    const char *text, size_t len, const char *otag, const char *ctag)
{
	wp_buf result = WP_BUF_INIT;
	wp_diags diags;
	wp_template *t;
	const wp_template *saved = r->tpl;
	const node *saved_at = r->lambda_at;
	int rc;

	if (r->calls >= WP_MUSTACHE_MAX_DEPTH)
		return render_error(r, n, "template-error", "lambdas and "
		    "partials nested more than %d deep",
		    WP_MUSTACHE_MAX_DEPTH);
	if (fn->u.lambda.fn(fn->u.lambda.data, text, len, &result) != 0) {
		wp_buf_free(&result);
		return render_error(r, n, "template-error", "lambda '%s' "
		    "failed", n->text);
	}
	wp_diags_init(&diags);
	t = compile(n->text, r->tpl->path, wp_buf_cstr(&result), result.len,
	    otag, ctag, &diags);
	wp_buf_free(&result);
	if (t == NULL) {
		rc = render_error(r, n, "template-error", "lambda '%s' "
		    "returned a bad template: %s", n->text,
		    diags.len ? diags.items[0].message : "?");
		wp_diags_free(&diags);
		return rc;
	}
	wp_diags_free(&diags);
	if (r->lambda_at == NULL) {
		r->lambda_at = n;
		r->lambda_tpl = r->tpl;
	}
	r->calls++;
	r->tpl = t;
	rc = render_list(r, &t->root, n);
	r->tpl = saved;
	r->calls--;
	r->lambda_at = saved_at;
	wp_template_free(t);
	r->partial_at = NULL;   /* (t's nodes are gone: another may come at
	                           the same address) */
	return rc;
}

static int
render_var(renderer *r, const node *n)
{
	const wp_value *v = lookup(r, n);
	wp_buf value = WP_BUF_INIT, *out = r->out;
	size_t start = r->indent_start;
	int bol = r->at_bol, rc;
	const char *s;
	size_t len;

	if (v == NULL || v->kind != WP_LAMBDA) {
		value_string(r, v, &s, &len);
		emit_value(r, s, len, n->escape);
		return 0;
	}
	/* A lambda's text is a template with the default delimiters; what
	 * it renders to is a value. */
	r->out = &value;
	r->indent_start = r->indent.len;
	rc = render_lambda(r, n, v, NULL, 0, "{{", "}}");
	r->out = out;
	r->indent_start = start;
	r->at_bol = bol;
	if (rc == 0)
		emit_value(r, wp_buf_cstr(&value), value.len, n->escape);
	wp_buf_free(&value);
	return rc;
}

/* Streaming: hands the output made so far to the sink once there is
 * enough of it (between two items of a list; never inside a lambda's
 * value, which is rendered into a buffer of its own). */
static int
flush_stream(renderer *r, size_t least)
{
	if (r->sink == NULL || r->out != r->stream || r->out->len < least ||
	    r->out->len == 0)
		return 0;
	if (r->sink(r->sink_data, r->out->data, r->out->len) != 0) {
		r->sink_failed = 1;
		return -1;
	}
	wp_buf_clear(r->out);
	return 0;
}

/* The section's content once per item of a list, pushed as the context. */
static int
render_items(renderer *r, const node *n, const wp_value *v)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < v->u.list.len && rc == 0; i++) {
		push_context(r, v->u.list.items[i]);
		rc = render_list(r, &n->kids, n);
		r->nctx--;
		if (rc == 0)
			rc = flush_stream(r, WP_MUSTACHE_STREAM_CHUNK);
	}
	return rc;
}

/* The same for a generated list: each item made just before it is
 * rendered, in an arena reset after it. */
static int
render_generated(renderer *r, const node *n, const wp_value *v)
{
	wp_arena *arena = wp_arena_new();
	size_t i;
	int rc = 0;

	for (i = 0; i < v->u.gen.len && rc == 0; i++) {
		push_context(r, wp_generated_item(v, i, arena));
		rc = render_list(r, &n->kids, n);
		r->nctx--;
		wp_arena_reset(arena);
		if (rc == 0)
			rc = flush_stream(r, WP_MUSTACHE_STREAM_CHUNK);
	}
	wp_arena_free(arena);
	return rc;
}

static int
render_section(renderer *r, const node *n)
{
	const wp_value *v = lookup(r, n);
	int rc = 0;

	if (v == NULL)
		return 0;
	if (v->kind == WP_LAMBDA)
		return render_lambda(r, n, v, n->raw, n->raw_len, n->otag,
		    n->ctag);
	if (v->kind == WP_LIST)
		return render_items(r, n, v);
	if (v->kind == WP_GENERATED)
		return render_generated(r, n, v);
	if (!wp_value_truthy(v))
		return 0;
	push_context(r, v);
	rc = render_list(r, &n->kids, n);
	r->nctx--;
	return rc;
}

/* The template a partial or parent tag names (name, of hash h); NULL
 * and 0 when it is missing and that is allowed, NULL and -1 on error. */
static const wp_template *
find_partial(renderer *r, const node *n, const char *name, unsigned long h,
    int *rc)
{
	const entry *e;
	const char *what = n->kind == N_PARENT ? "parent" : "partial";

	*rc = 0;
	if (r->reg == NULL)     /* rendering without a registry */
		return NULL;
	e = registry_entry(r->reg, name, h);
	switch (e->status) {
	case WP_TEMPLATE_FOUND:
		if (e->tpl != NULL)
			return e->tpl;
		replay(r->reg, r->d, &e->diags);
		*rc = -1;
		break;
	case WP_TEMPLATE_MISSING:
		if (r->reg->strict)
			*rc = render_error(r, n, "template-error",
			    "unknown %s '%s'", what, name);
		break;
	case WP_TEMPLATE_BAD_NAME:
		*rc = render_error(r, n, "template-error", "invalid %s name "
		    "'%s' (names are relative to the template directory: no "
		    "'..', no leading '/', no '\\')", what, name);
		break;
	default:
		*rc = render_error(r, n, "io-error", "cannot read %s '%s' "
		    "(%s): %s", what, name, e->path ? e->path : name,
		    strerror(e->err));
		break;
	}
	return NULL;
}

/* The name of a dynamic partial or parent tag, in *name (malloc'd; NULL
 * when it resolves to nothing).  -1 on error. */
static int
partial_name(renderer *r, const node *n, char **name)
{
	const wp_value *v;
	const char *s;
	size_t len;

	*name = NULL;
	v = lookup(r, n);
	value_string(r, v, &s, &len);
	if (memchr(s, '\0', len) != NULL)
		return render_error(r, n, "template-error", "invalid %s name "
		    "'%s...': it holds a NUL character",
		    n->kind == N_PARENT ? "parent" : "partial", s);
	if (len > 0)
		*name = xstrndup(s, len);
	return 0;
}

static void
push_scope(renderer *r, const node *parent)
{
	if (r->nscopes == r->capscopes) {
		r->capscopes = r->capscopes ? r->capscopes * 2 : 8;
		r->scopes = xrealloc(r->scopes,
		    r->capscopes * sizeof *r->scopes);
	}
	r->scopes[r->nscopes].parent = parent;
	r->scopes[r->nscopes].tpl = r->tpl;
	r->nscopes++;
}

/* Makes the current indentation its own plus extra (standalone tags), or
 * nothing (inline partials); returns what restore_indent() needs. */
static size_t
enter_indent(renderer *r, const char *extra, size_t *start)
{
	size_t len = r->indent.len;

	*start = r->indent_start;
	if (extra != NULL) {
		wp_buf_puts(&r->indent, extra);
		r->at_bol = 1;
	} else {
		r->indent_start = r->indent.len;
	}
	return len;
}

static void
restore_indent(renderer *r, size_t len, size_t start)
{
	r->indent.len = len;
	if (r->indent.data)
		r->indent.data[len] = '\0';
	r->indent_start = start;
}

/* {{>name}} and {{<name}}...{{/name}}: a parent is a partial whose blocks
 * may be overridden. */
static int
render_partial(renderer *r, const node *n)
{
	const wp_template *t, *saved = r->tpl;
	const node *saved_at = r->lambda_at;
	size_t len, start;
	char *name;
	int rc;

	if (!n->dynamic && n == r->partial_at) {
		t = r->partial_tpl;     /* (registry entries never change) */
	} else if (!n->dynamic) {      /* the name as written: no copy */
		t = find_partial(r, n, n->text, n->name_hash, &rc);
		if (t != NULL) {
			r->partial_at = n;
			r->partial_tpl = t;
		}
	} else {
		if (partial_name(r, n, &name) != 0)
			return -1;
		if (name == NULL)
			return 0;
		t = find_partial(r, n, name, hash_name(name), &rc);
		free(name);
	}
	if (t == NULL)
		return rc;
	if (r->calls >= WP_MUSTACHE_MAX_DEPTH)
		return render_error(r, n, "template-error", "partials nested "
		    "more than %d deep (a partial including itself?)",
		    WP_MUSTACHE_MAX_DEPTH);
	len = enter_indent(r, n->standalone ? n->indent : NULL, &start);
	if (n->kind == N_PARENT)
		push_scope(r, n);
	r->calls++;
	r->tpl = t;
	r->lambda_at = NULL;    /* a real template again */
	rc = render_list(r, &t->root, n);
	r->lambda_at = saved_at;
	r->tpl = saved;
	r->calls--;
	if (n->kind == N_PARENT)
		r->nscopes--;
	restore_indent(r, len, start);
	return rc;
}

/* {{$name}}: the outermost parent tag's override, else the default. */
static int
render_block(renderer *r, const node *n)
{
	const node *content = n;
	const wp_template *saved = r->tpl, *owner = r->tpl;
	size_t i, k, len, start;
	int rc;

	for (i = 0; i < r->nscopes && content == n; i++) {
		const node_list *blocks = &r->scopes[i].parent->kids;
		for (k = 0; k < blocks->len; k++) {
			if (strcmp(blocks->items[k].text, n->text) == 0) {
				content = &blocks->items[k];
				owner = r->scopes[i].tpl;
				break;
			}
		}
	}
	start = r->indent_start;
	len = r->indent.len;
	wp_buf_puts(&r->indent, n->indent);
	if (n->standalone)
		r->at_bol = 1;
	r->tpl = owner;
	rc = render_list(r, &content->kids, n);
	r->tpl = saved;
	restore_indent(r, len, start);
	return rc;
}

static int
render_node(renderer *r, const node *n)
{
	const wp_value *v;

	switch (n->kind) {
	case N_TEXT:
		emit_text(r, n->text, n->len);
		return 0;
	case N_VAR:
		return render_var(r, n);
	case N_SECTION:
		return render_section(r, n);
	case N_INVERTED:
		v = lookup(r, n);
		if (v != NULL && wp_value_truthy(v))
			return 0;
		return render_list(r, &n->kids, n);
	case N_PARTIAL:
	case N_PARENT:
		return render_partial(r, n);
	case N_BLOCK:
		return render_block(r, n);
	}
	return 0;
}

static int
render_list(renderer *r, const node_list *l, const node *at)
{
	size_t i;
	int rc = 0;

	if (r->nesting >= MAX_RENDER_NESTING)
		return render_error(r, at, "template-error", "sections, "
		    "partials and blocks nested more than %d deep",
		    MAX_RENDER_NESTING);
	r->nesting++;
	for (i = 0; i < l->len && rc == 0; i++)
		rc = render_node(r, &l->items[i]);
	r->nesting--;
	return rc;
}

/* A renderer of tpl into out, each field set (not the whole struct
 * cleared: a page renders a template a heading, and ctx_here, most of
 * the struct, needs no clearing); plain, the sink and its data are the
 * caller's to set. */
static void
renderer_init(renderer *r, wp_templates *t, const wp_template *tpl,
    wp_buf *out, wp_diags *d)
{
	r->reg = t;
	r->d = d;
	r->out = out;
	r->ctx = r->ctx_here;
	r->nctx = 0;
	r->capctx = sizeof r->ctx_here / sizeof *r->ctx_here;
	r->scopes = NULL;
	r->nscopes = r->capscopes = 0;
	wp_buf_init(&r->indent);
	r->indent_start = 0;
	r->at_bol = 1;
	r->calls = 0;
	r->nesting = 0;
	r->tpl = tpl;
	r->lambda_at = NULL;
	r->lambda_tpl = NULL;
	wp_buf_init(&r->scratch);
	r->plain = 0;
	r->sink = NULL;
	r->sink_data = NULL;
	r->stream = NULL;
	r->sink_failed = 0;
	r->partial_at = NULL;
	r->partial_tpl = NULL;
}

static int
render(renderer *r, const wp_value *context)
{
	int rc;

	if (context != NULL)
		push_context(r, context);
	rc = render_list(r, &r->tpl->root, NULL);
	if (r->ctx != r->ctx_here)
		free(r->ctx);
	free(r->scopes);
	wp_buf_free(&r->indent);
	wp_buf_free(&r->scratch);
	return rc;
}

int
wp_template_render(wp_templates *t, const wp_template *tpl,
    const wp_value *context, wp_buf *out, wp_diags *d)
{
	renderer r;

	renderer_init(&r, t, tpl, out, d);
	return render(&r, context);
}

int
wp_template_render_text(wp_templates *t, const wp_template *tpl,
    const wp_value *context, wp_buf *out, wp_diags *d)
{
	renderer r;

	renderer_init(&r, t, tpl, out, d);
	r.plain = 1;
	return render(&r, context);
}

int
wp_template_render_stream(wp_templates *t, const wp_template *tpl,
    const wp_value *context, wp_render_sink sink, void *data, wp_diags *d)
{
	wp_buf out = WP_BUF_INIT;
	renderer r;
	int rc;

	renderer_init(&r, t, tpl, &out, d);
	r.sink = sink;
	r.sink_data = data;
	r.stream = &out;
	rc = render(&r, context);
	if (rc == 0)
		rc = flush_stream(&r, 0);
	wp_buf_free(&out);
	return r.sink_failed ? -2 : rc;
}
