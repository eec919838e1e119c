/*
 * check.c: what `wpgen check` checks: everything `build` reads, nothing
 * written; plus translations and required controls (check.h).
 */
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "check.h"
#include "content.h"
#include "mustache.h"
#include "page.h"
#include "util.h"

/* ---- translations ---- */

static void
section_diag(wp_diags *d, const wp_edition *ed, long i, const char *code,
    const char *fmt, const char *a, const char *b, const char *c)
{
	const wp_section *s = &ed->doc->sections[i];
	int line = 0;
	const wp_document_file *f = wp_document_locate(ed->doc, s->line,
	    &line);

	wp_diag_add(d, WP_WARNING, f->path, line, s->line ?
	    wp_document_char_column(ed->doc, s->line, s->column) : 0, code,
	    fmt, a, b, c);
}

void
wp_check_translation(const wp_edition *src, const wp_edition *tgt,
    const wp_lock *lock, wp_diags *d)
{
	wp_tr_align al;
	size_t i;
	const wp_tr_item *it;

	wp_translations_align(src->doc, tgt->doc, tgt->lang, lock, &al);
	for (i = 0; i < al.len; i++) {
		it = &al.items[i];
		switch (it->state) {
		case WP_TR_MISSING:
			section_diag(d, src, it->source, "translation-missing",
			    "section %s has no %s translation%s", it->key,
			    tgt->lang, " (the original is published in its "
			    "place)");
			break;
		case WP_TR_STALE:
			if (it->unconfirmed) {
				section_diag(d, tgt, it->target,
				    "translation-stale", "section %s: this %s "
				    "translation has never been confirmed%s",
				    it->key, tgt->lang, "; run `wpgen "
				    "translations accept` once it is checked");
				break;
			}
			section_diag(d, tgt, it->target, "translation-stale",
			    "section %s changed in %s since this translation "
			    "was confirmed%s", it->key, src->lang, "; update "
			    "it, then run `wpgen translations accept`");
			break;
		case WP_TR_EXTRA:
			section_diag(d, tgt, it->target, "translation-extra",
			    "section %s is not in the %s original%s", it->key,
			    src->lang, "");
			break;
		default:
			break;
		}
	}
	wp_tr_align_free(&al);
}

/* ---- strings ---- */

static void
check_string(const wp_service *svc, const wp_value *v, const char *lang,
    const char *name, wp_diags *d)
{
	if (v && v->kind == WP_MAP && wp_map_get(v, lang) == NULL)
		wp_diag_add(d, WP_WARNING, svc->yaml_path, v->line, v->column,
		    "translation-missing", "%s has no %s translation", name,
		    lang);
}

static void
check_catalog_titles(const wp_catalog *cat, const char *lang, wp_diags *d)
{
	size_t i, k, missing = 0;
	long li = wp_catalog_lang(cat, lang);
	wp_buf list = WP_BUF_INIT;

	if (li < 0) {
		wp_diag_add(d, WP_WARNING, cat->paths[0], 0, 0,
		    "missing-title", "catalog %s has no %s edition; its "
		    "titles are shown in %s", cat->id, lang, cat->langs[0]);
		return;
	}
	k = (size_t)li;
	for (i = 0; i < cat->ncontrols; i++) {
		if (cat->controls[i].titles[k])
			continue;
		if (missing++ < 8)
			wp_buf_printf(&list, "%s%s", missing > 1 ? ", " : "",
			    cat->controls[i].label);
	}
	if (missing)
		wp_diag_add(d, WP_WARNING, cat->paths[k], 0, 0,
		    "missing-title", "catalog %s has no %s title for %zu "
		    "control%s: %s%s", cat->id, lang, missing, missing > 1 ?
		    "s" : "", wp_buf_cstr(&list), missing > 8 ? ", ..." : "");
	wp_buf_free(&list);
}

void
wp_check_strings(const wp_site *site, const wp_service *svc,
    const char *lang, wp_diags *d)
{
	size_t i;
	char name[64];
	const wp_catalog *cat;

	check_string(svc, svc->title, lang, "title", d);
	check_string(svc, svc->provider, lang, "provider", d);
	check_string(svc, svc->description, lang, "description", d);
	for (i = 0; i < svc->nrevisions; i++) {
		snprintf(name, sizeof name, "revisions[%zu].label", i);
		check_string(svc, svc->revisions[i].label, lang, name, d);
		snprintf(name, sizeof name, "revisions[%zu].changes", i);
		check_string(svc, svc->revisions[i].changes, lang, name, d);
	}
	for (i = 0; i < site->catalogs->len; i++) {
		cat = site->catalogs->items[i];
		if (svc->catalogs == NULL || wp_catalogs_get(site->catalogs,
		    cat->id) == cat) {
			size_t j;
			int used = svc->catalogs == NULL;
			for (j = 0; svc->catalogs && svc->catalogs[j]; j++)
				used |= strcmp(svc->catalogs[j], cat->id) == 0;
			if (used)
				check_catalog_titles(cat, lang, d);
		}
	}
}

/* ---- required controls ---- */

static int
addressed(const wp_edition *ed, const wp_catalog *cat, size_t c)
{
	size_t k;

	for (k = 0; k < ed->xref->ncatalogs; k++)
		if (ed->xref->catalogs[k].catalog == cat)
			return wp_xref_count(ed->xref, k, c) > 0;
	return 0;
}

