/*
 * mustache.c: libFuzzer target for the Mustache engine (src/mustache.c):
 * compiling a template and rendering it against YAML data, with partials
 * and lambdas.
 *
 * The input is cut at NUL bytes: the template, then the data (YAML or
 * JSON, loaded by src/yamlvalue.c; a map gets two lambdas, "wrap" and
 * "echo", added), then any number of partials: a partial name picks one
 * of them by its hash, so {{>a}} and {{<b}} find sources, self-recursion
 * included.  Errors are expected; crashes, leaks and hangs are not.
 */
#include <stdint.h>
#include <stdlib.h>

#include "buf.h"
#include "diag.h"
#include "fuzz.h"
#include "mustache.h"
#include "util.h"
#include "value.h"
#include "yamlvalue.h"

typedef struct partials {
	const fuzz_part *parts;
	size_t n;
} partials;

static int
load_partial(void *data, const char *name, char **source, size_t *len,
    char **path)
{
	const partials *p = data;
	const fuzz_part *part;

	if (p->n == 0)
		return WP_TEMPLATE_MISSING;
	part = &p->parts[wp_hash(name, strlen(name)) % p->n];
	*source = xstrndup(part->data, part->len);
	*len = part->len;
	*path = xasprintf("partial-%s.mustache", name);
	return WP_TEMPLATE_FOUND;
}

/* {{#wrap}}x{{/wrap}} renders "<b>x</b>"; {{wrap}} renders "{{.}}". */
static int
lambda_wrap(void *data, const char *text, size_t len, wp_buf *out)
{
	if (text == NULL) {
		wp_buf_puts(out, "{{.}}");
		return 0;
	}
	wp_buf_puts(out, "<b>");
	wp_buf_put(out, text, len);
	wp_buf_puts(out, "</b>");
	return 0;
}

/* Gives the section's text back (or fails on an interpolation). */
static int
lambda_echo(void *data, const char *text, size_t len, wp_buf *out)
{
	if (text == NULL)
		return -1;
	wp_buf_put(out, text, len);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_part parts[FUZZ_MAX_PARTS];
	size_t n = fuzz_split(data, size, parts, FUZZ_MAX_PARTS);
	partials p = {parts + 2, n > 2 ? n - 2 : 0};
	wp_templates *reg = wp_templates_new(load_partial, &p);
	wp_value *ctx = NULL;
	wp_template *tpl;
	wp_buf out = WP_BUF_INIT;
	wp_diags d;

	wp_diags_init(&d);
	if (n > 1)
		ctx = wp_yaml_load("data.yaml", parts[1].data, parts[1].len,
		    &d);
	if (ctx && ctx->kind == WP_MAP) {
		wp_map_set(ctx, "wrap", wp_value_new_lambda(lambda_wrap, NULL));
		wp_map_set(ctx, "echo", wp_value_new_lambda(lambda_echo, NULL));
	}
	tpl = wp_template_compile(reg, "fuzz", parts[0].data, parts[0].len,
	    &d);
	if (tpl) {
		wp_template_render(reg, tpl, ctx, &out, &d);
		wp_template_free(tpl);
	}
	wp_buf_free(&out);
	wp_value_free(ctx);
	wp_templates_free(reg);
	wp_diags_free(&d);
	return 0;
}
