/*
 * tests/unit/catalog.c: loading catalogs and mappings (src/catalog.c).
 *
 * Loads the project's content/catalogs (the program runs from the
 * repository root), small catalogs written into a temporary directory,
 * and NIST SP 800-53 from ../shared/oscal as it is.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "catalog.h"
#include "diag.h"
#include "harness.h"
#include "util.h"
#include "value.h"

#define CATALOGS "content/catalogs"

static wp_catalogs *iso;      /* content/catalogs, loaded once */
static wp_diags iso_diags;

/* --- helpers ------------------------------------------------------ */

static char *
temp_dir(void)
{
	const char *base = getenv("TMP");
	char *tmpl = xasprintf("%s/catalog-test-XXXXXX",
	    base && *base ? base : "/tmp");

	if (mkdtemp(tmpl) == NULL) {
		perror(tmpl);
		exit(3);
	}
	return tmpl;
}

static void
put_file(const char *dir, const char *name, const char *text)
{
	char *path = wp_path_join(dir, name);

	if (wp_write_file(path, text, strlen(text)) != 0) {
		perror(path);
		exit(3);
	}
	free(path);
}

/* The first diagnostic whose message contains needle, or NULL. */
static const wp_diag *
find_diag(const wp_diags *d, const char *needle)
{
	size_t i;

	for (i = 0; i < d->len; i++)
		if (strstr(d->items[i].message, needle))
			return &d->items[i];
	return NULL;
}

static void
print_diags(const wp_diags *d)
{
	size_t i;

	for (i = 0; i < d->len && i < 10; i++)
		printf("  diag: %s:%d: %s [%s]\n", d->items[i].file,
		    d->items[i].line, d->items[i].message, d->items[i].code);
}

static const wp_control *
control(const wp_catalog *cat, const char *id)
{
	long ci = wp_catalog_find(cat, id);

	return ci < 0 ? NULL : &cat->controls[ci];
}

/* A minimal catalog file in the OSCAL subset. */
static char *
small_catalog(const char *docid, const char *controls)
{
	return xasprintf("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<catalog xmlns=\"http://csrc.nist.gov/ns/oscal/1.0\" "
	    "uuid=\"00000000-0000-4000-8000-000000000000\">\n"
	    "  <metadata><title>Test</title><version>1</version>"
	    "<oscal-version>1.1.2</oscal-version>%s%s%s</metadata>\n"
	    "  <group id=\"g-1\"><title>One</title>\n%s"
	    "  </group>\n</catalog>\n",
	    docid ? "<document-id scheme=\"x\">" : "", docid ? docid : "",
	    docid ? "</document-id>" : "", controls);
}

static void
put_catalog(const char *dir, const char *name, const char *docid,
    const char *controls)
{
	char *text = small_catalog(docid, controls);

	put_file(dir, name, text);
	free(text);
}

/* --- the project's ISO catalogs ----------------------------------- */

static void
iso_loads_cleanly(void)
{
	CHECK(iso != NULL);
	if (iso == NULL)
		return;
	if (iso_diags.len)
		print_diags(&iso_diags);
	CHECK_INT(iso_diags.len, 0);
	CHECK_INT(iso->len, 2);
	CHECK_STR(iso->items[0]->id, "iso27001-2022");
	CHECK_STR(iso->items[1]->id, "iso27017-2015");
}

static void
iso27017_has_121_controls_in_catalog_order(void)
{
	wp_catalog *cat = wp_catalogs_get(iso, "iso27017-2015");
	char *path = wp_path_join(test_shared_dir(),
	    "catalog-facts/iso27017-2015.tsv");
	FILE *f = fopen(path, "r");
	char line[1024];
	size_t i = 0, cld = 0;

	CHECK(cat != NULL && f != NULL);
	if (cat == NULL || f == NULL) {
		if (f)
			fclose(f);
		free(path);
		return;
	}
	CHECK_INT(cat->ncontrols, 121);
	CHECK_INT(cat->nlangs, 2);
	CHECK_STR(cat->langs[0], "en");
	CHECK_STR(cat->langs[1], "ja");
	CHECK_STR(cat->version, "2015");
	CHECK_INT(cat->ndocument_ids, 1);
	CHECK_STR(cat->document_ids[0], "ISO/IEC 27017:2015");
	/* The label column of the facts, line by line. */
	while (fgets(line, sizeof line, f)) {
		char *label = strchr(line, '\t'), *end;
		if (line[0] == '#' || strncmp(line, "annex_id", 8) == 0 ||
		    label == NULL)
			continue;
		label++;
		if ((end = strchr(label, '\t')) != NULL)
			*end = '\0';
		if (i < cat->ncontrols)
			CHECK_STR(cat->controls[i].label, label);
		if (strncmp(label, "CLD.", 4) == 0)
			cld++;
		i++;
	}
	fclose(f);
	free(path);
	CHECK_INT(i, 121);
	CHECK_INT(cld, 7);
	for (i = 0; i < cat->ncontrols; i++)
		CHECK_INT(cat->controls[i].parent, -1);
}

