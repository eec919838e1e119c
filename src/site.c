/*
 * site.c: the state every command shares, styles, labels and editions
 * (site.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "catpack.h"
#include "labels.h"
#include "mustache.h"
#include "phrase.h"
#include "share.h"
#include "labels.h"
#include "site.h"
#include "util.h"
#include "yamlvalue.h"

/* content/site.yaml: settings of the site as a whole.  Optional. */
static const char *const site_keys[] = {"labels", "coverage", NULL};

static void
load_site_config(wp_site *site, wp_diags *d)
{
	char *path = wp_path_join(site->content_dir, "site.yaml");
	const wp_value *v, *m;
	size_t i, j;
	int known;

	if (!wp_is_file(path) ||
	    (site->config = wp_yaml_load_file(path, d)) == NULL) {
		free(path);
		return;
	}
	v = site->config;
	if (v->kind != WP_MAP) {
		wp_diag_add(d, WP_ERROR, path, v->line, v->column,
		    "invalid-value", "site.yaml must be a map (labels, "
		    "coverage)");
		free(path);
		return;
	}
	for (i = 0; i < v->u.map.len; i++) {
		for (known = 0, j = 0; site_keys[j]; j++)
			known |= strcmp(site_keys[j], v->u.map.items[i].key)
			    == 0;
		if (!known)
			wp_diag_add(d, WP_ERROR, path,
			    v->u.map.items[i].value->line,
			    v->u.map.items[i].value->column, "unknown-key",
			    "unknown key '%s' in site.yaml (known: labels, "
			    "coverage)", v->u.map.items[i].key);
	}
	if ((m = wp_map_get(v, "coverage")) != NULL) {
		if (m->kind == WP_BOOL)
			site->coverage = m->u.boolean;
		else
			wp_diag_add(d, WP_ERROR, path, m->line, m->column,
			    "invalid-value", "coverage must be true or false");
	}
	if ((m = wp_map_get(v, "labels")) != NULL) {
		for (i = 0; m->kind == WP_MAP && i < m->u.map.len; i++)
			if (m->u.map.items[i].value->kind != WP_MAP)
				break;
		if (m->kind != WP_MAP || i < m->u.map.len)
			wp_diag_add(d, WP_ERROR, path, m->line, m->column,
			    "invalid-value", "labels must map languages to "
			    "maps of labels ({en: {site_title: ...}})");
		else
			site->site_labels = m;
	}
	free(path);
}

wp_site *
wp_site_open(const char *content_dir, const char *templates_dir,
    const char *catalogs_cache, wp_diags *d)
{
	wp_site *site;

	if (!wp_is_dir(content_dir)) {
		wp_diag_add(d, WP_ERROR, content_dir, 0, 0, "io-error",
		    "no such content directory");
		return NULL;
	}
	site = xcalloc(1, sizeof *site);
	site->content_dir = xstrdup(content_dir);
	site->templates_dir = wp_templates_find(templates_dir);
	site->template_rels = wp_value_new_map();
	/* The path policy: from now on files are read from these trees
	 * only (until the site is freed). */
	wp_path_allow_tree(site->content_dir);
	wp_path_allow_tree(site->templates_dir);
	site->catalogs_dir = wp_path_join(content_dir, "catalogs");
	if (!wp_path_allowed(site->catalogs_dir) && errno == WP_E_OUTSIDE) {
		wp_diag_add(d, WP_ERROR, site->catalogs_dir, 0, 0,
		    "outside-tree", "the catalogs directory leads outside the "
		    "content tree; make it a directory of the content");
		wp_site_free(site);
		return NULL;
	}
	site->catalogs = catalogs_cache ? wp_catpack_load(site->catalogs_dir,
	    catalogs_cache, d) : wp_catalogs_load(site->catalogs_dir, d);
	if (site->catalogs == NULL) {
		wp_site_free(site);
		return NULL;
	}
	site->labels = wp_value_new_map();
	site->xref_texts = wp_xref_texts_new();
	wp_strset_init(&site->labels_missing);
	site->coverage = 1;
	load_site_config(site, d);
	return site;
}

