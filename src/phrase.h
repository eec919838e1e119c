/*
 * phrase.h: where a title or heading in Japanese may break a line: the
 * boundaries between its phrases (文節), found by a simple rule over
 * the runs of kanji, katakana, hiragana and Latin letters (phrase.c).
 * The templates put <wbr> there and set `word-break: keep-all`, so that
 * "セキュリ|ティ" or "ホワイ|トペーパー" cannot happen; WeasyPrint has no
 * keep-all, so print sets each phrase as an inline block instead.
 */
#ifndef WP_PHRASE_H
#define WP_PHRASE_H

#include <stddef.h>

/* The byte offsets in s[0..n) (UTF-8) where a new phrase begins, in
 * increasing order, none at 0 or n: a new array, *count its length (NULL
 * when 0).  Text without Japanese has none. */
size_t *wp_phrase_breaks(const char *s, size_t n, size_t *count);

/* Whether print keeps the phrase s[0..n) (UTF-8) on one line when it
 * fits one: it has kana or kanji (Latin text breaks at its spaces) and
 * is at most 20 of them wide (40 Latin letters), not a long run such as
 * a URL, which must still break where the line ends. */
int wp_phrase_keeps(const char *s, size_t n);

/* The phrases of s[0..n) as a list for the templates: each `text`,
 * `last` and `keep` (wp_phrase_keeps; one phrase, not kept, for text
 * without Japanese), which a template joins with
 * <wbr> (and print puts each kept phrase in <span class="wp-ph">:
 * base/phrase.mustache). */
struct wp_value;
struct wp_arena;
struct wp_value *wp_phrase_list(const char *s, size_t n);
/* The same in arena a (NULL: the heap), as a page's context is made. */
struct wp_value *wp_phrase_list_in(struct wp_arena *a, const char *s,
    size_t n);

/*
 * A memo of phrase lists by text: a text asked for again (the title of a
 * control section, the same in every service's edition of a catalog)
 * gets the list made the first time, made in the memo's arena; the lists
 * are not to be changed.  Lookup hashes and compares the text.  The memo
 * holds at most WP_PHRASE_MEMO_MAX texts: wp_phrase_memo_trim() empties
 * it when it holds more, and is called where nothing borrowed from it is
 * in use any more (between two pages), so its memory stays bounded.
 */
enum { WP_PHRASE_MEMO_MAX = 4096 };
typedef struct wp_phrase_memo wp_phrase_memo;
wp_phrase_memo *wp_phrase_memo_new(void);
void wp_phrase_memo_free(wp_phrase_memo *m);
const struct wp_value *wp_phrase_memo_get(wp_phrase_memo *m, const char *s,
    size_t n);
void wp_phrase_memo_trim(wp_phrase_memo *m);

/* A title in at most two balanced parts, for print to set each as an
 * inline block (a cover title then breaks as "Aozora Cloud Service O |
 * Security Whitepaper", not with one word left on its last line): when
 * s[0..n) is wider than line half-width characters but fits two lines,
 * the two parts around the space or phrase boundary that leaves the
 * wider part narrowest, each `text` and `space` (a space followed it);
 * else an empty list (the title fits one line, or needs more than two:
 * its phrases serve). */
struct wp_value *wp_phrase_halves(const char *s, size_t n, size_t line);

#endif
