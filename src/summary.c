/*
 * summary.c: the summary of an edition for the site pages (summary.h):
 * making, copying and freeing one; a store of them out of memory.
 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "path.h"
#include "summary.h"
#include "util.h"
#include "value.h"

const char *const wp_summary_fields[] = {
	"service", "lang", "lang_name", "title", "short_title", "provider",
	"description", "copyright", "style", "version", "version_text",
	"label", "display", "date", "date_text", "href", "pdf_file",
	"pdf_href", "title_lang", "provider_lang", "description_lang",
	"copyright_lang", NULL
};

static const size_t field_offsets[] = {
	offsetof(wp_summary, service), offsetof(wp_summary, lang),
	offsetof(wp_summary, lang_name), offsetof(wp_summary, title),
	offsetof(wp_summary, short_title), offsetof(wp_summary, provider),
	offsetof(wp_summary, description), offsetof(wp_summary, copyright),
	offsetof(wp_summary, style), offsetof(wp_summary, version),
	offsetof(wp_summary, version_text), offsetof(wp_summary, label),
	offsetof(wp_summary, display), offsetof(wp_summary, date),
	offsetof(wp_summary, date_text), offsetof(wp_summary, href),
	offsetof(wp_summary, pdf_file), offsetof(wp_summary, pdf_href),
	offsetof(wp_summary, title_lang), offsetof(wp_summary, provider_lang),
	offsetof(wp_summary, description_lang),
	offsetof(wp_summary, copyright_lang)
};

/* The i-th string field of s (wp_summary_fields[i]). */
static char **
field_at(wp_summary *s, size_t i)
{
	return (char **)((char *)s + field_offsets[i]);
}

char **
wp_summary_field(wp_summary *s, const char *key)
{
	size_t i;

	for (i = 0; wp_summary_fields[i]; i++)
		if (strcmp(wp_summary_fields[i], key) == 0)
			return (char **)((char *)s + field_offsets[i]);
	return NULL;
}

wp_summary *
wp_summary_new(void)
{
	return xcalloc(1, sizeof(wp_summary));
}

static char *
dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

wp_summary_catalog *
wp_summary_add_catalog(wp_summary *s, const char *id, const char *name,
    size_t ncontrols)
{
	wp_summary_catalog *c;

	s->catalogs = xrealloc(s->catalogs, (s->ncatalogs + 1) *
	    sizeof *s->catalogs);
	c = &s->catalogs[s->ncatalogs++];
	memset(c, 0, sizeof *c);
	c->id = xstrdup(id);
	c->name = dup_or_null(name);
	c->ncontrols = ncontrols;
	c->count = xcalloc(ncontrols + 1, sizeof *c->count);
	return c;
}

int
wp_summary_add_section(wp_summary_catalog *cat, size_t c, const char *text,
    const char *anchor, const char *title, const char *via)
{
	wp_summary_section *sec;

	if (c >= cat->ncontrols || c < cat->last)
		return -1;
	cat->last = c;
	if (cat->nsections == cat->cap) {
		cat->cap = cat->cap ? 2 * cat->cap : 16;
		cat->sections = xrealloc(cat->sections, cat->cap *
		    sizeof *cat->sections);
	}
	sec = &cat->sections[cat->nsections++];
	sec->text = dup_or_null(text);
	sec->anchor = dup_or_null(anchor);
	sec->title = dup_or_null(title);
	sec->via = dup_or_null(via);
	cat->count[c]++;
	return 0;
}

/* Sizes rounded up for what follows to be aligned. */
static size_t
aligned(size_t n)
{
	return (n + 15) & ~(size_t)15;
}

/* Calls fn with each string slot of s's head (summary.h): its fields
 * (wp_summary_fields), then each catalog's id and name. */
static void
each_head_string(wp_summary *s, void (*fn)(void *ctx, char **slot),
    void *ctx)
{
	size_t i;

	for (i = 0; wp_summary_fields[i]; i++)
		fn(ctx, field_at(s, i));
	for (i = 0; i < s->ncatalogs; i++) {
		fn(ctx, &s->catalogs[i].id);
		fn(ctx, &s->catalogs[i].name);
	}
}

