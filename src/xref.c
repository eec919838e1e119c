/*
 * xref.c: cross-references and outlines, and their JSON and CSV forms
 * (xref.h).
 */
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "util.h"
#include "xref.h"

static int
allowed_has(const char *const *allowed, const char *id)
{
	size_t i;

	if (allowed == NULL)
		return 1;
	for (i = 0; allowed[i]; i++)
		if (strcmp(allowed[i], id) == 0)
			return 1;
	return 0;
}

/* Counting sort of (control, section) pairs into per-control runs. */
static void
index_catalog(wp_xref_catalog *xc, const wp_document *doc)
{
	size_t n = xc->catalog->ncontrols, i, j, total = 0, c;
	size_t *fill;
	const wp_section *s;

	xc->first = xcalloc(n + 1, sizeof *xc->first);
	for (i = 0; doc && i < doc->nsections; i++) {
		s = &doc->sections[i];
		for (j = 0; j < s->ncontrols; j++)
			if (s->controls[j].catalog == xc->catalog) {
				xc->first[s->controls[j].control + 1]++;
				total++;
			}
	}
	for (c = 0; c < n; c++)
		xc->first[c + 1] += xc->first[c];
	xc->sections = xcalloc(total + 1, sizeof *xc->sections);
	fill = xcalloc(n + 1, sizeof *fill);
	for (i = 0; doc && i < doc->nsections; i++) {
		s = &doc->sections[i];
		for (j = 0; j < s->ncontrols; j++) {
			if (s->controls[j].catalog != xc->catalog)
				continue;
			c = s->controls[j].control;
			xc->sections[xc->first[c] + fill[c]++] = i;
		}
	}
	free(fill);
}

/* Whether any section of doc names a control. */
static int
has_controls(const wp_document *doc)
{
	size_t i;

	for (i = 0; i < doc->nsections; i++)
		if (doc->sections[i].ncontrols > 0)
			return 1;
	return 0;
}

static void index_via(wp_xref *x, size_t k);

wp_xref *
wp_xref_new(const wp_catalogs *set, const char *const *allowed,
    const wp_document *doc, const char *service, const char *lang)
{
	wp_xref *x = xcalloc(1, sizeof *x);
	size_t i, k = 0;
	const wp_catalog *cat;

	x->set = set;
	x->doc = doc;
	x->service = service;
	x->lang = lang;
	x->catalogs = xcalloc(set->len + 1, sizeof *x->catalogs);
	if (allowed) {
		for (i = 0; allowed[i]; i++)
			if ((cat = wp_catalogs_get(set, allowed[i])) != NULL)
				x->catalogs[k++].catalog = cat;
	} else if (has_controls(doc)) {
		for (i = 0; i < set->len; i++)
			if (allowed_has(allowed, set->items[i]->id))
				x->catalogs[k++].catalog = set->items[i];
	}
	/* else a plain document: no catalogs, no control statements, so
	 * no appendix and no coverage. */
	x->ncatalogs = k;
	for (i = 0; i < k; i++)
		index_catalog(&x->catalogs[i], doc);
	for (i = 0; i < k; i++)
		index_via(x, i);
	return x;
}

void
wp_xref_free(wp_xref *x)
{
	size_t i;

	if (x == NULL)
		return;
	for (i = 0; i < x->ncatalogs; i++) {
		free(x->catalogs[i].first);
		free(x->catalogs[i].sections);
		free(x->catalogs[i].via_first);
		free(x->catalogs[i].via);
	}
	free(x->catalogs);
	free(x);
}

size_t
wp_xref_count(const wp_xref *x, size_t k, size_t c)
{
	return x->catalogs[k].first[c + 1] - x->catalogs[k].first[c];
}

const size_t *
wp_xref_sections(const wp_xref *x, size_t k, size_t c)
{
	return x->catalogs[k].sections + x->catalogs[k].first[c];
}

const char *
wp_section_link_text(const wp_section *s)
{
	if (s->number)
		return s->number;
	if (s->control_heading)
		return s->key;
	return s->title;
}

char *
wp_catalog_marker_name(const wp_catalog *cat)
{
	return wp_catalog_marker_standard(cat, NULL, NULL);
}