static void
iso27017_finds_label_alt_and_id(void)
{
	wp_catalog *cat = wp_catalogs_get(iso, "iso27017-2015");
	long ci = wp_catalog_find(cat, "9.2.1");

	CHECK(ci >= 0);
	if (ci < 0)
		return;
	CHECK_INT(wp_catalog_find(cat, "A.9.2.1"), ci);
	CHECK_INT(wp_catalog_find(cat, "c-9.2.1"), ci);
	CHECK_INT(wp_catalog_find(cat, "a.9.2.1"), ci);
	CHECK_INT(wp_catalog_find(cat, "C-9.2.1"), ci);
	CHECK_STR(cat->controls[ci].id, "c-9.2.1");
	CHECK_STR(cat->controls[ci].label, "9.2.1");
	CHECK_STR(cat->controls[ci].alt_identifier, "A.9.2.1");
	CHECK_INT(wp_catalog_find(cat, "9.2.9"), -1);
	CHECK_INT(wp_catalog_find(cat, ""), -1);
	CHECK_INT(wp_catalog_find(cat, "9.2"), -1);
}

static void
iso27017_titles_per_language(void)
{
	wp_catalog *cat = wp_catalogs_get(iso, "iso27017-2015");
	const wp_control *c = control(cat, "9.2.1");
	const char *fb = "unset";

	CHECK(c != NULL);
	if (c == NULL)
		return;
	CHECK_STR(wp_control_title(cat, c, "ja", &fb), "利用者登録及び登録削除");
	CHECK(fb == NULL);
	CHECK_STR(wp_control_title(cat, c, "en", &fb),
	    "User registration and de-registration");
	CHECK(fb == NULL);
	/* A language the catalog lacks falls back to the first one. */
	CHECK_STR(wp_control_title(cat, c, "fr", &fb),
	    "User registration and de-registration");
	CHECK_STR(fb, "en");
	CHECK_STR(wp_group_title(cat, &cat->groups[c->group], "ja", NULL),
	    "利用者アクセスの管理");
	CHECK(strstr(wp_catalog_title(cat, "ja"), "ISO/IEC 27017:2015") !=
	    NULL);
}

static void
iso27017_cld_control_in_its_group(void)
{
	wp_catalog *cat = wp_catalogs_get(iso, "iso27017-2015");
	const wp_control *c = control(cat, "CLD.6.3.1");
	const wp_group *g, *clause;

	CHECK(c != NULL);
	if (c == NULL || c->group < 0)
		return;
	CHECK_STR(c->id, "c-CLD.6.3.1");
	CHECK(c->alt_identifier == NULL);
	CHECK(control(cat, "cld.6.3.1") == c);
	g = &cat->groups[c->group];
	CHECK_STR(g->id, "g-CLD.6.3");
	CHECK_STR(g->label, "CLD.6.3");
	CHECK_INT(g->depth, 1);
	CHECK(g->parent >= 0);
	if (g->parent < 0)
		return;
	clause = &cat->groups[g->parent];
	CHECK_STR(clause->id, "g-6");
	CHECK_STR(clause->label, "6");
	CHECK_INT(clause->depth, 0);
	CHECK_STR(wp_group_title(cat, g, "en", NULL), "Relationship between "
	    "cloud service customer and cloud service provider");
	/* A CLD control without a CLD group sits in the plain subclause. */
	c = control(cat, "CLD.12.4.5");
	CHECK(c != NULL && c->group >= 0 &&
	    strcmp(cat->groups[c->group].id, "g-12.4") == 0);
	c = control(cat, "CLD.9.5.1");
	CHECK(c != NULL && c->group >= 0 &&
	    strcmp(cat->groups[c->group].id, "g-CLD.9.5") == 0);
}

static void
iso27017_suggests_near_ids(void)
{
	wp_catalog *cat = wp_catalogs_get(iso, "iso27017-2015");
	struct { const char *in, *want; } cases[] = {
		{"CLD12.4.5", "CLD.12.4.5"},
		{"cld 12.4.5", "CLD.12.4.5"},
		{"9.2.l", "9.2.1"},
		{"A.9.2.l", "A.9.2.1"},
		{"9-2-1", "9.2.1"},
		/* Another number is another control, not a typo. */
		{"18.2.33", NULL},
		{"CLD.6.3.2", NULL},
		{"9.2.7", NULL},
		{"xyzzy", NULL},
		{"something else entirely", NULL},
		{"", NULL},
	};
	size_t i;
	char *got;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		got = wp_catalog_suggest(cat, cases[i].in);
		if (cases[i].want)
			CHECK_STR(got, cases[i].want);
		else if (got)
			test_fail_at(__FILE__, __LINE__, "\"%s\" -> \"%s\", "
			    "want nothing", cases[i].in, got);
		free(got);
	}
}

/* IDs written the way other documents write them reach the control. */
static void
iso27017_finds_normal_forms(void)
{
	wp_catalog *cat = wp_catalogs_get(iso, "iso27017-2015");
	long want = wp_catalog_find(cat, "9.2.1");

	CHECK_INT(want >= 0, 1);
	CHECK_INT(wp_catalog_find(cat, "A.09.2.1"), want);
	CHECK_INT(wp_catalog_find(cat, "09.02.01"), want);
	CHECK_INT(wp_catalog_find(cat, " 9.2.1 "), want);
	CHECK_INT(wp_catalog_find(cat, "9.2.10"), -1);
	CHECK_INT(wp_catalog_find(cat, "90.2.1"), -1);
}

