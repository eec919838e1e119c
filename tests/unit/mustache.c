/*
 * mustache.c: unit tests of the Mustache engine beyond the specification
 * tests: errors with their exact position, partial names that would leave
 * the template directory, the recursion limit, compiling once and rendering
 * many times, number formatting, HTML escaping of texts of every length
 * up to 50 bytes, indentation corner cases; generated
 * lists (made an item at a time) and streamed output; labels rendered as
 * templates over an edition's data.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "buf.h"
#include "harness.h"
#include "labels.h"
#include "mustache.h"
#include "util.h"
#include "yamlvalue.h"

static char *tmp_dir;

/* Helpers. */

static wp_value *
data(const char *yaml)
{
	wp_diags d;
	wp_value *v;

	wp_diags_init(&d);
	v = wp_yaml_load("data.yaml", yaml, strlen(yaml), &d);
	CHECK(v != NULL);
	wp_diags_free(&d);
	return v;
}

/* A loader that finds nothing. */
static int
no_loader(void *unused, const char *name, char **source, size_t *len,
    char **path)
{
	return WP_TEMPLATE_MISSING;
}

/* Compiles and renders src with yaml as context through reg; the output
 * (or NULL on error) is malloc'd. */
static char *
render_in(wp_templates *reg, const char *src, const char *yaml, wp_diags *d)
{
	wp_template *t = wp_template_compile(reg, "t.mustache", src,
	    strlen(src), d);
	wp_value *v = yaml ? data(yaml) : NULL;
	wp_buf out = WP_BUF_INIT;
	char *s = NULL;

	if (t != NULL && wp_template_render(reg, t, v, &out, d) == 0)
		s = wp_buf_detach(&out);
	wp_buf_free(&out);
	wp_value_free(v);
	wp_template_free(t);
	return s;
}

static char *
render(const char *src, const char *yaml, wp_diags *d)
{
	wp_templates *reg = wp_templates_new(no_loader, NULL);
	char *s = render_in(reg, src, yaml, d);

	wp_templates_free(reg);
	return s;
}

static void
check_render(const char *src, const char *yaml, const char *want)
{
	wp_diags d;
	char *got;

	wp_diags_init(&d);
	got = render(src, yaml, &d);
	CHECK_STR(got, want);
	CHECK_INT(d.len, 0);
	free(got);
	wp_diags_free(&d);
}

/* d holds exactly one diagnostic, at file:line:column with that code,
 * whose message contains text. */
static void
check_diag_at(const char *where, const wp_diags *d, const char *file,
    int line, int column, const char *code, const char *text)
{
	const wp_diag *g;

	if (d->len != 1) {
		test_fail_at(__FILE__, __LINE__, "%s: %zu diagnostics, want 1%s%s",
		    where, d->len, d->len ? ": " : "",
		    d->len ? d->items[0].message : "");
		return;
	}
	g = &d->items[0];
	if (strcmp(g->file, file) != 0 || g->line != line ||
	    g->column != column || strcmp(g->code, code) != 0 ||
	    strstr(g->message, text) == NULL)
		test_fail_at(__FILE__, __LINE__, "%s: got %s:%d:%d: %s [%s], "
		    "want %s:%d:%d: ...%s... [%s]", where, g->file, g->line,
		    g->column, g->message, g->code, file, line, column, text,
		    code);
}

/* Compiling src fails with one template-error at line:column. */
static void
check_compile_error(const char *src, int line, int column, const char *text)
{
	wp_diags d;
	wp_template *t;

	wp_diags_init(&d);
	t = wp_template_compile(NULL, "templates/idcf/page.mustache", src,
	    strlen(src), &d);
	CHECK(t == NULL);
	check_diag_at(src, &d, "templates/idcf/page.mustache", line, column,
	    "template-error", text);
	wp_template_free(t);
	wp_diags_free(&d);
}

static void
write_file(const char *rel, const char *text)
{
	char *path = wp_path_join(tmp_dir, rel);
	char *dir = xstrdup(path);

	*strrchr(dir, '/') = '\0';
	CHECK(wp_mkdir_p(dir) == 0);
	CHECK(wp_write_file(path, text, strlen(text)) == 0);
	free(dir);
	free(path);
}

static char *
tmp_path(const char *rel)
{
	return wp_path_join(tmp_dir, rel);
}

/* Compile errors. */

static void
mustache_unclosed_section(void)
{
	check_compile_error("a\n  {{#items}}\nx\n", 2, 3,
	    "unclosed section '#items'");
	check_compile_error("{{#a}}{{^b}}{{/b}}", 1, 1, "unclosed section");
	check_compile_error("{{<parent}}{{$b}}", 1, 12, "unclosed block");
}

static void
mustache_mismatched_close(void)
{
	check_compile_error("{{#a}}\n  x {{/b}}\n", 2, 5,
	    "closing tag '/b' does not match '#a' (line 1, column 1)");
	check_compile_error("x {{/a}}", 1, 3, "without an opening tag");
}

static void
mustache_bad_delimiters(void)
{
	check_compile_error("ok\n{{=<% %>}}", 2, 1,
	    "set-delimiter tag must end with '=}}'");
	check_compile_error("{{=<%%>=}}", 1, 1, "invalid set-delimiter tag");
	check_compile_error("{{= a b c =}}", 1, 1, "invalid set-delimiter");
	check_compile_error("{{=<% =%>=}}", 1, 1, "invalid set-delimiter");
	/* After a change, the new delimiters are the ones expected. */
	check_compile_error("{{=<% %>=}}\n<%x}}", 2, 1, "no '%>'");
}

