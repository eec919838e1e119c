# tests/cli/incremental.sh: a build rewrites only the editions whose inputs
# changed, and its out/ is byte for byte what a clean build makes: after
# random edits of the Markdown, service.yaml, the lock, images and
# templates, with one job and two; a corrupt or foreign manifest gives a
# full build, an output changed by hand or a summary in the manifest that
# does not read the build of its edition, and so does a store of
# summaries cut short, of another name or absent: never a wrong site;
# the store is appended to, then made anew.
. tests/lib.sh

I=$TMP/inc
mkdir -p "$I"
cp -R content "$I/content"
# Editions: the directories that hold Markdown files.
N=$(find "$I/content" -name '*.md' -exec dirname {} \; | sort -u | wc -l)
cp -R templates "$I/templates"
export SOURCE_DATE_EPOCH=1700000000
build() {  # build OUT [options]: into OUT, stderr in $TMP/err.OUT
	_o=$1; shift
	"$WPGEN" build --content "$I/content" --templates "$I/templates" \
	    --out "$I/$_o" "$@" >"$TMP/out" 2>"$TMP/err.$_o"
}
# same NAME: the incremental out/ equals a clean build of the same input
# (tests/lib.sh).
same() { same_as_clean "$1" "$I" inc; }
unchanged() { sed -n 's/.*(\([0-9]*\) unchanged.*/\1/p' "$TMP/err.inc"; }

build inc
same "incremental: first build is a clean one"
build inc
if [ "$(unchanged)" = "$N" ]; then pass "incremental: no-op build copies all"
else fail "incremental: no-op build copies all" "$(cat "$TMP/err.inc")"; fi
same "incremental: no-op build"

# One Markdown file of a target language: that edition only.
printf '\nOne more paragraph.\n' >>"$I/content/aozora-o/en/03-governance.md"
build inc
if [ "$(unchanged)" = $((N - 1)) ]; then pass "incremental: one target file, one edition rebuilt"
else fail "incremental: one target file, one edition rebuilt" "$(cat "$TMP/err.inc")"; fi
same "incremental: one target file"

# A source file: the source edition and its translation.
printf '\n追加の段落。\n' >>"$I/content/minato-27017/ja/01-introduction.md"
build inc --jobs 2
if [ "$(unchanged)" = $((N - 2)) ]; then pass "incremental: a source file rebuilds its translations"
else fail "incremental: a source file rebuilds its translations" "$(cat "$TMP/err.inc")"; fi
same "incremental: a source file, --jobs 2"

# Random edits: each round picks edits with a seed shown on failure.
seed=${WPGEN_TEST_SEED:-$(( $(date +%s) % 100000 ))}
mds=$(cd "$I/content" && find . -name '*.md' | LC_ALL=C sort)
nmd=$(echo "$mds" | wc -l)
round=1
while [ $round -le 5 ]; do
	r=$(awk -v s=$((seed * 10 + round)) 'BEGIN { srand(s); printf "%d %d %d", rand()*1000, rand()*1000, rand()*6 }')
	set -- $r
	f=$I/content/$(echo "$mds" | sed -n "$(( $1 % nmd + 1 ))p")
	case $3 in
	0) printf '\nRound %s adds a paragraph.\n' "$round" >>"$f" ;;
	1) # a word before the first line of plain text (not a heading,
	   # marker, list, table or footnote)
	   LC_ALL=C sed -i "0,/^[A-Za-z\xe3-\xe9]/s//Edited$round &/" "$f" ;;
	2) printf '\n## Added in round %s\n\nText.\n' "$round" >>"$f" ;;
	3) sed -i "s/^title: .*/title: {ja: 改訂$round, en: Revised $round}/" \
	    "$I/content/$(echo "$f" | sed "s|^$I/content/\./||; s|/.*||")/service.yaml" ;;
	4) printf '<!-- round %s -->\n' "$round" >>"$I/templates/base/heading.mustache" ;;
	5) printf '<!-- %s -->\n' "$round" >>"$I/content/aozora-o/assets/responsibility.svg" ;;
	esac
	build inc --jobs $(( round % 2 + 1 ))
	same "incremental: random round $round (seed $seed, edit $3)"
	round=$((round + 1))
