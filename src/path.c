/*
 * path.c: the path policy (path.h): which files wpgen may read, and how
 * it writes them.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "path.h"
#include "util.h"

/* The allowed trees, resolved. */
static char **trees;
static size_t ntrees;

static void forget_last_dir(void);

void
wp_path_allow_tree(const char *dir)
{
	char *real = realpath(dir, NULL);
	size_t i;

	if (real == NULL)
		return;
	for (i = 0; i < ntrees; i++) {
		if (strcmp(trees[i], real) == 0) {
			free(real);
			return;
		}
	}
	trees = xrealloc(trees, (ntrees + 1) * sizeof *trees);
	trees[ntrees++] = real;
}

void
wp_path_forget_trees(void)
{
	size_t i;

	for (i = 0; i < ntrees; i++)
		free(trees[i]);
	free(trees);
	trees = NULL;
	ntrees = 0;
	forget_last_dir();
}

/* 1 when the resolved path real is root or below it. */
static int
real_beneath(const char *real, const char *root)
{
	size_t n = strlen(root);

	if (strcmp(root, "/") == 0)
		return 1;
	return strncmp(real, root, n) == 0 &&
	    (real[n] == '\0' || real[n] == '/');
}

int
wp_path_beneath(const char *path, const char *dir)
{
	char *a = realpath(path, NULL), *b = realpath(dir, NULL);
	int ok = a && b && real_beneath(a, b);

	free(a);
	free(b);
	return ok;
}

/* Set while reading a file wpgen wrote itself. */
static int own_file;

/*
 * The directories of the last files resolved, and what they resolved
 * to: a command reads many files of a few directories in turn (a
 * service's directory, its parent, the templates), and realpath() costs
 * a readlink() a component.  A directory is taken as resolved while it
 * is the same directory (device and inode, following links), and a file
 * in it is resolved by name when it is not a symbolic link.
 */
#define NRESOLVED 4
static struct resolved {
	char *dir, *real;
	dev_t dev;
	ino_t ino;
} resolved[NRESOLVED];
static size_t next_resolved;

static void
forget_resolved(struct resolved *r)
{
	free(r->dir);
	free(r->real);
	r->dir = r->real = NULL;
}

static void
forget_last_dir(void)
{
	size_t i;

	for (i = 0; i < NRESOLVED; i++)
		forget_resolved(&resolved[i]);
}

/* The entry of directory path[0..n), resolved now or checked to be the
 * same directory as when it was: NULL when it cannot be.  A directory
 * (not a symbolic link) in a directory resolved is resolved by name. */
static struct resolved *
resolved_dir(const char *path, size_t n)
{
	struct resolved *r, *parent = NULL;
	const char *slash;
	char *dir, *real = NULL;
	struct stat st;
	size_t i;

	for (i = 0; i < NRESOLVED; i++) {
		r = &resolved[i];
		if (r->dir == NULL || strlen(r->dir) != n ||
		    memcmp(r->dir, path, n) != 0)
			continue;
		if (stat(r->dir, &st) == 0 && st.st_dev == r->dev &&
		    st.st_ino == r->ino)
			return r;
		forget_resolved(r);
		return NULL;
	}
	dir = xstrndup(path, n);
	slash = strrchr(dir, '/');
	if (slash && slash != dir && slash[1] != '\0' &&
	    strcmp(slash + 1, ".") != 0 && strcmp(slash + 1, "..") != 0)
		parent = resolved_dir(dir, (size_t)(slash - dir));
	if (parent && lstat(dir, &st) == 0 && S_ISDIR(st.st_mode))
		real = xasprintf("%s%s", strcmp(parent->real, "/") == 0 ?
		    "" : parent->real, slash);
	else if ((real = realpath(dir, NULL)) == NULL ||
	    stat(real, &st) != 0) {
		free(real);
		free(dir);
		return NULL;
	}
	r = &resolved[next_resolved];
	next_resolved = (next_resolved + 1) % NRESOLVED;
	forget_resolved(r);
	r->dir = dir;
	r->real = real;
	r->dev = st.st_dev;
	r->ino = st.st_ino;
	return r;
}

