# tests/cli/pdf_redline.sh: redlines as PDFs, and what WeasyPrint may
# read.  `wpgen diff --format pdf` in both forms (two files; SERVICE
# --from REV) and its errors; the redline PDF that `build --pdf`
# publishes beside each published redline, linked from the redline page
# and the revision history, copied when unchanged; the PDF of an archived
# edition (archive: true), linked from its cover and the history; and the URL policy of
# the PDFs: a remote image, a CSS url(), file: URLs out of the tree and
# an attachment are not fetched (a local listener gets no connection,
# strace sees no open of the files), the PDF still builds and shows the
# images' alt text.  A small service keeps it fast (each PDF is a
# WeasyPrint run).
. tests/lib.sh

for tool in weasyprint pdftotext pdfinfo pdfimages pdfdetach qpdf python3 xmllint git strace; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "SKIP: pdf-redline tests: $tool is not installed (./build.sh test installs it)"
		exit 0
	fi
done

xp() { xmllint --html --xpath "$2" "$1" 2>/dev/null; }
# same NAME GOT WANT
same() {
	if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "got '$2', want '$3'"; fi
}
# A 1x1 PNG.
png() { echo iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg== | base64 -d >"$1"; }

# ---- a small service in git: 1.0 tagged v1.0, 1.1 in the working tree
G="git -c user.name=test -c user.email=test@example.com -c init.defaultBranch=main"
site=$TMP/site
c=$site/content/tiny
mkdir -p "$c/ja" "$c/en" "$site/content/catalogs"
cat >"$c/service.yaml" <<'YAML'
style: fjcloud
languages: [ja, en]
title: {ja: タイニー クラウド セキュリティ概要, en: Tiny Cloud Security Overview}
provider: {ja: タイニー株式会社, en: Tiny Inc.}
copyright: {ja: "© 2026 タイニー株式会社", en: "© 2026 Tiny Inc."}
archive: true
revisions:
  - version: "1.0"
    date: 2026-01-20
    changes: {ja: [初版], en: [First edition]}
YAML
cat >"$c/ja/01-intro.md" <<'MD'
# 1. はじめに

当社は、お客様のデータを暗号化して保管します。

# 2. 運用

障害は速やかにお知らせします。
MD
cat >"$c/en/01-intro.md" <<'MD'
# 1. Introduction

We store customer data encrypted.

# 2. Operations

We report incidents promptly.
MD
(cd "$site" && $G init -q && $G add -A && $G commit -qm 1.0 && $G tag v1.0)
sed -i 's/^    date: 2026-01-20$/&\n    ref: v1.0/' "$c/service.yaml"
cat >>"$c/service.yaml" <<'YAML'
  - version: "1.1"
    date: 2026-06-01
    changes: {ja: [2 を改訂], en: [Section 2 revised]}
YAML
sed -i 's/速やかに/直ちに/' "$c/ja/01-intro.md"
sed -i 's/promptly/immediately/' "$c/en/01-intro.md"

# ---- build --pdf: the redline's PDF beside its page
expect_status "pdf-redline/build" 0 "$WPGEN" build --content "$site/content" \
    --out "$site/out" --lang ja --pdf --quiet
ja=$site/out/tiny/ja
R=$ja/changes-1.1.pdf
if [ -f "$R" ]; then pass "pdf-redline/build-made"; else fail "pdf-redline/build-made" "no $R"; fi
same "pdf-redline/link-from-redline" \
    "$(xp "$ja/changes-1.1.html" 'string(//p[@class="wp-redline-pdf"]/a/@href)')" \
    "changes-1.1.pdf"
same "pdf-redline/link-from-history" \
    "$(xp "$ja/index.html" 'concat(//tr[.//span[@class="wp-version"]="1.1"]//a[@class="wp-rev-redline"]/@href, " ", //tr[.//span[@class="wp-version"]="1.1"]//a[@class="wp-rev-redline-pdf"]/@href, " ", count(//a[@class="wp-rev-redline-pdf"]))')" \
    "changes-1.1.html changes-1.1.pdf 1"
