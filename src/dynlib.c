/*
 * dynlib.c: shared libraries opened when first needed (dynlib.h).
 */
#include <dlfcn.h>
#include <stddef.h>

#include "dynlib.h"
#include "util.h"

void *
wp_dynlib_open(const char *soname, char **msg)
{
	void *h = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
	const char *why;

	if (h == NULL) {
		why = dlerror();
		*msg = xasprintf("cannot load %s (%s): install it (build.sh "
		    "lists the packages)", soname, why ? why : "not found");
	}
	return h;
}

int
wp_dynlib_sym(void *h, const char *soname, const char *name, void **fn,
    char **msg)
{
	if ((*fn = dlsym(h, name)) != NULL)
		return 0;
	*msg = xasprintf("cannot load %s: it has no %s (another version?)",
	    soname, name);
	return -1;
}
