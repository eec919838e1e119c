/*
 * util.c: allocation, files, directories, paths and UTF-8.
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "util.h"

static void
out_of_memory(void)
{
	fputs("wpgen: out of memory\n", stderr);
	exit(3);
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		out_of_memory();
	return p;
}

void *
xcalloc(size_t count, size_t size)
{
	void *p = calloc(count ? count : 1, size ? size : 1);

	if (p == NULL)
		out_of_memory();
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (p == NULL)
		out_of_memory();
	return p;
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
xasprintf(const char *fmt, ...)
{
	wp_buf b = WP_BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	wp_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	return wp_buf_detach(&b);
}



int
wp_mkdir_p(const char *path)
{
	char *p, *s;

	/* Most directories of a build exist already or need only their
	 * last component: try that before walking the path. */
	if (mkdir(path, 0777) == 0 || errno == EEXIST)
		return 0;
	p = xstrdup(path);
	for (s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0777) != 0 && errno != EEXIST) {
			free(p);
			return -1;
		}
		*s = '/';
	}
	if (mkdir(p, 0777) != 0 && errno != EEXIST) {
		free(p);
		return -1;
	}
	free(p);
	return 0;
}

int
wp_remove_tree(const char *path)
{
	struct stat st;
	DIR *d;
	struct dirent *e;
	int rc = 0;

	if (lstat(path, &st) != 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISDIR(st.st_mode))
		return unlink(path);
	if ((d = opendir(path)) == NULL)
		return -1;
	while ((e = readdir(d)) != NULL) {
		char *child;
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		child = wp_path_join(path, e->d_name);
		if (wp_remove_tree(child) != 0)
			rc = -1;
		free(child);
	}
	closedir(d);
	if (rmdir(path) != 0)
		rc = -1;
	return rc;
}


int
wp_is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int
wp_is_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

char *
wp_path_join(const char *a, const char *b)
{
	size_t n = strlen(a);

	if (n == 0)
		return xstrdup(b);
	if (a[n - 1] == '/')
		return xasprintf("%s%s", a, b);
	return xasprintf("%s/%s", a, b);
}

unsigned
wp_utf8_decode(const char *str, size_t n, size_t *clen)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned cp, min;
	size_t len, i;

	if (n == 0) {
		*clen = 0;
		return 0;
	}
	if (s[0] < 0x80) {
		*clen = 1;
		return s[0];
	} else if ((s[0] & 0xE0) == 0xC0) {
		len = 2; cp = s[0] & 0x1F; min = 0x80;
	} else if ((s[0] & 0xF0) == 0xE0) {
		len = 3; cp = s[0] & 0x0F; min = 0x800;
	} else if ((s[0] & 0xF8) == 0xF0) {
		len = 4; cp = s[0] & 0x07; min = 0x10000;
	} else {
		*clen = 1;
		return 0xFFFD;
	}
	if (len > n) {
		*clen = 1;
		return 0xFFFD;
	}
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80) {
			*clen = 1;
			return 0xFFFD;
		}
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
		*clen = 1;
		return 0xFFFD;
	}
	*clen = len;
	return cp;
}

/* The high bits of two 3-byte characters, lead and two continuation
 * bytes each, in eight bytes read as one number (in memory order, so on
 * any byte order). */
static const unsigned char pair_mask_bytes[8] = {
	0xF0, 0xC0, 0xC0, 0xF0, 0xC0, 0xC0, 0, 0
};
static const unsigned char pair_bits_bytes[8] = {
	0xE0, 0x80, 0x80, 0xE0, 0x80, 0x80, 0, 0
};

size_t
wp_utf8_invalid_at(const char *s, size_t n)
{
	const unsigned char *c;
	size_t i = 0, clen;
	unsigned cp;
	uint64_t w, pair_mask, pair_bits;

	memcpy(&pair_mask, pair_mask_bytes, 8);
	memcpy(&pair_bits, pair_bits_bytes, 8);

	while (i < n) {
		c = (const unsigned char *)s + i;
		if (c[0] < 0x80) {                  /* ASCII: no call, */
			if (n - i >= 8) {           /* 8 bytes at once */
				memcpy(&w, c, 8);
				if ((w & 0x8080808080808080ULL) == 0) {
					i += 8;
					continue;
				}
			}
			i++;
			continue;
		}
		/* Nor for a run of 3-byte characters (Japanese text): E0-EF
		 * and two continuation bytes, not overlong (E0 80-9F) nor a
		 * surrogate (ED A0-BF).  Two at once while eight bytes are
		 * left: their six bytes' high bits against the pattern, the
		 * leads other than E0 and ED (which the loop after tells). */
		while (n - i >= 8) {
			memcpy(&w, c, 8);
			if ((w & pair_mask) != pair_bits || c[0] == 0xE0 ||
			    c[0] == 0xED || c[3] == 0xE0 || c[3] == 0xED)
				break;
			i += 6;
			c += 6;
		}
		while (n - i >= 3 && (c[0] & 0xF0) == 0xE0 &&
		    (c[1] & 0xC0) == 0x80 && (c[2] & 0xC0) == 0x80 &&
		    (c[0] != 0xE0 || c[1] >= 0xA0) &&
		    (c[0] != 0xED || c[1] < 0xA0)) {
			i += 3;
			c += 3;
		}
		if (i >= n || c[0] < 0x80)
			continue;
		cp = wp_utf8_decode(s + i, n - i, &clen);
		if (cp == 0xFFFD && clen == 1 &&
		    !(n - i >= 3 && memcmp(s + i, "\xEF\xBF\xBD", 3) == 0))
			return i;
		i += clen;
	}
	return (size_t)-1;
}