/* Calls fn with each string slot of s's catalogs' sections: text,
 * anchor, title and via. */
static void
each_section_string(wp_summary *s, void (*fn)(void *ctx, char **slot),
    void *ctx)
{
	wp_summary_section *sec;
	size_t i, j;

	for (i = 0; i < s->ncatalogs; i++) {
		for (j = 0; j < s->catalogs[i].nsections; j++) {
			sec = &s->catalogs[i].sections[j];
			fn(ctx, &sec->text);
			fn(ctx, &sec->anchor);
			fn(ctx, &sec->title);
			fn(ctx, &sec->via);
		}
	}
}

/* Calls fn with each string slot of s, always in this order: those of
 * its head, then those of its sections. */
static void
each_string(wp_summary *s, void (*fn)(void *ctx, char **slot), void *ctx)
{
	each_head_string(s, fn, ctx);
	each_section_string(s, fn, ctx);
}

/* The number of string slots each_string() visits. */
static size_t
count_strings(const wp_summary *s)
{
	size_t n = 0, i;

	for (i = 0; wp_summary_fields[i]; i++)
		n++;
	for (i = 0; i < s->ncatalogs; i++)
		n += 2 + 4 * s->catalogs[i].nsections;
	return n;
}

/*
 * The strings of a summary in its block, each once: a section that
 * addresses several controls, and the mapped controls' labels (via) of
 * every section covering a control through the mapping, repeat the same
 * texts (half the bytes of a summary's strings, in the bench corpus).
 * An open-addressing table from a text to its offset in the strings;
 * slot[k] is where the k-th slot's text lies (NO_STRING: NULL).
 */
#define NO_STRING ((size_t)-1)

typedef struct pool {
	const char **keys;
	size_t *offs, *lens;
	size_t cap, bytes;
	size_t *slot;
	size_t nslots;
} pool;

static void
pool_init(pool *p, size_t n)
{
	p->cap = 16;
	while (p->cap < 2 * n)
		p->cap *= 2;
	p->keys = xcalloc(p->cap, sizeof *p->keys);
	p->offs = xcalloc(p->cap, sizeof *p->offs);
	p->lens = xcalloc(p->cap, sizeof *p->lens);
	p->slot = xcalloc(n + 1, sizeof *p->slot);
	p->bytes = 0;
	p->nslots = 0;
}

/* Notes the text of a slot (each_string: the summary copied from),
 * adding it to the strings when it is new. */
static void
pool_add(void *ctx, char **slot)
{
	pool *p = ctx;
	const char *s = *slot;
	size_t i;

	if (s == NULL) {
		p->slot[p->nslots++] = NO_STRING;
		return;
	}
	i = wp_key_hash(s) & (p->cap - 1);
	while (p->keys[i] && strcmp(p->keys[i], s) != 0)
		i = (i + 1) & (p->cap - 1);
	if (p->keys[i] == NULL) {
		p->keys[i] = s;
		p->offs[i] = p->bytes;
		p->lens[i] = strlen(s) + 1;
		p->bytes += p->lens[i];
	}
	p->slot[p->nslots++] = p->offs[i];
}

/* What set_slot() needs: the copy's strings, and which slot is next. */
typedef struct pool_out {
	const pool *p;
	char *strings;
	size_t next;
} pool_out;

/* Points a slot of the copy at its text among the strings. */
static void
set_slot(void *ctx, char **slot)
{
	pool_out *o = ctx;
	size_t off = o->p->slot[o->next++];

	*slot = off == NO_STRING ? NULL : o->strings + off;
}

static void
pool_free(pool *p)
{
	free(p->keys);
	free(p->offs);
	free(p->lens);
	free(p->slot);
}

