/*
 * site.c: end-to-end test of `wpgen build` on the sample content.
 *
 * Builds content/ with templates/ into a temporary directory, then checks
 * every HTML page with libxml2's HTML parser: it parses without errors,
 * ids are unique, every internal link (#anchor, or a relative link to
 * another page and its anchor) resolves, every image exists; and a second
 * build gives byte-identical output.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include "buf.h"
#include "commands.h"
#include "harness.h"
#include "util.h"

typedef struct page {
	char *path;       /* relative to the site root */
	wp_strset ids;
	htmlDocPtr doc;
} page;

static page pages[512];
static size_t npages;
static char *site_root;
static int parse_errors;

static void
collect(const char *dir, const char *rel)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char *full, *r;

	while (d && (e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		full = wp_path_join(dir, e->d_name);
		r = *rel ? wp_path_join(rel, e->d_name) : xstrdup(e->d_name);
		if (wp_is_dir(full))
			collect(full, r);
		else if (strstr(e->d_name, ".html") && npages < 512)
			pages[npages++].path = xstrdup(r);
		free(full);
		free(r);
	}
	if (d)
		closedir(d);
}

/* libxml2's HTML parser knows HTML 4 only: HTML5 elements (section, nav,
 * header...) are "unknown tags" to it and nothing else is forgiven. */
static void
html_error(void *ctx, xmlErrorPtr e)
{
	(void)ctx;
	if (e->code == XML_HTML_UNKNOWN_TAG)
		return;
	printf("  %s:%d: %s", e->file ? e->file : "", e->line,
	    e->message ? e->message : "\n");
	parse_errors++;
}

static void
gather_ids(page *p, xmlNodePtr n)
{
	xmlChar *id;

	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if ((id = xmlGetProp(n, BAD_CAST "id")) != NULL) {
			if (!wp_strset_add(&p->ids, (char *)id))
				test_fail_at(__FILE__, __LINE__,
				    "%s: duplicate id '%s'", p->path, id);
			xmlFree(id);
		}
		gather_ids(p, n->children);
	}
}

static page *
find_page(const char *path)
{
	size_t i;

	for (i = 0; i < npages; i++)
		if (strcmp(pages[i].path, path) == 0)
			return &pages[i];
	return NULL;
}

static void
check_link(page *p, const char *href, const char *attr)
{
	char *dir, *target, *frag, *rel, *norm, *file;
	page *q = p;

	if (strstr(href, "://") || strncmp(href, "mailto:", 7) == 0)
		return;
	rel = xstrdup(href);
	frag = strchr(rel, '#');
	if (frag)
		*frag++ = '\0';
	if (*rel) {
		dir = wp_path_dirname(p->path);
		target = wp_path_join(dir, rel);
		norm = wp_path_normalize(target);
		file = wp_path_join(site_root, norm);
		if (!wp_is_file(file))
			test_fail_at(__FILE__, __LINE__, "%s: %s='%s' points "
			    "at a missing file", p->path, attr, href);
		q = find_page(norm);
		free(dir);
		free(target);
		free(norm);
		free(file);
	}
	if (frag && *frag && q && !wp_strset_has(&q->ids, frag))
		test_fail_at(__FILE__, __LINE__, "%s: link '%s' has no "
		    "target id", p->path, href);
	free(rel);
}

static void
check_links(page *p, xmlNodePtr n)
{
	xmlChar *v;

	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if ((v = xmlGetProp(n, BAD_CAST "href")) != NULL) {
			check_link(p, (char *)v, "href");
			xmlFree(v);
		}
		if ((v = xmlGetProp(n, BAD_CAST "src")) != NULL) {
			check_link(p, (char *)v, "src");
			xmlFree(v);
		}
		check_links(p, n->children);
	}
}

static int
build_into(const char *out)
{
	char *argv[] = {"build", "--quiet", "--out", (char *)out, NULL};

	return cmd_build(4, argv);
}

static char *tmp;

/* A redline written into the site, so that it gets the same checks. */
static int
redline_into(const char *old, const char *new, const char *name)
{
	char *out = wp_path_join(site_root, name);
	char *argv[] = {"diff", (char *)old, (char *)new, "--format", "html",
	    "--output", out, NULL};
	int rc = cmd_diff(7, argv);

	free(out);
	return rc;
}

