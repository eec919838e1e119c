/*
 * workers.h: worker processes that share a list of jobs, for `build` and
 * `check` (--jobs N).
 *
 * The parent forks N workers (they inherit everything it has read: the
 * project, catalogs, compiled templates), then hands out job numbers
 * through a pipe, one at a time, so that a slow job does not hold up the
 * others.  Each worker does the jobs it takes, then writes a report (any
 * bytes the caller chooses) into a memory file of its own; when every
 * worker has ended, the parent reads the reports, worker by worker, and
 * merges them.  Nothing is written to disk.  The order in which jobs end
 * is not the order of the list: a report says which jobs it holds, and
 * the caller puts their results back in job order.
 *
 * A worker dies with its parent (after kill -9 of the parent nothing goes
 * on running).  A worker that fails, is killed, or cannot start is
 * reported in d as an internal-error.
 */
#ifndef WP_WORKERS_H
#define WP_WORKERS_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "diag.h"

typedef struct wp_workers_ops {
	/* In a worker, before its first job (may be NULL). */
	void (*start)(void *ctx);
	/* In a worker: job k (one of the numbers given to wp_workers_run). */
	void (*run)(void *ctx, uint32_t k);
	/* In a worker, after its last job: its report, appended to out.
	 * Returns 0, or nonzero when the worker failed. */
	int (*report)(void *ctx, wp_buf *out);
	/* In the parent, for each worker that ended well, in the order the
	 * workers were started: its report. */
	void (*merge)(void *ctx, const char *report, size_t len);
	/* In the parent (may be NULL): job k.  When there is one, the
	 * parent is one of the nworkers: it forks one process fewer and
	 * takes jobs from the same queue (what it does needs no report),
	 * then merges the others' reports. */
	void (*run_here)(void *ctx, uint32_t k);
} wp_workers_ops;

/*
 * Runs the jobs todo[0..n-1] in min(nworkers, n) worker processes (the
 * parent one of them when ops->run_here is set).
 * what names them in diagnostics ("build worker"), reported at where.
 * Returns the number of workers that failed (each one said in d).
 */
size_t wp_workers_run(size_t nworkers, const uint32_t *todo, size_t n,
    const wp_workers_ops *ops, void *ctx, const char *what,
    const char *where, wp_diags *d);

#endif
