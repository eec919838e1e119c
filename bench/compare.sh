#!/bin/sh
# bench/compare.sh: wpgen against Hugo and cmark-gfm on the same Markdown,
# and wpgen's incremental builds.  A benchmark, not a test.
#
#   bench/compare.sh [-c KIND] [-r RUNS] [-w WPGEN] [N...]
#
# For each N (default 50) it generates a corpus of N services x 2
# languages (bench/corpus.sh; -c controls, the default: every edition
# answers the 121 controls of ISO/IEC 27017 in sections of their own, the
# corpus the build engine issue was measured on; -c samples: the sample
# services copied and varied),
# then gives the same Markdown to Hugo (one page per edition: the
# edition's files joined, as wpgen joins them, under a minimal layout) and
# to cmark-gfm's command line (every file in one process, with the
# table, strikethrough, autolink and footnotes extensions: the cost of
# parsing and rendering that Markdown and nothing else).  Then, RUNS times
# (default 3), alternating the commands within each run:
#
#   wpgen build      into an empty directory (--jobs: the number of CPUs)
#   hugo             into an empty directory
#   cmark-gfm        all the Markdown, output to /dev/null
#   wpgen no-op      the same build again: nothing changed
#   wpgen one edit   one Markdown file of a target language changed
#   wpgen check
#
# and prints the median wall time, CPU time (user + system, children
# included) and maximum RSS (of the largest process) of each, and the
# ratios the build engine issue asks for.  Last, it checks that the
# incremental out/ is byte for byte a clean build's.  Uses GNU time.
set -eu

cd "$(dirname "$0")/.."
ROOT=$(pwd)
RUNS=3
WPGEN=./wpgen
KIND=controls
while getopts c:r:w:h opt; do
	case $opt in
	c) KIND=$OPTARG ;;
	r) RUNS=$OPTARG ;;
	w) WPGEN=$OPTARG ;;
	*) echo "usage: bench/compare.sh [-c KIND] [-r RUNS] [-w WPGEN] [N...]" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || set -- 50
if [ "$WPGEN" = ./wpgen ] && [ ! -x ./wpgen ]; then
	make -s wpgen
