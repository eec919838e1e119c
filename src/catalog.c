/*
 * catalog.c: loading OSCAL catalogs and mappings (catalog.h).
 *
 * Each file is parsed into a libxml2 tree, the subset of catalog.h is
 * copied out of it, and the tree is freed.  One language file gives a
 * one-language wp_catalog; the languages of one catalog are then merged
 * into the first (in language order), which fixes the order of groups and
 * controls.  Lookups go through hash tables, so loading and resolving stay
 * linear in the size of the catalogs.
 *
 * Parsing never expands entities and never touches the network: only
 * text and CDATA nodes are read, entity references are skipped, and the
 * parser runs with XML_PARSE_NONET and without XML_PARSE_NOENT/DTDLOAD.
 *
 * libxml2 is opened the first time a catalog is read (dynlib.h), not
 * linked: with ICU, libstdc++ and the compression libraries it brings,
 * the dynamic loader took 0.7 ms of every start, a build that finds
 * nothing changed (and reads no catalog) included.  The attributes are
 * read from the tree itself (xmlAttr), not through libxml2's allocator.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "buf.h"
#include "catalog.h"
#include "dynlib.h"
#include "util.h"
#include "value.h"

/* The libxml2 functions called here: xml.NAME is xmlNAME, looked up when
 * a catalog is first read (xml_load). */
#define XML_FUNCTIONS(X) \
	X(InitParser) X(NewParserCtxt) X(CtxtReadMemory) \
	X(CtxtGetLastError) X(FreeDoc) X(FreeParserCtxt) \
	X(DocGetRootElement) X(GetLineNo)

#ifndef WP_XML_SONAME
#define WP_XML_SONAME "libxml2.so.2"
#endif

static struct {
#define X(name) __typeof__(xml##name) *name;
	XML_FUNCTIONS(X)
#undef X
	int loaded;
} xml;

/* Opens libxml2 and initialises it: 0, or -1 with *msg saying why. */
static int
xml_load(char **msg)
{
	void *h;

	if (!xml.loaded) {
		if ((h = wp_dynlib_open(WP_XML_SONAME, msg)) == NULL)
			return -1;
#define X(name) \
		if (wp_dynlib_sym(h, WP_XML_SONAME, "xml" #name, \
		    (void **)&xml.name, msg) != 0) \
			return -1;
		XML_FUNCTIONS(X)
#undef X
		xml.loaded = 1;
		xml.InitParser();
	}
	return 0;
}

#define DIAG_CODE "catalog-error"
#define OSCAL_NS "http://csrc.nist.gov/ns/oscal/1.0"

/*
 * A string table: open addressing, linear probing, power-of-two size.
 * With fold set, keys compare ASCII-case-insensitively.
 */
typedef struct strtab_slot {
	char *key;
	long value;
} strtab_slot;

typedef struct strtab {
	strtab_slot *slots;
	size_t cap, len;
	int fold;
} strtab;

/* Private part of a catalog (wp_catalog.index). */
typedef struct cat_private {
	strtab find;           /* folded: id, labels, alt-id -> control */
	strtab control_ids;    /* exact ids -> control */
	strtab group_ids;      /* exact ids -> group */
	int *group_lines;      /* [ngroups] line in the first file */
	size_t position;       /* in wp_catalogs.items */
} cat_private;

/* The mapped controls of one control. */
typedef struct map_list {
	wp_map_target *items;
	size_t len, cap;
} map_list;

/* A pair of a list, while the lists are made: the list and the item's
 * place in it (list NULL: an empty slot). */
typedef struct pair_slot {
	map_list *list;
	size_t item;
} pair_slot;

/* The pairs of the long lists, by hash, while they are made: a pair
 * added again is found in a probe or two, not by reading its control's
 * whole list (a control mapped to each of a million controls took half
 * a million million comparisons).  Open addressing, at most half full. */
typedef struct pair_index {
	pair_slot *slots;
	size_t cap, len;
} pair_index;

/* Private part of a set (wp_catalogs.maps): [set->len][ncontrols]. */
typedef struct set_maps {
	map_list **to;
	map_list **from;
	pair_index pairs;
} set_maps;

/* One source -> target pair read from a mapping file. */
typedef struct raw_map {
	char *file;
	int line;
	char *source_catalog, *target_catalog;
	char *source_ref, *target_ref;
	char *relationship;
} raw_map;

typedef struct raw_maps {
	raw_map *items;
	size_t len, cap;
} raw_maps;

/* The catalog files read so far, one language each. */
typedef struct pending {
	wp_catalog **items;
	size_t len, cap;
} pending;

/* State while copying one catalog file out of its tree. */
typedef struct builder {
	wp_catalog *cat;
	const char *path;
	wp_diags *d;
	size_t gcap, ccap;
	int *group_lines;
} builder;

/* --- string tables ------------------------------------------------ */

static uint32_t
strtab_hash(const char *s, int fold)
{
	uint32_t h = 2166136261u;
	unsigned char c;

	for (; *s; s++) {
		c = (unsigned char)*s;
		if (fold)
			c = (unsigned char)tolower(c);
		h = (h ^ c) * 16777619u;
	}
	return h;
}

static int
strtab_equal(const char *a, const char *b, int fold)
{
	return fold ? strcasecmp(a, b) == 0 : strcmp(a, b) == 0;
}

static void
strtab_free(strtab *t)
{
	size_t i;

	for (i = 0; i < t->cap; i++)
		free(t->slots[i].key);
	free(t->slots);
	t->slots = NULL;
	t->cap = t->len = 0;
}

static strtab_slot *
strtab_slot_for(const strtab *t, const char *key)
{
	size_t i;

	if (t->cap == 0)
		return NULL;
	i = strtab_hash(key, t->fold) & (t->cap - 1);
	while (t->slots[i].key && !strtab_equal(t->slots[i].key, key, t->fold))
		i = (i + 1) & (t->cap - 1);
	return &t->slots[i];
}

static void
strtab_grow(strtab *t)
{
	strtab old = *t;
	strtab_slot *s;
	size_t i;

	t->cap = old.cap ? old.cap * 2 : 64;
	t->slots = xcalloc(t->cap, sizeof *t->slots);
	for (i = 0; i < old.cap; i++) {
		if (old.slots[i].key == NULL)
			continue;
		s = strtab_slot_for(t, old.slots[i].key);
		*s = old.slots[i];
	}
	free(old.slots);
}

/* The value of key, or -1. */
static long
strtab_get(const strtab *t, const char *key)
{
	const strtab_slot *s = strtab_slot_for(t, key);

	return s && s->key ? s->value : -1;
}

/* Adds key unless present: 1 when added, 0 when it was there. */
static int
strtab_add(strtab *t, const char *key, long value)
{
	strtab_slot *s;

	if ((t->len + 1) * 2 > t->cap)
		strtab_grow(t);
	s = strtab_slot_for(t, key);
	if (s->key)
		return 0;
	s->key = xstrdup(key);
	s->value = value;
	t->len++;
	return 1;
}

/* --- small helpers ------------------------------------------------ */

