/*
 * page.c: Mustache contexts for the site's pages, and their rendering
 * (page.h).  Every name a template may use is set here; keep
 * docs/templates.md in step.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "buf.h"
#include "commands.h"
#include "history.h"
#include "html.h"
#include "labels.h"
#include "mustache.h"
#include "page.h"
#include "summary.h"
#include "phrase.h"
#include "util.h"

/* The language a page falls back to for missing strings. */
static const char *
source_lang(const wp_edition *ed)
{
	return ed->service->langs[0];
}

static const char *
lstr(const wp_edition *ed, const wp_value *v)
{
	return wp_localized_text(v, ed->lang, source_lang(ed), NULL);
}


/* ---- labels ---- */

/* The first mapping between two catalogs of x, as label data (source,
 * target: display names), or NULL. */
static wp_value *
mapping_data(const wp_xref *x, const wp_value *standards, const char *lang)
{
	const wp_catalog *cat;
	const wp_map_target *t;
	wp_value *m;
	size_t k, j, c, n;

	for (k = 0; k < x->ncatalogs; k++) {
		cat = x->catalogs[k].catalog;
		for (c = 0; c < cat->ncontrols; c++) {
			t = wp_catalogs_maps_to(x->set, cat, c, &n);
			for (j = 0; j < x->ncatalogs && n; j++) {
				if (x->catalogs[j].catalog != t->catalog)
					continue;
				m = wp_value_new_map();
				wp_map_set_str(m, "source", wp_catalog_name(cat,
				    standards, lang));
				wp_map_set_str(m, "target", wp_catalog_name(
				    t->catalog, standards, lang));
				return m;
			}
		}
	}
	return NULL;
}

/* Label data for the catalogs cats[n] (see labels.h). */
static wp_value *
catalogs_data(const wp_value *labels, const wp_catalog *const *cats,
    size_t n, const wp_value *standards, const char *lang)
{
	const char **names = xcalloc(n + 1, sizeof *names);
	const char **titles = xcalloc(n + 1, sizeof *titles);
	const char **versions = xcalloc(n + 1, sizeof *versions);
	wp_value *data;
	size_t i;

	for (i = 0; i < n; i++) {
		names[i] = wp_catalog_name(cats[i], standards, lang);
		titles[i] = wp_catalog_title(cats[i], lang);
		versions[i] = cats[i]->version;
	}
	data = wp_labels_data(labels, names, titles, versions, n);
	free(names);
	free(titles);
	free(versions);
	return data;
}

/* The letter of the generated appendix: the one after the author's own
 * appendices (headings "Appendix A ...", "付録A ..."), else A. */
static char
appendix_letter(const wp_document *doc)
{
	static const char *const words[] = {"Appendix", "付録", NULL};
	const char *t;
	char letter = 'A';
	size_t i, j, n;

	for (i = 0; i < doc->nsections; i++) {
		t = doc->sections[i].title;
		for (j = 0; t && words[j]; j++) {
			n = strlen(words[j]);
			if (strncmp(t, words[j], n) != 0)
				continue;
			while (t[n] == ' ')
				n++;
			if (t[n] >= 'A' && t[n] < 'Z' && (t[n + 1] == '\0' ||
			    !((t[n + 1] >= 'A' && t[n + 1] <= 'Z') ||
			    (t[n + 1] >= 'a' && t[n + 1] <= 'z'))) &&
			    t[n] + 1 > letter)
				letter = (char)(t[n] + 1);
		}
	}
	return letter;
}

/* The labels of an edition: the style's for its language, service.yaml's
 * `labels:` over them, each rendered over the edition's label data.
 * Owned by the caller. */
static wp_value *
edition_labels(wp_site *site, const wp_edition *ed, wp_diags *d)
{
	const wp_service *s = ed->service;
	const wp_xref *x = ed->xref;
	wp_value *labels = wp_labels_with(wp_site_labels(site, ed->style,
	    ed->lang, d), s->labels, ed->lang);
	const wp_catalog **cats = xcalloc(x->ncatalogs + 1, sizeof *cats);
	wp_value *data, *svc, *map;
	char letter[2] = "A";
	size_t k;

	for (k = 0; k < x->ncatalogs; k++)
		cats[k] = x->catalogs[k].catalog;
	data = catalogs_data(labels, cats, x->ncatalogs, s->standards,
	    ed->lang);
	free(cats);
	if ((map = mapping_data(x, s->standards, ed->lang)) != NULL)
		wp_map_set(data, "mapping", map);
	letter[0] = appendix_letter(ed->doc);
	wp_map_set_str(data, "appendix_letter", letter);
	wp_map_set_bool(data, "addressed_only", ed->style &&
	    wp_service_xref_scope(s, ed->style) == WP_SCOPE_ADDRESSED);
	svc = wp_map_set_map(data, "service");
	wp_map_set_str(svc, "title", lstr(ed, s->title));
	wp_map_set_str(svc, "provider", lstr(ed, s->provider));
	wp_labels_render(labels, data, s->yaml_path, d);
	wp_value_free(data);
	return labels;
}

/* The link to an edition's page, SERVICE/LANG/index.html#ANCHOR, with
 * the names URL-encoded (a service named "javascript:x" is a path, not a
 * scheme; anchors are slugs, numbers and labels, and follow '#'); service
 * ".." for a sibling language. */
static wp_value *
edition_href(const char *service, const char *lang, const char *anchor)
{
	char *svc = strcmp(service, "..") == 0 ? xstrdup("..") :
	    wp_url_segment(service);
	char *l = wp_url_segment(lang);
	wp_value *v = wp_value_new_string_owned(xasprintf("%s/%s/index.html"
	    "%s%s", svc, l, anchor ? "#" : "", anchor ? anchor : ""));

	free(svc);
	free(l);
	return v;
}

/* key: the phrases of text (phrase.h), each `text` and `last`, for the
 * templates to join with <wbr> (a title in Japanese breaks between its
 * phrases, never inside a word). */
static void
set_phrases(wp_value *m, const char *key, const char *text)
{
	wp_map_set(m, key, wp_phrase_list_in(m->arena, text ? text : "",
	    text ? strlen(text) : 0));
}

/* Whether the contents lists section s: its level is at most the
 * style's toc_depth, or the style lists chapters and controls
 * (toc_controls) and s is a control section (a marker heading, or a
 * heading whose marker paragraphs say it addresses controls), at
 * whatever level it is written. */
static int
in_toc(const wp_edition *ed, const wp_section *s)
{
	int depth = ed->style ? ed->style->toc_depth : 2;

	if (s->level <= depth)
		return 1;
	return wp_style_toc_controls(ed->style) &&
	    (s->control_heading || s->ncontrols > 0);
}

/* ---- headings ---- */

/* The fields of a heading's context that every section has: values of
 * the page's arena, pointed at section i's texts for its templates
 * (heading_context). */
typedef struct heading_fields {
	wp_value *level, *tag, *number, *title, *anchor, *key;
	wp_value *control_heading, *title_fallback, *label, *label_href;
	wp_value *has_controls, *from_lang, *stale, *in_toc;
	char level_text[24];
} heading_fields;

typedef struct heading_ctx {
	wp_site *site;
	wp_edition *ed;
	const wp_template *tpl;     /* <style>/heading */
	const wp_value *labels;
	wp_diags *d;
	wp_arena *arena;     /* the page's (wp_page_render_variant) */
	wp_arena *scratch;   /* the section's: its controls, made again for
	                        each */
	const wp_value **phrases;   /* the page's, of each section's title
	                               (section_phrases) */
	wp_value *ctx;       /* the context of section at, in arena: labels,
	                        lang, print and the fields */
	heading_fields f;
	long at;             /* the section ctx holds, or -1 */
	const wp_template *open, *notice, *close;   /* <style>/section_* */
	int print;           /* the print variant (page.h) */
} heading_ctx;

/* The phrases of text (NULL: none), from the site's memo, for an
 * edition page's context: the texts that editions share (a control
 * section's title is the same in every edition of its catalog; a
 * catalog's heading in the appendix) are made once a process, not once
 * a page (wp_page_render_variant trims the memo between pages). */
static const wp_value *
memo_phrases(wp_site *site, const char *text)
{
	if (site->phrases == NULL)
		site->phrases = wp_phrase_memo_new();
	return wp_phrase_memo_get(site->phrases, text ? text : "",
	    text ? strlen(text) : 0);
}

/* The phrases of section i's title: the contents and the heading show
 * the same, taken from the memo once a page into the page's list of them
 * (phrases: one for each section, NULL until made). */
static const wp_value *
section_phrases(wp_site *site, const wp_edition *ed,
    const wp_value **phrases, size_t i)
{
	if (phrases[i] == NULL)
		phrases[i] = memo_phrases(site, ed->doc->sections[i].title);
	return phrases[i];
}

/* The id of a control's row in the appendix: wp-row-CATALOG-CONTROL
 * (ids made here start with "wp-"); with a leading '#' for a link when
 * hash. */
static const char *const *
row_anchor_parts(const char *parts[5], const wp_catalog *cat,
    const wp_control *c, int hash)
{
	parts[0] = hash ? "#wp-row-" : "wp-row-";
	parts[1] = cat->id;
	parts[2] = "-";
	parts[3] = c->id;
	parts[4] = NULL;
	return parts;
}

/* parts[0] parts[1] ... (ending with NULL) joined, in arena a. */
static const char *
join_in(wp_arena *a, const char *const *parts)
{
	size_t i, n = 0, len;
	char *text, *p;

	for (i = 0; parts[i]; i++)
		n += strlen(parts[i]);
	p = text = wp_arena_alloc(a, n + 1);
	for (i = 0; parts[i]; i++) {
		len = strlen(parts[i]);
		memcpy(p, parts[i], len);
		p += len;
	}
	*p = '\0';
	return text;
}

/* Sets key to that id. */
static void
set_row_anchor(wp_value *m, const char *key, const wp_catalog *cat,
    const wp_control *c, int hash)
{
	const char *parts[5];

	wp_map_set_join(m, key, row_anchor_parts(parts, cat, c, hash));
}

static void
add_control_refs(wp_value *list, const wp_edition *ed, const wp_section *s,
    size_t from)
{
	const char *lang = ed->lang;
	const wp_catalog *primary = ed->xref->ncatalogs ?
	    ed->xref->catalogs[0].catalog : NULL;
	size_t j;
	const wp_control_ref *r;
	const wp_control *c;
	wp_value *m;
	char *name;
	const char *fb, *marker[6] = {"<", NULL, " ", NULL, ">", NULL};

	for (j = from; j < s->ncontrols; j++) {
		r = &s->controls[j];
		c = &r->catalog->controls[r->control];
		name = wp_catalog_marker_standard(r->catalog,
		    ed->service->standards, lang);
		m = wp_list_push_map(list);
		wp_map_set_str(m, "catalog", r->catalog->id);
		wp_map_set_str(m, "catalog_name", wp_catalog_name(r->catalog,
		    ed->service->standards, lang));
		wp_map_set_bool(m, "primary", r->catalog == primary);
		wp_map_set_str(m, "standard", name);
		wp_map_set_str(m, "label", c->label);
		wp_map_set_str(m, "title", wp_control_title(r->catalog, c,
		    lang, &fb));
		marker[1] = name;
		marker[3] = c->label;
		wp_map_set_join(m, "marker", marker);
		set_row_anchor(m, "xref_href", r->catalog, c, 1);
		free(name);
	}
}

/* The context of the headings of a page, made once: the labels, the
 * language, the variant and a value for each field of a section, which
 * heading_context points at each section's texts in turn. */
static void
heading_ctx_begin(heading_ctx *h)
{
	heading_fields *f = &h->f;
	wp_value *m = wp_value_new_map_in(h->arena);

	wp_map_set_ref(m, "labels", h->labels);
	wp_map_set_str(m, "lang", h->ed->lang);
	wp_map_set_bool(m, "print", h->print);
	/* (made null, each made what it is by heading_context) */
	f->level = wp_map_set_str(m, "level", NULL);
	f->tag = wp_map_set_str(m, "tag", NULL);
	f->number = wp_map_set_str(m, "number", NULL);
	f->title = wp_map_set_str(m, "title", NULL);
	wp_map_set_ref(m, "title_phrases", NULL);
	f->anchor = wp_map_set_str(m, "anchor", NULL);
	f->key = wp_map_set_str(m, "key", NULL);
	f->control_heading = wp_map_set_str(m, "control_heading", NULL);
	f->title_fallback = wp_map_set_str(m, "title_fallback", NULL);
	f->label = wp_map_set_str(m, "label", NULL);
	f->label_href = wp_map_set_str(m, "label_href", NULL);
	wp_map_set_ref(m, "controls", NULL);
	f->has_controls = wp_map_set_str(m, "has_controls", NULL);
	f->from_lang = wp_map_set_str(m, "from_lang", NULL);
	f->stale = wp_map_set_str(m, "stale", NULL);
	f->in_toc = wp_map_set_str(m, "in_toc", NULL);
	h->ctx = m;
}

