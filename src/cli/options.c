/*
 * options.c: the one options parser of the command line (options.h).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "options.h"
#include "util.h"

int
wp_cpu_count(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > 256 ? 256 : (int)n;
}

static const char **
push(const char *const *v, size_t *n, const char *arg)
{
	const char **w = xrealloc((void *)v, (*n + 1) * sizeof *w);

	w[(*n)++] = arg;
	return w;
}

static int
usage_error(const char *cmd, const char *usage, const char *why,
    const char *what)
{
	if (why)
		fprintf(stderr, "wpgen %s: %s%s\n", cmd, why, what ? what : "");
	fputs(usage, stderr);
	return WP_EXIT_USAGE;
}

int
wp_cli_parse(int argc, char **argv, unsigned accepted, int min, int max,
    const char *usage, wp_cli_opts *o)
{
	static const struct option all[] = {
		{"content", required_argument, NULL, 'c'},
		{"templates", required_argument, NULL, 't'},
		{"out", required_argument, NULL, 'o'},
		{"service", required_argument, NULL, 's'},
		{"lang", required_argument, NULL, 'l'},
		{"format", required_argument, NULL, 'f'},
		{"output", required_argument, NULL, 'O'},
		{"jobs", required_argument, NULL, 'j'},
		{"quiet", no_argument, NULL, 'q'},
		{"strict", no_argument, NULL, 'S'},
		{"from", required_argument, NULL, 'F'},
		{"to", required_argument, NULL, 'T'},
		{"context", required_argument, NULL, 'C'},
		{"bom", no_argument, NULL, 'B'},
		{"errors-only", no_argument, NULL, 'E'},
		{"pdf", no_argument, NULL, 'P'},
		{"columns", required_argument, NULL, 'L'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}
	};
	static const unsigned flag[] = {WP_OPT_CONTENT, WP_OPT_TEMPLATES,
	    WP_OPT_OUT, WP_OPT_SERVICE, WP_OPT_LANG | WP_OPT_LANGS,
	    WP_OPT_FORMAT, WP_OPT_OUTPUT, WP_OPT_JOBS, WP_OPT_QUIET,
	    WP_OPT_STRICT, WP_OPT_REVS, WP_OPT_REVS, WP_OPT_CONTEXT,
	    WP_OPT_BOM, WP_OPT_ERRORS_ONLY, WP_OPT_PDF, WP_OPT_COLUMNS, ~0u};
	struct option longopts[sizeof all / sizeof all[0]];
	size_t i, k = 0;
	char *end;
	int c;

	memset(o, 0, sizeof *o);
	o->jobs = wp_cpu_count();
	o->context = -1;
	for (i = 0; all[i].name; i++)
		if (accepted & flag[i])
			longopts[k++] = all[i];
	memset(&longopts[k], 0, sizeof longopts[k]);
	optind = 1;
	opterr = 1;
	/* -q is --errors-only where a command takes that (check). */
	while ((c = getopt_long(argc, argv, accepted & WP_OPT_ERRORS_ONLY ?
	    "-hq" : "-h", longopts, NULL)) != -1) {
		switch (c) {
		case 1:   /* an operand, in order with the options */
			o->operand_storage = xrealloc(o->operand_storage,
			    (size_t)(o->noperands + 2) * sizeof *o->operands);
			o->operands = o->operand_storage;
			o->operands[o->noperands++] = optarg;
			o->operands[o->noperands] = NULL;
			break;
		case 'c': o->project.content = optarg; break;
		case 't': o->project.templates = optarg; break;
		case 'o': o->project.out = optarg; break;
		case 's':
			o->project.services = push(o->project.services,
			    &o->project.nservices, optarg);
			break;
		case 'l':
			if (!(accepted & WP_OPT_LANGS) &&
			    o->project.nlangs == 1)
				return usage_error(argv[0], usage,
				    "one --lang only", NULL);
			o->project.langs = push(o->project.langs,
			    &o->project.nlangs, optarg);
			break;
		case 'f': o->format = optarg; break;
		case 'O': o->output = optarg; break;
		case 'j':
			o->jobs = (int)strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end || o->jobs < 1)
				return usage_error(argv[0], usage,
				    "--jobs needs a positive number", NULL);
			break;
		case 'q':
			if (accepted & WP_OPT_ERRORS_ONLY)
				o->errors_only = 1;
			else
				o->quiet = 1;
			break;
		case 'E': o->errors_only = 1; break;
		case 'S': o->strict = 1; break;
		case 'F': o->from = optarg; break;
		case 'T': o->to = optarg; break;
		case 'C':
			o->context = (int)strtol(optarg, &end, 10);
			if (*optarg < '0' || *optarg > '9' || *end ||
			    o->context > 100000)
				return usage_error(argv[0], usage,
				    "--context needs a number of sections",
				    NULL);
			break;
		case 'B': o->bom = 1; break;
		case 'P': o->pdf = 1; break;
		case 'L': o->columns = optarg; break;
		case 'h': fputs(usage, stdout); return -1;
		default: return usage_error(argv[0], usage, NULL, NULL);
		}
	}
	if (o->noperands < min)
		return usage_error(argv[0], usage, min == 1 &&
		    (accepted & WP_OPT_SERVICE) ? "which SERVICE?" :
		    "missing operands", NULL);
	if (max == 0 && o->noperands > 0) {
		fprintf(stderr, "wpgen %s: unexpected argument '%s'\n",
		    argv[0], o->operands[0]);
		return usage_error(argv[0], usage, NULL, NULL);
	}
	if (max > 0 && o->noperands > max)
		return usage_error(argv[0], usage, "too many operands", NULL);
	return 0;
}

void
wp_cli_opts_free(wp_cli_opts *o)
{
	free((void *)o->project.services);
	free((void *)o->project.langs);
	free(o->operand_storage);
	memset(o, 0, sizeof *o);
}

const char *
wp_cli_lang(const wp_cli_opts *o)
{
	return o->project.nlangs ? o->project.langs[0] : NULL;
}

int
wp_cli_open_service(wp_cli_opts *o, const char *cmd, wp_project **p,
    wp_project_service **ps, wp_diags *d)
{
	int rc;

	*ps = NULL;
	if (o->project.nservices == 0 && o->noperands > 0) {
		o->project.services = push(o->project.services,
		    &o->project.nservices, o->operands[0]);
		o->operands++;
		o->noperands--;
	}
	if (o->project.nservices != 1) {
		fprintf(stderr, "wpgen %s: %s\n", cmd, o->project.nservices ?
		    "one SERVICE only" : "which SERVICE?");
		return WP_EXIT_USAGE;
	}
	if ((rc = wp_project_open(&o->project, cmd, p, d)) == WP_EXIT_OK)
		*ps = wp_project_find(*p, o->project.services[0]);
	return rc;
}
