/*
 * gitrev.c: reading a past revision of the content tree through libgit2
 * (gitrev.h), which is opened the first time it is needed (dynlib.h).
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "dynlib.h"
#include "gitrev.h"
#include "util.h"

/* The libgit2 functions called here: git.NAME is git_NAME, looked up
 * when libgit2 is first needed (git_load). */
#define GIT_FUNCTIONS(X) \
	X(libgit2_init) X(libgit2_shutdown) X(repository_open_ext) \
	X(repository_workdir) X(repository_free) X(repository_odb) \
	X(revparse_single) X(object_peel) X(object_free) X(oid_tostr) \
	X(tree_dup) X(tree_lookup) X(tree_free) X(tree_id) \
	X(tree_entrycount) X(tree_entry_byindex) X(tree_entry_bypath) \
	X(tree_entry_free) X(tree_entry_id) X(tree_entry_name) \
	X(tree_entry_type) X(tree_entry_filemode) X(blob_lookup) \
	X(blob_rawcontent) X(blob_rawsize) X(blob_free) X(odb_read_header) \
	X(odb_free) X(revwalk_new) X(revwalk_sorting) X(revwalk_push_head) \
	X(revwalk_next) X(revwalk_free)

#define GIT_SONAME "libgit2.so." LIBGIT2_SOVERSION

static struct {
#define X(name) __typeof__(git_##name) *name;
	GIT_FUNCTIONS(X)
#undef X
	int loaded;
} git;

/* Opens libgit2 and initialises it: 0, or -1 with *msg saying why. */
static int
git_load(char **msg)
{
	void *h;

	if (!git.loaded) {
		if ((h = wp_dynlib_open(GIT_SONAME, msg)) == NULL)
			return -1;
#define X(name) \
		if (wp_dynlib_sym(h, GIT_SONAME, "git_" #name, \
		    (void **)&git.name, msg) != 0) \
			return -1;
		GIT_FUNCTIONS(X)
#undef X
		git.loaded = 1;
	}
	git.libgit2_init();
	return 0;
}

struct wp_gitrev {
	git_repository *repo;
	git_tree *tree;             /* the content directory's tree */
	char *prefix;               /* "v2.1:content/" */
};

/* The path of dir inside the work tree root, "" for the root itself;
 * NULL when dir is not inside it. */
static char *
path_in_worktree(const char *root, const char *dir)
{
	char rroot[PATH_MAX], rdir[PATH_MAX];
	size_t n;

	if (realpath(root, rroot) == NULL || realpath(dir, rdir) == NULL)
		return NULL;
	n = strlen(rroot);
	while (n > 1 && rroot[n - 1] == '/')
		rroot[--n] = '\0';
	if (strcmp(rroot, rdir) == 0)
		return xstrdup("");
	if (strncmp(rroot, rdir, n) != 0 || rdir[n] != '/')
		return NULL;
	return xstrdup(rdir + n + 1);
}

static wp_gitrev *
fail(wp_gitrev *g, wp_gitrev_error *err, wp_gitrev_error why, char **msg,
    char *text)
{
	*err = why;
	*msg = text;
	wp_gitrev_free(g);
	return NULL;
}

static int
content_tree(wp_gitrev *g, git_tree *root, const char *rel)
{
	git_tree_entry *e = NULL;
	int rc;

	if (rel[0] == '\0')
		return git.tree_dup(&g->tree, root);
	if (git.tree_entry_bypath(&e, root, rel) != 0)
		return -1;
	rc = git.tree_entry_type(e) == GIT_OBJECT_TREE ?
	    git.tree_lookup(&g->tree, g->repo, git.tree_entry_id(e)) : -1;
	git.tree_entry_free(e);
	return rc;
}

