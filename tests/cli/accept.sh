# tests/cli/accept.sh: `wpgen translations accept` is safe: without keys
# it accepts only the sections whose translation is new or changed since
# the lock, says what it accepted and what stays stale; a named section
# or --all accepts as it is; locks written before the translation's hash
# was kept still load; --lang may be left out with one target language.
. tests/lib.sh

A=$TMP/accept
mkdir -p "$A/content"
# No catalogs: the skeleton chapter is one section, 1, to add to.
mkdir -p "$A/content/catalogs"
TPL=$PWD/templates
w() { "$WPGEN" "$@" --content "$A/content" --templates "$TPL"; }
# run NAME CMD...: stdout, stderr and the status, whole, into $TMP/got.
run() {
	_n=$1; shift
	"$@" >"$TMP/o" 2>"$TMP/e"
	{ echo "status $?"; cat "$TMP/o"; echo "--- stderr"; cat "$TMP/e"; } >"$TMP/got"
}
want() { cat >"$TMP/want"; expect_same "$1" "$TMP/got" "$TMP/want"; }

w new svc >/dev/null 2>&1
J=$A/content/svc/ja/01-introduction.md E=$A/content/svc/en/01-introduction.md
printf '\n## 1.1 範囲\n\n範囲です。\n\n## 1.2 用語\n\n用語です。\n' >>"$J"
printf '\n## 1.1 Scope\n\nThe scope.\n\n## 1.2 Terms\n\nThe terms.\n' >>"$E"

# New translations are accepted (never confirmed before); no --lang.
run first w translations accept svc
want "accept/new-sections" <<EOF
status 0
en 1.1          accepted (never confirmed before)
en 1.2          accepted (never confirmed before)
--- stderr
accepted 2 sections of svc for en
EOF
grep -c ' [0-9a-f]\{16\} [0-9a-f]\{16\}$' "$A/content/svc/translations.lock" >"$TMP/got"
echo 3 >"$TMP/want"
expect_same "accept/lock-keeps-translation-hash" "$TMP/got" "$TMP/want"

# The source of 1.1 and 1.2 changes; only 1.1's translation follows.
sed -i 's/範囲です。/対象の範囲です。/; s/用語です。/用語の定義です。/' "$J"
sed -i 's/The scope\./What is in scope./' "$E"
run again w translations accept svc
want "accept/only-changed-translations" <<EOF
status 0
en 1.1          accepted (its translation changed)
en 1.2          still stale: its translation did not change since it was confirmed; update it, or name it (or give --all) to accept it as it is
--- stderr
accepted 1 section of svc for en; 1 stale section kept stale
EOF
run status w translations status svc
want "accept/stale-stays-stale" <<EOF
status 0
en: 0 missing, 1 stale, 0 extra, 0 untranslated
  stale        1.2
--- stderr
EOF

# Nothing changed: nothing accepted.
run nothing w translations accept svc --lang en
want "accept/nothing-changed" <<EOF
status 0
en 1.2          still stale: its translation did not change since it was confirmed; update it, or name it (or give --all) to accept it as it is
--- stderr
accepted 0 sections of svc for en; 1 stale section kept stale
EOF

# Named, it is accepted as it is.
run named w translations accept svc 1.2
want "accept/named" <<EOF
status 0
en 1.2          accepted (named)
--- stderr
accepted 1 section of svc for en
EOF

# A lock written before the translation's hash was kept: it loads, and a
# stale section of it is not taken for translated.
sed -i 's/用語の定義です。/用語とその定義です。/' "$J"
sed -i 's/^\(en 1\.2 [0-9a-f]*\) [0-9a-f]*$/\1/' "$A/content/svc/translations.lock"
run old w translations accept svc
want "accept/old-lock" <<EOF
status 0
en 1.2          still stale: the lock does not say what its translation was when confirmed; update it, or name it (or give --all) to accept it as it is
--- stderr
accepted 0 sections of svc for en; 1 stale section kept stale
EOF
run all w translations accept svc --all
want "accept/all" <<EOF
status 0
en 1.2          accepted (stale, --all)
--- stderr
accepted 1 section of svc for en
EOF
expect_status "accept/all-clean" 0 w check --strict --service svc

# Several target languages: --lang is needed.
w new multi --lang ja,en,zh-Hant >/dev/null 2>&1
run multi w translations accept multi
want "accept/which-language" <<EOF
status 2
--- stderr
wpgen translations accept: which language? multi has several: give --lang (en, zh-Hant)
EOF
run both w translations accept svc --all 1.1
want "accept/all-and-keys" <<EOF
status 2
--- stderr
wpgen translations accept: --all or KEY..., not both
EOF
