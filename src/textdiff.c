/*
 * textdiff.c: tokenizing and Myers' difference algorithm (textdiff.h).
 */
#include <stdlib.h>
#include <string.h>

#include "textdiff.h"
#include "util.h"

void
wp_tokens_free(wp_tokens *t)
{
	free(t->items);
	memset(t, 0, sizeof *t);
}

static void
push(wp_tokens *t, const char *s, size_t len, wp_token_kind kind,
    void *node, size_t offset)
{
	wp_token *k;

	if (t->len == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 64;
		t->items = xrealloc(t->items, t->cap * sizeof *t->items);
	}
	k = &t->items[t->len++];
	k->s = s;
	k->len = len;
	k->kind = kind;
	k->hash = kind == WP_TOK_SPACE ? 0x20UL : wp_hash(s, len) ^
	    (unsigned long)kind;
	k->node = node;
	k->offset = offset;
}

static int
is_space(unsigned cp)
{
	return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' ||
	    cp == 0x3000;
}

/* Letters and digits that join into words: ASCII alphanumerics and
 * non-CJK letters of other scripts. */
static int
is_word(unsigned cp)
{
	if (cp < 0x80)
		return (cp >= '0' && cp <= '9') || (cp >= 'A' && cp <= 'Z') ||
		    (cp >= 'a' && cp <= 'z') || cp == '_';
	return !wp_is_cjk(cp) && !(cp >= 0x2000 && cp <= 0x2BFF);
}

/* A point or comma between two digits ("1.2", "10,000"): part of the
 * number, so that 1.2 -> 1.3 is one number replaced. */
static int
in_number(const char *s, size_t j, size_t len)
{
	return (s[j] == '.' || s[j] == ',') && j > 0 && j + 1 < len &&
	    s[j - 1] >= '0' && s[j - 1] <= '9' && s[j + 1] >= '0' &&
	    s[j + 1] <= '9';
}

void
wp_tokens_add_text(wp_tokens *t, const char *s, size_t len, void *node)
{
	size_t i = 0, j, clen;
	unsigned cp;

	while (i < len) {
		cp = wp_utf8_decode(s + i, len - i, &clen);
		j = i + clen;
		if (is_space(cp)) {
			while (j < len && is_space(wp_utf8_decode(s + j,
			    len - j, &clen)))
				j += clen;
			push(t, s + i, j - i, WP_TOK_SPACE, node, i);
		} else if (is_word(cp)) {
			while (j < len && (is_word(wp_utf8_decode(s + j,
			    len - j, &clen)) || in_number(s, j, len)))
				j += clen;
			push(t, s + i, j - i, WP_TOK_WORD, node, i);
		} else {
			push(t, s + i, j - i, WP_TOK_WORD, node, i);
		}
		i = j;
	}
}

void
wp_tokens_add_space(wp_tokens *t, void *node)
{
	push(t, " ", 1, WP_TOK_SPACE, node, 0);
}

void
wp_tokens_add_mark(wp_tokens *t, const char *s, void *node)
{
	push(t, s, strlen(s), WP_TOK_MARK, node, 0);
}

static unsigned
first_cp(const wp_token *k)
{
	size_t clen;

	return k->kind == WP_TOK_WORD ? wp_utf8_decode(k->s, k->len, &clen) :
	    0;
}

void
wp_tokens_normalize(wp_tokens *t)
{
	size_t i, k = 0;
	wp_token *prev, *next;

	for (i = 0; i < t->len; i++) {
		if (t->items[i].kind != WP_TOK_SPACE) {
			t->items[k++] = t->items[i];
			continue;
		}
		prev = k ? &t->items[k - 1] : NULL;
		next = i + 1 < t->len ? &t->items[i + 1] : NULL;
		/* Japanese text may or may not set a space around a Latin
		 * word ("構成する HDD を"): such a space is no text. */
		if (prev == NULL || next == NULL ||
		    prev->kind != WP_TOK_WORD || next->kind == WP_TOK_MARK ||
		    wp_cjk_joins(first_cp(prev), first_cp(next)) ||
		    wp_is_cjk(first_cp(prev)) ||
		    (next->kind == WP_TOK_WORD && wp_is_cjk(first_cp(next))))
			continue;
		if (next->kind == WP_TOK_SPACE) {
			/* Keep the first of a run: merge the next into it. */
			t->items[i + 1] = t->items[i];
			continue;
		}
		t->items[k++] = t->items[i];
	}
	t->len = k;
}