static void
check_pattern(const wp_site *site, const wp_service *svc,
    const wp_edition *ed, const wp_value *p, wp_diags *d)
{
	const char *text = wp_value_text(p), *colon = strchr(text, ':');
	char *catid;
	const wp_catalog *cat;
	const wp_control *c;
	size_t i, matched = 0;

	if (colon == NULL) {
		wp_diag_add(d, WP_ERROR, svc->yaml_path, p->line, p->column,
		    "invalid-value", "a required control is CATALOG:PATTERN "
		    "(iso27017-2015:CLD.*), not '%s'", text);
		return;
	}
	catid = xstrndup(text, (size_t)(colon - text));
	if ((cat = wp_catalogs_get(site->catalogs, catid)) == NULL) {
		wp_diag_add(d, WP_ERROR, svc->yaml_path, p->line, p->column,
		    "unknown-control", "no catalog '%s'", catid);
		free(catid);
		return;
	}
	free(catid);
	for (i = 0; i < cat->ncontrols; i++) {
		c = &cat->controls[i];
		if (fnmatch(colon + 1, c->label, 0) != 0 && (!c->alt_identifier
		    || fnmatch(colon + 1, c->alt_identifier, 0) != 0))
			continue;
		matched++;
		if (!addressed(ed, cat, i))
			wp_diag_add(d, WP_ERROR, svc->yaml_path, p->line,
			    p->column, "required-control", "required control "
			    "%s %s is addressed by no section of the %s "
			    "edition", cat->id, c->label, ed->lang);
	}
	if (matched == 0)
		wp_diag_add(d, WP_ERROR, svc->yaml_path, p->line, p->column,
		    "unknown-control", "'%s' matches no control of %s", text,
		    cat->id);
}

void
wp_check_required(const wp_site *site, const wp_service *svc,
    const wp_edition *source, wp_diags *d)
{
	size_t i;
	const wp_value *req = svc->required_controls;

	for (i = 0; i < wp_value_len(req); i++)
		check_pattern(site, svc, source, req->u.list.items[i], d);
}

/* ---- a project ---- */

/* Renders a page into a scratch buffer, for its template errors. */
static void
render_page(wp_site *site, wp_edition *ed, wp_diags *d)
{
	wp_buf scratch = WP_BUF_INIT;

	if (ed->style)
		wp_page_render_edition(site, ed, &scratch, d);
	wp_buf_free(&scratch);
}

/*
 * A target edition: compared with the source, then published (with the
 * sections it lacks from the source, which stays as it is) and rendered,
 * as build would.
 */
static void
check_target(wp_site *site, const wp_service *svc, const wp_style *style,
    const wp_edition *src, const char *lang, const wp_lock *lock,
    wp_diags *d)
{
	int empty = 0, errors = d->errors;
	wp_edition *tgt = wp_edition_read_target(site, svc, lang, 1, &empty,
	    d);

	if (tgt == NULL)
		return;
	if (empty)
		wp_diag_add(d, WP_WARNING, svc->dir, 0, 0,
		    "translation-missing", "no %s edition yet (%s/%s/*.md)",
		    lang, svc->dir, lang);
	wp_check_translation(src, tgt, lock, d);
	if (lock && d->errors == errors) {
		tgt->style = style;
		wp_edition_publish(site, tgt, src, lock);
		render_page(site, tgt, d);
	}
	wp_edition_free(tgt);
}

static void
check_service(wp_project *p, const wp_project_service *ps, wp_diags *d)
{
	wp_site *site = p->site;
	const wp_service *svc = ps->svc;
	wp_edition *src;
	size_t i;
	int errors;

	errors = d->errors;
	src = wp_edition_read(site, svc, NULL, 1, d);
	if (src == NULL && d->errors == errors)
		wp_diag_add(d, WP_ERROR, svc->yaml_path, 0, 0,
		    "missing-edition", "no Markdown files for the source "
		    "language '%s'", svc->langs[0]);
	if (src) {
		wp_check_required(site, svc, src, d);
		src->style = ps->style;
	}
	for (i = 0; src && i < svc->nlangs; i++) {
		if (!wp_project_lang_selected(p, svc->langs[i]))
			continue;
		wp_check_strings(site, svc, svc->langs[i], d);
		if (i > 0)
			check_target(site, svc, ps->style, src, svc->langs[i],
			    ps->lock, d);
	}
	if (src && ps->lock && d->errors == errors &&
	    wp_project_lang_selected(p, svc->langs[0]))
		render_page(site, src, d);
	wp_edition_free(src);
}

/* Compiles every template under the templates directory. */
static void
check_templates(wp_site *site, const char *dir, const char *rel,
    wp_diags *d)
{
	size_t n = 0, i, len;
	char **names = wp_dir_names(dir, NULL, &n);
	char *path, *sub, *name;

	for (i = 0; i < n; i++) {
		path = wp_path_join(dir, names[i]);
		sub = *rel ? xasprintf("%s/%s", rel, names[i]) :
		    xstrdup(names[i]);
		len = strlen(names[i]);
		if (wp_is_dir(path)) {
			check_templates(site, path, sub, d);
		} else if (len > 9 && strcmp(names[i] + len - 9,
		    ".mustache") == 0) {
			name = xstrndup(sub, strlen(sub) - 9);
			wp_templates_get(wp_site_templates(site), name, d);
			free(name);
		}
		free(path);
		free(sub);
	}
	wp_strv_free(names);
}

void
wp_check_project(wp_project *p, wp_diags *d)
{
	size_t i;

	check_templates(p->site, p->templates_dir, "", d);
	for (i = 0; i < p->nservices; i++)
		check_service(p, &p->services[i], d);
}
