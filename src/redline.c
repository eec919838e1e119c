/*
 * redline.c: the HTML redline of a diff (diff.h), through the templates:
 * the whole new document with <ins> and <del> in changed text, a change
 * bar beside each changed block, removed sections where they were (their
 * tables and lists kept, their text struck), and a header naming the
 * service and both versions, a legend and a summary that links to every
 * change.  The page is base/redline, each heading base/redline_heading,
 * the wrappers of sections and changed blocks and removed footnotes
 * base/redline_parts, each inserted or deleted text base/redline_ins and
 * base/redline_del; a style overrides any of them
 * (templates/<style>/redline.mustache...).  No tag is written here.
 *
 * Marks are put into the new document's tree: a text node with inserted
 * or deleted tokens is replaced by text and inline HTML nodes rendered
 * from redline_ins and redline_del, then html.c renders the tree as for a
 * page.  Removed sections are rendered from the old document's tree,
 * every text struck, their footnotes struck after them.
 */
#include <stdlib.h>
#include <string.h>

#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>

#include "buf.h"
#include "diff.h"
#include "html.h"
#include "labels.h"
#include "mustache.h"
#include "phrase.h"
#include "site.h"
#include "util.h"
#include "xref.h"

typedef struct redline redline;

/* Text marked inserted or deleted, through the partials redline_ins and
 * redline_del (malloc'd HTML, no final line break). */
static char *fragment(redline *r, int inserted, const char *text,
    size_t len, int code, int replaced);
static void replace_with_html(cmark_node *node, const char *html);
static void strike_texts(redline *r, cmark_node **texts, size_t n);

/* A change at a place in a node's literal. */
typedef struct mark {
	cmark_node *node;
	size_t start, end;        /* inserted bytes [start, end) */
	char *deleted;            /* or deleted text shown before start */
} mark;

typedef struct marks {
	mark *items;
	size_t len, cap;
	cmark_node **blocks;      /* top-level blocks with a change */
	size_t nblocks;
} marks;

/* The block of the document's top level (or of a footnote's) that
 * holds node: what a change bar goes beside. */
static cmark_node *
top_block(cmark_node *node)
{
	cmark_node *p;

	while ((p = cmark_node_parent(node)) != NULL &&
	    cmark_node_get_type(p) != CMARK_NODE_DOCUMENT &&
	    cmark_node_get_type(p) != CMARK_NODE_FOOTNOTE_DEFINITION)
		node = p;
	return node;
}

static void
add_mark(marks *m, cmark_node *node, size_t start, size_t end, char *del)
{
	if (m->len == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 32;
		m->items = xrealloc(m->items, m->cap * sizeof *m->items);
	}
	if (m->nblocks == 0 || m->blocks[m->nblocks - 1] != top_block(node)) {
		m->blocks = xrealloc(m->blocks, (m->nblocks + 1) *
		    sizeof *m->blocks);
		m->blocks[m->nblocks++] = top_block(node);
	}
	m->items[m->len].node = node;
	m->items[m->len].start = start;
	m->items[m->len].end = end;
	m->items[m->len].deleted = del;
	m->len++;
}

/* The text of old tokens [a, a+n), structure as a space. */
static char *
deleted_text(const wp_tokens *t, size_t a, size_t n)
{
	wp_buf b = WP_BUF_INIT;
	size_t i;

	for (i = a; i < a + n; i++) {
		const wp_token *k = &t->items[i], *p = i > a ? k - 1 : NULL;
		if (k->kind == WP_TOK_MARK) {
			if (b.len && b.data[b.len - 1] != ' ')
				wp_buf_putc(&b, ' ');
			continue;
		}
		/* The space the text had between two tokens of one node
		 * ("Minato コンソール"), though it is no token. */
		if (p && p->node && p->node == k->node && k->kind ==
		    WP_TOK_WORD && p->kind == WP_TOK_WORD &&
		    k->offset > p->offset + p->len && b.len &&
		    b.data[b.len - 1] != ' ')
			wp_buf_putc(&b, ' ');
		wp_buf_put(&b, k->s, k->len);
	}
	while (b.len && b.data[b.len - 1] == ' ')
		b.data[--b.len] = '\0';
	if (b.len == 0) {
		wp_buf_free(&b);
		return NULL;
	}
	return wp_buf_detach(&b);
}

static int
is_text(const wp_token *k)
{
	return k->node && k->kind != WP_TOK_MARK &&
	    cmark_node_get_type(k->node) == CMARK_NODE_TEXT;
}

/* Where deleted text goes: before new token b if it is text, else after
 * the text token before it; -1 when there is none. */
static long
deletion_anchor(const wp_tokens *t, size_t b, int *after)
{
	long i;

	*after = 0;
	if (b < t->len && is_text(&t->items[b]))
		return (long)b;
	for (i = (long)b - 1; i >= 0; i--) {
		if (t->items[i].kind == WP_TOK_MARK)
			break;
		if (is_text(&t->items[i])) {
			*after = 1;
			return i;
		}
	}
	for (i = (long)b; i < (long)t->len; i++)
		if (is_text(&t->items[i]))
			return i;
	return -1;
}

/* The kind of block that old token t[i], a mark, opens: an item, a
 * paragraph at the top level, or CMARK_NODE_NONE for any other. */
static cmark_node_type
opened_block(const wp_tokens *t, size_t i)
{
	cmark_node *n = t->items[i].node;
	cmark_node_type k = n ? cmark_node_get_type(n) : CMARK_NODE_NONE;

	if (k == CMARK_NODE_PARAGRAPH && cmark_node_get_type(
	    cmark_node_parent(n)) == CMARK_NODE_ITEM)
		return CMARK_NODE_ITEM;
	if (k == CMARK_NODE_ITEM || (k == CMARK_NODE_PARAGRAPH &&
	    cmark_node_get_type(cmark_node_parent(n)) ==
	    CMARK_NODE_DOCUMENT))
		return k;
	return CMARK_NODE_NONE;
}

/*
 * Whether old tokens [a, a+n) are whole paragraphs or whole list items
 * ("<p>B" or "B<p>" between "<p>A" and "<p>C"): the kind, and in [*from,
 * *to) the marks that open them; CMARK_NODE_NONE for any other deletion
 * (a part of a block, a cell, a heading), which goes inline.
 */
static cmark_node_type
deleted_blocks(const wp_tokens *t, size_t a, size_t n, size_t *from,
    size_t *to)
{
	size_t end = a + n, i;
	cmark_node_type kind = CMARK_NODE_NONE, k;

	if (t->items[a].kind == WP_TOK_MARK && (end == t->len ||
	    t->items[end].kind == WP_TOK_MARK)) {
		*from = a;
		*to = end;
	} else if (a > 0 && t->items[a - 1].kind == WP_TOK_MARK &&
	    t->items[end - 1].kind == WP_TOK_MARK) {
		*from = a - 1;
		*to = end - 1;
	} else {
		return CMARK_NODE_NONE;
	}
	for (i = *from; i < *to; i++) {
		if (t->items[i].kind != WP_TOK_MARK)
			continue;
		if ((k = opened_block(t, i)) == CMARK_NODE_NONE ||
		    (kind != CMARK_NODE_NONE && k != kind))
			return CMARK_NODE_NONE;
		kind = k;
	}
	return kind;
}

/* The block of kind (item, top-level paragraph) that holds node, or
 * NULL; never one in a footnote (the notes follow the whole document,
 * not the section). */