done

# A corrupt manifest (cut short): a full build, the same site.
M=$I/inc/.wpgen-manifest
head -c 3000 "$M" >"$M.cut" && mv "$M.cut" "$M"
build inc
if [ -z "$(unchanged)" ]; then pass "incremental: corrupt manifest, full build"
else fail "incremental: corrupt manifest, full build" "$(cat "$TMP/err.inc")"; fi
same "incremental: corrupt manifest"
# A foreign one (another tool, the manifest sealed again so that it is
# the tool that tells: tests/manifest_seal.py): the same.
sed -i 's/^tool\t[0-9a-f]*$/tool\t00000000000000000000000000000000/' "$M"
python3 tests/manifest_seal.py "$M" || fail "incremental: foreign manifest sealed" "no seal"
build inc
if [ -z "$(unchanged)" ]; then pass "incremental: foreign manifest, full build"
else fail "incremental: foreign manifest, full build" "$(cat "$TMP/err.inc")"; fi
same "incremental: foreign manifest"
# A manifest of the previous format (JSON): the same.
printf '{"format":"wpgen-manifest 1","tool":"x","editions":[]}\n' >"$M"
build inc
if [ -z "$(unchanged)" ]; then pass "incremental: old manifest format, full build"
else fail "incremental: old manifest format, full build" "$(cat "$TMP/err.inc")"; fi
same "incremental: old manifest format"

# A manifest damaged where it still reads: its last line holds the digest
# of all before it (`end DIGEST`), so any byte changed means a full
# build.  Here one edition's record names another service (aozora-o's
# Japanese edition, the service unchanged since, would otherwise be
# taken as a service of English alone and its Japanese edition left out
# of the site), then a byte '9' at places spread through the file ('8'
# where a '9' is already: the place may fall in a digit of stat data,
# which differ from run to run).
build inc
build inc
sed -i 's/^edition\taozora-o\tja\t/edition\taozora-9\tja\t/' "$M"
printf '\nDamaged manifest.\n' >>"$I/content/minato-27017/en/01-introduction.md"
build inc
if [ -z "$(unchanged)" ]; then pass "incremental: an edition record damaged, full build"
else fail "incremental: an edition record damaged, full build" "$(cat "$TMP/err.inc")"; fi
same "incremental: an edition record damaged"
for k in 1 2 3 4 5 6 7; do
	build inc
	at=$(( $(stat -c %s "$M") * k / 8 ))
	change_byte "$M" "$at"
	build inc
	if [ -z "$(unchanged)" ]; then pass "incremental: byte $at of the manifest damaged, full build"
	else fail "incremental: byte $at of the manifest damaged, full build" "$(cat "$TMP/err.inc")"; fi
done
same "incremental: bytes of the manifest damaged"

# From here on aozora-o has a warning of its own (a revision with a git
# ref, the content in no repository): a service's problem, said once
# however many of its editions are kept or built (by a build that keeps
# one and builds the other, by one that builds it again in the site
# phase).
sed -i '0,/^    date: 2021-04-01$/s//    date: 2021-04-01\n    ref: v1/' "$I/content/aozora-o/service.yaml"
build inc
if grep -q "aozora-o/service.yaml:[0-9]*:[0-9]*: warning: .*\[no-repository\]" "$TMP/err.inc"; then
	pass "incremental: a service with a warning of its own"
else
	fail "incremental: a service with a warning of its own" "$(cat "$TMP/err.inc")"
fi

