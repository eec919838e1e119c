# tests/cli/check.sh: `wpgen check` and `wpgen translations`.  Every
# diagnostic code has a case that triggers it and the clean case that does
# not; the stale-translation round trip goes through the command line.
. tests/lib.sh

# new_service DIR: a clean two-language service "svc" in DIR/content.
new_service() {
	rm -rf "$1"
	mkdir -p "$1/content/svc/ja" "$1/content/svc/en"
	cp -r content/catalogs "$1/content/catalogs"
	cat >"$1/content/svc/service.yaml" <<YAML
style: idcf
languages: [ja, en]
title: {ja: テスト, en: Test}
provider: {ja: テスト株式会社, en: Test Inc.}
catalogs: [iso27017-2015]
revisions:
  - version: "1.0"
    date: 2024-04-01
    changes: {ja: [初版], en: [First edition]}
YAML
	printf '# 1. はじめに\n\n本文です。\n\n## <ISO/IEC 27017 9.2.1>\n\n登録します。\n' >"$1/content/svc/ja/01.md"
	printf '# 1. Introduction\n\nText.\n\n## <ISO/IEC 27017 9.2.1>\n\nWe register.\n' >"$1/content/svc/en/01.md"
	"$WPGEN" translations accept svc --lang en --content "$1/content" 2>/dev/null
}

C=$TMP/c
chk() { "$WPGEN" check --content "$C/content" --templates "$PWD/templates" "$@"; }

# The clean case: no diagnostic at all, even with --strict.
new_service "$C"
expect_status "check/clean-exit" 0 chk --strict
if [ ! -s "$TMP/err" ]; then pass "check/clean-no-diagnostics"
else fail "check/clean-no-diagnostics" "$(head -c 300 "$TMP/err")"; fi
expect_status "check/clean-json" 0 chk --format json
expect_grep "check/json-shape" '{"diagnostics": [], "errors": 0, "warnings": 0}' "$TMP/out"

# The samples are clean under --strict.
expect_status "check/samples-strict" 0 "$WPGEN" check --strict
if [ ! -s "$TMP/err" ]; then pass "check/samples-no-diagnostics"
else fail "check/samples-no-diagnostics" "$(head -c 300 "$TMP/err")"; fi

# code_case NAME CODE SEVERITY SETUP: SETUP breaks the clean service; check
# must report CODE; JSON carries the code too.
code_case() {
	new_service "$C"
	eval "$4"
	chk --format json >"$TMP/json" 2>/dev/null
	chk >"$TMP/out" 2>"$TMP/err"
	rc=$?
	if grep -q "\[$2\]" "$TMP/err" && grep -q "\"code\": \"$2\"" "$TMP/json"; then
		pass "check/$1"
	else
		fail "check/$1" "no [$2] in: $(head -c 400 "$TMP/err")"
	fi
	if [ "$3" = error ] && [ $rc = 1 ]; then pass "check/$1-exit"
	elif [ "$3" = warning ] && [ $rc = 0 ]; then pass "check/$1-exit"
	else fail "check/$1-exit" "exit $rc for a $3"; fi
}

code_case unknown-control unknown-control error \
    'printf "\n<ISO/IEC 27017 CLD12.4.5>\n" >>"$C/content/svc/ja/01.md"'
expect_grep "check/unknown-control-suggests" "did you mean 'CLD.12.4.5'?" "$TMP/err"
# The source edition is read more than once (for the checks, for its page,
# for each translation's page); its problems are reported once.
if [ "$(grep -c '\[unknown-control\]' "$TMP/err")" = 1 ]; then pass "check/reported-once"
else fail "check/reported-once" "$(grep -c '\[unknown-control\]' "$TMP/err") reports"; fi
code_case ambiguous-standard ambiguous-standard error \
    'sed "s/ISO\/IEC 27017:2015/ISO\/IEC 27017:2021/; s/iso27017-2015/iso27017-2021/g" content/catalogs/iso27017-2015.en.xml >"$C/content/catalogs/iso27017-2021.en.xml"; sed -i "s/catalogs: \[iso27017-2015\]/catalogs: [iso27017-2015, iso27017-2021]/" "$C/content/svc/service.yaml"'
expect_grep "check/ambiguous-asks-year" "give the year" "$TMP/err"
code_case unknown-standard unknown-standard error \
    'printf "\n<ISO/IEC 27018 9.2.1>\n" >>"$C/content/svc/ja/01.md"'
