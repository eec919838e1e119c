/*
 * cmd_translations.c: `wpgen translations status` and `wpgen translations
 * accept`: which sections of each target language are missing, stale or
 * extra, and recording translations as confirmed in translations.lock.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "commands.h"
#include "options.h"
#include "project.h"
#include "translate.h"
#include "util.h"

static const char tr_usage[] =
    "usage: wpgen translations status SERVICE [--content DIR] [--lang L]\n"
    "                                 [--format text|json]\n"
    "       wpgen translations accept SERVICE --lang L [--content DIR] "
    "[KEY...]\n"
    "\n"
    "status lists, per target language, the sections that are missing,\n"
    "stale (the source changed since the translation was confirmed) or\n"
    "extra, and the strings outside the Markdown that the language lacks.\n"
    "accept records the current source of the given sections (all of\n"
    "them when no KEY is given) as translated into L, in translations.lock.\n";

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
	if (out.len)	/* nothing to write for a service of one language */
		fwrite(out.data, 1, out.len, stdout);
	wp_buf_free(&out);
	wp_value_free(root);
	return t->d.errors ? WP_EXIT_CONTENT : WP_EXIT_OK;
}

/* ---- accept ---- */

static int
accept_key(tr_state *t, const wp_document *tgt, const char *lang,
    const char *key)
{
	long s = wp_document_find_key(t->src->doc, key);
	char hash[17];

	if (s < 0) {
		fprintf(stderr, "wpgen: no section '%s' in the %s edition\n",
		    key, t->svc->langs[0]);
		return 0;
	}
	if (wp_document_find_key(tgt, key) < 0) {
		fprintf(stderr, "wpgen: section '%s' is not translated into "
		    "%s yet\n", key, lang);
		return 0;
	}
	wp_section_hash(t->src->doc, (size_t)s, hash);
	wp_lock_set(t->lock, lang, key, hash);
	return 1;
}

/* Every section that both editions have. */
static size_t
accept_all(tr_state *t, const wp_document *tgt, const char *lang)
{
	wp_tr_align al;
	size_t i, n = 0;
	char hash[17];

	wp_translations_align(t->src->doc, tgt, lang, t->lock, &al);
	for (i = 0; i < al.len; i++) {
		if (al.items[i].source < 0 || al.items[i].target < 0)
			continue;
		wp_section_hash(t->src->doc, (size_t)al.items[i].source, hash);
		wp_lock_set(t->lock, lang, al.items[i].key, hash);
		n++;
	}
	wp_tr_align_free(&al);
	return n;
}

static int
run_accept(tr_state *t, const wp_cli_opts *o)
{
	const char *lang = wp_cli_lang(o);
	wp_edition *tgt;
	size_t accepted = 0;
	int k, ok = 1;

	if (lang == NULL) {
		fputs("wpgen translations accept: --lang L is required\n",
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
		accepted = accept_all(t, tgt->doc, lang);
	wp_edition_free(tgt);
	if (!ok)
		return WP_EXIT_CONTENT;
	if (wp_lock_save(t->lock) != 0) {
		perror(t->lock->path);
		return WP_EXIT_IO;
	}
	fprintf(stderr, "accepted %zu section%s of %s for %s\n", accepted,
	    accepted == 1 ? "" : "s", t->svc->id, lang);
	return WP_EXIT_OK;
}

int
cmd_translations(int argc, char **argv)
{
	wp_cli_opts o;
	tr_state t;
	int rc, status;

	if (argc < 2 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0) {
		fputs(tr_usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? WP_EXIT_USAGE : WP_EXIT_OK;
	}
	status = strcmp(argv[1], "status") == 0;
	if (!status && strcmp(argv[1], "accept") != 0) {
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
		fputs("wpgen translations accept: no --format\n", stderr);
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
		rc = status ? run_status(&t, &o) : run_accept(&t, &o);
	tr_state_free(&t);
	wp_cli_opts_free(&o);
	return rc;
}