size_t
wp_tokens_chars(const wp_tokens *t, size_t from, size_t to)
{
	size_t n = 0, i;

	for (i = from; i < to && i < t->len; i++) {
		if (t->items[i].kind == WP_TOK_MARK)
			continue;
		n += t->items[i].kind == WP_TOK_SPACE ? 1 :
		    wp_utf8_count(t->items[i].s, t->items[i].len);
	}
	return n;
}

/* ---- Myers ---- */

static int
same(const wp_token *x, const wp_token *y)
{
	return x->hash == y->hash && x->kind == y->kind &&
	    (x->kind == WP_TOK_SPACE || (x->len == y->len &&
	    memcmp(x->s, y->s, x->len) == 0));
}

typedef struct script {
	wp_edit *items;
	size_t len, cap;
} script;

static void
emit(script *s, wp_edit_op op, size_t a, size_t b, size_t n)
{
	wp_edit *e;

	if (n == 0)
		return;
	if (s->len && s->items[s->len - 1].op == op) {
		e = &s->items[s->len - 1];
		if ((op == WP_EDIT_EQUAL && e->a + e->n == a && e->b + e->n == b)
		    || (op == WP_EDIT_DELETE && e->a + e->n == a) ||
		    (op == WP_EDIT_INSERT && e->b + e->n == b)) {
			e->n += n;
			return;
		}
	}
	if (s->len == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 16;
		s->items = xrealloc(s->items, s->cap * sizeof *s->items);
	}
	e = &s->items[s->len++];
	e->op = op;
	e->a = a;
	e->b = b;
	e->n = n;
}

/*
 * The greedy forward search, keeping V for every d so the path can be
 * traced back: O((N+M)·D) time, O(D²) memory.  x, y index a[lo..], b[lo..]
 * after the common prefix and suffix are taken off.  Returns 0, or -1 when
 * D would exceed max_d.
 */
static int
myers(const wp_token *a, size_t n, const wp_token *b, size_t m,
    size_t max_d, size_t a0, size_t b0, script *out)
{
	long N = (long)n, M = (long)m, max = N + M, d, k, x, y;
	long **trace, *v, *prev;
	size_t i, dd, limit = max_d < (size_t)max ? max_d : (size_t)max;
	struct step { long x0, y0, x1, y1; } *steps;
	size_t nsteps = 0;

	trace = xcalloc(limit + 2, sizeof *trace);
	for (d = 0; (size_t)d <= limit; d++) {
		v = trace[d] = xcalloc((size_t)(2 * d + 3), sizeof *v);
		prev = d ? trace[d - 1] : NULL;
		for (k = -d; k <= d; k += 2) {
			/* v[k + d + 1] holds the furthest x on diagonal k. */
			if (d == 0)
				x = 0;
			else if (k == -d || (k != d && prev[k - 1 + d] <
			    prev[k + 1 + d]))
				x = prev[k + 1 + d];          /* down */
			else
				x = prev[k - 1 + d] + 1;      /* right */
			y = x - k;
			while (x < N && y < M && same(&a[x], &b[y])) {
				x++;
				y++;
			}
			v[k + d + 1] = x;
			if (x >= N && y >= M)
				goto found;
		}
	}
	for (dd = 0; dd <= limit && trace[dd]; dd++)
		free(trace[dd]);
	free(trace);
	return -1;
found:
	steps = xcalloc((size_t)d + 1, sizeof *steps);
	x = N;
	y = M;
	for (; d > 0; d--) {
		prev = trace[d - 1];
		k = x - y;
		long pk = (k == -d || (k != d && prev[k - 1 + d] <
		    prev[k + 1 + d])) ? k + 1 : k - 1;
		long px = prev[pk + d], py = px - pk;
		steps[nsteps].x0 = px;
		steps[nsteps].y0 = py;
		steps[nsteps].x1 = x;
		steps[nsteps].y1 = y;
		nsteps++;
		x = px;
		y = py;
	}
	/* From (0,0) to (x,y) is the d = 0 snake. */
	emit(out, WP_EDIT_EQUAL, a0, b0, (size_t)x);
	for (i = nsteps; i > 0; i--) {
		struct step *s = &steps[i - 1];
		long mx = s->x0, my = s->y0;
		if (s->x1 - s->x0 > s->y1 - s->y0) {
			emit(out, WP_EDIT_DELETE, a0 + (size_t)mx,
			    b0 + (size_t)my, 1);
			mx++;
		} else {
			emit(out, WP_EDIT_INSERT, a0 + (size_t)mx,
			    b0 + (size_t)my, 1);
			my++;
		}
		emit(out, WP_EDIT_EQUAL, a0 + (size_t)mx, b0 + (size_t)my,
		    (size_t)(s->x1 - mx));
	}
	free(steps);
	for (dd = 0; dd <= limit && trace[dd]; dd++)
		free(trace[dd]);
	free(trace);
	return 0;
}