static void
mustache_unclosed_tag(void)
{
	check_compile_error("ab\n cd {{name", 2, 5, "unclosed tag");
	check_compile_error("{{{x}}", 1, 1, "must end with '}}}'");
	check_compile_error("{{! never ends", 1, 1, "unclosed tag");
}

static void
mustache_bad_names(void)
{
	check_compile_error("{{}}", 1, 1, "empty tag name");
	check_compile_error("x{{# }}{{/ }}", 1, 2, "empty tag name");
	check_compile_error("{{a b}}", 1, 1, "cannot hold whitespace");
	check_compile_error("{{a..b}}", 1, 1, "empty part");
	check_compile_error("{{#.a}}{{/.a}}", 1, 1, "empty part");
	check_compile_error("{{>*}}", 1, 1, "empty tag name");
}

/* Columns count characters, not bytes. */
static void
mustache_utf8_columns(void)
{
	check_compile_error("日本語{{#a}}", 1, 4, "unclosed");
}

/* Sections 40 deep (past the 16 contexts the renderer holds without
 * a malloc): each level's name, and the root's, found from the deepest. */
static void
mustache_deep_contexts(void)
{
	wp_buf src = WP_BUF_INIT, yaml = WP_BUF_INIT, want = WP_BUF_INIT;
	int i;

	wp_buf_puts(&yaml, "{root: R, ");
	for (i = 0; i < 40; i++) {
		wp_buf_printf(&src, "{{#a}}{{n}}");
		wp_buf_printf(&yaml, "a: {n: %d, ", i);
		wp_buf_printf(&want, "%d", i);
	}
	wp_buf_puts(&src, "{{root}}");
	wp_buf_puts(&want, "R");
	for (i = 0; i < 40; i++) {
		wp_buf_puts(&src, "{{/a}}{{n}}");
		wp_buf_puts(&yaml, "}");
		if (i < 39)
			wp_buf_printf(&want, "%d", 38 - i);
	}
	wp_buf_puts(&yaml, "}");
	check_render(wp_buf_cstr(&src), wp_buf_cstr(&yaml),
	    wp_buf_cstr(&want));
	wp_buf_free(&src);
	wp_buf_free(&yaml);
	wp_buf_free(&want);
}

static void
mustache_nesting_limit(void)
{
	wp_buf src = WP_BUF_INIT;
	int i;

	for (i = 0; i <= WP_MUSTACHE_MAX_NESTING; i++)
		wp_buf_puts(&src, "{{#a}}");
	check_compile_error(wp_buf_cstr(&src), 1,
	    6 * WP_MUSTACHE_MAX_NESTING + 1, "nested more than");
	wp_buf_free(&src);
}

/* Partials from a directory. */

static void
mustache_partials_strict_and_lenient(void)
{
	wp_templates *reg;
	wp_diags d;
	char *got, *root = tmp_path("tpl");

	write_file("tpl/item.mustache", "<{{.}}>");
	wp_diags_init(&d);
	reg = wp_templates_new_dir(root, 1);
	got = render_in(reg, "{{#l}}{{>item}}{{/l}}\n  {{>nope}}\n",
	    "l: [1, 2]", &d);
	CHECK(got == NULL);
	check_diag_at("strict", &d, "t.mustache", 2, 3, "template-error",
	    "unknown partial 'nope'");
	wp_templates_free(reg);
	wp_diags_free(&d);

	wp_diags_init(&d);
	reg = wp_templates_new_dir(root, 0);
	got = render_in(reg, "{{#l}}{{>item}}{{/l}}\n  {{>nope}}\n",
	    "l: [1, 2]", &d);
	CHECK_STR(got, "<1><2>\n");
	CHECK_INT(d.len, 0);
	free(got);
	wp_templates_free(reg);
	wp_diags_free(&d);
	free(root);
}

static void
mustache_partial_subdirectory(void)
{
	wp_templates *reg;
	wp_diags d;
	char *got, *root = tmp_path("tpl");

	write_file("tpl/base/layout.mustache", "[{{$body}}{{/body}}]");
	wp_diags_init(&d);
	reg = wp_templates_new_dir(root, 1);
	got = render_in(reg, "{{<base/layout}}{{$body}}hi{{/body}}"
	    "{{/base/layout}}", NULL, &d);
	CHECK_STR(got, "[hi]");
	CHECK_INT(d.len, 0);
	free(got);
	wp_templates_free(reg);
	wp_diags_free(&d);
	free(root);
}

/* A lambda whose text is the partial tag its data names. */
static int
lambda_partial(void *data, const char *text, size_t len, wp_buf *out)
{
	wp_buf_puts(out, data);
	return 0;
}

/* Partials met again and again in one render (a list's items: the
 * renderer keeps the template of the tag it met last), two partial
 * tags in turn, and partial tags in what lambdas return, each compiled
 * and freed in turn (a tag of the second may come where the first's
 * was): each renders its own template. */