static void
iso27017_maps_to_27001(void)
{
	wp_catalog *cat = wp_catalogs_get(iso, "iso27017-2015");
	wp_catalog *to = wp_catalogs_get(iso, "iso27001-2022");
	const wp_map_target *t;
	size_t n;
	long ci = wp_catalog_find(cat, "9.2.1");

	t = wp_catalogs_maps_to(iso, cat, (size_t)ci, &n);
	CHECK_INT(n, 1);
	if (n == 1) {
		CHECK(t[0].catalog == to);
		CHECK_STR(to->controls[t[0].control].label, "5.16");
		CHECK_STR(t[0].relationship, "equivalent-to");
	}
	t = wp_catalogs_maps_to(iso, cat, (size_t)wp_catalog_find(cat,
	    "18.2.3"), &n);
	CHECK_INT(n, 2);
	if (n == 2) {
		CHECK_STR(to->controls[t[0].control].label, "5.36");
		CHECK_STR(to->controls[t[1].control].label, "8.8");
		CHECK_STR(t[1].relationship, "intersects-with");
	}
	t = wp_catalogs_maps_to(iso, cat, (size_t)wp_catalog_find(cat,
	    "5.1.2"), &n);
	CHECK(n == 1 && strcmp(t[0].relationship, "subset-of") == 0);
	t = wp_catalogs_maps_to(iso, cat, (size_t)wp_catalog_find(cat,
	    "CLD.6.3.1"), &n);
	CHECK_INT(n, 0);
	CHECK(t == NULL);
	/* And back: 5.1 of 27001:2022 comes from 5.1.1 and 5.1.2. */
	t = wp_catalogs_maps_from(iso, to, (size_t)wp_catalog_find(to, "5.1"),
	    &n);
	CHECK_INT(n, 2);
	if (n == 2) {
		CHECK(t[0].catalog == cat);
		CHECK_STR(cat->controls[t[0].control].label, "5.1.1");
		CHECK_STR(cat->controls[t[1].control].label, "5.1.2");
	}
	wp_catalogs_maps_to(iso, to, 0, &n);
	CHECK_INT(n, 0);
}

static void
iso27001_has_93_controls_in_4_themes(void)
{
	wp_catalog *cat = wp_catalogs_get(iso, "iso27001-2022");
	const wp_control *c;
	size_t i, per_theme[4] = {0, 0, 0, 0};

	CHECK(cat != NULL);
	if (cat == NULL)
		return;
	CHECK_INT(cat->ncontrols, 93);
	CHECK_INT(cat->ngroups, 4);
	CHECK_STR(cat->document_ids[0], "ISO/IEC 27001:2022");
	for (i = 0; i < cat->ncontrols; i++) {
		c = &cat->controls[i];
		if (c->group >= 0 && c->group < 4)
			per_theme[c->group]++;
		CHECK(wp_control_title(cat, c, "ja", NULL) != NULL);
	}
	CHECK_INT(per_theme[0], 37);
	CHECK_INT(per_theme[1], 8);
	CHECK_INT(per_theme[2], 14);
	CHECK_INT(per_theme[3], 34);
	c = control(cat, "A.5.7");
	CHECK(c != NULL);
	if (c) {
		CHECK_STR(c->label, "5.7");
		CHECK_STR(wp_control_title(cat, c, "ja", NULL),
		    "脅威インテリジェンス");
		CHECK_STR(wp_control_title(cat, c, "en", NULL),
		    "Threat intelligence");
	}
	CHECK_STR(wp_group_title(cat, &cat->groups[3], "ja", NULL),
	    "技術的管理策");
	CHECK_STR(cat->groups[0].label, "5");
}

static void
iso_resolves_standards(void)
{
	wp_catalog *c17 = wp_catalogs_get(iso, "iso27017-2015");
	wp_catalog *c01 = wp_catalogs_get(iso, "iso27001-2022");
	const char *only01[] = {"iso27001-2022", NULL};
	int amb = -1;
	char *known;

	CHECK(wp_catalogs_resolve(iso, "ISO/IEC 27017", NULL, NULL, &amb) ==
	    c17);
	CHECK_INT(amb, 0);
	CHECK(wp_catalogs_resolve(iso, "ISO/IEC 27017:2015", NULL, NULL,
	    &amb) == c17);
	CHECK(wp_catalogs_resolve(iso, "iso27017-2015", NULL, NULL, &amb) ==
	    c17);
	CHECK(wp_catalogs_resolve(iso, "iso/iec  27017", NULL, NULL, &amb) ==
	    c17);
	CHECK(wp_catalogs_resolve(iso, "ISO/IEC 27001", NULL, NULL, &amb) ==
	    c01);
	CHECK(wp_catalogs_resolve(iso, "ISO/IEC 27001:2022", NULL, NULL,
	    &amb) == c01);
	CHECK(wp_catalogs_resolve(iso, "ISO/IEC 27001:2013", NULL, NULL,
	    &amb) == NULL);
	CHECK(wp_catalogs_resolve(iso, "ISO/IEC 27018", NULL, NULL, &amb) ==
	    NULL);
	CHECK_INT(amb, 0);
	CHECK(wp_catalogs_resolve(iso, "ISO/IEC 27017", NULL, only01, &amb) ==
	    NULL);
	CHECK(wp_catalogs_resolve(iso, "ISO/IEC 27001", NULL, only01, &amb) ==
	    c01);
	known = wp_catalogs_known_standards(iso, NULL, NULL);
	CHECK_STR(known, "ISO/IEC 27001:2022, ISO/IEC 27001, "
	    "ISO/IEC 27017:2015, ISO/IEC 27017");
	free(known);
	known = wp_catalogs_known_standards(iso, NULL, only01);
	CHECK_STR(known, "ISO/IEC 27001:2022, ISO/IEC 27001");
	free(known);
}