const wp_map_target *
wp_xref_mapped(const wp_catalogs *set, const wp_catalog *cat, size_t c,
    size_t i, size_t *n)
{
	size_t nf = 0, nr = 0;
	const wp_map_target *f = wp_catalogs_maps_to(set, cat, c, &nf);
	const wp_map_target *r = wp_catalogs_maps_from(set, cat, c, &nr);

	*n = nf + nr;
	if (i < nf)
		return &f[i];
	return i < nf + nr ? &r[i - nf] : NULL;
}

/* The catalog in use at index *k that cat is, if any. */
static int
catalog_index(const wp_xref *x, const wp_catalog *cat, size_t *k)
{
	size_t i;

	for (i = 0; i < x->ncatalogs; i++)
		if (x->catalogs[i].catalog == cat) {
			*k = i;
			return 1;
		}
	return 0;
}

/*
 * The controls that control c of catalog k is covered through: none
 * when a section addresses it; else those it is mapped with (either
 * way) that a section of a catalog in use addresses, in the order of
 * wp_xref_mapped.  Worked out once for every control when the xref is
 * made (index_via): the JSON, the CSV, the appendix and the coverage
 * ask for them control by control, item by item.
 */
static size_t
via_of(const wp_xref *x, size_t k, size_t c, struct wp_xref_via_pair *out)
{
	const wp_catalog *cat = x->catalogs[k].catalog;
	const wp_map_target *t;
	size_t j, n, found = 0, tk;

	if (wp_xref_count(x, k, c) > 0)
		return 0;
	wp_xref_mapped(x->set, cat, c, 0, &n);
	for (j = 0; j < n; j++) {
		t = wp_xref_mapped(x->set, cat, c, j, &n);
		if (!catalog_index(x, t->catalog, &tk) ||
		    wp_xref_count(x, tk, t->control) == 0)
			continue;
		if (out) {
			out[found].k = tk;
			out[found].c = t->control;
		}
		found++;
	}
	return found;
}

static void
index_via(wp_xref *x, size_t k)
{
	wp_xref_catalog *xc = &x->catalogs[k];
	size_t n = xc->catalog->ncontrols, c;

	xc->via_first = xcalloc(n + 1, sizeof *xc->via_first);
	for (c = 0; c < n; c++)
		xc->via_first[c + 1] = xc->via_first[c] + via_of(x, k, c,
		    NULL);
	xc->via = xcalloc(xc->via_first[n] + 1, sizeof *xc->via);
	for (c = 0; c < n; c++)
		via_of(x, k, c, xc->via + xc->via_first[c]);
}

int
wp_xref_via(const wp_xref *x, size_t k, size_t c, size_t i, size_t *vk,
    size_t *vc)
{
	const wp_xref_catalog *xc = &x->catalogs[k];

	if (i >= xc->via_first[c + 1] - xc->via_first[c])
		return 0;
	*vk = xc->via[xc->via_first[c] + i].k;
	*vc = xc->via[xc->via_first[c] + i].c;
	return 1;
}

static int
cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return x < y ? -1 : x > y;
}

size_t *
wp_xref_via_sections(const wp_xref *x, size_t k, size_t c, size_t *n)
{
	size_t i, j, vk, vc, count, len = 0, cap = 0, u = 0;
	const size_t *secs;
	size_t *all = NULL;

	for (i = 0; wp_xref_via(x, k, c, i, &vk, &vc); i++) {
		count = wp_xref_count(x, vk, vc);
		secs = wp_xref_sections(x, vk, vc);
		if (len + count > cap) {
			cap = (len + count) * 2;
			all = xrealloc(all, cap * sizeof *all);
		}
		for (j = 0; j < count; j++)
			all[len++] = secs[j];
	}
	if (len > 1)
		qsort(all, len, sizeof *all, cmp_size);
	for (i = 0; i < len; i++)
		if (u == 0 || all[u - 1] != all[i])
			all[u++] = all[i];
	*n = u;
	return all;
}

/* ---- what every edition of a catalog in a language writes the same ---- */

typedef struct text {
	const char *s;
	size_t n;
} text;

/* The controls of cat in lang as xref.json and xref.csv show them apart
 * from their sections (wp_xref_texts): per control its JSON object up
 * to its sections (json_head) and from there to its via (json_maps),
 * and the cells of the CSV columns that depend on the catalog only
 * (csv[c * NCOLUMNS + col], catalog_column()). */
typedef struct catalog_texts {
	const wp_catalog *cat;
	const char *lang;
	text *json_head, *json_maps, *csv;
	struct catalog_texts *next;
} catalog_texts;

