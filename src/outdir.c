/*
 * outdir.c: the output directory of `wpgen build` (outdir.h).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "manifest.h"
#include "outdir.h"
#include "util.h"

static const char marker_text[] =
    "This directory was made by `wpgen build`, which replaces it whole\n"
    "on every build.  Keep nothing else here.\n";

/* The resolved form of a path that may not exist yet: its parent
 * resolved, plus its last component.  NULL when the parent is missing. */
static char *
resolve_maybe(const char *path)
{
	char *real = realpath(path, NULL), *dir, *rdir;
	const char *base;

	if (real)
		return real;
	dir = wp_path_dirname(path);
	rdir = realpath(dir, NULL);
	free(dir);
	if (rdir == NULL)
		return NULL;
	base = strrchr(path, '/');
	base = base ? base + 1 : path;
	real = strcmp(rdir, "/") == 0 ? xasprintf("/%s", base) :
	    xasprintf("%s/%s", rdir, base);
	free(rdir);
	return real;
}

/* 1 when a is b or lies below it (both resolved). */
static int
within(const char *a, const char *b)
{
	size_t n = strlen(b);

	if (strcmp(b, "/") == 0)
		return 1;
	return strncmp(a, b, n) == 0 && (a[n] == '\0' || a[n] == '/');
}

/* Out must not overlap a tree wpgen reads: be it, hold it, or lie in
 * it.  1 when it does not. */
static int
apart_from(const char *real_out, const char *tree, const char *what,
    const char *out, wp_diags *d)
{
	char *rt = realpath(tree, NULL);
	int ok = 1;

	if (rt && (within(real_out, rt) || within(rt, real_out))) {
		wp_diag_add(d, WP_ERROR, out, 0, 0, "out-overlaps-input",
		    "--out %s the %s tree %s; a build replaces --out whole, "
		    "so give a directory apart from it",
		    strcmp(real_out, rt) == 0 ? "is" : within(real_out, rt) ?
		    "lies inside" : "holds", what, tree);
		ok = 0;
	}
	free(rt);
	return ok;
}

/* 1 when the existing directory out is empty or has wpgen's marker. */
static int
made_by_wpgen(const char *out)
{
	char *marker = wp_path_join(out, WP_OUT_MARKER);
	struct stat st;
	DIR *d;
	struct dirent *e;
	int ok = lstat(marker, &st) == 0 && S_ISREG(st.st_mode);

	free(marker);
	if (ok || (d = opendir(out)) == NULL)
		return ok;
	ok = 1;
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			ok = 0;
	closedir(d);
	return ok;
}

/* Checks what --out names.  0 or an exit status. */
static int
check_out(const wp_outdir *o, const char *content, const char *templates,
    wp_diags *d)
{
	struct stat st;
	char *real = resolve_maybe(o->path);
	int apart;

	if (real == NULL) {
		wp_diag_add(d, WP_ERROR, o->path, 0, 0, "io-error", "cannot "
		    "make --out here: %s", strerror(errno));
		return 3;
	}
	if (strcmp(real, "/") == 0)
		wp_diag_add(d, WP_ERROR, o->path, 0, 0, "out-overlaps-input",
		    "--out cannot be the root directory");
	apart = strcmp(real, "/") != 0 && apart_from(real, content,
	    "content", o->path, d) && apart_from(real, templates, "templates",
	    o->path, d);
	free(real);
	if (!apart)
		return 2;
	if (lstat(o->path, &st) != 0) {
		if (errno == ENOENT)
			return 0;
		wp_diag_add(d, WP_ERROR, o->path, 0, 0, "io-error", "cannot "
		    "use --out: %s", strerror(errno));
		return 3;
	}
	if (!S_ISDIR(st.st_mode)) {
		wp_diag_add(d, WP_ERROR, o->path, 0, 0, "out-not-wpgen",
		    "--out is %s, not a directory that wpgen made; give "
		    "another --out", S_ISLNK(st.st_mode) ? "a symlink" :
		    "a file");
		return 2;
	}
	if (!made_by_wpgen(o->path)) {
		wp_diag_add(d, WP_ERROR, o->path, 0, 0, "out-not-wpgen",
		    "--out is not empty and has no %s file, so wpgen did not "
		    "make it and a build would delete what it holds; give an "
		    "empty or new directory, or remove this one",
		    WP_OUT_MARKER);
		return 2;
	}
	return 0;
}

