/*
 * manifest.h: what an incremental build knows of the previous one.
 *
 * A build writes out/.wpgen-manifest: the digest of the tool, of the
 * inputs every page depends on (templates, catalogs, site files), and of
 * every input file with its stat data (size, mtime, ctime, inode); per
 * edition the digest of its inputs (its Markdown, the source language's,
 * service.yaml, the lock, the service's other files), its service's style
 * (`style NAME`), every file it wrote
 * with its digest and stat data, its warnings, and where its summary
 * for the index and coverage pages lies (below); then the site pages'
 * entry and the style assets'.
 *
 * A summary is most of what a build keeps and is seldom needed: the
 * summaries lie in a file of their own, out/'s store (summary.h,
 * WP_STORE_NAME), which the manifest names (`store ID`); an edition's
 * `sumat OFFSET LENGTH DIGEST` says where its summary lies there and
 * the digest of its bytes.  A build that changes nothing, or that
 * keeps most editions, reads and writes none of them: a kept edition
 * keeps its `sumat` record as it is, unread (wp_manifest_open_store
 * only checks that the store is the one named and holds those bytes),
 * and an edition built again whose summary has the digest recorded
 * keeps the old one's; only a summary that changed is appended
 * (wp_manifest_put_summaries), before the manifest that points to it
 * is written, so that a build stopped in between leaves the previous
 * manifest pointing to bytes that are still those it recorded.  The
 * kept summaries are read when the site pages are made again
 * (wp_manifest_entry_read_summary), each checked then by its digest
 * and its edition (the bytes of another edition's summary have their
 * digest too): one that is not as recorded is as none, and its
 * edition is built again (build.c).  A store that is absent, of another
 * name, or too short for a record, is as none for the summaries it
 * should hold.  When its dead bytes (summaries no edition points to)
 * pass the live ones, a build writes a new store of the live ones
 * (another ID), as a full build does.  The summaries are records of
 * their own (summary.h: `summary 2` then `sum KEY VALUE`, `cat ID NAME
 * NCONTROLS BADGE` and `cov CONTROL TEXT ANCHOR TITLE VIA` lines;
 * another version of that form is not read, and its edition is built
 * again).  Bytes that have the digest recorded are those a build
 * wrote, records that read; only a store wpgen did not write can hold
 * records that do not read, and the build that meets them fails and
 * removes the manifest (build.c).  A worker's report has the summaries
 * of the editions it built inline, each after its edition's records,
 * and the `sumat` records of those it kept.
 *
 * The next build trusts a file whose stat data are those recorded (as
 * make and git do) and reads and digests it otherwise: the content
 * decides, so a file touched but unchanged is still unchanged.  Stat data
 * are trusted only when the file was last changed more than a second
 * before the build that recorded them (settled: a file changed again
 * within the same clock tick would keep its size and times; git calls
 * such a file "racily clean").  Those of a file that was not settled are
 * recorded all the same, marked so: a file found with them is read, and
 * is as it was when its digest is the one recorded (a directory: the
 * digest of the names it holds).  `file DIGEST SETTLED SIZE MTIME CTIME
 * INODE PATH` and `dir DIGEST SETTLED ... PATH` (SETTLED 1 or 0; a
 * directory noted but not listed has an empty DIGEST).
 *
 * A worker's report (build --jobs) is in the same form, but what the
 * worker put in the build's store (summary.h) is said by where it is:
 * `stored AT LEN TEXTLEN DIGEST` for a summary (its block, then its
 * records), `records AT LEN` for an edition's
 * style, out, diag and pdf records, `files AT LEN` and `dirs AT LEN`
 * for records of files and directories; a manifest never holds them
 * (one that did would not be of this build: its editions are made
 * again).
 *
 * The format is one record a line, fields separated by tabs, with \\, \t,
 * \n and \r escaped in text fields, so that it reads without a parser of
 * JSON.  Its last line is its seal: `end` and the digest of every byte
 * before it (as git seals its index), so that a manifest damaged where
 * it still reads (a byte of a service's name changed: that service's
 * edition would be taken for one of another service, and left out) is
 * not read at all.  A manifest that is not sealed, does not read whole,
 * or is of another format or another tool, is ignored: the build is
 * then a full one.
 *
 * Digests are 128 bits (two 64-bit halves, words at a time; 32 bytes or
 * more run in four independent lanes of them, a 32-byte block at a time,
 * folded into one at the end with their length, so that the
 * multiplications of one block do not wait for each other and a file
 * can be digested as it is written): for noticing change, not for
 * security.
 * A manifest whose digests were made otherwise is of another format (the
 * format line says which): the build after an upgrade is a full one.
 */
