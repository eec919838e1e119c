/*
 * summary.c: the summary of an edition for the site pages (summary.h):
 * making, copying and freeing one.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "summary.h"
#include "util.h"
#include "value.h"

const char *const wp_summary_fields[] = {
	"service", "lang", "lang_name", "title", "short_title", "provider",
	"description", "copyright", "style", "version", "version_text",
	"label", "display", "date", "date_text", "href", "pdf_file",
	"pdf_href", "title_lang", "provider_lang", "description_lang",
	"copyright_lang", NULL
};

static const size_t field_offsets[] = {
	offsetof(wp_summary, service), offsetof(wp_summary, lang),
	offsetof(wp_summary, lang_name), offsetof(wp_summary, title),
	offsetof(wp_summary, short_title), offsetof(wp_summary, provider),
	offsetof(wp_summary, description), offsetof(wp_summary, copyright),
	offsetof(wp_summary, style), offsetof(wp_summary, version),
	offsetof(wp_summary, version_text), offsetof(wp_summary, label),
	offsetof(wp_summary, display), offsetof(wp_summary, date),
	offsetof(wp_summary, date_text), offsetof(wp_summary, href),
	offsetof(wp_summary, pdf_file), offsetof(wp_summary, pdf_href),
	offsetof(wp_summary, title_lang), offsetof(wp_summary, provider_lang),
	offsetof(wp_summary, description_lang),
	offsetof(wp_summary, copyright_lang)
};

char **
wp_summary_field(wp_summary *s, const char *key)
{
	size_t i;

	for (i = 0; wp_summary_fields[i]; i++)
		if (strcmp(wp_summary_fields[i], key) == 0)
			return (char **)((char *)s + field_offsets[i]);
	return NULL;
}

wp_summary *
wp_summary_new(void)
{
	return xcalloc(1, sizeof(wp_summary));
}

static char *
dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

wp_summary_catalog *
wp_summary_add_catalog(wp_summary *s, const char *id, const char *name,
    size_t ncontrols)
{
	wp_summary_catalog *c;

	s->catalogs = xrealloc(s->catalogs, (s->ncatalogs + 1) *
	    sizeof *s->catalogs);
	c = &s->catalogs[s->ncatalogs++];
	memset(c, 0, sizeof *c);
	c->id = xstrdup(id);
	c->name = dup_or_null(name);
	c->ncontrols = ncontrols;
	c->count = xcalloc(ncontrols + 1, sizeof *c->count);
	return c;
}

int
wp_summary_add_section(wp_summary_catalog *cat, size_t c, const char *text,
    const char *anchor, const char *title, const char *via)
{
	wp_summary_section *sec;

	if (c >= cat->ncontrols || c < cat->last)
		return -1;
	cat->last = c;
	cat->sections = xrealloc(cat->sections, (cat->nsections + 1) *
	    sizeof *cat->sections);
	sec = &cat->sections[cat->nsections++];
	sec->text = dup_or_null(text);
	sec->anchor = dup_or_null(anchor);
	sec->title = dup_or_null(title);
	sec->via = dup_or_null(via);
	cat->count[c]++;
	return 0;
}

/* Sizes rounded up for what follows to be aligned. */
static size_t
aligned(size_t n)
{
	return (n + 15) & ~(size_t)15;
}

/*
 * The strings of a summary in its block, each once: a section that
 * addresses several controls, and the mapped controls' labels (via) of
 * every section covering a control through the mapping, repeat the same
 * texts (half the bytes of a summary's strings, in the bench corpus).
 * An open-addressing table from a text to its offset in the strings.
 */
typedef struct pool {
	const char **keys;
	size_t *offs;
	size_t cap, bytes;
} pool;

static void
pool_init(pool *p, size_t n)
{
	p->cap = 16;
	while (p->cap < 2 * n)
		p->cap *= 2;
	p->keys = xcalloc(p->cap, sizeof *p->keys);
	p->offs = xcalloc(p->cap, sizeof *p->offs);
	p->bytes = 0;
}

/* The offset of s among the strings, adding it when it is new. */
static size_t
pool_add(pool *p, const char *s)
{
	size_t i = wp_key_hash(s) & (p->cap - 1);

	while (p->keys[i] && strcmp(p->keys[i], s) != 0)
		i = (i + 1) & (p->cap - 1);
	if (p->keys[i] == NULL) {
		p->keys[i] = s;
		p->offs[i] = p->bytes;
		p->bytes += strlen(s) + 1;
	}
	return p->offs[i];
}

/* s in the strings (NULL stays NULL). */
static char *
pool_str(pool *p, char *strings, const char *s)
{
	return s ? strings + pool_add(p, s) : NULL;
}

static void
pool_free(pool *p)
{
	free(p->keys);
	free(p->offs);
}

