# tests/cli/lockrace.sh: a translations.lock created or removed while a
# build runs, after the project read it (or found none) and before the
# build digested its service's inputs: the pages were built from what
# the project read, so the next build must not take them as those of
# the lock now there (a wrong site: main after 329330e said "2
# unchanged" and kept pages built without the lock, or with it).  The
# change is made at that moment by a preloaded open() that runs a
# command when the service's directory is first opened as a directory
# (the inputs' walk); the test fails when it did not run.
. tests/lib.sh

L=$TMP/lockrace
mkdir -p "$L"
if ! command -v cc >/dev/null 2>&1; then
	echo "SKIP: lockrace: no C compiler for the preloaded open()"
	exit 0
fi
cat >"$L/hook.c" <<'C'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static int done;

static void
hook(const char *path, int flags)
{
	const char *suffix = getenv("HOOK_SUFFIX"), *cmd = getenv("HOOK_CMD");
	size_t n = strlen(path), k;

	if (done || suffix == NULL || cmd == NULL || !(flags & O_DIRECTORY))
		return;
	k = strlen(suffix);
	if (n >= k && strcmp(path + n - k, suffix) == 0) {
		done = 1;
		if (system(cmd) != 0)
			abort();
	}
}

int
open(const char *path, int flags, ...)
{
	static int (*next)(const char *, int, ...);
	va_list ap;
	int mode;

	va_start(ap, flags);
	mode = va_arg(ap, int);
	va_end(ap);
	if (next == NULL)
		next = (int (*)(const char *, int, ...))dlsym(RTLD_NEXT,
		    "open");
	hook(path, flags);
	return next(path, flags, mode);
}
C
if ! cc -shared -fPIC -o "$L/hook.so" "$L/hook.c" -ldl 2>"$TMP/err"; then
	echo "SKIP: lockrace: cannot build the preloaded open(): $(head -c 200 "$TMP/err")"
	exit 0
fi

build() {  # build CONTENT OUT
	"$WPGEN" build --content "$1" --templates "$PWD/templates" \
	    --out "$2" --jobs 1 >"$TMP/out" 2>"$TMP/err"
}
# race NAME CASE CMD: builds CASE's content with CMD run mid-build, then
# again; the second build's out/ must equal a clean build's.
race() {
	_c=$L/$2
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
	    HOOK_SUFFIX=/$2/content/svc HOOK_CMD="$3" LD_PRELOAD="$L/hook.so" \
	    build "$_c/content" "$_c/out"
	cp "$TMP/err" "$TMP/err.first"
	_ran=1
	case $2 in
	created) [ -f "$_c/content/svc/translations.lock" ] || _ran=0 ;;
	removed) [ ! -f "$_c/content/svc/translations.lock" ] || _ran=0 ;;
	esac
	if [ $_ran = 0 ]; then
		fail "$1" "the hook did not run: $(cat "$TMP/err.first")"
		return
	fi
	build "$_c/content" "$_c/out"
	build "$_c/content" "$_c/clean"
	if diff -r -x .wpgen-manifest -x .wpgen-store "$_c/out" "$_c/clean" >"$TMP/diff"; then
		pass "$1"
	else
		fail "$1" "$(head -n 5 "$TMP/diff"; cat "$TMP/err.first")"
	fi
}

for c in created removed; do
	mkdir -p "$L/$c/content"
	cp -R content/catalogs "$L/$c/content/catalogs"
	cp -R content/kirishima-vm "$L/$c/content/svc"
done
mv "$L/created/content/svc/translations.lock" "$L/created/lock"
# (settled: a build trusts the stat data of what it read)
sleep 2
race "lockrace: a lock created mid-build is built by the next build" \
    created "cp '$L/created/lock' '$L/created/content/svc/translations.lock'"
race "lockrace: a lock removed mid-build is built by the next build" \
    removed "rm '$L/removed/content/svc/translations.lock'"
