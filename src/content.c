/*
 * content.c: services and their service.yaml (content.h).
 *
 * The schema is checked strictly so that a typo cannot pass unnoticed:
 * every key is known, every value has the expected shape, and every
 * problem names service.yaml's line and column.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "content.h"
#include "util.h"
#include "yamlvalue.h"

/* Names in dir accepted by keep(), sorted, NULL-terminated. */
static char **
list_dir(const char *dir, int (*keep)(const char *dir, const char *name),
    size_t *n)
{
	char **v = wp_dir_names(dir, NULL, NULL);
	size_t i, k = 0;

	if (v == NULL)
		return NULL;
	for (i = 0; v[i]; i++) {
		if (keep(dir, v[i]))
			v[k++] = v[i];
		else
			free(v[i]);
	}
	v[k] = NULL;
	if (n)
		*n = k;
	return v;
}

static int
is_service_dir(const char *dir, const char *name)
{
	char *sub = wp_path_join(dir, name);
	char *yaml = wp_path_join(sub, "service.yaml");
	int ok = wp_is_file(yaml);

	free(sub);
	free(yaml);
	return ok;
}

char **
wp_service_ids(const char *content_dir, size_t *n)
{
	return list_dir(content_dir, is_service_dir, n);
}

static int
is_markdown_file(const char *dir, const char *name)
{
	size_t len = strlen(name);

	/* Whatever the entry is: one that is not a regular file (a FIFO, a
	 * directory, a symlink out of the tree) is refused when read, with
	 * a diagnostic, rather than skipped in silence. */
	(void)dir;
	return len >= 4 && strcmp(name + len - 3, ".md") == 0;
}

int
wp_edition_dir_check(const wp_service *s, const char *lang, wp_diags *d)
{
	char *dir = wp_path_join(s->dir, lang);
	struct stat st;
	DIR *dp;
	int rc = 0;

	if (lstat(dir, &st) != 0 && errno == ENOENT) {
		free(dir);
		return 0;
	}
	if (!wp_path_allowed(dir)) {
		wp_diag_add(d, WP_ERROR, dir, 0, 0, "outside-tree", "the "
		    "edition directory leads outside the content tree; make "
		    "it a directory of the service");
		rc = -1;
	} else if ((dp = opendir(dir)) == NULL) {
		wp_diag_add(d, WP_ERROR, dir, 0, 0, errno == ENOTDIR ?
		    "not-a-file" : "io-error", "cannot read the edition "
		    "directory: %s; a language of service.yaml needs a "
		    "readable directory (or none, to publish it untranslated)",
		    strerror(errno));
		rc = -1;
	} else {
		closedir(dp);
	}
	free(dir);
	return rc;
}

char **
wp_edition_files(const wp_service *s, const char *lang, size_t *n)
{
	char *dir = wp_path_join(s->dir, lang);
	char **names = list_dir(dir, is_markdown_file, n);
	size_t i;

	for (i = 0; names && names[i]; i++) {
		char *full = wp_path_join(dir, names[i]);
		free(names[i]);
		names[i] = full;
	}
	free(dir);
	return names;
}

const wp_value *
wp_localized(const wp_value *v, const char *lang, const char *fallback_lang,
    int *missing)
{
	const wp_value *t;

	if (missing)
		*missing = 0;
	if (v == NULL || v->kind != WP_MAP)
		return v;
	if ((t = wp_map_get(v, lang)) != NULL)
		return t;
	if (missing)
		*missing = 1;
	if (fallback_lang && (t = wp_map_get(v, fallback_lang)) != NULL)
		return t;
	return NULL;
}

const char *
wp_localized_text(const wp_value *v, const char *lang,
    const char *fallback_lang, int *missing)
{
	const char *s = wp_value_text(wp_localized(v, lang, fallback_lang,
	    missing));

	return s ? s : "";
}

int
wp_service_has_lang(const wp_service *s, const char *lang)
{
	size_t i;

	for (i = 0; i < s->nlangs; i++)
		if (strcmp(s->langs[i], lang) == 0)
			return 1;
	return 0;
}

int
wp_service_has_refs(const wp_service *s)
{
	size_t i;

	for (i = 0; i < s->nrevisions; i++)
		if (s->revisions[i].ref)
			return 1;
	return 0;
}

const wp_revision *
wp_service_current(const wp_service *s)
{
	return s->nrevisions ? &s->revisions[s->nrevisions - 1] : NULL;
}

void
wp_service_free(wp_service *s)
{
	if (s == NULL)
		return;
	free(s->id);
	free(s->dir);
	free(s->yaml_path);
	free(s->langs);
	free(s->catalogs);
	free(s->revisions);
	wp_value_free(s->yaml);
	free(s);
}