# The summaries lie in out/'s store (.wpgen-store), which the manifest
# names (`store ID`, the store's first line names itself), each
# edition's `sumat OFFSET LENGTH DIGEST` says where.  A store of another
# name, one cut short, or none: the summaries it should hold are as
# none, their editions built again (a no-op does not look at the store:
# here one file is edited), and the site is a clean build's.
S=$I/inc/.wpgen-store
sumat() {  # sumat SERVICE LANG: the offset and length of its summary
	awk -F '\t' -v s="$1" -v l="$2" '$1 == "edition" { e = $2 == s && $3 == l }
	    e && $1 == "sumat" { print $2, $3; exit }' "$M"
}
build inc
sed -i '1s/\t[0-9a-f]*$/\t0123456789abcdef0123456789abcdef/' "$S"
printf '\nStore of another name.\n' >>"$I/content/minato-27017/en/01-introduction.md"
build inc
if [ -z "$(unchanged)" ]; then pass "incremental: a store of another name, every edition rebuilt"
else fail "incremental: a store of another name, every edition rebuilt" "$(cat "$TMP/err.inc")"; fi
same "incremental: a store of another name"
# (cut after the first edition's summary: the others lie past its end)
set -- $(sumat aozora-o ja)
head -c $(($1 + $2)) "$S" >"$S.cut" && mv "$S.cut" "$S"
printf '\nStore cut short.\n' >>"$I/content/minato-27017/en/01-introduction.md"
build inc
if [ "$(unchanged)" = 1 ]; then pass "incremental: a store cut short, the summaries past its end rebuilt"
else fail "incremental: a store cut short, the summaries past its end rebuilt" "$(cat "$TMP/err.inc")"; fi
same "incremental: a store cut short"
rm "$S"
printf '\nNo store.\n' >>"$I/content/minato-27017/en/01-introduction.md"
build inc
if [ -z "$(unchanged)" ] && [ -f "$S" ]; then pass "incremental: no store, every edition rebuilt"
else fail "incremental: no store, every edition rebuilt" "$(cat "$TMP/err.inc")"; fi
same "incremental: no store"

# A summary whose bytes in the store are not those recorded (one byte of
# aozora-o en's changed in place) is read only when the site pages are
# made again: a build that does not make them (one paragraph added)
# keeps the edition as it is (the site pages, made before, are right);
# the next that does (another service's short title changed) builds that
# edition again, with its service's other, and the site is a clean
# build's.
build inc
set -- $(sumat aozora-o en) 0 0
at=$(($1 + $2 / 2))   # (0: no `sumat` record; the byte changed is then the first)
change_byte "$S" "$at"
printf '\nOne more paragraph.\n' >>"$I/content/minato-27017/en/01-introduction.md"
build inc
if [ "$(unchanged)" = $((N - 1)) ]; then pass "incremental: a summary that does not read, unread while the site pages stay"
else fail "incremental: a summary that does not read, unread while the site pages stay" "$(cat "$TMP/err.inc")"; fi
same "incremental: a summary that does not read, site pages kept"
sed -i 's/^short_title: .*/short_title: {ja: 改題, en: Renamed}/' "$I/content/minato-27017/service.yaml"
build inc
if [ "$(unchanged)" = $((N - 4)) ]; then pass "incremental: a summary that does not read, its service rebuilt"
else fail "incremental: a summary that does not read, its service rebuilt" "$(cat "$TMP/err.inc")"; fi
same "incremental: a summary that does not read"
# A service whose target edition changed (built) and whose source
# edition is kept, its summary one that does not read, with two jobs
# (another service's short title changed: the site pages made again):
# the service is built again by the build itself, in whichever process
# had it, and its kept edition is not kept again then (its summary
# unread: seen as "does not read though it has the digest", exit 3,
# when a worker had kept it).  Both ways round, so that one of the two
# services is a worker's.
for pair in "aozora-o minato-27017" "minato-27017 aozora-o"; do
	set -- $pair
	build inc
	set -- $1 $2 $(sumat "$1" ja) 0 0
	at=$(($3 + $4 / 2))
	change_byte "$S" "$at"
	printf '\nA target edition changed.\n' >>"$I/content/$1/en/$(ls "$I/content/$1/en" | head -n 1)"
	sed -i "s/^short_title: .*/short_title: {ja: 改題$1, en: Renamed $1}/" "$I/content/$2/service.yaml"
	build inc --jobs 2
	st=$?
	if [ $st = 0 ]; then pass "incremental: $1's kept summary does not read, --jobs 2"
	else fail "incremental: $1's kept summary does not read, --jobs 2" "exit $st: $(cat "$TMP/err.inc")"; fi
	same "incremental: $1's kept summary does not read, --jobs 2"
done