void
wp_site_free(wp_site *site)
{
	size_t i;

	if (site == NULL)
		return;
	wp_path_forget_trees();
	wp_labels_forget();
	for (i = 0; i < site->nstyles; i++) {
		free(site->styles[i]->name);
		wp_strv_free(site->styles[i]->stylesheets);
		wp_strv_free(site->styles[i]->scripts);
		free(site->styles[i]);
	}
	free(site->styles);
	if (site->templates)
		wp_templates_free(site->templates);
	if (site->catalogs)
		wp_catalogs_free(site->catalogs);
	wp_value_free(site->labels);
	for (i = 0; i < site->nunsaid; i++) {
		free(site->unsaid_langs[i]);
		wp_diags_free(&site->unsaid[i]);
	}
	free(site->unsaid_langs);
	free(site->unsaid);
	wp_strset_free(&site->labels_missing);
	wp_value_free(site->template_rels);
	wp_arena_free(site->shared);
	wp_phrase_memo_free(site->phrases);
	wp_xref_texts_free(site->xref_texts);
	wp_value_free(site->config);
	free(site->content_dir);
	free(site->templates_dir);
	free(site->catalogs_dir);
	free(site);
}

wp_templates *
wp_site_templates(wp_site *site)
{
	if (site->templates == NULL)
		site->templates = wp_templates_new_dir(site->templates_dir, 1);
	return site->templates;
}

/* ---- styles ---- */

static int
read_int(const wp_value *v, int *out)
{
	char *end;
	long n;

	if (v == NULL || v->kind != WP_NUMBER)
		return 0;
	n = strtol(v->u.str.text, &end, 10);
	if (*end || n < 0 || n > 100000)
		return 0;
	*out = (int)n;
	return 1;
}

static const char *const style_keys[] = {"extends", "xref_rows",
    "toc_depth", "toc_controls", "xref_scope", "stylesheets", "scripts",
    NULL};

/* `stylesheets: [a.css, ...]` or `scripts: [toc.js]` (key): plain file
 * names of the assets, into *names. */
static void
read_asset_names(char ***names, const char *key, const wp_value *v,
    const char *path, wp_diags *d)
{
	size_t i, n = 0;
	const char *name;

	if (v->kind != WP_LIST) {
		wp_diag_add(d, WP_ERROR, path, v->line, v->column,
		    "invalid-value", "%s is a list of file names of the "
		    "style's assets/", key);
		return;
	}
	*names = xrealloc(*names, (v->u.list.len + 1) * sizeof **names);
	for (i = 0; i < v->u.list.len; i++) {
		name = wp_value_text(v->u.list.items[i]);
		if (name == NULL || *name == '\0' || *name == '.' ||
		    strchr(name, '/') || strchr(name, '\\')) {
			wp_diag_add(d, WP_ERROR, path,
			    v->u.list.items[i]->line,
			    v->u.list.items[i]->column, "invalid-value",
			    "an entry of %s is a file name of the style's "
			    "assets/ (no directories)", key);
			continue;
		}
		(*names)[n++] = xstrdup(name);
	}
	(*names)[n] = NULL;
}

