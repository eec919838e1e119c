/*
 * manifest.c: digests and the build manifest (manifest.h).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "commands.h"
#include "manifest.h"
#include "util.h"
#include "path.h"
#include "summary.h"

#define FORMAT "wpgen-manifest 9"
/* The last line: `end`, a tab, the digest of every byte before it. */
#define SEAL_HEAD "end\t"
#define SEAL_LEN (sizeof SEAL_HEAD - 1 + 32 + 1)

static uint64_t
rotl(uint64_t x, int r)
{
	return (x << r) | (x >> (64 - r));
}

void
wp_digest_init(wp_digest *h)
{
	h->a = 0x9e3779b97f4a7c15ULL;
	h->b = 0xc2b2ae3d27d4eb4fULL;
}

/* One word into a lane (a, b). */
static void
digest_round(uint64_t *a, uint64_t *b, uint64_t w)
{
	*a = rotl((*a ^ w) * 0x87c37b91114253d5ULL, 31);
	*b = rotl((*b + w) * 0x4cf5ad432745937fULL, 27) ^ *a;
}

/*
 * Less than 32 bytes go a word at a time through lane 0 (begun with
 * their length); 32 bytes or more a 32-byte block at a time, word i of
 * a block into lane i: four chains that do not wait for each other (one
 * chain of multiplications is several times slower).  The words left
 * after the last block go through lane 0, lanes 1-3 are folded into it,
 * then the length, known only at the end (a page digested as it is
 * written).
 */
#define DIGEST_K 0x9e3779b97f4a7c15ULL

void
wp_digest_part_begin(wp_digest_part *p, wp_digest *h)
{
	p->h = h;
	p->ntail = 0;
	p->total = 0;
	p->lanes = 0;
}

/* Blocks of 32 bytes from s (n bytes, a multiple of 32). */
static void
digest_blocks(wp_digest_part *p, const unsigned char *s, size_t n)
{
	uint64_t a0, a1, a2, a3, b0, b1, b2, b3;
	uint64_t w[WP_DIGEST_LANES];
	size_t i;

	if (!p->lanes) {
		p->lanes = 1;
		for (i = 0; i < WP_DIGEST_LANES; i++) {
			p->a[i] = p->h->a + (uint64_t)i * DIGEST_K;
			p->b[i] = p->h->b - (uint64_t)i * DIGEST_K;
		}
	}
	a0 = p->a[0], a1 = p->a[1], a2 = p->a[2], a3 = p->a[3];
	b0 = p->b[0], b1 = p->b[1], b2 = p->b[2], b3 = p->b[3];
	for (i = 0; i < n; i += sizeof w) {
		memcpy(w, s + i, sizeof w);
		digest_round(&a0, &b0, w[0]);
		digest_round(&a1, &b1, w[1]);
		digest_round(&a2, &b2, w[2]);
		digest_round(&a3, &b3, w[3]);
	}
	p->a[0] = a0, p->a[1] = a1, p->a[2] = a2, p->a[3] = a3;
	p->b[0] = b0, p->b[1] = b1, p->b[2] = b2, p->b[3] = b3;
}

void
wp_digest_part_add(wp_digest_part *p, const void *data, size_t n)
{
	const unsigned char *s = data;
	size_t k, whole;

	p->total += n;
	if (p->ntail > 0) {       /* complete the block begun before */
		k = sizeof p->tail - p->ntail < n ? sizeof p->tail - p->ntail :
		    n;
		memcpy(p->tail + p->ntail, s, k);
		p->ntail += k;
		s += k;
		n -= k;
		if (p->ntail < sizeof p->tail)
			return;
		digest_blocks(p, p->tail, sizeof p->tail);
		p->ntail = 0;
	}
	whole = n - n % sizeof p->tail;
	if (whole > 0)
		digest_blocks(p, s, whole);
	memcpy(p->tail, s + whole, n - whole);
	p->ntail = n - whole;
}

void
wp_digest_part_end(wp_digest_part *p)
{
	uint64_t w = 0, a, b;
	size_t i, words = p->ntail / 8 * 8;

	if (!p->lanes) {          /* less than 32 bytes */
		p->a[0] = p->h->a ^ p->total;
		p->b[0] = p->h->b + p->total;
	}
	/* (the words of a block begun go through lane 0) */
	for (i = 0; i < words; i += 8) {
		memcpy(&w, p->tail + i, 8);
		digest_round(&p->a[0], &p->b[0], w);
	}
	for (w = 0; i < p->ntail; i++)
		w = (w << 8) | p->tail[i];
	digest_round(&p->a[0], &p->b[0], w);
	if (p->lanes) {
		for (i = 1; i < WP_DIGEST_LANES; i++) {
			digest_round(&p->a[0], &p->b[0], p->a[i]);
			digest_round(&p->a[0], &p->b[0], p->b[i]);
		}
		digest_round(&p->a[0], &p->b[0], (uint64_t)p->total);
	}
	/* Final mix, so that every input bit reaches every output bit. */
	a = p->a[0];
	b = p->b[0];
	a ^= a >> 33;
	a *= 0xff51afd7ed558ccdULL;
	a ^= a >> 33;
	b ^= b >> 29;
	b *= 0xc4ceb9fe1a85ec53ULL;
	b ^= b >> 32;
	p->h->a = a;
	p->h->b = b;
}

void
wp_digest_add(wp_digest *h, const void *data, size_t n)
{
	wp_digest_part p;

	wp_digest_part_begin(&p, h);
	wp_digest_part_add(&p, data, n);
	wp_digest_part_end(&p);
}

void
wp_digest_add_str(wp_digest *h, const char *s)
{
	wp_digest_add(h, s ? s : "", s ? strlen(s) : 0);
}

void
wp_digest_hex(const wp_digest *h, char out[33])
{
	snprintf(out, 33, "%016llx%016llx", (unsigned long long)h->a,
	    (unsigned long long)h->b);
}

/* The digest of the n bytes at s, in hex. */
static void
bytes_hex(const char *s, size_t n, char hex[33])
{
	wp_digest h;

	wp_digest_init(&h);
	wp_digest_add(&h, s, n);
	wp_digest_hex(&h, hex);
}

/* Whether the n bytes at s have the digest hex. */
static int
digest_is(const char *s, size_t n, const char *hex)
{
	char got[33];

	bytes_hex(s, n, got);
	return strcmp(got, hex) == 0;
}

/* ---- stat data ---- */

int
wp_filestat_get(const char *path, wp_filestat *st)
{
	struct stat s;

	if (lstat(path, &s) != 0 || !S_ISREG(s.st_mode))
		return -1;
	wp_filestat_of(&s, st);
	return 0;
}

int
wp_filestat_dir(const char *path, wp_filestat *st)
{
	struct stat s;

	if (stat(path, &s) != 0 || !S_ISDIR(s.st_mode))
		return -1;
	wp_filestat_of(&s, st);
	return 0;
}

int
wp_filestat_settled(const wp_filestat *st, long long t0)
{
	return st->mtime < t0 - 1000000000LL && st->ctime < t0 - 1000000000LL;
}

int
wp_filestat_same(const wp_filestat *a, const wp_filestat *b)
{
	return a->size >= 0 && a->size == b->size && a->mtime == b->mtime &&
	    a->ctime == b->ctime && a->ino == b->ino;
}

/* ---- the file cache ---- */

void
wp_filecache_init(wp_filecache *c)
{
	memset(c, 0, sizeof *c);
}

void
wp_filecache_free(wp_filecache *c)
{
	size_t i;

	for (i = 0; i < c->len; i++)
		free(c->items[i].path);
	free(c->items);
	free(c->slots);
	free(c->by_path);
	memset(c, 0, sizeof *c);
}

/* The hash of a path for c's slots: eight bytes a step (the paths of a
 * manifest are long, and a build puts each in two caches: the one read
 * and the one it writes). */
