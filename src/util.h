/*
 * util.h: memory allocation that never returns NULL, file reading and
 * writing, UTF-8 helpers and path helpers shared by every stage.
 */
#ifndef WP_UTIL_H
#define WP_UTIL_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* A malloc'd string built like printf. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Reading and writing files: path.h, the path policy. */
#include "path.h"

/* mkdir -p.  0 or -1 with errno. */
int wp_mkdir_p(const char *path);
/* rm -rf.  0 or -1 with errno. */
int wp_remove_tree(const char *path);
/* 1 when path names a directory / a regular file. */
int wp_is_dir(const char *path);
int wp_is_file(const char *path);
/* The names in dir that do not start with a dot and end with suffix
 * (NULL: any), sorted by byte order, NULL-terminated (free with
 * wp_strv_free); NULL when dir cannot be read. */
char **wp_dir_names(const char *dir, const char *suffix, size_t *n);
/* Frees a NULL-terminated array of strings. */
void wp_strv_free(char **v);
/* "a" + "/" + "b", malloc'd. */
char *wp_path_join(const char *a, const char *b);

/* The byte offset of the first invalid UTF-8 sequence, or (size_t)-1 when
 * s[0..n) is valid UTF-8. */
size_t wp_utf8_invalid_at(const char *s, size_t n);
/* n in decimal into out (room for 21 bytes and a NUL); its length. */
size_t wp_format_ll(char *out, long long n);
/* Decodes one code point at s (n bytes left); stores its length in *clen.
 * Invalid bytes decode as U+FFFD with length 1. */
unsigned wp_utf8_decode(const char *s, size_t n, size_t *clen);
/* Appends the UTF-8 encoding of code point cp. */
struct wp_buf;
void wp_utf8_encode(struct wp_buf *b, unsigned cp);
/* 1 when cp is a CJK character for line-breaking and diffing purposes:
 * Han, Hiragana, Katakana, CJK punctuation, full-width forms. */
int wp_is_cjk(unsigned cp);
/* 1 when cp is CJK punctuation (、。「」（）・ and full-width marks). */
int wp_is_cjk_punct(unsigned cp);
/* 1 when a line break between prev and next vanishes on the page: both
 * are CJK, or either is CJK punctuation (as a Japanese reader expects:
 * "行います。" + break + "SAML" has no space). */
int wp_cjk_joins(unsigned prev, unsigned next);
/* Number of code points in s[0..n). */
size_t wp_utf8_count(const char *s, size_t n);


/* Lexically normalizes a relative or absolute path: removes "." and
 * empty components and resolves ".." against earlier components; a ".."
 * that would climb above the start is kept.  malloc'd. */
char *wp_path_normalize(const char *path);
/* The path of file relative to directory dir (both must exist), for a
 * link from a page in dir; malloc'd, or NULL when either cannot be
 * resolved. */
char *wp_path_relative(const char *dir, const char *file);
/* s percent-encoded for one segment of a URL path: every byte but
 * letters, digits and -._~ (so a name such as "javascript:x" stays a
 * relative path).  malloc'd. */
char *wp_url_segment(const char *s);
/* The directory part of path ("." when none), malloc'd. */
char *wp_path_dirname(const char *path);

/* The day SOURCE_DATE_EPOCH names, as YYYY-MM-DD (UTC): 1 when set and
 * valid (out filled), 0 when unset or empty, -1 when it is not a whole
 * number of seconds from 0 to 253402300799 (9999-12-31). */
int wp_source_date(char out[11]);

/* A set of strings (open addressing, grows), for uniqueness checks. */
typedef struct wp_strset {
	char **slots;
	size_t cap, len;
} wp_strset;

void wp_strset_init(wp_strset *s);
void wp_strset_free(wp_strset *s);
/* Adds s; returns 1 when added, 0 when it was there already. */
int wp_strset_add(wp_strset *s, const char *str);
int wp_strset_has(const wp_strset *s, const char *str);
/* Levenshtein distance of a and b, over bytes. */
size_t wp_edit_distance(const char *a, const char *b);
/* The index of the candidate nearest to word by edit distance, for "did
 * you mean": at most a third of word's length (plus one) away; -1 when
 * none is that near.  NULL candidates are skipped. */
long wp_closest(const char *word, const char *const *cands, size_t n);

/* FNV-1a hash of s[0..n). */
unsigned long wp_hash(const char *s, size_t n);

#endif