struct wp_xref_texts {
	wp_arena *arena;
	catalog_texts *list;
};

static const catalog_texts *catalog_texts_get(wp_xref_texts *texts,
    const wp_xref *x, const wp_catalog *cat);

/* ---- JSON ---- */

static void
json_str(wp_buf *out, const char *s)
{
	if (s == NULL)
		wp_buf_puts(out, "null");
	else
		wp_buf_put_json(out, s, strlen(s));
}

static void
json_section_ref(wp_buf *out, const wp_section *s)
{
	wp_buf_puts(out, "{\"number\": ");
	json_str(out, s->number);
	wp_buf_puts(out, ", \"anchor\": ");
	json_str(out, s->anchor);
	wp_buf_puts(out, ", \"title\": ");
	json_str(out, s->title);
	wp_buf_putc(out, '}');
}

/* `, "via": [{"catalog", "label", "sections"}...` (the caller closes
 * the list). */
static void
json_via(const wp_xref *x, size_t k, size_t c, wp_buf *out)
{
	size_t i, j, vk, vc, count;
	const size_t *secs;
	const wp_catalog *vcat;

	wp_buf_puts(out, "], \"via\": [");
	for (i = 0; wp_xref_via(x, k, c, i, &vk, &vc); i++) {
		vcat = x->catalogs[vk].catalog;
		wp_buf_puts(out, i ? ", {\"catalog\": " : "{\"catalog\": ");
		json_str(out, vcat->id);
		wp_buf_puts(out, ", \"label\": ");
		json_str(out, vcat->controls[vc].label);
		wp_buf_puts(out, ", \"sections\": [");
		count = wp_xref_count(x, vk, vc);
		secs = wp_xref_sections(x, vk, vc);
		for (j = 0; j < count; j++) {
			if (j)
				wp_buf_puts(out, ", ");
			json_section_ref(out, &x->doc->sections[secs[j]]);
		}
		wp_buf_puts(out, "]}");
	}
}

/* The part of control c of cat's object up to its sections: `{"id": ...
 * "family_id": ...,` and `"sections": [`. */
static void
json_head(const wp_catalog *cat, size_t c, const char *lang, wp_buf *out)
{
	const wp_control *ctl = &cat->controls[c];
	const char *fallback;
	const wp_group *family = wp_control_family(cat, c);

	wp_buf_puts(out, "{\"id\": ");
	json_str(out, ctl->id);
	wp_buf_puts(out, ", \"label\": ");
	json_str(out, ctl->label);
	wp_buf_puts(out, ", \"alt_identifier\": ");
	json_str(out, ctl->alt_identifier);
	wp_buf_puts(out, ", \"title\": ");
	json_str(out, wp_control_title(cat, ctl, lang, &fallback));
	wp_buf_puts(out, ", \"family\": ");
	json_str(out, family ? wp_group_title(cat, family, lang,
	    &fallback) : NULL);
	wp_buf_puts(out, ", \"family_id\": ");
	json_str(out, family ? family->id : NULL);
	wp_buf_puts(out, ",\n       \"sections\": [");
}

/* From the end of its sections to its via: `], "maps_to": [...`. */
static void
json_maps(const wp_catalogs *set, const wp_catalog *cat, size_t c,
    wp_buf *out)
{
	const wp_map_target *maps;
	size_t i, n;

	wp_buf_puts(out, "], \"maps_to\": [");
	wp_xref_mapped(set, cat, c, 0, &n);
	for (i = 0; i < n; i++) {
		maps = wp_xref_mapped(set, cat, c, i, &n);
		wp_buf_puts(out, i ? ", {\"catalog\": " : "{\"catalog\": ");
		json_str(out, maps->catalog->id);
		wp_buf_puts(out, ", \"label\": ");
		json_str(out, maps->catalog->controls[maps->control].label);
		wp_buf_putc(out, '}');
	}
}

/* Control c of catalog k (t: the catalog's kept texts). */
static void
json_control(const wp_xref *x, const catalog_texts *t, size_t k, size_t c,
    wp_buf *out)
{
	size_t i, count = wp_xref_count(x, k, c);
	const size_t *secs = wp_xref_sections(x, k, c);

	wp_buf_put(out, t->json_head[c].s, t->json_head[c].n);
	for (i = 0; i < count; i++) {
		if (i)
			wp_buf_puts(out, ", ");
		json_section_ref(out, &x->doc->sections[secs[i]]);
	}
	wp_buf_put(out, t->json_maps[c].s, t->json_maps[c].n);
	json_via(x, k, c, out);
	wp_buf_puts(out, "]}");
}

