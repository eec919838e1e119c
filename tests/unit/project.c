/*
 * project.c: unit tests of the project layer (src/project.c).
 *
 * A lean project (wp_project_opts.lean) drops a service read without a
 * problem once it is checked, and reads it again when it is built.  A
 * service.yaml changed in between (an author saving it while a build,
 * or serve's, runs) must not be built as if it were the one checked:
 * on main a service that names no catalog was built without a word (or
 * one whose style changed, without its style's assets), the manifest
 * recorded its new bytes, and every later build kept that site, which
 * a clean build refuses.  It is an error: build again.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "harness.h"
#include "project.h"
#include "util.h"

static char scratch[] = "/tmp/wpgen-project-XXXXXX";
static char *content;

/* A fresh copy of the sample service minato-27017 and the catalogs in
 * the scratch directory: 0, or -1. */
static int
make_content(void)
{
	char *cmd;
	int rc;

	free(content);
	content = xasprintf("%s/content", scratch);
	cmd = xasprintf("rm -rf '%s' && mkdir '%s' && cp -r "
	    "content/minato-27017 content/catalogs '%s'/", content, content,
	    content);
	rc = system(cmd);
	free(cmd);
	return rc == 0 ? 0 : -1;
}

/* Replaces the first occurrence of from by to in the file path. */
static int
replace_in(const char *path, const char *from, const char *to)
{
	size_t len;
	char *text = wp_read_file(path, &len), *at;
	FILE *f;
	int rc = -1;

	if (text == NULL || (at = strstr(text, from)) == NULL ||
	    (f = fopen(path, "w")) == NULL) {
		free(text);
		return -1;
	}
	fwrite(text, 1, (size_t)(at - text), f);
	fputs(to, f);
	fputs(at + strlen(from), f);
	rc = fclose(f) == 0 ? 0 : -1;
	free(text);
	return rc;
}

static int
has_code(const wp_diags *d, const char *code)
{
	size_t i;

	for (i = 0; i < d->len; i++)
		if (strcmp(d->items[i].code, code) == 0)
			return 1;
	return 0;
}

static void
test_lean_read_again_checks_a_changed_service(void)
{
	wp_project_opts o;
	wp_project *p = NULL;
	wp_diags d;
	char *yaml;

	CHECK(make_content() == 0);
	memset(&o, 0, sizeof o);
	o.content = content;
	o.templates = "templates";
	o.render = 1;
	o.lean = 1;
	wp_diags_init(&d);
	CHECK_INT(wp_project_open(&o, "build", &p, &d), 0);
	CHECK_INT(d.len, 0);
	if (p == NULL || p->nservices != 1) {
		CHECK(p != NULL && p->nservices == 1);
		goto done;
	}
	/* Checked and dropped. */
	CHECK(p->services[0].svc == NULL);
	yaml = xasprintf("%s/minato-27017/service.yaml", content);
	CHECK(replace_in(yaml, "iso27001-2022]", "no-such-catalog]") == 0);
	free(yaml);
	CHECK(wp_project_read_service(p, &p->services[0], &d) != 0);
	CHECK(p->services[0].svc == NULL);
	CHECK_INT(d.errors, 1);
	CHECK(has_code(&d, "io-error"));
done:
	wp_project_free(p);
	wp_diags_free(&d);
}

static void
test_lean_read_again_unchanged_says_nothing(void)
{
	wp_project_opts o;
	wp_project *p = NULL;
	wp_diags d;

	CHECK(make_content() == 0);
	memset(&o, 0, sizeof o);
	o.content = content;
	o.templates = "templates";
	o.render = 1;
	o.lean = 1;
	wp_diags_init(&d);
	CHECK_INT(wp_project_open(&o, "build", &p, &d), 0);
	if (p == NULL || p->nservices != 1) {
		CHECK(p != NULL && p->nservices == 1);
		goto done;
	}
	CHECK(p->services[0].svc == NULL);
	CHECK_INT(wp_project_read_service(p, &p->services[0], &d), 0);
	CHECK(p->services[0].svc != NULL);
	CHECK_INT(d.len, 0);
	wp_project_drop_service(p, &p->services[0]);
	CHECK(p->services[0].svc == NULL);
done:
	wp_project_free(p);
	wp_diags_free(&d);
}

int
main(void)
{
	char *cmd;

	if (mkdtemp(scratch) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	TEST_RUN(test_lean_read_again_unchanged_says_nothing);
	TEST_RUN(test_lean_read_again_checks_a_changed_service);
	cmd = xasprintf("rm -rf '%s'", scratch);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", scratch);
	free(cmd);
	free(content);
	return test_exit_status();
}
