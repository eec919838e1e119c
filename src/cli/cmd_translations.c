/*
 * cmd_translations.c: `wpgen translations status`, `accept` and `diff`:
 * which sections of each target language are missing, stale or extra;
 * recording translations as confirmed in translations.lock; and what
 * changed in the source of each stale section since its translation was
 * confirmed (the confirmed source is found in git: the newest commit
 * whose source section has the hash the lock recorded).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "commands.h"
#include "diff.h"
#include "gitrev.h"
#include "pastrev.h"
#include "options.h"
#include "project.h"
#include "translate.h"
#include "util.h"

static const char tr_usage[] =
    "usage: wpgen translations status SERVICE [--content DIR] [--lang L]\n"
    "                                 [--format text|json]\n"
    "       wpgen translations accept SERVICE [--lang L] [--content DIR]\n"
    "                                 [--all | KEY...]\n"
    "       wpgen translations diff SERVICE [--lang L] [--content DIR] "
    "[KEY...]\n"
    "\n"
    "status lists, per target language, the sections that are missing,\n"
    "stale (the source changed since the translation was confirmed) or\n"
    "extra, and the strings outside the Markdown that the language lacks.\n"
    "accept records sections as translated into L in translations.lock:\n"
    "the KEYs given; without KEY, only the sections whose translation is\n"
    "new or changed since the lock (a stale section whose translation did\n"
    "not change stays stale); with --all, every section.  It lists what it\n"
    "accepted.  --lang may be left out when there is one target language.\n"
    "diff shows, for each stale section (or each KEY), what changed in its\n"
    "source since the translation was confirmed, [-deleted-] and\n"
    "{+inserted+}: the confirmed source is read from git, at the newest of\n"
    "the last 1000 commits whose section has the hash the lock recorded.\n";

typedef struct tr_state {
	wp_project *project;
	wp_site *site;
	wp_service *svc;       /* the project's */
	wp_lock *lock;         /* the project's */
	wp_edition *src;
	wp_diags d;
} tr_state;

static void
tr_state_free(tr_state *t)
{
	wp_edition_free(t->src);
	wp_project_free(t->project);
	wp_diags_free(&t->d);
}

/* Opens the project for the service; loads its source edition. */
static int
tr_load(tr_state *t, wp_cli_opts *o)
{
	wp_project_service *ps;
	const char *lang;
	int rc = wp_cli_open_service(o, "translations", &t->project, &ps,
	    &t->d);

	if (rc != WP_EXIT_OK)
		return rc;
	lang = wp_cli_lang(o);
	if (ps && lang && strcmp(lang, ps->svc->langs[0]) == 0) {
		fprintf(stderr, "wpgen: '%s' is not a target language of %s "
		    "(its source language is %s)\n", lang, ps->svc->id,
		    ps->svc->langs[0]);
		return WP_EXIT_USAGE;
	}
	t->site = t->project->site;
	if (ps) {
		t->svc = ps->svc;
		t->lock = ps->lock;
	}
	if (t->lock)
		t->src = wp_edition_load(t->site, t->svc, NULL, &t->d);
	wp_diags_sort(&t->d);
	wp_diags_print_text(&t->d, stderr);
	return t->d.errors || t->src == NULL ? WP_EXIT_CONTENT : WP_EXIT_OK;
}

/* ---- status ---- */

static void
keys_of(const wp_tr_align *al, wp_tr_state st, wp_value *list)
{
	size_t i;

	for (i = 0; i < al->len; i++)
		if (al->items[i].state == st)
			wp_list_push(list, wp_value_new_string(
			    al->items[i].key));
}

static wp_value *
language_status(tr_state *t, const char *lang)
{
	wp_value *m = wp_value_new_map();
	wp_edition *tgt = wp_edition_load_target(t->site, t->svc, lang, NULL, &t->d);
	wp_tr_align al;

	wp_map_set_str(m, "language", lang);
	if (tgt == NULL || tgt->doc == NULL) {
		wp_edition_free(tgt);
		return m;
	}
	wp_translations_align(t->src->doc, tgt->doc, lang, t->lock, &al);
	keys_of(&al, WP_TR_MISSING, wp_map_set_list(m, "missing"));
	keys_of(&al, WP_TR_STALE, wp_map_set_list(m, "stale"));
	keys_of(&al, WP_TR_EXTRA, wp_map_set_list(m, "extra"));
	wp_translations_untranslated(t->site, t->svc, lang,
	    wp_map_set_list(m, "untranslated"));
	wp_tr_align_free(&al);
	wp_edition_free(tgt);
	return m;
}

