/*
 * cmd_mustache.c: `wpgen mustache TEMPLATE [DATA] [--partials DIR]`,
 * rendering one Mustache template file with YAML or JSON data.
 *
 * (Placeholder until the engine lands: it only reports that it is missing.)
 */
#include <stdio.h>

#include "commands.h"

int
cmd_mustache(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fputs("wpgen mustache: not implemented yet\n", stderr);
	return WP_EXIT_IO;
}