/* --- catalogs written by the test --------------------------------- */

static void
two_editions_are_ambiguous(void)
{
	char *dir = temp_dir();
	const char *ctl = "    <control id=\"c-1\"><title>A</title>"
	    "<prop name=\"label\" value=\"1.1\"/></control>\n";
	wp_diags d;
	wp_catalogs *set;
	wp_value *standards = wp_value_new_map();
	wp_catalog *old, *new;
	int amb = -1;
	char *known;

	put_catalog(dir, "x-2015.en.xml", "ISO/IEC 99999:2015", ctl);
	put_catalog(dir, "x-2021.en.xml", "ISO/IEC 99999:2021", ctl);
	wp_diags_init(&d);
	set = wp_catalogs_load(dir, &d);
	CHECK(set != NULL && set->len == 2);
	CHECK_INT(d.len, 0);
	old = wp_catalogs_get(set, "x-2015");
	new = wp_catalogs_get(set, "x-2021");
	CHECK(wp_catalogs_resolve(set, "ISO/IEC 99999", NULL, NULL, &amb) ==
	    NULL);
	CHECK_INT(amb, 1);
	CHECK(wp_catalogs_resolve(set, "ISO/IEC 99999:2015", NULL, NULL,
	    &amb) == old);
	CHECK_INT(amb, 0);
	CHECK(wp_catalogs_resolve(set, "ISO/IEC 99999:2021", NULL, NULL,
	    &amb) == new);
	known = wp_catalogs_known_standards(set, NULL, NULL);
	CHECK_STR(known, "ISO/IEC 99999:2015, ISO/IEC 99999:2021");
	free(known);
	/* Restricted to one edition, the short name is no longer ambiguous. */
	{
		const char *only[] = {"x-2021", NULL};
		CHECK(wp_catalogs_resolve(set, "ISO/IEC 99999", NULL, only,
		    &amb) == new);
	}
	/* A standards name settles it. */
	wp_map_set_str(standards, "ISO/IEC 99999", "x-2021");
	CHECK(wp_catalogs_resolve(set, "iso/iec 99999", standards, NULL,
	    &amb) == new);
	CHECK_INT(amb, 0);
	wp_value_free(standards);
	wp_catalogs_free(set);
	wp_diags_free(&d);
	wp_remove_tree(dir);
	free(dir);
}

static void
malformed_xml_is_reported_with_its_line(void)
{
	char *dir = temp_dir();
	wp_diags d;
	wp_catalogs *set;
	const wp_diag *g;

	put_file(dir, "bad.en.xml", "<?xml version=\"1.0\"?>\n"
	    "<catalog xmlns=\"http://csrc.nist.gov/ns/oscal/1.0\">\n"
	    "  <group id=\"g-1\"><title>One</title>\n"
	    "    <control id=\"c-1\"><title>x</titel></control>\n"
	    "  </group>\n</catalog>\n");
	put_file(dir, "empty.en.xml", "");
	put_file(dir, "notes.xml", "<notes/>\n");
	put_catalog(dir, "good.en.xml", NULL, "<control id=\"c-1\"/>");
	wp_diags_init(&d);
	set = wp_catalogs_load(dir, &d);
	CHECK(set != NULL);
	if (set)
		CHECK(set->len == 1 && strcmp(set->items[0]->id, "good") == 0);
	CHECK_INT(d.errors, 2);
	CHECK_INT(d.warnings, 1);
	g = find_diag(&d, "malformed XML");
	CHECK(g != NULL);
	if (g) {
		CHECK(strstr(g->file, "bad.en.xml") != NULL);
		CHECK_INT(g->line, 4);
		CHECK(g->column > 0);
		CHECK_STR(g->code, "catalog-error");
	}
	g = find_diag(&d, "neither");
	CHECK(g != NULL && g->severity == WP_WARNING &&
	    strstr(g->file, "notes.xml") != NULL);
	wp_catalogs_free(set);
	wp_diags_free(&d);
	wp_remove_tree(dir);
	free(dir);
}