void
wp_xref_write_json(const wp_xref *x, const struct wp_value *standards,
    wp_xref_texts *texts, wp_buf *out)
{
	/* (the catalogs' texts made for this file alone when none are
	 * kept: those a build keeps are made by the same code) */
	wp_xref_texts *own = texts ? NULL : (texts = wp_xref_texts_new());
	const catalog_texts *t;
	size_t k, c;

	wp_buf_puts(out, "{\"service\": ");
	json_str(out, x->service);
	wp_buf_puts(out, ", \"language\": ");
	json_str(out, x->lang);
	wp_buf_puts(out, ",\n \"catalogs\": [");
	for (k = 0; k < x->ncatalogs; k++) {
		wp_buf_puts(out, k ? ",\n  {\"id\": " : "\n  {\"id\": ");
		json_str(out, x->catalogs[k].catalog->id);
		wp_buf_puts(out, ", \"name\": ");
		json_str(out, wp_catalog_name(x->catalogs[k].catalog, standards,
		    x->lang));
		wp_buf_puts(out, ", \"title\": ");
		json_str(out, wp_catalog_title(x->catalogs[k].catalog,
		    x->lang));
		wp_buf_puts(out, ", \"version\": ");
		json_str(out, x->catalogs[k].catalog->version);
		wp_buf_puts(out, ",\n   \"controls\": [");
		t = catalog_texts_get(texts, x, x->catalogs[k].catalog);
		for (c = 0; c < x->catalogs[k].catalog->ncontrols; c++) {
			wp_buf_puts(out, c ? ",\n     " : "\n     ");
			json_control(x, t, k, c, out);
		}
		wp_buf_puts(out, "]}");
	}
	wp_buf_puts(out, "]}\n");
	wp_xref_texts_free(own);
}

/* ---- CSV (RFC 4180) ---- */

static void
csv_field(wp_buf *out, const char *s)
{
	const char *p;
	size_t n;

	if (s == NULL)
		s = "";
	n = strcspn(s, ",\"\r\n");
	if (s[n] == '\0') {    /* nothing to quote: n is its length */
		wp_buf_put(out, s, n);
		return;
	}
	wp_buf_putc(out, '"');
	for (p = s; *p; p++) {
		if (*p == '"')
			wp_buf_putc(out, '"');
		wp_buf_putc(out, *p);
	}
	wp_buf_putc(out, '"');
}

/* The columns of the CSV, by name.  The first six are cli.md's contract,
 * in its order; the rest add to it. */
enum {
	COL_CATALOG, COL_LABEL, COL_ALT, COL_TITLE, COL_SECTIONS, COL_MAPS,
	COL_CATALOG_NAME, COL_FAMILY, COL_FAMILY_ID, COL_ID, COL_ADDRESSED,
	COL_SECTION_TITLES, COL_SECTION_URLS, COL_VIA, COL_VIA_SECTIONS,
	NCOLUMNS
};

static const char *const column_names[NCOLUMNS] = {
	"catalog", "label", "alt_identifier", "title", "sections", "maps_to",
	"catalog_name", "family", "family_id", "id", "addressed",
	"section_titles", "section_urls", "via", "via_sections"
};

const char *const wp_xref_csv_default_columns =
    "catalog,label,alt_identifier,title,sections,maps_to,catalog_name,"
    "family,id,addressed,section_titles,section_urls,via,via_sections";

static int
column_index(const char *name, size_t len)
{
	int i;

	for (i = 0; i < NCOLUMNS; i++)
		if (strlen(column_names[i]) == len &&
		    memcmp(column_names[i], name, len) == 0)
			return i;
	return -1;
}

/* The column indices of a comma-separated list into cols[NCOLUMNS]
 * (each column once); their number, or -1 with *bad the first unknown
 * or repeated name (malloc'd) and *twice whether it is repeated. */
static int
parse_columns(const char *list, int *cols, char **bad, int *twice)
{
	const char *p = list, *end;
	size_t n = 0, len, i;
	int c;

	*bad = NULL;
	*twice = 0;
	for (;;) {
		end = strchr(p, ',');
		len = end ? (size_t)(end - p) : strlen(p);
		c = column_index(p, len);
		for (i = 0; c >= 0 && i < n; i++)
			if (cols[i] == c)
				*twice = 1;
		if (c < 0 || *twice) {
			*bad = xstrndup(p, len);
			return -1;
		}
		cols[n++] = c;
		if (end == NULL)
			return (int)n;
		p = end + 1;
	}
}

