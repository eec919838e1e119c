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
} wp_project_opts;

/* A selected service with what every command needs of it. */
typedef struct wp_project_service {
	wp_service *svc;
	const wp_style *style;   /* NULL when it has none (diagnosed), or
	                            when the command does not render */
	wp_lock *lock;           /* NULL when malformed (diagnosed) */
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
