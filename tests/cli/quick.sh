# tests/cli/quick.sh: a build decided from the manifest alone (quick.c).
# When nothing it reads changed since the previous build, `wpgen build`
# does not open the project: it says the previous build's problems again
# and touches nothing.  Any change it depends on (a template, a catalog,
# a lock, service.yaml, site.yaml, a Markdown file added, the wpgen
# program itself, the options) sends it the long way, and the site is
# then what a clean build makes; so does a corrupt manifest.
. tests/lib.sh

Q=$TMP/quick
mkdir -p "$Q"
cp -R content "$Q/content"
cp -R templates "$Q/templates"
# A copy of the program, so that it can be changed.
cp "$WPGEN" "$Q/wpgen"
export SOURCE_DATE_EPOCH=1700000000
printf 'labels:\n  en: {site_title: "Quick Whitepapers"}\n' >"$Q/content/site.yaml"
# A warning, said again by every build: a language without labels (whose
# labels service.yaml names: looked up by the project, which may not read
# this service at all).
sed -i 's/^languages: \[ja, en\]$/languages: [ja, en, zh]/' \
    "$Q/content/aozora-security/service.yaml"
printf 'labels:\n  zh: {contents: 目录}\n' >>"$Q/content/aozora-security/service.yaml"

build() {  # build OUT [options]
	_o=$1; shift
	"$Q/wpgen" build --content "$Q/content" --templates "$Q/templates" \
	    --out "$Q/$_o" "$@" >"$TMP/out" 2>"$TMP/err.$_o"
}
# same NAME: out/ equals a clean build of the same input, stderr too.
same() { same_as_clean "$1" "$Q" out; }
unchanged() { sed -n 's/.*(\([0-9]*\) unchanged.*/\1/p' "$TMP/err.out"; }
# Inputs changed within a second of a build are read again by the next
# one (their stat data may not tell a second change): wait that out.
settle() { sleep 1.1; }
snap() { (cd "$Q/out" && find . -type f -printf '%i %T@ %p\n' | LC_ALL=C sort -k3); }
TRACE=
if command -v strace >/dev/null 2>&1 && strace -f -o /dev/null true >/dev/null 2>&1; then
	TRACE=1
fi
# quick NAME: the next build keeps everything, decided from the manifest:
# it writes nothing, says what a clean build says, and (with strace)
# opens no file of the content or the templates.
quick() {
	settle
	build out
	snap >"$TMP/snap1"
	if [ -n "$TRACE" ]; then
		# (LeakSanitizer cannot run under a tracer: the other runs
		# check for leaks.)
		ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
		strace -f -e trace=openat,open -o "$TMP/trace" "$Q/wpgen" build \
		    --content "$Q/content" --templates "$Q/templates" \
		    --out "$Q/out" >"$TMP/out" 2>"$TMP/err.out"
		opened=$(grep -v ENOENT "$TMP/trace" | grep -c -e "$Q/content" -e "$Q/templates")
	else
		build out
		opened=0
	fi
	snap >"$TMP/snap2"
	n=$(sed -n 's/^built \([0-9]*\) editions.*/\1/p' "$TMP/err.out")
	if [ "$(unchanged)" = "$n" ] && [ "$opened" = 0 ] &&
	    cmp -s "$TMP/snap1" "$TMP/snap2"; then
		pass "$1"
	else
		fail "$1" "unchanged $(unchanged) of $n, $opened files opened: $(grep -v ENOENT "$TMP/trace" 2>/dev/null | grep -e "$Q/content" -e "$Q/templates" | head -n 3; diff "$TMP/snap1" "$TMP/snap2" | head -n 3)"
	fi
	same "$1: the site of a clean build"
}
# changed NAME FILE: the build after a change rebuilt (some editions or
# the site pages) what depends on FILE, and the site is a clean build's.
changed() {
	cp -R "$Q/out" "$Q/before"
	build out
	if ! diff -r -x .wpgen-manifest "$Q/before" "$Q/out" >/dev/null 2>&1; then
		pass "$1: rebuilt"
	else
		fail "$1: rebuilt" "out/ as it was: $(cat "$TMP/err.out")"
	fi
	rm -rf "$Q/before"
	same "$1: the site of a clean build"
}

