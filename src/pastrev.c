/*
 * pastrev.c: services and editions read from a git revision (pastrev.h).
 */
#include <stdlib.h>
#include <string.h>

#include "pastrev.h"
#include "util.h"

wp_service *
wp_past_service(const wp_site *site, const wp_gitrev *g, const char *id,
    int unsafe_html, wp_diags *d)
{
	char *rel = xasprintf("%s/service.yaml", id);
	char *name = xasprintf("%s%s", wp_gitrev_prefix(g), rel);
	size_t len = 0;
	char *text = wp_gitrev_read(g, rel, &len);
	wp_service *svc = NULL;

	if (text == NULL)
		wp_diag_add(d, WP_ERROR, name, 0, 0, "unknown-service",
		    "the revision has no service '%s' (no %s)", id, rel);
	else
		svc = wp_service_parse(site->content_dir, id, name, text, len,
		    d);
	if (svc)
		svc->unsafe_html = unsafe_html;
	free(text);
	free(name);
	free(rel);
	return svc;
}

wp_edition *
wp_past_edition(wp_site *site, const wp_gitrev *g, const wp_service *svc,
    const char *lang, wp_diags *d)
{
	wp_document_options opt;
	char *dir = xasprintf("%s/%s", svc->id, lang);
	char **files = wp_gitrev_list(g, dir, ".md"), *name, *svcdir;
	wp_document *doc = NULL;
	wp_edition *ed = NULL;
	size_t i, n;

	for (n = 0; files && files[n]; n++) {
		name = xasprintf("%s%s/%s", wp_gitrev_prefix(g), dir,
		    files[n]);
		free(files[n]);
		files[n] = name;
	}
	if (n == 0) {
		name = xasprintf("%s%s", wp_gitrev_prefix(g), dir);
		wp_diag_add(d, WP_ERROR, name, 0, 0, "io-error", "the "
		    "revision has no Markdown files in %s", dir);
		free(name);
	} else {
		wp_document_options_for(site, svc, lang, &opt);
		/* Images are those of the revision too, by name. */
		svcdir = xasprintf("%s%s", wp_gitrev_prefix(g), svc->id);
		opt.service_dir = svcdir;
		opt.image_is_file = wp_gitrev_is_file_named;
		opt.image_ctx = (void *)g;
		opt.images_optional = 1;
		doc = wp_document_read(files, wp_gitrev_read_named, (void *)g,
		    &opt, d);
		free(svcdir);
	}
	wp_strv_free(files);
	free(dir);
	if (doc == NULL)
		return NULL;
	ed = xcalloc(1, sizeof *ed);
	ed->service = svc;
	ed->lang = svc->langs[0];
	for (i = 0; i < svc->nlangs; i++)
		if (strcmp(svc->langs[i], lang) == 0)
			ed->lang = svc->langs[i];
	ed->doc = doc;
	ed->xref = wp_xref_new(site->catalogs, svc->catalogs, doc, svc->id,
	    ed->lang);
	return ed;
}