#ifndef WP_MANIFEST_H
#define WP_MANIFEST_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"

#define WP_MANIFEST_NAME ".wpgen-manifest"

struct wp_buf;
struct wp_summary_store;

typedef struct wp_digest {
	uint64_t a, b;
} wp_digest;

void wp_digest_init(wp_digest *h);
/* Adds n bytes (and their length, so that "ab"+"c" != "a"+"bc"). */
void wp_digest_add(wp_digest *h, const void *data, size_t n);
void wp_digest_add_str(wp_digest *h, const char *s);
/* The same as wp_digest_add(h, data, n) with the n bytes given in
 * pieces, their number known at the end (a file read a chunk at a time,
 * a page digested as it is written): begin, add the pieces, end. */
#define WP_DIGEST_LANES 4
typedef struct wp_digest_part {
	wp_digest *h;
	uint64_t a[WP_DIGEST_LANES], b[WP_DIGEST_LANES];
	unsigned char tail[8 * WP_DIGEST_LANES];   /* a block begun */
	size_t ntail;
	uint64_t total;           /* bytes added */
	int lanes;                /* a block was digested (32 bytes or more) */
} wp_digest_part;
void wp_digest_part_begin(wp_digest_part *p, wp_digest *h);
void wp_digest_part_add(wp_digest_part *p, const void *data, size_t n);
void wp_digest_part_end(wp_digest_part *p);
/* 32 hex digits and a NUL. */
void wp_digest_hex(const wp_digest *h, char out[33]);

/* What stat says of a file: it is unchanged while these are. */
typedef struct wp_filestat {
	long long size, mtime, ctime, ino;   /* times in ns */
} wp_filestat;

/* lstat of path: 0 for a regular file, else -1. */
int wp_filestat_get(const char *path, wp_filestat *st);
/* The same from stat data taken already. */
struct stat;
void wp_filestat_of(const struct stat *s, wp_filestat *st);
/* stat of a directory (following a symbolic link): 0, else -1. */
int wp_filestat_dir(const char *path, wp_filestat *st);
/* Whether stat data taken now may stand for the file from now on: it was
 * last changed more than a second before t0 (ns since the epoch). */
int wp_filestat_settled(const wp_filestat *st, long long t0);
int wp_filestat_same(const wp_filestat *a, const wp_filestat *b);

/* Input files by path: their digest and stat data. */
typedef struct wp_filecache_item {
	char *path;
	unsigned long hash;  /* of path, for the cache's slots */
	char hex[33];     /* a directory's: the digest of its names (empty
	                     when not listed) */
	wp_filestat st;
	int trusted;      /* st may stand for the content: it was settled */
	int settled_now;  /* found the same by its content and settled
	                     since (wp_build_unchanged: not written) */
	long long flag_at;  /* where its settled flag is in the manifest
	                     it was read from, or -1 */
	int same;         /* stat found it as recorded (wp_build_unchanged:
	                     not written) */
} wp_filecache_item;

typedef struct wp_filecache {
	wp_filecache_item *items;
	size_t len, cap;
	size_t *slots;    /* index + 1, open addressing; 0 is empty */
	size_t nslots;
	size_t *by_path;  /* the items' indexes in byte order of path,
	                     made by wp_filecache_each_under(), or NULL */
} wp_filecache;

void wp_filecache_init(wp_filecache *c);
void wp_filecache_free(wp_filecache *c);
const wp_filecache_item *wp_filecache_get(const wp_filecache *c,
    const char *path);
/* Adds or replaces path's entry; it. */
wp_filecache_item *wp_filecache_put(wp_filecache *c, const char *path,
    const char *hex, const wp_filestat *st, int trusted);
