# tests/cli/incremental.sh: a build rewrites only the editions whose inputs
# changed, and its out/ is byte for byte what a clean build makes: after
# random edits of the Markdown, service.yaml, the lock, images and
# templates, with one job and two; a corrupt or foreign manifest, or an
# output changed by hand, gives a full build, never a wrong site.
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
# same NAME: the incremental out/ equals a clean build of the same input,
# files and diagnostics (the summary line says how many were unchanged).
same() {
	rm -rf "$I/clean"
	build clean --jobs 1
	if diff -r "$I/clean" "$I/inc" >"$TMP/diff" 2>&1 &&
	    sed "s/([0-9]* unchanged, /(/; s|$I/inc/|$I/clean/|" "$TMP/err.inc" |
	    cmp -s - "$TMP/err.clean"; then
		pass "$1"
	else
		fail "$1" "$(head -c 600 "$TMP/diff"; diff "$TMP/err.clean" "$TMP/err.inc" | head -5)"
	fi
}
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

# A corrupt manifest: a full build, the same site.
printf '{"format": "wpgen-manifest 1", "tool": ' >"$I/inc/.wpgen-manifest.json"
build inc
if [ -z "$(unchanged)" ]; then pass "incremental: corrupt manifest, full build"
else fail "incremental: corrupt manifest, full build" "$(cat "$TMP/err.inc")"; fi
same "incremental: corrupt manifest"
# A foreign one (another tool): the same.
sed -i 's/"tool":"[0-9a-f]*"/"tool":"00000000000000000000000000000000"/' "$I/inc/.wpgen-manifest.json"
build inc
if [ -z "$(unchanged)" ]; then pass "incremental: foreign manifest, full build"
else fail "incremental: foreign manifest, full build" "$(cat "$TMP/err.inc")"; fi
same "incremental: foreign manifest"
# An output changed by hand is written again.
printf 'tampered' >>"$I/inc/aozora-o/ja/index.html"
rm "$I/inc/aozora-o/en/xref.csv"
build inc
if [ "$(unchanged)" = $((N - 2)) ]; then pass "incremental: changed outputs rebuilt"
else fail "incremental: changed outputs rebuilt" "$(cat "$TMP/err.inc")"; fi
same "incremental: changed outputs"
# A failed build leaves out/ and its manifest as they were.
cp -R "$I/inc" "$I/before"
printf '\n<ISO/IEC 27017 99.9.9>\n' >>"$I/content/aozora-o/ja/01-introduction.md"
build inc
if [ $? = 1 ] && diff -r "$I/before" "$I/inc" >/dev/null; then
	pass "incremental: a failed build changes nothing"
else
	fail "incremental: a failed build changes nothing"
fi
