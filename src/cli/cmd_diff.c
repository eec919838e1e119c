/*
 * cmd_diff.c: `wpgen diff OLD NEW`: two Markdown files or two edition
 * directories compared section by section, as an HTML redline, JSON or a
 * text summary with a revision note; and `wpgen diff SERVICE --from REV
 * [--to REV]`: an edition at a git revision against another revision or
 * the working tree (pastrev.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "commands.h"
#include "content.h"
#include "diff.h"
#include "labels.h"
#include "options.h"
#include "project.h"
#include "pastrev.h"
#include "pdf.h"
#include "site.h"
#include "util.h"

static const char diff_usage[] =
    "usage: wpgen diff OLD NEW [--content DIR] [--templates DIR]\n"
    "                  [--format html|pdf|json|text] [--output FILE]\n"
    "                  [--context N]\n"
    "       wpgen diff SERVICE --from REV [--to REV] [--lang L] [same options]\n"
    "\n"
    "Compares two revisions: two Markdown files or two edition directories\n"
    "(content/idcf/ja); or, with --from, the edition of SERVICE at git\n"
    "revision REV of the repository that holds --content against --to REV\n"
    "or, without --to, the working tree (read through libgit2, nothing is\n"
    "checked out).  --lang defaults to the service's source language.\n"
    "Sections are paired by key and by content, so a moved, renumbered or\n"
    "inserted section is one change; changed sections are compared word\n"
    "by word (character by character in Japanese).  The catalogs come from\n"
    "--content (default content/).  The default format is text: the\n"
    "changes and a revision note ready to paste into service.yaml.  html\n"
    "is a redline through the templates of --templates; pdf is the same\n"
    "redline printed by WeasyPrint, written to --output FILE (required:\n"
    "a PDF is not written to standard output); --context N shows\n"
    "unchanged sections more than N sections from a change as headings.\n";

/* One side: its files, and the service it belongs to, if any; or an
 * edition of a service (the SERVICE form). */
typedef struct side {
	char **files;
	wp_service *svc;
	char *lang;
	wp_document *doc;
	wp_edition *ed;
	wp_gitrev *git;
	char *name;
} side;

/* The service whose edition directory dir is (content/svc/ja). */
static wp_service *
service_of(const char *dir, const char **lang, wp_diags *d)
{
	char *norm = wp_path_normalize(dir), *svcdir, *content, *yaml;
	const char *base = strrchr(norm, '/');
	wp_service *svc = NULL;
	const char *id;

	*lang = base ? base + 1 : norm;
	svcdir = wp_path_dirname(norm);
	yaml = wp_path_join(svcdir, "service.yaml");
	if (wp_is_file(yaml)) {
		content = wp_path_dirname(svcdir);
		id = strrchr(svcdir, '/') ? strrchr(svcdir, '/') + 1 : svcdir;
		svc = wp_service_load(content, id, d);
		free(content);
	}
	*lang = xstrdup(*lang);
	free(yaml);
	free(svcdir);
	free(norm);
	return svc;
}

/* The language of a text outside any edition directory: Japanese when a
 * good part of its letters are CJK. */
static const char *
guess_lang(char *const *files)
{
	size_t i, cjk = 0, letters = 0, len, k, clen;
	char *text;
	unsigned cp;

	for (i = 0; files[i]; i++) {
		if ((text = wp_read_file(files[i], &len)) == NULL)
			continue;
		for (k = 0; k < len; k += clen) {
			cp = wp_utf8_decode(text + k, len - k, &clen);
			if (wp_is_cjk(cp))
				cjk++;
			if (wp_is_cjk(cp) || (cp < 0x80 && (cp | 0x20) >= 'a' &&
			    (cp | 0x20) <= 'z'))
				letters++;
		}
		free(text);
	}
	return cjk * 5 > letters ? "ja" : "en";
}