/* Every string of s into the pool. */
static void
pool_summary(pool *p, const wp_summary *s)
{
	const wp_summary_catalog *cat;
	const char *f;
	size_t i, j;

	for (i = 0; wp_summary_fields[i]; i++)
		if ((f = *wp_summary_field((wp_summary *)s,
		    wp_summary_fields[i])) != NULL)
			pool_add(p, f);
	for (i = 0; i < s->ncatalogs; i++) {
		cat = &s->catalogs[i];
		pool_add(p, cat->id);
		if (cat->name)
			pool_add(p, cat->name);
		for (j = 0; j < cat->nsections; j++) {
			if (cat->sections[j].text)
				pool_add(p, cat->sections[j].text);
			if (cat->sections[j].anchor)
				pool_add(p, cat->sections[j].anchor);
			if (cat->sections[j].title)
				pool_add(p, cat->sections[j].title);
			if (cat->sections[j].via)
				pool_add(p, cat->sections[j].via);
		}
	}
}

/*
 * A copy in one block: the struct, its arrays, then its strings, each
 * once.  A build keeps a summary per edition to the end: hundreds of
 * small blocks each, made between the pages' large ones, would scatter
 * the heap.
 */
wp_summary *
wp_summary_copy(const wp_summary *s)
{
	const wp_summary_catalog *cat;
	wp_summary_catalog *to;
	wp_summary *c;
	size_t need = aligned(sizeof *s), i, j, nstr = 32;
	char *block, *at, *strings;
	pool p;

	need += aligned(s->ncatalogs * sizeof *s->catalogs);
	for (i = 0; i < s->ncatalogs; i++) {
		cat = &s->catalogs[i];
		need += aligned((cat->ncontrols + 1) * sizeof *cat->count);
		need += aligned(cat->nsections * sizeof *cat->sections);
		nstr += 2 + 4 * cat->nsections;
	}
	pool_init(&p, nstr);
	pool_summary(&p, s);
	block = xcalloc(1, need + p.bytes);
	strings = block + need;
	for (i = 0; i < p.cap; i++)
		if (p.keys[i])
			memcpy(strings + p.offs[i], p.keys[i],
			    strlen(p.keys[i]) + 1);
	c = (wp_summary *)block;
	*c = *s;
	c->one_block = 1;
	at = block + aligned(sizeof *s);
	c->catalogs = s->ncatalogs ? (wp_summary_catalog *)at : NULL;
	at += aligned(s->ncatalogs * sizeof *s->catalogs);
	for (i = 0; i < s->ncatalogs; i++) {
		cat = &s->catalogs[i];
		to = &c->catalogs[i];
		*to = *cat;
		to->count = (unsigned *)at;
		memcpy(to->count, cat->count, cat->ncontrols * sizeof
		    *cat->count);
		at += aligned((cat->ncontrols + 1) * sizeof *cat->count);
		to->sections = cat->nsections ? (wp_summary_section *)at :
		    NULL;
		at += aligned(cat->nsections * sizeof *cat->sections);
	}
	for (i = 0; wp_summary_fields[i]; i++) {
		char **f = wp_summary_field(c, wp_summary_fields[i]);
		*f = pool_str(&p, strings, *f);
	}
	for (i = 0; i < s->ncatalogs; i++) {
		cat = &s->catalogs[i];
		to = &c->catalogs[i];
		to->id = pool_str(&p, strings, cat->id);
		to->name = pool_str(&p, strings, cat->name);
		for (j = 0; j < cat->nsections; j++) {
			to->sections[j].text = pool_str(&p, strings,
			    cat->sections[j].text);
			to->sections[j].anchor = pool_str(&p, strings,
			    cat->sections[j].anchor);
			to->sections[j].title = pool_str(&p, strings,
			    cat->sections[j].title);
			to->sections[j].via = pool_str(&p, strings,
			    cat->sections[j].via);
		}
	}
	pool_free(&p);
	return c;
}

wp_summary *
wp_summary_compact(wp_summary *s)
{
	wp_summary *c;

	if (s == NULL || s->one_block)
		return s;
	c = wp_summary_copy(s);
	wp_summary_free(s);
	return c;
}

void
wp_summary_free(wp_summary *s)
{
	wp_summary_catalog *cat;
	size_t i, j;

	if (s == NULL)
		return;
	if (s->one_block) {
		free(s);
		return;
	}
	for (i = 0; wp_summary_fields[i]; i++)
		free(*wp_summary_field(s, wp_summary_fields[i]));
	for (i = 0; i < s->ncatalogs; i++) {
		cat = &s->catalogs[i];
		for (j = 0; j < cat->nsections; j++) {
			free(cat->sections[j].text);
			free(cat->sections[j].anchor);
			free(cat->sections[j].title);
			free(cat->sections[j].via);
		}
		free(cat->sections);
		free(cat->count);
		free(cat->id);
		free(cat->name);
	}
	free(s->catalogs);
	free(s);
}
