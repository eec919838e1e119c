/*
 * project.c: opening a project once for every command (project.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "catpack.h"
#include "commands.h"
#include "manifest.h"
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
		if (strcmp(p->services[i].id, id) == 0)
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
	const wp_project_service *ps;
	size_t i, j;
	int rc = 0, found;

	for (i = 0; i < p->nlangs; i++) {
		for (found = 0, j = 0; j < p->nservices && !found; j++) {
			ps = &p->services[j];
			found = ps->langs && listed(ps->langs, ps->nlangs,
			    p->langs[i]);
		}
		if (found)
			continue;
		if (p->nselected == 1 && p->nservices == 1)
			fprintf(stderr, "wpgen %s: service '%s' has no "
			    "language '%s'\n", cmd, p->services[0].id,
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

/* Whether the service of ps, read with no problem (clean) or not, may
 * be dropped once read (project.h: lean); sets ps->clean and
 * ps->droppable. */
static int
droppable(const wp_project *p, wp_project_service *ps, int clean)
{
	ps->clean = clean;
	ps->droppable = p->lean && clean && !ps->svc->pdf &&
	    !wp_service_has_refs(ps->svc);
	return ps->droppable;
}

/* Reads the service of ps: its service.yaml (checked against the
 * catalogs), style and lock.  A lean project opening (open) does not
 * read the lock of a service it is to drop: the process that builds the
 * service reads it then (wp_project_read_service), once.  0, or -1 when
 * it cannot be used. */
