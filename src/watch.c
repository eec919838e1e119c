/*
 * watch.c: recursive inotify watches (watch.h).
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "util.h"
#include "watch.h"

#define EVENTS (IN_CLOSE_WRITE | IN_CREATE | IN_DELETE | IN_MOVED_FROM | \
    IN_MOVED_TO | IN_DELETE_SELF | IN_ATTRIB)

struct wp_watch {
	int fd;
	char **dirs;        /* dirs[wd]: the directory of watch wd */
	size_t ndirs;
};

static void
add_tree(wp_watch *w, const char *dir)
{
	int wd = inotify_add_watch(w->fd, dir, EVENTS | IN_ONLYDIR);
	char **names, *sub;
	size_t i;

	if (wd < 0)
		return;
	if ((size_t)wd >= w->ndirs) {
		w->dirs = xrealloc(w->dirs, ((size_t)wd + 1) * sizeof *w->dirs);
		memset(w->dirs + w->ndirs, 0, ((size_t)wd + 1 - w->ndirs) *
		    sizeof *w->dirs);
		w->ndirs = (size_t)wd + 1;
	}
	free(w->dirs[wd]);
	w->dirs[wd] = xstrdup(dir);
	names = wp_dir_names(dir, NULL, NULL);
	for (i = 0; names && names[i]; i++) {
		sub = wp_path_join(dir, names[i]);
		if (wp_is_dir(sub))
			add_tree(w, sub);
		free(sub);
	}
	wp_strv_free(names);
}

wp_watch *
wp_watch_new(const char *const *roots)
{
	wp_watch *w;
	size_t i;
	int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);

	if (fd < 0)
		return NULL;
	w = xcalloc(1, sizeof *w);
	w->fd = fd;
	for (i = 0; roots[i]; i++)
		if (wp_is_dir(roots[i]))
			add_tree(w, roots[i]);
	return w;
}

int
wp_watch_fd(const wp_watch *w)
{
	return w->fd;
}

/* Editors' scratch files: .file.swp, file~, vim's probe 4913. */
static int
scratch(const char *name)
{
	size_t n = strlen(name);

	return name[0] == '.' || (n && name[n - 1] == '~') ||
	    strcmp(name, "4913") == 0;
}

int
wp_watch_read(wp_watch *w, char **last)
{
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	const struct inotify_event *e;
	ssize_t n;
	char *p, *path;
	const char *dir;
	int changes = 0;

	if (last)
		*last = NULL;
	while ((n = read(w->fd, buf, sizeof buf)) > 0) {
		for (p = buf; p < buf + n; p += sizeof *e + e->len) {
			e = (const struct inotify_event *)p;
			if (e->wd < 0 || (size_t)e->wd >= w->ndirs ||
			    (dir = w->dirs[e->wd]) == NULL)
				continue;
			if (e->len == 0 || scratch(e->name))
				continue;
			path = wp_path_join(dir, e->name);
			if ((e->mask & IN_ISDIR) && (e->mask & (IN_CREATE |
			    IN_MOVED_TO)))
				add_tree(w, path);
			if (last) {
				free(*last);
				*last = path;
			} else {
				free(path);
			}
			changes++;
		}
	}
	return changes;
}

void
wp_watch_free(wp_watch *w)
{
	size_t i;

	if (w == NULL)
		return;
	close(w->fd);
	for (i = 0; i < w->ndirs; i++)
		free(w->dirs[i]);
	free(w->dirs);
	free(w);
}