static void
write_status_text(const wp_value *langs, wp_buf *out)
{
	static const char *const kinds[] = {"missing", "stale", "extra",
	    "untranslated", NULL};
	size_t i, j, k;
	const wp_value *l, *v;

	for (i = 0; i < wp_value_len(langs); i++) {
		l = langs->u.list.items[i];
		wp_buf_printf(out, "%s:", wp_value_text(wp_map_get(l,
		    "language")));
		for (k = 0; kinds[k]; k++)
			wp_buf_printf(out, "%s %zu %s", k ? "," : "",
			    wp_value_len(wp_map_get(l, kinds[k])), kinds[k]);
		wp_buf_putc(out, '\n');
		for (k = 0; kinds[k]; k++) {
			v = wp_map_get(l, kinds[k]);
			for (j = 0; j < wp_value_len(v); j++)
				wp_buf_printf(out, "  %-12s %s\n", kinds[k],
				    wp_value_text(v->u.list.items[j]));
		}
	}
}

static int
run_status(tr_state *t, const wp_cli_opts *o)
{
	wp_value *root = wp_value_new_map(), *langs;
	wp_buf out = WP_BUF_INIT;
	size_t i;
	int rc;

	wp_map_set_str(root, "service", t->svc->id);
	wp_map_set_str(root, "source", t->svc->langs[0]);
	langs = wp_map_set_list(root, "languages");
	for (i = 1; i < t->svc->nlangs; i++)
		if (wp_cli_lang(o) == NULL ||
		    strcmp(wp_cli_lang(o), t->svc->langs[i]) == 0)
			wp_list_push(langs, language_status(t,
			    t->svc->langs[i]));
	if (strcmp(o->format ? o->format : "text", "json") == 0) {
		wp_value_write_json(root, &out);
		wp_buf_putc(&out, '\n');
	} else {
		write_status_text(langs, &out);
	}
	wp_diags_print_text(&t->d, stderr);
	/* (nothing to write for a service of one language) */
	rc = wp_write_stdout("translations", out.data, out.len) != 0 ?
	    WP_EXIT_IO : t->d.errors ? WP_EXIT_CONTENT : WP_EXIT_OK;
	wp_buf_free(&out);
	wp_value_free(root);
	return rc;
}

/* ---- accept ---- */

/* Confirms section key: the source's hash and the translation's. */
static void
confirm(tr_state *t, const wp_document *tgt, const char *lang,
    const char *key, long si, long ti)
{
	char hash[17], thash[17];

	wp_section_hash(t->src->doc, (size_t)si, hash);
	wp_section_hash(tgt, (size_t)ti, thash);
	wp_lock_set(t->lock, lang, key, hash, thash);
}

static int
accept_key(tr_state *t, const wp_document *tgt, const char *lang,
    const char *key)
{
	long s = wp_document_find_key(t->src->doc, key);
	long ti = wp_document_find_key(tgt, key);

	if (s < 0) {
		fprintf(stderr, "wpgen: no section '%s' in the %s edition\n",
		    key, t->svc->langs[0]);
		return 0;
	}
	if (ti < 0) {
		fprintf(stderr, "wpgen: section '%s' is not translated into "
		    "%s yet\n", key, lang);
		return 0;
	}
	confirm(t, tgt, lang, key, s, ti);
	printf("%s %-12s accepted (named)\n", lang, key);
	return 1;
}

/*
 * Without keys: the sections whose translation is new or changed since
 * the lock (the translator did the work).  A stale section whose
 * translation did not change stays stale, and is said.  With --all,
 * every section that both editions have.
 */
