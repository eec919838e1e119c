/*
 * dynlib.h: the shared libraries that only some commands need, opened
 * when first needed (dlopen) instead of linked.
 *
 * libgit2 (gitrev.c: the content at a git revision) and libmicrohttpd
 * (serve.c: the preview server) bring some thirty libraries with them
 * (TLS, SSH, Kerberos...): linked, every run of wpgen would have the
 * dynamic loader map and relocate them all before main(), about 4 ms,
 * a fifth of a build that finds nothing changed.  libxml2 (catalog.c)
 * likewise: with ICU and libstdc++ it took 0.7 ms of every start, and a
 * build that finds nothing changed reads no catalog.  Each of those files
 * lists the functions it calls in a struct of pointers, typed from the
 * library's own header (so every call is checked as a direct one),
 * filled through these two functions the first time it needs them.
 */
#ifndef WP_DYNLIB_H
#define WP_DYNLIB_H

/* The library soname ("libgit2.so.1.5"), opened, or NULL with *msg
 * saying why (malloc'd). */
void *wp_dynlib_open(const char *soname, char **msg);
/* The function name of the library h (soname) into *fn: 0, or -1 with
 * *msg saying why (malloc'd). */
int wp_dynlib_sym(void *h, const char *soname, const char *name,
    void **fn, char **msg);

#endif
