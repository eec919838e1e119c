# tests/cli/browser.sh: every kind of page wpgen makes, opened in headless
# Chromium at 1280 px and 390 px (tests/cli/browser.py): an edition of
# each style (fjcloud, idcf, cps-vm) in Japanese and in English, a plain
# document (no controls) in Japanese, the site index and the coverage
# page of the sample content (each in Japanese and English), a
# redline in each language (wpgen diff
# --format html), and the same kinds of page of the test corpus
# (tests/browser_corpus.py: 20 services, controls three heading levels
# down, a document without controls, an English edition translated at
# 20%, a redline page published by a build; what their pages say is
# checked first with XPath assertions): no console error, no
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

# What the corpus's pages say (issue 12), before they are opened: the
# contents of s01 list all 121 controls three levels down; s02, without
# controls, has no appendix, no badge and no coverage column; s20 (no
# `catalogs`) shows only the standard it addresses; s03's English
# edition is 20% translated; s05 (Japanese only) stands in its own
# language on the English pages; each coverage page's columns are the
# editions in its language, and the ISO/IEC 27001:2022 table, which no
# service addresses directly, shows what the mapping covers (marked) and
# `-` for the rest; the appendix's mapping column links rows that are
# there; every heading of the redline links to itself.
XPATHCHECK=${XPATHCHECK:-$PWD/build/asan/xpathcheck}
tab=$(printf '\t')
sed "s/|TAB|/$tab/g" >"$C/xpath" <<'XPATH'
s01/ja/index.html|TAB|count(//nav[@id="wp-toc"]//li[contains(@class,"wp-toc-control")])|TAB|121
s01/en/index.html|TAB|count(//nav[@id="wp-toc"]//li[contains(@class,"wp-toc-control")])|TAB|121
s01/ja/index.html|TAB|(//nav[@id="wp-toc"]//li[contains(@class,"wp-toc-control")])[121]/a/@href|TAB|#ctl-18.2.3
s02/ja/index.html|TAB|count(//*[contains(@class,"wp-appendix") or contains(@class,"wp-controls")])|TAB|0
s02/en/index.html|TAB|count(//*[contains(@class,"wp-appendix") or contains(@class,"wp-controls")])|TAB|0
index.html|TAB|//li[@id="wp-service-s02"]//p[@class="wp-service-kind"]|TAB|概要資料 (管理策の記載はありません)
index.en.html|TAB|//li[@id="wp-service-s02"]//p[@class="wp-service-kind"]|TAB|Overview (addresses no controls)
index.html|TAB|//li[@id="wp-service-s01"]//span[@class="wp-badge"]|TAB|ISO/IEC 27017:2015 | ISO/IEC 27001:2022
index.html|TAB|//li[@id="wp-service-s20"]//span[@class="wp-badge"]|TAB|ISO/IEC 27017:2015
index.en.html|TAB|//li[@id="wp-service-s03"]//ul[@class="wp-service-editions"]/li|TAB|日本語: original | English: 20% translated
index.html|TAB|//li[@id="wp-service-s03"]//ul[@class="wp-service-editions"]/li|TAB|日本語: 原文 | English: 20% 翻訳済み
index.en.html|TAB|//li[@id="wp-service-s05"]/article/h2/@lang|TAB|ja
index.en.html|TAB|//p[@class="wp-site-links"]/a/@href|TAB|coverage.en.html
coverage.ja.html|TAB|//section[@id="wp-cov-iso27017-2015"]//thead/tr/th[@class="wp-cov-service"]/a|TAB|仮想サーバー | ブロック | オブジェクト | ファイル | LB | DNS | CDN | RDB | キャッシュ | キュー | コンテナ | 関数 | 監視 | ログ | バックアップ | ID | 鍵管理 | VPN | 専用線
coverage.en.html|TAB|//section[@id="wp-cov-iso27017-2015"]//thead/tr/th[@class="wp-cov-service"]/a|TAB|VS | Block | Object | ファイル | LB | DNS | CDN | RDB | Cache | Queue | Containers | Functions | Monitoring | Logs | Backup | Identity | Keys | VPN | Lines
coverage.en.html|TAB|//section[@id="wp-cov-iso27017-2015"]//thead/tr/th[@class="wp-cov-service"][4]/a/@hreflang|TAB|ja
coverage.en.html|TAB|//ul[@class="wp-langs"]/li/a/@href|TAB|coverage.ja.html
coverage.ja.html|TAB|count(//section[@id="wp-cov-iso27001-2022"]//thead/tr/th[@class="wp-cov-service"])|TAB|19
coverage.ja.html|TAB|count(//section[@id="wp-cov-iso27001-2022"]//td[contains(@class,"wp-addressed")])|TAB|0
coverage.ja.html|TAB|count(//section[@id="wp-cov-iso27001-2022"]//td[contains(@class,"wp-cov-via")])|TAB|1156
coverage.ja.html|TAB|count(//section[@id="wp-cov-iso27001-2022"]//td[contains(@class,"wp-cov-cell")][not(contains(@class,"wp-cov-via"))][span[@class="wp-none"]="-"])|TAB|611
coverage.ja.html|TAB|//section[@id="wp-cov-iso27001-2022"]//dl[@class="wp-cov-legend"]/div[dt/abbr="専用線"]//span[@class="wp-cov-count"]|TAB|0 / 93 対応済み +37 対応付け経由
s20/ja/index.html|TAB|count(//table[contains(@class,"wp-xref-table")]//tr[contains(@class,"wp-covered-via")])|TAB|37
s20/ja/index.html|TAB|count(//td[@class="wp-xref-maps"]/a)|TAB|230
s20/ja/index.html|TAB|count(//td[@class="wp-xref-maps"]/a[not(substring(@href,2)=//tr/@id)])|TAB|0
s04/ja/changes-2.0.html|TAB|count(//main//*[contains(@class,"wp-heading")])|TAB|125
s04/ja/changes-2.0.html|TAB|count(//main//*[contains(@class,"wp-heading")][not(a[@class="wp-anchor"][substring(@href,2)=../@id])])|TAB|0
XPATH
if "$XPATHCHECK" "$C/out" "$C/xpath" >"$TMP/xp" 2>&1; then
	pass "browser/corpus-pages"
else
	fail "browser/corpus-pages" "$(head -c 1500 "$TMP/xp")"
fi

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
    coverage=$B/out/coverage.html coverage-en=$B/out/coverage.en.html \
    redline-ja=$B/out/redline-ja.html redline-en=$B/out/redline-en.html \
    corpus-deep-ja=$C/out/s01/ja/index.html \
    corpus-deep-en=$C/out/s01/en/index.html \
    corpus-plain-ja=$C/out/s02/ja/index.html \
    corpus-plain-en=$C/out/s02/en/index.html \
    corpus-20pc-en=$C/out/s03/en/index.html \
    corpus-redline-ja=$C/out/s04/ja/changes-2.0.html \
    corpus-index=$C/out/index.html corpus-index-en=$C/out/index.en.html \
    corpus-coverage=$C/out/coverage.html \
    corpus-coverage-en=$C/out/coverage.en.html
