/*
 * translate.c: translation locks, section alignment across languages and
 * the publishing of partly translated editions (translate.h).
 */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmark-gfm.h>

#include "buf.h"
#include "translate.h"
#include "util.h"

/* ---- the lock ---- */

static int
key_order(const wp_lock_entry *x, const wp_lock_entry *y)
{
	int c = strcmp(x->lang, y->lang);

	return c ? c : strcmp(x->key, y->key);
}

static int
entry_cmp(const void *a, const void *b)
{
	const wp_lock_entry *x = a, *y = b;
	int c = key_order(x, y);

	if (c)
		return c;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

static int
find_cmp(const void *a, const void *b)
{
	return key_order(a, b);
}

/* Sets e's strings, copied into one block that e->lang points at (thash
 * may be NULL); the block e had before is freed after the copy (lang
 * and key may be e's own). */
static void
entry_set(wp_lock_entry *e, const char *lang, const char *key,
    const char *hash, const char *thash)
{
	size_t nl = strlen(lang) + 1, nk = strlen(key) + 1,
	    nh = strlen(hash) + 1, nt = thash ? strlen(thash) + 1 : 0;
	char *b = xmalloc(nl + nk + nh + nt), *old = e->lang;

	e->lang = memcpy(b, lang, nl);
	e->key = memcpy(b + nl, key, nk);
	e->hash = memcpy(b + nl + nk, hash, nh);
	e->thash = thash ? memcpy(b + nl + nk + nh, thash, nt) : NULL;
	free(old);
}

static void
lock_add(wp_lock *lock, const char *lang, const char *key, const char *hash,
    const char *thash)
{
	wp_lock_entry *e;

	if (lock->len == lock->cap) {
		lock->cap = lock->cap ? lock->cap * 2 : 64;
		lock->items = xrealloc(lock->items, lock->cap *
		    sizeof *lock->items);
	}
	e = &lock->items[lock->len++];
	e->lang = NULL;
	entry_set(e, lang, key, hash, thash);
}

/* 1 when the entries are in order already, no key repeated: as the lock
 * is written (wp_lock_save), so most locks read need no sort.  The
 * first nsorted are known to be: only those after are compared. */
static int
lock_in_order(const wp_lock *lock)
{
	size_t i;

	for (i = lock->nsorted ? lock->nsorted : 1; i < lock->len; i++)
		if (key_order(&lock->items[i - 1], &lock->items[i]) >= 0)
			return 0;
	return 1;
}

/* Sorts the entries and drops repeated keys (the later entry wins). */
static void
lock_sort(wp_lock *lock)
{
	size_t i, k = 0;

	if (lock->nsorted == lock->len)
		return;
	if (lock_in_order(lock)) {
		lock->nsorted = lock->len;
		return;
	}
	/* Entries added later come later in the array; a stable order is
	 * kept by sorting on (lang, key) and position. */
	for (i = 0; i < lock->len; i++)
		lock->items[i].pos = i;
	qsort(lock->items, lock->len, sizeof *lock->items, entry_cmp);
	for (i = 0; i < lock->len; i++) {
		if (k > 0 && strcmp(lock->items[k - 1].lang,
		    lock->items[i].lang) == 0 && strcmp(lock->items[k - 1].key,
		    lock->items[i].key) == 0) {
			free(lock->items[k - 1].lang);
			lock->items[k - 1] = lock->items[i];
			continue;
		}
		lock->items[k++] = lock->items[i];
	}
	lock->len = lock->nsorted = k;
}

static int
is_hash(const char *s)
{
	return strlen(s) == 16 && strspn(s, "0123456789abcdef") == 16;
}

/* Parses one line "LANG KEY HASH [THASH]" (locks written before THASH
 * have three fields); 0 or -1. */
static int
parse_lock_line(wp_lock *lock, char *line)
{
	char *f[4], *save = NULL, *tok;
	int n = 0;

	for (tok = strtok_r(line, " \t\r", &save); tok && n < 5;
	    tok = strtok_r(NULL, " \t\r", &save))
		if (n++ < 4)
			f[n - 1] = tok;
	if ((n != 3 && n != 4) || !is_hash(f[2]) || (n == 4 && !is_hash(f[3])))
		return -1;
	lock_add(lock, f[0], f[1], f[2], n == 4 ? f[3] : NULL);
	return 0;
}

/* What the lines of a lock cannot hold: a NUL byte, a language that is
 * not one of the service's translations.  Reported at their line; 1 when
 * there is none. */
static int
lock_text_ok(const wp_service *svc, const char *path, const char *text,
    size_t len, wp_diags *d)
{
	const char *line = text, *end = text + len, *nl, *nul, *lang;
	size_t n, i;
	int lineno = 1, ok = 1, known;

	for (; line < end; line = nl + 1, lineno++) {
		nl = memchr(line, '\n', (size_t)(end - line));
		if (nl == NULL)
			nl = end;
		if ((nul = memchr(line, '\0', (size_t)(nl - line))) != NULL) {
			wp_diag_add(d, WP_ERROR, path, lineno,
			    (int)(nul - line) + 1, "lock-error", "a NUL byte; "
			    "the lock is text written by `wpgen translations "
			    "accept`: restore it from version control");
			ok = 0;
			continue;
		}
		lang = line + strspn(line, " \t\r");
		if (*line == '#' || lang >= nl || *lang == '\n')
			continue;
		n = strcspn(lang, " \t\r\n");
		for (known = 0, i = 1; i < svc->nlangs; i++)
			known |= strlen(svc->langs[i]) == n &&
			    strncmp(svc->langs[i], lang, n) == 0;
		if (!known) {
			wp_diag_add(d, WP_ERROR, path, lineno,
			    (int)(lang - line) + 1, "lock-error", "'%.*s' is "
			    "not a translation of this service (see languages "
			    "in service.yaml); remove the line or run `wpgen "
			    "translations accept`", (int)n, lang);
			ok = 0;
		}
	}
	return ok;
}

wp_lock *
wp_lock_load(const wp_service *svc, wp_diags *d)
{
	char *text;
	size_t len;
	wp_lock *lock = wp_lock_load_text(svc, d, &text, &len);

	free(text);
	return lock;
}

wp_lock *
wp_lock_load_text(const wp_service *svc, wp_diags *d, char **kept,
    size_t *len)
{
	char *path = wp_path_join(svc->dir, "translations.lock"), *text;
	wp_lock *lock;

	*kept = NULL;
	*len = 0;
	if ((text = wp_read_file(path, len)) == NULL) {
		int e = errno;
		if (e != ENOENT) {
			/* A directory, a FIFO, a link out of the tree: said,
			 * never taken for "nothing confirmed yet". */
			wp_diag_add(d, WP_ERROR, path, 0, 0,
			    wp_read_error_code(e), "cannot read the lock: %s",
			    wp_read_error(e));
			free(path);
			return NULL;
		}
		lock = xcalloc(1, sizeof *lock);
		lock->path = path;
		return lock;
	}
	*kept = text;
	if (!lock_text_ok(svc, path, text, *len, d)) {
		free(path);
		return NULL;
	}
	lock = wp_lock_parse(path, text, *len, d);
	free(path);
	return lock;
}

wp_lock *
wp_lock_parse(const char *path, const char *data, size_t len, wp_diags *d)
{
	wp_lock *lock = xcalloc(1, sizeof *lock);
	char *text, *line, *next;
	int lineno = 0, bad = 0;

	lock->path = xstrdup(path);
	text = xstrndup(data, len);
	for (line = text; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		if (line[strspn(line, " \t\r")] == '\0' || line[0] == '#')
			continue;
		if (parse_lock_line(lock, line) != 0) {
			wp_diag_add(d, WP_ERROR, lock->path, lineno, 1,
			    "lock-error", "expected 'LANG KEY HASH "
			    "[TRANSLATION-HASH]' (16-digit hex hashes); the "
			    "file is written by `wpgen translations accept`");
			bad = 1;
		}
	}
	free(text);
	if (bad) {
		wp_lock_free(lock);
		return NULL;
	}
	lock_sort(lock);
	return lock;
}

void
wp_lock_free(wp_lock *lock)
{
	size_t i;

	if (lock == NULL)
		return;
	for (i = 0; i < lock->len; i++)
		free(lock->items[i].lang);      /* (the entry's block) */
	free(lock->items);
	free(lock->path);
	free(lock);
}

static wp_lock_entry *
lock_find(const wp_lock *lock, const char *lang, const char *key)
{
	wp_lock_entry k;

	if (lock == NULL || lock->len == 0)
		return NULL;
	lock_sort((wp_lock *)lock);
	k.lang = (char *)lang;
	k.key = (char *)key;
	return bsearch(&k, lock->items, lock->len, sizeof k, find_cmp);
}

const char *
wp_lock_get(const wp_lock *lock, const char *lang, const char *key)
{
	wp_lock_entry *e = lock_find(lock, lang, key);

	return e ? e->hash : NULL;
}

const char *
wp_lock_get_translation(const wp_lock *lock, const char *lang,
    const char *key)
{
	wp_lock_entry *e = lock_find(lock, lang, key);

	return e ? e->thash : NULL;
}

void
wp_lock_set(wp_lock *lock, const char *lang, const char *key,
    const char *hash, const char *thash)
{
	wp_lock_entry *e = lock_find(lock, lang, key);

	if (e) {
		entry_set(e, e->lang, e->key, hash, thash);
		return;
	}
	lock_add(lock, lang, key, hash, thash);
}

int
wp_lock_save(const wp_lock *lock)
{
	wp_buf b = WP_BUF_INIT;
	size_t i;
	int rc;

	lock_sort((wp_lock *)lock);
	wp_buf_puts(&b, "# Translations confirmed: LANG KEY, the HASH of the "
	    "source section and\n# of its translation when confirmed.  "
	    "Written by `wpgen translations accept`;\n# commit it with the "
	    "content.\n");
	for (i = 0; i < lock->len; i++) {
		wp_buf_printf(&b, "%s %s %s", lock->items[i].lang,
		    lock->items[i].key, lock->items[i].hash);
		if (lock->items[i].thash)
			wp_buf_printf(&b, " %s", lock->items[i].thash);
		wp_buf_putc(&b, '\n');
	}
	rc = wp_write_file(lock->path, b.data, b.len);
	wp_buf_free(&b);
	return rc;
}

/* ---- hashing ---- */

#define FNV_OFFSET 1469598103934665603ULL
#define FNV_PRIME 1099511628211ULL

static int
is_ws(unsigned cp)
{
	return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r';
}

/* Copies the bytes of s[k..len) up to the first white space into out;
 * returns the offset of that white space, or len.  Eight bytes at a
 * time while none of them is below 0x21 (out has room for len - k
 * bytes: the eight are copied before they are looked at). */
static size_t
copy_run(const unsigned char *s, size_t k, size_t len, unsigned char *out)
{
	size_t from = k;
	uint64_t w;

	for (; len - k >= 8; k += 8) {
		memcpy(&w, s + k, 8);
		memcpy(out + (k - from), &w, 8);
		if (((w - 0x2121212121212121ULL) & ~w &
		    0x8080808080808080ULL) != 0)
			break;
	}
	for (; k < len && !is_ws(s[k]); k++)
		out[k - from] = s[k];
	return k;
}

/* Whether a space stands between the characters at s[a] and s[b] (any
 * two ASCII characters: yes). */
static int
spaced(const char *s, size_t len, size_t a, size_t b)
{
	size_t clen;

	if ((unsigned char)s[a] < 0x80 && (unsigned char)s[b] < 0x80)
		return 1;
	return !wp_cjk_joins(wp_utf8_decode(s + a, len - a, &clen),
	    wp_utf8_decode(s + b, len - b, &clen));
}

/*
 * The text a section's hash is of: its source with each white space run
 * one space, dropped at both ends and between two CJK characters (where
 * re-wrapping a Japanese paragraph adds or removes line breaks).  Written
 * into out, which has room for len bytes (the text is never longer: a
 * space stands for at least one byte); returns its length.
 *
 * The text is UTF-8: white space is ASCII, and a character starts at a
 * byte that is not 10xxxxxx.  The space after a white space run is
 * decided at the first character that follows it, from the last one
 * before it (when that one is not NUL); the bytes up to the next white
 * space are copied whole.
 */
static size_t
hashed_text(const char *str, size_t len, unsigned char *out)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t k = 0, n = 0, e, prev_at = 0;
	int have_prev = 0, pending = 0;

	while (k < len) {
		if (is_ws(s[k])) {
			pending = have_prev;
			k++;
			continue;
		}
		/* (A continuation byte here follows white space: not
		 * UTF-8, but hashed all the same.) */
		if ((s[k] & 0xC0) == 0x80) {
			out[n++] = s[k++];
			continue;
		}
		if (pending && spaced(str, len, prev_at, k))
			out[n++] = ' ';
		pending = 0;
		e = copy_run(s, k, len, out + n);
		n += e - k;
		for (prev_at = e - 1; (s[prev_at] & 0xC0) == 0x80; prev_at--)
			;
		have_prev = s[prev_at] != 0;
		k = e;
	}
	return n;
}

