/*
 * markmem.c: cmark-gfm's allocator over an arena (markmem.h).
 *
 * Each block carries its size in a header of one alignment unit, which
 * realloc needs to copy a block that cannot grow where it is.
 */
#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmark-gfm.h>

#include "arena.h"
#include "markmem.h"

#define HEADER (alignof(max_align_t))

static wp_arena *arena;
static int is_open;

static void *
block(size_t n)
{
	unsigned char *p;

	if (!is_open || n > SIZE_MAX / 2)
		abort();
	p = wp_arena_alloc(arena, HEADER + n);
	memcpy(p, &n, sizeof n);
	return p + HEADER;
}

static void *
mm_calloc(size_t count, size_t size)
{
	if (size && count > SIZE_MAX / 2 / size)
		abort();
	return block(count * size);
}

static void *
mm_realloc(void *p, size_t n)
{
	unsigned char *head;
	size_t old;

	if (p == NULL)
		return block(n);
	if (!is_open || n > SIZE_MAX / 2)
		abort();
	head = (unsigned char *)p - HEADER;
	memcpy(&old, head, sizeof old);
	if (n <= old)
		return p;
	head = wp_arena_grow(arena, head, HEADER + old, HEADER + n);
	memcpy(head, &n, sizeof n);
	return head + HEADER;
}

static void
mm_free(void *p)
{
	(void)p;                /* freed with the others at the close */
}

static cmark_mem mem = {mm_calloc, mm_realloc, mm_free};

struct cmark_mem *
wp_markmem_open(void)
{
	if (is_open)
		abort();
	if (arena == NULL)
		arena = wp_arena_new();
	is_open = 1;
	return &mem;
}

void
wp_markmem_close(void)
{
	if (!is_open)
		abort();
	wp_arena_reset(arena);
	is_open = 0;
}
