# tests/cli/project.sh: the project layer and the one options parser:
# every command opens the content, templates and services the same way,
# with the same exit status for a service or language that does not exist,
# and finds its templates through --templates, ./templates or the
# installed share/wpgen/templates.
. tests/lib.sh

P=$TMP/project
mkdir -p "$P/content/svc/ja" "$P/content/svc/en"
cp -r content/catalogs "$P/content/catalogs"
cat >"$P/content/svc/service.yaml" <<YAML
style: idcf
languages: [ja, en]
title: {ja: テスト, en: Test}
revisions:
  - version: "1.0"
    date: 2024-04-01
YAML
printf '# 1. はじめに\n\n<ISO/IEC 27017 9.2.1>\n\n本文。\n' >"$P/content/svc/ja/01.md"
printf '# 1. Introduction\n\n<ISO/IEC 27017 9.2.1>\n\nText.\n' >"$P/content/svc/en/01.md"
C=$P/content

# An unknown service: usage error (2) from every command, said on stderr.
for cmd in "build --service nosuch --out $P/none" "check --service nosuch" \
    "outline nosuch" "xref nosuch" "translations status nosuch" \
    "translations accept nosuch --lang en" "outline --service nosuch"; do
	# shellcheck disable=SC2086
	expect_status "unknown-service: $cmd" 2 "$WPGEN" $cmd --content "$C" \
	    --templates "$PWD/templates"
	expect_grep "unknown-service says so: $cmd" "no service 'nosuch' in $C" "$TMP/err"
done
if [ ! -e "$P/none" ]; then pass "unknown-service: nothing written"
else fail "unknown-service: nothing written"; fi

# An unknown language: usage error (2) from every command.
for cmd in "build --lang xx --out $P/none" "check --lang xx" "outline svc --lang xx" \
    "xref svc --lang xx" "translations status svc --lang xx"; do
	# shellcheck disable=SC2086
	expect_status "unknown-lang: $cmd" 2 "$WPGEN" $cmd --content "$C" \
	    --templates "$PWD/templates"
done
expect_grep "unknown-lang says which service" "service 'svc' has no language 'xx'" "$TMP/err"

# No content directory: I/O error (3) from every command.
for cmd in "build --out $P/none" check "outline svc" "translations status svc" \
    "diff $C/svc/en/01.md $C/svc/ja/01.md"; do
	# shellcheck disable=SC2086
	expect_status "no-content: $cmd" 3 "$WPGEN" $cmd --content "$P/nothing" \
	    --templates "$PWD/templates"
	expect_grep "no-content says so: $cmd" "no content directory $P/nothing" "$TMP/err"
done

# One --lang where a command takes one; options it does not take.
expect_status "outline: one --lang" 2 "$WPGEN" outline svc --lang ja --lang en --content "$C"
expect_grep "outline: one --lang says so" "one --lang only" "$TMP/err"
expect_status "outline: no --out" 2 "$WPGEN" outline svc --out x --content "$C"
expect_status "build: --jobs 0" 2 "$WPGEN" build --jobs 0 --content "$C"
expect_grep "build: --jobs 0 says so" "--jobs needs a positive number" "$TMP/err"

# --lang selects languages in check as in build.
printf '# 2. x\n\n<ISO/IEC 27017 99.9.9>\n' >"$P/content/svc/en/02.md"
expect_status "check --lang ja skips en" 0 "$WPGEN" check --lang ja --content "$C" --templates "$PWD/templates"
expect_status "check --lang en finds it" 1 "$WPGEN" check --lang en --content "$C" --templates "$PWD/templates"
expect_grep "check --lang en: the error" "02.md:3:16: error: '99.9.9' is not in ISO/IEC 27017:2015" "$TMP/err"
rm "$P/content/svc/en/02.md"

# Templates found beside the installed executable: <prefix>/bin/wpgen
# uses <prefix>/share/wpgen/templates when there is no ./templates.
I=$P/prefix
mkdir -p "$I/bin" "$I/share/wpgen"
cp "$WPGEN" "$I/bin/wpgen"
cp -R templates "$I/share/wpgen/templates"
(cd "$P" && "$I/bin/wpgen" build --quiet --out "$P/out-installed") >"$TMP/out" 2>"$TMP/err"
if [ $? = 0 ] && [ -f "$P/out-installed/svc/ja/index.html" ] &&
    cmp -s "$P/out-installed/assets/wpgen.css" templates/base/assets/wpgen.css; then
	pass "templates: found under <prefix>/share/wpgen"
else
	fail "templates: found under <prefix>/share/wpgen" "$(head -c 400 "$TMP/err")"
fi
# ./templates wins over the installed ones.
mkdir -p "$P/templates"
(cd "$P" && "$I/bin/wpgen" build --quiet --out "$P/out-local") >"$TMP/out" 2>"$TMP/err"
expect_grep "templates: ./templates first" "no style 'idcf' in templates" "$TMP/err"
rmdir "$P/templates"

# The redline keeps its stylesheet wherever diff runs: from the installed
# templates, or from --templates.
printf '# 1. Introduction\n\n<ISO/IEC 27017 9.2.1>\n\nNew text.\n' >"$P/new.md"
css_line=$(grep -m1 . templates/base/assets/wpgen.css)
(cd "$P" && "$I/bin/wpgen" diff content/svc/en/01.md new.md --format html \
    --output "$P/redline1.html") >"$TMP/out" 2>"$TMP/err"
expect_grep "diff: stylesheet from the installed templates" "$css_line" "$P/redline1.html"
(cd / && "$WPGEN" diff "$C/svc/en/01.md" "$P/new.md" --format html \
    --content "$C" --templates "$OLDPWD/templates" --output "$P/redline2.html") \
    >"$TMP/out" 2>"$TMP/err"
expect_grep "diff: stylesheet from --templates outside the repository" "$css_line" "$P/redline2.html"
