# tests/cli/nolinks.sh: a build into a file system that has no hard
# links (FAT, some network and FUSE file systems: link() fails, EPERM).
# The site's pages in its language, index.html and coverage.html, are
# then copies of index.LANG.html and coverage.LANG.html, not second
# names of them (build.c, site_page_alias): the build succeeds, out/ is
# a build's with links, file for file, and an incremental build that
# makes the site pages again says the same.  No link is made here: a
# preloaded link() and linkat() fail as such a file system's do (main
# after 47e1ae5d failed every such build: the copy was read under the
# content's read policy, and tmp/ is outside the trees).
. tests/lib.sh

L=$TMP/nolinks
mkdir -p "$L"
if ! command -v cc >/dev/null 2>&1; then
	echo "SKIP: nolinks: no C compiler for the preloaded link()"
	exit 0
fi
cat >"$L/nolink.c" <<'C'
#include <errno.h>

int
link(const char *from, const char *to)
{
	(void)from;
	(void)to;
	errno = EPERM;
	return -1;
}

int
linkat(int fromfd, const char *from, int tofd, const char *to, int flags)
{
	(void)fromfd;
	(void)from;
	(void)tofd;
	(void)to;
	(void)flags;
	errno = EPERM;
	return -1;
}
C
if ! cc -shared -fPIC -o "$L/nolink.so" "$L/nolink.c" 2>"$TMP/err"; then
	echo "SKIP: nolinks: cannot build the preloaded link(): $(head -c 200 "$TMP/err")"
	exit 0
fi

cp -R content "$L/content"
build() {  # build OUT [options]: stderr in $TMP/err.OUT
	_o=$1
	shift
	"$WPGEN" build --content "$L/content" --templates "$PWD/templates" \
	    --out "$L/$_o" --quiet "$@" >/dev/null 2>"$TMP/err.$_o"
}
nolinks() {  # nolinks OUT [options]: build, where link() fails
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
	    LD_PRELOAD="$L/nolink.so" build "$@"
}
# copies OUT: the site's pages are two files each, the same bytes
copies() {
	_l=$(sed -n 's/^<html lang="\([^"]*\)".*/\1/p' "$L/$1/index.html")
	[ -n "$_l" ] && for _p in index coverage; do
		[ "$(stat -c %h "$L/$1/$_p.html")" = 1 ] &&
		    [ "$(stat -c %h "$L/$1/$_p.$_l.html")" = 1 ] &&
		    cmp -s "$L/$1/$_p.html" "$L/$1/$_p.$_l.html" || return 1
	done
}
# same NAME OUT: OUT, built where link() fails, is a clean build's
same() {
	rm -rf "$L/clean"
	build clean --jobs 1
	if diff -r -x .wpgen-manifest -x .wpgen-store "$L/clean" "$L/$2" >"$TMP/diff" 2>&1 &&
	    copies "$2"; then
		pass "$1"
	else
		fail "$1" "$(head -c 600 "$TMP/diff"; ls -li "$L/$2" | head; cat "$TMP/err.$2")"
	fi
}

for jobs in 1 2; do
	nolinks full$jobs --jobs $jobs
	st=$?
	if [ $st = 0 ] && [ ! -s "$TMP/err.full$jobs" ]; then
		pass "nolinks: build --jobs $jobs without hard links"
	else
		fail "nolinks: build --jobs $jobs without hard links" "exit $st: $(cat "$TMP/err.full$jobs")"
	fi
	same "nolinks: build --jobs $jobs without hard links, out/" full$jobs
done
# Incremental: a title changed, so the site pages are made again and
# moved into out/ one by one.
sed 's/^  en: Aozora Cloud Service O Security Whitepaper$/  en: Aozora Cloud Service O Security Whitepaper, revised/' \
    content/aozora-o/service.yaml >"$L/content/aozora-o/service.yaml"
if cmp -s content/aozora-o/service.yaml "$L/content/aozora-o/service.yaml"; then
	fail "nolinks: the title changed" "content/aozora-o/service.yaml has no such title"
fi
nolinks full1 --jobs 1
st=$?
if [ $st = 0 ]; then pass "nolinks: incremental build without hard links"
else fail "nolinks: incremental build without hard links" "exit $st: $(cat "$TMP/err.full1")"; fi
same "nolinks: incremental build without hard links, out/" full1