# Summaries that change are appended to the store; when its dead bytes
# pass the live ones a build writes a new store of the live ones alone,
# the store a clean build makes; the store never holds more than twice
# the live bytes (and its line).
live() { awk -F '\t' '$1 == "sumat" { n += $3 } END { print n + 0 }' "$M"; }
round=1 grew=0 compacted=0 bounded=1
while [ $round -le 6 ]; do
	size0=$(stat -c %s "$S")
	sed -i "s/^short_title: .*/short_title: {ja: 題$round, en: Title $round}/" "$I/content/minato-27017/service.yaml"
	build inc
	size=$(stat -c %s "$S")
	[ "$size" -gt "$size0" ] && grew=1
	[ "$size" -lt "$size0" ] && compacted=$round
	[ "$size" -le $((2 * $(live) + 47)) ] || bounded=0
	round=$((round + 1))
done
if [ $grew = 1 ] && [ $compacted != 0 ] && [ $bounded = 1 ]; then pass "incremental: the store appended to, then made anew"
else fail "incremental: the store appended to, then made anew" "grew $grew, made anew in round $compacted, bounded $bounded"; fi
same "incremental: the store appended to"
# (again until it is made anew: then it is a clean build's)
while [ $round -le 20 ]; do
	size0=$(stat -c %s "$S")
	sed -i "s/^short_title: .*/short_title: {ja: 題$round, en: Title $round}/" "$I/content/minato-27017/service.yaml"
	build inc
	[ "$(stat -c %s "$S")" -lt "$size0" ] && break
	round=$((round + 1))
done
same "incremental: the store made anew"
if cmp -s "$S" "$I/clean/.wpgen-store"; then pass "incremental: a store made anew is a clean build's"
else fail "incremental: a store made anew is a clean build's" "round $round: $(ls -l "$S" "$I/clean/.wpgen-store")"; fi

# A build stopped after it appended to the store, before it replaced the
# manifest (out/ as it was, the store with the new summaries after the
# old ones): the next build keeps what it can and makes the site a
# clean build's.
build inc
rm -rf "$TMP/stopped"
cp -R "$I/inc" "$TMP/stopped"
sed -i 's/^short_title: .*/short_title: {ja: 中断, en: Stopped}/' "$I/content/minato-27017/service.yaml"
build inc
size=$(stat -c %s "$S")
cp "$S" "$TMP/store.appended"
rm -rf "$I/inc"
cp -R "$TMP/stopped" "$I/inc"
cp "$TMP/store.appended" "$S"
build inc
if [ "$size" -gt "$(stat -c %s "$TMP/stopped/.wpgen-store")" ] && [ "$(unchanged)" = $((N - 2)) ]; then
	pass "incremental: stopped between the store's append and the manifest"
else
	fail "incremental: stopped between the store's append and the manifest" "$(cat "$TMP/err.inc")"
fi
same "incremental: stopped between the store's append and the manifest"
rm -rf "$TMP/stopped" "$TMP/store.appended"

# A summary whose bytes have the digest recorded is taken as it is: only
# a forged manifest and store can hold one that does not read (its
# digest written again: tests/manifest_forge.py).  Such a summary is read when the site
# pages are made again (here: another service's short title changed): the build
# then says so and fails (exit 3) leaving out/ as it was, and removes the
# manifest, so that the next build is a full one: never a wrong site.
settle_inc() { sleep 1.1; build inc; }
settle_inc
if python3 tests/manifest_forge.py "$M" aozora-o en; then
	sed -i 's/^short_title: .*/short_title: {ja: 偽造, en: Forged}/' "$I/content/minato-27017/service.yaml"
	cp -R "$I/inc" "$TMP/inc.before"
	build inc
	st=$?
	if [ $st = 3 ] && grep -q "internal-error" "$TMP/err.inc" && [ ! -e "$M" ] &&
	    diff -r -x .wpgen-manifest "$TMP/inc.before" "$I/inc" >/dev/null; then
		pass "incremental: a forged summary that does not read fails the build"
	else
		fail "incremental: a forged summary that does not read fails the build" "exit $st: $(cat "$TMP/err.inc")"
	fi
	rm -rf "$TMP/inc.before"
	build inc
	if [ -z "$(unchanged)" ]; then pass "incremental: after a forged summary, a full build"
	else fail "incremental: after a forged summary, a full build" "$(cat "$TMP/err.inc")"; fi
	same "incremental: after a forged summary"