static void
read_style_yaml(wp_site *site, wp_style *st, const char *path, wp_diags *d,
    char **extends)
{
	wp_value *y = wp_yaml_load_file(path, d), *v;
	size_t i, j;
	int known;

	if (y == NULL)
		return;
	if (y->kind != WP_MAP) {
		wp_diag_add(d, WP_ERROR, path, y->line, y->column,
		    "invalid-value", "style.yaml must be a map");
		wp_value_free(y);
		return;
	}
	for (i = 0; i < y->u.map.len; i++) {
		for (known = 0, j = 0; style_keys[j]; j++)
			known |= strcmp(style_keys[j], y->u.map.items[i].key)
			    == 0;
		if (!known)
			wp_diag_add(d, WP_ERROR, path,
			    y->u.map.items[i].value->line,
			    y->u.map.items[i].value->column, "unknown-key",
			    "unknown key '%s' in style.yaml",
			    y->u.map.items[i].key);
	}
	if ((v = wp_map_get(y, "xref_rows")) && !read_int(v, &st->xref_rows))
		wp_diag_add(d, WP_ERROR, path, v->line, v->column,
		    "invalid-value", "xref_rows must be a whole number");
	if ((v = wp_map_get(y, "toc_depth")) && !read_int(v, &st->toc_depth))
		wp_diag_add(d, WP_ERROR, path, v->line, v->column,
		    "invalid-value", "toc_depth must be a whole number");
	if ((v = wp_map_get(y, "toc_controls")) != NULL) {
		if (v->kind == WP_BOOL)
			st->toc_controls = wp_value_truthy(v);
		else
			wp_diag_add(d, WP_ERROR, path, v->line, v->column,
			    "invalid-value", "toc_controls is true or false");
	}
	if ((v = wp_map_get(y, "xref_scope")) != NULL) {
		if (v->kind == WP_STRING && strcmp(v->u.str.text, "all") == 0)
			st->xref_scope = WP_SCOPE_ALL;
		else if (v->kind == WP_STRING &&
		    strcmp(v->u.str.text, "addressed") == 0)
			st->xref_scope = WP_SCOPE_ADDRESSED;
		else
			wp_diag_add(d, WP_ERROR, path, v->line, v->column,
			    "invalid-value", "xref_scope is all or addressed");
	}
	if ((v = wp_map_get(y, "stylesheets")) != NULL)
		read_asset_names(&st->stylesheets, "stylesheets", v, path, d);
	if ((v = wp_map_get(y, "scripts")) != NULL)
		read_asset_names(&st->scripts, "scripts", v, path, d);
	if ((v = wp_map_get(y, "extends")) && v->kind == WP_STRING)
		*extends = xstrdup(v->u.str.text);
	(void)site;
	wp_value_free(y);
}

static wp_style *
load_style(wp_site *site, const char *name, int depth, wp_diags *d)
{
	wp_style *st;
	char *dir, *yaml, *extends = NULL;
	size_t i;

	for (i = 0; i < site->nstyles; i++)
		if (strcmp(site->styles[i]->name, name) == 0)
			return site->styles[i];
	dir = wp_path_join(site->templates_dir, name);
	if (depth > 8 || strchr(name, '/') || name[0] == '.' ||
	    strcmp(name, "base") == 0 || strcmp(name, "labels") == 0 ||
	    !wp_is_dir(dir)) {
		free(dir);
		return NULL;
	}
	st = xcalloc(1, sizeof *st);
	st->name = xstrdup(name);
	st->toc_depth = 2;
	st->toc_controls = -1;
	st->stylesheets = xcalloc(1, sizeof *st->stylesheets);
	st->scripts = xcalloc(1, sizeof *st->scripts);
	yaml = wp_path_join(dir, "style.yaml");
	if (wp_is_file(yaml))
		read_style_yaml(site, st, yaml, d, &extends);
	if (extends) {
		st->parent = load_style(site, extends, depth + 1, d);
		if (st->parent == NULL)
			wp_diag_add(d, WP_ERROR, yaml, 0, 0, "missing-style",
			    "style '%s' extends '%s', which is not in %s",
			    name, extends, site->templates_dir);
		free(extends);
	}
	free(yaml);
	free(dir);
	site->styles = xrealloc(site->styles, (site->nstyles + 1) *
	    sizeof *site->styles);
	site->styles[site->nstyles++] = st;
	return st;
}

/* "no style 'x' in templates; the styles there are: a, b; did you mean
 * 'a'?" */