static void
mustache_partials_met_again(void)
{
	wp_templates *reg;
	wp_value *ctx;
	wp_buf out = WP_BUF_INIT;
	wp_template *t;
	wp_diags d;
	char *got, *root = tmp_path("again");
	const char *src = "{{#l1}}{{/l1}}{{#l2}}{{/l2}}{{#l1}}{{/l1}}";

	write_file("again/a.mustache", "A");
	write_file("again/b.mustache", "B");
	wp_diags_init(&d);
	reg = wp_templates_new_dir(root, 1);
	got = render_in(reg, "{{#xs}}{{>a}}{{>b}}{{>a}}{{/xs}}",
	    "xs: [1, 2, 3]", &d);
	CHECK_STR(got, "ABAABAABA");
	free(got);
	t = wp_template_compile(reg, "l.mustache", src, strlen(src), &d);
	ctx = wp_value_new_map();
	wp_map_set(ctx, "l1", wp_value_new_lambda(lambda_partial, "{{>a}}"));
	wp_map_set(ctx, "l2", wp_value_new_lambda(lambda_partial, "{{>b}}"));
	CHECK(t != NULL);
	CHECK(t && wp_template_render(reg, t, ctx, &out, &d) == 0);
	CHECK_STR(wp_buf_cstr(&out), "ABA");
	CHECK_INT(d.len, 0);
	wp_buf_free(&out);
	wp_value_free(ctx);
	wp_template_free(t);
	wp_templates_free(reg);
	wp_diags_free(&d);
	free(root);
}

static void
check_bad_partial(wp_templates *reg, const char *src, const char *yaml,
    int column)
{
	wp_diags d;
	char *got;

	wp_diags_init(&d);
	got = render_in(reg, src, yaml, &d);
	CHECK(got == NULL);
	check_diag_at(src, &d, "t.mustache", 1, column, "template-error",
	    "(names are relative to the template directory");
	free(got);
	wp_diags_free(&d);
}

/* "ok\0../secret" must not be read as "ok". */
static void
check_nul_in_dynamic_name(wp_templates *reg)
{
	const char *src = "{{>*n}}";
	wp_template *t;
	wp_value *v = wp_value_new_map();
	wp_buf out = WP_BUF_INIT;
	wp_diags d;

	wp_diags_init(&d);
	wp_map_set(v, "n", wp_value_new_stringn("ok\0../secret", 12));
	t = wp_template_compile(reg, "t.mustache", src, strlen(src), &d);
	CHECK(t && wp_template_render(reg, t, v, &out, &d) == -1);
	check_diag_at(src, &d, "t.mustache", 1, 1, "template-error",
	    "NUL character");
	CHECK_INT(out.len, 0);
	wp_template_free(t);
	wp_value_free(v);
	wp_buf_free(&out);
	wp_diags_free(&d);
}

static void
mustache_partial_traversal_rejected(void)
{
	char *root = tmp_path("tpl/inner");
	wp_templates *reg;

	write_file("tpl/inner/ok.mustache", "ok");
	write_file("tpl/secret.mustache", "SECRET");
	reg = wp_templates_new_dir(root, 1);
	check_bad_partial(reg, "x {{> ../../x}}", NULL, 3);
	check_bad_partial(reg, "{{>../secret}}", NULL, 1);
	check_bad_partial(reg, "{{>a/../../secret}}", NULL, 1);
	check_bad_partial(reg, "{{>/etc/passwd}}", NULL, 1);
	check_bad_partial(reg, "{{>a\\b}}", NULL, 1);
	check_bad_partial(reg, "{{>a//b}}", NULL, 1);
	check_bad_partial(reg, "{{<../secret}}{{/../secret}}", NULL, 1);
	/* Dynamic names are checked the same way. */
	check_bad_partial(reg, "{{>*name}}", "name: ../secret", 1);
	check_bad_partial(reg, "{{#s}}{{>*.}}{{/s}}", "s: ../../etc/passwd",
	    7);
	check_nul_in_dynamic_name(reg);
	wp_templates_free(reg);
	free(root);
}

/* A partial that does not compile reports its own path and position,
 * again to every new diagnostics list, once to the same one. */
static void
mustache_partial_with_errors(void)
{
	char *root = tmp_path("tpl"), *file = tmp_path("tpl/broken.mustache");
	wp_templates *reg;
	wp_diags d;
	char *got;

	write_file("tpl/broken.mustache", "line\n  {{#open}}\n");
	reg = wp_templates_new_dir(root, 1);
	wp_diags_init(&d);
	got = render_in(reg, "{{>broken}}", NULL, &d);
	CHECK(got == NULL);
	check_diag_at("broken", &d, file, 2, 3, "template-error",
	    "unclosed section");
	got = render_in(reg, "{{>broken}}", NULL, &d);
	CHECK(got == NULL);
	CHECK_INT(d.len, 1);
	wp_diags_free(&d);
	wp_diags_init(&d);
	CHECK(wp_templates_get(reg, "broken", &d) == NULL);
	check_diag_at("get", &d, file, 2, 3, "template-error", "unclosed");
	wp_diags_free(&d);
	wp_diags_init(&d);
	CHECK(wp_templates_get(reg, "absent", &d) == NULL);
	CHECK_INT(d.len, 1);
	CHECK(d.len && strcmp(d.items[0].code, "template-error") == 0);
	wp_diags_free(&d);
	wp_templates_free(reg);
	free(file);
	free(root);
}

