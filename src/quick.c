/*
 * quick.c: a build decided from the manifest alone (build.h,
 * wp_build_unchanged).
 *
 * A build that changes nothing still had to open the project (parse
 * every service.yaml and translations.lock, the catalogs, the styles)
 * before it could ask the manifest whether anything changed.  Here the
 * manifest is asked first: when the previous build noted the key of the
 * same options, and the program, every input file, every directory whose
 * listing it read and every output still have the stat data it recorded,
 * the build would keep every edition and the site pages: its problems
 * are said again from the manifest, nothing else is read and nothing
 * written.  But the files (and directories) that had changed within a
 * second of the previous build are read (listed): their stat data
 * cannot stand for their content (changed again in the same clock tick,
 * a file could keep them), so their digests are compared with those
 * recorded; when they have settled since, their flags in the manifest
 * are set where it lies, and the next no-op reads nothing.  The
 * editions' summaries are not even read (they lie in out/'s store:
 * manifest.h): out/ holds the site pages made from them.  Any difference, however small (a file touched but
 * unchanged), sends the build the long way, which decides by content;
 * it is told which files and outputs were found the same, and takes the
 * services with none changed without reading their directories again
 * (build.c); the project does not read their service.yaml and lock
 * either (wp_build_known, project.h).
 */
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "build.h"
#include "commands.h"
#include "manifest.h"
#include "outdir.h"
#include "path.h"
#include "share.h"
#include "util.h"

void
wp_build_key(const wp_project_opts *po, const wp_build_opts *o,
    char hex[33])
{
	const char *epoch = getenv("SOURCE_DATE_EPOCH");
	char cwd[PATH_MAX], *templates = wp_templates_find(po->templates);
	wp_digest h;
	size_t i;

	wp_digest_init(&h);
	wp_digest_add_str(&h, "build key 1");
	wp_digest_add_str(&h, getcwd(cwd, sizeof cwd) ? cwd : "(no cwd)");
	wp_digest_add_str(&h, po->content ? po->content : "content");
	wp_digest_add_str(&h, templates);
	wp_digest_add_str(&h, po->out ? po->out : "out");
	for (i = 0; i < po->nservices; i++)
		wp_digest_add_str(&h, po->services[i]);
	wp_digest_add_str(&h, "--");
	for (i = 0; i < po->nlangs; i++)
		wp_digest_add_str(&h, po->langs[i]);
	wp_digest_add_str(&h, o->pdf ? "pdf" : "(no pdf)");
	wp_digest_add_str(&h, epoch ? epoch : "(unset)");
	wp_digest_hex(&h, hex);
	free(templates);
}

/* Whether the files (or directories) of c found with the stat data
 * recorded are as recorded: those that were not settled are read
 * (listed).  1 when all of them are. */
static int
files_same(wp_filecache *c, int dirs)
{
	size_t i;
	int all = 1;

	for (i = 0; i < c->len; i++)
		all &= c->items[i].same = c->items[i].same &&
		    wp_filecache_item_content_same(&c->items[i], dirs);
	return all;
}

/* Marks the items of c found the same by their content (not settled
 * when recorded) that have settled since t0 (when this build began,
 * before it read them): their stat data stand for their content from
 * now on.  1 when there were any. */
static int
settle(wp_filecache *c, long long t0)
{
	wp_filecache_item *it;
	size_t i;
	int any = 0;

	for (i = 0; i < c->len; i++) {
		it = &c->items[i];
		if (it->same && !it->trusted &&
		    wp_filestat_settled(&it->st, t0))
			any = it->trusted = it->settled_now = 1;
	}
	return any;
}

/* The manifest m, with the files settled since it was written, into
 * out (as the build that wrote it would have, had it begun later): their
 * flags set where it lies, else the manifest written whole (its
 * summaries stay where they are in out/'s store); a failure leaves the
 * one there, which stays right. */
static void
write_settled(wp_manifest *m, const char *out)
{
	wp_buf text = WP_BUF_INIT;
	char *path;

	if (wp_manifest_settle(m, out) == 0)
		return;
	path = wp_path_join(out, WP_MANIFEST_NAME);

	wp_buf_grow(&text, (size_t)m->self.size + 64);   /* about its size */
	wp_manifest_write(m, &text);
	(void)wp_write_file(path, text.data, text.len);
	wp_buf_free(&text);
	free(path);
}

