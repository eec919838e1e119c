/*
 * labels.h: the UI labels of a page, made from data.
 *
 * Labels are strings from templates/labels/<lang>.yaml, a style's
 * labels/<lang>.yaml and the `labels:` of service.yaml (or, for the site
 * pages, of content/site.yaml).  A label may be a Mustache template over
 * the page's label data (docs/templates.md): `{{catalog.name}}`,
 * `{{catalog_list}}`, `{{#mapping}}...{{/mapping}}`, so that no label
 * names a standard the page does not use.  Dates and version numbers are
 * written through the labels `date_pattern`, `month_names`,
 * `version_pattern` and `version_label_pattern` of the page's language.
 */
#ifndef WP_LABELS_H
#define WP_LABELS_H

#include <stddef.h>

#include "diag.h"
#include "value.h"

/* labels with the overrides for lang merged in: overrides is a map of
 * language tags to maps of labels (service.yaml's `labels:`), or NULL.
 * The language's own entry wins over its BCP 47 parent's (en for
 * en-US).  A new map, owned by the caller, that borrows the values of
 * labels it keeps (wp_map_new_borrowing: labels, the site's, must
 * outlive it) and owns copies of the overrides. */
wp_value *wp_labels_with(const wp_value *labels, const wp_value *overrides,
    const char *lang);

/* Renders every label that holds "{{" against data, in place, except
 * patterns (labels named *_pattern, rendered by the functions below).  A label
 * that is not a valid template is reported (template-error, naming
 * where and the label) and left as it is. */
void wp_labels_render(wp_value *labels, const wp_value *data,
    const char *where, wp_diags *d);

/* Label data: the names of the catalogs a page uses, as the labels show
 * them.  names[n] are display names; the result holds catalog (the
 * first), catalogs (name, title, version, first, last), catalog_list
 * (joined with the labels list_separator and list_and) and has_catalogs.
 * Callers add mapping, service... */
wp_value *wp_labels_data(const wp_value *labels, const char *const *names,
    const char *const *titles, const char *const *versions, size_t n);

/* "2026-01-20" as the language writes it (date_pattern over year, month,
 * day, month2, day2, month_name), malloc'd; the ISO text when the labels
 * have no date_pattern or the date is not YYYY-MM-DD. */
char *wp_labels_date(const wp_value *labels, const char *iso);
/* The version number as the language writes it (version_pattern over
 * version: "Version 1.0", "第1.0版"), malloc'd. */
char *wp_labels_version(const wp_value *labels, const char *version);
/* The version number with the revision's label beside it, as pages show
 * a version (version_label_pattern: "Version 1.0 (Initial release)",
 * "第1.0版（初版）"); the version alone when label is NULL or empty. */
char *wp_labels_version_display(const wp_value *labels, const char *version,
    const char *label);
/*
 * The labels wpgen's code reads, by name (NULL-terminated).  Every
 * language's labels must have each of them, or a page would show nothing
 * where its word goes (never a word of another language: the code holds
 * none); `check` reports one missing (missing-label).  The code reads
 * labels only through wp_label and wp_labels_format, which take only
 * these names (an assertion), so none is read that check does not check.
 * (month_names, which only a date_pattern with {{month_name}} needs, and
 * xref_note_<catalog>, which is optional, are read apart.)
 */
extern const char *const wp_label_keys[];

/* Whether key is one of wp_label_keys. */
int wp_label_is_code_key(const char *key);

/* The text of label key (one of wp_label_keys); "" when labels lack it. */
const char *wp_label(const wp_value *labels, const char *key);

/* Renders the label key (one of wp_label_keys) over data as text,
 * malloc'd; fallback when the label is missing or not a template. */
char *wp_labels_format(const wp_value *labels, const char *key,
    const wp_value *data, const char *fallback);

/* Frees the labels compiled as templates (kept for the process). */
void wp_labels_forget(void);

#endif