/* Drops the items from the n-th on. */
void wp_filecache_truncate(wp_filecache *c, size_t n);
/* Calls fn for every item of c under dir (dir itself included), in byte
 * order of path, until fn returns 0: then 0, else 1. */
int wp_filecache_each_under(wp_filecache *c, const char *dir,
    int (*fn)(void *ctx, const wp_filecache_item *it), void *ctx);
/* The digest of the names in directory dir (those wp_inputs_tree lists):
 * 0, or -1 when it cannot be read. */
int wp_listing_digest(const char *dir, char hex[33]);
/* Whether the file (dir: the directory) of it is as recorded: its stat
 * data are those recorded (this one only stats: it may run in a thread
 * of its own) and, when they cannot stand for its content alone (it was
 * not settled), its content (a directory: the names it holds) has the
 * digest recorded (this one reads them when needed). */
int wp_filecache_item_stat_same(const wp_filecache_item *it, int dir);
int wp_filecache_item_content_same(const wp_filecache_item *it, int dir);

/*
 * The digest of the inputs under a directory, through a file cache: what
 * reads the inputs of a build.  old: the previous build's files (may be
 * NULL); seen: every file digested, for the next manifest; files changed
 * since old was written count as such until a second after t0 (when the
 * build began: ns since the epoch).
 */
typedef struct wp_inputs {
	const wp_filecache *old;
	wp_filecache *seen;
	long long t0;
	wp_filecache *dirs;   /* every directory listed, with its stat
	                         data (NULL: not noted) */
	int volatile_seen;    /* a symbolic link was met: what it leads to
	                         may change without any stat data changing */
	/* Called with the text of every file read whose name ends in keep
	 * (".md"), which then owns it; NULL: freed. */
	const char *keep;
	void (*kept)(void *ctx, char *path, char *text, size_t len);
	void *ctx;
	/* Files whose digest is known (from the text their reader parsed:
	 * service.yaml, translations.lock): not read again, that digest
	 * stands for each (NULL: none).  Their stat data, taken after that
	 * text was read, say whether it may be trusted next time: only when
	 * they had settled both when the build began (t0) and when the
	 * reading of that text began (known_t, ns since the epoch), which
	 * may be before t0 (a file saved in between must be read again).
	 * known_hex NULL: the file was absent when its reader looked (the
	 * lock: none); one found now stands as WP_DIGEST_ABSENT (all
	 * zeros, taken for no text's digest), never trusted, so that the next build reads it.
	 * known_met: whether the walk met each (a file read then and gone
	 * now was removed since: the caller says so). */
	const char *known_path[2];
	const char *known_hex[2];
	long long known_t[2];
	int known_met[2];
	size_t read;      /* files read (not known by their stat) */
} wp_inputs;

#define WP_DIGEST_ABSENT "00000000000000000000000000000000"

/* Adds one file: its name and the digest of its content. */
void wp_inputs_file(wp_inputs *in, wp_digest *h, const char *path,
    const char *name);
/* Adds every regular file under dir (names and content digests, in byte
 * order of name, recursively), skipping the names in skip
 * (NULL-terminated, may be NULL) at the top level.  -1 when dir cannot be
 * read (then only that is added). */
int wp_inputs_tree(wp_inputs *in, wp_digest *h, const char *dir,
    const char *const *skip);

/* ---- the manifest ---- */

typedef struct wp_manifest_out {
	char *rel;                /* path in out/ */
	char hex[33];
	wp_filestat st;           /* size -1: not known */
} wp_manifest_out;

typedef struct wp_manifest_diag {
	int source;               /* the source edition's, said once a
	                             service */
	wp_diag g;
} wp_manifest_diag;