/* The context of heading i: the page's heading context, its fields
 * pointed at the section's texts (borrowed: the document outlives the
 * page), its controls made in an arena reset for each section (the
 * page's memory does not grow with every heading; the title's phrases
 * kept for the contents). */
static wp_value *
heading_context(heading_ctx *h, size_t i)
{
	static const char *const tags[] = {"h1", "h2", "h3", "h4", "h5",
	    "h6"};
	const wp_section *s = &h->ed->doc->sections[i];
	heading_fields *f = &h->f;
	wp_value *controls;
	size_t k, n;
	int level = s->level + 1 > 6 ? 6 : s->level + 1;
	const char *parts[5];
	const wp_control_ref *first = s->ncontrols ? &s->controls[0] : NULL;

	if (h->at == (long)i)
		return h->ctx;
	h->at = (long)i;
	wp_arena_reset(h->scratch);
	if (h->ctx == NULL)
		heading_ctx_begin(h);
	wp_format_ll(f->level_text, s->level);
	wp_value_point_text(f->level, WP_NUMBER, f->level_text);
	wp_value_point_text(f->tag, WP_STRING, tags[level < 1 ? 0 :
	    level - 1]);
	wp_value_point_text(f->number, WP_STRING, s->number);
	wp_value_point_text(f->title, WP_STRING, s->title);
	wp_map_set_ref(h->ctx, "title_phrases", section_phrases(h->site,
	    h->ed, h->phrases, i));
	wp_value_point_text(f->anchor, WP_STRING, s->anchor);
	wp_value_point_text(f->key, WP_STRING, s->key);
	wp_value_point_bool(f->control_heading, s->control_heading);
	wp_value_point_bool(f->title_fallback, s->title_fallback);
	wp_value_point_text(f->label, WP_STRING, s->control_heading ?
	    s->key : NULL);
	wp_value_point_text(f->label_href, WP_STRING, s->control_heading &&
	    first ? join_in(h->scratch, row_anchor_parts(parts,
	    first->catalog, &first->catalog->controls[first->control],
	    1)) : NULL);
	controls = wp_value_new_list_in(h->scratch);
	add_control_refs(controls, h->ed, s, s->control_heading ? 1 : 0);
	n = wp_value_len(controls);
	for (k = 0; k < n; k++)   /* `last`, like the other lists */
		wp_map_set_bool(controls->u.list.items[k], "last", k + 1 == n);
	wp_map_set_ref(h->ctx, "controls", controls);
	wp_value_point_bool(f->has_controls, n > 0);
	wp_value_point_text(f->from_lang, WP_STRING, s->from_lang);
	wp_value_point_bool(f->stale, s->stale);
	wp_value_point_bool(f->in_toc, in_toc(h->ed, s));
	return h->ctx;
}

/* Renders one of the section templates (heading, open, notice, close)
 * with section i's context. */
static int
render_section(heading_ctx *h, const wp_template *tpl, size_t i, wp_buf *out)
{
	if (tpl == NULL)
		return -1;
	return wp_template_render(wp_site_templates(h->site), tpl,
	    heading_context(h, i), out, h->d);
}

static int
render_heading(void *data, const wp_document *doc, size_t i, wp_buf *out)
{
	heading_ctx *h = data;
	int rc = render_section(h, h->tpl, i, out);

	(void)doc;
	if (render_section(h, h->notice, i, out) != 0)
		rc = -1;
	return rc;
}

static void
open_section(void *data, const wp_document *doc, size_t i, wp_buf *out)
{
	heading_ctx *h = data;

	(void)doc;
	render_section(h, h->open, i, out);
}

static void
close_section(void *data, const wp_document *doc, size_t i, wp_buf *out)
{
	heading_ctx *h = data;

	(void)doc;
	render_section(h, h->close, i, out);
}

/* ---- the edition page ---- */

/* A text of service.yaml in ed's language ("" when absent); *lang is
 * the source language where ed's lacks the text and the source's is
 * shown, else NULL. */
static const char *
service_text(const wp_edition *ed, const wp_value *v, const char **lang)
{
	int missing = 0;
	const char *t = wp_localized_text(v, ed->lang, source_lang(ed),
	    &missing);

	*lang = missing ? source_lang(ed) : NULL;
	return t;
}

/* service_text() as key in svc, and its language as key_lang where it
 * is the source's (for the templates' lang attribute). */
static void
set_service_text(wp_value *svc, const wp_edition *ed, const char *key,
    const wp_value *v)
{
	const char *lang;
	char name[32];

	wp_map_set_str(svc, key, service_text(ed, v, &lang));
	if (lang) {
		snprintf(name, sizeof name, "%s_lang", key);
		wp_map_set_str(svc, name, lang);
	}
}

/* The printed line of the cover title, of a chapter's heading and of a
 * catalog's heading in the appendix, in half-width characters: 24pt,
 * 15pt and 12pt type across the 174 mm of an A4 page between its
 * margins (title_halves). */
enum { COVER_LINE = 40, HEADING_LINE = 64, CATALOG_LINE = 80 };

/* key: text as base/title-lines wants it, title_phrases (phrases, the
 * phrases of text, borrowed; NULL: made here) and title_halves (for a
 * printed line of line half-width characters). */
static void
set_title_lines(wp_value *m, const char *key, const char *text,
    const wp_value *phrases, size_t line)
{
	wp_value *t = wp_map_set_map(m, key);

	if (phrases)
		wp_map_set_ref(t, "title_phrases", phrases);
	else
		set_phrases(t, "title_phrases", text);
	wp_map_set(t, "title_halves", wp_phrase_halves(text ? text : "",
	    text ? strlen(text) : 0, line));
}

/* The service's names; the title also in phrases (title_phrases) and,
 * for the printed cover, in two balanced lines (title_halves). */
static void
set_service(wp_value *ctx, const wp_edition *ed)
{
	wp_value *svc = wp_map_set_map(ctx, "service");
	const wp_service *s = ed->service;
	const char *title;

	wp_map_set_str(svc, "id", s->id);
	wp_map_set_str(svc, "style", s->style);
	set_service_text(svc, ed, "title", s->title);
	set_service_text(svc, ed, "provider", s->provider);
	set_service_text(svc, ed, "description", s->description);
	if (s->copyright)
		set_service_text(svc, ed, "copyright", s->copyright);
	wp_map_set_str(ctx, "title", lstr(ed, s->title));
	set_phrases(ctx, "title_phrases", lstr(ed, s->title));
	title = lstr(ed, s->title);
	wp_map_set(ctx, "title_halves", wp_phrase_halves(title ? title : "",
	    title ? strlen(title) : 0, COVER_LINE));
}

/*
 * The version and date of revision r as lang shows them: version (1.0),
 * version_text (the label version_pattern: Version 1.0, 第1.0版), label
 * (the revision's label in lang, else version_text), has_label, display
 * (version_text with the label beside it: version_label_pattern), date (ISO,
 * for datetime attributes) and date_text (date_pattern).
 */
static void
set_version_date(wp_value *m, const wp_value *labels, const wp_revision *r,
    const char *lang)
{
	const wp_value *given = wp_localized(r->label, lang, NULL, NULL);
	const char *label_text = wp_value_text(given);
	char *vt = wp_labels_version(labels, r->version);

	wp_map_set_str(m, "version", r->version);
	wp_map_set_str(m, "version_text", vt);
	wp_map_set_bool(m, "has_label", label_text && *label_text);
	wp_map_set_str(m, "label", label_text && *label_text ? label_text :
	    vt);
	wp_map_set(m, "display", wp_value_new_string_owned(
	    wp_labels_version_display(labels, r->version, label_text)));
	free(vt);
	wp_map_set_str(m, "date", r->date);
	wp_map_set(m, "date_text", wp_value_new_string_owned(
	    wp_labels_date(labels, r->date)));
}

static void
set_revision(wp_value *m, const wp_edition *ed, const wp_value *labels,
    const wp_revision *r, int current)
{
	int missing = 0;
	const wp_value *changes = wp_localized(r->changes, ed->lang,
	    source_lang(ed), &missing);
	wp_value *list = wp_map_set_list(m, "changes");
	size_t i;

	/* Changes not written in this language are shown in the source
	 * language, marked as such (changes_lang). */
	if (missing && changes)
		wp_map_set_str(m, "changes_lang", source_lang(ed));

	set_version_date(m, labels, r, ed->lang);
	wp_map_set_bool(m, "current", current);
	if (changes && changes->kind == WP_LIST)
		for (i = 0; i < changes->u.list.len; i++)
			wp_list_push(list, wp_value_copy(
			    changes->u.list.items[i]));
	else if (changes)
		wp_list_push(list, wp_value_copy(changes));
}

/* The pages published for revision i (history.h): redline_href (the
 * changes from the revision before), redline_pdf_href (the same as a
 * PDF), archive_href (the revision in full) and archive_pdf_href (the
 * same as a PDF). */
static void
set_history(wp_value *m, const wp_edition *ed, size_t i)
{
	const wp_history *h = ed->history;

	if (h == NULL || i >= h->n)
		return;
	wp_map_set_str(m, "redline_href", h->redline[i]);
	wp_map_set_str(m, "redline_pdf_href", h->redline_pdf ?
	    h->redline_pdf[i] : NULL);
	wp_map_set_str(m, "archive_href", h->archive[i]);
	wp_map_set_str(m, "archive_pdf_href", h->archive_pdf ?
	    h->archive_pdf[i] : NULL);
	wp_map_set_bool(m, "has_history", h->redline[i] || h->archive[i]);
}

/* The revisions oldest first and newest first, and the current one as
 * edition.  The two lists share their maps: ctx is in the page's arena,
 * where a value may be in two lists (value.h). */
static void
set_revisions(wp_value *ctx, const wp_edition *ed, const wp_value *labels)
{
	const wp_service *s = ed->service;
	wp_value *old = wp_map_set_list(ctx, "revisions");
	wp_value *rev = wp_map_set_list(ctx, "revisions_newest_first");
	wp_value *ed_map = wp_map_set_map(ctx, "edition"), *m;
	size_t i;

	for (i = 0; i < s->nrevisions; i++) {
		m = wp_list_push_map(old);
		set_revision(m, ed, labels, &s->revisions[i],
		    i + 1 == s->nrevisions);
		set_history(m, ed, i);
	}
	for (i = s->nrevisions; i > 0; i--)
		wp_list_push(rev, old->u.list.items[i - 1]);
	if (s->nrevisions)
		set_revision(ed_map, ed, labels,
		    &s->revisions[s->nrevisions - 1], 1);
}

static void
set_languages(wp_site *site, wp_value *ctx, const wp_edition *ed,
    wp_diags *d)
{
	wp_value *langs = wp_map_set_list(ctx, "languages");
	wp_value *alts = wp_map_set_list(ctx, "alternates");
	const wp_service *s = ed->service;
	wp_value *m;
	size_t i;
	int cur;

	for (i = 0; i < s->nlangs; i++) {
		const wp_value *lab = wp_site_labels(site, ed->style,
		    s->langs[i], d);
		cur = strcmp(s->langs[i], ed->lang) == 0;
		m = wp_list_push_map(langs);
		wp_map_set_str(m, "lang", s->langs[i]);
		wp_map_set_str(m, "name", wp_label(lab, "language_name"));
		wp_map_set(m, "href", edition_href("..", s->langs[i], NULL));
		wp_map_set_bool(m, "current", cur);
		if (!cur)
			wp_list_push(alts, wp_value_copy(m));
	}
	wp_map_set_bool(ctx, "multilingual", s->nlangs > 1);
}

static void
set_toc(wp_site *site, wp_value *ctx, const wp_edition *ed,
    const wp_value **phrases)
{
	wp_value *toc = wp_map_set_list(ctx, "toc");
	const wp_document *doc = ed->doc;
	const wp_section *s;
	wp_value *m;
	size_t i;

	for (i = 0; i < doc->nsections; i++) {
		s = &doc->sections[i];
		if (!in_toc(ed, s))
			continue;
		m = wp_list_push_map(toc);
		wp_map_set_int(m, "level", s->level);
		wp_map_set_str(m, "number", s->number);
		wp_map_set_str(m, "title", s->title);
		wp_map_set_ref(m, "title_phrases", section_phrases(site, ed,
		    phrases, i));
		wp_map_set_str(m, "anchor", s->anchor);
		wp_map_set_bool(m, "control_heading", s->control_heading);
		if (s->control_heading)
			wp_map_set_str(m, "label", s->key);
		wp_map_set_str(m, "from_lang", s->from_lang);
	}
}