expect_grep "check/unknown-standard-lists" "known standards: ISO/IEC 27017:2015" "$TMP/err"
code_case misplaced-marker misplaced-marker error \
    'printf "\nText <ISO/IEC 27017 9.2.2> inside.\n" >>"$C/content/svc/ja/01.md"'
code_case duplicate-anchor duplicate-anchor error \
    'printf "\n# 1. もう一度\n" >>"$C/content/svc/ja/01.md"'
code_case yaml-error yaml-error error \
    'printf "title: [unclosed\n" >>"$C/content/svc/service.yaml"'
code_case unknown-key unknown-key error \
    'printf "colour: blue\n" >>"$C/content/svc/service.yaml"'
code_case template-error template-error error \
    'cp -r templates "$C/templates"; printf "{{#x}}\n" >"$C/templates/idcf/page.mustache"; chk() { "$WPGEN" check --content "$C/content" --templates "$C/templates" "$@"; }'
chk() { "$WPGEN" check --content "$C/content" --templates "$PWD/templates" "$@"; }
code_case translation-missing translation-missing warning \
    'printf "\n# 2. 追加\n\n新しい節。\n" >>"$C/content/svc/ja/01.md"'
expect_grep "check/missing-points-at-source" "content/svc/ja/01.md:9:1: warning: section 2 has no en translation" "$TMP/err"
code_case translation-stale translation-stale warning \
    'printf "\n変更した本文。\n" >>"$C/content/svc/ja/01.md"'
code_case translation-extra translation-extra warning \
    'printf "\n# 9. Only in English\n" >>"$C/content/svc/en/01.md"'
code_case missing-title missing-title warning \
    'sed -i "/<title>Information security roles and responsibilities<\/title>/d" "$C/content/catalogs/iso27017-2015.en.xml"'
expect_grep "check/missing-title-names-control" "has no en title for 1 control: 6.1.1" "$TMP/err"
code_case string-missing translation-missing warning \
    'sed -i "s/provider: {ja: テスト株式会社, en: Test Inc.}/provider: {ja: テスト株式会社}/" "$C/content/svc/service.yaml"'
expect_grep "check/string-missing-position" "service.yaml:4:11: warning: provider has no en translation" "$TMP/err"
code_case required-control required-control error \
    'printf "required_controls: [\"iso27017-2015:CLD.*\"]\n" >>"$C/content/svc/service.yaml"'
expect_grep "check/required-names-control" "7 required controls are addressed by no section of the ja edition: ISO/IEC 27017:2015 CLD.6.3.1, CLD.8.1.5," "$TMP/err"

# Required controls that are addressed give nothing.
new_service "$C"
printf 'required_controls: ["iso27017-2015:9.2.1", "iso27017-2015:A.9.2.*"]\n' >>"$C/content/svc/service.yaml"
printf '\n<ISO/IEC 27017 9.2.2, 9.2.3, 9.2.4, 9.2.5, 9.2.6>\n' | tee -a "$C/content/svc/ja/01.md" >>"$C/content/svc/en/01.md"
"$WPGEN" translations accept svc --lang en --content "$C/content" 2>/dev/null
expect_status "check/required-satisfied" 0 chk --strict

# --strict turns warnings into errors.
new_service "$C"
printf '\n変更した本文。\n' >>"$C/content/svc/ja/01.md"
expect_status "check/warning-not-strict" 0 chk
expect_status "check/warning-strict" 1 chk --strict
expect_grep "check/strict-says-error" "error: section 9.2.1 changed in ja since this translation was confirmed" "$TMP/err"

