/*
 * textdiff.c: libFuzzer target for tokens and the difference algorithm
 * (src/textdiff.c).
 *
 * The input is cut at its first NUL byte into an old and a new text (no
 * NUL: two halves).  Lines starting with '#' become structure tokens, the
 * rest is tokenized as text.  Both are normalized and compared twice,
 * with the bound that `wpgen diff` uses and with a small one that makes
 * the algorithm give up.  The edit script is then checked: its runs
 * cover both token lists in order, and equal runs are equal.  A wrong
 * script aborts, as a crash does.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "textdiff.h"

static void
tokenize(wp_tokens *t, const char *s, size_t len)
{
	const char *line = s, *end = s + len, *nl;

	while (line < end) {
		nl = memchr(line, '\n', (size_t)(end - line));
		nl = nl ? nl + 1 : end;
		if (*line == '#')
			wp_tokens_add_mark(t, "<p>", NULL);
		else
			wp_tokens_add_text(t, line, (size_t)(nl - line), NULL);
		line = nl;
	}
	wp_tokens_normalize(t);
	wp_tokens_chars(t, 0, t->len);
}

static int
same_token(const wp_token *x, const wp_token *y)
{
	if (x->kind != y->kind)
		return 0;
	return x->kind == WP_TOK_SPACE || (x->len == y->len &&
	    memcmp(x->s, y->s, x->len) == 0);
}

static void
check_script(const wp_tokens *a, const wp_tokens *b, const wp_edit *e,
    size_t n)
{
	size_t i, k, x = 0, y = 0;

	for (i = 0; i < n; i++) {
		if (e[i].n == 0 || e[i].a != x || e[i].b != y)
			abort();
		switch (e[i].op) {
		case WP_EDIT_EQUAL:
			if (x + e[i].n > a->len || y + e[i].n > b->len)
				abort();
			for (k = 0; k < e[i].n; k++)
				if (!same_token(&a->items[x + k],
				    &b->items[y + k]))
					abort();
			x += e[i].n;
			y += e[i].n;
			break;
		case WP_EDIT_DELETE:
			x += e[i].n;
			break;
		case WP_EDIT_INSERT:
			y += e[i].n;
			break;
		}
	}
	if (x != a->len || y != b->len)
		abort();
}

static void
compare(const wp_tokens *a, const wp_tokens *b, size_t max_d)
{
	wp_edit *edits = NULL;
	size_t n = wp_diff_tokens(a, b, max_d, &edits);

	check_script(a, b, edits, n);
	free(edits);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_part parts[2];
	wp_tokens a = {NULL, 0, 0}, b = {NULL, 0, 0};

	if (fuzz_split(data, size, parts, 2) == 1) {
		parts[0].len = size / 2;
		parts[1].data = (const char *)data + size / 2;
		parts[1].len = size - size / 2;
	}
	tokenize(&a, parts[0].data, parts[0].len);
	tokenize(&b, parts[1].data, parts[1].len);
	compare(&a, &b, 1500);
	compare(&a, &b, 3);
	wp_tokens_free(&a);
	wp_tokens_free(&b);
	return 0;
}