static cmark_node *
enclosing(cmark_node *node, cmark_node_type kind)
{
	cmark_node *p;

	for (p = node; p; p = cmark_node_parent(p))
		if (cmark_node_get_type(p) == CMARK_NODE_FOOTNOTE_DEFINITION)
			return NULL;
	for (; node; node = cmark_node_parent(node)) {
		if (kind == CMARK_NODE_ITEM &&
		    cmark_node_get_type(node) == CMARK_NODE_ITEM)
			return node;
		if (kind == CMARK_NODE_PARAGRAPH &&
		    cmark_node_get_type(node) != CMARK_NODE_DOCUMENT &&
		    cmark_node_get_type(cmark_node_parent(node)) ==
		    CMARK_NODE_DOCUMENT)
			return node;
	}
	return NULL;
}

/* A new block of kind holding the struck text (an item holds a
 * paragraph). */
static cmark_node *
struck_block(redline *r, cmark_node_type kind, const char *text)
{
	cmark_node *block = cmark_node_new(kind), *para = block, *html;
	char *frag = fragment(r, 0, text, strlen(text), 0, 0);

	if (kind == CMARK_NODE_ITEM) {
		para = cmark_node_new(CMARK_NODE_PARAGRAPH);
		cmark_node_append_child(block, para);
	}
	html = cmark_node_new(CMARK_NODE_HTML_INLINE);
	cmark_node_set_literal(html, frag);
	cmark_node_append_child(para, html);
	free(frag);
	return block;
}

static int
is_type(const wp_token *k, const char *type)
{
	return k->kind == WP_TOK_MARK && k->node &&
	    strcmp(cmark_node_get_type_string(k->node), type) == 0;
}

/* Whether row can go into the table of new row at: no more cells than
 * that table has columns, and nothing in it but text (no image or
 * footnote reference of the old document). */
static int
row_fits(cmark_node *row, cmark_node *at)
{
	cmark_iter *it = cmark_iter_new(row);
	cmark_event_type ev;
	cmark_node *n;
	size_t cells = 0;
	int ok = 1;

	for (n = cmark_node_first_child(row); n; n = cmark_node_next(n))
		cells++;
	while (ok && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		n = cmark_iter_get_node(it);
		if (ev == CMARK_EVENT_ENTER && (cmark_node_get_type(n) ==
		    CMARK_NODE_IMAGE || cmark_node_get_type(n) ==
		    CMARK_NODE_FOOTNOTE_REFERENCE))
			ok = 0;
	}
	cmark_iter_free(it);
	return ok && cells <= cmark_gfm_extensions_get_table_columns(
	    cmark_node_parent(at));
}

/*
 * Whole table rows deleted ("<tr>B...", a row mark then, up to the next
 * row's mark): the old rows themselves move into the new table before the
 * row that now follows them, their text struck, so that they stay rows.
 * 0, or -1 when the deletion is not that (or a row does not fit).
 */
static int
delete_rows(redline *r, const wp_diff_section *s, const wp_edit *e,
    marks *m)
{
	const wp_tokens *ob = &s->old_body, *nb = &s->new_body;
	size_t a = e->a, end = e->a + e->n, b = e->b, i;
	cmark_node *at, *last = NULL, *row, *n, **texts = NULL;
	cmark_iter *it;
	size_t ntexts = 0, k;

	/* "B<td>二<tr><td>" is the same deletion as "<tr><td>B<td>二": the
	 * marks before it are those it ends with. */
	while (a > 0 && b > 0 && end - a > 1 && !is_type(&ob->items[a],
	    "table_row") && ob->items[end - 1].kind == WP_TOK_MARK &&
	    ob->items[end - 1].node && is_type(&ob->items[a - 1],
	    cmark_node_get_type_string(ob->items[end - 1].node))) {
		a--;
		end--;
		b--;
	}
	if (!is_type(&ob->items[a], "table_row"))
		return -1;
	if (end < ob->len && is_type(&ob->items[end], "table_row") &&
	    b < nb->len && is_type(&nb->items[b], "table_row")) {
		at = nb->items[b].node;
	} else {
		/* The last rows: after the row before them, in the same
		 * table (nothing but rows and cells between). */
		for (k = b; k > 0 && (nb->items[k - 1].kind != WP_TOK_MARK ||
		    is_type(&nb->items[k - 1], "table_cell")); k--)
			;
		if (k == 0 || !is_type(&nb->items[k - 1], "table_row"))
			return -1;
		last = nb->items[k - 1].node;
		at = cmark_node_next(last);
	}
	for (i = a; i < end; i++)
		if (ob->items[i].kind == WP_TOK_MARK &&
		    !is_type(&ob->items[i], "table_row") &&
		    !is_type(&ob->items[i], "table_cell"))
			return -1;
	for (i = a; i < end; i++)
		if (is_type(&ob->items[i], "table_row") &&
		    (cmark_gfm_extensions_get_table_row_is_header(
		    ob->items[i].node) || !row_fits(ob->items[i].node,
		    at ? at : last)))
			return -1;
	for (i = a; i < end; i++) {
		if (!is_type(&ob->items[i], "table_row"))
			continue;
		row = ob->items[i].node;
		it = cmark_iter_new(row);
		while (cmark_iter_next(it) != CMARK_EVENT_DONE) {
			n = cmark_iter_get_node(it);
			if (cmark_node_get_type(n) == CMARK_NODE_TEXT ||
			    cmark_node_get_type(n) == CMARK_NODE_CODE) {
				texts = xrealloc(texts, (ntexts + 1) *
				    sizeof *texts);
				texts[ntexts++] = n;
			}
		}
		cmark_iter_free(it);
		cmark_node_unlink(row);
		if (at)
			cmark_node_insert_before(at, row);
		else
			cmark_node_insert_after(last, row);
		last = row;
	}
	/* Struck after the walks: replacing a node frees it. */
	strike_texts(r, texts, ntexts);
	free(texts);
	m->blocks = xrealloc(m->blocks, (m->nblocks + 1) * sizeof *m->blocks);
	m->blocks[m->nblocks++] = top_block(last);
	return 0;
}

/*
 * A deletion of whole paragraphs or list items, shown where they were as
 * blocks of their own, struck (not run into the text of the next one):
 * before the block that now follows them (new token b a mark), else after
 * the one before.  0, or -1 when they are not whole blocks or have no
 * place (the caller marks them inline then).
 */
static int
delete_blocks(redline *r, const wp_diff_section *s, const wp_edit *e,
    marks *m)
{
	const wp_tokens *ob = &s->old_body, *nb = &s->new_body;
	cmark_node_type kind;
	cmark_node *at = NULL, *prev = NULL, *block;
	size_t from, to, i, j;
	long k;
	char *text;

	if ((kind = deleted_blocks(ob, e->a, e->n, &from, &to)) ==
	    CMARK_NODE_NONE)
		return -1;
	/* "<p>B" deleted: the mark after it is the next block's; "B<p>":
	 * B's own mark now opens the next block. */
	if (from == e->a && e->b < nb->len &&
	    nb->items[e->b].kind == WP_TOK_MARK)
		at = enclosing(nb->items[e->b].node, kind);
	else if (from < e->a && e->b > 0 &&
	    nb->items[e->b - 1].kind == WP_TOK_MARK)
		at = enclosing(nb->items[e->b - 1].node, kind);
	for (k = (long)e->b - 1; at == NULL && prev == NULL && k >= 0; k--)
		if (nb->items[k].kind == WP_TOK_MARK)
			prev = enclosing(nb->items[k].node, kind);
	if (at == NULL && prev == NULL)
		return -1;
	for (i = from; i < to; i = j) {
		/* One block: its mark, then tokens up to the next mark of
		 * its kind. */
		for (j = i + 1; j < to && !(ob->items[j].kind == WP_TOK_MARK &&
		    cmark_node_get_type(ob->items[j].node) == kind); j++)
			;
		if ((text = deleted_text(ob, i + 1, j - i - 1)) == NULL)
			continue;
		block = struck_block(r, kind, text);
		free(text);
		if (at ? !cmark_node_insert_before(at, block) :
		    !cmark_node_insert_after(prev, block)) {
			cmark_node_free(block);
			continue;
		}
		if (!at)
			prev = block;
		m->blocks = xrealloc(m->blocks, (m->nblocks + 1) *
		    sizeof *m->blocks);
		m->blocks[m->nblocks++] = top_block(block);
	}
	return 0;
}

