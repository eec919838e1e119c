#!/bin/sh
# bench/build.sh: how fast `wpgen build` and `wpgen check` are on a large
# corpus, and how much memory they take.  A benchmark, not a test: it
# fails only when it cannot run or wpgen fails on the corpus.
#
#   bench/build.sh [-c KIND] [-r RUNS] [-w WPGEN] [-k] [N...]
#
# For each N (default 100) it generates, under a temporary directory, a
# corpus of N services x 2 languages (ja, en) = 2N editions, of the kind
# -c names (bench/corpus.sh; default samples: the sample services in
# content/ copied in turn and varied with sed; controls: 121 control
# sections an edition, the build engine issue's corpus), plus
# content/catalogs.  Then, RUNS times each (default 3), it times
#
#   wpgen build --quiet --content CORPUS --out OUT --jobs 1
#   wpgen build --quiet --content CORPUS --out OUT --jobs 2
#   wpgen check --content CORPUS --jobs 1
#   wpgen check --content CORPUS --jobs 2
#
# and prints the best wall-clock time, the best CPU time (user + system,
# all processes), editions per second (editions / best wall-clock time)
# and the largest maximum resident set size of the runs.  Run it from
# anywhere; it uses the repository it lives in (./wpgen, content/,
# templates/).  bench/README.md says more and keeps the results.
#
#   -c KIND   the corpus: samples (default) or controls
#   -r RUNS   runs of each command (default 3)
#   -w WPGEN  the program to time (default ./wpgen, built with make if absent)
#   -k        keep the corpus and the output; print where they are
#
# Timing uses `/usr/bin/time -v` (GNU time) when it is there, for the
# maximum RSS; otherwise wall-clock time from date(1) and no RSS.  The
# maximum RSS of a --jobs 2 build is that of the largest single process
# (parent or worker), not their sum: that is what getrusage reports.
# TMPDIR chooses where the corpus goes (it needs about 0.4 MB per service
# with the output for samples, 1.2 MB for controls).
set -eu

usage() {
	echo "usage: bench/build.sh [-c KIND] [-r RUNS] [-w WPGEN] [-k] [N...]" >&2
	exit 2
}

cd "$(dirname "$0")/.."
ROOT=$(pwd)
RUNS=3
WPGEN=./wpgen
KEEP=0
KIND=samples
while getopts c:r:w:kh opt; do
	case $opt in
	c) KIND=$OPTARG ;;
	r) RUNS=$OPTARG ;;
	w) WPGEN=$OPTARG ;;
	k) KEEP=1 ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || set -- 100
for n in "$@" "$RUNS"; do
	case $n in
	'' | *[!0-9]* | 0) echo "bench/build.sh: not a positive number: '$n'" >&2; usage ;;
	esac
done

if [ "$WPGEN" = ./wpgen ] && [ ! -x ./wpgen ]; then
	make -s wpgen
