/*
 * labels.c: labels with overrides, labels as templates over data, dates
 * and version numbers per language (labels.h).
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "labels.h"
#include "mustache.h"
#include "util.h"

static void
merge_map(wp_value *into, const wp_value *from)
{
	size_t i;

	if (from == NULL || from->kind != WP_MAP)
		return;
	for (i = 0; i < from->u.map.len; i++)
		wp_map_set(into, from->u.map.items[i].key,
		    wp_value_copy(from->u.map.items[i].value));
}

wp_value *
wp_labels_with(const wp_value *labels, const wp_value *overrides,
    const char *lang)
{
	wp_value *m = labels->kind == WP_MAP ? wp_map_new_borrowing(labels) :
	    wp_value_copy(labels);
	const char *dash = strrchr(lang, '-');
	char *parent;

	if (overrides == NULL || overrides->kind != WP_MAP)
		return m;
	if (dash) {
		parent = xstrndup(lang, (size_t)(dash - lang));
		merge_map(m, wp_map_get(overrides, parent));
		free(parent);
	}
	merge_map(m, wp_map_get(overrides, lang));
	return m;
}

/*
 * Patterns (date_pattern, version_pattern...) compiled as templates, by
 * name and text: every date and version of every edition is formatted
 * with the few patterns of its language, each compiled once a process.
 * Only what compiled without a word is kept (a pattern with a problem is
 * compiled, and its problem said, each time).  Other labels are rendered
 * once an edition: compiled once a process too, under their name, when
 * they compile and render without a word; else compiled again under a
 * name that says where they come from, which their problems then name.
 */
typedef struct compiled {
	char *key;                /* name, NUL, text */
	size_t keylen;
	wp_template *tpl;
	struct compiled *next;
} compiled;

#define NCOMPILED 256
static compiled *compiled_labels[NCOMPILED];

void
wp_labels_forget(void)
{
	compiled *c, *next;
	size_t i;

	for (i = 0; i < NCOMPILED; i++) {
		for (c = compiled_labels[i]; c; c = next) {
			next = c->next;
			wp_template_free(c->tpl);
			free(c->key);
			free(c);
		}
		compiled_labels[i] = NULL;
	}
}

/* The compiled label; *own is set (for the caller to free) when it is
 * not kept. */
static const wp_template *
compile_label(const char *name, const char *text, wp_diags *d,
    wp_template **own)
{
	size_t nlen = strlen(name), tlen = strlen(text), len = nlen + 1 + tlen;
	char *key = xmalloc(len + 1);
	size_t slot, before = d ? d->len : 0;
	compiled *c;
	wp_template *tpl;

	*own = NULL;
	memcpy(key, name, nlen + 1);
	memcpy(key + nlen + 1, text, tlen + 1);
	slot = wp_hash(key, len) % NCOMPILED;
	for (c = compiled_labels[slot]; c; c = c->next) {
		if (c->keylen == len && memcmp(c->key, key, len) == 0) {
			free(key);
			return c->tpl;
		}
	}
	tpl = wp_template_compile(NULL, name, text, tlen, d);
	if (tpl == NULL || (d && d->len != before)) {
		free(key);
		*own = tpl;
		return tpl;
	}
	c = xmalloc(sizeof *c);
	c->key = key;
	c->keylen = len;
	c->tpl = tpl;
	c->next = compiled_labels[slot];
	compiled_labels[slot] = c;
	return tpl;
}

/* Renders text as a template over data into out; -1 when it does not
 * compile or render (diagnostics in d).  keep: a pattern (the compiled
 * template is kept). */
static int
render_text(const char *name, const char *text, const wp_value *data,
    wp_buf *out, wp_diags *d, int keep)
{
	wp_template *own = NULL;
	const wp_template *tpl = keep ? compile_label(name, text, d, &own) :
	    (own = wp_template_compile(NULL, name, text, strlen(text), d));
	int rc;

	if (tpl == NULL)
		return -1;
	rc = wp_template_render_text(NULL, tpl, data, out, d);
	wp_template_free(own);
	return rc;
}

