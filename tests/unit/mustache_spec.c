/*
 * mustache_spec.c: runs the official Mustache specification tests
 * (the *.json files of ../shared/mustache-spec, read at test time through the YAML
 * loader) against the engine, one PASS/FAIL line per test, a "# file: n/m"
 * line per spec file and "# mustache spec: n/m" at the end.
 *
 * Partials come from each test's "partials" map through a loader over that
 * map (lenient: a missing partial renders as nothing).  The lambdas of
 * ~lambdas are code in other languages; they are implemented here as C
 * callbacks chosen by test name and put in the data in place of the code.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "harness.h"
#include "mustache.h"
#include "util.h"
#include "yamlvalue.h"

/* The lambdas. */

static int
lambda_constant(void *data, const char *text, size_t len, wp_buf *out)
{
	wp_buf_puts(out, data);
	return 0;
}

static int calls;

static int
lambda_counter(void *data, const char *text, size_t len, wp_buf *out)
{
	wp_buf_printf(out, "%d", ++calls);
	return 0;
}

static int
lambda_is_x(void *data, const char *text, size_t len, wp_buf *out)
{
	wp_buf_puts(out, len == 5 && memcmp(text, "{{x}}", 5) == 0 ?
	    "yes" : "no");
	return 0;
}

/* text, then data, then text again. */
static int
lambda_wrap(void *data, const char *text, size_t len, wp_buf *out)
{
	wp_buf_put(out, text, len);
	wp_buf_puts(out, data);
	wp_buf_put(out, text, len);
	return 0;
}

static int
lambda_underscores(void *data, const char *text, size_t len, wp_buf *out)
{
	wp_buf_puts(out, "__");
	wp_buf_put(out, text, len);
	wp_buf_puts(out, "__");
	return 0;
}

static int
lambda_false(void *data, const char *text, size_t len, wp_buf *out)
{
	return 0;
}

static const struct spec_lambda {
	const char *test;
	wp_lambda_fn fn;
	const char *data;
} lambdas[] = {
	{"Interpolation", lambda_constant, "world"},
	{"Interpolation - Expansion", lambda_constant, "{{planet}}"},
	{"Interpolation - Alternate Delimiters", lambda_constant,
	    "|planet| => {{planet}}"},
	{"Interpolation - Multiple Calls", lambda_counter, NULL},
	{"Escaping", lambda_constant, ">"},
	{"Section", lambda_is_x, NULL},
	{"Section - Expansion", lambda_wrap, "{{planet}}"},
	{"Section - Alternate Delimiters", lambda_wrap,
	    "{{planet}} => |planet|"},
	{"Section - Multiple Calls", lambda_underscores, NULL},
	{"Inverted Section", lambda_false, NULL},
};

/* Replaces data's "lambda" entry with the C version; 0 when there is no
 * C version of the test's lambda. */
static int
install_lambda(const char *test, wp_value *data)
{
	size_t i;

	if (wp_map_get(data, "lambda") == NULL)
		return 1;
	for (i = 0; i < sizeof lambdas / sizeof lambdas[0]; i++) {
		if (strcmp(lambdas[i].test, test) != 0)
			continue;
		calls = 0;
		wp_map_set(data, "lambda", wp_value_new_lambda(lambdas[i].fn,
		    (void *)lambdas[i].data));
		return 1;
	}
	return 0;
}

/* Partials from the test's map. */
static int
map_loader(void *data, const char *name, char **source, size_t *len,
    char **path)
{
	const wp_value *v = wp_map_get(data, name);

	if (v == NULL || v->kind != WP_STRING)
		return WP_TEMPLATE_MISSING;
	*source = xstrndup(v->u.str.text, v->u.str.len);
	*len = v->u.str.len;
	*path = xasprintf("partial %s", name);
	return WP_TEMPLATE_FOUND;
}

static void
put_quoted(wp_buf *b, const char *label, const char *s, size_t n)
{
	wp_buf_puts(b, label);
	wp_buf_put_json(b, s, n);
}