static void
mustache_recursion_limit(void)
{
	char *root = tmp_path("tpl"), *file = tmp_path("tpl/loop.mustache");
	wp_templates *reg;
	wp_diags d;
	char *got;

	write_file("tpl/loop.mustache", "x\n {{>loop}}\n");
	reg = wp_templates_new_dir(root, 1);
	wp_diags_init(&d);
	got = render_in(reg, "{{>loop}}", NULL, &d);
	CHECK(got == NULL);
	check_diag_at("loop", &d, file, 2, 2, "template-error",
	    "nested more than 100 deep");
	wp_diags_free(&d);
	/* Recursion that ends is fine. */
	write_file("tpl/tree.mustache",
	    "{{name}}({{#kids}}{{>tree}}{{/kids}})");
	wp_diags_init(&d);
	got = render_in(reg, "{{>tree}}", "{name: a, kids: [{name: b, kids: "
	    "[{name: c, kids: []}]}, {name: d, kids: []}]}", &d);
	CHECK_STR(got, "a(b(c())d())");
	free(got);
	wp_diags_free(&d);
	wp_templates_free(reg);
	free(file);
	free(root);
}

static int
lambda_self(void *data, const char *text, size_t len, wp_buf *out)
{
	wp_buf_puts(out, "{{lambda}}");
	return 0;
}

static int
lambda_fail(void *data, const char *text, size_t len, wp_buf *out)
{
	return -1;
}

static int
lambda_bad_template(void *data, const char *text, size_t len, wp_buf *out)
{
	wp_buf_puts(out, "{{#x}}");
	return 0;
}

static void
check_lambda_error(wp_lambda_fn fn, const char *src, const char *text)
{
	wp_templates *reg = wp_templates_new(no_loader, NULL);
	wp_value *ctx = wp_value_new_map();
	wp_buf out = WP_BUF_INIT;
	wp_template *t;
	wp_diags d;

	wp_diags_init(&d);
	t = wp_template_compile(reg, "l.mustache", src, strlen(src), &d);
	wp_map_set(ctx, "lambda", wp_value_new_lambda(fn, NULL));
	CHECK(t != NULL);
	CHECK(t && wp_template_render(reg, t, ctx, &out, &d) == -1);
	check_diag_at(src, &d, "l.mustache", 1, 3, "template-error", text);
	wp_diags_free(&d);
	wp_buf_free(&out);
	wp_value_free(ctx);
	wp_template_free(t);
	wp_templates_free(reg);
}

static void
mustache_lambda_errors(void)
{
	check_lambda_error(lambda_self, "<<{{lambda}}", "nested more than "
	    "100 deep (in what lambda 'lambda' returned)");
	check_lambda_error(lambda_fail, "<<{{#lambda}}x{{/lambda}}",
	    "lambda 'lambda' failed");
	check_lambda_error(lambda_bad_template, "<<{{lambda}}",
	    "bad template: unclosed section");
}

/* Compile once, render many. */

static int loads;

static int
counting_loader(void *unused, const char *name, char **source, size_t *len,
    char **path)
{
	loads++;
	if (strcmp(name, "p") != 0)
		return WP_TEMPLATE_MISSING;
	*source = xstrdup("[{{x}}]");
	*len = strlen(*source);
	*path = xstrdup("p.mustache");
	return WP_TEMPLATE_FOUND;
}

static void
mustache_compile_once_render_many(void)
{
	wp_templates *reg = wp_templates_new(counting_loader, NULL);
	const char *src = "{{#items}}{{>p}}{{>q}}{{/items}}";
	wp_buf out = WP_BUF_INIT;
	wp_template *t;
	wp_value *v;
	wp_diags d;
	int i;

	wp_diags_init(&d);
	t = wp_template_compile(reg, "t", src, strlen(src), &d);
	loads = 0;
	for (i = 0; i < 50; i++) {
		v = wp_value_new_map();
		wp_list_push(wp_map_set_list(v, "items"), wp_value_new_map());
		wp_map_set_int(v->u.map.items[0].value->u.list.items[0], "x",
		    i);
		wp_buf_clear(&out);
		CHECK(wp_template_render(reg, t, v, &out, &d) == 0);
		if (i == 49)
			CHECK_STR(wp_buf_cstr(&out), "[49]");
		wp_value_free(v);
	}
	CHECK_INT(loads, 2);    /* p once, and q (missing) once */
	CHECK(wp_templates_get(reg, "p", &d) == wp_templates_get(reg, "p",
	    &d));
	CHECK_INT(loads, 2);
	CHECK_STR(wp_template_path(wp_templates_get(reg, "p", &d)),
	    "p.mustache");
	CHECK_INT(d.len, 0);
	wp_diags_free(&d);
	wp_buf_free(&out);
	wp_template_free(t);
	wp_templates_free(reg);
}

/* Numbers. */

static void
check_number(const char *text, const char *want)
{
	wp_buf b = WP_BUF_INIT;

	wp_mustache_put_number(&b, text);
	if (strcmp(wp_buf_cstr(&b), want) != 0)
		test_fail_at(__FILE__, __LINE__, "number %s printed %s, want %s",
		    text, wp_buf_cstr(&b), want);
	wp_buf_free(&b);
}