/*
 * front_short: the revision history and the contents, as the context
 * holds them, fit one printed page together (a style that prints them
 * one after the other may then run the contents on below the history,
 * not leave a page nearly empty); revisions_short: the revision history
 * alone is short (printed last, it runs on after the text).  Counted in lines of a revision
 * table: a change a line (one more for every 100 bytes of it), a
 * contents entry 1.3 (it is set larger, with space between); a page
 * holds about 36 after the two headings and the table's head.
 */
static void
set_front_short(wp_value *ctx)
{
	const wp_value *revs = wp_map_get(ctx, "revisions");
	const wp_value *toc = wp_map_get(ctx, "toc"), *changes, *c;
	size_t i, j, lines, tenths = 0;

	for (i = 0; revs && i < revs->u.list.len; i++) {
		changes = wp_map_get(revs->u.list.items[i], "changes");
		lines = 0;
		for (j = 0; changes && j < changes->u.list.len; j++) {
			c = changes->u.list.items[j];
			lines += 1 + (wp_value_text(c) ?
			    strlen(wp_value_text(c)) / 100 : 0);
		}
		tenths += 10 * (lines ? lines : 1);
	}
	/* A revision history of up to 15 lines may also run on after the
	 * text, where a style prints it last. */
	wp_map_set_bool(ctx, "revisions_short", tenths <= 150);
	/* The entries of the sections, and two the styles add (the
	 * revision history, the appendix). */
	tenths += 13 * ((toc ? toc->u.list.len : 0) + 2);
	wp_map_set_bool(ctx, "front_short", tenths <= 360);
}

/* Coverage through the mapping (xref.h, wp_xref_via), for a control no
 * section addresses directly: via (the mapped controls answered:
 * catalog, label, last), via_sections (their sections, each once, in
 * document order: text, anchor, title, last) and covered_via. */
static void
set_xref_via(wp_value *row, const wp_edition *ed, size_t k, size_t c)
{
	const wp_xref *x = ed->xref;
	wp_value *via = wp_map_set_list(row, "via"), *secs, *m;
	size_t i, n, vk, vc, *idx;
	const wp_section *s;

	for (i = 0; wp_xref_via(x, k, c, i, &vk, &vc); i++) {
		m = wp_list_push_map(via);
		wp_map_set_str(m, "catalog", x->catalogs[vk].catalog->id);
		wp_map_set_str(m, "label",
		    x->catalogs[vk].catalog->controls[vc].label);
	}
	n = wp_value_len(via);
	for (i = 0; i < n; i++)
		wp_map_set_bool(via->u.list.items[i], "last", i + 1 == n);
	wp_map_set_bool(row, "covered_via", n > 0);
	secs = wp_map_set_list(row, "via_sections");
	idx = wp_xref_via_sections(x, k, c, &n);
	for (i = 0; i < n; i++) {
		s = &ed->doc->sections[idx[i]];
		m = wp_list_push_map(secs);
		wp_map_set_str(m, "text", wp_section_link_text(s));
		wp_map_set_str(m, "anchor", s->anchor);
		wp_map_set_str(m, "title", s->title);
		wp_map_set_bool(m, "last", i + 1 == n);
	}
	free(idx);
}

/* Whether the appendix lists a row for control c of cat: cat is in use
 * and, under xref_scope addressed, c is addressed directly or through
 * the mapping (as set_xref_tables chooses). */
static int
xref_row_listed(const wp_edition *ed, const wp_catalog *cat, size_t c)
{
	const wp_xref *x = ed->xref;
	size_t k, vk, vc;

	for (k = 0; k < x->ncatalogs; k++)
		if (x->catalogs[k].catalog == cat)
			break;
	if (k == x->ncatalogs)
		return 0;
	if (wp_service_xref_scope(ed->service, ed->style) !=
	    WP_SCOPE_ADDRESSED)
		return 1;
	return wp_xref_count(x, k, c) > 0 || wp_xref_via(x, k, c, 0, &vk,
	    &vc);
}

/*
 * The part of the appendix's rows that every edition in one language
 * shows the same, made once a process for each catalog and language, in
 * the site's arena (site->shared), and shared by the rows of every page
 * (wp_map_new_with_in): row[c] the catalog half of control c's row (id,
 * row_id, label, alt_identifier, number, title, title_phrases,
 * title_lang, mapped); target[c][2 i] and target[c][2 i + 1] its i-th
 * mapped control as maps_to shows it (catalog, label, last), linked to
 * that control's row (row_href) and not.
 */
struct wp_xref_half {
	const wp_catalog *cat;
	char *lang;
	wp_value **row;
	wp_value ***target;
	struct wp_xref_half *next;
};

/* Item i of n of maps_to, target t, linked to its row or not, in a. */
static wp_value *
target_item(wp_arena *a, const wp_map_target *t, size_t i, size_t n,
    int linked)
{
	wp_value *m = wp_value_new_map_in(a);

	wp_map_set_str(m, "catalog", t->catalog->id);
	wp_map_set_str(m, "label", t->catalog->controls[t->control].label);
	if (linked)
		set_row_anchor(m, "row_href", t->catalog,
		    &t->catalog->controls[t->control], 1);
	else
		wp_map_set_str(m, "row_href", NULL);
	wp_map_set_bool(m, "last", i + 1 == n);
	return m;
}

/* The catalog half of the row of control c of cat in lang, in a. */
static wp_value *
row_half(wp_arena *a, const wp_catalogs *set, const wp_catalog *cat,
    size_t c, const char *lang)
{
	const wp_control *ctl = &cat->controls[c];
	wp_value *row = wp_value_new_map_in(a);
	const char *fb = NULL, *title;
	size_t n;

	wp_map_set_str(row, "id", ctl->id);
	set_row_anchor(row, "row_id", cat, ctl, 0);
	wp_map_set_str(row, "label", ctl->label);
	wp_map_set_str(row, "alt_identifier", ctl->alt_identifier);
	wp_map_set_str(row, "number", ctl->alt_identifier ?
	    ctl->alt_identifier : ctl->label);
	title = wp_control_title(cat, ctl, lang, &fb);
	wp_map_set_str(row, "title", title);
	set_phrases(row, "title_phrases", title);
	wp_map_set_str(row, "title_lang", fb);
	wp_xref_mapped(set, cat, c, 0, &n);
	wp_map_set_bool(row, "mapped", n > 0);
	return row;
}

/* The shared half of the rows of cat in lang (made on first use). */
static const struct wp_xref_half *
xref_half(wp_site *site, const wp_catalogs *set, const wp_catalog *cat,
    const char *lang)
{
	struct wp_xref_half *h;
	size_t c, i, n;
	wp_arena *a;

	for (h = site->xref_halves; h; h = h->next)
		if (h->cat == cat && strcmp(h->lang, lang) == 0)
			return h;
	if (site->shared == NULL)
		site->shared = wp_arena_new();
	a = site->shared;
	h = wp_arena_alloc(a, sizeof *h);
	h->cat = cat;
	h->lang = wp_arena_strndup(a, lang, strlen(lang));
	h->row = wp_arena_alloc(a, (cat->ncontrols + 1) * sizeof *h->row);
	h->target = wp_arena_alloc(a, (cat->ncontrols + 1) *
	    sizeof *h->target);
	for (c = 0; c < cat->ncontrols; c++) {
		h->row[c] = row_half(a, set, cat, c, lang);
		wp_xref_mapped(set, cat, c, 0, &n);
		h->target[c] = wp_arena_alloc(a, (2 * n + 1) *
		    sizeof **h->target);
		for (i = 0; i < n; i++) {
			const wp_map_target *t = wp_xref_mapped(set, cat, c,
			    i, &n);
			h->target[c][2 * i] = target_item(a, t, i, n, 1);
			h->target[c][2 * i + 1] = target_item(a, t, i, n, 0);
		}
	}
	h->next = site->xref_halves;
	site->xref_halves = h;
	return h;
}

/* The row of control c of catalog k in arena a: the shared half (half)
 * and what this edition's sections make of it. */
static wp_value *
xref_row(const struct wp_xref_half *half, const wp_edition *ed, size_t k,
    size_t c, wp_arena *a)
{
	const wp_xref *x = ed->xref;
	const wp_catalog *cat = x->catalogs[k].catalog;
	wp_value *row, *secs, *maps, *m;
	size_t i, n, count = wp_xref_count(x, k, c);
	const size_t *idx = wp_xref_sections(x, k, c);
	const wp_map_target *t;

	row = wp_map_new_with_in(a, half->row[c], 6);
	secs = wp_map_set_list(row, "sections");
	for (i = 0; i < count; i++) {
		const wp_section *s = &ed->doc->sections[idx[i]];
		m = wp_list_push_map(secs);
		wp_map_set_str(m, "text", wp_section_link_text(s));
		wp_map_set_str(m, "anchor", s->anchor);
		wp_map_set_str(m, "title", s->title);
		wp_map_set_bool(m, "last", i + 1 == count);
	}
	wp_map_set_bool(row, "addressed", count > 0);
	maps = wp_map_set_list(row, "maps_to");
	wp_xref_mapped(x->set, cat, c, 0, &n);
	for (i = 0; i < n; i++) {
		t = wp_xref_mapped(x->set, cat, c, i, &n);
		wp_list_push(maps, half->target[c][2 * i +
		    !xref_row_listed(ed, t->catalog, t->control)]);
	}
	set_xref_via(row, ed, k, c);
	return row;
}

/* The rows of one table: a generated list (value.h), each row made when
 * the template comes to it, in the renderer's arena, and dropped after
 * it, so that a page never holds every row of its appendix. */
typedef struct xref_rows {
	const struct wp_xref_half *half;
	const wp_edition *ed;
	size_t k;
	size_t *controls;        /* of each row, in the page's arena */
} xref_rows;

static wp_value *
xref_rows_item(void *data, size_t i, wp_arena *a)
{
	const xref_rows *r = data;

	return xref_row(r->half, r->ed, r->k, r->controls[i], a);
}

/* The name of the catalog(s) a catalog's controls map to, for the head of
 * the mapping column ("ISO/IEC 27001:2022"), and whether any maps. */
static void
set_maps_name(wp_value *m, const wp_edition *ed, size_t k)
{
	const wp_xref *x = ed->xref;
	const wp_catalog *cat = ed->xref->catalogs[k].catalog, *other = NULL;
	const wp_map_target *t;
	size_t c, n, i;
	int mixed = 0;

	for (c = 0; c < cat->ncontrols; c++) {
		wp_xref_mapped(x->set, cat, c, 0, &n);
		for (i = 0; i < n; i++) {
			t = wp_xref_mapped(x->set, cat, c, i, &n);
			if (other && other != t->catalog)
				mixed = 1;
			other = t->catalog;
		}
	}
	wp_map_set_bool(m, "has_maps", other != NULL);
	if (other && !mixed)
		wp_map_set_str(m, "maps_to_name", wp_catalog_name(other,
		    ed->service->standards, ed->lang));
}

/* The heading of a catalog's tables: its title when that begins with its
 * name (ISO/IEC 27017:2015 Code of practice...), else its name (NIST SP
 * 800-53, not the title in capitals). */
static const char *
catalog_heading(const char *name, const char *title)
{
	return title && strncmp(title, name, strlen(name)) == 0 ? title : name;
}

/*
 * The tables of one group of rows (one family, or the whole catalog):
 * rows[0..n) split into parts of at most per rows, of equal size (one row
 * apart at most), so that no last table is a handful of rows.
 */
static void
add_group_tables(const struct wp_xref_half *half, wp_value *tables,
    const wp_edition *ed, size_t k, const size_t *rows, size_t n,
    size_t per, const wp_group *g, const char *caption, long long number)
{
	const wp_catalog *cat = ed->xref->catalogs[k].catalog;
	size_t parts = (n + per - 1) / per, base, extra, p, i = 0, len;
	wp_value *t;
	xref_rows *r;
	const char *fb;

	if (n == 0)
		return;
	base = n / parts;
	extra = n % parts;
	for (p = 0; p < parts; p++) {
		t = wp_list_push_map(tables);
		wp_map_set_int(t, "index", (long long)wp_value_len(tables));
		wp_map_set_int(t, "number", number);
		wp_map_set_int(t, "part", (long long)p + 1);
		wp_map_set_int(t, "parts", (long long)parts);
		wp_map_set_bool(t, "split", parts > 1);
		wp_map_set_str(t, "caption", caption);
		if (g) {
			wp_map_set_str(t, "group_id", g->id);
			wp_map_set_str(t, "group_label", g->label);
			wp_map_set_str(t, "group_title", wp_group_title(cat, g,
			    ed->lang, &fb));
		}
		len = base + (p < extra);
		r = wp_arena_alloc(tables->arena, sizeof *r);
		r->half = half;
		r->ed = ed;
		r->k = k;
		r->controls = wp_arena_alloc(tables->arena, len *
		    sizeof *r->controls);
		memcpy(r->controls, rows + i, len * sizeof *r->controls);
		wp_map_set(t, "rows", wp_value_new_generated(tables->arena,
		    len, xref_rows_item, r));
		i += len;
	}
}