static void
missing_style(const wp_site *site, const wp_service *svc, wp_diags *d)
{
	size_t n, i;
	char **names = wp_style_names(site->templates_dir, &n);
	long near = wp_closest(svc->style, (const char *const *)names, n);
	wp_buf list = WP_BUF_INIT;

	for (i = 0; i < n; i++)
		wp_buf_printf(&list, "%s%s", i ? ", " : "", names[i]);
	if (near >= 0)
		wp_buf_printf(&list, "; did you mean '%s'?", names[near]);
	wp_diag_add(d, WP_ERROR, svc->yaml_path,
	    svc->style_node ? svc->style_node->line : 0,
	    svc->style_node ? svc->style_node->column : 0, "missing-style",
	    n ? "no style '%s' in %s; the styles there are: %s" :
	    "no style '%s' in %s, which has no styles at all%s",
	    svc->style, site->templates_dir, wp_buf_cstr(&list));
	wp_buf_free(&list);
	wp_strv_free(names);
}

const wp_style *
wp_site_style(wp_site *site, const wp_service *svc, wp_diags *d)
{
	const wp_style *st = load_style(site, svc->style, 0, d);
	char *page;

	if (st == NULL) {
		missing_style(site, svc, d);
		return NULL;
	}
	page = wp_style_template(site, st, "page");
	if (page == NULL) {
		wp_diag_add(d, WP_ERROR, svc->yaml_path,
		    svc->style_node ? svc->style_node->line : 0,
		    svc->style_node ? svc->style_node->column : 0,
		    "missing-style", "style '%s' has no page.mustache",
		    svc->style);
		return NULL;
	}
	free(page);
	return st;
}

const wp_style *
wp_site_style_named(wp_site *site, const char *name, wp_diags *d)
{
	const wp_style *st = load_style(site, name, 0, d);
	char *page = st ? wp_style_template(site, st, "page") : NULL;
	int has_page = page != NULL;

	free(page);
	return has_page ? st : NULL;
}

/* The template's name, looked for along the style's parents. */
static char *
find_style_template(const wp_site *site, const wp_style *style,
    const char *name)
{
	char *rel, *path;
	const wp_style *st;

	for (st = style; ; st = st->parent) {
		rel = xasprintf("%s/%s", st ? st->name : "base", name);
		path = xasprintf("%s/%s.mustache", site->templates_dir, rel);
		if (wp_is_file(path)) {
			free(path);
			return rel;
		}
		free(path);
		free(rel);
		if (st == NULL)
			return NULL;
	}
}

/* Each page asks for five templates: the answer is looked for on disk
 * once a process (the templates do not change during a command). */
char *
wp_style_template(const wp_site *site, const wp_style *style,
    const char *name)
{
	char *key = xasprintf("%s\n%s", style ? style->name : "", name), *rel;
	const wp_value *known;

	if (site->template_rels && (known = wp_map_get(site->template_rels,
	    key)) != NULL) {
		free(key);
		return *wp_value_text(known) ? xstrdup(wp_value_text(known)) :
		    NULL;
	}
	rel = find_style_template(site, style, name);
	if (site->template_rels)
		wp_map_set_str(site->template_rels, key, rel ? rel : "");
	free(key);
	return rel;
}

int
wp_style_toc_controls(const wp_style *style)
{
	for (; style; style = style->parent)
		if (style->toc_controls >= 0)
			return style->toc_controls;
	return 0;
}

int
wp_service_xref_scope(const wp_service *svc, const wp_style *style)
{
	if (svc->xref_scope != WP_SCOPE_UNSET)
		return svc->xref_scope;
	for (; style; style = style->parent)
		if (style->xref_scope != WP_SCOPE_UNSET)
			return style->xref_scope;
	return WP_SCOPE_ALL;
}

/* ---- catalogs a service names ---- */

/* Edit distance of two short names (a typo in a catalog or label
 * name). */
static size_t
name_distance(const char *a, const char *b)
{
	if (strlen(a) > 64 || strlen(b) > 64)
		return 99;
	return wp_edit_distance(a, b);
}

