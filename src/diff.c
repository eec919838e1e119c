/*
 * diff.c: aligning two revisions section by section and comparing their
 * text, and the JSON and text summaries (diff.h).  The HTML redline is in
 * redline.c.
 */
#include <stdlib.h>
#include <string.h>

#include <cmark-gfm.h>

#include "buf.h"
#include "diff.h"
#include "labels.h"
#include "util.h"

#define DIFF_MAX_D 1500

/* ---- tokens of a section ---- */

static const char *
mark_of(cmark_node *n)
{
	const char *t;

	switch (cmark_node_get_type(n)) {
	case CMARK_NODE_PARAGRAPH: return "<p>";
	case CMARK_NODE_ITEM: return "<li>";
	case CMARK_NODE_HEADING: return "<h>";
	case CMARK_NODE_CODE_BLOCK: return "<pre>";
	case CMARK_NODE_BLOCK_QUOTE: return "<blockquote>";
	case CMARK_NODE_HTML_BLOCK: return "<html>";
	case CMARK_NODE_THEMATIC_BREAK: return "<hr>";
	case CMARK_NODE_FOOTNOTE_DEFINITION: return "<footnote>";
	default: break;
	}
	t = cmark_node_get_type_string(n);
	if (strcmp(t, "table_row") == 0)
		return "<tr>";
	if (strcmp(t, "table_cell") == 0)
		return "<td>";
	if (strcmp(t, "table") == 0)
		return "<table>";
	return NULL;
}

static void
tokenize_node(wp_tokens *t, cmark_node *node, cmark_node **notes,
    size_t *nnotes, const wp_document *doc)
{
	cmark_iter *it = cmark_iter_new(node);
	cmark_event_type ev;
	cmark_node *n, *def;
	const char *lit, *mark;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		if (ev != CMARK_EVENT_ENTER)
			continue;
		n = cmark_iter_get_node(it);
		if ((mark = mark_of(n)) != NULL)
			wp_tokens_add_mark(t, mark, n);
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
		case CMARK_NODE_CODE_BLOCK:
		case CMARK_NODE_HTML_INLINE:
		case CMARK_NODE_HTML_BLOCK:
			lit = cmark_node_get_literal(n);
			if (lit)
				wp_tokens_add_text(t, lit, strlen(lit), n);
			break;
		case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_LINEBREAK:
			wp_tokens_add_space(t, n);
			break;
		case CMARK_NODE_FOOTNOTE_REFERENCE:
			def = wp_document_footnote(doc, n);
			if (def && *nnotes < 64)
				notes[(*nnotes)++] = def;
			break;
		default:
			break;
		}
	}
	cmark_iter_free(it);
}

/* The own text of section i (blocks up to the next heading) and the
 * footnotes it refers to, as tokens. */
static void
section_tokens(wp_document *doc, size_t i, wp_tokens *t)
{
	cmark_node *n = cmark_node_next(doc->sections[i].node);
	cmark_node *end = i + 1 < doc->nsections ?
	    doc->sections[i + 1].node : NULL;
	cmark_node *notes[64];
	size_t nnotes = 0, k;

	for (; n && n != end; n = cmark_node_next(n)) {
		if (cmark_node_get_type(n) == CMARK_NODE_FOOTNOTE_DEFINITION)
			break;
		tokenize_node(t, n, notes, &nnotes, doc);
	}
	for (k = 0; k < nnotes; k++)
		tokenize_node(t, notes[k], notes, &nnotes, doc);
	wp_tokens_normalize(t);
}

/* ---- comparing a pair ---- */

static size_t
count_edits(const wp_tokens *a, const wp_tokens *b, const wp_edit *e,
    size_t n, size_t *ins, size_t *del)
{
	size_t i, changes = 0;

	for (i = 0; i < n; i++) {
		if (e[i].op == WP_EDIT_INSERT) {
			*ins += wp_tokens_chars(b, e[i].b, e[i].b + e[i].n);
			changes++;
		} else if (e[i].op == WP_EDIT_DELETE) {
			*del += wp_tokens_chars(a, e[i].a, e[i].a + e[i].n);
			changes++;
		}
	}
	return changes;
}

static int
same_controls(const wp_section *a, const wp_section *b)
{
	size_t i, j;

	if (a->ncontrols != b->ncontrols)
		return 0;
	for (i = 0; i < a->ncontrols; i++) {
		for (j = 0; j < b->ncontrols; j++)
			if (a->controls[i].catalog == b->controls[j].catalog &&
			    a->controls[i].control == b->controls[j].control)
				break;
		if (j == b->ncontrols)
			return 0;
	}
	return 1;
}

