/*
 * cmd_export.c: `wpgen outline` and `wpgen xref`: one edition's sections,
 * or its cross-reference, on standard output as JSON, text or CSV.  The
 * edition is the one that is published: a translation that lacks
 * sections has them from the source language, as its page has.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "commands.h"
#include "options.h"
#include "project.h"
#include "translate.h"
#include "util.h"

/* Loads the edition as published: a translation with sections missing
 * shows them from the source, as its page does.  Prints diagnostics;
 * returns an exit status. */
static int
load_export(wp_cli_opts *o, const char *cmd, wp_project **p,
    wp_edition **ed, wp_diags *d)
{
	wp_project_service *ps;
	const char *lang;
	int rc = wp_cli_open_service(o, cmd, p, &ps, d);

	if (rc != WP_EXIT_OK)
		return rc;
	lang = ps ? wp_cli_lang(o) ? wp_cli_lang(o) : ps->svc->langs[0] : NULL;
	if (ps && ps->lock)
		*ed = wp_edition_load_published((*p)->site, ps->svc, NULL,
		    lang, ps->lock, d);
	if (ps && *ed == NULL && d->errors == 0)
		wp_diag_add(d, WP_ERROR, ps->svc->dir, 0, 0, "missing-edition",
		    "no Markdown files for language '%s'", lang);
	wp_diags_sort(d);
	wp_diags_print_text(d, stderr);
	return d->errors || *ed == NULL ? WP_EXIT_CONTENT : WP_EXIT_OK;
}

/* Is format one of the space-separated words of formats? */
static int
format_allowed(const char *formats, const char *format)
{
	size_t n = strlen(format);
	const char *p;

	for (p = formats; n && (p = strstr(p, format)) != NULL; p += n)
		if ((p == formats || p[-1] == ' ') && (p[n] == ' ' ||
		    p[n] == '\0'))
			return 1;
	return 0;
}

/* An unknown or repeated name in --columns: which, the nearest, and
 * every column. */
static void
bad_column(const char *cmd, const char *bad, const char *near, int twice)
{
	const char *name;
	size_t i;

	if (twice)
		fprintf(stderr, "wpgen %s: --columns: '%s' twice;", cmd, bad);
	else if (*bad)
		fprintf(stderr, "wpgen %s: --columns: no column '%s'%s%s%s;",
		    cmd, bad, near ? " (did you mean '" : "", near ? near :
		    "", near ? "'?)" : "");
	else
		fprintf(stderr, "wpgen %s: --columns: an empty column name;",
		    cmd);
	fputs(" the columns are", stderr);
	for (i = 0; (name = wp_xref_csv_column_name(i)) != NULL; i++)
		fprintf(stderr, "%s %s", i ? "," : "", name);
	fputc('\n', stderr);
}

static int
run_export(int argc, char **argv, const char *usage, const char *formats,
    unsigned more, void (*write)(const wp_edition *, const wp_cli_opts *,
    const char *, wp_buf *))
{
	wp_cli_opts o;
	wp_project *p = NULL;
	wp_edition *ed = NULL;
	wp_diags d;
	wp_buf out = WP_BUF_INIT;
	const char *format, *near;
	char *bad;
	int rc, twice;

	rc = wp_cli_parse(argc, argv, WP_OPT_CONTENT | WP_OPT_TEMPLATES |
	    WP_OPT_SERVICE | WP_OPT_LANG | WP_OPT_FORMAT | more, 0, 1, usage,
	    &o);
	if (rc != 0) {
		wp_cli_opts_free(&o);
		return rc < 0 ? WP_EXIT_OK : rc;
	}
	format = o.format ? o.format : "json";
	if (!format_allowed(formats, format)) {
		fprintf(stderr, "wpgen %s: --format is one of %s\n", argv[0],
		    formats);
		wp_cli_opts_free(&o);
		return WP_EXIT_USAGE;
	}
	if ((o.bom || o.columns) && strcmp(format, "csv") != 0) {
		fprintf(stderr, "wpgen %s: %s is for --format csv\n",
		    argv[0], o.bom ? "--bom" : "--columns");
		wp_cli_opts_free(&o);
		return WP_EXIT_USAGE;
	}
	if (o.columns && (bad = wp_xref_csv_columns_check(o.columns,
	    &near, &twice)) != NULL) {
		bad_column(argv[0], bad, near, twice);
		free(bad);
		wp_cli_opts_free(&o);
		return WP_EXIT_USAGE;
	}
	wp_diags_init(&d);
	rc = load_export(&o, argv[0], &p, &ed, &d);
	if (rc == WP_EXIT_OK) {
		/* Excel reads UTF-8 CSV only after a byte-order mark. */
		if (o.bom)
			wp_buf_puts(&out, "\xef\xbb\xbf");
		write(ed, &o, format, &out);
		if (wp_write_stdout(argv[0], out.data, out.len) != 0)
			rc = WP_EXIT_IO;
	}
	wp_buf_free(&out);
	wp_edition_free(ed);
	wp_project_free(p);
	wp_diags_free(&d);
	wp_cli_opts_free(&o);
	return rc;
}

static void
write_outline(const wp_edition *ed, const wp_cli_opts *o,
    const char *format, wp_buf *out)
{
	if (strcmp(format, "text") == 0)
		wp_outline_write_text(ed->doc, out);
	else
		wp_outline_write_json(ed->doc, ed->service->id, out);
}

static void
write_xref(const wp_edition *ed, const wp_cli_opts *o, const char *format,
    wp_buf *out)
{
	if (strcmp(format, "csv") == 0)
		wp_xref_write_csv(ed->xref, ed->service->standards, NULL,
		    o->columns, out);
	else
		wp_xref_write_json(ed->xref, ed->service->standards, NULL,
		    out);
}

int
cmd_outline(int argc, char **argv)
{
	return run_export(argc, argv,
	    "usage: wpgen outline SERVICE [--content DIR] [--lang L] "
	    "[--format json|text]\n\nPrints the sections of an edition: "
	    "level, number, title, anchor, key and controls.\n",
	    "json text", 0, write_outline);
}

int
cmd_xref(int argc, char **argv)
{
	return run_export(argc, argv,
	    "usage: wpgen xref SERVICE [--content DIR] [--lang L] "
	    "[--format json|csv] [--bom] [--columns LIST]\n\nPrints every "
	    "control of every catalog the service uses, with the sections "
	    "that address it.\n--bom starts the CSV with a byte-order mark, "
	    "for Excel; --columns picks the CSV's\ncolumns (comma-separated, "
	    "in order) among: catalog, label, alt_identifier,\ntitle, "
	    "sections, maps_to, catalog_name, family, family_id, id, "
	    "addressed,\nsection_titles, section_urls, via, via_sections.\n",
	    "json csv", WP_OPT_BOM | WP_OPT_COLUMNS, write_xref);
}