void
wp_utf8_encode(wp_buf *b, unsigned cp)
{
	char s[4];

	if (cp < 0x80) {
		wp_buf_putc(b, (int)cp);
	} else if (cp < 0x800) {
		s[0] = (char)(0xC0 | (cp >> 6));
		s[1] = (char)(0x80 | (cp & 0x3F));
		wp_buf_put(b, s, 2);
	} else if (cp < 0x10000) {
		s[0] = (char)(0xE0 | (cp >> 12));
		s[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		s[2] = (char)(0x80 | (cp & 0x3F));
		wp_buf_put(b, s, 3);
	} else {
		s[0] = (char)(0xF0 | (cp >> 18));
		s[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		s[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		s[3] = (char)(0x80 | (cp & 0x3F));
		wp_buf_put(b, s, 4);
	}
}

int
wp_is_cjk(unsigned cp)
{
	return (cp >= 0x2E80 && cp <= 0x2FDF) ||   /* radicals */
	    (cp >= 0x3000 && cp <= 0x303F) ||      /* CJK punctuation */
	    (cp >= 0x3040 && cp <= 0x309F) ||      /* Hiragana */
	    (cp >= 0x30A0 && cp <= 0x30FF) ||      /* Katakana */
	    (cp >= 0x31F0 && cp <= 0x31FF) ||      /* Katakana ext. */
	    (cp >= 0x3400 && cp <= 0x4DBF) ||      /* Han ext. A */
	    (cp >= 0x4E00 && cp <= 0x9FFF) ||      /* Han */
	    (cp >= 0xF900 && cp <= 0xFAFF) ||      /* Han compatibility */
	    (cp >= 0xFF00 && cp <= 0xFFEF) ||      /* full/half-width forms */
	    (cp >= 0x20000 && cp <= 0x3FFFF);      /* Han ext. B.. */
}

int
wp_is_cjk_punct(unsigned cp)
{
	return (cp >= 0x3000 && cp <= 0x303F) || cp == 0x30FB ||
	    (cp >= 0xFF01 && cp <= 0xFF0F) || (cp >= 0xFF1A && cp <= 0xFF20) ||
	    (cp >= 0xFF3B && cp <= 0xFF40) || (cp >= 0xFF5B && cp <= 0xFF65);
}

int
wp_cjk_joins(unsigned prev, unsigned next)
{
	return (wp_is_cjk(prev) && wp_is_cjk(next)) ||
	    wp_is_cjk_punct(prev) || wp_is_cjk_punct(next);
}

size_t
wp_utf8_count(const char *s, size_t n)
{
	size_t i, count = 0;

	for (i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			count++;
	return count;
}

char *
wp_path_normalize(const char *path)
{
	char *copy = xstrdup(path);
	char **parts = xcalloc(strlen(path) + 1, sizeof *parts);
	size_t n = 0, i;
	char *tok, *save = NULL;
	wp_buf out = WP_BUF_INIT;
	int absolute = path[0] == '/';

	for (tok = strtok_r(copy, "/", &save); tok;
	    tok = strtok_r(NULL, "/", &save)) {
		if (strcmp(tok, ".") == 0)
			continue;
		if (strcmp(tok, "..") == 0 && n > 0 &&
		    strcmp(parts[n - 1], "..") != 0) {
			n--;
			continue;
		}
		if (strcmp(tok, "..") == 0 && absolute)
			continue;
		parts[n++] = tok;
	}
	if (absolute)
		wp_buf_putc(&out, '/');
	for (i = 0; i < n; i++) {
		if (i)
			wp_buf_putc(&out, '/');
		wp_buf_puts(&out, parts[i]);
	}
	if (out.len == 0)
		wp_buf_putc(&out, '.');
	free(parts);
	free(copy);
	return wp_buf_detach(&out);
}

int
wp_source_date(char out[11])
{
	const char *s = getenv("SOURCE_DATE_EPOCH");
	unsigned long long v = 0;
	time_t t;
	struct tm tm;

	if (s == NULL || *s == '\0')
		return 0;
	if (strspn(s, "0123456789") != strlen(s) || strlen(s) > 12)
		return -1;
	while (*s)
		v = v * 10 + (unsigned)(*s++ - '0');
	if (v > 253402300799ULL)
		return -1;
	t = (time_t)v;
	if (gmtime_r(&t, &tm) == NULL)
		return -1;
	strftime(out, 11, "%Y-%m-%d", &tm);
	return 1;
}

char *
wp_url_segment(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	wp_buf b = WP_BUF_INIT;
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~", *p)) {
			wp_buf_putc(&b, *p);
		} else {
			wp_buf_putc(&b, '%');
			wp_buf_putc(&b, hex[*p >> 4]);
			wp_buf_putc(&b, hex[*p & 15]);
		}
	}
	return wp_buf_detach(&b);
}

char *
wp_path_dirname(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

unsigned long
wp_hash(const char *s, size_t n)
{
	unsigned long h = 2166136261UL;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619UL;
	}
	return h;
}

void
wp_strset_init(wp_strset *s)
{
	s->slots = NULL;
	s->cap = s->len = 0;
}

void
wp_strset_free(wp_strset *s)
{
	size_t i;

	for (i = 0; i < s->cap; i++)
		free(s->slots[i]);
	free(s->slots);
	wp_strset_init(s);
}

static size_t
strset_slot(char **slots, size_t cap, const char *str)
{
	size_t i = wp_hash(str, strlen(str)) & (cap - 1);

	while (slots[i] && strcmp(slots[i], str) != 0)
		i = (i + 1) & (cap - 1);
	return i;
}

int
wp_strset_has(const wp_strset *s, const char *str)
{
	return s->cap && s->slots[strset_slot(s->slots, s->cap, str)];
}

/* (room made first, so that the string is hashed and its slot found
 * once whether it is there or not) */
int
wp_strset_add(wp_strset *s, const char *str)
{
	size_t i, ncap;
	char **nslots;

	if ((s->len + 1) * 2 > s->cap) {
		ncap = s->cap ? s->cap * 2 : 16;
		nslots = xcalloc(ncap, sizeof *nslots);
		for (i = 0; i < s->cap; i++)
			if (s->slots[i])
				nslots[strset_slot(nslots, ncap,
				    s->slots[i])] = s->slots[i];
		free(s->slots);
		s->slots = nslots;
		s->cap = ncap;
	}
	i = strset_slot(s->slots, s->cap, str);
	if (s->slots[i])
		return 0;
	s->slots[i] = xstrdup(str);
	s->len++;
	return 1;
}

static int
strp_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n > m && strcmp(s + n - m, suffix) == 0;
}

void
wp_strv_free(char **v)
{
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; v[i]; i++)
		free(v[i]);
	free(v);
}

