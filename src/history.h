/*
 * history.h: what `build` publishes of a service's past revisions.
 *
 * A revision in service.yaml may name the git revision it was published
 * from (`ref: v2.1`).  For each revision whose predecessor has a ref, the
 * redline from the predecessor to it is published beside the edition
 * (<svc>/<lang>/changes-<version>.html): the predecessor is read from
 * git (pastrev.h), the revision itself too, except the newest, which is
 * the working tree being built.  With `archive: true` each past revision
 * with a ref is also published in full (<svc>/<lang>-<version>/, with
 * its PDF <svc>-<lang>-<version>.pdf there when the build makes PDFs).
 * The revision-history table links them all (wp_edition.history).
 */
#ifndef WP_HISTORY_H
#define WP_HISTORY_H

#include "site.h"

/* Per revision (as service.yaml lists them), the pages published for it,
 * relative to the edition's directory; NULL where none. */
typedef struct wp_history {
	char **redline;      /* changes from the revision before */
	char **redline_pdf;  /* the same as a PDF (made by the build) */
	char **archive;      /* the revision in full */
	char **archive_pdf;  /* the same as a PDF (made by the build) */
	size_t n;
} wp_history;

/* Where pages go: write(ctx, rel, data, len) and copy(ctx, from, rel),
 * rel relative to the site's root.  0 or -1.  With write_print, each
 * redline also gets a PDF: its print variant is written through it (not
 * an output: the build turns it into the PDF, pdf.h) and the redline
 * page and the revision history link the PDF; so does each archived
 * edition. */
typedef struct wp_history_out {
	int (*write)(void *ctx, const char *rel, const char *data, size_t len);
	int (*copy)(void *ctx, const char *from, const char *rel);
	int (*write_print)(void *ctx, const char *rel, const char *data,
	    size_t len);
	void *ctx;
} wp_history_out;

/* The file name of the PDF of the redline that leads to revision r:
 * changes-<version>.pdf, the version as wp_pdf_name writes it.
 * malloc'd. */
char *wp_history_redline_pdf(const wp_revision *r);

/* Publishes the redlines and archived editions of svc in lang; fills h
 * (free with wp_history_free).  Problems (an unknown ref, content
 * outside a repository) are diagnostics at the revision in
 * service.yaml.  style renders the pages. */
void wp_history_publish(wp_site *site, const wp_service *svc,
    const wp_style *style, const char *lang, const wp_history_out *out,
    wp_history *h, wp_diags *d);
void wp_history_free(wp_history *h);

#endif