static unsigned long
path_hash(const char *path)
{
	size_t n = strlen(path);
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ n, w;

	for (; n >= 8; path += 8, n -= 8) {
		memcpy(&w, path, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdULL;
		h ^= h >> 32;
	}
	w = 0;
	memcpy(&w, path, n);
	h = (h ^ w) * 0xc4ceb9fe1a85ec53ULL;
	return (unsigned long)(h ^ (h >> 29));
}

/* The slot of path (whose path_hash() is hash) in c: its item's, or the
 * empty one where it would go. */
static size_t *
cache_slot(const wp_filecache *c, const char *path, unsigned long hash)
{
	size_t i = hash & (c->nslots - 1), k;

	while ((k = c->slots[i]) != 0 && (c->items[k - 1].hash != hash ||
	    strcmp(c->items[k - 1].path, path) != 0))
		i = (i + 1) & (c->nslots - 1);
	return &c->slots[i];
}

const wp_filecache_item *
wp_filecache_get(const wp_filecache *c, const char *path)
{
	size_t *s;

	if (c == NULL || c->nslots == 0)
		return NULL;
	s = cache_slot(c, path, path_hash(path));
	return *s ? &c->items[*s - 1] : NULL;
}

wp_filecache_item *
wp_filecache_put(wp_filecache *c, const char *path, const char *hex,
    const wp_filestat *st, int trusted)
{
	wp_filecache_item *it;
	unsigned long hash = path_hash(path);
	size_t *s, i, n;

	if (2 * (c->len + 1) > c->nslots) {
		free(c->slots);
		c->nslots = c->nslots ? 2 * c->nslots : 64;
		c->slots = xcalloc(c->nslots, sizeof *c->slots);
		for (i = 0; i < c->len; i++)
			*cache_slot(c, c->items[i].path, c->items[i].hash) =
			    i + 1;
	}
	s = cache_slot(c, path, hash);
	if (*s == 0) {
		if (c->len == c->cap) {
			c->cap = c->cap ? 2 * c->cap : 64;
			c->items = xrealloc(c->items, c->cap * sizeof *c->items);
		}
		c->items[c->len].path = xstrdup(path);
		c->items[c->len].hash = hash;
		*s = ++c->len;
		free(c->by_path);
		c->by_path = NULL;
	}
	it = &c->items[*s - 1];
	n = strnlen(hex, sizeof it->hex - 1);
	memcpy(it->hex, hex, n);
	it->hex[n] = '\0';
	it->st = *st;
	it->trusted = trusted;
	it->same = it->settled_now = 0;
	it->flag_at = -1;
	return it;
}

/* Takes the last item out of c's slots (linear probing: the items of
 * its cluster after it are put again), and out of c. */
static void
cache_drop_last(wp_filecache *c)
{
	const wp_filecache_item *last = &c->items[c->len - 1];
	size_t *s = cache_slot(c, last->path, last->hash), i, k;

	*s = 0;
	for (i = ((size_t)(s - c->slots) + 1) & (c->nslots - 1);
	    c->slots[i] != 0; i = (i + 1) & (c->nslots - 1)) {
		k = c->slots[i];
		c->slots[i] = 0;
		*cache_slot(c, c->items[k - 1].path, c->items[k - 1].hash) =
		    k;
	}
	free(c->items[--c->len].path);
}

void
wp_filecache_truncate(wp_filecache *c, size_t n)
{
	if (n >= c->len)
		return;
	while (c->len > n)
		cache_drop_last(c);
	free(c->by_path);
	c->by_path = NULL;
}

/* Whether item a's path comes after item b's. */
static int
path_after(const wp_filecache *c, size_t a, size_t b)
{
	return strcmp(c->items[a].path, c->items[b].path) > 0;
}

/* Merges the sorted runs v[lo..mid) and v[mid..hi) into to[lo..hi). */
static void
merge_runs(const wp_filecache *c, const size_t *v, size_t *to, size_t lo,
    size_t mid, size_t hi)
{
	size_t i = lo, j = mid, k = lo;

	while (i < mid && j < hi)
		to[k++] = path_after(c, v[i], v[j]) ? v[j++] : v[i++];
	while (i < mid)
		to[k++] = v[i++];
	while (j < hi)
		to[k++] = v[j++];
}

/*
 * The indexes of c's items in byte order of path (stable): the runs
 * already in order are found, then merged two by two, so that a cache
 * read from a manifest, which lists its files nearly in that order (a
 * service's in a run, those of a service built again after the others),
 * is sorted in a few passes of n comparisons, not in n log n.
 */
static size_t *
sorted_by_path(const wp_filecache *c)
{
	size_t n = c->len, *v = xcalloc(n + 1, sizeof *v);
	size_t *to = xcalloc(n + 1, sizeof *to), *run, *t;
	size_t i, r, nrun = 0, w;

	run = xcalloc(n + 2, sizeof *run);
	for (i = 0; i < n; i++) {
		v[i] = i;
		if (i == 0 || path_after(c, i - 1, i))
			run[nrun++] = i;
	}
	run[nrun] = n;
	while (nrun > 1) {
		for (r = 0, w = 0; r < nrun; r += 2, w++) {
			if (r + 1 < nrun)
				merge_runs(c, v, to, run[r], run[r + 1],
				    run[r + 2]);
			else
				memcpy(to + run[r], v + run[r], (n - run[r]) *
				    sizeof *v);
			run[w] = run[r];
		}
		run[w] = n;
		nrun = w;
		t = v;
		v = to;
		to = t;
	}
	free(run);
	free(to);
	return v;
}

int
wp_filecache_each_under(wp_filecache *c, const char *dir,
    int (*fn)(void *ctx, const wp_filecache_item *it), void *ctx)
{
	size_t lo = 0, hi = c->len, mid, n = strlen(dir), *idx;
	const char *p;

	if (c->by_path == NULL)
		c->by_path = sorted_by_path(c);
	idx = c->by_path;
	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (strcmp(c->items[idx[mid]].path, dir) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < c->len; lo++) {
		p = c->items[idx[lo]].path;
		if (strncmp(p, dir, n) != 0)
			break;
		if ((p[n] == '/' || p[n] == '\0') && !fn(ctx,
		    &c->items[idx[lo]]))
			return 0;
	}
	return 1;
}

/* ---- inputs ---- */

/* Whether a file's stat data may stand for its content next time: it was
 * last changed more than a second before the build began. */
static int
settled(const wp_inputs *in, const wp_filestat *st)
{
	return wp_filestat_settled(st, in->t0);
}

static int
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && strcmp(s + n - k, suffix) == 0;
}

void
wp_filestat_of(const struct stat *s, wp_filestat *st)
{
	st->size = (long long)s->st_size;
	st->mtime = (long long)s->st_mtim.tv_sec * 1000000000LL +
	    s->st_mtim.tv_nsec;
	st->ctime = (long long)s->st_ctim.tv_sec * 1000000000LL +
	    s->st_ctim.tv_nsec;
	st->ino = (long long)s->st_ino;
}

/* One file, whose lstat data are s (NULL: not a regular file, or not
 * known); dir: its directory when opened under the path policy
 * (wp_dir_open), where a regular file is read by its name, else -1. */
static void
input_file(wp_inputs *in, wp_digest *h, const char *path, const char *name,
    const struct stat *s, int dir)
{
	const wp_filecache_item *it = NULL;
	wp_filestat st;
	wp_digest fh;
	const char *known;
	char hex[33], *text;
	size_t len, k;
	int have = s != NULL && S_ISREG(s->st_mode);

	wp_digest_add_str(h, name);
	if (have)
		wp_filestat_of(s, &st);
	for (k = 0; have && k < 2; k++) {
		if (in->known_path[k] == NULL || strcmp(path,
		    in->known_path[k]) != 0)
			continue;
		in->known_met[k] = 1;
		/* (absent when read: this one was saved since) */
		known = in->known_hex[k] ? in->known_hex[k] :
		    WP_DIGEST_ABSENT;
		wp_digest_add_str(h, known);
		if (in->seen)
			wp_filecache_put(in->seen, path, known, &st,
			    in->known_hex[k] && settled(in, &st) &&
			    wp_filestat_settled(&st, in->known_t[k]));
		return;
	}
	if (have && (it = wp_filecache_get(in->old, path)) != NULL &&
	    it->trusted && wp_filestat_same(&it->st, &st)) {
		wp_digest_add_str(h, it->hex);
		wp_filecache_put(in->seen, path, it->hex, &st, 1);
		return;
	}
	if (!have)
		in->volatile_seen = 1;
	/* (read by its name in its directory; else, a symbolic link say,
	 * by its path) */
	text = have && dir >= 0 ? wp_read_file_at(dir, name, WP_READ_MAX, &len) :
	    NULL;
	if (text == NULL && (text = wp_read_file(path, &len)) == NULL) {
		wp_digest_add_str(h, "(unreadable)");
		return;
	}
	in->read++;
	wp_digest_init(&fh);
	wp_digest_add(&fh, text, len);
	wp_digest_hex(&fh, hex);
	wp_digest_add_str(h, hex);
	/* A symbolic link (have is 0) is read each time: its target may
	 * change without its stat data changing. */
	if (have && in->seen)
		wp_filecache_put(in->seen, path, hex, &st, settled(in, &st));
	if (in->keep && in->kept && in->ctx && ends_with(name, in->keep))
		in->kept(in->ctx, xstrdup(path), text, len);
	else
		free(text);
}

void
wp_inputs_file(wp_inputs *in, wp_digest *h, const char *path,
    const char *name)
{
	struct stat s;

	input_file(in, h, path, name, lstat(path, &s) == 0 ? &s : NULL, -1);
}

static int
skipped(const char *const *skip, const char *name)
{
	for (; skip && *skip; skip++)
		if (strcmp(*skip, name) == 0)
			return 1;
	return 0;
}

/* A directory's entries, as wp_dir_names() lists them (no dot files, in
 * byte order), with their lstat data, taken relative to the directory
 * (no walk of the whole path for each). */
typedef struct dir_entry {
	char *name;
	struct stat st;
	int have;
} dir_entry;

static int
entry_cmp(const void *a, const void *b)
{
	return strcmp(((const dir_entry *)a)->name,
	    ((const dir_entry *)b)->name);
}

static dir_entry *
read_dir(DIR *d, size_t *n, struct stat *self)
{
	struct dirent *e;
	dir_entry *v = NULL;
	size_t len = 0, cap = 0;

	if (d == NULL)
		return NULL;
	if (fstat(dirfd(d), self) != 0)
		self->st_mode = 0;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if (len == cap) {
			cap = cap ? 2 * cap : 16;
			v = xrealloc(v, cap * sizeof *v);
		}
		v[len].name = xstrdup(e->d_name);
		v[len].have = fstatat(dirfd(d), e->d_name, &v[len].st,
		    AT_SYMLINK_NOFOLLOW) == 0;
		len++;
	}
	if (v == NULL)
		v = xmalloc(sizeof *v);
	qsort(v, len, sizeof *v, entry_cmp);
	*n = len;
	return v;
}

/* The digest of a directory's listing: the names read_dir() gives. */
static void
listing_digest(const dir_entry *v, size_t n, char hex[33])
{
	wp_digest h;
	size_t i;

	wp_digest_init(&h);
	for (i = 0; i < n; i++)
		wp_digest_add_str(&h, v[i].name);
	wp_digest_hex(&h, hex);
}

static void
dir_entries_free(dir_entry *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i].name);
	free(v);
}

/* A directory read by its names holds its descriptor while its
 * subdirectories are read: so many levels at most, below which a tree
 * is read by its paths, each directory closed before its subdirectories
 * are read (a deeper tree, which untrusted content may hold, would run
 * out of descriptors, and its deep files go unread). */
#define DIR_FDS_MAX 32

/*
 * The tree under dir, depth levels below the one digested; fd: dir
 * opened under the path policy (wp_dir_open, wp_dir_open_at), or -1
 * when it could not be (outside the trees allowed, say) or is too deep
 * (DIR_FDS_MAX): its files are then read by their paths, each judged
 * by the policy, as its directories are.  A directory opened so is read
 * by its names: its files with one openat() each, its subdirectories
 * (not symbolic links) opened in it.
 */