fi
case $WPGEN in /*) ;; *) WPGEN=$ROOT/${WPGEN#./} ;; esac
for tool in hugo cmark-gfm /usr/bin/time; do
	command -v "$tool" >/dev/null 2>&1 ||
	    { echo "bench/compare.sh: $tool is needed" >&2; exit 2; }
done

TMP=$(mktemp -d "${TMPDIR:-/tmp}/wpgen-compare.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

. bench/corpus.sh
corpus_kind "$KIND" || exit 2

# make_hugo CORPUS SITE: one Hugo page per edition, its files joined.
make_hugo() {
	mkdir -p "$2/content" "$2/layouts/_default"
	cat >"$2/config.toml" <<'EOF'
baseURL = "http://example.org/"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
[markup.goldmark.renderer]
unsafe = true
EOF
	echo '<!DOCTYPE html><html><body>{{ .Content }}</body></html>' \
	    >"$2/layouts/_default/single.html"
	echo '<!DOCTYPE html><html><body>{{ range .Pages }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</body></html>' \
	    >"$2/layouts/_default/list.html"
	for ed in "$1"/svc*/ja "$1"/svc*/en; do
		name=$(basename "$(dirname "$ed")")-$(basename "$ed")
		{ printf -- '---\ntitle: "%s"\n---\n' "$name"
		  for f in "$ed"/*.md; do cat "$f"; echo; done; } \
		    >"$2/content/$name.md"
	done
}

# timed NAME CMD...: one run; appends "NAME wall cpu rss_kb" to $TMP/times.
# The wall time is taken with date's nanoseconds around GNU time (whose
# own %e has 10 ms steps, the size of a no-op build): it includes
# starting date and /usr/bin/time, about 2-3 ms on an idle machine,
# which is measured as the row "harness" (/bin/true timed the same way)
# and taken off the no-op and one-edit rows in the "net" ratios.
timed() {
	name=$1; shift
	t0=$(date +%s%N)
	/usr/bin/time -f '%e %U %S %M' -o "$TMP/t" "$@" >/dev/null 2>"$TMP/err" ||
	    { echo "bench/compare.sh: $name failed:" >&2; cat "$TMP/err" >&2; exit 3; }
	t1=$(date +%s%N)
	awk -v n="$name" -v w="$(( (t1 - t0) / 1000 ))" \
	    '{ printf "%s %.3f %.2f %d\n", n, w / 1e6, $2 + $3, $4 }' \
	    "$TMP/t" >>"$TMP/times"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
col() { awk -v n="$1" -v c="$2" '$1 == n { print $c }' "$TMP/times" | median; }

echo "wpgen vs Hugo and cmark-gfm, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs," \
    "$("$WPGEN" --version), $(hugo version | cut -d' ' -f1-2), medians of $RUNS"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for N in "$@"; do
	C=$TMP/corpus-$N H=$TMP/hugo-$N O=$TMP/out-$N
	rm -f "$TMP/times"
	echo "bench: generating $N services..." >&2
	make_corpus "$KIND" "$N" "$C"
	make_hugo "$C" "$H"
	md=$(find "$C" -name '*.md' | LC_ALL=C sort)
	bytes=$(cat $md | wc -c)
	edit=$(ls "$C"/svc0001-*/en/*.md | head -n 1)
	# As an author's files are: not written in the second the build
	# starts (a file changed then is read again by the next build, as
	# its stat data could not tell a second change).
	sleep 1.1
	r=1
	while [ $r -le "$RUNS" ]; do
		echo "bench: N=$N run $r" >&2
		rm -rf "$O" "$H/public"
		timed build "$WPGEN" build --quiet --content "$C" --templates templates --out "$O"
		timed hugo hugo --quiet -s "$H" -d "$H/public"
		# shellcheck disable=SC2086
		timed cmark cmark-gfm -e table -e strikethrough -e autolink \
		    -e footnotes --unsafe $md
		timed noop "$WPGEN" build --quiet --content "$C" --templates templates --out "$O"
		printf '\nEdited in run %s.\n' "$r" >>"$edit"
		timed edit "$WPGEN" build --quiet --content "$C" --templates templates --out "$O"
		timed check "$WPGEN" check --content "$C" --templates templates
		timed harness /bin/true
		r=$((r + 1))
	done
	rm -rf "$O.clean"
	"$WPGEN" build --quiet --content "$C" --templates templates --out "$O.clean"
	if diff -r -x .wpgen-manifest "$O" "$O.clean" >/dev/null; then same=yes; else same=NO; fi
	echo
	echo "N=$N services ($KIND), $((2 * N)) editions, $(echo "$md" | wc -l) Markdown files, $bytes bytes"
	echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
	printf '%-10s %8s %8s %10s\n' command "wall s" "CPU s" "max RSS"
	for c in build hugo cmark noop edit check harness; do
		printf '%-10s %8s %8s %7.1f MiB\n' "$c" "$(col $c 2)" "$(col $c 3)" \
		    "$(col $c 4 | awk '{ print $1 / 1024 }')"
	done
	echo "every run (wall s, CPU s, max RSS kB):"
	sed 's/^/  /' "$TMP/times"
	awk -v bw="$(col build 2)" -v hw="$(col hugo 2)" -v bc="$(col build 3)" \
	    -v cc="$(col cmark 3)" -v nw="$(col noop 2)" -v ew="$(col edit 2)" \
	    -v kw="$(col check 2)" -v tw="$(col harness 2)" 'BEGIN {
		printf "build wall / hugo wall      %5.2f   (target <= 0.33)\n", bw / hw
		printf "build CPU / cmark-gfm CPU   %5.2f   (target <= 1.5)\n", bc / (cc > 0 ? cc : 0.01)
		printf "no-op wall / build wall     %5.3f   (target <= 0.05)\n", nw / bw
		printf "one edit wall / build wall  %5.3f   (target <= 0.10)\n", ew / bw
		printf "the same net of the harness: no-op %5.3f, one edit %5.3f\n", (nw - tw) / (bw - tw), (ew - tw) / (bw - tw)
		printf "check wall / build wall     %5.2f   (target <= 1)\n", kw / bw }'
	echo "incremental out/ identical to a clean build: $same"
done
