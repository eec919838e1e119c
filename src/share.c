/*
 * share.c: the installed share directory, found from the executable
 * (share.h).
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "share.h"
#include "util.h"

char *
wp_share_dir(void)
{
	char exe[PATH_MAX], *slash, *dir;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	int up;

	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	/* <prefix>/bin/wpgen: drop the program's name, then bin/. */
	for (up = 0; up < 2; up++) {
		if ((slash = strrchr(exe, '/')) == NULL)
			return NULL;
		*slash = '\0';
	}
	dir = xasprintf("%s/share/wpgen", *exe ? exe : "");
	if (!wp_is_dir(dir)) {
		free(dir);
		return NULL;
	}
	return dir;
}

char *
wp_templates_find(const char *given)
{
	char *share, *dir;

	if (given)
		return xstrdup(given);
	if (wp_is_dir("templates"))
		return xstrdup("templates");
	if ((share = wp_share_dir()) != NULL) {
		dir = wp_path_join(share, "templates");
		free(share);
		if (wp_is_dir(dir))
			return dir;
		free(dir);
	}
	return xstrdup("templates");
}