build out
if grep -q 'warning' "$TMP/err.out"; then pass "quick: the corpus has warnings to say again"
else fail "quick: the corpus has warnings to say again" "$(cat "$TMP/err.out")"; fi
quick "quick: nothing changed, nothing read"
quick "quick: and again"

# The summaries are most of what a build keeps, and they lie in a store
# of their own (out/.wpgen-store), not in the manifest: a no-op does not
# open the store (out/ holds the site pages made from them); an edit
# that changes no summary reads the store's first line only (its name)
# and writes nothing into it (with strace: the bytes read of the store).
if [ -n "$TRACE" ]; then
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
	strace -f -y -e trace=openat,read,pread64 -o "$TMP/trace" "$Q/wpgen" build \
	    --content "$Q/content" --templates "$Q/templates" \
	    --out "$Q/out" >"$TMP/out" 2>"$TMP/err.out"
	store=$(grep -c '\.wpgen-store' "$TMP/trace")
	summaries=$(LC_ALL=C awk '/^(summary|sum|cat|cov)\t/ { n++ } END { print n + 0 }' \
	    "$Q/out/.wpgen-manifest")
	if [ -s "$Q/out/.wpgen-store" ] && [ "$store" = 0 ] && [ "$summaries" = 0 ] &&
	    [ "$(unchanged)" = "$(sed -n 's/^built \([0-9]*\) editions.*/\1/p' "$TMP/err.out")" ]; then
		pass "quick: a no-op does not read the summaries"
	else
		fail "quick: a no-op does not read the summaries" "$store calls on the store, $summaries summary records in the manifest; $(cat "$TMP/err.out")"
	fi
	settle
	size=$(stat -c %s "$Q/out/.wpgen-store")
	printf '\nOne more paragraph.\n' >>"$Q/content/aozora-o/en/03-governance.md"
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
	strace -f -y -e trace=read,pread64 -o "$TMP/trace" "$Q/wpgen" build \
	    --content "$Q/content" --templates "$Q/templates" \
	    --out "$Q/out" >"$TMP/out" 2>"$TMP/err.out"
	got=$(grep '\.wpgen-store>' "$TMP/trace" | sed -n 's/.*= \([0-9]*\)$/\1/p' |
	    awk '{ n += $1 } END { print n + 0 }')
	n=$(sed -n 's/^built \([0-9]*\) editions.*/\1/p' "$TMP/err.out")
	if [ "$got" = 47 ] && [ "$(stat -c %s "$Q/out/.wpgen-store")" = "$size" ] &&
	    [ "$(unchanged)" = $((n - 1)) ]; then
		pass "quick: an edit that changes no summary reads none"
	else
		fail "quick: an edit that changes no summary reads none" "read $got bytes of the store, $size -> $(stat -c %s "$Q/out/.wpgen-store"); $(cat "$TMP/err.out")"
	fi
	same "quick: an edit that changes no summary"
fi

sed -i 's|<title>{{title}}</title>|<title>{{title}} (quick)</title>|' "$Q/templates/base/layout.mustache"
changed "quick: a template changed"
quick "quick: after a template"

sed -i "0,/<title>Information security policies<\\/title>/s//<title>Information security policies (quick)<\\/title>/" \
    "$Q/content/catalogs/iso27017-2015.en.xml"
changed "quick: a catalog changed"
quick "quick: after a catalog"

sed -i '/^en 1\.1 /d' "$Q/content/aozora-o/translations.lock"
changed "quick: a lock changed"
quick "quick: after a lock"

sed -i 's/^  en: Aozora Cloud Service O Security Whitepaper$/  en: Aozora Cloud Service O Security Whitepaper (quick)/' \
    "$Q/content/aozora-o/service.yaml"
changed "quick: service.yaml changed"
quick "quick: after service.yaml"

sed -i 's/Quick Whitepapers/Quicker Whitepapers/' "$Q/content/site.yaml"
changed "quick: site.yaml changed"
quick "quick: after site.yaml"

# A file added to an edition: its directory's stat data tell.
printf '# Added\n\nAn added chapter.\n' >"$Q/content/minato-27017/en/99-added.md"
changed "quick: a Markdown file added"
quick "quick: after a file added"

