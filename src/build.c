/*
 * build.c: building every edition of every service into out/ (build.h).
 *
 * The site is written into a temporary directory beside out/ and swapped
 * into place only when everything succeeded, so a failed or killed build
 * leaves the previous out/ as it was (outdir.h).  Editions are built one at a time and freed:
 * what stays for the site index and the coverage page is a summary per
 * edition (and the coverage of the source-language ones).  With --jobs
 * N, N worker processes share the services.
 *
 * Builds are incremental (manifest.h): each service's Markdown is read
 * into memory once, digested with the edition's other inputs, and handed
 * to the parser only for the editions whose inputs changed; the others
 * are copied from the previous out/, with the summary and warnings the
 * manifest kept for them.
 *
 * PDFs come last: each edition built with one has its print variant
 * written beside its page; up to N WeasyPrint processes then make the
 * PDFs of them (pdf.h), and each PDF is an output of its edition in the
 * manifest, copied like the others when the edition is unchanged.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buf.h"
#include "build.h"
#include "check.h"
#include "gitrev.h"
#include "history.h"
#include "commands.h"
#include "manifest.h"
#include "outdir.h"
#include "page.h"
#include "pdf.h"
#include "site.h"
#include "translate.h"
#include "util.h"
#include "yamlvalue.h"

typedef struct build {
	const wp_build_opts *o;
	wp_project *project;
	wp_site *site;
	wp_diags *d;
	wp_outdir out;             /* out/ and the directory built */
	const char *tmp;           /* out.tmp */
	wp_value *editions;        /* manifest entries of the editions
	                              written: summary, outputs, warnings */
	wp_value *entry;           /* the entry being written, or NULL */
	wp_value *old;             /* the previous build's manifest, or NULL */
	char tool[33];             /* digest of this program */
	wp_digest global;          /* templates, catalogs, site files */
	size_t done, total, pages, unchanged;
	char *last_dir;            /* made by ensure_dir() */
	int progress;
	int io_failed;             /* a file could not be written */
	wp_strset styles_copied;   /* styles whose assets are in tmp/ */
	char *pdf_roots[2];        /* what WeasyPrint may read: tmp/ */
} build;

/* One service to build: its selected languages, one worker. */
typedef struct job {
	const wp_service *svc;
	const wp_style *style;
	const wp_lock *lock;    /* the service's translations.lock */
} job;

/* mkdir -p, remembering the last directory made: a build writes many
 * files into one directory in a row. */
static int
ensure_dir(build *b, const char *dir)
{
	if (b->last_dir && strcmp(b->last_dir, dir) == 0)
		return 0;
	if (wp_mkdir_p(dir) != 0)
		return -1;
	free(b->last_dir);
	b->last_dir = xstrdup(dir);
	return 0;
}

/* Notes the digest of an edition's output in its manifest entry. */
static void
record_output(build *b, const char *rel, const char *data, size_t len)
{
	wp_digest h;
	char hex[33];

	if (b->entry == NULL)
		return;
	wp_digest_init(&h);
	wp_digest_add(&h, data, len);
	wp_digest_hex(&h, hex);
	wp_map_set_str(wp_map_get(b->entry, "outputs"), rel, hex);
}

static int
write_out(build *b, const char *rel, const char *data, size_t len)
{
	char *path = wp_path_join(b->tmp, rel);
	char *dir = wp_path_dirname(path);
	char *shown;
	int rc = 0;

	record_output(b, rel, data, len);
	errno = EINVAL;
	if (!wp_path_is_inside_rel(rel) || ensure_dir(b, dir) != 0 ||
	    wp_write_file(path, data, len) != 0) {
		shown = wp_path_join(b->out.path, rel);
		wp_diag_add(b->d, WP_ERROR, shown, 0, 0, "io-error",
		    "cannot write the file: %s", strerror(errno));
		free(shown);
		b->io_failed = 1;
		rc = -1;
	}
	free(dir);
	free(path);
	return rc;
}

/*
 * An output of the previous build, unchanged: a hard link to it (no new
 * file to write; the previous out/ is removed only after the swap), else
 * a copy of its bytes.
 */
static void
link_out(build *b, const char *rel, const char *data, size_t len)
{
	char *from = wp_path_join(b->project->out_dir, rel);
	char *path = wp_path_join(b->tmp, rel);
	char *dir = wp_path_dirname(path);

	if (ensure_dir(b, dir) != 0 || link(from, path) != 0)
		write_out(b, rel, data, len);
	free(dir);
	free(path);
	free(from);
}

static int
copy_out(build *b, const char *from, const char *rel)
{
	char *path = wp_path_join(b->tmp, rel);
	char *dir = wp_path_dirname(path);
	size_t len = 0;
	char *data, *shown;
	int rc = 0, e;

	errno = EINVAL;
	data = b->entry && wp_path_is_inside_rel(rel) ?
	    wp_read_file_max(from, WP_COPY_MAX, &len) : NULL;
	if (data)
		record_output(b, rel, data, len);
	if ((b->entry && data == NULL) || !wp_path_is_inside_rel(rel) ||
	    ensure_dir(b, dir) != 0 || (data ? wp_write_file(path, data, len) :
	    wp_copy_file(from, path)) != 0) {
		e = errno;
		shown = wp_path_join(b->out.path, rel);
		wp_diag_add(b->d, WP_ERROR, from, 0, 0, wp_read_error_code(e),
		    "cannot copy the file to %s: %s", shown,
		    wp_read_error(e));
		free(shown);
		b->io_failed = 1;
		rc = -1;
	}
	free(data);
	free(dir);
	free(path);
	return rc;
}