static int
inputs_tree(wp_inputs *in, wp_digest *h, const char *dir, int fd,
    const char *const *skip, int depth)
{
	size_t i, n = 0;
	struct stat self;
	DIR *d = fd >= 0 ? fdopendir(fd) : opendir(dir);
	dir_entry *v;
	wp_filestat st;
	char *path, hex[33];
	int rc = 0, at, sub;

	if (d == NULL && fd >= 0) {
		close(fd);
		d = opendir(dir);
		fd = -1;
	}
	if ((v = read_dir(d, &n, &self)) == NULL) {
		if (d)
			closedir(d);
		wp_digest_add_str(h, "(unreadable)");
		in->volatile_seen = 1;
		return -1;
	}
	at = fd >= 0 ? dirfd(d) : -1;
	if (at < 0) {
		/* (not held while its subdirectories are read) */
		closedir(d);
		d = NULL;
	}
	/* Its listing: a file added or removed changes the directory's
	 * stat data (and, while they cannot be trusted, the digest of its
	 * names tells). */
	if (in->dirs && S_ISDIR(self.st_mode)) {
		wp_filestat_of(&self, &st);
		listing_digest(v, n, hex);
		wp_filecache_put(in->dirs, dir, hex, &st, settled(in, &st));
	}
	for (i = 0; i < n; i++) {
		if (skipped(skip, v[i].name))
			continue;
		path = wp_path_join(dir, v[i].name);
		if (v[i].have && S_ISLNK(v[i].st.st_mode))
			in->volatile_seen = 1;
		if (v[i].have && (S_ISDIR(v[i].st.st_mode) ||
		    (S_ISLNK(v[i].st.st_mode) && wp_is_dir(path)))) {
			wp_digest_add_str(h, v[i].name);
			wp_digest_add_str(h, "/");
			/* (a symbolic link judged by its path) */
			sub = at >= 0 && S_ISDIR(v[i].st.st_mode) &&
			    depth < DIR_FDS_MAX ? wp_dir_open_at(at,
			    v[i].name) : -1;
			if (sub < 0 && depth < DIR_FDS_MAX)
				sub = wp_dir_open(path);
			if (inputs_tree(in, h, path, sub, NULL, depth + 1) != 0)
				rc = -1;
		} else {
			input_file(in, h, path, v[i].name,
			    v[i].have ? &v[i].st : NULL, at);
		}
		free(path);
	}
	if (d)
		closedir(d);
	dir_entries_free(v, n);
	return rc;
}

int
wp_inputs_tree(wp_inputs *in, wp_digest *h, const char *dir,
    const char *const *skip)
{
	return inputs_tree(in, h, dir, wp_dir_open(dir), skip, 0);
}

/* Whether the content of a file is that of digest hex. */
static int
content_is(const char *path, const char *hex)
{
	char *text;
	size_t len;
	int same;

	if ((text = wp_read_file(path, &len)) == NULL)
		return 0;
	same = digest_is(text, len, hex);
	free(text);
	return same;
}

int
wp_listing_digest(const char *dir, char hex[33])
{
	struct stat self;
	size_t n = 0;
	DIR *d = opendir(dir);
	dir_entry *v = read_dir(d, &n, &self);

	if (d)
		closedir(d);
	if (v == NULL)
		return -1;
	listing_digest(v, n, hex);
	dir_entries_free(v, n);
	return 0;
}

/* Whether the listing of a directory is that of digest hex. */
static int
listing_is(const char *dir, const char *hex)
{
	char now[33];

	return wp_listing_digest(dir, now) == 0 && strcmp(now, hex) == 0;
}

int
wp_filecache_item_stat_same(const wp_filecache_item *it, int dir)
{
	wp_filestat st;

	return (dir ? wp_filestat_dir(it->path, &st) :
	    wp_filestat_get(it->path, &st)) == 0 &&
	    wp_filestat_same(&it->st, &st);
}

int
wp_filecache_item_content_same(const wp_filecache_item *it, int dir)
{
	if (it->trusted)
		return 1;
	if (it->hex[0] == '\0')
		return 0;
	return dir ? listing_is(it->path, it->hex) :
	    content_is(it->path, it->hex);
}

/* ---- entries ---- */

wp_manifest_entry *
wp_manifest_entry_new(const char *service, const char *lang)
{
	wp_manifest_entry *e = xcalloc(1, sizeof *e);

	e->service = service ? xstrdup(service) : NULL;
	e->lang = lang ? xstrdup(lang) : NULL;
	e->job = -1;
	return e;
}

static void
diag_copy(wp_diag *to, const wp_diag *g)
{
	*to = *g;
	to->file = xstrdup(g->file ? g->file : "");
	to->code = xstrdup(g->code ? g->code : "");
	to->message = xstrdup(g->message ? g->message : "");
}

static void
diag_free(wp_diag *g)
{
	free(g->file);
	free(g->code);
	free(g->message);
}

wp_manifest_out *
wp_manifest_entry_out(wp_manifest_entry *e, const char *rel,
    const char *hex)
{
	wp_manifest_out *o;
	size_t i;

	for (i = 0; i < e->nouts; i++)
		if (strcmp(e->outs[i].rel, rel) == 0)
			break;
	if (i == e->nouts) {
		e->outs = xrealloc(e->outs, (e->nouts + 1) * sizeof *e->outs);
		e->outs[e->nouts++].rel = xstrdup(rel);
	}
	o = &e->outs[i];
	snprintf(o->hex, sizeof o->hex, "%s", hex);
	o->st.size = -1;
	o->st.mtime = o->st.ctime = o->st.ino = 0;
	return o;
}

void
wp_manifest_entry_say_diags(wp_diags *d, const wp_manifest_entry *e,
    int source)
{
	size_t i;

	for (i = 0; e && i < e->ndiags; i++)
		if (e->diags[i].source == source)
			wp_diag_again(d, &e->diags[i].g);
}

void
wp_manifest_entry_diag(wp_manifest_entry *e, int source, const wp_diag *g)
{
	e->diags = xrealloc(e->diags, (e->ndiags + 1) * sizeof *e->diags);
	e->diags[e->ndiags].source = source;
	diag_copy(&e->diags[e->ndiags++].g, g);
}

wp_manifest_entry *
wp_manifest_entry_copy(const wp_manifest_entry *e)
{
	wp_manifest_entry *c = wp_manifest_entry_new(e->service, e->lang);
	size_t i;

	memcpy(c->inputs, e->inputs, sizeof c->inputs);
	for (i = 0; i < e->nouts; i++)
		wp_manifest_entry_out(c, e->outs[i].rel, e->outs[i].hex)->st =
		    e->outs[i].st;
	for (i = 0; i < e->ndiags; i++)
		wp_manifest_entry_diag(c, e->diags[i].source, &e->diags[i].g);
	c->summary = e->summary ? wp_summary_copy(e->summary) : NULL;
	if (e->summary_text) {
		c->summary_text = xstrndup(e->summary_text, e->summary_len);
		c->summary_len = e->summary_len;
	}
	c->sum_at = e->sum_at;
	c->sum_len = e->sum_len;
	memcpy(c->sum_hex, e->sum_hex, sizeof c->sum_hex);
	c->store = e->store;
	c->store_at = e->store_at;
	c->store_len = e->store_len;
	c->text_len = e->text_len;
	memcpy(c->text_hex, e->text_hex, sizeof c->text_hex);
	c->records_at = e->records_at;
	c->records_len = e->records_len;
	c->pdf_file = e->pdf_file ? xstrdup(e->pdf_file) : NULL;
	c->style = e->style ? xstrdup(e->style) : NULL;
	c->job = e->job;
	return c;
}

wp_manifest_entry *
wp_manifest_entry_take(wp_manifest_entry *e)
{
	char *text = e->summary_text;
	wp_summary *s = e->summary;
	wp_manifest_entry *c;

	e->summary_text = NULL;
	e->summary = NULL;
	c = wp_manifest_entry_copy(e);
	c->summary_text = text;
	c->summary_len = text ? e->summary_len : 0;
	c->summary = s;
	e->summary_len = 0;
	e->sum_len = 0;
	return c;
}

/* Frees e's records (outputs, problems, style, PDF) and empties them. */
static void
drop_records(wp_manifest_entry *e)
{
	size_t i;

	for (i = 0; i < e->nouts; i++)
		free(e->outs[i].rel);
	for (i = 0; i < e->ndiags; i++)
		diag_free(&e->diags[i].g);
	free(e->outs);
	free(e->diags);
	free(e->style);
	free(e->pdf_file);
	e->outs = NULL;
	e->diags = NULL;
	e->nouts = e->ndiags = 0;
	e->style = e->pdf_file = NULL;
}

void
wp_manifest_entry_free(wp_manifest_entry *e)
{
	if (e == NULL)
		return;
	drop_records(e);
	wp_summary_free(e->summary);
	free(e->summary_text);
	free(e->service);
	free(e->lang);
	free(e);
}

/* ---- reading ---- */

void
wp_manifest_init(wp_manifest *m)
{
	memset(m, 0, sizeof *m);
	wp_filecache_init(&m->files);
	wp_filecache_init(&m->dirs);
	m->exe.size = -1;
}

void
wp_manifest_free(wp_manifest *m)
{
	size_t i;

	wp_filecache_free(&m->files);
	wp_filecache_free(&m->dirs);
	free(m->file_chunks);
	free(m->dir_chunks);
	wp_manifest_entry_free(m->project);
	for (i = 0; i < m->nedit; i++)
		wp_manifest_entry_free(m->editions[i]);
	free(m->editions);
	wp_manifest_entry_free(m->site);
	wp_manifest_entry_free(m->assets);
	wp_manifest_entry_free(m->prepare);
	for (i = 0; i < m->nreports; i++)
		diag_free(&m->reports[i]);
	free(m->reports);
	if (m->sums) {
		wp_summary_store_close(m->sums);
		free(m->sums);
	}
	memset(m, 0, sizeof *m);
}

