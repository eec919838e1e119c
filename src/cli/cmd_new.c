/*
 * cmd_new.c: `wpgen new` and `wpgen init`, the start of an author's work.
 *
 * `new` writes a service from the skeleton templates under
 * templates/new/ (service.yaml with every key explained, a first chapter
 * a language, assets/) into a scratch directory beside it, records the
 * first chapter's translations as confirmed, and renames it into place:
 * the service checks clean at once and is never half-written.  `init`
 * starts a site: content/ with the catalogs (from the installed share
 * directory, else ./content/catalogs) and a README on where templates
 * come from.  Neither overwrites a file.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "commands.h"
#include "mustache.h"
#include "share.h"
#include "site.h"
#include "translate.h"
#include "content.h"
#include "util.h"

const char *wp_invoked_as = "wpgen";

typedef struct new_opts {
	const char *content, *templates, *style, *title, *id;
	char **langs;              /* NULL-terminated once parsed */
	size_t nlangs;
} new_opts;

static const char new_usage[] =
    "usage: wpgen new SERVICE [--style S] [--lang L[,L]...] [--title TEXT]\n"
    "                 [--content DIR] [--templates DIR]\n"
    "\n"
    "Starts the whitepaper SERVICE in DIR/SERVICE (default content/): a\n"
    "service.yaml with every key (the optional ones commented out, with\n"
    "an example), a first chapter in each language (the first is the\n"
    "source; default ja,en) with a section that addresses a control, and\n"
    "an assets/ directory.  The style defaults to fjcloud.  It checks\n"
    "clean at once.\n"
    "Nothing is overwritten: SERVICE must not exist yet.\n";

static const char init_usage[] =
    "usage: wpgen init [DIR]\n"
    "\n"
    "Starts a site in DIR (default: the current directory): content/ with\n"
    "the control catalogs, and a README.md saying where the templates come\n"
    "from.  Files that exist already are kept as they are.\n";

/* ---- new ---- */

static void
push_langs(new_opts *o, const char *arg)
{
	const char *p = arg, *comma;

	for (;;) {
		comma = strchr(p, ',');
		o->langs = xrealloc(o->langs, (o->nlangs + 2) *
		    sizeof *o->langs);
		o->langs[o->nlangs++] = comma ? xstrndup(p, (size_t)(comma -
		    p)) : xstrdup(p);
		o->langs[o->nlangs] = NULL;
		if (comma == NULL)
			break;
		p = comma + 1;
	}
}

static int
parse_new_opts(int argc, char **argv, new_opts *o)
{
	static const struct option longopts[] = {
		{"content", required_argument, NULL, 'c'},
		{"templates", required_argument, NULL, 't'},
		{"style", required_argument, NULL, 's'},
		{"lang", required_argument, NULL, 'l'},
		{"title", required_argument, NULL, 'T'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}
	};
	int c;
	size_t i, j;

	optind = 1;
	while ((c = getopt_long(argc, argv, "c:t:s:l:h", longopts, NULL)) !=
	    -1) {
		switch (c) {
		case 'c': o->content = optarg; break;
		case 't': o->templates = optarg; break;
		case 's': o->style = optarg; break;
		case 'l': push_langs(o, optarg); break;
		case 'T': o->title = optarg; break;
		case 'h': fputs(new_usage, stdout); return -1;
		default: fputs(new_usage, stderr); return WP_EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "wpgen new: %s\n", optind >= argc ?
		    "which SERVICE?" : "one SERVICE at a time");
		fputs(new_usage, stderr);
		return WP_EXIT_USAGE;
	}
	o->id = argv[optind];
	if (o->nlangs == 0) {
		push_langs(o, "ja,en");
	}
	for (i = 0; i < o->nlangs; i++) {
		if (!wp_lang_tag_valid(o->langs[i])) {
			fprintf(stderr, "wpgen new: '%s' is not a language "
			    "tag (ja, en, zh-Hant...)\n", o->langs[i]);
			return WP_EXIT_USAGE;
		}
		for (j = 0; j < i; j++)
			if (strcmp(o->langs[i], o->langs[j]) == 0) {
				fprintf(stderr, "wpgen new: language '%s' is "
				    "given twice\n", o->langs[i]);
				return WP_EXIT_USAGE;
			}
	}
	return 0;
}