static char *
resolve(const char *path)
{
	const char *slash = strrchr(path, '/'), *base;
	struct resolved *r;
	struct stat st;

	if (slash == NULL || slash == path)
		return realpath(path, NULL);
	base = slash + 1;
	if (*base == '\0' || strcmp(base, ".") == 0 || strcmp(base, "..") == 0)
		return realpath(path, NULL);
	if ((r = resolved_dir(path, (size_t)(slash - path))) == NULL)
		return realpath(path, NULL);
	if (lstat(path, &st) != 0 || S_ISLNK(st.st_mode))
		return realpath(path, NULL);
	return xasprintf("%s/%s", strcmp(r->real, "/") == 0 ? "" : r->real,
	    base);
}

/* The resolved path when path may be read, else NULL with errno. */
static char *
allowed_real(const char *path)
{
	char *real = resolve(path);
	size_t i;

	if (real == NULL)
		return NULL;
	if (ntrees == 0 || own_file)
		return real;
	for (i = 0; i < ntrees; i++)
		if (real_beneath(real, trees[i]))
			return real;
	free(real);
	errno = WP_E_OUTSIDE;
	return NULL;
}

int
wp_path_allowed(const char *path)
{
	char *real = allowed_real(path);

	free(real);
	return real != NULL;
}

static int fd_checked(int fd, size_t max, struct stat *st);

/* Opens path for reading under the policy: a regular file no larger than
 * max.  The descriptor, or -1 with errno. */