/* 64-bit FNV-1a of t[0..len), from h. */
static unsigned long long
fnv(unsigned long long h, const unsigned char *t, size_t len)
{
	size_t k;

	for (k = 0; k < len; k++)
		h = (h ^ t[k]) * FNV_PRIME;
	return h;
}

enum { LANES = 4 };

/* fnv of four texts at once, n bytes of each, p[l] from h[l]: the four
 * chains in variables of their own, side by side. */
static void
fnv4(unsigned long long *h, const unsigned char *const *p, size_t n)
{
	unsigned long long h0 = h[0], h1 = h[1], h2 = h[2], h3 = h[3];
	const unsigned char *p0 = p[0], *p1 = p[1], *p2 = p[2], *p3 = p[3];
	size_t k;

	for (k = 0; k < n; k++) {
		h0 = (h0 ^ p0[k]) * FNV_PRIME;
		h1 = (h1 ^ p1[k]) * FNV_PRIME;
		h2 = (h2 ^ p2[k]) * FNV_PRIME;
		h3 = (h3 ^ p3[k]) * FNV_PRIME;
	}
	h[0] = h0;
	h[1] = h1;
	h[2] = h2;
	h[3] = h3;
}

/*
 * The FNV-1a hashes of the n texts t[i][0..len[i]) into h[i], LANES at a
 * time side by side: a hash is a chain of multiplications, each waiting
 * for the one before (four cycles a byte); the chains of other texts
 * fill the time between.  A lane whose text ends takes the next text;
 * when there is none, the texts still in the lanes are finished one by
 * one.
 */