static void
languages_with_different_ids_are_reported(void)
{
	char *dir = temp_dir();
	wp_diags d;
	wp_catalogs *set;
	wp_catalog *cat;
	const wp_diag *g;

	put_catalog(dir, "x.en.xml", NULL,
	    "    <control id=\"a\"><title>A</title></control>\n"
	    "    <control id=\"b\"><title>B</title></control>\n");
	put_catalog(dir, "x.ja.xml", NULL,
	    "    <control id=\"a\"><title>エー</title></control>\n"
	    "    <control id=\"c\"><title>シー</title></control>\n");
	wp_diags_init(&d);
	set = wp_catalogs_load(dir, &d);
	CHECK(set != NULL && set->len == 1);
	CHECK_INT(d.errors, 2);
	g = find_diag(&d, "\"b\" is missing from");
	CHECK(g != NULL && strstr(g->file, "x.en.xml") && g->line == 6 &&
	    strcmp(g->code, "catalog-error") == 0);
	g = find_diag(&d, "\"c\" is not in");
	CHECK(g != NULL && strstr(g->file, "x.ja.xml") && g->line == 6);
	cat = set ? wp_catalogs_get(set, "x") : NULL;
	if (cat) {
		const wp_control *b = control(cat, "b");
		const char *fb = NULL;
		CHECK_INT(cat->ncontrols, 2);
		CHECK_STR(wp_control_title(cat, control(cat, "a"), "ja", NULL),
		    "エー");
		CHECK(b != NULL);
		if (b) {
			CHECK_STR(wp_control_title(cat, b, "ja", &fb), "B");
			CHECK_STR(fb, "en");
		}
	}
	wp_catalogs_free(set);
	wp_diags_free(&d);
	wp_remove_tree(dir);
	free(dir);
}

static void
one_language_serves_every_language(void)
{
	char *dir = temp_dir();
	wp_diags d;
	wp_catalogs *set;
	wp_catalog *cat;
	const char *fb = NULL;

	put_catalog(dir, "solo.ja.xml", NULL,
	    "    <control id=\"c-1\"><title>見出し <em>強調</em>\n"
	    "      と   続き</title>"
	    "<prop name=\"label\" class=\"other\" value=\"X-01\"/>"
	    "<prop name=\"label\" value=\"X-1\"/>"
	    "<prop name=\"label\" ns=\"http://example.com/ns\" value=\"Q\"/>"
	    "<prop name=\"alt-identifier\" value=\"ALT-1\"/></control>\n");
	wp_diags_init(&d);
	set = wp_catalogs_load(dir, &d);
	cat = set ? wp_catalogs_get(set, "solo") : NULL;
	CHECK(cat != NULL);
	if (cat && cat->ncontrols == 1) {
		const wp_control *c = &cat->controls[0];
		CHECK_STR(wp_control_title(cat, c, "en", &fb),
		    "見出し 強調 と 続き");
		CHECK_STR(fb, "ja");
		CHECK_STR(wp_control_title(cat, c, "ja", &fb),
		    "見出し 強調 と 続き");
		CHECK(fb == NULL);
		CHECK_STR(c->label, "X-1");
		CHECK_INT(c->nlabels, 2);
		CHECK_INT(wp_catalog_find(cat, "x-01"), 0);
		CHECK_INT(wp_catalog_find(cat, "alt-1"), 0);
		CHECK_INT(wp_catalog_find(cat, "Q"), -1);
		CHECK_STR(wp_catalog_title(cat, "en"), "Test");
		CHECK_STR(wp_group_title(cat, &cat->groups[0], "de", &fb),
		    "One");
	}
	CHECK_INT(d.len, 0);
	wp_catalogs_free(set);
	wp_diags_free(&d);
	wp_remove_tree(dir);
	free(dir);
}

static void
entities_are_not_expanded(void)
{
	char *dir = temp_dir();
	wp_diags d;
	wp_catalogs *set;
	wp_catalog *cat;

	put_file(dir, "xxe.en.xml", "<?xml version=\"1.0\"?>\n"
	    "<!DOCTYPE catalog [\n"
	    "  <!ENTITY file SYSTEM \"file:///etc/passwd\">\n"
	    "  <!ENTITY word \"EXPANDED\">\n"
	    "]>\n"
	    "<catalog xmlns=\"http://csrc.nist.gov/ns/oscal/1.0\">\n"
	    "  <control id=\"c-1\"><title>a &file; b</title></control>\n"
	    "  <control id=\"c-2\"><title>&word;&amp;&#x41;</title>"
	    "</control>\n</catalog>\n");
	wp_diags_init(&d);
	set = wp_catalogs_load(dir, &d);
	cat = set ? wp_catalogs_get(set, "xxe") : NULL;
	CHECK(cat != NULL && cat->ncontrols == 2);
	if (cat && cat->ncontrols == 2) {
		CHECK_STR(cat->controls[0].titles[0], "a b");
		CHECK_STR(cat->controls[1].titles[0], "&A");
		CHECK_INT(cat->controls[0].group, -1);
	}
	wp_catalogs_free(set);
	wp_diags_free(&d);
	wp_remove_tree(dir);
	free(dir);
}

