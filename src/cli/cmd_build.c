/*
 * cmd_build.c: `wpgen build`: the options, the project, wp_build(), and
 * the diagnostics and the summary line on stderr.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "build.h"
#include "manifest.h"
#include "commands.h"
#include "options.h"

static const char build_usage[] =
    "usage: wpgen build [--content DIR] [--templates DIR] [--out DIR]\n"
    "                   [--service ID]... [--lang L]... [--jobs N] [--pdf]\n"
    "                   [--quiet]\n"
    "\n"
    "Builds every edition of every service under DIR (default content/)\n"
    "through the templates (default templates/) into out/: one page per\n"
    "edition with xref.json and xref.csv beside it, the site index and the\n"
    "coverage page.  --service and --lang limit the build; out/ then holds\n"
    "only what was built.  A failed build leaves out/ untouched.  --jobs\n"
    "defaults to the number of CPUs.  --pdf also makes each edition's PDF\n"
    "beside its page (<service>-<lang>-<version>.pdf) with WeasyPrint, as\n"
    "`pdf: true` in service.yaml does for one service.\n";

int
cmd_build(int argc, char **argv)
{
	wp_cli_opts o;
	wp_project *p = NULL;
	wp_build_opts bo;
	wp_build_result r = {0, 0, 0, 0, 0, 0, 0};
	wp_diags d;
	char key[33];
	wp_manifest previous;
	const char *out;
	size_t outlen;
	int rc;

	rc = wp_cli_parse(argc, argv, WP_OPT_CONTENT | WP_OPT_TEMPLATES |
	    WP_OPT_OUT | WP_OPT_SERVICE | WP_OPT_LANGS | WP_OPT_JOBS |
	    WP_OPT_QUIET | WP_OPT_PDF, 0, 0, build_usage, &o);
	if (rc != 0) {
		wp_cli_opts_free(&o);
		return rc < 0 ? WP_EXIT_OK : rc;
	}
	wp_diags_init(&d);
	o.project.render = 1;
	/* One service's data at a time (a PDF build keeps them all:
	 * the PDFs are made at the end, from every service). */
	o.project.lean = !o.pdf;
	o.project.catalogs_cache = 1;
	memset(&bo, 0, sizeof bo);
	bo.jobs = o.jobs;
	bo.pdf = o.pdf;
	bo.progress = !o.quiet && isatty(2);
	wp_build_key(&o.project, &bo, key);
	bo.key = key;
	bo.manifest = &previous;
	/* Nothing changed: said by the manifest, no project opened. */
	if (wp_build_unchanged(&o.project, &bo, &d, &r)) {
		rc = WP_EXIT_OK;
		goto said;
	}
	/* The services found unchanged are opened unread. */
	o.project.known = wp_build_known;
	o.project.known_ctx = &previous;
	rc = wp_project_open(&o.project, "build", &p, &d);
	if (rc == WP_EXIT_USAGE || rc == WP_EXIT_IO) {
		wp_manifest_free(&previous);
		wp_diags_free(&d);
		wp_cli_opts_free(&o);
		return rc;
	}
	if (p) {
		bo.project_diags = d.len;
		rc = wp_build(p, &bo, &d, &r);
	}
said:
	/* What the build held in memory (tests/cli/memory.sh). */
	if (getenv("WPGEN_BUILD_STATS") && p)
		fprintf(stderr, "wpgen build: held at most %zu service%s and "
		    "%zu summar%s at once; %zu summar%s and %zu record%s of "
		    "files and outputs in memory at the end\n",
		    r.services_held, r.services_held == 1 ? "" : "s",
		    r.summaries_held, r.summaries_held == 1 ? "y" : "ies",
		    r.summaries_in_memory, r.summaries_in_memory == 1 ? "y" :
		    "ies", r.records_in_memory, r.records_in_memory == 1 ?
		    "" : "s");
	wp_diags_sort(&d);
	wp_diags_print_text(&d, stderr);
	if (!o.quiet) {
		out = o.project.out ? o.project.out : "out";
		outlen = strlen(out);
		while (outlen > 1 && out[outlen - 1] == '/')
			outlen--;
		fprintf(stderr, "%s %zu edition%s of %zu into %.*s/ (", rc == 0 ?
		    "built" : "failed:", r.pages, r.pages == 1 ? "" : "s",
		    r.total, (int)outlen, out);
		if (r.unchanged)
			fprintf(stderr, "%zu unchanged, ", r.unchanged);
		fprintf(stderr, "%d error%s, %d warning%s)\n", d.errors,
		    d.errors == 1 ? "" : "s", d.warnings, d.warnings == 1 ?
		    "" : "s");
	}
	wp_project_free(p);
	wp_manifest_free(&previous);
	wp_diags_free(&d);
	wp_cli_opts_free(&o);
	return rc;
}
