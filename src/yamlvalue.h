/*
 * yamlvalue.h: loading YAML, and so JSON, into wp_value trees (value.h).
 *
 * The loader is built on libyaml's event parser.  Plain scalars are
 * resolved like the YAML 1.2 core schema:
 *
 *	~, null, Null, NULL, empty		WP_NULL
 *	true, True, TRUE, false, False, FALSE	WP_BOOL
 *	123, -7, 0o17, 0x1F			WP_NUMBER
 *	1.5, -2e10, .5, .inf, -.Inf, .nan	WP_NUMBER
 *	anything else (2017-07-10, yes, 1_000)	WP_STRING
 *
 * Numbers keep the text they were written with (1.210 stays "1.210");
 * the Mustache engine gives them a canonical form when it prints them.
 * Quoted and block scalars are always strings.  The explicit tags !!str,
 * !!null, !!bool, !!int, !!float, !!seq and !!map are honoured (a value that
 * does not fit its tag is an error); other tags (!code, !!timestamp) are
 * accepted and ignored, their scalars loaded as strings.
 *
 * Every value gets the 1-based line and column of its node, so later
 * stages can point at service.yaml:7:3.  Mapping keys are the scalars'
 * text; a key given twice, or a key that is a list or a map, is an error.
 * Aliases are expanded by copying the anchored value; a document whose
 * aliases copy more than WP_YAML_MAX_NODES values in all is rejected
 * ("billion laughs"), as is nesting deeper than WP_YAML_MAX_DEPTH.  The input must be
 * UTF-8 and hold at most one document; an empty document is WP_NULL.
 * JSON's surrogate-pair escapes ("\ud83d\ude00") are accepted, which
 * libyaml alone does not do.
 *
 * Errors are reported as diagnostics "path:line:column" with the code
 * yaml-error (io-error, line 0, when a file cannot be read); the loaders
 * then return NULL.  Only the first error of a document is reported.
 */
#ifndef WP_YAML_H
#define WP_YAML_H

#include <stddef.h>

#include "diag.h"
#include "value.h"

#define WP_YAML_MAX_NODES 1000000
#define WP_YAML_MAX_DEPTH 1000

/* Loads data[0..len); path is only used in diagnostics.  The caller owns
 * (and wp_value_free()s) the result; NULL on error. */
wp_value *wp_yaml_load(const char *path, const char *data, size_t len,
    wp_diags *d);
/* Reads and loads the file path. */
wp_value *wp_yaml_load_file(const char *path, wp_diags *d);
/* The same, giving the text read as well (*text, *len: owned by the
 * caller; NULL when it could not be read, which is said). */
wp_value *wp_yaml_load_file_text(const char *path, wp_diags *d, char **text,
    size_t *len);


#endif