# One Markdown file edited: the other services are taken as the manifest
# has them, their directories not listed again, none of their Markdown
# read, and the project does not read their service.yaml or lock either
# (with strace); the edited service's are.
if [ -n "$TRACE" ]; then
	settle
	build out
	printf '\nOne more line.\n' >>"$Q/content/minato-27017/en/01-introduction.md"
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
	strace -f -e trace=openat,open -o "$TMP/trace" "$Q/wpgen" build \
	    --content "$Q/content" --templates "$Q/templates" \
	    --out "$Q/out" >"$TMP/out" 2>"$TMP/err.out"
	opened_others() {
		grep -v ENOENT "$TMP/trace" |
		    grep -e "$Q/content/aozora-o" -e "$Q/content/aozora-security" \
		    -e "$Q/content/kirishima-vm" | grep "$@" | head -n 3
	}
	others=$(opened_others -e O_DIRECTORY -e '\.md"')
	if [ -z "$others" ] && grep -q "$Q/content/minato-27017/en" "$TMP/trace"; then
		pass "quick: an edit reads only its service's directories"
	else
		fail "quick: an edit reads only its service's directories" "$others"
	fi
	others=$(opened_others -e '/service\.yaml"' -e '/translations\.lock"')
	if [ -z "$others" ] &&
	    grep -q "$Q/content/minato-27017/service\.yaml\"" "$TMP/trace" &&
	    grep -q "$Q/content/minato-27017/translations\.lock\"" "$TMP/trace"; then
		pass "quick: an edit opens only its service's service.yaml and lock"
	else
		fail "quick: an edit opens only its service's service.yaml and lock" "$others"
	fi
	same "quick: an edit: the site of a clean build"
fi

# The services the project opens unread are those whose files are all as
# recorded: a service added or removed, another's service.yaml or lock
# changed, each beside an edit of one Markdown file, is seen.
settle
build out
cp -R "$Q/content/kirishima-vm" "$Q/content/kirishima-vm2"
printf '\nA line.\n' >>"$Q/content/minato-27017/en/01-introduction.md"
changed "quick: a service added"
if [ -f "$Q/out/kirishima-vm2/en/index.html" ]; then pass "quick: a service added is built"
else fail "quick: a service added is built" "$(cat "$TMP/err.out")"; fi
settle
build out
sed -i 's/^  en: "Kirishima CPS/  en: "Kirishima (again) CPS/' "$Q/content/kirishima-vm2/service.yaml"
printf '\nA line.\n' >>"$Q/content/minato-27017/en/01-introduction.md"
changed "quick: service.yaml of another service changed"
settle
build out
sed -i '/^en 1\.1 /d' "$Q/content/kirishima-vm2/translations.lock"
printf '\nA line.\n' >>"$Q/content/minato-27017/en/01-introduction.md"
changed "quick: the lock of another service changed"
settle
build out
rm -r "$Q/content/kirishima-vm2"
printf '\nA line.\n' >>"$Q/content/minato-27017/en/01-introduction.md"
changed "quick: a service removed"
if [ ! -e "$Q/out/kirishima-vm2" ]; then pass "quick: a service removed: its pages removed"
else fail "quick: a service removed: its pages removed" "$(ls "$Q/out/kirishima-vm2")"; fi