static void
unknown_catalog(const wp_site *site, const wp_service *svc,
    const wp_value *at, const char *id, const char *what, wp_diags *d)
{
	wp_buf known = WP_BUF_INIT;
	const char *near = NULL, *cid;
	size_t i, dist, bestd = 3;

	for (i = 0; i < site->catalogs->len; i++) {
		cid = site->catalogs->items[i]->id;
		wp_buf_printf(&known, "%s%s", i ? ", " : "", cid);
		if ((dist = name_distance(id, cid)) < bestd) {
			bestd = dist;
			near = cid;
		}
	}
	wp_diag_add(d, WP_ERROR, svc->yaml_path, at ? at->line : 0,
	    at ? at->column : 0, "unknown-catalog", "%s names no catalog "
	    "'%s' of %s%s%s%s (catalogs: %s)", what, id, site->catalogs_dir,
	    near ? "; did you mean '" : "", near ? near : "", near ? "'?" :
	    "", known.len ? wp_buf_cstr(&known) : "none");
	wp_buf_free(&known);
}

int
wp_site_check_catalogs(const wp_site *site, const wp_service *svc,
    wp_diags *d)
{
	const wp_value *v = wp_map_get(svc->yaml, "catalogs"), *e;
	int errors = d->errors;
	size_t i;

	for (i = 0; svc->catalogs && svc->catalogs[i]; i++)
		if (wp_catalogs_get(site->catalogs, svc->catalogs[i]) == NULL)
			unknown_catalog(site, svc, v && v->kind == WP_LIST ?
			    v->u.list.items[i] : v, svc->catalogs[i],
			    "catalogs", d);
	v = svc->standards;
	for (i = 0; v && i < v->u.map.len; i++) {
		e = v->u.map.items[i].value;
		if (wp_catalogs_get(site->catalogs, wp_value_text(e)) == NULL)
			unknown_catalog(site, svc, e, wp_value_text(e),
			    "standards", d);
	}
	return d->errors > errors ? -1 : 0;
}

/* ---- labels ---- */

/* The label named key in lang among the styles' labels (NULL: the base
 * labels only); else NULL, with *near the closest name (2 edits at
 * most) or NULL. */
static const wp_value *
find_label(wp_site *site, const wp_style *const *styles, size_t nstyles,
    const char *lang, const char *key, const char **near)
{
	const wp_value *known, *v;
	size_t s, k, dist, bestd = 3;

	*near = NULL;
	for (s = 0; s < (nstyles ? nstyles : 1); s++) {
		known = wp_site_labels(site, nstyles ? styles[s] : NULL, lang,
		    NULL);
		if ((v = wp_map_get(known, key)) != NULL)
			return v;
		for (k = 0; k < known->u.map.len; k++) {
			dist = name_distance(key, known->u.map.items[k].key);
			if (dist < bestd) {
				bestd = dist;
				*near = known->u.map.items[k].key;
			}
		}
	}
	return NULL;
}

/* Reports the names of a `labels:` map (lang -> names) that no label
 * file of the styles defines: unknown-key at the name, with the nearest
 * one. */
static void
check_label_names(wp_site *site, const char *path, const wp_value *v,
    const wp_style *const *styles, size_t nstyles, wp_diags *d)
{
	const wp_value *m;
	const wp_map_entry *e;
	const char *near;
	size_t i, j;

	for (i = 0; v && v->kind == WP_MAP && i < v->u.map.len; i++) {
		m = v->u.map.items[i].value;
		for (j = 0; m->kind == WP_MAP && j < m->u.map.len; j++) {
			e = &m->u.map.items[j];
			/* (A label the code reads may stand in for one
			 * the language's file lacks.) */
			if (find_label(site, styles, nstyles,
			    v->u.map.items[i].key, e->key, &near) != NULL ||
			    wp_label_is_code_key(e->key))
				continue;
			wp_diag_add(d, WP_ERROR, path, e->line, e->column,
			    "unknown-key", "labels: the templates have no "
			    "label '%s'%s%s%s", e->key, near ? " (did you "
			    "mean '" : "", near ? near : "", near ? "'?)" :
			    "");
		}
	}
}

int
wp_site_check_labels(wp_site *site, const wp_service *svc,
    const wp_style *style, wp_diags *d)
{
	int errors = d->errors;

	check_label_names(site, svc->yaml_path, svc->labels, &style, 1, d);
	return d->errors > errors ? -1 : 0;
}