else
	fail "incremental: a forged summary that does not read fails the build" "no summary of aozora-o en to forge"
fi

# Two editions' `sumat` records swapped (the manifest sealed again: as
# only a forger could; each still names bytes with the
# digest it records, but those of the other edition's summary): the site
# pages are then made again (their inputs are the summaries' digests in
# order), a summary is kept only for its own edition, so both are built
# again and the site is a clean build's, not one whose index lists
# aozora-o's languages the wrong way round.
build inc
awk -F '\t' '{ l[NR] = $0 } $1 == "edition" { e = $2 "/" $3 }
    $1 == "sumat" && e == "aozora-o/ja" { a = NR }
    $1 == "sumat" && e == "aozora-o/en" { b = NR }
    END { if (a && b) { t = l[a]; l[a] = l[b]; l[b] = t }
        for (i = 1; i <= NR; i++) print l[i] }' "$M" >"$M.swap" &&
    cat "$M.swap" >"$M" && rm -f "$M.swap" && python3 tests/manifest_seal.py "$M"
printf '\nYet one more paragraph.\n' >>"$I/content/minato-27017/en/01-introduction.md"
build inc
if [ "$(unchanged)" = $((N - 3)) ]; then pass "incremental: summaries of two editions swapped, both rebuilt"
else fail "incremental: summaries of two editions swapped, both rebuilt" "$(cat "$TMP/err.inc")"; fi
same "incremental: summaries of two editions swapped"

# snap: every file of out/ with its inode and mtime (what a build that
# writes nothing leaves as it was).
snap() { (cd "$I/inc" && find . -type f ! -name .wpgen-manifest -printf '%i %T@ %p\n' | LC_ALL=C sort -k3); }
sleep 1.1   # past the second in which the files above were written
build inc
snap >"$TMP/snap1"
build inc
snap >"$TMP/snap2"
if [ "$(unchanged)" = "$N" ] && cmp -s "$TMP/snap1" "$TMP/snap2"; then
	pass "incremental: a no-op build writes nothing into out/"
else
	fail "incremental: a no-op build writes nothing into out/" "$(diff "$TMP/snap1" "$TMP/snap2" | head -5)"
