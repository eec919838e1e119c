/*
 * cmd_check.c: `wpgen check`: the options, the project,
 * wp_check_project(), and the diagnostics as text or JSON.
 */
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "check.h"
#include "commands.h"
#include "options.h"
#include "path.h"

static const char check_usage[] =
    "usage: wpgen check [--content DIR] [--templates DIR] [--service ID]...\n"
    "                   [--lang L]... [--jobs N] [--format text|json]\n"
    "                   [--strict] [--errors-only | -q]\n"
    "\n"
    "Reads everything `build` reads, the templates included, and reports\n"
    "problems without writing anything.  Translation problems and catalog\n"
    "titles missing in a language are warnings (errors with --strict);\n"
    "--errors-only (-q) shows only the errors.  --jobs N checks the\n"
    "services in N processes (default: the number of CPUs); the report\n"
    "is the same whatever N.\n"
    "Exit status 1 when there are errors, 3 when a worker failed.\n";

int
cmd_check(int argc, char **argv)
{
	wp_cli_opts o;
	wp_project *p = NULL;
	wp_diags d;
	wp_buf json = WP_BUF_INIT;
	const char *format;
	int rc, failed = 0;

	rc = wp_cli_parse(argc, argv, WP_OPT_CONTENT | WP_OPT_TEMPLATES |
	    WP_OPT_SERVICE | WP_OPT_LANGS | WP_OPT_FORMAT | WP_OPT_STRICT |
	    WP_OPT_ERRORS_ONLY | WP_OPT_JOBS, 0,
	    0, check_usage, &o);
	format = o.format ? o.format : "text";
	if (rc == 0 && strcmp(format, "text") != 0 &&
	    strcmp(format, "json") != 0) {
		fputs(check_usage, stderr);
		rc = WP_EXIT_USAGE;
	}
	if (rc != 0) {
		wp_cli_opts_free(&o);
		return rc < 0 ? WP_EXIT_OK : rc;
	}
	wp_diags_init(&d);
	d.strict = o.strict;
	o.project.render = 1;
	rc = wp_project_open(&o.project, "check", &p, &d);
	if (rc == WP_EXIT_USAGE || rc == WP_EXIT_IO) {
		wp_diags_free(&d);
		wp_cli_opts_free(&o);
		return rc;
	}
	if (p)
		failed = wp_check_project(p, o.jobs, &d) != 0;
	wp_diags_sort(&d);
	if (o.errors_only)
		wp_diags_drop_warnings(&d);
	if (strcmp(format, "json") == 0) {
		wp_diags_write_json(&d, &json);
	} else {
		wp_diags_print_text(&d, stderr);
	}
	rc = failed ? WP_EXIT_IO : d.errors ? WP_EXIT_CONTENT : WP_EXIT_OK;
	if (wp_write_stdout("check", json.data, json.len) != 0)
		rc = WP_EXIT_IO;
	wp_buf_free(&json);
	wp_project_free(p);
	wp_diags_free(&d);
	wp_cli_opts_free(&o);
	return rc;
}