/* An edition, the site pages or the style assets. */
typedef struct wp_manifest_entry {
	char *service, *lang;     /* NULL but for editions */
	char inputs[33];
	wp_manifest_out *outs;
	size_t nouts;
	wp_manifest_diag *diags;
	size_t ndiags;
	/* Its summary for the site pages (summary.h): made by this
	 * process, or read from summary_text when needed; NULL when not
	 * (yet) made or read. */
	struct wp_summary *summary;
	char *summary_text;       /* its records as a manifest or a worker's
	                             report had them (from its `summary`
	                             line, each line with its newline), or
	                             NULL; written again as they are, until
	                             read into summary (then dropped: the
	                             struct writes the same records) */
	size_t summary_len;
	long long sum_at, sum_len; /* where its summary lies in out/'s store
	                             (sum_len 0: it has none there) */
	char sum_hex[33];         /* and the digest of those bytes */
	/* Or its summary in a build's store (summary.h) instead: at
	 * store_at, store_len bytes (a worker's report says where:
	 * `stored AT LEN`, read with store NULL until the parent sets
	 * it); store NULL when not. */
	struct wp_summary_store *store;
	long long store_at;
	size_t store_len;
	size_t text_len;          /* its records after it there (0: none), */
	char text_hex[33];        /* and their digest */
	/* Its style, out, diag and pdf records in the same store instead
	 * of outs, diags, style and pdf_file (a full build's: written
	 * when the edition is, its outputs' stat data taken then): at
	 * records_at, records_len bytes (0: not; a worker's report says
	 * `records AT LEN`). */
	long long records_at;
	size_t records_len;
	char *pdf_file;           /* its PDF, when made in this build */
	char *style;              /* its service's style, when the service
	                             was read without a problem: what the
	                             project needs of the service to open it
	                             unread while its files are as recorded
	                             (wp_build_known); else NULL */
	long job;                 /* worker reports: the job, else -1 */
	int kept;                 /* taken from the previous build by this
	                             process: nothing of it was written */
	int outputs_same;         /* its outputs were found as recorded
	                             (wp_build_unchanged; not written) */
} wp_manifest_entry;

/* Records kept in a store: where, how many bytes. */
typedef struct wp_manifest_chunk {
	long long at;
	size_t len;
} wp_manifest_chunk;

typedef struct wp_manifest {
	char format[40];
	char tool[33], global[33];
	wp_filestat exe;          /* the program's file when tool was
	                             digested (size -1: not to be trusted) */
	char exe_tool[33];        /* the tool those stat data stand for */
	wp_filecache files;
	/* What a build decides from without opening the project
	 * (build.h, wp_build_unchanged): the key of its options (empty
	 * when the build cannot be decided so: git refs, PDFs, symbolic
	 * links), how many editions it selected, every directory whose
	 * listing it read, and the project's own problems. */
	char quick[33];
	size_t total;
	wp_filecache dirs;
	wp_manifest_entry *project;
	wp_manifest_entry **editions;
	size_t nedit;
	wp_manifest_entry *site, *assets;   /* NULL when absent */
	wp_manifest_entry *prepare;        /* the templates' problems */
	wp_diag *reports;                  /* worker reports: the worker's
	                                      diagnostics */
	size_t nreports;
	size_t unchanged;                  /* worker reports */
	int volatile_seen;                 /* worker reports: a symbolic
	                                      link among the inputs */
	wp_filestat self;                  /* the file it was read from
	                                      (wp_manifest_load) */
	char store_id[33];                 /* out/'s store its `sumat`
	                                      records point into (empty:
	                                      none) */
	struct wp_summary_store *sums;     /* that store, when opened
	                                      (wp_manifest_open_store) */
	int checked;                       /* wp_build_unchanged found the
	                                      same key and program and
	                                      noted which files, directories
	                                      and outputs are the same */
	/* Records of files and directories in a store (a full build's:
	 * written a service at a time), written after those of files and
	 * dirs (a worker's report: `files AT LEN`, `dirs AT LEN`). */
	struct wp_summary_store *chunks_store;
	struct wp_manifest_chunk *file_chunks, *dir_chunks;
	size_t nfile_chunks, ndir_chunks;
	int stored_refs;                   /* written: a summary in a store
	                                      (with a file) as where it is,
	                                      not its records (a worker's
	                                      report: the store is the
	                                      build's) */
	int service_order;                 /* editions in byte order of
	                                      service, as a build writes
	                                      them: 0 not yet looked at, 1
	                                      yes, 2 no (wp_build_known) */
} wp_manifest;