static int
open_checked(const char *path, size_t max, struct stat *st)
{
	char *real = allowed_real(path);
	int fd;

	if (real == NULL)
		return -1;
	/* O_NONBLOCK: opening a FIFO must not wait for a writer.  The
	 * resolved path has no symlink left to follow. */
	fd = open(real, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
	free(real);
	return fd < 0 ? -1 : fd_checked(fd, max, st);
}

/* Reads the whole of fd, a regular file of st.st_size bytes (it may
 * grow while being read), at most max: the text, or NULL with errno.
 * Closes fd. */
static char *
read_fd(int fd, const struct stat *st, size_t max, size_t *len)
{
	char *data;
	size_t got = 0, cap;
	ssize_t n;

	cap = (size_t)st->st_size + 1;
	data = xmalloc(cap);
	for (;;) {
		if (got + 1 == cap) {
			/* The file grew while being read (/proc, say). */
			if (cap > max) {
				free(data);
				close(fd);
				errno = WP_E_TOOLARGE;
				return NULL;
			}
			cap *= 2;
			data = xrealloc(data, cap);
		}
		n = read(fd, data + got, cap - 1 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;
			free(data);
			close(fd);
			errno = e;
			return NULL;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	if (got > max) {
		free(data);
		errno = WP_E_TOOLARGE;
		return NULL;
	}
	data[got] = '\0';
	if (len)
		*len = got;
	return data;
}

/* Checks what fd (just opened) is: a regular file no larger than max.
 * fd, or -1 with errno (fd closed). */
static int
fd_checked(int fd, size_t max, struct stat *st)
{
	int e;

	if (fstat(fd, st) != 0)
		e = errno;
	else if (!S_ISREG(st->st_mode))
		e = S_ISDIR(st->st_mode) ? EISDIR : WP_E_NOTFILE;
	else if ((size_t)st->st_size > max)
		e = WP_E_TOOLARGE;
	else
		return fd;
	close(fd);
	errno = e;
	return -1;
}

char *
wp_read_file_max(const char *path, size_t max, size_t *len)
{
	struct stat st;
	int fd = open_checked(path, max, &st);

	return fd < 0 ? NULL : read_fd(fd, &st, max, len);
}

/* 1 when name is one entry of a directory: not empty, no '/', not "."
 * or "..". */
static int
entry_name_ok(const char *name)
{
	if (name[0] == '\0' || strchr(name, '/') != NULL ||
	    strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
		errno = EINVAL;
		return 0;
	}
	return 1;
}

int
wp_dir_open(const char *dir)
{
	char *real = allowed_real(dir);
	int fd;

	if (real == NULL)
		return -1;
	/* (the resolved path has no symlink left to follow) */
	fd = open(real, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	free(real);
	return fd;
}

int
wp_dir_open_at(int dirfd, const char *name)
{
	if (!entry_name_ok(name))
		return -1;
	return openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC);
}

char *
wp_read_file_at(int dirfd, const char *name, size_t max, size_t *len)
{
	struct stat st;
	int fd;

	if (!entry_name_ok(name))
		return NULL;
	/* O_NONBLOCK: opening a FIFO must not wait for a writer. */
	fd = openat(dirfd, name, O_RDONLY | O_NONBLOCK | O_NOFOLLOW |
	    O_CLOEXEC);
	if (fd < 0 || (fd = fd_checked(fd, max, &st)) < 0)
		return NULL;
	return read_fd(fd, &st, max, len);
}

char *
wp_read_file(const char *path, size_t *len)
{
	return wp_read_file_max(path, WP_READ_MAX, len);
}

/* Whether path itself (its last name) is a symbolic link: wpgen writes
 * none in its own files' places (ELOOP then). */
static int
own_is_link(const char *path)
{
	struct stat st;

	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
		errno = ELOOP;
		return 1;
	}
	return 0;
}

/* A file of wpgen's own read outside the policy's trees, bounded. */
static char *
read_own(const char *path, size_t *len)
{
	char *data;

	own_file = 1;
	data = wp_read_file_max(path, WP_CATALOG_MAX, len);
	own_file = 0;
	return data;
}

char *
wp_read_own_file(const char *path, size_t *len)
{
	return own_is_link(path) ? NULL : read_own(path, len);
}

char *
wp_read_program(size_t *len)
{
	return read_own("/proc/self/exe", len);
}

const char *
wp_read_error(int err)
{
	switch (err) {
	case WP_E_OUTSIDE:
		return "the file lies outside the content and templates "
		    "trees (after following symlinks and '..'); keep it "
		    "inside them";
	case WP_E_TOOLARGE:
		return "the file is too large to read (the limit is 16 MB, "
		    "64 MB for catalogs and images); split it";
	case WP_E_NOTFILE:
		return "not a regular file (a FIFO, device or socket); "
		    "replace it with a regular file";
	case EISDIR:
		return "a directory where a file is expected; rename or "
		    "remove it";
	default:
		return strerror(err);
	}
}

const char *
wp_read_error_code(int err)
{
	switch (err) {
	case WP_E_OUTSIDE:
		return "outside-tree";
	case WP_E_TOOLARGE:
		return "too-large";
	case WP_E_NOTFILE:
	case EISDIR:
		return "not-a-file";
	default:
		return "io-error";
	}
}

/* Creates a new temporary file beside path; its name goes to *tmp. */
static int
open_temp(const char *path, char **tmp)
{
	char *dir = wp_path_dirname(path);
	const char *base = strrchr(path, '/');
	int fd, i;

	base = base ? base + 1 : path;
	for (i = 0; i < 100; i++) {
		*tmp = xasprintf("%s/.%s.wpgen-tmp-%ld-%d", dir, base,
		    (long)getpid(), i);
		fd = open(*tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
		    O_CLOEXEC, 0666);
		if (fd >= 0 || errno != EEXIST)
			break;
		free(*tmp);
		*tmp = NULL;
	}
	free(dir);
	if (fd < 0) {
		int e = errno;
		free(*tmp);
		*tmp = NULL;
		errno = e;
	}
	return fd;
}

/* Refuses a target that exists and is not a regular file. */
static int
target_ok(const char *path)
{
	struct stat st;

	if (lstat(path, &st) != 0)
		return errno == ENOENT;
	if (S_ISREG(st.st_mode))
		return 1;
	errno = EEXIST;
	return 0;
}

int
wp_write_all(int fd, const char *data, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = write(fd, data, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = EIO;
			return -1;
		}
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Closes fd, just written into path (ok: the writing went well); when
 * it did not, or the close fails, removes path.  0, or -1 keeping the
 * first errno. */
static int
close_or_remove(int fd, const char *path, int ok)
{
	int e = errno;

	if (close(fd) != 0 && ok) {
		ok = 0;
		e = errno;
	}
	if (!ok)
		unlink(path);
	errno = e;
	return ok ? 0 : -1;
}

/* Finishes a temporary file: close, rename over path.  Cleans up and
 * keeps errno on failure. */
static int
finish_temp(int fd, char *tmp, const char *path, int ok)
{
	int rc = close_or_remove(fd, tmp, ok), e;

	if (rc == 0 && rename(tmp, path) != 0) {
		e = errno;
		unlink(tmp);
		errno = e;
		rc = -1;
	}
	e = errno;
	free(tmp);
	errno = e;
	return rc;
}

int
wp_write_file(const char *path, const char *data, size_t len)
{
	char *tmp;
	int fd, ok;

	if (!target_ok(path) || (fd = open_temp(path, &tmp)) < 0)
		return -1;
	ok = wp_write_all(fd, data, len) == 0;
	return finish_temp(fd, tmp, path, ok);
}

int
wp_write_new_file(const char *path, const char *data, size_t len,
    struct stat *st)
{
	int fd, ok;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    0666);
	if (fd < 0)
		return -1;
	ok = wp_write_all(fd, data, len) == 0 &&
	    (st == NULL || fstat(fd, st) == 0);
	return close_or_remove(fd, path, ok);
}

int
wp_file_writer_open(wp_file_writer *w, const char *path)
{
	w->path = xstrdup(path);
	w->tmp = NULL;
	w->fd = -1;
	if (!target_ok(path) || (w->fd = open_temp(path, &w->tmp)) < 0) {
		int e = errno;
		free(w->path);
		w->path = NULL;
		errno = e;
		return -1;
	}
	return 0;
}

int
wp_file_writer_put(wp_file_writer *w, const char *data, size_t len)
{
	return wp_write_all(w->fd, data, len);
}

int
wp_file_writer_commit(wp_file_writer *w)
{
	int rc = finish_temp(w->fd, w->tmp, w->path, 1);
	int e = errno;

	free(w->path);
	w->path = w->tmp = NULL;
	w->fd = -1;
	errno = e;
	return rc;
}

void
wp_file_writer_abort(wp_file_writer *w)
{
	int e = errno;

	if (w->fd < 0)
		return;
	finish_temp(w->fd, w->tmp, w->path, 0);
	free(w->path);
	w->path = w->tmp = NULL;
	w->fd = -1;
	errno = e;
}

/* Copies the file open on in (closed here) to to, as wp_copy_file(). */
static int
copy_fd(int in, const char *to)
{
	char chunk[65536], *tmp;
	int out, ok = 1;
	ssize_t n;

	if (!target_ok(to) || (out = open_temp(to, &tmp)) < 0) {
		int e = errno;
		close(in);
		errno = e;
		return -1;
	}
	while (ok) {
		n = read(in, chunk, sizeof chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			ok = n == 0;
			break;
		}
		ok = wp_write_all(out, chunk, (size_t)n) == 0;
	}
	close(in);
	return finish_temp(out, tmp, to, ok);
}

int
wp_copy_file(const char *from, const char *to)
{
	struct stat st;
	int in = open_checked(from, WP_COPY_MAX, &st);

	return in < 0 ? -1 : copy_fd(in, to);
}

int
wp_copy_own_file(const char *from, const char *to)
{
	struct stat st;
	int in;

	if (own_is_link(from))
		return -1;
	own_file = 1;
	in = open_checked(from, (size_t)-1, &st);
	own_file = 0;
	return in < 0 ? -1 : copy_fd(in, to);
}

int
wp_write_stdout(const char *cmd, const char *data, size_t len)
{
	if ((len && fwrite(data, 1, len, stdout) != len) ||
	    fflush(stdout) != 0) {
		fprintf(stderr, "wpgen %s: cannot write the output: %s\n", cmd,
		    strerror(errno));
		return -1;
	}
	return 0;
}

int
wp_path_is_inside_rel(const char *rel)
{
	const char *p = rel;
	size_t n;

	if (rel[0] == '\0' || rel[0] == '/')
		return 0;
	while (*p) {
		n = strcspn(p, "/");
		if (n == 2 && p[0] == '.' && p[1] == '.')
			return 0;
		p += n;
		if (*p == '/')
			p++;
	}
	return 1;
}