/* A service id is a directory name that is safe in a URL. */
static int
valid_id(const char *s)
{
	size_t i;

	if (!isalnum((unsigned char)s[0]) || strlen(s) > 100 ||
	    strcmp(s, "catalogs") == 0 || wp_service_id_reserved(s))
		return 0;
	for (i = 1; s[i]; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr("._-", s[i]))
			return 0;
	return 1;
}

/* s as a YAML double-quoted scalar. */
static char *
yaml_quote(const char *s)
{
	wp_buf b = WP_BUF_INIT;

	wp_buf_putc(&b, '"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			wp_buf_printf(&b, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			wp_buf_printf(&b, "\\x%02x", (unsigned char)*s);
		else
			wp_buf_putc(&b, *s);
	}
	wp_buf_putc(&b, '"');
	return wp_buf_detach(&b);
}

/* Today (UTC), or the day of SOURCE_DATE_EPOCH, as YYYY-MM-DD. */
static void
today(char out[11])
{
	time_t t = time(NULL);
	struct tm tm;

	/* An invalid SOURCE_DATE_EPOCH stopped the command before. */
	if (wp_source_date(out) == 1)
		return;
	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

/* An example in each language: "{ja: X, en: Y}". */
static char *
per_lang(const new_opts *o, const char *ja, const char *other)
{
	wp_buf b = WP_BUF_INIT;
	size_t i;

	wp_buf_putc(&b, '{');
	for (i = 0; i < o->nlangs; i++)
		wp_buf_printf(&b, "%s%s: %s", i ? ", " : "", o->langs[i],
		    strcmp(o->langs[i], "ja") == 0 ? ja : other);
	wp_buf_putc(&b, '}');
	return wp_buf_detach(&b);
}

/* Where the reference of the content format is: installed with wpgen,
 * else in the source tree. */
static char *
format_doc(void)
{
	char *share = wp_share_dir(), *path;

	if (share == NULL)
		return xstrdup("docs/format.md");
	path = wp_path_join(share, "docs/format.md");
	free(share);
	if (wp_is_file(path))
		return path;
	free(path);
	return xstrdup("docs/format.md");
}

/* The control the skeleton's example section addresses: the first
 * control of ISO/IEC 27017:2015 when the site has it, else of its first
 * catalog that has a control; NULL when no catalog has one (catalogs are
 * content: one may hold nothing but its metadata). */
static const wp_catalog *
example_catalog(const wp_site *site)
{
	size_t i;

	for (i = 0; i < site->catalogs->len; i++)
		if (strcmp(site->catalogs->items[i]->id, "iso27017-2015") == 0 &&
		    site->catalogs->items[i]->ncontrols > 0)
			return site->catalogs->items[i];
	for (i = 0; i < site->catalogs->len; i++)
		if (site->catalogs->items[i]->ncontrols > 0)
			return site->catalogs->items[i];
	return NULL;
}

/* How a marker names cat: its first document-id without the year
 * ("ISO/IEC 27017") unless another catalog shares that, else with it;
 * its id when it has none. */
static char *
standard_name(const wp_site *site, const wp_catalog *cat)
{
	const char *id, *colon;
	size_t len, i, j;

	if (cat->ndocument_ids == 0)
		return xstrdup(cat->id);
	id = cat->document_ids[0];
	colon = strchr(id, ':');
	len = colon ? (size_t)(colon - id) : strlen(id);
	for (i = 0; i < site->catalogs->len; i++) {
		const wp_catalog *c = site->catalogs->items[i];

		for (j = 0; c != cat && j < c->ndocument_ids; j++)
			if (strncmp(c->document_ids[j], id, len) == 0 &&
			    strchr(":", c->document_ids[j][len]))
				return xstrdup(id);
	}
	return xstrndup(id, len);
}

/* The title of the example control in lang (else its first language). */
static const char *
example_title(const wp_catalog *cat, const char *lang)
{
	const wp_control *c = &cat->controls[0];
	size_t i;

	for (i = 0; i < cat->nlangs; i++)
		if (strcmp(cat->langs[i], lang) == 0 && c->titles[i])
			return c->titles[i];
	for (i = 0; i < cat->nlangs; i++)
		if (c->titles[i])
			return c->titles[i];
	return c->label;
}

/*
 * A name for a catalog without a document-id (a NIST OSCAL catalog), for
 * service.yaml's standards: its title up to its first word with a digit
 * ("NIST Special Publication 800-53" of "NIST Special Publication 800-53
 * Revision 5.1.1 MODERATE IMPACT BASELINE"), else its title, else its id
 * (malloc'd).
 */
static char *
catalog_short_name(const wp_catalog *cat)
{
	const char *t = cat->nlangs ? wp_catalog_title(cat, cat->langs[0]) :
	    NULL, *p, *end;
	size_t len;

	/* Only what a marker's STANDARD and a YAML key hold as they are. */
	if (t == NULL || !isalpha((unsigned char)*t) || strlen(t) > 200)
		return xstrdup(cat->id);
	for (p = t; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr(" ./-", *p))
			return xstrdup(cat->id);
	len = strlen(t);
	for (p = t; *p; p = end) {
		while (*p == ' ')
			p++;
		end = p + strcspn(p, " ");
		if (p + strcspn(p, "0123456789") < end) {
			len = (size_t)(end - t);
			break;
		}
	}
	while (len > 0 && t[len - 1] == ' ')
		len--;
	return xstrndup(t, len);
}

/* The pattern of the required_controls example ("NIST SP 800-53:AC-*"):
 * the letters (else the first number) of label, which the skeleton
 * follows with a star. */
static void
set_pattern_example(wp_value *ctx, const char *name, const char *label)
{
	size_t n = strcspn(label, "0123456789");

	if (n == 0)
		n = strspn(label, "0123456789") + (label[strspn(label,
		    "0123456789")] == '.');
	wp_map_set_str(ctx, "pattern_standard", name);
	wp_map_set(ctx, "pattern_prefix", wp_value_new_string_owned(
	    xstrndup(label, n)));
}

/* What the examples of the skeleton say about catalogs.  A catalog
 * without a document-id gets a name in standards (needs_name), which the
 * markers use: else its pages would name it by its whole title. */
static void
set_catalog_examples(wp_value *ctx, const wp_site *site)
{
	const wp_catalog *cat = example_catalog(site);
	const char *example;
	char *name, *marker;
	const char *title;

	/* ISO/IEC 27017's example is its cloud controls (CLD.*). */
	if (cat == NULL || strcmp(cat->id, "iso27017-2015") == 0)
		wp_map_set_bool(ctx, "pattern_cloud", 1);
	if (cat == NULL) {
		/* No catalog to name: the examples name the ISO/IEC
		 * catalogs `wpgen init` copies, and the skeleton says they
		 * check clean only once those are in content/catalogs/. */
		wp_map_set_str(ctx, "standards_example",
		    "{ISO 27017: iso27017-2015}");
		wp_map_set_str(ctx, "required_example",
		    "[\"ISO/IEC 27017:CLD.*\"]");
		return;
	}
	if (cat->ndocument_ids == 0) {
		name = catalog_short_name(cat);
		title = cat->nlangs ? wp_catalog_title(cat, cat->langs[0]) :
		    NULL;
		wp_map_set_bool(ctx, "needs_name", 1);
		wp_map_set_str(ctx, "catalog_id", cat->id);
		wp_map_set_str(ctx, "catalog_title", title ? title : cat->id);
		wp_map_set(ctx, "standards_entry", wp_value_new_string_owned(
		    xasprintf("{%s: %s}", name, cat->id)));
	} else {
		name = standard_name(site, cat);
	}
	marker = xasprintf("<%s %s>", name, cat->controls[0].label);
	wp_map_set_str(ctx, "example_marker", marker);
	wp_map_set_str(ctx, "example_label", cat->controls[0].label);
	wp_map_set(ctx, "required_example", wp_value_new_string_owned(
	    xasprintf("[\"%s:%s\"]", name, cat->controls[0].label)));
	example = strcmp(cat->id, "iso27017-2015") == 0 ? "ISO 27017" :
	    "Our catalog";
	wp_map_set_str(ctx, "standards_example_name", example);
	wp_map_set(ctx, "standards_example", wp_value_new_string_owned(
	    xasprintf("{%s: %s}", example, cat->id)));
	if (wp_map_get(ctx, "pattern_cloud") == NULL)
		set_pattern_example(ctx, name, cat->controls[0].label);
	free(marker);
	free(name);
}

static wp_value *
new_context(const new_opts *o, const wp_site *site)
{
	wp_value *ctx = wp_value_new_map(), *list, *item;
	char date[11], *copyright_ja, *copyright_en;
	const wp_catalog *first;
	const char *title = o->title ? o->title : o->id;
	size_t i, n;
	char **styles = wp_style_names(site->templates_dir, &n);

	list = wp_map_set_list(ctx, "styles");
	for (i = 0; i < n; i++) {
		item = wp_list_push(list, wp_value_new_map());
		wp_map_set_str(item, "name", styles[i]);
		wp_map_set_bool(item, "last", i + 1 == n);
	}
	wp_strv_free(styles);

	today(date);
	wp_map_set_str(ctx, "id", o->id);
	wp_map_set_str(ctx, "style", o->style);
	wp_map_set_str(ctx, "title", title);
	wp_map_set(ctx, "title_yaml", wp_value_new_string_owned(
	    yaml_quote(title)));
	wp_map_set(ctx, "provider_example", wp_value_new_string_owned(
	    per_lang(o, "株式会社〇〇", "Example Corporation")));
	wp_map_set(ctx, "description_example", wp_value_new_string_owned(
	    per_lang(o, "〇〇の情報セキュリティ対策のご説明",
	    "How the service protects its customers' information")));
	wp_map_set(ctx, "short_title_example", wp_value_new_string_owned(
	    per_lang(o, "〇〇", "Example")));
	wp_map_set_str(ctx, "date", date);
	wp_map_set(ctx, "label_example", wp_value_new_string_owned(
	    per_lang(o, "初版", "First edition")));
	copyright_ja = xasprintf("\"© %.4s 株式会社〇〇\"", date);
	copyright_en = xasprintf("\"© %.4s Example Corporation\"", date);
	wp_map_set(ctx, "copyright_example", wp_value_new_string_owned(
	    per_lang(o, copyright_ja, copyright_en)));
	free(copyright_ja);
	free(copyright_en);
	wp_map_set(ctx, "labels_example", wp_value_new_string_owned(
	    per_lang(o, "{xref_title: \"付録{{appendix_letter}} 管理策と本書の"
	    "該当箇所\"}", "{xref_title: \"Appendix {{appendix_letter}}: "
	    "Where this document addresses each control\"}")));
	set_catalog_examples(ctx, site);
	wp_map_set(ctx, "format_doc", wp_value_new_string_owned(
	    format_doc()));
	list = wp_map_set_list(ctx, "langs");
	for (i = 0; i < o->nlangs; i++) {
		item = wp_list_push(list, wp_value_new_map());
		wp_map_set_str(item, "lang", o->langs[i]);
		wp_map_set_str(item, "first_edition",
		    strcmp(o->langs[i], "ja") == 0 ? "初版" : "First edition");
		wp_map_set_bool(item, "last", i + 1 == o->nlangs);
	}
	/* The example's catalog first (its appendix comes first), then the
	 * others in order of id. */
	list = wp_map_set_list(ctx, "catalogs");
	if ((first = example_catalog(site)) != NULL)
		wp_map_set_str(wp_list_push(list, wp_value_new_map()), "id",
		    first->id);
	for (i = 0; i < site->catalogs->len; i++)
		if (site->catalogs->items[i] != first)
			wp_map_set_str(wp_list_push(list, wp_value_new_map()),
			    "id", site->catalogs->items[i]->id);
	if ((n = wp_value_len(list)) > 0)
		wp_map_set_bool(list->u.list.items[n - 1], "last", 1);
	wp_map_set_bool(ctx, "has_catalogs", site->catalogs->len > 0);
	return ctx;
}

/* Renders templates/<name>.mustache into path. */
static int
write_from_template(wp_site *site, const char *name, const wp_value *ctx,
    const char *path, wp_diags *d)
{
	const wp_template *t = wp_templates_get(wp_site_templates(site),
	    name, d);
	wp_buf out = WP_BUF_INIT;
	int rc = -1;

	if (t && wp_template_render(wp_site_templates(site), t, ctx, &out,
	    d) == 0) {
		rc = wp_write_file(path, out.data ? out.data : "", out.len);
		if (rc != 0)
			wp_diag_add(d, WP_ERROR, path, 0, 0, "io-error",
			    "cannot write: %s", strerror(errno));
	}
	wp_buf_free(&out);
	return rc;
}

/* The skeleton chapter for lang: new/chapter.<lang>, else English. */
static char *
chapter_template(const wp_site *site, const char *lang)
{
	char *path = xasprintf("%s/new/chapter.%s.mustache",
	    site->templates_dir, lang);
	char *name = wp_is_file(path) ? xasprintf("new/chapter.%s", lang) :
	    xstrdup("new/chapter.en");

	free(path);
	return name;
}

/* Every section of every target edition confirmed as translated. */
static void
accept_first_chapter(wp_site *site, const char *content, const char *dir,
    wp_diags *d)
{
	wp_service *svc = wp_service_load(content, dir, d);
	wp_lock *lock = svc ? wp_lock_load(svc, d) : NULL;
	wp_edition *src = lock ? wp_edition_load(site, svc, NULL, d) : NULL;
	wp_edition *tgt;
	wp_tr_align al;
	size_t i, k;
	char hash[17], thash[17];

	for (k = 1; src && k < svc->nlangs; k++) {
		tgt = wp_edition_load_target(site, svc, svc->langs[k], NULL,
		    d);
		if (tgt == NULL || tgt->doc == NULL) {
			wp_edition_free(tgt);
			continue;
		}
		wp_translations_align(src->doc, tgt->doc, svc->langs[k], lock,
		    &al);
		for (i = 0; i < al.len; i++) {
			if (al.items[i].source < 0 || al.items[i].target < 0)
				continue;
			wp_section_hash(src->doc, (size_t)al.items[i].source,
			    hash);
			wp_section_hash(tgt->doc, (size_t)al.items[i].target,
			    thash);
			wp_lock_set(lock, svc->langs[k], al.items[i].key, hash,
			    thash);
		}
		wp_tr_align_free(&al);
		wp_edition_free(tgt);
	}
	if (src && svc->nlangs > 1 && wp_lock_save(lock) != 0)
		wp_diag_add(d, WP_ERROR, lock->path, 0, 0, "io-error",
		    "cannot write: %s", strerror(errno));
	wp_edition_free(src);
	wp_lock_free(lock);
	wp_service_free(svc);
}

/* Writes the service into content/<tmpname>; 0 or -1 (diagnostics). */
static int
write_service(wp_site *site, const new_opts *o, const char *tmpname,
    wp_diags *d)
{
	char *dir = wp_path_join(o->content, tmpname), *path, *name;
	wp_value *ctx = new_context(o, site);
	const wp_catalog *cat;
	size_t i;
	int rc = 0;

	path = wp_path_join(dir, "assets");
	if (wp_mkdir_p(path) != 0) {
		wp_diag_add(d, WP_ERROR, path, 0, 0, "io-error",
		    "cannot make the directory: %s", strerror(errno));
		rc = -1;
	}
	free(path);
	path = wp_path_join(dir, "service.yaml");
	if (rc == 0)
		rc = write_from_template(site, "new/service.yaml", ctx, path,
		    d);
	free(path);
	for (i = 0; rc == 0 && i < o->nlangs; i++) {
		path = xasprintf("%s/%s/01-introduction.md", dir,
		    o->langs[i]);
		name = chapter_template(site, o->langs[i]);
		char *sub = wp_path_dirname(path);
		if (wp_mkdir_p(sub) != 0) {
			wp_diag_add(d, WP_ERROR, sub, 0, 0, "io-error",
			    "cannot make the directory: %s", strerror(errno));
			rc = -1;
		} else {
			wp_map_set_str(ctx, "lang", o->langs[i]);
			if ((cat = example_catalog(site)) != NULL)
				wp_map_set_str(ctx, "example_title",
				    example_title(cat, o->langs[i]));
			rc = write_from_template(site, name, ctx, path, d);
		}
		free(sub);
		free(name);
		free(path);
	}
	if (rc == 0)
		accept_first_chapter(site, o->content, tmpname, d);
	wp_value_free(ctx);
	free(dir);
	return rc == 0 && d->errors == 0 ? 0 : -1;
}

static int
check_style(const new_opts *o, const char *templates)
{
	size_t n, i;
	char **styles = wp_style_names(templates, &n);
	int found = 0;

	for (i = 0; i < n; i++)
		found |= strcmp(styles[i], o->style) == 0;
	if (!found) {
		fprintf(stderr, "wpgen new: no style '%s' in %s/ (", o->style,
		    templates);
		for (i = 0; i < n; i++)
			fprintf(stderr, "%s%s", i ? ", " : "", styles[i]);
		fputs(n ? ")\n" : "no styles at all: give --templates DIR)\n",
		    stderr);
	}
	wp_strv_free(styles);
	return found;
}

static int
run_new(new_opts *o)
{
	char *final = wp_path_join(o->content, o->id);
	char *tmpname = xasprintf(".%s.new-%ld", o->id, (long)getpid());
	char *tmp = wp_path_join(o->content, tmpname);
	char *templates = wp_templates_find(o->templates);
	struct stat st;
	wp_diags d;
	wp_site *site = NULL;
	size_t i;
	int rc = WP_EXIT_OK;

	wp_diags_init(&d);
	if (!valid_id(o->id)) {
		fprintf(stderr, "wpgen new: '%s' cannot name a service: use "
		    "letters, digits, '.', '-' and '_', starting with a letter "
		    "or digit (not 'catalogs' or 'assets', nor ending in "
		    "'.html', names of the site's own)\n", o->id);
		rc = WP_EXIT_USAGE;
	} else if (!wp_is_dir(o->content)) {
		fprintf(stderr, "wpgen new: no content directory %s; start a "
		    "site with `wpgen init`, or give --content DIR\n",
		    o->content);
		rc = WP_EXIT_IO;
	} else if (lstat(final, &st) == 0) {
		fprintf(stderr, "wpgen new: %s exists already; nothing was "
		    "written\n", final);
		rc = WP_EXIT_USAGE;
	} else if (!check_style(o, templates)) {
		rc = WP_EXIT_USAGE;
	} else if ((site = wp_site_open(o->content, templates, NULL, &d)) == NULL ||
	    d.errors) {
		rc = WP_EXIT_CONTENT;
	} else if (write_service(site, o, tmpname, &d) != 0) {
		rc = d.errors ? WP_EXIT_CONTENT : WP_EXIT_IO;
	} else if (rename(tmp, final) != 0) {
		fprintf(stderr, "wpgen new: cannot make %s: %s\n", final,
		    strerror(errno));
		rc = WP_EXIT_IO;
	}
	if (wp_is_dir(tmp))
		wp_remove_tree(tmp);
	wp_diags_sort(&d);
	wp_diags_print_text(&d, stderr);
	if (rc == WP_EXIT_OK) {
		printf("created %s/\n  service.yaml\n", final);
		for (i = 0; i < o->nlangs; i++)
			printf("  %s/01-introduction.md\n", o->langs[i]);
		printf("  assets/\n%s", o->nlangs > 1 ? "  translations.lock\n"
		    : "");
		printf("next: edit the chapters, then `%s serve` to watch "
		    "the page as you write, or `%s check`.\n", wp_invoked_as,
		    wp_invoked_as);
	}
	wp_site_free(site);
	wp_diags_free(&d);
	free(templates);
	free(tmp);
	free(tmpname);
	free(final);
	return rc;
}

int
cmd_new(int argc, char **argv)
{
	new_opts o = {"content", NULL, "fjcloud", NULL, NULL, NULL, 0};
	int rc = parse_new_opts(argc, argv, &o);

	if (rc == 0)
		rc = run_new(&o);
	else if (rc < 0)
		rc = WP_EXIT_OK;
	wp_strv_free(o.langs);
	return rc;
}

/* ---- init ---- */

/* Where the catalogs of a new site come from. */
static char *
catalogs_source(void)
{
	char *share = wp_share_dir(), *dir;

	if (share) {
		dir = wp_path_join(share, "catalogs");
		free(share);
		if (wp_is_dir(dir))
			return dir;
		free(dir);
	}
	return wp_is_dir("content/catalogs") ? xstrdup("content/catalogs") :
	    NULL;
}

static int
same_dir(const char *a, const char *b)
{
	struct stat sa, sb;

	return stat(a, &sa) == 0 && stat(b, &sb) == 0 &&
	    sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* Copies the catalog files that dest lacks; counts copied and kept. */
static int
copy_catalogs(const char *src, const char *dest, int *copied, int *kept)
{
	char **names = wp_dir_names(src, ".xml", NULL);
	char *from, *to;
	size_t i;
	int rc = 0;

	for (i = 0; names && names[i] && rc == 0; i++) {
		from = wp_path_join(src, names[i]);
		to = wp_path_join(dest, names[i]);
		if (access(to, F_OK) == 0) {
			(*kept)++;
		} else if (wp_copy_file(from, to) != 0) {
			fprintf(stderr, "wpgen init: cannot write %s: %s\n", to,
			    strerror(errno));
			rc = -1;
		} else {
			(*copied)++;
		}
		free(from);
		free(to);
	}
	wp_strv_free(names);
	return rc;
}

/* DIR/README.md from templates/new/README.md, when absent. */
static int
write_readme(const char *dir, const char *installed)
{
	char *templates = wp_templates_find(NULL);
	char *path = wp_path_join(dir, "README.md");
	wp_templates *reg;
	const wp_template *t;
	wp_value *ctx;
	wp_buf out = WP_BUF_INIT;
	wp_diags d;
	int rc = 0;

	if (access(path, F_OK) == 0) {
		free(templates);
		free(path);
		return 0;
	}
	wp_diags_init(&d);
	reg = wp_templates_new_dir(templates, 1);
	ctx = wp_value_new_map();
	wp_map_set_str(ctx, "installed", installed);
	wp_map_set(ctx, "format_doc", wp_value_new_string_owned(
	    format_doc()));
	if ((t = wp_templates_get(reg, "new/README.md", &d)) != NULL &&
	    wp_template_render(reg, t, ctx, &out, &d) == 0) {
		if (wp_write_file(path, out.data, out.len) != 0) {
			fprintf(stderr, "wpgen init: cannot write %s: %s\n",
			    path, strerror(errno));
			rc = -1;
		} else {
			rc = 1;
		}
	}
	wp_diags_print_text(&d, stderr);
	wp_diags_free(&d);
	wp_value_free(ctx);
	wp_templates_free(reg);
	wp_buf_free(&out);
	free(path);
	free(templates);
	return rc;
}

int
cmd_init(int argc, char **argv)
{
	const char *dir = ".";
	char *src, *dest, *share, *installed, *prog;
	int copied = 0, kept = 0, rc = WP_EXIT_OK, readme;

	if (argc > 1 && (strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0)) {
		fputs(init_usage, stdout);
		return WP_EXIT_OK;
	}
	if (argc > 2 || (argc == 2 && argv[1][0] == '-' &&
	    strcmp(argv[1], "-") != 0)) {
		fputs(init_usage, stderr);
		return WP_EXIT_USAGE;
	}
	if (argc == 2)
		dir = argv[1];
	if ((src = catalogs_source()) == NULL) {
		fputs("wpgen init: no catalogs to start from: wpgen is not "
		    "installed (make install) and there is no "
		    "content/catalogs here\n", stderr);
		return WP_EXIT_IO;
	}
	dest = xasprintf("%s/content/catalogs", dir);
	share = wp_share_dir();
	installed = share ? wp_path_join(share, "templates") :
	    xstrdup("none: wpgen is not installed");
	if (wp_mkdir_p(dest) != 0) {
		fprintf(stderr, "wpgen init: cannot make %s: %s\n", dest,
		    strerror(errno));
		rc = WP_EXIT_IO;
	} else if (!same_dir(src, dest) &&
	    copy_catalogs(src, dest, &copied, &kept) != 0) {
		rc = WP_EXIT_IO;
	}
	readme = rc == WP_EXIT_OK ? write_readme(dir, installed) : 0;
	if (readme < 0)
		rc = WP_EXIT_IO;
	if (rc == WP_EXIT_OK) {
		printf("started a site in %s:\n", dir);
		printf("  content/catalogs/  %d catalog file%s copied from %s",
		    copied, copied == 1 ? "" : "s", src);
		if (kept)
			printf(", %d kept as they were", kept);
		printf("\n%s", readme > 0 ? "  README.md          this "
		    "site's layout, and where its templates come from\n" :
		    "");
		printf("templates: --templates DIR, else ./templates, else "
		    "the installed ones (%s)\n", installed);
		/* After cd, a relative ./wpgen would name nothing. */
		prog = wp_invoked_as[0] == '/' || !strchr(wp_invoked_as, '/') ?
		    NULL : realpath(wp_invoked_as, NULL);
		printf("next: cd %s && %s new my-service && %s serve\n", dir,
		    prog ? prog : wp_invoked_as, prog ? prog : wp_invoked_as);
		free(prog);
	}
	free(installed);
	free(share);
	free(dest);
	free(src);
	return rc;
}