/* Every output of e is in out/ as recorded (noted in e). */
static int
outputs_same(wp_manifest_entry *e, const char *out)
{
	wp_filestat st;
	char buf[PATH_MAX], *path;
	size_t i;
	int ok = 1, n;

	for (i = 0; e && ok && i < e->nouts; i++) {
		if (!wp_path_is_inside_rel(e->outs[i].rel))
			return e->outputs_same = 0;
		n = snprintf(buf, sizeof buf, "%s/%s", out, e->outs[i].rel);
		path = n >= 0 && (size_t)n < sizeof buf ? buf :
		    wp_path_join(out, e->outs[i].rel);
		ok = wp_filestat_get(path, &st) == 0 &&
		    wp_filestat_same(&e->outs[i].st, &st);
		if (path != buf)
			free(path);
	}
	if (e)
		e->outputs_same = ok;
	return ok;
}

/*
 * The stat data of what the manifest recorded, taken in units (a
 * directory, a file, an edition's outputs, the site pages', the
 * assets'), which may be shared by two threads: a no-op is mostly
 * these stat calls (5,000 at N = 200), each touching only its own unit.
 * Reading the content of what was not settled is left to the caller.
 */
typedef struct stat_pass {
	wp_manifest *m;
	const char *out;
	size_t from, to;
} stat_pass;

static size_t
units(const wp_manifest *m)
{
	return m->dirs.len + m->files.len + m->nedit + 2;
}

static wp_manifest_entry *
unit_entry(const wp_manifest *m, size_t u)
{
	u -= m->dirs.len + m->files.len;
	return u < m->nedit ? m->editions[u] : u == m->nedit ? m->site :
	    m->assets;
}

/* The stat calls a unit takes. */
static size_t
unit_weight(const wp_manifest *m, size_t u)
{
	const wp_manifest_entry *e;

	if (u < m->dirs.len + m->files.len)
		return 1;
	return (e = unit_entry(m, u)) != NULL ? e->nouts : 0;
}

static void *
stat_units(void *arg)
{
	stat_pass *p = arg;
	wp_manifest *m = p->m;
	wp_filecache_item *it;
	size_t u, nd = m->dirs.len, nf = m->files.len;

	for (u = p->from; u < p->to; u++) {
		if (u < nd) {
			it = &m->dirs.items[u];
			it->same = wp_filecache_item_stat_same(it, 1);
		} else if (u < nd + nf) {
			it = &m->files.items[u - nd];
			it->same = wp_filecache_item_stat_same(it, 0);
		} else {
			outputs_same(unit_entry(m, u), p->out);
		}
	}
	return NULL;
}

#define STATS_SHARED 128   /* fewer stat calls are made in one thread (a
                              thread costs about what 20-30 of them do) */

/* Every unit's stat data, in two threads when jobs > 1 and there are
 * enough of them (else, or when a thread cannot be made, in this one). */
static void
stat_all(wp_manifest *m, const char *out, int jobs)
{
	stat_pass first = {m, out, 0, 0}, rest = {m, out, 0, units(m)};
	pthread_t t;
	size_t u, total = 0, half;

	for (u = 0; u < rest.to; u++)
		total += unit_weight(m, u);
	if (jobs > 1 && total >= STATS_SHARED) {
		for (u = 0, half = 0; u < rest.to && 2 * half < total; u++)
			half += unit_weight(m, u);
		first.to = rest.from = u;
		if (pthread_create(&t, NULL, stat_units, &first) == 0) {
			stat_units(&rest);
			pthread_join(t, NULL);
			return;
		}
		rest.from = 0;
	}
	stat_units(&rest);
}

/* The problems a build that keeps everything says, in the order it says
 * them: the project's, each edition's (its source edition's once a
 * service), the templates'. */
static void
replay_all(const wp_manifest *m, wp_diags *d)
{
	size_t i;

	wp_manifest_entry_say_diags(d, m->project, 0);
	for (i = 0; i < m->nedit; i++) {
		if (i == 0 || strcmp(m->editions[i]->service,
		    m->editions[i - 1]->service) != 0)
			wp_manifest_entry_say_diags(d, m->editions[i], 1);
		wp_manifest_entry_say_diags(d, m->editions[i], 0);
	}
	wp_manifest_entry_say_diags(d, m->prepare, 0);
}

/*
 * Whether everything is as the manifest recorded.  With the same key and
 * program, every file, directory and edition is looked at (not only up
 * to the first change), and m notes which are the same: the build that
 * follows then takes the services with nothing changed as they are,
 * without looking at their files again.
 */