/* Splits line (changed in place) into at most max tab-separated fields,
 * unescaped; the number of fields. */
static size_t
split_fields(char *line, char **f, size_t max)
{
	size_t n = 0;
	char *r, *w;

	for (r = line; n < max; ) {
		/* (a field without an escape stays where it is) */
		f[n++] = r;
		r += strcspn(r, "\t\\");
		for (w = r; *r && *r != '\t'; r++) {
			if (*r != '\\' || r[1] == '\0') {
				*w++ = *r;
				continue;
			}
			r++;
			*w++ = *r == 't' ? '\t' : *r == 'n' ? '\n' :
			    *r == 'r' ? '\r' : *r;
		}
		if (*r == '\0') {
			*w = '\0';
			break;
		}
		*w = '\0';
		r++;
	}
	return n;
}

static int
is_hex(const char *s)
{
	return strlen(s) == 32 && strspn(s, "0123456789abcdef") == 32;
}

static int
is_flag(const char *s)
{
	return (s[0] == '0' || s[0] == '1') && s[1] == '\0';
}

/* A decimal number as put_ll() writes it (an optional '-', digits):
 * 0, or -1 when s is not one or it does not fit.  (strtoll was a
 * twentieth of a no-op build: 20,000 numbers.) */
static int
parse_ll(const char *s, long long *v)
{
	unsigned long long u = 0, max = LLONG_MAX;
	const char *from;
	int neg = *s == '-';

	s += neg;
	if (*s == '\0')
		return -1;
	max += (unsigned long long)neg;
	/* (18 digits cannot pass the largest: most numbers of a manifest,
	 * the times in ns, have 19) */
	for (from = s; *s >= '0' && *s <= '9' && s - from < 18; s++)
		u = u * 10 + (unsigned long long)(*s - '0');
	for (; *s >= '0' && *s <= '9'; s++) {
		if (u > (max - (unsigned long long)(*s - '0')) / 10)
			return -1;
		u = u * 10 + (unsigned long long)(*s - '0');
	}
	if (*s != '\0')
		return -1;
	*v = neg ? (long long)(0ULL - u) : (long long)u;
	return 0;
}

static int
parse_stat(char **f, wp_filestat *st)
{
	return parse_ll(f[0], &st->size) || parse_ll(f[1], &st->mtime) ||
	    parse_ll(f[2], &st->ctime) || parse_ll(f[3], &st->ino) ? -1 : 0;
}

#define SUMMARY_FORM "2"

/* The integer fields of a summary. */
static const char *const summary_ints[] = {
	"source", "revision", "has_label", "translated", "coverage", NULL
};

static int *
summary_int(wp_summary *s, const char *key)
{
	return strcmp(key, "source") == 0 ? &s->source :
	    strcmp(key, "revision") == 0 ? &s->revision :
	    strcmp(key, "has_label") == 0 ? &s->has_label :
	    strcmp(key, "translated") == 0 ? &s->translated :
	    strcmp(key, "coverage") == 0 ? &s->coverage : NULL;
}

static int
name_index(const char *const *names, const char *name)
{
	int i;

	for (i = 0; names[i]; i++)
		if (strcmp(names[i], name) == 0)
			return i;
	return -1;
}

/* A `sum KEY VALUE` record: a string field once, a number 0-100. */
static int
summary_sum(wp_summary *s, char **f)
{
	char **field = wp_summary_field(s, f[1]);
	long long v;

	if (field != NULL) {
		if (*field != NULL)
			return -1;
		*field = xstrdup(f[2]);
		return 0;
	}
	if (name_index(summary_ints, f[1]) < 0 || parse_ll(f[2], &v) != 0 ||
	    v < 0 || v > 100)
		return -1;
	*summary_int(s, f[1]) = (int)v;
	return 0;
}

/* A record of a summary after its `summary` line, read into s (a
 * section out of its catalog's controls, or of their order, is refused
 * by wp_summary_add_section).  0 or -1. */
static int
summary_record(wp_summary *s, char **f, size_t n)
{
	long long v, w;

	if (strcmp(f[0], "sum") == 0 && n == 3)
		return summary_sum(s, f);
	if (strcmp(f[0], "cat") == 0 && n == 5 && parse_ll(f[3], &v) == 0 &&
	    v >= 0 && v < 100000 && parse_ll(f[4], &w) == 0 && (w == 0 ||
	    w == 1)) {
		wp_summary_add_catalog(s, f[1], f[2], (size_t)v)->badge =
		    (int)w;
		return 0;
	}
	if (strcmp(f[0], "cov") == 0 && n == 6 && s->ncatalogs > 0 &&
	    parse_ll(f[1], &w) == 0 && w >= 0)
		return wp_summary_add_section(&s->catalogs[s->ncatalogs - 1],
		    (size_t)w, f[2], f[3], f[4], *f[5] ? f[5] : NULL);
	return -1;
}

#define SUMMARY_HEAD "summary\t" SUMMARY_FORM

/* A summary's records (text, len: as an entry keeps them) read into s.
 * 0, or -1 when they are not a whole summary of this form. */
static int
summary_read(const char *text, size_t len, wp_summary *s)
{
	char *copy = xstrndup(text, len), *line = copy, *nl, *f[7];
	int rc = -1;

	nl = strchr(line, '\n');
	if (nl == NULL || (size_t)(nl - line) != strlen(SUMMARY_HEAD) ||
	    strncmp(line, SUMMARY_HEAD, strlen(SUMMARY_HEAD)) != 0)
		goto done;
	for (line = nl + 1; (nl = strchr(line, '\n')) != NULL; line = nl + 1) {
		*nl = '\0';
		if (summary_record(s, f, split_fields(line, f, 7)) != 0)
			goto done;
	}
	rc = *line == '\0' && (size_t)(line - copy) == len ? 0 : -1;
done:
	free(copy);
	return rc;
}

int
wp_manifest_entry_has_summary(const wp_manifest_entry *e)
{
	return e->summary != NULL || e->summary_text != NULL ||
	    e->sum_len > 0 || (e->store != NULL && e->store_len > 0);
}

const wp_summary *
wp_manifest_entry_summary(wp_manifest_entry *e)
{
	wp_summary *s;

	if (e->summary != NULL || e->summary_text == NULL)
		return e->summary;
	s = wp_summary_new();
	if (summary_read(e->summary_text, e->summary_len, s) != 0) {
		wp_summary_free(s);
		return NULL;
	}
	/* Kept to the end of the build: one block, each string once; the
	 * records it was read from are written from it again. */
	free(e->summary_text);
	e->summary_text = NULL;
	e->summary_len = 0;
	return e->summary = wp_summary_compact(s);
}

const wp_summary *
wp_manifest_entry_site_summary(wp_manifest_entry *e, int head, int *stored)
{
	/* (the store may hold its other records only: store_len 0) */
	*stored = e->summary == NULL && e->store != NULL && e->store_len > 0;
	if (*stored && head)
		return wp_summary_store_get_head(e->store, e->store_at,
		    e->store_len);
	if (*stored)
		return wp_summary_store_get(e->store, e->store_at,
		    e->store_len);
	return wp_manifest_entry_summary(e);
}

static void
add_chunk(wp_manifest_chunk **v, size_t *n, long long at, size_t len)
{
	*v = xrealloc(*v, (*n + 1) * sizeof **v);
	(*v)[*n].at = at;
	(*v)[(*n)++].len = len;
}

/* A `files`, `dirs` or `records` line of a worker's report. */
static int
parse_chunk(wp_manifest *m, const char *kind, long long at,
    const char *len, wp_manifest_entry *cur)
{
	long long n;

	if (parse_ll(len, &n) != 0 || n <= 0)
		return -1;
	if (*kind == 'r') {
		if (cur == NULL)
			return -1;
		cur->records_at = at;
		cur->records_len = (size_t)n;
	} else if (*kind == 'f') {
		add_chunk(&m->file_chunks, &m->nfile_chunks, at, (size_t)n);
	} else {
		add_chunk(&m->dir_chunks, &m->ndir_chunks, at, (size_t)n);
	}
	return 0;
}

/* One record into m; cur is the entry that out, diag, job and pdf lines
 * belong to.  0 or -1. */