/* The tables of catalog k: a group a family (top-level OSCAL group),
 * only the addressed controls when the scope says so.  *number counts
 * the tables of the appendix (表 B-1, B-2...: the parts of a split table
 * share one). */
static void
set_xref_tables(wp_site *site, wp_value *cat_m, const wp_edition *ed,
    size_t k, const char *heading, long long *number)
{
	const wp_catalog *cat = ed->xref->catalogs[k].catalog;
	const struct wp_xref_half *half = xref_half(site, ed->xref->set, cat,
	    ed->lang);
	int addressed_only = wp_service_xref_scope(ed->service, ed->style) ==
	    WP_SCOPE_ADDRESSED;
	wp_value *tables = wp_map_set_list(cat_m, "tables");
	size_t *rows = xcalloc(cat->ncontrols + 1, sizeof *rows);
	size_t per = ed->style && ed->style->xref_rows ?
	    (size_t)ed->style->xref_rows : cat->ncontrols;
	size_t c, n = 0, listed = 0, vk, vc;
	int via = 0;
	const wp_group *g, *cur = NULL;
	char *caption;
	const char *fb, *title;

	if (per == 0)
		per = 1;
	for (c = 0; c <= cat->ncontrols; c++) {
		g = c < cat->ncontrols ? wp_control_family(cat, c) : NULL;
		if (c == cat->ncontrols || (n > 0 && g != cur)) {
			title = cur ? wp_group_title(cat, cur, ed->lang, &fb) :
			    NULL;
			caption = cur && title ? (cur->label ? xasprintf(
			    "%s %s", cur->label, title) : xstrdup(title)) :
			    xstrdup(heading);
			if (n > 0)
				++*number;
			add_group_tables(half, tables, ed, k, rows, n, per,
			    cur, caption, *number);
			free(caption);
			listed += n;
			n = 0;
		}
		if (c == cat->ncontrols)
			break;
		cur = g;
		if (!addressed_only || wp_xref_count(ed->xref, k, c) > 0 ||
		    wp_xref_via(ed->xref, k, c, 0, &vk, &vc))
			rows[n++] = c;
		if (wp_xref_via(ed->xref, k, c, 0, &vk, &vc))
			via = 1;
	}
	wp_map_set_int(cat_m, "rows", (long long)listed);
	wp_map_set_bool(cat_m, "has_via", via);
	wp_map_set(cat_m, "via_note_id", wp_value_new_string_owned(
	    xasprintf("wp-xref-%s-via", cat->id)));
	wp_map_set_bool(cat_m, "has_rows", listed > 0);
	free(rows);
}

/* The label prefix_<catalog id>, or NULL when empty or none: the note
 * under a catalog's tables (xref_note_: for ISO/IEC 27017, what the A.
 * of A.9.2.1 means), the word for its families in table captions
 * (xref_group_: 箇条, Clause). */
static const char *
catalog_label(const wp_value *labels, const char *prefix,
    const wp_catalog *cat)
{
	char *key = xasprintf("%s_%s", prefix, cat->id);
	const char *s = wp_value_text(wp_map_get(labels, key));

	free(key);
	return s && *s ? s : NULL;
}

/* Whether a section addresses a control of catalog k. */
static int
catalog_addressed(const wp_xref *x, size_t k)
{
	size_t c;

	for (c = 0; c < x->catalogs[k].catalog->ncontrols; c++)
		if (wp_xref_count(x, k, c) > 0)
			return 1;
	return 0;
}

/* The appendix: per catalog its names, tables and note; badge: the cover
 * may name it (the service declares it in `catalogs`, or addresses it),
 * has_badges when one may. */
static void
set_xref(wp_site *site, wp_value *ctx, const wp_edition *ed,
    const wp_value *labels)
{
	wp_value *list = wp_map_set_list(ctx, "xref"), *cat_m;
	const wp_xref *x = ed->xref;
	const wp_catalog *cat;
	const wp_value *phrases;
	const char *display, *title, *heading;
	long long number = 0;
	size_t k;
	char *name;
	int badge, badges = 0;

	for (k = 0; k < x->ncatalogs; k++) {
		cat = x->catalogs[k].catalog;
		cat_m = wp_list_push_map(list);
		name = wp_catalog_marker_standard(cat, ed->service->standards,
		    ed->lang);
		display = wp_catalog_name(cat, ed->service->standards,
		    ed->lang);
		title = wp_catalog_title(cat, ed->lang);
		wp_map_set_str(cat_m, "id", cat->id);
		wp_map_set_str(cat_m, "name", display);
		wp_map_set_str(cat_m, "marker_name", name);
		wp_map_set_str(cat_m, "title", title);
		heading = catalog_heading(display, title);
		phrases = memo_phrases(site, heading);
		wp_map_set_str(cat_m, "heading", heading);
		wp_map_set_ref(cat_m, "heading_phrases", phrases);
		set_title_lines(cat_m, "heading_lines", heading, phrases,
		    CATALOG_LINE);
		wp_map_set_str(cat_m, "version", cat->version);
		wp_map_set_bool(cat_m, "first", k == 0);
		free(name);
		set_maps_name(cat_m, ed, k);
		badge = ed->service->catalogs != NULL ||
		    catalog_addressed(x, k);
		wp_map_set_bool(cat_m, "badge", badge);
		badges |= badge;
		wp_map_set_str(cat_m, "note", catalog_label(labels,
		    "xref_note", cat));
		wp_map_set_str(cat_m, "group_word", catalog_label(labels,
		    "xref_group", cat));
		set_xref_tables(site, cat_m, ed, k, heading, &number);
	}
	wp_map_set_bool(ctx, "has_xref", x->ncatalogs > 0);
	wp_map_set_bool(ctx, "has_badges", badges);
}

/* What every page has but its labels, which the caller sets (borrowed
 * or handed over). */
static void
set_common(wp_value *ctx, const char *lang, const char *root,
    const wp_value *labels)
{
	static const char *const headings[] = {"site_title", "coverage_title",
	    "xref_title", NULL};
	wp_value *gen = wp_map_set_map(ctx, "generator");
	wp_value *phrased = wp_map_set_map(ctx, "label_phrases");
	char date[11];
	size_t i;

	wp_map_set_str(ctx, "lang", lang);
	wp_map_set_str(ctx, "root", root);
	/* The labels that head pages and the appendix, in phrases; the
	 * appendix title also as base/title-lines wants it. */
	for (i = 0; headings[i]; i++)
		set_phrases(phrased, headings[i], wp_label(labels, headings[i]));
	set_title_lines(wp_map_set_map(ctx, "label_titles"), "xref_title",
	    wp_label(labels, "xref_title"), NULL, HEADING_LINE);
	wp_map_set_str(gen, "name", "wpgen");
	wp_map_set_str(gen, "version", WP_VERSION);
	/* An invalid SOURCE_DATE_EPOCH stopped the command before. */
	if (wp_source_date(date) == 1)
		wp_map_set_str(gen, "date", date);
}

/* The PDF beside the page, the print flag, and the document's metadata
 * (the PDF's too): keywords are the standards, dates those of the first
 * and the current revision. */
static void
set_variant(wp_value *ctx, const wp_edition *ed, const wp_page_opts *o)
{
	const wp_service *s = ed->service;
	wp_value *m;
	wp_buf kw = WP_BUF_INIT;
	const wp_catalog *cat;
	size_t k;

	if (o->pdf_name) {
		m = wp_map_set_map(ctx, "pdf");
		wp_map_set(m, "href", wp_value_new_string_owned(
		    wp_url_segment(o->pdf_name)));
	}
	wp_map_set_bool(ctx, "print", o->print);
	m = wp_map_set_map(ctx, "meta");
	for (k = 0; k < ed->xref->ncatalogs; k++) {
		cat = ed->xref->catalogs[k].catalog;
		if (k)
			wp_buf_puts(&kw, ", ");
		wp_buf_puts(&kw, cat->ndocument_ids ? cat->document_ids[0] :
		    wp_catalog_name(cat, s->standards, ed->lang));
	}
	if (kw.len)
		wp_map_set_str(m, "keywords", wp_buf_cstr(&kw));
	wp_buf_free(&kw);
	if (s->nrevisions) {
		wp_map_set_str(m, "created", s->revisions[0].date);
		wp_map_set_str(m, "modified",
		    s->revisions[s->nrevisions - 1].date);
	}
}

/* 1 when list (of {name}) holds name already. */
static int
has_asset(const wp_value *list, const char *name)
{
	size_t i;

	for (i = 0; i < wp_value_len(list); i++)
		if (strcmp(wp_value_text(wp_map_get(list->u.list.items[i],
		    "name")), name) == 0)
			return 1;
	return 0;
}

/* The style sheets (scripts 0) or scripts (1) of the style and its
 * parents, parents first, each once: a child that lists its parent's
 * again does not link it twice. */
static void
add_assets(wp_value *list, const wp_style *st, int scripts)
{
	char **names;
	size_t i;

	if (st == NULL)
		return;
	add_assets(list, st->parent, scripts);
	names = scripts ? st->scripts : st->stylesheets;
	for (i = 0; names[i]; i++)
		if (!has_asset(list, names[i]))
			wp_map_set_str(wp_list_push_map(list), "name",
			    names[i]);
}

/* The context of an edition's page, in arena a; it borrows labels and
 * the sections' phrases (section_phrases: phrases, the page's list). */
static wp_value *
edition_context(wp_site *site, wp_edition *ed, const wp_value *labels,
    const wp_value **phrases, const wp_page_opts *o, wp_arena *a,
    wp_diags *d)
{
	wp_value *ctx = wp_value_new_map_in(a);

	set_common(ctx, ed->lang, "../../", labels);
	wp_map_set_ref(ctx, "labels", labels);
	wp_map_set_str(ctx, "lang_name", wp_label(labels, "language_name"));
	wp_map_set_str(ctx, "style", ed->service->style);
	add_assets(wp_map_set_list(ctx, "stylesheets"), ed->style, 0);
	add_assets(wp_map_set_list(ctx, "scripts"), ed->style, 1);
	set_service(ctx, ed);
	set_revisions(ctx, ed, labels);
	set_languages(site, ctx, ed, d);
	set_toc(site, ctx, ed, phrases);
	set_front_short(ctx);
	set_xref(site, ctx, ed, labels);
	set_variant(ctx, ed, o);
	return ctx;
}

static const wp_template *
style_template(wp_site *site, const wp_style *st, const char *name,
    wp_diags *d)
{
	char *rel = wp_style_template(site, st, name);
	const wp_template *t;

	if (rel == NULL) {
		char *msg = xasprintf("no template %s.mustache for style "
		    "'%s' or base", name, st ? st->name : "base");
		wp_templates_report(wp_site_templates(site), d,
		    site->templates_dir, "template-error", msg);
		free(msg);
		return NULL;
	}
	t = wp_templates_get(wp_site_templates(site), rel, d);
	free(rel);
	return t;
}

void
wp_page_prepare(wp_site *site, const wp_style *style, const char *lang,
    wp_diags *d)
{
	wp_site_labels(site, style, lang, d);
	style_template(site, style, "heading", d);
	style_template(site, style, "section_open", d);
	style_template(site, style, "section_notice", d);
	style_template(site, style, "section_close", d);
	style_template(site, style, "page", d);
}

int
wp_page_render_edition(wp_site *site, wp_edition *ed, wp_buf *out,
    wp_diags *d)
{
	wp_page_opts o = {0, NULL, NULL};

	return wp_page_render_variant(site, ed, &o, out, d);
}

static wp_summary *edition_summary(wp_site *site, const wp_edition *ed,
    const wp_value *labels);