static size_t
accept_changed(tr_state *t, const wp_document *tgt, const char *lang,
    int all, size_t *kept)
{
	wp_tr_align al;
	const wp_tr_item *it;
	const char *was, *why;
	char thash[17];
	size_t i, n = 0;

	*kept = 0;
	wp_translations_align(t->src->doc, tgt, lang, t->lock, &al);
	for (i = 0; i < al.len; i++) {
		it = &al.items[i];
		if (it->source < 0 || it->target < 0)
			continue;
		wp_section_hash(tgt, (size_t)it->target, thash);
		was = wp_lock_get_translation(t->lock, lang, it->key);
		if (wp_lock_get(t->lock, lang, it->key) == NULL)
			why = "never confirmed before";
		else if (was && strcmp(was, thash) != 0)
			why = "its translation changed";
		else if (all)
			why = it->state == WP_TR_STALE ? "stale, --all" : NULL;
		else
			why = NULL;
		if (why == NULL) {
			if (it->state == WP_TR_STALE) {
				printf("%s %-12s still stale: %s; update it, "
				    "or name it (or give --all) to accept it "
				    "as it is\n", lang, it->key, was ?
				    "its translation did not change since it "
				    "was confirmed" : "the lock does not say "
				    "what its translation was when confirmed");
				(*kept)++;
			} else if (all) {
				confirm(t, tgt, lang, it->key, it->source,
				    it->target);
			}
			continue;
		}
		confirm(t, tgt, lang, it->key, it->source, it->target);
		printf("%s %-12s accepted (%s)\n", lang, it->key, why);
		n++;
	}
	wp_tr_align_free(&al);
	return n;
}

/* The one target language when --lang is not given. */
static const char *
target_lang(const tr_state *t, const wp_cli_opts *o)
{
	const char *lang = wp_cli_lang(o);
	size_t i;

	if (lang || t->svc->nlangs == 2)
		return lang ? lang : t->svc->langs[1];
	if (t->svc->nlangs < 2) {
		fprintf(stderr, "wpgen translations accept: %s has no target "
		    "language (languages: %s)\n", t->svc->id,
		    t->svc->langs[0]);
		return NULL;
	}
	fprintf(stderr, "wpgen translations accept: which language? %s has "
	    "several: give --lang", t->svc->id);
	for (i = 1; i < t->svc->nlangs; i++)
		fprintf(stderr, "%s%s", i > 1 ? ", " : " (", t->svc->langs[i]);
	fputs(")\n", stderr);
	return NULL;
}

static int
run_accept(tr_state *t, const wp_cli_opts *o, int all)
{
	const char *lang = target_lang(t, o);
	wp_edition *tgt;
	size_t accepted = 0, kept = 0;
	int k, ok = 1;

	if (lang == NULL)
		return WP_EXIT_USAGE;
	if (all && o->noperands > 0) {
		fputs("wpgen translations accept: --all or KEY..., not both\n",
		    stderr);
		return WP_EXIT_USAGE;
	}
	if ((tgt = wp_edition_load_target(t->site, t->svc, lang,
	    NULL, &t->d)) == NULL || tgt->doc == NULL) {
		wp_diags_print_text(&t->d, stderr);
		wp_edition_free(tgt);
		return WP_EXIT_CONTENT;
	}
	for (k = 0; k < o->noperands; k++) {
		if (accept_key(t, tgt->doc, lang, o->operands[k]))
			accepted++;
		else
			ok = 0;
	}
	if (o->noperands == 0)
		accepted = accept_changed(t, tgt->doc, lang, all, &kept);
	wp_edition_free(tgt);
	if (!ok)
		return WP_EXIT_CONTENT;
	if (wp_lock_save(t->lock) != 0) {
		perror(t->lock->path);
		return WP_EXIT_IO;
	}
	fprintf(stderr, "accepted %zu section%s of %s for %s", accepted,
	    accepted == 1 ? "" : "s", t->svc->id, lang);
	if (kept)
		fprintf(stderr, "; %zu stale section%s kept stale", kept,
		    kept == 1 ? "" : "s");
	fputc('\n', stderr);
	return WP_EXIT_OK;
}

/* ---- diff ---- */

#define HISTORY_DEPTH 1000

/* A stale section and where its confirmed source was found. */
typedef struct tr_pending {
	const char *lang, *key;
	const char *hash;          /* the lock's, NULL: never confirmed */
	long source;               /* in the current source edition */
	size_t found;              /* index in the editions found + 1, 0 */
	long index;                /* the section in that edition */
	char commit[8];
} tr_pending;

typedef struct tr_found {
	wp_service *svc;
	wp_edition *ed;
} tr_found;

static int
wanted(const wp_cli_opts *o, const char *key)
{
	int k;

	for (k = 0; k < o->noperands; k++)
		if (strcmp(o->operands[k], key) == 0)
			return 1;
	return o->noperands == 0;
}