static void
fnv_side_by_side(const unsigned char *const *t, const size_t *len, size_t n,
    unsigned long long *h)
{
	const unsigned char *p[LANES];
	unsigned long long lh[LANES];
	size_t left[LANES], which[LANES], next, step;
	int l, spent = 0;

	if (n < LANES) {
		for (next = 0; next < n; next++)
			h[next] = fnv(FNV_OFFSET, t[next], len[next]);
		return;
	}
	for (next = 0, l = 0; l < LANES; l++, next++) {
		which[l] = next;
		p[l] = t[next];
		left[l] = len[next];
		lh[l] = FNV_OFFSET;
	}
	while (!spent) {
		for (step = left[0], l = 1; l < LANES; l++)
			if (left[l] < step)
				step = left[l];
		fnv4(lh, p, step);
		for (l = 0; l < LANES; l++) {
			p[l] += step;
			left[l] -= step;
		}
		for (l = 0; l < LANES; l++) {
			if (left[l] > 0)
				continue;
			if (next == n) {
				spent = 1;
				break;
			}
			h[which[l]] = lh[l];
			which[l] = next;
			p[l] = t[next];
			left[l] = len[next++];
			lh[l] = FNV_OFFSET;
		}
	}
	/* The texts still in the lanes, to their ends (nothing left of
	 * the one that ended). */
	for (l = 0; l < LANES; l++)
		h[which[l]] = fnv(lh[l], p[l], left[l]);
}

