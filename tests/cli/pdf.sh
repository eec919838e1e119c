# tests/cli/pdf.sh: `wpgen build --pdf`.  One PDF per style, from the
# samples, checked from the PDF itself by tests/pdfcheck.py (contents page
# numbers, outline, metadata, fonts, no heading at the foot of a page,
# Japanese line breaking, table cells and cover titles broken between
# phrases, links, page count); the plain sample (no controls: the
# revision history and the contents on one page); a long table leaves
# no lone row on a page; the same PDF twice from two
# builds; the links to the PDF from the page and the index; `pdf: true`
# in service.yaml; the Appendix B tables (numbered, balanced parts, the
# note); the errors for a missing WeasyPrint or CJK font.
. tests/lib.sh

# xpath NAME FILE EXPR WANT: the string value of an XPath expression on
# an HTML file.
xpath() {
	got=$(xmllint --html --xpath "$3" "$2" 2>/dev/null)
	if [ "$got" = "$4" ]; then pass "$1"
	else fail "$1" "got '$got', want '$4'"; fi
}

for tool in weasyprint pdftotext pdfinfo pdffonts qpdf python3 xmllint; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "SKIP: pdf tests: $tool is not installed (./build.sh test installs it)"
		exit 0
	fi
done

# The third style's sample says `pdf: true` in its service.yaml instead
# of --pdf.
C=$TMP/content
cp -r content "$C"
echo 'pdf: true' >>"$C/kirishima-vm/service.yaml"

# A long table (rows.sh N DIR: one table of N rows in a small service,
# built with --pdf into DIR): first one of 60 rows, to learn how many
# rows the first page of the text holds (page 3, after the cover and the
# contents).
R=$TMP/rows
mkdir -p "$R/rows/ja" "$R/catalogs"
printf 'style: fjcloud\nlanguages: [ja]\ntitle: 長い表\nrevisions:\n  - version: "1.0"\n    date: 2026-01-01\n    changes: [初版]\n' \
    >"$R/rows/service.yaml"
rows_pdf() {
	awk -v n="$1" 'BEGIN {
		print "# 1. 表\n\n| 項目 | 内容 |\n|---|---|"
		for (r = 1; r <= n; r++)
			printf "| R%03d | %d 行目 |\n", r, r
	}' >"$R/rows/ja/01.md"
	"$WPGEN" build --content "$R" --out "$2" --pdf --quiet
}
# One PDF per style, built side by side (each build runs WeasyPrint),
# the plain sample (no controls) in English, and the long tables.
"$WPGEN" build --content content --out "$TMP/fj" --service aozora-o \
    --lang ja --pdf --quiet >"$TMP/fj.err" 2>&1 &
p1=$!
"$WPGEN" build --content content --out "$TMP/idcf" --service minato-27017 \
    --lang en --pdf --quiet >"$TMP/idcf.err" 2>&1 &
p2=$!
"$WPGEN" build --content content --out "$TMP/plain" --service aozora-security \
    --lang en --pdf --quiet >"$TMP/plain.err" 2>&1 &
p4=$!
rows_pdf 60 "$TMP/rows60" >"$TMP/rows.err" 2>&1 &
p5=$!
"$WPGEN" build --content "$C" --out "$TMP/cps" --service kirishima-vm \
    --lang ja --quiet >"$TMP/cps.err" 2>&1
r3=$?
wait $p1; r1=$?
wait $p2; r2=$?
wait $p4; r4=$?
wait $p5; r5=$?
for s in fj:$r1 idcf:$r2 cps:$r3 plain:$r4 rows:$r5; do
	if [ "${s#*:}" = 0 ]; then pass "pdf/build-${s%:*}"
	else fail "pdf/build-${s%:*}" "exit ${s#*:}: $(head -c 600 "$TMP/${s%:*}.err")"; fi
done

# The plain sample: the revision history and the contents share page 2
# (both short), the text on page 3.
python3 tests/pdfcheck.py "$TMP/plain/aozora-security/en/aozora-security-en-1.1.pdf" \
    "$TMP/plain/aozora-security/en/index.html" 3 3 --plain

# Then a table of one row more than that page holds: without the kept
# row groups its last row would be alone on page 4; with them, no page
# holds fewer than two of its rows.
held=$(pdftotext -f 3 -l 3 "$TMP/rows60/rows/ja/rows-ja-1.0.pdf" - | grep -c '^R[0-9][0-9][0-9]$')
rows_pdf $((held + 1)) "$TMP/rows-out" >"$TMP/err" 2>&1
P=$TMP/rows-out/rows/ja/rows-ja-1.0.pdf
got=
for p in 3 4 5; do
	got="$got $(pdftotext -f $p -l $p "$P" - 2>/dev/null | grep -c '^R[0-9][0-9][0-9]$')"
done
want=" $((held - 1)) 2 0"
if [ "$held" -gt 20 ] && [ "$got" = "$want" ]; then pass "pdf/long-table-no-lone-row"
else fail "pdf/long-table-no-lone-row" "a table of $((held + 1)) rows: rows on pages 3-5:$got, want$want"; fi