static int
parse_record(wp_manifest *m, char *line, long long flag_at,
    wp_manifest_entry **cur)
{
	char *f[9];
	size_t n = split_fields(line, f, 9);
	wp_manifest_entry **slot;
	wp_manifest_out *o;
	wp_filestat st;
	wp_diag g;
	long long v;

	if (strcmp(f[0], "file") == 0 && n == 8 && is_hex(f[1]) &&
	    is_flag(f[2]) && parse_stat(f + 3, &st) == 0) {
		wp_filecache_put(&m->files, f[7], f[1], &st,
		    *f[2] == '1')->flag_at = flag_at;
	} else if (strcmp(f[0], "dir") == 0 && n == 8 && (is_hex(f[1]) ||
	    *f[1] == '\0') && is_flag(f[2]) && parse_stat(f + 3, &st) == 0) {
		wp_filecache_put(&m->dirs, f[7], f[1], &st,
		    *f[2] == '1')->flag_at = flag_at;
	} else if (strcmp(f[0], "exe") == 0 && n == 6 && is_hex(f[1]) &&
	    parse_stat(f + 2, &st) == 0) {
		/* Stat data that stand for the digest of the tool line only
		 * (a manifest whose tool line was changed is another
		 * program's). */
		memcpy(m->exe_tool, f[1], 33);
		m->exe = st;
	} else if (strcmp(f[0], "quick") == 0 && n == 3 && is_hex(f[1]) &&
	    parse_ll(f[2], &v) == 0 && v >= 0) {
		memcpy(m->quick, f[1], 33);
		m->total = (size_t)v;
	} else if (strcmp(f[0], "edition") == 0 && n == 4 && is_hex(f[3])) {
		*cur = wp_manifest_entry_new(f[1], f[2]);
		memcpy((*cur)->inputs, f[3], 33);
		m->editions = xrealloc(m->editions, (m->nedit + 1) *
		    sizeof *m->editions);
		m->editions[m->nedit++] = *cur;
	} else if ((strcmp(f[0], "site") == 0 || strcmp(f[0], "assets") ==
	    0 || strcmp(f[0], "prepare") == 0 || strcmp(f[0], "project") ==
	    0) && n == 2 && (is_hex(f[1]) || *f[1] == '\0')) {
		*cur = wp_manifest_entry_new(NULL, NULL);
		memcpy((*cur)->inputs, f[1], strlen(f[1]) + 1);
		slot = *f[0] == 's' ? &m->site : *f[0] == 'a' ? &m->assets :
		    f[0][1] == 'r' && f[0][2] == 'e' ? &m->prepare :
		    &m->project;
		wp_manifest_entry_free(*slot);
		*slot = *cur;
	} else if (strcmp(f[0], "job") == 0 && n == 2 && *cur &&
	    parse_ll(f[1], &v) == 0) {
		(*cur)->job = (long)v;
	} else if (strcmp(f[0], "out") == 0 && n == 7 && *cur &&
	    is_hex(f[1]) && parse_stat(f + 2, &st) == 0) {
		o = wp_manifest_entry_out(*cur, f[6], f[1]);
		o->st = st;
	} else if ((strcmp(f[0], "diag") == 0 || strcmp(f[0], "report") ==
	    0) && n == 8 && parse_ll(f[3], &v) == 0) {
		g.severity = strcmp(f[2], "error") == 0 ? WP_ERROR :
		    WP_WARNING;
		g.line = (int)v;
		if (parse_ll(f[4], &v) != 0)
			return -1;
		g.column = (int)v;
		g.code = f[5];
		g.file = f[6];
		g.message = f[7];
		if (f[0][0] == 'r') {
			m->reports = xrealloc(m->reports, (m->nreports + 1) *
			    sizeof *m->reports);
			diag_copy(&m->reports[m->nreports++], &g);
		} else if (*cur) {
			wp_manifest_entry_diag(*cur, strcmp(f[1], "source") ==
			    0, &g);
		} else {
			return -1;
		}
	} else if (strcmp(f[0], "sumat") == 0 && n == 4 && *cur &&
	    (*cur)->service && (*cur)->sum_len == 0 &&
	    (*cur)->summary_text == NULL &&
	    parse_ll(f[1], &(*cur)->sum_at) == 0 && (*cur)->sum_at >= 0 &&
	    parse_ll(f[2], &v) == 0 && v > 0 && is_hex(f[3])) {
		(*cur)->sum_len = v;
		memcpy((*cur)->sum_hex, f[3], 33);
	} else if (strcmp(f[0], "pdf") == 0 && n == 2 && *cur) {
		free((*cur)->pdf_file);
		(*cur)->pdf_file = xstrdup(f[1]);
	} else if ((strcmp(f[0], "files") == 0 || strcmp(f[0], "dirs") ==
	    0 || strcmp(f[0], "records") == 0) && n == 3 &&
	    parse_ll(f[1], &v) == 0 && v >= 0) {
		if (parse_chunk(m, f[0], v, f[2], *cur) != 0)
			return -1;
	} else if (strcmp(f[0], "stored") == 0 && n == 5 && *cur &&
	    parse_ll(f[1], &v) == 0 && v >= 0 && (is_hex(f[4]) ||
	    *f[4] == '\0')) {
		(*cur)->store_at = v;
		if (parse_ll(f[2], &v) != 0 || v <= 0)
			return -1;
		(*cur)->store_len = (size_t)v;
		if (parse_ll(f[3], &v) != 0 || v < 0)
			return -1;
		(*cur)->text_len = (size_t)v;
		memcpy((*cur)->text_hex, f[4], strlen(f[4]) + 1);
	} else if (strcmp(f[0], "style") == 0 && n == 2 && *cur) {
		free((*cur)->style);
		(*cur)->style = xstrdup(f[1]);
	} else if (strcmp(f[0], "tool") == 0 && n == 2 && is_hex(f[1])) {
		memcpy(m->tool, f[1], 33);
	} else if (strcmp(f[0], "global") == 0 && n == 2 && is_hex(f[1])) {
		memcpy(m->global, f[1], 33);
	} else if (strcmp(f[0], "store") == 0 && n == 2 && is_hex(f[1])) {
		memcpy(m->store_id, f[1], 33);
	} else if (strcmp(f[0], "volatile") == 0 && n == 1) {
		m->volatile_seen = 1;
	} else if (strcmp(f[0], "unchanged") == 0 && n == 2 &&
	    parse_ll(f[1], &v) == 0 && v >= 0) {
		m->unchanged = (size_t)v;
	} else {
		return -1;
	}
	return 0;
}

/* What a line is: 1 a summary's first record, 2 one of its others, 0
 * any other record. */
static int
summary_line(const char *line, size_t n)
{
	if (n >= 8 && memcmp(line, "summary\t", 8) == 0)
		return 1;
	if (n >= 4 && line[3] == '\t' && (memcmp(line, "sum", 3) == 0 ||
	    memcmp(line, "cat", 3) == 0 || memcmp(line, "cov", 3) == 0))
		return 2;
	return 0;
}

static void put_field(wp_buf *out, const char *s);

/* Whether the records text[0..len) hold the record `sum NAME VALUE`. */
static int
has_sum(const char *text, size_t len, const char *name, const char *value)
{
	wp_buf want = WP_BUF_INIT;
	const char *p = text, *end = text + len, *nl;
	int found = 0;

	wp_buf_puts(&want, "sum");
	put_field(&want, name);
	put_field(&want, value);
	for (; !found && p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			break;
		found = (size_t)(nl - p) == want.len &&
		    memcmp(p, want.data, want.len) == 0;
	}
	wp_buf_free(&want);
	return found;
}

/* Whether the bytes from..to are a summary of e's service and language
 * (not another edition's). */
static int
summary_of(const wp_manifest_entry *e, const char *from, const char *to)
{
	return has_sum(from, (size_t)(to - from), "service", e->service) &&
	    has_sum(from, (size_t)(to - from), "lang", e->lang);
}

/* Keeps the summary records from..to (their lines) as e's, when they
 * are a summary of e's. */
static void
keep_summary(wp_manifest_entry *e, const char *from, const char *to)
{
	if (!summary_of(e, from, to))
		return;
	e->summary_len = (size_t)(to - from);
	e->summary_text = xmalloc(e->summary_len + 1);
	memcpy(e->summary_text, from, e->summary_len);
	e->summary_text[e->summary_len] = '\0';
}

/* Where the settled flag of a `file` or `dir` record (line, n bytes)
 * is: its third field, a '0' or '1' with no escape before it; else -1. */
static long long
flag_offset(const char *line, size_t n)
{
	const char *t1 = memchr(line, '\t', n), *t2;

	if (t1 == NULL || (t2 = memchr(t1 + 1, '\t', n - (size_t)(t1 + 1 -
	    line))) == NULL || (size_t)(t2 + 3 - line) > n ||
	    (t2[1] != '0' && t2[1] != '1') || t2[2] != '\t' ||
	    memchr(line, '\\', (size_t)(t2 - line)) != NULL)
		return -1;
	return (long long)(t2 + 1 - line);
}

/* Whether the n bytes at s are a seal line: `end`, a tab, 32 hex digits
 * and a newline. */
static int
seal_at(const char *s, size_t n)
{
	size_t i;

	if (n != SEAL_LEN || memcmp(s, SEAL_HEAD, sizeof SEAL_HEAD - 1) != 0 ||
	    s[n - 1] != '\n')
		return 0;
	for (i = sizeof SEAL_HEAD - 1; i < n - 1; i++)
		if (!strchr("0123456789abcdef", s[i]) || s[i] == '\0')
			return 0;
	return 1;
}

/* Where the seal of the len bytes at text (their last line) begins:
 * the length of the bytes it seals, or -1 when the last line is none. */
static long long
seal_start(const char *text, size_t len)
{
	if (len < SEAL_LEN + 1 || text[len - SEAL_LEN - 1] != '\n' ||
	    !seal_at(text + len - SEAL_LEN, SEAL_LEN))
		return -1;
	return (long long)(len - SEAL_LEN);
}

int
wp_manifest_sealed(const char *text, size_t len)
{
	long long at = seal_start(text, len);
	char hex[33];

	if (at < 0)
		return 0;
	bytes_hex(text, (size_t)at, hex);
	return memcmp(text + at + sizeof SEAL_HEAD - 1, hex, 32) == 0;
}

/*
 * Reads the records of text..end (which lie at offset base of the file)
 * up to the seal (`end DIGEST`), the last line: 0 or -1 (the digest is
 * not checked here: wp_manifest_sealed).  A summary's records are not
 * split here: they are kept as they are, from a `summary` line of this
 * form to the last record of its kind that follows it; every other
 * line is copied (line) and split.
 */
static int
parse_records(wp_manifest *m, long long base, char *text, const char *end)
{
	const char *start = text;
	long long at;
	wp_manifest_entry *cur = NULL;
	char *nl;
	const char *summary = NULL;
	int kind;

	for (; (nl = memchr(text, '\n', (size_t)(end - text))) != NULL;
	    text = nl + 1) {
		kind = summary_line(text, (size_t)(nl - text));
		if (kind == 2 && summary)
			continue;
		if (summary) {
			keep_summary(cur, summary, text);
			summary = NULL;
		}
		if (kind == 1) {
			if (cur == NULL || cur->summary_text || cur->sum_len ||
			    (size_t)(nl - text) != strlen(SUMMARY_HEAD) ||
			    memcmp(text, SUMMARY_HEAD, strlen(SUMMARY_HEAD)) != 0)
				return -1;
			summary = text;
			continue;
		}
		if (kind == 2)
			return -1;
		if (nl - text >= 3 && memcmp(text, "end", 3) == 0 &&
		    (nl - text == 3 || text[3] == '\t'))
			return nl + 1 == end && seal_at(text, (size_t)(nl + 1 -
			    text)) ? 0 : -1;
		at = flag_offset(text, (size_t)(nl - text));
		*nl = '\0';              /* (split where it lies) */
		if (parse_record(m, text, at < 0 ? -1 : base +
		    (long long)(text - start) + at, &cur) != 0)
			return -1;
	}
	return -1;
}