/* Removes a directory that wpgen made, its marker last: a build killed
 * on the way leaves a directory that still has the marker, or an empty
 * one, and the next build finishes the job (remove_debris). */
static void
remove_ours(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char *path;

	while (d && (e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 ||
		    strcmp(e->d_name, WP_OUT_MARKER) == 0)
			continue;
		path = wp_path_join(dir, e->d_name);
		wp_remove_tree(path);
		free(path);
	}
	if (d)
		closedir(d);
	path = wp_path_join(dir, WP_OUT_MARKER);
	unlink(path);
	free(path);
	rmdir(dir);
}

/* The lock file of out: .BASE.wpgen-lock beside it. */
static char *
lock_name(const char *out)
{
	char *dir = wp_path_dirname(out), *lock;
	const char *base = strrchr(out, '/');

	base = base ? base + 1 : out;
	lock = xasprintf("%s/.%s.wpgen-lock", dir, base);
	free(dir);
	return lock;
}

/* A name the build of out makes beside it: out.tmp-PID or out.old-PID. */
static int
is_debris_name(const char *name, const char *base)
{
	size_t n = strlen(base);
	const char *p;

	if (strncmp(name, base, n) != 0 || (strncmp(name + n, ".tmp-", 5)
	    != 0 && strncmp(name + n, ".old-", 5) != 0))
		return 0;
	p = name + n + 5;
	return *p && strspn(p, "0123456789") == strlen(p);
}

/* Removes what killed builds into out left beside it: only directories
 * with wpgen's name and marker, and only while the lock is held (so no
 * live build owns them). */
static void
remove_debris(const wp_outdir *o)
{
	char *dir = wp_path_dirname(o->path), *path, *marker;
	const char *base = strrchr(o->path, '/');
	DIR *d = opendir(dir);
	struct dirent *e;
	struct stat st;

	base = base ? base + 1 : o->path;
	while (d && (e = readdir(d)) != NULL) {
		if (!is_debris_name(e->d_name, base))
			continue;
		path = wp_path_join(dir, e->d_name);
		marker = wp_path_join(path, WP_OUT_MARKER);
		if (lstat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
			/* not ours */
		} else if (lstat(marker, &st) != 0) {
			rmdir(path);           /* only when empty */
		} else if (!S_ISREG(st.st_mode)) {
			/* not ours */
		} else if (strstr(e->d_name + strlen(base), ".old-") &&
		    lstat(o->path, &st) != 0 && errno == ENOENT) {
			/* Killed between two renames: the previous site. */
			rename(path, o->path);
		} else {
			remove_ours(path);
		}
		free(marker);
		free(path);
	}
	if (d)
		closedir(d);
	free(dir);
}

/* A temporary file of out/'s manifest (path.c's name for it beside
 * it: ..wpgen-manifest.wpgen-tmp-PID-N). */
static int
is_manifest_temp(const char *name)
{
	const char *head = "." WP_MANIFEST_NAME ".wpgen-tmp-", *p;
	size_t n;

	if (strncmp(name, head, strlen(head)) != 0)
		return 0;
	p = name + strlen(head);
	if ((n = strspn(p, "0123456789")) == 0 || p[n] != '-')
		return 0;
	p += n + 1;
	return *p && strspn(p, "0123456789") == strlen(p);
}

/* Removes what a build killed as it wrote out/'s manifest in place (a
 * no-op that noted files touched: build.c, quick.c) left in out/: the
 * temporary file it had not yet renamed; only while the lock is held. */
static void
remove_manifest_temps(const wp_outdir *o)
{
	DIR *d = opendir(o->path);
	struct dirent *e;
	struct stat st;
	char *path;

	while (d && (e = readdir(d)) != NULL) {
		if (!is_manifest_temp(e->d_name))
			continue;
		path = wp_path_join(o->path, e->d_name);
		if (lstat(path, &st) == 0 && S_ISREG(st.st_mode))
			unlink(path);
		free(path);
	}
	if (d)
		closedir(d);
}

/*
 * Takes the lock beside out/: a file that the build holding it removes
 * when done (a killed build leaves it unlocked, and the next build takes
 * it over).  A lock taken on a file that another build removed meanwhile
 * is taken again on the new one.
 */
