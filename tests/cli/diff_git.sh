# tests/cli/diff_git.sh: `wpgen diff SERVICE --from REV [--to REV]` on a
# repository made here (git init, commit, tag, edit, commit): the same
# result as the two-paths form on the same revisions checked out by hand,
# and clear errors for what cannot be read.
. tests/lib.sh

if ! command -v git >/dev/null; then
	echo "SKIP: diff-git: no git command to make the test repository"
	return 0 2>/dev/null || exit 0
fi
G="git -c user.name=test -c user.email=test@example.com -c init.defaultBranch=main"
repo=$TMP/repo
mkdir -p "$repo/content"
cp -r content/minato-27017 content/catalogs "$repo/content/"
# The templates word the revision note (its labels), as in a project.
cp -r templates "$repo/"
(cd "$repo" && $G init -q && $G add -A && $G commit -qm "2.1" && $G tag v1)
sed -i 's/速やかに/直ちに/' "$repo/content/minato-27017/ja/09-access.md"
sed -i 's/promptly/immediately/' "$repo/content/minato-27017/en/09-access.md"
(cd "$repo" && $G commit -qam "edit" && $G tag v2)
# The working tree goes further, uncommitted.
sed -i 's/多要素認証/二要素認証/' "$repo/content/minato-27017/ja/09-access.md"

# The revisions as directories, for the two-paths form.
for rev in v1 v2; do
	mkdir -p "$TMP/$rev"
	(cd "$repo" && git archive "$rev" content) | tar -x -C "$TMP/$rev"
done
svc=content/minato-27017

same_as_paths() {
	# $1 name, $2 old dir, $3 new dir, then the --from/--to options.
	_n=$1 _old=$2 _new=$3; shift 3
	for fmt in text json html; do
		(cd "$repo" && "$WPGEN" diff minato-27017 "$@" --format "$fmt" \
		    --templates "$OLDPWD/templates") >"$TMP/git.$fmt" 2>"$TMP/git.err"
		"$WPGEN" diff "$_old" "$_new" --content "$repo/content" \
		    --templates templates --format "$fmt" >"$TMP/paths.$fmt" 2>>"$TMP/git.err"
		if [ "$fmt" = json ]; then
			# Only the names of the sides differ.
			sed '1s/^{"old": "[^"]*", "new": "[^"]*",$/{"old": OLD, "new": NEW,/' \
			    "$TMP/git.$fmt" >"$TMP/a" && mv "$TMP/a" "$TMP/git.$fmt"
			sed '1s/^{"old": "[^"]*", "new": "[^"]*",$/{"old": OLD, "new": NEW,/' \
			    "$TMP/paths.$fmt" >"$TMP/a" && mv "$TMP/a" "$TMP/paths.$fmt"
		fi
		expect_same "diff-git/$_n/$fmt" "$TMP/git.$fmt" "$TMP/paths.$fmt"
	done
}
same_as_paths from-to "$TMP/v1/$svc/ja" "$TMP/v2/$svc/ja" --from v1 --to v2
same_as_paths from-worktree "$TMP/v2/$svc/ja" "$repo/$svc/ja" --from v2
same_as_paths lang-en "$TMP/v1/$svc/en" "$TMP/v2/$svc/en" --from v1 --to v2 --lang en

# What each says, so that "the same" is not "both empty".
(cd "$repo" && "$WPGEN" diff minato-27017 --from v1 --to v2) >"$TMP/out" 2>&1
printf '%s\n' "changed    9.2.1        利用者登録及び登録削除  +2 -3" "" \
    "変更 1、追加 0、削除 0、移動 0、番号変更 0" "" "9.2.1 を更新" >"$TMP/want"
expect_same "diff-git/from-v1-to-v2-text" "$TMP/out" "$TMP/want"
(cd "$repo" && "$WPGEN" diff minato-27017 --from v1 --format json) >"$TMP/out"
expect_grep "diff-git/json-names" '{"old": "v1:content/minato-27017/ja", "new": "content/minato-27017/ja",' "$TMP/out"
(cd "$repo" && "$WPGEN" diff minato-27017 --from v2 --to v2) >"$TMP/out" 2>&1
if [ ! -s "$TMP/out" ]; then pass "diff-git/same-revision-empty"
else fail "diff-git/same-revision-empty" "$(head -3 "$TMP/out")"; fi

# --content from another directory: the repository is found from it.
expect_status "diff-git/other-cwd" 0 "$WPGEN" diff minato-27017 --from v1 --content "$repo/content"
expect_grep "diff-git/other-cwd-note" "9.2.1 および 9.2.4 を更新" "$TMP/out"