/* ---- schema checks ---- */

typedef struct loader {
	wp_service *s;
	wp_diags *d;
} loader;

static void
bad(loader *ld, const wp_value *at, const char *code, const char *fmt,
    const char *a, const char *b)
{
	wp_diag_add(ld->d, WP_ERROR, ld->s->yaml_path, at ? at->line : 0,
	    at ? at->column : 0, code, fmt, a, b ? b : "");
}

static int
is_string(const wp_value *v)
{
	return v && (v->kind == WP_STRING || v->kind == WP_NUMBER);
}

static const char *
require_string(loader *ld, const wp_value *v, const char *what)
{
	if (is_string(v) && v->u.str.len > 0)
		return v->u.str.text;
	bad(ld, v, "invalid-value", "%s must be a non-empty string%s", what,
	    NULL);
	return NULL;
}

int
wp_lang_tag_valid(const char *s)
{
	size_t i, n = 0;

	for (i = 0; s[i] && s[i] != '-'; i++, n++)
		if (!isalpha((unsigned char)s[i]))
			return 0;
	if (n < 2 || n > 3)
		return 0;
	for (; s[i]; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '-')
			return 0;
	return s[i - 1] != '-';
}

static void
check_lang_key(loader *ld, const wp_value *map, size_t i, const char *what)
{
	const char *key = map->u.map.items[i].key;
	const wp_value *at = map->u.map.items[i].value;

	if (ld->s->langs && !wp_service_has_lang(ld->s, key))
		bad(ld, at, "unknown-key", "%s: '%s' is not one of the "
		    "service's languages", what, key);
}

/* A localized string: a string, or a map of language -> string. */
static int
check_localized(loader *ld, const wp_value *v, const char *what, int list)
{
	size_t i, j;
	const wp_value *e;

	if (v->kind == WP_MAP) {
		for (i = 0; i < v->u.map.len; i++) {
			check_lang_key(ld, v, i, what);
			e = v->u.map.items[i].value;
			if (!check_localized(ld, e, what, list) ||
			    e->kind == WP_MAP) {
				if (e->kind == WP_MAP)
					bad(ld, e, "invalid-value", "%s: "
					    "nested maps are not allowed%s",
					    what, NULL);
				return 0;
			}
		}
		return 1;
	}
	if (list && v->kind != WP_LIST) {
		bad(ld, v, "invalid-value", "%s must be a list of strings or a "
		    "map of languages to lists (changes: [First edition])%s",
		    what, NULL);
		return 0;
	}
	if (list && v->kind == WP_LIST) {
		for (j = 0; j < v->u.list.len; j++) {
			if (!is_string(v->u.list.items[j])) {
				bad(ld, v->u.list.items[j], "invalid-value",
				    "%s: items must be strings%s", what, NULL);
				return 0;
			}
		}
		return 1;
	}
	if (is_string(v))
		return 1;
	bad(ld, v, "invalid-value", list ? "%s must be a list of strings or "
	    "a map of languages to lists%s" : "%s must be a string or a map "
	    "of languages to strings%s", what, NULL);
	return 0;
}

/* A date of the calendar, YYYY-MM-DD: 2020-02-29 is one, 2020-02-30 is
 * not. */
static int
valid_date(const char *s)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31};
	int i, year, month, day, leap;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
			return 0;
	year = atoi(s);
	month = atoi(s + 5);
	day = atoi(s + 8);
	if (month < 1 || month > 12 || day < 1)
		return 0;
	leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
	return day <= days[month - 1] + (month == 2 && leap);
}

static const char *const revision_keys[] = {"version", "label", "date",
    "changes", "ref", NULL};

static int
known_key(const char *const *keys, const char *key)
{
	size_t i;

	for (i = 0; keys[i]; i++)
		if (strcmp(keys[i], key) == 0)
			return 1;
	return 0;
}

static void
check_unknown_keys(loader *ld, const wp_value *map, const char *const *keys,
    const char *where)
{
	size_t i, n;
	long near;
	const wp_map_entry *e;
	char *msg;

	for (n = 0; keys[n]; n++)
		;
	for (i = 0; i < map->u.map.len; i++) {
		e = &map->u.map.items[i];
		if (known_key(keys, e->key))
			continue;
		near = wp_closest(e->key, keys, n);
		msg = near >= 0 ? xasprintf("%s; did you mean '%s'?", where,
		    keys[near]) : xstrdup(where);
		wp_diag_add(ld->d, WP_ERROR, ld->s->yaml_path, e->line ?
		    e->line : e->value->line, e->line ? e->column :
		    e->value->column, "unknown-key", "unknown key '%s'%s",
		    e->key, msg);
		free(msg);
	}
}