static int
load_side(side *s, const char *path, wp_site *site, wp_diags *d)
{
	wp_document_options opt;
	const char *lang = NULL;
	char *dir;

	memset(s, 0, sizeof *s);
	if (wp_is_dir(path)) {
		dir = xstrdup(path);
		s->files = wp_dir_names(path, ".md", NULL);
	} else if (wp_is_file(path)) {
		dir = wp_path_dirname(path);
		s->files = xcalloc(2, sizeof *s->files);
		s->files[0] = xstrdup(path);
	} else {
		fprintf(stderr, "wpgen diff: no such file or directory: %s\n",
		    path);
		return WP_EXIT_IO;
	}
	s->svc = service_of(dir, &lang, d);
	s->lang = (char *)lang;
	if (wp_is_dir(path)) {
		size_t i;
		for (i = 0; s->files && s->files[i]; i++) {
			char *name = s->files[i];
			s->files[i] = wp_path_join(path, name);
			free(name);
		}
	}
	free(dir);
	memset(&opt, 0, sizeof opt);
	if (s->svc)
		wp_document_options_for(site, s->svc, s->lang, &opt);
	opt.catalogs = site->catalogs;
	opt.lang = s->svc && wp_service_has_lang(s->svc, s->lang) ? s->lang :
	    guess_lang(s->files);
	s->doc = wp_document_load(s->files, &opt, d);
	return WP_EXIT_OK;
}

static void
free_side(side *s)
{
	if (s->ed)
		wp_edition_free(s->ed);
	else
		wp_document_free(s->doc);
	wp_service_free(s->svc);
	wp_gitrev_free(s->git);
	wp_strv_free(s->files);
	free(s->lang);
	free(s->name);
}

typedef struct diff_opts {
	const char *content, *templates, *format, *output;
	const char *old, *new;
	const char *service, *from, *to, *lang;
	int context;
} diff_opts;

/* Opens revision rev of the content tree; an exit status on failure. */
static int
open_revision(const char *content, const char *rev, wp_gitrev **g)
{
	wp_gitrev_error err;
	char *msg;

	if ((*g = wp_gitrev_open(content, rev, &err, &msg)) != NULL)
		return WP_EXIT_OK;
	fprintf(stderr, "wpgen diff: %s\n", msg);
	free(msg);
	switch (err) {
	case WP_GITREV_NO_REPOSITORY:
	case WP_GITREV_UNKNOWN_REV:
		return WP_EXIT_USAGE;
	case WP_GITREV_NO_CONTENT:
		return WP_EXIT_CONTENT;
	default:
		return WP_EXIT_IO;
	}
}

/* Whether the revision has service id (its service.yaml). */
static int
service_at(const wp_gitrev *g, const char *id)
{
	char *rel = xasprintf("%s/service.yaml", id);
	char *text = wp_gitrev_read(g, rel, NULL);
	int found = text != NULL;

	free(text);
	free(rel);
	return found;
}

/* The working tree's unsafe_html for the service (0 when it has none or
 * cannot be read): what a revision read from git is held to. */
static int
unsafe_now(const diff_opts *o)
{
	wp_diags quiet;
	wp_service *svc;
	int unsafe;

	wp_diags_init(&quiet);
	svc = wp_service_load(o->content, o->service, &quiet);
	unsafe = svc ? svc->unsafe_html : 0;
	wp_service_free(svc);
	wp_diags_free(&quiet);
	return unsafe;
}