/* The same as wp_manifest_parse() of text (len bytes and a NUL), which
 * is changed: each record is split where it lies. */
static int
parse_text(wp_manifest *m, char *text, size_t len)
{
	char *nl = memchr(text, '\n', len);
	int rc = -1;

	wp_manifest_init(m);
	if (nl != NULL && (size_t)(nl - text) < sizeof m->format) {
		memcpy(m->format, text, (size_t)(nl - text));
		rc = parse_records(m, (long long)(nl + 1 - text), nl + 1,
		    text + len);
	}
	if (rc != 0) {
		wp_manifest_free(m);
		wp_manifest_init(m);
	}
	return rc;
}

int
wp_manifest_parse(wp_manifest *m, const char *text, size_t len)
{
	char *copy = xmalloc(len + 1);
	int rc;

	memcpy(copy, text, len);
	copy[len] = '\0';
	rc = parse_text(m, copy, len);
	free(copy);
	return rc;
}

/* n bytes at offset at of fd into buf: 0 or -1. */
static int
read_at(int fd, char *buf, size_t n, long long at)
{
	ssize_t got;

	while (n > 0) {
		got = pread(fd, buf, n, (off_t)at);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			return -1;
		buf += got;
		n -= (size_t)got;
		at += got;
	}
	return 0;
}

/* Opens out/'s manifest: its descriptor and stat data, or -1. */
static int
open_manifest(const char *out_dir, struct stat *s)
{
	char *path = wp_path_join(out_dir, WP_MANIFEST_NAME);
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);

	free(path);
	if (fd >= 0 && (fstat(fd, s) != 0 || !S_ISREG(s->st_mode) ||
	    (size_t)s->st_size > WP_CATALOG_MAX)) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/* out/'s manifest holds records only: the summaries lie in out/'s store
 * (summary.h), read when they are needed (wp_manifest_open_store). */
int
wp_manifest_load(wp_manifest *m, const char *out_dir)
{
	struct stat s;
	char *text;
	size_t len;
	int fd, rc = -1;

	wp_manifest_init(m);
	if ((fd = open_manifest(out_dir, &s)) < 0)
		return -1;
	len = (size_t)s.st_size;
	text = xmalloc(len + 1);
	text[len] = '\0';
	if (read_at(fd, text, len, 0) == 0 && len >= sizeof FORMAT &&
	    memcmp(text, FORMAT "\n", sizeof FORMAT) == 0 &&
	    wp_manifest_sealed(text, len))
		rc = parse_text(m, text, len);
	close(fd);
	free(text);
	if (rc != 0) {
		wp_manifest_free(m);
		wp_manifest_init(m);
		return -1;
	}
	wp_filestat_of(&s, &m->self);
	return 0;
}

int
wp_manifest_open_store(wp_manifest *m, const char *out_dir)
{
	char *path = wp_path_join(out_dir, WP_STORE_NAME);
	wp_manifest_entry *e;
	size_t i;
	int rc;

	if (m->sums == NULL)
		m->sums = xcalloc(1, sizeof *m->sums);
	else
		wp_summary_store_close(m->sums);
	rc = wp_summary_store_attach(m->sums, path, m->store_id);
	free(path);
	for (i = 0; i < m->nedit; i++) {
		e = m->editions[i];
		if (rc != 0 || e->sum_at < (long long)WP_STORE_HEAD ||
		    e->sum_at > m->sums->end ||
		    e->sum_len > m->sums->end - e->sum_at)
			e->sum_len = 0;
	}
	return rc;
}

/* e's summary's bytes, where its `sumat` record says in st, when they
 * have the digest it records and are a summary of e's edition (the bytes
 * of another edition's have their digest too): its text (NUL after it),
 * else NULL. */
static char *
summary_bytes(const wp_manifest_entry *e, wp_summary_store *st)
{
	size_t n = (size_t)e->sum_len;
	char *text = xmalloc(n + 1);

	if (wp_summary_store_read(st, e->sum_at, text, n) != 0 ||
	    !digest_is(text, n, e->sum_hex) || !summary_of(e, text, text + n)) {
		free(text);
		return NULL;
	}
	text[n] = '\0';
	return text;
}

int
wp_manifest_entry_read_summary(wp_manifest_entry *e, wp_summary_store *st)
{
	char *text;

	if (e->sum_len == 0 || e->summary_text || e->summary)
		return 0;
	if (st == NULL || (text = summary_bytes(e, st)) == NULL) {
		e->sum_len = 0;
		return -1;
	}
	e->summary_text = text;
	e->summary_len = (size_t)e->sum_len;
	return 0;
}

/* Sets the flag of each item of c settled now in text (the manifest's
 * len bytes), and writes it at its offset of the manifest file fd: 0 or
 * -1. */
static int
flags_set(int fd, char *text, size_t len, const wp_filecache *c)
{
	size_t i;

	for (i = 0; i < c->len; i++) {
		if (!c->items[i].settled_now)
			continue;
		if ((unsigned long long)c->items[i].flag_at >= len ||
		    text[c->items[i].flag_at] != '0')
			return -1;
		text[c->items[i].flag_at] = '1';
		if (pwrite(fd, "1", 1, (off_t)c->items[i].flag_at) != 1)
			return -1;
	}
	return 0;
}

/* The flags of m's items settled now set in the manifest file fd (its
 * bytes those m was read from: len of them), then its seal made again
 * for its bytes now: 0 or -1. */
static int
settle_sealed(const wp_manifest *m, int fd, size_t len)
{
	char *text = xmalloc(len + 1), hex[33];
	long long at;
	int rc = -1;

	if (read_at(fd, text, len, 0) == 0 && wp_manifest_sealed(text, len) &&
	    flags_set(fd, text, len, &m->files) == 0 &&
	    flags_set(fd, text, len, &m->dirs) == 0) {
		at = seal_start(text, len);
		bytes_hex(text, (size_t)at, hex);
		if (pwrite(fd, hex, 32, (off_t)at + (off_t)sizeof SEAL_HEAD -
		    1) == 32)
			rc = 0;
	}
	free(text);
	return rc;
}

/* Whether every item of c settled now has its flag's place known. */
static int
flags_known(const wp_filecache *c)
{
	size_t i;

	for (i = 0; i < c->len; i++)
		if (c->items[i].settled_now && c->items[i].flag_at < 0)
			return 0;
	return 1;
}

int
wp_manifest_settle(const wp_manifest *m, const char *out_dir)
{
	char *path = wp_path_join(out_dir, WP_MANIFEST_NAME);
	int fd = -1, rc = -1;
	struct stat s;
	wp_filestat st;

	if (flags_known(&m->files) && flags_known(&m->dirs) &&
	    (fd = open(path, O_RDWR | O_NOFOLLOW | O_NONBLOCK |
	    O_CLOEXEC)) >= 0 &&
	    fstat(fd, &s) == 0 && S_ISREG(s.st_mode) && s.st_nlink == 1) {
		wp_filestat_of(&s, &st);
		if (wp_filestat_same(&m->self, &st))
			rc = settle_sealed(m, fd, (size_t)s.st_size);
	}
	if (fd >= 0)
		close(fd);
	free(path);
	return rc;
}

int
wp_manifest_current(const wp_manifest *m, const char *out_dir)
{
	char *path = wp_path_join(out_dir, WP_MANIFEST_NAME);
	wp_filestat st;
	int same = m->format[0] && wp_filestat_get(path, &st) == 0 &&
	    wp_filestat_same(&m->self, &st);

	free(path);
	return same;
}

void
wp_program_digest(const wp_manifest *old, long long t0, char tool[33],
    wp_filestat *exe)
{
	struct stat s;
	wp_digest h;
	size_t len;
	char *data;

	exe->size = -1;
	if (stat("/proc/self/exe", &s) == 0 && S_ISREG(s.st_mode)) {
		wp_filestat_of(&s, exe);
		if (old && old->tool[0] && strcmp(old->exe_tool, old->tool) ==
		    0 && wp_filestat_same(&old->exe, exe)) {
			memcpy(tool, old->tool, 33);
			return;
		}
	}
	wp_digest_init(&h);
	wp_digest_add_str(&h, WP_VERSION);
	if ((data = wp_read_program(&len)) != NULL)
		wp_digest_add(&h, data, len);
	free(data);
	wp_digest_hex(&h, tool);
	if (exe->size >= 0 && !wp_filestat_settled(exe, t0))
		exe->size = -1;
}

const wp_manifest_entry *
wp_manifest_find(const wp_manifest *m, const char *svc, const char *lang)
{
	size_t i;

	for (i = 0; m && i < m->nedit; i++)
		if (strcmp(m->editions[i]->service, svc) == 0 &&
		    strcmp(m->editions[i]->lang, lang) == 0)
			return m->editions[i];
	return NULL;
}

static int
item_same(void *ctx, const wp_filecache_item *it)
{
	(void)ctx;
	return it->same;
}

int
wp_manifest_tree_same(wp_manifest *m, const char *dir)
{
	const wp_filecache_item *it = wp_filecache_get(&m->dirs, dir);

	return it && it->same && wp_filecache_each_under(&m->dirs, dir,
	    item_same, NULL) && wp_filecache_each_under(&m->files, dir,
	    item_same, NULL);
}

/* ---- writing ---- */

static void
put_field(wp_buf *out, const char *s)
{
	const char *p = s ? s : "";
	size_t n;

	wp_buf_putc(out, '\t');
	for (;;) {
		n = strcspn(p, "\\\t\n\r");
		wp_buf_put(out, p, n);
		p += n;
		if (*p == '\0')
			break;
		wp_buf_putc(out, '\\');
		wp_buf_putc(out, *p == '\t' ? 't' : *p == '\n' ? 'n' :
		    *p == '\r' ? 'r' : '\\');
		p++;
	}
}