int
wp_page_render_variant(wp_site *site, wp_edition *ed, const wp_page_opts *o,
    wp_buf *out, wp_diags *d)
{
	wp_value *labels = edition_labels(site, ed, d);
	wp_arena *arena = wp_arena_new();
	heading_ctx h = {site, ed, NULL, labels, d, arena, NULL, NULL, NULL,
	    {0}, -1, NULL, NULL, NULL, o->print};
	wp_html_hooks hooks = {render_heading, open_section, close_section,
	    &h, o->print};
	const wp_template *page;
	wp_buf body = WP_BUF_INIT;
	wp_value *ctx;
	size_t body_len;
	int rc;

	wp_phrase_memo_trim(site->phrases);   /* (no page borrows from it) */
	h.scratch = wp_arena_new();
	h.tpl = style_template(site, ed->style, "heading", d);
	h.open = style_template(site, ed->style, "section_open", d);
	h.notice = style_template(site, ed->style, "section_notice", d);
	h.close = style_template(site, ed->style, "section_close", d);
	page = style_template(site, ed->style, "page", d);
	if (h.tpl == NULL || h.open == NULL || h.notice == NULL ||
	    h.close == NULL || page == NULL) {
		wp_arena_free(h.scratch);
		wp_arena_free(arena);
		wp_value_free(labels);
		return -1;
	}
	h.phrases = wp_arena_alloc(arena, (ed->doc->nsections + 1) *
	    sizeof *h.phrases);
	ctx = edition_context(site, ed, labels, h.phrases, o, arena, d);
	/* (room ahead for what the body and the page come to, about, so
	 * that neither is copied as it doubles: the body about one and a
	 * half times the Markdown, the page the body and its contents) */
	wp_buf_grow(&body, ed->doc->source_len + ed->doc->source_len / 2);
	rc = wp_html_render_body(ed->doc, &hooks, &body);
	body_len = body.len;
	wp_map_set(ctx, "body", wp_value_new_string_owned(
	    wp_html_localize_footnotes(&body, wp_label(labels,
	    "footnote_back"))));
	if (rc == 0) {
		wp_buf_grow(out, body_len + body_len / 4 + 16384);
		rc = wp_template_render(wp_site_templates(site), page, ctx, out,
		    d);
	}
	wp_arena_free(h.scratch);   /* the last heading's context */
	wp_arena_free(arena);       /* ctx, the body */
	if (rc == 0 && o->summary)
		*o->summary = edition_summary(site, ed, labels);
	wp_value_free(labels);
	return rc;
}

/* ---- summaries, index and coverage ---- */

/* How much of a published edition is in its own language: the share of
 * its sections not taken from the source edition, in whole percent
 * (rounded, but 100 only when all of it is and 0 only when none is);
 * 100 for a source edition. */
static long long
translated_percent(const wp_edition *ed)
{
	size_t i, own = 0, n = ed->doc->nsections, pc;

	if (n == 0)
		return 100;
	for (i = 0; i < n; i++)
		own += ed->doc->sections[i].from_lang == NULL;
	pc = (own * 200 + n) / (2 * n);
	if (pc == 100 && own < n)
		pc = 99;
	if (pc == 0 && own > 0)
		pc = 1;
	return (long long)pc;
}

static char *
dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

/* The coverage of control c of catalog k by an edition, into cat: the
 * sections that address it; or, when none does but a mapped control's
 * sections do (wp_xref_via), those sections, with via, the labels of the
 * mapped controls (joined by ", "); nothing when it is not covered. */
static void
add_coverage(wp_summary_catalog *cat, const wp_edition *ed, size_t k,
    size_t c)
{
	const wp_xref *x = ed->xref;
	const wp_section *sec;
	size_t i, n = wp_xref_count(x, k, c), vk, vc, *via_idx = NULL;
	const size_t *idx = wp_xref_sections(x, k, c);
	wp_buf via = WP_BUF_INIT;

	if (n == 0) {
		for (i = 0; wp_xref_via(x, k, c, i, &vk, &vc); i++)
			wp_buf_printf(&via, "%s%s", i ? ", " : "",
			    x->catalogs[vk].catalog->controls[vc].label);
		if (via.len > 0)
			idx = via_idx = wp_xref_via_sections(x, k, c, &n);
	}
	for (i = 0; i < n; i++) {
		sec = &ed->doc->sections[idx[i]];
		wp_summary_add_section(cat, c, wp_section_link_text(sec),
		    sec->anchor, sec->title, via.len ? wp_buf_cstr(&via) :
		    NULL);
	}
	free(via_idx);
	wp_buf_free(&via);
}

/* service_text() for a summary (malloc'd), its language into *lang
 * where it is the source's. */
static char *
summary_text(const wp_edition *ed, const wp_value *v, char **lang)
{
	const char *l, *t = service_text(ed, v, &l);

	if (l)
		*lang = xstrdup(l);
	return xstrdup(t);
}

static wp_summary *
edition_summary(wp_site *site, const wp_edition *ed, const wp_value *labels)
{
	wp_summary *m = wp_summary_new();
	wp_summary_catalog *cat;
	const wp_service *s = ed->service;
	const wp_revision *cur = wp_service_current(s);
	const wp_xref *x = ed->xref;
	wp_value *href;
	const char *given;
	size_t k, c;

	m->service = xstrdup(s->id);
	m->lang = xstrdup(ed->lang);
	m->lang_name = xstrdup(wp_label(wp_site_labels(site, NULL, ed->lang,
	    NULL), "language_name"));
	m->source = strcmp(ed->lang, s->langs[0]) == 0;
	m->title = summary_text(ed, s->title, &m->title_lang);
	m->short_title = dup_or_null(s->short_title ? lstr(ed,
	    s->short_title) : s->id);
	m->provider = summary_text(ed, s->provider, &m->provider_lang);
	m->description = summary_text(ed, s->description,
	    &m->description_lang);
	if (s->copyright)
		m->copyright = summary_text(ed, s->copyright,
		    &m->copyright_lang);
	m->style = dup_or_null(s->style);
	if (cur) {
		given = wp_value_text(wp_localized(cur->label, ed->lang, NULL,
		    NULL));
		m->revision = 1;
		m->version = dup_or_null(cur->version);
		m->version_text = wp_labels_version(labels, cur->version);
		m->has_label = given && *given;
		m->label = dup_or_null(m->has_label ? given : m->version_text);
		m->display = wp_labels_version_display(labels, cur->version,
		    given);
		m->date = dup_or_null(cur->date);
		m->date_text = wp_labels_date(labels, cur->date);
	}
	href = edition_href(s->id, ed->lang, NULL);
	m->href = xstrdup(wp_value_text(href));
	wp_value_free(href);
	m->translated = (int)translated_percent(ed);
	/* Coverage, of the services that take part: every edition, so
	 * that the coverage page in each language links the sections of
	 * the edition in that language. */
	m->coverage = s->coverage;
	for (k = 0; k < x->ncatalogs; k++) {
		cat = wp_summary_add_catalog(m, x->catalogs[k].catalog->id,
		    wp_catalog_name(x->catalogs[k].catalog, s->standards,
		    ed->lang), m->coverage ?
		    x->catalogs[k].catalog->ncontrols : 0);
		cat->badge = s->catalogs != NULL || catalog_addressed(x, k);
		for (c = 0; c < cat->ncontrols; c++)
			add_coverage(cat, ed, k, c);
	}
	return m;
}

wp_summary *
wp_page_edition_summary(wp_site *site, const wp_edition *ed)
{
	wp_value *labels = edition_labels(site, ed, NULL);
	wp_summary *m = edition_summary(site, ed, labels);

	wp_value_free(labels);
	return m;
}

/* s, or "" for NULL. */
static const char *
text_or_empty(const char *s)
{
	return s ? s : "";
}

/* The language of a summary's copyright: the edition's, else the
 * source's. */
static const char *
copyright_lang(const wp_summary *s)
{
	return s->copyright_lang ? s->copyright_lang : s->lang;
}

/* What the index and coverage templates see of a summary: a map with its
 * fields, `version_label` and `catalogs` (each id, name, badge); its
 * coverage only through the coverage page's rows.  In arena. */
static wp_value *
summary_map(const wp_summary *s, wp_arena *arena)
{
	wp_value *m = wp_value_new_map_in(arena), *cats, *e;
	size_t k;

	wp_map_set_str(m, "service", s->service);
	wp_map_set_str(m, "lang", s->lang);
	wp_map_set_str(m, "lang_name", s->lang_name);
	wp_map_set_bool(m, "source", s->source);
	wp_map_set_str(m, "title", s->title);
	wp_map_set_str(m, "short_title", s->short_title);
	wp_map_set_str(m, "provider", s->provider);
	wp_map_set_str(m, "description", s->description);
	if (s->copyright)
		wp_map_set_str(m, "copyright", s->copyright);
	/* The language of each text: the edition's, else the source's. */
	wp_map_set_str(m, "title_lang", s->title_lang ? s->title_lang :
	    s->lang);
	wp_map_set_str(m, "provider_lang", s->provider_lang ?
	    s->provider_lang : s->lang);
	wp_map_set_str(m, "description_lang", s->description_lang ?
	    s->description_lang : s->lang);
	wp_map_set_str(m, "copyright_lang", copyright_lang(s));
	wp_map_set_str(m, "style", s->style);
	if (s->revision) {
		wp_map_set_str(m, "version", s->version);
		wp_map_set_str(m, "version_text", s->version_text);
		wp_map_set_bool(m, "has_label", s->has_label);
		wp_map_set_str(m, "label", s->label);
		wp_map_set_str(m, "display", s->display);
		wp_map_set_str(m, "date", s->date);
		wp_map_set_str(m, "date_text", s->date_text);
		wp_map_set_str(m, "version_label", s->display);
	}
	wp_map_set_str(m, "href", s->href);
	wp_map_set_int(m, "translated", s->translated);
	cats = wp_map_set_list(m, "catalogs");
	for (k = 0; k < s->ncatalogs; k++) {
		e = wp_list_push_map(cats);
		wp_map_set_str(e, "id", s->catalogs[k].id);
		wp_map_set_str(e, "name", s->catalogs[k].name);
		wp_map_set_bool(e, "badge", s->catalogs[k].badge);
	}
	if (s->pdf_file) {
		wp_map_set_str(m, "pdf_file", s->pdf_file);
		wp_map_set_str(m, "pdf_href", s->pdf_href);
	}
	return m;
}

/* ---- the summaries of the site pages, one at a time ---- */

/* Summary i of the site, whole (sum_get) or its head only (sum_head:
 * all but its coverage, summary.h), held until given back (sum_put): a
 * build keeps them out of memory (summary.h, wp_summary_store). */
static const wp_summary *
sum_get(wp_site_summaries *sums, size_t i)
{
	return sums->get(sums->ctx, i);
}

static const wp_summary *
sum_head(wp_site_summaries *sums, size_t i)
{
	return sums->head ? sums->head(sums->ctx, i) : sums->get(sums->ctx,
	    i);
}

static void
sum_put(wp_site_summaries *sums, size_t i, const wp_summary *s)
{
	sums->put(sums->ctx, i, s);
}

/* What the site pages need of every summary, found in one pass over
 * them (small: a few facts a language, catalog and style, and a
 * language and a flag an edition). */
struct wp_site_facts {
	char *lang;               /* the site's language (site_lang) */
	char *style;              /* the style most services share, or NULL */
	char **langs;             /* the index languages, site's first */
	size_t nlangs;
	char **seen;              /* every edition's language, once each */
	size_t nseen;
	unsigned *ed_lang;        /* an edition's, in seen (nseen: none) */
	unsigned char *ed_source; /* an edition is its service's source */
	size_t nservices;
	size_t *first;            /* each service's first edition, and n */
	int coverage;             /* an edition takes part */
	wp_value *names;          /* a catalog's name in a language:
	                             "ID\nLANG", and "\nID" the first */
	char **badges;            /* the names of the catalogs shown as a
	                             badge, a catalog once, in order */
	size_t nbadges;
	/* Each edition's copyright line (0: none, else k + 1 of texts)
	 * and its language (of texts too) */
	unsigned *ed_copy, *ed_copy_lang;
	char **texts;
	size_t ntexts;
	wp_value *text_index;     /* a text's k + 1 */
};

static void
facts_free(struct wp_site_facts *f)
{
	if (f == NULL)
		return;
	free(f->lang);
	free(f->style);
	wp_strv_free(f->langs);
	wp_strv_free(f->seen);
	free(f->ed_lang);
	free(f->ed_source);
	free(f->first);
	wp_value_free(f->names);
	wp_strv_free(f->badges);
	free(f->ed_copy);
	free(f->ed_copy_lang);
	wp_strv_free(f->texts);
	wp_value_free(f->text_index);
	free(f);
}

void
wp_site_summaries_done(wp_site_summaries *sums)
{
	facts_free(sums->facts);
	sums->facts = NULL;
}

/* Counts one more of key in counts; the new count. */
static long
count_one(wp_value *counts, const char *key)
{
	wp_value *c = wp_map_get(counts, key);
	long n = c ? atol(wp_value_text(c)) + 1 : 1;

	wp_map_set_int(counts, key, n);
	return n;
}

