/*
 * cmd_mustache.c: `wpgen mustache TEMPLATE [DATA] [--partials DIR]`, the
 * template engine on its own: renders one Mustache template file with a
 * YAML or JSON data file (standard input for "-", an empty map when there
 * is none) to standard output.  Partials are DIR/NAME.mustache, DIR being
 * the template's directory unless --partials says otherwise; a missing
 * partial is an error.  Nothing is written unless rendering succeeds.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "commands.h"
#include "diag.h"
#include "mustache.h"
#include "util.h"
#include "value.h"
#include "yamlvalue.h"

static const char usage_text[] =
    "usage: wpgen mustache TEMPLATE [DATA] [--partials DIR]\n"
    "\n"
    "Renders the Mustache template file TEMPLATE to standard output with\n"
    "the YAML or JSON file DATA as its context ('-' reads standard input;\n"
    "without DATA the context is an empty map).  {{>NAME}} reads the\n"
    "partial DIR/NAME.mustache; a missing partial is an error.\n"
    "\n"
    "options:\n"
    "  --partials DIR  where partials are read from (default: the\n"
    "                  template's directory)\n"
    "  -h, --help      print this help\n"
    "\n"
    "Exit status: 0 rendered, 1 template or data error, 2 usage error,\n"
    "3 I/O error.\n";

static int
usage_error(const char *fmt, const char *arg)
{
	fputs("wpgen mustache: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("\nusage: wpgen mustache TEMPLATE [DATA] [--partials DIR]\n"
	    "(wpgen mustache --help tells more)\n", stderr);
	return WP_EXIT_USAGE;
}

/* The context: DATA's value, or an empty map.  NULL on error. */
static wp_value *
load_data(const char *path, wp_diags *d)
{
	wp_buf in = WP_BUF_INIT;
	char chunk[65536];
	size_t n;
	wp_value *v;

	if (path == NULL)
		return wp_value_new_map();
	if (strcmp(path, "-") != 0)
		return wp_yaml_load_file(path, d);
	while ((n = fread(chunk, 1, sizeof chunk, stdin)) > 0)
		wp_buf_put(&in, chunk, n);
	if (ferror(stdin)) {
		wp_diag_add(d, WP_ERROR, "<stdin>", 0, 0, "io-error",
		    "cannot read: %s", strerror(errno));
		wp_buf_free(&in);
		return NULL;
	}
	v = wp_yaml_load("<stdin>", wp_buf_cstr(&in), in.len, d);
	wp_buf_free(&in);
	return v;
}

/* 3 when something could not be read, else 1. */
static int
failure_status(const wp_diags *d)
{
	size_t i;

	for (i = 0; i < d->len; i++)
		if (strcmp(d->items[i].code, "io-error") == 0)
			return WP_EXIT_IO;
	return WP_EXIT_CONTENT;
}

/* Renders; returns the exit status. */
static int
render(const char *tpl_path, const char *data_path, const char *partials,
    wp_diags *d)
{
	wp_templates *reg = NULL;
	wp_template *tpl = NULL;
	wp_value *data = NULL;
	wp_buf out = WP_BUF_INIT;
	char *src, *dir = NULL;
	size_t len;
	int rc;

	if ((src = wp_read_file(tpl_path, &len)) == NULL) {
		wp_diag_add(d, WP_ERROR, tpl_path, 0, 0, "io-error",
		    "cannot read: %s", strerror(errno));
		return WP_EXIT_IO;
	}
	if (partials == NULL)
		partials = dir = wp_path_dirname(tpl_path);
	reg = wp_templates_new_dir(partials, 1);
	tpl = wp_template_compile(reg, tpl_path, src, len, d);
	if (tpl != NULL)
		data = load_data(data_path, d);
	rc = tpl != NULL && data != NULL &&
	    wp_template_render(reg, tpl, data, &out, d) == 0 ?
	    WP_EXIT_OK : failure_status(d);
	if (rc == WP_EXIT_OK) {
		fwrite(wp_buf_cstr(&out), 1, out.len, stdout);
		if (fflush(stdout) != 0 || ferror(stdout)) {
			fprintf(stderr, "wpgen mustache: cannot write the "
			    "output: %s\n", strerror(errno));
			rc = WP_EXIT_IO;
		}
	}
	wp_buf_free(&out);
	wp_value_free(data);
	wp_template_free(tpl);
	wp_templates_free(reg);
	free(dir);
	free(src);
	return rc;
}

int
cmd_mustache(int argc, char **argv)
{
	static const struct option options[] = {
		{"partials", required_argument, NULL, 'p'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}
	};
	const char *partials = NULL;
	wp_diags d;
	int c, rc;

#ifdef __GLIBC__
	optind = 0;             /* glibc: start a fresh scan */
#else
	optind = 1;
#endif
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
		switch (c) {
		case 'p':
			partials = optarg;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return WP_EXIT_OK;
		case ':':
			return usage_error("option '%s' needs an argument",
			    argv[optind - 1]);
		default:
			return usage_error("unknown option '%s'",
			    argv[optind - 1]);
		}
	}
	if (argc - optind < 1)
		return usage_error("%s", "missing TEMPLATE");
	if (argc - optind > 2)
		return usage_error("unexpected argument '%s'",
		    argv[optind + 2]);
	wp_diags_init(&d);
	rc = render(argv[optind], argc - optind > 1 ? argv[optind + 1] : NULL,
	    partials, &d);
	wp_diags_print_text(&d, stderr);
	wp_diags_free(&d);
	return rc;
}
