/*
 * project.h: the project layer that every command opens once.
 *
 * A project is where the content and the templates are, the catalogs and
 * styles (through wp_site), which services and languages the command is
 * about (--service, --lang), and for each selected service its
 * service.yaml, style and translations.lock, each loaded once.  Commands
 * get editions from it; none of them repeats "open the site, load the
 * service, its style, its lock".
 *
 * Services may be opened lazily: a caller that already knows what the
 * project needs of a service whose files are all as they were (a build,
 * from the previous build's manifest: quick.c) says so through
 * wp_project_opts.known, and such a service is listed with those facts
 * (its style and selected languages) but its service.yaml and lock are
 * not read, unless wp_project_read_service() asks for them.  The checks
 * across services (--lang, the site's labels against the styles) see
 * every service either way.
 *
 * The templates directory is --templates when given, else ./templates
 * when it exists, else <prefix>/share/wpgen/templates beside the
 * installed executable (<prefix>/bin/wpgen): wp_templates_find() of
 * share.h.
 */
#ifndef WP_PROJECT_H
#define WP_PROJECT_H

#include <stddef.h>

#include "diag.h"
#include "site.h"
#include "translate.h"

struct wp_service_facts;

typedef struct wp_project_opts {
	const char *content;           /* NULL: "content" */
	const char *templates;         /* NULL: wp_templates_find(NULL) */
	const char *out;               /* NULL: "out" */
	const char *const *services;   /* --service; none: every service */
	size_t nservices;
	const char *const *langs;      /* --lang; none: every language */
	size_t nlangs;
	int render;                    /* load each service's style: the
	                                  command renders pages */
	int files_only;                /* load and check no service: the
	                                  command is about files, or reads
	                                  services itself (diff) */
	/* What the caller knows of service id (its directory dir) without
	 * reading it: 1 with *facts filled, else 0 and the service is
	 * read.  NULL: read every service.  Facts may be given only for a
	 * service whose service.yaml and lock are those they were taken
	 * from, and which were read then without a problem. */
	int (*known)(void *ctx, const char *id, const char *dir,
	    struct wp_service_facts *facts);
	void *known_ctx;
	/* Hold no service's data (a build of a large site): a service
	 * whose service.yaml is read without a problem, that makes no
	 * PDF and links no git ref, is dropped once checked, as if
	 * opened from facts (its style and languages kept), its lock
	 * not read; wp_project_read_service() reads both when it is
	 * built (the lock then only), and it is dropped again
	 * (wp_project_drop_service).  Memory then does not grow with
	 * the number of services, and the parent of a parallel build
	 * reads no lock before its workers start. */
	int lean;
	/* Read the catalogs through the packed copy a full build keeps in
	 * out/ (catpack.h), and keep theirs when they are read from XML
	 * (the project's site->catalogs->cache_key; the build writes it). */
	int catalogs_cache;
} wp_project_opts;

/* What the project needs of a service to open it without reading it. */
typedef struct wp_service_facts {
	const char *style;             /* its style's name (the caller's) */
	char **langs;                  /* its selected languages, in its
	                                  order: NULL-terminated, malloc'd,
	                                  the project's once given */
	size_t nlangs;
} wp_service_facts;

/* A selected service with what every command needs of it. */
typedef struct wp_project_service {
	char *id;                /* its directory's name */
	char *dir;               /* content/<id> */
	wp_service *svc;         /* NULL while known but not read (then
	                            lock is NULL too), or when it could not
	                            be read on demand (diagnosed) */
	const wp_style *style;   /* NULL when it has none (diagnosed), or
	                            when the command does not render */
	wp_lock *lock;           /* NULL when malformed (diagnosed), or
	                            while known (a lean project's dropped
	                            service: not read yet) */
	/* Its languages: svc's, or the selected ones of the facts. */
	const char *const *langs;
	size_t nlangs;
	int known;               /* opened from facts, not read */
	int clean;               /* read without any diagnostic (or known) */
	int droppable;           /* lean: may be dropped once read (clean,
	                            no PDF, no git ref) */
	char **known_langs;      /* langs when known, owned */
	char yaml_hex[33];       /* the digest of the service.yaml it was
	                            read from (read again, a service.yaml
	                            that differs is an error) */
	char lock_hex[33];       /* and of the translations.lock lock was
	                            parsed from (empty: none was read,
	                            or not yet) */
	long long read_at;       /* when the reading of these two began
	                            (ns since the epoch) */
} wp_project_service;

typedef struct wp_project {
	wp_site *site;           /* content and templates dirs, catalogs,
	                            styles, labels, compiled templates */
	const char *content_dir; /* site->content_dir */
	const char *templates_dir;
	char *out_dir;           /* without trailing slashes */
	const char *const *langs;
	size_t nlangs;
	wp_project_service *services;  /* selected and loadable, id order */
	size_t nservices;
	size_t nselected;        /* selected services, loadable or not */
	int render;              /* the services' styles are loaded */
	int lean;                /* wp_project_opts.lean */
	size_t held, held_max;   /* services read and not dropped: now,
	                            and at most (a build's stats) */
} wp_project;

/*
 * Opens the project for the command cmd ("build"): checks the selection
 * and loads the catalogs and the selected services with their styles and
 * locks.  Returns an exit status (commands.h): WP_EXIT_OK with *out set;
 * WP_EXIT_USAGE for a --service or --lang that names nothing (said on
 * stderr as "wpgen CMD: ..."); WP_EXIT_IO without a content directory;
 * WP_EXIT_CONTENT when the catalogs cannot be used.  Content problems of
 * services are in d; a service whose service.yaml cannot be used is left
 * out of services.
 */
int wp_project_open(const wp_project_opts *o, const char *cmd,
    wp_project **out, wp_diags *d);
void wp_project_free(wp_project *p);

/* Reads a service opened from facts (ps->known) as wp_project_open would
 * have: its service.yaml, style and lock, with their problems in d.
 * 0, or -1 when it cannot be used (ps->svc stays NULL). */
int wp_project_read_service(wp_project *p, wp_project_service *ps,
    wp_diags *d);
/* Drops the service.yaml and lock of a service read again for a lean
 * project (ps->droppable), keeping its style and languages: it is then
 * as opened from facts.  Nothing when it is not droppable. */
void wp_project_drop_service(wp_project *p, wp_project_service *ps);

/* Says on stderr, as "wpgen CMD: ...", that content has no service id:
 * the nearest name and every service it has, or how to start one.  The
 * same words, and WP_EXIT_USAGE, from every command. */
void wp_project_say_no_service(const char *cmd, const char *content,
    const char *id);

/* Whether lang is selected (no --lang selects every language). */
int wp_project_lang_selected(const wp_project *p, const char *lang);
/* The selected service id, or NULL. */
wp_project_service *wp_project_find(wp_project *p, const char *id);

#endif