/* Labels named *_pattern are rendered for each value they format
 * (version_pattern, date_pattern), not over the page's data. */
static int
is_pattern(const char *key)
{
	size_t n = strlen(key);

	return n >= 8 && strcmp(key + n - 8, "_pattern") == 0;
}

/* Renders label key's text over data into out (cleared) with the
 * template kept for it; -1, and nothing said, when it has a problem
 * compiling or rendering (the caller renders it again, to say it). */
static int
render_kept(const char *key, const char *text, const wp_value *data,
    wp_buf *out)
{
	wp_diags quiet;
	int rc;

	wp_diags_init(&quiet);
	wp_buf_clear(out);
	rc = render_text(key, text, data, out, &quiet, 1);
	if (quiet.len > 0)
		rc = -1;
	wp_diags_free(&quiet);
	return rc;
}

/* Entry e of an edition's labels holds text now. */
static void
replace_label(wp_map_entry *e, const wp_buf *text)
{
	if (!e->borrowed)
		wp_value_free(e->value);
	e->borrowed = 0;
	e->value = wp_value_new_stringn(text->data ? text->data : "",
	    text->len);
}

void
wp_labels_render(wp_value *labels, const wp_value *data, const char *where,
    wp_diags *d)
{
	wp_map_entry *e;
	wp_buf out = WP_BUF_INIT;
	wp_diags scratch;
	char *name;
	size_t i;

	if (labels == NULL || labels->kind != WP_MAP)
		return;
	wp_diags_init(&scratch);
	for (i = 0; i < labels->u.map.len; i++) {
		e = &labels->u.map.items[i];
		if (e->value->kind != WP_STRING ||
		    strstr(e->value->u.str.text, "{{") == NULL ||
		    is_pattern(e->key))
			continue;
		if (render_kept(e->key, e->value->u.str.text, data, &out) ==
		    0) {
			replace_label(e, &out);
			continue;
		}
		name = xasprintf("%s: label %s", where, e->key);
		wp_buf_clear(&out);
		if (render_text(name, e->value->u.str.text, data, &out,
		    d ? d : &scratch, 0) == 0) {
			replace_label(e, &out);
		}
		free(name);
	}
	wp_buf_free(&out);
	wp_diags_free(&scratch);
}

const char *const wp_label_keys[] = {
	/* lists, dates and versions (here) */
	"list_separator", "list_and", "date_pattern", "version_pattern",
	"version_label_pattern",
	/* pages (page.c) */
	"language_name", "site_title", "coverage_title", "xref_title",
	"footnote_back", "index_translated_pattern",
	/* redlines (redline.c) */
	"redline_title", "redline_title_pattern", "redline_legend_ins",
	"redline_legend_del", "redline_was_pattern", "redline_count_pattern",
	"diff_unchanged", "diff_changed", "diff_added", "diff_removed",
	"diff_moved", "diff_renumbered",
	/* the revision note and the text of a diff (diff.c) */
	"diff_changed_note_pattern", "diff_added_note_pattern",
	"diff_removed_note_pattern", "diff_moved_note_pattern",
	"diff_renumbered_note_pattern", "diff_renumbered_item_pattern",
	"diff_note_separator", "diff_range_pattern", "diff_title_pattern",
	"diff_counts_pattern", "diff_controls_changed",
	NULL
};

int
wp_label_is_code_key(const char *key)
{
	size_t i;

	for (i = 0; wp_label_keys[i]; i++)
		if (strcmp(wp_label_keys[i], key) == 0)
			return 1;
	return 0;
}

const char *
wp_label(const wp_value *labels, const char *key)
{
	const char *s;

	assert(wp_label_is_code_key(key));
	s = labels ? wp_value_text(wp_map_get(labels, key)) : NULL;
	return s ? s : "";
}