static int
all_same(wp_manifest *m, const char *key, const char *out, long long t0,
    int jobs)
{
	wp_filestat exe;
	char tool[33];
	size_t i;
	int same;

	if (m->quick[0] == '\0' || strcmp(m->quick, key) != 0 ||
	    m->project == NULL || m->site == NULL || m->assets == NULL)
		return 0;
	/* The same program: known by its stat data (read only when they
	 * changed). */
	if (m->exe.size < 0)
		return 0;
	wp_program_digest(m, t0, tool, &exe);
	if (strcmp(tool, m->tool) != 0)
		return 0;
	m->checked = 1;
	stat_all(m, out, jobs);
	same = files_same(&m->dirs, 1);
	same &= files_same(&m->files, 0);
	for (i = 0; i < m->nedit; i++)
		same &= m->editions[i]->sum_len > 0 &&
		    m->editions[i]->outputs_same;
	return same && m->site->outputs_same && m->assets->outputs_same;
}

int
wp_build_unchanged(const wp_project_opts *po, const wp_build_opts *o,
    wp_diags *d, wp_build_result *r)
{
	const char *outdir = po->out ? po->out : "out";
	char key[33], *templates;
	wp_manifest own, *m = o->manifest ? o->manifest : &own;
	wp_outdir out;
	wp_diags quiet;
	struct timespec t0;
	long long now;
	int same = 0, settled;

	if (o->manifest)
		wp_manifest_init(o->manifest);
	if (o->pdf || po->files_only)
		return 0;
	memset(&out, 0, sizeof out);
	wp_diags_init(&quiet);
	templates = wp_templates_find(po->templates);
	/* The lock of out/ and the debris of a killed build, as a build
	 * that opens the project takes and clears them; any problem there
	 * is left to it to say. */
	if (wp_outdir_open(&out, outdir, po->content ? po->content :
	    "content", templates, &quiet) == 0) {
		clock_gettime(CLOCK_REALTIME, &t0);
		now = (long long)t0.tv_sec * 1000000000LL + t0.tv_nsec;
		wp_build_key(po, o, key);
		if (wp_manifest_load(m, out.path) == 0) {
			same = all_same(m, key, out.path, now, o->jobs);
			/* (also for the build that follows when not same:
			 * the services it takes as they were keep them) */
			settled = m->checked && (settle(&m->files, now) |
			    settle(&m->dirs, now));
			if (same) {
				if (settled)
					write_settled(m, out.path);
				replay_all(m, d);
				r->pages = r->unchanged = m->nedit;
				r->total = m->total;
			}
		}
		if (m == &own)
			wp_manifest_free(&own);
	}
	wp_outdir_close(&out);
	wp_diags_free(&quiet);
	free(templates);
	return same;
}

/* Whether m's editions are in byte order of service (each service's
 * together): looked at once. */
static int
by_service(wp_manifest *m)
{
	size_t i;

	if (m->service_order == 0) {
		m->service_order = 1;
		for (i = 1; i < m->nedit; i++)
			if (strcmp(m->editions[i - 1]->service,
			    m->editions[i]->service) > 0)
				m->service_order = 2;
	}
	return m->service_order == 1;
}

/* The first of the editions of service id in m (sorted by service), and
 * how many there are; 0 when none. */
static size_t
service_entries(const wp_manifest *m, const char *id, size_t *first)
{
	size_t lo = 0, hi = m->nedit, mid, n = 0;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (strcmp(m->editions[mid]->service, id) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*first = lo;
	while (lo + n < m->nedit && strcmp(m->editions[lo + n]->service,
	    id) == 0)
		n++;
	return n;
}

int
wp_build_known(void *ctx, const char *id, const char *dir,
    wp_service_facts *facts)
{
	wp_manifest *m = ctx;
	const wp_manifest_entry *e;
	const char *style;
	size_t i, k, n;

	if (m == NULL || !m->checked || !by_service(m) ||
	    (n = service_entries(m, id, &k)) == 0 ||
	    !wp_manifest_tree_same(m, dir))
		return 0;
	style = m->editions[k]->style;
	for (i = k; i < k + n; i++) {
		e = m->editions[i];
		if (!e->outputs_same || e->style == NULL || style == NULL ||
		    strcmp(e->style, style) != 0)
			return 0;
	}
	facts->style = style;
	facts->langs = xcalloc(n + 1, sizeof *facts->langs);
	for (i = 0; i < n; i++)
		facts->langs[i] = xstrdup(m->editions[k + i]->lang);
	facts->nlangs = n;
	return 1;
}