/* ---- semantic cleanup ---- */

/*
 * The script as alternating equal runs and changes (a deletion of
 * a[a, a+na) and an insertion of b[b, b+nb), either may be empty).
 */
typedef struct hunk {
	int change;
	size_t a, na, b, nb;
} hunk;

static size_t
to_hunks(const wp_edit *e, size_t n, hunk *h)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		int change = e[i].op != WP_EDIT_EQUAL;
		if (!change || k == 0 || !h[k - 1].change) {
			h[k].change = change;
			h[k].a = e[i].a;
			h[k].b = e[i].b;
			h[k].na = h[k].nb = 0;
			k++;
		}
		if (e[i].op != WP_EDIT_INSERT)
			h[k - 1].na += e[i].n;
		if (e[i].op != WP_EDIT_DELETE)
			h[k - 1].nb += e[i].n;
		if (e[i].op == WP_EDIT_INSERT && h[k - 1].na == 0)
			h[k - 1].a = e[i].a;
		if (e[i].op == WP_EDIT_DELETE && h[k - 1].nb == 0)
			h[k - 1].b = e[i].b;
	}
	return k;
}

static size_t
change_chars(const wp_tokens *ta, const wp_tokens *tb, const hunk *h)
{
	size_t d = wp_tokens_chars(ta, h->a, h->a + h->na);
	size_t i = wp_tokens_chars(tb, h->b, h->b + h->nb);

	return d > i ? d : i;
}

static int
has_mark(const wp_tokens *t, size_t from, size_t n)
{
	size_t i;

	for (i = from; i < from + n; i++)
		if (t->items[i].kind == WP_TOK_MARK)
			return 1;
	return 0;
}

/* Whether a change holds structure on either side: it adds or removes
 * blocks, and no equality beside it is taken into it (a paragraph left
 * as it was between two removed ones stays as it was). */
static int
spans_blocks(const wp_tokens *ta, const wp_tokens *tb, const hunk *h)
{
	return has_mark(ta, h->a, h->na) || has_mark(tb, h->b, h->nb);
}

/* One short word ("the", "of") between two replacements that together
 * are more than twice as long: "in the notices section" -> "on the status
 * page" is one phrase rewritten, not two. */
static int
short_word_between(const wp_tokens *ta, const wp_tokens *tb, const hunk *h,
    size_t i, size_t eq)
{
	size_t k, words = 0;

	for (k = h[i].a; k < h[i].a + h[i].na; k++)
		words += ta->items[k].kind == WP_TOK_WORD;
	return words == 1 && eq <= 6 && h[i - 1].na && h[i - 1].nb &&
	    h[i + 1].na && h[i + 1].nb && 2 * eq <= change_chars(ta, tb,
	    &h[i - 1]) + change_chars(ta, tb, &h[i + 1]);
}

/*
 * Absorbs an equality between two changes when it is no longer than the
 * larger side of the change on each side of it (diff-match-patch's
 * semantic cleanup), or when it is one short word between replacements:
 * "~~Minato コンソ~~ステー~~ルのお知らせ欄~~タスページ" becomes one
 * deletion and one insertion.  Never across structure (a new
 * paragraph, item or cell), nor beside a change that adds or removes
 * blocks.  Returns the new number of hunks.
 */