static void
test_build_succeeds(void)
{
	site_root = wp_path_join(tmp, "out");
	CHECK_INT(build_into(site_root), 0);
	CHECK_INT(redline_into("tests/regress/diff/added-removed/old.md",
	    "tests/regress/diff/added-removed/new.md", "redline-small.html"), 0);
	CHECK_INT(redline_into("content/minato-27017/ja",
	    "content/aozora-o/ja", "redline-editions.html"), 0);
	CHECK_INT(redline_into("content/aozora-o/en",
	    "content/kirishima-vm/en", "redline-en.html"), 0);
	collect(site_root, "");
	CHECK(npages >= 8);
	CHECK(find_page("index.html") != NULL);
	CHECK(find_page("coverage.html") != NULL);
	CHECK(find_page("aozora-o/ja/index.html") != NULL);
	CHECK(find_page("minato-27017/en/index.html") != NULL);
	CHECK(find_page("kirishima-vm/ja/index.html") != NULL);
}

static void
test_pages_parse(void)
{
	size_t i;
	char *file;

	xmlSetStructuredErrorFunc(NULL, html_error);
	for (i = 0; i < npages; i++) {
		file = wp_path_join(site_root, pages[i].path);
		parse_errors = 0;
		pages[i].doc = htmlReadFile(file, "UTF-8", HTML_PARSE_NONET);
		if (pages[i].doc == NULL || parse_errors)
			test_fail_at(__FILE__, __LINE__, "%s: %d parse errors",
			    pages[i].path, parse_errors);
		free(file);
	}
	xmlSetStructuredErrorFunc(NULL, NULL);
}

static void
test_ids_unique(void)
{
	size_t i;

	for (i = 0; i < npages; i++)
		if (pages[i].doc)
			gather_ids(&pages[i], xmlDocGetRootElement(
			    pages[i].doc));
}

static void
test_links_resolve(void)
{
	size_t i;

	for (i = 0; i < npages; i++)
		if (pages[i].doc)
			check_links(&pages[i], xmlDocGetRootElement(
			    pages[i].doc));
}

static void
test_html_lang(void)
{
	size_t i;
	xmlChar *lang;
	xmlNodePtr root;

	for (i = 0; i < npages; i++) {
		if (!pages[i].doc)
			continue;
		root = xmlDocGetRootElement(pages[i].doc);
		lang = xmlGetProp(root, BAD_CAST "lang");
		if (lang == NULL)
			test_fail_at(__FILE__, __LINE__, "%s: no <html lang>",
			    pages[i].path);
		else if (strstr(pages[i].path, "/ja/"))
			CHECK_STR((char *)lang, "ja");
		else if (strstr(pages[i].path, "/en/"))
			CHECK_STR((char *)lang, "en");
		xmlFree(lang);
	}
}

static void
test_deterministic(void)
{
	char *again = wp_path_join(tmp, "again");
	char *cmd;
	size_t i;

	CHECK_INT(build_into(again), 0);
	for (i = 0; i < npages; i++) {
		if (strncmp(pages[i].path, "redline-", 8) == 0)
			continue;
		char *a = wp_path_join(site_root, pages[i].path);
		char *b = wp_path_join(again, pages[i].path);
		size_t la, lb;
		char *da = wp_read_file(a, &la), *db = wp_read_file(b, &lb);
		if (da == NULL || db == NULL || la != lb ||
		    memcmp(da, db, la) != 0)
			test_fail_at(__FILE__, __LINE__, "%s differs between "
			    "two builds", pages[i].path);
		free(da);
		free(db);
		free(a);
		free(b);
	}
	/* The build manifest holds the stat data of the files: not part
	 * of the site. */
	cmd = xasprintf("diff -r -x 'redline-*' -x .wpgen-manifest '%s' '%s' "
	    ">/dev/null",
	    site_root, again);
	CHECK(system(cmd) == 0);
	free(cmd);
	free(again);
}

int
main(void)
{
	char tmpl[] = "/tmp/wpgen-site-XXXXXX";
	size_t i;

	tmp = mkdtemp(tmpl);
	if (tmp == NULL) {
		test_report("site/mkdtemp", 0, NULL);
		return 1;
	}
	TEST_RUN(test_build_succeeds);
	TEST_RUN(test_pages_parse);
	TEST_RUN(test_ids_unique);
	TEST_RUN(test_links_resolve);
	TEST_RUN(test_html_lang);
	TEST_RUN(test_deterministic);
	for (i = 0; i < npages; i++) {
		if (pages[i].doc)
			xmlFreeDoc(pages[i].doc);
		wp_strset_free(&pages[i].ids);
		free(pages[i].path);
	}
	free(site_root);
	wp_remove_tree(tmp);
	xmlCleanupParser();
	return test_exit_status();
}
