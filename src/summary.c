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
	"pdf_href", NULL
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
	offsetof(wp_summary, pdf_file), offsetof(wp_summary, pdf_href)
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
    const char *anchor, const char *title)
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
	cat->count[c]++;
	return 0;
}

wp_summary *
wp_summary_copy(const wp_summary *s)
{
	wp_summary *c = wp_summary_new();
	const wp_summary_catalog *cat;
	wp_summary_catalog *to;
	size_t i, j, k, at;
	char **f;

	c->source = s->source;
	c->revision = s->revision;
	c->has_label = s->has_label;
	c->translated = s->translated;
	c->coverage = s->coverage;
	for (i = 0; wp_summary_fields[i]; i++) {
		f = wp_summary_field(c, wp_summary_fields[i]);
		*f = dup_or_null(*wp_summary_field((wp_summary *)s,
		    wp_summary_fields[i]));
	}
	for (i = 0; i < s->ncatalogs; i++) {
		cat = &s->catalogs[i];
		to = wp_summary_add_catalog(c, cat->id, cat->name,
		    cat->ncontrols);
		for (j = 0, at = 0; j < cat->ncontrols; j++)
			for (k = 0; k < cat->count[j]; k++, at++)
				wp_summary_add_section(to, j,
				    cat->sections[at].text,
				    cat->sections[at].anchor,
				    cat->sections[at].title);
	}
	return c;
}

void
wp_summary_free(wp_summary *s)
{
	wp_summary_catalog *cat;
	size_t i, j;

	if (s == NULL)
		return;
	for (i = 0; wp_summary_fields[i]; i++)
		free(*wp_summary_field(s, wp_summary_fields[i]));
	for (i = 0; i < s->ncatalogs; i++) {
		cat = &s->catalogs[i];
		for (j = 0; j < cat->nsections; j++) {
			free(cat->sections[j].text);
			free(cat->sections[j].anchor);
			free(cat->sections[j].title);
		}
		free(cat->sections);
		free(cat->count);
		free(cat->id);
		free(cat->name);
	}
	free(s->catalogs);
	free(s);
}