wp_gitrev *
wp_gitrev_open(const char *content_dir, const char *rev,
    wp_gitrev_error *err, char **msg)
{
	wp_gitrev *g = xcalloc(1, sizeof *g);
	git_object *obj = NULL;
	git_tree *root = NULL;
	const char *wd;
	char *rel;
	int rc;

	*err = WP_GITREV_OK;
	*msg = NULL;
	if (git_load(msg) != 0) {
		free(g);
		*err = WP_GITREV_FAILED;
		return NULL;
	}
	if (!wp_is_dir(content_dir))
		return fail(g, err, WP_GITREV_FAILED, msg, xasprintf(
		    "%s: no such directory", content_dir));
	if (git.repository_open_ext(&g->repo, content_dir, 0, NULL) != 0 ||
	    (wd = git.repository_workdir(g->repo)) == NULL)
		return fail(g, err, WP_GITREV_NO_REPOSITORY, msg, xasprintf(
		    "%s is not in a git work tree; --from and --to read "
		    "revisions from the repository that holds --content",
		    content_dir));
	if ((rel = path_in_worktree(wd, content_dir)) == NULL)
		return fail(g, err, WP_GITREV_FAILED, msg, xasprintf(
		    "%s: cannot place it in the work tree %s", content_dir,
		    wd));
	if (git.revparse_single(&obj, g->repo, rev) != 0 ||
	    git.object_peel((git_object **)&root, obj, GIT_OBJECT_TREE)
	    != 0) {
		git.object_free(obj);
		free(rel);
		return fail(g, err, WP_GITREV_UNKNOWN_REV, msg, xasprintf(
		    "unknown revision '%s' in the repository of %s", rev,
		    content_dir));
	}
	git.object_free(obj);
	rc = content_tree(g, root, rel);
	git.tree_free(root);
	if (rc != 0) {
		char *m = xasprintf("revision '%s' has no directory '%s'",
		    rev, rel);
		free(rel);
		return fail(g, err, WP_GITREV_NO_CONTENT, msg, m);
	}
	g->prefix = xasprintf("%s:%s%s", rev, rel, rel[0] ? "/" : "");
	free(rel);
	return g;
}

void
wp_gitrev_free(wp_gitrev *g)
{
	if (g == NULL)
		return;
	git.tree_free(g->tree);
	git.repository_free(g->repo);
	free(g->prefix);
	free(g);
	git.libgit2_shutdown();
}

const char *
wp_gitrev_prefix(const wp_gitrev *g)
{
	return g->prefix;
}

/* A relative path with no empty, "." or ".." component. */
static int
plain_path(const char *rel)
{
	const char *p = rel, *slash;
	size_t n;

	if (*rel == '\0' || *rel == '/')
		return 0;
	for (;;) {
		slash = strchr(p, '/');
		n = slash ? (size_t)(slash - p) : strlen(p);
		if (n == 0 || (n == 1 && p[0] == '.') ||
		    (n == 2 && p[0] == '.' && p[1] == '.'))
			return 0;
		if (slash == NULL)
			return 1;
		p = slash + 1;
	}
}

static int
regular_blob(const git_tree_entry *e)
{
	git_filemode_t m = git.tree_entry_filemode(e);

	return git.tree_entry_type(e) == GIT_OBJECT_BLOB &&
	    (m == GIT_FILEMODE_BLOB || m == GIT_FILEMODE_BLOB_EXECUTABLE);
}

char *
wp_gitrev_read(const wp_gitrev *g, const char *rel, size_t *len)
{
	git_tree_entry *e = NULL;
	git_blob *blob = NULL;
	char *text = NULL;
	git_object_size_t size;

	if (!plain_path(rel) || git.tree_entry_bypath(&e, g->tree, rel) != 0)
		return NULL;
	if (regular_blob(e) && git.blob_lookup(&blob, g->repo,
	    git.tree_entry_id(e)) == 0 &&
	    (size = git.blob_rawsize(blob)) <= WP_GIT_MAX_BLOB) {
		text = xmalloc((size_t)size + 1);
		memcpy(text, git.blob_rawcontent(blob), (size_t)size);
		text[size] = '\0';
		if (len)
			*len = (size_t)size;
	}
	git.blob_free(blob);
	git.tree_entry_free(e);
	return text;
}

char *
wp_gitrev_read_named(void *data, const char *name, size_t *len)
{
	const wp_gitrev *g = data;
	size_t n = strlen(g->prefix);

	if (strncmp(name, g->prefix, n) != 0)
		return NULL;
	return wp_gitrev_read(g, name + n, len);
}

