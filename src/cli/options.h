/*
 * options.h: the one options parser of the command line.  Every command
 * names the options it takes; an option means the same in every command:
 *
 *   --content DIR     the content directory (default content/)
 *   --templates DIR   the templates (default: wp_templates_find())
 *   --out DIR         the output directory (default out/)
 *   --service ID      a service (repeatable; none: every service)
 *   --lang L          a language (repeatable where a command takes many)
 *   --format F, --output FILE, --jobs N, --quiet, --strict, --help
 *   --errors-only, -q (check): warnings are not shown
 *   --pdf             also make the PDFs (build)
 *   --from REV, --to REV   git revisions
 *   --context N       sections of context around a change (diff)
 *   --bom             CSV output starts with a UTF-8 byte-order mark
 *   --columns LIST    the CSV's columns (xref)
 *
 * What the options select is opened with wp_project_open().
 */
#ifndef WP_OPTIONS_H
#define WP_OPTIONS_H

#include "project.h"

enum {
	WP_OPT_CONTENT   = 1 << 0,
	WP_OPT_TEMPLATES = 1 << 1,
	WP_OPT_OUT       = 1 << 2,
	WP_OPT_SERVICE   = 1 << 3,   /* repeatable */
	WP_OPT_LANG      = 1 << 4,   /* one --lang */
	WP_OPT_LANGS     = 1 << 5,   /* --lang repeatable */
	WP_OPT_FORMAT    = 1 << 6,
	WP_OPT_OUTPUT    = 1 << 7,
	WP_OPT_JOBS      = 1 << 8,
	WP_OPT_QUIET     = 1 << 9,
	WP_OPT_STRICT    = 1 << 10,
	WP_OPT_REVS      = 1 << 11,   /* --from REV, --to REV (git) */
	WP_OPT_CONTEXT   = 1 << 12,   /* --context N (diff) */
	WP_OPT_BOM       = 1 << 13,   /* --bom: CSV with a byte-order mark */
	WP_OPT_ERRORS_ONLY = 1 << 14, /* --errors-only, -q (check) */
	WP_OPT_PDF       = 1 << 15,   /* --pdf */
	WP_OPT_COLUMNS   = 1 << 16    /* --columns LIST (xref CSV) */
};

typedef struct wp_cli_opts {
	wp_project_opts project;
	const char *format;      /* NULL when not given */
	const char *output;      /* NULL when not given */
	const char *from, *to;   /* --from, --to; NULL when not given */
	int context;             /* --context; -1 when not given */
	int jobs;                /* --jobs; default: the number of CPUs */
	int quiet, strict, errors_only;
	int bom;                 /* --bom */
	const char *columns;     /* --columns; NULL when not given */
	int pdf;                 /* --pdf */
	char **operands;         /* what follows the options */
	int noperands;
	char **operand_storage;
} wp_cli_opts;

/*
 * Parses argv (argv[0] is the command's name) for the options in
 * accepted, with between min and max operands (max < 0: any number).
 * Returns 0; -1 when --help printed usage (exit 0); or WP_EXIT_USAGE
 * after saying what is wrong and printing usage.  Free with
 * wp_cli_opts_free() in every case.
 */
int wp_cli_parse(int argc, char **argv, unsigned accepted, int min, int max,
    const char *usage, wp_cli_opts *o);
void wp_cli_opts_free(wp_cli_opts *o);
/*
 * For the commands about one service (outline, xref, translations): the
 * first operand (or the one --service) is the service; opens the project
 * with it selected.  Returns an exit status; on WP_EXIT_OK, *ps is the
 * service, or NULL when its service.yaml cannot be used (said in d).
 */
int wp_cli_open_service(wp_cli_opts *o, const char *cmd, wp_project **p,
    wp_project_service **ps, wp_diags *d);
/* The one --lang, or NULL. */
const char *wp_cli_lang(const wp_cli_opts *o);
/* The number of CPUs (at least 1). */
int wp_cpu_count(void);

#endif
