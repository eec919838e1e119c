/*
 * build.c: building every edition of every service into out/ (build.h).
 *
 * Everything is written into a temporary directory beside out/ first, so
 * a failed or killed build leaves the previous out/ as it was
 * (outdir.h): a full build then swaps it into place; an incremental one
 * renames the files it wrote into out/ and writes the manifest last.
 * Editions are built one at a time and freed: what stays for the site
 * index and the coverage page is a summary per edition (summary.h), kept
 * out of memory in a store in the temporary directory (a file unlinked
 * when made, shared with the workers), from which those pages are made a
 * card or a row at a time and streamed into their files (page.h).  A
 * full build keeps the records of the next manifest there too (each
 * edition's outputs and problems once it is written, each service's
 * files once it is built), and, but for a --pdf build, holds one
 * service's service.yaml and lock at a time (project.h: a lean project);
 * so memory does not grow with the site.
 * With --jobs N, N worker processes share the services.
 *
 * Builds are incremental (manifest.h).  When the previous build's
 * manifest is usable and the templates, catalogs and options are the
 * same, the parent process first digests every service's inputs (a file
 * known by its stat data is not read) and keeps the services whose
 * editions' inputs and outputs are unchanged, with the warnings the
 * manifest kept for them and where their summaries lie in out/'s store
 * (read only when the site pages are made again); the other services
 * are built (by the workers), and only the summaries that changed are
 * appended to the store.  A service that the no-op check found wholly as recorded
 * is taken without looking at its files at all; the project may have
 * opened it unread (project.h, wp_build_known): it is read only when it
 * must be built after all (read_job).  When nothing changed, nothing is
 * written.  Markdown read for its digest is handed to the parser: each
 * file is read once.
 *
 * PDFs come last: each edition built with one has its print variant
 * written beside its page; up to N WeasyPrint processes then make the
 * PDFs of them (pdf.h), and each PDF is an output of its edition in the
 * manifest, kept like the others when the edition is unchanged.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "arena.h"
#include "buf.h"
#include "build.h"
#include "catpack.h"
#include "check.h"
#include "gitrev.h"
#include "history.h"
#include "commands.h"
#include "manifest.h"
#include "markmem.h"
#include "outdir.h"
#include "page.h"
#include "pdf.h"
#include "site.h"
#include "summary.h"
#include "translate.h"
#include "util.h"
#include "workers.h"
#include "yamlvalue.h"

/* The entries of one job's editions, in the order of its languages. */
typedef struct entry_list {
	wp_manifest_entry **items;
	size_t len;
} entry_list;

/* The Markdown of a service, read once: digested, then handed to the
 * parser (site->read) for the editions that are built. */
typedef struct service_files {
	char **paths;
	char **texts;             /* NULL once handed over */
	size_t *lens;
	size_t n;
} service_files;

/* What a service's editions are made from: the digest of their inputs. */
typedef struct service_inputs {
	int known;
	wp_digest common;         /* global, service, source language */
	char (*inputs)[33];       /* per language of the service */
	service_files files;      /* Markdown read on the way */
} service_inputs;

typedef struct build {
	const wp_build_opts *o;
	wp_project *project;
	wp_site *site;
	wp_diags *d;
	wp_outdir out;             /* out/ and the directory built */
	const char *tmp;           /* out.tmp */
	wp_manifest old;           /* the previous build's manifest */
	int have_old;              /* it is usable: out/ is updated in
	                              place, only what changed is written */
	size_t old_next;           /* where to look for the next entry */
	wp_manifest now;           /* this build's: files, site, assets */
	entry_list *per_job;       /* the editions, per job */
	entry_list *cur;           /* where build_service() adds */
	long cur_job;
	wp_manifest_entry *entry;  /* the entry being written, or NULL */
	wp_inputs in;              /* reads and digests the inputs */
	wp_digest global;          /* templates, catalogs, site files */
	size_t done, total, pages, unchanged;
	char *last_dir;            /* made by ensure_dir() */
	char *not_dir;             /* what out_dirs() found not a directory */
	int rebuilding;            /* services built again (rebuild_jobs):
	                              nothing kept from the previous build */
	int progress;
	int io_failed;             /* a file could not be written */
	wp_strset styles_copied;   /* styles whose assets are wanted */
	wp_strset outputs;         /* the files of this build, at its end */
	const char **asset_styles; /* the same, in order */
	size_t nasset_styles;
	int restat;                /* an output's stat data changed */
	int catalogs_kept;         /* keep_catalogs() ran */
	int unquick;               /* the next build cannot be decided from
	                              the manifest alone (refs, PDFs) */
	char *pdf_roots[2];        /* what WeasyPrint may read: tmp/ */
	wp_summary_store store;    /* the summaries of the editions made,
	                              in tmp/ (summary.h) */
	size_t nglobal;            /* files every page depends on */
	int spill;                 /* a full build: the records of the
	                              next manifest go into the store as
	                              they are made */
	wp_file_writer manifest;   /* tmp/'s manifest, its front written
	                              while the site pages are made */
	wp_manifest_stream *front; /* (manifest_front): or NULL */
	int summaries_put;         /* the editions' summaries are in
	                              out/'s store (put_summaries) */
	int new_store;             /* in a new store in tmp/, which goes
	                              into out/ with the manifest */
} build;

/* One service to build: its selected languages, one worker. */
typedef struct job {
	wp_project_service *ps;
	const wp_service *svc;  /* NULL while the project has not read it
	                           (ps->known): then it is taken from the
	                           previous build, or read first */
	const wp_style *style;
	const wp_lock *lock;    /* the service's translations.lock */
	service_inputs si;      /* known beforehand in an incremental build */
} job;

static void
entry_list_push(entry_list *l, wp_manifest_entry *e)
{
	l->items = xrealloc(l->items, (l->len + 1) * sizeof *l->items);
	l->items[l->len++] = e;
}

static void
entry_list_free(entry_list *l)
{
	size_t i;

	for (i = 0; i < l->len; i++)
		wp_manifest_entry_free(l->items[i]);
	free(l->items);
	l->items = NULL;
	l->len = 0;
}

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

static void
data_hex(const char *data, size_t len, char hex[33])
{
	wp_digest h;

	wp_digest_init(&h);
	wp_digest_add(&h, data, len);
	wp_digest_hex(&h, hex);
}

/* Notes the digest of an output in the entry being written: its record
 * (NULL when the file is not an output). */
static wp_manifest_out *
record_output(build *b, const char *rel, const char *data, size_t len)
{
	char hex[33];

	if (b->entry == NULL)
		return NULL;
	data_hex(data, len, hex);
	return wp_manifest_entry_out(b->entry, rel, hex);
}

/* Writes a file into tmp/, which this build made: a new file at once,
 * its stat data noted in o (an output's record, or NULL); one written
 * before in this build is replaced (wp_write_file). */
static int
write_tmp(const char *path, const char *data, size_t len, wp_manifest_out *o)
{
	struct stat st;

	if (wp_write_new_file(path, data, len, &st) == 0) {
		if (o)
			wp_filestat_of(&st, &o->st);
		return 0;
	}
	return errno == EEXIST ? wp_write_file(path, data, len) : -1;
}