static size_t
seen_index(struct wp_site_facts *f, const char *lang)
{
	size_t k;

	for (k = 0; k < f->nseen; k++)
		if (strcmp(f->seen[k], lang) == 0)
			return k;
	return f->nseen;
}

/* Text t's number in the facts' texts (k + 1), added when new. */
static unsigned
fact_text(struct wp_site_facts *f, const char *t)
{
	const wp_value *v = wp_map_get(f->text_index, t);

	if (v)
		return (unsigned)atol(wp_value_text(v));
	f->texts = xrealloc(f->texts, (f->ntexts + 2) * sizeof *f->texts);
	f->texts[f->ntexts++] = xstrdup(t);
	f->texts[f->ntexts] = NULL;
	wp_map_set_int(f->text_index, t, (long long)f->ntexts);
	return (unsigned)f->ntexts;
}

/* One summary's part of the facts (i: its index). */
static void
facts_add(struct wp_site_facts *f, const wp_summary *s, size_t i,
    wp_value *langs, wp_value *styles, wp_strset *badged, long *best,
    char **prev)
{
	const wp_summary_catalog *cat;
	char *key;
	size_t k;
	long n;

	if (s->source && s->lang) {
		n = count_one(langs, s->lang);
		if (n > best[0]) {
			best[0] = n;
			free(f->lang);
			f->lang = xstrdup(s->lang);
		}
		n = count_one(styles, text_or_empty(s->style));
		if (n > best[1]) {
			best[1] = n;
			free(f->style);
			f->style = xstrdup(text_or_empty(s->style));
		}
	}
	k = s->lang ? seen_index(f, s->lang) : f->nseen;
	if (s->lang && k == f->nseen) {
		f->seen = xrealloc(f->seen, (f->nseen + 2) * sizeof *f->seen);
		f->seen[f->nseen++] = xstrdup(s->lang);
		f->seen[f->nseen] = NULL;
	}
	f->ed_lang[i] = s->lang ? (unsigned)k : UINT_MAX;
	f->ed_source[i] = s->source != 0;
	if (*prev == NULL || strcmp(*prev, text_or_empty(s->service)) != 0) {
		f->first[f->nservices++] = i;
		free(*prev);
		*prev = xstrdup(text_or_empty(s->service));
	}
	f->coverage |= s->coverage != 0;
	if (s->copyright && *s->copyright) {
		f->ed_copy[i] = fact_text(f, s->copyright);
		f->ed_copy_lang[i] = copyright_lang(s) ? fact_text(f,
		    copyright_lang(s)) : 0;
	}
	for (k = 0; k < s->ncatalogs; k++) {
		cat = &s->catalogs[k];
		key = xasprintf("%s\n%s", cat->id, text_or_empty(s->lang));
		if (wp_map_get(f->names, key) == NULL)
			wp_map_set_str(f->names, key, text_or_empty(cat->name));
		free(key);
		key = xasprintf("\n%s", cat->id);
		if (wp_map_get(f->names, key) == NULL)
			wp_map_set_str(f->names, key, text_or_empty(cat->name));
		free(key);
		if (cat->badge && wp_strset_add(badged, cat->id)) {
			f->badges = xrealloc(f->badges, (f->nbadges + 2) *
			    sizeof *f->badges);
			f->badges[f->nbadges++] = xstrdup(text_or_empty(
			    cat->name));
			f->badges[f->nbadges] = NULL;
		}
	}
}

/*
 * The facts, made once: the language of the site pages is the source
 * language that most services share (on a tie, the one that got there
 * first; English when there is none), their style the one most services
 * share (the same way), a service's editions are next to each other.
 */
static struct wp_site_facts *
site_facts(wp_site_summaries *sums)
{
	struct wp_site_facts *f;
	const wp_summary *s;
	wp_value *langs, *styles;
	wp_strset badged;
	long best[2] = {0, 0};
	char *prev = NULL;
	size_t i, k = 0;

	if (sums->facts)
		return sums->facts;
	f = sums->facts = xcalloc(1, sizeof *f);
	f->ed_lang = xcalloc(sums->n + 1, sizeof *f->ed_lang);
	f->ed_source = xcalloc(sums->n + 1, sizeof *f->ed_source);
	f->first = xcalloc(sums->n + 1, sizeof *f->first);
	f->names = wp_value_new_map();
	f->ed_copy = xcalloc(sums->n + 1, sizeof *f->ed_copy);
	f->ed_copy_lang = xcalloc(sums->n + 1, sizeof *f->ed_copy_lang);
	f->texts = xcalloc(1, sizeof *f->texts);
	f->text_index = wp_value_new_map();
	f->seen = xcalloc(1, sizeof *f->seen);
	f->badges = xcalloc(1, sizeof *f->badges);
	langs = wp_value_new_map();
	styles = wp_value_new_map();
	wp_strset_init(&badged);
	for (i = 0; i < sums->n; i++) {
		s = sum_head(sums, i);
		facts_add(f, s, i, langs, styles, &badged, best, &prev);
		sum_put(sums, i, s);
	}
	f->first[f->nservices] = sums->n;
	free(prev);
	wp_strset_free(&badged);
	wp_value_free(langs);
	wp_value_free(styles);
	if (f->lang == NULL)
		f->lang = xstrdup("en");
	f->langs = xcalloc(f->nseen + 2, sizeof *f->langs);
	f->langs[k++] = xstrdup(f->lang);
	for (i = 0; i < f->nseen; i++)
		if (strcmp(f->seen[i], f->lang) != 0)
			f->langs[k++] = xstrdup(f->seen[i]);
	f->nlangs = k;
	return f;
}

/* The style that most services share, or NULL. */
static const wp_style *
site_style(wp_site *site, wp_site_summaries *sums)
{
	const char *name = site_facts(sums)->style;
	size_t j;

	for (j = 0; name && j < site->nstyles; j++)
		if (strcmp(site->styles[j]->name, name) == 0)
			return site->styles[j];
	return NULL;
}

/* The name a site page in lang gives catalog id: the one of the first
 * edition in lang that uses it, else of the first edition that does. */
static const char *
summary_catalog_name(wp_site_summaries *sums, const char *id,
    const char *lang)
{
	struct wp_site_facts *f = site_facts(sums);
	char *key = xasprintf("%s\n%s", id, lang);
	const wp_value *v = wp_map_get(f->names, key);

	free(key);
	if (v == NULL) {
		key = xasprintf("\n%s", id);
		v = wp_map_get(f->names, key);
		free(key);
	}
	return v ? wp_value_text(v) : id;
}

/* The labels of the site pages in lang: those of the style most services
 * share, site.yaml's `labels:` over them, rendered over the catalogs the
 * services use.  Owned by the caller. */
static wp_value *
site_labels(wp_site *site, wp_site_summaries *sums, const char *lang,
    wp_diags *d)
{
	struct wp_site_facts *f = site_facts(sums);
	wp_value *labels = wp_labels_with(wp_site_labels(site,
	    site_style(site, sums), lang, d), site->site_labels, lang);
	size_t n = f->nbadges < site->catalogs->len ? f->nbadges :
	    site->catalogs->len;
	wp_value *data;
	char *where;

	data = wp_labels_data(labels, (const char **)f->badges, NULL, NULL,
	    n);
	where = wp_path_join(site->content_dir, "site.yaml");
	wp_labels_render(labels, data, where, d);
	free(where);
	wp_value_free(data);
	return labels;
}

int
wp_page_has_coverage(const wp_site *site, wp_site_summaries *sums)
{
	return site->coverage && site_facts(sums)->coverage;
}

/* A summary as a card or a column shows it, with title_phrases (from
 * the site's memo: a service's title is on every card, column and legend
 * of its edition, four times a coverage page). */
static wp_value *
index_entry(wp_site *site, const wp_summary *s, wp_arena *arena)
{
	wp_value *m = summary_map(s, arena);

	wp_map_set_ref(m, "title_phrases", memo_phrases(site, s->title));
	return m;
}

char **
wp_page_index_langs(wp_site_summaries *sums, size_t *n)
{
	struct wp_site_facts *f = site_facts(sums);
	char **v = xcalloc(f->nlangs + 1, sizeof *v);
	size_t i;

	for (i = 0; i < f->nlangs; i++)
		v[i] = xstrdup(f->langs[i]);
	if (n)
		*n = f->nlangs;
	return v;
}

/* The language switch of a site page (page: "index", "coverage") in
 * lang: every language of the site, named in that language, linking
 * its PAGE.LANG.html. */
static void
set_site_langs(wp_site *site, wp_value *ctx, char **langs, size_t n,
    const char *lang, const char *page)
{
	wp_value *list = wp_map_set_list(ctx, "languages"), *e;
	size_t i;

	for (i = 0; i < n; i++) {
		e = wp_list_push_map(list);
		wp_map_set_str(e, "lang", langs[i]);
		wp_map_set_str(e, "name", wp_label(wp_site_labels(site, NULL,
		    langs[i], NULL), "language_name"));
		wp_map_set(e, "href", wp_value_new_string_owned(xasprintf(
		    "%s.%s.html", page, langs[i])));
		wp_map_set_bool(e, "current", strcmp(langs[i], lang) == 0);
	}
	wp_map_set_bool(ctx, "multilingual", n > 1);
}

/* The edition of each service that a site page in lang shows (its
 * edition in lang, else its source edition, else its first), by
 * index, in shown[0..n) (malloc'd); the services' first editions are
 * the facts'. */
static size_t
site_services(wp_site_summaries *sums, const char *lang, size_t **shown)
{
	struct wp_site_facts *f = site_facts(sums);
	size_t i, k, e, want = seen_index(f, lang);

	*shown = xcalloc(f->nservices + 1, sizeof **shown);
	for (i = 0; i < f->nservices; i++) {
		e = SIZE_MAX;
		for (k = f->first[i]; k < f->first[i + 1] && e == SIZE_MAX; k++)
			if (want < f->nseen && f->ed_lang[k] == want)
				e = k;
		for (k = f->first[i]; k < f->first[i + 1] && e == SIZE_MAX; k++)
			if (f->ed_source[k])
				e = k;
		(*shown)[i] = e == SIZE_MAX ? f->first[i] : e;
	}
	return f->nservices;
}

/* "80% translated" in the page's language. */
static char *
translated_text(const wp_value *labels, int percent)
{
	wp_value *data = wp_value_new_map();
	char *text;

	wp_map_set_int(data, "percent", percent);
	text = wp_labels_format(labels, "index_translated_pattern", data, "");
	wp_value_free(data);
	return text;
}

/* The index page's cards, made one at a time (a generated list). */
typedef struct index_cards {
	wp_site *site;
	wp_site_summaries *sums;
	const size_t *shown;          /* of each service */
	const char *lang;
	const wp_value *labels;
} index_cards;

/* The card of service i on the index in lang: its edition in lang, else
 * its source edition, with the version and date as lang writes them,
 * and every edition of the service with how much of it is translated. */
static wp_value *
index_card(void *data, size_t i, wp_arena *arena)
{
	const index_cards *x = data;
	const size_t *first = x->sums->facts->first;
	const wp_summary *shown = sum_head(x->sums, x->shown[i]), *e;
	wp_value *card, *eds, *ed, *badges, *b;
	size_t k;
	int other = strcmp(shown->lang, x->lang) != 0;

	card = index_entry(x->site, shown, arena);
	wp_map_set_str(card, "id", shown->service);
	wp_map_set_bool(card, "other_lang", other);
	if (other && shown->revision) {
		/* the edition's own words for its version and date are in
		 * its language: say them in the page's */
		wp_map_set(card, "display", wp_value_new_string_owned(
		    wp_labels_version(x->labels, text_or_empty(
		    shown->version))));
		wp_map_set(card, "date_text", wp_value_new_string_owned(
		    wp_labels_date(x->labels, text_or_empty(shown->date))));
	}
	badges = wp_map_set_list(card, "catalogs");
	for (k = 0; k < shown->ncatalogs; k++) {
		if (!shown->catalogs[k].badge)
			continue;
		b = wp_list_push_map(badges);
		wp_map_set_str(b, "id", shown->catalogs[k].id);
		wp_map_set_str(b, "name", shown->catalogs[k].name);
		wp_map_set_bool(b, "badge", 1);
	}
	wp_map_set_bool(card, "has_catalogs", wp_value_len(badges) > 0);
	eds = wp_map_set_list(card, "editions");
	for (k = first[i]; k < first[i + 1]; k++) {
		e = k == x->shown[i] ? shown : sum_head(x->sums, k);
		ed = wp_list_push_map(eds);
		wp_map_set_str(ed, "lang", e->lang);
		wp_map_set_str(ed, "lang_name", text_or_empty(e->lang_name));
		wp_map_set_str(ed, "href", text_or_empty(e->href));
		wp_map_set_bool(ed, "source", e->source);
		wp_map_set_bool(ed, "current", k == x->shown[i]);
		wp_map_set_int(ed, "translated", e->translated);
		wp_map_set(ed, "translated_text", wp_value_new_string_owned(
		    translated_text(x->labels, e->translated)));
		if (e->pdf_file)
			wp_map_set_str(ed, "pdf_href", text_or_empty(
			    e->pdf_href));
		if (e != shown)
			sum_put(x->sums, k, e);
	}
	sum_put(x->sums, x->shown[i], shown);
	return card;
}

