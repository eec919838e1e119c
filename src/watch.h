/*
 * watch.h: watching directory trees for changes (inotify), for `wpgen
 * serve`.  Every directory below the roots is watched, new ones as they
 * appear; editors' scratch files (hidden names, names ending in '~',
 * vim's 4913) are not changes.
 */
#ifndef WP_WATCH_H
#define WP_WATCH_H

typedef struct wp_watch wp_watch;

/* Watches the trees under roots (NULL-terminated; missing ones are
 * skipped).  NULL with errno when inotify is not available. */
wp_watch *wp_watch_new(const char *const *roots);
/* The descriptor to poll for reading. */
int wp_watch_fd(const wp_watch *w);
/* Reads the pending events; returns how many were changes, and the path
 * of the last in *last (malloc'd, NULL when none): editors that write a
 * scratch file and rename it end with the file's own name. */
int wp_watch_read(wp_watch *w, char **last);
void wp_watch_free(wp_watch *w);

#endif
