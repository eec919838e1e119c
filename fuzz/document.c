/*
 * document.c: libFuzzer target for Markdown -> document model
 * (src/document.c, src/marker.c) and the body's HTML (src/html.c).
 *
 * The input is one edition's Markdown.  It is parsed against the real
 * ISO catalogs of content/catalogs (loaded once; WPGEN_FUZZ_CATALOGS
 * names another directory), twice: as a Japanese edition without raw
 * HTML and as an English one with unsafe_html and a standards map.  Each
 * section's source is then located and hashed as translations do
 * (src/translate.c), and the body rendered to HTML.  Content errors are
 * expected; crashes, leaks and hangs are not.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "catalog.h"
#include "diag.h"
#include "document.h"
#include "html.h"
#include "translate.h"
#include "util.h"
#include "value.h"

static wp_catalogs *catalogs;
static wp_value *standards;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *dir = getenv("WPGEN_FUZZ_CATALOGS");
	wp_diags d;

	if (dir == NULL)
		dir = "content/catalogs";
	wp_diags_init(&d);
	catalogs = wp_catalogs_load(dir, &d);
	if (catalogs == NULL || d.errors > 0 || catalogs->len == 0) {
		fprintf(stderr, "fuzz-document: cannot load the catalogs of "
		    "%s (run from the repository root, or set "
		    "WPGEN_FUZZ_CATALOGS)\n", dir);
		wp_diags_print_text(&d, stderr);
		exit(2);
	}
	wp_diags_free(&d);
	standards = wp_value_new_map();
	wp_map_set_str(standards, "CLOUD", "iso27017-2015");
	wp_map_set_str(standards, "ISMS", "iso27001-2022");
	return 0;
}

static int
heading(void *data, const wp_document *doc, size_t i, wp_buf *out)
{
	const wp_section *s = &doc->sections[i];

	wp_buf_printf(out, "<h%d id=\"", s->level);
	wp_buf_put_html(out, s->anchor, strlen(s->anchor));
	wp_buf_puts(out, "\">");
	wp_buf_put_html(out, s->title, strlen(s->title));
	wp_buf_printf(out, "</h%d>\n", s->level);
	return 0;
}

static void
walk(const wp_document *doc)
{
	wp_html_hooks hooks = {heading, NULL, NULL, NULL, 0};
	wp_buf out = WP_BUF_INIT;
	char hash[17], (*all)[17] = xcalloc(doc->nsections + 1, sizeof *all);
	size_t *which = xcalloc(doc->nsections + 1, sizeof *which);
	size_t i, j, len;
	int line;

	/* The sections hashed at once, last first: each as alone. */
	for (i = 0; i < doc->nsections; i++)
		which[i] = doc->nsections - 1 - i;
	wp_section_hashes(doc, which, doc->nsections, all);
	for (i = 0; i < doc->nsections; i++) {
		const wp_section *s = &doc->sections[i];

		wp_section_source(doc, i, &len);
		wp_section_hash(doc, i, hash);
		if (strcmp(hash, all[doc->nsections - 1 - i]) != 0)
			abort();
		wp_document_locate(doc, s->line, &line);
		wp_document_char_column(doc, s->line, s->column);
		for (j = 0; j < s->ncontrols; j++)
			wp_document_char_column(doc, s->controls[j].line,
			    s->controls[j].column);
		wp_document_find_key(doc, s->key);
	}
	wp_html_render_body(doc, &hooks, &out);
	/* and the print variant: table cells in phrases, kept rows */
	hooks.print = 1;
	wp_buf_clear(&out);
	wp_html_render_body(doc, &hooks, &out);
	wp_buf_free(&out);
	free(which);
	free(all);
}

static void
parse(const char *text, size_t len, const char *lang, int unsafe_html,
    const wp_value *names)
{
	wp_document_options opt;
	wp_document *doc;
	wp_diags d;

	memset(&opt, 0, sizeof opt);
	opt.catalogs = catalogs;
	opt.standards = names;
	opt.lang = lang;
	opt.unsafe_html = unsafe_html;
	opt.render = 1;
	wp_diags_init(&d);
	doc = wp_document_parse("fuzz/edition.md", text, len, &opt, &d);
	if (doc) {
		walk(doc);
		wp_document_free(doc);
	}
	wp_diags_free(&d);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	parse((const char *)data, size, "ja", 0, NULL);
	parse((const char *)data, size, "en", 1, standards);
	return 0;
}