static void
tokenize_title(const wp_section *s, wp_tokens *t)
{
	wp_tokens_add_text(t, s->title, strlen(s->title), NULL);
	wp_tokens_normalize(t);
}

/* Compares the old and new text of a matched pair; returns 1 when they
 * differ. */
static int
compare_pair(wp_diff *d, wp_diff_section *ds)
{
	const wp_section *o = &d->old->sections[ds->old_index];
	const wp_section *n = &d->new->sections[ds->new_index];
	size_t changes;

	section_tokens(d->old, (size_t)ds->old_index, &ds->old_body);
	section_tokens(d->new, (size_t)ds->new_index, &ds->new_body);
	tokenize_title(o, &ds->old_title);
	tokenize_title(n, &ds->new_title);
	ds->nbody_edits = wp_diff_tokens(&ds->old_body, &ds->new_body,
	    DIFF_MAX_D, &ds->body_edits);
	ds->ntitle_edits = wp_diff_tokens(&ds->old_title, &ds->new_title,
	    DIFF_MAX_D, &ds->title_edits);
	changes = count_edits(&ds->old_body, &ds->new_body, ds->body_edits,
	    ds->nbody_edits, &ds->inserted, &ds->deleted);
	changes += count_edits(&ds->old_title, &ds->new_title,
	    ds->title_edits, ds->ntitle_edits, &ds->inserted, &ds->deleted);
	ds->controls_changed = !same_controls(o, n);
	return changes > 0 || ds->controls_changed;
}

/* ---- alignment ---- */

typedef struct keyed {
	const char *key;
	unsigned long hash;
	size_t index;
} keyed;

static int
ulong_cmp(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a;
	unsigned long y = *(const unsigned long *)b;

	return x < y ? -1 : x > y;
}

static int
keyed_cmp(const void *a, const void *b)
{
	return strcmp(((const keyed *)a)->key, ((const keyed *)b)->key);
}

static int
hash_cmp(const void *a, const void *b)
{
	const keyed *x = a, *y = b;

	if (x->hash != y->hash)
		return x->hash < y->hash ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* A hash of a section's title and text, not of its number: equal for a
 * section that was only renumbered. */
static unsigned long
content_hash(wp_document *doc, size_t i)
{
	wp_tokens t = {NULL, 0, 0};
	unsigned long h = wp_hash(doc->sections[i].title,
	    strlen(doc->sections[i].title));
	size_t k;

	section_tokens(doc, i, &t);
	for (k = 0; k < t.len; k++)
		h = (h ^ t.items[k].hash) * 1099511628211UL;
	wp_tokens_free(&t);
	return h;
}

/* Marks the key-matched pairs that left the relative order of the others
 * (not on a longest increasing subsequence of old indices). */
static void
mark_moved(wp_diff *d)
{
	size_t n = 0, i, lo, hi, len = 0;
	size_t *idx = xcalloc(d->len + 1, sizeof *idx);
	size_t *tails = xcalloc(d->len + 1, sizeof *tails);
	long *prev = xcalloc(d->len + 1, sizeof *prev);
	char *keep = xcalloc(d->len + 1, 1);
	long k;

	for (i = 0; i < d->len; i++)
		if (d->sections[i].old_index >= 0 &&
		    d->sections[i].new_index >= 0)
			idx[n++] = i;
	for (i = 0; i < n; i++) {
		long v = d->sections[idx[i]].old_index;
		lo = 0;
		hi = len;
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			if (d->sections[idx[tails[mid]]].old_index < v)
				lo = mid + 1;
			else
				hi = mid;
		}
		prev[i] = lo ? (long)tails[lo - 1] : -1;
		tails[lo] = i;
		if (lo == len)
			len++;
	}
	for (k = len ? (long)tails[len - 1] : -1; k >= 0; k = prev[k])
		keep[k] = 1;
	for (i = 0; i < n; i++)
		if (!keep[i]) {
			d->sections[idx[i]].status = WP_DIFF_MOVED;
			d->sections[idx[i]].out_of_order = 1;
		}
	free(idx);
	free(tails);
	free(prev);
	free(keep);
}

static wp_diff_section *
push_section(wp_diff *d, wp_diff_status st, long o, long n)
{
	wp_diff_section *s;

	d->sections = xrealloc(d->sections, (d->len + 1) *
	    sizeof *d->sections);
	s = &d->sections[d->len++];
	memset(s, 0, sizeof *s);
	s->status = st;
	s->old_index = o;
	s->new_index = n;
	return s;
}