static void
free_strv(char **v, size_t n)
{
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Appends s (taking it) to a malloc'd vector of *n strings. */
static void
strv_push(char ***v, size_t *n, char *s)
{
	*v = xrealloc(*v, (*n + 1) * sizeof **v);
	(*v)[(*n)++] = s;
}

static int
strv_has(char *const *v, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return 1;
	return 0;
}

static int
is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* s with runs of white space made one space and the ends trimmed,
 * lower-cased when fold is set (malloc'd). */
static char *
collapse_space(const char *s, int fold)
{
	wp_buf b = WP_BUF_INIT;
	int gap = 0;

	for (; *s; s++) {
		if (is_space((unsigned char)*s)) {
			gap = b.len > 0;
			continue;
		}
		if (gap)
			wp_buf_putc(&b, ' ');
		gap = 0;
		wp_buf_putc(&b, fold ? tolower((unsigned char)*s) : *s);
	}
	return wp_buf_detach(&b);
}

/* --- reading XML -------------------------------------------------- */

static int
is_element(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE &&
	    strcmp((const char *)n->name, name) == 0;
}

/* n's attribute name without namespace, or NULL. */
static const xmlAttr *
find_attr(const xmlNode *n, const char *name)
{
	const xmlAttr *a;

	for (a = n->properties; a; a = a->next)
		if (a->ns == NULL && strcmp((const char *)a->name, name) == 0)
			return a;
	return NULL;
}

/* The value of an attribute without namespace (malloc'd), or NULL. */
static char *
xml_attr(xmlNode *n, const char *name)
{
	const xmlAttr *a = find_attr(n, name);
	const xmlNode *k;
	wp_buf b = WP_BUF_INIT;
	char *s;

	if (a == NULL)
		return NULL;
	for (k = a->children; k; k = k->next)
		if (k->type == XML_TEXT_NODE && k->content)
			wp_buf_puts(&b, (const char *)k->content);
	s = xstrdup(wp_buf_cstr(&b));
	wp_buf_free(&b);
	return s;
}

static int
xml_has_attr(xmlNode *n, const char *name)
{
	return find_attr(n, name) != NULL;
}

static int
xml_line(xmlNode *n)
{
	long line = xml.GetLineNo(n);

	return line > 0 && line < INT_MAX ? (int)line : 0;
}

/* Text and CDATA below n, through inline elements; entity references are
 * not followed. */
static void
collect_text(const xmlNode *n, wp_buf *b)
{
	for (; n; n = n->next) {
		if (n->type == XML_TEXT_NODE ||
		    n->type == XML_CDATA_SECTION_NODE)
			wp_buf_puts(b, (const char *)n->content);
		else if (n->type == XML_ELEMENT_NODE)
			collect_text(n->children, b);
	}
}

/* The text content of n with white space collapsed (malloc'd); NULL when
 * it is empty. */
static char *
xml_text(const xmlNode *n)
{
	wp_buf b = WP_BUF_INIT;
	char *s;

	collect_text(n->children, &b);
	s = collapse_space(wp_buf_cstr(&b), 0);
	wp_buf_free(&b);
	if (*s == '\0') {
		free(s);
		return NULL;
	}
	return s;
}

/* The first error of a parse: later ones mostly follow from it. */
typedef struct first_error {
	int seen;
	int line, column;
	char *message;
} first_error;

/* The parser's message without its trailing newline. */
static char *
xml_error_message(const xmlError *err)
{
	char *s = xstrdup(err && err->message ? err->message : "not XML");
	size_t n = strlen(s);

	while (n > 0 && is_space((unsigned char)s[n - 1]))
		s[--n] = '\0';
	return s;
}

static void
keep_first_error(first_error *fe, const xmlError *err)
{
	if (fe->seen || err == NULL || err->level < XML_ERR_ERROR)
		return;
	fe->seen = 1;
	fe->line = err->line > 0 ? err->line : 0;
	fe->column = err->int2 > 0 ? err->int2 : 0;
	fe->message = xml_error_message(err);
}

/* The parser context's structured error handler (ctxt->_private holds
 * the first_error). */
static void
on_xml_error(void *data, xmlError *err)
{
	xmlParserCtxt *ctxt = data;

	keep_first_error(ctxt->_private, err);
}

/* Parses data[0..len) read from path; NULL after reporting when it
 * cannot. */
static xmlDoc *
parse_xml(const char *path, const char *data, size_t len, wp_diags *d)
{
	const int opts = XML_PARSE_NONET | XML_PARSE_NOERROR |
	    XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES;
	first_error fe = {0, 0, 0, NULL};
	xmlParserCtxt *ctxt;
	xmlDoc *doc;

	if (len > INT_MAX || (ctxt = xml.NewParserCtxt()) == NULL) {
		wp_diag_add(d, WP_ERROR, path, 0, 0, DIAG_CODE,
		    "cannot parse catalog file: too large");
		return NULL;
	}
	ctxt->_private = &fe;
	ctxt->userData = ctxt;
	ctxt->sax->serror = on_xml_error;
	doc = xml.CtxtReadMemory(ctxt, data, (int)len, path, NULL, opts);
	if (doc == NULL || !ctxt->wellFormed) {
		keep_first_error(&fe, xml.CtxtGetLastError(ctxt));
		wp_diag_add(d, WP_ERROR, path, fe.line, fe.column, DIAG_CODE,
		    "malformed XML: %s", fe.message ? fe.message : "not XML");
		xml.FreeDoc(doc);
		doc = NULL;
	}
	free(fe.message);
	xml.FreeParserCtxt(ctxt);
	return doc;
}

/* --- catalogs ----------------------------------------------------- */

static void
control_free(wp_control *c, size_t nlangs)
{
	free(c->id);
	free(c->label);
	free_strv(c->labels, c->nlabels);
	free(c->alt_identifier);
	free_strv(c->titles, nlangs);
}

static void
group_free(wp_group *g, size_t nlangs)
{
	free(g->id);
	free(g->label);
	free_strv(g->titles, nlangs);
}

static void
cat_private_free(cat_private *p)
{
	if (p == NULL)
		return;
	strtab_free(&p->find);
	strtab_free(&p->control_ids);
	strtab_free(&p->group_ids);
	free(p->group_lines);
	free(p);
}

static void
catalog_free(wp_catalog *cat)
{
	size_t i;

	if (cat == NULL)
		return;
	for (i = 0; i < cat->ngroups; i++)
		group_free(&cat->groups[i], cat->nlangs);
	for (i = 0; i < cat->ncontrols; i++)
		control_free(&cat->controls[i], cat->nlangs);
	free(cat->groups);
	free(cat->controls);
	free(cat->id);
	free_strv(cat->langs, cat->nlangs);
	free_strv(cat->paths, cat->nlangs);
	free_strv(cat->titles, cat->nlangs);
	free(cat->version);
	free_strv(cat->document_ids, cat->ndocument_ids);
	cat_private_free(cat->index);
	free(cat);
}

static cat_private *
cat_priv(const wp_catalog *cat)
{
	return cat->index;
}

/* A one-language catalog with nothing in it yet. */
static wp_catalog *
catalog_new(const char *id, const char *lang, const char *path)
{
	wp_catalog *cat = xcalloc(1, sizeof *cat);
	cat_private *p = xcalloc(1, sizeof *p);

	cat->id = xstrdup(id);
	cat->nlangs = 1;
	cat->langs = xcalloc(1, sizeof *cat->langs);
	cat->langs[0] = xstrdup(lang);
	cat->paths = xcalloc(1, sizeof *cat->paths);
	cat->paths[0] = xstrdup(path);
	cat->titles = xcalloc(1, sizeof *cat->titles);
	p->control_ids.fold = 0;
	p->group_ids.fold = 0;
	p->find.fold = 1;
	cat->index = p;
	return cat;
}

static void
read_metadata(builder *b, xmlNode *meta)
{
	wp_catalog *cat = b->cat;
	xmlNode *n;
	char *s;

	for (n = meta->children; n; n = n->next) {
		if (is_element(n, "title") && cat->titles[0] == NULL) {
			cat->titles[0] = xml_text(n);
		} else if (is_element(n, "version") && cat->version == NULL) {
			cat->version = xml_text(n);
		} else if (is_element(n, "document-id")) {
			if ((s = xml_text(n)) == NULL)
				continue;
			if (strv_has(cat->document_ids, cat->ndocument_ids, s))
				free(s);
			else
				strv_push(&cat->document_ids,
				    &cat->ndocument_ids, s);
		}
	}
}

/* A <prop> that belongs to OSCAL itself (no ns attribute, or OSCAL's). */
static int
is_oscal_prop(xmlNode *n, const char *name)
{
	char *v;
	int ok;

	if (!is_element(n, "prop"))
		return 0;
	if ((v = xml_attr(n, "ns")) != NULL) {
		ok = strcmp(v, OSCAL_NS) == 0;
		free(v);
		if (!ok)
			return 0;
	}
	v = xml_attr(n, "name");
	ok = v && strcmp(v, name) == 0;
	free(v);
	return ok;
}

/* Reads the label props of an element: the one without class into
 * *shown (else the first), every distinct value into labels. */
static void
read_label(xmlNode *n, char **shown, int *shown_classless, char ***labels,
    size_t *nlabels)
{
	char *v = xml_attr(n, "value");
	int classless = !xml_has_attr(n, "class");

	if (v == NULL || *v == '\0') {
		free(v);
		return;
	}
	if (*shown == NULL || (classless && !*shown_classless)) {
		free(*shown);
		*shown = xstrdup(v);
		*shown_classless = classless;
	}
	if (labels && !strv_has(*labels, *nlabels, v))
		strv_push(labels, nlabels, v);
	else
		free(v);
}

static size_t
add_group(builder *b, xmlNode *n, int parent, int depth)
{
	wp_catalog *cat = b->cat;
	size_t gi = cat->ngroups;
	wp_group *g;
	char *id = xml_attr(n, "id");

	if (cat->ngroups == b->gcap) {
		b->gcap = b->gcap ? b->gcap * 2 : 16;
		cat->groups = xrealloc(cat->groups, b->gcap * sizeof *g);
		b->group_lines = xrealloc(b->group_lines,
		    b->gcap * sizeof *b->group_lines);
	}
	g = &cat->groups[cat->ngroups++];
	memset(g, 0, sizeof *g);
	/* OSCAL makes a group's id optional; number the ones without. */
	g->id = id ? id : xasprintf("group-%zu", gi + 1);
	g->titles = xcalloc(1, sizeof *g->titles);
	g->parent = parent;
	g->depth = depth;
	b->group_lines[gi] = xml_line(n);
	if (!strtab_add(&cat_priv(cat)->group_ids, g->id, (long)gi))
		wp_diag_add(b->d, WP_ERROR, b->path, xml_line(n), 0, DIAG_CODE,
		    "group id \"%s\" is used twice", g->id);
	return gi;
}

static void walk_children(builder *b, xmlNode *n, int group, int control,
    int depth);

static void
read_group(builder *b, xmlNode *n, int parent, int depth)
{
	size_t gi = add_group(b, n, parent, depth);
	int classless = 0;
	xmlNode *k;

	for (k = n->children; k; k = k->next) {
		if (is_element(k, "title") && b->cat->groups[gi].titles[0] ==
		    NULL)
			b->cat->groups[gi].titles[0] = xml_text(k);
		else if (is_oscal_prop(k, "label"))
			read_label(k, &b->cat->groups[gi].label, &classless,
			    NULL, NULL);
	}
	walk_children(b, n, (int)gi, -1, depth + 1);
}

static void
read_control_fields(builder *b, xmlNode *n, size_t ci)
{
	wp_control *c = &b->cat->controls[ci];
	int classless = 0;
	xmlNode *k;

	for (k = n->children; k; k = k->next) {
		if (is_element(k, "title") && c->titles[0] == NULL) {
			c->titles[0] = xml_text(k);
		} else if (is_oscal_prop(k, "label")) {
			read_label(k, &c->label, &classless, &c->labels,
			    &c->nlabels);
		} else if (is_oscal_prop(k, "alt-identifier") &&
		    c->alt_identifier == NULL) {
			c->alt_identifier = xml_attr(k, "value");
			if (c->alt_identifier && *c->alt_identifier == '\0') {
				free(c->alt_identifier);
				c->alt_identifier = NULL;
			}
		}
	}
	if (c->label == NULL)
		c->label = xstrdup(c->id);
}

static void
read_control(builder *b, xmlNode *n, int group, int parent)
{
	wp_catalog *cat = b->cat;
	char *id = xml_attr(n, "id");
	size_t ci;
	wp_control *c;

	if (id == NULL || *id == '\0') {
		wp_diag_add(b->d, WP_ERROR, b->path, xml_line(n), 0, DIAG_CODE,
		    "control without an id (skipped)");
		free(id);
		return;
	}
	if (cat->ncontrols == b->ccap) {
		b->ccap = b->ccap ? b->ccap * 2 : 64;
		cat->controls = xrealloc(cat->controls, b->ccap * sizeof *c);
	}
	ci = cat->ncontrols++;
	c = &cat->controls[ci];
	memset(c, 0, sizeof *c);
	c->id = id;
	c->titles = xcalloc(1, sizeof *c->titles);
	c->group = group;
	c->parent = parent;
	c->line = xml_line(n);
	if (!strtab_add(&cat_priv(cat)->control_ids, id, (long)ci))
		wp_diag_add(b->d, WP_ERROR, b->path, c->line, 0, DIAG_CODE,
		    "control id \"%s\" is used twice", id);
	read_control_fields(b, n, ci);
	walk_children(b, n, group, (int)ci, 0);
}

/* Groups and controls below n, in document order.  In a control
 * (control >= 0) only controls can nest. */
static void
walk_children(builder *b, xmlNode *n, int group, int control, int depth)
{
	xmlNode *k;

	for (k = n->children; k; k = k->next) {
		if (is_element(k, "control"))
			read_control(b, k, group, control);
		else if (control < 0 && is_element(k, "group"))
			read_group(b, k, group, depth);
	}
}

/* One language of a catalog, from the tree of path. */
static wp_catalog *
read_catalog(xmlNode *root, const char *id, const char *lang,
    const char *path, wp_diags *d)
{
	builder b;
	xmlNode *n;

	memset(&b, 0, sizeof b);
	b.cat = catalog_new(id, lang, path);
	b.path = path;
	b.d = d;
	for (n = root->children; n; n = n->next)
		if (is_element(n, "metadata"))
			read_metadata(&b, n);
	walk_children(&b, root, -1, -1, 0);
	cat_priv(b.cat)->group_lines = b.group_lines;
	return b.cat;
}

/* --- merging the languages of a catalog --------------------------- */

/* Makes room for one more language in every title array. */
static void
add_language_slot(wp_catalog *base, const wp_catalog *other)
{
	size_t k = base->nlangs, i;

	base->langs = xrealloc(base->langs, (k + 1) * sizeof *base->langs);
	base->paths = xrealloc(base->paths, (k + 1) * sizeof *base->paths);
	base->titles = xrealloc(base->titles, (k + 1) * sizeof *base->titles);
	base->langs[k] = xstrdup(other->langs[0]);
	base->paths[k] = xstrdup(other->paths[0]);
	base->titles[k] = other->titles[0];
	for (i = 0; i < base->ngroups; i++) {
		base->groups[i].titles = xrealloc(base->groups[i].titles,
		    (k + 1) * sizeof(char *));
		base->groups[i].titles[k] = NULL;
	}
	for (i = 0; i < base->ncontrols; i++) {
		base->controls[i].titles = xrealloc(base->controls[i].titles,
		    (k + 1) * sizeof(char *));
		base->controls[i].titles[k] = NULL;
	}
	base->nlangs = k + 1;
}

static void
merge_groups(wp_catalog *base, wp_catalog *other, wp_diags *d)
{
	cat_private *bp = cat_priv(base), *op = cat_priv(other);
	size_t k = base->nlangs - 1, i;
	long gi;

	for (i = 0; i < other->ngroups; i++) {
		gi = strtab_get(&bp->group_ids, other->groups[i].id);
		if (gi < 0) {
			wp_diag_add(d, WP_ERROR, other->paths[0],
			    op->group_lines[i], 0, DIAG_CODE,
			    "group \"%s\" is not in %s", other->groups[i].id,
			    base->paths[0]);
			continue;
		}
		if (base->groups[gi].titles[k] == NULL) {
			base->groups[gi].titles[k] = other->groups[i].titles[0];
			other->groups[i].titles[0] = NULL;
		}
	}
	for (i = 0; i < base->ngroups; i++)
		if (strtab_get(&op->group_ids, base->groups[i].id) < 0)
			wp_diag_add(d, WP_ERROR, base->paths[0],
			    bp->group_lines[i], 0, DIAG_CODE,
			    "group \"%s\" is missing from %s",
			    base->groups[i].id, other->paths[0]);
}

static void
merge_controls(wp_catalog *base, wp_catalog *other, wp_diags *d)
{
	cat_private *bp = cat_priv(base), *op = cat_priv(other);
	size_t k = base->nlangs - 1, i;
	long ci;

	for (i = 0; i < other->ncontrols; i++) {
		ci = strtab_get(&bp->control_ids, other->controls[i].id);
		if (ci < 0) {
			wp_diag_add(d, WP_ERROR, other->paths[0],
			    other->controls[i].line, 0, DIAG_CODE,
			    "control \"%s\" is not in %s",
			    other->controls[i].id, base->paths[0]);
			continue;
		}
		if (base->controls[ci].titles[k] == NULL) {
			base->controls[ci].titles[k] =
			    other->controls[i].titles[0];
			other->controls[i].titles[0] = NULL;
		}
	}
	for (i = 0; i < base->ncontrols; i++)
		if (strtab_get(&op->control_ids, base->controls[i].id) < 0)
			wp_diag_add(d, WP_ERROR, base->paths[0],
			    base->controls[i].line, 0, DIAG_CODE,
			    "control \"%s\" is missing from %s",
			    base->controls[i].id, other->paths[0]);
}

/* Moves the titles of other (one language) into base; frees other. */
static void
merge_language(wp_catalog *base, wp_catalog *other, wp_diags *d)
{
	size_t i;

	add_language_slot(base, other);
	other->titles[0] = NULL;
	if (base->version == NULL) {
		base->version = other->version;
		other->version = NULL;
	}
	for (i = 0; i < other->ndocument_ids; i++) {
		if (strv_has(base->document_ids, base->ndocument_ids,
		    other->document_ids[i]))
			continue;
		strv_push(&base->document_ids, &base->ndocument_ids,
		    other->document_ids[i]);
		other->document_ids[i] = NULL;
	}
	merge_groups(base, other, d);
	merge_controls(base, other, d);
	catalog_free(other);
}

/*
 * The normal form of an ID, as catalogs write the same control in
 * different ways: lower case, no white space, an enhancement in
 * parentheses as a dotted part, no leading zeros.  "SC-7 (3)", "sc-7.3"
 * and "SC-07(03)" are all "sc-7.3"; "AC-02" is "ac-2" (malloc'd).
 */
static char *
id_normal(const char *s)
{
	wp_buf b = WP_BUF_INIT;
	int c, in_number = 0;

	for (; *s; s++) {
		c = (unsigned char)*s;
		if (is_space(c) || c == ')')
			continue;
		if (c == '(')
			c = '.';
		if (c == '0' && !in_number && isdigit((unsigned char)s[1]))
			continue;
		in_number = isdigit(c) != 0;
		wp_buf_putc(&b, tolower(c));
	}
	return wp_buf_detach(&b);
}

static void
add_normal(strtab *t, const char *name, long ci)
{
	char *n = id_normal(name);

	strtab_add(t, n, ci);
	free(n);
}

/* Fills the case-insensitive table of ids, labels and alt-identifiers,
 * then of their normal forms; the first control to use a name keeps
 * it, and a name as written wins over a normal form. */
static void
build_find_index(wp_catalog *cat)
{
	strtab *t = &cat_priv(cat)->find;
	size_t i, j;

	for (i = 0; i < cat->ncontrols; i++) {
		wp_control *c = &cat->controls[i];
		strtab_add(t, c->id, (long)i);
		strtab_add(t, c->label, (long)i);
		for (j = 0; j < c->nlabels; j++)
			strtab_add(t, c->labels[j], (long)i);
		if (c->alt_identifier)
			strtab_add(t, c->alt_identifier, (long)i);
	}
	for (i = 0; i < cat->ncontrols; i++) {
		wp_control *c = &cat->controls[i];
		add_normal(t, c->label, (long)i);
		for (j = 0; j < c->nlabels; j++)
			add_normal(t, c->labels[j], (long)i);
		if (c->alt_identifier)
			add_normal(t, c->alt_identifier, (long)i);
		add_normal(t, c->id, (long)i);
	}
}

static int
catalog_cmp(const void *a, const void *b)
{
	const wp_catalog *x = *(wp_catalog *const *)a;
	const wp_catalog *y = *(wp_catalog *const *)b;
	int c = strcmp(x->id, y->id);

	return c ? c : strcmp(x->langs[0], y->langs[0]);
}

/* Turns the one-language catalogs of p into the set's catalogs. */
static void
merge_pending(wp_catalogs *set, pending *p, wp_diags *d)
{
	wp_catalog *base = NULL;
	size_t i;

	if (p->len > 1)
		qsort(p->items, p->len, sizeof *p->items, catalog_cmp);
	set->items = xcalloc(p->len, sizeof *set->items);
	for (i = 0; i < p->len; i++) {
		if (base && strcmp(base->id, p->items[i]->id) == 0) {
			merge_language(base, p->items[i], d);
			continue;
		}
		base = p->items[i];
		cat_priv(base)->position = set->len;
		set->items[set->len++] = base;
	}
	for (i = 0; i < set->len; i++)
		build_find_index(set->items[i]);
	free(p->items);
	p->items = NULL;
	p->len = p->cap = 0;
}

/* --- mappings ----------------------------------------------------- */

static void
raw_maps_free(raw_maps *r)
{
	size_t i;

	for (i = 0; i < r->len; i++) {
		free(r->items[i].file);
		free(r->items[i].source_catalog);
		free(r->items[i].target_catalog);
		free(r->items[i].source_ref);
		free(r->items[i].target_ref);
		free(r->items[i].relationship);
	}
	free(r->items);
}

static void
raw_maps_push(raw_maps *r, const raw_map *m)
{
	raw_map *x;

	if (r->len == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 64;
		r->items = xrealloc(r->items, r->cap * sizeof *r->items);
	}
	x = &r->items[r->len++];
	x->file = xstrdup(m->file);
	x->line = m->line;
	x->source_catalog = xstrdup(m->source_catalog);
	x->target_catalog = xstrdup(m->target_catalog);
	x->source_ref = xstrdup(m->source_ref);
	x->target_ref = xstrdup(m->target_ref);
	x->relationship = xstrdup(m->relationship);
}

/* The file stem an href names: "iso27017-2015.en.xml" ->
 * "iso27017-2015.en" (malloc'd), or NULL for a fragment or nothing. */
static char *
stem_of_href(const char *href)
{
	const char *base;
	char *s;
	size_t n;

	if (href == NULL || *href == '\0' || *href == '#')
		return NULL;
	base = strrchr(href, '/');
	base = base ? base + 1 : href;
	s = xstrdup(base);
	n = strlen(s);
	if (n > 4 && strcmp(s + n - 4, ".xml") == 0)
		s[n - 4] = '\0';
	return s;
}

/* "a_to_b.xml": the source or the target part (malloc'd), or NULL. */
static char *
catalog_of_file_name(const char *path, int target)
{
	const char *base = strrchr(path, '/');
	const char *to;
	char *s;
	size_t n;

	base = base ? base + 1 : path;
	if ((to = strstr(base, "_to_")) == NULL || to == base)
		return NULL;
	if (!target)
		return xstrndup(base, (size_t)(to - base));
	s = xstrdup(to + 4);
	n = strlen(s);
	if (n > 4 && strcmp(s + n - 4, ".xml") == 0)
		s[n - 4] = '\0';
	return s;
}

/* The catalog named by a resource element (source-resource ...), else by
 * the file name (malloc'd), or NULL. */
static char *
mapping_catalog(xmlNode *mapping, const char *elem, const char *path,
    int target)
{
	xmlNode *k;
	char *href, *id;

	for (k = mapping->children; k; k = k->next) {
		if (!is_element(k, elem))
			continue;
		href = xml_attr(k, "href");
		id = stem_of_href(href);
		free(href);
		if (id)
			return id;
	}
	return catalog_of_file_name(path, target);
}

/* The id-refs of the <source> or <target> children of a map. */
static void
map_refs(xmlNode *map, const char *elem, char ***refs, size_t *n)
{
	xmlNode *k;
	char *type, *ref;

	for (k = map->children; k; k = k->next) {
		if (!is_element(k, elem))
			continue;
		type = xml_attr(k, "type");
		ref = xml_attr(k, "id-ref");
		if (ref && (type == NULL || strcmp(type, "control") == 0))
			strv_push(refs, n, ref);
		else
			free(ref);
		free(type);
	}
}

/* 1 when the n pairs of a map (at line) fit the limits; otherwise says
 * why it is skipped. */
static int
map_pairs_fit(size_t nsrc, size_t ntgt, const raw_maps *out,
    const char *path, int line, wp_diags *d)
{
	size_t n = nsrc * ntgt;

	if (ntgt > 0 && nsrc > WP_CATALOG_MAX_MAP_PAIRS / ntgt) {
		wp_diag_add(d, WP_ERROR, path, line, 0, DIAG_CODE,
		    "a map relates %zu sources to %zu targets (%zu pairs), "
		    "more than %d (skipped): split it", nsrc, ntgt,
		    nsrc > (size_t)-1 / ntgt ? (size_t)-1 : n,
		    WP_CATALOG_MAX_MAP_PAIRS);
		return 0;
	}
	if (out->len + n > WP_CATALOG_MAX_PAIRS) {
		wp_diag_add(d, WP_ERROR, path, line, 0, DIAG_CODE,
		    "the mappings relate more than %d pairs in all (map "
		    "skipped): remove repeated maps", WP_CATALOG_MAX_PAIRS);
		return 0;
	}
	return 1;
}

/* Adds one raw_map per source and target pair of a <map> to out; m
 * brings the file and catalogs and is used as scratch.  A map without a
 * relationship (not valid OSCAL) is taken as "related". */
static void
read_map(xmlNode *map, raw_map *m, raw_maps *out, wp_diags *d)
{
	char **src = NULL, **tgt = NULL;
	size_t nsrc = 0, ntgt = 0, i, j;
	xmlNode *k;

	m->relationship = NULL;
	for (k = map->children; k; k = k->next)
		if (is_element(k, "relationship") && m->relationship == NULL)
			m->relationship = xml_text(k);
	if (m->relationship == NULL)
		m->relationship = xstrdup("related");
	map_refs(map, "source", &src, &nsrc);
	map_refs(map, "target", &tgt, &ntgt);
	m->line = xml_line(map);
	if (map_pairs_fit(nsrc, ntgt, out, m->file, m->line, d))
		for (i = 0; i < nsrc; i++) {
			for (j = 0; j < ntgt; j++) {
				m->source_ref = src[i];
				m->target_ref = tgt[j];
				raw_maps_push(out, m);
			}
		}
	free_strv(src, nsrc);
	free_strv(tgt, ntgt);
	free(m->relationship);
}

/* Copies the maps of a mapping-collection into out. */
static void
read_mapping_collection(xmlNode *root, const char *path, raw_maps *out,
    wp_diags *d)
{
	xmlNode *mapping, *maps, *map;
	raw_map m;

	memset(&m, 0, sizeof m);
	m.file = (char *)path;
	for (mapping = root->children; mapping; mapping = mapping->next) {
		if (!is_element(mapping, "mapping"))
			continue;
		m.source_catalog = mapping_catalog(mapping, "source-resource",
		    path, 0);
		m.target_catalog = mapping_catalog(mapping, "target-resource",
		    path, 1);
		if (m.source_catalog == NULL || m.target_catalog == NULL) {
			wp_diag_add(d, WP_ERROR, path, xml_line(mapping), 0,
			    DIAG_CODE, "mapping names no source or target "
			    "catalog (skipped)");
		} else {
			for (maps = mapping->children; maps; maps = maps->next)
				if (is_element(maps, "maps"))
					for (map = maps->children; map;
					    map = map->next)
						if (is_element(map, "map"))
							read_map(map, &m, out,
							    d);
		}
		free(m.source_catalog);
		free(m.target_catalog);
	}
}

static map_list *
map_lists_new(const wp_catalogs *set, size_t ci)
{
	return xcalloc(set->items[ci]->ncontrols, sizeof(map_list));
}

/* The hash of a pair of list l (its place in memory stays: the lists
 * of a catalog are made once, map_lists_new). */
static size_t
pair_hash(const map_list *l, const wp_catalog *cat, size_t control,
    const char *relationship)
{
	uint64_t h = wp_hash(relationship, strlen(relationship));

	h = (h ^ (uint64_t)(uintptr_t)l) * 0x9E3779B97F4A7C15ULL;
	h = (h ^ (uint64_t)(uintptr_t)cat) * 0x9E3779B97F4A7C15ULL;
	h = (h ^ (uint64_t)control) * 0x9E3779B97F4A7C15ULL;
	return (size_t)(h ^ h >> 29);
}

/* The slot of that pair in x, or the empty one where it would go. */
static pair_slot *
pair_slot_of(const pair_index *x, const map_list *l, const wp_catalog *cat,
    size_t control, const char *relationship)
{
	size_t mask = x->cap - 1, i;
	const wp_map_target *t;
	pair_slot *s;

	for (i = pair_hash(l, cat, control, relationship) & mask;
	    (s = &x->slots[i])->list != NULL; i = (i + 1) & mask) {
		t = &s->list->items[s->item];
		if (s->list == l && t->catalog == cat &&
		    t->control == control &&
		    strcmp(t->relationship, relationship) == 0)
			return s;
	}
	return s;
}

static void
pairs_grow(pair_index *x)
{
	pair_index old = *x;
	const wp_map_target *t;
	size_t i;

	x->cap = old.cap ? old.cap * 2 : 64;
	x->slots = xcalloc(x->cap, sizeof *x->slots);
	for (i = 0; i < old.cap; i++) {
		if (old.slots[i].list == NULL)
			continue;
		t = &old.slots[i].list->items[old.slots[i].item];
		*pair_slot_of(x, old.slots[i].list, t->catalog, t->control,
		    t->relationship) = old.slots[i];
	}
	free(old.slots);
}

static void
pairs_free(pair_index *x)
{
	free(x->slots);
	x->slots = NULL;
	x->cap = x->len = 0;
}

/* A list this long has its pairs in the index (a shorter one is read:
 * a control of a real catalog maps to a few). */
#define PAIRS_INDEXED 16

/* The empty slot of item i of l, room made first. */
static pair_slot *
pair_room(set_maps *sm, map_list *l, size_t i)
{
	const wp_map_target *t = &l->items[i];

	if ((sm->pairs.len + 1) * 2 > sm->pairs.cap)
		pairs_grow(&sm->pairs);
	return pair_slot_of(&sm->pairs, l, t->catalog, t->control,
	    t->relationship);
}

/* Adds the pair to l (a list of sm) unless l holds it already: 1 when
 * added, 0 when it was there. */
static int
map_list_push(set_maps *sm, map_list *l, const wp_catalog *cat,
    size_t control, const char *relationship)
{
	pair_slot *s;
	size_t i;

	if (l->len < PAIRS_INDEXED) {
		for (i = 0; i < l->len; i++)
			if (l->items[i].catalog == cat &&
			    l->items[i].control == control &&
			    strcmp(l->items[i].relationship, relationship) == 0)
				return 0;
	} else {
		if ((sm->pairs.len + 1) * 2 > sm->pairs.cap)
			pairs_grow(&sm->pairs);
		if (pair_slot_of(&sm->pairs, l, cat, control,
		    relationship)->list != NULL)
			return 0;
	}
	if (l->len == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 4;
		l->items = xrealloc(l->items, l->cap * sizeof *l->items);
	}
	l->items[l->len].catalog = cat;
	l->items[l->len].control = control;
	l->items[l->len].relationship = xstrdup(relationship);
	l->len++;
	/* (the list's pairs into the index as it reaches PAIRS_INDEXED,
	 * then each as it comes) */
	for (i = l->len < PAIRS_INDEXED ? l->len : l->len == PAIRS_INDEXED ?
	    0 : l->len - 1; i < l->len; i++) {
		s = pair_room(sm, l, i);
		s->list = l;
		s->item = i;
		sm->pairs.len++;
	}
	return 1;
}

static void
map_lists_free(map_list *l, size_t n)
{
	size_t i, j;

	if (l == NULL)
		return;
	for (i = 0; i < n; i++) {
		for (j = 0; j < l[i].len; j++)
			free(l[i].items[j].relationship);
		free(l[i].items);
	}
	free(l);
}

/* The catalog a mapping names: a catalog id, or a file stem with a
 * language part ("iso27017-2015.en"). */
static wp_catalog *
map_catalog(const wp_catalogs *set, const char *name)
{
	wp_catalog *cat = wp_catalogs_get(set, name);
	const char *dot = strrchr(name, '.');
	char *id;

	if (cat || dot == NULL)
		return cat;
	id = xstrndup(name, (size_t)(dot - name));
	cat = wp_catalogs_get(set, id);
	free(id);
	return cat;
}

/* A control of cat by id (exactly), else by any name; -1 when none. */
static long
map_control(const wp_catalog *cat, const char *ref)
{
	long ci = strtab_get(&cat_priv(cat)->control_ids, ref);

	return ci >= 0 ? ci : wp_catalog_find(cat, ref);
}

/* Reports a catalog that a mapping file names but that is not loaded,
 * once per file. */
static void
unknown_map_catalog(const raw_map *m, const char *name, strtab *reported,
    wp_diags *d)
{
	char *key = xasprintf("%s\n%s", m->file, name);

	if (strtab_add(reported, key, 0))
		wp_diag_add(d, WP_ERROR, m->file, m->line, 0, DIAG_CODE,
		    "mapping names an unknown catalog \"%s\"", name);
	free(key);
}

static void
add_map(wp_catalogs *set, const raw_map *m, strtab *reported, wp_diags *d)
{
	set_maps *sm = set->maps;
	wp_catalog *src = map_catalog(set, m->source_catalog);
	wp_catalog *tgt = map_catalog(set, m->target_catalog);
	size_t sp, tp;
	long sc, tc;

	if (src == NULL || tgt == NULL) {
		unknown_map_catalog(m, src ? m->target_catalog :
		    m->source_catalog, reported, d);
		return;
	}
	if ((sc = map_control(src, m->source_ref)) < 0 ||
	    (tc = map_control(tgt, m->target_ref)) < 0) {
		wp_diag_add(d, WP_ERROR, m->file, m->line, 0, DIAG_CODE,
		    "mapping names an unknown control \"%s\" of %s",
		    sc < 0 ? m->source_ref : m->target_ref,
		    sc < 0 ? src->id : tgt->id);
		return;
	}
	sp = cat_priv(src)->position;
	tp = cat_priv(tgt)->position;
	if (sm->to[sp] == NULL)
		sm->to[sp] = map_lists_new(set, sp);
	if (sm->from[tp] == NULL)
		sm->from[tp] = map_lists_new(set, tp);
	map_list_push(sm, &sm->to[sp][sc], tgt, (size_t)tc, m->relationship);
	map_list_push(sm, &sm->from[tp][tc], src, (size_t)sc,
	    m->relationship);
}

static void
build_maps(wp_catalogs *set, const raw_maps *r, wp_diags *d)
{
	set_maps *sm = xcalloc(1, sizeof *sm);
	strtab reported = {NULL, 0, 0, 0};
	size_t i;

	sm->to = xcalloc(set->len, sizeof *sm->to);
	sm->from = xcalloc(set->len, sizeof *sm->from);
	set->maps = sm;
	for (i = 0; i < r->len; i++)
		add_map(set, &r->items[i], &reported, d);
	pairs_free(&sm->pairs);
	strtab_free(&reported);
}

/* --- loading ------------------------------------------------------ */

/* A language tag: letters, digits and hyphens, starting with a letter. */
static int
is_lang_tag(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > 35 || !isalpha((unsigned char)s[0]))
		return 0;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '-')
			return 0;
	return 1;
}