char *
wp_xref_csv_columns_check(const char *list, const char **near, int *twice)
{
	int cols[NCOLUMNS];
	char *bad;
	size_t i, d, bestd = 3;

	*near = NULL;
	if (parse_columns(list, cols, &bad, twice) >= 0 || *twice)
		return bad;
	for (i = 0; i < NCOLUMNS && *bad && strlen(bad) < 64; i++)
		if ((d = wp_edit_distance(bad, column_names[i])) < bestd) {
			bestd = d;
			*near = column_names[i];
		}
	return bad;
}

const char *
wp_xref_csv_column_name(size_t i)
{
	return i < NCOLUMNS ? column_names[i] : NULL;
}

/* The sections of control c of catalog k: what (0 number, 1 title, 2
 * URL relative to the edition's page), joined by sep; the list is made
 * in the scratch buffer list (a list cell's, reused), then quoted. */
static void
csv_sections(const wp_xref *x, size_t k, size_t c, int what,
    const char *sep, wp_buf *list, wp_buf *out)
{
	size_t i, count = wp_xref_count(x, k, c);
	const size_t *secs = wp_xref_sections(x, k, c);
	const wp_section *s;

	wp_buf_clear(list);
	for (i = 0; i < count; i++) {
		s = &x->doc->sections[secs[i]];
		if (i)
			wp_buf_puts(list, sep);
		if (what == 0) {
			wp_buf_puts(list, wp_section_link_text(s));
		} else if (what == 1) {
			wp_buf_puts(list, s->title);
		} else {
			wp_buf_puts(list, "index.html#");
			wp_buf_puts(list, s->anchor);
		}
	}
	csv_field(out, wp_buf_cstr(list));
}

/* The labels of the controls that control c of cat is mapped with. */
static void
csv_maps(const wp_catalogs *set, const wp_catalog *cat, size_t c,
    wp_buf *list, wp_buf *out)
{
	const wp_map_target *t;
	size_t i, n;

	wp_buf_clear(list);
	wp_xref_mapped(set, cat, c, 0, &n);
	for (i = 0; i < n; i++) {
		t = wp_xref_mapped(set, cat, c, i, &n);
		if (i)
			wp_buf_putc(list, ' ');
		wp_buf_puts(list, t->catalog->controls[t->control].label);
	}
	csv_field(out, wp_buf_cstr(list));
}

/* The via (what 0) or via_sections (1) field of control c of catalog
 * k: the labels of the controls it is covered through (wp_xref_via), or
 * their sections' link texts. */
static void
csv_via(const wp_xref *x, size_t k, size_t c, int what, wp_buf *list,
    wp_buf *out)
{
	size_t i, n, vk, vc, *secs;

	wp_buf_clear(list);
	if (what == 0) {
		for (i = 0; wp_xref_via(x, k, c, i, &vk, &vc); i++) {
			if (i)
				wp_buf_putc(list, ' ');
			wp_buf_puts(list,
			    x->catalogs[vk].catalog->controls[vc].label);
		}
	} else {
		secs = wp_xref_via_sections(x, k, c, &n);
		for (i = 0; i < n; i++) {
			if (i)
				wp_buf_putc(list, ' ');
			wp_buf_puts(list, wp_section_link_text(
			    &x->doc->sections[secs[i]]));
		}
		free(secs);
	}
	csv_field(out, wp_buf_cstr(list));
}

/* Whether column col's cells depend on the catalog and language only
 * (csv_catalog_cell). */
static int
catalog_column(int col)
{
	return col == COL_CATALOG || col == COL_LABEL || col == COL_ALT ||
	    col == COL_TITLE || col == COL_MAPS || col == COL_FAMILY ||
	    col == COL_FAMILY_ID || col == COL_ID;
}