/* The edition of the service at rev (NULL: the working tree). */
static int
load_edition_side(side *s, const diff_opts *o, const char *rev,
    wp_site *site, wp_diags *d)
{
	int rc;

	memset(s, 0, sizeof *s);
	if (rev) {
		if ((rc = open_revision(o->content, rev, &s->git)) != 0)
			return rc;
		if (!service_at(s->git, o->service)) {
			/* Unknown, as in every command: a usage error. */
			char *yaml = xasprintf("%s/%s/service.yaml",
			    o->content, o->service);
			fprintf(stderr, "wpgen diff: no service '%s' at %s in "
			    "%s (%s)\n", o->service, rev, o->content,
			    wp_is_file(yaml) ? "the working tree has it: it "
			    "was added or renamed after that revision" : "a "
			    "service is a directory with service.yaml");
			free(yaml);
			return WP_EXIT_USAGE;
		}
		s->svc = wp_past_service(site, s->git, o->service,
		    unsafe_now(o), d);
	} else {
		char *yaml = xasprintf("%s/%s/service.yaml", o->content,
		    o->service);
		if (!wp_is_file(yaml)) {
			wp_project_say_no_service("diff", o->content,
			    o->service);
			free(yaml);
			return WP_EXIT_USAGE;
		}
		free(yaml);
		s->svc = wp_service_load(o->content, o->service, d);
	}
	if (s->svc == NULL)
		return WP_EXIT_CONTENT;
	s->lang = xstrdup(o->lang ? o->lang : s->svc->langs[0]);
	if (!wp_service_has_lang(s->svc, s->lang)) {
		fprintf(stderr, "wpgen diff: service '%s'%s%s has no language "
		    "'%s'\n", o->service, rev ? " at " : "", rev ? rev : "",
		    s->lang);
		return WP_EXIT_USAGE;
	}
	if (rev) {
		s->ed = wp_past_edition(site, s->git, s->svc, s->lang, d);
		s->name = xasprintf("%s%s/%s", wp_gitrev_prefix(s->git),
		    o->service, s->lang);
	} else {
		s->ed = wp_edition_load(site, s->svc, s->lang, d);
		s->name = xasprintf("%s/%s/%s", o->content, o->service,
		    s->lang);
	}
	s->doc = s->ed ? s->ed->doc : NULL;
	return WP_EXIT_OK;
}

static int
parse_diff_opts(int argc, char **argv, wp_cli_opts *cli, diff_opts *o)
{
	int rc = wp_cli_parse(argc, argv, WP_OPT_CONTENT | WP_OPT_TEMPLATES |
	    WP_OPT_FORMAT | WP_OPT_OUTPUT | WP_OPT_LANG | WP_OPT_SERVICE |
	    WP_OPT_REVS | WP_OPT_CONTEXT, 0, 2, diff_usage, cli);

	if (rc != 0)
		return rc;
	o->content = cli->project.content ? cli->project.content : "content";
	o->templates = cli->project.templates;
	o->format = cli->format ? cli->format : "text";
	o->output = cli->output;
	o->from = cli->from;
	o->to = cli->to;
	o->lang = wp_cli_lang(cli);
	o->context = cli->context;
	if (cli->project.nservices == 1 && cli->noperands == 0)
		o->service = cli->project.services[0];
	else if (cli->project.nservices == 0 && cli->noperands == 1)
		o->service = cli->operands[0];
	if (strcmp(o->format, "pdf") == 0 && o->output == NULL) {
		fprintf(stderr, "wpgen diff: --format pdf writes a file: give "
		    "--output FILE.pdf (a PDF is not written to standard "
		    "output)\n");
		return WP_EXIT_USAGE;
	}
	if ((strcmp(o->format, "html") && strcmp(o->format, "json") &&
	    strcmp(o->format, "text") && strcmp(o->format, "pdf")) ||
	    (o->from ? o->service == NULL : cli->noperands != 2 ||
	    cli->project.nservices > 0) ||
	    (!o->from && (o->to || o->lang))) {
		fputs(diff_usage, stderr);
		return WP_EXIT_USAGE;
	}
	if (!o->from) {
		o->old = cli->operands[0];
		o->new = cli->operands[1];
	}
	return 0;
}

