#!/bin/sh
# fuzz/run.sh SECONDS [TARGET...]: runs each libFuzzer target built by
# `make fuzz` (build/fuzz/fuzz-*; or the TARGETs named, e.g. "yaml") for
# SECONDS, one after the other, from the repository root.  `./build.sh
# fuzz` builds them and calls this.
#
# Each target starts from its seeds in fuzz/corpus/TARGET (read only) and
# from what earlier runs found in build/fuzz/corpus/TARGET, where new
# inputs go.  An input that crashes, leaks, takes longer than 10 s or more
# than 2 GB is written to build/fuzz/artifacts/ and fails the run; the
# last lines of each log (build/fuzz/logs/TARGET.log) are shown then.
# Prints one line per target: executions, coverage (cov) and features (ft)
# from libFuzzer's final statistics.  Exits 1 when any target failed.
cd "$(dirname "$0")/.."

seconds=${1:-30}
[ $# -gt 0 ] && shift
case $seconds in
''|*[!0-9]*) echo "fuzz/run.sh: SECONDS must be a number" >&2; exit 2 ;;
esac
if [ $# -eq 0 ]; then
	set -- $(for f in fuzz/*.c; do basename "$f" .c; done)
fi

# The longest input each target makes: enough for a page of Markdown, a
# template and its data, or a small catalog with its mapping.
max_len() {
	case $1 in
	catalog) echo 32768 ;;
	document) echo 16384 ;;
	lock) echo 4096 ;;
	*) echo 8192 ;;
	esac
}

mkdir -p build/fuzz/logs build/fuzz/artifacts
failed=""
for t in "$@"; do
	bin=build/fuzz/fuzz-$t
	if [ ! -x "$bin" ]; then
		echo "fuzz/run.sh: no target $bin (make fuzz)" >&2
		exit 2
	fi
	mkdir -p "build/fuzz/corpus/$t"
	log=build/fuzz/logs/$t.log
	"$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
	    -max_len="$(max_len "$t")" -print_final_stats=1 \
	    -artifact_prefix="build/fuzz/artifacts/$t-" \
	    "build/fuzz/corpus/$t" "fuzz/corpus/$t" >"$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	stats=$(grep -E '^#[0-9]+' "$log" | tail -1 |
	    sed -n 's/.*\(cov: [0-9]*\) \(ft: [0-9]*\).*/\1 \2/p')
	if [ $rc -eq 0 ]; then
		echo "fuzz $t: ok, ${runs:-?} runs in ${seconds}s, $stats"
	else
		echo "fuzz $t: FAILED (status $rc); see $log"
		grep -E 'ERROR|SUMMARY|Test unit written|^    #[0-9] ' "$log" |
		    head -20
		failed="$failed $t"
	fi
done
if [ -n "$failed" ]; then
	echo "fuzz: failed:$failed"
	exit 1
fi
