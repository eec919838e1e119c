/*
 * harness.h: the tiny unit-test harness.
 *
 * A test program calls TEST_RUN(fn) for each case; a case reports failed
 * checks with CHECK/CHECK_STR.  Each case prints "PASS: name" or
 * "FAIL: name", which tests/run.sh counts.  The program's exit status is
 * the number of failed cases (capped at 1).
 */
#ifndef WP_HARNESS_H
#define WP_HARNESS_H

#include <string.h>

extern int test_case_failed;

void test_fail_at(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void test_run(const char *name, void (*fn)(void));
/* Runs a named case given by the caller (table-driven tests): ok != 0
 * passes. */
void test_report(const char *name, int ok, const char *detail);
int test_exit_status(void);
/* The directory of ../shared (WPGEN_SHARED, default "../shared"). */
const char *test_shared_dir(void);
/*
 * Whether rel (e.g. "mustache-spec") exists under test_shared_dir().
 * When it does not, prints "SKIP: name: why" (tests/run.sh counts it) and
 * returns 0: a clone of the repository without ../shared skips, not fails.
 */
int test_have_shared(const char *name, const char *rel);

#define TEST_RUN(fn) test_run(#fn, fn)
/* Runs fn only when ../shared/rel exists; reports it skipped otherwise. */
#define TEST_RUN_SHARED(fn, rel) do { if (test_have_shared(#fn, rel)) \
	test_run(#fn, fn); } while (0)
#define CHECK(cond) do { if (!(cond)) \
	test_fail_at(__FILE__, __LINE__, "%s", #cond); } while (0)
#define CHECK_STR(got, want) do { const char *g_ = (got), *w_ = (want); \
	if (g_ == NULL || strcmp(g_, w_) != 0) test_fail_at(__FILE__, \
	    __LINE__, "got \"%s\", want \"%s\"", g_ ? g_ : "(null)", w_); \
	} while (0)
#define CHECK_INT(got, want) do { long long g_ = (got), w_ = (want); \
	if (g_ != w_) test_fail_at(__FILE__, __LINE__, "%s = %lld, want %lld", \
	    #got, g_, w_); } while (0)

#endif