/* Runs one test; 1 when it passes.  *why explains a failure. */
static int
run_test(const char *file, wp_value *test, wp_buf *why)
{
	const wp_value *name = wp_map_get(test, "name");
	const wp_value *tpl = wp_map_get(test, "template");
	const wp_value *want = wp_map_get(test, "expected");
	wp_value *data = wp_map_get(test, "data");
	wp_templates *reg;
	wp_template *t;
	wp_buf out = WP_BUF_INIT;
	wp_diags d;
	int ok = 0;

	if (name == NULL || tpl == NULL || want == NULL ||
	    tpl->kind != WP_STRING || want->kind != WP_STRING) {
		wp_buf_puts(why, "malformed test");
		return 0;
	}
	if (strstr(file, "lambdas") && !install_lambda(name->u.str.text,
	    data)) {
		wp_buf_puts(why, "no C version of this lambda");
		return 0;
	}
	wp_diags_init(&d);
	reg = wp_templates_new(map_loader, wp_map_get(test, "partials"));
	t = wp_template_compile(reg, "template", tpl->u.str.text,
	    tpl->u.str.len, &d);
	if (t != NULL && wp_template_render(reg, t, data, &out, &d) == 0) {
		ok = out.len == want->u.str.len &&
		    memcmp(wp_buf_cstr(&out), want->u.str.text, out.len) == 0;
		if (!ok) {
			put_quoted(why, "want ", want->u.str.text,
			    want->u.str.len);
			put_quoted(why, ", got ", wp_buf_cstr(&out), out.len);
		}
	} else {
		wp_buf_printf(why, "error: %s", d.len ? d.items[0].message :
		    "(no diagnostic)");
	}
	wp_template_free(t);
	wp_templates_free(reg);
	wp_diags_free(&d);
	wp_buf_free(&out);
	return ok;
}

/* Runs the tests of one spec file; adds to *passed and *total. */
static void
run_file(const char *dir, const char *file, int *passed, int *total)
{
	char *path = wp_path_join(dir, file), *label;
	char *base = xstrndup(file, strcspn(file, "."));
	wp_value *spec, *tests;
	wp_buf why = WP_BUF_INIT;
	wp_diags d;
	int n = 0, ok = 0, pass;
	size_t i;

	wp_diags_init(&d);
	spec = wp_yaml_load_file(path, &d);
	tests = wp_map_get(spec, "tests");
	if (tests == NULL || tests->kind != WP_LIST) {
		label = xasprintf("mustache-spec/%s", base);
		test_report(label, 0, d.len ? d.items[0].message :
		    "no list of tests");
		free(label);
		(*total)++;
	}
	for (i = 0; tests != NULL && i < wp_value_len(tests); i++) {
		wp_value *test = tests->u.list.items[i];
		const wp_value *name = wp_map_get(test, "name");
		wp_buf_clear(&why);
		pass = run_test(file, test, &why);
		label = xasprintf("mustache-spec/%s/%s", base,
		    name ? wp_value_text(name) : "?");
		test_report(label, pass, pass ? NULL : wp_buf_cstr(&why));
		free(label);
		n++;
		ok += pass;
	}
	printf("# %s: %d/%d\n", base, ok, n);
	*passed += ok;
	*total += n;
	wp_buf_free(&why);
	wp_value_free(spec);
	wp_diags_free(&d);
	free(base);
	free(path);
}

int
main(void)
{
	char *dir;
	char **files;
	size_t n, i;
	int passed = 0, total = 0;

	if (!test_have_shared("mustache-spec", "mustache-spec"))
		return 0;
	dir = wp_path_join(test_shared_dir(), "mustache-spec");
	files = wp_dir_names(dir, ".json", &n);
	if (files == NULL || n == 0) {
		char *why = xasprintf("no spec files (*.json) in %s", dir);
		test_report("mustache-spec", 0, why);
		free(why);
	}
	for (i = 0; i < n; i++) {
		run_file(dir, files[i], &passed, &total);
		free(files[i]);
	}
	free(files);
	free(dir);
	printf("# mustache spec: %d/%d\n", passed, total);
	return test_exit_status();
}
