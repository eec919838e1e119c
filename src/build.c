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

static void
build_edition(build *b, const wp_service *svc, const wp_style *style,
    const char *lang, const wp_lock *lock)
{
	wp_edition *ed;
	wp_buf page = WP_BUF_INIT, data = WP_BUF_INIT;
	char *rel;
	size_t i;
	int errors = b->d->errors;

	b->done++;
	show_progress(b, svc->id, lang);
	ed = wp_edition_load_published(b->site, svc, style, lang, lock, b->d);
	if (ed == NULL) {
		if (b->d->errors == errors)
			wp_diag_add(b->d, WP_ERROR, svc->yaml_path, 0, 0,
			    "missing-edition", "no Markdown files in %s/%s/ "
			    "for the source language '%s'", svc->dir,
			    svc->langs[0], svc->langs[0]);
		return;
	}
	if (b->d->errors > errors ||
	    wp_page_render_edition(b->site, ed, &page, b->d) != 0) {
		wp_edition_free(ed);
		wp_buf_free(&page);
		return;
	}
	rel = xasprintf("%s/%s/index.html", svc->id, lang);
	write_out(b, rel, page.data, page.len);
	free(rel);
	for (i = 0; i < ed->doc->nimages; i++) {
		rel = xasprintf("%s/%s/%s", svc->id, lang,
		    ed->doc->images[i].href);
		copy_out(b, ed->doc->images[i].path, rel);
		free(rel);
	}
	wp_xref_write_json(ed->xref, &data);
	rel = xasprintf("%s/%s/xref.json", svc->id, lang);
	write_out(b, rel, data.data, data.len);
	free(rel);
	wp_buf_clear(&data);
	wp_xref_write_csv(ed->xref, &data);
	rel = xasprintf("%s/%s/xref.csv", svc->id, lang);
	write_out(b, rel, data.data, data.len);
	free(rel);
	wp_list_push(b->summaries, wp_page_edition_summary(b->site, ed));
	b->pages++;
	wp_buf_free(&page);
	wp_buf_free(&data);
	wp_edition_free(ed);
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

/* One edition to build: a service and one of its languages. */
typedef struct job {
	wp_service *svc;
	const wp_style *style;
	const char *lang;
	const wp_lock *lock;    /* the service's translations.lock */
} job;

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
	jobs = xcalloc(b->total + 1, sizeof *jobs);
	for (i = 0; i < p->nservices; i++) {
		ps = &p->services[i];
		for (st = ps->style; st; st = st->parent)
			if (wp_strset_add(&b->styles_copied, st->name))
				copy_assets(b, st->name, "assets");
		for (j = 0; ps->style && ps->lock && j < ps->svc->nlangs; j++) {
			if (!wp_project_lang_selected(p, ps->svc->langs[j]))
				continue;
			jobs[k].svc = ps->svc;
			jobs[k].style = ps->style;
			jobs[k].lock = ps->lock;
			jobs[k++].lang = ps->svc->langs[j];
		}
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
		build_edition(b, jobs[k].svc, jobs[k].style, jobs[k].lang,
		    jobs[k].lock);
		if (wp_value_len(b->summaries) > before)
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
		if (k >= njobs || per_job[k])
			continue;
		per_job[k] = sums->u.list.items[i];
		sums->u.list.items[i] = NULL;
	}
	diags = wp_map_get(wp_map_get(r, "report"), "diagnostics");
	for (i = 0; i < wp_value_len(diags); i++) {
		g = diags->u.list.items[i];
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
	size_t nworkers = (size_t)b->o->jobs, w, i;
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
		if (per_job[i]) {
			wp_list_push(b->summaries, per_job[i]);
			b->pages++;
		}
	}
	b->done = njobs;
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
			build_edition(b, jobs[i].svc, jobs[i].style,
			    jobs[i].lang, jobs[i].lock);
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