/* A tab and a number (a manifest has some 20,000 of them). */
static void
put_ll(wp_buf *out, long long v)
{
	char d[24];

	wp_buf_putc(out, '\t');
	wp_buf_put(out, d, wp_format_ll(d, v));
}

static void
put_stat(wp_buf *out, const wp_filestat *st)
{
	put_ll(out, st->size);
	put_ll(out, st->mtime);
	put_ll(out, st->ctime);
	put_ll(out, st->ino);
}

/* A file or directory: its digest, whether it is settled, its stat data
 * and its path. */
static void
put_cached(wp_buf *out, const char *kind, const wp_filecache_item *it)
{
	wp_buf_puts(out, kind);
	wp_buf_putc(out, '\t');
	wp_buf_puts(out, it->hex);
	wp_buf_puts(out, it->trusted ? "\t1" : "\t0");
	put_stat(out, &it->st);
	put_field(out, it->path);
	wp_buf_putc(out, '\n');
}

static void
put_diag(wp_buf *out, const char *kind, const char *which,
    const wp_diag *g)
{
	wp_buf_puts(out, kind);
	put_field(out, which);
	put_field(out, g->severity == WP_ERROR ? "error" : "warning");
	wp_buf_printf(out, "\t%d\t%d", g->line, g->column);
	put_field(out, g->code);
	put_field(out, g->file);
	put_field(out, g->message);
	wp_buf_putc(out, '\n');
}

static void
write_summary(const wp_summary *s, wp_buf *out)
{
	const wp_summary_catalog *cat;
	const char *v;
	size_t i, c, k, at;

	wp_buf_puts(out, "summary\t" SUMMARY_FORM "\n");
	for (i = 0; wp_summary_fields[i]; i++) {
		if ((v = *wp_summary_field((wp_summary *)s,
		    wp_summary_fields[i])) == NULL)
			continue;
		wp_buf_puts(out, "sum");
		put_field(out, wp_summary_fields[i]);
		put_field(out, v);
		wp_buf_putc(out, '\n');
	}
	for (i = 0; summary_ints[i]; i++) {
		wp_buf_puts(out, "sum");
		put_field(out, summary_ints[i]);
		put_ll(out, *summary_int((wp_summary *)s, summary_ints[i]));
		wp_buf_putc(out, '\n');
	}
	for (i = 0; i < s->ncatalogs; i++) {
		cat = &s->catalogs[i];
		wp_buf_puts(out, "cat");
		put_field(out, cat->id);
		put_field(out, cat->name);
		put_ll(out, (long long)cat->ncontrols);
		put_ll(out, cat->badge);
		wp_buf_putc(out, '\n');
		for (c = 0, at = 0; c < cat->ncontrols; c++) {
			for (k = 0; k < cat->count[c]; k++, at++) {
				wp_buf_puts(out, "cov");
				put_ll(out, (long long)c);
				put_field(out, cat->sections[at].text);
				put_field(out, cat->sections[at].anchor);
				put_field(out, cat->sections[at].title);
				put_field(out, cat->sections[at].via);
				wp_buf_putc(out, '\n');
			}
		}
	}
}

/* The digest of e's summary's records when it is known without writing
 * them: 1, with it in hex; else 0. */
static int
summary_digest_known(const wp_manifest_entry *e, char hex[33])
{
	/* (where out/'s store has it: its bytes, checked when read) */
	if (e->sum_len > 0) {
		memcpy(hex, e->sum_hex, 33);
		return 1;
	}
	/* (one in a build's store: noted when put there) */
	if (e->store && e->store_len > 0 && e->text_len > 0 &&
	    e->summary == NULL && e->summary_text == NULL) {
		memcpy(hex, e->text_hex, 33);
		return 1;
	}
	return 0;
}

void
wp_manifest_entry_summary_digest(const wp_manifest_entry *e, char hex[33])
{
	wp_buf text = WP_BUF_INIT;

	if (summary_digest_known(e, hex))
		return;
	wp_manifest_entry_write_summary(e, &text);
	bytes_hex(text.data ? text.data : "", text.len, hex);
	wp_buf_free(&text);
}

int
wp_manifest_entry_write_summary(const wp_manifest_entry *e, wp_buf *out)
{
	wp_summary *s;

	if (e->summary_text) {
		wp_buf_put(out, e->summary_text, e->summary_len);
	} else if (e->summary) {
		write_summary(e->summary, out);
	} else if (e->store && e->store_len > 0 && e->text_len > 0) {
		wp_buf_grow(out, e->text_len);
		if (wp_summary_store_read(e->store, e->store_at +
		    (long long)e->store_len, out->data + out->len,
		    e->text_len) != 0)
			return -1;
		out->len += e->text_len;
	} else if (e->store && e->store_len > 0) {
		s = wp_summary_store_get(e->store, e->store_at, e->store_len);
		if (s == NULL)
			return -1;
		write_summary(s, out);
		wp_summary_store_release(e->store, s);
	}
	return 0;
}

int
wp_manifest_entry_keep_summary(wp_manifest_entry *e, wp_summary_store *st)
{
	wp_buf text = WP_BUF_INIT;
	long long at;
	size_t len;

	if (e->summary == NULL)
		return 0;
	write_summary(e->summary, &text);
	at = wp_summary_store_put(st, e->summary, text.data, text.len,
	    &len);
	if (at >= 0) {
		bytes_hex(text.data ? text.data : "", text.len, e->text_hex);
		wp_summary_free(e->summary);
		e->summary = NULL;
		e->store = st;
		e->store_at = at;
		e->store_len = len;
		e->text_len = text.len;
	}
	wp_buf_free(&text);
	return at >= 0 ? 0 : -1;
}


static void write_entry(const wp_manifest_entry *e, const char *kind,
    wp_buf *out, int stored_refs);
static void entry_records(const wp_manifest_entry *e, wp_buf *out);
static void write_entry_summary(const wp_manifest_entry *e, wp_buf *out,
    int stored_refs);

#define SPILL_CHUNK (64 * 1024)

/* Where the next bytes appended to st will lie. */
static long long
store_end(const wp_summary_store *st)
{
	return st->fd >= 0 ? st->end : st->mem ? (long long)st->mem->len : 0;
}

/* The summaries waiting in buf (from the entries pending, each's at
 * counted from the start of buf) appended to st: 0, or -1 (then their
 * records are dropped). */
static int
put_pending(wp_summary_store *st, wp_buf *buf, wp_manifest_entry **pending,
    size_t *npending)
{
	long long base = store_end(st);
	size_t i;
	int rc = 0;

	if (buf->len > 0 && wp_summary_store_append(st, buf->data, buf->len) !=
	    base)
		rc = -1;
	for (i = 0; i < *npending; i++) {
		if (rc == 0)
			pending[i]->sum_at += base;
		else
			pending[i]->sum_len = 0;
	}
	*npending = 0;
	wp_buf_clear(buf);
	return rc;
}

/* e's summary's records onto buf, when it has one that is not in out/'s
 * store (from: the store it lies in, read and checked by digest then;
 * e keeps no record of it when it does not have it): 1 when put, 0 when
 * not, -1 when it could not be read back from the build's store. */
static int
put_summary(wp_manifest_entry *e, wp_buf *buf, wp_summary_store *from)
{
	size_t at = buf->len;
	char *text;

	if (e->sum_len > 0 && e->summary_text == NULL) {
		if (from == NULL)
			return 0;
		if ((text = summary_bytes(e, from)) == NULL) {
			e->sum_len = 0;
			return 0;
		}
		wp_buf_put(buf, text, (size_t)e->sum_len);
		free(text);
	} else if (e->sum_len > 0) {
		if (from == NULL)
			return 0;
		wp_buf_put(buf, e->summary_text, e->summary_len);
	} else if (!wp_manifest_entry_has_summary(e)) {
		return 0;
	} else if (wp_manifest_entry_write_summary(e, buf) != 0) {
		buf->len = at;
		return -1;
	} else if (!summary_digest_known(e, e->sum_hex)) {
		bytes_hex(buf->data + at, buf->len - at, e->sum_hex);
	}
	e->sum_at = (long long)at;
	e->sum_len = (long long)(buf->len - at);
	return 1;
}

int
wp_manifest_put_summaries(wp_manifest *m, wp_summary_store *st,
    wp_summary_store *from)
{
	wp_buf buf = WP_BUF_INIT;
	wp_manifest_entry **pending;
	size_t i, npending = 0;
	int rc = 0, put;

	pending = xcalloc(m->nedit + 1, sizeof *pending);
	for (i = 0; i < m->nedit && rc == 0; i++) {
		if ((put = put_summary(m->editions[i], &buf, from)) < 0)
			rc = -1;
		else if (put)
			pending[npending++] = m->editions[i];
		if (buf.len >= SPILL_CHUNK)
			rc |= put_pending(st, &buf, pending, &npending);
	}
	rc |= put_pending(st, &buf, pending, &npending);
	if (rc == 0)
		memcpy(m->store_id, st->id, sizeof m->store_id);
	free(pending);
	wp_buf_free(&buf);
	return rc;
}

long long
wp_manifest_summaries_live(const wp_manifest *m)
{
	long long n = 0;
	size_t i;

	for (i = 0; i < m->nedit; i++)
		n += m->editions[i]->sum_len;
	return n;
}

/* Records kept in a store: copied (when they cannot be read back, a
 * record no reader takes instead: the manifest then does not read
 * whole, and the next build is a full one; left out, they would read as
 * an edition without outputs, or files unknown), or where they are
 * (kind: the record that says so, in a worker's report). */
static void
put_records(wp_buf *out, wp_summary_store *st, long long at, size_t len,
    const char *kind)
{
	if (st == NULL)
		return;         /* (read from a text: where is nothing) */
	if (kind && st->fd >= 0) {
		wp_buf_puts(out, kind);
		put_ll(out, at);
		put_ll(out, (long long)len);
		wp_buf_putc(out, '\n');
		return;
	}
	wp_buf_grow(out, len);
	if (wp_summary_store_read(st, at, out->data + out->len, len) == 0)
		out->len += len;
	else
		wp_buf_puts(out, "unreadable\n");
}

