/*
 * history.h: what `build` publishes of a service's past revisions.
 *
 * A revision in service.yaml may name the git revision it was published
 * from (`ref: v2.1`).  For each revision whose predecessor has a ref, the
 * redline from the predecessor to it is published beside the edition
 * (<svc>/<lang>/changes-<version>.html): the predecessor is read from
 * git (pastrev.h), the revision itself too, except the newest, which is
 * the working tree being built.  With `archive: true` each past revision
 * with a ref is also published in full (<svc>/<lang>-<version>/).  The
 * revision-history table links to both (wp_edition.history).
 */
#ifndef WP_HISTORY_H
#define WP_HISTORY_H

#include "site.h"

/* Per revision (as service.yaml lists them), the pages published for it,
 * relative to the edition's directory; NULL where none. */
typedef struct wp_history {
	char **redline;      /* changes from the revision before */
	char **archive;      /* the revision in full */
	size_t n;
} wp_history;

/* Where pages go: write(ctx, rel, data, len) and copy(ctx, from, rel),
 * rel relative to the site's root.  0 or -1. */
typedef struct wp_history_out {
	int (*write)(void *ctx, const char *rel, const char *data, size_t len);
	int (*copy)(void *ctx, const char *from, const char *rel);
	void *ctx;
} wp_history_out;

/* Publishes the redlines and archived editions of svc in lang; fills h
 * (free with wp_history_free).  Problems (an unknown ref, content
 * outside a repository) are diagnostics at the revision in
 * service.yaml.  style renders the pages. */
void wp_history_publish(wp_site *site, const wp_service *svc,
    const wp_style *style, const char *lang, const wp_history_out *out,
    wp_history *h, wp_diags *d);
void wp_history_free(wp_history *h);

#endif
