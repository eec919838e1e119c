/*
 * build.c: building every edition of every service into out/ (build.h).
 *
 * The site is written into a temporary directory beside out/ and renamed
 * into place only when everything succeeded, so a failed build leaves the
 * previous out/ as it was.  Editions are built one at a time and freed:
 * what stays for the site index and the coverage page is a summary per
 * edition (and the coverage of the source-language ones).  With --jobs
 * N, N worker processes share the editions.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buf.h"
#include "build.h"
#include "check.h"
#include "commands.h"
#include "page.h"
#include "site.h"
#include "translate.h"
#include "util.h"
#include "yamlvalue.h"

typedef struct build {
	const wp_build_opts *o;
	wp_project *project;
	wp_site *site;
	wp_diags *d;
	char *tmp;
	wp_value *summaries;
	size_t done, total, pages;
	int progress;
	int io_failed;             /* a file could not be written */
	wp_strset styles_copied;   /* styles whose assets are in tmp/ */
} build;

/* One service to build: its selected languages, one worker. */
typedef struct job {
	const wp_service *svc;
	const wp_style *style;
	const wp_lock *lock;    /* the service's translations.lock */
} job;

static int
write_out(build *b, const char *rel, const char *data, size_t len)
{
	char *path = wp_path_join(b->tmp, rel);
	char *dir = wp_path_dirname(path);
	int rc = 0;

	if (wp_mkdir_p(dir) != 0 || wp_write_file(path, data, len) != 0) {
		wp_diag_add(b->d, WP_ERROR, path, 0, 0, "io-error",
		    "cannot write the file");
		b->io_failed = 1;
		rc = -1;
	}
	free(dir);
	free(path);
	return rc;
}