static size_t
absorb_equalities(const wp_tokens *ta, const wp_tokens *tb, hunk *h,
    size_t n)
{
	size_t i = 1, eq, k;

	while (i + 1 < n) {
		if (h[i].change || !h[i - 1].change || !h[i + 1].change ||
		    has_mark(ta, h[i].a, h[i].na) || spans_blocks(ta, tb,
		    &h[i - 1]) || spans_blocks(ta, tb, &h[i + 1])) {
			i++;
			continue;
		}
		eq = wp_tokens_chars(ta, h[i].a, h[i].a + h[i].na);
		if ((eq > change_chars(ta, tb, &h[i - 1]) ||
		    eq > change_chars(ta, tb, &h[i + 1])) &&
		    !short_word_between(ta, tb, h, i, eq)) {
			i++;
			continue;
		}
		/* One change from the start of h[i-1] to the end of h[i+1]. */
		h[i - 1].na = h[i + 1].a + h[i + 1].na - h[i - 1].a;
		h[i - 1].nb = h[i + 1].b + h[i + 1].nb - h[i - 1].b;
		for (k = i + 2; k < n; k++)
			h[k - 2] = h[k];
		n -= 2;
		/* The equality before the merged change may now qualify. */
		i = i >= 3 ? i - 2 : 1;
	}
	return n;
}

/*
 * An insertion (or deletion) t[p, p+len) that finishes one block and
 * starts another ("groups[ and network ACLs;<li>promptly … need];<li>"),
 * when the text before its last structure mark ends as the equality
 * after it (eq tokens) begins (";"): it is two changes, each in its
 * block, " and network ACLs" before the ";" that stays, and the new item
 * with its own ";".  Returns how many tokens stay equal between them (0:
 * no split, at most 8), with *mark the mark's index.
 */
static size_t
block_split(const wp_tokens *t, size_t p, size_t len, size_t eq,
    size_t *mark)
{
	size_t m, k, j;

	for (m = p + len - 1; m > p; m--)
		if (t->items[m].kind == WP_TOK_MARK)
			break;
	if (m == p)
		return 0;
	for (k = m - p - 1 < 8 ? m - p - 1 : 8; k > 0; k--) {
		if (k >= eq)
			continue;
		for (j = 0; j < k && same(&t->items[m - k + j],
		    &t->items[p + len + j]); j++)
			;
		if (j == k)
			break;
	}
	*mark = m;
	return k;
}

/* How well an insertion or deletion of t[p, p+n) sits: 2 for each end at
 * the edge of a block (next to structure, or the end of the text), 1 for
 * an end next to a space. */
static int
edge_score(const wp_tokens *t, size_t p, size_t n)
{
	const wp_token *k = t->items;
	int s = 0;

	if (p == 0 || k[p - 1].kind == WP_TOK_MARK ||
	    k[p].kind == WP_TOK_MARK)
		s += 2;
	else if (k[p - 1].kind == WP_TOK_SPACE || k[p].kind == WP_TOK_SPACE)
		s += 1;
	if (p + n == t->len || k[p + n].kind == WP_TOK_MARK ||
	    k[p + n - 1].kind == WP_TOK_MARK)
		s += 2;
	else if (k[p + n].kind == WP_TOK_SPACE ||
	    k[p + n - 1].kind == WP_TOK_SPACE)
		s += 1;
	return s;
}

/*
 * Slides each insertion or deletion between two equalities along the
 * text, where the same tokens repeat, to where it sits best (edge_score,
 * and better still where block_split can part it; diff-match-patch's
 * lossless cleanup): a list item inserted after one that ends with the
 * same words ("…を許可すること" then "…を無効化すること") is the new
 * item underlined whole, not "すること" of the one before and the new
 * item without its end.
 */
