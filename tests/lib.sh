# tests/lib.sh: helpers for the command-line tests in tests/cli/*.sh.
# Each script is run by tests/run.sh from the repository root with
# WPGEN (the sanitizer build), WPGEN_SHARED and TMP set.  A check prints
# "PASS: name" or "FAIL: name", which run.sh counts.

pass() { echo "PASS: $1"; }
fail() { echo "FAIL: $1${2:+: $2}"; }

# have_shared NAME REL: whether $WPGEN_SHARED/REL exists; when it does not,
# reports NAME skipped (run.sh counts SKIP lines) and returns 1.
have_shared() {
	if [ -e "$WPGEN_SHARED/$2" ]; then return 0; fi
	echo "SKIP: $1: $WPGEN_SHARED/$2 is absent (set WPGEN_SHARED to the shared directory)"
	return 1
}

# expect_status NAME WANT CMD...: runs CMD, checks its exit status.
expect_status() {
	_name=$1 _want=$2; shift 2
	"$@" >"$TMP/out" 2>"$TMP/err"; _got=$?
	if [ "$_got" = "$_want" ]; then pass "$_name"
	else fail "$_name" "exit $_got, want $_want: $(head -c 400 "$TMP/err")"; fi
}

# expect_grep NAME PATTERN FILE: FILE has a line matching PATTERN (fixed).
expect_grep() {
	if grep -qF -- "$2" "$3"; then pass "$1"
	else fail "$1" "no '$2' in $3: $(head -c 400 "$3")"; fi
}

# expect_no_grep NAME PATTERN FILE
expect_no_grep() {
	if grep -qF -- "$2" "$3"; then fail "$1" "unexpected '$2' in $3"
	else pass "$1"; fi
}

# expect_same NAME GOT WANT: two files are byte-identical.
expect_same() {
	if cmp -s "$2" "$3"; then pass "$1"
	else fail "$1" "$(diff -u "$3" "$2" | head -n 20)"; fi
}

# same_as_clean NAME ROOT OUT: ROOT/OUT, built incrementally, equals a
# clean build of the same input into ROOT/clean, files and diagnostics
# (the summary line says how many were unchanged; the manifests differ:
# they hold the stat data of the files; so do the stores of summaries:
# an incremental build appends to its store what changed).  The caller's build OUT
# [options] builds into ROOT/OUT with its stderr in $TMP/err.OUT.
same_as_clean() {
	rm -rf "$2/clean"
	build clean --jobs 1
	if diff -r -x .wpgen-manifest -x .wpgen-store "$2/clean" "$2/$3" >"$TMP/diff" 2>&1 &&
	    sed "s/([0-9]* unchanged, /(/; s|$2/$3/|$2/clean/|" "$TMP/err.$3" |
	    cmp -s - "$TMP/err.clean"; then
		pass "$1"
	else
		fail "$1" "$(head -c 600 "$TMP/diff"; diff "$TMP/err.clean" "$TMP/err.$3" | head -5)"
	fi
}

# change_byte FILE AT: the byte at offset AT of FILE made another ('9',
# or '8' where a '9' is: a byte written over the same byte damages
# nothing).
change_byte() {
	if [ "$(dd if="$1" bs=1 skip="$2" count=1 2>/dev/null)" = 9 ]; then
		printf 8
	else
		printf 9
	fi | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}