void
wp_section_hashes(const wp_document *doc, const size_t *sections, size_t n,
    char (*out)[17])
{
	const unsigned char **t = xcalloc(n + 1, sizeof *t);
	size_t *len = xcalloc(n + 1, sizeof *len), total = 0, at = 0, i;
	unsigned long long *h = xcalloc(n + 1, sizeof *h);
	unsigned char *text;
	const char *s;

	for (i = 0; i < n; i++) {
		wp_section_source(doc, sections[i], &len[i]);
		total += len[i];
	}
	text = xmalloc(total + 1);
	for (i = 0; i < n; i++) {
		s = wp_section_source(doc, sections[i], &len[i]);
		t[i] = text + at;
		len[i] = hashed_text(s, len[i], text + at);
		at += len[i];
	}
	fnv_side_by_side(t, len, n, h);
	for (i = 0; i < n; i++)
		snprintf(out[i], 17, "%016llx", h[i]);
	free(text);
	free(h);
	free(len);
	free(t);
}

void
wp_section_hash(const wp_document *doc, size_t i, char out[17])
{
	wp_section_hashes(doc, &i, 1, (char (*)[17])out);
}

/* ---- alignment ---- */

typedef struct key_index {
	const char *key;
	size_t index;
} key_index;

static int
key_cmp(const void *a, const void *b)
{
	return strcmp(((const key_index *)a)->key,
	    ((const key_index *)b)->key);
}