static void
shift_to_structure(const wp_tokens *ta, const wp_tokens *tb, hunk *h,
    size_t n)
{
	const wp_tokens *t;
	size_t i, p, q, len, left, right, best_d, m;
	long s, best;
	int score, best_score;

	for (i = 1; i + 1 < n; i++) {
		if (!h[i].change || h[i - 1].change || h[i + 1].change ||
		    (h[i].na > 0) == (h[i].nb > 0))
			continue;
		t = h[i].na ? ta : tb;
		p = h[i].na ? h[i].a : h[i].b;
		len = h[i].na ? h[i].na : h[i].nb;
		for (left = 0; left < h[i - 1].na && same(&t->items[p - 1 -
		    left], &t->items[p + len - 1 - left]); left++)
			;
		for (right = 0; right < h[i + 1].na && same(&t->items[p +
		    right], &t->items[p + len + right]); right++)
			;
		best = 0;
		best_d = 0;
		best_score = -1;
		for (s = -(long)left; s <= (long)right; s++) {
			q = (size_t)((long)p + s);
			score = edge_score(t, q, len) + (block_split(t, q, len,
			    (size_t)((long)h[i + 1].na - s), &m) ? 4 : 0);
			if (score > best_score || (score == best_score &&
			    (size_t)labs(s) < best_d)) {
				best = s;
				best_score = score;
				best_d = (size_t)labs(s);
			}
		}
		h[i - 1].na = (size_t)((long)h[i - 1].na + best);
		h[i - 1].nb = (size_t)((long)h[i - 1].nb + best);
		h[i].a = (size_t)((long)h[i].a + best);
		h[i].b = (size_t)((long)h[i].b + best);
		h[i + 1].a = (size_t)((long)h[i + 1].a + best);
		h[i + 1].b = (size_t)((long)h[i + 1].b + best);
		h[i + 1].na = (size_t)((long)h[i + 1].na - best);
		h[i + 1].nb = (size_t)((long)h[i + 1].nb - best);
	}
}

/* Ideographs and katakana: the scripts of Japanese words (a kanji
 * compound, a katakana loanword), as opposed to kana endings and
 * particles. */
static int
word_script(const wp_token *k)
{
	size_t clen;
	unsigned cp;

	if (k->kind != WP_TOK_WORD)
		return 0;
	cp = wp_utf8_decode(k->s, k->len, &clen);
	if ((cp >= 0x30A1 && cp <= 0x30FA) || cp == 0x30FC)
		return 2;
	if ((cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) ||
	    (cp >= 0xF900 && cp <= 0xFAFF) || cp == 0x3005)
		return 1;
	return 0;
}

/* How many tokens of t from i on (step +1 or -1), within [lo, hi), are of
 * script sc; at most 4: a change in the middle of a kanji compound or a
 * katakana word takes in the rest of the word. */
static size_t
same_script_run(const wp_tokens *t, size_t i, int step, size_t lo,
    size_t hi, int sc)
{
	size_t n = 0;

	while (n < 4 && i >= lo && i < hi && word_script(&t->items[i]) == sc) {
		n++;
		if (step < 0 && i == 0)
			break;
		i += (size_t)step;
	}
	return n;
}

/*
 * Widens changes to whole Japanese words: when a change ends (or starts)
 * inside a kanji compound or katakana word, the equal tokens that finish
 * the word on both sides join it (管理者 -> 利用者 is one word replaced,
 * not 管理 -> 利用 before a shared 者).
 */
static void
align_to_words(const wp_tokens *ta, const wp_tokens *tb, hunk *h, size_t n)
{
	size_t i, k, lim;
	int sc, sa, sb;

	for (i = 0; i < n; i++) {
		if (!h[i].change || h[i].na == 0 || h[i].nb == 0)
			continue;
		/* After: the following equal run starts with the word. */
		if (i + 1 < n && !h[i + 1].change) {
			sa = word_script(&ta->items[h[i].a + h[i].na - 1]);
			sb = word_script(&tb->items[h[i].b + h[i].nb - 1]);
			sc = word_script(&ta->items[h[i + 1].a]);
			if (sc && (sc == sa || sc == sb)) {
				lim = h[i + 1].na;
				k = same_script_run(ta, h[i + 1].a, 1,
				    h[i + 1].a, h[i + 1].a + lim, sc);
				if (k == h[i + 1].na && i + 2 < n)
					k = 0;   /* would join the next change */
				h[i].na += k;
				h[i].nb += k;
				h[i + 1].a += k;
				h[i + 1].b += k;
				h[i + 1].na -= k;
				h[i + 1].nb -= k;
			}
		}
		/* Before: the preceding equal run ends with the word. */
		if (i > 0 && !h[i - 1].change && h[i - 1].na > 0) {
			sa = word_script(&ta->items[h[i].a]);
			sb = word_script(&tb->items[h[i].b]);
			sc = word_script(&ta->items[h[i].a - 1]);
			if (sc && (sc == sa || sc == sb)) {
				k = same_script_run(ta, h[i].a - 1, -1,
				    h[i - 1].a, h[i].a, sc);
				if (k == h[i - 1].na && i > 1)
					k = 0;
				h[i].a -= k;
				h[i].b -= k;
				h[i].na += k;
				h[i].nb += k;
				h[i - 1].na -= k;
				h[i - 1].nb -= k;
			}
		}
	}
}

