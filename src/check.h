/*
 * check.h: what `wpgen check` verifies beyond what loading and rendering
 * report: translations (missing, stale, extra sections; strings and
 * catalog titles a language lacks) and required controls.
 */
#ifndef WP_CHECK_H
#define WP_CHECK_H

#include "diag.h"
#include "project.h"
#include "site.h"
#include "translate.h"

/* Reports translation-missing, translation-stale and translation-extra for
 * the target edition of lang against the source edition, from their
 * alignment (wp_translations_align with the service's lock). */
void wp_check_translation(const wp_edition *source, const wp_edition *target,
    const wp_tr_align *al, wp_diags *d);
/* Reports strings of service.yaml that lang lacks (translation-missing).
 * (Catalogs without titles in lang, missing-title, are said once for the
 * whole site by wp_check_project.) */
void wp_check_strings(const wp_service *svc, const char *lang,
    wp_diags *d);
/* Reports required controls (service.yaml required_controls) that no
 * section of the source edition addresses (required-control). */
void wp_check_required(const wp_site *site, const wp_service *svc,
    const wp_edition *source, wp_diags *d);

/* Everything `wpgen check` checks, for the selected services and
 * languages of p: the templates compile, each edition loads, translates
 * and renders (into memory), the required controls are addressed.  The
 * services are shared by jobs worker processes (1: this one); d gets
 * the same problems in the same order whatever the number.  Returns 0,
 * or -1 when a worker failed, so that some services went unchecked
 * (said in d: internal-error). */
int wp_check_project(wp_project *p, int jobs, wp_diags *d);

#endif