static int
copy_out(build *b, const char *from, const char *rel)
{
	char *path = wp_path_join(b->tmp, rel);
	char *dir = wp_path_dirname(path);
	int rc = 0;

	if (wp_mkdir_p(dir) != 0 || wp_copy_file(from, path) != 0) {
		wp_diag_add(b->d, WP_ERROR, from, 0, 0, "io-error",
		    "cannot copy the file to %s", path);
		b->io_failed = 1;
		rc = -1;
	}
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

/* Writes an edition's page, images and cross-reference files; keeps its
 * summary. */
static void
write_edition(build *b, wp_edition *ed)
{
	const char *id = ed->service->id, *lang = ed->lang;
	wp_buf page = WP_BUF_INIT, data = WP_BUF_INIT;
	char *rel;
	size_t i;

	if (wp_page_render_edition(b->site, ed, &page, b->d) != 0) {
		wp_buf_free(&page);
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
	wp_list_push(b->summaries, wp_page_edition_summary(b->site, ed));
	b->pages++;
	wp_buf_free(&page);
	wp_buf_free(&data);
}

/* A target edition, published with the sections it lacks from src; only
 * read (for its problems) when src had errors. */
static void
build_target(build *b, const job *j, const wp_edition *src, const char *lang,
    int src_ok)
{
	int errors = b->d->errors;
	wp_edition *ed = wp_edition_read_target(b->site, j->svc, lang, 1, NULL,
	    b->d);

	if (ed == NULL)
		return;
	if (src_ok && b->d->errors == errors) {
		ed->style = j->style;
		wp_edition_publish(b->site, ed, src, j->lock);
		write_edition(b, ed);
	}
	wp_edition_free(ed);
}

/*
 * The selected editions of one service.  The source edition is read once
 * and serves every translation (for the sections they lack); no
 * document is changed after it is read.
 */
static void
build_service(build *b, const job *j)
{
	const wp_service *svc = j->svc;
	wp_edition *src;
	size_t i;
	int errors = b->d->errors, src_ok;

	src = wp_edition_read(b->site, svc, NULL, 1, b->d);
	if (src == NULL && b->d->errors == errors)
		wp_diag_add(b->d, WP_ERROR, svc->yaml_path, 0, 0,
		    "missing-edition", "no Markdown files in %s/%s/ for the "
		    "source language '%s'", svc->dir, svc->langs[0],
		    svc->langs[0]);
	if (src) {
		src->style = j->style;
		/* The required controls hold for build as for check. */
		wp_check_required(b->site, svc, src, b->d);
	}
	src_ok = src != NULL && b->d->errors == errors;
	for (i = 0; i < svc->nlangs; i++) {
		if (!wp_project_lang_selected(b->project, svc->langs[i]))
			continue;
		b->done++;
		show_progress(b, svc->id, svc->langs[i]);
		if (src == NULL)
			continue;
		if (i == 0 && src_ok)
			write_edition(b, src);
		else if (i > 0)
			build_target(b, j, src, svc->langs[i], src_ok);
	}
	wp_edition_free(src);
}

static void
build_site_pages(build *b)
{
	wp_buf page = WP_BUF_INIT;

	if (wp_page_render_index(b->site, b->summaries, &page, b->d) == 0)
		write_out(b, "index.html", page.data, page.len);
	wp_buf_clear(&page);
	if (wp_page_has_coverage(b->site, b->summaries) &&
	    wp_page_render_coverage(b->site, b->summaries, &page, b->d) == 0)
		write_out(b, "coverage.html", page.data, page.len);
	wp_buf_free(&page);
	copy_assets(b, "base", "assets");
}

/* Puts the finished site in place of out/. */
static int
swap_into_place(build *b)
{
	char *old = xasprintf("%s.old-%ld", b->project->out_dir, (long)getpid());
	int had = wp_is_dir(b->project->out_dir);

	if (had && rename(b->project->out_dir, old) != 0) {
		free(old);
		return -1;
	}
	if (rename(b->tmp, b->project->out_dir) != 0) {
		if (had)
			rename(old, b->project->out_dir);
		free(old);
		return -1;
	}
	if (had)
		wp_remove_tree(old);
	free(old);
	return 0;
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

static void
run_worker(build *b, job *jobs, int fd, const char *report)
{
	wp_buf out = WP_BUF_INIT;
	wp_value *done = wp_value_new_list();
	uint32_t k;
	size_t before;

	b->summaries = wp_value_new_list();
	while (next_job(fd, &k)) {
		before = wp_value_len(b->summaries);
		build_service(b, &jobs[k]);
		/* One entry per summary: a service gives several. */
		for (; before < wp_value_len(b->summaries); before++)
			wp_list_push(done, wp_value_new_int(k));
	}
	wp_buf_puts(&out, "{\"jobs\": ");
	wp_value_write_json(done, &out);
	wp_buf_puts(&out, ", \"summaries\": ");
	wp_value_write_json(b->summaries, &out);
	wp_buf_puts(&out, ", \"report\": ");
	wp_diags_write_json(b->d, &out);
	wp_buf_puts(&out, "}\n");
	wp_write_file(report, out.data, out.len);
	wp_buf_free(&out);
	wp_value_free(done);
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
	size_t i, k;

	wp_diags_init(&ignore);
	r = wp_yaml_load_file(report, &ignore);
	wp_diags_free(&ignore);
	if (r == NULL) {
		wp_diag_add(b->d, WP_ERROR, report, 0, 0, "internal-error",
		    "a build worker died without reporting");
		return;
	}
	sums = wp_map_get(r, "summaries");
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
			close(fds[1]);
			wp_diags_free(b->d);
			b->progress = 0;
			run_worker(b, jobs, fds[0], reports[w]);
			_exit(0);
		}
	}
	close(fds[0]);
	for (k = 0; k < njobs; k++)
		if (write(fds[1], &k, sizeof k) != (ssize_t)sizeof k)
			break;
	close(fds[1]);
	for (w = 0; w < nworkers; w++) {
		if (pids[w] > 0)
			waitpid(pids[w], &status, 0);
		merge_worker(b, reports[w], per_job, njobs);
		unlink(reports[w]);
		free(reports[w]);
	}
	for (i = 0; i < njobs; i++) {
		for (j = 0; j < wp_value_len(per_job[i]); j++) {
			wp_list_push(b->summaries, per_job[i]->u.list.items[j]);
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
	b->tmp = xasprintf("%s.tmp-%ld", project->out_dir, (long)getpid());
	b->summaries = wp_value_new_list();
	wp_remove_tree(b->tmp);
	if (wp_mkdir_p(b->tmp) != 0) {
		wp_diag_add(b->d, WP_ERROR, b->tmp, 0, 0, "io-error",
		    "cannot create the build directory");
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
		build_site_pages(b);
	if (b->d->errors > 0) {
		wp_remove_tree(b->tmp);
		rc = b->io_failed ? WP_EXIT_IO : WP_EXIT_CONTENT;
	} else if (swap_into_place(b) != 0) {
		fprintf(stderr, "wpgen: cannot move %s into place as %s: "
		    "%s\n", b->tmp, project->out_dir, strerror(errno));
		wp_remove_tree(b->tmp);
		rc = WP_EXIT_IO;
	} else {
		rc = WP_EXIT_OK;
	}
	if (result) {
		result->pages = b->pages;
		result->total = b->total;
	}
	wp_value_free(b->summaries);
	wp_strset_free(&b->styles_copied);
	free(b->tmp);
	return rc;
}
