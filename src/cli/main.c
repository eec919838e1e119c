/*
 * main.c: wpgen's entry point.  It only dispatches to the subcommands of
 * commands.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__GLIBC__) || defined(__linux__)
#include <malloc.h>
#endif

#include "commands.h"
#include "util.h"

static const struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
} commands[] = {
	{"build", cmd_build, "build every edition into out/"},
	{"check", cmd_check, "report problems in the content, write nothing"},
	{"outline", cmd_outline, "print the sections of an edition"},
	{"xref", cmd_xref, "print the cross-reference of an edition"},
	{"diff", cmd_diff, "what changed between two revisions"},
	{"translations", cmd_translations, "status of translations; accept them"},
	{"new", cmd_new, "start a whitepaper: service.yaml and a first chapter"},
	{"serve", cmd_serve, "build, serve out/ and rebuild on change, with live reload"},
	{"init", cmd_init, "start a site: content/ with the catalogs"},
	{"mustache", cmd_mustache, "render one Mustache template with YAML or JSON data"},
};

static void
usage(FILE *f)
{
	size_t i;

	fputs("usage: wpgen COMMAND [OPTIONS] [ARGS]\n\ncommands:\n", f);
	for (i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(f, "  %-13s %s\n", commands[i].name, commands[i].summary);
	fputs("\n`wpgen COMMAND --help` describes each; `wpgen --version` "
	    "prints the version.\n", f);
}

/*
 * A command renders page after page, each from a few megabytes of
 * short-lived values (a page's context lives in an arena, arena.h).  By
 * default glibc gives freed memory at the top of the heap back to the
 * system, and the next page faults the same memory in again: `check`
 * spent a quarter of its time in page faults.  Blocks of 128 KiB and
 * more (a page's HTML, an edition's Markdown) are each mapped and
 * unmapped by default, and faulted in page by page every time: in a
 * build of the bench corpus (121 control sections an edition), 25,000
 * page faults of 31,000 and 3 % of its CPU.  Keeping both costs little:
 * the peak stays the peak (max RSS +0.2-0.8 MiB there).
 */
static void
keep_freed_memory(void)
{
#ifdef M_TRIM_THRESHOLD
	mallopt(M_TRIM_THRESHOLD, 256 * 1024 * 1024);
#endif
#ifdef M_MMAP_THRESHOLD
	mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
#endif
}

int
main(int argc, char **argv)
{
	size_t i;
	char date[11];

	keep_freed_memory();
	if (argv[0] && strchr(argv[0], '/'))
		wp_invoked_as = argv[0];
	if (argc < 2) {
		usage(stderr);
		return WP_EXIT_USAGE;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("wpgen %s\n", WP_VERSION);
		return WP_EXIT_OK;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(stdout);
		return WP_EXIT_OK;
	}
	for (i = 0; i < sizeof commands / sizeof commands[0]; i++) {
		if (strcmp(argv[1], commands[i].name) != 0)
			continue;
		if (wp_source_date(date) < 0) {
			fprintf(stderr, "wpgen %s: SOURCE_DATE_EPOCH='%s' is not "
			    "a whole number of seconds since 1970-01-01 (at most "
			    "253402300799); set it to one, e.g. $(git log -1 "
			    "--format=%%ct), or unset it\n", argv[1],
			    getenv("SOURCE_DATE_EPOCH"));
			return WP_EXIT_USAGE;
		}
		return commands[i].run(argc - 1, argv + 1);
	}
	fprintf(stderr, "wpgen: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return WP_EXIT_USAGE;
}