wp_manifest_entry *wp_manifest_entry_new(const char *service,
    const char *lang);
wp_manifest_entry *wp_manifest_entry_copy(const wp_manifest_entry *e);
/* The same, taking e's summary (e is left without one): an entry of the
 * previous build kept by this one, which it no longer needs. */
wp_manifest_entry *wp_manifest_entry_take(wp_manifest_entry *e);
void wp_manifest_entry_free(wp_manifest_entry *e);
/* Notes an output (the stat data unknown). */
wp_manifest_out *wp_manifest_entry_out(wp_manifest_entry *e,
    const char *rel, const char *hex);
void wp_manifest_entry_diag(wp_manifest_entry *e, int source,
    const wp_diag *g);
/* Says again in d the problems e noted, its source edition's (source 1:
 * the service's) or its own (0); nothing when e is NULL. */
void wp_manifest_entry_say_diags(wp_diags *d, const wp_manifest_entry *e,
    int source);

void wp_manifest_init(wp_manifest *m);
void wp_manifest_free(wp_manifest *m);
/* Reads a manifest (or a worker's report) from text: 0, or -1 when it is
 * not one whole (m is then empty). */
int wp_manifest_parse(wp_manifest *m, const char *text, size_t len);
/* Whether the len bytes at text end with a seal (`end DIGEST`) that is
 * the digest of the bytes before it. */
int wp_manifest_sealed(const char *text, size_t len);
/* The previous build's manifest from out_dir, when it is of this
 * format, sealed (wp_manifest_sealed: any byte changed since it was
 * written means no manifest) and reads whole: 0 or -1 (m is then
 * empty).  Whether it is of this
 * program is the caller's to see (m->tool). */
int wp_manifest_load(wp_manifest *m, const char *out_dir);
/* Opens out/'s store that m names, into m->sums, for reading m's
 * editions' summaries and appending new ones: every edition whose
 * `sumat` record names bytes it does not hold (or all of them, when it
 * is absent or another store) is as without a summary there (sum_len
 * 0).  0, or -1 when the store could not be opened. */
int wp_manifest_open_store(wp_manifest *m, const char *out_dir);
/* e's summary read from out/'s store st (where its `sumat` record
 * says), unless it has its text or struct already: kept as text when
 * its bytes have the digest recorded and are a summary of e's edition:
 * 0; else -1, and it is as none (sum_len 0). */
int wp_manifest_entry_read_summary(wp_manifest_entry *e,
    struct wp_summary_store *st);
/* Puts the summaries of m's editions into out/'s store st, which m then
 * names: those not there yet (no `sumat` record) appended, a 64 KiB
 * write at a time, each then with its record; with from (st a new
 * store, from the old), those in from copied too, each checked by its
 * digest (one that is not as recorded is left out: its edition has no
 * summary, and is built again next time).  0, or -1 when a write
 * failed (the records of those not written dropped). */
int wp_manifest_put_summaries(wp_manifest *m, struct wp_summary_store *st,
    struct wp_summary_store *from);
/* The bytes of the summaries m's editions point to in out/'s store. */
long long wp_manifest_summaries_live(const wp_manifest *m);
/* Sets the settled flag of the items of m that are settled_now in the
 * manifest file of out_dir, where it lies (a byte each), then its seal
 * for its bytes now, when it is still the one m was read from and has
 * no other name (a hard link: another file's bytes are not out/'s to
 * write): 0, else
 * -1 (nothing or part of it done: the caller writes the manifest whole;
 * stopped in between, the seal is not that of the bytes, and the next
 * build is a full one). */
int wp_manifest_settle(const wp_manifest *m, const char *out_dir);
/* Whether m, read by wp_manifest_load(), is still what out_dir holds. */
int wp_manifest_current(const wp_manifest *m, const char *out_dir);
/* This program's digest (its version and its bytes: a rebuilt wpgen may
 * write other pages from the same inputs) into tool, and the stat data
 * of its file into exe (size -1 when changed within a second of t0).
 * When the file's stat data are those old recorded, old's digest is
 * taken without reading the file. */