/* The media type of an image file, from its name (for a data: URL). */
static const char *
image_type(const char *name)
{
	static const char *const types[][2] = {
		{".svg", "image/svg+xml"}, {".png", "image/png"},
		{".jpg", "image/jpeg"}, {".jpeg", "image/jpeg"},
		{".gif", "image/gif"}, {".webp", "image/webp"},
		{".avif", "image/avif"},
	};
	size_t i, n = strlen(name), k;

	for (i = 0; i < sizeof types / sizeof types[0]; i++) {
		k = strlen(types[i][0]);
		if (n >= k && strcasecmp(name + n - k, types[i][0]) == 0)
			return types[i][1];
	}
	return "application/octet-stream";
}

/* data as a data: URL of the type of name (malloc'd). */
static char *
data_url(const char *name, const unsigned char *data, size_t len)
{
	static const char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789+/";
	wp_buf b = WP_BUF_INIT;
	unsigned long v;
	size_t i, k;

	wp_buf_printf(&b, "data:%s;base64,", image_type(name));
	for (i = 0; i < len; i += 3) {
		v = (unsigned long)data[i] << 16;
		if (i + 1 < len)
			v |= (unsigned long)data[i + 1] << 8;
		if (i + 2 < len)
			v |= data[i + 2];
		for (k = 0; k < 4; k++)
			wp_buf_putc(&b, i + k <= len ?
			    digits[(v >> (18 - 6 * k)) & 63] : '=');
	}
	return wp_buf_detach(&b);
}

/* Where a side's images are written beside a redline --output FILE:
 * FILE's name without .html, then "-files/old" or "-files/new", as the
 * redlines a build publishes keep theirs (changes-3.0-files/old). */
static char *
files_dir(const char *output, const char *which)
{
	const char *base = strrchr(output, '/') ? strrchr(output, '/') + 1 :
	    output;
	size_t n = strlen(base);

	if (n > 5 && strcmp(base + n - 5, ".html") == 0)
		n -= 5;
	return xasprintf("%.*s-files/%s", (int)n, base, which);
}

/*
 * The images of a side read from git, as the redline shows them: the
 * revision's own files, never the working tree's of the same name.  An
 * HTML redline written with --output gets them beside it, under
 * files_dir(); one on standard output, or printed to PDF (whose HTML is
 * a passing file), as data: URLs.  An image the revision lacks keeps its
 * name (shown as its text).  0, or -1 when a file cannot be written.
 */
static int
point_images_at_revision(wp_document *doc, const side *s, const char *which,
    const diff_opts *o)
{
	int beside = o->output && strcmp(o->format, "html") == 0;
	char *dir = beside ? wp_path_dirname(o->output) : NULL;
	char *files = beside ? files_dir(o->output, which) : NULL;
	char *data, *href, *path, *parent;
	size_t i, len;
	int rc = 0;

	for (i = 0; i < doc->nimages && rc == 0; i++) {
		data = wp_gitrev_read_named(s->git, doc->images[i].path, &len);
		if (data == NULL)
			continue;
		if (beside) {
			href = xasprintf("%s/%s", files, doc->images[i].href);
			path = wp_path_join(dir, href);
			parent = wp_path_dirname(path);
			if (wp_mkdir_p(parent) != 0 ||
			    wp_write_file(path, data, len) != 0) {
				fprintf(stderr, "wpgen diff: cannot write %s: "
				    "%s\n", path, strerror(errno));
				rc = -1;
			}
			free(parent);
			free(path);
		} else {
			href = data_url(doc->images[i].path,
			    (const unsigned char *)data, len);
		}
		free(doc->images[i].href);
		doc->images[i].href = href;
		free(data);
	}
	free(files);
	free(dir);
	return rc;
}

/* The images of a side on disk point at their files, relative to where
 * the redline is written (it is one file); those of a side read from
 * git are the revision's (point_images_at_revision).  0 or -1. */