static key_index *
index_keys(const wp_document *doc)
{
	key_index *v = xcalloc(doc->nsections + 1, sizeof *v);
	size_t i;

	for (i = 0; i < doc->nsections; i++) {
		v[i].key = doc->sections[i].key;
		v[i].index = i;
	}
	qsort(v, doc->nsections, sizeof *v, key_cmp);
	return v;
}

static long
lookup_key(const key_index *v, size_t n, const char *key)
{
	key_index k = {key, 0};
	const key_index *hit = n ? bsearch(&k, v, n, sizeof k, key_cmp) : NULL;

	return hit ? (long)hit->index : -1;
}

static void
push_item(wp_tr_align *a, wp_tr_state st, const char *key, long s, long t)
{
	a->items = xrealloc(a->items, (a->len + 1) * sizeof *a->items);
	a->items[a->len].state = st;
	a->items[a->len].key = key;
	a->items[a->len].source = s;
	a->items[a->len].target = t;
	a->items[a->len].unconfirmed = 0;
	a->len++;
	if (st == WP_TR_MISSING)
		a->missing++;
	else if (st == WP_TR_STALE)
		a->stale++;
	else if (st == WP_TR_EXTRA)
		a->extra++;
}

static size_t
emit_missing_before(wp_tr_align *a, const wp_document *src,
    const size_t *in_target, size_t from, size_t upto)
{
	for (; from < upto; from++)
		if (!in_target[from])
			push_item(a, WP_TR_MISSING, src->sections[from].key,
			    (long)from, -1);
	return from;
}

