/*
 * build.h: building a project's editions into its output directory: the
 * library behind `wpgen build`, and what a program that rebuilds (the
 * preview server of `wpgen serve`) calls.
 *
 *	wp_project *p;
 *	wp_build_opts o = {.jobs = 2};
 *	wp_build_result r;
 *	wp_diags d;
 *	wp_diags_init(&d);
 *	if (wp_project_open(&popts, "serve", &p, &d) == WP_EXIT_OK)
 *		status = wp_build(p, &o, &d, &r);
 *
 * A project may be built once: open a new one for every rebuild, so that
 * what changed on disk is read again.  Every build is incremental
 * (manifest.h): the output directory's .wpgen-manifest says which
 * editions' inputs are unchanged (mostly from the files' stat data,
 * without reading them), and those are kept rather than rebuilt, so a
 * preview server can call this after every change and pay only for what
 * changed; the result is the same as a build from scratch.  A failed
 * build leaves the output directory (and its manifest) as it was: the
 * files are written into a temporary directory beside it, which then
 * replaces it whole (a full build), or from which the files that changed
 * are renamed into it (an incremental build: templates, catalogs and
 * options unchanged), the manifest last.  When nothing changed, nothing
 * is written.
 */
#ifndef WP_BUILD_H
#define WP_BUILD_H

#include <stddef.h>

#include "diag.h"
#include "project.h"

typedef struct wp_build_opts {
	int jobs;        /* worker processes; 1 builds in this process */
	int progress;    /* show "[n/total] svc/lang" on stderr */
	int pdf;         /* every edition's PDF (else: services with pdf:) */
	const char *key; /* wp_build_key() of the options, noted in the
	                    manifest for wp_build_unchanged(); NULL: none */
	size_t project_diags;  /* the first diagnostics of d are the
	                          project's (wp_project_open()), kept with
	                          the key */
	struct wp_manifest *manifest;  /* the previous build's, read by
	                          wp_build_unchanged() (wp_build takes
	                          its content when out/ still holds it),
	                          or NULL */
} wp_build_opts;

typedef struct wp_build_result {
	size_t pages;    /* editions written */
	size_t total;    /* editions selected */
	size_t unchanged;  /* of the pages, kept from the previous build
	                      because none of their inputs changed */
	/* What the build (the parent process) held in memory at most:
	 * services read (project.h: a lean project holds one at a time)
	 * and summaries got from the store (summary.h) at once; and the
	 * summaries still in memory at its end, not in the store (an
	 * incremental build keeps those it took as records). */
	size_t services_held, summaries_held, summaries_in_memory;
	/* and the records of the next manifest still in memory at its
	 * end: files (but those every page depends on: templates,
	 * catalogs, site files) and editions' outputs and problems */
	size_t records_in_memory;
} wp_build_result;

/* Builds the selected services and languages of p into p->out_dir.
 * Returns an exit status (commands.h); problems in d. */
int wp_build(wp_project *p, const wp_build_opts *o, wp_diags *d,
    wp_build_result *result);

/* The key of the options of a build (where it runs, --content,
 * --templates, --out, --service, --lang, --pdf, SOURCE_DATE_EPOCH). */
void wp_build_key(const wp_project_opts *po, const wp_build_opts *o,
    char hex[33]);

/*
 * Before the project is opened: 1 when the output directory's manifest
 * shows that a build with these options would change nothing (the same
 * key, program, and stat data of every input file and directory and of
 * every output; quick.c).  The problems that build would say are then
 * in d and its counts in *result.  0: open the project and wp_build()
 * (which takes the manifest read here from o->manifest, when set).
 */
int wp_build_unchanged(const wp_project_opts *po, const wp_build_opts *o,
    wp_diags *d, wp_build_result *result);

/*
 * For wp_project_opts.known, with ctx the manifest wp_build_unchanged()
 * read into o->manifest: 1 with the style and the languages of service
 * id when that found every file and directory under dir as the manifest
 * recorded them, and every output of the service's editions, and the
 * manifest noted its style (the service was read then without a
 * problem) and has its editions in the order a build writes them.  The project then opens the service unread, and wp_build()
 * takes its editions from the manifest (or reads it, when the manifest
 * cannot be used after all).
 */
int wp_build_known(void *ctx, const char *id, const char *dir,
    wp_service_facts *facts);

#endif