static int
point_images(wp_document *doc, const side *s, const char *which,
    const diff_opts *o)
{
	char *dir, *rel;
	size_t i;

	if (s->git)
		return point_images_at_revision(doc, s, which, o);
	dir = o->output ? wp_path_dirname(o->output) : xstrdup(".");
	for (i = 0; i < doc->nimages; i++)
		if (wp_is_file(doc->images[i].path) && (rel =
		    wp_path_relative(dir, doc->images[i].path)) != NULL) {
			free(doc->images[i].href);
			doc->images[i].href = rel;
		}
	free(dir);
	return 0;
}

/* The version a side shows: its service's current revision, else the
 * name it was given. */
static void
side_version(const side *s, const char *given, const char *lang,
    const char **number, const char **label, const char **date,
    const char **name)
{
	const wp_revision *r = s->svc ? wp_service_current(s->svc) : NULL;

	*name = given;
	*number = *label = *date = NULL;
	if (r == NULL)
		return;
	*number = r->version;
	*label = r->label ? wp_localized_text(r->label, lang,
	    s->svc->langs[0], NULL) : NULL;
	*date = r->date;
}

static int
write_redline(const diff_opts *o, const side *a, const side *b,
    wp_diff *df, wp_site *site, wp_buf *out, wp_diags *d)
{
	wp_redline_info in;
	const char *lang = df->new->lang;
	const wp_service *svc = b->svc ? b->svc : a->svc;
	int rc;

	memset(&in, 0, sizeof in);
	in.site = site;
	in.style = svc ? wp_site_style(site, svc, d) : NULL;
	if (svc) {
		in.service_title = wp_localized_text(svc->title, lang,
		    svc->langs[0], NULL);
		in.provider = svc->provider ? wp_localized_text(svc->provider,
		    lang, svc->langs[0], NULL) : NULL;
		in.standards = svc->standards;
		in.labels = svc->labels;
		in.primary_catalog = svc->catalogs ? svc->catalogs[0] : NULL;
	}
	side_version(a, a->name ? a->name : o->old, lang, &in.old_version,
	    &in.old_label, &in.old_date, &in.old_name);
	side_version(b, b->name ? b->name : o->new, lang, &in.new_version,
	    &in.new_label, &in.new_date, &in.new_name);
	in.print = strcmp(o->format, "pdf") == 0;
	if (svc && svc->copyright)
		in.copyright = wp_localized_text(svc->copyright, lang,
		    svc->langs[0], NULL);
	in.css = in.print ? wp_redline_print_css(site, in.style) :
	    wp_redline_css(site, in.style);
	in.context = o->context;
	if (point_images(df->old, a, "old", o) != 0 ||
	    point_images(df->new, b, "new", o) != 0) {
		free((char *)in.css);
		return WP_EXIT_IO;
	}
	rc = wp_diff_write_html(df, &in, out, d) != 0 ? WP_EXIT_CONTENT : 0;
	free((char *)in.css);
	return rc;
}

/* The labels the revision note is worded in: the new document's
 * language, with its style's and its service's overrides (owned by the
 * caller). */
static wp_value *
note_labels(const side *a, const side *b, wp_diff *df, wp_site *site,
    wp_diags *d)
{
	const wp_service *svc = b->svc ? b->svc : a->svc;
	const char *lang = df->new->lang[0] ? df->new->lang : "en";

	return wp_labels_with(wp_site_labels(site, svc ? wp_site_style(site,
	    svc, d) : NULL, lang, d), svc ? svc->labels : NULL, lang);
}

/* The files WeasyPrint may read for the redline's PDF: the images of
 * both documents that are files on disk (a revision's are data: URLs)
 * (NULL-terminated, malloc'd). */
static char **
pdf_roots(const wp_diff *df, const side *a, const side *b)
{
	const wp_document *docs[2] = {df->old, df->new};
	const side *sides[2] = {a, b};
	char **roots;
	size_t n = 0, i, k;

	roots = xcalloc(df->old->nimages + df->new->nimages + 1,
	    sizeof *roots);
	for (k = 0; k < 2; k++)
		for (i = 0; !sides[k]->git && i < docs[k]->nimages; i++)
			roots[n++] = xstrdup(docs[k]->images[i].path);
	return roots;
}