# Page counts: what the samples print at today (20, 11 and 7 pages),
# a page either way for small edits of the content (a page more is
# what a nearly empty page would cost).
python3 tests/pdfcheck.py "$TMP/fj/aozora-o/ja/aozora-o-ja-2.2.pdf" \
    "$TMP/fj/aozora-o/ja/index.html" 19 21
python3 tests/pdfcheck.py "$TMP/idcf/minato-27017/en/minato-27017-en-3.0.pdf" \
    "$TMP/idcf/minato-27017/en/index.html" 10 12
python3 tests/pdfcheck.py "$TMP/cps/kirishima-vm/ja/kirishima-vm-ja-2.1.pdf" \
    "$TMP/cps/kirishima-vm/ja/index.html" 6 8

# The copyright line is in the footer of every page but the cover.
P=$TMP/cps/kirishima-vm/ja/kirishima-vm-ja-2.1.pdf
n=$(pdfinfo "$P" | sed -n 's/^Pages: *//p')
with=$(pdftotext -layout "$P" - | tr '\f' '\n' | grep -c '© 2020-2026 霧島コンピューティング株式会社')
if [ "$with" = $((n - 1)) ]; then pass "pdf/copyright-footer"
else fail "pdf/copyright-footer" "on $with pages of $n"; fi
head1=$(pdftotext -f 1 -l 1 "$P" - | grep -c '© 20')
if [ "$head1" = 0 ]; then pass "pdf/cover-bare"
else fail "pdf/cover-bare" "the cover has the footer"; fi

# Same input, same bytes: from a clean build, and from an incremental one
# that copies the unchanged edition with its PDF (WeasyPrint not run).
cp "$P" "$TMP/first.pdf"
"$WPGEN" build --content "$C" --out "$TMP/cps2" --service kirishima-vm \
    --lang ja --quiet >"$TMP/err" 2>&1
expect_same "pdf/reproducible" "$TMP/cps2/kirishima-vm/ja/kirishima-vm-ja-2.1.pdf" "$TMP/first.pdf"
"$WPGEN" build --content "$C" --out "$TMP/cps" --service kirishima-vm \
    --lang ja >"$TMP/out" 2>"$TMP/err"
expect_grep "pdf/incremental-unchanged" "(1 unchanged, 0 errors" "$TMP/err"
expect_same "pdf/incremental-same-pdf" "$P" "$TMP/first.pdf"
# An edit to the edition makes its PDF again.
sed -i 's/^# 4\. /# 4. [改訂] /' "$C/kirishima-vm/ja/04-controls.md"
"$WPGEN" build --content "$C" --out "$TMP/cps" --service kirishima-vm \
    --lang ja >"$TMP/out" 2>"$TMP/err"
expect_grep "pdf/incremental-rebuilt" "built 1 edition of 1 into $TMP/cps/ (0 errors" "$TMP/err"
pdftotext "$P" "$TMP/edited.txt"
expect_grep "pdf/incremental-new-text" "[改訂]" "$TMP/edited.txt"

# Nothing else left beside the page: the print variant is removed.
left=$(find "$TMP/fj" "$TMP/cps" -name '.print-*' -o -name '*.log' | head -n 3)
if [ -z "$left" ]; then pass "pdf/no-leftovers"
else fail "pdf/no-leftovers" "$left"; fi

# The page's cover and the site index link the PDF; without --pdf, not.
xpath "pdf/cover-link" "$TMP/fj/aozora-o/ja/index.html" \
    'string(//p[@class="wp-cover-pdf"]/a/@href)' "aozora-o-ja-2.2.pdf"
xpath "pdf/index-link" "$TMP/fj/index.html" \
    'string(//a[@class="wp-service-pdf"]/@href)' \
    "aozora-o/ja/aozora-o-ja-2.2.pdf"
xpath "pdf/index-link-pdf-true" "$TMP/cps/index.html" \
    'string(//a[@class="wp-service-pdf"]/@href)' \
    "kirishima-vm/ja/kirishima-vm-ja-2.1.pdf"
"$WPGEN" build --content content --out "$TMP/nopdf" --service aozora-o \
    --quiet >"$TMP/err" 2>&1
xpath "pdf/no-link-without-pdf" "$TMP/nopdf/aozora-o/ja/index.html" \
    'count(//p[@class="wp-cover-pdf"]) + count(//a[@href="aozora-o-ja-2.2.pdf"])' "0"

# Appendix B: tables numbered through the appendix as the originals do
# (表 A-1 ...; the parts of a split table share the number and say
# (1/3)), parts of equal size (16 rows in at most 6: 6, 5, 5, not 6, 6,
# 4), the note on the A. of the ISO/IEC 27017 numbers under its tables
# only.
H=$TMP/nopdf/aozora-o/ja/index.html
xpath "pdf/xref-caption" "$H" \
    'normalize-space(//table[@id="wp-xref-iso27017-2015-5"]/caption)' \
    "表 A-5　箇条 9 アクセス制御"