# archive: true: the archived edition 1.0 gets its PDF too, beside its
# page, linked from its cover as an edition's is and from the revision
# history beside "この版の全文"; the text and date of 1.0.
A=$site/out/tiny/ja-1.0/tiny-ja-1.0.pdf
if [ -f "$A" ]; then pass "pdf-archive/made"; else fail "pdf-archive/made" "no $A"; fi
same "pdf-archive/link-from-cover" \
    "$(xp "$site/out/tiny/ja-1.0/index.html" 'string(//p[@class="wp-cover-pdf"]/a/@href)')" \
    "tiny-ja-1.0.pdf"
same "pdf-archive/link-from-history" \
    "$(xp "$ja/index.html" 'concat(//tr[.//span[@class="wp-version"]="1.0"]//a[@class="wp-rev-archive"]/@href, " ", //tr[.//span[@class="wp-version"]="1.0"]//a[@class="wp-rev-archive-pdf"]/@href, " ", count(//a[@class="wp-rev-archive-pdf"]))')" \
    "../ja-1.0/index.html ../ja-1.0/tiny-ja-1.0.pdf 1"
pdfinfo "$A" >"$TMP/ainfo" 2>&1
same "pdf-archive/date" "$(sed -n 's/^ModDate: *//p' "$TMP/ainfo")" "Tue Jan 20 00:00:00 2026 UTC"
pdftotext "$A" - | tr -d '\n' >"$TMP/a.txt"
expect_grep "pdf-archive/text-of-1.0" "障害は速やかにお知らせします。" "$TMP/a.txt"
pdftotext -l 1 "$A" - | tr -s '\n' ' ' >"$TMP/a1.txt"
expect_grep "pdf-archive/cover-version" "版数 1.0 発行日 2026年1月20日" "$TMP/a1.txt"
# Its metadata: the redline page's title, the provider, the new date.
title=$(xp "$ja/changes-1.1.html" 'string(//title)')
pdfinfo "$R" >"$TMP/info" 2>&1
same "pdf-redline/title" "$(sed -n 's/^Title: *//p' "$TMP/info")" "$title"
same "pdf-redline/author" "$(sed -n 's/^Author: *//p' "$TMP/info")" "タイニー株式会社"
same "pdf-redline/date" "$(sed -n 's/^ModDate: *//p' "$TMP/info")" "Mon Jun  1 00:00:00 2026 UTC"
same "pdf-redline/a4" "$(sed -n 's/^Page size: *//p' "$TMP/info")" "595.276 x 841.89 pts (A4)"
# Page 1: the redline's header, both versions, the marks in the
# summary; then the running head (service, "changes", both versions) and
# every page's "n / N" and copyright line.
n=$(sed -n 's/^Pages: *//p' "$TMP/info")
same "pdf-redline/pages" "$n" 2
pdftotext -layout "$R" "$TMP/r.txt"
tr '\f' '\n' <"$TMP/r.txt" | grep -c '© 2026 タイニー株式会社' >"$TMP/cnt"
same "pdf-redline/copyright-every-page" "$(cat "$TMP/cnt")" "$n"
# (pdftotext drops the spaces around the slash; the fjcloud style puts
# the chapter at the right of the head.)
pdftotext -layout -f 2 -l 2 "$R" - | sed -n '/[^ ]/{p;q;}' | sed 's/\xe2\x80\x83/ /g; s/  */ /g; s/^ //' >"$TMP/head"
same "pdf-redline/running-head" "$(cat "$TMP/head")" "タイニー クラウド セキュリティ概要 変更箇所：第1.0版 → 第1.1版 1 はじめに"
for p in 1 2; do
	pdftotext -layout -f $p -l $p "$R" - | grep -Eq "$p ?/ ?$n\$" &&
	    pass "pdf-redline/page-number-$p" || fail "pdf-redline/page-number-$p" "no '$p / $n'"
done
pdftotext -f 2 -l 2 "$R" - | tr -d '\n' >"$TMP/body"
# (Struck text keeps apart from the insertion that replaces it: a space
# in the text.)
expect_grep "pdf-redline/marks" "障害は速やか 直ちにお知らせします。" "$TMP/body"
# Bookmarks: the summary, then the chapters.
same "pdf-redline/outline" "$(qpdf --json=2 --json-key=outlines "$R" | python3 -c '
import json, sys
print(" | ".join(o["title"] for o in json.load(sys.stdin)["outlines"]))')" \
    "変更の一覧 | 1 はじめに | 2 運用"
