/*
 * pdf.h: PDF editions through WeasyPrint.
 *
 * wpgen renders the print variant of an edition's page (page.h) and runs
 * WeasyPrint on it (the Python of the `weasyprint` command, with a URL
 * fetcher that reads nothing outside the output): CSS Paged Media gives the contents its
 * page numbers (target-counter), the running heads and the bookmarks.
 * Every date WeasyPrint writes comes from SOURCE_DATE_EPOCH, which wpgen
 * sets (from the revision when the environment has none), so two builds
 * of the same input give the same bytes.
 */
#ifndef WP_PDF_H
#define WP_PDF_H

#include "content.h"
#include "diag.h"

/* Whether the tools for PDFs of editions in langs (NULL-terminated) are
 * there: the weasyprint command, and a font for each CJK language.  When
 * not, prints what is missing and the apt-get line to stderr (prefixed
 * with who, "wpgen build") and returns -1. */
int wp_pdf_check_tools(const char *who, const char *const *langs);

/* A version as it goes into a file name: any character other than
 * [A-Za-z0-9._-] as '-' (NULL: "0").  malloc'd. */
char *wp_pdf_file_part(const char *version);

/* The file name of an edition's PDF: <service>-<lang>-<version>.pdf,
 * with any character of the version other than [A-Za-z0-9._-] as '-'.
 * malloc'd. */
char *wp_pdf_name(const wp_service *svc, const char *lang);

/* The same for the edition of service id in lang at version (an
 * archived edition's: history.h).  malloc'd. */
char *wp_pdf_name_of(const char *id, const char *lang, const char *version);

/* The print variant of the page of the PDF named pdf, written beside it
 * for WeasyPrint and removed after: ".print-<pdf>.html".  malloc'd. */
char *wp_pdf_print_name(const char *pdf);

/* The SOURCE_DATE_EPOCH for a service's PDFs: the environment's, else the
 * current revision's date at 00:00 UTC (seconds, as text).  malloc'd. */
char *wp_pdf_epoch(const wp_service *svc);

/* The same for the PDF of revision r (an archived edition's). */
char *wp_pdf_revision_epoch(const wp_revision *r);

/* One PDF to make: WeasyPrint reads the HTML file html (its relative
 * links resolved from its directory) and writes pdf, with
 * SOURCE_DATE_EPOCH set to epoch (NULL: left as it is).  While
 * rendering it reads only files inside roots (NULL-terminated: files or
 * directories) and data: URLs; nothing else, no http(s): an image it may
 * not fetch shows as its alt text. */
typedef struct wp_pdf_job {
	char *html, *pdf, *epoch;
	char **roots;
} wp_pdf_job;

/* Makes the PDFs of jobs[0..n), up to parallel weasyprint processes at
 * a time.  0, or -1 when any failed (a diagnostic each, with WeasyPrint's
 * last message; no PDF left for them). */
int wp_pdf_render_all(const wp_pdf_job *jobs, size_t n, int parallel,
    wp_diags *d);

#endif