static void
mapping_errors_are_reported(void)
{
	char *dir = temp_dir();
	wp_diags d;
	wp_catalogs *set;
	const wp_diag *g;
	size_t n;

	put_catalog(dir, "a.en.xml", NULL, "<control id=\"c-1\"/>");
	put_catalog(dir, "b.en.xml", NULL, "<control id=\"c-1\"/>");
	put_file(dir, "a_to_b.xml", "<?xml version=\"1.0\"?>\n"
	    "<mapping-collection xmlns=\"http://csrc.nist.gov/ns/oscal/1.0\">\n"
	    "<mapping>\n<maps>\n"
	    "<map><relationship>equivalent-to</relationship>"
	    "<source type=\"control\" id-ref=\"c-1\"/>"
	    "<target type=\"control\" id-ref=\"c-1\"/></map>\n"
	    "<map><relationship>equivalent-to</relationship>"
	    "<source type=\"control\" id-ref=\"c-1\"/>"
	    "<target type=\"control\" id-ref=\"c-9\"/></map>\n"
	    "</maps>\n</mapping>\n"
	    "<mapping><source-resource href=\"nope.en.xml\"/>"
	    "<target-resource href=\"b.en.xml\"/>\n<maps>\n"
	    "<map><source id-ref=\"c-1\"/><target id-ref=\"c-1\"/></map>\n"
	    "<map><source id-ref=\"c-1\"/><target id-ref=\"c-1\"/></map>\n"
	    "</maps></mapping>\n</mapping-collection>\n");
	wp_diags_init(&d);
	set = wp_catalogs_load(dir, &d);
	CHECK(set != NULL);
	CHECK_INT(d.errors, 2);
	g = find_diag(&d, "unknown control \"c-9\"");
	CHECK(g != NULL && g->line == 6);
	g = find_diag(&d, "unknown catalog \"nope.en\"");
	CHECK(g != NULL && g->line == 11);
	if (set) {
		wp_catalog *a = wp_catalogs_get(set, "a");
		const wp_map_target *t = wp_catalogs_maps_to(set, a, 0, &n);
		CHECK_INT(n, 1);
		CHECK(t && t[0].catalog == wp_catalogs_get(set, "b"));
	}
	wp_catalogs_free(set);
	wp_diags_free(&d);
	wp_remove_tree(dir);
	free(dir);
}

/* Found by fuzz/catalog.c: a <map> relates each of its sources to each
 * of its targets, and every pair was copied out, so a 250 KB mapping of
 * one map with 3000 sources and 3000 targets took over 2 GB.  A map with
 * more than WP_CATALOG_MAX_MAP_PAIRS pairs is refused at its line; the
 * others load (read through wp_catalogs_load_texts). */
static void
mapping_with_too_many_pairs_is_refused(void)
{
	char *cat = small_catalog(NULL, "<control id=\"c-1\"/>"
	    "<control id=\"c-2\"/>");
	wp_buf map = WP_BUF_INIT;
	wp_catalog_text files[2];
	wp_catalogs *set;
	wp_catalog *a;
	const wp_map_target *t;
	wp_diags d;
	size_t n, i;

	wp_buf_puts(&map, "<?xml version=\"1.0\"?>\n<mapping-collection "
	    "xmlns=\"http://csrc.nist.gov/ns/oscal/1.0\">\n<mapping>"
	    "<source-resource href=\"a.en.xml\"/>"
	    "<target-resource href=\"a.en.xml\"/>\n<maps>\n"
	    "<map><relationship>intersects-with</relationship>"
	    "<source id-ref=\"c-1\"/><source id-ref=\"c-2\"/>"
	    "<target id-ref=\"c-1\"/><target id-ref=\"c-2\"/></map>\n"
	    "<map><relationship>equivalent-to</relationship>");
	for (i = 0; i < 40; i++)
		wp_buf_printf(&map, "<source id-ref=\"c-%zu\"/>", i % 2 + 1);
	for (i = 0; i < 40; i++)
		wp_buf_printf(&map, "<target id-ref=\"c-%zu\"/>", i % 2 + 1);
	wp_buf_puts(&map, "</map>\n</maps></mapping>\n</mapping-collection>\n");
	files[0].name = files[0].path = "a.en.xml";
	files[0].data = cat;
	files[0].len = strlen(cat);
	files[1].name = files[1].path = "a_to_a.xml";
	files[1].data = map.data;
	files[1].len = map.len;
	wp_diags_init(&d);
	set = wp_catalogs_load_texts(files, 2, &d);
	CHECK_INT(d.len, 1);
	if (d.len == 1) {
		CHECK_STR(d.items[0].file, "a_to_a.xml");
		CHECK_INT(d.items[0].line, 6);
		CHECK_STR(d.items[0].code, "catalog-error");
		CHECK_STR(d.items[0].message, "a map relates 40 sources to 40 "
		    "targets (1600 pairs), more than 1024 (skipped): split it");
	}
	a = set ? wp_catalogs_get(set, "a") : NULL;
	CHECK(a != NULL);
	if (a) {
		t = wp_catalogs_maps_to(set, a, 0, &n);
		CHECK_INT(n, 2);
		CHECK(n == 2 && t[0].control == 0 && t[1].control == 1 &&
		    strcmp(t[1].relationship, "intersects-with") == 0);
		t = wp_catalogs_maps_from(set, a, 1, &n);
		CHECK_INT(n, 2);
	}
	wp_catalogs_free(set);
	wp_diags_free(&d);
	wp_buf_free(&map);
	free(cat);
}