left=$(find "$site/out" -name '.print-*' -o -name '*.log' | head -n 3)
same "pdf-redline/no-leftovers" "$left" ""
# Unchanged: copied with its edition, same bytes; without --pdf, no PDF
# and no link.
cp "$R" "$TMP/first.pdf"
cp "$A" "$TMP/first-archive.pdf"
"$WPGEN" build --content "$site/content" --out "$site/out" --lang ja --pdf >"$TMP/out" 2>"$TMP/err"
expect_grep "pdf-redline/incremental" "(1 unchanged, 0 errors" "$TMP/err"
expect_same "pdf-redline/incremental-same" "$R" "$TMP/first.pdf"
expect_same "pdf-archive/incremental-same" "$A" "$TMP/first-archive.pdf"
"$WPGEN" build --content "$site/content" --out "$site/nopdf" --lang ja --quiet >"$TMP/err" 2>&1
same "pdf-redline/none-without-pdf" \
    "$(find "$site/nopdf" -name '*.pdf' | wc -l) $(xp "$site/nopdf/tiny/ja/index.html" 'count(//a[@class="wp-rev-redline-pdf"] | //a[@class="wp-rev-archive-pdf"])') $(xp "$site/nopdf/tiny/ja/changes-1.1.html" 'count(//p[@class="wp-redline-pdf"])') $(xp "$site/nopdf/tiny/ja-1.0/index.html" 'count(//p[@class="wp-cover-pdf"])')" \
    "0 0 0 0"

# ---- wpgen diff --format pdf
# SERVICE --from REV, in English: the same redline, same title.
(cd "$site" && "$WPGEN" diff tiny --from v1.0 --lang en --format pdf \
    --templates "$OLDPWD/templates" --output "$TMP/en.pdf") >"$TMP/out" 2>"$TMP/err"
same "pdf-redline/diff-from" "$? $(cat "$TMP/err")" "0 "
same "pdf-redline/diff-from-title" "$(pdfinfo "$TMP/en.pdf" | sed -n 's/^Title: *//p')" \
    "Tiny Cloud Security Overview — Changes: Version 1.0 → Version 1.1"
pdftotext "$TMP/en.pdf" - | tr '\n' ' ' >"$TMP/en.txt"
expect_grep "pdf-redline/diff-from-marks" "We report incidents promptly immediately." "$TMP/en.txt"
expect_grep "pdf-redline/diff-from-english" "Summary of changes" "$TMP/en.txt"
# Two files, no service: page numbers, no copyright; the same bytes
# twice; nothing left beside --output.
printf '# Notes\n\nThe old text stays.\n\nA removed line.\n' >"$TMP/old.md"
printf '# Notes\n\nThe old text stays, and grows.\n' >"$TMP/new.md"
expect_status "pdf-redline/diff-files" 0 "$WPGEN" diff "$TMP/old.md" "$TMP/new.md" \
    --format pdf --output "$TMP/two.pdf"
pdftotext -layout "$TMP/two.pdf" - | grep -Ec '[0-9] ?/ ?[0-9]$' >"$TMP/cnt"
same "pdf-redline/diff-files-page-numbers" "$(cat "$TMP/cnt")" \
    "$(pdfinfo "$TMP/two.pdf" | sed -n 's/^Pages: *//p')"
"$WPGEN" diff "$TMP/old.md" "$TMP/new.md" --format pdf --output "$TMP/two2.pdf" >/dev/null 2>&1
expect_same "pdf-redline/diff-reproducible" "$TMP/two2.pdf" "$TMP/two.pdf"
same "pdf-redline/diff-no-leftovers" "$(ls -A "$TMP" | grep -c '^\.')" 0
# No --output: a usage error, nothing on the terminal.
expect_status "pdf-redline/diff-needs-output" 2 "$WPGEN" diff "$TMP/old.md" "$TMP/new.md" --format pdf
expect_grep "pdf-redline/diff-needs-output-says" "wpgen diff: --format pdf writes a file: give --output FILE.pdf" "$TMP/err"
same "pdf-redline/diff-needs-output-silent" "$(wc -c <"$TMP/out")" 0
# --output a directory: exit 3, the directory as it was.
mkdir "$TMP/dir.pdf"
expect_status "pdf-redline/diff-output-dir" 3 "$WPGEN" diff "$TMP/old.md" "$TMP/new.md" \
    --format pdf --output "$TMP/dir.pdf"
