#!/bin/sh
# tests/run.sh: runs every test program (build/asan/tests/*), every
# command-line test script (tests/cli/*.sh) and the regression cases
# (tests/regress/run.sh), and ends with the line
# "N passed, N failed, N skipped".  Exits non-zero when anything failed.
# A test that needs ../shared (WPGEN_SHARED) and does not find it prints
# "SKIP: name: why" instead of failing.
cd "$(dirname "$0")/.."

WPGEN=$(pwd)/build/asan/wpgen
WPGEN_SHARED=${WPGEN_SHARED:-$(cd .. && pwd)/shared}
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export WPGEN WPGEN_SHARED ASAN_OPTIONS UBSAN_OPTIONS

log=$(mktemp)
trap 'rm -rf "$log" "$TMP"' EXIT
TMP=$(mktemp -d)
export TMP

run_one() {
	# $1: a label; the rest: the command.  Its PASS/FAIL lines go to the
	# log; a non-zero exit with no FAIL line is itself a failure (a crash).
	label=$1; shift
	out=$(mktemp)
	"$@" >"$out" 2>&1
	rc=$?
	cat "$out"
	grep -E '^(PASS|FAIL|SKIP): ' "$out" >>"$log"
	if [ $rc -ne 0 ] && ! grep -q '^FAIL: ' "$out"; then
		echo "FAIL: $label exited with status $rc" | tee -a "$log"
	fi
	rm -f "$out"
}

for t in build/asan/tests/*; do
	[ -x "$t" ] || continue
	run_one "$t" "$t"
done
for s in tests/cli/*.sh; do
	[ -f "$s" ] || continue
	rm -rf "$TMP"/*
	run_one "$s" sh "$s"
done
run_one tests/regress/run.sh sh tests/regress/run.sh

passed=$(grep -c '^PASS: ' "$log")
failed=$(grep -c '^FAIL: ' "$log")
skipped=$(grep -c '^SKIP: ' "$log")
echo
grep '^SKIP: ' "$log"
grep '^FAIL: ' "$log"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
