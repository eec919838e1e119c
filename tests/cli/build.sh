# tests/cli/build.sh: `wpgen build`, `outline` and `xref` from the command
# line: diagnostics for bad input (path:line:column, code, exit 1), a
# failed build leaving out/ untouched, parallel builds, exports.
. tests/lib.sh

# new_service DIR STYLE: a minimal service "svc" (ja, en) in DIR/content.
new_service() {
	mkdir -p "$1/content/svc/ja" "$1/content/svc/en"
	cp -r content/catalogs "$1/content/catalogs"
	cat >"$1/content/svc/service.yaml" <<YAML
style: ${2:-idcf}
languages: [ja, en]
title: {ja: テスト, en: Test}
provider: {ja: テスト株式会社, en: Test Inc.}
revisions:
  - version: "1.0"
    date: 2024-04-01
    changes: {ja: [初版], en: [First edition]}
YAML
	printf '# 1. はじめに\n\n<ISO/IEC 27017 9.2.1>\n\n本文。\n' >"$1/content/svc/ja/01.md"
	printf '# 1. Introduction\n\n<ISO/IEC 27017 9.2.1>\n\nText.\n' >"$1/content/svc/en/01.md"
}

wp() { "$WPGEN" "$@" --templates "$PWD/templates"; }

T=$TMP/ok
new_service "$T"
(cd "$T" && "$WPGEN" build --templates "$OLDPWD/templates" --quiet) >"$TMP/out" 2>"$TMP/err"
if [ $? = 0 ] && [ -f "$T/out/svc/ja/index.html" ] && [ -f "$T/out/svc/en/xref.csv" ]; then
	pass "build/minimal-service"
else
	fail "build/minimal-service" "$(cat "$TMP/err")"
fi

# The summary line.
expect_status "build/summary-exit" 0 wp build --content "$T/content" --out "$T/out2"
expect_grep "build/summary-line" "built 2 editions of 2 into $T/out2/ (0 errors, 0 warnings)" "$TMP/err"

# A failed build leaves out/ as it was.
echo keep >"$T/out/keep.txt"
printf '# 1. x\n\n<ISO/IEC 27017 CLD12.4.5>\n' >"$T/content/svc/en/02.md"
expect_status "build/unknown-control-exit" 1 wp build --content "$T/content" --out "$T/out"
expect_grep "build/unknown-control-diag" "$T/content/svc/en/02.md:3:16: error: 'CLD12.4.5' is not in ISO/IEC 27017:2015; did you mean 'CLD.12.4.5'? [unknown-control]" "$TMP/err"
if [ -f "$T/out/keep.txt" ] && [ -f "$T/out/svc/ja/index.html" ] && ! ls "$T"/out.tmp-* >/dev/null 2>&1; then
	pass "build/failed-build-keeps-out"
else
	fail "build/failed-build-keeps-out" "out/ changed or a temporary directory was left"
fi
rm "$T/content/svc/en/02.md"

# Bad service.yaml: syntax, unknown key, missing style.
B=$TMP/bad
new_service "$B"
printf 'style: idcf\nlanguages: [ja\n' >"$B/content/svc/service.yaml"
expect_status "build/yaml-error-exit" 1 wp build --content "$B/content" --out "$B/out"
expect_grep "build/yaml-error-diag" "$B/content/svc/service.yaml:2:12: error: this '[' is never closed" "$TMP/err"
expect_grep "build/yaml-error-code" "[yaml-error]" "$TMP/err"

new_service "$B"
printf 'titel: x\n' >>"$B/content/svc/service.yaml"
expect_status "build/unknown-key-exit" 1 wp build --content "$B/content" --out "$B/out"
expect_grep "build/unknown-key-diag" "$B/content/svc/service.yaml:9:1: error: unknown key 'titel'; did you mean 'title'? [unknown-key]" "$TMP/err"

new_service "$B" nosuchstyle
expect_status "build/missing-style-exit" 1 wp build --content "$B/content" --out "$B/out"
expect_grep "build/missing-style-diag" "$B/content/svc/service.yaml:1:8: error: no style 'nosuchstyle'" "$TMP/err"

# Invalid UTF-8 in Markdown.
new_service "$B"
printf '# 1. x\n\nab\377c\n' >"$B/content/svc/ja/01.md"
expect_status "build/invalid-utf8-exit" 1 wp build --content "$B/content" --out "$B/out"
expect_grep "build/invalid-utf8-diag" "$B/content/svc/ja/01.md:3:3: error: the file is not valid UTF-8" "$TMP/err"

# A marker in the wrong place.
new_service "$B"
printf '<ISO/IEC 27017 9.2.1>\n\n# 1. x\n\nText <ISO/IEC 27017 9.2.2> here.\n' >"$B/content/svc/ja/01.md"
expect_status "build/misplaced-exit" 1 wp build --content "$B/content" --out "$B/out"
expect_grep "build/misplaced-before-heading" "$B/content/svc/ja/01.md:1:1: error:" "$TMP/err"
expect_grep "build/misplaced-in-text" "$B/content/svc/ja/01.md:5:6: error: a control statement must be a paragraph of its own under a heading, or a heading that names one control; this one is inside other text" "$TMP/err"

