/*
 * outdir.h: the output directory of `wpgen build`, kept safe.
 *
 * A build never writes into out/ itself: it fills a new directory beside
 * it (out.tmp-PID) and swaps it into place at the end, so the previous
 * out/ stays whole whatever happens to the build (an error, kill -9, a
 * full disk).  Because the swap deletes the previous out/, wpgen only
 * replaces a directory that it made: out/ must be absent, empty, or hold
 * the marker file .wpgen-out that every build writes; and it must not be,
 * hold, or lie inside the content or templates tree.  A lock file beside
 * out/ (.out.wpgen-lock, removed when the build ends) keeps two builds
 * from writing into one out/ at once; what a killed build left
 * (out.tmp-PID, out.old-PID with the marker inside, an unlocked lock
 * file, in out/ the temporary file of a manifest written in place) is
 * removed or taken over by the next build.
 */
#ifndef WP_OUTDIR_H
#define WP_OUTDIR_H

#define WP_OUT_MARKER ".wpgen-out"

typedef struct wp_outdir {
	char *path;     /* --out without trailing slashes */
	char *tmp;      /* the directory being built: path.tmp-PID */
	char *lock;     /* the lock file beside out/: .BASE.wpgen-lock */
	int lock_fd;    /* -1 when not held */
} wp_outdir;

struct wp_diags;

/* Checks that out may be replaced by a build of content with templates,
 * takes the lock and removes the debris of killed builds.  0, or an exit
 * status (2: out is not wpgen's to replace; 3: I/O or locked) after
 * reporting why into d (codes out-overlaps-input, out-not-wpgen,
 * out-locked, io-error). */
int wp_outdir_open(wp_outdir *o, const char *out, const char *content,
    const char *templates, struct wp_diags *d);
/* Makes the temporary directory, marker included.  0 or -1 with errno. */
int wp_outdir_begin(wp_outdir *o);
/* Puts the temporary directory in place of out/.  0 or -1 with errno. */
int wp_outdir_commit(wp_outdir *o);
/* Removes the temporary directory (a failed build). */
void wp_outdir_abort(wp_outdir *o);
/* Releases the lock and frees. */
void wp_outdir_close(wp_outdir *o);

#endif