/* Marks for one section; deleted text with no place to go is returned
 * in *orphans. */
static void
collect_marks(redline *r, const wp_diff_section *s, marks *m,
    wp_buf *orphans)
{
	const wp_tokens *nb = &s->new_body, *ob = &s->old_body;
	const wp_edit *e;
	const wp_token *k;
	size_t i, j;
	long at;
	int after;
	char *del;

	for (i = 0; i < s->nbody_edits; i++) {
		e = &s->body_edits[i];
		if (e->op == WP_EDIT_INSERT) {
			for (j = e->b; j < e->b + e->n; j++) {
				k = &nb->items[j];
				if (k->kind != WP_TOK_MARK && k->node)
					add_mark(m, k->node, k->offset,
					    k->offset + k->len, NULL);
			}
		} else if (e->op == WP_EDIT_DELETE &&
		    delete_rows(r, s, e, m) != 0 &&
		    delete_blocks(r, s, e, m) != 0 &&
		    (del = deleted_text(ob, e->a, e->n)) != NULL) {
			at = deletion_anchor(nb, e->b, &after);
			if (at < 0) {
				wp_buf_printf(orphans, "%s%s", orphans->len ?
				    " " : "", del);
				free(del);
				continue;
			}
			k = &nb->items[at];
			j = after ? k->offset + k->len : k->offset;
			add_mark(m, k->node, j, j, del);
		}
	}
}

static int
only_space(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n')
			return 0;
	return 1;
}

static int
mark_cmp(const void *a, const void *b)
{
	const mark *x = a, *y = b;

	if (x->node != y->node)
		return (char *)x->node < (char *)y->node ? -1 : 1;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	/* Deletions before insertions at the same place. */
	return (x->deleted == NULL) - (y->deleted == NULL);
}

static void
insert_node(cmark_node *before, cmark_node_type type, const char *text,
    size_t len)
{
	cmark_node *n;
	char *s;

	if (len == 0)
		return;
	n = cmark_node_new(type);
	s = xstrndup(text, len);
	cmark_node_set_literal(n, s);
	free(s);
	cmark_node_insert_before(before, n);
}

static void
insert_html(cmark_node *before, const char *html)
{
	insert_node(before, CMARK_NODE_HTML_INLINE, html, strlen(html));
}

static void
insert_fragment(redline *r, cmark_node *before, int inserted,
    const char *text, size_t len, int replaced)
{
	char *html = fragment(r, inserted, text, len, 0, replaced);

	insert_html(before, html);
	free(html);
}

/* Rewrites one node with its marks [from, to). */
static void
apply_node(redline *r, mark *ms, size_t from, size_t to)
{
	cmark_node *node = ms[from].node;
	const char *lit = cmark_node_get_literal(node);
	size_t len = lit ? strlen(lit) : 0, pos = 0, i, end;

	if (cmark_node_get_type(node) != CMARK_NODE_TEXT) {
		/* Code, raw HTML, breaks: mark the node whole. */
		for (i = from; i < to; i++)
			if (ms[i].deleted && cmark_node_get_type(node) ==
			    CMARK_NODE_CODE)
				insert_fragment(r, node, 0, ms[i].deleted,
				    strlen(ms[i].deleted), 0);
		return;
	}
	for (i = from; i < to; i++) {
		if (ms[i].start > pos)
			insert_node(node, CMARK_NODE_TEXT, lit + pos,
			    ms[i].start - pos);
		if (ms[i].start > pos)
			pos = ms[i].start;
		if (ms[i].deleted) {
			/* Replaced: an insertion follows at the same place. */
			insert_fragment(r, node, 0, ms[i].deleted,
			    strlen(ms[i].deleted), i + 1 < to &&
			    !ms[i + 1].deleted && ms[i + 1].start ==
			    ms[i].start);
			continue;
		}
		/* Merge insertions apart by white space at most into one. */
		end = ms[i].end;
		while (i + 1 < to && !ms[i + 1].deleted &&
		    ms[i + 1].start >= end && only_space(lit + end,
		    ms[i + 1].start - end))
			end = ms[++i].end;
		insert_fragment(r, node, 1, lit + pos, end - pos, 0);
		pos = end;
	}
	if (pos < len)
		insert_node(node, CMARK_NODE_TEXT, lit + pos, len - pos);
	cmark_node_free(node);
}

static void
apply_marks(redline *r, marks *m)
{
	size_t i, j;

	if (m->len == 0)
		return;
	qsort(m->items, m->len, sizeof *m->items, mark_cmp);
	for (i = 0; i < m->len; i = j) {
		for (j = i + 1; j < m->len && m->items[j].node ==
		    m->items[i].node; j++)
			;
		apply_node(r, m->items, i, j);
	}
	for (i = 0; i < m->len; i++)
		free(m->items[i].deleted);
	free(m->items);
	m->items = NULL;
	m->len = m->cap = 0;
}

/* ---- the templates ---- */

struct redline {
	wp_diff *d;
	const wp_redline_info *info;
	wp_templates *tpls;
	const wp_template *heading, *parts;
	const wp_value *labels;
	wp_value *ctx;                    /* shared by headings and parts */
	const wp_diff_section **of_new;   /* diff section of each new one */
	char **orphans;                   /* deleted text with no place */
	char **removed;                   /* removed sections' HTML after
	                                     new section i ([n]: before all) */
	char *collapsed;                  /* new sections shown as headings */
	size_t ncollapsed;
	const wp_template *ins, *del;     /* base/redline_ins, _del */
	char *notes_seen;                 /* old notes shown, [number] */
	wp_value *partials;               /* their names, for templates */
	wp_diags *diags;
	int rc;
};


/* text (taken) to follow a word, spaced as its language spaces it:
 * " (formerly 9.2.1)", but "（旧 9.2.1）" with no space, a full-width
 * bracket bringing its own. */
static char *
after_word(char *text)
{
	size_t clen;
	unsigned cp = *text ? wp_utf8_decode(text, strlen(text), &clen) : 0;
	char *t;

	if (cp == 0 || wp_is_cjk_punct(cp))
		return text;
	t = xasprintf(" %s", text);
	free(text);
	return t;
}

/* was (the number or label a section had) into m, and was_text, the
 * words around it, after_word: redline_was_pattern (" (formerly
 * 9.2.1)", "（旧 9.2.1）"). */
static void
set_was(const redline *r, wp_value *m, const char *was)
{
	wp_value *data = wp_value_new_map();

	wp_map_set_str(data, "was", was);
	wp_map_set_str(m, "was", was);
	wp_map_set(m, "was_text", wp_value_new_string_owned(after_word(
	    wp_labels_format(r->labels, "redline_was_pattern", data, was))));
	wp_value_free(data);
}

/* count_text into m, the characters inserted and deleted after the
 * title: redline_count_pattern (" (+3 −5)", "（+3 −5）"). */
static void
set_counts(const redline *r, wp_value *m, size_t inserted, size_t deleted)
{
	wp_value *data = wp_value_new_map();

	wp_map_set_int(data, "inserted", (long long)inserted);
	wp_map_set_int(data, "deleted", (long long)deleted);
	wp_map_set_int(m, "inserted", (long long)inserted);
	wp_map_set_int(m, "deleted", (long long)deleted);
	wp_map_set_bool(m, "has_counts", 1);
	wp_map_set(m, "count_text", wp_value_new_string_owned(after_word(
	    wp_labels_format(r->labels, "redline_count_pattern", data, ""))));
	wp_value_free(data);
}

