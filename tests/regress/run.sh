#!/bin/sh
# tests/regress/run.sh: the regression runner.  Every case
# tests/regress/<group>/<case>/ (a directory with a `cmd` file) is copied
# to a scratch directory, its `cmd` is run there by sh, and what it did
# (exit status, stdout, stderr, every file it wrote or changed) is
# compared byte for byte with the case's expected/ directory; its `xpath`
# assertions, if any, are checked on the files written.  One line
# "PASS: regress/<group>/<case>" or "FAIL: ..." (with a unified diff) a
# case; the format is in tests/README.md.
#
#   sh tests/regress/run.sh [--update] [CASE...]
#
# CASE is <group> or <group>/<case> (a path to it works too); the default
# is every case.  --update writes what the cases do now into their
# expected/ directories (read the `git diff` of it before committing).
# The exit status is 1 when a case failed.
cd "$(dirname "$0")/../.." || exit 3
ROOT=$(pwd)

update=0
if [ "${1:-}" = --update ]; then update=1; shift; fi

WPGEN=${WPGEN:-$ROOT/build/asan/wpgen}
TEMPLATES=$ROOT/templates
XPATHCHECK=${XPATHCHECK:-$ROOT/build/asan/xpathcheck}
WPGEN_SHARED=${WPGEN_SHARED:-$(cd .. && pwd)/shared}
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export WPGEN TEMPLATES WPGEN_SHARED ASAN_OPTIONS UBSAN_OPTIONS
# Outputs must not depend on who runs the cases, when or where.
unset SOURCE_DATE_EPOCH
LC_ALL=C.UTF-8 TZ=UTC
export LC_ALL TZ

if [ ! -x "$WPGEN" ]; then
	echo "FAIL: regress: no $WPGEN (run make asan)"
	exit 1
fi
if [ ! -x "$XPATHCHECK" ]; then
	make -s build/asan/xpathcheck >&2 || exit 3
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# copy_case DIR DEST: copies the inputs of a case (all but expected/).  A
# symbolic link that leads out of the case into the repository (shared
# inputs such as tests/regress/inputs/catalogs) is copied as what it
# points to; any other link stays a link.
copy_case() {
	mkdir -p "$2"
	for f in "$1"/* "$1"/.[!.]*; do
		[ -e "$f" ] || [ -L "$f" ] || continue
		[ "$(basename "$f")" = expected ] && continue
		cp -RP "$f" "$2/"
	done
	(cd "$1" && find . -type l) | while IFS= read -r link; do
		target=$(realpath -q "$1/$link") || continue
		case "$target" in
		"$ROOT/$1"/*) ;;
		"$ROOT"/*)
			rm -f "$2/$link"
			cp -RL "$target" "$2/$link" ;;
		esac
	done
}

# listing DIR: "checksum size ./path" of every regular file under DIR,
# sorted.
listing() {
	(cd "$1" && find . -type f -exec cksum {} + | LC_ALL=C sort)
}

# run_case DIR: runs one case and prints its PASS/FAIL line.
run_case() {
	dir=${1%/}
	name=${dir#tests/regress/}
	scratch=$work/$name/tree
	got=$work/$name/got
	mkdir -p "$got"
	copy_case "$dir" "$scratch"
	listing "$scratch" >"$work/$name/before"
	(cd "$scratch" && timeout 120 sh -c "$(cat "$ROOT/$dir/cmd")" \
	    >"$got/stdout" 2>"$got/stderr" </dev/null)
	echo $? >"$got/status"
	# What the command wrote: files that are new or changed.
	listing "$scratch" >"$work/$name/after"
	LC_ALL=C comm -13 "$work/$name/before" "$work/$name/after" |
	while IFS= read -r line; do
		f=${line#* * ./}
		# The build manifest holds the digest of the wpgen binary
		# itself, the store of summaries is the manifest's, and the
		# catalogs packed are keyed by its build id:
		# tests/cli/incremental.sh and catpack.sh check them, not the
		# cases.
		case "$f" in
		*/.wpgen-manifest|.wpgen-manifest) continue ;;
		*/.wpgen-store|.wpgen-store) continue ;;
		*/.wpgen-catalogs|.wpgen-catalogs) continue ;;
		esac
		skip=0
		if [ -f "$dir/ignore" ]; then
			while IFS= read -r pat; do
				[ -n "$pat" ] || continue
				# shellcheck disable=SC2254
				case "$f" in $pat) skip=1 ;; esac
			done <"$dir/ignore"
		fi
		[ $skip = 1 ] || printf '%s\n' "$f"
	done >"$work/$name/written"
	if [ -s "$work/$name/written" ]; then
		tar -C "$scratch" -cf - --verbatim-files-from -T "$work/$name/written" |
		    tar -C "$got" -xf -
	fi
	xfail=""
	if [ -f "$dir/xpath" ]; then
		xfail=$("$XPATHCHECK" "$got" "$dir/xpath" 2>&1) || xfail=${xfail:-xpathcheck failed}
	fi
	if [ $update = 1 ]; then
		if ! diff -rq "$dir/expected" "$got" >/dev/null 2>&1; then
			rm -rf "$dir/expected"
			cp -R "$got" "$dir/expected"
			echo "updated: regress/$name"
		fi
		[ -z "$xfail" ] || { echo "FAIL: regress/$name (xpath)"; echo "$xfail"; }
		return
	fi
	d=$(cd "$dir" && LC_ALL=C diff -ruN expected "$got" | sed "s|$got|got|g")
	if [ -z "$d" ] && [ -z "$xfail" ]; then
		echo "PASS: regress/$name"
		return
	fi
	echo "FAIL: regress/$name"
	if [ -n "$d" ]; then
		echo "$d" | head -n 120
		n=$(echo "$d" | wc -l)
		[ "$n" -le 120 ] || echo "... $((n - 120)) more lines: sh tests/regress/run.sh $name"
	fi
	[ -z "$xfail" ] || echo "$xfail"
}

if [ $# = 0 ]; then set -- tests/regress; fi
for arg; do
	arg=${arg#./}
	arg=${arg%/}
	case "$arg" in
	tests/regress*) ;;
	*) arg=tests/regress/$arg ;;
	esac
	for c in tests/regress/*/*/cmd; do
		c=${c%/cmd}
		case "$c/" in "$arg"/*) echo "$c" ;; esac
	done
done >"$work/cases"
if [ ! -s "$work/cases" ]; then
	echo "FAIL: regress: no case matches $*"
	exit 1
fi
while IFS= read -r c; do
	run_case "$c"
done <"$work/cases" >"$work/log"
cat "$work/log"
! grep -q '^FAIL: ' "$work/log"