fi
# A file touched but not changed: still unchanged (its content decides).
touch "$I/content/aozora-o/en/03-governance.md" "$I/content/aozora-o/service.yaml"
build inc
if [ "$(unchanged)" = "$N" ]; then pass "incremental: touched, unchanged"
else fail "incremental: touched, unchanged" "$(cat "$TMP/err.inc")"; fi
same "incremental: touched files"
# An edit in place that keeps the size, the mtime and the inode: one
# byte overwritten, the mtime set back (the ctime still tells).
f=$I/content/kirishima-vm/en/$(ls "$I/content/kirishima-vm/en" | grep '\.md$' | head -n 1)
sleep 1.1
build inc
snap >"$TMP/snap1"
t=$(stat -c %y "$f")
i0=$(stat -c %i "$f")
at=$(LC_ALL=C grep -bo '[a-z]' "$f" | head -n 1 | cut -d: -f1)
printf 'X' | dd of="$f" bs=1 seek="$at" conv=notrunc 2>/dev/null
touch -d "$t" "$f"
[ "$(stat -c %i "$f")" = "$i0" ] || fail "incremental: the edit in place kept the inode"
build inc
snap >"$TMP/snap2"
if [ "$(unchanged)" = $((N - 1)) ]; then pass "incremental: same size and mtime, edited"
else fail "incremental: same size and mtime, edited" "$(cat "$TMP/err.inc")"; fi
same "incremental: same size and mtime"
# Only that edition's files were written again; the others stay as they
# were (the same inodes and times).
changed=$(diff "$TMP/snap1" "$TMP/snap2" | sed -n 's/^> [0-9]* [0-9.]* \.\/\([^/]*\/[^/]*\)\/.*/\1/p' | sort -u | tr '\n' ' ')
if [ "$changed" = "kirishima-vm/en " ]; then pass "incremental: one edition's files rewritten, no other"
else fail "incremental: one edition's files rewritten, no other" "rewritten: $changed"; fi
# A service deleted, then one added: the site as a clean build makes it.
mv "$I/content/kirishima-vm" "$I/kirishima-vm"
build inc
same "incremental: a service deleted"
if [ ! -e "$I/inc/kirishima-vm" ]; then pass "incremental: a deleted service's pages are removed"
else fail "incremental: a deleted service's pages are removed" "$(ls "$I/inc/kirishima-vm")"; fi
mv "$I/kirishima-vm" "$I/content/kirishima-vm"
build inc
same "incremental: a service added"
# Only some services (--service): out/ holds only them, then all again.
build inc --service aozora-o
rm -rf "$I/clean"
build clean --jobs 1 --service aozora-o
if diff -r -x .wpgen-manifest -x .wpgen-store "$I/clean" "$I/inc" >"$TMP/diff" 2>&1; then pass "incremental: --service keeps only that service"
else fail "incremental: --service keeps only that service" "$(head -c 600 "$TMP/diff")"; fi
build inc
same "incremental: every service again"
# An output changed by hand is written again.
build inc
printf 'tampered' >>"$I/inc/aozora-o/ja/index.html"
rm "$I/inc/aozora-o/en/xref.csv"
build inc
if [ "$(unchanged)" = $((N - 2)) ]; then pass "incremental: changed outputs rebuilt"
else fail "incremental: changed outputs rebuilt" "$(cat "$TMP/err.inc")"; fi
same "incremental: changed outputs"
# The site's pages in its language, index.html and coverage.html, are
# the same files as index.LANG.html and coverage.LANG.html: one file,
# two names; a name replaced by hand gets the page again, as one file.
linked() {  # linked: whether both pages have both names of one file
	_l=$(sed -n 's/^<html lang="\([^"]*\)".*/\1/p' "$I/inc/index.html")
	[ -n "$_l" ] && for _p in index coverage; do
		[ "$(stat -c %i "$I/inc/$_p.html")" = "$(stat -c %i "$I/inc/$_p.$_l.html")" ] ||
		    return 1
	done
}
if linked; then pass "incremental: the site's language pages, one file each"
else fail "incremental: the site's language pages, one file each" "$(ls -li "$I/inc" | head)"; fi
rm "$I/inc/coverage.html"
printf 'by hand\n' >"$I/inc/coverage.html"
build inc
if linked && [ "$(unchanged)" = "$N" ]; then pass "incremental: a site page replaced by hand made again, one file"
else fail "incremental: a site page replaced by hand made again, one file" "$(ls -li "$I/inc" | head; cat "$TMP/err.inc")"; fi
same "incremental: a site page replaced by hand"
# A failed build leaves out/ and its manifest as they were.
cp -R "$I/inc" "$I/before"
printf '\n<ISO/IEC 27017 99.9.9>\n' >>"$I/content/aozora-o/ja/01-introduction.md"
build inc
if [ $? = 1 ] && diff -r "$I/before" "$I/inc" >/dev/null; then
	pass "incremental: a failed build changes nothing"
else
	fail "incremental: a failed build changes nothing"
fi

# The templates' problems (here: no labels for a language) are said by a
# build that makes no page too, as a clean build says them.
sed -i 's/^\(ISO\/IEC 27017\) 99.9.9/\1/; /<ISO\/IEC 27017 99.9.9>/d' "$I/content/aozora-o/ja/01-introduction.md"
sed -i 's/^languages: \[ja, en\]$/languages: [ja, en, zh]/' "$I/content/aozora-o/service.yaml"
build inc
sleep 1.1
build inc
if [ "$(unchanged)" = $((N + 1)) ] && grep -q 'missing-labels' "$TMP/err.inc"; then
	pass "incremental: a no-op build says the templates' problems"
else
	fail "incremental: a no-op build says the templates' problems" "$(cat "$TMP/err.inc")"
fi
same "incremental: templates' problems"