static int
read_service(wp_project *p, wp_project_service *ps, int open, wp_diags *d)
{
	int again = ps->known && ps->droppable;
	wp_service *svc;
	wp_digest h;
	struct timespec t;
	char *text, hex[33];
	size_t from = d->len, len;
	int ok;

	ps->known = 0;
	ps->style = NULL;
	ps->langs = NULL;
	ps->nlangs = 0;
	/* (before the read: a file changed after it began is not settled
	 * by then, so its stat data are not trusted next time) */
	clock_gettime(CLOCK_REALTIME, &t);
	ps->read_at = (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
	svc = wp_service_read_text(p->content_dir, ps->id, d, &ok, &text,
	    &len);
	wp_digest_init(&h);
	wp_digest_add(&h, text ? text : "", len);
	wp_digest_hex(&h, hex);
	free(text);
	/* Read again after it was dropped: checked already, when it is
	 * the service.yaml that was checked.  One saved since (while the
	 * build runs) is not built: the build planned from the other (its
	 * languages, its style's pages and assets) and checked that one. */
	if (again && strcmp(hex, ps->yaml_hex) != 0) {
		wp_diag_add(d, WP_ERROR, svc ? svc->yaml_path : ps->dir, 0, 0,
		    "io-error", "changed while the build ran: build again");
		wp_service_free(svc);
		return -1;
	}
	memcpy(ps->yaml_hex, hex, sizeof hex);
	if (svc == NULL)
		return -1;
	/* (read again after it was dropped: checked already) */
	if (!again)
		wp_site_check_catalogs(p->site, svc, d);
	if (!ok) {
		/* Its other problems, in the same pass. */
		if (p->render && svc->style)
			wp_site_style(p->site, svc, d);
		wp_service_free(svc);
		return -1;
	}
	ps->svc = svc;
	if (++p->held > p->held_max)
		p->held_max = p->held;
	ps->langs = svc->langs;
	ps->nlangs = svc->nlangs;
	if (p->render) {
		ps->style = wp_site_style(p->site, svc, d);
		if (ps->style && !again)
			wp_site_check_labels(p->site, svc, ps->style, d);
	}
	ps->lock_hex[0] = '\0';
	if (open && droppable(p, ps, d->len == from))
		return 0;
	ps->lock = wp_lock_load_text(svc, d, &text, &len);
	if (text) {
		wp_digest_init(&h);
		wp_digest_add(&h, text, len);
		wp_digest_hex(&h, ps->lock_hex);
		free(text);
	}
	droppable(p, ps, d->len == from);
	return 0;
}

void
wp_project_drop_service(wp_project *p, wp_project_service *ps)
{
	size_t i;

	if (!ps->droppable || ps->svc == NULL)
		return;
	ps->known_langs = xcalloc(ps->svc->nlangs + 1,
	    sizeof *ps->known_langs);
	for (i = 0; i < ps->svc->nlangs; i++)
		ps->known_langs[i] = xstrdup(ps->svc->langs[i]);
	ps->langs = (const char *const *)ps->known_langs;
	ps->nlangs = ps->svc->nlangs;
	wp_lock_free(ps->lock);
	wp_service_free(ps->svc);
	ps->lock = NULL;
	ps->svc = NULL;
	ps->known = 1;
	p->held--;
}

/* Opens ps from what the caller knows of it (o->known), unread: 1, or 0
 * when it knows nothing or its style is not there as a style (the
 * service is then read, and says what is wrong). */
static int
open_known(wp_project *p, const wp_project_opts *o, wp_project_service *ps,
    wp_diags *d)
{
	wp_service_facts f;
	const wp_style *st;

	memset(&f, 0, sizeof f);
	if (o->known == NULL || !p->render ||
	    !o->known(o->known_ctx, ps->id, ps->dir, &f))
		return 0;
	if (f.nlangs == 0 || f.style == NULL ||
	    (st = wp_site_style_named(p->site, f.style, d)) == NULL) {
		wp_strv_free(f.langs);
		return 0;
	}
	ps->known_langs = f.langs;
	ps->langs = (const char *const *)ps->known_langs;
	ps->nlangs = f.nlangs;
	ps->style = st;
	ps->known = 1;
	ps->clean = 1;
	return 1;
}

int
wp_project_read_service(wp_project *p, wp_project_service *ps,
    wp_diags *d)
{
	if (!ps->known)
		return ps->svc ? 0 : -1;
	wp_strv_free(ps->known_langs);
	ps->known_langs = NULL;
	return read_service(p, ps, 0, d);
}

/* The selected services: each read, or opened from what the caller
 * knows of it; a service that cannot be used is left out. */
static void
load_services(wp_project *p, const wp_project_opts *o, char **ids,
    size_t nids, wp_diags *d)
{
	wp_project_service *ps;
	size_t i;

	p->services = xcalloc(nids + 1, sizeof *p->services);
	for (i = 0; i < nids; i++) {
		if (o->nservices && !listed(o->services, o->nservices, ids[i]))
			continue;
		p->nselected++;
		ps = &p->services[p->nservices];
		ps->id = xstrdup(ids[i]);
		ps->dir = wp_path_join(p->content_dir, ids[i]);
		if (open_known(p, o, ps, d) || read_service(p, ps, 1, d) == 0) {
			wp_project_drop_service(p, ps);
			p->nservices++;
			continue;
		}
		free(ps->id);
		free(ps->dir);
		memset(ps, 0, sizeof *ps);
	}
	if (p->render)
		check_site_labels(p, d);
}

int
wp_project_open(const wp_project_opts *o, const char *cmd,
    wp_project **out, wp_diags *d)
{
	const char *content = o->content ? o->content : "content";
	const char *outdir = o->out ? o->out : "out";
	char **ids, *cache;
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
	len = strlen(outdir);
	while (len > 1 && outdir[len - 1] == '/')
		len--;
	p->out_dir = xstrndup(outdir, len);
	cache = o->catalogs_cache ? wp_path_join(p->out_dir, WP_CATPACK_NAME) :
	    NULL;
	p->site = wp_site_open(content, o->templates, cache, d);
	free(cache);
	if (p->site == NULL) {
		wp_strv_free(ids);
		free(p->out_dir);
		free(p);
		return WP_EXIT_CONTENT;
	}
	p->content_dir = p->site->content_dir;
	p->templates_dir = p->site->templates_dir;
	p->langs = o->langs;
	p->nlangs = o->nlangs;
	p->render = o->render;
	p->lean = o->lean;
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
		wp_strv_free(p->services[i].known_langs);
		free(p->services[i].id);
		free(p->services[i].dir);
	}
	free(p->services);
	free(p->out_dir);
	wp_site_free(p->site);
	free(p);
}