# An unknown standard lists the known ones.
new_service "$B"
printf '# 1. x\n\n<ISO/IEC 27018 9.2.1>\n' >"$B/content/svc/ja/01.md"
expect_status "build/unknown-standard-exit" 1 wp build --content "$B/content" --out "$B/out"
expect_grep "build/unknown-standard-diag" "01.md:3:1: error: no catalog for the standard 'ISO/IEC 27018'; known standards:" "$TMP/err"

# A missing image.
new_service "$B"
printf '# 1. x\n\nSee ![diagram](nothere.svg).\n' >"$B/content/svc/ja/01.md"
expect_status "build/missing-image-exit" 1 wp build --content "$B/content" --out "$B/out"
expect_grep "build/missing-image-diag" "01.md:3:16: error: image 'nothere.svg' not found" "$TMP/err"

# A template error names the template, line and column.
new_service "$B"
cp -r templates "$B/templates"
printf '{{#toc}}\n  {{title}}\n' >"$B/templates/idcf/page.mustache"
"$WPGEN" build --content "$B/content" --templates "$B/templates" --out "$B/out" >"$TMP/out" 2>"$TMP/err"
if [ $? = 1 ] && grep -q "idcf/page.mustache:1:1: error: .*\[template-error\]" "$TMP/err"; then
	pass "build/template-error"
else
	fail "build/template-error" "$(head -c 400 "$TMP/err")"
fi

# Parallel and serial builds give the same bytes.
expect_status "build/jobs-serial" 0 wp build --content content --out "$TMP/serial" --quiet
expect_status "build/jobs-parallel" 0 wp build --content content --out "$TMP/parallel" --jobs 2 --quiet
# (The manifests differ: they hold the stat data of the files.)
if diff -r -x .wpgen-manifest "$TMP/serial" "$TMP/parallel" >/dev/null; then pass "build/jobs-same-output"
else fail "build/jobs-same-output" "$(diff -r -x .wpgen-manifest "$TMP/serial" "$TMP/parallel" | head -5)"; fi

# Usage errors.
expect_status "build/usage-unknown-option" 2 "$WPGEN" build --frobnicate
expect_status "build/usage-bad-jobs" 2 "$WPGEN" build --jobs 0
expect_status "build/help" 0 "$WPGEN" build --help
expect_status "build/unknown-service" 2 wp build --service nosuch --out "$TMP/none"
expect_status "build/unknown-lang" 2 wp build --lang fr --out "$TMP/none"
expect_status "build/no-content-dir" 3 "$WPGEN" build --content "$TMP/nothere" --out "$TMP/none"
expect_status "outline/format-substring" 2 "$WPGEN" outline svc --content "$T/content" --format on
expect_status "translations/short-help" 0 "$WPGEN" translations -h

# outline and xref.
expect_status "outline/json" 0 "$WPGEN" outline svc --content "$T/content"
expect_grep "outline/json-section" '{"level": 1, "number": "1", "title": "はじめに", "anchor": "sec-1", "key": "1",' "$TMP/out"
expect_grep "outline/json-controls" '"controls": [{"catalog": "iso27017-2015", "label": "9.2.1"}]}' "$TMP/out"
expect_status "outline/lang" 0 "$WPGEN" outline svc --content "$T/content" --lang en --format text
expect_grep "outline/text" "1 Introduction  #sec-1  [9.2.1]" "$TMP/out"
expect_status "outline/unknown-lang" 2 "$WPGEN" outline svc --content "$T/content" --lang fr
expect_status "outline/unknown-service" 2 "$WPGEN" outline nosuch --content "$T/content"
expect_status "outline/bad-format" 2 "$WPGEN" outline svc --content "$T/content" --format csv
expect_status "xref/csv" 0 "$WPGEN" xref svc --content "$T/content" --format csv
expect_grep "xref/csv-header" "catalog,label,alt_identifier,title,sections,maps_to,catalog_name,family,id,addressed,section_titles,section_urls" "$TMP/out"
expect_grep "xref/csv-row" "iso27017-2015,9.2.1,A.9.2.1,利用者登録及び登録削除,1,5.16,ISO/IEC 27017:2015,アクセス制御,c-9.2.1,yes,はじめに,index.html#sec-1" "$TMP/out"
expect_grep "xref/csv-unaddressed" "iso27017-2015,9.2.2,A.9.2.2,利用者アクセスの提供 (provisioning),,5.18,ISO/IEC 27017:2015,アクセス制御,c-9.2.2,no,," "$TMP/out"
expect_status "xref/json" 0 "$WPGEN" xref svc --content "$T/content" --lang en
expect_grep "xref/json-control" '{"id": "c-9.2.1", "label": "9.2.1", "alt_identifier": "A.9.2.1", "title": "User registration and de-registration",' "$TMP/out"
if cmp -s "$TMP/out" "$T/out/svc/en/xref.json"; then pass "xref/same-as-built"
else fail "xref/same-as-built" "xref.json next to the edition differs from wpgen xref"; fi

