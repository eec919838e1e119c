/*
 * gitrev.h: the content tree of a past revision, read from git.
 *
 * The repository is the one that holds the content directory (found
 * upwards from it, as git does); a revision is anything git can name
 * (v2.1, HEAD~2, a commit id).  Files are read straight from the object
 * database through libgit2: no checkout, no worktree, no git process.
 * Only blobs under the content directory's tree are read (no symbolic
 * link, no path with "..", none larger than WP_GIT_MAX_BLOB), so a
 * revision gives no more than the content tree itself would.
 */
#ifndef WP_GITREV_H
#define WP_GITREV_H

#include <stddef.h>

#include "path.h"

/* The largest file read from a revision: the bound of Markdown, YAML and
 * locks on disk (path.h). */
#define WP_GIT_MAX_BLOB WP_READ_MAX

typedef struct wp_gitrev wp_gitrev;

/* Why wp_gitrev_open failed. */
typedef enum wp_gitrev_error {
	WP_GITREV_OK,
	WP_GITREV_NO_REPOSITORY,    /* content_dir is in no work tree */
	WP_GITREV_UNKNOWN_REV,      /* rev names nothing (or no tree) */
	WP_GITREV_NO_CONTENT,       /* the revision has no such directory */
	WP_GITREV_FAILED            /* anything else (I/O, corrupt) */
} wp_gitrev_error;

/* Opens revision rev of the content tree content_dir.  NULL on failure,
 * with *err set and a message in *msg (malloc'd). */
wp_gitrev *wp_gitrev_open(const char *content_dir, const char *rev,
    wp_gitrev_error *err, char **msg);
void wp_gitrev_free(wp_gitrev *g);

/* How files of the revision are named in diagnostics: "v2.1:content/"
 * (the revision, then the content directory's path in the repository). */
const char *wp_gitrev_prefix(const wp_gitrev *g);

/* The id of the content directory's tree at the revision (hex,
 * malloc'd): equal ids, equal content. */
char *wp_gitrev_tree_id(const wp_gitrev *g);

/* The id of the tree of directory rel at the revision, or NULL. */
char *wp_gitrev_subtree_id(const wp_gitrev *g, const char *rel);
/* The ids of the commits reachable from HEAD of the repository that
 * holds content_dir, newest first, at most max (NULL-terminated,
 * malloc'd); NULL with a message in *msg when there is no repository
 * (or libgit2 cannot be loaded). */
char **wp_git_log(const char *content_dir, size_t max, char **msg);

/* The file at rel (relative to the content directory) as a malloc'd,
 * NUL-terminated text; NULL when it is absent, not a regular file or too
 * large. */
char *wp_gitrev_read(const wp_gitrev *g, const char *rel, size_t *len);
/* The same for a name that starts with the prefix (a wp_read_fn). */
char *wp_gitrev_read_named(void *g, const char *name, size_t *len);
/* Whether the file named name (starting with the prefix) is one that
 * wp_gitrev_read_named reads: a regular file, not too large. */
int wp_gitrev_is_file_named(void *g, const char *name);
/* The names of the regular files in directory rel that end with suffix,
 * sorted by byte order, NULL-terminated; NULL when rel is no directory. */
char **wp_gitrev_list(const wp_gitrev *g, const char *rel,
    const char *suffix);

#endif