# Errors: an unknown revision, a content directory outside any
# repository and a revision without the service are usage errors (2), as
# an unknown service is in every command (tests/regress/usage/).
expect_status "diff-git/unknown-rev" 2 "$WPGEN" diff minato-27017 --from nosuch --content "$repo/content"
expect_grep "diff-git/unknown-rev-message" "wpgen diff: unknown revision 'nosuch' in the repository of $repo/content" "$TMP/err"
mkdir -p "$TMP/norepo"
cp -r "$repo/content" "$TMP/norepo/"
expect_status "diff-git/no-repository" 2 "$WPGEN" diff minato-27017 --from v1 --content "$TMP/norepo/content"
expect_grep "diff-git/no-repository-message" "is not in a git work tree" "$TMP/err"
(cd "$repo" && git mv content/minato-27017 content/minato && $G commit -qm "rename" && $G tag v3)
expect_status "diff-git/service-absent" 2 "$WPGEN" diff minato --from v2 --content "$repo/content"
expect_grep "diff-git/service-absent-message" "wpgen diff: no service 'minato' at v2 in $repo/content (the working tree has it: it was added or renamed after that revision)" "$TMP/err"
expect_status "diff-git/bad-lang" 2 "$WPGEN" diff minato --from v3 --lang fr --content "$repo/content"
expect_status "diff-git/to-without-from" 2 "$WPGEN" diff a b --to v1

# Only regular files under the content tree are read from a revision: a
# committed symbolic link to a file outside it is not followed.
printf '# 99. Secret\n\nSECRET-OUTSIDE-CONTENT\n' >"$repo/secret.md"
ln -s ../../../secret.md "$repo/content/minato/ja/99-link.md"
(cd "$repo" && $G add -A && $G commit -qm "link" && $G tag v4)
expect_status "diff-git/symlink" 0 "$WPGEN" diff minato --from v4 --to v3 --content "$repo/content" --format json
expect_no_grep "diff-git/symlink-not-read" "SECRET" "$TMP/out"

# Files read from a revision keep the bound of files on disk (16 MiB).
rm "$repo/content/minato/ja/99-link.md"
head -c 17000000 /dev/zero | tr '\0' a >"$repo/content/minato/ja/98-big.md"
(cd "$repo" && $G add -A && $G commit -qm "big" && $G tag v5)
expect_status "diff-git/too-large" 1 "$WPGEN" diff minato --from v5 --to v3 --content "$repo/content"
expect_grep "diff-git/too-large-diag" "v5:content/minato/ja/98-big.md: error: cannot read the Markdown file [io-error]" "$TMP/err"