int
wp_site_check_site_labels(wp_site *site, const wp_style *const *styles,
    size_t nstyles, wp_diags *d)
{
	int errors = d->errors;
	char *path;

	if (site->site_labels == NULL)
		return 0;
	path = wp_path_join(site->content_dir, "site.yaml");
	check_label_names(site, path, site->site_labels, styles, nstyles, d);
	free(path);
	return d->errors > errors ? -1 : 0;
}

static void
merge_labels(wp_value *into, const char *path, wp_diags *d)
{
	wp_value *y;
	size_t i;

	if (!wp_is_file(path))
		return;
	if ((y = wp_yaml_load_file(path, d)) == NULL)
		return;
	if (y->kind != WP_MAP) {
		wp_diag_add(d, WP_ERROR, path, y->line, y->column,
		    "invalid-value", "a labels file maps names to strings");
	} else {
		for (i = 0; i < y->u.map.len; i++)
			wp_map_set(into, y->u.map.items[i].key,
			    wp_value_copy(y->u.map.items[i].value));
	}
	wp_value_free(y);
}

/* Merges dir/<tag>.yaml for lang and its BCP 47 parents, broadest
 * first (labels/en.yaml, then labels/en-US.yaml); the number merged. */
static int
merge_lang_labels(wp_value *into, const char *dir, const char *lang,
    wp_diags *d)
{
	char *tag = xstrdup(lang), *path, *dash;
	int n = 0;

	if ((dash = strrchr(tag, '-')) != NULL) {
		*dash = '\0';
		n += merge_lang_labels(into, dir, tag, d);
	}
	path = xasprintf("%s/%s.yaml", dir, lang);
	if (wp_is_file(path)) {
		merge_labels(into, path, d);
		n++;
	}
	free(path);
	free(tag);
	return n;
}

static void
merge_style_labels(wp_site *site, const wp_style *st, const char *lang,
    wp_value *into, wp_diags *d)
{
	char *dir;

	if (st == NULL)
		return;
	merge_style_labels(site, st->parent, lang, into, d);
	dir = xasprintf("%s/%s/labels", site->templates_dir, st->name);
	merge_lang_labels(into, dir, lang, d);
	free(dir);
}

/* Keeps the problems of the labels of lang loaded for no one (moved
 * from *d). */
static void
keep_unsaid(wp_site *site, const char *lang, wp_diags *d)
{
	size_t n = site->nunsaid + 1;

	site->unsaid_langs = xrealloc(site->unsaid_langs, n *
	    sizeof *site->unsaid_langs);
	site->unsaid = xrealloc(site->unsaid, n * sizeof *site->unsaid);
	site->unsaid_langs[site->nunsaid] = xstrdup(lang);
	site->unsaid[site->nunsaid++] = *d;
	wp_diags_init(d);
}

/* Says the problems kept for the labels of lang, once. */
static void
say_unsaid(wp_site *site, const char *lang, wp_diags *d)
{
	const wp_diag *g;
	size_t i, j;

	for (i = 0; i < site->nunsaid; ) {
		if (strcmp(site->unsaid_langs[i], lang) != 0) {
			i++;
			continue;
		}
		for (j = 0; j < site->unsaid[i].len; j++) {
			g = &site->unsaid[i].items[j];
			wp_diag_again(d, g);
		}
		free(site->unsaid_langs[i]);
		wp_diags_free(&site->unsaid[i]);
		site->nunsaid--;
		site->unsaid_langs[i] = site->unsaid_langs[site->nunsaid];
		site->unsaid[i] = site->unsaid[site->nunsaid];
	}
}

/* Merges the base labels of lang into m, else the English ones with a
 * warning (once a language, whatever style asks). */
static void
merge_base_labels(wp_site *site, wp_value *m, const char *lang,
    wp_diags *d)
{
	char *dir = wp_path_join(site->templates_dir, "labels"), *path;

	if (merge_lang_labels(m, dir, lang, d) == 0) {
		if (wp_strset_add(&site->labels_missing, lang)) {
			path = xasprintf("%s/%s.yaml", dir, lang);
			wp_diag_add(d, WP_WARNING, path, 0, 0,
			    "missing-labels", "no labels for language '%s'; "
			    "using English", lang);
			free(path);
		}
		merge_lang_labels(m, dir, "en", d);
	}
	free(dir);
}