/* Splits "<id>.<lang>.xml"; 0 on success. */
static int
split_catalog_name(const char *name, char **id, char **lang)
{
	size_t n = strlen(name) - 4;
	const char *dot;

	for (dot = name + n; dot > name && dot[-1] != '.'; dot--)
		;
	if (dot <= name + 1 || !is_lang_tag(dot, (size_t)(name + n - dot)))
		return -1;
	*id = xstrndup(name, (size_t)(dot - 1 - name));
	*lang = xstrndup(dot, (size_t)(name + n - dot));
	return 0;
}

static void
pending_push(pending *p, wp_catalog *cat)
{
	if (p->len == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 8;
		p->items = xrealloc(p->items, p->cap * sizeof *p->items);
	}
	p->items[p->len++] = cat;
}

static void
load_catalog_file(xmlNode *root, const char *name, const char *path,
    pending *p, wp_diags *d)
{
	char *id, *lang;

	if (split_catalog_name(name, &id, &lang) != 0) {
		wp_diag_add(d, WP_ERROR, path, xml_line(root), 0, DIAG_CODE,
		    "a catalog file is named <catalog>.<lang>.xml "
		    "(skipped)");
		return;
	}
	pending_push(p, read_catalog(root, id, lang, path, d));
	free(id);
	free(lang);
}