/*
 * A copy in one block: the struct and its catalogs, their strings, each
 * once (first those of the head: each_head_string), then the catalogs'
 * counts and sections.  So the block's first head_size bytes are its
 * head, read alone by wp_summary_store_get_head().  A build keeps a
 * summary per edition to the end: hundreds of small blocks each, made
 * between the pages' large ones, would scatter the heap.  Each text is
 * looked up once (pool_add), and each slot of the copy then set from
 * where it was found (set_slot).
 */
wp_summary *
wp_summary_copy(const wp_summary *s)
{
	const wp_summary_catalog *cat;
	wp_summary_catalog *to;
	wp_summary *c;
	size_t head = aligned(sizeof *s), arrays = 0, head_bytes, need, i;
	char *block, *at;
	pool p;
	pool_out o;

	head += aligned(s->ncatalogs * sizeof *s->catalogs);
	for (i = 0; i < s->ncatalogs; i++) {
		cat = &s->catalogs[i];
		arrays += aligned((cat->ncontrols + 1) * sizeof *cat->count);
		arrays += aligned(cat->nsections * sizeof *cat->sections);
	}
	pool_init(&p, count_strings(s));
	each_head_string((wp_summary *)s, pool_add, &p);
	head_bytes = p.bytes;
	each_section_string((wp_summary *)s, pool_add, &p);
	need = aligned(head + p.bytes) + arrays;
	block = xcalloc(1, need);
	o.p = &p;
	o.strings = block + head;
	o.next = 0;
	for (i = 0; i < p.cap; i++)
		if (p.keys[i])
			memcpy(o.strings + p.offs[i], p.keys[i], p.lens[i]);
	c = (wp_summary *)block;
	*c = *s;
	c->one_block = 1;
	c->block_size = need;
	c->head_size = head + head_bytes;
	c->catalogs = s->ncatalogs ? (wp_summary_catalog *)(block +
	    aligned(sizeof *s)) : NULL;
	at = block + aligned(head + p.bytes);
	for (i = 0; i < s->ncatalogs; i++) {
		cat = &s->catalogs[i];
		to = &c->catalogs[i];
		*to = *cat;
		to->cap = cat->nsections;
		to->count = (unsigned *)at;
		memcpy(to->count, cat->count, cat->ncontrols * sizeof
		    *cat->count);
		at += aligned((cat->ncontrols + 1) * sizeof *cat->count);
		to->sections = cat->nsections ? (wp_summary_section *)at :
		    NULL;
		at += aligned(cat->nsections * sizeof *cat->sections);
	}
	each_string(c, set_slot, &o);
	pool_free(&p);
	return c;
}

wp_summary *
wp_summary_compact(wp_summary *s)
{
	wp_summary *c;

	if (s == NULL || s->one_block)
		return s;
	c = wp_summary_copy(s);
	wp_summary_free(s);
	return c;
}

static void
free_slot(void *ctx, char **slot)
{
	(void)ctx;
	free(*slot);
}

void
wp_summary_free(wp_summary *s)
{
	wp_summary_catalog *cat;
	size_t i;

	if (s == NULL)
		return;
	if (s->one_block) {
		free(s);
		return;
	}
	each_string(s, free_slot, NULL);
	for (i = 0; i < s->ncatalogs; i++) {
		cat = &s->catalogs[i];
		free(cat->sections);
		free(cat->count);
	}
	free(s->catalogs);
	free(s);
}

/* ---- the store ---- */

void
wp_summary_store_open(wp_summary_store *st, const char *dir)
{
	char *path;

	memset(st, 0, sizeof *st);
	st->fd = -1;
	if (dir != NULL) {
		path = xasprintf("%s/.wpgen-summaries", dir);
		st->fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC |
		    O_NOFOLLOW, 0600);
		/* Nothing of it outlives the build, however it ends. */
		if (st->fd >= 0 && unlink(path) != 0) {
			close(st->fd);
			st->fd = -1;
		}
		free(path);
	}
	if (st->fd < 0) {
		st->mem = xcalloc(1, sizeof *st->mem);
		wp_buf_init(st->mem);
	}
}