# A directory of out/ replaced by a symbolic link to one outside: an
# incremental build writes nothing through it (it stops, exit 3, and the
# next build is a full one, into a new directory).
sleep 1.1
build inc
mkdir -p "$I/elsewhere"
mv "$I/inc/aozora-o" "$I/elsewhere/aozora-o"
ln -s "$I/elsewhere/aozora-o" "$I/inc/aozora-o"
(cd "$I/elsewhere" && find . -printf '%i %T@ %s %p\n' | LC_ALL=C sort -k4) >"$TMP/else1"
printf '\nOne more line.\n' >>"$I/content/aozora-o/en/03-governance.md"
build inc
st=$?
(cd "$I/elsewhere" && find . -printf '%i %T@ %s %p\n' | LC_ALL=C sort -k4) >"$TMP/else2"
if [ $st = 3 ] && cmp -s "$TMP/else1" "$TMP/else2" &&
    grep -qxF "$I/inc/aozora-o: error: not a directory but a symbolic link (which could lead outside the output directory): aozora-o/en/index.html cannot be put under it; move it away and build again [io-error]" "$TMP/err.inc"; then
	pass "incremental: nothing written through a symbolic link in out/"
else
	fail "incremental: nothing written through a symbolic link in out/" "exit $st: $(cat "$TMP/err.inc"; diff "$TMP/else1" "$TMP/else2" | head -3)"
fi
build inc
same "incremental: after a symbolic link in out/"
if [ -d "$I/elsewhere/aozora-o/ja" ]; then pass "incremental: the linked directory is left alone"
else fail "incremental: the linked directory is left alone"; fi

# The manifest says the same of the inputs whichever process built a
# service: its files' and directories' records (but for their stat data,
# and in path order) from --jobs 1 and --jobs 2 are the same.  A
# service's directory is noted by the parent among the content's (the
# digest of its names taken only when its stat data are not settled:
# hence the wait) and again by the walk of the service, in the process
# that builds it; a worker's walk was lost.
records() {  # records OUT: kind, digest, settled flag and path of each
	awk -F '\t' '$1 == "file" || $1 == "dir" { print $1, $2, $3, $NF }' \
	    "$I/$1/.wpgen-manifest" | LC_ALL=C sort -k4
}
sleep 1.1
rm -rf "$I/jobs1" "$I/jobs2"
build jobs1 --jobs 1
build jobs2 --jobs 2
records jobs1 >"$TMP/records1"
records jobs2 >"$TMP/records2"
if [ -s "$TMP/records1" ] && grep -q "^dir [0-9a-f]\{32\} 1 $I/content/aozora-o\$" "$TMP/records1" &&
    cmp -s "$TMP/records1" "$TMP/records2"; then
	pass "incremental: the manifest's inputs with 1 and 2 jobs"
else
	fail "incremental: the manifest's inputs with 1 and 2 jobs" "$(grep "content/aozora-o\$" "$TMP/records1"; diff "$TMP/records1" "$TMP/records2" | head -8)"
fi

# Something not wpgen's where the new store of summaries goes (a
# directory at out/.wpgen-store, the store a build had made gone): the
# build fails (exit 3) with one error, naming that place and what to
# do, not the manifest; once it is moved away, the next build makes the site a
# clean build's.
build inc
rm "$I/inc/.wpgen-store"
mkdir "$I/inc/.wpgen-store"
printf '\nA store that is a directory.\n' >>"$I/content/aozora-o/ja/01-introduction.md"
build inc
st=$?
printf '%s\n' "$I/inc/.wpgen-store: error: cannot put the new store of summaries in its place: Is a directory; move away what is there and build again [io-error]" >"$TMP/want"
grep ': error: ' "$TMP/err.inc" >"$TMP/got"
if [ $st = 3 ] && cmp -s "$TMP/got" "$TMP/want"; then
	pass "incremental: a directory where the store goes, said"
else
	fail "incremental: a directory where the store goes, said" "exit $st: $(diff "$TMP/want" "$TMP/got")"
fi
rmdir "$I/inc/.wpgen-store"
build inc
same "incremental: after a directory where the store goes"