static void
mustache_number_formatting(void)
{
	check_number("1.210", "1.21");
	check_number("1.21", "1.21");
	check_number("85", "85");
	check_number("-7", "-7");
	check_number("+5", "5");
	check_number("007", "7");
	check_number("-0", "0");
	check_number("123456789012345678901234567890",
	    "123456789012345678901234567890");
	check_number("0x1F", "31");
	check_number("0o17", "15");
	check_number("1.0", "1");
	check_number("1e3", "1000");
	check_number(".5", "0.5");
	check_number("-.5", "-0.5");
	check_number("0.1", "0.1");
	check_number("2.5e-3", "0.0025");
	check_number("0.000001", "0.000001");
	check_number("1e-7", "1e-7");
	check_number("1e21", "1e+21");
	check_number("123e18", "123000000000000000000");
	check_number("0.30000000000000004", "0.30000000000000004");
	check_number("3.14159265358979", "3.14159265358979");
	check_number("1.7976931348623157e308", "1.7976931348623157e+308");
	check_number("1e999", "Infinity");
	check_number(".inf", "Infinity");
	check_number("-.Inf", "-Infinity");
	check_number(".nan", "NaN");
	check_number("0.0", "0");
	check_number("-0.000", "0");
	check_number("1.", "1");
	check_number("010.50", "10.5");
	check_number("0.0000001", "1e-7");
	check_number("0.00000123", "0.00000123");
	check_number("123456789.123456", "123456789.123456");
	check_number("1234567890.1234567", "1234567890.1234567");
	check_number("0.1000000000000000055511151231257827", "0.1");
	check_number("99999999999999999999.5", "100000000000000000000");
	check_number("12%", "12%");
	/* Through YAML and a template. */
	check_render("{{a}} {{b}} {{c}} {{#l}}{{.}},{{/l}}",
	    "{a: 1.210, b: 0x10, c: 1e2, l: [1.10, 2.50]}",
	    "1.21 16 100 1.1,2.5,");
}

/* Output. */

static void
mustache_escaping(void)
{
	check_render("{{s}}|{{{s}}}|{{&s}}", "s: \"<a href='x'>&\\\"\"",
	    "&lt;a href=&#39;x&#39;&gt;&amp;&quot;|<a href='x'>&\"|"
	    "<a href='x'>&\"");
	check_render("{{t}} {{f}} {{n}} [{{l}}] [{{m}}]",
	    "{t: true, f: false, n: null, l: [1], m: {a: 1}}",
	    "true false  [] []");
}

/* The HTML escape of s[0..n), a byte at a time: what wp_buf_put_html,
 * which passes sixteen bytes at a time over text that needs none, must
 * give. */
static void
escape_bytewise(wp_buf *out, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		switch (s[i]) {
		case '&': wp_buf_puts(out, "&amp;"); break;
		case '<': wp_buf_puts(out, "&lt;"); break;
		case '>': wp_buf_puts(out, "&gt;"); break;
		case '"': wp_buf_puts(out, "&quot;"); break;
		case '\'': wp_buf_puts(out, "&#39;"); break;
		default: wp_buf_putc(out, s[i]); break;
		}
}

/* Every length up to 50 bytes (Japanese and ASCII), with each of the
 * five characters escaped at each position, two of them in one block,
 * and text after the escapes; no byte after the text read. */
static void
mustache_escaping_lengths(void)
{
	static const char special[] = "&<>\"'";
	const char *ja = "\xe3\x81\x82\xe3\x81\x84\xe3\x81\x86";
	char text[64], *exact;
	wp_buf got = WP_BUF_INIT, want = WP_BUF_INIT;
	size_t n, p, k, i;
	int bad = 0;

	for (n = 0; n <= 50 && !bad; n++) {
		for (p = 0; p <= n && !bad; p++) {
			for (k = 0; k < 5 && !bad; k++) {
				for (i = 0; i < n; i++)
					text[i] = i % 4 ? ja[i % 9] : 'a';
				if (p < n)
					text[p] = special[k];
				if (p + 3 < n)
					text[p + 3] = special[(k + 1) % 5];
				/* (n bytes of their own: ASan fails a read
				 * past them) */
				exact = xmalloc(n ? n : 1);
				memcpy(exact, text, n);
				wp_buf_clear(&got);
				wp_buf_clear(&want);
				wp_buf_put_html(&got, exact, n);
				free(exact);
				escape_bytewise(&want, text, n);
				bad = got.len != want.len ||
				    memcmp(wp_buf_cstr(&got), wp_buf_cstr(&want),
				    got.len) != 0;
			}
		}
	}
	CHECK(!bad);
	if (bad)
		CHECK_STR(wp_buf_cstr(&got), wp_buf_cstr(&want));
	wp_buf_free(&got);
	wp_buf_free(&want);
}

static void
mustache_lookup(void)
{
	check_render("{{a.1.b}}", "a: [{b: x}, {b: y}]", "y");
	check_render("{{#a}}{{b}}{{/a}}", "{a: \"\", b: no}", "");
	check_render("{{^a}}empty{{/a}}", "a: \"\"", "empty");
	check_render("{{x}}", NULL, "");
	/* New delimiters may contain the old closing one. */
	check_render("{{=<% %>=}}<%={{ }}=%>{{x}}<%x%>", "x: 1", "1<%x%>");
	check_render("{{={{ }} =}}{{x}}", "x: 2", "2");
}