/* The copyright lines of the editions shown[0..n) (the cards, or the
 * coverage columns), each once, in order; each with its language where
 * it is not the page's (lang). */
static void
set_copyrights(wp_value *ctx, wp_site_summaries *sums, const size_t *shown,
    size_t n, const char *lang)
{
	struct wp_site_facts *f = site_facts(sums);
	wp_value *list = wp_map_set_list(ctx, "copyrights"), *line;
	unsigned char *seen = xcalloc(f->ntexts + 1, 1);
	const char *l;
	unsigned c;
	size_t i;

	for (i = 0; i < n; i++) {
		if ((c = f->ed_copy[shown[i]]) == 0 || seen[c])
			continue;
		seen[c] = 1;
		line = wp_list_push_map(list);
		wp_map_set_str(line, "text", f->texts[c - 1]);
		l = f->ed_copy_lang[shown[i]] ? f->texts[f->ed_copy_lang[
		    shown[i]] - 1] : NULL;
		if (l && strcmp(l, lang) != 0)
			wp_map_set_str(line, "text_lang", l);
	}
	free(seen);
}

int
wp_page_render_index(wp_site *site, wp_site_summaries *sums,
    const char *lang, wp_render_sink sink, void *sink_data, wp_diags *d)
{
	const wp_template *t = style_template(site, NULL, "index", d);
	wp_arena *arena;
	wp_value *ctx, *labels;
	index_cards cards;
	size_t n, nlangs, *shown;
	char **langs;
	int rc;

	if (t == NULL)
		return -1;
	wp_phrase_memo_trim(site->phrases);   /* (no page borrows from it) */
	labels = site_labels(site, sums, lang, d);
	arena = wp_arena_new();
	ctx = wp_value_new_map_in(arena);
	set_common(ctx, lang, "", labels);
	wp_map_set(ctx, "labels", labels);
	wp_map_set_bool(ctx, "has_coverage", wp_page_has_coverage(site,
	    sums));
	wp_map_set(ctx, "coverage_href", wp_value_new_string_owned(xasprintf(
	    "coverage.%s.html", lang)));
	langs = wp_page_index_langs(sums, &nlangs);
	set_site_langs(site, ctx, langs, nlangs, lang, "index");
	wp_strv_free(langs);
	/* A card a service, made as the template comes to it. */
	n = site_services(sums, lang, &shown);
	cards.site = site;
	cards.sums = sums;
	cards.shown = shown;
	cards.lang = lang;
	cards.labels = labels;
	wp_map_set(ctx, "services", wp_value_new_generated(arena, n,
	    index_card, &cards));
	set_copyrights(ctx, sums, shown, n, lang);
	wp_map_set_bool(ctx, "has_services", n > 0);
	rc = wp_template_render_stream(wp_site_templates(site), t, ctx, sink,
	    sink_data, d);
	wp_arena_free(arena);        /* ctx and the labels it took over */
	free(shown);
	return rc;
}

/*
 * The coverage table of one catalog in lang: a column per service shown
 * (its edition in lang, else its source edition) that uses the catalog,
 * a row per control, each cell the sections that address the control
 * (addressed), or those that cover it through the mapping (covered_via,
 * with via: the mapped controls), or neither.  Its columns, rows and
 * cells are made as the template comes to them (generated lists).
 *
 * A row needs a cell of every column, and the summaries are not all in
 * memory: first each column's cells are written, in row order, into the
 * scratch store (sums->scratch), noting where every COV_GRAIN-th row
 * begins; then the rows are read back a band at a time, a band being as
 * many grains as hold about COV_BAND bytes of cells, with one read a
 * column.  Memory then holds a band, not the table.
 */
#define COV_GRAIN 8
#define COV_BAND (256 * 1024)

typedef struct cov_table {
	wp_site *site;
	wp_site_summaries *sums;
	const wp_catalog *cat;
	const char *lang;
	size_t n;                         /* columns */
	size_t *cols;                     /* the edition of each */
	size_t *direct, *through;         /* controls addressed, via */
	long long *at;                    /* where its cells are */
	wp_value **page;                  /* each column's edition page */
	uint32_t *grains;                 /* ngrains + 1 offsets in them,
	                                     of each column in turn */
	size_t ngrains;
	size_t bytes;                     /* of all the cells */
	size_t band_grains;               /* grains a band */
	size_t band;                      /* the band read, or SIZE_MAX */
	char *buf;                        /* its cells */
	const char **cell;                /* each row's, column by column */
	int failed;                       /* the scratch store failed */
	wp_value *empty;                  /* every cell of a control not
	                                     covered */
	wp_value *addressed, *via;        /* what every cell of a control
	                                     addressed, or covered through
	                                     the mapping, starts with */
	wp_arena *arena;                  /* the page's */
	struct cov_section *sections;     /* a cell's values, made once */
	size_t nsections;
	struct cov_cell *cells[2];        /* (addressed, via) of n sections:
	                                     [n - 1] */
	size_t ncells[2];
} cov_table;

/*
 * A cell's values, made once a table and pointed at each cell's texts
 * in turn (wp_value_point_text: borrowed, the cells' band outlives
 * them), as an edition's headings share one context: the engine renders
 * a cell as soon as it is made and keeps nothing of it.  A cell of n
 * sections is the map of its kind and n, whose sections are the first
 * n of the table's.
 */
typedef struct cov_section {
	wp_value *map, *text, *href, *title;
	wp_buf link;                      /* href's text: page#anchor */
} cov_section;

typedef struct cov_cell {
	wp_value *map;
	wp_value *via;                    /* (of a cell covered via) */
} cov_cell;

/* The cell of row c in a table. */
typedef struct cov_row {
	cov_table *table;
	size_t c;
} cov_row;

/* A string of a cell: its length + 1 (0: there is none) as a number of
 * seven bits a byte, least significant first, the high bit set in all
 * but the last; then its bytes and a NUL. */
static void
cell_put_str(wp_buf *b, const char *s)
{
	size_t n = s ? strlen(s) + 1 : 0;

	while (n >= 0x80) {
		wp_buf_putc(b, (int)(n & 0x7f) | 0x80);
		n >>= 7;
	}
	wp_buf_putc(b, (int)n);
	if (s)
		wp_buf_put(b, s, strlen(s) + 1);
}

/* The number of sections of a cell: three bytes, least significant
 * first. */
static void
cell_put_count(wp_buf *b, size_t n)
{
	wp_buf_putc(b, (int)(n & 0xff));
	wp_buf_putc(b, (int)((n >> 8) & 0xff));
	wp_buf_putc(b, (int)((n >> 16) & 0xff));
}

static unsigned
cell_get_count(const char **p)
{
	const unsigned char *u = (const unsigned char *)*p;

	*p += 3;
	return (unsigned)u[0] | (unsigned)u[1] << 8 | (unsigned)u[2] << 16;
}

/* A string of a cell (cell_put_str), or NULL when there is none. */
static const char *
cell_get_str(const char **p)
{
	const unsigned char *u = (const unsigned char *)*p;
	size_t len = 0;
	int shift = 0;
	const char *s;

	while (*u & 0x80) {
		len |= (size_t)(*u++ & 0x7f) << shift;
		shift += 7;
	}
	len |= (size_t)*u++ << shift;
	*p = (const char *)u;
	if (len == 0)
		return NULL;
	s = *p;
	*p += len;
	return s;
}

/* The cells of column i (its edition's coverage cov) into the store:
 * each a count, then, when there are sections, the via of the first
 * and each section's text, anchor and title (its page is the
 * column's). */
static void
cov_write_column(cov_table *t, size_t i, const wp_summary *s,
    const wp_summary_catalog *cov, wp_buf *b)
{
	const wp_summary_section *sec;
	uint32_t *grains = t->grains + i * (t->ngrains + 1);
	size_t c, k, at = 0, n;
	long long where;

	wp_buf_clear(b);
	t->page[i] = edition_href(s->service, s->lang, NULL);
	for (c = 0; c < t->cat->ncontrols; c++) {
		if (c % COV_GRAIN == 0)
			grains[c / COV_GRAIN] = (uint32_t)b->len;
		n = c < cov->ncontrols ? cov->count[c] : 0;
		cell_put_count(b, n);
		if (n == 0)
			continue;
		cell_put_str(b, cov->sections[at].via);
		for (k = 0; k < n; k++) {
			sec = &cov->sections[at + k];
			cell_put_str(b, sec->text);
			cell_put_str(b, sec->anchor);
			cell_put_str(b, sec->title);
		}
		at += n;
	}
	grains[t->ngrains] = (uint32_t)b->len;
	where = b->len ? wp_summary_store_append(t->sums->scratch, b->data,
	    b->len) : 0;
	if (where < 0 || b->len > UINT32_MAX)
		t->failed = t->sums->failed = 1;
	t->at[i] = where;
	t->bytes += b->len;
}

/* The band of rows that holds row c, read (0, or -1). */
static int
cov_band(cov_table *t, size_t c)
{
	size_t band = c / COV_GRAIN / t->band_grains, g0, g1, i, len = 0;
	size_t rows, r, r0, nrows;
	const uint32_t *grains;
	const char *p;
	unsigned n;

	if (t->failed)
		return -1;
	if (band == t->band)
		return 0;
	g0 = band * t->band_grains;
	g1 = g0 + t->band_grains < t->ngrains ? g0 + t->band_grains :
	    t->ngrains;
	for (i = 0; i < t->n; i++) {
		grains = t->grains + i * (t->ngrains + 1);
		len += grains[g1] - grains[g0];
	}
	r0 = g0 * COV_GRAIN;
	rows = (g1 - g0) * COV_GRAIN;
	nrows = r0 + rows < t->cat->ncontrols ? rows : t->cat->ncontrols - r0;
	free(t->buf);
	free(t->cell);
	t->buf = xmalloc(len + 1);
	t->cell = xcalloc(rows * t->n + 1, sizeof *t->cell);
	t->band = SIZE_MAX;
	for (i = 0, len = 0; i < t->n; i++) {
		grains = t->grains + i * (t->ngrains + 1);
		if (grains[g1] > grains[g0] &&
		    wp_summary_store_read(t->sums->scratch, t->at[i] +
		    grains[g0], t->buf + len, grains[g1] - grains[g0]) != 0) {
			t->failed = t->sums->failed = 1;
			return -1;
		}
		p = t->buf + len;
		for (r = 0; r < nrows; r++) {
			t->cell[r * t->n + i] = p;
			n = cell_get_count(&p);
			if (n == 0)
				continue;
			cell_get_str(&p);
			for (; n > 0; n--) {
				cell_get_str(&p);
				cell_get_str(&p);
				cell_get_str(&p);
			}
		}
		len += grains[g1] - grains[g0];
	}
	t->band = band;
	return 0;
}

/* The map of a cell of kind via (0: addressed) with n sections, made
 * the first time. */
static cov_cell *
cov_cell_of(cov_table *t, int via, size_t n)
{
	cov_section *sec;
	cov_cell *c;
	wp_value *list;
	size_t k;

	for (; t->nsections < n; t->nsections++) {
		t->sections = xrealloc(t->sections, (t->nsections + 1) *
		    sizeof *t->sections);
		sec = &t->sections[t->nsections];
		sec->map = wp_value_new_map_in(t->arena);
		sec->text = wp_map_set_str(sec->map, "text", NULL);
		sec->href = wp_map_set_str(sec->map, "href", NULL);
		sec->title = wp_map_set_str(sec->map, "title", NULL);
		wp_buf_init(&sec->link);
	}
	if (t->ncells[via] < n) {
		t->cells[via] = xrealloc(t->cells[via], n *
		    sizeof *t->cells[via]);
		memset(t->cells[via] + t->ncells[via], 0, (n -
		    t->ncells[via]) * sizeof *t->cells[via]);
		t->ncells[via] = n;
	}
	c = &t->cells[via][n - 1];
	if (c->map == NULL) {
		c->map = wp_map_new_with_in(t->arena, via ? t->via :
		    t->addressed, 2);
		list = wp_map_set_list(c->map, "sections");
		for (k = 0; k < n; k++)
			wp_list_push(list, t->sections[k].map);
		if (via)
			c->via = wp_map_set_str(c->map, "via", NULL);
	}
	return c;
}

