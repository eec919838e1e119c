/*
 * mustache.h: the Mustache template engine.
 *
 * It implements the Mustache specification (v1.4): interpolation ({{x}},
 * {{{x}}}, {{&x}}, dotted names, the implicit iterator {{.}}), sections,
 * inverted sections, comments, set delimiters, partials with standalone
 * indentation, and the optional modules inheritance ({{<parent}},
 * {{$block}}), dynamic names ({{>*name}}) and lambdas (WP_LAMBDA values).
 *
 * Lists may be generated (value.h: items made on demand, one at a time)
 * and the output may be streamed (wp_template_render_stream()).
 *
 * Templates are compiled once into a tree and rendered any number of times.
 * A registry (wp_templates) holds the compiled templates by name: it asks
 * its loader for a template's source the first time the name is used
 * (wp_templates_get(), or a partial or parent tag while rendering) and keeps
 * the result, failures included.  The registry is safe to share between
 * threads; compiled templates are never modified.
 *
 * Output: {{x}} is HTML-escaped (& < > " and ' as &#39;).  Numbers print in
 * a canonical form: integers as written (hexadecimal and octal in decimal),
 * other numbers in the shortest form that reads back as the same double
 * (1.210 prints 1.21; 1e21 prints 1e+21, like JavaScript).  Null and
 * missing names print nothing, booleans print true or false, lists and
 * maps print nothing.  Falsey for sections: null, false, "", [] (see
 * wp_value_truthy()).
 *
 * Whitespace: a line holding only whitespace and one tag that prints
 * nothing by itself (section, inverted, closing, comment, set-delimiter,
 * partial, parent, block) is "standalone" and vanishes from the output.
 * Several such tags share a standalone line when the gaps between them lie
 * inside a parent tag ({{<parent}}{{$block}}, {{/block}}{{/parent}},
 * {{<parent}}{{/parent}}).  A standalone partial or parent indents every
 * non-empty line of its template by the whitespace before the tag.  A block
 * is re-indented: the indentation of its content where it is written
 * (the first content line's, when the opening tag is standalone) is removed
 * and the indentation of the place it is expanded added.
 *
 * Errors are diagnostics with the code template-error, the template's
 * display path and the line and column of the offending tag: an unclosed
 * section or tag, a mismatched closing tag, a bad set-delimiter tag, an
 * invalid tag name, a missing partial when the registry is strict, a
 * partial name the loader refuses (the directory loader refuses names
 * leading outside its root), partials or lambdas nested more than
 * WP_MUSTACHE_MAX_DEPTH deep (unbounded recursion).  A partial that cannot
 * be read is an io-error.
 */
#ifndef WP_MUSTACHE_H
#define WP_MUSTACHE_H

#include <stddef.h>

#include "buf.h"
#include "diag.h"
#include "value.h"

#define WP_MUSTACHE_MAX_DEPTH 100     /* nested partials, parents, lambdas */
#define WP_MUSTACHE_MAX_NESTING 256   /* nested sections in one template */

typedef struct wp_template wp_template;
typedef struct wp_templates wp_templates;

/* What a loader returns. */
#define WP_TEMPLATE_FOUND      0   /* *source, *len and *path are set */
#define WP_TEMPLATE_MISSING    1
#define WP_TEMPLATE_BAD_NAME   2   /* a name the loader refuses */
#define WP_TEMPLATE_IO_ERROR (-1)  /* errno says why; *path may be set */

/*
 * Finds the source of the template called name.  On WP_TEMPLATE_FOUND it
 * stores a malloc'd copy of the source in *source (its length in *len) and
 * a malloc'd display path for diagnostics in *path; on WP_TEMPLATE_IO_ERROR
 * it may store the path it tried in *path.  The registry frees both.
 */
typedef int (*wp_template_loader)(void *data, const char *name,
    char **source, size_t *len, char **path);

/* A registry asking loader (with data) for sources; lenient: a missing
 * partial renders as nothing, as the specification wants. */
wp_templates *wp_templates_new(wp_template_loader loader, void *data);
/* A registry reading partial NAME from root/NAME.mustache; NAME may hold
 * '/' (base/layout) but not lead outside root (no "..", no leading '/', no
 * backslash).  strict: a missing partial is an error. */
wp_templates *wp_templates_new_dir(const char *root, int strict);
/* Strict registries report a missing partial as an error. */
void wp_templates_set_strict(wp_templates *t, int strict);
/* Frees the registry and every template it compiled. */
void wp_templates_free(wp_templates *t);

/* The template called name, compiled on first use and cached; NULL (with
 * diagnostics) when it is missing or does not compile. */
const wp_template *wp_templates_get(wp_templates *t, const char *name,
    wp_diags *d);

/* Reports a problem of the templates that is not one template's (a
 * style lacking a template) as the registry reports its own: an error,
 * once to each list however often it is met, marked once (diag.h). */
void wp_templates_report(wp_templates *t, wp_diags *d, const char *file,
    const char *code, const char *msg);

/* Compiles src[0..len) as a template called name (its display path too).
 * The caller owns the result (wp_template_free()).  Partials are looked up
 * when rendering, in the registry given to wp_template_render(); t may be
 * NULL.  NULL with diagnostics on error. */
wp_template *wp_template_compile(wp_templates *t, const char *name,
    const char *src, size_t len, wp_diags *d);
void wp_template_free(wp_template *tpl);
const char *wp_template_name(const wp_template *tpl);
const char *wp_template_path(const wp_template *tpl);

/* Renders tpl against context (NULL: an empty context), appending to out.
 * 0, or -1 with diagnostics (out then holds a partial rendering).  t may
 * be NULL: partials and parents then render as nothing. */
int wp_template_render(wp_templates *t, const wp_template *tpl,
    const wp_value *context, wp_buf *out, wp_diags *d);

/* The same for text that is not HTML (labels, which the page escapes
 * when it shows them): {{x}} is not escaped. */
int wp_template_render_text(wp_templates *t, const wp_template *tpl,
    const wp_value *context, wp_buf *out, wp_diags *d);

/*
 * Streaming: renders tpl as wp_template_render() does, handing the output
 * to sink (with data) in pieces as it is made instead of keeping it: once
 * at least WP_MUSTACHE_STREAM_CHUNK bytes are waiting after an item of a
 * list or generated list, and the rest at the end.  So a page of many
 * rows, made by a generated list (value.h), is never whole in memory.
 * The sink returns 0, or -1 to stop the rendering (it says why itself).
 * 0; -1 with diagnostics (the sink then has a partial rendering); -2
 * when the sink stopped it.
 */
#define WP_MUSTACHE_STREAM_CHUNK (64 * 1024)
typedef int (*wp_render_sink)(void *data, const char *s, size_t len);
int wp_template_render_stream(wp_templates *t, const wp_template *tpl,
    const wp_value *context, wp_render_sink sink, void *data, wp_diags *d);

/* Appends the canonical form of a number's text (see above). */
void wp_mustache_put_number(wp_buf *out, const char *text);

#endif