/* Indentation beyond the specification's cases. */
static void
mustache_indentation(void)
{
	wp_templates *reg;
	wp_diags d;
	char *got, *root = tmp_path("ind");

	write_file("ind/p.mustache", "a\n\nb\n");
	write_file("ind/inline.mustache", "x\ny");
	write_file("ind/outer.mustache", "<{{>inline}}>\n  {{>p}}\n");
	reg = wp_templates_new_dir(root, 1);
	wp_diags_init(&d);
	/* Blank lines of a standalone partial are not indented. */
	got = render_in(reg, "  {{>p}}\n", NULL, &d);
	CHECK_STR(got, "  a\n\n  b\n");
	free(got);
	/* An inline partial is not indented; indentation accumulates. */
	got = render_in(reg, "    {{>outer}}\n", NULL, &d);
	CHECK_STR(got, "    <x\ny>\n      a\n\n      b\n");
	free(got);
	/* Values' lines are never indented. */
	got = render_in(reg, "  {{>inline}}{{v}}\n", "v: \"1\\n2\"", &d);
	CHECK_STR(got, "  x\ny1\n2\n");
	free(got);
	CHECK_INT(d.len, 0);
	wp_diags_free(&d);
	wp_templates_free(reg);
	free(root);
}

/* Render errors are reported once to the same list. */
static void
mustache_diagnostics_not_repeated(void)
{
	wp_templates *reg = wp_templates_new(no_loader, NULL);
	wp_diags d;
	char *got;
	int i;

	wp_templates_set_strict(reg, 1);
	wp_diags_init(&d);
	for (i = 0; i < 3; i++) {
		got = render_in(reg, "{{>missing}}", NULL, &d);
		CHECK(got == NULL);
	}
	CHECK_INT(d.len, 1);
	wp_diags_free(&d);
	wp_templates_free(reg);
}


/* ---- generated lists ---- */

/* What a test generator makes: item i is a map {n: i, name: "item-i",
 * sub: a generated list of i strings "i.j"} (or, with strings set, the
 * string "s-i"); live counts the items not yet dropped, made counts
 * every item made. */
typedef struct gen_state {
	int strings;
	int live, max_live, made;
	size_t pad;              /* bytes of padding text in each item */
} gen_state;

typedef struct sub_state {
	size_t parent;
} sub_state;

static void
item_dropped(void *p)
{
	((gen_state *)p)->live--;
}

static wp_value *
gen_sub_item(void *data, size_t j, wp_arena *arena)
{
	const sub_state *st = data;
	wp_value *m = wp_value_new_map_in(arena);
	char text[64];

	snprintf(text, sizeof text, "%zu.%zu", st->parent, j);
	wp_map_set_str(m, "s", text);
	return m;
}

static wp_value *
gen_item(void *data, size_t i, wp_arena *arena)
{
	gen_state *st = data;
	wp_value *m = wp_value_new_map_in(arena);
	sub_state *sub = wp_arena_alloc(arena, sizeof *sub);
	char name[64];
	char *pad;

	st->live++;
	st->made++;
	if (st->live > st->max_live)
		st->max_live = st->live;
	wp_arena_on_free(arena, item_dropped, st);
	snprintf(name, sizeof name, "item-%zu", i);
	if (st->strings) {
		wp_map_set_str(m, "x", name);       /* a string in arena */
		return m;
	}
	wp_map_set_int(m, "n", (long long)i);
	wp_map_set_str(m, "name", name);
	sub->parent = i;
	wp_map_set(m, "sub", wp_value_new_generated(arena, i, gen_sub_item,
	    sub));
	if (st->pad) {
		pad = wp_arena_alloc(arena, st->pad + 1);
		memset(pad, 'p', st->pad);
		wp_map_set_str(m, "pad", pad);
	}
	return m;
}

/* Renders src with {title: "T", g: a generated list of n items, m: {g:
 * the same}}; the output (or NULL) is malloc'd. */
static char *
render_generated(const char *src, size_t n, gen_state *st)
{
	wp_template *t;
	wp_value *ctx = wp_value_new_map();
	wp_buf out = WP_BUF_INIT;
	wp_diags d;
	char *s = NULL;

	wp_diags_init(&d);
	wp_map_set_str(ctx, "title", "T");
	wp_map_set(ctx, "g", wp_value_new_generated(NULL, n, gen_item, st));
	wp_map_set(wp_map_set_map(ctx, "m"), "g",
	    wp_value_new_generated(NULL, n, gen_item, st));
	t = wp_template_compile(NULL, "t.mustache", src, strlen(src), &d);
	if (t != NULL && wp_template_render(NULL, t, ctx, &out, &d) == 0)
		s = wp_buf_detach(&out);
	CHECK_INT(d.len, 0);
	wp_buf_free(&out);
	wp_template_free(t);
	wp_value_free(ctx);
	wp_diags_free(&d);
	return s;
}

static void
check_generated(const char *src, size_t n, const char *want)
{
	gen_state st = {0, 0, 0, 0, 0};
	char *got = render_generated(src, n, &st);

	CHECK_STR(got, want);
	/* one item alive at a time (a nested list's items are not counted),
	 * and every item dropped once rendered */
	CHECK(st.max_live <= 1);
	CHECK_INT(st.live, 0);
	free(got);
}

