/*
 * arena.h: memory that is freed all at once.
 *
 * An arena hands out blocks from large chunks and frees them together in
 * wp_arena_free(); there is no way to free one block.  It is for data that
 * lives exactly as long as one piece of work, such as the Mustache context
 * of one page (page.c): thousands of small maps, lists and strings built,
 * rendered once and dropped.
 *
 * Ownership: the caller of wp_arena_new() owns the arena and frees it with
 * wp_arena_free(), which first runs the cleanups registered with
 * wp_arena_on_free() (most recent first: heap data that something in the
 * arena took over, see value.h), then releases every chunk.  Pointers into
 * the arena are invalid after that.  An arena is not thread-safe.
 */
#ifndef WP_ARENA_H
#define WP_ARENA_H

#include <stddef.h>

typedef struct wp_arena wp_arena;

wp_arena *wp_arena_new(void);
void wp_arena_free(wp_arena *a);
/* Frees every block (running the cleanups) but keeps the newest chunk
 * for what comes next: the arena of one item after another. */
void wp_arena_reset(wp_arena *a);
/* n bytes, zeroed, aligned for any type; never NULL. */
void *wp_arena_alloc(wp_arena *a, size_t n);
/* Block p of old bytes (from wp_arena_alloc or this) made n bytes long:
 * grown where it is when it is the newest block and its chunk has room,
 * else copied into a new block.  The bytes past old are not zeroed. */
void *wp_arena_grow(wp_arena *a, void *p, size_t old, size_t n);
/* A copy of s[0..n) with a NUL after it. */
char *wp_arena_strndup(wp_arena *a, const char *s, size_t n);
/* Calls fn(p) when the arena is freed. */
void wp_arena_on_free(wp_arena *a, void (*fn)(void *), void *p);

#endif
