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
#include "site.h"
#include "translate.h"
#include "util.h"

/* Loads the edition; prints diagnostics.  Returns an exit status. */
static int
load_export(const wp_service_opts *o, wp_site **site, wp_service **svc,
    wp_edition **ed, wp_diags *d)
{
	char *dir = wp_path_join(o->content, o->service);
	char *yaml = wp_path_join(dir, "service.yaml");
	int exists = wp_is_file(yaml);

	free(dir);
	free(yaml);
	if (!exists) {
		fprintf(stderr, "wpgen: no service '%s' in %s\n", o->service,
		    o->content);
		return WP_EXIT_USAGE;
	}
	*site = wp_site_open(o->content, NULL, d);
	*svc = *site ? wp_service_load(o->content, o->service, d) : NULL;
	if (*svc && o->lang && !wp_service_has_lang(*svc, o->lang)) {
		fprintf(stderr, "wpgen: service '%s' has no language '%s'\n",
		    o->service, o->lang);
		return WP_EXIT_USAGE;
	}
	if (*svc) {
		/* The edition as published: a translation with sections
		 * missing shows them from the source, as its page does. */
		wp_lock *lock = wp_lock_load(*svc, d);
		if (lock)
			*ed = wp_edition_load_published(*site, *svc, NULL,
			    o->lang ? o->lang : (*svc)->langs[0], lock, d);
		wp_lock_free(lock);
	}
	if (*svc && *ed == NULL && d->errors == 0)
		wp_diag_add(d, WP_ERROR, (*svc)->dir, 0, 0, "missing-edition",
		    "no Markdown files for language '%s'", o->lang ? o->lang :
		    (*svc)->langs[0]);
	wp_diags_sort(d);
	wp_diags_print_text(d, stderr);
	return d->errors ? WP_EXIT_CONTENT : WP_EXIT_OK;
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

static int
run_export(int argc, char **argv, const char *usage, const char *formats,
    void (*write)(const wp_edition *, const char *, wp_buf *))
{
	wp_service_opts o;
	wp_site *site = NULL;
	wp_service *svc = NULL;
	wp_edition *ed = NULL;
	wp_diags d;
	wp_buf out = WP_BUF_INIT;
	int rc;

	if ((rc = wp_parse_service_opts(argc, argv, usage, 0, &o)) != 0)
		return rc < 0 ? WP_EXIT_OK : rc;
	if (o.format == NULL)
		o.format = "json";
	if (!format_allowed(formats, o.format)) {
		fprintf(stderr, "wpgen %s: --format is one of %s\n", argv[0],
		    formats);
		return WP_EXIT_USAGE;
	}
	wp_diags_init(&d);
	rc = load_export(&o, &site, &svc, &ed, &d);
	if (rc == WP_EXIT_OK) {
		write(ed, o.format, &out);
		if (fwrite(out.data, 1, out.len, stdout) != out.len ||
		    fflush(stdout) != 0)
			rc = WP_EXIT_IO;
	}
	wp_buf_free(&out);
	wp_edition_free(ed);
	wp_service_free(svc);
	wp_site_free(site);
	wp_diags_free(&d);
	return rc;
}

static void
write_outline(const wp_edition *ed, const char *format, wp_buf *out)
{
	if (strcmp(format, "text") == 0)
		wp_outline_write_text(ed->doc, out);
	else
		wp_outline_write_json(ed->doc, ed->service->id, out);
}

static void
write_xref(const wp_edition *ed, const char *format, wp_buf *out)
{
	if (strcmp(format, "csv") == 0)
		wp_xref_write_csv(ed->xref, out);
	else
		wp_xref_write_json(ed->xref, out);
}

int
cmd_outline(int argc, char **argv)
{
	return run_export(argc, argv,
	    "usage: wpgen outline SERVICE [--content DIR] [--lang L] "
	    "[--format json|text]\n\nPrints the sections of an edition: "
	    "level, number, title, anchor, key and controls.\n",
	    "json text", write_outline);
}

int
cmd_xref(int argc, char **argv)
{
	return run_export(argc, argv,
	    "usage: wpgen xref SERVICE [--content DIR] [--lang L] "
	    "[--format json|csv]\n\nPrints every control of every catalog "
	    "the service uses, with the sections that address it.\n",
	    "json csv", write_xref);
}