/* The SOURCE_DATE_EPOCH of the redline's PDF: the environment's, else
 * the new side's revision date, else 0 (same input, same bytes). */
static char *
pdf_epoch(const side *b)
{
	const char *env = getenv("SOURCE_DATE_EPOCH");

	if (env && *env)
		return xstrdup(env);
	return b->svc ? wp_pdf_epoch(b->svc) : xstrdup("0");
}

/*
 * The redline's print variant html (beside --output, so that its
 * relative image links resolve) printed by WeasyPrint into a temporary
 * file beside --output, renamed over it when whole: a failed PDF leaves
 * --output as it was.
 */
static int
write_pdf(const diff_opts *o, const side *a, const side *b, const wp_diff *df,
    const wp_buf *html, wp_diags *d)
{
	char *dir = wp_path_dirname(o->output);
	const char *base = strrchr(o->output, '/') ? strrchr(o->output, '/') +
	    1 : o->output;
	char *name = wp_pdf_print_name(base);
	wp_pdf_job job;
	struct stat st;
	int rc = WP_EXIT_OK;

	memset(&job, 0, sizeof job);
	job.html = wp_path_join(dir, name);
	free(name);
	name = xasprintf(".%s.tmp-%ld", base, (long)getpid());
	job.pdf = wp_path_join(dir, name);
	job.epoch = pdf_epoch(b);
	job.roots = pdf_roots(df, a, b);
	if (lstat(o->output, &st) == 0 && !S_ISREG(st.st_mode)) {
		fprintf(stderr, "wpgen diff: cannot write %s: it is not a "
		    "regular file (a device, FIFO, symlink or directory); "
		    "--output writes regular files only\n", o->output);
		rc = WP_EXIT_IO;
	} else if (wp_write_file(job.html, html->data ? html->data : "",
	    html->len) != 0) {
		fprintf(stderr, "wpgen diff: cannot write %s: %s\n", job.html,
		    strerror(errno));
		rc = WP_EXIT_IO;
	} else if (wp_pdf_render_all(&job, 1, 1, d) != 0) {
		wp_diags_sort(d);
		wp_diags_print_text(d, stderr);
		rc = WP_EXIT_IO;
	} else if (rename(job.pdf, o->output) != 0) {
		fprintf(stderr, "wpgen diff: cannot write %s: %s\n", o->output,
		    strerror(errno));
		rc = WP_EXIT_IO;
	}
	unlink(job.html);
	unlink(job.pdf);
	wp_strv_free(job.roots);
	free(job.html);
	free(job.pdf);
	free(job.epoch);
	free(name);
	free(dir);
	return rc;
}

static int
write_result(const diff_opts *o, const side *a, const side *b, wp_diff *df,
    wp_site *site, wp_diags *d)
{
	wp_buf out = WP_BUF_INIT;
	int rc = WP_EXIT_OK;

	if (strcmp(o->format, "json") == 0) {
		wp_diff_write_json(df, a->name ? a->name : o->old,
		    b->name ? b->name : o->new, &out);
	} else if (strcmp(o->format, "text") == 0) {
		wp_value *labels = note_labels(a, b, df, site, d);
		wp_diff_write_text(df, labels, &out);
		wp_value_free(labels);
	} else if ((rc = write_redline(o, a, b, df, site, &out, d)) != 0) {
		wp_diags_sort(d);
		wp_diags_print_text(d, stderr);
		wp_buf_free(&out);
		return rc;
	}
	if (strcmp(o->format, "pdf") == 0)
		rc = write_pdf(o, a, b, df, &out, d);
	else if (o->output) {
		if (wp_write_file(o->output, out.data ? out.data : "",
		    out.len) != 0) {
			fprintf(stderr, "wpgen diff: cannot write %s: %s\n",
			    o->output, errno == EEXIST ? "it is not a "
			    "regular file (a device, FIFO, symlink or "
			    "directory); --output writes regular files only" :
			    strerror(errno));
			rc = WP_EXIT_IO;
		}
	} else if (wp_write_stdout("diff", out.data, out.len) != 0) {
		rc = WP_EXIT_IO;
	}
	wp_buf_free(&out);
	return rc;
}