/* The cell of such a column for control c of cat in lang. */
static void
csv_catalog_cell(const wp_catalogs *set, const wp_catalog *cat, size_t c,
    const char *lang, int col, wp_buf *list, wp_buf *out)
{
	const wp_control *ctl = &cat->controls[c];
	const wp_group *family = col == COL_FAMILY || col == COL_FAMILY_ID ?
	    wp_control_family(cat, c) : NULL;
	const char *fb;

	switch (col) {
	case COL_CATALOG: csv_field(out, cat->id); break;
	case COL_LABEL: csv_field(out, ctl->label); break;
	case COL_ALT: csv_field(out, ctl->alt_identifier); break;
	case COL_TITLE:
		csv_field(out, wp_control_title(cat, ctl, lang, &fb));
		break;
	case COL_MAPS: csv_maps(set, cat, c, list, out); break;
	case COL_FAMILY:
		csv_field(out, family ? wp_group_title(cat, family, lang,
		    &fb) : NULL);
		break;
	case COL_FAMILY_ID: csv_field(out, family ? family->id : NULL); break;
	case COL_ID: csv_field(out, ctl->id); break;
	}
}

/* The cell of column col for control c of catalog k (t: the catalog's
 * kept texts; catalog_name: its name, quoted); list: a scratch buffer
 * for the cells that list. */
static void
csv_cell(const wp_xref *x, const catalog_texts *t, const char *catalog_name,
    size_t k, size_t c, int col, wp_buf *list, wp_buf *out)
{
	const text *kept;
	size_t vk, vc;

	if (catalog_column(col)) {
		kept = &t->csv[c * NCOLUMNS + col];
		wp_buf_put(out, kept->s, kept->n);
		return;
	}
	switch (col) {
	case COL_SECTIONS: csv_sections(x, k, c, 0, " ", list, out); break;
	case COL_CATALOG_NAME: wp_buf_puts(out, catalog_name); break;
	case COL_ADDRESSED:
		wp_buf_puts(out, wp_xref_count(x, k, c) ? "yes" :
		    wp_xref_via(x, k, c, 0, &vk, &vc) ? "via" : "no");
		break;
	case COL_VIA: csv_via(x, k, c, 0, list, out); break;
	case COL_VIA_SECTIONS: csv_via(x, k, c, 1, list, out); break;
	case COL_SECTION_TITLES:
		csv_sections(x, k, c, 1, " | ", list, out);
		break;
	case COL_SECTION_URLS: csv_sections(x, k, c, 2, " ", list, out); break;
	}
}

void
wp_xref_write_csv(const wp_xref *x, const struct wp_value *standards,
    wp_xref_texts *texts, const char *columns, wp_buf *out)
{
	int cols[NCOLUMNS], n, i, twice;
	size_t k, c;
	char *bad;
	const wp_catalog *cat;
	const catalog_texts *t;
	wp_buf list = WP_BUF_INIT, name = WP_BUF_INIT;
	wp_xref_texts *own;

	n = parse_columns(columns ? columns : wp_xref_csv_default_columns,
	    cols, &bad, &twice);
	if (n < 0) {    /* the caller checked them */
		free(bad);
		return;
	}
	own = texts ? NULL : (texts = wp_xref_texts_new());
	for (i = 0; i < n; i++) {
		if (i)
			wp_buf_putc(out, ',');
		wp_buf_puts(out, column_names[cols[i]]);
	}
	wp_buf_puts(out, "\r\n");
	for (k = 0; k < x->ncatalogs; k++) {
		cat = x->catalogs[k].catalog;
		t = catalog_texts_get(texts, x, cat);
		wp_buf_clear(&name);
		csv_field(&name, wp_catalog_name(cat, standards, x->lang));
		for (c = 0; c < cat->ncontrols; c++) {
			for (i = 0; i < n; i++) {
				if (i)
					wp_buf_putc(out, ',');
				csv_cell(x, t, wp_buf_cstr(&name), k, c,
				    cols[i], &list, out);
			}
			wp_buf_puts(out, "\r\n");
		}
	}
	wp_buf_free(&list);
	wp_buf_free(&name);
	wp_xref_texts_free(own);
}

/* ---- kept texts ---- */

wp_xref_texts *
wp_xref_texts_new(void)
{
	wp_xref_texts *t = xcalloc(1, sizeof *t);

	t->arena = wp_arena_new();
	return t;
}

void
wp_xref_texts_free(wp_xref_texts *t)
{
	if (t == NULL)
		return;
	wp_arena_free(t->arena);
	free(t);
}

/* What b holds, kept in arena a; b cleared. */
static text
keep(wp_arena *a, wp_buf *b)
{
	text t;

	t.n = b->len;
	t.s = wp_arena_strndup(a, wp_buf_cstr(b), b->len);
	wp_buf_clear(b);
	return t;
}