same "pdf-redline/diff-output-dir-kept" "$(ls -A "$TMP/dir.pdf")" ""
# WeasyPrint missing: exit 3 with the apt-get line.
expect_status "pdf-redline/diff-no-weasyprint" 3 env PATH=/nonexistent "$WPGEN" diff \
    "$TMP/old.md" "$TMP/new.md" --format pdf --output "$TMP/x.pdf"
expect_grep "pdf-redline/diff-no-weasyprint-says" "apt-get install -y weasyprint" "$TMP/err"

# ---- what WeasyPrint may read: only the output tree
# A listener that counts connections, on a free port.
python3 - "$TMP/port" "$TMP/stop" "$TMP/hits" <<'PY' &
import os, socket, sys
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(8)
s.settimeout(0.2)
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write(str(s.getsockname()[1]))
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
hits = 0
while not os.path.exists(sys.argv[2]):
    try:
        conn, _ = s.accept()
        hits += 1
        conn.close()
    except socket.timeout:
        pass
with open(sys.argv[3], "w") as f:
    f.write(str(hits))
PY
listener=$!
i=0
while [ ! -f "$TMP/port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
port=$(cat "$TMP/port")
mkdir -p "$TMP/secret" "$TMP/evil/e/ja/assets" "$TMP/evil/catalogs"
png "$TMP/secret/secret.png"
echo "secret attachment" >"$TMP/secret/secret.txt"
png "$TMP/evil/e/ja/assets/ok.png"
cat >"$TMP/evil/e/service.yaml" <<'YAML'
style: fjcloud
languages: [ja]
title: 外部参照の試験
unsafe_html: true
revisions:
  - version: "1.0"
    date: 2026-01-20
    changes: [初版]
YAML
cat >"$TMP/evil/e/ja/01.md" <<MD
# 1. 画像

![リモートの図](http://127.0.0.1:$port/diagram.png)

<img src="file://$TMP/secret/secret.png" alt="外の画像">

<img src="file:///etc/passwd" alt="パスワード">

<p style="background: url(http://127.0.0.1:$port/bg.png)">背景つきの段落</p>

<a rel="attachment" href="file://$TMP/secret/secret.txt">添付</a>

![手元の図](assets/ok.png)
MD
# (LeakSanitizer does not work under ptrace.)
ASAN_OPTIONS=detect_leaks=0 strace -f -qq -e trace=openat,connect \
    -o "$TMP/strace" "$WPGEN" build \
    --content "$TMP/evil" --out "$TMP/evil-out" --pdf --quiet >"$TMP/out" 2>"$TMP/err"
same "pdf-fetch/build" "$? $(head -c 300 "$TMP/err")" "0 "
touch "$TMP/stop"
wait $listener
same "pdf-fetch/no-connection" "$(cat "$TMP/hits")" 0
same "pdf-fetch/no-connect-call" "$(grep -c "connect(.*htons($port)" "$TMP/strace")" 0
same "pdf-fetch/no-open-outside" "$(grep 'openat(' "$TMP/strace" | grep -c -e "$TMP/secret" -e '"/etc/passwd"')" 0
E=$TMP/evil-out/e/ja/e-ja-1.0.pdf
pdftotext "$E" - | tr -d '\n' >"$TMP/e.txt"
expect_grep "pdf-fetch/remote-alt-text" "リモートの図" "$TMP/e.txt"
expect_grep "pdf-fetch/file-alt-text" "外の画像" "$TMP/e.txt"
same "pdf-fetch/only-local-image" "$(pdfimages -list "$E" | awk 'NR > 2 && $3 == "image"' | wc -l)" 1
same "pdf-fetch/no-attachment" "$(pdfdetach -list "$E" | head -n 1)" "0 embedded files"