void
wp_summary_store_close(wp_summary_store *st)
{
	if (st->fd >= 0)
		close(st->fd);
	if (st->mem) {
		wp_buf_free(st->mem);
		free(st->mem);
	}
	st->fd = -1;
	st->mem = NULL;
}

/* The header of out/'s store named id. */
static void
store_head(char head[WP_STORE_HEAD + 1], const char *id)
{
	snprintf(head, WP_STORE_HEAD + 1, WP_STORE_MAGIC "%.32s\n", id);
}

int
wp_summary_store_create(wp_summary_store *st, const char *path,
    const char *id)
{
	char head[WP_STORE_HEAD + 1];
	int fd, e;

	wp_summary_store_open(st, NULL);
	if (strlen(id) != 32) {
		errno = EINVAL;
		return -1;
	}
	store_head(head, id);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
	    0644);
	if (fd < 0 || wp_write_all(fd, head, WP_STORE_HEAD) != 0) {
		e = errno;
		if (fd >= 0)
			close(fd);
		errno = e;
		return -1;
	}
	wp_summary_store_close(st);       /* (its memory) */
	st->fd = fd;
	st->end = (long long)WP_STORE_HEAD;
	memcpy(st->id, id, 33);
	return 0;
}

int
wp_summary_store_attach(wp_summary_store *st, const char *path,
    const char *id)
{
	char head[WP_STORE_HEAD + 1], want[WP_STORE_HEAD + 1];
	struct stat s;
	int fd;

	wp_summary_store_open(st, NULL);
	if (strlen(id) != 32)
		return -1;
	fd = open(path, O_RDWR | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -1;
	store_head(want, id);
	/* (a file of another name too, a hard link, is not out/'s own: out/
	 * may come with the content, the link's other name in it) */
	if (fstat(fd, &s) != 0 || !S_ISREG(s.st_mode) || s.st_nlink != 1 ||
	    s.st_size < (off_t)WP_STORE_HEAD ||
	    pread(fd, head, WP_STORE_HEAD, 0) != (ssize_t)WP_STORE_HEAD ||
	    memcmp(head, want, WP_STORE_HEAD) != 0 ||
	    lseek(fd, 0, SEEK_END) != s.st_size) {
		close(fd);
		return -1;
	}
	wp_summary_store_close(st);       /* (its memory) */
	st->fd = fd;
	st->end = (long long)s.st_size;
	memcpy(st->id, id, 33);
	return 0;
}

/* The file locked (or unlocked) against the other processes of the
 * build that append to it. */
static int
store_lock(int fd, short type)
{
	struct flock l;

	memset(&l, 0, sizeof l);
	l.l_type = type;
	l.l_whence = SEEK_SET;
	while (fcntl(fd, F_SETLKW, &l) != 0)
		if (errno != EINTR)
			return -1;
	return 0;
}

long long
wp_summary_store_append(wp_summary_store *st, const void *data, size_t n)
{
	off_t at;
	int e;

	if (st->fd < 0) {
		if (st->mem == NULL)
			return -1;
		at = (off_t)st->mem->len;
		wp_buf_put(st->mem, data, n);
		return (long long)at;
	}
	if (!st->shared) {
		/* (this process's own: its offset is the end) */
		at = (off_t)st->end;
		if (wp_write_all(st->fd, data, n) != 0) {
			/* (the end is where the part written ends) */
			e = errno;
			st->end = (long long)lseek(st->fd, 0, SEEK_END);
			if (st->end < 0)
				st->shared = 1;
			errno = e;
			return -1;
		}
		st->end += (long long)n;
		return (long long)at;
	}
	if (store_lock(st->fd, F_WRLCK) != 0)
		return -1;
	at = lseek(st->fd, 0, SEEK_END);
	e = at < 0 || wp_write_all(st->fd, data, n) != 0 ? errno : 0;
	store_lock(st->fd, F_UNLCK);
	if (e) {
		errno = e;
		return -1;
	}
	return (long long)at;
}

int
wp_summary_store_read(wp_summary_store *st, long long at, void *buf,
    size_t n)
{
	char *to = buf;
	ssize_t got;

	if (st->fd < 0) {
		if (st->mem == NULL || at < 0 || (size_t)at > st->mem->len ||
		    n > st->mem->len - (size_t)at)
			return -1;
		memcpy(buf, st->mem->data + at, n);
		return 0;
	}
	while (n > 0) {
		got = pread(st->fd, to, n, (off_t)at);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			return -1;
		to += got;
		at += got;
		n -= (size_t)got;
	}
	return 0;
}

/* A pointer of a block as its offset + 1 (0 for NULL), and back. */
#define PACK(p, base) ((p) = (void *)((p) ? (uintptr_t)((char *)(p) - \
    (base)) + 1 : 0))

