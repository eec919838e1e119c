/*
 * project.c: opening a project once for every command (project.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "project.h"
#include "util.h"

static int
listed(const char *const *v, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return 1;
	return 0;
}

int
wp_project_lang_selected(const wp_project *p, const char *lang)
{
	return p->nlangs == 0 || listed(p->langs, p->nlangs, lang);
}

wp_project_service *
wp_project_find(wp_project *p, const char *id)
{
	size_t i;

	for (i = 0; i < p->nservices; i++)
		if (strcmp(p->services[i].svc->id, id) == 0)
			return &p->services[i];
	return NULL;
}

void
wp_project_say_no_service(const char *cmd, const char *content,
    const char *id)
{
	size_t n = 0, i;
	char **ids = wp_service_ids(content, &n);
	long near = wp_closest(id, (const char *const *)ids, n);

	fprintf(stderr, "wpgen %s: no service '%s' in %s", cmd, id, content);
	if (n == 0) {
		fprintf(stderr, ", which has none yet: start one with `wpgen "
		    "new %s%s%s`\n", id, strcmp(content, "content") ?
		    " --content " : "", strcmp(content, "content") ? content :
		    "");
	} else {
		if (near >= 0)
			fprintf(stderr, "; did you mean '%s'?", ids[near]);
		fprintf(stderr, " (its services: ");
		for (i = 0; i < n; i++)
			fprintf(stderr, "%s%s", i ? ", " : "", ids[i]);
		fputs(")\n", stderr);
	}
	wp_strv_free(ids);
}

/* Every --service names a service; returns 0 or WP_EXIT_USAGE. */
static int
check_services(const wp_project_opts *o, const char *content,
    char **ids, size_t nids, const char *cmd)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < o->nservices; i++) {
		if (listed((const char *const *)ids, nids, o->services[i]))
			continue;
		wp_project_say_no_service(cmd, content, o->services[i]);
		rc = WP_EXIT_USAGE;
	}
	return rc;
}

/* Every --lang is a language of some selected service. */
static int
check_langs(const wp_project *p, const char *cmd)
{
	size_t i, j;
	int rc = 0, found;

	for (i = 0; i < p->nlangs; i++) {
		for (found = 0, j = 0; j < p->nservices && !found; j++)
			found = wp_service_has_lang(p->services[j].svc,
			    p->langs[i]);
		if (found)
			continue;
		if (p->nselected == 1 && p->nservices == 1)
			fprintf(stderr, "wpgen %s: service '%s' has no "
			    "language '%s'\n", cmd, p->services[0].svc->id,
			    p->langs[i]);
		else
			fprintf(stderr, "wpgen %s: no service has the "
			    "language '%s'\n", cmd, p->langs[i]);
		rc = WP_EXIT_USAGE;
	}
	return rc;
}

/* content/site.yaml's label names, against the styles of the services
 * (the site pages take their labels from one of them). */
static void
check_site_labels(wp_project *p, wp_diags *d)
{
	const wp_style **styles = xcalloc(p->nservices + 1, sizeof *styles);
	size_t i, j, n = 0;

	for (i = 0; i < p->nservices; i++) {
		for (j = 0; j < n && styles[j] != p->services[i].style; j++)
			;
		if (j == n && p->services[i].style)
			styles[n++] = p->services[i].style;
	}
	wp_site_check_site_labels(p->site, styles, n, d);
	free(styles);
}

static void
load_services(wp_project *p, const wp_project_opts *o, char **ids,
    size_t nids, wp_diags *d)
{
	wp_project_service *ps;
	wp_service *svc;
	size_t i;
	int ok;

	p->services = xcalloc(nids + 1, sizeof *p->services);
	for (i = 0; i < nids; i++) {
		if (o->nservices && !listed(o->services, o->nservices, ids[i]))
			continue;
		p->nselected++;
		if ((svc = wp_service_read(p->content_dir, ids[i], d, &ok)) ==
		    NULL)
			continue;
		wp_site_check_catalogs(p->site, svc, d);
		if (!ok) {
			/* Its other problems, in the same pass. */
			if (o->render && svc->style)
				wp_site_style(p->site, svc, d);
			wp_service_free(svc);
			continue;
		}
		ps = &p->services[p->nservices++];
		ps->svc = svc;
		if (o->render) {
			ps->style = wp_site_style(p->site, svc, d);
			if (ps->style)
				wp_site_check_labels(p->site, svc, ps->style,
				    d);
		}
		ps->lock = wp_lock_load(svc, d);
	}
	if (o->render)
		check_site_labels(p, d);
}

int
wp_project_open(const wp_project_opts *o, const char *cmd,
    wp_project **out, wp_diags *d)
{
	const char *content = o->content ? o->content : "content";
	const char *outdir = o->out ? o->out : "out";
	char **ids;
	size_t nids = 0, len;
	wp_project *p;
	int rc;

	*out = NULL;
	if (!wp_is_dir(content)) {
		fprintf(stderr, "wpgen %s: no content directory %s\n", cmd,
		    content);
		return WP_EXIT_IO;
	}
	ids = wp_service_ids(content, &nids);
	if (!o->files_only &&
	    (rc = check_services(o, content, ids, nids, cmd)) != 0) {
		wp_strv_free(ids);
		return rc;
	}
	p = xcalloc(1, sizeof *p);
	p->site = wp_site_open(content, o->templates, d);
	if (p->site == NULL) {
		wp_strv_free(ids);
		free(p);
		return WP_EXIT_CONTENT;
	}
	p->content_dir = p->site->content_dir;
	p->templates_dir = p->site->templates_dir;
	len = strlen(outdir);
	while (len > 1 && outdir[len - 1] == '/')
		len--;
	p->out_dir = xstrndup(outdir, len);
	p->langs = o->langs;
	p->nlangs = o->nlangs;
	if (!o->files_only)
		load_services(p, o, ids, nids, d);
	wp_strv_free(ids);
	/* A service that could not be loaded may be the one with lang. */
	if (d->errors == 0 && !o->files_only &&
	    (rc = check_langs(p, cmd)) != 0) {
		wp_project_free(p);
		return rc;
	}
	*out = p;
	return WP_EXIT_OK;
}

void
wp_project_free(wp_project *p)
{
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; i < p->nservices; i++) {
		wp_lock_free(p->services[i].lock);
		wp_service_free(p->services[i].svc);
	}
	free(p->services);
	free(p->out_dir);
	wp_site_free(p->site);
	free(p);
}
