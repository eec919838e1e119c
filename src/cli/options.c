/*
 * options.c: the options shared by the commands about one service
 * (options.h).
 */
#include <getopt.h>
#include <stdio.h>

#include "commands.h"
#include "options.h"

int
wp_parse_service_opts(int argc, char **argv, const char *usage,
    int max_rest, wp_service_opts *o)
{
	static const struct option longopts[] = {
		{"content", required_argument, NULL, 'c'},
		{"lang", required_argument, NULL, 'l'},
		{"format", required_argument, NULL, 'f'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}
	};
	int c;

	o->content = "content";
	o->lang = o->format = o->service = NULL;
	optind = 1;
	while ((c = getopt_long(argc, argv, "c:l:f:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'c': o->content = optarg; break;
		case 'l': o->lang = optarg; break;
		case 'f': o->format = optarg; break;
		case 'h': fputs(usage, stdout); return -1;
		default: fputs(usage, stderr); return WP_EXIT_USAGE;
		}
	}
	if (optind >= argc || (max_rest >= 0 &&
	    argc - optind - 1 > max_rest)) {
		fprintf(stderr, "wpgen %s: %s\n", argv[0], optind >= argc ?
		    "which SERVICE?" : "too many operands");
		fputs(usage, stderr);
		return WP_EXIT_USAGE;
	}
	o->service = argv[optind];
	o->rest = argv + optind + 1;
	o->nrest = argc - optind - 1;
	return 0;
}
