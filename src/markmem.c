/*
 * markmem.c: cmark-gfm's allocators over arenas (markmem.h).
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

static wp_arena *trees;         /* between wp_markmem_open() and close */
static int is_open;
static wp_arena *scratch;       /* until wp_markmem_scratch_reset() */

static void *
block(wp_arena *a, size_t n)
{
	unsigned char *p;

	if (n > SIZE_MAX / 2)
		abort();
	p = wp_arena_alloc(a, HEADER + n);
	memcpy(p, &n, sizeof n);
	return p + HEADER;
}

/* Below this, count and size multiply to less than SIZE_MAX / 2: no
 * division is needed to know it (a division a node is a cost). */
#define SMALL ((size_t)1 << (sizeof(size_t) * 4 - 1))

static void *
block_calloc(wp_arena *a, size_t count, size_t size)
{
	if ((count >= SMALL || size >= SMALL) && size &&
	    count > SIZE_MAX / 2 / size)
		abort();
	return block(a, count * size);
}

static void *
block_realloc(wp_arena *a, void *p, size_t n)
{
	unsigned char *head;
	size_t old;

	if (p == NULL)
		return block(a, n);
	if (n > SIZE_MAX / 2)
		abort();
	head = (unsigned char *)p - HEADER;
	memcpy(&old, head, sizeof old);
	if (n <= old)
		return p;
	head = wp_arena_grow(a, head, HEADER + old, HEADER + n);
	memcpy(head, &n, sizeof n);
	return head + HEADER;
}

static void
mm_free(void *p)
{
	(void)p;                /* freed with the others at the close */
}

static void *
tree_calloc(size_t count, size_t size)
{
	if (!is_open)
		abort();
	return block_calloc(trees, count, size);
}

static void *
tree_realloc(void *p, size_t n)
{
	if (!is_open)
		abort();
	return block_realloc(trees, p, n);
}

static void *
scratch_calloc(size_t count, size_t size)
{
	return block_calloc(scratch, count, size);
}

static void *
scratch_realloc(void *p, size_t n)
{
	return block_realloc(scratch, p, n);
}

static cmark_mem tree_mem = {tree_calloc, tree_realloc, mm_free};
static cmark_mem scratch_mem = {scratch_calloc, scratch_realloc, mm_free};

struct cmark_mem *
wp_markmem_open(void)
{
	if (is_open)
		abort();
	if (trees == NULL)
		trees = wp_arena_new();
	is_open = 1;
	return &tree_mem;
}

void
wp_markmem_close(void)
{
	if (!is_open)
		abort();
	wp_arena_reset(trees);
	is_open = 0;
}

struct cmark_mem *
wp_markmem_scratch(void)
{
	if (scratch == NULL)
		scratch = wp_arena_new();
	return &scratch_mem;
}

void
wp_markmem_scratch_reset(void)
{
	if (scratch)
		wp_arena_reset(scratch);
}