static keyed *
lower_bound(keyed *v, size_t n, const keyed *k)
{
	size_t lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (hash_cmp(&v[mid], k) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return v + lo;
}

/* The sorted hashes of the words of a section's title and text: its
 * content as a multiset, for similarity. */
static unsigned long *
word_hashes(wp_document *doc, size_t i, size_t *n)
{
	wp_tokens t = {NULL, 0, 0};
	unsigned long *h;
	size_t k;

	wp_tokens_add_text(&t, doc->sections[i].title,
	    strlen(doc->sections[i].title), NULL);
	section_tokens(doc, i, &t);
	h = xcalloc(t.len + 1, sizeof *h);
	for (*n = 0, k = 0; k < t.len; k++)
		if (t.items[k].kind == WP_TOK_WORD)
			h[(*n)++] = t.items[k].hash;
	qsort(h, *n, sizeof *h, ulong_cmp);
	wp_tokens_free(&t);
	return h;
}

/* Similarity of two sections in percent: twice the words they share
 * over the words of both (as git's rename detection scores files). */
static int
similarity(const unsigned long *a, size_t na, const unsigned long *b,
    size_t nb)
{
	size_t i = 0, j = 0, common = 0;

	if (na + nb == 0)
		return 100;
	while (i < na && j < nb) {
		if (a[i] == b[j]) {
			common++;
			i++;
			j++;
		} else if (a[i] < b[j]) {
			i++;
		} else {
			j++;
		}
	}
	return (int)(200 * common / (na + nb));
}

/* Sections at least this similar (percent) are one section edited. */
#define SIMILAR 50
/* Beyond this many candidate pairs, leftovers are not compared all
 * against all (they are then added and removed). */
#define MAX_CANDIDATES 250000

typedef struct candidate {
	int score;
	size_t new, old;
} candidate;

static int
candidate_cmp(const void *x, const void *y)
{
	const candidate *a = x, *b = y;

	if (a->score != b->score)
		return a->score > b->score ? -1 : 1;
	if (a->new != b->new)
		return a->new < b->new ? -1 : 1;
	return a->old < b->old ? -1 : a->old > b->old;
}

/* Pairs the leftover sections by similarity, best pairs first. */
static void
pair_similar(wp_diff *d, long *old_of_new, char *old_used)
{
	size_t no = d->old->nsections, nn = d->new->nsections, i, j;
	size_t *ln = xcalloc(nn + 1, sizeof *ln), *lo = xcalloc(no + 1,
	    sizeof *lo), nln = 0, nlo = 0, nc = 0;
	unsigned long **ho, *hn;
	size_t *lho, lhn;
	candidate *c;
	int score;

	for (i = 0; i < nn; i++)
		if (old_of_new[i] < 0)
			ln[nln++] = i;
	for (j = 0; j < no; j++)
		if (!old_used[j])
			lo[nlo++] = j;
	if (nln == 0 || nlo == 0 || nln * nlo > MAX_CANDIDATES) {
		free(ln);
		free(lo);
		return;
	}
	ho = xcalloc(nlo, sizeof *ho);
	lho = xcalloc(nlo, sizeof *lho);
	for (j = 0; j < nlo; j++)
		ho[j] = word_hashes(d->old, lo[j], &lho[j]);
	c = xcalloc(nln * nlo, sizeof *c);
	for (i = 0; i < nln; i++) {
		hn = word_hashes(d->new, ln[i], &lhn);
		for (j = 0; j < nlo; j++) {
			score = similarity(hn, lhn, ho[j], lho[j]);
			if (score >= SIMILAR) {
				c[nc].score = score;
				c[nc].new = ln[i];
				c[nc++].old = lo[j];
			}
		}
		free(hn);
	}
	qsort(c, nc, sizeof *c, candidate_cmp);
	for (i = 0; i < nc; i++) {
		if (old_of_new[c[i].new] >= 0 || old_used[c[i].old])
			continue;
		old_of_new[c[i].new] = (long)c[i].old;
		old_used[c[i].old] = 1;
	}
	for (j = 0; j < nlo; j++)
		free(ho[j]);
	free(ho);
	free(lho);
	free(c);
	free(ln);
	free(lo);
}

/* Pairs the leftover old and new sections whose text is the same. */
static void
pair_same_text(wp_diff *d, const unsigned long *oh, const unsigned long *nh,
    long *old_of_new, char *old_used)
{
	size_t i, no = 0;
	keyed *olds = xcalloc(d->old->nsections + 1, sizeof *olds), k, *hit;

	for (i = 0; i < d->old->nsections; i++) {
		if (old_used[i])
			continue;
		olds[no].hash = oh[i];
		olds[no++].index = i;
	}
	qsort(olds, no, sizeof *olds, hash_cmp);
	for (i = 0; i < d->new->nsections && no; i++) {
		if (old_of_new[i] >= 0)
			continue;
		k.hash = nh[i];
		k.index = 0;
		/* The first entry with this hash (index 0 sorts first), then
		 * the first of those still free. */
		hit = lower_bound(olds, no, &k);
		while (hit < olds + no && hit->hash == k.hash &&
		    old_used[hit->index])
			hit++;
		if (hit < olds + no && hit->hash == k.hash) {
			old_of_new[i] = (long)hit->index;
			old_used[hit->index] = 1;
		}
	}
	free(olds);
}

static void
pair_with(long *old_of_new, char *old_used, size_t i, long j)
{
	old_of_new[i] = j;
	old_used[j] = 1;
}

/*
 * Pairs new sections with old ones, surest first: the same key and the
 * same text; the same text under another key (renumbered); the same
 * control, or the same key and a similar text; then any similar text
 * (renumbered and edited, as git pairs renamed files by similarity); and
 * last the same key whatever the text.  So inserting a 3.3 before the old
 * 3.3 gives one added section and renumbered ones, not "3.3 changed".
 */
static void
pair_sections(wp_diff *d, long *old_of_new, char *old_used)
{
	size_t no = d->old->nsections, nn = d->new->nsections, i;
	keyed *keys = xcalloc(no + 1, sizeof *keys), k, *hit;
	long *key_old = xcalloc(nn + 1, sizeof *key_old);
	unsigned long *oh = xcalloc(no + 1, sizeof *oh);
	unsigned long *nh = xcalloc(nn + 1, sizeof *nh);
	unsigned long *ha, *hb;
	size_t la, lb;
	const wp_section *o, *n;

	for (i = 0; i < no; i++) {
		keys[i].key = d->old->sections[i].key;
		keys[i].index = i;
		oh[i] = content_hash(d->old, i);
	}
	qsort(keys, no, sizeof *keys, keyed_cmp);
	for (i = 0; i < nn; i++) {
		k.key = d->new->sections[i].key;
		hit = no ? bsearch(&k, keys, no, sizeof k, keyed_cmp) : NULL;
		key_old[i] = hit ? (long)hit->index : -1;
		old_of_new[i] = -1;
		nh[i] = content_hash(d->new, i);
		if (hit && oh[hit->index] == nh[i])
			pair_with(old_of_new, old_used, i, key_old[i]);
	}
	pair_same_text(d, oh, nh, old_of_new, old_used);
	for (i = 0; i < nn; i++) {
		if (old_of_new[i] >= 0 || key_old[i] < 0 ||
		    old_used[key_old[i]])
			continue;
		o = &d->old->sections[key_old[i]];
		n = &d->new->sections[i];
		if (o->control_heading && n->control_heading) {
			pair_with(old_of_new, old_used, i, key_old[i]);
			continue;
		}
		ha = word_hashes(d->old, (size_t)key_old[i], &la);
		hb = word_hashes(d->new, i, &lb);
		if (similarity(ha, la, hb, lb) >= SIMILAR)
			pair_with(old_of_new, old_used, i, key_old[i]);
		free(ha);
		free(hb);
	}
	pair_similar(d, old_of_new, old_used);
	for (i = 0; i < nn; i++)
		if (old_of_new[i] < 0 && key_old[i] >= 0 &&
		    !old_used[key_old[i]])
			pair_with(old_of_new, old_used, i, key_old[i]);
	free(keys);
	free(key_old);
	free(oh);
	free(nh);
}

static void
align(wp_diff *d)
{
	size_t no = d->old->nsections, nn = d->new->nsections, i, j;
	long *old_of_new = xcalloc(nn + 1, sizeof *old_of_new);
	char *old_used = xcalloc(no + 1, 1);
	long *after = xcalloc(no + 1, sizeof *after);

	pair_sections(d, old_of_new, old_used);
	/* Removed sections go after the new position of the nearest old
	 * section before them that is still there. */
	for (j = 0; j < no; j++)
		after[j] = -1;
	for (i = 0; i < nn; i++)
		if (old_of_new[i] >= 0)
			after[old_of_new[i]] = (long)i;
	for (j = 0; j < no; j++)
		if (!old_used[j] && (j == 0 || after[j - 1] < 0))
			after[j] = j ? after[j - 1] : -1;
		else if (!old_used[j])
			after[j] = after[j - 1];
	for (j = 0; j < no; j++)
		if (!old_used[j] && after[j] == -1)
			push_section(d, WP_DIFF_REMOVED, (long)j, -1);
	for (i = 0; i < nn; i++) {
		wp_diff_section *s = push_section(d, old_of_new[i] < 0 ?
		    WP_DIFF_ADDED : WP_DIFF_UNCHANGED, old_of_new[i], (long)i);
		s->renumbered = old_of_new[i] >= 0 && strcmp(
		    d->old->sections[old_of_new[i]].key,
		    d->new->sections[i].key) != 0;
		for (j = 0; j < no; j++)
			if (!old_used[j] && after[j] == (long)i)
				push_section(d, WP_DIFF_REMOVED, (long)j, -1);
	}
	free(old_of_new);
	free(old_used);
	free(after);
}

void
wp_diff_section_tokens(wp_diff *d, wp_diff_section *s)
{
	if (s->old_index >= 0 && s->old_body.len == 0)
		section_tokens(d->old, (size_t)s->old_index, &s->old_body);
}

static size_t
all_chars(wp_document *doc, size_t i)
{
	wp_tokens t = {NULL, 0, 0};
	size_t n;

	section_tokens(doc, i, &t);
	n = wp_tokens_chars(&t, 0, t.len) + wp_utf8_count(
	    doc->sections[i].title, strlen(doc->sections[i].title));
	wp_tokens_free(&t);
	return n;
}

static void
drop_tokens(wp_diff_section *s)
{
	wp_tokens_free(&s->old_body);
	wp_tokens_free(&s->new_body);
	wp_tokens_free(&s->old_title);
	wp_tokens_free(&s->new_title);
	free(s->body_edits);
	free(s->title_edits);
	s->body_edits = s->title_edits = NULL;
	s->nbody_edits = s->ntitle_edits = 0;
}

wp_diff *
wp_diff_new(wp_document *old_doc, wp_document *new_doc)
{
	wp_diff *d = xcalloc(1, sizeof *d);
	wp_diff_section *s;
	size_t i;

	d->old = old_doc;
	d->new = new_doc;
	align(d);
	mark_moved(d);
	for (i = 0; i < d->len; i++) {
		s = &d->sections[i];
		if (s->status == WP_DIFF_ADDED)
			s->inserted = all_chars(new_doc, (size_t)s->new_index);
		else if (s->status == WP_DIFF_REMOVED)
			s->deleted = all_chars(old_doc, (size_t)s->old_index);
		else if (compare_pair(d, s) && s->status == WP_DIFF_UNCHANGED)
			s->status = WP_DIFF_CHANGED;
		else if (s->inserted + s->deleted == 0 && !s->controls_changed)
			drop_tokens(s);     /* nothing to mark in the redline */
		/* Only renumbered (in order, the same text and controls):
		 * unchanged, counted apart, not moved. */
		if (wp_diff_only_renumbered(s))
			d->renumbered++;
		switch (s->status) {
		case WP_DIFF_CHANGED: d->changed++; break;
		case WP_DIFF_ADDED: d->added++; break;
		case WP_DIFF_REMOVED: d->removed++; break;
		case WP_DIFF_MOVED: d->moved++; break;
		default: break;
		}
	}
	return d;
}

void
wp_diff_free(wp_diff *d)
{
	size_t i;

	if (d == NULL)
		return;
	for (i = 0; i < d->len; i++)
		drop_tokens(&d->sections[i]);
	free(d->sections);
	free(d);
}

const char *
wp_diff_status_name(wp_diff_status s)
{
	static const char *const names[] = {"unchanged", "changed", "added",
	    "removed", "moved"};

	return names[s];
}

size_t
wp_diff_changes(const wp_diff *d)
{
	return d->changed + d->added + d->removed + d->moved + d->renumbered;
}

int
wp_diff_only_renumbered(const wp_diff_section *s)
{
	return s->status == WP_DIFF_UNCHANGED && s->renumbered;
}

static const wp_section *
shown_section(const wp_diff *d, const wp_diff_section *s)
{
	return s->new_index >= 0 ? &d->new->sections[s->new_index] :
	    &d->old->sections[s->old_index];
}

const char *
wp_diff_section_name(const wp_section *s)
{
	if (s->control_heading)
		return s->key;
	return s->number ? s->number : s->title;
}

/* ---- JSON ---- */

void
wp_diff_write_json(const wp_diff *d, const char *old_name,
    const char *new_name, wp_buf *out)
{
	size_t i, j;
	const wp_diff_section *s;
	const wp_section *sec;

	wp_buf_puts(out, "{\"old\": ");
	wp_buf_put_json(out, old_name, strlen(old_name));
	wp_buf_puts(out, ", \"new\": ");
	wp_buf_put_json(out, new_name, strlen(new_name));
	wp_buf_printf(out, ",\n \"changed\": %zu, \"added\": %zu, "
	    "\"removed\": %zu, \"moved\": %zu, \"renumbered\": %zu,\n "
	    "\"sections\": [", d->changed, d->added, d->removed, d->moved,
	    d->renumbered);
	for (i = 0; i < d->len; i++) {
		s = &d->sections[i];
		sec = shown_section(d, s);
		wp_buf_puts(out, i ? ",\n  {\"key\": " : "\n  {\"key\": ");
		wp_buf_put_json(out, sec->key, strlen(sec->key));
		wp_buf_puts(out, ", \"anchor\": ");
		wp_buf_put_json(out, sec->anchor, strlen(sec->anchor));
		wp_buf_printf(out, ", \"status\": \"%s\"",
		    wp_diff_status_name(s->status));
		if (s->renumbered) {
			const char *ok = d->old->sections[s->old_index].key;
			wp_buf_puts(out, ", \"renumbered_from\": ");
			wp_buf_put_json(out, ok, strlen(ok));
		}
		wp_buf_puts(out, ", \"controls\": [");
		for (j = 0; j < sec->ncontrols; j++) {
			const char *l = sec->controls[j].catalog->controls[
			    sec->controls[j].control].label;
			if (j)
				wp_buf_puts(out, ", ");
			wp_buf_put_json(out, l, strlen(l));
		}
		wp_buf_printf(out, "], \"inserted\": %zu, \"deleted\": %zu}",
		    s->inserted, s->deleted);
	}
	wp_buf_puts(out, "]}\n");
}

/* ---- text and the revision note ---- */

/* The groups of the note, in its order: the statuses, then the sections
 * renumbered in order (only renumbered, or changed too), so that a run
 * of them reads as one range. */
#define NOTE_RENUMBERED (WP_DIFF_MOVED + 1)

static int
in_group(const wp_diff_section *s, int g)
{
	if (g == NOTE_RENUMBERED)
		return s->renumbered && (s->status == WP_DIFF_UNCHANGED ||
		    s->status == WP_DIFF_CHANGED);
	return s->status != WP_DIFF_UNCHANGED && (int)s->status == g;
}


/* The last code point of out before its trailing byte (*at, a space). */
static unsigned
last_before(const wp_buf *out, size_t end)
{
	size_t i = end, clen;

	while (i > 0 && ((unsigned char)out->data[i - 1] & 0xC0) == 0x80)
		i--;
	if (i > 0)
		i--;
	while (i > 0 && ((unsigned char)out->data[i] & 0xC0) == 0x80)
		i--;
	return end > 0 ? wp_utf8_decode(out->data + i, end - i, &clen) : 0;
}

/*
 * Appends text to out as Japanese is written: a space at the seam (the
 * last byte of out or the first of text) between two full-width
 * characters, or beside a full-width bracket or mark, is left out: a
 * label's "{{list}} を更新" after "3.4（旧 3.3）" reads "…）を更新", and
 * " および " after "）" reads "）および "; beside a Latin letter or a
 * digit it stays ("3.3 を更新").  Spaces inside names are not seams.
 */
static void
put_seamed(wp_buf *out, const char *text)
{
	size_t clen, n = strlen(text);
	unsigned prev, next;

	if (out->len > 0 && out->data[out->len - 1] == ' ' && n > 0 &&
	    text[0] != ' ') {
		prev = last_before(out, out->len - 1);
		next = wp_utf8_decode(text, n, &clen);
		if (wp_cjk_joins(prev, next))
			out->data[--out->len] = '\0';
	} else if (out->len > 0 && n > 1 && text[0] == ' ' &&
	    out->data[out->len - 1] != ' ') {
		prev = last_before(out, out->len);
		next = wp_utf8_decode(text + 1, n - 1, &clen);
		if (wp_cjk_joins(prev, next))
			text++;
	}
	wp_buf_puts(out, text);
}

/*
 * The label pattern key over one or two names (k1 = v1, k2 = v2),
 * malloc'd, its spaces joined to the names as put_seamed joins them.
 * The pattern is rendered over stand-ins (\1, \2) so that only its own
 * spaces meet the names.  A pattern the labels lack (`check` reports
 * it: missing-label) gives the names alone, never words of another
 * language.
 */
static char *
format2(const wp_value *labels, const char *key, const char *k1,
    const char *v1, const char *k2, const char *v2)
{
	wp_value *data = wp_value_new_map();
	wp_buf out = WP_BUF_INIT, piece = WP_BUF_INIT;
	char *t, *p;

	wp_map_set_str(data, k1, "\001");
	if (k2)
		wp_map_set_str(data, k2, "\002");
	t = wp_labels_format(labels, key, data, k2 ? "\001 \002" : "\001");
	for (p = t; ; p++) {
		if (*p != '\0' && *p != '\001' && *p != '\002') {
			wp_buf_putc(&piece, *p);
			continue;
		}
		if (piece.len)
			put_seamed(&out, piece.data);
		wp_buf_clear(&piece);
		if (*p == '\0')
			break;
		put_seamed(&out, *p == '\001' ? v1 : v2);
	}
	free(t);
	wp_buf_free(&piece);
	wp_value_free(data);
	if (out.data == NULL)
		return xstrdup("");
	return wp_buf_detach(&out);
}

/* How the note names a section (as it is now, or as it was: old): its
 * number or control label, else its title through diff_title_pattern. */
static char *
note_name(const wp_diff *d, const wp_diff_section *s, int old,
    const wp_value *labels)
{
	const wp_section *sec = old ? &d->old->sections[s->old_index] :
	    shown_section(d, s);
	const char *name = wp_diff_section_name(sec);

	if (name != sec->title)
		return xstrdup(name);
	return format2(labels, "diff_title_pattern", "title", name, NULL,
	    NULL);
}

/* Sections [i, j) of the diff named as one: a name, or a range of three
 * or more through diff_range_pattern. */
static char *
note_span(const wp_diff *d, size_t i, size_t j, int old,
    const wp_value *labels)
{
	char *first, *last, *t;

	if (j - i == 1)
		return note_name(d, &d->sections[i], old, labels);
	first = note_name(d, &d->sections[i], old, labels);
	last = note_name(d, &d->sections[j - 1], old, labels);
	t = format2(labels, "diff_range_pattern", "first", first, "last",
	    last);
	free(first);
	free(last);
	return t;
}

/* The names of group g, in document order, as a list.  Renumbered
 * sections are named as they are and as they were
 * (diff_renumbered_item_pattern), three or more one after another as
 * ranges. */
static char **
note_items(const wp_diff *d, int g, const wp_value *labels, size_t *n)
{
	char **items = xcalloc(d->len + 1, sizeof *items), *now, *was;
	size_t i, j;

	*n = 0;
	for (i = 0; i < d->len; i = j) {
		j = i + 1;
		if (!in_group(&d->sections[i], g))
			continue;
		if (g != NOTE_RENUMBERED) {
			items[(*n)++] = note_name(d, &d->sections[i], 0,
			    labels);
			continue;
		}
		while (j < d->len && in_group(&d->sections[j], g))
			j++;
		if (j - i < 3)
			j = i + 1;
		now = note_span(d, i, j, 0, labels);
		was = note_span(d, i, j, 1, labels);
		items[(*n)++] = format2(labels, "diff_renumbered_item_pattern",
		    "new", now, "old", was);
		free(now);
		free(was);
	}
	return items;
}

/* Items joined as the language lists them: "A, B and C", "A、B および C"
 * (its seams as put_seamed joins them). */
static void
join_list(char **items, size_t n, const wp_value *labels, wp_buf *out)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i > 0)
			put_seamed(out, wp_label(labels, i + 1 == n ?
			    "list_and" : "list_separator"));
		put_seamed(out, items[i]);
	}
}