xpath "pdf/xref-caption-next-catalog" "$H" \
    'normalize-space(//table[@id="wp-xref-iso27001-2022-1"]/caption)' \
    "表 A-15　箇条 5 組織的管理策"
xpath "pdf/xref-note" "$H" \
    'concat(count(//section[@id="wp-xref-iso27017-2015"]/p[@class="wp-xref-note"][contains(., "ISO/IEC 27001:2013 附属書 A")]), count(//section[@id="wp-xref-iso27001-2022"]/p[@class="wp-xref-note"]))' \
    "10"
cp -r templates "$TMP/tpl"
sed 's/^xref_rows: .*/xref_rows: 6/' templates/fjcloud/style.yaml \
    >"$TMP/tpl/fjcloud/style.yaml"
"$WPGEN" build --content content --templates "$TMP/tpl" --out "$TMP/six" \
    --service aozora-o --lang ja --quiet >"$TMP/err" 2>&1
H=$TMP/six/aozora-o/ja/index.html
xpath "pdf/xref-split-numbered" "$H" \
    'concat(normalize-space(//table[@id="wp-xref-iso27017-2015-7"]/caption), " | ", normalize-space(//table[@id="wp-xref-iso27017-2015-9"]/caption))' \
    "表 A-5　箇条 9 アクセス制御 (1/3) | 表 A-5　箇条 9 アクセス制御 (3/3)"
xpath "pdf/xref-split-balanced" "$H" \
    'concat(count(//table[@id="wp-xref-iso27017-2015-7"]/tbody/tr), " ", count(//table[@id="wp-xref-iso27017-2015-8"]/tbody/tr), " ", count(//table[@id="wp-xref-iso27017-2015-9"]/tbody/tr))' \
    "6 5 5"

# No WeasyPrint: exit 3 with the apt-get line, out/ untouched.
mkdir -p "$TMP/keep" && echo keep >"$TMP/keep/keep.txt"
expect_status "pdf/no-weasyprint" 3 env PATH=/nonexistent "$WPGEN" build \
    --content content --out "$TMP/keep" --service minato-27017 --pdf
expect_grep "pdf/no-weasyprint-says" "apt-get install -y weasyprint" "$TMP/err"
echo keep >"$TMP/keep.want"
expect_same "pdf/no-weasyprint-untouched" "$TMP/keep/keep.txt" "$TMP/keep.want"

# WeasyPrint fails: its last message, exit 3, out/ untouched, nothing
# left beside it.
# (wpgen runs the Python the weasyprint command names on its first line.)
mkdir -p "$TMP/fakebin"
printf '#!/bin/sh\necho "Traceback (most recent call last):" >&2\necho "OSError: boom" >&2\nexit 1\n' \
    >"$TMP/fakebin/python3"
printf '#!%s/fakebin/python3\n' "$TMP" >"$TMP/fakebin/weasyprint"
chmod +x "$TMP/fakebin/python3" "$TMP/fakebin/weasyprint"
cp "$TMP/nopdf/index.html" "$TMP/index.want"
expect_status "pdf/weasyprint-fails" 3 env PATH="$TMP/fakebin:$PATH" \
    "$WPGEN" build --content content --out "$TMP/nopdf" \
    --service minato-27017 --lang en --pdf
expect_grep "pdf/weasyprint-fails-says" "minato-27017-en-3.0.pdf: error: WeasyPrint could not make the PDF: OSError: boom [pdf-error]" "$TMP/err"
expect_same "pdf/weasyprint-fails-untouched" "$TMP/nopdf/index.html" "$TMP/index.want"
left=$(ls -d "$TMP"/nopdf.* "$TMP"/nopdf/*/*/*.pdf* 2>/dev/null)
if [ -z "$left" ]; then pass "pdf/weasyprint-fails-no-leftovers"
else fail "pdf/weasyprint-fails-no-leftovers" "$left"; fi

# No Japanese font: exit 3 with the apt-get line.
printf '<?xml version="1.0"?>\n<fontconfig></fontconfig>\n' >"$TMP/fonts.conf"
expect_status "pdf/no-cjk-font" 3 env FONTCONFIG_FILE="$TMP/fonts.conf" \
    "$WPGEN" build --content content --out "$TMP/keep" \
    --service minato-27017 --pdf
expect_grep "pdf/no-cjk-font-says" "apt-get install -y fonts-noto-cjk" "$TMP/err"

# pdf: must be true or false.
cp -r content "$TMP/badpdf"
echo 'pdf: 3' >>"$TMP/badpdf/minato-27017/service.yaml"
expect_status "pdf/pdf-key-invalid" 1 "$WPGEN" build --content "$TMP/badpdf" \
    --out "$TMP/bad-out" --service minato-27017
# (at the line appended: the last)
line=$(wc -l <"$TMP/badpdf/minato-27017/service.yaml")
expect_grep "pdf/pdf-key-diagnostic" "service.yaml:$line:6: error: pdf must be true or false [invalid-value]" "$TMP/err"