/* Loads one file's text: a catalog language or a mapping collection. */
static void
load_text(const char *name, const char *path, const char *data, size_t len,
    pending *p, raw_maps *r, wp_diags *d)
{
	xmlDoc *doc = parse_xml(path, data, len, d);
	xmlNode *root;

	if (doc == NULL)
		return;
	root = xml.DocGetRootElement(doc);
	if (root && is_element(root, "catalog"))
		load_catalog_file(root, name, path, p, d);
	else if (root && is_element(root, "mapping-collection"))
		read_mapping_collection(root, path, r, d);
	else
		wp_diag_add(d, WP_WARNING, path, root ? xml_line(root) : 0, 0,
		    DIAG_CODE, "neither an OSCAL catalog nor a "
		    "mapping-collection (skipped)");
	xml.FreeDoc(doc);
}

static void
load_file(const char *dir, const char *name, pending *p, raw_maps *r,
    wp_diags *d)
{
	char *path = wp_path_join(dir, name);
	size_t len;
	char *data;

	if ((data = wp_read_file_max(path, WP_CATALOG_MAX, &len)) == NULL) {
		int e = errno;
		wp_diag_add(d, WP_ERROR, path, 0, 0, wp_read_error_code(e),
		    "cannot read catalog file: %s", wp_read_error(e));
	} else
		load_text(name, path, data, len, p, r, d);
	free(data);
	free(path);
}

