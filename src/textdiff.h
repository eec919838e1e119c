/*
 * textdiff.h: tokens and Myers' O(ND) difference algorithm.
 *
 * Text is cut into tokens that suit both Japanese and English: an ASCII
 * (or other non-CJK) word, a single CJK character (Han, Hiragana,
 * Katakana, full-width forms, CJK punctuation), a punctuation mark, or a
 * run of white space (all runs compare equal, so re-wrapping is no
 * change).  Structural tokens (the start of a paragraph, list item, table
 * cell...) take part in the comparison so that changes stay inside their
 * cell or item.  A token may point back at the node it came from, so a
 * renderer can mark it.
 */
#ifndef WP_TEXTDIFF_H
#define WP_TEXTDIFF_H

#include <stddef.h>

typedef enum wp_token_kind {
	WP_TOK_WORD,
	WP_TOK_SPACE,
	WP_TOK_MARK          /* structure: "<p>", "<li>", "<td>"... */
} wp_token_kind;

typedef struct wp_token {
	const char *s;       /* text (not NUL-terminated) */
	size_t len;
	unsigned long hash;
	wp_token_kind kind;
	void *node;          /* the node it came from, or NULL */
	size_t offset;       /* byte offset in that node's literal */
} wp_token;

typedef struct wp_tokens {
	wp_token *items;
	size_t len, cap;
} wp_tokens;

void wp_tokens_free(wp_tokens *t);
/* Appends the tokens of s[0..len), which sits at offset 0 of node. */
void wp_tokens_add_text(wp_tokens *t, const char *s, size_t len, void *node);
/* Appends one white space token (a soft line break, say). */
void wp_tokens_add_space(wp_tokens *t, void *node);
/* Appends a structure token; s must outlive the tokens. */
void wp_tokens_add_mark(wp_tokens *t, const char *s, void *node);
/* Drops white space between two CJK tokens, at the start and end, and
 * next to structure tokens, and merges adjacent white space tokens. */
void wp_tokens_normalize(wp_tokens *t);
/* Code points of the text of the tokens [from, to), structure excluded. */
size_t wp_tokens_chars(const wp_tokens *t, size_t from, size_t to);

typedef enum wp_edit_op {
	WP_EDIT_EQUAL,
	WP_EDIT_DELETE,      /* a[a .. a+n) */
	WP_EDIT_INSERT       /* b[b .. b+n) */
} wp_edit_op;

typedef struct wp_edit {
	wp_edit_op op;
	size_t a, b, n;      /* positions in a and b where the run starts */
} wp_edit;

/*
 * The shortest edit script from a to b, as runs in order.  O((N+M)·D)
 * time; beyond max_d differences it gives up and replaces everything (one
 * delete, one insert), so the worst case stays bounded.  Returns the
 * number of runs; *edits is malloc'd.
 */
size_t wp_diff_tokens_raw(const wp_tokens *a, const wp_tokens *b,
    size_t max_d, wp_edit **edits);
/*
 * The same, cleaned up for a reader: an equality between two changes
 * that is no longer than either is absorbed into them (no "salad" of
 * changes latched onto shared characters), and a change inside a kanji
 * compound or katakana word takes in the whole word; each change is one
 * deletion followed by one insertion.
 */
size_t wp_diff_tokens(const wp_tokens *a, const wp_tokens *b, size_t max_d,
    wp_edit **edits);

#endif