/* The status the redline shows: "renumbered" for a section only
 * renumbered (in order), which needs no change bar. */
static const char *
shown_status(const wp_diff_section *s)
{
	if (s && wp_diff_only_renumbered(s))
		return "renumbered";
	return wp_diff_status_name(s ? s->status : WP_DIFF_UNCHANGED);
}

static const char *
status_label(const redline *r, const wp_diff_section *s)
{
	static const char *const keys[] = {"diff_unchanged", "diff_changed",
	    "diff_added", "diff_removed", "diff_moved"};

	if (wp_diff_only_renumbered(s))
		return wp_label(r->labels, "diff_renumbered");
	return wp_label(r->labels, keys[s->status]);
}

/* The shared context, its per-use fields cleared. */
static wp_value *
context(redline *r)
{
	static const char *const fields[] = {"section_open", "section_close",
	    "block_open", "block_close", "removed", "added", "collapsed",
	    "orphan",
	    "old_number", "number", "label", "control_heading", "was",
	    "controls_changed", "label_parts", "number_parts", "note_ref",
	    "note_back", "note_id", "ref_id",
	    "removed_notes", "notes", "heading_title", NULL};
	size_t i;

	if (r->ctx == NULL) {
		r->ctx = wp_value_new_map();
		wp_map_set(r->ctx, "labels", wp_value_copy(r->labels));
		wp_map_set_str(r->ctx, "lang", r->d->new->lang);
		wp_map_set(r->ctx, "partials", wp_value_copy(r->partials));
	}
	for (i = 0; fields[i]; i++)
		wp_map_set(r->ctx, fields[i], wp_value_new_null());
	return r->ctx;
}

static void
render(redline *r, const wp_template *t, wp_value *ctx, wp_buf *out)
{
	if (wp_template_render(r->tpls, t, ctx, out, r->diags) != 0)
		r->rc = -1;
}

static char *
fragment(redline *r, int inserted, const char *text, size_t len, int code,
    int replaced)
{
	wp_value *m = wp_value_new_map();
	wp_buf b = WP_BUF_INIT;

	wp_map_set(m, "text", wp_value_new_stringn(text, len));
	wp_map_set_bool(m, "code", code);
	wp_map_set_bool(m, "replaced", replaced);
	render(r, inserted ? r->ins : r->del, m, &b);
	wp_value_free(m);
	while (b.len && b.data[b.len - 1] == '\n')
		b.data[--b.len] = '\0';
	return wp_buf_detach(&b);
}

static void
add_part(wp_value *list, const char *text, size_t len, const char *how)
{
	wp_value *m = wp_list_push(list, wp_value_new_map());

	/* Both set, so that no enclosing section's answers for them. */
	wp_map_set(m, "text", wp_value_new_stringn(text, len));
	wp_map_set(m, "phrases", wp_phrase_list(text, len));
	wp_map_set_bool(m, "ins", how && strcmp(how, "ins") == 0);
	wp_map_set_bool(m, "del", how && strcmp(how, "del") == 0);
}

/* A deleted part that an inserted one follows is replaced. */
static void
mark_replaced(wp_value *list)
{
	size_t i;
	wp_value **it = list->u.list.items;

	for (i = 0; i + 1 < list->u.list.len; i++)
		wp_map_set_bool(it[i], "replaced", wp_value_truthy(wp_map_get(
		    it[i], "del")) && wp_value_truthy(wp_map_get(it[i + 1],
		    "ins")));
	if (i < list->u.list.len)
		wp_map_set_bool(it[i], "replaced", 0);
}

static void
add_tokens(wp_value *list, const wp_tokens *t, size_t from, size_t n,
    const char *how)
{
	wp_buf b = WP_BUF_INIT;
	size_t i;

	for (i = from; i < from + n; i++)
		wp_buf_put(&b, t->items[i].s, t->items[i].len);
	if (b.len)
		add_part(list, b.data, b.len, how);
	wp_buf_free(&b);
}

/* The title as parts: {text}, {text, ins}, {text, del}. */
static void
title_parts(wp_value *list, const wp_diff_section *s, const wp_section *sec,
    int all_deleted)
{
	size_t i;
	const wp_edit *e;

	if (s == NULL || s->ntitle_edits == 0) {
		add_part(list, sec->title, strlen(sec->title), all_deleted ?
		    "del" : NULL);
		return;
	}
	for (i = 0; i < s->ntitle_edits; i++) {
		e = &s->title_edits[i];
		if (e->op == WP_EDIT_EQUAL)
			add_tokens(list, &s->new_title, e->b, e->n, NULL);
		else if (e->op == WP_EDIT_INSERT)
			add_tokens(list, &s->new_title, e->b, e->n, "ins");
		else
			add_tokens(list, &s->old_title, e->a, e->n, "del");
	}
}

static int
has_control(const wp_section *s, const wp_control_ref *r)
{
	size_t i;

	for (i = 0; s && i < s->ncontrols; i++)
		if (s->controls[i].catalog == r->catalog &&
		    s->controls[i].control == r->control)
			return 1;
	return 0;
}

/* The catalog the edition's pages put first (as xref.c does): the
 * service's first, else the site's first. */
static const char *
primary_catalog(const redline *r)
{
	const wp_catalogs *set = r->info->site->catalogs;

	if (r->info->primary_catalog)
		return r->info->primary_catalog;
	return set && set->len ? set->items[0]->id : "";
}

static void
add_control(redline *r, wp_value *list, const wp_control_ref *ref,
    const char *how)
{
	wp_value *m = wp_list_push(list, wp_value_new_map());
	const char *lang = r->d->new->lang;
	char *name = wp_catalog_marker_standard(ref->catalog,
	    r->info->standards, lang);
	const wp_control *c = &ref->catalog->controls[ref->control];
	const char *fb;

	/* The fields of the edition's headings (page.c), by the names the
	 * service's pages show. */
	wp_map_set_str(m, "catalog", ref->catalog->id);
	wp_map_set_str(m, "catalog_name", wp_catalog_name(ref->catalog,
	    r->info->standards, lang));
	wp_map_set_bool(m, "primary", strcmp(primary_catalog(r),
	    ref->catalog->id) == 0);
	wp_map_set_str(m, "standard", name);
	wp_map_set_str(m, "label", c->label);
	wp_map_set(m, "marker", wp_value_new_string_owned(xasprintf("<%s %s>",
	    name, c->label)));
	wp_map_set_str(m, "title", wp_control_title(ref->catalog, c, lang,
	    &fb));
	wp_map_set_bool(m, "ins", how && strcmp(how, "ins") == 0);
	wp_map_set_bool(m, "del", how && strcmp(how, "del") == 0);
	free(name);
}

/* The controls of the section's marker paragraphs; those added marked
 * ins, those dropped (in old, not in sec) del. */
static void
controls(redline *r, wp_value *ctx, const wp_section *sec,
    const wp_section *old, int all_deleted)
{
	wp_value *list = wp_map_set_list(ctx, "controls");
	size_t i;

	for (i = sec->control_heading ? 1 : 0; i < sec->ncontrols; i++)
		add_control(r, list, &sec->controls[i], all_deleted ? "del" :
		    old == NULL || has_control(old, &sec->controls[i]) ? NULL :
		    "ins");
	for (i = 0; old && i < old->ncontrols; i++)
		if (!has_control(sec, &old->controls[i]) &&
		    !(old->control_heading && i == 0))
			add_control(r, list, &old->controls[i], "del");
	wp_map_set_bool(ctx, "has_controls", wp_value_len(list) > 0);
}

/* The label or number of a heading as parts, like the title: struck
 * in a removed section; the old number struck before the new one. */
