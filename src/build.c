/*
 * build.c: `wpgen build`: every edition of every service into out/.
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
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buf.h"
#include "commands.h"
#include "page.h"
#include "site.h"
#include "translate.h"
#include "util.h"
#include "yamlvalue.h"

typedef struct build_opts {
	const char *content, *templates, *out;
	const char **services, **langs;
	size_t nservices, nlangs;
	int jobs, quiet;
} build_opts;

typedef struct build {
	build_opts *o;
	wp_site *site;
	wp_diags *d;
	char *tmp;
	wp_value *summaries;
	size_t done, total, pages;
	int progress;
	int io_failed;             /* a file could not be written */
	wp_strset styles_copied;   /* styles whose assets are in tmp/ */
} build;

static const char build_usage[] =
    "usage: wpgen build [--content DIR] [--templates DIR] [--out DIR]\n"
    "                   [--service ID]... [--lang L]... [--jobs N] [--quiet]\n"
    "\n"
    "Builds every edition of every service under DIR (default content/)\n"
    "through the templates (default templates/) into out/: one page per\n"
    "edition with xref.json and xref.csv beside it, the site index and the\n"
    "coverage page.  --service and --lang limit the build; out/ then holds\n"
    "only what was built.  A failed build leaves out/ untouched.\n";

static int
listed(const char **v, size_t n, const char *s)
{
	size_t i;

	if (n == 0)
		return 1;
	for (i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return 1;
	return 0;
}

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
	if (wp_page_render_coverage(b->site, b->summaries, &page, b->d) == 0)
		write_out(b, "coverage.html", page.data, page.len);
	wp_buf_free(&page);
	copy_assets(b, "base", "assets");
}

/* Loads the services to build; counts their editions. */
static wp_service **
load_services(build *b, size_t *n)
{
	size_t nids = 0, i, j, k = 0;
	char **ids = wp_service_ids(b->o->content, &nids);
	wp_service **svcs = xcalloc(nids + 1, sizeof *svcs);

	for (i = 0; ids && ids[i]; i++) {
		if (!listed(b->o->services, b->o->nservices, ids[i]))
			continue;
		if ((svcs[k] = wp_service_load(b->o->content, ids[i], b->d))
		    == NULL)
			continue;
		for (j = 0; j < svcs[k]->nlangs; j++)
			if (listed(b->o->langs, b->o->nlangs,
			    svcs[k]->langs[j]))
				b->total++;
		k++;
	}
	wp_strv_free(ids);
	*n = k;
	return svcs;
}

