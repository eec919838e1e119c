/*
 * share.h: where wpgen's installed data lives.  `make install` puts the
 * templates and the catalogs under <prefix>/share/wpgen and the program in
 * <prefix>/bin; the share directory is found from the running executable
 * (/proc/self/exe), so an installed tree can be moved (PREFIX=/opt/x)
 * without a rebuild.
 */
#ifndef WP_SHARE_H
#define WP_SHARE_H

/* <prefix>/share/wpgen for the running executable, malloc'd; NULL when
 * that is not a directory (an uninstalled build). */
char *wp_share_dir(void);

/* The templates directory a command uses: `given` (--templates) when not
 * NULL; else ./templates when it is a directory; else the installed
 * <prefix>/share/wpgen/templates when it is one; else "templates" (so
 * that the diagnostic names what was looked for).  malloc'd. */
char *wp_templates_find(const char *given);

#endif