static void
number_parts(wp_value *m, int removed)
{
	const char *label = wp_value_text(wp_map_get(m, "label"));
	const char *number = wp_value_text(wp_map_get(m, "number"));
	const char *was = wp_value_text(wp_map_get(m, "old_number"));
	wp_value *list;

	if (*label) {
		list = wp_map_set_list(m, "label_parts");
		add_part(list, label, strlen(label), removed ? "del" : NULL);
	}
	if (*number) {
		list = wp_map_set_list(m, "number_parts");
		if (*was)
			add_part(list, was, strlen(was), "del");
		add_part(list, number, strlen(number), *was ? "ins" :
		    removed ? "del" : NULL);
		mark_replaced(list);
	}
}

/* The fields of a heading: sec as shown, old as it was (or NULL). */
static void
heading_fields(redline *r, wp_value *m, const wp_diff_section *s,
    const wp_section *sec, const wp_section *old, const char *anchor)
{
	int level = sec->level + 1 > 6 ? 6 : sec->level + 1;
	int removed = s && s->status == WP_DIFF_REMOVED;

	wp_map_set(m, "tag", wp_value_new_string_owned(xasprintf("h%d",
	    level)));
	wp_map_set_str(m, "anchor", anchor);
	wp_map_set_str(m, "status", shown_status(s));
	wp_map_set_str(m, "status_label", s ? status_label(r, s) : "");
	wp_map_set_bool(m, "removed", removed);
	wp_map_set_bool(m, "added", s && s->status == WP_DIFF_ADDED);
	wp_map_set_bool(m, "control_heading", sec->control_heading);
	wp_map_set_str(m, "heading_title", sec->title);
	if (sec->control_heading)
		wp_map_set_str(m, "label", sec->key);
	else if (sec->number)
		wp_map_set_str(m, "number", sec->number);
	if (!removed && old && sec->number && old->number &&
	    !sec->control_heading && strcmp(old->number, sec->number) != 0)
		wp_map_set_str(m, "old_number", old->number);
	if (s && s->renumbered && sec->control_heading)
		set_was(r, m, old->key);
	number_parts(m, removed);
	title_parts(wp_map_set_list(m, "title_parts"), removed ? NULL : s,
	    sec, removed);
	mark_replaced(wp_map_get(m, "title_parts"));
	controls(r, m, sec, s && s->status == WP_DIFF_ADDED ? NULL : old,
	    removed);
	wp_map_set_bool(m, "controls_changed", s && s->controls_changed &&
	    s->status != WP_DIFF_ADDED && !removed);
}

static int
redline_heading(void *data, const wp_document *doc, size_t i, wp_buf *out)
{
	redline *r = data;
	const wp_diff_section *s = r->of_new[i];
	const wp_section *old = s && s->old_index >= 0 ?
	    &r->d->old->sections[s->old_index] : NULL;
	wp_value *m = context(r);

	heading_fields(r, m, s, &doc->sections[i], old,
	    doc->sections[i].anchor);
	wp_map_set_bool(m, "collapsed", r->collapsed[i]);
	if (r->orphans[i])
		wp_map_set_str(m, "orphan", r->orphans[i]);
	render(r, r->heading, m, out);
	return 0;
}

static void
part(redline *r, const char *which, const char *status, wp_buf *out)
{
	wp_value *m = context(r);

	wp_map_set_bool(m, which, 1);
	wp_map_set_str(m, "status", status);
	render(r, r->parts, m, out);
}

static int
wrapped(const wp_diff_section *s)
{
	return s && (s->status != WP_DIFF_UNCHANGED || s->renumbered);
}

static void
redline_open(void *data, const wp_document *doc, size_t i, wp_buf *out)
{
	redline *r = data;

	(void)doc;
	if (i == 0 && r->removed[doc->nsections])
		wp_buf_puts(out, r->removed[doc->nsections]);
	if (wrapped(r->of_new[i]))
		part(r, "section_open", shown_status(r->of_new[i]), out);
}

static void
redline_close(void *data, const wp_document *doc, size_t i, wp_buf *out)
{
	redline *r = data;

	(void)doc;
	if (wrapped(r->of_new[i]))
		part(r, "section_close", shown_status(r->of_new[i]), out);
	if (r->removed[i])
		wp_buf_puts(out, r->removed[i]);
}

/* ---- removed sections ---- */

/* A part rendered for use inside a line: its final line break off. */
static char *
inline_part(redline *r, wp_value *m)
{
	wp_buf b = WP_BUF_INIT;

	render(r, r->parts, m, &b);
	while (b.len && b.data[b.len - 1] == '\n')
		b.data[--b.len] = '\0';
	return wp_buf_detach(&b);
}

static void
replace_with_html(cmark_node *node, const char *html)
{
	cmark_node *n = cmark_node_new(CMARK_NODE_HTML_INLINE);

	cmark_node_set_literal(n, html);
	cmark_node_insert_before(node, n);
	cmark_node_free(node);
}

/* The number of the old document's footnote that ref names (1-based, as
 * cmark-gfm numbers them: the order of doc->notes), or 0. */
static size_t
note_number(const wp_document *doc, cmark_node *ref)
{
	cmark_node *def = wp_document_footnote(doc, ref);
	size_t i;

	for (i = 0; def && i < doc->nnotes; i++)
		if (doc->notes[i] == def)
			return i + 1;
	return 0;
}

/* The notes of a removed section, and which notes any removed section
 * showed already (a note is shown once, ids are unique). */
typedef struct struck_notes {
	wp_value *list;
	char *seen;                     /* [number], the redline's */
} struck_notes;

static void strike_text(redline *r, cmark_node *block, struck_notes *notes);

/* A footnote of a removed section: its reference struck (the part
 * note_ref), pointing at the note, which goes struck, once, into notes
 * (number, id, ref_id, html), shown after the section's blocks. */
static void
strike_note_ref(redline *r, cmark_node *ref, struck_notes *notes)
{
	wp_document *old = r->d->old;
	size_t k = note_number(old, ref);
	int first;
	char *id, *ref_id, *html;
	wp_value *m, *note;
	cmark_node *c, *back = NULL;
	wp_buf b = WP_BUF_INIT;

	if (k == 0) {
		cmark_node_free(ref);
		return;
	}
	first = !notes->seen[k];
	notes->seen[k] = 1;
	id = xasprintf("wp-removed-fn-%zu", k);
	ref_id = xasprintf("wp-removed-fnref-%zu", k);
	m = context(r);
	wp_map_set_bool(m, "note_ref", 1);
	wp_map_set_int(m, "number", (long long)k);
	wp_map_set_str(m, "note_id", id);
	wp_map_set_str(m, "ref_id", first ? ref_id : NULL);
	html = inline_part(r, m);
	replace_with_html(ref, html);
	free(html);
	if (first) {
		note = wp_list_push(notes->list, wp_value_new_map());
		wp_map_set_int(note, "number", (long long)k);
		wp_map_set_str(note, "id", id);
		wp_map_set_str(note, "ref_id", ref_id);
		/* The way back, at the end of the note's last paragraph
		 * (the part note_back), as cmark-gfm puts it. */
		c = cmark_node_last_child(old->notes[k - 1]);
		if (c && cmark_node_get_type(c) == CMARK_NODE_PARAGRAPH) {
			m = context(r);
			wp_map_set_bool(m, "note_back", 1);
			wp_map_set_str(m, "ref_id", ref_id);
			html = inline_part(r, m);
			back = cmark_node_new(CMARK_NODE_HTML_INLINE);
			cmark_node_set_literal(back, html);
			free(html);
			strike_text(r, c, notes);
			cmark_node_append_child(c, back);
		}
		for (c = cmark_node_first_child(old->notes[k - 1]); c;
		    c = cmark_node_next(c)) {
			if (cmark_node_next(c) || back == NULL)
				strike_text(r, c, notes);
			html = cmark_render_html(c, CMARK_OPT_UNSAFE,
			    cmark_parser_get_syntax_extensions(old->parser));
			wp_buf_puts(&b, html);
			free(html);
		}
		wp_map_set_str(note, "html", wp_buf_cstr(&b));
	}
	wp_buf_free(&b);
	free(id);
	free(ref_id);
}

