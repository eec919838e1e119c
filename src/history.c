/*
 * history.c: published redlines and archived editions (history.h).
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diff.h"
#include "history.h"
#include "page.h"
#include "pastrev.h"
#include "pdf.h"
#include "util.h"

/* A revision of the service read from git: its service.yaml and the
 * edition in lang. */
typedef struct past {
	wp_service *svc;
	wp_edition *ed;
} past;

static void
past_free(past *p)
{
	wp_edition_free(p->ed);
	wp_service_free(p->svc);
	memset(p, 0, sizeof *p);
}

/* Reads the service at g in lang: 0, or -1 when the revision has no such
 * edition (nothing to publish, nothing wrong: the past is what it was,
 * and its own problems are not this build's). */
static int
past_read(wp_site *site, const wp_service *svc, const wp_gitrev *g,
    const char *lang, past *p)
{
	wp_diags quiet;

	memset(p, 0, sizeof *p);
	wp_diags_init(&quiet);
	p->svc = wp_past_service(site, g, svc->id, svc->unsafe_html,
	    &quiet);
	if (p->svc && wp_service_has_lang(p->svc, lang))
		p->ed = wp_past_edition(site, g, p->svc, lang, &quiet);
	wp_diags_free(&quiet);
	if (p->ed == NULL) {
		past_free(p);
		return -1;
	}
	return 0;
}

/* Opens the ref of each revision that has one; NULL where it has none or
 * it names nothing (said once, at the revision in service.yaml). */
static wp_gitrev **
open_refs(wp_site *site, const wp_service *svc, wp_diags *d)
{
	wp_gitrev **g = xcalloc(svc->nrevisions + 1, sizeof *g);
	wp_gitrev_error err;
	const wp_revision *r;
	char *msg;
	size_t i;

	for (i = 0; i < svc->nrevisions; i++) {
		r = &svc->revisions[i];
		if (r->ref == NULL)
			continue;
		g[i] = wp_gitrev_open(site->content_dir, r->ref, &err, &msg);
		if (g[i])
			continue;
		wp_diag_add(d, err == WP_GITREV_NO_REPOSITORY ? WP_WARNING :
		    WP_ERROR, svc->yaml_path, r->line, r->column, err ==
		    WP_GITREV_NO_REPOSITORY ? "no-repository" : "unknown-ref",
		    "revision %s: %s%s", r->version, msg, err ==
		    WP_GITREV_NO_REPOSITORY ? "; no redline published" : "");
		free(msg);
		if (err == WP_GITREV_NO_REPOSITORY)
			break;
	}
	return g;
}

static const char *
lstr(const wp_value *v, const char *lang, const wp_service *svc)
{
	return wp_localized_text(v, lang, svc->langs[0], NULL);
}

char *
wp_history_redline_pdf(const wp_revision *r)
{
	char *v = wp_pdf_file_part(r->version);
	char *name = xasprintf("changes-%s.pdf", v);

	free(v);
	return name;
}

/* The print variant of the redline whose PDF is pdf, beside it in dir,
 * for the build to make the PDF from (pdf.h).  0 or -1. */
static int
write_print(const wp_history_out *out, const char *dir, const char *pdf,
    const wp_buf *page)
{
	char *name = wp_pdf_print_name(pdf);
	char *path = xasprintf("%s/%s", dir, name);
	int rc = out->write_print(out->ctx, path, page->data ? page->data : "",
	    page->len);

	free(path);
	free(name);
	return rc;
}

/*
 * The images of a revision's document doc (read from g) as a redline in
 * dir shows them: those of the archived edition (archive, its href from
 * dir) when there is one, else the files read from git and written
 * beside the redline, under files/ (the name of a directory in dir).
 */
static void
point_past_images(wp_document *doc, const wp_gitrev *g, const char *archive,
    const char *dir, const char *files, const wp_history_out *out)
{
	char *base = archive ? wp_path_dirname(archive) : NULL, *href, *path,
	    *data;
	size_t k, len;

	for (k = 0; k < doc->nimages; k++) {
		if (base) {
			href = xasprintf("%s/%s", base, doc->images[k].href);
		} else {
			href = xasprintf("%s/%s", files, doc->images[k].href);
			path = xasprintf("%s/%s", dir, href);
			data = wp_gitrev_read_named((void *)g,
			    doc->images[k].path, &len);
			if (data == NULL || out->write(out->ctx, path, data,
			    len) != 0) {
				free(href);
				href = NULL;
			}
			free(data);
			free(path);
		}
		if (href) {
			free(doc->images[k].href);
			doc->images[k].href = href;
		}
	}
	free(base);
}