int
wp_gitrev_is_file_named(void *data, const char *name)
{
	const wp_gitrev *g = data;
	size_t n = strlen(g->prefix);
	git_tree_entry *e = NULL;
	git_odb *odb = NULL;
	size_t size = 0;
	git_object_t type;
	int ok;

	if (strncmp(name, g->prefix, n) != 0 || !plain_path(name + n) ||
	    git.tree_entry_bypath(&e, g->tree, name + n) != 0)
		return 0;
	/* The size from the object's header: the blob is not read. */
	ok = regular_blob(e) && git.repository_odb(&odb, g->repo) == 0 &&
	    git.odb_read_header(&size, &type, odb, git.tree_entry_id(e)) ==
	    0 && size <= WP_GIT_MAX_BLOB;
	git.odb_free(odb);
	git.tree_entry_free(e);
	return ok;
}

static int
str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = suffix ? strlen(suffix) : 0;

	return a >= b && strcmp(s + a - b, suffix ? suffix : "") == 0;
}

char **
wp_gitrev_list(const wp_gitrev *g, const char *rel, const char *suffix)
{
	git_tree_entry *e = NULL;
	git_tree *dir = NULL;
	const git_tree_entry *k;
	char **names;
	size_t i, n = 0, count;

	if (rel[0] == '\0') {
		if (git.tree_dup(&dir, g->tree) != 0)
			return NULL;
	} else if (!plain_path(rel) ||
	    git.tree_entry_bypath(&e, g->tree, rel) != 0 ||
	    git.tree_entry_type(e) != GIT_OBJECT_TREE ||
	    git.tree_lookup(&dir, g->repo, git.tree_entry_id(e)) != 0) {
		git.tree_entry_free(e);
		return NULL;
	}
	git.tree_entry_free(e);
	count = git.tree_entrycount(dir);
	names = xcalloc(count + 1, sizeof *names);
	for (i = 0; i < count; i++) {
		k = git.tree_entry_byindex(dir, i);
		if (regular_blob(k) && git.tree_entry_name(k)[0] != '.' &&
		    ends_with(git.tree_entry_name(k), suffix))
			names[n++] = xstrdup(git.tree_entry_name(k));
	}
	qsort(names, n, sizeof *names, str_cmp);
	git.tree_free(dir);
	return names;
}

char *
wp_gitrev_tree_id(const wp_gitrev *g)
{
	char hex[GIT_OID_HEXSZ + 1];

	git.oid_tostr(hex, sizeof hex, git.tree_id(g->tree));
	return xstrdup(hex);
}

char *
wp_gitrev_subtree_id(const wp_gitrev *g, const char *rel)
{
	git_tree_entry *e = NULL;
	char hex[GIT_OID_HEXSZ + 1], *id = NULL;

	if (!plain_path(rel) || git.tree_entry_bypath(&e, g->tree, rel) != 0)
		return NULL;
	if (git.tree_entry_type(e) == GIT_OBJECT_TREE) {
		git.oid_tostr(hex, sizeof hex, git.tree_entry_id(e));
		id = xstrdup(hex);
	}
	git.tree_entry_free(e);
	return id;
}

char **
wp_git_log(const char *content_dir, size_t max, char **msg)
{
	git_repository *repo = NULL;
	git_revwalk *walk = NULL;
	git_oid oid;
	char hex[GIT_OID_HEXSZ + 1], **ids;
	size_t n = 0;

	*msg = NULL;
	if (git_load(msg) != 0)
		return NULL;
	if (git.repository_open_ext(&repo, content_dir, 0, NULL) != 0 ||
	    git.repository_workdir(repo) == NULL) {
		*msg = xasprintf("%s is not in a git work tree", content_dir);
		git.repository_free(repo);
		git.libgit2_shutdown();
		return NULL;
	}
	ids = xcalloc(max + 1, sizeof *ids);
	if (git.revwalk_new(&walk, repo) == 0 &&
	    git.revwalk_sorting(walk, GIT_SORT_TIME) == 0 &&
	    git.revwalk_push_head(walk) == 0)
		while (n < max && git.revwalk_next(&oid, walk) == 0) {
			git.oid_tostr(hex, sizeof hex, &oid);
			ids[n++] = xstrdup(hex);
		}
	git.revwalk_free(walk);
	git.repository_free(repo);
	git.libgit2_shutdown();
	return ids;
}