static int
unpack_ptr(void *slot, char *base, size_t size)
{
	uintptr_t v;

	memcpy(&v, slot, sizeof v);
	if (v > size)
		return -1;
	v = v ? (uintptr_t)(base + v - 1) : 0;
	memcpy(slot, &v, sizeof v);
	return 0;
}

/* Whether n bytes at p (NULL: none) are inside the block. */
static int
inside(const void *p, size_t n, const char *base, size_t len)
{
	const char *q = p;

	if (q == NULL)
		return n == 0;
	return q >= base && (size_t)(q - base) <= len &&
	    n <= len - (size_t)(q - base);
}

/* What pack_slot() and unpack_slot() need: the block the pointers lie
 * in, its length, and whether one was out of it. */
typedef struct block_ctx {
	char *base;
	size_t len;
	int bad;
} block_ctx;

static void
pack_slot(void *ctx, char **slot)
{
	PACK(*slot, ((block_ctx *)ctx)->base);
}

static void
unpack_slot(void *ctx, char **slot)
{
	block_ctx *b = ctx;

	b->bad |= unpack_ptr(slot, b->base, b->len);
}

/* p, a pointer into the block at from, as the same place in the block
 * at to. */
static void *
moved(const void *p, const char *from, char *to)
{
	return p ? to + ((const char *)p - from) : NULL;
}

long long
wp_summary_store_put(wp_summary_store *st, const wp_summary *s,
    const char *extra, size_t nextra, size_t *len)
{
	wp_summary *c, *own = NULL;
	wp_summary_catalog *cat;
	block_ctx b, from = {NULL, 0, 0};
	long long at;
	size_t i;

	if (!s->one_block)
		s = own = wp_summary_copy(s);
	b.base = xmalloc(s->block_size + nextra);
	memcpy(b.base, s, s->block_size);
	if (nextra)
		memcpy(b.base + s->block_size, extra, nextra);
	/* The copy's arrays where they are in it, then every pointer as
	 * its offset in it (its strings still point into s: their offsets
	 * from s are theirs in the copy). */
	c = (wp_summary *)b.base;
	c->catalogs = moved(c->catalogs, (const char *)s, b.base);
	for (i = 0; i < c->ncatalogs; i++) {
		cat = &c->catalogs[i];
		cat->count = moved(cat->count, (const char *)s, b.base);
		cat->sections = moved(cat->sections, (const char *)s, b.base);
	}
	from.base = (char *)s;
	each_string(c, pack_slot, &from);
	for (i = 0; i < c->ncatalogs; i++) {
		cat = &c->catalogs[i];
		PACK(cat->count, b.base);
		PACK(cat->sections, b.base);
	}
	PACK(c->catalogs, b.base);
	*len = s->block_size;
	at = wp_summary_store_append(st, b.base, s->block_size + nextra);
	free(b.base);
	wp_summary_free(own);
	return at;
}

/* The catalogs of the block in b (c, at its start) as pointers, checked
 * to lie inside it; b->bad set when they do not. */
