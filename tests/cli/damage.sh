# tests/cli/damage.sh: whatever happens to the files a build keeps in
# out/ for the next one (the manifest, the store of summaries, the
# packed catalogs: a byte changed, cut short, removed), the next build
# makes the site a clean build makes, says what it says, and exits as
# it does: never a wrong site.  Random rounds, each with an edit of the
# content or none and one or two kinds of damage, with a seed shown on
# failure (WPGEN_TEST_SEED replays one).
. tests/lib.sh

D=$TMP/damage
mkdir -p "$D"
cp -R content "$D/content"
cp -R templates "$D/templates"
export SOURCE_DATE_EPOCH=1700000000
# A service with a warning of its own, said again by every build that
# keeps it (a revision's git ref, the content in no repository).
sed -i '0,/^    date: 2021-04-01$/s//    date: 2021-04-01\n    ref: v1/' \
    "$D/content/aozora-o/service.yaml"

build() {  # build OUT [options]
	_o=$1; shift
	"$WPGEN" build --content "$D/content" --templates "$D/templates" \
	    --out "$D/$_o" "$@" >"$TMP/out" 2>"$TMP/err.$_o"
}

# rand N: R, a number below N, the next of the round's sequence.
draw=0
rand() {
	draw=$((draw + 1))
	R=$(awk -v s=$((seed * 1000 + round * 10 + draw)) -v n="$1" \
	    'BEGIN { srand(s); print int(rand() * n) }')
}

# damage FILE: one byte changed at a random place (to another than the
# one there), the file cut short, or removed; said is told which.
damage() {
	[ -f "$1" ] || return 0
	size=$(stat -c %s "$1")
	[ "$size" -gt 0 ] || return 0
	rand "$size"; at=$R
	rand 4
	case $R in
	0|1) change_byte "$1" "$at"
	     said="$said, byte $at of $(basename "$1")" ;;
	2) head -c "$at" "$1" >"$1.cut" && cat "$1.cut" >"$1" && rm -f "$1.cut"
	   said="$said, $(basename "$1") cut at $at" ;;
	3) rm -f "$1"
	   said="$said, $(basename "$1") removed" ;;
	esac
}

seed=${WPGEN_TEST_SEED:-$(( $(date +%s) % 100000 ))}
mds=$(cd "$D/content" && find . -name '*.md' | LC_ALL=C sort)
nmd=$(echo "$mds" | wc -l)
build out
round=1
while [ $round -le 10 ]; do
	draw=0
	rand "$nmd"
	f=$D/content/$(echo "$mds" | sed -n "$((R + 1))p")
	rand 4
	case $R in
	0) printf '\nRound %s adds a paragraph.\n' "$round" >>"$f"; what="a paragraph" ;;
	1) sed -i "s/^short_title: .*/short_title: {ja: 略$round, en: Short $round}/" \
	    "$D/content/$(echo "$f" | sed "s|^$D/content/\./||; s|/.*||")/service.yaml"
	   what="a short title" ;;
	*) what="no edit" ;;
	esac
	said=""
	rand 2
	for k in $(seq $((R + 1))); do
		rand 3
		case $R in
		0) damage "$D/out/.wpgen-manifest" ;;
		1) damage "$D/out/.wpgen-store" ;;
		2) damage "$D/out/.wpgen-catalogs" ;;
		esac
	done
	build out --jobs $(( round % 2 + 1 ))
	st=$?
	rm -rf "$D/clean"
	build clean --jobs 1
	cst=$?
	if [ $st = $cst ] &&
	    diff -r -x .wpgen-manifest -x .wpgen-store -x .wpgen-catalogs "$D/clean" "$D/out" >"$TMP/diff" 2>&1 &&
	    sed "s/([0-9]* unchanged, /(/; s|$D/out/|$D/clean/|" "$TMP/err.out" | cmp -s - "$TMP/err.clean"; then
		pass "damage: round $round (seed $seed: $what$said)"
	else
		fail "damage: round $round (seed $seed: $what$said)" "exit $st, clean $cst: $(head -c 600 "$TMP/diff"; diff "$TMP/err.clean" "$TMP/err.out" | head -5)"
	fi
	round=$((round + 1))
done

# The files kept for the next build are whole again after such a build:
# the build after it, with nothing changed, keeps every edition.
sleep 1.1   # (past the second of the files written last)
build out
build out
n=$(sed -n 's/^built \([0-9]*\) editions.*/\1/p' "$TMP/err.out")
if [ -n "$n" ] && grep -q "($n unchanged, " "$TMP/err.out"; then
	pass "damage: after the rounds, a no-op keeps every edition"
else
	fail "damage: after the rounds, a no-op keeps every edition" "$(cat "$TMP/err.out")"
fi