/* The texts of cat in x's language (made on first use). */
static const catalog_texts *
catalog_texts_get(wp_xref_texts *texts, const wp_xref *x,
    const wp_catalog *cat)
{
	wp_arena *a = texts->arena;
	wp_buf b = WP_BUF_INIT, list = WP_BUF_INIT;
	catalog_texts *t;
	size_t c, n = cat->ncontrols;
	int col;

	for (t = texts->list; t; t = t->next)
		if (t->cat == cat && strcmp(t->lang, x->lang) == 0)
			return t;
	t = wp_arena_alloc(a, sizeof *t);
	t->cat = cat;
	t->lang = wp_arena_strndup(a, x->lang, strlen(x->lang));
	t->json_head = wp_arena_alloc(a, (n + 1) * sizeof *t->json_head);
	t->json_maps = wp_arena_alloc(a, (n + 1) * sizeof *t->json_maps);
	t->csv = wp_arena_alloc(a, (n + 1) * NCOLUMNS * sizeof *t->csv);
	for (c = 0; c < n; c++) {
		json_head(cat, c, x->lang, &b);
		t->json_head[c] = keep(a, &b);
		json_maps(x->set, cat, c, &b);
		t->json_maps[c] = keep(a, &b);
		for (col = 0; col < NCOLUMNS; col++) {
			if (!catalog_column(col))
				continue;
			csv_catalog_cell(x->set, cat, c, x->lang, col, &list,
			    &b);
			t->csv[c * NCOLUMNS + col] = keep(a, &b);
		}
	}
	wp_buf_free(&b);
	wp_buf_free(&list);
	t->next = texts->list;
	texts->list = t;
	return t;
}

/* ---- outline ---- */

void
wp_outline_write_json(const wp_document *doc, const char *service,
    wp_buf *out)
{
	size_t i, j;
	const wp_section *s;
	const wp_control_ref *r;

	wp_buf_puts(out, "{\"service\": ");
	json_str(out, service);
	wp_buf_puts(out, ", \"language\": ");
	json_str(out, doc->lang);
	wp_buf_puts(out, ",\n \"sections\": [");
	for (i = 0; i < doc->nsections; i++) {
		s = &doc->sections[i];
		wp_buf_printf(out, "%s\n  {\"level\": %d, \"number\": ",
		    i ? "," : "", s->level);
		json_str(out, s->number);
		wp_buf_puts(out, ", \"title\": ");
		json_str(out, s->title);
		wp_buf_puts(out, ", \"anchor\": ");
		json_str(out, s->anchor);
		wp_buf_puts(out, ", \"key\": ");
		json_str(out, s->key);
		wp_buf_puts(out, ",\n   \"controls\": [");
		for (j = 0; j < s->ncontrols; j++) {
			r = &s->controls[j];
			wp_buf_puts(out, j ? ", {\"catalog\": " :
			    "{\"catalog\": ");
			json_str(out, r->catalog->id);
			wp_buf_puts(out, ", \"label\": ");
			json_str(out, r->catalog->controls[r->control].label);
			wp_buf_putc(out, '}');
		}
		wp_buf_puts(out, "]}");
	}
	wp_buf_puts(out, "]}\n");
}

void
wp_outline_write_text(const wp_document *doc, wp_buf *out)
{
	size_t i, j;
	const wp_section *s;
	const wp_control_ref *r;
	int d;

	for (i = 0; i < doc->nsections; i++) {
		s = &doc->sections[i];
		for (d = 1; d < s->level; d++)
			wp_buf_puts(out, "  ");
		if (s->control_heading)
			wp_buf_printf(out, "%s %s", s->key, s->title);
		else if (s->number)
			wp_buf_printf(out, "%s %s", s->number, s->title);
		else
			wp_buf_puts(out, s->title);
		wp_buf_printf(out, "  #%s", s->anchor);
		for (j = s->control_heading ? 1 : 0; j < s->ncontrols; j++) {
			r = &s->controls[j];
			wp_buf_printf(out, "%s%s", j == (s->control_heading ?
			    1u : 0u) ? "  [" : ", ",
			    r->catalog->controls[r->control].label);
		}
		if (s->ncontrols > (s->control_heading ? 1u : 0u))
			wp_buf_putc(out, ']');
		wp_buf_putc(out, '\n');
	}
}
