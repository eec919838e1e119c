/*
 * path.h: the path policy.  Every file wpgen reads and writes goes through
 * here, so that what content may make wpgen touch is decided in one place:
 *
 * - Reads: only regular files (a FIFO, a device or a directory is refused,
 *   never waited on), at most WP_READ_MAX bytes (WP_CATALOG_MAX for
 *   catalogs), and, once a site is open, only inside the trees it allowed
 *   (the content and templates trees, and files named on the command
 *   line), judged after `..` and symlinks are resolved (realpath).
 * - Writes: to a temporary file in the target's own directory, then
 *   renamed over it, so a reader never sees half a file; a target that
 *   exists and is not a regular file (a device, a FIFO, a symlink, a
 *   directory) is refused, never replaced.
 *
 * Failures set errno; wp_read_error() and wp_read_error_code() turn it
 * into the message and the diagnostic code authors see.
 */
#ifndef WP_PATH_H
#define WP_PATH_H

#include <stddef.h>

#define WP_READ_MAX    ((size_t)16 << 20)   /* Markdown, YAML, templates, locks */
#define WP_CATALOG_MAX ((size_t)64 << 20)   /* OSCAL XML */
#define WP_COPY_MAX    ((size_t)64 << 20)   /* images and style assets */

/* errno values for the policy's own refusals. */
#define WP_E_OUTSIDE  EXDEV    /* outside every allowed tree */
#define WP_E_TOOLARGE EFBIG    /* larger than the limit */
#define WP_E_NOTFILE  ENODEV   /* a FIFO, device, socket or directory */

/* Allows reads below dir (its realpath).  Until a tree is allowed every
 * path may be read; wp_path_forget_trees() goes back to that. */
void wp_path_allow_tree(const char *dir);
void wp_path_forget_trees(void);
/* 1 when path exists and, symlinks and `..` resolved, lies inside one of
 * the allowed trees (or none is set). */
int wp_path_allowed(const char *path);
/* 1 when path, resolved, is dir or lies below it (both must exist). */
int wp_path_beneath(const char *path, const char *dir);

/* Reads a whole regular file under the policy into a malloc'd,
 * NUL-terminated buffer; *len (may be NULL) gets its size.  NULL with
 * errno set on failure (ENOENT, WP_E_OUTSIDE, WP_E_TOOLARGE,
 * WP_E_NOTFILE, EISDIR, or the system's). */
char *wp_read_file(const char *path, size_t *len);
char *wp_read_file_max(const char *path, size_t max, size_t *len);
/* A directory read by the names in it: a descriptor for
 * wp_read_file_at(), to read many files of one directory without the
 * policy's walk of each file's path.  wp_dir_open() opens dir when it
 * may be read (as wp_path_allowed()); wp_dir_open_at() a subdirectory
 * name of such a directory, which is not a symbolic link (so it is
 * inside it).  A descriptor, or -1 with errno (ELOOP: a symbolic link,
 * ENOTDIR, WP_E_OUTSIDE...). */
int wp_dir_open(const char *dir);
int wp_dir_open_at(int dirfd, const char *name);
/* Reads file name of such a directory as wp_read_file_max() reads a
 * path: a regular file, not a symbolic link (ELOOP: the caller reads
 * it by its path, which the policy resolves), at most max bytes. */
char *wp_read_file_at(int dirfd, const char *name, size_t max,
    size_t *len);
/* Reads a file that wpgen wrote itself in its build directory or out/
 * (a build worker's report, the manifest, the catalogs' packing):
 * regular, bounded, outside the content trees, and never a symbolic
 * link (ELOOP): wpgen writes none, so one is not its own (out/ may come
 * with the content, a link in it leading anywhere). */
char *wp_read_own_file(const char *path, size_t *len);
/* Reads the program's own executable (/proc/self/exe, a symbolic link
 * by nature), for the digest of the tool; NULL with errno. */
char *wp_read_program(size_t *len);
/* What a failed read means, for a diagnostic: a sentence, and its code
 * ("outside-tree", "too-large", "not-a-file" or "io-error"). */
const char *wp_read_error(int err);
const char *wp_read_error_code(int err);

/* Writes all of data to fd, again after a signal: 0, or -1 with errno
 * (a pipe whose reader is gone, a full disk). */
int wp_write_all(int fd, const char *data, size_t len);
/* Writes a file whole: to a temporary file beside it, then rename.  A
 * target that is not a regular file is refused (errno EEXIST).  0 or -1
 * with errno. */
int wp_write_file(const char *path, const char *data, size_t len);
/* Writes a file that is not there yet, in a directory of wpgen's own
 * making (a build's temporary directory, where no reader looks before it
 * is whole): created with O_EXCL and O_NOFOLLOW, so anything already
 * there, a symbolic link included, is refused (EEXIST: the caller may
 * replace it with wp_write_file); nothing is left of it on failure.  Its
 * stat data once written into *st (when not NULL).  0 or -1 with errno. */
struct stat;
int wp_write_new_file(const char *path, const char *data, size_t len,
    struct stat *st);
/* A file written in pieces, the same way: into a temporary file beside
 * it, renamed over it by wp_file_writer_commit(). */
typedef struct wp_file_writer {
	char *path;     /* the target */
	char *tmp;      /* the temporary file */
	int fd;         /* -1 when not open */
} wp_file_writer;

/* Opens the temporary file of path.  0 or -1 with errno. */
int wp_file_writer_open(wp_file_writer *w, const char *path);
/* Appends.  0 or -1 with errno. */
int wp_file_writer_put(wp_file_writer *w, const char *data, size_t len);
/* Closes and renames the file into place; 0, or -1 with errno (the
 * temporary file then removed). */
int wp_file_writer_commit(wp_file_writer *w);
/* Removes the temporary file (nothing when it is not open). */
void wp_file_writer_abort(wp_file_writer *w);

/* Copies a regular file read under the policy (at most WP_COPY_MAX
 * bytes) the same way.  0 or -1 with errno. */
int wp_copy_file(const char *from, const char *to);
/* Copies a regular file that wpgen wrote itself in its build directory
 * (outside the content trees: not under the policy, any size; never a
 * symbolic link, as wp_read_own_file) the same way.  0 or -1 with
 * errno. */
int wp_copy_own_file(const char *from, const char *to);

/* Writes data to standard output and flushes it; on failure (a full
 * disk, a closed pipe) says why on stderr as "wpgen CMD: ..." and
 * returns -1. */
int wp_write_stdout(const char *cmd, const char *data, size_t len);

/* 1 when rel is a relative path with no `..` component (and not empty):
 * joined to a directory it stays inside it. */
int wp_path_is_inside_rel(const char *rel);

#endif