/* The set made of the catalogs and mappings read. */
static wp_catalogs *
catalogs_finish(pending *p, raw_maps *r, wp_diags *d)
{
	wp_catalogs *set = xcalloc(1, sizeof *set);

	merge_pending(set, p, d);
	build_maps(set, r, d);
	raw_maps_free(r);
	return set;
}

/* libxml2, opened for the catalogs of where: 0, or -1 said in d. */
static int
xml_needed(const char *where, wp_diags *d)
{
	char *msg = NULL;

	if (xml_load(&msg) == 0)
		return 0;
	wp_diag_add(d, WP_ERROR, where, 0, 0, "io-error", "%s", msg);
	free(msg);
	return -1;
}

wp_catalogs *
wp_catalogs_load(const char *dir, wp_diags *d)
{
	pending p = {NULL, 0, 0};
	raw_maps r = {NULL, 0, 0};
	char **names;
	size_t n, i;

	if ((names = wp_dir_names(dir, ".xml", &n)) == NULL) {
		wp_diag_add(d, WP_ERROR, dir, 0, 0, "io-error", "%s",
		    wp_is_dir(dir) ? "cannot read the catalogs directory" :
		    "no catalogs directory; make it (it may be empty for "
		    "documents without controls)");
		return NULL;
	}
	if (n > 0 && xml_needed(dir, d) != 0) {
		free_strv(names, n);
		return NULL;
	}
	for (i = 0; i < n; i++)
		load_file(dir, names[i], &p, &r, d);
	free_strv(names, n);
	return catalogs_finish(&p, &r, d);
}