static int
write_out(build *b, const char *rel, const char *data, size_t len)
{
	char *path = wp_path_join(b->tmp, rel);
	char *dir = wp_path_dirname(path);
	wp_manifest_out *o;
	char *shown;
	int rc = 0;

	o = record_output(b, rel, data, len);
	errno = EINVAL;
	if (!wp_path_is_inside_rel(rel) || ensure_dir(b, dir) != 0 ||
	    write_tmp(path, data, len, o) != 0) {
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

static int out_dirs(build *b, const char *rel, int make);

/*
 * Whether the outputs an entry lists are in out/ as it recorded them: by
 * their stat data, else by their content (then the stat data are noted
 * anew).  The manifest is only a hint: a name that leaves out/, or what
 * is not a regular file there, is not taken.
 */
static int
outputs_intact(build *b, wp_manifest_entry *e)
{
	wp_manifest_out *o;
	wp_filestat st;
	char *path, *text, hex[33];
	size_t i, len;
	int ok = 1;

	for (i = 0; ok && i < e->nouts; i++) {
		o = &e->outs[i];
		if (!wp_path_is_inside_rel(o->rel))
			return 0;
		path = wp_path_join(b->project->out_dir, o->rel);
		if (wp_filestat_get(path, &st) != 0) {
			ok = 0;
		} else if (!wp_filestat_same(&o->st, &st)) {
			/* (read only through real directories of out/: a
			 * link among them would lead outside) */
			text = out_dirs(b, o->rel, 0) == 0 ?
			    wp_read_own_file(path, &len) : NULL;
			if (text)
				data_hex(text, len, hex);
			ok = text && strcmp(hex, o->hex) == 0;
			if (ok) {
				o->st = st;
				b->restat = 1;
			}
			free(text);
		}
		free(path);
	}
	return ok;
}

static int
copy_out(build *b, const char *from, const char *rel)
{
	char *path = wp_path_join(b->tmp, rel);
	char *dir = wp_path_dirname(path);
	size_t len = 0;
	wp_manifest_out *o = NULL;
	char *data, *shown;
	int rc = 0, e;

	errno = EINVAL;
	data = b->entry && wp_path_is_inside_rel(rel) ?
	    wp_read_file_max(from, WP_COPY_MAX, &len) : NULL;
	if (data)
		o = record_output(b, rel, data, len);
	if ((b->entry && data == NULL) || !wp_path_is_inside_rel(rel) ||
	    ensure_dir(b, dir) != 0 || (data ? write_tmp(path, data, len, o) :
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

/* The assets of style are wanted in out/assets (copied at the end). */
static void
want_assets(build *b, const char *style)
{
	if (!wp_strset_add(&b->styles_copied, style))
		return;
	b->asset_styles = xrealloc(b->asset_styles, (b->nasset_styles + 1) *
	    sizeof *b->asset_styles);
	b->asset_styles[b->nasset_styles++] = style;
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
	wp_page_opts o = {1, pdf, NULL};
	wp_buf page = WP_BUF_INIT;
	wp_manifest_entry *entry = b->entry;
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

/* An edition's summary into the store, out of memory, when the store
 * is a file (else it stays in the entry). */
static void
keep_summary(build *b, wp_manifest_entry *e)
{
	if (b->store.fd >= 0)
		wp_manifest_entry_keep_summary(e, &b->store);
}

/* Writes an edition's page, images and cross-reference files, and its
 * print variant when it gets a PDF; keeps its summary (with pdf_file,
 * the PDF's path in out/, and pdf_href, the link to it). */
static void
write_edition(build *b, wp_edition *ed)
{
	const char *id = ed->service->id, *lang = ed->lang;
	wp_buf page = WP_BUF_INIT, data = WP_BUF_INIT;
	wp_page_opts o = {0, NULL, NULL};
	wp_summary *summary = NULL;
	wp_value *href;
	char *rel, *pdf = NULL;
	size_t i;

	if (wants_pdf(b, ed->service))
		o.pdf_name = pdf = wp_pdf_name(ed->service, lang);
	o.summary = &summary;
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
	wp_xref_write_json(ed->xref, ed->service->standards,
	    b->site->xref_texts, &data);
	rel = xasprintf("%s/%s/xref.json", id, lang);
	write_out(b, rel, data.data, data.len);
	free(rel);
	wp_buf_clear(&data);
	wp_xref_write_csv(ed->xref, ed->service->standards,
	    b->site->xref_texts, NULL, &data);
	rel = xasprintf("%s/%s/xref.csv", id, lang);
	write_out(b, rel, data.data, data.len);
	free(rel);
	if (pdf) {
		write_print_variant(b, ed, pdf);
		summary->pdf_file = xasprintf("%s/%s/%s", id, lang, pdf);
		href = pdf_href(id, lang, pdf);
		summary->pdf_href = xstrdup(wp_value_text(href));
		wp_value_free(href);
		b->entry->pdf_file = xasprintf("%s/%s/%s", id, lang, pdf);
	}
	b->entry->summary = wp_summary_compact(summary);
	keep_summary(b, b->entry);
	b->pages++;
	free(pdf);
	wp_buf_free(&page);
	wp_buf_free(&data);
}

/* ---- what a service's editions are made from ---- */

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

/* Takes the text of a Markdown file read for its digest (wp_inputs). */
static void
keep_text(void *ctx, char *path, char *text, size_t len)
{
	service_files *f = ctx;

	f->paths = xrealloc(f->paths, (f->n + 1) * sizeof *f->paths);
	f->texts = xrealloc(f->texts, (f->n + 1) * sizeof *f->texts);
	f->lens = xrealloc(f->lens, (f->n + 1) * sizeof *f->lens);
	f->paths[f->n] = path;
	f->texts[f->n] = text;
	f->lens[f->n++] = len;
}

/*
 * The digest of a language directory: its Markdown files (those read
 * are kept in f, where the parser will take them from), and anything
 * else in it (images next to the Markdown).
 */
static void
digest_lang_dir(build *b, wp_digest *h, const wp_service *svc,
    const char *lang, service_files *f)
{
	char *dir = wp_path_join(svc->dir, lang);

	wp_digest_add_str(h, lang);
	b->in.ctx = f;
	if (wp_is_dir(dir))
		wp_inputs_tree(&b->in, h, dir, NULL);
	else
		wp_digest_add_str(h, "(absent)");
	b->in.ctx = NULL;
	free(dir);
}

/* ---- diagnostics kept in the manifest ---- */

/* The problems an edition said, kept from the previous build
 * (reuse_entry) or built (with source, its service's too: said by the
 * first edition of its service), taken back from d: its service is
 * built again after all, and says them again. */
static void
unsay_diags(wp_diags *d, const wp_manifest_entry *e, int source)
{
	size_t i;

	for (i = 0; i < e->ndiags; i++)
		if (!e->diags[i].source || source)
			wp_diags_withdraw(d, &e->diags[i].g);
}

/* ---- one service ---- */

/* What building one service keeps track of. */
typedef struct service_build {
	const job *j;
	service_inputs *si;
	wp_edition *src;          /* read when an edition needs it */
	int src_read, src_ok;
	wp_manifest_entry *src_diags;  /* the service's problems: the
	                                  source edition's reading
	                                  problems, then its bad refs */
	int src_reported;         /* they are in b->d */
	struct cmark_mem *mem;    /* of its documents' trees (markmem.h) */
	int history_said;         /* bad refs were reported */
	int history_noted;        /* ... and are in src_diags */
	size_t history_at, history_len;  /* where in b->d this process said
	                                    them (history_said by a build) */
} service_build;

static void digest_refs(wp_digest *h, const build *b,
    const wp_service *svc);

/* The digest of the inputs of each selected edition of a service, its
 * Markdown files read on the way kept for the parser. */
static void
service_inputs_get(build *b, const job *j, service_inputs *si)
{
	const wp_service *svc = j->svc;
	wp_digest h;
	wp_filestat st;
	char *lock;
	size_t i;

	if (si->known)
		return;
	si->known = 1;
	si->inputs = xcalloc(svc->nlangs + 1, sizeof *si->inputs);
	si->common = b->global;
	wp_digest_add_str(&si->common, svc->id);
	/* service.yaml, the lock, assets and anything else in the
	 * service's directory but the language directories; service.yaml
	 * and the lock by the digests of the texts the project parsed
	 * (not read again: one saved since is noticed by the next build) */
	b->in.ctx = &si->files;
	b->in.known_path[0] = svc->yaml_path;
	b->in.known_hex[0] = j->ps->yaml_hex;
	/* (the lock is read after service.yaml: the same time stands) */
	b->in.known_t[0] = b->in.known_t[1] = j->ps->read_at;
	/* (a lock absent then and found now was saved since: the pages
	 * were built without it) */
	lock = wp_path_join(svc->dir, "translations.lock");
	b->in.known_path[1] = lock;
	b->in.known_hex[1] = j->ps->lock_hex[0] ? j->ps->lock_hex : NULL;
	memset(b->in.known_met, 0, sizeof b->in.known_met);
	wp_inputs_tree(&b->in, &si->common, svc->dir,
	    (const char *const *)svc->langs);
	/* A lock read then and gone now was removed since: the pages were
	 * built with it, which neither the digest nor the directory's
	 * listing, as recorded for the next build, may deny. */
	if (b->in.known_hex[1] && !b->in.known_met[1]) {
		wp_digest_add_str(&si->common, "translations.lock");
		wp_digest_add_str(&si->common, WP_DIGEST_ABSENT);
		if (b->in.dirs && wp_filestat_dir(svc->dir, &st) == 0)
			wp_filecache_put(b->in.dirs, svc->dir,
			    WP_DIGEST_ABSENT, &st, 0);
	}
	memset(b->in.known_path, 0, sizeof b->in.known_path);
	memset(b->in.known_hex, 0, sizeof b->in.known_hex);
	free(lock);
	digest_lang_dir(b, &si->common, svc, svc->langs[0], &si->files);
	for (i = 0; i < svc->nlangs; i++) {
		if (!wp_project_lang_selected(b->project, svc->langs[i]))
			continue;
		h = si->common;
		if (i > 0)
			digest_lang_dir(b, &h, svc, svc->langs[i], &si->files);
		if (wp_service_has_refs(svc))
			digest_refs(&h, b, svc);
		wp_digest_hex(&h, si->inputs[i]);
	}
}

static void
service_inputs_free(service_inputs *si)
{
	free(si->inputs);
	service_files_free(&si->files);
	memset(si, 0, sizeof *si);
}

/*
 * The previous build's entry of an edition, copied, when the edition's
 * inputs are those it recorded and every file it wrote is still in out/
 * as written; else NULL.
 */
/* The previous build's entry of an edition: looked for from where the
 * last one was found (the editions come in the same order). */
static wp_manifest_entry *
old_entry(build *b, const char *svc, const char *lang)
{
	size_t i, k;
	wp_manifest_entry *e;

	for (i = 0; i < b->old.nedit; i++) {
		k = (b->old_next + i) % b->old.nedit;
		e = b->old.editions[k];
		if (strcmp(e->service, svc) == 0 && strcmp(e->lang, lang) == 0) {
			b->old_next = k + 1;
			return e;
		}
	}
	return NULL;
}

/*
 * The previous build's entry of an edition, when the edition's inputs
 * are those it recorded and every file it wrote is still in out/ as
 * written; else NULL.  The caller that keeps it takes it
 * (wp_manifest_entry_take: its summary moves into the copy).
 */
static wp_manifest_entry *
reusable(build *b, const wp_service *svc, const char *lang,
    const char *inputs)
{
	wp_manifest_entry *old;

	if (!b->have_old || b->rebuilding ||
	    (old = old_entry(b, svc->id, lang)) == NULL ||
	    strcmp(old->inputs, inputs) != 0 ||
	    !wp_manifest_entry_has_summary(old) || !outputs_intact(b, old))
		return NULL;
	return old;
}

/* What the next build's project needs to open the service of j unread
 * (wp_build_known): its style's name, when the project read it without
 * a problem (or did not read it); else NULL. */
static void
note_style(const job *j, wp_manifest_entry *e)
{
	free(e->style);
	e->style = j->ps->clean && j->style ? xstrdup(j->style->name) : NULL;
}

/* Takes an edition from the previous build: its outputs stay in out/,
 * its problems are said again. */
static void
reuse_entry(build *b, const job *j, wp_manifest_entry *e, int *src_reported)
{
	note_style(j, e);
	free(e->pdf_file);
	e->pdf_file = NULL;
	e->job = b->cur_job;
	e->kept = 1;
	entry_list_push(b->cur, e);
	if (!*src_reported) {
		wp_manifest_entry_say_diags(b->d, e, 1);
		*src_reported = 1;
	}
	wp_manifest_entry_say_diags(b->d, e, 0);
	b->pages++;
	b->unchanged++;
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
	b->site->mem = sb->mem;
	sb->src = wp_edition_read(b->site, svc, NULL, 1, d);
	b->site->mem = NULL;
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
	sb->src_diags = wp_manifest_entry_new(NULL, NULL);
	for (; from < d->len; from++)
		wp_manifest_entry_diag(sb->src_diags, 1, &d->items[from]);
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
	wp_manifest_entry *entry = b->entry;
	int rc;

	b->entry = NULL;
	rc = write_out(b, rel, data, len);
	b->entry = entry;
	return rc;
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

/*
 * A bad ref is the service's problem, not a language's: said once a
 * service, by the first edition that publishes its history (unless an
 * edition kept from the previous build said it again: build_lang), and
 * noted among the service's problems (sb->src_diags, said again once a
 * service by a build that keeps an edition), which every edition's
 * record holds, not among that edition's own.
 */
static void
say_history_problems(build *b, service_build *sb, const wp_diags *got)
{
	const wp_diag *g;
	size_t i;

	if (!sb->history_noted && sb->src_diags)
		for (i = 0; i < got->len; i++)
			wp_manifest_entry_diag(sb->src_diags, 1, &got->items[i]);
	sb->history_noted = 1;
	if (sb->history_said)
		return;
	sb->history_said = 1;
	sb->history_at = b->d->len;
	for (i = 0; i < got->len; i++) {
		g = &got->items[i];
		wp_diag_again(b->d, g);
	}
	sb->history_len = b->d->len - sb->history_at;
}

/* The edition's page, after the redlines and past editions it links to. */
static void
write_edition_with_history(build *b, service_build *sb, wp_edition *ed)
{
	wp_history_out out = {history_write, history_copy, NULL, b};
	wp_history h;
	wp_diags got;

	if (wants_pdf(b, sb->j->svc))
		out.write_print = history_write_print;
	if (!wp_service_has_refs(sb->j->svc)) {
		write_edition(b, ed);
		return;
	}
	wp_diags_init(&got);
	wp_history_publish(b->site, sb->j->svc, sb->j->style, ed->lang, &out,
	    &h, &got);
	say_history_problems(b, sb, &got);
	wp_diags_free(&got);
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
	wp_edition *ed;

	b->site->mem = sb->mem;
	ed = wp_edition_read_target(b->site, sb->j->svc, lang, 1, NULL, b->d);
	b->site->mem = NULL;
	if (ed == NULL)
		return;
	if (sb->src_ok && b->d->errors == errors) {
		ed->style = sb->j->style;
		wp_edition_publish(b->site, ed, sb->src, sb->j->lock);
		write_edition_with_history(b, sb, ed);
	}
	wp_edition_free(ed);
}

static int stat_in_tmp(build *b, wp_manifest_out *o);

/* A full build keeps an edition's records for the next manifest out of
 * memory once it is written (but those of an edition with a PDF, which
 * is made at the end): its outputs' stat data are taken now, as they
 * will be when tmp/ becomes out/. */
static void
spill_entry(build *b, wp_manifest_entry *e)
{
	size_t i;

	if (!b->spill || e->pdf_file)
		return;
	for (i = 0; i < e->nouts; i++)
		stat_in_tmp(b, &e->outs[i]);
	wp_manifest_entry_spill(e, &b->store);
}

/* Builds (or copies) the edition of lang: i is its index in the
 * service's languages. */
static void
build_lang(build *b, service_build *sb, size_t i)
{
	const wp_service *svc = sb->j->svc;
	const char *lang = svc->langs[i];
	const char *inputs = sb->si->inputs[i];
	wp_manifest_entry *e;
	size_t from, k;

	if ((e = reusable(b, svc, lang, inputs)) != NULL) {
		/* (the service's problems it says again, if first, are its
		 * bad refs too) */
		if (!sb->src_reported)
			sb->history_said = 1;
		reuse_entry(b, sb->j, wp_manifest_entry_take(e),
		    &sb->src_reported);
		return;
	}
	read_source(b, sb);
	if (sb->src == NULL)
		return;
	b->entry = wp_manifest_entry_new(svc->id, lang);
	memcpy(b->entry->inputs, inputs, sizeof b->entry->inputs);
	note_style(sb->j, b->entry);
	b->entry->job = b->cur_job;
	from = b->d->len;
	if (i == 0 && sb->src_ok)
		write_edition_with_history(b, sb, sb->src);
	else if (i > 0)
		build_target(b, sb, lang);
	if (wp_manifest_entry_has_summary(b->entry)) {
		for (k = 0; k < sb->src_diags->ndiags; k++)
			wp_manifest_entry_diag(b->entry, 1,
			    &sb->src_diags->diags[k].g);
		for (; from < b->d->len; from++)
			if (from < sb->history_at || from >= sb->history_at +
			    sb->history_len)
				wp_manifest_entry_diag(b->entry, 0,
				    &b->d->items[from]);
		entry_list_push(b->cur, b->entry);
		spill_entry(b, b->entry);
	} else {
		wp_manifest_entry_free(b->entry);
	}
	b->entry = NULL;
}

/*
 * The selected editions of one service.  Its Markdown is read once; the
 * source edition is parsed once, when an edition that is not copied
 * needs it, and serves every translation (for the sections they lack);
 * no document is changed after it is read.
 */
static int read_job(build *b, job *j);
static void drop_job(build *b, job *j);

static void
build_service(build *b, job *j)
{
	const wp_service *svc;
	service_build sb;
	size_t i, files = b->now.files.len, dirs = b->now.dirs.len;

	/* A service of a lean project is read here, in the process that
	 * builds it, and dropped once built (drop_job). */
	if (read_job(b, j) != 0)
		return;
	svc = j->svc;
	memset(&sb, 0, sizeof sb);
	sb.j = j;
	sb.si = &j->si;
	sb.mem = wp_markmem_open();
	service_inputs_get(b, j, &j->si);
	b->site->read = read_cached;
	b->site->read_ctx = &j->si.files;
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
	wp_markmem_close();
	wp_manifest_entry_free(sb.src_diags);
	service_inputs_free(&j->si);
	drop_job(b, j);
	/* A full build keeps the records of the service's files out of
	 * memory too. */
	if (b->spill) {
		wp_manifest_spill_files(&b->now, &b->now.files, files, 0,
		    &b->store);
		wp_manifest_spill_files(&b->now, &b->now.dirs, dirs, 1,
		    &b->store);
	}
}

/* ---- services known unchanged (wp_build_unchanged) ---- */

static int
keep_file(void *ctx, const wp_filecache_item *it)
{
	build *b = ctx;

	wp_filecache_put(&b->now.files, it->path, it->hex, &it->st,
	    it->trusted);
	return 1;
}

static int
keep_dir(void *ctx, const wp_filecache_item *it)
{
	build *b = ctx;

	wp_filecache_put(&b->now.dirs, it->path, it->hex, &it->st,
	    it->trusted);
	return 1;
}

/*
 * A service that wp_build_unchanged() found unchanged: every file and
 * directory of its tree as recorded (so nothing was added or removed
 * either), and the outputs of its editions too.  With the templates,
 * catalogs, site files and options the same (have_old), its editions'
 * inputs are then those recorded: they are taken without reading its
 * directories again, and its files go into the new manifest as they
 * were.  1 when the service was taken.
 */
static int
take_known(build *b, job *j, entry_list *l)
{
	const wp_project_service *ps = j->ps;
	wp_manifest_entry *old;
	entry_list got = {NULL, 0};
	size_t i;
	int said = 0;

	if (!b->old.checked || !wp_manifest_tree_same(&b->old, ps->dir))
		return 0;
	for (i = 0; i < ps->nlangs; i++) {
		if (!wp_project_lang_selected(b->project, ps->langs[i]))
			continue;
		old = old_entry(b, ps->id, ps->langs[i]);
		if (old == NULL || !old->outputs_same ||
		    !wp_manifest_entry_has_summary(old)) {
			free(got.items);
			return 0;
		}
		entry_list_push(&got, old);
	}
	for (i = 0; i < got.len; i++)
		got.items[i] = wp_manifest_entry_take(got.items[i]);
	wp_filecache_each_under(&b->old.dirs, ps->dir, keep_dir, b);
	wp_filecache_each_under(&b->old.files, ps->dir, keep_file, b);
	b->cur = l;
	for (i = 0; i < got.len; i++) {
		b->done++;
		reuse_entry(b, j, got.items[i], &said);
	}
	free(got.items);
	return 1;
}

/*
 * The service of a job that the project opened unread (known from the
 * previous build) is read when it is to be built after all (or its
 * directories looked at): 0 when it can be built.  Its problems then
 * come after the project's: the next build is not decided from the
 * manifest alone when there were any (they are not among the project's
 * it keeps).
 */
static int
read_job(build *b, job *j)
{
	wp_project_service *ps = j->ps;
	size_t from = b->d->len;

	if (j->svc)
		return 0;
	wp_project_read_service(b->project, ps, b->d);
	if (b->d->len != from)
		b->unquick = 1;
	if (ps->svc == NULL || ps->style == NULL || ps->lock == NULL)
		return -1;
	j->svc = ps->svc;
	j->style = ps->style;
	j->lock = ps->lock;
	if (wp_service_has_refs(j->svc) || wants_pdf(b, j->svc))
		b->unquick = 1;
	return 0;
}

/* A service of a lean project, built or taken, is dropped (project.h):
 * the build holds one service's data at a time. */
static void
drop_job(build *b, job *j)
{
	wp_project_drop_service(b->project, j->ps);
	if (j->ps->svc == NULL) {
		j->svc = NULL;
		j->lock = NULL;
	}
}

/*
 * An incremental build decides here, before anything is written, which
 * services are unchanged: every selected edition's inputs are those the
 * manifest recorded (known from the stat data of the files, most of the
 * time, without reading them) and its outputs are still in out/.  Their
 * entries are taken as they are; the others are built.  1 when the
 * service was taken.
 */
static int
take_unchanged(build *b, job *j, entry_list *l)
{
	const wp_service *svc;
	entry_list got = {NULL, 0};
	wp_manifest_entry *e;
	size_t i;
	int said = 0;

	if (take_known(b, j, l))
		return 1;
	if (read_job(b, j) != 0)
		return 0;
	svc = j->svc;
	service_inputs_get(b, j, &j->si);
	for (i = 0; i < svc->nlangs; i++) {
		if (!wp_project_lang_selected(b->project, svc->langs[i]))
			continue;
		if ((e = reusable(b, svc, svc->langs[i],
		    j->si.inputs[i])) == NULL) {
			free(got.items);
			return 0;
		}
		entry_list_push(&got, e);
	}
	b->cur = l;
	for (i = 0; i < got.len; i++) {
		b->done++;
		reuse_entry(b, j, wp_manifest_entry_take(got.items[i]), &said);
	}
	free(got.items);
	service_inputs_free(&j->si);
	drop_job(b, j);
	return 1;
}

/* ---- PDFs ---- */

static const wp_service *
find_service(const wp_project *p, const char *id)
{
	size_t i;

	for (i = 0; i < p->nservices; i++)
		if (strcmp(p->services[i].id, id) == 0)
			return p->services[i].svc;
	return NULL;
}

/* Notes a PDF just made among the outputs of its edition's entry. */
static void
record_pdf(build *b, wp_manifest_entry *entry, const char *rel)
{
	char *path = wp_path_join(b->tmp, rel);
	size_t len;
	char *data = wp_read_own_file(path, &len);
	wp_manifest_entry *saved = b->entry;

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

/* The editions of this build, in order (the jobs' in turn). */
static void
gather_editions(build *b, size_t njobs)
{
	size_t i, j;

	for (i = 0; i < njobs; i++) {
		for (j = 0; j < b->per_job[i].len; j++) {
			b->now.editions = xrealloc(b->now.editions,
			    (b->now.nedit + 1) * sizeof *b->now.editions);
			b->now.editions[b->now.nedit++] =
			    b->per_job[i].items[j];
		}
		free(b->per_job[i].items);
		b->per_job[i].items = NULL;
		b->per_job[i].len = 0;
	}
}

/* Whether an edition built in this run has its print variant in tmp/. */
static char *
print_variant_of(build *b, const wp_manifest_entry *e)
{
	char *dir, *name, *html;

	if (e->pdf_file == NULL || strchr(e->pdf_file, '/') == NULL)
		return NULL;
	dir = wp_path_join(b->tmp, e->pdf_file);
	*strrchr(dir, '/') = '\0';
	name = wp_pdf_print_name(strrchr(e->pdf_file, '/') + 1);
	html = wp_path_join(dir, name);
	free(name);
	free(dir);
	if (!wp_is_file(html)) {
		free(html);
		return NULL;
	}
	return html;
}

/* A PDF to make when its print variant is in tmp/ (dir is its directory
 * there, name the PDF's): the job, with the edition's entry and its date
 * from the revision rev it shows. */
static void
add_pdf_job(build *b, const char *dir, const char *name,
    const wp_revision *rev, wp_manifest_entry *entry, wp_pdf_job *jobs,
    wp_manifest_entry **entries, size_t *k)
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
	jobs[*k].epoch = wp_pdf_revision_epoch(rev);
	jobs[*k].roots = b->pdf_roots;
	entries[(*k)++] = entry;
}

/*
 * The PDFs of the editions built in this run with one (they have
 * pdf_file and their print variant is in tmp/; an unchanged edition
 * kept its PDF with its other outputs), of the redlines published
 * beside them and of the archived editions (history.h), up to --jobs
 * at a time; then the print
 * variants are removed.  WeasyPrint reads nothing outside tmp/.
 */
static void
build_pdfs(build *b)
{
	size_t n = b->now.nedit, i, r, k = 0, max = 0;
	wp_pdf_job *jobs;
	wp_manifest_entry **entries, *e;
	const wp_service *svc;
	const wp_revision *cur, *rev;
	char *dir, *name, *past;

	for (i = 0; i < n; i++) {
		svc = find_service(b->project, b->now.editions[i]->service);
		max += 1 + 2 * (svc ? svc->nrevisions : 0);
	}
	jobs = xcalloc(max + 1, sizeof *jobs);
	entries = xcalloc(max + 1, sizeof *entries);
	b->pdf_roots[0] = (char *)b->tmp;
	b->pdf_roots[1] = NULL;
	for (i = 0; i < n; i++) {
		e = b->now.editions[i];
		if (e->pdf_file == NULL || strchr(e->pdf_file, '/') == NULL ||
		    (svc = find_service(b->project, e->service)) == NULL)
			continue;
		dir = wp_path_join(b->tmp, e->pdf_file);
		*strrchr(dir, '/') = '\0';
		cur = wp_service_current(svc);
		add_pdf_job(b, dir, strrchr(e->pdf_file, '/') + 1, cur, e, jobs,
		    entries, &k);
		for (r = 1; r < svc->nrevisions; r++) {
			name = wp_history_redline_pdf(&svc->revisions[r]);
			add_pdf_job(b, dir, name, cur, e, jobs, entries, &k);
			free(name);
		}
		/* The archived editions, in <service>/<lang>-<version>/. */
		for (r = 0; r + 1 < svc->nrevisions; r++) {
			rev = &svc->revisions[r];
			past = xasprintf("%s-%s", dir, rev->version);
			name = wp_pdf_name_of(svc->id, e->lang, rev->version);
			add_pdf_job(b, past, name, rev, e, jobs, entries, &k);
			free(name);
			free(past);
		}
		free(dir);
	}
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

/* Whether a PDF is to be made: then the style assets must be in tmp/
 * for WeasyPrint. */
static int
pdfs_pending(build *b)
{
	size_t i;
	char *html;

	for (i = 0; i < b->now.nedit; i++) {
		if ((html = print_variant_of(b, b->now.editions[i])) != NULL) {
			free(html);
			return 1;
		}
	}
	return 0;
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
		/* (a service known unread makes no PDF: quick.c) */
		if (svc == NULL || !wants_pdf(b, svc))
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

/* The style assets (templates/<style>/assets of every style the services
 * use, along extends, and base): taken from the previous build when the
 * same styles are used (the templates are the same in an incremental
 * build) and no PDF needs them in tmp/; else copied. */
static int
build_assets(build *b, int reuse)
{
	wp_digest h;
	size_t i;
	wp_manifest_entry *e;

	want_assets(b, "base");
	wp_digest_init(&h);
	for (i = 0; i < b->nasset_styles; i++)
		wp_digest_add_str(&h, b->asset_styles[i]);
	b->now.assets = wp_manifest_entry_new(NULL, NULL);
	wp_digest_hex(&h, b->now.assets->inputs);
	if (reuse && b->have_old && b->old.assets && strcmp(
	    b->old.assets->inputs, b->now.assets->inputs) == 0) {
		e = wp_manifest_entry_copy(b->old.assets);
		e->kept = 1;
		if (outputs_intact(b, e)) {
			wp_manifest_entry_free(b->now.assets);
			b->now.assets = e;
			return 1;
		}
		wp_manifest_entry_free(e);
	}
	if (b->tmp == NULL)
		return 0;
	b->entry = b->now.assets;
	for (i = 0; i < b->nasset_styles; i++)
		copy_assets(b, b->asset_styles[i], "assets");
	b->entry = NULL;
	return 0;
}

/* Adds every edition's summary to h, in order: its service, language
 * and the digest of its records (that of one in the store was taken
 * when it was put there). */
static void
digest_summaries(const build *b, wp_digest *h)
{
	const wp_manifest_entry *e;
	char hex[33];
	size_t i;

	for (i = 0; i < b->now.nedit; i++) {
		e = b->now.editions[i];
		wp_digest_add_str(h, e->service);
		wp_digest_add_str(h, e->lang);
		wp_manifest_entry_summary_digest(e, hex);
		wp_digest_add_str(h, hex);
	}
}

/* What the site pages are made from: the summaries, in order. */
static void
site_inputs(build *b, char inputs[33])
{
	wp_digest h = b->global;

	digest_summaries(b, &h);
	wp_digest_hex(&h, inputs);
}

/* The site pages of the previous build, when made from the same
 * summaries and still in out/. */
static int
reuse_site(build *b)
{
	wp_manifest_entry *e;

	if (!b->have_old || b->old.site == NULL || strcmp(b->old.site->inputs,
	    b->now.site->inputs) != 0)
		return 0;
	e = wp_manifest_entry_copy(b->old.site);
	if (!outputs_intact(b, e)) {
		wp_manifest_entry_free(e);
		return 0;
	}
	e->kept = 1;
	wp_manifest_entry_free(b->now.site);
	b->now.site = e;
	return 1;
}

/*
 * A site page streamed into its file as it is rendered: NAME.LANG.html,
 * written the way write_out() writes (a temporary file, renamed into
 * place when the page is whole); in the site's language NAME.html too,
 * the same bytes: a second name of the same file (a hard link made
 * once the page is whole; a copy where the file system has none), not
 * the page written twice (the coverage page is 9.6 MB a language at
 * N = 200).  Its digest for the manifest is that of the whole page
 * (data_hex()), taken from the pieces as they are written (the digest
 * takes the length at its end).
 */
typedef struct site_page {
	build *b;
	char *rel;              /* NAME.LANG.html */
	char *alias;            /* NAME.html, or NULL */
	wp_file_writer w;
	int failed;             /* writing it failed, */
	int err;                /* with this errno */
	wp_digest h;            /* of what was written, */
	wp_digest_part part;    /* as it is */
} site_page;

static void
site_page_error(site_page *p, const char *rel, int err)
{
	char *shown = wp_path_join(p->b->out.path, rel);

	wp_diag_add(p->b->d, WP_ERROR, shown, 0, 0, "io-error",
	    "cannot write the file: %s", strerror(err));
	free(shown);
	p->b->io_failed = 1;
}

/* Opens the file of page NAME in lang; 0, or -1 having said why. */
static int
site_page_open(site_page *p, build *b, const char *name, const char *lang,
    int site_lang)
{
	char *path, *dir;
	int rc = 0;

	memset(p, 0, sizeof *p);
	p->b = b;
	p->w.fd = -1;
	wp_digest_init(&p->h);
	wp_digest_part_begin(&p->part, &p->h);
	p->rel = xasprintf("%s.%s.html", name, lang);
	if (site_lang)
		p->alias = xasprintf("%s.html", name);
	path = wp_path_join(b->tmp, p->rel);
	dir = wp_path_dirname(path);
	errno = EINVAL;
	if (!wp_path_is_inside_rel(p->rel) || (p->alias &&
	    !wp_path_is_inside_rel(p->alias)) || ensure_dir(b, dir) != 0 ||
	    wp_file_writer_open(&p->w, path) != 0) {
		site_page_error(p, p->rel, errno);
		rc = -1;
	}
	free(dir);
	free(path);
	return rc;
}

/* The sink of the page's rendering (mustache.h). */
static int
site_page_put(void *data, const char *s, size_t len)
{
	site_page *p = data;

	if (wp_file_writer_put(&p->w, s, len) != 0) {
		p->failed = 1;
		p->err = errno;
		return -1;
	}
	wp_digest_part_add(&p->part, s, len);
	return 0;
}

/* NAME.html, the second name of the page's file (in tmp/, where nothing
 * is at that name): a hard link, else a copy.  0, or -1 with errno. */
static int
site_page_alias(site_page *p)
{
	char *from = wp_path_join(p->b->tmp, p->rel);
	char *to = wp_path_join(p->b->tmp, p->alias);
	int rc = link(from, to);

	if (rc != 0)
		rc = wp_copy_own_file(from, to);
	free(from);
	free(to);
	return rc;
}

/* Puts the file in place when the page was rendered whole (rc 0, else
 * removes it), and its second name; then hex is the digest of what was
 * written into it.  0 when they are in place. */
static int
site_page_close(site_page *p, int rc, char hex[33])
{
	if (rc == -2 && p->failed)
		site_page_error(p, p->rel, p->err);
	if (rc != 0) {
		wp_file_writer_abort(&p->w);
	} else if (wp_file_writer_commit(&p->w) != 0) {
		site_page_error(p, p->rel, errno);
		rc = -1;
	} else if (p->alias && site_page_alias(p) != 0) {
		site_page_error(p, p->alias, errno);
		rc = -1;
	}
	wp_digest_part_end(&p->part);
	if (rc == 0)
		wp_digest_hex(&p->h, hex);
	free(p->rel);
	free(p->alias);
	return rc;
}

/* The site pages of a language: the index, and the coverage page when
 * the site has one. */
enum { SITE_INDEX, SITE_COVERAGE, SITE_PAGES };
static const char *const site_page_name[SITE_PAGES] = {"index", "coverage"};

/* Renders site page `which` in lang into its files (site_lang: the
 * site's language, which has NAME.html too); 0 when they are in place,
 * with their digest in hex. */
static int
site_page_write(build *b, wp_site_summaries *sums, int which,
    const char *lang, int site_lang, char hex[33])
{
	site_page p;
	int rc = site_page_open(&p, b, site_page_name[which], lang, site_lang);

	if (rc == 0 && which == SITE_INDEX)
		rc = wp_page_render_index(b->site, sums, lang, site_page_put,
		    &p, b->d);
	else if (rc == 0)
		rc = wp_page_render_coverage(b->site, sums, lang,
		    site_page_put, &p, b->d);
	return site_page_close(&p, rc, hex);
}

/* Records the files of a site page written whole in the site's manifest
 * entry: NAME.html (in the site's language), then NAME.LANG.html. */
static void
site_page_record(build *b, int which, const char *lang, int site_lang,
    const char hex[33])
{
	char *rel;

	if (b->entry == NULL)
		return;
	if (site_lang) {
		rel = xasprintf("%s.html", site_page_name[which]);
		wp_manifest_entry_out(b->entry, rel, hex);
		free(rel);
	}
	rel = xasprintf("%s.%s.html", site_page_name[which], lang);
	wp_manifest_entry_out(b->entry, rel, hex);
	free(rel);
}

/*
 * With --jobs, the site pages are made at once in worker processes
 * (workers.h), one page a job (a language's index or coverage page):
 * each worker writes the pages it takes into tmp/ and reports, for
 * each, whether it wrote it whole, with its digest, and the problems it
 * met; the parent records them in the languages' order, as a serial
 * build does (a template's problem, which each process says once, said
 * once).  The coverage pages come first: each is about twenty times an
 * index page (9.6 MB a language at N = 200), and the process that ends
 * its coverage page first takes the index pages.
 */
typedef struct site_jobs {
	build *b;
	wp_site_summaries *sums;
	char **langs;
	size_t n;                         /* languages */
	int pages;                        /* SITE_PAGES, or 1: no coverage */
	size_t njobs;                     /* n * pages: job j is page
	                                     j % pages of language j / pages */
	int *ok;                          /* for each job */
	char (*hex)[33];
	int *io_failed;
	size_t *held;                     /* summaries held at most by the
	                                     process that made it, so far */
	wp_diags *diags;
	wp_buf report;                    /* a worker's */
} site_jobs;

/* A page: written, its result in sj (j's), its problems in its own list
 * (as a worker's come back: site_job_merge). */
static void
site_job_here(void *ctx, uint32_t j)
{
	site_jobs *sj = ctx;
	build *b = sj->b;
	wp_diags *d = b->d;
	size_t k = j / (size_t)sj->pages;
	int io = b->io_failed;

	b->d = &sj->diags[j];
	b->io_failed = 0;
	sj->ok[j] = site_page_write(b, sj->sums, (int)(j % (size_t)sj->pages),
	    sj->langs[k], k == 0, sj->hex[j]) == 0;
	sj->io_failed[j] = b->io_failed;
	sj->held[j] = b->store.held_max;
	b->io_failed = io;
	b->d = d;
}

/* A page in a worker: made as the parent makes one (site_job_here),
 * then packed into the worker's report. */
static void
site_job_run(void *ctx, uint32_t j)
{
	site_jobs *sj = ctx;

	site_job_here(ctx, j);
	wp_buf_printf(&sj->report, "%lu %s %d %zu %zu\n", (unsigned long)j,
	    sj->ok[j] ? sj->hex[j] : "-", sj->io_failed[j], sj->held[j],
	    sj->diags[j].len);
	wp_diags_pack(&sj->diags[j], 0, &sj->report);
}

static void manifest_front(build *b);

/* A page in the parent, which first writes the front of the manifest
 * (once: manifest_front). */
static void
site_job_parent(void *ctx, uint32_t j)
{
	site_jobs *sj = ctx;

	manifest_front(sj->b);
	site_job_here(ctx, j);
}

static int
site_job_report(void *ctx, wp_buf *out)
{
	site_jobs *sj = ctx;

	wp_buf_put(out, sj->report.data, sj->report.len);
	return 0;
}

/* A report: for each page, "J HEX IO HELD N\n" (its digest, or "-" when
 * it was not written; the summaries its process held at most) and N
 * problems. */
static void
site_job_merge(void *ctx, const char *text, size_t len)
{
	site_jobs *sj = ctx;
	const char *p = text, *end = text + len;
	char *e;
	unsigned long j, n, held;
	int io;

	while (p < end) {
		j = strtoul(p, &e, 10);
		if (e == p || j >= sj->njobs)
			break;
		p = e;
		if (end - p >= 34 && p[0] == ' ' && p[33] == ' ' &&
		    strspn(p + 1, "0123456789abcdef") >= 32) {
			memcpy(sj->hex[j], p + 1, 32);
			sj->hex[j][32] = '\0';
			sj->ok[j] = 1;
			p += 33;
		} else if (end - p >= 3 && p[0] == ' ' && p[1] == '-' &&
		    p[2] == ' ') {
			p += 2;
		} else {
			break;
		}
		io = (int)strtol(p + 1, &e, 10);
		if (e == p + 1 || *e != ' ')
			break;
		p = e + 1;
		held = strtoul(p, &e, 10);
		if (e == p || *e != ' ')
			break;
		p = e + 1;
		n = strtoul(p, &e, 10);
		if (e == p || *e != '\n')
			break;
		p = e + 1;
		sj->io_failed[j] = io;
		sj->held[j] = held;
		if (wp_diags_unpack(&sj->diags[j], &p, end, n) != 0)
			break;
	}
	if (p != end) {
		wp_diag_add(sj->b->d, WP_ERROR, sj->b->out.path, 0, 0,
		    "internal-error", "a site page worker's report is "
		    "unreadable");
		sj->b->io_failed = 1;
	}
}

static int reported_by_another_worker(const wp_diags *d, const wp_diag *g);

static void
site_pages_parallel(build *b, site_jobs *sj)
{
	static const wp_workers_ops ops = {NULL, site_job_run,
	    site_job_report, site_job_merge, site_job_parent};
	uint32_t *todo = xcalloc(sj->njobs, sizeof *todo);
	size_t j, k, i, t = 0;
	int which;

	sj->ok = xcalloc(sj->njobs, sizeof *sj->ok);
	sj->hex = xcalloc(sj->njobs, sizeof *sj->hex);
	sj->io_failed = xcalloc(sj->njobs, sizeof *sj->io_failed);
	sj->held = xcalloc(sj->njobs, sizeof *sj->held);
	sj->diags = xcalloc(sj->njobs, sizeof *sj->diags);
	/* (the coverage pages first, the longest; of each page the site's
	 * language last: the parent, which writes the manifest's front
	 * too, takes the first job, as a rule, and the site's language
	 * has the most, each service's source edition) */
	for (which = sj->pages - 1; which >= 0; which--)
		for (k = sj->n; k > 0; k--)
			todo[t++] = (uint32_t)((k - 1) * (size_t)sj->pages +
			    (size_t)which);
	for (j = 0; j < sj->njobs; j++) {
		wp_diags_init(&sj->diags[j]);
		sj->diags[j].strict = b->d->strict;
	}
	b->store.shared = 1;    /* (the workers append to it) */
	if (wp_workers_run((size_t)b->o->jobs, todo, sj->njobs, &ops, sj,
	    "site page worker", b->out.path, b->d) > 0)
		b->io_failed = 1;
	for (j = 0; j < sj->njobs; j++) {
		k = j / (size_t)sj->pages;
		for (i = 0; i < sj->diags[j].len; i++)
			if (!reported_by_another_worker(b->d,
			    &sj->diags[j].items[i]))
				wp_diag_copy(b->d, &sj->diags[j].items[i]);
		if (sj->io_failed[j])
			b->io_failed = 1;
		/* (what the build held: in whichever process, WPGEN_BUILD_STATS) */
		if (sj->held[j] > b->store.held_max)
			b->store.held_max = sj->held[j];
		if (sj->ok[j])
			site_page_record(b, (int)(j % (size_t)sj->pages),
			    sj->langs[k], k == 0, sj->hex[j]);
		wp_diags_free(&sj->diags[j]);
	}
	free(sj->diags);
	free(sj->held);
	free(sj->io_failed);
	free(sj->hex);
	free(sj->ok);
	free(todo);
}

/* The summaries of the site pages (page.h): those of the editions that
 * have one, from the store or from their entries. */
static void unreadable_summary(build *b, const wp_manifest_entry *e);

typedef struct site_sums {
	build *b;
	wp_manifest_entry **entries;
	unsigned char *said;      /* unreadable, said */
} site_sums;

/* Summary i whole, or its head only (page.h). */
static const wp_summary *
site_sum_read(site_sums *x, size_t i, int head)
{
	wp_manifest_entry *e = x->entries[i];
	const wp_summary *s;
	int stored;

	s = wp_manifest_entry_site_summary(e, head, &stored);
	/* (the store cannot be read back: said once) */
	if (s == NULL && stored && !x->b->io_failed) {
		wp_diag_add(x->b->d, WP_ERROR, x->b->out.path, 0, 0,
		    "io-error", "cannot read back the summary of %s/%s "
		    "from the build directory", e->service, e->lang);
	} else if (s == NULL && !stored && !x->said[i]) {
		unreadable_summary(x->b, e);
		x->said[i] = 1;
	}
	if (s == NULL) {
		x->b->io_failed = 1;
		s = wp_summary_new();
	}
	return s;
}

static const wp_summary *
site_sum_get(void *ctx, size_t i)
{
	return site_sum_read(ctx, i, 0);
}

static const wp_summary *
site_sum_head(void *ctx, size_t i)
{
	return site_sum_read(ctx, i, 1);
}

static void
site_sum_put(void *ctx, size_t i, const wp_summary *s)
{
	site_sums *x = ctx;
	wp_manifest_entry *e = x->entries[i];

	if (s != e->summary)
		wp_summary_store_release(&x->b->store, (wp_summary *)s);
}

/* The site index and the coverage page in each language:
 * index.LANG.html and coverage.LANG.html, and index.html and
 * coverage.html in the site's language (the same pages as its
 * .LANG.html, so that an edition can link the index in its own language
 * without knowing which language the site's is). */
static void
write_site_pages(build *b, wp_site_summaries *sums)
{
	site_jobs sj;
	char hex[33];
	size_t i;
	int which;

	memset(&sj, 0, sizeof sj);
	sj.b = b;
	sj.sums = sums;
	sj.langs = wp_page_index_langs(sums, &sj.n);
	sj.pages = wp_page_has_coverage(b->site, sums) ? SITE_PAGES : 1;
	/* (the facts read every summary: one that does not read fails
	 * the build, and no page is made) */
	if (b->d->errors > 0)
		sj.n = 0;
	sj.njobs = sj.n * (size_t)sj.pages;
	if (b->o->jobs > 1 && sj.njobs > 1) {
		site_pages_parallel(b, &sj);
	} else {
		for (i = 0; i < sj.n; i++)
			for (which = 0; which < sj.pages; which++)
				if (site_page_write(b, sums, which,
				    sj.langs[i], i == 0, hex) == 0)
					site_page_record(b, which, sj.langs[i],
					    i == 0, hex);
	}
	wp_buf_free(&sj.report);
	wp_strv_free(sj.langs);
}

/*
 * A kept summary whose records do not read, though its bytes have the
 * digest the manifest recorded (manifest.h): a manifest wpgen did not
 * write.  The build fails (out/ is left as it was) and the manifest is
 * removed, so that the next build is a full one.
 */
static void
unreadable_summary(build *b, const wp_manifest_entry *e)
{
	char *path = wp_path_join(b->out.path, WP_MANIFEST_NAME);

	unlink(path);
	wp_diag_add(b->d, WP_ERROR, path, 0, 0, "internal-error",
	    "the summary of %s (%s) kept in the build manifest does not "
	    "read, though it has the digest recorded (a manifest wpgen did "
	    "not write?): the manifest was removed; build again (a full "
	    "build)", e->service, e->lang);
	b->io_failed = 1;
	free(path);
}

/* The site pages from the summaries of the editions (those that were
 * rendered): the pages make their values a card or a row at a time. */
static void
build_site_pages(build *b)
{
	site_sums x = {b, NULL, NULL};
	wp_site_summaries sums;
	size_t i;

	/* The editions with a summary: kept in the store (those of editions
	 * made in this build), or read from their records when got. */
	memset(&sums, 0, sizeof sums);
	x.entries = xcalloc(b->now.nedit + 1, sizeof *x.entries);
	x.said = xcalloc(b->now.nedit + 1, 1);
	for (i = 0; i < b->now.nedit; i++)
		if (wp_manifest_entry_has_summary(b->now.editions[i]))
			x.entries[sums.n++] = b->now.editions[i];
	sums.get = site_sum_get;
	sums.head = site_sum_head;
	sums.put = site_sum_put;
	sums.ctx = &x;
	sums.scratch = &b->store;
	b->entry = b->now.site;
	if (b->d->errors == 0)
		write_site_pages(b, &sums);
	b->entry = NULL;
	wp_site_summaries_done(&sums);
	free(x.entries);
	free(x.said);
}

/* A job a service, but for those that cannot be built (diagnosed); a
 * service the project knows unread is a job too (read_job). */
static job *
plan_jobs(build *b, size_t *njobs)
{
	wp_project *p = b->project;
	job *jobs;
	const wp_style *st;
	wp_project_service *ps;
	size_t i, j, k = 0;

	for (i = 0; i < p->nservices; i++)
		for (j = 0; j < p->services[i].nlangs; j++)
			if (wp_project_lang_selected(p,
			    p->services[i].langs[j]))
				b->total++;
	jobs = xcalloc(p->nservices + 1, sizeof *jobs);
	for (i = 0; i < p->nservices; i++) {
		ps = &p->services[i];
		for (st = ps->style; st; st = st->parent)
			want_assets(b, st->name);
		if (ps->style == NULL || (ps->lock == NULL && !ps->known))
			continue;
		if (ps->svc && (wp_service_has_refs(ps->svc) ||
		    wants_pdf(b, ps->svc)))
			b->unquick = 1;
		jobs[k].ps = ps;
		jobs[k].svc = ps->svc;
		jobs[k].style = ps->style;
		jobs[k++].lock = ps->lock;
	}
	*njobs = k;
	return jobs;
}

/* What every page needs, read once before the editions (worker processes
 * inherit it); its problems are kept in the manifest, for a build that
 * makes no page. */
static void
prepare_pages(build *b, job *jobs, size_t njobs)
{
	const wp_project_service *ps;
	size_t i, j, from = b->d->len;
	wp_strset seen;
	char *pair;

	wp_manifest_entry_free(b->now.prepare);
	b->now.prepare = wp_manifest_entry_new(NULL, NULL);
	wp_strset_init(&seen);
	for (i = 0; i < njobs; i++) {
		ps = jobs[i].ps;
		for (j = 0; j < ps->nlangs; j++) {
			if (!wp_project_lang_selected(b->project, ps->langs[j]))
				continue;
			/* once a style and language */
			pair = xasprintf("%s\n%s", jobs[i].style->name,
			    ps->langs[j]);
			if (wp_strset_add(&seen, pair))
				wp_page_prepare(b->site, jobs[i].style,
				    ps->langs[j], b->d);
			free(pair);
		}
	}
	wp_strset_free(&seen);
	for (; from < b->d->len; from++)
		wp_manifest_entry_diag(b->now.prepare, 0, &b->d->items[from]);
}

/* The digest of this program for the manifest (manifest.h), once. */
static void
program_digest(build *b)
{
	if (b->now.tool[0] == '\0')
		wp_program_digest(b->have_old ? &b->old : NULL, b->in.t0,
		    b->now.tool, &b->now.exe);
}

/* The catalogs, packed for the next build (catpack.h), once: a full
 * build puts them into its new out/, whether it read them from XML or
 * from the packing in the out/ it replaces.  An incremental build reads
 * them from there, or from XML when they were removed since (a build
 * with other catalogs is a full one).  Not written, they are read from
 * XML again: nothing else follows. */
static void
keep_catalogs(build *b)
{
	char *path;

	if (b->catalogs_kept || b->tmp == NULL || b->have_old ||
	    b->site->catalogs->cache_key == NULL)
		return;
	b->catalogs_kept = 1;
	path = wp_path_join(b->tmp, WP_CATPACK_NAME);
	wp_catpack_write(b->site->catalogs, path);
	free(path);
}

/* What a full build does that no service waits for: in the parallel
 * phase, by the parent before its first service (the worker takes one
 * more meanwhile), not in the serial head; else after the services,
 * before anything is written that needs it.  The program's digest when
 * no manifest was there to compare it with (2 MB of /proc/self/exe
 * read: 1.2 ms), the catalogs packed. */
static void
parent_extras(build *b)
{
	program_digest(b);
	keep_catalogs(b);
}

/*
 * Parallel builds: worker processes (workers.h) take the services one at
 * a time and write their pages into the same temporary directory; their
 * summaries and diagnostics come back as a manifest (JSON), put back in
 * edition order by the parent so that the output is the same as a
 * serial build.
 */
typedef struct parallel {
	build *b;
	job *jobs;
	size_t njobs;
	entry_list mine;        /* a worker's editions */
	size_t first, dfirst;   /* its first file and directory noted */
	wp_filecache_item *before, *dbefore;  /* the files and directories
	                           noted before it began, as they were */
} parallel;

/* A copy of c's first n records (their paths borrowed). */
static wp_filecache_item *
records_copy(const wp_filecache *c, size_t n)
{
	wp_filecache_item *v = xcalloc(n + 1, sizeof *v);

	memcpy(v, c->items, n * sizeof *v);
	return v;
}

/*
 * Puts into to the records a worker noted: those of from after its
 * first, and those before it (noted by the parent before the worker
 * began) that the worker noted again otherwise.  A service's directory
 * is one: the parent notes it among the content's (note_dir: its names
 * digested only when not settled), the service's walk with the digest
 * of its names, or as changed under the build (a lock removed); the
 * parent's own walks change its record in place, and so must the
 * worker's, or the manifest would depend on which process built the
 * service.
 */
static void
report_noted(wp_filecache *to, const wp_filecache *from, size_t first,
    const wp_filecache_item *before)
{
	const wp_filecache_item *it;
	size_t i;

	for (i = 0; i < from->len; i++) {
		it = &from->items[i];
		if (i < first && strcmp(it->hex, before[i].hex) == 0 &&
		    it->trusted == before[i].trusted &&
		    wp_filestat_same(&it->st, &before[i].st))
			continue;
		wp_filecache_put(to, it->path, it->hex, &it->st, it->trusted);
	}
}

static void
worker_start(void *ctx)
{
	parallel *pl = ctx;
	build *b = pl->b;

	wp_diags_free(b->d);
	b->progress = 0;
	b->unchanged = 0;
	b->cur = &pl->mine;
	pl->first = b->now.files.len;
	pl->dfirst = b->now.dirs.len;
	pl->before = records_copy(&b->now.files, pl->first);
	pl->dbefore = records_copy(&b->now.dirs, pl->dfirst);
	/* (records it keeps in the store: its own only) */
	free(b->now.file_chunks);
	free(b->now.dir_chunks);
	b->now.file_chunks = b->now.dir_chunks = NULL;
	b->now.nfile_chunks = b->now.ndir_chunks = 0;
}

static void
worker_run(void *ctx, uint32_t k)
{
	parallel *pl = ctx;

	pl->b->cur_job = (long)k;
	build_service(pl->b, &pl->jobs[k]);
}

static int
worker_report(void *ctx, wp_buf *out)
{
	parallel *pl = ctx;
	build *b = pl->b;
	wp_manifest rep;

	wp_manifest_init(&rep);
	rep.editions = pl->mine.items;
	rep.nedit = pl->mine.len;
	/* The input files this worker read or knew by their stat data,
	 * and the directories it listed, with the digest of their names
	 * (what a no-op compares when their stat data were not settled). */
	report_noted(&rep.files, &b->now.files, pl->first, pl->before);
	report_noted(&rep.dirs, &b->now.dirs, pl->dfirst, pl->dbefore);
	free(pl->before);
	free(pl->dbefore);
	pl->before = pl->dbefore = NULL;
	rep.volatile_seen = b->in.volatile_seen;
	rep.stored_refs = 1;
	/* (those kept in the store: borrowed) */
	rep.chunks_store = &b->store;
	rep.file_chunks = b->now.file_chunks;
	rep.nfile_chunks = b->now.nfile_chunks;
	rep.dir_chunks = b->now.dir_chunks;
	rep.ndir_chunks = b->now.ndir_chunks;
	rep.reports = b->d->items;
	rep.nreports = b->d->len;
	rep.unchanged = b->unchanged;
	wp_manifest_write(&rep, out);
	rep.reports = NULL;
	rep.nreports = 0;
	rep.file_chunks = rep.dir_chunks = NULL;
	rep.nfile_chunks = rep.ndir_chunks = 0;
	wp_manifest_free(&rep);
	return 0;
}

/*
 * A template's problem (a template that does not compile or render, a
 * partial that cannot be read) is reported once per process
 * (mustache.c); two workers that render the same template both find it.
 * It is one problem.  Editions are each built by one worker, so nothing
 * else can repeat.
 */
static int
reported_by_another_worker(const wp_diags *d, const wp_diag *g)
{
	size_t i;

	if (strcmp(g->code, "template-error") != 0 &&
	    strcmp(g->code, "io-error") != 0)
		return 0;
	for (i = 0; i < d->len; i++)
		if (d->items[i].line == g->line &&
		    d->items[i].column == g->column &&
		    strcmp(d->items[i].code, g->code) == 0 &&
		    strcmp(d->items[i].file, g->file) == 0 &&
		    strcmp(d->items[i].message, g->message) == 0)
			return 1;
	return 0;
}

static void
add_chunk(wp_manifest_chunk **v, size_t *n, const wp_manifest_chunk *c)
{
	*v = xrealloc(*v, (*n + 1) * sizeof **v);
	(*v)[(*n)++] = *c;
}

static void
merge_worker(void *ctx, const char *text, size_t len)
{
	parallel *pl = ctx;
	build *b = pl->b;
	wp_manifest r;
	wp_manifest_entry *e;
	const wp_filecache_item *it;
	const wp_diag *g;
	size_t i;

	if (wp_manifest_parse(&r, text, len) != 0) {
		wp_diag_add(b->d, WP_ERROR, b->out.path, 0, 0,
		    "internal-error", "a build worker's report is unreadable");
		b->io_failed = 1;
		return;
	}
	b->unchanged += r.unchanged;
	for (i = 0; i < r.nedit; i++) {
		e = r.editions[i];
		if (e->job < 0 || (size_t)e->job >= pl->njobs) {
			wp_manifest_entry_free(e);
			continue;
		}
		/* (its summary, its records in the store the worker
		 * shares) */
		if ((e->store_len > 0 && e->summary == NULL &&
		    e->summary_text == NULL) || e->records_len > 0)
			e->store = &b->store;
		entry_list_push(&b->per_job[e->job], e);
		b->pages++;
	}
	r.nedit = 0;
	for (i = 0; i < r.files.len; i++) {
		it = &r.files.items[i];
		wp_filecache_put(&b->now.files, it->path, it->hex, &it->st,
		    it->trusted);
	}
	for (i = 0; i < r.dirs.len; i++) {
		it = &r.dirs.items[i];
		wp_filecache_put(&b->now.dirs, it->path, it->hex, &it->st,
		    it->trusted);
	}
	for (i = 0; i < r.nfile_chunks; i++)
		add_chunk(&b->now.file_chunks, &b->now.nfile_chunks,
		    &r.file_chunks[i]);
	for (i = 0; i < r.ndir_chunks; i++)
		add_chunk(&b->now.dir_chunks, &b->now.ndir_chunks,
		    &r.dir_chunks[i]);
	if (r.nfile_chunks || r.ndir_chunks)
		b->now.chunks_store = &b->store;
	if (r.volatile_seen)
		b->in.volatile_seen = 1;
	for (i = 0; i < r.nreports; i++) {
		g = &r.reports[i];
		if (reported_by_another_worker(b->d, g))
			continue;
		wp_diag_again(b->d, g);
	}
	wp_manifest_free(&r);
}

/* A job the parent takes, as a serial build does it. */
static void
parent_run(void *ctx, uint32_t k)
{
	parallel *pl = ctx;

	parent_extras(pl->b);
	pl->b->cur = &pl->b->per_job[k];
	pl->b->cur_job = (long)k;
	build_service(pl->b, &pl->jobs[k]);
}

/* Builds the jobs not taken from the previous build (todo, n of them),
 * the parent one of the workers. */
static void
build_parallel(build *b, job *jobs, size_t njobs, const uint32_t *todo,
    size_t n)
{
	static const wp_workers_ops ops = {worker_start, worker_run,
	    worker_report, merge_worker, parent_run};
	parallel pl = {b, jobs, njobs, {NULL, 0}, 0, 0, NULL, NULL};
	int progress = b->progress;

	b->progress = 0;        /* it would count the parent's alone */
	b->store.shared = 1;    /* (the workers append to it) */
	if (wp_workers_run((size_t)b->o->jobs, todo, n, &ops, &pl,
	    "build worker", b->out.path, b->d) > 0)
		b->io_failed = 1;
	b->progress = progress;
	b->done = b->total;
}

/* A directory whose listing the build depends on, with its stat data
 * (and the digest of its names while they cannot stand for them). */
static void
note_dir(build *b, const char *dir)
{
	wp_filestat st;
	char hex[33] = "";
	int settled;

	if (wp_filestat_dir(dir, &st) != 0)
		return;
	settled = wp_filestat_settled(&st, b->in.t0);
	if (!settled && wp_listing_digest(dir, hex) != 0)
		hex[0] = '\0';
	wp_filecache_put(&b->now.dirs, dir, hex, &st, settled);
}

/* What every page depends on: the templates, the catalogs, the files at
 * the top of the content directory (site.yaml), SOURCE_DATE_EPOCH. */
static void
digest_global(build *b)
{
	const char *epoch = getenv("SOURCE_DATE_EPOCH");
	char **names, *path;
	size_t i;

	wp_digest_init(&b->global);
	wp_digest_add_str(&b->global, epoch ? epoch : "(unset)");
	/* --pdf: the pages link their PDF, which is among their outputs. */
	wp_digest_add_str(&b->global, b->o->pdf ? "pdf" : "(no pdf)");
	/* Diagnostics kept in the manifest name files by these paths. */
	wp_digest_add_str(&b->global, b->site->content_dir);
	wp_digest_add_str(&b->global, b->site->templates_dir);
	wp_inputs_tree(&b->in, &b->global, b->site->templates_dir, NULL);
	wp_inputs_tree(&b->in, &b->global, b->site->catalogs_dir, NULL);
	note_dir(b, b->site->content_dir);
	names = wp_dir_names(b->site->content_dir, NULL, NULL);
	for (i = 0; names && names[i]; i++) {
		path = wp_path_join(b->site->content_dir, names[i]);
		if (wp_is_file(path))
			wp_inputs_file(&b->in, &b->global, path, names[i]);
		else
			note_dir(b, path);   /* a service.yaml put into it
			                        makes it a service */
		free(path);
	}
	wp_strv_free(names);
	wp_digest_hex(&b->global, b->now.global);
}

/* ---- the summaries kept for the next build (out/'s store) ---- */

/* Whether the site pages will be made again: not from the summaries
 * the previous ones were made from, or not in out/ as written. */
static int
site_wanted(build *b)
{
	wp_manifest_entry *e;
	char inputs[33];
	int intact;

	if (!b->have_old || b->old.site == NULL)
		return 1;
	site_inputs(b, inputs);
	if (strcmp(inputs, b->old.site->inputs) != 0)
		return 1;
	e = wp_manifest_entry_copy(b->old.site);
	intact = outputs_intact(b, e);
	wp_manifest_entry_free(e);
	return !intact;
}

/* Builds the jobs marked in redo again, in this process: their editions
 * dropped (they were kept from the previous build, or built) and made
 * anew, in their place among the others. */
static void
rebuild_jobs(build *b, job *jobs, size_t njobs, const unsigned char *redo)
{
	unsigned char *src_said = xcalloc(njobs + 1, 1);
	wp_manifest_entry *e;
	size_t i;

	for (i = 0; i < b->now.nedit; i++) {
		e = b->now.editions[i];
		if (!redo[e->job]) {
			entry_list_push(&b->per_job[e->job], e);
			continue;
		}
		b->pages--;
		if (e->kept)
			b->unchanged--;
		unsay_diags(b->d, e, !src_said[e->job]);
		src_said[e->job] = 1;
		wp_manifest_entry_free(e);
	}
	free(src_said);
	free(b->now.editions);
	b->now.editions = NULL;
	b->now.nedit = 0;
	/* (a worker's kept editions are still in b->old, their summaries
	 * unread: none is kept again) */
	b->rebuilding = 1;
	for (i = 0; i < njobs; i++) {
		if (!redo[i])
			continue;
		b->cur = &b->per_job[i];
		b->cur_job = (long)i;
		build_service(b, &jobs[i]);
	}
	b->rebuilding = 0;
	gather_editions(b, njobs);
}

/*
 * The site pages are made again: the summaries of the editions kept
 * from the previous build, which lie in out/'s store unread, are read
 * now, each checked by its digest (manifest.h).  The service of one that
 * is not as recorded is built again, here: never a site page made from
 * a summary that is not the one its edition's inputs make.
 */
static void
read_kept_summaries(build *b, job *jobs, size_t njobs)
{
	unsigned char *redo = xcalloc(njobs + 1, 1);
	wp_manifest_entry *e;
	size_t i;
	int any = 0;

	for (i = 0; i < b->now.nedit; i++) {
		e = b->now.editions[i];
		if (wp_manifest_entry_read_summary(e, b->old.sums) == 0)
			continue;
		if (e->job < 0 || (size_t)e->job >= njobs) {
			wp_diag_add(b->d, WP_ERROR, b->out.path, 0, 0,
			    "internal-error", "the summary of %s (%s) cannot "
			    "be read back from %s, and its service is not "
			    "known: build again", e->service, e->lang,
			    WP_STORE_NAME);
			b->io_failed = 1;
			continue;
		}
		redo[e->job] = 1;
		any = 1;
	}
	if (any && b->d->errors == 0)
		rebuild_jobs(b, jobs, njobs, redo);
	free(redo);
}

/* The name of a new store: the digest of what it is made to hold (each
 * edition's summary by its digest, in order), so that two builds that
 * keep the same summaries make the same store, and a store of other
 * summaries has another name. */
static void
store_id(build *b, char id[33])
{
	wp_digest h;

	wp_digest_init(&h);
	wp_digest_add_str(&h, "wpgen store");
	digest_summaries(b, &h);
	wp_digest_hex(&h, id);
}

/* A new store in tmp/ holding every edition's summary (from: the old
 * store, where the kept ones lie).  0, or -1 with errno. */
static int
new_store(build *b, wp_summary_store *from)
{
	char id[33], *path = wp_path_join(b->tmp, WP_STORE_NAME);
	wp_summary_store st;
	int rc, e;

	store_id(b, id);
	rc = wp_summary_store_create(&st, path, id);
	if (rc == 0)
		rc = wp_manifest_put_summaries(&b->now, &st, from);
	e = errno;
	wp_summary_store_close(&st);
	free(path);
	b->new_store = rc == 0 && b->have_old;
	errno = e;
	return rc;
}

/* An edition built again whose summary has the digest the previous
 * build recorded keeps the bytes recorded: nothing to append. */
static void
same_summaries(build *b)
{
	wp_manifest_entry *e, *old;
	char hex[33];
	size_t i;

	for (i = 0; i < b->now.nedit; i++) {
		e = b->now.editions[i];
		if (e->kept || e->sum_len > 0 ||
		    !wp_manifest_entry_has_summary(e) ||
		    (old = old_entry(b, e->service, e->lang)) == NULL ||
		    old->sum_len == 0)
			continue;
		wp_manifest_entry_summary_digest(e, hex);
		if (strcmp(hex, old->sum_hex) != 0)
			continue;
		e->sum_at = old->sum_at;
		e->sum_len = old->sum_len;
		memcpy(e->sum_hex, old->sum_hex, sizeof e->sum_hex);
	}
}

/*
 * The summaries of this build's editions into out/'s store, before the
 * manifest that points into it is written.  A full build makes a new
 * store in tmp/ (which becomes out/).  An incremental one appends those
 * that changed to the previous build's store (the previous manifest,
 * which points to bytes before them, stays right until it is
 * replaced), unless that one cannot be used or then holds more dead
 * bytes than live ones: a new one in tmp/ then, which replaces it once
 * the previous manifest is gone (store_into_out).  0, or -1 with errno.
 */
static int
put_summaries(build *b)
{
	wp_summary_store *old = b->have_old ? b->old.sums : NULL;
	long long live;

	b->summaries_put = 1;
	if (old == NULL || old->fd < 0)
		return new_store(b, NULL);
	same_summaries(b);
	if (wp_manifest_put_summaries(&b->now, old, NULL) != 0)
		return -1;
	live = wp_manifest_summaries_live(&b->now);
	if (old->end - (long long)WP_STORE_HEAD - live <= live)
		return 0;
	return new_store(b, old);
}

/* The new store of an incremental build into out/. */
static int
store_into_out(build *b)
{
	char *from = wp_path_join(b->tmp, WP_STORE_NAME);
	char *to = wp_path_join(b->out.path, WP_STORE_NAME);
	int rc = rename(from, to);

	free(from);
	free(to);
	return rc;
}

/* ---- the end of a build ---- */

/*
 * What the next build needs to decide, without opening the project, that
 * nothing changed (wp_build_unchanged): the key of this build's options,
 * the number of editions and the project's problems.  Not when a change
 * could escape the stat data: editions that link git refs, PDFs (the
 * tools to make them are not inputs), symbolic links among the inputs.
 */
static void
note_quick(build *b)
{
	size_t i;

	b->now.quick[0] = '\0';
	wp_manifest_entry_free(b->now.project);
	b->now.project = NULL;
	if (b->o->key == NULL || b->unquick || b->o->pdf ||
	    b->in.volatile_seen)
		return;
	snprintf(b->now.quick, sizeof b->now.quick, "%s", b->o->key);
	b->now.total = b->total;
	b->now.project = wp_manifest_entry_new(NULL, NULL);
	for (i = 0; i < b->o->project_diags && i < b->d->len; i++)
		wp_manifest_entry_diag(b->now.project, 0, &b->d->items[i]);
}

static char *
manifest_text(build *b, size_t *len)
{
	wp_buf out = WP_BUF_INIT;

	note_quick(b);
	/* About the previous one's size: one buffer, not twelve doublings
	 * of a 2 MB text copied each time. */
	if (b->have_old && b->old.self.size > 0)
		wp_buf_grow(&out, (size_t)b->old.self.size + 65536);
	wp_manifest_write(&b->now, &out);
	*len = out.len;
	return wp_buf_detach(&out);
}

static int
writer_put(void *data, const char *s, size_t len)
{
	return wp_file_writer_put(data, s, len);
}

/* Opens the manifest at path (a temporary file renamed into place when
 * committed) and writes its front (wp_manifest_stream_begin: all but
 * the site's and the assets' entries and what follows), into b->front;
 * manifest_back() writes the rest.  0 or -1 with errno. */
static int
manifest_open(build *b, const char *path)
{
	int e;

	note_quick(b);
	b->manifest.fd = -1;
	if (!b->summaries_put && put_summaries(b) != 0)
		return -1;
	if (wp_file_writer_open(&b->manifest, path) != 0)
		return -1;
	b->front = wp_manifest_stream_begin(&b->now, writer_put, &b->manifest);
	if (b->front == NULL) {
		e = errno;
		wp_file_writer_abort(&b->manifest);
		errno = e;
		return -1;
	}
	return 0;
}

/* The manifest whose front manifest_front() wrote: the rest, and the
 * file put in place.  0, or -1 with errno. */
static int
manifest_back(build *b)
{
	int rc, e;

	if (b->front == NULL)
		return -1;
	rc = wp_manifest_stream_end(b->front, &b->now);
	b->front = NULL;
	if (rc != 0) {
		e = errno;
		wp_file_writer_abort(&b->manifest);
		errno = e;
		return -1;
	}
	return wp_file_writer_commit(&b->manifest);
}

/* The manifest into path, streamed as it is written: it is a few
 * kilobytes an edition.  0 or -1 with errno. */
static int
write_manifest(build *b, const char *path)
{
	return manifest_open(b, path) == 0 ? manifest_back(b) : -1;
}

/*
 * A full build's manifest (into tmp/, which becomes out/), its front
 * written while the site pages are made (by the parent, which makes the
 * lighter share of them: site_pages_parallel): the editions' summaries
 * and records (manifest_open), with the outputs' stat data as they are
 * now (the editions' were taken as they were written, the assets' are
 * made: nothing moves them before the swap); then commit_swap() writes
 * the rest.  Failed, the manifest is written whole at the end, which
 * says why it cannot be.
 */
static void
manifest_front(build *b)
{
	char *path;
	size_t i, j;
	wp_manifest_entry *e;

	if (b->have_old || b->tmp == NULL || b->front != NULL ||
	    b->d->errors > 0)
		return;
	for (i = 0; i < b->now.nedit; i++)
		for (j = 0, e = b->now.editions[i]; j < e->nouts; j++)
			stat_in_tmp(b, &e->outs[j]);
	path = wp_path_join(b->tmp, WP_MANIFEST_NAME);
	(void)manifest_open(b, path);
	free(path);
}

/* A front written and not used (the build failed): given up. */
static void
manifest_drop(build *b)
{
	if (b->front == NULL)
		return;
	wp_manifest_stream_end(b->front, NULL);
	b->front = NULL;
	wp_file_writer_abort(&b->manifest);
}

/* Calls fn for every output of this build's entries (but those kept
 * from the previous build, with written). */
static int
each_output(build *b, int (*fn)(build *, wp_manifest_out *), int written)
{
	size_t i, j;
	wp_manifest_entry *e;

	for (i = 0; i < b->now.nedit + 2; i++) {
		e = i < b->now.nedit ? b->now.editions[i] :
		    i == b->now.nedit ? b->now.site : b->now.assets;
		if (e == NULL || (written && e->kept))
			continue;
		for (j = 0; j < e->nouts; j++)
			if (fn(b, &e->outs[j]) != 0)
				return -1;
	}
	return 0;
}

/* The stat data of an output in tmp/ (a build that swaps tmp/ for out/:
 * the files keep them), unless taken when it was written (write_tmp). */
static int
stat_in_tmp(build *b, wp_manifest_out *o)
{
	char *path;

	if (o->st.size >= 0)
		return 0;
	path = wp_path_join(b->tmp, o->rel);

	if (wp_filestat_get(path, &o->st) != 0)
		o->st.size = -1;
	free(path);
	return 0;
}

/*
 * The directories of rel inside out/, each a real directory (not a
 * symbolic link, which could lead outside out/), made when absent with
 * make.  0, or -1 with errno (ENOTDIR: one is not a directory, and its
 * path is then in b->not_dir).
 */
static int
out_dirs(build *b, const char *rel, int make)
{
	char *path = wp_path_join(b->out.path, rel), *slash, *dir;
	size_t base = strlen(b->out.path);
	struct stat st;
	int rc = 0;

	dir = wp_path_dirname(path);
	if (b->last_dir && strcmp(b->last_dir, dir) == 0) {
		free(dir);
		free(path);
		return 0;
	}
	for (slash = strchr(path + base + 1, '/'); rc == 0 && slash;
	    slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		if (lstat(path, &st) == 0) {
			if (!S_ISDIR(st.st_mode)) {
				free(b->not_dir);
				b->not_dir = xstrdup(path);
				errno = ENOTDIR;
				rc = -1;
			}
		} else if (!make || errno != ENOENT || mkdir(path, 0777) != 0) {
			rc = -1;
		}
		*slash = '/';
	}
	if (rc == 0 && make) {
		free(b->last_dir);
		b->last_dir = dir;
		dir = NULL;
	}
	free(dir);
	free(path);
	return rc;
}

/* Says that what lies at b->not_dir, where a directory of out/ should
 * be for rel, is not one. */
static void
say_not_a_directory(build *b, const char *rel)
{
	struct stat st;
	int link = lstat(b->not_dir, &st) == 0 && S_ISLNK(st.st_mode);

	wp_diag_add(b->d, WP_ERROR, b->not_dir, 0, 0, "io-error",
	    "not a directory but %s: %s cannot be put under it; move it "
	    "away and build again", link ? "a symbolic link (which could "
	    "lead outside the output directory)" : "a file", rel);
}

/* Moves an output written in tmp/ to its place in out/. */
static int
move_into_out(build *b, wp_manifest_out *o)
{
	char *from = wp_path_join(b->tmp, o->rel), *to;
	wp_filestat st;
	int rc = 0;

	if (!wp_path_is_inside_rel(o->rel) || wp_filestat_get(from, &st) != 0) {
		free(from);
		return 0;
	}
	to = wp_path_join(b->out.path, o->rel);
	if ((rc = out_dirs(b, o->rel, 1)) != 0 && errno == ENOTDIR) {
		say_not_a_directory(b, o->rel);
	} else if (rc != 0 || (rc = rename(from, to)) != 0) {
		wp_diag_add(b->d, WP_ERROR, to, 0, 0, "io-error",
		    "cannot move the file into place: %s", strerror(errno));
	} else {
		o->st.size = -1;        /* (stat_in_out) */
	}
	if (rc != 0) {
		b->io_failed = 1;
		rc = -1;
	}
	free(to);
	free(from);
	return rc;
}

/* The stat data of an output moved into out/, taken once every output
 * is there: a site page's second name (site_page_alias), moved after
 * the first, changes the ctime of their one file. */
static int
stat_in_out(build *b, wp_manifest_out *o)
{
	char *path;

	if (o->st.size >= 0 || !wp_path_is_inside_rel(o->rel))
		return 0;
	path = wp_path_join(b->out.path, o->rel);
	if (wp_filestat_get(path, &o->st) != 0)
		o->st.size = -1;
	free(path);
	return 0;
}

static int
note_output(build *b, wp_manifest_out *o)
{
	wp_strset_add(&b->outputs, o->rel);
	return 0;
}

/* Removes an output of the previous build that this one did not make,
 * and the directories it leaves empty. */
static void
remove_stale(build *b, const wp_manifest_entry *e)
{
	char *path, *dir, *slash;
	size_t i;

	for (i = 0; e && i < e->nouts; i++) {
		if (!wp_path_is_inside_rel(e->outs[i].rel) ||
		    wp_strset_has(&b->outputs, e->outs[i].rel) ||
		    out_dirs(b, e->outs[i].rel, 0) != 0)
			continue;
		path = wp_path_join(b->out.path, e->outs[i].rel);
		unlink(path);
		dir = xstrdup(e->outs[i].rel);
		while ((slash = strrchr(dir, '/')) != NULL) {
			*slash = '\0';
			free(path);
			path = wp_path_join(b->out.path, dir);
			if (rmdir(path) != 0)
				break;
		}
		free(dir);
		free(path);
	}
}

/*
 * An incremental build puts what it wrote into out/ itself: the files
 * written in tmp/ are renamed into place (each whole, at once), the
 * outputs of the previous build that this one did not make are removed,
 * and the manifest is written last.  The manifest goes first: a build
 * killed on the way leaves out/ without one (each file whole, old or
 * new), and the next build is then a full one.
 */
static int
commit_in_place(build *b)
{
	char *path = wp_path_join(b->out.path, WP_MANIFEST_NAME);
	size_t i;
	int rc = 0, e;

	/* (appended to the store the old manifest points into, which
	 * stays right; a new store replaces the old once the manifest is
	 * gone) */
	if (put_summaries(b) != 0 || (unlink(path) != 0 && errno != ENOENT))
		rc = -1;
	if (rc == 0 && b->new_store && store_into_out(b) != 0) {
		/* (something else where the store goes: a directory) */
		e = errno;
		free(path);
		path = wp_path_join(b->out.path, WP_STORE_NAME);
		wp_diag_add(b->d, WP_ERROR, path, 0, 0, "io-error",
		    "cannot put the new store of summaries in its place: %s; "
		    "move away what is there and build again", strerror(e));
		errno = e;
		rc = -1;
		b->io_failed = 1;
	}
	if (rc == 0)
		rc = each_output(b, move_into_out, 1);
	if (rc == 0) {
		each_output(b, stat_in_out, 1);
		wp_strset_init(&b->outputs);
		each_output(b, note_output, 0);
		for (i = 0; i < b->old.nedit; i++)
			remove_stale(b, b->old.editions[i]);
		remove_stale(b, b->old.site);
		remove_stale(b, b->old.assets);
		wp_strset_free(&b->outputs);
		rc = write_manifest(b, path);
	}
	if (rc != 0 && !b->io_failed)
		wp_diag_add(b->d, WP_ERROR, path, 0, 0, "io-error",
		    "cannot update the build manifest: %s", strerror(errno));
	free(path);
	wp_outdir_abort(&b->out);
	return rc;
}

/* A build into a new directory: the manifest into it, then the swap. */
static int
commit_swap(build *b)
{
	char *path = wp_path_join(b->tmp, WP_MANIFEST_NAME), *shown;

	each_output(b, stat_in_tmp, 0);
	if ((b->front ? manifest_back(b) : write_manifest(b, path)) != 0) {
		shown = wp_path_join(b->out.path, WP_MANIFEST_NAME);
		wp_diag_add(b->d, WP_ERROR, shown, 0, 0, "io-error",
		    "cannot write the file: %s", strerror(errno));
		free(shown);
		b->io_failed = 1;
	}
	free(path);
	if (b->d->errors > 0)
		return -1;
	if (wp_outdir_commit(&b->out) != 0) {
		wp_diag_add(b->d, WP_ERROR, b->out.path, 0, 0, "io-error",
		    "cannot move %s into place: %s", b->tmp, strerror(errno));
		return -1;
	}
	return 0;
}

/* The style assets and the site pages, from the previous build when they
 * would be the same (else made, when tmp/ is there): 1 when both were. */
static int
finish_site(build *b, int reuse_assets)
{
	int same;

	wp_manifest_entry_free(b->now.assets);
	b->now.assets = NULL;
	same = build_assets(b, reuse_assets);
	wp_manifest_entry_free(b->now.site);
	b->now.site = wp_manifest_entry_new(NULL, NULL);
	site_inputs(b, b->now.site->inputs);
	if (!reuse_site(b)) {
		same = 0;
		if (b->tmp)
			build_site_pages(b);
	}
	return same;
}

/*
 * Nothing changed: the same editions as the previous build, all taken
 * from it, and the same site pages and assets.  Then out/ is left as it
 * is; only the manifest is written again when what it knows of the
 * files changed (a file touched, not changed).
 */
static int
unchanged_build(build *b, size_t njobs)
{
	size_t i, len, oldlen;
	char *path, *text, *old;
	int same;

	gather_editions(b, njobs);
	if (b->now.nedit != b->old.nedit)
		return 0;
	for (i = 0; i < b->now.nedit; i++)
		if (strcmp(b->now.editions[i]->service,
		    b->old.editions[i]->service) != 0 ||
		    strcmp(b->now.editions[i]->lang,
		    b->old.editions[i]->lang) != 0)
			return 0;
	if (!finish_site(b, 1))
		return 0;
	/* The manifest is written again only when what it knows of the
	 * files changed (stat data, files settled since). */
	path = wp_path_join(b->out.path, WP_MANIFEST_NAME);
	text = manifest_text(b, &len);
	old = wp_read_own_file(path, &oldlen);
	same = old && oldlen == len && memcmp(old, text, len) == 0;
	if (!same && wp_write_file(path, text, len) != 0) {
		wp_diag_add(b->d, WP_ERROR, path, 0, 0, "io-error",
		    "cannot update the build manifest: %s", strerror(errno));
		b->io_failed = 1;
	}
	free(old);
	free(text);
	free(path);
	return 1;
}

int
wp_build(wp_project *project, const wp_build_opts *o, wp_diags *d,
    wp_build_result *result)
{
	size_t i, njobs = 0, ntodo = 0;
	job *jobs;
	uint32_t *todo;
	build bb, *b = &bb;
	struct timespec t0;
	int rc, prepared;

	memset(b, 0, sizeof *b);
	b->store.fd = -1;
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
	wp_manifest_init(&b->now);
	clock_gettime(CLOCK_REALTIME, &t0);
	b->in.t0 = (long long)t0.tv_sec * 1000000000LL + t0.tv_nsec;
	/* Read already (wp_build_unchanged), unless out/ changed since. */
	if (o->manifest && wp_manifest_current(o->manifest,
	    project->out_dir)) {
		b->old = *o->manifest;
		wp_manifest_init(o->manifest);
		b->have_old = 1;
	} else {
		b->have_old = wp_manifest_load(&b->old, project->out_dir) == 0;
	}
	/* (without a manifest to compare it with, it waits: parent_extras) */
	if (b->have_old)
		program_digest(b);
	/* A manifest of another program: a full build. */
	if (b->have_old && strcmp(b->old.tool, b->now.tool) != 0) {
		wp_manifest_free(&b->old);
		wp_manifest_init(&b->old);
		b->have_old = 0;
	}
	b->in.old = b->have_old ? &b->old.files : NULL;
	b->in.seen = &b->now.files;
	b->in.dirs = &b->now.dirs;
	b->in.keep = ".md";
	b->in.kept = keep_text;
	digest_global(b);
	b->nglobal = b->now.files.len;
	/* Other templates, catalogs, site files or options: every page is
	 * made again, into a new directory. */
	if (b->have_old && strcmp(b->old.global, b->now.global) != 0) {
		wp_manifest_free(&b->old);
		wp_manifest_init(&b->old);
		b->have_old = 0;
	}
	/* The store of the summaries of the editions it may keep (read
	 * only when the site pages are made again). */
	if (b->have_old && wp_manifest_open_store(&b->old,
	    project->out_dir) == 0)
		memcpy(b->now.store_id, b->old.store_id,
		    sizeof b->now.store_id);
	jobs = plan_jobs(b, &njobs);
	/* With the same templates, a build that makes no page need not read
	 * them: their problems are those the manifest kept. */
	if (!b->have_old || b->old.prepare == NULL)
		prepare_pages(b, jobs, njobs);
	b->per_job = xcalloc(njobs + 1, sizeof *b->per_job);
	todo = xcalloc(njobs + 1, sizeof *todo);
	for (i = 0; i < njobs; i++) {
		b->cur_job = (long)i;
		if (b->have_old && take_unchanged(b, &jobs[i], &b->per_job[i]))
			continue;
		/* (a service dropped by a lean project is read again by
		 * the process that builds it) */
		if ((jobs[i].ps->known && jobs[i].ps->droppable) ||
		    read_job(b, &jobs[i]) == 0)
			todo[ntodo++] = (uint32_t)i;
	}
	if (ntodo == 0 && b->have_old && b->d->errors == 0) {
		prepared = b->now.prepare != NULL;
		if (!prepared)
			b->now.prepare = wp_manifest_entry_copy(b->old.prepare);
		if (unchanged_build(b, njobs)) {
			if (!prepared)
				wp_manifest_entry_say_diags(b->d,
				    b->now.prepare, 0);
			rc = b->io_failed ? WP_EXIT_IO : WP_EXIT_OK;
			goto done;
		}
		if (!prepared) {
			wp_manifest_entry_free(b->now.prepare);
			b->now.prepare = NULL;
		}
	}
	if (b->now.prepare == NULL)
		prepare_pages(b, jobs, njobs);
	if (wp_outdir_begin(&b->out) != 0) {
		wp_diag_add(b->d, WP_ERROR, b->out.path, 0, 0, "io-error",
		    "cannot create the build directory %s: %s", b->out.tmp,
		    strerror(errno));
		b->io_failed = 1;
		ntodo = 0;
	} else {
		b->tmp = b->out.tmp;
		wp_summary_store_open(&b->store, b->tmp);
		b->spill = b->store.fd >= 0 && !b->have_old && !b->o->pdf;
	}
	if (o->jobs > 1 && ntodo > 1) {
		build_parallel(b, jobs, njobs, todo, ntodo);
	} else {
		for (i = 0; i < ntodo; i++) {
			b->cur = &b->per_job[todo[i]];
			b->cur_job = (long)todo[i];
			build_service(b, &jobs[todo[i]]);
		}
	}
	parent_extras(b);
	gather_editions(b, njobs);
	if (b->have_old && b->d->errors == 0 && b->tmp && site_wanted(b))
		read_kept_summaries(b, jobs, njobs);
	if (b->progress)
		fputs("\r\033[K", stderr);
	/* The assets first: WeasyPrint needs them in tmp/. */
	if (b->d->errors == 0) {
		wp_manifest_entry_free(b->now.assets);
		b->now.assets = NULL;
		build_assets(b, !pdfs_pending(b));
		build_pdfs(b);
	}
	if (b->d->errors == 0) {
		wp_manifest_entry_free(b->now.site);
		b->now.site = wp_manifest_entry_new(NULL, NULL);
		site_inputs(b, b->now.site->inputs);
		if (!reuse_site(b))
			build_site_pages(b);
	}
	if (b->d->errors > 0) {
		manifest_drop(b);
		wp_outdir_abort(&b->out);
		rc = b->io_failed ? WP_EXIT_IO : WP_EXIT_CONTENT;
	} else if ((b->have_old ? commit_in_place(b) : commit_swap(b)) != 0) {
		wp_outdir_abort(&b->out);
		rc = WP_EXIT_IO;
	} else {
		rc = WP_EXIT_OK;
	}
done:
	if (result) {
		result->pages = b->pages;
		result->total = b->total;
		result->unchanged = b->unchanged;
		result->services_held = project->held_max;
		result->summaries_held = b->store.held_max;
		result->summaries_in_memory = 0;
		result->records_in_memory = b->now.files.len - b->nglobal;
		for (i = 0; i < b->now.nedit; i++) {
			if (b->now.editions[i]->summary ||
			    b->now.editions[i]->summary_text)
				result->summaries_in_memory++;
			result->records_in_memory +=
			    b->now.editions[i]->nouts +
			    b->now.editions[i]->ndiags;
		}
	}
	for (i = 0; i < njobs; i++) {
		entry_list_free(&b->per_job[i]);
		service_inputs_free(&jobs[i].si);
	}
	free(b->per_job);
	free(todo);
	free(jobs);
	wp_manifest_free(&b->now);
	wp_manifest_free(&b->old);
	wp_summary_store_close(&b->store);
	free(b->last_dir);
	free(b->not_dir);
	free(b->asset_styles);
	wp_strset_free(&b->styles_copied);
	wp_outdir_close(&b->out);
	return rc;
}