# The stale round trip: edit the source, see stale, accept, see clean.
new_service "$C"
tr() { "$WPGEN" translations "$@" --content "$C/content"; }
expect_status "translations/clean" 0 tr status svc
expect_grep "translations/clean-counts" "en: 0 missing, 0 stale, 0 extra, 0 untranslated" "$TMP/out"
sed -i 's/登録します。/利用者を登録します。/' "$C/content/svc/ja/01.md"
expect_status "translations/edited" 0 tr status svc
expect_grep "translations/edited-stale" "  stale        9.2.1" "$TMP/out"
expect_status "translations/edited-json" 0 tr status svc --format json
expect_grep "translations/json" '{"service":"svc","source":"ja","languages":[{"language":"en","missing":[],"stale":["9.2.1"],"extra":[],"untranslated":[]}]}' "$TMP/out"
expect_status "translations/accept" 0 tr accept svc --lang en 9.2.1
expect_grep "translations/accept-message" "accepted 1 section of svc for en" "$TMP/err"
expect_status "translations/accepted" 0 tr status svc
expect_grep "translations/accepted-clean" "en: 0 missing, 0 stale, 0 extra, 0 untranslated" "$TMP/out"
# Re-wrapping the source does not make a translation stale.
sed -i 's/利用者を登録します。/利用者を\n登録します。/' "$C/content/svc/ja/01.md"
expect_status "translations/rewrap" 0 tr status svc
expect_grep "translations/rewrap-clean" "en: 0 missing, 0 stale" "$TMP/out"
# The lock is sorted text, one line a key.
if grep -v '^#' "$C/content/svc/translations.lock" | sort -c 2>/dev/null &&
    grep -q '^en 9.2.1 [0-9a-f]\{16\} [0-9a-f]\{16\}$' "$C/content/svc/translations.lock"; then
	pass "translations/lock-format"
else
	fail "translations/lock-format" "$(cat "$C/content/svc/translations.lock")"
fi
expect_status "translations/accept-unknown-key" 1 tr accept svc --lang en 4.2
# One target language: --lang may be left out (tests/cli/accept.sh).
expect_status "translations/accept-one-target" 0 tr accept svc
expect_status "translations/source-not-target" 2 tr status svc --lang ja
expect_status "translations/unknown-action" 2 "$WPGEN" translations frob svc

# A missing section is published from the source language with a notice;
# a stale one carries a notice.
new_service "$C"
printf '\n# 2. 追加\n\n新しい節。\n' >>"$C/content/svc/ja/01.md"
sed -i 's/本文です。/本文を変えました。/' "$C/content/svc/ja/01.md"
expect_status "translations/build-partial" 0 "$WPGEN" build --content "$C/content" --templates "$PWD/templates" --out "$C/out" --quiet
page=$C/out/svc/en/index.html
expect_grep "translations/missing-wrapped" '<div class="wp-untranslated" lang="ja">' "$page"
expect_grep "translations/missing-notice" '<p class="wp-notice wp-notice-untranslated" lang="en">' "$page"
expect_grep "translations/missing-source-text" '<p>新しい節。</p>' "$page"
expect_grep "translations/stale-notice" '<p class="wp-notice wp-notice-stale" lang="en">' "$page"
# A language with no files at all is published whole from the source.
rm -r "$C/content/svc/en"
expect_status "translations/build-no-edition" 0 "$WPGEN" build --content "$C/content" --templates "$PWD/templates" --out "$C/out" --quiet
expect_grep "translations/no-edition-source" '<p>新しい節。</p>' "$page"

# outline and xref show the edition as published: the missing section is
# there, from the source, and xref matches the xref.json of the build.
new_service "$C"
printf '\n# 2. 追加\n\n<ISO/IEC 27017 9.2.2>\n\n新しい節。\n' >>"$C/content/svc/ja/01.md"
expect_status "translations/outline-published" 0 "$WPGEN" outline svc --content "$C/content" --lang en --format text
expect_grep "translations/outline-has-missing" "2 追加  #sec-2  [9.2.2]" "$TMP/out"
"$WPGEN" build --content "$C/content" --templates "$PWD/templates" --out "$C/out" --quiet
"$WPGEN" xref svc --content "$C/content" --lang en >"$TMP/xref.json"
if cmp -s "$TMP/xref.json" "$C/out/svc/en/xref.json"; then pass "translations/xref-as-built"
else fail "translations/xref-as-built" "wpgen xref differs from the built xref.json"; fi

# An untranslated section brings its footnotes along, so its links work.
new_service "$C"
printf '\n# 2. 追加\n\n注記つき[^b]の節。\n\n# 3. 追加2\n\n注[^c]。\n\n[^b]: 注B\n[^c]: 注C\n' >>"$C/content/svc/ja/01.md"
expect_status "translations/footnotes-build" 0 "$WPGEN" build --content "$C/content" --templates "$PWD/templates" --out "$C/out" --quiet
expect_grep "translations/footnote-b" '<li id="fn-b">' "$C/out/svc/en/index.html"
expect_grep "translations/footnote-c" '<li id="fn-c">' "$C/out/svc/en/index.html"