fi
[ -x "$WPGEN" ] || { echo "bench/build.sh: no program $WPGEN" >&2; exit 2; }
case $WPGEN in /*) ;; *) WPGEN=$ROOT/${WPGEN#./} ;; esac

SAMPLES="aozora-o minato-27017 kirishima-vm"
for s in $SAMPLES catalogs; do
	[ -d "content/$s" ] || { echo "bench/build.sh: no content/$s" >&2; exit 2; }
done

TMP=$(mktemp -d "${TMPDIR:-/tmp}/wpgen-bench.XXXXXX")
cleanup() {
	if [ "$KEEP" = 1 ]; then
		echo "kept: $TMP" >&2
	else
		rm -rf "$TMP"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [ -x /usr/bin/time ] && /usr/bin/time -v true >/dev/null 2>&1; then
	HAVE_TIME=1
else
	HAVE_TIME=0
fi

# now: seconds since the epoch, with a fraction when date(1) has %N.
now() {
	t=$(date +%s.%N 2>/dev/null)
	case $t in *N* | '') date +%s ;; *) echo "$t" ;; esac
}

# timed LOG CMD...: runs CMD with stdout and stderr into LOG; sets
# ELAPSED (wall-clock seconds), CPU (user + system seconds of the
# process and its children, or "n/a"), RSS (kB, or "n/a") and STATUS.
timed() {
	log=$1
	shift
	STATUS=0
	if [ "$HAVE_TIME" = 1 ]; then
		/usr/bin/time -v -o "$log.time" "$@" >"$log" 2>&1 || STATUS=$?
		ELAPSED=$(awk -F': ' '/Elapsed \(wall clock\)/ {
			n = split($2, p, ":"); s = 0
			for (i = 1; i <= n; i++) s = s * 60 + p[i]
			printf "%.2f", s }' "$log.time")
		RSS=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$log.time")
		CPU=$(awk -F': ' '/User time|System time/ { s += $2 }
			END { printf "%.2f", s }' "$log.time")
		# GNU time reports a signal as "Command terminated by signal N"
		# and exits with 128+N only in some versions.
		if grep -q 'terminated by signal' "$log.time"; then
			STATUS="signal $(sed -n 's/.*terminated by signal //p' "$log.time")"
		fi
	else
		t0=$(now)
		"$@" >"$log" 2>&1 || STATUS=$?
		t1=$(now)
		ELAPSED=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
		RSS=n/a
		CPU=n/a
	fi
}

. bench/corpus.sh
corpus_kind "$KIND" || exit 2

# best TIMES...: the smallest.  worst VALUES...: the largest (n/a wins).
best() { printf '%s\n' "$@" | sort -n | head -n 1; }
worst() {
	case " $* " in *" n/a "*) echo n/a; return ;; esac
	printf '%s\n' "$@" | sort -n | tail -n 1
}
mb() { case $1 in n/a) echo n/a ;; *) awk -v k="$1" 'BEGIN { printf "%.1f MB", k / 1024 }' ;; esac; }

REPORT=$TMP/report
FAILED=0
{
	echo "wpgen benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'), $(uname -sm)," \
	    "$(nproc 2>/dev/null || echo '?') CPUs, $("$WPGEN" --version)"
	echo "best of $RUNS runs (wall and CPU each); editions/s from the wall time;" \
	    "RSS: the largest maximum resident set size of the runs$( [ "$HAVE_TIME" = 1 ] || echo ' (not measured: no GNU time)')"
	echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
	echo
	printf '%-6s %-8s %-14s %8s %8s %11s %9s\n' services editions \
	    command "wall s" "CPU s" editions/s "max RSS"
} >"$REPORT"

for N in "$@"; do
	corpus=$TMP/corpus-$N
	out=$TMP/out-$N
	t0=$(now)
	echo "bench: generating $N services ($((2 * N)) editions)..." >&2
	make_corpus "$KIND" "$N" "$corpus"
	t1=$(now)
	echo "bench: corpus of $(du -sk "$corpus" | cut -f1) kB in" \
	    "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s" >&2
	editions=$((2 * N))
	for what in "build --jobs 1" "build --jobs 2" "check --jobs 1" \
	    "check --jobs 2"; do
		times=""
		rsses=""
		cpus=""
		r=1
		while [ "$r" -le "$RUNS" ]; do
			log=$TMP/log-$N-$(echo "$what" | tr -d ' -')-$r
			case $what in
			build*)
				rm -rf "$out"
				timed "$log" "$WPGEN" build --quiet --content "$corpus" \
				    --out "$out" ${what#build } ;;
			check*)
				timed "$log" "$WPGEN" check --content "$corpus" \
				    ${what#check } ;;
			esac
			echo "bench: N=$N $what run $r: ${ELAPSED}s, CPU ${CPU}s, RSS $RSS kB," \
			    "exit $STATUS" >&2
			if [ "$STATUS" != 0 ]; then
				echo "bench: wpgen $what failed (exit $STATUS):" >&2
				tail -n 20 "$log" >&2
				FAILED=1
			fi
			case $what in
			build*)
				pages=$(ls "$out"/*/*/index.html 2>/dev/null | wc -l)
				if [ "$STATUS" = 0 ] && [ "$pages" -ne "$editions" ]; then
					echo "bench: $pages pages for $editions editions" >&2
					FAILED=1
				fi ;;
			esac
			times="$times $ELAPSED"
			rsses="$rsses $RSS"
			cpus="$cpus $CPU"
			r=$((r + 1))
		done
		t=$(best $times)
		rate=$(awk -v e="$editions" -v t="$t" 'BEGIN {
			if (t > 0) printf "%.1f", e / t; else print "-" }')
		case $what in check*) rate="($rate)" ;; esac
		case $cpus in *n/a*) c=n/a ;; *) c=$(best $cpus) ;; esac
		printf '%-6s %-8s %-14s %8s %8s %11s %9s\n' "$N" "$editions" \
		    "$what" "$t" "$c" "$rate" "$(mb "$(worst $rsses)")" >>"$REPORT"
	done
	# Keep the corpus and the output with -k; otherwise free the space now.
	[ "$KEEP" = 1 ] || rm -rf "$corpus" "$out"
done

{
	echo
	echo "check's editions/s is in parentheses: check also renders every"
	echo "page (into memory) and compares the translations."
} >>"$REPORT"
echo >&2
cat "$REPORT"
[ "$FAILED" = 0 ] || { echo "bench/build.sh: some runs failed (see above)" >&2; exit 1; }
