/*
 * mustache.c: libFuzzer target for the Mustache engine (src/mustache.c):
 * compiling a template and rendering it against YAML data, with partials
 * and lambdas.
 *
 * The input is cut at NUL bytes: the template, then the data (YAML or
 * JSON, loaded by src/yamlvalue.c; a map gets two lambdas, "wrap" and
 * "echo", and a generated list "gen" added: item i of it the data
 * itself, with n (i) and a generated list "sub" of i items), then any
 * number of partials: a partial name picks one of them by its hash, so
 * {{>a}} and {{<b}} find sources, self-recursion included.  The template
 * is rendered whole and streamed: the two must be the same bytes.
 * Errors are expected; crashes, leaks and hangs are not.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

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

/* Item i of "gen" (data: the context), or of "sub" (data: NULL). */
static wp_value *
gen_item(void *data, size_t i, wp_arena *arena)
{
	const wp_value *ctx = data;
	wp_value *m = wp_value_new_map_in(arena);
	size_t k;

	wp_map_set_int(m, "n", (long long)i);
	if (ctx == NULL)
		return m;
	for (k = 0; k < ctx->u.map.len; k++)
		wp_map_set_ref(m, ctx->u.map.items[k].key,
		    ctx->u.map.items[k].value);
	wp_map_set(m, "sub", wp_value_new_generated(arena, i % 4, gen_item,
	    NULL));
	return m;
}

static int
collect(void *data, const char *s, size_t len)
{
	wp_buf_put(data, s, len);
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
	wp_buf out = WP_BUF_INIT, streamed = WP_BUF_INIT;
	wp_diags d;
	int rc;

	wp_diags_init(&d);
	if (n > 1)
		ctx = wp_yaml_load("data.yaml", parts[1].data, parts[1].len,
		    &d);
	if (ctx && ctx->kind == WP_MAP) {
		wp_map_set(ctx, "wrap", wp_value_new_lambda(lambda_wrap, NULL));
		wp_map_set(ctx, "echo", wp_value_new_lambda(lambda_echo, NULL));
		wp_map_set(ctx, "gen", wp_value_new_generated(NULL, 3, gen_item,
		    ctx));
	}
	tpl = wp_template_compile(reg, "fuzz", parts[0].data, parts[0].len,
	    &d);
	if (tpl) {
		rc = wp_template_render(reg, tpl, ctx, &out, &d);
		if (wp_template_render_stream(reg, tpl, ctx, collect, &streamed,
		    &d) != rc || (rc == 0 && (streamed.len != out.len ||
		    memcmp(wp_buf_cstr(&streamed), wp_buf_cstr(&out),
		    out.len) != 0)))
			abort();
		wp_template_free(tpl);
	}
	wp_buf_free(&out);
	wp_buf_free(&streamed);
	wp_value_free(ctx);
	wp_templates_free(reg);
	wp_diags_free(&d);
	wp_keys_forget();        /* (nothing holds a key now) */
	return 0;
}