static void
unpack_catalogs(wp_summary *c, block_ctx *b)
{
	b->bad |= unpack_ptr(&c->catalogs, b->base, b->len);
	if (!b->bad && (c->ncatalogs > b->len / sizeof *c->catalogs ||
	    !inside(c->catalogs, c->ncatalogs * sizeof *c->catalogs, b->base,
	    b->len)))
		b->bad = 1;
}

/* c, got from st: counted among those held (wp_summary_store_release). */
static wp_summary *
hold(wp_summary_store *st, wp_summary *c)
{
	st->held++;
	if (st->held > st->held_max)
		st->held_max = st->held;
	return c;
}

wp_summary *
wp_summary_store_get(wp_summary_store *st, long long at, size_t len)
{
	wp_summary *c;
	wp_summary_catalog *cat;
	block_ctx b = {NULL, len, 0};
	size_t i;

	if (len < sizeof *c)
		return NULL;
	/* (every string ends inside the block, or at this NUL after it, as
	 * in a head: the block itself ends with its arrays) */
	b.base = xmalloc(len + 1);
	if (wp_summary_store_read(st, at, b.base, len) != 0) {
		free(b.base);
		return NULL;
	}
	b.base[len] = '\0';
	/* Its arrays first, each inside the block; then every string. */
	c = (wp_summary *)b.base;
	unpack_catalogs(c, &b);
	for (i = 0; !b.bad && i < c->ncatalogs; i++) {
		cat = &c->catalogs[i];
		b.bad |= unpack_ptr(&cat->count, b.base, len);
		b.bad |= unpack_ptr(&cat->sections, b.base, len);
		if (cat->nsections > len / sizeof *cat->sections ||
		    cat->ncontrols > len / sizeof *cat->count ||
		    !inside(cat->sections, cat->nsections *
		    sizeof *cat->sections, b.base, len) ||
		    !inside(cat->count, cat->ncontrols * sizeof *cat->count,
		    b.base, len))
			b.bad = 1;
	}
	if (!b.bad)
		each_string(c, unpack_slot, &b);
	if (b.bad || !c->one_block || c->block_size != len) {
		free(b.base);
		return NULL;
	}
	return hold(st, c);
}

/* What a head read takes first: most heads, whole. */
#define HEAD_GUESS 4096

wp_summary *
wp_summary_store_get_head(wp_summary_store *st, long long at, size_t len)
{
	wp_summary *c;
	wp_summary_catalog *cat;
	block_ctx b = {NULL, 0, 0};
	size_t n = len < HEAD_GUESS ? len : HEAD_GUESS, i;

	if (len < sizeof *c)
		return NULL;
	b.base = xmalloc(n + 1);
	c = (wp_summary *)b.base;
	if (wp_summary_store_read(st, at, b.base, n) != 0 ||
	    !c->one_block || c->block_size != len ||
	    c->head_size < sizeof *c || c->head_size > len)
		goto bad;
	if (c->head_size > n) {
		b.base = xrealloc(b.base, c->head_size + 1);
		if (wp_summary_store_read(st, at + (long long)n, b.base + n,
		    ((wp_summary *)b.base)->head_size - n) != 0)
			goto bad;
		c = (wp_summary *)b.base;
	}
	/* (every string of the head ends inside it, or at this NUL) */
	b.len = c->head_size;
	b.base[b.len] = '\0';
	unpack_catalogs(c, &b);
	if (b.bad)
		goto bad;
	for (i = 0; i < c->ncatalogs; i++) {
		cat = &c->catalogs[i];
		cat->ncontrols = cat->nsections = cat->cap = cat->last = 0;
		cat->count = NULL;
		cat->sections = NULL;
	}
	each_head_string(c, unpack_slot, &b);
	if (b.bad)
		goto bad;
	c->block_size = c->head_size;
	return hold(st, c);
bad:
	free(b.base);
	return NULL;
}

void
wp_summary_store_release(wp_summary_store *st, wp_summary *s)
{
	if (s == NULL)
		return;
	st->held--;
	wp_summary_free(s);
}