char **
wp_dir_names(const char *dir, const char *suffix, size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **v = NULL;
	size_t len = 0, cap = 0;

	if (d == NULL)
		return NULL;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' || (suffix &&
		    !ends_with(e->d_name, suffix)))
			continue;
		if (len + 1 >= cap) {
			cap = cap ? cap * 2 : 16;
			v = xrealloc(v, cap * sizeof *v);
		}
		v[len++] = xstrdup(e->d_name);
	}
	closedir(d);
	if (v == NULL)
		v = xmalloc(sizeof *v);
	v[len] = NULL;
	qsort(v, len, sizeof *v, strp_cmp);
	if (n)
		*n = len;
	return v;
}

char *
wp_path_relative(const char *dir, const char *file)
{
	char *a = realpath(dir, NULL), *b = realpath(file, NULL);
	wp_buf out = WP_BUF_INIT;
	size_t common = 0, i;

	if (a == NULL || b == NULL) {
		free(a);
		free(b);
		return NULL;
	}
	/* The longest common prefix that ends at a directory boundary. */
	for (i = 0; a[i] && a[i] == b[i]; i++)
		if (a[i] == '/')
			common = i;
	if (a[i] == '\0' && b[i] == '/')
		common = i;
	for (i = common; a[i]; i++)
		if (a[i] == '/' && (a[i + 1] != '\0' || i == common))
			wp_buf_puts(&out, "../");
	if (a[common] == '\0' || (a[common] == '/' && a[common + 1] == '\0'))
		out.len = 0;
	wp_buf_puts(&out, b + common + 1);
	free(a);
	free(b);
	return wp_buf_detach(&out);
}

/* ---- nearest word ---- */

size_t
wp_edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, diag, up, best;
	size_t *row = xmalloc((lb + 1) * sizeof *row);

	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		diag = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			up = row[j];
			best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	best = row[lb];
	free(row);
	return best;
}

long
wp_closest(const char *word, const char *const *cands, size_t n)
{
	size_t i, d, best = (size_t)-1, limit = strlen(word) / 3 + 1;
	long at = -1;

	for (i = 0; i < n; i++) {
		if (cands[i] == NULL || strcmp(cands[i], word) == 0)
			continue;
		d = wp_edit_distance(word, cands[i]);
		if (d <= limit && d < best) {
			best = d;
			at = (long)i;
		}
	}
	return at;
}

size_t
wp_format_ll(char *out, long long n)
{
	unsigned long long u = n < 0 ? 0ULL - (unsigned long long)n :
	    (unsigned long long)n;
	char digits[24];
	size_t i = 0, len = 0;

	do {
		digits[i++] = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	if (n < 0)
		out[len++] = '-';
	while (i > 0)
		out[len++] = digits[--i];
	out[len] = '\0';
	return len;
}
