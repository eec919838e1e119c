/*
 * summary.c: the summary of an edition for the site pages (summary.h):
 * making, copying and freeing one.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "summary.h"
#include "util.h"

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

static size_t
str_size(const char *s)
{
	return s ? strlen(s) + 1 : 0;
}

/* Copies s into the block at *at (NULL stays NULL). */
static char *
put_str(char **at, const char *s)
{
	char *p = *at;
	size_t n = str_size(s);

	if (s == NULL)
		return NULL;
	memcpy(p, s, n);
	*at += n;
	return p;
}

/*
 * A copy in one block: the struct, its arrays, then its strings.  A
 * build keeps a summary per edition to the end: hundreds of small blocks
 * each, made between the pages' large ones, would scatter the heap.
 */
wp_summary *
wp_summary_copy(const wp_summary *s)
{
	const wp_summary_catalog *cat;
	wp_summary_catalog *to;
	wp_summary *c;
	size_t need = aligned(sizeof *s), i, j;
	char *block, *at;

	need += aligned(s->ncatalogs * sizeof *s->catalogs);
	for (i = 0; i < s->ncatalogs; i++) {
		cat = &s->catalogs[i];
		need += aligned((cat->ncontrols + 1) * sizeof *cat->count);
		need += aligned(cat->nsections * sizeof *cat->sections);
		need += str_size(cat->id) + str_size(cat->name);
		for (j = 0; j < cat->nsections; j++)
			need += str_size(cat->sections[j].text) +
			    str_size(cat->sections[j].anchor) +
			    str_size(cat->sections[j].title) +
			    str_size(cat->sections[j].via);
	}
	for (i = 0; wp_summary_fields[i]; i++)
		need += str_size(*wp_summary_field((wp_summary *)s,
		    wp_summary_fields[i]));
	block = xcalloc(1, need);
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
		to->count = (size_t *)at;
		memcpy(to->count, cat->count, cat->ncontrols * sizeof
		    *cat->count);
		at += aligned((cat->ncontrols + 1) * sizeof *cat->count);
		to->sections = cat->nsections ? (wp_summary_section *)at :
		    NULL;
		at += aligned(cat->nsections * sizeof *cat->sections);
	}
	for (i = 0; wp_summary_fields[i]; i++) {
		char **f = wp_summary_field(c, wp_summary_fields[i]);
		*f = put_str(&at, *f);
	}
	for (i = 0; i < s->ncatalogs; i++) {
		cat = &s->catalogs[i];
		to = &c->catalogs[i];
		to->id = put_str(&at, cat->id);
		to->name = put_str(&at, cat->name);
		for (j = 0; j < cat->nsections; j++) {
			to->sections[j].text = put_str(&at,
			    cat->sections[j].text);
			to->sections[j].anchor = put_str(&at,
			    cat->sections[j].anchor);
			to->sections[j].title = put_str(&at,
			    cat->sections[j].title);
			to->sections[j].via = put_str(&at,
			    cat->sections[j].via);
		}
	}
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
