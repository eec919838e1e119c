# tests/cli/dynlib.sh: libgit2, libmicrohttpd and libxml2 are not linked
# but opened when a command needs them (src/dynlib.h): the program does
# not name them, a diff between git revisions opens libgit2, a build
# opens libxml2 to read the catalogs and a build that finds nothing
# changed does not, and a command that cannot open the library it needs
# says which and why (exit 3; a build: 1, as for catalogs it cannot read)
# instead of failing to start.
. tests/lib.sh

if ldd "$WPGEN" | grep -q -e libgit2 -e libmicrohttpd -e libxml2; then
	fail "dynlib: not linked" "$(ldd "$WPGEN" | grep -e libgit2 -e libmicrohttpd -e libxml2)"
else
	pass "dynlib: not linked"
fi

# libxml2: opened by a build (the catalogs), not by the no-op after it.
B=$TMP/dynbuild
mkdir -p "$B"
cp -r content "$B/content"
xmlbuild() {  # xmlbuild LOG [ENV...]: a build of $B, the loader's log in $TMP/LOG.*
	_log=$1; shift
	env LD_DEBUG=libs LD_DEBUG_OUTPUT="$TMP/$_log" "$@" "$WPGEN" build \
	    --content "$B/content" --templates templates --out "$B/out" \
	    >"$TMP/out" 2>"$TMP/err"
}
xmlbuild ldxml1
st1=$?
sleep 1.1
xmlbuild ldxml2
st2=$?
if [ $st1 = 0 ] && [ $st2 = 0 ] && grep -q 'find library=libxml2\.so' "$TMP"/ldxml1.* &&
    ! grep -q 'find library=libxml2\.so' "$TMP"/ldxml2.* &&
    [ -n "$(sed -n 's/^built \([0-9]*\) editions.* (\1 unchanged.*/\1/p' "$TMP/err")" ]; then
	pass "dynlib: a build opens libxml2, a no-op does not"
else
	fail "dynlib: a build opens libxml2, a no-op does not" "exit $st1, $st2: $(grep -h 'find library=libxml2' "$TMP"/ldxml*.* | head -n 2) $(cat "$TMP/err")"
fi
mkdir -p "$TMP/badxml"
: >"$TMP/badxml/libxml2.so.2"
rm -rf "$B/out"
xmlbuild ldxml3 LD_LIBRARY_PATH="$TMP/badxml"
st=$?
if [ $st = 1 ] && grep -q "catalogs: error: cannot load libxml2\.so\.2 (" "$TMP/err" &&
    [ ! -e "$B/out" ]; then
	pass "dynlib: libxml2 that cannot be loaded is said"
else
	fail "dynlib: libxml2 that cannot be loaded is said" "exit $st: $(head -c 300 "$TMP/err")"
fi

if ! command -v git >/dev/null; then
	echo "SKIP: dynlib: no git command to make the test repository"
	return 0 2>/dev/null || exit 0
fi
G="git -c user.name=test -c user.email=test@example.com -c init.defaultBranch=main"
repo=$TMP/dynrepo
mkdir -p "$repo/content"
cp -r content/minato-27017 content/catalogs "$repo/content/"
(cd "$repo" && $G init -q && $G add -A && $G commit -qm one)
sed -i 's/速やかに/直ちに/' "$repo/content/minato-27017/ja/09-access.md"

# diff_head [ENV...]: the diff of the work tree with HEAD, in the repo.
diff_head() {
	(cd "$repo" && env "$@" "$WPGEN" diff minato-27017 --from HEAD \
	    --templates "$OLDPWD/templates" --format text) >"$TMP/out" 2>"$TMP/err"
}
diff_head LD_DEBUG=libs LD_DEBUG_OUTPUT="$TMP/ld"
st=$?
soname=$(cat "$TMP"/ld.* | sed -n 's/.*find library=\(libgit2\.so[^ ;]*\)[ ;].*/\1/p' | head -n 1)
if [ $st = 0 ] && grep -q '^changed ' "$TMP/out" && [ -n "$soname" ]; then
	pass "dynlib: a diff from a git revision opens $soname"
else
	fail "dynlib: a diff from a git revision opens libgit2" "exit $st, soname '$soname': $(head -c 300 "$TMP/err")"
fi

# Where the library found first is not one (an empty file): the command
# says so.
mkdir -p "$TMP/badlib"
: >"$TMP/badlib/${soname:-libgit2.so.0}"
diff_head LD_LIBRARY_PATH="$TMP/badlib"
st=$?
if [ $st = 3 ] && grep -q "^wpgen diff: cannot load ${soname:-libgit2}" "$TMP/err"; then
	pass "dynlib: libgit2 that cannot be loaded is said"
else
	fail "dynlib: libgit2 that cannot be loaded is said" "exit $st: $(head -c 300 "$TMP/err")"
fi

# The same for the preview server and libmicrohttpd (each of its
# sonames the system knows made an empty file).
mkdir -p "$TMP/site/content"
cp -r content/minato-27017 content/catalogs "$TMP/site/content/"
for so in $(ldconfig -p | sed -n 's/^[[:space:]]*\(libmicrohttpd\.so\.[0-9]*\) .*/\1/p'); do
	: >"$TMP/badlib/$so"
done
(cd "$TMP/site" && LD_LIBRARY_PATH="$TMP/badlib" timeout 60 "$WPGEN" serve \
    --port 0 --templates "$OLDPWD/templates") >"$TMP/out" 2>"$TMP/err"
st=$?
if [ $st = 3 ] && grep -q '^wpgen serve: cannot load libmicrohttpd\.so\.[0-9]* (' "$TMP/err"; then
	pass "dynlib: libmicrohttpd that cannot be loaded is said"
else
	fail "dynlib: libmicrohttpd that cannot be loaded is said" "exit $st: $(head -c 300 "$TMP/err")"
fi