/* Each of texts[0..n) (text and code nodes) replaced by its deletion
 * mark (redline_del). */
static void
strike_texts(redline *r, cmark_node **texts, size_t n)
{
	const char *lit;
	char *html;
	size_t i;

	for (i = 0; i < n; i++) {
		lit = cmark_node_get_literal(texts[i]);
		html = fragment(r, 0, lit ? lit : "", lit ? strlen(lit) : 0,
		    cmark_node_get_type(texts[i]) == CMARK_NODE_CODE, 0);
		replace_with_html(texts[i], html);
		free(html);
	}
}

/* An image of a removed section: wrapped whole in the deletion mark
 * (redline_del with the image for its text); its description, which is
 * an attribute, stays plain. */
static void
strike_image(redline *r, cmark_node *img)
{
	char *html = fragment(r, 0, "\x01", 1, 0, 0);
	char *mid = strchr(html, '\x01');
	cmark_node *open, *close;

	if (mid) {
		*mid = '\0';
		open = cmark_node_new(CMARK_NODE_HTML_INLINE);
		cmark_node_set_literal(open, html);
		close = cmark_node_new(CMARK_NODE_HTML_INLINE);
		cmark_node_set_literal(close, mid + 1);
		cmark_node_insert_before(img, open);
		cmark_node_insert_after(img, close);
	}
	free(html);
}

/* Every text of block struck (an image as a whole: the text under it is
 * its description); its footnote references struck and their notes into
 * notes. */
static void
strike_text(redline *r, cmark_node *block, struck_notes *notes)
{
	cmark_iter *it = cmark_iter_new(block);
	cmark_event_type ev;
	cmark_node *n, **texts = NULL, **refs = NULL, **imgs = NULL;
	size_t ntexts = 0, nrefs = 0, nimgs = 0, i;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		n = cmark_iter_get_node(it);
		if (ev == CMARK_EVENT_ENTER && cmark_node_get_type(n) ==
		    CMARK_NODE_IMAGE) {
			imgs = xrealloc(imgs, (nimgs + 1) * sizeof *imgs);
			imgs[nimgs++] = n;
			cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
			continue;
		}
		if (ev == CMARK_EVENT_ENTER && cmark_node_get_type(n) ==
		    CMARK_NODE_FOOTNOTE_REFERENCE) {
			refs = xrealloc(refs, (nrefs + 1) * sizeof *refs);
			refs[nrefs++] = n;
		}
		if (ev == CMARK_EVENT_ENTER &&
		    (cmark_node_get_type(n) == CMARK_NODE_TEXT ||
		    cmark_node_get_type(n) == CMARK_NODE_CODE)) {
			texts = xrealloc(texts, (ntexts + 1) * sizeof *texts);
			texts[ntexts++] = n;
		}
	}
	cmark_iter_free(it);
	strike_texts(r, texts, ntexts);
	for (i = 0; i < nimgs; i++)
		strike_image(r, imgs[i]);
	for (i = 0; i < nrefs; i++)
		strike_note_ref(r, refs[i], notes);
	free(texts);
	free(refs);
	free(imgs);
}

/* Old section j: its heading and its blocks, every text struck, then
 * the notes its footnote references name. */
static void
render_removed(redline *r, const wp_diff_section *s, wp_buf *out)
{
	wp_document *old = r->d->old;
	size_t j = (size_t)s->old_index;
	const wp_section *sec = &old->sections[j];
	cmark_node *n = cmark_node_next(sec->node);
	cmark_node *end = j + 1 < old->nsections ?
	    old->sections[j + 1].node : NULL;
	char *anchor = xasprintf("wp-removed-%s", sec->anchor), *html;
	wp_value *m;
	struck_notes notes;

	notes.list = wp_value_new_list();
	notes.seen = r->notes_seen;
	part(r, "section_open", "removed", out);
	m = context(r);
	heading_fields(r, m, s, sec, sec, anchor);
	render(r, r->heading, m, out);
	for (; n && n != end && cmark_node_get_type(n) !=
	    CMARK_NODE_FOOTNOTE_DEFINITION; n = cmark_node_next(n)) {
		strike_text(r, n, &notes);
		html = cmark_render_html(n, CMARK_OPT_UNSAFE,
		    cmark_parser_get_syntax_extensions(old->parser));
		wp_buf_puts(out, html);
		free(html);
	}
	if (wp_value_len(notes.list) > 0) {
		m = context(r);
		wp_map_set_bool(m, "removed_notes", 1);
		wp_map_set(m, "notes", notes.list);
		render(r, r->parts, m, out);
	} else {
		wp_value_free(notes.list);
	}
	part(r, "section_close", "removed", out);
	free(anchor);
}

/* The HTML of removed sections, by the new section they follow. */
static void
prepare_removed(redline *r)
{
	wp_diff *d = r->d;
	size_t i, n = d->new->nsections;
	long after = -1;
	wp_buf b = WP_BUF_INIT;

	wp_document_prepare_render(d->old);
	r->notes_seen = xcalloc(d->old->nnotes + 1, 1);
	for (i = 0; i < d->len; i++) {
		const wp_diff_section *s = &d->sections[i];
		size_t at;
		if (s->status != WP_DIFF_REMOVED) {
			after = s->new_index;
			continue;
		}
		at = after < 0 ? n : (size_t)after;
		wp_buf_clear(&b);
		if (r->removed[at])
			wp_buf_puts(&b, r->removed[at]);
		render_removed(r, s, &b);
		free(r->removed[at]);
		r->removed[at] = xstrdup(b.data ? b.data : "");
	}
	wp_buf_free(&b);
}

/* ---- context: unchanged sections far from a change ---- */

/* A change of text, title or controls: a section only renumbered has
 * none (its heading shows the new number). */
static int
is_change(const wp_diff_section *s)
{
	return s->status != WP_DIFF_UNCHANGED;
}

static void
collapse(redline *r, int context_n)
{
	wp_diff *d = r->d;
	long *dist = xcalloc(d->len + 1, sizeof *dist), last = -1;
	size_t i, k;
	cmark_node *n, *next, *end;
	wp_document *doc = d->new;

	for (i = 0; i < d->len; i++) {
		if (is_change(&d->sections[i]))
			last = (long)i;
		dist[i] = last < 0 ? (long)d->len : (long)i - last;
	}
	last = -1;
	for (i = d->len; i-- > 0;) {
		if (is_change(&d->sections[i]))
			last = (long)i;
		if (last >= 0 && last - (long)i < dist[i])
			dist[i] = last - (long)i;
	}
	for (i = 0; i < d->len; i++) {
		if (d->sections[i].new_index < 0 || dist[i] <= context_n ||
		    is_change(&d->sections[i]))
			continue;
		k = (size_t)d->sections[i].new_index;
		r->collapsed[k] = 1;
		r->ncollapsed++;
		end = k + 1 < doc->nsections ? doc->sections[k + 1].node :
		    NULL;
		for (n = cmark_node_next(doc->sections[k].node); n && n != end &&
		    cmark_node_get_type(n) != CMARK_NODE_FOOTNOTE_DEFINITION;
		    n = next) {
			next = cmark_node_next(n);
			cmark_node_free(n);
		}
	}
	free(dist);
}

/* ---- marks and bars ---- */

static cmark_node *
raw_block(const char *html)
{
	cmark_node *n = cmark_node_new(CMARK_NODE_HTML_BLOCK);

	cmark_node_set_literal(n, html);
	return n;
}

