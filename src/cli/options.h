/*
 * options.h: the options that the commands about one service share
 * (`outline`, `xref`, `translations`): --content, --lang, --format and
 * --help around a SERVICE and, for some, more operands.
 */
#ifndef WP_OPTIONS_H
#define WP_OPTIONS_H

typedef struct wp_service_opts {
	const char *content;   /* default "content" */
	const char *lang;      /* NULL: the source language */
	const char *format;    /* NULL when not given */
	const char *service;
	char **rest;           /* operands after SERVICE */
	int nrest;
} wp_service_opts;

/*
 * Parses argv (argv[0] is the command's name).  Returns 0; -1 when --help
 * printed usage (exit 0); or 2 after printing usage for a usage error.
 * With max_rest >= 0, more operands than that after SERVICE are an error.
 */
int wp_parse_service_opts(int argc, char **argv, const char *usage,
    int max_rest, wp_service_opts *o);

#endif
