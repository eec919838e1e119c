/*
 * check.c: what `wpgen check` checks: everything `build` reads, nothing
 * written; plus translations and required controls (check.h).  The
 * services are checked one a job, in worker processes with --jobs N
 * (workers.h), and their problems put back in the order of one job.
 */
#include <ctype.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "check.h"
#include "content.h"
#include "labels.h"
#include "markmem.h"
#include "mustache.h"
#include "page.h"
#include "util.h"
#include "workers.h"
#include "yamlvalue.h"

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

static int
has_control(const wp_section *s, const wp_control_ref *r)
{
	size_t i;

	for (i = 0; i < s->ncontrols; i++)
		if (s->controls[i].catalog == r->catalog &&
		    s->controls[i].control == r->control)
			return 1;
	return 0;
}

/* A control statement of one side that the other lacks, reported at
 * global line/column gline/gcol of the target edition. */
static void
control_diag(wp_diags *d, const wp_edition *at, int gline, int gcol,
    const wp_control_ref *r, const char *fmt, const char *key,
    const char *lang)
{
	int line = 0;
	const wp_document_file *f = wp_document_locate(at->doc, gline, &line);
	char *std = wp_catalog_marker_standard(r->catalog,
	    at->service->standards, at->lang);
	char *marker = xasprintf("<%s %s>", std,
	    r->catalog->controls[r->control].label);

	wp_diag_add(d, WP_WARNING, f->path, line, gline > 0 && gcol > 0 ?
	    wp_document_char_column(at->doc, gline, gcol) : 0,
	    "translation-controls", fmt, key, marker, lang);
	free(marker);
	free(std);
}

/* The controls of aligned sections must agree: a translation that drops
 * or adds a marker would show a different appendix.  A dropped control
 * is reported at the translated section's heading, an added one at its
 * marker. */
static void
check_controls(const wp_edition *src, const wp_edition *tgt, long si,
    long ti, const char *key, wp_diags *d)
{
	const wp_section *a = &src->doc->sections[si];
	const wp_section *b = &tgt->doc->sections[ti];
	size_t i;

	for (i = 0; i < a->ncontrols; i++)
		if (!has_control(b, &a->controls[i]))
			control_diag(d, tgt, b->line, b->column,
			    &a->controls[i], "section %s: the translation "
			    "lacks %s, which the %s original has", key,
			    src->lang);
	for (i = 0; i < b->ncontrols; i++)
		if (!has_control(a, &b->controls[i]))
			control_diag(d, tgt, b->controls[i].line,
			    b->controls[i].column, &b->controls[i],
			    "section %s: %s is not in the %s original", key,
			    src->lang);
}

/* The whole command that confirms one section's translation. */
static char *
accept_command(const wp_service *svc, const char *lang, const char *key)
{
	char *content = wp_path_dirname(svc->dir);
	char *cmd = xasprintf("wpgen translations accept %s --lang %s%s%s %s",
	    svc->id, lang, strcmp(content, "content") ? " --content " : "",
	    strcmp(content, "content") ? content : "", key);

	free(content);
	return cmd;
}