/* A generated list renders like the list of its items, made one at a
 * time. */
static void
mustache_generated_list(void)
{
	gen_state st = {1, 0, 0, 0, 0};
	wp_value *v;
	wp_arena *scratch;
	wp_buf json = WP_BUF_INIT;
	char *got;

	check_generated("{{#g}}[{{n}} {{name}}]{{/g}}", 3,
	    "[0 item-0][1 item-1][2 item-2]");
	/* empty: the section is skipped, an inverted section shown */
	check_generated("<{{#g}}x{{/g}}>", 0, "<>");
	check_generated("{{^g}}none{{/g}}", 0, "none");
	check_generated("{{^g}}none{{/g}}", 2, "");
	/* names outside the item: the enclosing contexts */
	check_generated("{{#g}}{{title}}{{n}} {{/g}}", 2, "T0 T1 ");
	/* nested generated lists, standalone lines */
	check_generated("{{#g}}\n{{n}}:{{#sub}}{{s}},{{/sub}}\n{{/g}}\n", 3,
	    "0:\n1:1.0,\n2:2.0,2.1,\n");
	check_generated("{{#g}}{{#sub}}{{n}}/{{s}} {{/sub}}{{/g}}", 3,
	    "1/1.0 2/2.0 2/2.1 ");
	/* an inverted nested list inside items */
	check_generated("{{#g}}{{^sub}}({{n}} empty){{/sub}}{{/g}}", 2,
	    "(0 empty)");
	/* through a dotted name */
	check_generated("{{#m.g}}{{n}}{{/m.g}}", 4, "0123");
	/* as a value it prints nothing, and has no items by index */
	check_generated("[{{g}}][{{g.0}}][{{g.0.n}}]", 2, "[][][]");
	/* the implicit iterator: items that are strings */
	got = render_generated("{{#g}}{{#x}}{{.}};{{/x}}{{/g}}", 3, &st);
	CHECK_STR(got, "item-0;item-1;item-2;");
	CHECK(st.max_live <= 1);
	free(got);
	/* {{.}} of a map item prints nothing, as for a list's */
	check_generated("{{#g}}<{{.}}>{{/g}}", 2, "<><>");
	/* JSON: the list of its items */
	v = wp_value_new_generated(NULL, 2, gen_item, &st);
	CHECK_INT(wp_value_len(v), 2);
	CHECK(wp_value_truthy(v));
	wp_value_write_json(v, &json);
	CHECK_STR(wp_buf_cstr(&json), "[{\"x\":\"item-0\"},{\"x\":\"item-1\"}]");
	wp_buf_free(&json);
	wp_value_free(v);
	/* empty: falsey */
	scratch = wp_arena_new();
	v = wp_value_new_generated(scratch, 0, gen_item, &st);
	CHECK(!wp_value_truthy(v));
	CHECK_INT(wp_value_len(v), 0);
	wp_arena_free(scratch);
	CHECK_INT(st.live, 0);
}

typedef struct sink_state {
	wp_buf all;
	size_t calls, largest;
	size_t fail_at;          /* fail the call with this number (1-based) */
} sink_state;

static int
collect(void *data, const char *s, size_t len)
{
	sink_state *k = data;

	k->calls++;
	if (k->calls == k->fail_at)
		return -1;
	if (len > k->largest)
		k->largest = len;
	wp_buf_put(&k->all, s, len);
	return 0;
}

/* Streamed output: the same bytes as rendered whole, in pieces of about
 * WP_MUSTACHE_STREAM_CHUNK; the sink can stop the rendering. */
static void
mustache_stream(void)
{
	const char *src = "<h>{{title}}</h>\n{{#g}}<r>{{n}} {{pad}}"
	    "{{#sub}}{{s}}{{/sub}}</r>\n{{/g}}<f>{{title}}</f>\n";
	gen_state st = {0, 0, 0, 0, 1000};
	sink_state k = {WP_BUF_INIT, 0, 0, 0};
	wp_template *t;
	wp_value *ctx = wp_value_new_map();
	wp_diags d;
	char *whole;
	int rc;

	wp_diags_init(&d);
	wp_map_set_str(ctx, "title", "T");
	wp_map_set(ctx, "g", wp_value_new_generated(NULL, 300, gen_item,
	    &st));
	t = wp_template_compile(NULL, "t.mustache", src, strlen(src), &d);
	CHECK(t != NULL);
	whole = render_generated(src, 300, &st);
	CHECK(whole != NULL && strlen(whole) > 4 * WP_MUSTACHE_STREAM_CHUNK);
	rc = wp_template_render_stream(NULL, t, ctx, collect, &k, &d);
	CHECK_INT(rc, 0);
	CHECK_STR(wp_buf_cstr(&k.all), whole);
	CHECK(k.calls >= 4);
	/* a piece is a chunk and at most one item more */
	CHECK(k.largest < WP_MUSTACHE_STREAM_CHUNK + 2000);
	CHECK_INT(st.live, 0);
	/* the sink says stop: no more items are made */
	wp_buf_clear(&k.all);
	k.calls = 0;
	k.fail_at = 2;
	st.made = 0;
	rc = wp_template_render_stream(NULL, t, ctx, collect, &k, &d);
	CHECK_INT(rc, -2);
	CHECK_INT(k.calls, 2);
	CHECK(st.made < 300);
	CHECK_INT(st.live, 0);
	/* short output: one piece at the end */
	wp_buf_clear(&k.all);
	k.calls = 0;
	k.fail_at = 0;
	wp_map_set(ctx, "g", wp_value_new_generated(NULL, 2, gen_item, &st));
	rc = wp_template_render_stream(NULL, t, ctx, collect, &k, &d);
	CHECK_INT(rc, 0);
	CHECK_INT(k.calls, 1);
	CHECK_INT(d.len, 0);
	free(whole);
	wp_buf_free(&k.all);
	wp_template_free(t);
	wp_value_free(ctx);
	wp_diags_free(&d);
}