/* The set of files already read, libxml2's failure to open said at
 * where. */
static wp_catalogs *
load_texts(const char *where, const wp_catalog_text *files, size_t n,
    wp_diags *d)
{
	pending p = {NULL, 0, 0};
	raw_maps r = {NULL, 0, 0};
	size_t i;

	if (n > 0 && xml_needed(where, d) != 0)
		return NULL;
	for (i = 0; i < n; i++)
		load_text(files[i].name, files[i].path, files[i].data,
		    files[i].len, &p, &r, d);
	return catalogs_finish(&p, &r, d);
}

wp_catalogs *
wp_catalogs_load_texts(const wp_catalog_text *files, size_t n, wp_diags *d)
{
	return load_texts(n > 0 ? files[0].path : NULL, files, n, d);
}

wp_catalogs *
wp_catalogs_load_read(const char *dir, const wp_catalog_text *files,
    size_t n, wp_diags *d)
{
	return load_texts(dir, files, n, d);
}

void
wp_catalogs_free(wp_catalogs *set)
{
	set_maps *sm;
	size_t i;

	if (set == NULL)
		return;
	if ((sm = set->maps) != NULL) {
		for (i = 0; i < set->len; i++) {
			map_lists_free(sm->to[i], set->items[i]->ncontrols);
			map_lists_free(sm->from[i], set->items[i]->ncontrols);
		}
		free(sm->to);
		free(sm->from);
		pairs_free(&sm->pairs);
		free(sm);
	}
	for (i = 0; i < set->len; i++)
		catalog_free(set->items[i]);
	free(set->items);
	free(set->cache_key);
	free(set);
}

/* --- a set put together from its parts (catpack.c) ----------------- */

wp_catalogs *
wp_catalogs_new(size_t n)
{
	wp_catalogs *set = xcalloc(1, sizeof *set);
	set_maps *sm = xcalloc(1, sizeof *sm);

	set->items = xcalloc(n + 1, sizeof *set->items);
	sm->to = xcalloc(n + 1, sizeof *sm->to);
	sm->from = xcalloc(n + 1, sizeof *sm->from);
	set->maps = sm;
	return set;
}

void
wp_catalog_free(wp_catalog *cat)
{
	catalog_free(cat);
}

int
wp_catalogs_add(wp_catalogs *set, wp_catalog *cat)
{
	cat_private *p = xcalloc(1, sizeof *p);
	size_t i;

	p->find.fold = 1;
	p->position = set->len;
	cat->index = p;
	for (i = 0; i < cat->ngroups; i++)
		if (!strtab_add(&p->group_ids, cat->groups[i].id, (long)i))
			goto twice;
	for (i = 0; i < cat->ncontrols; i++)
		if (!strtab_add(&p->control_ids, cat->controls[i].id, (long)i))
			goto twice;
	build_find_index(cat);
	set->items[set->len++] = cat;
	return 0;
twice:
	catalog_free(cat);
	return -1;
}

int
wp_catalogs_map_add(wp_catalogs *set, int from, size_t cat, size_t ci,
    size_t other, size_t oci, const char *relationship)
{
	set_maps *sm = set->maps;
	map_list ***lists = from ? &sm->from : &sm->to;

	if (cat >= set->len || ci >= set->items[cat]->ncontrols ||
	    other >= set->len || oci >= set->items[other]->ncontrols)
		return -1;
	if ((*lists)[cat] == NULL)
		(*lists)[cat] = map_lists_new(set, cat);
	return map_list_push(sm, &(*lists)[cat][ci], set->items[other], oci,
	    relationship) ? 0 : -1;
}

void
wp_catalogs_maps_made(wp_catalogs *set)
{
	pairs_free(&((set_maps *)set->maps)->pairs);
}