/* A control mapped to each of 3000 controls of another catalog (three
 * maps of 1000 targets, in an order of their own), then to 1000 of them
 * again with the same relationship (dropped) and to 5 with another
 * (kept): its mapped controls in the order first met, each once, and
 * each target mapped from it once (twice for the 5).  The pairs are
 * found again through an index of them all, not by reading the
 * control's list each time (which made such a mapping quadratic: 10^12
 * comparisons for a million targets). */
static void
a_control_mapped_to_many(void)
{
	wp_buf b = WP_BUF_INIT, map = WP_BUF_INIT;
	char *a = small_catalog(NULL, "<control id=\"c-1\"/>"), *bcat;
	wp_catalog_text files[3];
	wp_catalogs *set;
	wp_catalog *x, *y;
	const wp_map_target *t;
	wp_diags d;
	size_t n, i, k, bad = 0;

	for (i = 0; i < 3000; i++)
		wp_buf_printf(&b, "<control id=\"c-%zu\"/>", i);
	bcat = small_catalog(NULL, wp_buf_cstr(&b));
	wp_buf_puts(&map, "<?xml version=\"1.0\"?>\n<mapping-collection "
	    "xmlns=\"http://csrc.nist.gov/ns/oscal/1.0\">\n<mapping>"
	    "<source-resource href=\"a.en.xml\"/>"
	    "<target-resource href=\"b.en.xml\"/>\n<maps>\n");
	/* (maps 0-2: targets 1000 k to 1000 k + 999, each i as c-(7 i mod
	 * 3000); map 3: those of map 0 again; map 4: the first 5 again,
	 * another relationship) */
	for (k = 0; k < 5; k++) {
		wp_buf_printf(&map, "<map><relationship>%s</relationship>"
		    "<source id-ref=\"c-1\"/>", k < 4 ? "subset-of" :
		    "intersects-with");
		for (i = k < 3 ? k * 1000 : 0; i < (k < 3 ? k * 1000 + 1000 :
		    k == 3 ? 1000 : 5); i++)
			wp_buf_printf(&map, "<target id-ref=\"c-%zu\"/>",
			    i * 7 % 3000);
		wp_buf_puts(&map, "</map>\n");
	}
	wp_buf_puts(&map, "</maps></mapping>\n</mapping-collection>\n");
	files[0].name = files[0].path = "a.en.xml";
	files[0].data = a;
	files[0].len = strlen(a);
	files[1].name = files[1].path = "a_to_b.xml";
	files[1].data = map.data;
	files[1].len = map.len;
	files[2].name = files[2].path = "b.en.xml";
	files[2].data = bcat;
	files[2].len = strlen(bcat);
	wp_diags_init(&d);
	set = wp_catalogs_load_texts(files, 3, &d);
	CHECK_INT(d.len, 0);
	x = set ? wp_catalogs_get(set, "a") : NULL;
	y = set ? wp_catalogs_get(set, "b") : NULL;
	CHECK(x != NULL && y != NULL);
	if (x && y) {
		t = wp_catalogs_maps_to(set, x, 0, &n);
		CHECK_INT(n, 3005);
		for (i = 0; i < n && i < 3005; i++)
			bad += t[i].catalog != y ||
			    t[i].control != (i % 3000) * 7 % 3000 ||
			    strcmp(t[i].relationship, i < 3000 ?
			    "subset-of" : "intersects-with") != 0;
		CHECK_INT(bad, 0);
		for (i = 0; i < 3000; i++) {
			t = wp_catalogs_maps_from(set, y, i, &n);
			bad += n != (i % 7 == 0 && i < 35 ? 2u : 1u) ||
			    t[0].catalog != x || t[0].control != 0;
		}
		CHECK_INT(bad, 0);
	}
	wp_catalogs_free(set);
	wp_diags_free(&d);
	wp_buf_free(&b);
	wp_buf_free(&map);
	free(a);
	free(bcat);
}

static void
missing_dir_gives_null(void)
{
	wp_diags d;

	wp_diags_init(&d);
	CHECK(wp_catalogs_load("/nonexistent/catalogs", &d) == NULL);
	/* Said, not silent: a build would otherwise fail without a reason. */
	CHECK(d.errors == 1 && d.len == 1 &&
	    strcmp(d.items[0].code, "io-error") == 0);
	wp_diags_free(&d);
}

/* --- NIST SP 800-53, as NIST publishes it ------------------------- */