/* The cleaned script: equalities and, for each change, its deletion
 * then its insertion. */
static size_t
semantic_cleanup(const wp_tokens *ta, const wp_tokens *tb, wp_edit *e,
    size_t n, wp_edit **out)
{
	hunk *h = xcalloc(n + 1, sizeof *h);
	size_t nh = to_hunks(e, n, h), i, skip = 0, m = 0;
	script s = {NULL, 0, 0};

	nh = absorb_equalities(ta, tb, h, nh);
	shift_to_structure(ta, tb, h, nh);
	align_to_words(ta, tb, h, nh);
	for (i = 0; i < nh; i++) {
		if (!h[i].change) {
			emit(&s, WP_EDIT_EQUAL, h[i].a + skip, h[i].b + skip,
			    h[i].na - skip);
			skip = 0;
			continue;
		}
		if (i + 1 < nh && !h[i + 1].change && h[i].nb == 0 &&
		    (skip = block_split(ta, h[i].a, h[i].na, h[i + 1].na,
		    &m)) > 0) {
			emit(&s, WP_EDIT_DELETE, h[i].a, h[i].b, m - skip -
			    h[i].a);
			emit(&s, WP_EDIT_EQUAL, m - skip, h[i].b, skip);
			emit(&s, WP_EDIT_DELETE, m, h[i].b + skip, h[i].a +
			    h[i].na + skip - m);
			continue;
		}
		if (i + 1 < nh && !h[i + 1].change && h[i].na == 0 &&
		    (skip = block_split(tb, h[i].b, h[i].nb, h[i + 1].na,
		    &m)) > 0) {
			emit(&s, WP_EDIT_INSERT, h[i].a, h[i].b, m - skip -
			    h[i].b);
			emit(&s, WP_EDIT_EQUAL, h[i].a, m - skip, skip);
			emit(&s, WP_EDIT_INSERT, h[i].a + skip, m, h[i].b +
			    h[i].nb + skip - m);
			continue;
		}
		emit(&s, WP_EDIT_DELETE, h[i].a, h[i].b, h[i].na);
		emit(&s, WP_EDIT_INSERT, h[i].a + h[i].na, h[i].b, h[i].nb);
	}
	free(h);
	*out = s.items;
	return s.len;
}

size_t
wp_diff_tokens(const wp_tokens *ta, const wp_tokens *tb, size_t max_d,
    wp_edit **edits)
{
	size_t n = wp_diff_tokens_raw(ta, tb, max_d, edits);
	wp_edit *raw = *edits;

	n = semantic_cleanup(ta, tb, raw, n, edits);
	free(raw);
	return n;
}

size_t
wp_diff_tokens_raw(const wp_tokens *ta, const wp_tokens *tb, size_t max_d,
    wp_edit **edits)
{
	const wp_token *a = ta->items, *b = tb->items;
	size_t n = ta->len, m = tb->len, pre = 0, suf = 0;
	script s = {NULL, 0, 0};

	while (pre < n && pre < m && same(&a[pre], &b[pre]))
		pre++;
	while (suf < n - pre && suf < m - pre && same(&a[n - 1 - suf],
	    &b[m - 1 - suf]))
		suf++;
	emit(&s, WP_EDIT_EQUAL, 0, 0, pre);
	/* With one side empty (its items may be NULL) the middle is a plain
	 * delete or insert. */
	if (n - pre - suf == 0 || m - pre - suf == 0 ||
	    myers(a + pre, n - pre - suf, b + pre, m - pre - suf, max_d, pre,
	    pre, &s) != 0) {
		emit(&s, WP_EDIT_DELETE, pre, pre, n - pre - suf);
		emit(&s, WP_EDIT_INSERT, n - suf, pre, m - pre - suf);
	}
	emit(&s, WP_EDIT_EQUAL, n - suf, m - suf, suf);
	*edits = s.items;
	return s.len;
}