/* WeasyPrint and a font for the language of the redline (the new
 * document's). */
static int
pdf_tools(const wp_document *doc)
{
	const char *langs[2] = {doc->lang[0] ? doc->lang : "en", NULL};

	return wp_pdf_check_tools("wpgen diff", langs);
}

/* The tree of an operand: its directory, or its service's when it is
 * an edition (service.yaml and assets/ beside). */
static void
allow_operand(const char *path)
{
	char *dir = wp_is_dir(path) ? xstrdup(path) : wp_path_dirname(path);
	char *norm = wp_path_normalize(dir);
	char *parent = wp_path_dirname(norm);
	char *yaml = wp_path_join(parent, "service.yaml");

	wp_path_allow_tree(wp_is_file(yaml) ? parent : dir);
	free(yaml);
	free(parent);
	free(norm);
	free(dir);
}

int
cmd_diff(int argc, char **argv)
{
	diff_opts o = {"content", NULL, "text", NULL, NULL, NULL,
	    NULL, NULL, NULL, NULL, -1};
	wp_cli_opts cli;
	wp_project *p = NULL;
	side a, b;
	wp_diags d;
	wp_site *site;
	wp_diff *df;
	int rc;

	if ((rc = parse_diff_opts(argc, argv, &cli, &o)) != 0) {
		wp_cli_opts_free(&cli);
		return rc < 0 ? WP_EXIT_OK : rc;
	}
	wp_diags_init(&d);
	memset(&a, 0, sizeof a);
	memset(&b, 0, sizeof b);
	cli.project.files_only = 1;
	/* --lang is checked against the service at each revision. */
	cli.project.nlangs = 0;
	rc = wp_project_open(&cli.project, "diff", &p, &d);
	site = p ? p->site : NULL;
	if (rc == WP_EXIT_OK && !o.from) {
		/* OLD and NEW are named on the command line: their trees
		 * may be read too. */
		allow_operand(o.old);
		allow_operand(o.new);
	}
	/* Against the working tree, the service is looked for there first,
	 * so that an unknown one is said as every command says it. */
	if (rc != WP_EXIT_OK)
		;
	else if (o.from && !o.to) {
		rc = load_edition_side(&b, &o, NULL, site, &d);
		if (rc == WP_EXIT_OK)
			rc = load_edition_side(&a, &o, o.from, site, &d);
	} else if (o.from) {
		rc = load_edition_side(&a, &o, o.from, site, &d);
		if (rc == WP_EXIT_OK)
			rc = load_edition_side(&b, &o, o.to, site, &d);
	} else {
		rc = load_side(&a, o.old, site, &d);
		if (rc == WP_EXIT_OK)
			rc = load_side(&b, o.new, site, &d);
	}
	if (rc == WP_EXIT_OK && (d.errors || !a.doc || !b.doc))
		rc = WP_EXIT_CONTENT;
	wp_diags_sort(&d);
	wp_diags_print_text(&d, stderr);
	if (rc == WP_EXIT_OK && strcmp(o.format, "pdf") == 0 &&
	    pdf_tools(b.doc) != 0)
		rc = WP_EXIT_IO;
	if (rc == WP_EXIT_OK) {
		df = wp_diff_new(a.doc, b.doc);
		rc = write_result(&o, &a, &b, df, site, &d);
		wp_diff_free(df);
	}
	free_side(&a);
	free_side(&b);
	wp_project_free(p);
	wp_diags_free(&d);
	wp_cli_opts_free(&cli);
	return rc;
}