static void
nist_800_53_loads_as_it_is(void)
{
	char *dir = temp_dir();
	char *rel = wp_path_join(test_shared_dir(),
	    "oscal/nist-800-53r5-moderate.en.xml");
	char *from = realpath(rel, NULL);
	char *to = wp_path_join(dir, "nist-800-53r5-moderate.en.xml");
	wp_value *standards = wp_value_new_map();
	wp_diags d;
	wp_catalogs *set;
	wp_catalog *cat;
	const wp_control *c;
	size_t i, top = 0, enhancements = 0;
	int amb;
	char *s;

	CHECK(from != NULL && symlink(from, to) == 0);
	wp_diags_init(&d);
	set = wp_catalogs_load(dir, &d);
	CHECK_INT(d.len, 0);
	cat = set ? wp_catalogs_get(set, "nist-800-53r5-moderate") : NULL;
	CHECK(cat != NULL);
	if (cat == NULL)
		goto out;
	CHECK_INT(cat->ngroups, 18);
	/* 287 = 177 base controls + 110 enhancements nested in them. */
	CHECK_INT(cat->ncontrols, 287);
	for (i = 0; i < cat->ncontrols; i++) {
		if (cat->controls[i].parent < 0)
			top++;
		else if ((size_t)cat->controls[i].parent < i)
			enhancements++;
	}
	CHECK_INT(top, 177);
	CHECK_INT(enhancements, 110);
	CHECK_INT(cat->ndocument_ids, 0);
	CHECK_STR(cat->version, "5.1.1+u4");
	CHECK_STR(cat->groups[0].id, "ac");
	CHECK_STR(wp_group_title(cat, &cat->groups[0], "en", NULL),
	    "Access Control");
	c = control(cat, "AC-2(1)");
	CHECK(c != NULL);
	if (c) {
		CHECK_STR(c->id, "ac-2.1");
		CHECK_STR(c->label, "AC-2(1)");
		CHECK(c->parent >= 0 &&
		    strcmp(cat->controls[c->parent].id, "ac-2") == 0);
		CHECK(c->parent >= 0 && c == &cat->controls[c->parent + 1]);
		CHECK_STR(wp_control_title(cat, c, "ja", NULL),
		    "Automated System Account Management");
		/* The classed labels: zero-padded and sp800-53a. */
		CHECK_INT(c->nlabels, 2);
		CHECK(control(cat, "AC-02(01)") == c);
		CHECK(control(cat, "ac-2.1") == c);
		CHECK(c->group == 0);
	}
	c = control(cat, "AC-2");
	CHECK(c != NULL && strcmp(c->id, "ac-2") == 0 && c->parent == -1);
	s = wp_catalog_suggest(cat, "AC-2(l)");
	CHECK_STR(s, "AC-2(1)");
	free(s);
	s = wp_catalog_suggest(cat, "ac2(1)");
	CHECK_STR(s, "AC-2(1)");
	free(s);
	/* AU is a family of the catalog: AU-2(1) (withdrawn in Rev. 5) is
	 * not a typo of AC-2(1). */
	s = wp_catalog_suggest(cat, "AU-2(1)");
	CHECK(s == NULL);
	free(s);
	/* No document-id: reachable by id or by a standards name. */
	CHECK(wp_catalogs_resolve(set, "NIST SP 800-53", NULL, NULL, &amb) ==
	    NULL);
	wp_map_set_str(standards, "NIST SP 800-53", "nist-800-53r5-moderate");
	CHECK(wp_catalogs_resolve(set, "NIST SP 800-53", standards, NULL,
	    &amb) == cat);
	CHECK(wp_catalogs_resolve(set, "nist-800-53r5-moderate", NULL, NULL,
	    &amb) == cat);
	s = wp_catalogs_known_standards(set, standards, NULL);
	CHECK_STR(s, "NIST SP 800-53");
	free(s);
	s = wp_catalogs_known_standards(set, NULL, NULL);
	CHECK_STR(s, "nist-800-53r5-moderate");
	free(s);
out:
	wp_value_free(standards);
	wp_catalogs_free(set);
	wp_diags_free(&d);
	wp_remove_tree(dir);
	free(dir);
	free(rel);
	free(from);
	free(to);
}

int
main(void)
{
	wp_diags_init(&iso_diags);
	iso = wp_catalogs_load(CATALOGS, &iso_diags);
	TEST_RUN(iso_loads_cleanly);
	if (iso) {
		TEST_RUN_SHARED(iso27017_has_121_controls_in_catalog_order,
		    "catalog-facts/iso27017-2015.tsv");
		TEST_RUN(iso27017_finds_label_alt_and_id);
		TEST_RUN(iso27017_titles_per_language);
		TEST_RUN(iso27017_cld_control_in_its_group);
		TEST_RUN(iso27017_suggests_near_ids);
		TEST_RUN(iso27017_finds_normal_forms);
		TEST_RUN(iso27017_maps_to_27001);
		TEST_RUN(iso27001_has_93_controls_in_4_themes);
		TEST_RUN(iso_resolves_standards);
	}
	TEST_RUN(two_editions_are_ambiguous);
	TEST_RUN(malformed_xml_is_reported_with_its_line);
	TEST_RUN(languages_with_different_ids_are_reported);
	TEST_RUN(one_language_serves_every_language);
	TEST_RUN(entities_are_not_expanded);
	TEST_RUN(mapping_errors_are_reported);
	TEST_RUN(mapping_with_too_many_pairs_is_refused);
	TEST_RUN(a_control_mapped_to_many);
	TEST_RUN(missing_dir_gives_null);
	TEST_RUN_SHARED(nist_800_53_loads_as_it_is,
	    "oscal/nist-800-53r5-moderate.en.xml");
	wp_catalogs_free(iso);
	wp_diags_free(&iso_diags);
	return test_exit_status();
}
