#!/bin/sh
# build.sh: the whole set-up of wpgen.
#
#   ./build.sh        install what is missing, build ./wpgen, build the
#                     sample content into out/ with every edition's PDF
#   ./build.sh test   build the sanitizer copy and run every test
#   ./build.sh regress-update [CASE...]
#                     build the sanitizer copy and rewrite the expected
#                     outputs of the regression cases (tests/regress/)
#   ./build.sh fuzz [SECONDS [TARGET...]]
#                     build the libFuzzer targets of fuzz/ and run each
#                     (or the TARGETs named) for SECONDS (default 30);
#                     fails on any crash, leak, timeout or out-of-memory
#                     (see fuzz/README.md)
#
# Missing Debian packages are installed with apt-get when run as root;
# otherwise the apt-get line to run is printed and the script exits 2.
set -eu
cd "$(dirname "$0")"

# What building and running wpgen needs (PDF editions: weasyprint with
# the Noto CJK fonts; revisions from git: libgit2; the preview server:
# libmicrohttpd), then what the tests need on top (fuzzing: clang and
# its libFuzzer runtime, which clang only recommends; PDF checks:
# poppler-utils, qpdf; browser tests: chromium, and axe-core from npm,
# see install_axe; the preview server's
# tests: curl; that build and check open each Markdown file once:
# strace).
PACKAGES="gcc make pkg-config libcmark-gfm-dev libcmark-gfm-extensions-dev
libxml2-dev libyaml-dev libgit2-dev libmicrohttpd-dev weasyprint
fonts-noto-cjk"
TEST_PACKAGES="libxml2-utils clang libclang-rt-14-dev poppler-utils qpdf
chromium curl git strace"
case "${1:-}" in
test|fuzz|regress-update) PACKAGES="$PACKAGES $TEST_PACKAGES" ;;
esac

missing=""
for p in $PACKAGES; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing="$missing $p"
	fi
done
if [ -n "$missing" ]; then
	if [ "$(id -u)" = 0 ]; then
		echo "build.sh: installing$missing" >&2
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -qq
		apt-get install -y -qq $missing >/dev/null
	else
		echo "build.sh: missing packages; run as root:" >&2
		echo "  apt-get install -y$missing" >&2
		exit 2
	fi
fi

jobs=$(nproc 2>/dev/null || echo 2)

# The samples of samples/ whose catalog is in ../shared (NIST SP 800-53),
# into out-samples/, when ../shared is there (samples/README.md).  The
# content tree is put together in a temporary directory: nothing of
# ../shared is copied into the repository.
build_samples() {
	nist=../shared/oscal/nist-800-53r5-moderate.en.xml
	if [ ! -f "$nist" ]; then
		echo "build.sh: samples/ (on NIST SP 800-53) not built: its" \
		    "catalog $nist is absent (samples/README.md)" >&2
		return 0
	fi
	tmp=$(mktemp -d)
	mkdir "$tmp/catalogs"
	cp "$nist" "$tmp/catalogs/"
	cp -R samples/harborview-ledger "$tmp/"
	./wpgen build --content "$tmp" --out out-samples --pdf --jobs "$jobs" ||
	    { rm -rf "$tmp"; return 1; }
	rm -rf "$tmp"
}

# axe-core, the accessibility checker the browser tests load into each
# page (tests/cli/browser.sh), from npm into node_modules/ (not in git):
# npm from Debian when the machine has none.
AXE_VERSION=4.14.1
install_axe() {
	if [ "$(node -p "require('./node_modules/axe-core/package.json').version" 2>/dev/null)" = "$AXE_VERSION" ]; then
		return 0
	fi
	if ! command -v npm >/dev/null 2>&1; then
		if [ "$(id -u)" != 0 ]; then
			echo "build.sh: no npm; run as root: apt-get install -y npm" >&2
			exit 2
		fi
		echo "build.sh: installing npm" >&2
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null
	fi
	npm install --no-save --no-package-lock --no-audit --no-fund \
	    --loglevel=error "axe-core@$AXE_VERSION" >&2
}

case "${1:-}" in
"")
	echo "build.sh: building ./wpgen" >&2
	make -s -j"$jobs" wpgen
	echo "build.sh: ./wpgen is ready; now the sample content into out/," \
	    "with every edition's PDF (WeasyPrint: minutes; Ctrl-C stops" \
	    "it safely, out/ stays as it was)" >&2
	# out/ written here by a wpgen from before the .wpgen-out marker is
	# this repository's own output: mark it so that it may be replaced.
	for d in out out-samples; do
		if [ -f $d/index.html ] && [ ! -e $d/.wpgen-out ]; then
			: >$d/.wpgen-out
		fi
	done
	./wpgen build --pdf --jobs "$jobs"
	build_samples
	;;
test)
	make -s -j"$jobs" wpgen
	make -s -j"$jobs" asan
	install_axe
	exec sh tests/run.sh
	;;
regress-update)
	shift
	make -s -j"$jobs" asan
	exec sh tests/regress/run.sh --update "$@"
	;;
fuzz)
	shift
	seconds=${1:-30}
	[ $# -gt 0 ] && shift
	make -s -j"$jobs" fuzz
	exec sh fuzz/run.sh "$seconds" "$@"
	;;
*)
	echo "usage: ./build.sh [test | regress-update [CASE...] |" \
	    "fuzz [SECONDS [TARGET...]]]" >&2
	exit 2
	;;
esac