/* A change bar: each top-level block with a change is wrapped. */
static void
wrap_blocks(redline *r, marks *m)
{
	wp_buf open = WP_BUF_INIT, close = WP_BUF_INIT;
	size_t i;

	if (m->nblocks == 0)
		return;
	part(r, "block_open", "changed", &open);
	part(r, "block_close", "changed", &close);
	for (i = 0; i < m->nblocks; i++) {
		if (i > 0 && m->blocks[i] == m->blocks[i - 1])
			continue;
		cmark_node_insert_before(m->blocks[i], raw_block(
		    open.data ? open.data : ""));
		cmark_node_insert_after(m->blocks[i], raw_block(
		    close.data ? close.data : ""));
	}
	wp_buf_free(&open);
	wp_buf_free(&close);
}

static int
block_cmp(const void *a, const void *b)
{
	const char *x = *(char *const *)a, *y = *(char *const *)b;

	return x < y ? -1 : x > y;
}

static void
prepare_marks(redline *r)
{
	wp_diff *d = r->d;
	marks m = {NULL, 0, 0, NULL, 0};
	wp_buf orphan = WP_BUF_INIT;
	size_t i;
	wp_diff_section *s;

	for (i = 0; i < d->len; i++) {
		s = &d->sections[i];
		if (s->new_index >= 0)
			r->of_new[s->new_index] = s;
		if (s->new_index < 0 || s->old_index < 0)
			continue;
		wp_buf_clear(&orphan);
		collect_marks(r, s, &m, &orphan);
		if (orphan.len)
			r->orphans[s->new_index] = xstrdup(orphan.data);
	}
	wp_buf_free(&orphan);
	apply_marks(r, &m);
	if (m.nblocks)
		qsort(m.blocks, m.nblocks, sizeof *m.blocks, block_cmp);
	wrap_blocks(r, &m);
	free(m.blocks);
}

/* ---- the page ---- */

static void
summary(redline *r, wp_value *ctx)
{
	wp_diff *d = r->d;
	wp_value *list = wp_map_set_list(ctx, "changes"), *m, *counts;
	const wp_diff_section *s;
	const wp_section *sec;
	const char *name;
	size_t i;
	wp_buf note = WP_BUF_INIT;

	for (i = 0; i < d->len; i++) {
		s = &d->sections[i];
		if (s->status == WP_DIFF_UNCHANGED && !s->renumbered)
			continue;
		sec = s->new_index >= 0 ? &d->new->sections[s->new_index] :
		    &d->old->sections[s->old_index];
		name = wp_diff_section_name(sec);
		m = wp_list_push(list, wp_value_new_map());
		wp_map_set_str(m, "status", shown_status(s));
		wp_map_set_str(m, "status_label", status_label(r, s));
		wp_map_set(m, "href", wp_value_new_string_owned(xasprintf(
		    "#%s%s", s->new_index < 0 ? "wp-removed-" : "",
		    sec->anchor)));
		wp_map_set_str(m, "name", name != sec->title ? name : NULL);
		wp_map_set_str(m, "title", sec->title);
		if (s->renumbered)
			set_was(r, m, wp_diff_section_name(
			    &d->old->sections[s->old_index]));
		if (s->inserted || s->deleted)
			set_counts(r, m, s->inserted, s->deleted);
	}
	wp_map_set_bool(ctx, "has_changes", wp_value_len(list) > 0);
	counts = wp_map_set_map(ctx, "counts");
	wp_map_set_int(counts, "changed", (long long)d->changed);
	wp_map_set_int(counts, "added", (long long)d->added);
	wp_map_set_int(counts, "removed", (long long)d->removed);
	wp_map_set_int(counts, "moved", (long long)d->moved);
	wp_map_set_int(counts, "renumbered", (long long)d->renumbered);
	wp_map_set_bool(ctx, "has_renumbered", d->renumbered > 0);
	wp_diff_revision_note(d, r->labels, &note);
	wp_map_set_str(ctx, "note", note.data ? note.data : "");
	wp_buf_free(&note);
}

/* One version as the language writes it: label (as pages show a
 * version: its number, with the revision's label beside it, "Version
 * 2.1 (2026 review)" / "第2.1版（改訂版）"; the revision's label alone
 * without a number; else the name given), date (ISO) and date_text. */
static char *
version(redline *r, wp_value *ctx, const char *key, const char *number,
    const char *lbl, const char *date, const char *name)
{
	wp_value *m = wp_map_set_map(ctx, key);
	char *text;

	if (number)
		text = wp_labels_version_display(r->labels, number, lbl);
	else if (lbl && *lbl)
		text = xstrdup(lbl);
	else
		text = xstrdup(name ? name : "");
	wp_map_set_str(m, "label", text);
	wp_map_set_str(m, "version", number);
	if (date && *date) {
		wp_map_set_str(m, "date", date);
		wp_map_set(m, "date_text", wp_value_new_string_owned(
		    wp_labels_date(r->labels, date)));
	}
	return text;
}

/* A style sheet for print only: print.css, redline-print.css and the
 * styles' <style>-print.css. */
static int
is_print_sheet(const char *name)
{
	size_t n = strlen(name);

	return strcmp(name, "print.css") == 0 ||
	    (n > 10 && strcmp(name + n - 10, "-print.css") == 0);
}

/* The style sheets of the style and its parents (the .css files of their assets,
 * copied to the site's assets/ by build), root first. */
static void
style_sheets(redline *r, wp_value *list)
{
	const wp_style *chain[16], *st;
	size_t n = 0, i;
	char *dir, **names;

	for (st = r->info->style; st && n < 16; st = st->parent)
		chain[n++] = st;
	while (n-- > 0) {
		dir = xasprintf("%s/%s/assets", r->info->site->templates_dir,
		    chain[n]->name);
		names = wp_dir_names(dir, ".css", NULL);
		for (i = 0; names && names[i]; i++)
			if (!is_print_sheet(names[i]))
				wp_list_push(list,
				    wp_value_new_string(names[i]));
		wp_strv_free(names);
		free(dir);
	}
}

/* The page's title, worded by redline_title_pattern over service (or
 * none), title (the label redline_title), old and new. */
static char *
page_title(redline *r, const char *svc, const char *ov, const char *nv)
{
	wp_value *data = wp_value_new_map();
	/* (Without the pattern, which `check` reports missing, the
	 * versions alone: no words of another language.) */
	char *fb = xasprintf("%s → %s", ov, nv), *t;

	wp_map_set_str(data, "service", svc);
	wp_map_set_str(data, "title", wp_label(r->labels, "redline_title"));
	wp_map_set_str(data, "old", ov);
	wp_map_set_str(data, "new", nv);
	t = wp_labels_format(r->labels, "redline_title_pattern", data, fb);
	wp_value_free(data);
	free(fb);
	return t;
}

