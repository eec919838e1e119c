/*
 * redline.c: the HTML redline of a diff (diff.h): the whole new document
 * with <ins> and <del> inside changed sections, the same anchors as the
 * built page, and a summary at the top that links to every change.
 * Removed sections follow the document, struck through.
 *
 * Marks are put into the new document's tree: a text node with inserted
 * or deleted tokens is replaced by text and raw inline HTML nodes, then
 * html.c renders the tree as for a page.
 */
#include <stdlib.h>
#include <string.h>

#include <cmark-gfm.h>

#include "buf.h"
#include "diff.h"
#include "html.h"
#include "util.h"
#include "xref.h"

/* A change at a place in a node's literal. */
typedef struct mark {
	cmark_node *node;
	size_t start, end;        /* inserted bytes [start, end) */
	char *deleted;            /* or deleted text shown before start */
} mark;

typedef struct marks {
	mark *items;
	size_t len, cap;
} marks;

static void
add_mark(marks *m, cmark_node *node, size_t start, size_t end, char *del)
{
	if (m->len == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 32;
		m->items = xrealloc(m->items, m->cap * sizeof *m->items);
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
		if (t->items[i].kind == WP_TOK_MARK) {
			if (b.len && b.data[b.len - 1] != ' ')
				wp_buf_putc(&b, ' ');
			continue;
		}
		wp_buf_put(&b, t->items[i].s, t->items[i].len);
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

/* Marks for one section; deleted text with no place to go is returned
 * in *orphans. */
static void
collect_marks(const wp_diff_section *s, marks *m, wp_buf *orphans)
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

/* Rewrites one node with its marks [from, to). */
static void
apply_node(mark *ms, size_t from, size_t to)
{
	cmark_node *node = ms[from].node;
	const char *lit = cmark_node_get_literal(node);
	size_t len = lit ? strlen(lit) : 0, pos = 0, i;
	wp_buf b = WP_BUF_INIT;

	if (cmark_node_get_type(node) != CMARK_NODE_TEXT) {
		/* Code, raw HTML, breaks: mark the node whole. */
		for (i = from; i < to; i++) {
			if (ms[i].deleted) {
				wp_buf_clear(&b);
				wp_buf_puts(&b, "<del>");
				wp_buf_put_html(&b, ms[i].deleted,
				    strlen(ms[i].deleted));
				wp_buf_puts(&b, "</del>");
				if (cmark_node_get_type(node) ==
				    CMARK_NODE_CODE)
					insert_html(node, b.data);
			}
		}
		wp_buf_free(&b);
		return;
	}
	for (i = from; i < to; i++) {
		if (ms[i].start > pos)
			insert_node(node, CMARK_NODE_TEXT, lit + pos,
			    ms[i].start - pos);
		if (ms[i].start > pos)
			pos = ms[i].start;
		if (ms[i].deleted) {
			wp_buf_clear(&b);
			wp_buf_puts(&b, "<del>");
			wp_buf_put_html(&b, ms[i].deleted,
			    strlen(ms[i].deleted));
			wp_buf_puts(&b, "</del>");
			insert_html(node, b.data);
			continue;
		}
		/* Merge adjacent insertions into one <ins>. */
		size_t end = ms[i].end;
		while (i + 1 < to && !ms[i + 1].deleted &&
		    ms[i + 1].start == end)
			end = ms[++i].end;
		insert_html(node, "<ins>");
		insert_node(node, CMARK_NODE_TEXT, lit + pos, end - pos);
		insert_html(node, "</ins>");
		pos = end;
	}
	if (pos < len)
		insert_node(node, CMARK_NODE_TEXT, lit + pos, len - pos);
	cmark_node_free(node);
	wp_buf_free(&b);
}

static void
apply_marks(marks *m)
{
	size_t i, j;

	if (m->len == 0)
		return;
	qsort(m->items, m->len, sizeof *m->items, mark_cmp);
	for (i = 0; i < m->len; i = j) {
		for (j = i + 1; j < m->len && m->items[j].node ==
		    m->items[i].node; j++)
			;
		apply_node(m->items, i, j);
	}
	for (i = 0; i < m->len; i++)
		free(m->items[i].deleted);
	free(m->items);
}

/* ---- headings ---- */

typedef struct redline {
	wp_diff *d;
	const wp_diff_section **of_new;   /* diff section of each new one */
	char **orphans;                   /* deleted text with no place */
} redline;

static void
put_tokens(wp_buf *out, const wp_tokens *t, size_t from, size_t n)
{
	size_t i;

	for (i = from; i < from + n; i++)
		wp_buf_put_html(out, t->items[i].s, t->items[i].len);
}

static void
put_title(wp_buf *out, const wp_diff_section *s, const wp_section *sec)
{
	size_t i;
	const wp_edit *e;

	if (s == NULL || s->ntitle_edits == 0) {
		wp_buf_put_html(out, sec->title, strlen(sec->title));
		return;
	}
	for (i = 0; i < s->ntitle_edits; i++) {
		e = &s->title_edits[i];
		if (e->op == WP_EDIT_EQUAL) {
			put_tokens(out, &s->new_title, e->b, e->n);
		} else if (e->op == WP_EDIT_INSERT) {
			wp_buf_puts(out, "<ins>");
			put_tokens(out, &s->new_title, e->b, e->n);
			wp_buf_puts(out, "</ins>");
		} else {
			wp_buf_puts(out, "<del>");
			put_tokens(out, &s->old_title, e->a, e->n);
			wp_buf_puts(out, "</del>");
		}
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

static void
put_control(wp_buf *out, const wp_control_ref *r, const char *tag)
{
	char *name = wp_catalog_marker_name(r->catalog);
	char *text = xasprintf("<%s %s>", name,
	    r->catalog->controls[r->control].label);

	wp_buf_printf(out, "<li>%s%s%s", tag ? "<" : "", tag ? tag : "",
	    tag ? ">" : "");
	wp_buf_put_html(out, text, strlen(text));
	wp_buf_printf(out, "%s%s%s</li>", tag ? "</" : "", tag ? tag : "",
	    tag ? ">" : "");
	free(name);
	free(text);
}

static void
put_controls(wp_buf *out, const wp_section *sec, const wp_section *old)
{
	size_t i, first = sec->control_heading ? 1 : 0, n = 0;

	for (i = first; i < sec->ncontrols; i++, n++) {
		if (n == 0)
			wp_buf_puts(out, "\n<ul class=\"wp-controls\">");
		put_control(out, &sec->controls[i], old == NULL ||
		    has_control(old, &sec->controls[i]) ? NULL : "ins");
	}
	for (i = 0; old && i < old->ncontrols; i++) {
		if (has_control(sec, &old->controls[i]))
			continue;
		if (n++ == 0)
			wp_buf_puts(out, "\n<ul class=\"wp-controls\">");
		put_control(out, &old->controls[i], "del");
	}
	if (n)
		wp_buf_puts(out, "</ul>");
}

static int
redline_heading(void *data, const wp_document *doc, size_t i, wp_buf *out)
{
	redline *r = data;
	const wp_section *sec = &doc->sections[i];
	const wp_diff_section *s = r->of_new[i];
	const wp_section *old = s && s->old_index >= 0 ?
	    &r->d->old->sections[s->old_index] : NULL;
	int level = sec->level + 1 > 6 ? 6 : sec->level + 1;
	const char *st = s ? wp_diff_status_name(s->status) : "unchanged";

	wp_buf_printf(out, "<h%d id=\"%s\" class=\"wp-heading wp-diff-%s\">",
	    level, sec->anchor, st);
	if (sec->control_heading)
		wp_buf_printf(out, "<span class=\"wp-label\">%s</span> ",
		    sec->key);
	else if (sec->number && old && old->number &&
	    strcmp(old->number, sec->number) != 0)
		wp_buf_printf(out, "<span class=\"wp-number\"><del>%s</del>"
		    "<ins>%s</ins></span> ", old->number, sec->number);
	else if (sec->number)
		wp_buf_printf(out, "<span class=\"wp-number\">%s</span> ",
		    sec->number);
	put_title(out, s, sec);
	wp_buf_printf(out, "</h%d>", level);
	put_controls(out, sec, s && s->status == WP_DIFF_ADDED ? NULL : old);
	if (r->orphans[i])
		wp_buf_printf(out, "\n<p><del>%s</del></p>", r->orphans[i]);
	return 0;
}

static void
redline_open(void *data, const wp_document *doc, size_t i, wp_buf *out)
{
	redline *r = data;

	(void)doc;
	if (r->of_new[i] && r->of_new[i]->status == WP_DIFF_ADDED)
		wp_buf_puts(out, "<div class=\"wp-diff-added-section\">\n");
}

static void
redline_close(void *data, const wp_document *doc, size_t i, wp_buf *out)
{
	redline *r = data;

	(void)doc;
	if (r->of_new[i] && r->of_new[i]->status == WP_DIFF_ADDED)
		wp_buf_puts(out, "</div>\n");
}

/* ---- the page ---- */

static const char redline_css[] =
    "ins{background:#d8f5d0;text-decoration:none}"
    "del{background:#fbd9d9;color:#7a1f1f}"
    ".wp-diff-summary{border:1px solid #ccc;padding:1em 1.5em;margin:1em 0}"
    ".wp-diff-summary li{margin:.2em 0}"
    ".wp-diff-added-section{border-left:4px solid #3a9a2a;padding-left:1em}"
    ".wp-diff-removed-section{border-left:4px solid #b33;padding-left:1em;"
    "color:#7a1f1f}"
    ".wp-diff-badge{display:inline-block;min-width:5em;font-size:.85em}"
    ".wp-controls{font-size:.9em}";

static void
summary_item(wp_buf *out, const wp_diff *d, const wp_diff_section *s)
{
	const wp_section *sec = s->new_index >= 0 ?
	    &d->new->sections[s->new_index] : &d->old->sections[s->old_index];
	const char *name = wp_diff_section_name(sec);

	wp_buf_printf(out, "<li class=\"wp-diff-%s\"><span class=\"wp-diff-"
	    "badge\">%s</span> <a href=\"#%s%s\">", wp_diff_status_name(
	    s->status), wp_diff_status_name(s->status), s->new_index < 0 ?
	    "removed-" : "", sec->anchor);
	wp_buf_put_html(out, name, strlen(name));
	if (name != sec->title) {
		wp_buf_putc(out, ' ');
		wp_buf_put_html(out, sec->title, strlen(sec->title));
	}
	wp_buf_puts(out, "</a>");
	if (s->inserted || s->deleted)
		wp_buf_printf(out, " (+%zu −%zu)", s->inserted, s->deleted);
	wp_buf_puts(out, "</li>\n");
}

static void
write_summary(wp_buf *out, const wp_diff *d)
{
	size_t i;
	wp_buf note = WP_BUF_INIT;

	wp_buf_printf(out, "<section class=\"wp-diff-summary\" "
	    "id=\"wp-diff-summary\">\n<p>%zu changed, %zu added, %zu removed, "
	    "%zu moved</p>\n", d->changed, d->added, d->removed, d->moved);
	if (wp_diff_changes(d)) {
		wp_buf_puts(out, "<ul>\n");
		for (i = 0; i < d->len; i++)
			if (d->sections[i].status != WP_DIFF_UNCHANGED)
				summary_item(out, d, &d->sections[i]);
		wp_buf_puts(out, "</ul>\n");
		wp_diff_revision_note(d, &note);
		wp_buf_puts(out, "<p class=\"wp-diff-note\">");
		wp_buf_put_html(out, note.data, note.len);
		wp_buf_puts(out, "</p>\n");
	}
	wp_buf_puts(out, "</section>\n");
	wp_buf_free(&note);
}

/* Removed sections: their old text, struck through, after the body. */
static void
write_removed(wp_buf *out, wp_diff *d)
{
	size_t i;
	const wp_section *sec;
	const wp_diff_section *s;
	char *text;

	for (i = 0; i < d->len; i++) {
		s = &d->sections[i];
		if (s->status != WP_DIFF_REMOVED)
			continue;
		sec = &d->old->sections[s->old_index];
		wp_buf_printf(out, "<section class=\"wp-diff-removed-section\" "
		    "id=\"removed-%s\">\n<h3><del>", sec->anchor);
		if (sec->number || sec->control_heading) {
			wp_buf_puts(out, wp_diff_section_name(sec));
			wp_buf_putc(out, ' ');
		}
		wp_buf_put_html(out, sec->title, strlen(sec->title));
		wp_buf_puts(out, "</del></h3>\n");
		text = deleted_text(&s->old_body, 0, s->old_body.len);
		if (text) {
			wp_buf_puts(out, "<p><del>");
			wp_buf_put_html(out, text, strlen(text));
			wp_buf_puts(out, "</del></p>\n");
		}
		free(text);
		wp_buf_puts(out, "</section>\n");
	}
}

static void
prepare(redline *r)
{
	wp_diff *d = r->d;
	marks m = {NULL, 0, 0};
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
		collect_marks(s, &m, &orphan);
		if (orphan.len) {
			wp_buf b = WP_BUF_INIT;
			wp_buf_put_html(&b, orphan.data, orphan.len);
			r->orphans[s->new_index] = wp_buf_detach(&b);
		}
	}
	wp_buf_free(&orphan);
	apply_marks(&m);
}

int
wp_diff_write_html(wp_diff *d, const char *css, wp_buf *out)
{
	redline r;
	wp_html_hooks hooks = {redline_heading, redline_open, redline_close,
	    &r};
	size_t i, n = d->new->nsections;
	int rc;

	/* The old bodies of removed sections are tokenized here: the
	 * comparison did not need them. */
	for (i = 0; i < d->len; i++)
		if (d->sections[i].status == WP_DIFF_REMOVED)
			wp_diff_section_tokens(d, &d->sections[i]);
	r.d = d;
	r.of_new = xcalloc(n + 1, sizeof *r.of_new);
	r.orphans = xcalloc(n + 1, sizeof *r.orphans);
	prepare(&r);
	wp_buf_printf(out, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n<meta name=\"viewport\" "
	    "content=\"width=device-width, initial-scale=1\">\n<title>",
	    d->new->lang[0] ? d->new->lang : "en");
	wp_buf_puts(out, "Redline");
	wp_buf_puts(out, "</title>\n<style>\n");
	if (css)
		wp_buf_puts(out, css);
	wp_buf_printf(out, "\n%s\n</style>\n</head>\n<body>\n<main "
	    "class=\"wp-body wp-redline\" id=\"wp-main\">\n", redline_css);
	write_summary(out, d);
	/* The marks are in; now as a page's tree is when read. */
	wp_document_prepare_render(d->new);
	rc = wp_html_render_body(d->new, &hooks, out);
	write_removed(out, d);
	wp_buf_puts(out, "</main>\n</body>\n</html>\n");
	for (i = 0; i < n; i++)
		free(r.orphans[i]);
	free(r.orphans);
	free(r.of_new);
	return rc;
}
