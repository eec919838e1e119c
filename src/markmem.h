/*
 * markmem.h: the memory of the Markdown trees a build parses, freed at
 * once.
 *
 * cmark-gfm allocates a tree node by node (and each text as it grows)
 * and frees it node by node.  A build reads a service's editions, renders
 * them and drops them together: their trees and parsers can come from one
 * arena (arena.h) handed to cmark-gfm as a cmark_mem, emptied when the
 * service is done.  A block is never freed alone; a block grown is grown
 * where it is when it is the newest one.
 *
 * cmark_mem's functions take no context, so the arena is the process's:
 * one is open at a time, between wp_markmem_open() and
 * wp_markmem_close().  Every tree made with it (and every parser) must be
 * dropped unfreed before the close (wp_document_options.mem says so to
 * wp_document_free); nothing may be allocated through it after.
 */
#ifndef WP_MARKMEM_H
#define WP_MARKMEM_H

struct cmark_mem;

/* The arena's cmark_mem, empty.  Aborts when it is open already. */
struct cmark_mem *wp_markmem_open(void);
/* Frees everything allocated through it (keeping a chunk for the next
 * open). */
void wp_markmem_close(void);

/*
 * The memory of one rendering: cmark-gfm's renderer grows its output
 * block by block (with the C library, a realloc each time), the caller
 * copies it and drops it.  With this cmark_mem the output grows where
 * it is, in an arena of its own, and is dropped, with whatever else was
 * allocated through it, by wp_markmem_scratch_reset(): never free() it.
 * Any tree may be rendered so, in whatever memory it lives.
 */
struct cmark_mem *wp_markmem_scratch(void);
void wp_markmem_scratch_reset(void);

#endif