static int
take_lock(wp_outdir *o, wp_diags *d)
{
	struct stat held, named;
	int tries;

	for (tries = 0; tries < 10; tries++) {
		o->lock_fd = open(o->lock, O_RDWR | O_CREAT | O_NOFOLLOW |
		    O_CLOEXEC, 0666);
		if (o->lock_fd < 0) {
			wp_diag_add(d, WP_ERROR, o->lock, 0, 0, "io-error",
			    "cannot make the lock file of --out: %s",
			    strerror(errno));
			return 3;
		}
		if (flock(o->lock_fd, LOCK_EX | LOCK_NB) != 0) {
			wp_diag_add(d, WP_ERROR, o->path, 0, 0, "out-locked",
			    "another wpgen build is writing into this "
			    "directory (it holds %s); wait for it to finish",
			    o->lock);
			close(o->lock_fd);
			o->lock_fd = -1;
			return 3;
		}
		if (fstat(o->lock_fd, &held) == 0 && stat(o->lock, &named) ==
		    0 && held.st_ino == named.st_ino &&
		    held.st_dev == named.st_dev)
			return 0;
		close(o->lock_fd);
		o->lock_fd = -1;
	}
	wp_diag_add(d, WP_ERROR, o->lock, 0, 0, "out-locked", "cannot take "
	    "the lock of --out: other builds keep replacing it");
	return 3;
}

int
wp_outdir_open(wp_outdir *o, const char *out, const char *content,
    const char *templates, wp_diags *d)
{
	size_t len = strlen(out);
	int rc;

	while (len > 1 && out[len - 1] == '/')
		len--;
	o->path = xstrndup(out, len);
	o->tmp = xasprintf("%s.tmp-%ld", o->path, (long)getpid());
	o->lock = lock_name(o->path);
	o->lock_fd = -1;
	if ((rc = check_out(o, content, templates, d)) != 0 ||
	    (rc = take_lock(o, d)) != 0)
		return rc;
	remove_debris(o);
	remove_manifest_temps(o);
	return 0;
}

int
wp_outdir_begin(wp_outdir *o)
{
	char *marker = wp_path_join(o->tmp, WP_OUT_MARKER);
	int fd, rc = -1;

	/* The marker goes in first and directly (no temporary file): a
	 * build killed here leaves an empty directory or one with the
	 * marker, and the next build knows both for its own. */
	remove_ours(o->tmp);
	if (mkdir(o->tmp, 0777) == 0 && (fd = open(marker, O_WRONLY |
	    O_CREAT | O_EXCL | O_CLOEXEC, 0666)) >= 0) {
		rc = write(fd, marker_text, sizeof marker_text - 1) ==
		    (ssize_t)(sizeof marker_text - 1) ? 0 : -1;
		if (close(fd) != 0)
			rc = -1;
	}
	free(marker);
	return rc;
}

int
wp_outdir_commit(wp_outdir *o)
{
	char *old;
	struct stat st;
	int had = lstat(o->path, &st) == 0;

	/* One atomic exchange: out/ is always either the previous site or
	 * the new one, whenever the build is killed.  The previous site
	 * then sits under the temporary name, which is removed. */
	if (had && renameat2(AT_FDCWD, o->tmp, AT_FDCWD, o->path,
	    RENAME_EXCHANGE) == 0) {
		remove_ours(o->tmp);
		return 0;
	}
	if (had && errno != EINVAL && errno != ENOSYS)
		return -1;
	/* No exchange on this file system: two renames; a build killed
	 * between them leaves out.old-PID, which the next build renames
	 * back (restore_out). */
	old = xasprintf("%s.old-%ld", o->path, (long)getpid());
	if (had && rename(o->path, old) != 0) {
		free(old);
		return -1;
	}
	if (rename(o->tmp, o->path) != 0) {
		int e = errno;
		if (had)
			rename(old, o->path);
		free(old);
		errno = e;
		return -1;
	}
	if (had)
		remove_ours(old);
	free(old);
	return 0;
}

void
wp_outdir_abort(wp_outdir *o)
{
	remove_ours(o->tmp);
}

void
wp_outdir_close(wp_outdir *o)
{
	if (o->lock_fd >= 0) {
		/* Removed while still held, so that no build can lock the
		 * file on its way out. */
		unlink(o->lock);
		close(o->lock_fd);
	}
	free(o->path);
	free(o->tmp);
	free(o->lock);
	o->path = o->tmp = o->lock = NULL;
	o->lock_fd = -1;
}