# A build publishes, for a revision whose predecessor has a ref, the
# redline from that ref to it, linked from the revision-history table;
# with archive: true, the past revision in full.
site=$TMP/site
mkdir -p "$site/content"
cp -r content/minato-27017 content/catalogs "$site/content/"
# Two images (one in the service's assets/, one beside the Markdown)
# whose files change after 2.1: the archived 2.1 shows its own.
# (Their text is drawn, so that a PDF shows which one it printed.)
svg() { printf '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="20"><title>%s</title><text x="0" y="15">%s</text></svg>\n' "$1" "$1"; }
mkdir -p "$site/content/minato-27017/assets"
svg "2.1 diagram" >"$site/content/minato-27017/assets/diagram.svg"
svg "2.1 flow" >"$site/content/minato-27017/ja/flow.svg"
printf '\n![構成図](diagram.svg)\n\n![流れ](flow.svg)\n' >>"$site/content/minato-27017/ja/01-introduction.md"
# And a section with an image, both removed after 2.1.
svg "2.1 old" >"$site/content/minato-27017/assets/old.svg"
cp "$site/content/minato-27017/ja/16-incident.md" "$TMP/16.md"
printf '\n## 99. 旧節\n\n![旧図](old.svg)\n' >>"$site/content/minato-27017/ja/16-incident.md"
yaml=$site/content/minato-27017/service.yaml
cp "$yaml" "$TMP/service.yaml"
sed -i '/version: "3.0"/,$d' "$yaml"
(cd "$site" && $G init -q && $G add -A && $G commit -qm "2.1" && $G tag v2.1)
cp "$TMP/service.yaml" "$yaml"
svg "3.0 diagram" >"$site/content/minato-27017/assets/diagram.svg"
svg "3.0 flow" >"$site/content/minato-27017/ja/flow.svg"
cp "$TMP/16.md" "$site/content/minato-27017/ja/16-incident.md"
rm "$site/content/minato-27017/assets/old.svg"
sed -i 's/^  - version: "2.1"$/&\n    ref: v2.1/' "$yaml"
sed -i 's/速やかに/直ちに/' "$site/content/minato-27017/ja/09-access.md"
(cd "$site" && $G commit -qam "3.0")
expect_status "diff-git/build-ref" 0 "$WPGEN" build --content "$site/content" --templates templates --out "$site/out" --quiet
ja=$site/out/minato-27017/ja
xp() { xmllint --html --xpath "$2" "$1" 2>/dev/null; }
got=$(xp "$ja/index.html" 'string(//table[contains(@class,"wp-revisions-table")]/tbody/tr[td[1]/span[@class="wp-version"]="2.1"]/following-sibling::tr[1]//a[@class="wp-rev-redline"]/@href)')
if [ "$got" = "changes-3.0.html" ]; then pass "diff-git/build-ref-link"
else fail "diff-git/build-ref-link" "the 3.0 row links to '$got'"; fi
got=$(xp "$ja/index.html" 'count(//a[@class="wp-rev-redline"])')
if [ "$got" = 1 ]; then pass "diff-git/build-ref-one-link"; else fail "diff-git/build-ref-one-link" "$got links"; fi
got=$(xp "$ja/changes-3.0.html" 'string(//title)')
want="Minato クラウド ISO/IEC 27017 ホワイトペーパー — 変更箇所：第2.1版 → 第3.0版（第 3 版）"
if [ "$got" = "$want" ]; then pass "diff-git/build-ref-title"; else fail "diff-git/build-ref-title" "$got"; fi
got=$(xp "$ja/changes-3.0.html" 'concat(//main//del[1], "|", //main//ins[1], "|", count(//ol[@class="wp-diff-changes"]/li), "|", //a[@class="wp-diff-name" or ancestor::li[@class="wp-diff-changed"]]/@href)')
if [ "$got" = "速やか|直ち|2|#ctl-9.2.1" ]; then pass "diff-git/build-ref-marks"; else fail "diff-git/build-ref-marks" "$got"; fi
# The removed image, struck whole (a deletion mark, not one replaced by an
# insertion), is 2.1's,
# read from git and written beside the redline.
got=$(xp "$ja/changes-3.0.html" 'concat(count(//img[@alt="旧図"]), "|", //img[@alt="旧図"]/parent::del/@class, "|", count(//img[@alt="旧図"]/parent::del), "|", //img[@alt="旧図"]/@src)')
if [ "$got" = "1|wp-diff-del|1|changes-3.0-files/old/assets/old.svg" ]; then pass "diff-git/build-ref-removed-image"
else fail "diff-git/build-ref-removed-image" "'$got'"; fi
svg "2.1 old" >"$TMP/want"
expect_same "diff-git/build-ref-removed-image-file" "$ja/changes-3.0-files/old/assets/old.svg" "$TMP/want"
# The same as `diff --from v2.1` run by hand, but for the links back.
(cd "$site" && "$WPGEN" diff minato-27017 --from v2.1 --format text --templates "$OLDPWD/templates") >"$TMP/out"
expect_grep "diff-git/build-ref-note" "9.2.1 を更新" "$TMP/out"
if [ -e "$site/out/minato-27017/ja-2.1" ]; then fail "diff-git/no-archive" "ja-2.1 published without archive: true"
else pass "diff-git/no-archive"; fi
sed -i '1i archive: true' "$yaml"
expect_status "diff-git/build-archive" 0 "$WPGEN" build --content "$site/content" --templates templates --out "$site/out" --quiet
got=$(xp "$ja/index.html" 'string(//a[@class="wp-rev-archive"]/@href)')
if [ "$got" = "../ja-2.1/index.html" ] && [ -f "$site/out/minato-27017/ja-2.1/index.html" ]; then pass "diff-git/build-archive-link"
else fail "diff-git/build-archive-link" "'$got'"; fi
got=$(xp "$site/out/minato-27017/ja-2.1/index.html" 'string(//table[contains(@class,"wp-revisions-table")]/tbody/tr[last()]/td[1]/span[@class="wp-version"])')
if [ "$got" = "2.1" ]; then pass "diff-git/build-archive-is-2.1"; else fail "diff-git/build-archive-is-2.1" "'$got'"; fi
# Its images are those of 2.1, read from git, beside it; the edition's
# are the working tree's.
for f in diagram flow; do
	svg "2.1 $f" >"$TMP/want"
	expect_same "diff-git/build-archive-image-$f" "$site/out/minato-27017/ja-2.1/assets/$f.svg" "$TMP/want"
	svg "3.0 $f" >"$TMP/want"
	expect_same "diff-git/build-edition-image-$f" "$site/out/minato-27017/ja/assets/$f.svg" "$TMP/want"