static void
load_revision(loader *ld, const wp_value *r, wp_revision *out)
{
	const wp_value *v;

	memset(out, 0, sizeof *out);
	out->line = r->line;
	out->column = r->column;
	if (r->kind != WP_MAP) {
		bad(ld, r, "invalid-value", "a revision must be a map with "
		    "version, date and changes%s%s", "", NULL);
		return;
	}
	check_unknown_keys(ld, r, revision_keys, " in a revision");
	if ((v = wp_map_get(r, "version")) == NULL)
		bad(ld, r, "missing-key", "a revision needs a version "
		    "(version: \"1.0\")%s%s", "", NULL);
	else
		out->version = require_string(ld, v, "version");
	if ((v = wp_map_get(r, "date")) == NULL) {
		bad(ld, r, "missing-key", "a revision needs a date "
		    "(date: 2026-01-31, the day it was published)%s%s", "",
		    NULL);
	} else if ((out->date = require_string(ld, v, "date")) != NULL &&
	    !valid_date(out->date)) {
		bad(ld, v, "invalid-value", "date '%s' is not a day of the "
		    "calendar written YYYY-MM-DD (2021-01-18)%s", out->date,
		    NULL);
		out->date = NULL;
	}
	if ((v = wp_map_get(r, "label")) != NULL &&
	    check_localized(ld, v, "label", 0))
		out->label = v;
	if ((v = wp_map_get(r, "changes")) != NULL &&
	    check_localized(ld, v, "changes", 1))
		out->changes = v;
	if ((v = wp_map_get(r, "ref")) != NULL)
		out->ref = require_string(ld, v, "ref");
}

static void
load_revisions(loader *ld, const wp_value *v)
{
	size_t i;

	if (v->kind != WP_LIST || v->u.list.len == 0) {
		bad(ld, v, "invalid-value", "revisions must be a non-empty "
		    "list, oldest first%s%s", "", NULL);
		return;
	}
	ld->s->revisions = xcalloc(v->u.list.len, sizeof *ld->s->revisions);
	ld->s->nrevisions = v->u.list.len;
	for (i = 0; i < v->u.list.len; i++)
		load_revision(ld, v->u.list.items[i], &ld->s->revisions[i]);
	for (i = 1; i < ld->s->nrevisions; i++) {
		const wp_revision *a = &ld->s->revisions[i - 1];
		const wp_revision *b = &ld->s->revisions[i];
		if (a->date && b->date && strcmp(a->date, b->date) > 0)
			bad(ld, v->u.list.items[i], "invalid-value",
			    "revision dates must not go back in time "
			    "(%s after %s); revisions are listed oldest first",
			    b->date, a->date);
	}
}

/* A list of strings into a NULL-terminated array of pointers into it. */
static const char **
string_list(loader *ld, const wp_value *v, const char *what, size_t *n)
{
	const char **out;
	size_t i;

	if (v->kind != WP_LIST || v->u.list.len == 0) {
		bad(ld, v, "invalid-value", "%s must be a non-empty list%s",
		    what, NULL);
		return NULL;
	}
	out = xcalloc(v->u.list.len + 1, sizeof *out);
	for (i = 0; i < v->u.list.len; i++) {
		if ((out[i] = require_string(ld, v->u.list.items[i], what)) ==
		    NULL) {
			free(out);
			return NULL;
		}
	}
	if (n)
		*n = v->u.list.len;
	return out;
}

static void
load_languages(loader *ld, const wp_value *v)
{
	size_t i, j;

	ld->s->langs = string_list(ld, v, "languages", &ld->s->nlangs);
	for (i = 0; ld->s->langs && i < ld->s->nlangs; i++) {
		if (!wp_lang_tag_valid(ld->s->langs[i]))
			bad(ld, v->u.list.items[i], "invalid-value",
			    "'%s' is not a language tag (ja, en, zh-Hant...)%s",
			    ld->s->langs[i], NULL);
		for (j = 0; j < i; j++)
			if (strcmp(ld->s->langs[i], ld->s->langs[j]) == 0)
				bad(ld, v->u.list.items[i], "invalid-value",
				    "language '%s' is listed twice%s",
				    ld->s->langs[i], NULL);
	}
}