/* Copies the files of a template assets directory (one level deep). */
static void
copy_assets(build *b, const char *style, const char *to)
{
	char *dir = xasprintf("%s/%s/assets", b->site->templates_dir, style);
	DIR *dp = opendir(dir);
	struct dirent *e;
	char *from, *rel;

	while (dp && (e = readdir(dp)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		from = wp_path_join(dir, e->d_name);
		rel = wp_path_join(to, e->d_name);
		if (wp_is_file(from))
			copy_out(b, from, rel);
		free(from);
		free(rel);
	}
	if (dp)
		closedir(dp);
	free(dir);
}

static void
show_progress(build *b, const char *svc, const char *lang)
{
	if (!b->progress)
		return;
	fprintf(stderr, "\r\033[K[%zu/%zu] %s/%s", b->done, b->total, svc,
	    lang);
	fflush(stderr);
}

static int
wants_pdf(const build *b, const wp_service *svc)
{
	return b->o->pdf || svc->pdf;
}

/* The print variant of an edition, beside its page (so that its links
 * to images and style sheets resolve as the page's do), for WeasyPrint.
 * Not an output: the PDF phase removes it. */
static void
write_print_variant(build *b, wp_edition *ed, const char *pdf)
{
	wp_page_opts o = {1, pdf};
	wp_buf page = WP_BUF_INIT;
	wp_value *entry = b->entry;
	char *name = wp_pdf_print_name(pdf);
	char *rel = xasprintf("%s/%s/%s", ed->service->id, ed->lang, name);

	b->entry = NULL;
	if (wp_page_render_variant(b->site, ed, &o, &page, b->d) == 0)
		write_out(b, rel, page.data, page.len);
	b->entry = entry;
	free(rel);
	free(name);
	wp_buf_free(&page);
}

/* The link to an edition's PDF from the site index, URL-encoded. */
static wp_value *
pdf_href(const char *id, const char *lang, const char *pdf)
{
	char *a = wp_url_segment(id), *b = wp_url_segment(lang);
	char *c = wp_url_segment(pdf);
	wp_value *v = wp_value_new_string_owned(xasprintf("%s/%s/%s", a, b,
	    c));

	free(a);
	free(b);
	free(c);
	return v;
}

/* Writes an edition's page, images and cross-reference files, and its
 * print variant when it gets a PDF; keeps its summary (with pdf_file,
 * the PDF's path in out/, and pdf_href, the link to it). */
static void
write_edition(build *b, wp_edition *ed)
{
	const char *id = ed->service->id, *lang = ed->lang;
	wp_buf page = WP_BUF_INIT, data = WP_BUF_INIT;
	wp_page_opts o = {0, NULL};
	wp_value *summary;
	char *rel, *pdf = NULL;
	size_t i;

	if (wants_pdf(b, ed->service))
		o.pdf_name = pdf = wp_pdf_name(ed->service, lang);
	if (wp_page_render_variant(b->site, ed, &o, &page, b->d) != 0) {
		wp_buf_free(&page);
		free(pdf);
		return;
	}
	rel = xasprintf("%s/%s/index.html", id, lang);
	write_out(b, rel, page.data, page.len);
	free(rel);
	for (i = 0; i < ed->doc->nimages; i++) {
		rel = xasprintf("%s/%s/%s", id, lang, ed->doc->images[i].href);
		copy_out(b, ed->doc->images[i].path, rel);
		free(rel);
	}
	wp_xref_write_json(ed->xref, ed->service->standards, &data);
	rel = xasprintf("%s/%s/xref.json", id, lang);
	write_out(b, rel, data.data, data.len);
	free(rel);
	wp_buf_clear(&data);
	wp_xref_write_csv(ed->xref, ed->service->standards, &data);
	rel = xasprintf("%s/%s/xref.csv", id, lang);
	write_out(b, rel, data.data, data.len);
	free(rel);
	summary = wp_map_set(b->entry, "summary",
	    wp_page_edition_summary(b->site, ed));
	if (pdf) {
		write_print_variant(b, ed, pdf);
		wp_map_set(summary, "pdf_file", wp_value_new_string_owned(
		    xasprintf("%s/%s/%s", id, lang, pdf)));
		wp_map_set(summary, "pdf_href", pdf_href(id, lang, pdf));
	}
	b->pages++;
	free(pdf);
	wp_buf_free(&page);
	wp_buf_free(&data);
}

/* ---- what a service's editions are made from ---- */

/* The Markdown of a service, read once: digested, then handed to the
 * parser (site->read) for the editions that are built. */
typedef struct service_files {
	char **paths;
	char **texts;             /* NULL once handed over */
	size_t *lens;
	size_t n;
} service_files;

static char *
read_cached(void *ctx, const char *path, size_t *len)
{
	service_files *f = ctx;
	char *text;
	size_t i;

	for (i = 0; i < f->n; i++) {
		if (f->texts[i] == NULL || strcmp(f->paths[i], path) != 0)
			continue;
		text = f->texts[i];
		f->texts[i] = NULL;
		if (len)
			*len = f->lens[i];
		return text;
	}
	return wp_read_file(path, len);
}

static void
service_files_free(service_files *f)
{
	size_t i;

	for (i = 0; i < f->n; i++) {
		free(f->paths[i]);
		free(f->texts[i]);
	}
	free(f->paths);
	free(f->texts);
	free(f->lens);
	memset(f, 0, sizeof *f);
}

/*
 * The digest of a language directory: its Markdown files (read into f,
 * where the parser will take them from), and anything else in it (images
 * next to the Markdown).
 */
static void
digest_lang_dir(wp_digest *h, const wp_service *svc, const char *lang,
    service_files *f)
{
	char *dir = wp_path_join(svc->dir, lang), **names, *path, *text;
	size_t i, len, nlen;

	names = wp_dir_names(dir, NULL, NULL);
	wp_digest_add_str(h, lang);
	for (i = 0; names && names[i]; i++) {
		path = wp_path_join(dir, names[i]);
		nlen = strlen(names[i]);
		wp_digest_add_str(h, names[i]);
		if (wp_is_dir(path)) {
			wp_digest_tree(h, path, NULL);
		} else if ((text = wp_read_file(path, &len)) == NULL) {
			wp_digest_add_str(h, "(unreadable)");
		} else {
			wp_digest_add(h, text, len);
			if (nlen > 3 && strcmp(names[i] + nlen - 3, ".md") == 0) {
				f->paths = xrealloc(f->paths, (f->n + 1) *
				    sizeof *f->paths);
				f->texts = xrealloc(f->texts, (f->n + 1) *
				    sizeof *f->texts);
				f->lens = xrealloc(f->lens, (f->n + 1) *
				    sizeof *f->lens);
				f->paths[f->n] = path;
				f->texts[f->n] = text;
				f->lens[f->n++] = len;
				continue;
			}
			free(text);
		}
		free(path);
	}
	if (names == NULL)
		wp_digest_add_str(h, "(absent)");
	wp_strv_free(names);
	free(dir);
}

/* The inputs of every edition of svc but the language directories:
 * service.yaml, the lock, assets and anything else in its directory. */
static void
digest_service(wp_digest *h, const wp_service *svc)
{
	wp_digest_add_str(h, svc->id);
	wp_digest_tree(h, svc->dir, svc->langs);
}

/* ---- diagnostics kept in the manifest ---- */

static wp_value *
diags_since(const wp_diags *d, size_t from)
{
	wp_value *list = wp_value_new_list(), *m;
	const wp_diag *g;

	for (; from < d->len; from++) {
		g = &d->items[from];
		m = wp_list_push(list, wp_value_new_map());
		wp_map_set_str(m, "file", g->file);
		wp_map_set_int(m, "line", g->line);
		wp_map_set_int(m, "column", g->column);
		wp_map_set_str(m, "severity", g->severity == WP_ERROR ?
		    "error" : "warning");
		wp_map_set_str(m, "code", g->code);
		wp_map_set_str(m, "message", g->message);
	}
	return list;
}

static void
replay_diags(wp_diags *d, const wp_value *list)
{
	const wp_value *g;
	size_t i;

	for (i = 0; i < wp_value_len(list); i++) {
		g = list->u.list.items[i];
		wp_diag_add(d, strcmp(wp_value_text(wp_map_get(g, "severity")),
		    "error") == 0 ? WP_ERROR : WP_WARNING,
		    wp_value_text(wp_map_get(g, "file")),
		    atoi(wp_value_text(wp_map_get(g, "line"))),
		    atoi(wp_value_text(wp_map_get(g, "column"))),
		    wp_value_text(wp_map_get(g, "code")), "%s",
		    wp_value_text(wp_map_get(g, "message")));
	}
}

/* ---- one service ---- */

/* What building one service keeps track of. */
typedef struct service_build {
	const job *j;
	service_files files;
	wp_digest common;         /* global, service, source language */
	wp_edition *src;          /* read when an edition needs it */
	int src_read, src_ok;
	wp_value *src_diags;      /* the source edition's reading problems */
	int src_reported;         /* they are in b->d */
	int history_said;         /* bad refs were reported */
} service_build;

/*
 * Links the outputs an entry lists (name -> digest) from the previous
 * out/ when each is still a regular file inside it with that digest.
 * 1 when all were; 0, writing nothing, otherwise.
 */
static int
reuse_outputs(build *b, const wp_value *outs)
{
	const wp_value *o;
	char **texts, *path, hex[33];
	size_t *lens, i, n;
	struct stat st;
	wp_digest h;
	int ok;

	if (outs == NULL || outs->kind != WP_MAP)
		return 0;
	n = outs->u.map.len;
	texts = xcalloc(n + 1, sizeof *texts);
	lens = xcalloc(n + 1, sizeof *lens);
	for (ok = 1, i = 0; ok && i < n; i++) {
		o = outs->u.map.items[i].value;
		/* The manifest is only a hint: a name that leaves out/, or
		 * what is not a regular file there, is not reused. */
		if (!wp_path_is_inside_rel(outs->u.map.items[i].key)) {
			ok = 0;
			break;
		}
		path = wp_path_join(b->project->out_dir,
		    outs->u.map.items[i].key);
		texts[i] = lstat(path, &st) == 0 && S_ISREG(st.st_mode) ?
		    wp_read_file(path, &lens[i]) : NULL;
		free(path);
		if (texts[i] == NULL)
			ok = 0;
		else {
			wp_digest_init(&h);
			wp_digest_add(&h, texts[i], lens[i]);
			wp_digest_hex(&h, hex);
			ok = strcmp(hex, wp_value_text(o)) == 0;
		}
	}
	for (i = 0; ok && i < n; i++)
		link_out(b, outs->u.map.items[i].key, texts[i], lens[i]);
	for (i = 0; i < n; i++)
		free(texts[i]);
	free(texts);
	free(lens);
	return ok;
}

/*
 * Copies an edition from the previous out/ when its inputs are those the
 * manifest recorded and every file it wrote is still as written.
 */
static int
reuse_edition(build *b, service_build *sb, const char *lang,
    const char *inputs)
{
	const wp_value *old = wp_manifest_find(b->old, sb->j->svc->id, lang);

	if (old == NULL || strcmp(wp_value_text(wp_map_get(old, "inputs")),
	    inputs) != 0 || wp_map_get(old, "summary") == NULL ||
	    !reuse_outputs(b, wp_map_get(old, "outputs")))
		return 0;
	wp_list_push(b->editions, wp_value_copy(old));
	if (!sb->src_reported) {
		replay_diags(b->d, wp_map_get(old, "source_diagnostics"));
		sb->src_reported = 1;
	}
	replay_diags(b->d, wp_map_get(old, "diagnostics"));
	b->pages++;
	b->unchanged++;
	return 1;
}

/* Reads the source edition, once; its problems are reported once, with
 * the first edition that needs it (or were, from the manifest). */
static void
read_source(build *b, service_build *sb)
{
	const wp_service *svc = sb->j->svc;
	wp_diags scratch, *d = sb->src_reported ? &scratch : b->d;
	size_t from;
	int errors;

	if (sb->src_read)
		return;
	sb->src_read = 1;
	wp_diags_init(&scratch);
	from = d->len;
	errors = d->errors;
	sb->src = wp_edition_read(b->site, svc, NULL, 1, d);
	if (sb->src == NULL && d->errors == errors)
		wp_diag_add(d, WP_ERROR, svc->yaml_path, 0, 0,
		    "missing-edition", "no Markdown files in %s/%s/ for the "
		    "source language '%s'", svc->dir, svc->langs[0],
		    svc->langs[0]);
	if (sb->src) {
		sb->src->style = sb->j->style;
		/* The required controls hold for build as for check. */
		wp_check_required(b->site, svc, sb->src, d);
	}
	sb->src_ok = sb->src != NULL && d->errors == errors;
	sb->src_diags = diags_since(d, from);
	sb->src_reported = 1;
	wp_diags_free(&scratch);
}

/* ---- published redlines and past editions (history.h) ---- */

static int
history_write(void *ctx, const char *rel, const char *data, size_t len)
{
	return write_out(ctx, rel, data, len);
}

static int
history_copy(void *ctx, const char *from, const char *rel)
{
	return copy_out(ctx, from, rel);
}

/* A redline's print variant: not an output (build_pdfs removes it). */
static int
history_write_print(void *ctx, const char *rel, const char *data,
    size_t len)
{
	build *b = ctx;
	wp_value *entry = b->entry;
	int rc;

	b->entry = NULL;
	rc = write_out(b, rel, data, len);
	b->entry = entry;
	return rc;
}

static int
has_refs(const wp_service *svc)
{
	size_t i;

	for (i = 0; i < svc->nrevisions; i++)
		if (svc->revisions[i].ref)
			return 1;
	return 0;
}

/* What the refs name now is an input of the editions that link to them:
 * a tag moved is a page to make again. */
static void
digest_refs(wp_digest *h, const build *b, const wp_service *svc)
{
	wp_gitrev_error err;
	wp_gitrev *g;
	char *msg, *id;
	size_t i;

	for (i = 0; i < svc->nrevisions; i++) {
		if (svc->revisions[i].ref == NULL)
			continue;
		g = wp_gitrev_open(b->site->content_dir, svc->revisions[i].ref,
		    &err, &msg);
		id = g ? wp_gitrev_tree_id(g) : msg;
		wp_digest_add_str(h, id);
		free(id);
		wp_gitrev_free(g);
	}
}

/* The edition's page, after the redlines and past editions it links to. */
static void
write_edition_with_history(build *b, service_build *sb, wp_edition *ed)
{
	wp_history_out out = {history_write, history_copy, NULL, b};
	wp_history h;
	wp_diags quiet;

	if (wants_pdf(b, sb->j->svc))
		out.write_print = history_write_print;
	if (!has_refs(sb->j->svc)) {
		write_edition(b, ed);
		return;
	}
	/* A bad ref is said once a service, not once a language. */
	wp_diags_init(&quiet);
	wp_history_publish(b->site, sb->j->svc, sb->j->style, ed->lang, &out,
	    &h, sb->history_said ? &quiet : b->d);
	wp_diags_free(&quiet);
	sb->history_said = 1;
	ed->history = &h;
	write_edition(b, ed);
	ed->history = NULL;
	wp_history_free(&h);
}

/* A target edition, published with the sections it lacks from the
 * source; only read (for its problems) when the source had errors. */
static void
build_target(build *b, service_build *sb, const char *lang)
{
	int errors = b->d->errors;
	wp_edition *ed = wp_edition_read_target(b->site, sb->j->svc, lang, 1,
	    NULL, b->d);

	if (ed == NULL)
		return;
	if (sb->src_ok && b->d->errors == errors) {
		ed->style = sb->j->style;
		wp_edition_publish(b->site, ed, sb->src, sb->j->lock);
		write_edition_with_history(b, sb, ed);
	}
	wp_edition_free(ed);
}

/* Builds (or copies) the edition of lang: i is its index in the
 * service's languages. */
static void
build_lang(build *b, service_build *sb, size_t i)
{
	const wp_service *svc = sb->j->svc;
	const char *lang = svc->langs[i];
	wp_digest h = sb->common;
	char inputs[33];
	size_t from;

	if (i > 0)
		digest_lang_dir(&h, svc, lang, &sb->files);
	if (has_refs(svc))
		digest_refs(&h, b, svc);
	wp_digest_hex(&h, inputs);
	if (b->old && reuse_edition(b, sb, lang, inputs))
		return;
	read_source(b, sb);
	if (sb->src == NULL)
		return;
	b->entry = wp_value_new_map();
	wp_map_set_str(b->entry, "service", svc->id);
	wp_map_set_str(b->entry, "lang", lang);
	wp_map_set_str(b->entry, "inputs", inputs);
	wp_map_set_map(b->entry, "outputs");
	from = b->d->len;
	if (i == 0 && sb->src_ok)
		write_edition_with_history(b, sb, sb->src);
	else if (i > 0)
		build_target(b, sb, lang);
	if (wp_map_get(b->entry, "summary")) {
		wp_map_set(b->entry, "source_diagnostics",
		    wp_value_copy(sb->src_diags));
		wp_map_set(b->entry, "diagnostics", diags_since(b->d, from));
		wp_list_push(b->editions, b->entry);
	} else {
		wp_value_free(b->entry);
	}
	b->entry = NULL;
}

/*
 * The selected editions of one service.  Its Markdown is read once; the
 * source edition is parsed once, when an edition that is not copied
 * needs it, and serves every translation (for the sections they lack);
 * no document is changed after it is read.
 */
static void
build_service(build *b, const job *j)
{
	const wp_service *svc = j->svc;
	service_build sb;
	size_t i;

	memset(&sb, 0, sizeof sb);
	sb.j = j;
	sb.common = b->global;
	digest_service(&sb.common, svc);
	digest_lang_dir(&sb.common, svc, svc->langs[0], &sb.files);
	b->site->read = read_cached;
	b->site->read_ctx = &sb.files;
	for (i = 0; i < svc->nlangs; i++) {
		if (!wp_project_lang_selected(b->project, svc->langs[i]))
			continue;
		b->done++;
		show_progress(b, svc->id, svc->langs[i]);
		build_lang(b, &sb, i);
	}
	b->site->read = NULL;
	b->site->read_ctx = NULL;
	wp_edition_free(sb.src);
	wp_value_free(sb.src_diags);
	service_files_free(&sb.files);
}

/* ---- PDFs ---- */

static const wp_service *
find_service(const wp_project *p, const char *id)
{
	size_t i;

	for (i = 0; i < p->nservices; i++)
		if (strcmp(p->services[i].svc->id, id) == 0)
			return p->services[i].svc;
	return NULL;
}

/* Notes a PDF just made among the outputs of its edition's entry. */
static void
record_pdf(build *b, wp_value *entry, const char *rel)
{
	char *path = wp_path_join(b->tmp, rel);
	size_t len;
	char *data = wp_read_own_file(path, &len);
	wp_value *saved = b->entry;

	b->entry = entry;
	if (data) {
		record_output(b, rel, data, len);
	} else {
		wp_diag_add(b->d, WP_ERROR, path, 0, 0, "io-error",
		    "cannot read the PDF just made: %s", strerror(errno));
		b->io_failed = 1;
	}
	b->entry = saved;
	free(data);
	free(path);
}

/* A PDF to make when its print variant is in tmp/ (dir is the edition's
 * directory there, name the PDF's): the job, with the edition's entry. */
static void
add_pdf_job(build *b, const char *dir, const char *name,
    const wp_service *svc, wp_value *entry, wp_pdf_job *jobs,
    wp_value **entries, size_t *k)
{
	char *print = wp_pdf_print_name(name);
	char *html = wp_path_join(dir, print);

	free(print);
	if (!wp_is_file(html)) {
		free(html);
		return;
	}
	jobs[*k].html = html;
	jobs[*k].pdf = wp_path_join(dir, name);
	jobs[*k].epoch = wp_pdf_epoch(svc);
	jobs[*k].roots = b->pdf_roots;
	entries[(*k)++] = entry;
}

/*
 * The PDFs of the editions built in this run with one (their summaries
 * have pdf_file and their print variant is in tmp/; an unchanged edition
 * had its PDF copied with its other outputs), and of the redlines
 * published beside them (history.h), up to --jobs at a time; then the
 * print variants are removed.  WeasyPrint reads nothing outside tmp/.
 */
static void
build_pdfs(build *b)
{
	size_t n = wp_value_len(b->editions), i, r, k = 0, max = 0;
	wp_pdf_job *jobs;
	wp_value **entries, *entry;
	const wp_value *sum;
	const wp_service *svc;
	const char *href;
	char *dir, *name;

	for (i = 0; i < n; i++) {
		sum = wp_map_get(b->editions->u.list.items[i], "summary");
		svc = find_service(b->project, wp_value_text(wp_map_get(sum,
		    "service")));
		max += 1 + (svc ? svc->nrevisions : 0);
	}
	jobs = xcalloc(max + 1, sizeof *jobs);
	entries = xcalloc(max + 1, sizeof *entries);
	b->pdf_roots[0] = (char *)b->tmp;
	b->pdf_roots[1] = NULL;
	for (i = 0; i < n; i++) {
		entry = b->editions->u.list.items[i];
		sum = wp_map_get(entry, "summary");
		if (wp_map_get(sum, "pdf_file") == NULL)
			continue;
		href = wp_value_text(wp_map_get(sum, "pdf_file"));
		svc = find_service(b->project, wp_value_text(wp_map_get(sum,
		    "service")));
		if (svc == NULL || strchr(href, '/') == NULL)
			continue;
		dir = wp_path_join(b->tmp, href);
		*strrchr(dir, '/') = '\0';
		add_pdf_job(b, dir, strrchr(href, '/') + 1, svc, entry, jobs,
		    entries, &k);
		for (r = 1; r < svc->nrevisions; r++) {
			name = wp_history_redline_pdf(&svc->revisions[r]);
			add_pdf_job(b, dir, name, svc, entry, jobs, entries,
			    &k);
			free(name);
		}
		free(dir);
	}
	if (k > 0 && wp_strset_add(&b->styles_copied, "base"))
		copy_assets(b, "base", "assets");
	if (wp_pdf_render_all(jobs, k, b->o->jobs, b->d) != 0)
		b->io_failed = 1;
	for (i = 0; i < k; i++) {
		if (wp_is_file(jobs[i].pdf))
			record_pdf(b, entries[i], jobs[i].pdf +
			    strlen(b->tmp) + 1);
		unlink(jobs[i].html);
		free(jobs[i].html);
		free(jobs[i].pdf);
		free(jobs[i].epoch);
	}
	free(entries);
	free(jobs);
}

/* When PDFs are wanted, WeasyPrint and the fonts of their languages must
 * be there: better no build than PDFs with empty boxes for Japanese. */
static int
pdf_tools_ready(build *b)
{
	wp_project *p = b->project;
	const char **langs = xcalloc(1, sizeof *langs);
	const wp_service *svc;
	size_t i, j, k = 0;
	wp_strset seen;
	int ok;

	wp_strset_init(&seen);
	for (i = 0; i < p->nservices; i++) {
		svc = p->services[i].svc;
		if (!wants_pdf(b, svc))
			continue;
		for (j = 0; j < svc->nlangs; j++) {
			if (!wp_project_lang_selected(p, svc->langs[j]) ||
			    !wp_strset_add(&seen, svc->langs[j]))
				continue;
			langs = xrealloc(langs, (k + 2) * sizeof *langs);
			langs[k++] = svc->langs[j];
			langs[k] = NULL;
		}
	}
	ok = k == 0 || wp_pdf_check_tools("wpgen build", langs) == 0;
	wp_strset_free(&seen);
	free(langs);
	return ok;
}

/* ---- the site ---- */

/* The index and coverage pages from the editions' summaries; the
 * manifest. */
static void
build_site_pages(build *b)
{
	wp_buf page = WP_BUF_INIT;
	wp_value *sums = wp_value_new_list(), *site = wp_value_new_map();
	const wp_value *old = wp_map_get(b->old, "site");
	wp_digest h = b->global;
	char inputs[33];
	size_t i;

	for (i = 0; i < wp_value_len(b->editions); i++)
		wp_list_push(sums, wp_value_copy(wp_map_get(
		    b->editions->u.list.items[i], "summary")));
	/* The index and coverage pages are made from the summaries only:
	 * the same summaries, the same pages. */
	wp_value_write_json(sums, &page);
	wp_digest_add(&h, page.data, page.len);
	wp_digest_hex(&h, inputs);
	wp_buf_clear(&page);
	wp_map_set_str(site, "inputs", inputs);
	if (old && strcmp(wp_value_text(wp_map_get(old, "inputs")),
	    inputs) == 0 && reuse_outputs(b, wp_map_get(old, "outputs"))) {
		wp_map_set(site, "outputs", wp_value_copy(wp_map_get(old,
		    "outputs")));
	} else {
		wp_map_set_map(site, "outputs");
		b->entry = site;
		if (wp_page_render_index(b->site, sums, &page, b->d) == 0)
			write_out(b, "index.html", page.data, page.len);
		wp_buf_clear(&page);
		if (wp_page_has_coverage(b->site, sums) &&
		    wp_page_render_coverage(b->site, sums, &page, b->d) == 0)
			write_out(b, "coverage.html", page.data, page.len);
		wp_buf_clear(&page);
		b->entry = NULL;
	}
	if (wp_strset_add(&b->styles_copied, "base"))
		copy_assets(b, "base", "assets");
	wp_manifest_write(b->tool, b->editions, site, &page);
	write_out(b, WP_MANIFEST_NAME, page.data, page.len);
	wp_buf_free(&page);
	wp_value_free(sums);
	wp_value_free(site);
}

static job *
plan_jobs(build *b, size_t *njobs)
{
	wp_project *p = b->project;
	job *jobs;
	const wp_style *st;
	const wp_project_service *ps;
	size_t i, j, k = 0;

	for (i = 0; i < p->nservices; i++)
		for (j = 0; j < p->services[i].svc->nlangs; j++)
			if (wp_project_lang_selected(p,
			    p->services[i].svc->langs[j]))
				b->total++;
	jobs = xcalloc(p->nservices + 1, sizeof *jobs);
	for (i = 0; i < p->nservices; i++) {
		ps = &p->services[i];
		for (st = ps->style; st; st = st->parent)
			if (wp_strset_add(&b->styles_copied, st->name))
				copy_assets(b, st->name, "assets");
		if (ps->style == NULL || ps->lock == NULL)
			continue;
		for (j = 0; j < ps->svc->nlangs; j++) {
			if (!wp_project_lang_selected(p, ps->svc->langs[j]))
				continue;
			/* What every page needs, read here once: worker
			 * processes inherit it. */
			wp_page_prepare(b->site, ps->style, ps->svc->langs[j],
			    b->d);
		}
		jobs[k].svc = ps->svc;
		jobs[k].style = ps->style;
		jobs[k++].lock = ps->lock;
	}
	*njobs = k;
	return jobs;
}

/*
 * Parallel builds: N worker processes take the editions one at a time
 * from a pipe (so a slow edition does not hold up the others) and write
 * their pages into the same temporary directory; their summaries and
 * diagnostics come back as JSON in a file, put back in edition order by
 * the parent so that the output is the same as a serial build.
 */
static int
next_job(int fd, uint32_t *k)
{
	ssize_t n;

	do
		n = read(fd, k, sizeof *k);
	while (n < 0 && errno == EINTR);
	return n == (ssize_t)sizeof *k;
}

static int
run_worker(build *b, job *jobs, int fd, const char *report)
{
	wp_buf out = WP_BUF_INIT;
	wp_value *done = wp_value_new_list();
	uint32_t k;
	size_t before;
	int rc;

	b->editions = wp_value_new_list();
	while (next_job(fd, &k)) {
		before = wp_value_len(b->editions);
		build_service(b, &jobs[k]);
		/* One entry per edition: a service gives several. */
		for (; before < wp_value_len(b->editions); before++)
			wp_list_push(done, wp_value_new_int(k));
	}
	wp_buf_puts(&out, "{\"jobs\": ");
	wp_value_write_json(done, &out);
	wp_buf_puts(&out, ", \"editions\": ");
	wp_value_write_json(b->editions, &out);
	wp_buf_printf(&out, ", \"unchanged\": %zu", b->unchanged);
	wp_buf_puts(&out, ", \"report\": ");
	wp_diags_write_json(b->d, &out);
	wp_buf_puts(&out, "}\n");
	rc = wp_write_file(report, out.data, out.len) == 0 ? 0 : 3;
	wp_buf_free(&out);
	wp_value_free(done);
	return rc;
}

/*
 * A template's problem is reported once per process (mustache.c); two
 * workers that render the same template both find it.  It is one problem.
 * Editions are each built by one worker, so nothing else can repeat.
 */
static int
reported_by_another_worker(const wp_diags *d, const wp_value *g)
{
	const char *code = wp_value_text(wp_map_get(g, "code"));
	const char *file = wp_value_text(wp_map_get(g, "file"));
	const char *msg = wp_value_text(wp_map_get(g, "message"));
	int line = atoi(wp_value_text(wp_map_get(g, "line")));
	int column = atoi(wp_value_text(wp_map_get(g, "column")));
	size_t i;

	if (strcmp(code, "template-error") != 0)
		return 0;
	for (i = 0; i < d->len; i++)
		if (d->items[i].line == line && d->items[i].column == column &&
		    strcmp(d->items[i].code, code) == 0 &&
		    strcmp(d->items[i].file, file) == 0 &&
		    strcmp(d->items[i].message, msg) == 0)
			return 1;
	return 0;
}

static void
merge_worker(build *b, const char *report, wp_value **per_job, size_t njobs)
{
	wp_diags ignore;
	wp_value *r, *sums, *diags, *g, *done;
	size_t i, k, len;
	char *text;

	wp_diags_init(&ignore);
	text = wp_read_own_file(report, &len);
	r = text ? wp_yaml_load(report, text, len, &ignore) : NULL;
	free(text);
	wp_diags_free(&ignore);
	if (r == NULL) {
		wp_diag_add(b->d, WP_ERROR, report, 0, 0, "internal-error",
		    "a build worker died without reporting");
		b->io_failed = 1;
		return;
	}
	sums = wp_map_get(r, "editions");
	b->unchanged += (size_t)atol(wp_value_text(wp_map_get(r,
	    "unchanged")));
	done = wp_map_get(r, "jobs");
	for (i = 0; i < wp_value_len(sums) && i < wp_value_len(done); i++) {
		k = (size_t)atol(wp_value_text(done->u.list.items[i]));
		if (k >= njobs)
			continue;
		if (per_job[k] == NULL)
			per_job[k] = wp_value_new_list();
		wp_list_push(per_job[k], sums->u.list.items[i]);
		sums->u.list.items[i] = NULL;
	}
	diags = wp_map_get(wp_map_get(r, "report"), "diagnostics");
	for (i = 0; i < wp_value_len(diags); i++) {
		g = diags->u.list.items[i];
		if (reported_by_another_worker(b->d, g))
			continue;
		wp_diag_add(b->d, strcmp(wp_value_text(wp_map_get(g,
		    "severity")), "error") == 0 ? WP_ERROR : WP_WARNING,
		    wp_value_text(wp_map_get(g, "file")),
		    atoi(wp_value_text(wp_map_get(g, "line"))),
		    atoi(wp_value_text(wp_map_get(g, "column"))),
		    wp_value_text(wp_map_get(g, "code")), "%s",
		    wp_value_text(wp_map_get(g, "message")));
	}
	wp_value_free(r);
}

static void
build_parallel(build *b, job *jobs, size_t njobs)
{
	size_t nworkers = (size_t)b->o->jobs, w, i, j;
	pid_t *pids;
	char **reports;
	wp_value **per_job;
	int status, fds[2];
	uint32_t k;
	pid_t parent = getpid();

	if (nworkers > njobs)
		nworkers = njobs;
	if (pipe(fds) != 0) {
		wp_diag_add(b->d, WP_ERROR, b->tmp, 0, 0, "io-error",
		    "cannot make a pipe for the build workers");
		return;
	}
	pids = xcalloc(nworkers, sizeof *pids);
	reports = xcalloc(nworkers, sizeof *reports);
	per_job = xcalloc(njobs + 1, sizeof *per_job);
	fflush(NULL);
	for (w = 0; w < nworkers; w++) {
		reports[w] = xasprintf("%s/.worker-%zu.json", b->tmp, w);
		if ((pids[w] = fork()) == 0) {
			/* A worker dies with the build: after kill -9 of
			 * the parent nothing goes on writing. */
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			if (getppid() != parent)
				_exit(3);
			close(fds[1]);
			wp_diags_free(b->d);
			b->progress = 0;
			_exit(run_worker(b, jobs, fds[0], reports[w]));
		}
	}
	close(fds[0]);
	for (k = 0; k < njobs; k++)
		if (write(fds[1], &k, sizeof k) != (ssize_t)sizeof k)
			break;
	close(fds[1]);
	for (w = 0; w < nworkers; w++) {
		status = 0;
		if (pids[w] > 0)
			waitpid(pids[w], &status, 0);
		if (pids[w] <= 0 || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 0) {
			wp_diag_add(b->d, WP_ERROR, b->out.path, 0, 0,
			    "internal-error", "build worker %zu %s", w + 1,
			    pids[w] <= 0 ? "could not start" :
			    WIFSIGNALED(status) ? strsignal(WTERMSIG(status)) :
			    "failed");
			b->io_failed = 1;
			unlink(reports[w]);
			free(reports[w]);
			continue;
		}
		merge_worker(b, reports[w], per_job, njobs);
		unlink(reports[w]);
		free(reports[w]);
	}
	for (i = 0; i < njobs; i++) {
		for (j = 0; j < wp_value_len(per_job[i]); j++) {
			wp_list_push(b->editions, per_job[i]->u.list.items[j]);
			per_job[i]->u.list.items[j] = NULL;
			b->pages++;
		}
		wp_value_free(per_job[i]);
	}
	b->done = b->total;
	free(per_job);
	free(reports);
	free(pids);
}

/* This program: its version and its bytes (a rebuilt wpgen may write
 * other pages from the same inputs). */
static void
tool_digest(char hex[33])
{
	wp_digest h;
	size_t len;
	char *exe = wp_read_own_file("/proc/self/exe", &len);

	wp_digest_init(&h);
	wp_digest_add_str(&h, WP_VERSION);
	if (exe)
		wp_digest_add(&h, exe, len);
	free(exe);
	wp_digest_hex(&h, hex);
}

/* What every page depends on: the templates, the catalogs, the files at
 * the top of the content directory (site.yaml), SOURCE_DATE_EPOCH. */
static void
digest_global(build *b)
{
	const char *epoch = getenv("SOURCE_DATE_EPOCH");
	char **names, *path, *text;
	size_t i, len;

	wp_digest_init(&b->global);
	wp_digest_add_str(&b->global, epoch ? epoch : "(unset)");
	/* --pdf: the pages link their PDF, which is among their outputs. */
	wp_digest_add_str(&b->global, b->o->pdf ? "pdf" : "(no pdf)");
	/* Diagnostics kept in the manifest name files by these paths. */
	wp_digest_add_str(&b->global, b->site->content_dir);
	wp_digest_add_str(&b->global, b->site->templates_dir);
	wp_digest_tree(&b->global, b->site->templates_dir, NULL);
	wp_digest_tree(&b->global, b->site->catalogs_dir, NULL);
	names = wp_dir_names(b->site->content_dir, NULL, NULL);
	for (i = 0; names && names[i]; i++) {
		path = wp_path_join(b->site->content_dir, names[i]);
		if (wp_is_file(path) &&
		    (text = wp_read_file(path, &len)) != NULL) {
			wp_digest_add_str(&b->global, names[i]);
			wp_digest_add(&b->global, text, len);
			free(text);
		}
		free(path);
	}
	wp_strv_free(names);
}

int
wp_build(wp_project *project, const wp_build_opts *o, wp_diags *d,
    wp_build_result *result)
{
	size_t i, njobs = 0;
	job *jobs;
	build bb, *b = &bb;
	int rc;

	memset(b, 0, sizeof *b);
	b->o = o;
	b->project = project;
	b->site = project->site;
	b->d = d;
	b->progress = o->progress;
	if (!pdf_tools_ready(b))
		return WP_EXIT_IO;
	if ((rc = wp_outdir_open(&b->out, project->out_dir,
	    project->content_dir, project->templates_dir, d)) != 0) {
		wp_outdir_close(&b->out);
		return rc;
	}
	/* The previous site, which wpgen made (outdir.h), is read for what
	 * an incremental build keeps. */
	wp_path_allow_tree(b->out.path);
	b->tmp = b->out.tmp;
	b->editions = wp_value_new_list();
	tool_digest(b->tool);
	digest_global(b);
	b->old = wp_manifest_load(project->out_dir, b->tool);
	if (wp_outdir_begin(&b->out) != 0) {
		wp_diag_add(b->d, WP_ERROR, b->out.path, 0, 0, "io-error",
		    "cannot create the build directory %s: %s", b->tmp,
		    strerror(errno));
		b->io_failed = 1;
	}
	jobs = b->io_failed ? xcalloc(1, sizeof *jobs) : plan_jobs(b, &njobs);
	if (o->jobs > 1 && njobs > 1) {
		build_parallel(b, jobs, njobs);
	} else {
		for (i = 0; i < njobs; i++)
			build_service(b, &jobs[i]);
	}
	free(jobs);
	if (b->progress)
		fputs("\r\033[K", stderr);
	if (b->d->errors == 0)
		build_pdfs(b);
	if (b->d->errors == 0)
		build_site_pages(b);
	if (b->d->errors > 0) {
		wp_outdir_abort(&b->out);
		rc = b->io_failed ? WP_EXIT_IO : WP_EXIT_CONTENT;
	} else if (wp_outdir_commit(&b->out) != 0) {
		wp_diag_add(b->d, WP_ERROR, b->out.path, 0, 0, "io-error",
		    "cannot move %s into place: %s", b->tmp, strerror(errno));
		wp_outdir_abort(&b->out);
		rc = WP_EXIT_IO;
	} else {
		rc = WP_EXIT_OK;
	}
	if (result) {
		result->pages = b->pages;
		result->total = b->total;
		result->unchanged = b->unchanged;
	}
	wp_value_free(b->editions);
	wp_value_free(b->old);
	free(b->last_dir);
	wp_strset_free(&b->styles_copied);
	wp_outdir_close(&b->out);
	return rc;
}