void
wp_diff_revision_note(const wp_diff *d, const wp_value *labels,
    wp_buf *out)
{
	static const struct { int group; const char *key; } parts[] = {
	    {WP_DIFF_CHANGED, "diff_changed_note_pattern"},
	    {WP_DIFF_ADDED, "diff_added_note_pattern"},
	    {WP_DIFF_REMOVED, "diff_removed_note_pattern"},
	    {WP_DIFF_MOVED, "diff_moved_note_pattern"},
	    {NOTE_RENUMBERED, "diff_renumbered_note_pattern"}};
	wp_buf list = WP_BUF_INIT;
	size_t p, n, i, done = 0;
	char **items, *part;

	for (p = 0; p < sizeof parts / sizeof parts[0]; p++) {
		items = note_items(d, parts[p].group, labels, &n);
		if (n > 0) {
			wp_buf_clear(&list);
			join_list(items, n, labels, &list);
			part = format2(labels, parts[p].key, "list", list.data,
			    NULL, NULL);
			if (done++)
				put_seamed(out, wp_label(labels,
				    "diff_note_separator"));
			put_seamed(out, part);
			free(part);
		}
		for (i = 0; i < n; i++)
			free(items[i]);
		free(items);
	}
	wp_buf_free(&list);
}

/* The totals, worded by diff_counts_pattern over changed, added,
 * removed, moved and renumbered. */