/* An edition's labels (labels.h) borrow the style's: rendering the
 * labels that are templates (each compiled once) gives each edition its
 * own text and leaves the style's as they were, for the next edition; an
 * override is the edition's own; freeing the edition's frees none of the
 * style's (ASan).  A label that does not compile is said for each
 * edition, naming its service. */
static void
mustache_labels_borrowed(void)
{
	wp_value *style = data("plain: Contents\ntitle: \"Appendix "
	    "{{letter}}\"\n");
	wp_value *over = data("ja:\n  note: \"{{letter}} only\"\n");
	wp_value *a = data("letter: A\n"), *b = data("letter: B\n");
	wp_value *la = wp_labels_with(style, over, "ja");
	wp_value *lb = wp_labels_with(style, NULL, "ja");
	wp_diags d;
	int i;

	wp_labels_render(la, a, "a/service.yaml", NULL);
	wp_labels_render(lb, b, "b/service.yaml", NULL);
	CHECK_STR(wp_value_text(wp_map_get(la, "title")), "Appendix A");
	CHECK_STR(wp_value_text(wp_map_get(la, "note")), "A only");
	CHECK_STR(wp_value_text(wp_map_get(lb, "title")), "Appendix B");
	CHECK(wp_map_get(lb, "note") == NULL);
	CHECK(wp_map_get(la, "plain") == wp_map_get(style, "plain"));
	CHECK_STR(wp_value_text(wp_map_get(style, "title")),
	    "Appendix {{letter}}");
	wp_value_free(la);
	wp_value_free(lb);
	CHECK_STR(wp_value_text(wp_map_get(style, "plain")), "Contents");
	/* A label that is no template is said each time, naming where it
	 * comes from, and left as it is; the others are rendered. */
	wp_map_set_str(style, "bad", "{{#letter}}open");
	for (i = 0; i < 2; i++) {
		wp_diags_init(&d);
		la = wp_labels_with(style, NULL, "ja");
		wp_labels_render(la, i ? b : a, i ? "b/service.yaml" :
		    "a/service.yaml", &d);
		CHECK_INT(d.len, 1);
		if (d.len == 1)
			CHECK_STR(d.items[0].file, i ? "b/service.yaml: label "
			    "bad" : "a/service.yaml: label bad");
		CHECK_STR(wp_value_text(wp_map_get(la, "bad")),
		    "{{#letter}}open");
		CHECK_STR(wp_value_text(wp_map_get(la, "title")), i ?
		    "Appendix B" : "Appendix A");
		wp_value_free(la);
		wp_diags_free(&d);
	}
	wp_value_free(style);
	wp_value_free(over);
	wp_value_free(a);
	wp_value_free(b);
}

int
main(void)
{
	char tmpl[256];
	const char *base = getenv("TMP");

	snprintf(tmpl, sizeof tmpl, "%s/wpgen-mustache-XXXXXX",
	    base && *base ? base : "/tmp");
	tmp_dir = mkdtemp(tmpl);
	if (tmp_dir == NULL) {
		test_report("mustache: temporary directory", 0, tmpl);
		return 1;
	}
	TEST_RUN(mustache_deep_contexts);
	TEST_RUN(mustache_unclosed_section);
	TEST_RUN(mustache_mismatched_close);
	TEST_RUN(mustache_bad_delimiters);
	TEST_RUN(mustache_unclosed_tag);
	TEST_RUN(mustache_bad_names);
	TEST_RUN(mustache_utf8_columns);
	TEST_RUN(mustache_nesting_limit);
	TEST_RUN(mustache_partials_strict_and_lenient);
	TEST_RUN(mustache_partial_subdirectory);
	TEST_RUN(mustache_partials_met_again);
	TEST_RUN(mustache_partial_traversal_rejected);
	TEST_RUN(mustache_partial_with_errors);
	TEST_RUN(mustache_recursion_limit);
	TEST_RUN(mustache_lambda_errors);
	TEST_RUN(mustache_compile_once_render_many);
	TEST_RUN(mustache_number_formatting);
	TEST_RUN(mustache_escaping);
	TEST_RUN(mustache_escaping_lengths);
	TEST_RUN(mustache_lookup);
	TEST_RUN(mustache_indentation);
	TEST_RUN(mustache_diagnostics_not_repeated);
	TEST_RUN(mustache_generated_list);
	TEST_RUN(mustache_stream);
	TEST_RUN(mustache_labels_borrowed);
	wp_remove_tree(tmp_dir);
	return test_exit_status();
}