# Right after an edit, the build that follows cannot trust the stat data
# of the file edited (changed within a second of it: changed again in the
# same clock tick, it could keep them) nor of a directory a file was added
# to: the no-op after it reads that file and lists that directory again,
# finds them as recorded (their digests) and opens nothing else of the
# content or the templates, and writes nothing but the manifest (when
# they have settled since, to say so).
# racy NAME PATH...: the edit is made; build; the no-op under strace
# opens exactly PATHs.
racy() {
	_name=$1; shift
	build out
	if ! grep -q "^file	[0-9a-f]*	0	.*	$1\$" "$Q/out/.wpgen-manifest"; then
		fail "$_name" "$1 was not recorded as changed within a second of the build"
		return
	fi
	snap | grep -v wpgen-manifest >"$TMP/snap1"
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
	strace -f -e trace=openat,open -o "$TMP/trace" "$Q/wpgen" build \
	    --content "$Q/content" --templates "$Q/templates" \
	    --out "$Q/out" >"$TMP/out" 2>"$TMP/err.out"
	snap | grep -v wpgen-manifest >"$TMP/snap2"
	opened=$(grep -v ENOENT "$TMP/trace" | grep -o -e "\"$Q/content[^\"]*\"" \
	    -e "\"$Q/templates[^\"]*\"" | tr -d '"' | LC_ALL=C sort | tr '\n' ' ')
	expected=$(printf '%s\n' "$@" | LC_ALL=C sort | tr '\n' ' ')
	n=$(sed -n 's/^built \([0-9]*\) editions.*/\1/p' "$TMP/err.out")
	if [ "$opened" = "$expected" ] && [ "$(unchanged)" = "$n" ] &&
	    cmp -s "$TMP/snap1" "$TMP/snap2"; then
		pass "$_name"
	else
		fail "$_name" "opened: $opened; unchanged $(unchanged) of $n; $(diff "$TMP/snap1" "$TMP/snap2" | head -n 3)"
	fi
	same "$_name: the site of a clean build"
}
if [ -n "$TRACE" ]; then
	F=$Q/content/kirishima-vm/en/01-overview.md
	settle
	build out
	printf '\nEdited just before a build.\n' >>"$F"
	racy "quick: right after an edit, the no-op reads only that file" "$F"
	settle
	build out
	D=$Q/content/kirishima-vm/ja
	printf '# 追加\n\n追加の章。\n' >"$D/98-added.md"
	racy "quick: right after a file added, the no-op lists only its directory" \
	    "$D/98-added.md" "$D"
fi

# A full build by worker processes of content copied just before (every
# file and directory changed within its second): the workers report the
# digest of each directory's names with its stat data, so that the no-op
# after it decides from the manifest (lists the directories, reads the
# files, compares their digests) and does not open the project: libxml2,
# which only reading the catalogs needs, is not even loaded.
R=$TMP/fresh
rm -rf "$R"
mkdir -p "$R"
cp -R "$Q/content" "$R/content"
"$Q/wpgen" build --jobs 2 --content "$R/content" --templates "$Q/templates" \
    --out "$R/out" >"$TMP/out" 2>"$TMP/err.fresh"
LD_DEBUG=libs LD_DEBUG_OUTPUT="$TMP/ld.fresh" "$Q/wpgen" build --jobs 2 \
    --content "$R/content" --templates "$Q/templates" --out "$R/out" \
    >"$TMP/out" 2>"$TMP/err.fresh"
if grep -q '(9 unchanged' "$TMP/err.fresh" &&
    ! cat "$TMP"/ld.fresh.* | grep -q 'find library=libxml2'; then
	pass "quick: after a build by workers of fresh content, a no-op"
else
	fail "quick: after a build by workers of fresh content, a no-op" "$(cat "$TMP"/ld.fresh.* | grep 'find library=libxml2' | head -n 1) $(cat "$TMP/err.fresh")"
fi

# Once such a file has settled, the no-op sets its flag where the
# manifest lies (one byte of the same file, not the 2 MB written anew at
# N = 200) and seals it again (its last line's digest: the only other
# bytes changed, and those a seal of the bytes now, which the next
# no-op reads), and says the file settled.
F=$Q/content/kirishima-vm/en/01-overview.md
settle
build out
printf '\nEdited once more.\n' >>"$F"
build out
cp "$Q/out/.wpgen-manifest" "$TMP/manifest.before"
i1=$(stat -c %i "$Q/out/.wpgen-manifest")
settle
build out
i2=$(stat -c %i "$Q/out/.wpgen-manifest")
n=$(sed -n 's/^built \([0-9]*\) editions.*/\1/p' "$TMP/err.out")
u1=$(unchanged)
body=$(($(stat -c %s "$Q/out/.wpgen-manifest") - 33))   # (before the seal's digest)
cp "$Q/out/.wpgen-manifest" "$TMP/manifest.settled"
python3 tests/manifest_seal.py "$TMP/manifest.settled"
build out
if [ "$i1" = "$i2" ] &&
    [ "$(cmp -l "$TMP/manifest.before" "$Q/out/.wpgen-manifest" | awk -v b="$body" '$1 <= b' | wc -l)" = 1 ] &&
    cmp -s "$TMP/manifest.settled" "$Q/out/.wpgen-manifest" &&
    grep -q "^file	[0-9a-f]*	1	.*	$F\$" "$Q/out/.wpgen-manifest" &&
    [ "$u1" = "$n" ] && [ "$(unchanged)" = "$n" ]; then
	pass "quick: a file settled since, its flag set in place"