static void
redline_page(wp_site *site, const wp_service *svc, const wp_style *style,
    const char *lang, size_t i, wp_document *old, wp_document *new,
    const wp_gitrev *gold, const wp_gitrev *gnew, const char *edition_href,
    const wp_history_out *out, wp_history *h, wp_diags *d)
{
	const wp_revision *a = &svc->revisions[i - 1], *b = &svc->revisions[i];
	wp_redline_info in;
	wp_diff *df = wp_diff_new(old, new);
	wp_buf page = WP_BUF_INIT;
	char *rel = xasprintf("changes-%s.html", b->version);
	char *dir = xasprintf("%s/%s", svc->id, lang);
	char *path = xasprintf("%s/%s", dir, rel);
	char *pdf = out->write_print ? wp_history_redline_pdf(b) : NULL;
	char *css = NULL, *files;
	wp_buf print = WP_BUF_INIT;

	/* The images of past revisions: theirs, not the working tree's. */
	files = xasprintf("changes-%s-files/old", b->version);
	point_past_images(old, gold, h->archive[i - 1], dir, files, out);
	free(files);
	if (gnew) {
		files = xasprintf("changes-%s-files/new", b->version);
		point_past_images(new, gnew, h->archive[i], dir, files, out);
		free(files);
	}
	memset(&in, 0, sizeof in);
	in.site = site;
	in.style = style;
	in.service_title = lstr(svc->title, lang, svc);
	in.provider = svc->provider ? lstr(svc->provider, lang, svc) : NULL;
	in.standards = svc->standards;
	in.labels = svc->labels;
	in.primary_catalog = svc->catalogs ? svc->catalogs[0] : NULL;
	in.old_version = a->version;
	in.old_label = a->label ? lstr(a->label, lang, svc) : NULL;
	in.old_date = a->date;
	in.new_version = b->version;
	in.new_label = b->label ? lstr(b->label, lang, svc) : NULL;
	in.new_date = b->date;
	in.root = "../../";
	in.edition_href = edition_href;
	in.copyright = svc->copyright ? lstr(svc->copyright, lang, svc) :
	    NULL;
	in.context = -1;
	/* With a PDF, its print variant is rendered from the same
	 * marked-up body (the trees are marked up once). */
	if (pdf) {
		in.pdf_href = pdf;
		in.print_out = &print;
		in.print_css = css = wp_redline_print_css(site, style);
	}
	if (wp_diff_write_html(df, &in, &page, d) == 0 &&
	    out->write(out->ctx, path, page.data, page.len) == 0) {
		h->redline[i] = rel;
		if (pdf && write_print(out, dir, pdf, &print) == 0)
			h->redline_pdf[i] = xstrdup(pdf);
	} else {
		free(rel);
	}
	free(css);
	free(pdf);
	wp_buf_free(&print);
	free(path);
	free(dir);
	wp_buf_free(&page);
	wp_diff_free(df);
}

/* The print variant of revision i's archived page (its PDF is pdf, in
 * dir), for the build to make the PDF from; the revision history links
 * the PDF (archive_pdf).  A page that does not render has no PDF. */
static void
archive_print(wp_site *site, const char *lang, const char *version,
    size_t i, past *p, const char *dir, const char *pdf,
    const wp_history_out *out, wp_history *h, wp_diags *d)
{
	wp_page_opts o = {1, pdf, NULL};
	wp_buf print = WP_BUF_INIT;

	if (wp_page_render_variant(site, p->ed, &o, &print, d) == 0 &&
	    write_print(out, dir, pdf, &print) == 0)
		h->archive_pdf[i] = xasprintf("../%s-%s/%s", lang, version,
		    pdf);
	wp_buf_free(&print);
}

/* Revision i in full, as it was published, in <service>/<lang>-<version>
 * (the version as service.yaml lists it), with its PDF beside it when
 * the build makes PDFs (out->write_print; the page's cover links it, as
 * an edition's does). */
