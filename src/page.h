/*
 * page.h: the pages of the site, as Mustache contexts rendered through the
 * style's templates: an edition's page, the site index and the coverage
 * page.  docs/templates.md describes every name a template can use.
 */
#ifndef WP_PAGE_H
#define WP_PAGE_H

#include "mustache.h"
#include "site.h"

struct wp_buf;

/* Reads what every page of style in lang needs (labels, the heading and
 * page templates), reporting their problems, before editions render:
 * worker processes then inherit them instead of each finding the same
 * problem. */
void wp_page_prepare(wp_site *site, const wp_style *style, const char *lang,
    wp_diags *d);

/* Renders the edition's page (templates <style>/page) into out.  0, or -1
 * with diagnostics. */
int wp_page_render_edition(wp_site *site, wp_edition *ed,
    struct wp_buf *out, wp_diags *d);

/* How a page is rendered: the print variant (the same templates with
 * `print` set: print style sheets, running heads) that WeasyPrint turns
 * into the PDF, and the name of the PDF beside the page (linked from the
 * cover), or NULL when none is built. */
struct wp_arena;
struct wp_summary;

typedef struct wp_page_opts {
	int print;
	const char *pdf_name;
	struct wp_summary **summary;  /* when set: the edition's summary
	                                 (wp_page_edition_summary), made with
	                                 the page's own labels */
} wp_page_opts;

int wp_page_render_variant(wp_site *site, wp_edition *ed,
    const wp_page_opts *o, struct wp_buf *out, wp_diags *d);

/* A summary of one edition for the index and coverage pages (summary.h),
 * kept while the build goes on (the edition itself is freed). */
struct wp_summary *wp_page_edition_summary(wp_site *site,
    const wp_edition *ed);
/*
 * The summaries of every edition built, in order (a service's editions
 * next to each other), from which the site pages are made: n of them,
 * got one at a time, whole (get) or only their heads (head, summary.h:
 * without the coverage, which only the coverage page's cells need; NULL:
 * get), and put back as soon as the pages are done with it (put), so
 * that the caller may keep them out of memory (a build's store:
 * summary.h).  The pages hold one or two at a time and what they need
 * of all of them (a few facts, made once); the coverage page's cells
 * wait for their rows in scratch.  Start with the page's fields zero;
 * wp_site_summaries_done() frees the facts.
 */
struct wp_summary_store;
struct wp_site_facts;
typedef struct wp_site_summaries {
	size_t n;
	const struct wp_summary *(*get)(void *ctx, size_t i);
	const struct wp_summary *(*head)(void *ctx, size_t i);
	void (*put)(void *ctx, size_t i, const struct wp_summary *s);
	void *ctx;
	struct wp_summary_store *scratch;
	int failed;                /* scratch could not be used */
	struct wp_site_facts *facts;   /* the pages' */
} wp_site_summaries;
void wp_site_summaries_done(wp_site_summaries *sums);

/* The languages the site has an index and a coverage page in: the
 * site's language (that of index.html and coverage.html) first, then
 * every other language of an edition; NULL-terminated, free with
 * wp_strv_free. */
char **wp_page_index_langs(wp_site_summaries *sums, size_t *n);
/*
 * The site index in lang (base/index: index.html in the first language
 * of wp_page_index_langs, index.LANG.html in each) and the coverage page
 * in lang (base/coverage: coverage.html, coverage.LANG.html), streamed to
 * sink (mustache.h, wp_template_render_stream) as they are rendered.
 * The summaries become Mustache values only there, a card or a row at a
 * time (generated lists, value.h): a summary as these templates see it
 * is a map with its fields, `version_label` and `catalogs`; the coverage
 * page's rows hold, for each column, the sections that address the
 * row's control (or, when only a mapped control's sections do, those,
 * with `via`: the mapped controls' labels), each text, href, title
 * (docs/templates.md).  0; -1 with diagnostics; -2 when the sink
 * failed (it says why).
 */
int wp_page_render_index(wp_site *site, wp_site_summaries *sums,
    const char *lang, wp_render_sink sink, void *sink_data, wp_diags *d);
/* Whether the site has a coverage page: site.yaml does not turn it off
 * and a service takes part (service.yaml's coverage). */
int wp_page_has_coverage(const wp_site *site, wp_site_summaries *sums);
int wp_page_render_coverage(wp_site *site, wp_site_summaries *sums,
    const char *lang, wp_render_sink sink, void *sink_data, wp_diags *d);

#endif
