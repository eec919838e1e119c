# tests/cli/browser.sh: every kind of page wpgen makes, opened in headless
# Chromium at 1280 px and 390 px (tests/cli/browser.py): an edition of
# each style (fjcloud, idcf, cps-vm) in Japanese and in English, the site
# index and the coverage page of the sample content: no console error, no
# sideways scrolling of the page, every in-page link has its target, and
# axe-core finds no serious or critical violation.  Screenshots of each
# page at each width are left in build/browser-shots/ to be looked at.
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
SHOTS=$PWD/build/browser-shots
rm -rf "$SHOTS"
cd "$B/out" && python3 "$OLDPWD/tests/cli/browser.py" "$AXE" "$SHOTS" \
    fjcloud-ja=aozora-o/ja/index.html fjcloud-en=aozora-o/en/index.html \
    idcf-ja=minato-27017/ja/index.html idcf-en=minato-27017/en/index.html \
    cps-vm-ja=kirishima-vm/ja/index.html cps-vm-en=kirishima-vm/en/index.html \
    index=index.html coverage=coverage.html
