/*
 * harness.c: see harness.h.
 */
#include <sys/stat.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "harness.h"

int test_case_failed;
static int failed_cases;

void
test_fail_at(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stdout, "  %s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stdout, fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
	test_case_failed = 1;
}

void
test_run(const char *name, void (*fn)(void))
{
	test_case_failed = 0;
	fn();
	test_report(name, !test_case_failed, NULL);
}

void
test_report(const char *name, int ok, const char *detail)
{
	if (ok) {
		printf("PASS: %s\n", name);
	} else {
		printf("FAIL: %s%s%s\n", name, detail ? ": " : "",
		    detail ? detail : "");
		failed_cases++;
	}
	fflush(stdout);
}

int
test_exit_status(void)
{
	return failed_cases ? 1 : 0;
}

const char *
test_shared_dir(void)
{
	const char *s = getenv("WPGEN_SHARED");

	return s && *s ? s : "../shared";
}

int
test_have_shared(const char *name, const char *rel)
{
	const char *dir = test_shared_dir();
	size_t len = strlen(dir) + 1 + strlen(rel) + 1;
	char *path = malloc(len);
	struct stat st;
	int ok;

	if (path == NULL)
		return 0;
	snprintf(path, len, "%s/%s", dir, rel);
	ok = stat(path, &st) == 0;
	if (!ok) {
		printf("SKIP: %s: %s is absent (set WPGEN_SHARED to the "
		    "shared directory)\n", name, path);
		fflush(stdout);
	}
	free(path);
	return ok;
}