void
wp_translations_align(const wp_document *src, const wp_document *tgt,
    const char *lang, const wp_lock *lock, wp_tr_align *a)
{
	key_index *skeys = index_keys(src);
	/* in_target[s]: 0 when the target has no section s, else 1 + the
	 * index of its hash (each source section hashed once, however
	 * many target sections have its key) */
	size_t *in_target = xcalloc(src->nsections + 1, sizeof *in_target);
	long *of = xcalloc(tgt->nsections + 1, sizeof *of);
	size_t *hashed = xcalloc(src->nsections + 1, sizeof *hashed);
	char (*hash)[17];
	size_t j, next = 0, n = 0;
	long s;
	const char *locked;

	memset(a, 0, sizeof *a);
	/* Each target section's source section, and their hashes, all
	 * made at once. */
	for (j = 0; j < tgt->nsections; j++)
		if ((of[j] = lookup_key(skeys, src->nsections,
		    tgt->sections[j].key)) >= 0 && !in_target[of[j]]) {
			hashed[n++] = (size_t)of[j];
			in_target[of[j]] = n;
		}
	hash = xcalloc(n + 1, sizeof *hash);
	wp_section_hashes(src, hashed, n, hash);
	for (j = 0; j < tgt->nsections; j++) {
		if ((s = of[j]) < 0) {
			push_item(a, WP_TR_EXTRA, tgt->sections[j].key, -1,
			    (long)j);
			continue;
		}
		if ((size_t)s >= next)
			next = emit_missing_before(a, src, in_target, next,
			    (size_t)s) + 1;
		locked = wp_lock_get(lock, lang, src->sections[s].key);
		push_item(a, locked && strcmp(locked, hash[in_target[s] - 1])
		    == 0 ? WP_TR_OK : WP_TR_STALE, src->sections[s].key, s,
		    (long)j);
		a->items[a->len - 1].unconfirmed = locked == NULL;
	}
	emit_missing_before(a, src, in_target, next, src->nsections);
	free(hash);
	free(hashed);
	free(of);
	free(in_target);
	free(skeys);
}

void
wp_tr_align_free(wp_tr_align *a)
{
	free(a->items);
	memset(a, 0, sizeof *a);
}

/* ---- strings outside the Markdown ---- */

static void
check_localized(const wp_value *v, const char *lang, const char *name,
    wp_value *out)
{
	if (v && v->kind == WP_MAP && wp_map_get(v, lang) == NULL)
		wp_list_push(out, wp_value_new_string(name));
}

static int
catalog_has_lang(const wp_catalog *cat, const char *lang)
{
	size_t i;

	for (i = 0; i < cat->nlangs; i++)
		if (strcmp(cat->langs[i], lang) == 0)
			return 1;
	return 0;
}

static void
catalog_untranslated(const wp_catalog *cat, const char *lang, wp_value *out)
{
	size_t i, k;

	if (!catalog_has_lang(cat, lang)) {
		wp_list_push(out, wp_value_new_string_owned(xasprintf(
		    "catalog %s (no %s edition)", cat->id, lang)));
		return;
	}
	for (k = 0; k < cat->nlangs && strcmp(cat->langs[k], lang); k++)
		;
	for (i = 0; i < cat->ncontrols; i++)
		if (cat->controls[i].titles[k] == NULL)
			wp_list_push(out, wp_value_new_string_owned(xasprintf(
			    "catalog %s title %s", cat->id,
			    cat->controls[i].label)));
}

void
wp_translations_untranslated(const wp_site *site, const wp_service *svc,
    const char *lang, wp_value *out)
{
	size_t i;
	char *name;
	const wp_catalog *cat;

	check_localized(svc->title, lang, "title", out);
	check_localized(svc->provider, lang, "provider", out);
	check_localized(svc->description, lang, "description", out);
	check_localized(svc->short_title, lang, "short_title", out);
	check_localized(svc->copyright, lang, "copyright", out);
	for (i = 0; i < svc->nrevisions; i++) {
		name = xasprintf("revisions[%zu].label", i);
		check_localized(svc->revisions[i].label, lang, name, out);
		free(name);
		name = xasprintf("revisions[%zu].changes", i);
		check_localized(svc->revisions[i].changes, lang, name, out);
		free(name);
	}
	if (svc->catalogs) {
		for (i = 0; svc->catalogs[i]; i++)
			if ((cat = wp_catalogs_get(site->catalogs,
			    svc->catalogs[i])) != NULL)
				catalog_untranslated(cat, lang, out);
	} else {
		for (i = 0; i < site->catalogs->len; i++)
			catalog_untranslated(site->catalogs->items[i], lang,
			    out);
	}
}