else
	fail "quick: a file settled since, its flag set in place" "inode $i1 -> $i2; $(cmp -l "$TMP/manifest.before" "$Q/out/.wpgen-manifest" | head -n 3); $(cat "$TMP/err.out")"
fi

# The manifest whose flags are set in place must be out/'s own: one with
# a second name (a hard link: out/ unpacked from an archive with other
# files in it) is written whole anew in its place instead, and the
# other name keeps its bytes.
printf '\nEdited for a second name.\n' >>"$F"
build out
ln "$Q/out/.wpgen-manifest" "$TMP/manifest.other-name"
sum=$(md5sum <"$TMP/manifest.other-name")
settle
build out
u1=$(unchanged)
build out
if [ "$(md5sum <"$TMP/manifest.other-name")" = "$sum" ] &&
    [ "$(stat -c %h "$Q/out/.wpgen-manifest")" = 1 ] &&
    grep -q "^file	[0-9a-f]*	1	.*	$F\$" "$Q/out/.wpgen-manifest" &&
    [ "$u1" = "$n" ] && [ "$(unchanged)" = "$n" ]; then
	pass "quick: a manifest with a second name is not written in place"
else
	fail "quick: a manifest with a second name is not written in place" "$(ls -li "$TMP/manifest.other-name" "$Q/out/.wpgen-manifest"); $(cat "$TMP/err.out")"
fi
rm -f "$TMP/manifest.other-name"

# A change that stat data cannot tell (made in the clock tick of the
# build that recorded the file, it would keep its size, times and inode;
# made here by recording the stat data of the changed file with the digest
# of its former content): the file is read, its edition built again.
F=$Q/content/kirishima-vm/en/01-overview.md
settle
build out
printf '\nEdited again.\n' >>"$F"
build out
at=$(LC_ALL=C grep -bo '[a-z]' "$F" | head -n 1 | cut -d: -f1)
printf 'X' | dd of="$F" bs=1 seek="$at" conv=notrunc 2>/dev/null
set -- $(stat -c '%s %.9Y %.9Z %i' "$F" | tr -d .)
awk -F '\t' -v f="$F" -v s="$1" -v m="$2" -v c="$3" -v i="$4" \
    'BEGIN { OFS = "\t" } $1 == "file" && $8 == f { $4 = s; $5 = m; $6 = c; $7 = i } { print }' \
    "$Q/out/.wpgen-manifest" >"$TMP/manifest"
python3 tests/manifest_seal.py "$TMP/manifest"   # (as the build would have)
cp "$TMP/manifest" "$Q/out/.wpgen-manifest"
changed "quick: a change with the stat data recorded, within their second"

# Another program (here: the same one with a byte more): a full build.
printf '\n' >>"$Q/wpgen"
build out
if [ -z "$(unchanged)" ]; then pass "quick: another wpgen, a full build"
else fail "quick: another wpgen, a full build" "$(cat "$TMP/err.out")"; fi
same "quick: another wpgen: the site of a clean build"
quick "quick: after another wpgen"

# Other options: not decided from the manifest of the previous ones.
build out --lang en
if [ -z "$(find "$Q/out" -path '*/ja/*' | head -n 1)" ]; then pass "quick: other options are another build"
else fail "quick: other options are another build" "$(find "$Q/out" -path '*/ja/*' | head -n 2)"; fi
build out
same "quick: all languages again"

# A corrupt manifest (cut short) after a no-op: a full build.
quick "quick: before a corrupt manifest"
M=$Q/out/.wpgen-manifest
head -c 2000 "$M" >"$M.cut" && mv "$M.cut" "$M"
build out
if [ -z "$(unchanged)" ]; then pass "quick: corrupt manifest, full build"
else fail "quick: corrupt manifest, full build" "$(cat "$TMP/err.out")"; fi
same "quick: corrupt manifest: the site of a clean build"

# An output removed by hand: not a no-op.
settle
build out
rm "$Q/out/aozora-o/en/xref.csv"
build out
if [ -f "$Q/out/aozora-o/en/xref.csv" ]; then pass "quick: a removed output is made again"
else fail "quick: a removed output is made again" "$(cat "$TMP/err.out")"; fi
same "quick: a removed output: the site of a clean build"