# A real OSCAL catalog that this project did not write (NIST SP 800-53,
# no document-id), named through service.yaml's standards.
if have_shared "nist" oscal/nist-800-53r5-moderate.en.xml; then
N=$TMP/nist
mkdir -p "$N/content/catalogs" "$N/content/svc/en"
cp "$WPGEN_SHARED/oscal/nist-800-53r5-moderate.en.xml" "$N/content/catalogs/"
cat >"$N/content/svc/service.yaml" <<YAML
style: idcf
languages: [en]
title: NIST test
catalogs: [nist-800-53r5-moderate]
standards: {NIST SP 800-53: nist-800-53r5-moderate}
revisions:
  - version: "1"
    date: 2025-01-01
YAML
printf '# 1. Accounts\n\n<NIST SP 800-53 AC-2, AC-2(1)>\n\nText.\n\n## <NIST SP 800-53 AC-3>\n\nMore.\n' >"$N/content/svc/en/01.md"
expect_status "nist/build" 0 "$WPGEN" build --content "$N/content" --templates "$PWD/templates" --out "$N/out" --quiet
expect_status "nist/xref" 0 "$WPGEN" xref svc --content "$N/content" --format csv
expect_grep "nist/enhancement" 'nist-800-53r5-moderate,AC-2(1),,Automated System Account Management,1,,NIST SP 800-53,Access Control,ac-2.1,yes,Accounts,index.html#sec-1' "$TMP/out"
expect_grep "nist/control-heading" 'nist-800-53r5-moderate,AC-3,,Access Enforcement,AC-3,,NIST SP 800-53,Access Control,ac-3,yes,Access Enforcement,index.html#ctl-AC-3' "$TMP/out"
printf '# 1. x\n\n<NIST SP 800-53 AC-2(l)>\n' >"$N/content/svc/en/02.md"
expect_status "nist/unknown-exit" 1 "$WPGEN" build --content "$N/content" --templates "$PWD/templates" --out "$N/out" --quiet
expect_grep "nist/suggestion" "did you mean 'AC-2(1)'?" "$TMP/err"
fi

# Raw HTML: dropped by default, passed through with unsafe_html: true.
U=$TMP/unsafe
new_service "$U"
printf '# 1. x\n\n<div class="custom">raw</div>\n\nText <b>bold</b>.\n' >"$U/content/svc/ja/01.md"
expect_status "html/safe-build" 0 wp build --content "$U/content" --out "$U/out" --quiet
expect_no_grep "html/raw-dropped" '<div class="custom">' "$U/out/svc/ja/index.html"
expect_no_grep "html/inline-dropped" '<b>bold</b>' "$U/out/svc/ja/index.html"
printf 'unsafe_html: true\n' >>"$U/content/svc/service.yaml"
expect_status "html/unsafe-build" 0 wp build --content "$U/content" --out "$U/out" --quiet
expect_grep "html/raw-kept" '<div class="custom">raw</div>' "$U/out/svc/ja/index.html"
expect_grep "html/inline-kept" 'Text <b>bold</b>.' "$U/out/svc/ja/index.html"

# Every edition links the others with hreflang; <html lang> is the edition's.
expect_grep "html/hreflang" 'hreflang="en"' "$U/out/svc/ja/index.html"
expect_grep "html/lang" '<html lang="ja"' "$U/out/svc/ja/index.html"

# No clock in the output unless SOURCE_DATE_EPOCH sets it.
SOURCE_DATE_EPOCH=1700000000 "$WPGEN" build --content "$U/content" --templates "$PWD/templates" --out "$U/e1" --quiet
SOURCE_DATE_EPOCH=1700000000 "$WPGEN" build --content "$U/content" --templates "$PWD/templates" --out "$U/e2" --quiet
if diff -r -x .wpgen-manifest "$U/e1" "$U/e2" >/dev/null; then pass "build/epoch-deterministic"; else fail "build/epoch-deterministic"; fi
expect_grep "build/epoch-date" "2023-11-14" "$U/e1/svc/ja/index.html"
expect_no_grep "build/no-clock" "$(date +%Y-%m-%d)" "$U/out/svc/ja/index.html"

# A site that cannot be written is an I/O failure (exit 3).
touch "$TMP/a-file"
expect_status "build/unwritable-out" 3 wp build --out "$TMP/a-file/out" --quiet
expect_grep "build/unwritable-diag" "[io-error]" "$TMP/err"