/* ---- publishing a partly translated edition ---- */

/*
 * The published edition is a view: a document whose sections, images and
 * footnotes point into the target's document and, for the sections the
 * target lacks, into the source's.  Neither document changes; the
 * renderer reads each section's blocks from its own tree.
 */

static void
add_image(wp_document *view, const wp_image *im)
{
	view->images = xrealloc(view->images, (view->nimages + 1) *
	    sizeof *view->images);
	view->images[view->nimages++] = *im;
}

static void
add_note(wp_document *view, cmark_node *def)
{
	size_t i;

	for (i = 0; i < view->nnotes; i++)
		if (view->notes[i] == def)
			return;
	view->notes = xrealloc(view->notes, (view->nnotes + 1) *
	    sizeof *view->notes);
	view->notes[view->nnotes++] = def;
}

/* The images and footnotes of one block of a borrowed section. */
static void
borrow_block(wp_document *view, const wp_document *from, cmark_node *block)
{
	cmark_iter *it = cmark_iter_new(block);
	cmark_event_type ev;
	cmark_node *n, *def;
	size_t i;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		n = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER)
			continue;
		if (cmark_node_get_type(n) == CMARK_NODE_IMAGE) {
			for (i = 0; i < from->nimages; i++)
				if (from->images[i].node == n)
					add_image(view, &from->images[i]);
		} else if (cmark_node_get_type(n) ==
		    CMARK_NODE_FOOTNOTE_REFERENCE &&
		    (def = wp_document_footnote(from, n)) != NULL) {
			add_note(view, def);
		}
	}
	cmark_iter_free(it);
}

/* A section that the target lacks: its heading and own text. */
static void
borrow_section(wp_document *view, const wp_document *from, size_t i)
{
	cmark_node *n = from->sections[i].node;
	int t;

	borrow_block(view, from, n);
	for (n = cmark_node_next(n); n; n = cmark_node_next(n)) {
		t = cmark_node_get_type(n);
		if (t == CMARK_NODE_HEADING ||
		    t == CMARK_NODE_FOOTNOTE_DEFINITION)
			break;
		borrow_block(view, from, n);
	}
}

static wp_document *
view_new(const wp_document *t)
{
	wp_document *v = xcalloc(1, sizeof *v);
	size_t i;

	v->view = 1;
	v->lang = t->lang;
	v->source = t->source;
	v->source_len = t->source_len;
	v->line_starts = t->line_starts;
	v->nlines = t->nlines;
	v->files = t->files;
	v->nfiles = t->nfiles;
	v->parser = t->parser;
	v->root = t->root;
	v->unsafe_html = t->unsafe_html;
	v->render_ready = t->render_ready;
	for (i = 0; i < t->nimages; i++)
		add_image(v, &t->images[i]);
	for (i = 0; i < t->nnotes; i++)
		add_note(v, t->notes[i]);
	return v;
}

static wp_document *
publish_view(const wp_document *t, const wp_document *src,
    const char *src_lang, const wp_tr_align *al)
{
	wp_document *v = view_new(t);
	wp_section *sec;
	size_t a;
	long p;
	const wp_tr_item *it;

	v->sections = xcalloc(al->len + 1, sizeof *v->sections);
	v->render_ready &= src->render_ready;
	for (a = 0; a < al->len; a++) {
		it = &al->items[a];
		sec = &v->sections[v->nsections++];
		if (it->state == WP_TR_MISSING) {
			*sec = src->sections[it->source];
			sec->from_lang = src_lang;
			/* Its lines are the source's, not this document's. */
			sec->line = sec->end_line = 0;
			borrow_section(v, src, (size_t)it->source);
		} else {
			*sec = t->sections[it->target];
			sec->stale = it->state == WP_TR_STALE;
		}
	}
	for (a = 0; a < v->nsections; a++) {
		p = (long)a - 1;
		while (p >= 0 && v->sections[p].level >= v->sections[a].level)
			p = v->sections[p].parent;
		v->sections[a].parent = (int)p;
	}
	return v;
}