static wp_value *
page_context(redline *r, const char *body)
{
	const wp_redline_info *in = r->info;
	wp_value *ctx = wp_value_new_map(), *svc, *legend;
	char *title, *ov, *nv;

	wp_map_set_str(ctx, "lang", r->d->new->lang[0] ? r->d->new->lang :
	    "en");
	wp_map_set(ctx, "labels", wp_value_copy(r->labels));
	wp_map_set(ctx, "partials", wp_value_copy(r->partials));
	legend = wp_map_set_map(ctx, "legend");
	wp_map_set_str(wp_map_set_map(legend, "ins"), "text", wp_label(r->labels,
	    "redline_legend_ins"));
	wp_map_set_str(wp_map_set_map(legend, "del"), "text", wp_label(r->labels,
	    "redline_legend_del"));
	svc = wp_map_set_map(ctx, "service");
	wp_map_set_str(svc, "title", in->service_title);
	if (in->service_title)
		wp_map_set(svc, "title_phrases", wp_phrase_list(
		    in->service_title, strlen(in->service_title)));
	wp_map_set_str(svc, "provider", in->provider);
	wp_map_set_str(svc, "copyright", in->copyright);
	ov = version(r, ctx, "old", in->old_version, in->old_label,
	    in->old_date, in->old_name);
	nv = version(r, ctx, "new", in->new_version, in->new_label,
	    in->new_date, in->new_name);
	title = page_title(r, in->service_title, ov, nv);
	wp_map_set(ctx, "title", wp_value_new_string_owned(title));
	wp_map_set(ctx, "versions", wp_value_new_string_owned(page_title(r,
	    NULL, ov, nv)));
	free(ov);
	free(nv);
	wp_map_set_str(ctx, "root", in->root ? in->root : "");
	wp_map_set_str(ctx, "inline_css", in->css);
	wp_map_set_str(ctx, "edition_href", in->edition_href);
	wp_map_set_str(ctx, "pdf_href", in->pdf_href);
	wp_map_set_bool(ctx, "print", in->print);
	wp_map_set_str(ctx, "style", in->style ? in->style->name : "base");
	style_sheets(r, wp_map_set_list(ctx, "stylesheets"));
	summary(r, ctx);
	wp_map_set_bool(ctx, "has_collapsed", r->ncollapsed > 0);
	wp_map_set_str(ctx, "body", body);
	return ctx;
}

/* The style's template name (found along its chain, then base); its
 * resolved name goes into partials (for {{>*partials.NAME}}) when key is
 * given. */
static const wp_template *
find_template(redline *r, const char *name, const char *key)
{
	char *rel = wp_style_template(r->info->site, r->info->style, name);
	const wp_template *t = NULL;

	if (rel == NULL)
		wp_diag_add(r->diags, WP_ERROR, r->info->site->templates_dir, 0,
		    0, "template-error", "no template %s.mustache", name);
	else
		t = wp_templates_get(r->tpls, rel, r->diags);
	if (t && key)
		wp_map_set_str(r->partials, key, rel);
	free(rel);
	return t;
}

int
wp_diff_write_html(wp_diff *d, const wp_redline_info *info, wp_buf *out,
    wp_diags *diags)
{
	redline r;
	/* One body for the page and its print variant: cells as on
	 * screen. */
	wp_html_hooks hooks = {redline_heading, redline_open, redline_close,
	    &r, 0};
	size_t i, n = d->new->nsections;
	const wp_template *page;
	wp_buf body = WP_BUF_INIT;
	wp_value *ctx, *own_labels;
	char *html;
	const char *lang = d->new->lang[0] ? d->new->lang : "en";

	memset(&r, 0, sizeof r);
	r.d = d;
	r.info = info;
	r.diags = diags;
	r.tpls = wp_site_templates(info->site);
	/* The style's labels, with the service's own over them, as on
	 * its pages. */
	own_labels = wp_labels_with(wp_site_labels(info->site, info->style,
	    lang, diags), info->labels, lang);
	r.labels = own_labels;
	r.partials = wp_value_new_map();
	r.heading = find_template(&r, "redline_heading", NULL);
	r.parts = find_template(&r, "redline_parts", NULL);
	r.ins = find_template(&r, "redline_ins", "ins");
	r.del = find_template(&r, "redline_del", "del");
	page = find_template(&r, "redline", NULL);
	if (r.heading == NULL || r.parts == NULL || r.ins == NULL ||
	    r.del == NULL || page == NULL) {
		wp_value_free(r.partials);
		wp_value_free(own_labels);
		return -1;
	}
	/* The old bodies of removed sections are tokenized here: the
	 * comparison did not need them. */
	for (i = 0; i < d->len; i++)
		if (d->sections[i].status == WP_DIFF_REMOVED)
			wp_diff_section_tokens(d, &d->sections[i]);
	r.of_new = xcalloc(n + 1, sizeof *r.of_new);
	r.orphans = xcalloc(n + 1, sizeof *r.orphans);
	r.removed = xcalloc(n + 1, sizeof *r.removed);
	r.collapsed = xcalloc(n + 1, 1);
	prepare_removed(&r);
	prepare_marks(&r);
	/* The marks are in; now as a page's tree is when read (images
	 * pointed at, before collapsing may drop some). */
	wp_document_prepare_render(d->new);
	if (info->context >= 0)
		collapse(&r, info->context);
	if (n == 0 && r.removed[0])
		wp_buf_puts(&body, r.removed[0]);
	if (wp_html_render_body(d->new, &hooks, &body) != 0)
		r.rc = -1;
	html = wp_html_localize_footnotes(&body, wp_label(r.labels,
	    "footnote_back"));
	ctx = page_context(&r, html ? html : "");
	free(html);
	render(&r, page, ctx, out);
	if (info->print_out) {
		wp_map_set_bool(ctx, "print", 1);
		wp_map_set_str(ctx, "inline_css", info->print_css);
		wp_map_set_str(ctx, "pdf_href", NULL);
		render(&r, page, ctx, info->print_out);
	}
	wp_value_free(ctx);
	wp_value_free(r.ctx);
	wp_value_free(r.partials);
	wp_value_free(own_labels);
	free(r.notes_seen);
	wp_buf_free(&body);
	for (i = 0; i <= n; i++) {
		free(r.orphans[i]);
		free(r.removed[i]);
	}
	free(r.orphans);
	free(r.removed);
	free(r.collapsed);
	free(r.of_new);
	return r.rc;
}

/* The style sheets of base and of the style chain, root first: on
 * screen (print 0) wpgen.css, redline.css and the styles' sheets other
 * than their print sheets; in print, the print sheets only. */
static void
append_css(wp_buf *b, const char *dir, int print)
{
	char **names = wp_dir_names(dir, ".css", NULL), *path, *text;
	int base = strcmp(dir + strlen(dir) - 11, "base/assets") == 0;
	size_t i;

	for (i = 0; names && names[i]; i++) {
		if (base && !print && strcmp(names[i], "wpgen.css") != 0 &&
		    strcmp(names[i], "redline.css") != 0)
			continue;
		if (is_print_sheet(names[i]) != print)
			continue;
		/* print.css first, then redline-print.css. */
		if (base && print && strcmp(names[i], "print.css") != 0)
			continue;
		path = wp_path_join(dir, names[i]);
		if ((text = wp_read_file(path, NULL)) != NULL) {
			wp_buf_puts(b, text);
			wp_buf_putc(b, '\n');
		}
		free(text);
		free(path);
	}
	wp_strv_free(names);
}

static char *
redline_css(const wp_site *site, const wp_style *style, int print)
{
	wp_buf b = WP_BUF_INIT;
	const wp_style *chain[16];
	size_t n = 0;
	char *dir, *path, *text;

	dir = xasprintf("%s/base/assets", site->templates_dir);
	append_css(&b, dir, print);
	if (print) {
		path = wp_path_join(dir, "redline-print.css");
		if ((text = wp_read_file(path, NULL)) != NULL) {
			wp_buf_puts(&b, text);
			wp_buf_putc(&b, '\n');
		}
		free(text);
		free(path);
	}
	free(dir);
	for (; style && n < 16; style = style->parent)
		chain[n++] = style;
	while (n-- > 0) {
		dir = xasprintf("%s/%s/assets", site->templates_dir,
		    chain[n]->name);
		append_css(&b, dir, print);
		free(dir);
	}
	return wp_buf_detach(&b);
}

char *
wp_redline_css(const wp_site *site, const wp_style *style)
{
	return redline_css(site, style, 0);
}

char *
wp_redline_print_css(const wp_site *site, const wp_style *style)
{
	return redline_css(site, style, 1);
}
