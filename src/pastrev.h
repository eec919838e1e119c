/*
 * pastrev.h: a service and its editions as they were at a git revision
 * (gitrev.h): service.yaml and the Markdown files read from the
 * revision's content tree, parsed as the working tree's are, with the
 * site's catalogs.  File names in diagnostics are "REV:content/...".
 */
#ifndef WP_PASTREV_H
#define WP_PASTREV_H

#include "gitrev.h"
#include "site.h"

/* Service id at revision g; NULL with a diagnostic when the revision
 * has no such service or its service.yaml has errors.  Its unsafe_html
 * is the one given (the current service's: 0 when there is none), never
 * the revision's own: naming an old commit must not let its raw HTML or
 * unsafe links into today's pages. */
wp_service *wp_past_service(const wp_site *site, const wp_gitrev *g,
    const char *id, int unsafe_html, wp_diags *d);
/* The edition of svc (from wp_past_service) in lang at g; NULL with a
 * diagnostic when it has no Markdown files there or cannot be read.
 * Its images are the revision's (their paths are names to read with
 * wp_gitrev_read_named); one the revision lacks is left as it is. */
wp_edition *wp_past_edition(wp_site *site, const wp_gitrev *g,
    const wp_service *svc, const char *lang, wp_diags *d);

#endif