/* wp_translations_merge, given the alignment. */
static void
merge_aligned(wp_site *site, wp_edition *tgt, const wp_edition *src,
    const wp_tr_align *al)
{
	wp_document *v = publish_view(tgt->doc, src->doc, src->lang, al);

	tgt->own = tgt->doc;
	tgt->doc = v;
	wp_xref_free(tgt->xref);
	tgt->xref = wp_xref_new(site->catalogs, tgt->service->catalogs, v,
	    tgt->service->id, tgt->lang);
}

void
wp_translations_merge(wp_site *site, wp_edition *tgt, const wp_edition *src,
    const wp_lock *lock)
{
	wp_tr_align al;

	wp_translations_align(src->doc, tgt->doc, tgt->lang, lock, &al);
	merge_aligned(site, tgt, src, &al);
	wp_tr_align_free(&al);
}

wp_edition *
wp_edition_load_target(wp_site *site, const wp_service *svc,
    const char *lang, int *empty, wp_diags *d)
{
	return wp_edition_read_target(site, svc, lang, 0, empty, d);
}

wp_edition *
wp_edition_read_target(wp_site *site, const wp_service *svc,
    const char *lang, int render, int *empty, wp_diags *d)
{
	wp_document_options opt;
	wp_edition *ed;
	char *path, **files;
	size_t i, n = 0;

	if (wp_edition_dir_check(svc, lang, d) != 0)
		return NULL;
	files = wp_edition_files(svc, lang, &n);
	wp_strv_free(files);
	if (empty)
		*empty = n == 0;
	if (n)
		return wp_edition_read(site, svc, lang, render, d);
	/* No files: an empty document, which the source edition fills. */
	ed = xcalloc(1, sizeof *ed);
	ed->service = svc;
	for (i = 0; i < svc->nlangs; i++)
		if (strcmp(svc->langs[i], lang) == 0)
			ed->lang = svc->langs[i];
	wp_document_options_for(site, svc, lang, &opt);
	opt.render = render;
	path = xasprintf("%s/%s/", svc->dir, lang);
	ed->doc = wp_document_parse(path, "", 0, &opt, d);
	free(path);
	return ed;
}

void
wp_edition_publish(wp_site *site, wp_edition *target,
    const wp_edition *source, const wp_lock *lock)
{
	wp_translations_merge(site, target, source, lock);
	target->source = source;
}

void
wp_edition_publish_aligned(wp_site *site, wp_edition *target,
    const wp_edition *source, const wp_tr_align *al)
{
	merge_aligned(site, target, source, al);
	target->source = source;
}

wp_edition *
wp_edition_load_published(wp_site *site, const wp_service *svc,
    const wp_style *style, const char *lang, const wp_lock *lock,
    wp_diags *d)
{
	wp_edition *ed, *src;

	if (strcmp(lang, svc->langs[0]) == 0) {
		if ((ed = wp_edition_read(site, svc, lang, 1, d)) != NULL)
			ed->style = style;
		return ed;
	}
	if ((src = wp_edition_read(site, svc, NULL, 1, d)) == NULL)
		return NULL;
	if ((ed = wp_edition_read_target(site, svc, lang, 1, NULL, d)) ==
	    NULL) {
		wp_edition_free(src);
		return NULL;
	}
	ed->style = style;
	src->style = style;
	wp_edition_publish(site, ed, src, lock);
	ed->owns_source = 1;
	return ed;
}