static wp_value *
coverage_cell(void *data, size_t i, wp_arena *arena)
{
	const cov_row *r = data;
	cov_table *t = r->table;
	const wp_value *page = t->page[i];
	const char *p, *via, *anchor;
	cov_section *sec;
	cov_cell *c;
	size_t k, n;

	(void)arena;
	if (cov_band(t, r->c) != 0)
		return t->empty;
	p = t->cell[(r->c % (t->band_grains * COV_GRAIN)) * t->n + i];
	n = cell_get_count(&p);
	if (n == 0)
		return t->empty;
	via = cell_get_str(&p);
	c = cov_cell_of(t, via != NULL, n);
	if (via)
		wp_value_point_text(c->via, WP_STRING, via);
	for (k = 0; k < n; k++) {
		sec = &t->sections[k];
		wp_value_point_text(sec->text, WP_STRING, cell_get_str(&p));
		/* (page#anchor, as edition_href() makes it) */
		anchor = cell_get_str(&p);
		wp_buf_clear(&sec->link);
		wp_buf_put(&sec->link, page->u.str.text, page->u.str.len);
		if (anchor) {
			wp_buf_putc(&sec->link, '#');
			wp_buf_puts(&sec->link, anchor);
		}
		wp_value_point_text(sec->href, WP_STRING, wp_buf_cstr(
		    &sec->link));
		wp_value_point_text(sec->title, WP_STRING, cell_get_str(&p));
	}
	return c->map;
}

static wp_value *
coverage_row(void *data, size_t c, wp_arena *arena)
{
	cov_table *t = data;
	const wp_control *ctl = &t->cat->controls[c];
	wp_value *row = wp_value_new_map_in(arena);
	cov_row *r = wp_arena_alloc(arena, sizeof *r);
	const char *fb, *title = wp_control_title(t->cat, ctl, t->lang, &fb);

	wp_map_set_str(row, "label", ctl->label);
	wp_map_set_str(row, "id", ctl->id);
	wp_map_set_str(row, "title", title);
	wp_map_set_ref(row, "title_phrases", memo_phrases(t->site, title));
	wp_map_set_str(row, "title_lang", fb);
	r->table = t;
	r->c = c;
	wp_map_set(row, "cells", wp_value_new_generated(arena, t->n,
	    coverage_cell, r));
	return row;
}

static wp_value *
coverage_column(void *data, size_t i, wp_arena *arena)
{
	const cov_table *t = data;
	const wp_summary *s = sum_head(t->sums, t->cols[i]);
	wp_value *col = index_entry(t->site, s, arena);

	wp_map_set_ref(col, "short_title_phrases", memo_phrases(t->site,
	    s->short_title));
	sum_put(t->sums, t->cols[i], s);
	wp_map_set_int(col, "addressed", (long long)t->direct[i]);
	wp_map_set_int(col, "via_count", (long long)t->through[i]);
	wp_map_set_bool(col, "has_via", t->through[i] > 0);
	wp_map_set_int(col, "total", (long long)t->cat->ncontrols);
	return col;
}

/* The coverage of catalog id by an edition, or NULL. */
static const wp_summary_catalog *
summary_coverage(const wp_summary *s, const char *id)
{
	size_t k;

	if (!s->coverage)
		return NULL;
	for (k = 0; k < s->ncatalogs; k++)
		if (strcmp(s->catalogs[k].id, id) == 0)
			return &s->catalogs[k];
	return NULL;
}

/* How many controls a column's edition addresses and covers only
 * through the mapping. */
static void
count_coverage(const wp_summary_catalog *cov, size_t *direct,
    size_t *through)
{
	size_t c, at = 0;

	*direct = *through = 0;
	for (c = 0; c < cov->ncontrols; c++) {
		if (cov->count[c] == 0)
			continue;
		if (cov->sections[at].via)
			(*through)++;
		else
			(*direct)++;
		at += cov->count[c];
	}
}

static void
cov_table_free(void *p)
{
	cov_table *t = p;
	size_t i;

	free(t->cols);
	free(t->direct);
	free(t->through);
	free(t->at);
	for (i = 0; i < t->n; i++)
		wp_value_free(t->page[i]);
	free(t->page);
	for (i = 0; i < t->nsections; i++)
		wp_buf_free(&t->sections[i].link);
	free(t->sections);
	free(t->cells[0]);
	free(t->cells[1]);
	free(t->grains);
	free(t->buf);
	free(t->cell);
}

/* The table of one catalog (in arena, freeing its columns' data with
 * it), for at most ncols columns, added by coverage_add_column(). */
static cov_table *
coverage_table(wp_site *site, const wp_catalog *cat, wp_site_summaries *sums,
    size_t ncols, const char *lang, wp_arena *arena)
{
	cov_table *t = wp_arena_alloc(arena, sizeof *t);

	memset(t, 0, sizeof *t);
	t->site = site;
	t->arena = arena;
	t->sums = sums;
	t->cat = cat;
	t->lang = lang;
	t->ngrains = (cat->ncontrols + COV_GRAIN - 1) / COV_GRAIN;
	t->cols = xcalloc(ncols + 1, sizeof *t->cols);
	t->direct = xcalloc(ncols + 1, sizeof *t->direct);
	t->through = xcalloc(ncols + 1, sizeof *t->through);
	t->at = xcalloc(ncols + 1, sizeof *t->at);
	t->page = xcalloc(ncols + 1, sizeof *t->page);
	t->grains = xcalloc((ncols + 1) * (t->ngrains + 1),
	    sizeof *t->grains);
	t->band = SIZE_MAX;
	wp_arena_on_free(arena, cov_table_free, t);
	return t;
}

/* Edition i (s, whose coverage of the table's catalog is cov) as the
 * table's next column: its counts, its cells into the store. */
static void
coverage_add_column(cov_table *t, size_t i, const wp_summary *s,
    const wp_summary_catalog *cov, wp_buf *cells)
{
	t->cols[t->n] = i;
	count_coverage(cov, &t->direct[t->n], &t->through[t->n]);
	cov_write_column(t, t->n, s, cov, cells);
	t->n++;
}

/* The map of a table whose columns are all added. */
static wp_value *
coverage_catalog(cov_table *t, const char *lang, wp_arena *arena)
{
	const wp_catalog *cat = t->cat;
	const char *display = summary_catalog_name(t->sums, cat->id, lang);
	const char *title = wp_catalog_title(cat, lang);
	wp_value *m = wp_value_new_map_in(arena);
	size_t i;
	int any_via = 0;

	wp_map_set_str(m, "id", cat->id);
	wp_map_set_str(m, "name", display);
	wp_map_set_str(m, "title", title);
	wp_map_set_str(m, "heading", catalog_heading(display, title));
	set_phrases(m, "heading_phrases", catalog_heading(display, title));
	wp_map_set(m, "via_note_id", wp_value_new_string_owned(xasprintf(
	    "wp-cov-%s-via", cat->id)));
	for (i = 0; i < t->n; i++)
		any_via |= t->through[i] > 0;
	/* As many grains a band as hold about COV_BAND bytes. */
	t->band_grains = t->ngrains;
	if (t->bytes > COV_BAND)
		t->band_grains = t->ngrains / (t->bytes / COV_BAND + 1);
	if (t->band_grains == 0)
		t->band_grains = 1;
	/* The cells of controls a service does not cover are all alike:
	 * one value for all of them; the others start from one of two
	 * (their flags set once, not in each cell). */
	t->empty = wp_value_new_map_in(arena);
	wp_map_set_list(t->empty, "sections");
	wp_map_set_bool(t->empty, "addressed", 0);
	wp_map_set_bool(t->empty, "covered_via", 0);
	t->addressed = wp_value_new_map_in(arena);
	wp_map_set_bool(t->addressed, "addressed", 1);
	wp_map_set_bool(t->addressed, "covered_via", 0);
	t->via = wp_value_new_map_in(arena);
	wp_map_set_bool(t->via, "addressed", 0);
	wp_map_set_bool(t->via, "covered_via", 1);
	wp_map_set(m, "services", wp_value_new_generated(arena, t->n,
	    coverage_column, t));
	wp_map_set(m, "rows", wp_value_new_generated(arena, cat->ncontrols,
	    coverage_row, t));
	wp_map_set_bool(m, "has_services", t->n > 0);
	wp_map_set_bool(m, "has_via", any_via);
	return m;
}

/* The catalog tables of the coverage page in lang, with their columns
 * (the editions shown[0..n) that take part: their indexes into cols,
 * *ncols of them), in the order the services list the catalogs (the
 * 27017 table first in a site of 27017 whitepapers): one pass over the
 * editions.  malloc'd, *ntables of them. */
static cov_table **
coverage_tables(wp_site *site, wp_site_summaries *sums, const size_t *shown,
    size_t n, size_t *cols, size_t *ncols, const char *lang,
    wp_arena *arena, size_t *ntables)
{
	cov_table **tables = NULL;
	const wp_summary *s;
	const wp_catalog *cat;
	wp_buf cells = WP_BUF_INIT;
	wp_strset done;
	size_t i, j, k;

	wp_strset_init(&done);
	*ntables = *ncols = 0;
	for (i = 0; i < n; i++) {
		s = sum_get(sums, shown[i]);
		if (s->coverage)
			cols[(*ncols)++] = shown[i];
		for (j = 0; s->coverage && j < s->ncatalogs; j++) {
			for (k = 0; k < *ntables; k++)
				if (strcmp(tables[k]->cat->id,
				    s->catalogs[j].id) == 0)
					break;
			/* (a table the first time its catalog is met) */
			if (k == *ntables && wp_strset_add(&done,
			    s->catalogs[j].id) && (cat = wp_catalogs_get(
			    site->catalogs, s->catalogs[j].id)) != NULL) {
				tables = xrealloc(tables, (*ntables + 1) *
				    sizeof *tables);
				tables[(*ntables)++] = coverage_table(site, cat,
				    sums, n, lang, arena);
			}
			/* (a column of every table whose catalog the
			 * edition covers: summary_coverage()) */
			if (k < *ntables && summary_coverage(s,
			    s->catalogs[j].id) == &s->catalogs[j])
				coverage_add_column(tables[k], shown[i], s,
				    &s->catalogs[j], &cells);
		}
		sum_put(sums, shown[i], s);
	}
	wp_strset_free(&done);
	wp_buf_free(&cells);
	return tables;
}

int
wp_page_render_coverage(wp_site *site, wp_site_summaries *sums,
    const char *lang, wp_render_sink sink, void *sink_data, wp_diags *d)
{
	const wp_template *t = style_template(site, NULL, "coverage", d);
	wp_value *ctx, *cats, *labels;
	cov_table **tables;
	wp_arena *arena;
	char **langs;
	size_t i, n = 0, ntables, nservices, nlangs, *shown, *cols;
	int rc;

	if (t == NULL)
		return -1;
	wp_phrase_memo_trim(site->phrases);   /* (no page borrows from it) */
	sums->failed = 0;
	/* A column a service that takes part: its edition in lang, else
	 * its source edition. */
	nservices = site_services(sums, lang, &shown);
	cols = xcalloc(nservices + 1, sizeof *cols);
	labels = site_labels(site, sums, lang, d);
	arena = wp_arena_new();
	ctx = wp_value_new_map_in(arena);
	set_common(ctx, lang, "", labels);
	wp_map_set(ctx, "labels", labels);
	langs = wp_page_index_langs(sums, &nlangs);
	set_site_langs(site, ctx, langs, nlangs, lang, "coverage");
	wp_strv_free(langs);
	wp_map_set(ctx, "home_href", wp_value_new_string_owned(xasprintf(
	    "index.%s.html", lang)));
	tables = coverage_tables(site, sums, shown, nservices, cols, &n, lang,
	    arena, &ntables);
	cats = wp_map_set_list(ctx, "catalogs");
	for (i = 0; i < ntables; i++)
		wp_list_push(cats, coverage_catalog(tables[i], lang, arena));
	free(tables);
	set_copyrights(ctx, sums, cols, n, lang);
	rc = wp_template_render_stream(wp_site_templates(site), t, ctx, sink,
	    sink_data, d);
	if (rc == 0 && sums->failed) {
		wp_diag_add(d, WP_ERROR, site->content_dir, 0, 0, "io-error",
		    "cannot keep the coverage page's cells in the build "
		    "directory: %s", strerror(errno));
		rc = -1;
	}
	wp_arena_free(arena);        /* ctx, the labels, the tables' data */
	free(cols);
	free(shown);
	return rc;
}