/* The stale sections of lang (or the KEYs asked for), appended. */
static void
collect_pending(tr_state *t, const wp_cli_opts *o, const char *lang,
    tr_pending **p, size_t *n)
{
	wp_edition *tgt = wp_edition_load_target(t->site, t->svc, lang, NULL,
	    &t->d);
	wp_tr_align al;
	size_t i;

	if (tgt == NULL || tgt->doc == NULL) {
		wp_edition_free(tgt);
		return;
	}
	wp_translations_align(t->src->doc, tgt->doc, lang, t->lock, &al);
	for (i = 0; i < al.len; i++) {
		if (al.items[i].state != WP_TR_STALE ||
		    !wanted(o, al.items[i].key))
			continue;
		*p = xrealloc(*p, (*n + 1) * sizeof **p);
		memset(&(*p)[*n], 0, sizeof **p);
		(*p)[*n].lang = lang;
		(*p)[*n].key = t->src->doc->sections[al.items[i].source].key;
		(*p)[*n].hash = wp_lock_get(t->lock, lang, (*p)[*n].key);
		(*p)[(*n)++].source = al.items[i].source;
	}
	wp_tr_align_free(&al);
	wp_edition_free(tgt);
}

/* Looks for the pending sections' confirmed source in one commit. */
static void
search_commit(tr_state *t, const char *id, tr_pending *p, size_t n,
    tr_found **found, size_t *nfound)
{
	wp_gitrev_error err;
	wp_diags quiet;
	wp_gitrev *g;
	tr_found f = {NULL, NULL};
	char *msg, hash[17];
	size_t i, used = 0;
	long k;

	if ((g = wp_gitrev_open(t->site->content_dir, id, &err, &msg)) ==
	    NULL) {
		free(msg);
		return;
	}
	wp_diags_init(&quiet);
	f.svc = wp_past_service(t->site, g, t->svc->id,
	    t->svc->unsafe_html, &quiet);
	if (f.svc && wp_service_has_lang(f.svc, t->svc->langs[0]))
		f.ed = wp_past_edition(t->site, g, f.svc, t->svc->langs[0],
		    &quiet);
	wp_diags_free(&quiet);
	for (i = 0; f.ed && i < n; i++) {
		if (p[i].found || p[i].hash == NULL ||
		    (k = wp_document_find_key(f.ed->doc, p[i].key)) < 0)
			continue;
		wp_section_hash(f.ed->doc, (size_t)k, hash);
		if (strcmp(hash, p[i].hash) != 0)
			continue;
		p[i].found = *nfound + 1;
		p[i].index = k;
		snprintf(p[i].commit, sizeof p[i].commit, "%s", id);
		used = 1;
	}
	if (used) {
		*found = xrealloc(*found, (*nfound + 1) * sizeof **found);
		(*found)[(*nfound)++] = f;
	} else {
		wp_edition_free(f.ed);
		wp_service_free(f.svc);
	}
	wp_gitrev_free(g);
}

/* Walks the history until every pending section is found; commits in
 * which the source edition's directory did not change are skipped. */
static int
search_history(tr_state *t, tr_pending *p, size_t n, tr_found **found,
    size_t *nfound)
{
	char *msg, **ids = wp_git_log(t->site->content_dir, HISTORY_DEPTH,
	    &msg), *dir, *tree, *last = NULL;
	wp_gitrev_error err;
	wp_gitrev *g;
	size_t i, k, left;

	if (ids == NULL) {
		fprintf(stderr, "wpgen translations diff: %s; the confirmed "
		    "source of a section is read from git\n", msg);
		free(msg);
		return WP_EXIT_USAGE;
	}
	dir = xasprintf("%s/%s", t->svc->id, t->svc->langs[0]);
	for (i = 0; ids[i]; i++) {
		for (left = 0, k = 0; k < n; k++)
			left += !p[k].found && p[k].hash;
		if (left == 0)
			break;
		if ((g = wp_gitrev_open(t->site->content_dir, ids[i], &err,
		    &msg)) == NULL) {
			free(msg);
			continue;
		}
		tree = wp_gitrev_subtree_id(g, dir);
		wp_gitrev_free(g);
		if (tree && last && strcmp(tree, last) == 0) {
			free(tree);
			continue;
		}
		free(last);
		last = tree;
		search_commit(t, ids[i], p, n, found, nfound);
	}
	free(last);
	free(dir);
	wp_strv_free(ids);
	return WP_EXIT_OK;
}