static void
put_counts(const wp_diff *d, const wp_value *labels, wp_buf *out)
{
	wp_value *data = wp_value_new_map();
	char *t;

	wp_map_set_int(data, "changed", (long long)d->changed);
	wp_map_set_int(data, "added", (long long)d->added);
	wp_map_set_int(data, "removed", (long long)d->removed);
	wp_map_set_int(data, "moved", (long long)d->moved);
	wp_map_set_int(data, "renumbered", (long long)d->renumbered);
	t = wp_labels_format(labels, "diff_counts_pattern", data, "");
	wp_buf_puts(out, t);
	free(t);
	wp_value_free(data);
}

/* s padded with spaces to cols columns, a CJK character taking two. */
static void
put_column(wp_buf *out, const char *s, size_t cols)
{
	size_t n = strlen(s), i, clen, width = 0;

	for (i = 0; i < n; i += clen)
		width += wp_is_cjk(wp_utf8_decode(s + i, n - i, &clen)) ? 2 : 1;
	wp_buf_puts(out, s);
	for (; width < cols; width++)
		wp_buf_putc(out, ' ');
}

void
wp_diff_write_text(const wp_diff *d, const wp_value *labels, wp_buf *out)
{
	size_t i;
	const wp_diff_section *s;
	const wp_section *sec;
	const char *name;

	if (wp_diff_changes(d) == 0)
		return;
	for (i = 0; i < d->len; i++) {
		s = &d->sections[i];
		if (s->status == WP_DIFF_UNCHANGED && !s->renumbered)
			continue;
		sec = shown_section(d, s);
		name = wp_diff_section_name(sec);
		wp_buf_printf(out, "%-10s ", wp_diff_only_renumbered(s) ?
		    "renumbered" : wp_diff_status_name(s->status));
		/* A section without a number is named by its title once. */
		if (name == sec->title)
			wp_buf_puts(out, name);
		else {
			put_column(out, name, 12);
			wp_buf_printf(out, " %s", sec->title);
		}
		if (s->renumbered) {
			char *was = format2(labels, "redline_was_pattern",
			    "was", d->old->sections[s->old_index].key, NULL,
			    NULL);
			wp_buf_printf(out, "  %s", was);
			free(was);
		}
		if (s->inserted || s->deleted)
			wp_buf_printf(out, "  +%zu -%zu", s->inserted,
			    s->deleted);
		if (s->controls_changed)
			wp_buf_printf(out, "  %s", wp_label(labels,
			    "diff_controls_changed"));
		wp_buf_putc(out, '\n');
	}
	wp_buf_putc(out, '\n');
	put_counts(d, labels, out);
	wp_buf_puts(out, "\n\n");
	wp_diff_revision_note(d, labels, out);
	wp_buf_putc(out, '\n');
}