static void
load_standards(loader *ld, const wp_value *v)
{
	size_t i;

	if (v->kind != WP_MAP) {
		bad(ld, v, "invalid-value", "standards must map names to "
		    "catalog ids%s%s", "", NULL);
		return;
	}
	for (i = 0; i < v->u.map.len; i++)
		if (require_string(ld, v->u.map.items[i].value,
		    "a standards entry") == NULL)
			return;
	ld->s->standards = v;
}

/* labels: {lang: {name: text}}, every lang one of the service's. */
static void
load_labels(loader *ld, const wp_value *v)
{
	const wp_value *m;
	size_t i, j;

	if (v->kind != WP_MAP) {
		bad(ld, v, "invalid-value", "labels must map languages to "
		    "maps of labels ({ja: {xref_title: ...}})%s%s", "", NULL);
		return;
	}
	for (i = 0; i < v->u.map.len; i++) {
		check_lang_key(ld, v, i, "labels");
		m = v->u.map.items[i].value;
		if (m->kind != WP_MAP) {
			bad(ld, m, "invalid-value", "labels of '%s' must be a "
			    "map of label names to strings%s",
			    v->u.map.items[i].key, NULL);
			return;
		}
		for (j = 0; j < m->u.map.len; j++)
			if (!is_string(m->u.map.items[j].value)) {
				bad(ld, m->u.map.items[j].value,
				    "invalid-value", "label '%s' must be a "
				    "string%s", m->u.map.items[j].key, NULL);
				return;
			}
	}
	ld->s->labels = v;
}

static void
load_scope(loader *ld, const wp_value *v)
{
	const char *s = is_string(v) ? v->u.str.text : "";

	if (strcmp(s, "all") == 0)
		ld->s->xref_scope = WP_SCOPE_ALL;
	else if (strcmp(s, "addressed") == 0)
		ld->s->xref_scope = WP_SCOPE_ADDRESSED;
	else
		bad(ld, v, "invalid-value", "xref_scope is 'all' or "
		    "'addressed', not '%s'%s", s, NULL);
}

static const char *const service_keys[] = {"style", "languages", "title",
    "provider", "description", "catalogs", "standards", "revisions",
    "unsafe_html", "required_controls", "archive", "labels", "xref_scope",
    "coverage", "pdf", "copyright", "short_title", NULL};

/* A required key, and what a line of it looks like. */
static void
require_key(loader *ld, const wp_value *root, const char *key,
    const char *example)
{
	if (wp_map_get(root, key) == NULL)
		bad(ld, root, "missing-key", "service.yaml needs '%s': add a "
		    "line such as '%s'", key, example);
}

static void
load_fields(loader *ld, const wp_value *root)
{
	wp_service *s = ld->s;
	const wp_value *v;

	check_unknown_keys(ld, root, service_keys, "");
	require_key(ld, root, "style", "style: fjcloud");
	require_key(ld, root, "languages", "languages: [ja, en]");
	require_key(ld, root, "title", "title: {ja: ..., en: ...}");
	require_key(ld, root, "revisions", "revisions: [{version: \"1.0\", "
	    "date: 2026-01-31, changes: [First edition]}]");
	if ((v = wp_map_get(root, "languages")) != NULL)
		load_languages(ld, v);
	if ((v = wp_map_get(root, "style")) != NULL) {
		s->style_node = v;
		s->style = require_string(ld, v, "style");
	}
	if ((v = wp_map_get(root, "title")) && check_localized(ld, v,
	    "title", 0))
		s->title = v;
	if ((v = wp_map_get(root, "provider")) && check_localized(ld, v,
	    "provider", 0))
		s->provider = v;
	if ((v = wp_map_get(root, "description")) && check_localized(ld, v,
	    "description", 0))
		s->description = v;
	if ((v = wp_map_get(root, "short_title")) && check_localized(ld, v,
	    "short_title", 0))
		s->short_title = v;
	if ((v = wp_map_get(root, "catalogs")) != NULL)
		s->catalogs = string_list(ld, v, "catalogs", NULL);
	if ((v = wp_map_get(root, "standards")) != NULL)
		load_standards(ld, v);
	if ((v = wp_map_get(root, "unsafe_html")) != NULL) {
		if (v->kind != WP_BOOL)
			bad(ld, v, "invalid-value", "unsafe_html must be true "
			    "or false%s%s", "", NULL);
		else
			s->unsafe_html = v->u.boolean;
	}
	if ((v = wp_map_get(root, "pdf")) != NULL) {
		if (v->kind != WP_BOOL)
			bad(ld, v, "invalid-value", "pdf must be true or "
			    "false%s%s", "", NULL);
		else
			s->pdf = v->u.boolean;
	}
	if ((v = wp_map_get(root, "copyright")) && check_localized(ld, v,
	    "copyright", 0))
		s->copyright = v;
	if ((v = wp_map_get(root, "archive")) != NULL) {
		if (v->kind != WP_BOOL)
			bad(ld, v, "invalid-value", "archive must be true "
			    "or false%s%s", "", NULL);
		else
			s->archive = v->u.boolean;
	}
	if ((v = wp_map_get(root, "required_controls")) != NULL) {
		const char **pats = string_list(ld, v, "required_controls",
		    NULL);
		if (pats)
			s->required_controls = v;
		free(pats);
	}
	if ((v = wp_map_get(root, "revisions")) != NULL)
		load_revisions(ld, v);
	if ((v = wp_map_get(root, "labels")) != NULL)
		load_labels(ld, v);
	if ((v = wp_map_get(root, "xref_scope")) != NULL)
		load_scope(ld, v);
	s->coverage = 1;
	if ((v = wp_map_get(root, "coverage")) != NULL) {
		if (v->kind != WP_BOOL)
			bad(ld, v, "invalid-value", "coverage must be true "
			    "or false%s%s", "", NULL);
		else
			s->coverage = v->u.boolean;
	}
}