/* Puts the finished site in place of out/. */
static int
swap_into_place(build *b)
{
	char *old = xasprintf("%s.old-%ld", b->o->out, (long)getpid());
	int had = wp_is_dir(b->o->out);

	if (had && rename(b->o->out, old) != 0) {
		free(old);
		return -1;
	}
	if (rename(b->tmp, b->o->out) != 0) {
		if (had)
			rename(old, b->o->out);
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
plan_jobs(build *b, wp_service **svcs, wp_lock **locks, size_t n,
    size_t *njobs)
{
	job *jobs = xcalloc(b->total + 1, sizeof *jobs);
	const wp_style *style, *st;
	size_t i, j, k = 0;

	for (i = 0; i < n; i++) {
		style = wp_site_style(b->site, svcs[i], b->d);
		locks[i] = wp_lock_load(svcs[i], b->d);
		for (st = style; st; st = st->parent)
			if (wp_strset_add(&b->styles_copied, st->name))
				copy_assets(b, st->name, "assets");
		for (j = 0; style && locks[i] && j < svcs[i]->nlangs; j++) {
			if (!listed(b->o->langs, b->o->nlangs,
			    svcs[i]->langs[j]))
				continue;
			jobs[k].svc = svcs[i];
			jobs[k].style = style;
			jobs[k].lock = locks[i];
			jobs[k++].lang = svcs[i]->langs[j];
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

/* --service and --lang must name something that exists. */
static int
check_selection(build *b)
{
	size_t nids = 0, i;
	char **ids = wp_service_ids(b->o->content, &nids);
	int ok = 1;

	for (i = 0; i < b->o->nservices; i++) {
		if (!listed((const char **)ids, nids, b->o->services[i])) {
			fprintf(stderr, "wpgen build: no service '%s' in %s "
			    "(a service is a directory with service.yaml)\n",
			    b->o->services[i], b->o->content);
			ok = 0;
		}
	}
	wp_strv_free(ids);
	return ok;
}

static int
lang_selected_somewhere(wp_service **svcs, size_t n, const char *lang)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (wp_service_has_lang(svcs[i], lang))
			return 1;
	return 0;
}

static int
run_build(build *b)
{
	size_t n = 0, i, njobs = 0;
	wp_service **svcs;
	wp_lock **locks;
	job *jobs;

	if (!check_selection(b))
		return WP_EXIT_USAGE;
	svcs = load_services(b, &n);
	for (i = 0; i < b->o->nlangs && b->d->errors == 0; i++) {
		if (lang_selected_somewhere(svcs, n, b->o->langs[i]))
			continue;
		fprintf(stderr, "wpgen build: no service has the language "
		    "'%s'\n", b->o->langs[i]);
		for (i = 0; i < n; i++)
			wp_service_free(svcs[i]);
		free(svcs);
		return WP_EXIT_USAGE;
	}
	locks = xcalloc(n + 1, sizeof *locks);

	wp_remove_tree(b->tmp);
	if (wp_mkdir_p(b->tmp) != 0) {
		wp_diag_add(b->d, WP_ERROR, b->tmp, 0, 0, "io-error",
		    "cannot create the build directory");
		b->io_failed = 1;
	}
	jobs = plan_jobs(b, svcs, locks, b->io_failed ? 0 : n, &njobs);
	if (b->o->jobs > 1 && njobs > 1) {
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
	for (i = 0; i < n; i++) {
		wp_lock_free(locks[i]);
		wp_service_free(svcs[i]);
	}
	free(locks);
	free(svcs);
	if (b->d->errors > 0) {
		wp_remove_tree(b->tmp);
		return b->io_failed ? WP_EXIT_IO : WP_EXIT_CONTENT;
	}
	if (swap_into_place(b) != 0) {
		fprintf(stderr, "wpgen: cannot move %s into place as %s: "
		    "%s\n", b->tmp, b->o->out, strerror(errno));
		wp_remove_tree(b->tmp);
		return WP_EXIT_IO;
	}
	return WP_EXIT_OK;
}

static const char **
push_arg(const char **v, size_t *n, const char *arg)
{
	v = xrealloc(v, (*n + 1) * sizeof *v);
	v[(*n)++] = arg;
	return v;
}

static int
parse_build_opts(int argc, char **argv, build_opts *o)
{
	static const struct option longopts[] = {
		{"content", required_argument, NULL, 'c'},
		{"templates", required_argument, NULL, 't'},
		{"out", required_argument, NULL, 'o'},
		{"service", required_argument, NULL, 's'},
		{"lang", required_argument, NULL, 'l'},
		{"jobs", required_argument, NULL, 'j'},
		{"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}
	};
	int c;
	char *end;

	optind = 1;
	while ((c = getopt_long(argc, argv, "c:t:o:s:l:j:qh", longopts,
	    NULL)) != -1) {
		switch (c) {
		case 'c': o->content = optarg; break;
		case 't': o->templates = optarg; break;
		case 'o': o->out = optarg; break;
		case 's': o->services = push_arg(o->services, &o->nservices,
		    optarg); break;
		case 'l': o->langs = push_arg(o->langs, &o->nlangs, optarg);
			break;
		case 'j':
			o->jobs = (int)strtol(optarg, &end, 10);
			if (*end || o->jobs < 1) {
				fprintf(stderr, "wpgen build: --jobs needs a "
				    "positive number\n");
				return WP_EXIT_USAGE;
			}
			break;
		case 'q': o->quiet = 1; break;
		case 'h': fputs(build_usage, stdout); return -1;
		default: fputs(build_usage, stderr); return WP_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "wpgen build: unexpected argument '%s'\n",
		    argv[optind]);
		fputs(build_usage, stderr);
		return WP_EXIT_USAGE;
	}
	return 0;
}

int
cmd_build(int argc, char **argv)
{
	build_opts o = {"content", NULL, "out", NULL, NULL, 0, 0, 1, 0};
	build b;
	wp_diags d;
	size_t len;
	int rc;

	if ((rc = parse_build_opts(argc, argv, &o)) != 0) {
		free(o.services);
		free(o.langs);
		return rc < 0 ? WP_EXIT_OK : rc;
	}
	len = strlen(o.out);
	while (len > 1 && o.out[len - 1] == '/')
		len--;
	memset(&b, 0, sizeof b);
	wp_diags_init(&d);
	b.o = &o;
	b.d = &d;
	b.progress = !o.quiet && isatty(2);
	b.tmp = xasprintf("%.*s.tmp-%ld", (int)len, o.out, (long)getpid());
	b.summaries = wp_value_new_list();
	if (!wp_is_dir(o.content)) {
		fprintf(stderr, "wpgen build: no content directory %s\n",
		    o.content);
		rc = WP_EXIT_IO;
	} else {
		b.site = wp_site_open(o.content, o.templates, &d);
		rc = b.site ? run_build(&b) : WP_EXIT_CONTENT;
	}
	wp_diags_sort(&d);
	wp_diags_print_text(&d, stderr);
	if (!o.quiet)
		fprintf(stderr, "%s %zu edition%s of %zu into %s/ "
		    "(%d error%s, %d warning%s)\n", rc == 0 ? "built" :
		    "failed:", b.pages, b.pages == 1 ? "" : "s", b.total,
		    o.out, d.errors, d.errors == 1 ? "" : "s", d.warnings,
		    d.warnings == 1 ? "" : "s");
	wp_value_free(b.summaries);
	wp_strset_free(&b.styles_copied);
	wp_site_free(b.site);
	wp_diags_free(&d);
	free(b.tmp);
	free(o.services);
	free(o.langs);
	return rc;
}