/* ---- one section against another, as words ---- */

static void
put_words(wp_buf *out, const wp_tokens *t, size_t from, size_t n)
{
	size_t i;
	const char *m;

	for (i = from; i < from + n; i++) {
		const wp_token *k = &t->items[i], *p = i ? k - 1 : NULL;
		if (k->kind != WP_TOK_MARK) {
			/* The space the text had there, though no token
			 * ("ISO/IEC 27017 の認証"). */
			if (p && p->node && p->node == k->node &&
			    p->kind == WP_TOK_WORD && k->kind == WP_TOK_WORD &&
			    k->offset > p->offset + p->len)
				wp_buf_putc(out, ' ');
			wp_buf_put(out, k->s, k->len);
			continue;
		}
		m = k->s;
		if (strcmp(m, "<td>") == 0)
			wp_buf_puts(out, out->len && out->data[out->len - 1] ==
			    '\n' ? "| " : " | ");
		else if (out->len && out->data[out->len - 1] != '\n')
			wp_buf_puts(out, "\n");
		if (strcmp(m, "<li>") == 0)
			wp_buf_puts(out, "- ");
	}
}

void
wp_diff_section_words(wp_document *old, size_t i, wp_document *new,
    size_t j, wp_buf *out)
{
	wp_tokens a = {NULL, 0, 0}, b = {NULL, 0, 0};
	wp_edit *e;
	size_t n, k;

	if (old) {
		wp_tokens_add_text(&a, old->sections[i].title,
		    strlen(old->sections[i].title), NULL);
		section_tokens(old, i, &a);
	}
	wp_tokens_add_text(&b, new->sections[j].title,
	    strlen(new->sections[j].title), NULL);
	section_tokens(new, j, &b);
	n = wp_diff_tokens(&a, &b, DIFF_MAX_D, &e);
	for (k = 0; k < n; k++) {
		if (e[k].op == WP_EDIT_EQUAL) {
			put_words(out, &b, e[k].b, e[k].n);
		} else if (e[k].op == WP_EDIT_DELETE) {
			wp_buf_puts(out, "[-");
			put_words(out, &a, e[k].a, e[k].n);
			wp_buf_puts(out, "-]");
		} else {
			wp_buf_puts(out, "{+");
			put_words(out, &b, e[k].b, e[k].n);
			wp_buf_puts(out, "+}");
		}
	}
	if (out->len && out->data[out->len - 1] != '\n')
		wp_buf_putc(out, '\n');
	free(e);
	wp_tokens_free(&a);
	wp_tokens_free(&b);
}