/*
 * A service's directory becomes out/<id>/, beside the site's own outputs:
 * an id that names one of them (index.html, index.ja.html, coverage.html,
 * the assets directory) would collide with it.  Reported at the
 * directory; returns 0 then.
 */
int
wp_service_id_reserved(const char *id)
{
	size_t len = strlen(id);

	return strcmp(id, "assets") == 0 ||
	    (len >= 5 && strcmp(id + len - 5, ".html") == 0);
}

static int
check_service_id(const wp_service *s, wp_diags *d)
{
	if (!wp_service_id_reserved(s->id))
		return 1;
	wp_diag_add(d, WP_ERROR, s->dir, 0, 0, "invalid-value", "the "
	    "service directory '%s' would be out/%s beside the site's own "
	    "outputs (assets/ and pages ending in .html, such as "
	    "index.en.html): rename the directory", s->id, s->id);
	return 0;
}

/* The service of s->yaml; *ok is 0 when it had errors. */
static wp_service *
service_from_yaml(wp_service *s, wp_diags *d, int *ok)
{
	loader ld = {s, d};
	int errors = d->errors;

	*ok = 0;
	check_service_id(s, d);
	if (s->yaml == NULL) {
		wp_service_free(s);
		return NULL;
	}
	if (s->yaml->kind != WP_MAP) {
		bad(&ld, s->yaml, "invalid-value", "service.yaml must be a map "
		    "of keys (style, languages, title, revisions...)%s%s", "",
		    NULL);
		wp_service_free(s);
		return NULL;
	}
	load_fields(&ld, s->yaml);
	*ok = d->errors == errors;
	return s;
}

static wp_service *
service_new(const char *content_dir, const char *id)
{
	wp_service *s = xcalloc(1, sizeof *s);

	s->id = xstrdup(id);
	s->dir = wp_path_join(content_dir, id);
	s->yaml_path = wp_path_join(s->dir, "service.yaml");
	return s;
}

wp_service *
wp_service_load(const char *content_dir, const char *id, wp_diags *d)
{
	int ok;
	wp_service *s = wp_service_read(content_dir, id, d, &ok);

	if (s && !ok) {
		wp_service_free(s);
		s = NULL;
	}
	return s;
}

wp_service *
wp_service_read_text(const char *content_dir, const char *id, wp_diags *d,
    int *ok, char **text, size_t *len)
{
	wp_service *s = service_new(content_dir, id);

	s->yaml = wp_yaml_load_file_text(s->yaml_path, d, text, len);
	return service_from_yaml(s, d, ok);
}

wp_service *
wp_service_read(const char *content_dir, const char *id, wp_diags *d,
    int *ok)
{
	char *text;
	size_t len;
	wp_service *s = wp_service_read_text(content_dir, id, d, ok, &text,
	    &len);

	free(text);
	return s;
}

wp_service *
wp_service_parse(const char *content_dir, const char *id,
    const char *yaml_name, const char *text, size_t len, wp_diags *d)
{
	wp_service *s = service_new(content_dir, id);

	free(s->yaml_path);
	s->yaml_path = xstrdup(yaml_name);
	int ok;

	s->yaml = wp_yaml_load(yaml_name, text, len, d);
	s = service_from_yaml(s, d, &ok);
	if (s && !ok) {
		wp_service_free(s);
		s = NULL;
	}
	return s;
}
