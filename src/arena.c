/*
 * arena.c: a bump allocator over a list of chunks (arena.h).
 *
 * Blocks come from the newest chunk; when it is full a new chunk is taken,
 * twice the size of the previous one up to a limit, or as large as the
 * block that needs it.  The space left in a full chunk is not reused.
 */
#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "util.h"

/* Under AddressSanitizer, the space of a chunk that is not handed out
 * (and all of it after a reset) is poisoned: a block used after its
 * arena was reset is then reported, not read as the next user's. */
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define POISON(p, n) ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif

#define FIRST_CHUNK (16 * 1024)
#define LARGEST_CHUNK (64 * 1024)
#define ALIGN (alignof(max_align_t))

typedef struct chunk {
	struct chunk *prev;
	size_t size, used;            /* of data[] */
	alignas(max_align_t) unsigned char data[];
} chunk;

typedef struct cleanup {
	struct cleanup *prev;
	void (*fn)(void *);
	void *p;
} cleanup;

struct wp_arena {
	chunk *top;
	size_t next_size;             /* of the next chunk */
	cleanup *cleanups;
};

wp_arena *
wp_arena_new(void)
{
	wp_arena *a = xcalloc(1, sizeof *a);

	a->next_size = FIRST_CHUNK;
	return a;
}

void
wp_arena_free(wp_arena *a)
{
	chunk *c, *prev;
	cleanup *k;

	if (a == NULL)
		return;
	for (k = a->cleanups; k != NULL; k = k->prev)
		k->fn(k->p);
	for (c = a->top; c != NULL; c = prev) {
		prev = c->prev;
		free(c);
	}
	free(a);
}

void
wp_arena_reset(wp_arena *a)
{
	chunk *c, *prev;
	cleanup *k;

	for (k = a->cleanups; k != NULL; k = k->prev)
		k->fn(k->p);
	a->cleanups = NULL;
	if (a->top == NULL)
		return;
	for (c = a->top->prev; c != NULL; c = prev) {
		prev = c->prev;
		free(c);
	}
	a->top->prev = NULL;
	a->top->used = 0;
	POISON(a->top->data, a->top->size);
}

static chunk *
new_chunk(wp_arena *a, size_t need)
{
	size_t size = a->next_size;
	chunk *c;

	if (size < need)
		size = need;
	c = xmalloc(sizeof *c + size);
	c->size = size;
	c->used = 0;
	c->prev = a->top;
	a->top = c;
	POISON(c->data, size);
	if (a->next_size < LARGEST_CHUNK)
		a->next_size *= 2;
	return c;
}

/* n bytes at a multiple of align (a power of two) in the arena. */
static void *
take(wp_arena *a, size_t n, size_t align)
{
	chunk *c = a->top;
	size_t at = 0;

	if (n > SIZE_MAX / 2)
		abort();
	if (c != NULL)
		at = (c->used + align - 1) & ~(align - 1);
	if (c == NULL || at > c->size || c->size - at < n) {
		c = new_chunk(a, n);
		at = 0;
	}
	c->used = at + n;
	UNPOISON(c->data + at, n);
	return c->data + at;
}

void *
wp_arena_alloc(wp_arena *a, size_t n)
{
	void *p = take(a, n ? n : 1, ALIGN);

	memset(p, 0, n);
	return p;
}

void *
wp_arena_grow(wp_arena *a, void *p, size_t old, size_t n)
{
	chunk *c = a->top;
	unsigned char *q = p;
	void *grown;

	if (n > SIZE_MAX / 2)
		abort();
	if (p == NULL)
		return take(a, n ? n : 1, ALIGN);
	if (n <= old)
		return p;
	if (c != NULL && q + old == c->data + c->used &&
	    (size_t)(q - c->data) + n <= c->size) {
		c->used = (size_t)(q - c->data) + n;
		UNPOISON(q, n);
		return p;
	}
	grown = take(a, n, ALIGN);
	memcpy(grown, p, old);
	return grown;
}

char *
wp_arena_strndup(wp_arena *a, const char *s, size_t n)
{
	char *p = take(a, n + 1, 1);

	if (n)
		memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void
wp_arena_on_free(wp_arena *a, void (*fn)(void *), void *p)
{
	cleanup *k = wp_arena_alloc(a, sizeof *k);

	k->fn = fn;
	k->p = p;
	k->prev = a->cleanups;
	a->cleanups = k;
}