wp_catalog *
wp_catalogs_get(const wp_catalogs *set, const char *id)
{
	size_t lo = 0, hi = set->len, mid;
	int c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = strcmp(id, set->items[mid]->id);
		if (c == 0)
			return set->items[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/* --- lookup ------------------------------------------------------- */

long
wp_catalog_find(const wp_catalog *cat, const char *id)
{
	long ci;
	char *n;

	if (cat == NULL || id == NULL)
		return -1;
	if ((ci = strtab_get(&cat_priv(cat)->find, id)) >= 0)
		return ci;
	n = id_normal(id);
	ci = strtab_get(&cat_priv(cat)->find, n);
	free(n);
	return ci;
}

static int
is_id_punct(int c)
{
	return c == '.' || c == '-' || c == '(' || c == ')' || c == '_' ||
	    c == ' ' || c == '/' || c == ':';
}

/* Characters that look alike in an ID: l and i for 1, o for 0. */
static int
looks_alike(int a, int b)
{
	if (a > b) {
		int t = a;
		a = b;
		b = t;
	}
	return (a == '1' && (b == 'l' || b == 'i')) || (a == '0' && b == 'o');
}

/*
 * Edit distance in half steps: 2 for an ordinary insertion, deletion or
 * substitution; 1 for punctuation put in, left out or swapped, and for a
 * look-alike (9.2.l for 9.2.1).  Both strings are lower case.
 */
static size_t
id_distance(const char *a, const char *b, size_t *row)
{
	size_t na = strlen(a), nb = strlen(b), i, j, diag, up, best, cost;
	int x, y;

	for (j = 0; j <= nb; j++)
		row[j] = j == 0 ? 0 : row[j - 1] +
		    (is_id_punct((unsigned char)b[j - 1]) ? 1 : 2);
	for (i = 1; i <= na; i++) {
		x = (unsigned char)a[i - 1];
		diag = row[0];
		row[0] += is_id_punct(x) ? 1 : 2;
		for (j = 1; j <= nb; j++) {
			y = (unsigned char)b[j - 1];
			up = row[j];
			if (x == y)
				cost = 0;
			else if ((is_id_punct(x) && is_id_punct(y)) ||
			    looks_alike(x, y))
				cost = 1;
			else
				cost = 2;
			best = diag + cost;
			if (up + (is_id_punct(x) ? 1 : 2) < best)
				best = up + (is_id_punct(x) ? 1 : 2);
			if (row[j - 1] + (is_id_punct(y) ? 1 : 2) < best)
				best = row[j - 1] + (is_id_punct(y) ? 1 : 2);
			diag = up;
			row[j] = best;
		}
	}
	return row[nb];
}

/*
 * The numbers of an ID, leading zeros dropped, each followed by '.':
 * "AC-2(6)" -> "2.6.".  A look-alike (l, i, o) between non-letters is a
 * digit: "9.2.l" -> "9.2.1.".  Suggestions keep the numbers: a different
 * number is a different control, not a typo (malloc'd).
 */
static char *
id_numbers(const char *s)
{
	wp_buf b = WP_BUF_INIT;
	size_t i, n = strlen(s);
	int c, prev_letter, next_letter, in_number = 0;

	for (i = 0; i < n; i++) {
		c = tolower((unsigned char)s[i]);
		prev_letter = i > 0 && isalpha((unsigned char)s[i - 1]);
		next_letter = i + 1 < n && isalpha((unsigned char)s[i + 1]);
		if ((c == 'l' || c == 'i') && !prev_letter && !next_letter)
			c = '1';
		else if (c == 'o' && !prev_letter && !next_letter)
			c = '0';
		if (isdigit(c)) {
			if (!(c == '0' && !in_number && i + 1 < n &&
			    isdigit((unsigned char)s[i + 1])))
				wp_buf_putc(&b, c);
			in_number = 1;
			continue;
		}
		if (in_number)
			wp_buf_putc(&b, '.');
		in_number = 0;
	}
	if (in_number)
		wp_buf_putc(&b, '.');
	return wp_buf_detach(&b);
}

/*
 * The letters of an ID, lower case, look-alike digits left out:
 * "AC-2(6)" -> "ac", "CLD.12.4.5" -> "cld", "9.2.l" -> "" (malloc'd).
 * Where the catalog has controls with the query's letters (a family,
 * AU in NIST SP 800-53), a control of other letters is another family,
 * not a typo: AU-2(1) is not AC-2(1).
 */
static char *
id_letters(const char *s)
{
	wp_buf b = WP_BUF_INIT;
	size_t i, n = strlen(s);
	int c, prev_letter, next_letter;

	for (i = 0; i < n; i++) {
		c = tolower((unsigned char)s[i]);
		if (!isalpha(c))
			continue;
		prev_letter = i > 0 && isalpha((unsigned char)s[i - 1]);
		next_letter = i + 1 < n && isalpha((unsigned char)s[i + 1]);
		if ((c == 'l' || c == 'i' || c == 'o') && !prev_letter &&
		    !next_letter)
			continue;
		wp_buf_putc(&b, c);
	}
	return wp_buf_detach(&b);
}

typedef struct suggestion {
	char *query;           /* lower case */
	char *numbers;         /* id_numbers(query) */
	char *letters;         /* id_letters(query), when candidates must
	                          have them; else NULL */
	const char *best;
	size_t best_cost;
	size_t *row;
	size_t rowcap;
} suggestion;

static void
suggest_try(suggestion *s, const char *candidate)
{
	size_t n = strlen(candidate), cost;
	char *lower, *numbers = id_numbers(candidate);
	int same = strcmp(numbers, s->numbers) == 0;
	char *letters;

	free(numbers);
	if (!same)
		return;
	if (s->letters) {
		letters = id_letters(candidate);
		same = strcmp(letters, s->letters) == 0;
		free(letters);
		if (!same)
			return;
	}

	if (n + 1 > s->rowcap) {
		s->rowcap = n + 1;
		s->row = xrealloc(s->row, s->rowcap * sizeof *s->row);
	}
	lower = collapse_space(candidate, 1);
	cost = id_distance(s->query, lower, s->row);
	free(lower);
	if (s->best == NULL || cost < s->best_cost) {
		s->best = candidate;
		s->best_cost = cost;
	}
}

/* Whether a control of cat has an ID (label, labels, alt-identifier)
 * with these letters. */
static int
has_letters(const wp_catalog *cat, const char *letters)
{
	size_t i, j;
	int found = 0;
	char *l;

	for (i = 0; i < cat->ncontrols && !found; i++) {
		const wp_control *c = &cat->controls[i];
		for (j = 0; j <= c->nlabels + 1 && !found; j++) {
			const char *id = j == 0 ? c->label : j == 1 ?
			    c->alt_identifier : c->labels[j - 2];
			if (id == NULL)
				continue;
			l = id_letters(id);
			found = strcmp(l, letters) == 0;
			free(l);
		}
	}
	return found;
}

char *
wp_catalog_suggest(const wp_catalog *cat, const char *id)
{
	suggestion s;
	size_t i, j, limit;
	char *result = NULL;

	if (cat == NULL || id == NULL)
		return NULL;
	memset(&s, 0, sizeof s);
	s.query = collapse_space(id, 1);
	if (*s.query == '\0') {
		free(s.query);
		return NULL;
	}
	s.numbers = id_numbers(s.query);
	s.letters = id_letters(s.query);
	if (!has_letters(cat, s.letters)) {
		free(s.letters);
		s.letters = NULL;
	}
	for (i = 0; i < cat->ncontrols; i++) {
		const wp_control *c = &cat->controls[i];
		suggest_try(&s, c->label);
		for (j = 0; j < c->nlabels; j++)
			suggest_try(&s, c->labels[j]);
		if (c->alt_identifier)
			suggest_try(&s, c->alt_identifier);
	}
	limit = strlen(s.query) / 3;
	limit = 2 * (limit > 2 ? limit : 2);
	if (s.best && s.best_cost <= limit)
		result = xstrdup(s.best);
	free(s.query);
	free(s.numbers);
	free(s.letters);
	free(s.row);
	return result;
}

/* --- titles ------------------------------------------------------- */

/* The first language whose tag is lang[0..n) or starts with it and a
 * hyphen, or -1. */
static long
lang_index_prefix(const wp_catalog *cat, const char *lang, size_t n)
{
	size_t i;

	for (i = 0; i < cat->nlangs; i++)
		if (strncasecmp(cat->langs[i], lang, n) == 0 &&
		    (cat->langs[i][n] == '\0' || cat->langs[i][n] == '-'))
			return (long)i;
	return -1;
}

long
wp_catalog_lang(const wp_catalog *cat, const char *lang)
{
	size_t i, n;

	if (lang == NULL)
		return -1;
	for (i = 0; i < cat->nlangs; i++)
		if (strcasecmp(cat->langs[i], lang) == 0)
			return (long)i;
	/* BCP 47: en-US reads the en catalog, en the en-US one. */
	for (n = strlen(lang); n > 0 && lang[n - 1] != '-'; n--)
		;
	if (n > 1)
		return lang_index_prefix(cat, lang, n - 1);
	return lang_index_prefix(cat, lang, strlen(lang));
}

/* titles[lang], else the first title of another language. */
static const char *
title_in(const wp_catalog *cat, char *const *titles, const char *lang,
    const char **fallback)
{
	long li = wp_catalog_lang(cat, lang);
	size_t i;

	if (fallback)
		*fallback = NULL;
	if (titles == NULL)
		return NULL;
	if (li >= 0 && titles[li])
		return titles[li];
	for (i = 0; i < cat->nlangs; i++) {
		if (titles[i] == NULL)
			continue;
		if (fallback)
			*fallback = cat->langs[i];
		return titles[i];
	}
	return NULL;
}

const char *
wp_control_title(const wp_catalog *cat, const wp_control *c,
    const char *lang, const char **fallback)
{
	return title_in(cat, c->titles, lang, fallback);
}

const char *
wp_group_title(const wp_catalog *cat, const wp_group *g, const char *lang,
    const char **fallback)
{
	return title_in(cat, g->titles, lang, fallback);
}

const char *
wp_catalog_title(const wp_catalog *cat, const char *lang)
{
	return title_in(cat, cat->titles, lang, NULL);
}

/* --- mapped controls ---------------------------------------------- */

static const wp_map_target *
mapped(map_list **lists, const wp_catalog *cat, size_t ci, size_t *n)
{
	map_list *l;

	*n = 0;
	if (lists == NULL || cat == NULL || ci >= cat->ncontrols)
		return NULL;
	l = lists[cat_priv(cat)->position];
	if (l == NULL || l[ci].len == 0)
		return NULL;
	*n = l[ci].len;
	return l[ci].items;
}

const wp_map_target *
wp_catalogs_maps_to(const wp_catalogs *set, const wp_catalog *cat,
    size_t ci, size_t *n)
{
	set_maps *sm = set->maps;

	return mapped(sm ? sm->to : NULL, cat, ci, n);
}

const wp_map_target *
wp_catalogs_maps_from(const wp_catalogs *set, const wp_catalog *cat,
    size_t ci, size_t *n)
{
	set_maps *sm = set->maps;

	return mapped(sm ? sm->from : NULL, cat, ci, n);
}

/* --- standards ---------------------------------------------------- */

/* A document-id without its ":year" (malloc'd), or NULL when it has
 * none: "ISO/IEC 27017:2015" -> "ISO/IEC 27017". */
static char *
without_year(const char *docid)
{
	const char *colon = strrchr(docid, ':');
	size_t n;

	if (colon == NULL || !isdigit((unsigned char)colon[1]))
		return NULL;
	n = (size_t)(colon - docid);
	while (n > 0 && is_space((unsigned char)docid[n - 1]))
		n--;
	return n ? xstrndup(docid, n) : NULL;
}

static int
is_allowed(const wp_catalog *cat, const char *const *allowed)
{
	if (allowed == NULL)
		return 1;
	for (; *allowed; allowed++)
		if (strcmp(*allowed, cat->id) == 0)
			return 1;
	return 0;
}

/* 1 when name (normalized, lower case) equals s normalized. */
static int
same_name(const char *name, const char *s)
{
	char *t = collapse_space(s, 1);
	int eq = strcmp(name, t) == 0;

	free(t);
	return eq;
}

/* 1 when the standards map gives name to cat. */
static int
standards_name(const wp_catalog *cat, const char *name,
    const wp_value *standards)
{
	size_t i;
	const wp_map_entry *e;

	if (standards == NULL || standards->kind != WP_MAP)
		return 0;
	for (i = 0; i < standards->u.map.len; i++) {
		e = &standards->u.map.items[i];
		if (e->value && e->value->kind == WP_STRING &&
		    strcmp(e->value->u.str.text, cat->id) == 0 &&
		    same_name(name, e->key))
			return 1;
	}
	return 0;
}

/* The first name that standards gives cat, or NULL. */
static const char *
standards_first(const wp_catalog *cat, const wp_value *standards)
{
	const wp_map_entry *e;
	size_t i;

	if (standards == NULL || standards->kind != WP_MAP)
		return NULL;
	for (i = 0; i < standards->u.map.len; i++) {
		e = &standards->u.map.items[i];
		if (e->value && e->value->kind == WP_STRING &&
		    strcmp(e->value->u.str.text, cat->id) == 0)
			return e->key;
	}
	return NULL;
}

const char *
wp_catalog_name(const wp_catalog *cat, const wp_value *standards,
    const char *lang)
{
	const char *s;

	if (cat->ndocument_ids)
		return cat->document_ids[0];
	if ((s = standards_first(cat, standards)) != NULL)
		return s;
	if ((s = wp_catalog_title(cat, lang)) != NULL)
		return s;
	return cat->id;
}

char *
wp_catalog_marker_standard(const wp_catalog *cat, const wp_value *standards,
    const char *lang)
{
	char *t;

	if (cat->ndocument_ids) {
		t = without_year(cat->document_ids[0]);
		return t ? t : xstrdup(cat->document_ids[0]);
	}
	return xstrdup(wp_catalog_name(cat, standards, lang));
}

const wp_group *
wp_control_family(const wp_catalog *cat, size_t ci)
{
	int g;

	if (ci >= cat->ncontrols)
		return NULL;
	for (g = cat->controls[ci].group; g >= 0 &&
	    cat->groups[g].parent >= 0; g = cat->groups[g].parent)
		;
	return g >= 0 ? &cat->groups[g] : NULL;
}

/* 2 when name is cat's id, a full document-id or a standards name; 1
 * when it is a document-id without its year; else 0. */
static int
name_match(const wp_catalog *cat, const char *name, const wp_value *standards)
{
	size_t i;
	char *s;
	int year = 0;

	if (same_name(name, cat->id) || standards_name(cat, name, standards))
		return 2;
	for (i = 0; i < cat->ndocument_ids; i++) {
		if (same_name(name, cat->document_ids[i]))
			return 2;
		if ((s = without_year(cat->document_ids[i])) != NULL) {
			year |= same_name(name, s);
			free(s);
		}
	}
	return year;
}

wp_catalog *
wp_catalogs_resolve(const wp_catalogs *set, const char *standard,
    const struct wp_value *standards, const char *const *allowed,
    int *ambiguous)
{
	wp_catalog *found[3] = {NULL, NULL, NULL};
	int count[3] = {0, 0, 0}, tier;
	char *name;
	size_t i;

	if (ambiguous)
		*ambiguous = 0;
	if (set == NULL || standard == NULL)
		return NULL;
	name = collapse_space(standard, 1);
	for (i = 0; i < set->len; i++) {
		if (!is_allowed(set->items[i], allowed))
			continue;
		tier = name_match(set->items[i], name, standards);
		if (tier && count[tier]++ == 0)
			found[tier] = set->items[i];
	}
	free(name);
	for (tier = 2; tier > 0; tier--) {
		if (count[tier] == 1)
			return found[tier];
		if (count[tier] > 1) {
			if (ambiguous)
				*ambiguous = 1;
			return NULL;
		}
	}
	return NULL;
}

/* Appends name when it is new and names cat alone. */
static void
put_known(wp_buf *b, const wp_catalogs *set, const wp_catalog *cat,
    const char *name, const wp_value *standards,
    const char *const *allowed, strtab *seen)
{
	char *key = collapse_space(name, 1);
	int amb;

	if (strtab_add(seen, key, 0) &&
	    wp_catalogs_resolve(set, name, standards, allowed, &amb) == cat) {
		if (b->len)
			wp_buf_puts(b, ", ");
		wp_buf_puts(b, name);
	}
	free(key);
}

char *
wp_catalogs_known_standards(const wp_catalogs *set,
    const struct wp_value *standards, const char *const *allowed)
{
	wp_buf b = WP_BUF_INIT;
	strtab seen = {NULL, 0, 0, 0};
	const wp_catalog *cat;
	size_t i, j, before;
	char *s;

	for (i = 0; set && i < set->len; i++) {
		cat = set->items[i];
		if (!is_allowed(cat, allowed))
			continue;
		before = b.len;
		for (j = 0; j < cat->ndocument_ids; j++) {
			put_known(&b, set, cat, cat->document_ids[j],
			    standards, allowed, &seen);
			if ((s = without_year(cat->document_ids[j])) != NULL) {
				put_known(&b, set, cat, s, standards, allowed,
				    &seen);
				free(s);
			}
		}
		for (j = 0; standards && standards->kind == WP_MAP &&
		    j < standards->u.map.len; j++)
			put_known(&b, set, cat, standards->u.map.items[j].key,
			    standards, allowed, &seen);
		/* The id, a file name, only when the catalog has no name. */
		if (b.len == before)
			put_known(&b, set, cat, cat->id, standards, allowed,
			    &seen);
	}
	strtab_free(&seen);
	return wp_buf_detach(&b);
}
