# tests/cli/unsafe_past.sh: what a past revision read from git may put in
# today's pages.  Its diagnostics are not shown (its problems are not this
# build's), so an unsafe link or image must not survive the reading: a
# `javascript:` link in a section and in a footnote of revision 2.1, a
# section removed since, reaches neither the published redline, nor the
# archived 2.1 (the text stays, the URL goes); `wpgen diff --from` says
# where the URL is and writes no redline.
# And a past service.yaml that set `unsafe_html: true` does not let its
# raw HTML into today's pages: old editions are read with the current
# service's unsafe_html.
. tests/lib.sh

for tool in git xmllint; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "SKIP: unsafe-past: $tool is not installed"
		exit 0
	fi
done
G="git -c user.name=test -c user.email=test@example.com -c init.defaultBranch=main"
xp() { xmllint --html --xpath "$2" "$1" 2>/dev/null; }
svc=minato-27017
site=$TMP/site
mkdir -p "$site/content"
cp -r content/$svc content/catalogs "$site/content/"
yaml=$site/content/$svc/service.yaml
md=$site/content/$svc/ja/16-incident.md
cp "$yaml" "$TMP/service.yaml"
cp "$md" "$TMP/16.md"
# 2.1: a section with a javascript: link and a footnote with another;
# 2.1u, the same with unsafe_html: true and raw HTML.
sed -i '/version: "3.0"/,$d' "$yaml"
printf '\n## 99. 旧節\n\n[リンク](javascript:alert(document.domain)) と注記[^x]。\n\n[^x]: [注](javascript:alert(2))\n' >>"$md"
(cd "$site" && $G init -q && $G add -A && $G commit -qm "2.1" && $G tag v2.1)
sed -i '1i unsafe_html: true' "$yaml"
printf '\n<span id="raw-old">RAW</span>\n' >>"$md"
(cd "$site" && $G commit -qam "2.1, trusted" && $G tag v2.1u)
# Today: the section removed, unsafe_html off, 2.1 referenced and archived.
cp "$TMP/service.yaml" "$yaml"
cp "$TMP/16.md" "$md"
sed -i 's/^  - version: "2.1"$/&\n    ref: v2.1/' "$yaml"
sed -i '1i archive: true' "$yaml"
(cd "$site" && $G commit -qam "3.0")

# $1 the test's name, $2 the ref: no javascript: link, no raw HTML, the
# link's text kept, in the published redline, the archived 2.1 and the
# redline of `diff --from`.
check_ref() {
	sed -i "s/^    ref: .*/    ref: $2/" "$yaml"
	expect_status "unsafe-past/$1/build" 0 "$WPGEN" build --content "$site/content" --templates templates --out "$site/out" --quiet
	for f in ja/changes-3.0.html ja-2.1/index.html; do
		if [ ! -f "$site/out/$svc/$f" ]; then fail "unsafe-past/$1/$f" "not published"; continue; fi
		got=$(xp "$site/out/$svc/$f" 'concat(count(//a[starts-with(normalize-space(@href),"javascript:")]), "|", count(//*[@id="raw-old"]), "|", count(//*[contains(normalize-space(.), "リンク と注記")]) > 0)')
		if [ "$got" = "0|0|true" ]; then pass "unsafe-past/$1/$f"
		else fail "unsafe-past/$1/$f" "javascript: links|raw HTML|text kept: '$got'"; fi
	done
	# diff shows the revisions' problems: it says where the URL is and
	# writes no redline (were one written, no such link in it).
	rm -f "$TMP/r.html"
	(cd "$site" && "$WPGEN" diff $svc --from "$2" --format html \
	    --templates "$OLDPWD/templates" --output "$TMP/r.html") 2>"$TMP/err"
	echo "exit $?" >>"$TMP/err"
	expect_grep "unsafe-past/$1/diff-from-diag" "$2:content/$svc/ja/16-incident.md:26:7: error: the URL 'javascript:alert(document.domain)' is not allowed" "$TMP/err"
	expect_grep "unsafe-past/$1/diff-from-exit" "exit 1" "$TMP/err"
	got=$(xp "$TMP/r.html" 'count(//a[starts-with(normalize-space(@href),"javascript:")])')
	if [ ! -e "$TMP/r.html" ] || [ "$got" = 0 ]; then pass "unsafe-past/$1/diff-from"
	else fail "unsafe-past/$1/diff-from" "$got javascript: links"; fi
}
check_ref links v2.1
check_ref unsafe-html v2.1u