int
wp_manifest_spill_files(wp_manifest *m, wp_filecache *c, size_t first,
    int dirs, wp_summary_store *st)
{
	wp_buf text = WP_BUF_INIT;
	long long at;
	size_t i;

	if (first >= c->len)
		return 0;
	for (i = first; i < c->len; i++)
		put_cached(&text, dirs ? "dir" : "file", &c->items[i]);
	at = wp_summary_store_append(st, text.data, text.len);
	if (at >= 0) {
		if (dirs)
			add_chunk(&m->dir_chunks, &m->ndir_chunks, at,
			    text.len);
		else
			add_chunk(&m->file_chunks, &m->nfile_chunks, at,
			    text.len);
		m->chunks_store = st;
		wp_filecache_truncate(c, first);
	}
	wp_buf_free(&text);
	return at >= 0 ? 0 : -1;
}

int
wp_manifest_entry_spill(wp_manifest_entry *e, wp_summary_store *st)
{
	wp_buf text = WP_BUF_INIT;
	long long at;

	if (e->records_len > 0)
		return 0;
	entry_records(e, &text);
	if (text.len == 0) {
		wp_buf_free(&text);
		return 0;
	}
	at = wp_summary_store_append(st, text.data, text.len);
	if (at >= 0) {
		e->store = st;
		e->records_at = at;
		e->records_len = text.len;
		drop_records(e);
	}
	wp_buf_free(&text);
	return at >= 0 ? 0 : -1;
}

/* e's records, with its summary's `sumat` record when out/'s store has
 * it, else (a worker's report, stored_refs) where it is in the build's
 * store, or inline. */
static void
write_entry(const wp_manifest_entry *e, const char *kind, wp_buf *out,
    int stored_refs)
{
	wp_buf_puts(out, kind);
	if (e->service) {
		put_field(out, e->service);
		put_field(out, e->lang);
	}
	put_field(out, e->inputs);
	wp_buf_putc(out, '\n');
	if (e->job >= 0)
		wp_buf_printf(out, "job\t%ld\n", e->job);
	if (e->records_len > 0 && e->store)
		put_records(out, e->store, e->records_at, e->records_len,
		    stored_refs ? "records" : NULL);
	else
		entry_records(e, out);
	write_entry_summary(e, out, stored_refs);
}

/* An entry's style, out, diag and pdf records. */
static void
entry_records(const wp_manifest_entry *e, wp_buf *out)
{
	size_t i;

	if (e->style) {
		wp_buf_puts(out, "style");
		put_field(out, e->style);
		wp_buf_putc(out, '\n');
	}
	for (i = 0; i < e->nouts; i++) {
		wp_buf_puts(out, "out\t");
		wp_buf_puts(out, e->outs[i].hex);
		put_stat(out, &e->outs[i].st);
		put_field(out, e->outs[i].rel);
		wp_buf_putc(out, '\n');
	}
	for (i = 0; i < e->ndiags; i++)
		put_diag(out, "diag", e->diags[i].source ? "source" : "own",
		    &e->diags[i].g);
	if (e->pdf_file) {
		wp_buf_puts(out, "pdf");
		put_field(out, e->pdf_file);
		wp_buf_putc(out, '\n');
	}
}

/* An entry's summary: its `sumat` record when out/'s store has it; in a
 * worker's report where it is in the build's store; else its records. */
static void
write_entry_summary(const wp_manifest_entry *e, wp_buf *out,
    int stored_refs)
{
	if (e->sum_len > 0) {
		wp_buf_puts(out, "sumat");
		put_ll(out, e->sum_at);
		put_ll(out, e->sum_len);
		wp_buf_putc(out, '\t');
		wp_buf_puts(out, e->sum_hex);
		wp_buf_putc(out, '\n');
	} else if (stored_refs && e->store && e->store_len > 0 &&
	    e->store->fd >= 0 &&
	    e->summary == NULL && e->summary_text == NULL) {
		wp_buf_puts(out, "stored");
		put_ll(out, e->store_at);
		put_ll(out, (long long)e->store_len);
		put_ll(out, (long long)e->text_len);
		put_field(out, e->text_len ? e->text_hex : "");
		wp_buf_putc(out, '\n');
	} else {
		wp_manifest_entry_write_summary(e, out);
	}
}

void
wp_manifest_write_entry(const wp_manifest_entry *e, const char *kind,
    wp_buf *out)
{
	write_entry(e, kind, out, 0);
}

typedef struct spill {
	int (*sink)(void *data, const char *s, size_t len);
	void *data;
	long long given;          /* bytes handed to the sink so far */
	wp_digest seal;           /* of those bytes, for the seal */
	wp_digest_part part;
} spill;

/* Hands what out holds to the sink, when there is one and at least
 * least bytes are waiting.  0 or -1. */
static int
spill_out(spill *k, wp_buf *out, size_t least)
{
	if (k == NULL || out->len == 0 || out->len < least)
		return 0;
	if (k->sink(k->data, out->data, out->len) != 0)
		return -1;
	if (k->part.h != NULL)
		wp_digest_part_add(&k->part, out->data, out->len);
	k->given += (long long)out->len;
	wp_buf_clear(out);
	return 0;
}

/* The seal (`end` and the digest of every byte of the manifest before
 * it), after the text that began at offset start of out (without a
 * sink), or after the bytes handed to k's sink and those out holds. */
static int
put_seal(wp_buf *out, size_t start, spill *k)
{
	char hex[33];

	if (k != NULL) {
		wp_digest_part_add(&k->part, out->data, out->len);
		wp_digest_part_end(&k->part);
		k->part.h = NULL;
		wp_digest_hex(&k->seal, hex);
	} else {
		bytes_hex(out->data + start, out->len - start, hex);
	}
	wp_buf_printf(out, SEAL_HEAD "%s\n", hex);
	return spill_out(k, out, 0);
}

/* The front of the manifest: all that comes before the site's entry. */
static int
write_front(const wp_manifest *m, wp_buf *out, spill *k)
{
	size_t i;

	wp_buf_printf(out, "%s\n", FORMAT);
	if (m->tool[0])
		wp_buf_printf(out, "tool\t%s\n", m->tool);
	if (m->global[0])
		wp_buf_printf(out, "global\t%s\n", m->global);
	if (m->tool[0] && m->exe.size >= 0) {
		wp_buf_printf(out, "exe\t%s", m->tool);
		put_stat(out, &m->exe);
		wp_buf_putc(out, '\n');
	}
	if (m->quick[0])
		wp_buf_printf(out, "quick\t%s\t%zu\n", m->quick, m->total);
	if (m->store_id[0])
		wp_buf_printf(out, "store\t%s\n", m->store_id);
	for (i = 0; i < m->dirs.len; i++) {
		put_cached(out, "dir", &m->dirs.items[i]);
		if (spill_out(k, out, SPILL_CHUNK) != 0)
			return -1;
	}
	for (i = 0; i < m->ndir_chunks; i++) {
		put_records(out, m->chunks_store, m->dir_chunks[i].at,
		    m->dir_chunks[i].len, m->stored_refs ? "dirs" : NULL);
		if (spill_out(k, out, SPILL_CHUNK) != 0)
			return -1;
	}
	for (i = 0; i < m->files.len; i++) {
		put_cached(out, "file", &m->files.items[i]);
		if (spill_out(k, out, SPILL_CHUNK) != 0)
			return -1;
	}
	for (i = 0; i < m->nfile_chunks; i++) {
		put_records(out, m->chunks_store, m->file_chunks[i].at,
		    m->file_chunks[i].len, m->stored_refs ? "files" : NULL);
		if (spill_out(k, out, SPILL_CHUNK) != 0)
			return -1;
	}
	for (i = 0; i < m->nedit; i++) {
		write_entry(m->editions[i], "edition", out, m->stored_refs);
		if (spill_out(k, out, SPILL_CHUNK) != 0)
			return -1;
	}
	return 0;
}

/* The rest: the site's entry and what follows it, to the seal (the
 * manifest began at offset start of out, without a sink). */
static int
write_back(const wp_manifest *m, wp_buf *out, size_t start, spill *k)
{
	size_t i;

	if (m->site)
		wp_manifest_write_entry(m->site, "site", out);
	if (m->assets)
		wp_manifest_write_entry(m->assets, "assets", out);
	if (m->prepare)
		wp_manifest_write_entry(m->prepare, "prepare", out);
	if (m->project)
		wp_manifest_write_entry(m->project, "project", out);
	for (i = 0; i < m->nreports; i++)
		put_diag(out, "report", "", &m->reports[i]);
	if (m->unchanged)
		wp_buf_printf(out, "unchanged\t%zu\n", m->unchanged);
	if (m->volatile_seen)
		wp_buf_puts(out, "volatile\n");
	return put_seal(out, start, k);
}

void
wp_manifest_write(const wp_manifest *m, wp_buf *out)
{
	size_t start = out->len;

	if (write_front(m, out, NULL) == 0)
		write_back(m, out, start, NULL);
}

struct wp_manifest_stream {
	spill k;
	wp_buf out;
};

wp_manifest_stream *
wp_manifest_stream_begin(const wp_manifest *m,
    int (*sink)(void *data, const char *s, size_t len), void *data)
{
	wp_manifest_stream *st = xcalloc(1, sizeof *st);

	st->k.sink = sink;
	st->k.data = data;
	wp_digest_init(&st->k.seal);
	wp_digest_part_begin(&st->k.part, &st->k.seal);
	wp_buf_init(&st->out);
	if (write_front(m, &st->out, &st->k) != 0) {
		wp_manifest_stream_end(st, NULL);
		return NULL;
	}
	return st;
}

int
wp_manifest_stream_end(wp_manifest_stream *st, const wp_manifest *m)
{
	int rc = -1;

	if (st == NULL)
		return -1;
	if (m != NULL)
		rc = write_back(m, &st->out, 0, &st->k);
	wp_buf_free(&st->out);
	free(st);
	return rc;
}