void wp_program_digest(const wp_manifest *old, long long t0, char tool[33],
    wp_filestat *exe);
/* Whether dir, and every directory and file under it, were found as m
 * recorded them (wp_build_unchanged noted which: item->same): nothing in
 * it was changed, added or removed since. */
int wp_manifest_tree_same(wp_manifest *m, const char *dir);
/* Its entry for an edition, or NULL. */
const wp_manifest_entry *wp_manifest_find(const wp_manifest *m,
    const char *svc, const char *lang);
/* The manifest as text: the header, files, editions (each with its
 * `sumat` record, or its summary inline: a worker's report), site,
 * assets and reports that m has, and the seal (`end DIGEST`). */
void wp_manifest_write(const wp_manifest *m, struct wp_buf *out);
/*
 * The same text handed to sink in pieces (once 64 KiB are waiting after
 * a record, and the rest at the end) instead of kept whole, in two
 * steps: the front, all the records that come before the site's entry
 * (begin), then the rest (end: the site's
 * entry, the assets', ... and the seal), so that a build writes the bulk
 * of its manifest while its site pages are made.  Between the two,
 * nothing of m that the front wrote may change (its editions, files,
 * directories, tool, quick).  sink returns 0, or -1 to stop (then so
 * does this).  begin() returns NULL when the sink failed; end() returns
 * 0, or -1 when the sink failed (m NULL: the stream given up), and
 * frees the stream.
 */
typedef struct wp_manifest_stream wp_manifest_stream;
wp_manifest_stream *wp_manifest_stream_begin(const wp_manifest *m,
    int (*sink)(void *data, const char *s, size_t len), void *data);
int wp_manifest_stream_end(wp_manifest_stream *st, const wp_manifest *m);
/* Whether e has a summary: made by this process, records read (not yet
 * read into a struct), or a `sumat` record (in out/'s store, read when
 * needed: wp_manifest_entry_read_summary). */
int wp_manifest_entry_has_summary(const wp_manifest_entry *e);
/* e's summary, read from its records (once) when it was read with e,
 * then kept in one block (wp_summary_compact) instead of its records;
 * NULL when it has none or they do not read. */
const struct wp_summary *wp_manifest_entry_summary(wp_manifest_entry *e);
/* e's summary for the site pages: from the store when it lies there
 * (*stored is then 1: give it back with wp_summary_store_release), and
 * with head only its head (summary.h, wp_summary_store_get_head: what
 * the site pages show of an edition but its coverage); else
 * wp_manifest_entry_summary(e).  NULL when it cannot be read. */
const struct wp_summary *wp_manifest_entry_site_summary(
    wp_manifest_entry *e, int head, int *stored);
/* Moves e's summary (e->summary) into st, with its records (which the
 * manifest copies back, and whose digest it notes): 0, or -1 (then it
 * stays). */
int wp_manifest_entry_keep_summary(wp_manifest_entry *e,
    struct wp_summary_store *st);
/* The digest of e's summary's records as written (that recorded when
 * they are those read from out/'s manifest). */
void wp_manifest_entry_summary_digest(const wp_manifest_entry *e,
    char hex[33]);
/* e's summary's records (nothing when it has none): 0, or -1 when
 * those in a store could not be read back (nothing written). */
int wp_manifest_entry_write_summary(const wp_manifest_entry *e,
    struct wp_buf *out);
/* Keeps the items of c from the first on out of memory: their records
 * into st, noted in m's chunks (dirs: m's dir chunks), and drops them
 * from c.  0, or -1 (then they stay). */
int wp_manifest_spill_files(wp_manifest *m, wp_filecache *c, size_t first,
    int dirs, struct wp_summary_store *st);
/* Keeps e's style, out, diag and pdf records out of memory, in st
 * (records_at): 0, or -1 (then they stay). */
int wp_manifest_entry_spill(wp_manifest_entry *e,
    struct wp_summary_store *st);
/* One entry's records (with a job line when e->job >= 0). */
void wp_manifest_write_entry(const wp_manifest_entry *e, const char *kind,
    struct wp_buf *out);

#endif