wp_value *
wp_labels_data(const wp_value *labels, const char *const *names,
    const char *const *titles, const char *const *versions, size_t n)
{
	wp_value *data = wp_value_new_map(), *list, *m;
	wp_buf joined = WP_BUF_INIT;
	size_t i;

	list = wp_map_set_list(data, "catalogs");
	for (i = 0; i < n; i++) {
		m = wp_list_push(list, wp_value_new_map());
		wp_map_set_str(m, "name", names[i]);
		wp_map_set_str(m, "title", titles ? titles[i] : NULL);
		wp_map_set_str(m, "version", versions ? versions[i] : NULL);
		wp_map_set_bool(m, "first", i == 0);
		wp_map_set_bool(m, "last", i + 1 == n);
		if (i == 0)
			wp_map_set(data, "catalog", wp_value_copy(m));
		if (i > 0)
			wp_buf_puts(&joined, wp_label(labels, i + 1 == n ?
			    "list_and" : "list_separator"));
		wp_buf_puts(&joined, names[i]);
	}
	wp_map_set_str(data, "catalog_list", wp_buf_cstr(&joined));
	wp_map_set_bool(data, "has_catalogs", n > 0);
	wp_buf_free(&joined);
	return data;
}

char *
wp_labels_format(const wp_value *labels, const char *key,
    const wp_value *data, const char *fallback)
{
	const wp_value *v = labels ? wp_map_get(labels, key) : NULL;
	const char *pattern = v ? wp_value_text(v) : NULL;
	wp_buf out = WP_BUF_INIT;
	wp_diags scratch;
	int rc;

	assert(wp_label_is_code_key(key));
	if (pattern == NULL)
		return xstrdup(fallback ? fallback : "");
	wp_diags_init(&scratch);
	rc = render_text(key, pattern, data, &out, &scratch, 1);
	wp_diags_free(&scratch);
	if (rc != 0) {
		wp_buf_free(&out);
		return xstrdup(fallback ? fallback : "");
	}
	return wp_buf_detach(&out);
}

/* The n-th (1-based) space-separated word of s, malloc'd, or NULL. */
static char *
nth_word(const char *s, int n)
{
	const char *p = s, *end;

	while (p && *p) {
		while (*p == ' ')
			p++;
		end = strchr(p, ' ');
		if (end == NULL)
			end = p + strlen(p);
		if (end > p && --n == 0)
			return xstrndup(p, (size_t)(end - p));
		p = end;
	}
	return NULL;
}

char *
wp_labels_date(const wp_value *labels, const char *iso)
{
	wp_value *data;
	char *s, *month;
	int y, m, dd;
	char buf[8];

	if (iso == NULL)
		return xstrdup("");
	if (strlen(iso) != 10 || sscanf(iso, "%4d-%2d-%2d", &y, &m, &dd) != 3 ||
	    m < 1 || m > 12 || dd < 1 || dd > 31)
		return xstrdup(iso);
	data = wp_value_new_map();
	wp_map_set_int(data, "year", y);
	wp_map_set_int(data, "month", m);
	wp_map_set_int(data, "day", dd);
	snprintf(buf, sizeof buf, "%02d", m);
	wp_map_set_str(data, "month2", buf);
	snprintf(buf, sizeof buf, "%02d", dd);
	wp_map_set_str(data, "day2", buf);
	month = nth_word(wp_value_text(wp_map_get(labels, "month_names")), m);
	wp_map_set_str(data, "month_name", month);
	free(month);
	s = wp_labels_format(labels, "date_pattern", data, iso);
	wp_value_free(data);
	return s;
}

char *
wp_labels_version(const wp_value *labels, const char *version)
{
	wp_value *data = wp_value_new_map();
	char *s;

	wp_map_set_str(data, "version", version);
	s = wp_labels_format(labels, "version_pattern", data, version);
	wp_value_free(data);
	return s;
}

char *
wp_labels_version_display(const wp_value *labels, const char *version,
    const char *label)
{
	char *vt = wp_labels_version(labels, version), *s;
	wp_value *data;

	if (label == NULL || *label == '\0')
		return vt;
	data = wp_value_new_map();
	wp_map_set_str(data, "version", version);
	wp_map_set_str(data, "version_text", vt);
	wp_map_set_str(data, "label", label);
	s = wp_labels_format(labels, "version_label_pattern", data, vt);
	wp_value_free(data);
	free(vt);
	return s;
}