const wp_value *
wp_site_labels(wp_site *site, const wp_style *style, const char *lang,
    wp_diags *d)
{
	char *key = xasprintf("%s:%s", style ? style->name : "", lang);
	wp_value *m = wp_map_get(site->labels, key);
	wp_diags scratch;

	wp_diags_init(&scratch);
	if (d)
		say_unsaid(site, lang, d);
	if (m == NULL) {
		m = wp_map_set(site->labels, key, wp_value_new_map());
		merge_base_labels(site, m, lang, d ? d : &scratch);
		merge_style_labels(site, style, lang, m, d ? d : &scratch);
		if (scratch.len)
			keep_unsaid(site, lang, &scratch);
	}
	wp_diags_free(&scratch);
	free(key);
	return m;
}

/* ---- editions ---- */

void
wp_document_options_for(const wp_site *site, const wp_service *svc,
    const char *lang, wp_document_options *opt)
{
	memset(opt, 0, sizeof *opt);
	opt->catalogs = site->catalogs;
	opt->allowed = svc->catalogs;
	opt->standards = svc->standards;
	opt->lang = lang;
	opt->unsafe_html = svc->unsafe_html;
	opt->service_dir = svc->dir;
}

wp_edition *
wp_edition_load(wp_site *site, const wp_service *svc, const char *lang,
    wp_diags *d)
{
	return wp_edition_read(site, svc, lang, 0, d);
}

wp_edition *
wp_edition_read(wp_site *site, const wp_service *svc, const char *lang,
    int render, wp_diags *d)
{
	wp_document_options opt;
	char **files;
	wp_edition *ed;
	wp_document *doc;
	size_t n = 0;

	if (lang == NULL)
		lang = svc->langs[0];
	if (wp_edition_dir_check(svc, lang, d) != 0)
		return NULL;
	files = wp_edition_files(svc, lang, &n);
	if (files == NULL || n == 0) {
		wp_strv_free(files);
		return NULL;
	}
	wp_document_options_for(site, svc, lang, &opt);
	opt.render = render;
	opt.mem = site->mem;
	doc = site->read ? wp_document_read(files, site->read, site->read_ctx,
	    &opt, d) : wp_document_load(files, &opt, d);
	wp_strv_free(files);
	if (doc == NULL)
		return NULL;
	ed = xcalloc(1, sizeof *ed);
	ed->service = svc;
	ed->lang = svc->langs[0];
	for (n = 0; n < svc->nlangs; n++)
		if (strcmp(svc->langs[n], lang) == 0)
			ed->lang = svc->langs[n];
	ed->doc = doc;
	ed->xref = wp_xref_new(site->catalogs, svc->catalogs, doc, svc->id,
	    ed->lang);
	return ed;
}

void
wp_edition_free(wp_edition *ed)
{
	if (ed == NULL)
		return;
	if (ed->owns_source)
		wp_edition_free((wp_edition *)ed->source);
	wp_xref_free(ed->xref);
	wp_document_free(ed->doc);
	wp_document_free(ed->own);
	free(ed);
}

static int
is_style_dir(const char *templates_dir, const char *name)
{
	char *page = xasprintf("%s/%s/page.mustache", templates_dir, name);
	int ok = wp_is_file(page);

	free(page);
	return ok;
}

char **
wp_style_names(const char *templates_dir, size_t *n)
{
	char **v = wp_dir_names(templates_dir, NULL, NULL);
	size_t i, k = 0;

	if (v == NULL) {
		v = xcalloc(1, sizeof *v);
	} else {
		for (i = 0; v[i]; i++) {
			if (is_style_dir(templates_dir, v[i]))
				v[k++] = v[i];
			else
				free(v[i]);
		}
		v[k] = NULL;
	}
	if (n)
		*n = k;
	return v;
}
