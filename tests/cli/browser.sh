# tests/cli/browser.sh: every kind of page wpgen makes, opened in headless
# Chromium at 1280 px and 390 px (tests/cli/browser.py): an edition of
# each style (fjcloud, idcf, cps-vm) in Japanese and in English, a plain
# document (no controls) in Japanese, the site index and the coverage
# page of the sample content, a redline in each language (wpgen diff
# --format html), and the same kinds of page of the test corpus
# (tests/browser_corpus.py: 20 services, controls three heading levels
# down, a document without controls, an English edition translated at
# 20%, a redline page published by a build): no console error, no
# sideways scrolling of the page, every in-page link has its target, no
# Japanese date broken across lines, axe-core finds no serious or
# critical violation, and the coverage table keeps its header row and
# first column on screen when scrolled.  Screenshots of each page at
# each width are left in build/browser-shots/ to be looked at.
# axe-core comes from node_modules/ (./build.sh test installs it).
. tests/lib.sh

AXE=$PWD/node_modules/axe-core/axe.min.js
if ! command -v chromium >/dev/null 2>&1; then
	echo "SKIP: browser: no chromium (./build.sh test installs it)"
	exit 0
fi
if [ ! -f "$AXE" ]; then
	echo "SKIP: browser: no $AXE (./build.sh test installs axe-core with npm)"
	exit 0
fi

B=$TMP/browser
mkdir -p "$B"
expect_status "browser/build" 0 "$WPGEN" build --content content \
    --templates "$PWD/templates" --out "$B/out" --quiet
# A redline of a real-sized edition in each language (wpgen diff, one
# file): a section inserted before others (renumbered), one removed with
# its table and footnote (4.4), a controls list and a phrase changed.
mkdir -p "$B/edit"
cp -r content/aozora-o "$B/edit/"
for l in ja en; do
	sed -i 's/^## 3\.5 /## 3.6 /; s/^## 3\.4 /## 3.5 /; s/^## 3\.3 /## 3.4 /' "$B/edit/aozora-o/$l/03-governance.md"
	if [ $l = ja ]; then
		sed -i '/^## 3\.4 /i ## 3.3 セキュリティ責任者\n\nサービスごとにセキュリティ責任者を置いています。\n' "$B/edit/aozora-o/$l/03-governance.md"
		sed -i '0,/。$/s/。$/(2026 年改訂)。/' "$B/edit/aozora-o/$l/01-introduction.md"
	else
		sed -i '/^## 3\.4 /i ## 3.3 Security owners\n\nEach service has a security owner.\n' "$B/edit/aozora-o/$l/03-governance.md"
		sed -i '0,/\.$/s/\.$/ (revised in 2026)./' "$B/edit/aozora-o/$l/01-introduction.md"
	fi
	sed -i '/^## 4\.4 /,$d' "$B/edit/aozora-o/$l/04-access.md"
	sed -i 's/^<ISO\/IEC 27017 6\.1\.1, 6\.1\.2>$/<ISO\/IEC 27017 6.1.1, 6.1.2, 6.1.5>/' "$B/edit/aozora-o/$l/03-governance.md"
	# The edits above did what they say (a sed that no longer matches
	# the sample changes nothing): one added, one removed, renumbered.
	"$WPGEN" diff content/aozora-o/$l "$B/edit/aozora-o/$l" --content content \
	    --templates "$PWD/templates" --format json >"$TMP/counts.json"
	got=$(python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(d["added"], d["removed"], d["renumbered"] >= 2)' "$TMP/counts.json")
	if [ "$got" = "1 1 True" ]; then pass "browser/redline-$l-edits"
	else fail "browser/redline-$l-edits" "added, removed, renumbered >= 2: '$got'"; fi
	expect_status "browser/redline-$l" 0 "$WPGEN" diff content/aozora-o/$l \
	    "$B/edit/aozora-o/$l" --content content --templates "$PWD/templates" \
	    --format html --output "$B/out/redline-$l.html"
done

# The corpus: written at stage 1, committed and tagged v1 (s04's first
# revision), then at stage 2 and committed, so that s04 gets a redline.
C=$TMP/corpus
G="git -c user.name=test -c user.email=test@example.com -c init.defaultBranch=main"
python3 tests/browser_corpus.py content/catalogs "$C/content" 1 &&
    (cd "$C" && $G init -q && $G add -A && $G commit -qm v1 && $G tag v1) &&
    python3 tests/browser_corpus.py content/catalogs "$C/content" 2 &&
    (cd "$C" && $G add -A && $G commit -qm v2) ||
    fail "browser/corpus" "could not write the corpus"
expect_status "browser/corpus-build" 0 "$WPGEN" build --content "$C/content" \
    --templates "$PWD/templates" --out "$C/out" --quiet
if [ -f "$C/out/s04/ja/changes-2.0.html" ]; then pass "browser/corpus-redline"
else fail "browser/corpus-redline" "no s04/ja/changes-2.0.html"; fi

SHOTS=$PWD/build/browser-shots
rm -rf "$SHOTS"
python3 tests/cli/browser.py "$AXE" "$SHOTS" \
    fjcloud-ja=$B/out/aozora-o/ja/index.html \
    fjcloud-en=$B/out/aozora-o/en/index.html \
    idcf-ja=$B/out/minato-27017/ja/index.html \
    idcf-en=$B/out/minato-27017/en/index.html \
    cps-vm-ja=$B/out/kirishima-vm/ja/index.html \
    cps-vm-en=$B/out/kirishima-vm/en/index.html \
    plain-ja=$B/out/aozora-security/ja/index.html \
    index=$B/out/index.html index-en=$B/out/index.en.html \
    coverage=$B/out/coverage.html \
    redline-ja=$B/out/redline-ja.html redline-en=$B/out/redline-en.html \
    corpus-deep-ja=$C/out/s01/ja/index.html \
    corpus-deep-en=$C/out/s01/en/index.html \
    corpus-plain-ja=$C/out/s02/ja/index.html \
    corpus-plain-en=$C/out/s02/en/index.html \
    corpus-20pc-en=$C/out/s03/en/index.html \
    corpus-redline-ja=$C/out/s04/ja/changes-2.0.html \
    corpus-index=$C/out/index.html corpus-index-en=$C/out/index.en.html \
    corpus-coverage=$C/out/coverage.html