void
wp_check_translation(const wp_edition *src, const wp_edition *tgt,
    const wp_tr_align *al, wp_diags *d)
{
	size_t i;
	const wp_tr_item *it;
	char *cmd;

	for (i = 0; i < al->len; i++) {
		it = &al->items[i];
		if (it->source >= 0 && it->target >= 0)
			check_controls(src, tgt, it->source, it->target,
			    it->key, d);
		switch (it->state) {
		case WP_TR_MISSING:
			section_diag(d, src, it->source, "translation-missing",
			    "section %s has no %s translation%s", it->key,
			    tgt->lang, " (the original is published in its "
			    "place)");
			break;
		case WP_TR_STALE:
			cmd = accept_command(src->service, tgt->lang, it->key);
			if (it->unconfirmed)
				section_diag(d, tgt, it->target,
				    "translation-stale", "section %s: this %s "
				    "translation has never been confirmed; once "
				    "it is checked, run `%s`", it->key,
				    tgt->lang, cmd);
			else
				section_diag(d, tgt, it->target,
				    "translation-stale", "section %s changed in "
				    "%s since this translation was confirmed; "
				    "update it, then run `%s`", it->key,
				    src->lang, cmd);
			free(cmd);
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
wp_check_strings(const wp_service *svc, const char *lang, wp_diags *d)
{
	size_t i;
	char name[64];

	check_string(svc, svc->title, lang, "title", d);
	check_string(svc, svc->provider, lang, "provider", d);
	check_string(svc, svc->description, lang, "description", d);
	check_string(svc, svc->short_title, lang, "short_title", d);
	check_string(svc, svc->copyright, lang, "copyright", d);
	for (i = 0; i < svc->nrevisions; i++) {
		snprintf(name, sizeof name, "revisions[%zu].label", i);
		check_string(svc, svc->revisions[i].label, lang, name, d);
		snprintf(name, sizeof name, "revisions[%zu].changes", i);
		check_string(svc, svc->revisions[i].changes, lang, name, d);
	}
}

/* Whether svc shows cat: it names none in `catalogs` (then it may show
 * any), or names cat's id and cat is the catalog of that id. */
static int
service_uses_catalog(const wp_site *site, const wp_service *svc,
    const wp_catalog *cat)
{
	size_t j;

	if (svc->catalogs == NULL)
		return 1;
	if (wp_catalogs_get(site->catalogs, cat->id) != cat)
		return 0;
	for (j = 0; svc->catalogs[j]; j++)
		if (strcmp(svc->catalogs[j], cat->id) == 0)
			return 1;
	return 0;
}

/* Reports the catalogs svc shows that lack titles in lang, each catalog
 * once a language whatever the number of services showing it (seen: the
 * catalogs and languages reported on). */
static void
check_catalogs_titles(const wp_site *site, const wp_service *svc,
    const char *lang, wp_strset *seen, wp_diags *d)
{
	const wp_catalog *cat;
	char *key;
	size_t i;

	for (i = 0; i < site->catalogs->len; i++) {
		cat = site->catalogs->items[i];
		if (!service_uses_catalog(site, svc, cat))
			continue;
		key = xasprintf("%s\n%s", cat->paths[0], lang);
		if (wp_strset_add(seen, key))
			check_catalog_titles(cat, lang, d);
		free(key);
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

static int
has_wildcard(const char *s)
{
	return strpbrk(s, "*?[") != NULL;
}

/* fnmatch ignoring ASCII case. */
static int
matches(const char *pattern, const char *s)
{
	char *p = xstrdup(pattern), *t = xstrdup(s), *q;
	int ok;

	for (q = p; *q; q++)
		*q = (char)tolower((unsigned char)*q);
	for (q = t; *q; q++)
		*q = (char)tolower((unsigned char)*q);
	ok = fnmatch(p, t, 0) == 0;
	free(p);
	free(t);
	return ok;
}

/* Does pattern name control c (any of its labels, its alt-identifier)? */
static int
control_matches(const wp_control *c, const char *pattern)
{
	size_t i;

	if (matches(pattern, c->label))
		return 1;
	for (i = 0; i < c->nlabels; i++)
		if (matches(pattern, c->labels[i]))
			return 1;
	return c->alt_identifier && matches(pattern, c->alt_identifier);
}

/* The catalog a required control's STANDARD names: any name a marker
 * may use, among the service's catalogs; NULL after reporting. */
static const wp_catalog *
required_catalog(const wp_site *site, const wp_service *svc,
    const wp_value *p, const char *std, wp_diags *d)
{
	int amb = 0;
	const wp_catalog *cat = wp_catalogs_resolve(site->catalogs, std,
	    svc->standards, svc->catalogs, &amb);
	char *known;

	if (cat)
		return cat;
	if (amb) {
		wp_diag_add(d, WP_ERROR, svc->yaml_path, p->line, p->column,
		    "ambiguous-standard", "'%s' matches more than one "
		    "catalog; give the year", std);
		return NULL;
	}
	known = wp_catalogs_known_standards(site->catalogs, svc->standards,
	    svc->catalogs);
	if (*known)
		wp_diag_add(d, WP_ERROR, svc->yaml_path, p->line, p->column,
		    "unknown-standard", "no catalog for the standard '%s' of "
		    "a required control; known standards: %s", std, known);
	else
		wp_diag_add(d, WP_ERROR, svc->yaml_path, p->line, p->column,
		    "unknown-standard", "no catalog for the standard '%s' of "
		    "a required control: the service uses no catalog that "
		    "loaded (see catalogs: in service.yaml)", std);
	free(known);
	return NULL;
}

/* The controls that pattern p names, appended to the missing ones when
 * the edition does not address them. */
static void
require_pattern(const wp_site *site, const wp_service *svc,
    const wp_edition *ed, const wp_value *p, wp_buf *missing,
    size_t *nmissing, const wp_catalog **last, wp_strset *seen,
    wp_diags *d)
{
	const char *text = wp_value_text(p), *colon = strrchr(text, ':');
	const wp_catalog *cat;
	char *std, *key;
	size_t i, matched = 0;
	long ci;

	if (colon == NULL || colon == text || colon[1] == '\0') {
		wp_diag_add(d, WP_ERROR, svc->yaml_path, p->line, p->column,
		    "invalid-value", "a required control is STANDARD:ID or "
		    "STANDARD:PATTERN (NIST SP 800-53:SC-7(3), "
		    "ISO/IEC 27017:CLD.*), not '%s'", text);
		return;
	}
	std = xstrndup(text, (size_t)(colon - text));
	cat = required_catalog(site, svc, p, std, d);
	free(std);
	if (cat == NULL)
		return;
	for (i = 0; i < cat->ncontrols; i++) {
		if (has_wildcard(colon + 1) ?
		    !control_matches(&cat->controls[i], colon + 1) :
		    (ci = wp_catalog_find(cat, colon + 1)) != (long)i)
			continue;
		matched++;
		key = xasprintf("%s\n%zu", cat->id, i);
		if (!addressed(ed, cat, i) && wp_strset_add(seen, key)) {
			/* The catalog's name before its first control. */
			if (*last != cat)
				wp_buf_printf(missing, "%s%s ", missing->len ?
				    "; " : "", wp_catalog_name(cat,
				    svc->standards, ed->lang));
			else
				wp_buf_puts(missing, ", ");
			wp_buf_puts(missing, cat->controls[i].label);
			*last = cat;
			++*nmissing;
		}
		free(key);
	}
	if (matched == 0)
		wp_diag_add(d, WP_ERROR, svc->yaml_path, p->line, p->column,
		    "unknown-control", "'%s' names no control of %s",
		    colon + 1, wp_catalog_name(cat, svc->standards, ed->lang));
}

void
wp_check_required(const wp_site *site, const wp_service *svc,
    const wp_edition *source, wp_diags *d)
{
	const wp_value *req = svc->required_controls;
	wp_buf missing = WP_BUF_INIT;
	const wp_catalog *last = NULL;
	wp_strset seen;
	size_t i, n = 0;

	if (req == NULL)
		return;
	wp_strset_init(&seen);
	for (i = 0; i < wp_value_len(req); i++)
		require_pattern(site, svc, source, req->u.list.items[i],
		    &missing, &n, &last, &seen, d);
	if (n)
		wp_diag_add(d, WP_ERROR, svc->yaml_path, req->line,
		    req->column, "required-control", "%zu required "
		    "control%s addressed by no section of the %s edition: %s",
		    n, n > 1 ? "s are" : " is", source->lang,
		    wp_buf_cstr(&missing));
	wp_strset_free(&seen);
	wp_buf_free(&missing);
}

/* ---- a project ---- */

/* The errors added to d since its item from, but for those the template
 * registry reports once to each list (mustache.c): whether a template's
 * problem lands in this service's list depends on which services the
 * same process checked before, so it must not decide what is checked
 * next, or the report would depend on --jobs. */
static int
own_errors(const wp_diags *d, size_t from)
{
	int n = 0;

	for (; from < d->len; from++)
		n += d->items[from].severity == WP_ERROR &&
		    !d->items[from].once;
	return n;
}

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
 * as build would.  The two are aligned once, for both.
 */
static void
check_target(wp_site *site, const wp_service *svc, const wp_style *style,
    const wp_edition *src, const char *lang, const wp_lock *lock,
    wp_diags *d)
{
	size_t mark = d->len;
	int empty = 0;
	wp_edition *tgt = wp_edition_read_target(site, svc, lang, 1, &empty,
	    d);
	wp_tr_align al;

	if (tgt == NULL)
		return;
	wp_translations_align(src->doc, tgt->doc, tgt->lang, lock, &al);
	/* A language without files is one line, not one a section. */
	if (empty)
		wp_diag_add(d, WP_WARNING, svc->dir, 0, 0,
		    "translation-missing", "no %s edition yet (%s/%s/*.md): "
		    "the original is published in its place until the "
		    "translation is written there", lang, svc->dir, lang);
	else
		wp_check_translation(src, tgt, &al, d);
	if (lock && own_errors(d, mark) == 0) {
		tgt->style = style;
		wp_edition_publish_aligned(site, tgt, src, &al);
		render_page(site, tgt, d);
	}
	wp_tr_align_free(&al);
	wp_edition_free(tgt);
}

static void
check_service(wp_project *p, const wp_project_service *ps, wp_diags *d)
{
	wp_site *site = p->site;
	const wp_service *svc = ps->svc;
	wp_edition *src;
	size_t i, mark = d->len;

	/* The service's trees in one arena, dropped at once (markmem.h). */
	site->mem = wp_markmem_open();
	src = wp_edition_read(site, svc, NULL, 1, d);
	if (src == NULL && own_errors(d, mark) == 0)
		wp_diag_add(d, WP_ERROR, svc->yaml_path, 0, 0,
		    "missing-edition", "no Markdown files for the source "
		    "language '%s': write them in %s/%s/ (01-introduction.md, "
		    "...)", svc->langs[0], svc->dir, svc->langs[0]);
	if (src) {
		wp_check_required(site, svc, src, d);
		src->style = ps->style;
	}
	for (i = 0; src && i < svc->nlangs; i++) {
		if (!wp_project_lang_selected(p, svc->langs[i]))
			continue;
		wp_check_strings(svc, svc->langs[i], d);
		if (i > 0)
			check_target(site, svc, ps->style, src, svc->langs[i],
			    ps->lock, d);
	}
	if (src && ps->lock && own_errors(d, mark) == 0 &&
	    wp_project_lang_selected(p, svc->langs[0]))
		render_page(site, src, d);
	wp_edition_free(src);
	site->mem = NULL;
	wp_markmem_close();
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

/* ---- label names in templates ---- */

struct label_names;
static void check_label_uses(const char *path, struct label_names *ln,
    wp_diags *d);

/* Every .mustache file under dir. */
static void
check_labels_tree(const char *dir, struct label_names *ln, wp_diags *d)
{
	char **names = wp_dir_names(dir, NULL, NULL), *path;
	size_t i, len;

	for (i = 0; names && names[i]; i++) {
		path = wp_path_join(dir, names[i]);
		len = strlen(names[i]);
		if (wp_is_dir(path))
			check_labels_tree(path, ln, d);
		else if (len > 9 && strcmp(names[i] + len - 9, ".mustache") ==
		    0)
			check_label_uses(path, ln, d);
		free(path);
	}
	wp_strv_free(names);
}

typedef struct label_names {
	char **v;
	size_t n;
	wp_strset set;
	char **used;             /* the names the templates use */
	size_t nused;
	wp_strset used_set;
	wp_strset told;          /* missing-label said: "path\nname" */
} label_names;

static void
add_label_file(label_names *ln, const char *path)
{
	wp_diags scratch;   /* its problems are the labels loader's to tell */
	wp_value *y;
	size_t i;

	wp_diags_init(&scratch);
	y = wp_yaml_load_file(path, &scratch);
	for (i = 0; y && y->kind == WP_MAP && i < y->u.map.len; i++) {
		if (!wp_strset_add(&ln->set, y->u.map.items[i].key))
			continue;
		ln->v = xrealloc(ln->v, (ln->n + 1) * sizeof *ln->v);
		ln->v[ln->n++] = xstrdup(y->u.map.items[i].key);
	}
	wp_value_free(y);
	wp_diags_free(&scratch);
}

static void
add_label_dir(label_names *ln, const char *dir)
{
	char **files = wp_dir_names(dir, ".yaml", NULL), *path;
	size_t i;

	for (i = 0; files && files[i]; i++) {
		path = wp_path_join(dir, files[i]);
		add_label_file(ln, path);
		free(path);
	}
	wp_strv_free(files);
}

/* Every label name: templates/labels/ and templates/<style>/labels/. */
static void
label_names_load(label_names *ln, const char *templates)
{
	char **dirs = wp_dir_names(templates, NULL, NULL), *sub;
	size_t i;

	memset(ln, 0, sizeof *ln);
	wp_strset_init(&ln->set);
	wp_strset_init(&ln->used_set);
	wp_strset_init(&ln->told);
	for (i = 0; dirs && dirs[i]; i++) {
		sub = strcmp(dirs[i], "labels") == 0 ?
		    wp_path_join(templates, "labels") :
		    xasprintf("%s/%s/labels", templates, dirs[i]);
		add_label_dir(ln, sub);
		free(sub);
	}
	wp_strv_free(dirs);
}

static void
label_names_free(label_names *ln)
{
	size_t i;

	for (i = 0; i < ln->n; i++)
		free(ln->v[i]);
	free(ln->v);
	wp_strset_free(&ln->set);
	for (i = 0; i < ln->nused; i++)
		free(ln->used[i]);
	free(ln->used);
	wp_strset_free(&ln->used_set);
	wp_strset_free(&ln->told);
}

/* A {{labels.NAME}} (any kind of tag) whose NAME no labels file has
 * would render as nothing; the names are kept in ln->used. */
static void
check_label_uses(const char *path, label_names *ln, wp_diags *d)
{
	char *src = wp_read_file(path, NULL), *p, *end, *name, *msg;
	const char *q;
	int line;
	long near;
	size_t k;

	for (p = src; p && (p = strstr(p, "{{")) != NULL; p = end + 2) {
		if ((end = strstr(p + 2, "}}")) == NULL)
			break;
		q = p + 2;
		q += strspn(q, "{#^/&$<> \t");
		if (strncmp(q, "labels.", 7) != 0 || q > end)
			continue;
		q += 7;
		k = strspn(q, "abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-");
		name = xstrndup(q, k);
		if (wp_strset_has(&ln->set, name) &&
		    wp_strset_add(&ln->used_set, name)) {
			ln->used = xrealloc(ln->used, (ln->nused + 1) *
			    sizeof *ln->used);
			ln->used[ln->nused++] = xstrdup(name);
		}
		if (!wp_strset_has(&ln->set, name)) {
			const char *c, *bol = src;
			for (line = 1, c = src; c < q; c++)
				if (*c == '\n') {
					line++;
					bol = c + 1;
				}
			near = wp_closest(name, (const char *const *)ln->v,
			    ln->n);
			msg = near >= 0 ? xasprintf("; did you mean '%s'?",
			    ln->v[near]) : xstrdup("");
			wp_diag_add(d, WP_ERROR, path, line, (int)wp_utf8_count(
			    bol, (size_t)(q - bol)) + 1, "unknown-label",
			    "no label '%s' in the labels files: it would "
			    "render as nothing%s", name, msg);
			free(msg);
		}
		free(name);
	}
	free(src);
}

/* Label name in lang for service ps, if its labels (the templates', its
 * style's, its own) lack it: missing-label at the language's labels
 * file, once a file and name. */
static void
check_label_name(wp_project *p, const wp_project_service *ps,
    const char *lang, const wp_value *labels, const char *name,
    const char *why, label_names *ln, wp_diags *d)
{
	char *path, *told;

	if (wp_map_get(labels, name) != NULL)
		return;
	path = xasprintf("%s/labels/%s.yaml", p->templates_dir, lang);
	if (!wp_is_file(path)) {
		free(path);
		path = xasprintf("%s/labels/en.yaml", p->templates_dir);
	}
	told = xasprintf("%s\n%s", path, name);
	if (wp_strset_add(&ln->told, told))
		wp_diag_add(d, WP_ERROR, path, 0, 0, "missing-label",
		    "no label '%s' for language '%s' (service %s), which %s: "
		    "they would show nothing in its place; add it to this "
		    "file (or under labels: %s: in service.yaml)", name, lang,
		    ps->svc->id, why, lang);
	free(told);
	free(path);
}

/* Every label the code (wp_label_keys) and the templates read, in each
 * language of the service: a word missing in one language would leave
 * its pages blank where the word goes. */
static void
check_label_langs(wp_project *p, const wp_project_service *ps,
    label_names *ln, wp_diags *d)
{
	const wp_service *svc = ps->svc;
	wp_value *labels;
	size_t i, k;

	for (i = 0; i < svc->nlangs; i++) {
		if (!wp_project_lang_selected(p, svc->langs[i]))
			continue;
		labels = wp_labels_with(wp_site_labels(p->site, ps->style,
		    svc->langs[i], NULL), svc->labels, svc->langs[i]);
		for (k = 0; wp_label_keys[k]; k++)
			check_label_name(p, ps, svc->langs[i], labels,
			    wp_label_keys[k], "wpgen writes into pages, redlines and "
			    "diff notes",
			    ln, d);
		for (k = 0; k < ln->nused; k++)
			check_label_name(p, ps, svc->langs[i], labels,
			    ln->used[k], "the templates use", ln, d);
		wp_value_free(labels);
	}
}

/* ---- a project ---- */

/*
 * Services are checked one a job, in this process (--jobs 1) or in
 * worker processes (workers.h); either way the problems of each service
 * come back as a list of their own, and the parent adds them to d in the
 * order of the services, each followed by the labels its languages lack.
 * The template registry reports a template's problem once to each list
 * (mustache.c): a worker that meets a problem the parent or an earlier
 * service reported reports it again, and the copy is dropped here, so
 * that d holds what one pass over the services in order would.  What
 * every service needs and may report about (the templates, the labels of
 * each style and language) is read before, once.
 */
typedef struct check_run {
	wp_project *p;
	wp_diags *d;
	int strict;
	label_names ln;
	wp_diags *per_service;   /* each service's problems, by its index */
	wp_strset once;          /* the once-reported problems in d */
	wp_diags mine;           /* a worker's problems */
	wp_buf report;           /* a worker's report, job by job */
	int failed;              /* a worker died or its report is bad */
} check_run;

/* The key of a problem the template registry reports once to a list. */
static char *
once_key(const wp_diag *g)
{
	return xasprintf("%s\n%d\n%d\n%s\n%s", g->file, g->line, g->column,
	    g->code, g->message);
}

/* Adds g to the run's list, unless it is a copy of a once-reported
 * problem already there. */
static void
add_merged(check_run *r, const wp_diag *g)
{
	char *key;

	if (g->once) {
		key = once_key(g);
		if (!wp_strset_add(&r->once, key)) {
			free(key);
			return;
		}
		free(key);
	}
	wp_diag_copy(r->d, g);
}

static void
worker_start(void *ctx)
{
	check_run *r = ctx;

	wp_diags_init(&r->mine);
	r->mine.strict = r->strict;
}

/* A job: service k, its problems packed into the report. */
static void
worker_run(void *ctx, uint32_t k)
{
	check_run *r = ctx;
	size_t from = r->mine.len;

	check_service(r->p, &r->p->services[k], &r->mine);
	wp_buf_printf(&r->report, "%lu %zu\n", (unsigned long)k,
	    r->mine.len - from);
	wp_diags_pack(&r->mine, from, &r->report);
}

static int
worker_report(void *ctx, wp_buf *out)
{
	check_run *r = ctx;

	wp_buf_put(out, r->report.data, r->report.len);
	return 0;
}

/* A report: for each job, "K N\n" and N problems (wp_diags_pack). */
static void
merge_report(void *ctx, const char *text, size_t len)
{
	check_run *r = ctx;
	const char *p = text, *end = text + len;
	char *e;
	unsigned long k, n;

	while (p < end) {
		k = strtoul(p, &e, 10);
		if (e == p || *e != ' ' || k >= r->p->nservices)
			break;
		p = e + 1;
		n = strtoul(p, &e, 10);
		if (e == p || *e != '\n')
			break;
		p = e + 1;
		if (wp_diags_unpack(&r->per_service[k], &p, end, n) != 0)
			break;
	}
	if (p != end) {
		wp_diag_add(r->d, WP_ERROR, r->p->content_dir, 0, 0,
		    "internal-error", "a check worker's report is unreadable");
		r->failed = 1;
	}
}

/* What every service needs, read once before them (workers inherit
 * it): every template compiled, the label names, the labels of each
 * style in each language a service is published in; and the catalogs'
 * titles in those languages, said once however many services show
 * them. */
static void
check_site(check_run *r)
{
	wp_project *p = r->p;
	const wp_project_service *ps;
	wp_strset seen;
	size_t i, j;

	check_templates(p->site, p->templates_dir, "", r->d);
	label_names_load(&r->ln, p->templates_dir);
	if (r->ln.n)
		check_labels_tree(p->templates_dir, &r->ln, r->d);
	for (i = 0; i < p->nservices; i++) {
		ps = &p->services[i];
		for (j = 0; ps->style && j < ps->svc->nlangs; j++)
			wp_site_labels(p->site, ps->style, ps->svc->langs[j],
			    r->d);
	}
	wp_strset_init(&seen);
	for (i = 0; i < p->nservices; i++) {
		ps = &p->services[i];
		for (j = 0; ps->svc && j < ps->svc->nlangs; j++)
			if (wp_project_lang_selected(p, ps->svc->langs[j]))
				check_catalogs_titles(p->site, ps->svc,
				    ps->svc->langs[j], &seen, r->d);
	}
	wp_strset_free(&seen);
}

/* A job the parent takes (one of the workers): service k's problems
 * straight into its list. */
static void
parent_run(void *ctx, uint32_t k)
{
	check_run *r = ctx;

	r->per_service[k].strict = r->strict;
	check_service(r->p, &r->p->services[k], &r->per_service[k]);
}

/* The services' problems, each in r->per_service, from jobs workers or
 * from this process alone (one job). */
static void
check_services(check_run *r, int jobs)
{
	static const wp_workers_ops ops = {worker_start, worker_run,
	    worker_report, merge_report, parent_run};
	wp_project *p = r->p;
	uint32_t *todo = xcalloc(p->nservices + 1, sizeof *todo);
	size_t i;

	for (i = 0; i < p->nservices; i++)
		todo[i] = (uint32_t)i;
	if (jobs > 1 && p->nservices > 1) {
		if (wp_workers_run((size_t)jobs, todo, p->nservices, &ops, r,
		    "check worker", p->content_dir, r->d) > 0)
			r->failed = 1;
	} else {
		worker_start(r);
		for (i = 0; i < p->nservices; i++)
			worker_run(r, (uint32_t)i);
		merge_report(r, wp_buf_cstr(&r->report), r->report.len);
		wp_diags_free(&r->mine);
	}
	free(todo);
}

int
wp_check_project(wp_project *p, int jobs, wp_diags *d)
{
	check_run r;
	char *key;
	size_t i, k;

	memset(&r, 0, sizeof r);
	r.p = p;
	r.d = d;
	r.strict = d->strict;
	wp_strset_init(&r.once);
	check_site(&r);
	for (i = 0; i < d->len; i++) {
		if (!d->items[i].once)
			continue;
		key = once_key(&d->items[i]);
		wp_strset_add(&r.once, key);
		free(key);
	}
	r.per_service = xcalloc(p->nservices + 1, sizeof *r.per_service);
	for (i = 0; i < p->nservices; i++)
		wp_diags_init(&r.per_service[i]);
	check_services(&r, jobs);
	for (i = 0; i < p->nservices; i++) {
		for (k = 0; k < r.per_service[i].len; k++)
			add_merged(&r, &r.per_service[i].items[k]);
		wp_diags_free(&r.per_service[i]);
		check_label_langs(p, &p->services[i], &r.ln, d);
	}
	free(r.per_service);
	wp_buf_free(&r.report);
	wp_strset_free(&r.once);
	label_names_free(&r.ln);
	return r.failed ? -1 : 0;
}