done
# The redline's removed image is then the archived edition's.
got=$(xp "$ja/changes-3.0.html" 'string(//img[@alt="旧図"]/@src)')
if [ "$got" = "../ja-2.1/assets/old.svg" ] && [ -f "$ja/$got" ]; then pass "diff-git/build-archive-removed-image"
else fail "diff-git/build-archive-removed-image" "'$got'"; fi
got=$(xp "$site/out/minato-27017/ja-2.1/index.html" 'concat(//img[@alt="構成図"]/@src, "|", //img[@alt="流れ"]/@src)')
if [ "$got" = "assets/diagram.svg|assets/flow.svg" ]; then pass "diff-git/build-archive-image-src"
else fail "diff-git/build-archive-image-src" "'$got'"; fi
# A redline of two revisions shows each side's images as that revision
# had them, never the working tree's (which differs here): with --output
# FILE.html, read from git and written beside it (FILE-files/old/ and
# FILE-files/new/); on standard output and in a PDF, as data: URLs.
svg "working diagram" >"$site/content/minato-27017/assets/diagram.svg"
(cd "$site" && "$WPGEN" diff minato-27017 --from v2.1 --to HEAD --format html \
    --templates "$OLDPWD/templates" --output "$TMP/r.html")
got=$(xp "$TMP/r.html" 'concat(//img[@alt="構成図"]/@src, "|", //img[@alt="流れ"]/@src, "|", //del/img[@alt="旧図"]/@src)')
if [ "$got" = "r-files/new/assets/diagram.svg|r-files/new/assets/flow.svg|r-files/old/assets/old.svg" ]; then
	pass "diff-git/from-to-image-src"
else fail "diff-git/from-to-image-src" "'$got'"; fi
for f in "new/assets/diagram.svg:3.0 diagram" "new/assets/flow.svg:3.0 flow" "old/assets/old.svg:2.1 old"; do
	svg "${f#*:}" >"$TMP/want"
	expect_same "diff-git/from-to-image-${f%%:*}" "$TMP/r-files/${f%%:*}" "$TMP/want"
done
# On standard output: the same images, inline.
(cd "$site" && "$WPGEN" diff minato-27017 --from v2.1 --to HEAD --format html \
    --templates "$OLDPWD/templates") >"$TMP/r-stdout.html"
for f in "構成図:3.0 diagram" "旧図:2.1 old"; do
	xp "$TMP/r-stdout.html" "string(//img[@alt=\"${f%%:*}\"]/@src)" >"$TMP/src"
	if grep -q '^data:image/svg+xml;base64,' "$TMP/src"; then
		sed 's/^data:image\/svg+xml;base64,//' "$TMP/src" | base64 -d >"$TMP/got"
	else cp "$TMP/src" "$TMP/got"; fi
	svg "${f#*:}" >"$TMP/want"
	expect_same "diff-git/from-to-image-stdout-${f#*:}" "$TMP/got" "$TMP/want"
done
# From the past to the working tree, the past side's removed image is
# its own; the working tree's point at their files.
(cd "$site" && "$WPGEN" diff minato-27017 --from v2.1 --format html \
    --templates "$OLDPWD/templates" --output "$TMP/w.html")
got=$(xp "$TMP/w.html" 'concat(//img[@alt="構成図"]/@src, "|", //del/img[@alt="旧図"]/@src)')
if [ "$got" = "site/content/minato-27017/assets/diagram.svg|w-files/old/assets/old.svg" ]; then
	pass "diff-git/from-worktree-image-src"
else fail "diff-git/from-worktree-image-src" "'$got'"; fi
# In the PDF: 3.0's diagram drawn (its words), not the working tree's,
# nor the alternative text of an image WeasyPrint could not read.
if command -v weasyprint >/dev/null && command -v pdftotext >/dev/null; then
	(cd "$site" && "$WPGEN" diff minato-27017 --from v2.1 --to HEAD --format pdf \
	    --templates "$OLDPWD/templates" --output "$TMP/r.pdf")
	pdftotext "$TMP/r.pdf" - | tr -d '\n' >"$TMP/r.txt"
	got="$(grep -o -e '3.0 diagram' -e 'working diagram' -e '2.1 old' -e '3.0 flow' -e '構成図' -e '旧図' "$TMP/r.txt" | tr '\n' '|')"
	if [ "$got" = "3.0 diagram|3.0 flow|2.1 old|" ]; then pass "diff-git/from-to-pdf-images"
	else fail "diff-git/from-to-pdf-images" "'$got'"; fi