static void
archive_page(wp_site *site, const wp_service *svc, const wp_style *style,
    const char *lang, size_t i, past *p, const wp_gitrev *g,
    const wp_history_out *out, wp_history *h, wp_diags *d)
{
	const char *version = svc->revisions[i].version;
	wp_page_opts o = {0, NULL, NULL};
	wp_buf page = WP_BUF_INIT;
	char *dir = xasprintf("%s/%s-%s", svc->id, lang, version);
	char *path = xasprintf("%s/index.html", dir), *img, *data;
	char *pdf = out->write_print ? wp_pdf_name_of(svc->id, lang,
	    version) : NULL;
	size_t k, len;

	p->ed->style = style;
	wp_document_prepare_render(p->ed->doc);
	o.pdf_name = pdf;
	if (wp_page_render_variant(site, p->ed, &o, &page, d) == 0 &&
	    out->write(out->ctx, path, page.data, page.len) == 0) {
		/* The revision's images, read from git, beside it. */
		for (k = 0; k < p->ed->doc->nimages; k++) {
			img = xasprintf("%s/%s", dir,
			    p->ed->doc->images[k].href);
			data = wp_gitrev_read_named((void *)g,
			    p->ed->doc->images[k].path, &len);
			if (data)
				out->write(out->ctx, img, data, len);
			free(data);
			free(img);
		}
		h->archive[i] = xasprintf("../%s-%s/index.html", lang,
		    version);
		if (pdf)
			archive_print(site, lang, version, i, p, dir, pdf, out,
			    h, d);
	}
	free(pdf);
	free(path);
	free(dir);
	wp_buf_free(&page);
}

void
wp_history_publish(wp_site *site, const wp_service *svc,
    const wp_style *style, const char *lang, const wp_history_out *out,
    wp_history *h, wp_diags *d)
{
	size_t n = svc->nrevisions, i;
	wp_gitrev **g;
	wp_edition *now;
	wp_diags quiet;
	past old, new;

	memset(h, 0, sizeof *h);
	h->n = n;
	h->redline = xcalloc(n + 1, sizeof *h->redline);
	h->redline_pdf = xcalloc(n + 1, sizeof *h->redline_pdf);
	h->archive = xcalloc(n + 1, sizeof *h->archive);
	h->archive_pdf = xcalloc(n + 1, sizeof *h->archive_pdf);
	g = open_refs(site, svc, d);
	/* Each document is read for one page: a redline marks up the trees
	 * it is given. */
	for (i = 0; svc->archive && i + 1 < n; i++)
		if (g[i] && past_read(site, svc, g[i], lang, &old) == 0) {
			archive_page(site, svc, style, lang, i, &old, g[i],
			    out, h, d);
			past_free(&old);
		}
	for (i = 1; i < n; i++) {
		if (g[i - 1] == NULL || (i + 1 < n && g[i] == NULL) ||
		    past_read(site, svc, g[i - 1], lang, &old) != 0)
			continue;
		if (i + 1 < n) {
			if (past_read(site, svc, g[i], lang, &new) == 0)
				redline_page(site, svc, style, lang, i,
				    old.ed->doc, new.ed->doc, g[i - 1], g[i],
				    h->archive[i], out, h, d);
			past_free(&new);
		} else {
			wp_diags_init(&quiet);
			now = wp_edition_load(site, svc, lang, &quiet);
			wp_diags_free(&quiet);
			if (now)
				redline_page(site, svc, style, lang, i,
				    old.ed->doc, now->doc, g[i - 1], NULL,
				    "index.html", out, h, d);
			wp_edition_free(now);
		}
		past_free(&old);
	}
	for (i = 0; i < n; i++)
		wp_gitrev_free(g[i]);
	free(g);
}

void
wp_history_free(wp_history *h)
{
	size_t i;

	if (h == NULL || h->redline == NULL)
		return;
	for (i = 0; i < h->n; i++) {
		free(h->redline[i]);
		free(h->redline_pdf[i]);
		free(h->archive[i]);
		free(h->archive_pdf[i]);
	}
	free(h->redline);
	free(h->redline_pdf);
	free(h->archive);
	free(h->archive_pdf);
	memset(h, 0, sizeof *h);
}