static int
run_diff(tr_state *t, const wp_cli_opts *o)
{
	tr_pending *p = NULL;
	tr_found *found = NULL;
	size_t n = 0, nfound = 0, i;
	wp_buf out = WP_BUF_INIT;
	const wp_section *sec;
	int rc = WP_EXIT_OK, k;

	for (i = 1; i < t->svc->nlangs; i++)
		if (wp_cli_lang(o) == NULL ||
		    strcmp(wp_cli_lang(o), t->svc->langs[i]) == 0)
			collect_pending(t, o, t->svc->langs[i], &p, &n);
	for (k = 0; k < o->noperands; k++) {
		for (i = 0; i < n && strcmp(p[i].key, o->operands[k]); i++)
			;
		if (i == n) {
			fprintf(stderr, "wpgen translations diff: section "
			    "'%s' is not stale%s%s\n", o->operands[k],
			    wp_cli_lang(o) ? " in " : "", wp_cli_lang(o) ?
			    wp_cli_lang(o) : "");
			rc = WP_EXIT_CONTENT;
		}
	}
	if (n > 0)
		rc = search_history(t, p, n, &found, &nfound) == WP_EXIT_OK ?
		    rc : WP_EXIT_USAGE;
	for (i = 0; i < n && rc != WP_EXIT_USAGE; i++) {
		sec = &t->src->doc->sections[p[i].source];
		wp_buf_printf(&out, "%s%s %s %s", i ? "\n" : "", p[i].lang,
		    p[i].key, sec->title);
		if (p[i].found) {
			wp_buf_printf(&out, " (confirmed at %s)\n",
			    p[i].commit);
			wp_diff_section_words(found[p[i].found - 1].ed->doc,
			    (size_t)p[i].index, t->src->doc,
			    (size_t)p[i].source, &out);
		} else if (p[i].hash == NULL) {
			wp_buf_puts(&out, " (never confirmed: all of it is "
			    "new to the translation)\n");
			wp_diff_section_words(NULL, 0, t->src->doc,
			    (size_t)p[i].source, &out);
		} else {
			wp_buf_printf(&out, " (the confirmed source is not in "
			    "the last %d commits)\n", HISTORY_DEPTH);
			rc = WP_EXIT_CONTENT;
		}
	}
	if (wp_write_stdout("translations", out.data, out.len) != 0)
		rc = WP_EXIT_IO;
	for (i = 0; i < nfound; i++) {
		wp_edition_free(found[i].ed);
		wp_service_free(found[i].svc);
	}
	free(found);
	free(p);
	wp_buf_free(&out);
	return rc;
}

int
cmd_translations(int argc, char **argv)
{
	wp_cli_opts o;
	tr_state t;
	int rc, status, diff, all = 0, k, n;

	if (argc < 2 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0) {
		fputs(tr_usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? WP_EXIT_USAGE : WP_EXIT_OK;
	}
	status = strcmp(argv[1], "status") == 0;
	diff = strcmp(argv[1], "diff") == 0;
	/* --all (accept only) is taken out before the shared parser. */
	for (k = 2, n = 2; k < argc; k++) {
		if (!status && !diff && strcmp(argv[k], "--all") == 0)
			all = 1;
		else
			argv[n++] = argv[k];
	}
	argc = n;
	if (!status && !diff && strcmp(argv[1], "accept") != 0) {
		fprintf(stderr, "wpgen translations: unknown action '%s'\n",
		    argv[1]);
		return WP_EXIT_USAGE;
	}
	rc = wp_cli_parse(argc - 1, argv + 1, WP_OPT_CONTENT |
	    WP_OPT_TEMPLATES | WP_OPT_SERVICE | WP_OPT_LANG | WP_OPT_FORMAT,
	    0, status ? 1 : -1, tr_usage, &o);
	if (rc == 0 && o.format && strcmp(o.format, "text") != 0 &&
	    strcmp(o.format, "json") != 0) {
		fputs("wpgen translations: --format is text or json\n",
		    stderr);
		rc = WP_EXIT_USAGE;
	}
	if (rc == 0 && !status && o.format != NULL &&
	    strcmp(o.format, "text") != 0) {
		fprintf(stderr, "wpgen translations %s: no --format\n",
		    argv[1]);
		rc = WP_EXIT_USAGE;
	}
	if (rc != 0) {
		wp_cli_opts_free(&o);
		return rc < 0 ? WP_EXIT_OK : rc;
	}
	memset(&t, 0, sizeof t);
	wp_diags_init(&t.d);
	rc = tr_load(&t, &o);
	if (rc == WP_EXIT_OK)
		rc = status ? run_status(&t, &o) : diff ? run_diff(&t, &o) :
		    run_accept(&t, &o, all);
	tr_state_free(&t);
	wp_cli_opts_free(&o);
	return rc;
}