fi
# The two-paths form: a removed section's image points at the old
# side's file, relative to --output.
mkdir -p "$TMP/s21"
(cd "$site" && git archive v2.1 content) | tar -x -C "$TMP/s21"
"$WPGEN" diff "$TMP/s21/content/minato-27017/ja" "$site/content/minato-27017/ja" \
    --content "$site/content" --templates templates --format html --output "$TMP/r2.html" 2>"$TMP/err"
got=$(xp "$TMP/r2.html" 'concat(//img[@alt="旧図"]/@src, "|", count(//del/img[@alt="旧図"]))')
if [ "$got" = "s21/content/minato-27017/assets/old.svg|1" ]; then pass "diff-git/paths-removed-image-src"
else fail "diff-git/paths-removed-image-src" "'$got' $(head -c 300 "$TMP/err")"; fi
# A ref that names nothing is an error at its line in service.yaml.
sed -i 's/ref: v2.1/ref: v9.9/' "$yaml"
expect_status "diff-git/build-bad-ref" 1 "$WPGEN" build --content "$site/content" --templates templates --out "$site/out" --quiet
if [ "$(grep -c unknown-ref "$TMP/err")" = 1 ]; then pass "diff-git/build-bad-ref-once"
else fail "diff-git/build-bad-ref-once" "$(cat "$TMP/err")"; fi
expect_grep "diff-git/build-bad-ref-diag" "service.yaml:45:5: error: revision 2.1: unknown revision 'v9.9' in the repository of $site/content [unknown-ref]" "$TMP/err"

# translations diff: what changed in the source of each stale section
# since its translation was confirmed (read from git at the commit whose
# section has the hash the lock recorded); the lock is unchanged.
tr=$TMP/tr
mkdir -p "$tr/content"
cp -r content/minato-27017 content/catalogs "$tr/content/"
(cd "$tr" && $G init -q && $G add -A && $G commit -qm "confirmed")
sed -i 's/速やかに/直ちに/' "$tr/content/minato-27017/ja/09-access.md"
(cd "$tr" && $G commit -qam "source edited")
sed -i 's/多要素認証/二要素認証/' "$tr/content/minato-27017/ja/09-access.md"
first=$(cd "$tr" && git rev-parse --short=7 HEAD~1)
"$WPGEN" translations diff minato-27017 --content "$tr/content" >"$TMP/out" 2>"$TMP/err"
echo "exit $?" >>"$TMP/out"
printf 'en 9.2.1 利用者登録及び登録削除 (confirmed at %s)\n' "$first" >"$TMP/want1"
head -n 1 "$TMP/out" >"$TMP/got1"
expect_same "translations-diff/header" "$TMP/got1" "$TMP/want1"
expect_grep "translations-diff/marks-9.2.1" "[-速やか-]{+直ち+}に" "$TMP/out"
expect_grep "translations-diff/marks-9.2.4" "[-多要素認証-]{+二要素認証+}" "$TMP/out"
expect_grep "translations-diff/exit" "exit 0" "$TMP/out"
"$WPGEN" translations diff minato-27017 --content "$tr/content" 9.2.4 >"$TMP/out" 2>&1
if [ "$(grep -c '^en ' "$TMP/out")" = 1 ] && grep -q '^en 9.2.4 ' "$TMP/out"; then pass "translations-diff/one-key"
else fail "translations-diff/one-key" "$(head -3 "$TMP/out")"; fi
expect_status "translations-diff/not-stale" 1 "$WPGEN" translations diff minato-27017 --content "$tr/content" 9.2.2
expect_grep "translations-diff/not-stale-message" "section '9.2.2' is not stale" "$TMP/err"
cp -r "$tr/content" "$TMP/norepo-tr"
expect_status "translations-diff/no-repository" 2 "$WPGEN" translations diff minato-27017 --content "$TMP/norepo-tr"
if cmp -s "$tr/content/minato-27017/translations.lock" content/minato-27017/translations.lock; then pass "translations-diff/lock-unchanged"
else fail "translations-diff/lock-unchanged" "the lock changed"; fi
