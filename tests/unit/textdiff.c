/*
 * textdiff.c: unit tests of tokens and the difference algorithm
 * (src/textdiff.c).  Edit scripts are compared whole, written as
 * "OP a,b n" runs: E (equal), D (delete), I (insert).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "harness.h"
#include "textdiff.h"

/* The script from text a to text b, max_d as given. */
static char *
script_of(const char *a, const char *b, size_t max_d)
{
	wp_tokens ta = {NULL, 0, 0}, tb = {NULL, 0, 0};
	wp_buf out = WP_BUF_INIT;
	wp_edit *e = NULL;
	size_t n, i;

	wp_tokens_add_text(&ta, a, strlen(a), NULL);
	wp_tokens_add_text(&tb, b, strlen(b), NULL);
	wp_tokens_normalize(&ta);
	wp_tokens_normalize(&tb);
	n = wp_diff_tokens(&ta, &tb, max_d, &e);
	for (i = 0; i < n; i++)
		wp_buf_printf(&out, "%s%c %zu,%zu %zu", i ? " " : "",
		    "EDI"[e[i].op], e[i].a, e[i].b, e[i].n);
	free(e);
	wp_tokens_free(&ta);
	wp_tokens_free(&tb);
	wp_buf_putc(&out, '\0');
	return wp_buf_detach(&out);
}

#define CHECK_SCRIPT(a, b, max_d, want) do { \
	char *s_ = script_of(a, b, max_d); \
	CHECK_STR(s_, want); \
	free(s_); } while (0)

static void
textdiff_replaced_word(void)
{
	CHECK_SCRIPT("the cat sat", "the dog sat", 1500,
	    "E 0,0 2 D 2,2 1 I 3,2 1 E 3,3 2");
	CHECK_SCRIPT("データを保存", "データを削除", 1500,
	    "E 0,0 4 D 4,4 2 I 6,4 2");
}

/* Found by fuzz/textdiff.c: with an empty side the token array is NULL,
 * and the search was called with NULL + 0 (undefined behaviour). */
static void
textdiff_empty_sides(void)
{
	CHECK_SCRIPT("", "", 1500, "");
	CHECK_SCRIPT("", "a b", 1500, "I 0,0 3");
	CHECK_SCRIPT("a b", "", 1500, "D 0,0 3");
	CHECK_SCRIPT("x", "x", 1500, "E 0,0 1");
}

/* Beyond max_d differences the middle is replaced whole. */
static void
textdiff_gives_up_beyond_max_d(void)
{
	CHECK_SCRIPT("a 1 b 2 c", "a 3 b 4 c", 1,
	    "E 0,0 2 D 2,2 5 I 7,2 5 E 7,7 2");
	CHECK_SCRIPT("a 1 b 2 c", "a 3 b 4 c", 1500,
	    "E 0,0 2 D 2,2 1 I 3,2 1 E 3,3 3 D 6,6 1 I 7,6 1 E 7,7 2");
}

int
main(void)
{
	TEST_RUN(textdiff_replaced_word);
	TEST_RUN(textdiff_empty_sides);
	TEST_RUN(textdiff_gives_up_beyond_max_d);
	return test_exit_status();
}
