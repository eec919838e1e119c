/*
 * phrase.h: where a title or heading in Japanese may break a line: the
 * boundaries between its phrases (文節), found by a simple rule over
 * the runs of kanji, katakana, hiragana and Latin letters (phrase.c).
 * The templates put <wbr> there and set `word-break: keep-all`, so that
 * "セキュリ|ティ" or "ホワイ|トペーパー" cannot happen.
 */
#ifndef WP_PHRASE_H
#define WP_PHRASE_H

#include <stddef.h>

/* The byte offsets in s[0..n) (UTF-8) where a new phrase begins, in
 * increasing order, none at 0 or n: a new array, *count its length (NULL
 * when 0).  Text without Japanese has none. */
size_t *wp_phrase_breaks(const char *s, size_t n, size_t *count);

/* The phrases of s[0..n) as a list for the templates: each `text` and
 * `last` (one phrase for text without Japanese; none for ""), which a
 * template joins with <wbr>. */
struct wp_value;
struct wp_value *wp_phrase_list(const char *s, size_t n);

#endif
