# tests/cli/security.sh: hostile and careless input (issue 8): nothing
# read from outside the content tree, nothing written outside out/, no
# script in a page without unsafe_html, out/ replaced only when wpgen made
# it.  Each case compares the whole of stderr and the exit status, and
# checks that out/ is as it was.
. tests/lib.sh

TPL=$PWD/templates

# new_site DIR: a one-language service "svc" in DIR/content, built once
# into DIR/out (so out/ holds a previous site to keep).
new_site() {
	rm -rf "$1"
	mkdir -p "$1/content/svc/ja"
	cp -r content/catalogs "$1/content/catalogs"
	cat >"$1/content/svc/service.yaml" <<YAML
style: idcf
languages: [ja]
title: テスト
revisions:
  - version: "1"
    date: 2024-04-01
YAML
	printf '# 1. はじめに\n\n<ISO/IEC 27017 9.2.1>\n\n本文。\n' >"$1/content/svc/ja/01.md"
	(cd "$1" && "$WPGEN" build --templates "$TPL" --quiet) || fail "new_site $1"
	(cd "$1" && find out -type f | sort | xargs md5sum) >"$1/out.sum"
}

# run NAME WANT-STATUS CMD...: runs CMD in $S (stderr to $TMP/err).
run() {
	_name=$1 _want=$2; shift 2
	(cd "$S" && "$@") >"$TMP/out" 2>"$TMP/err"; _got=$?
	if [ "$_got" = "$_want" ]; then pass "$_name/status"
	else fail "$_name/status" "exit $_got, want $_want: $(head -c 300 "$TMP/err")"; fi
}

# stderr_is NAME TEXT: stderr was exactly TEXT (printf format).
stderr_is() {
	printf "$2" >"$TMP/want"
	expect_same "$1/stderr" "$TMP/err" "$TMP/want"
}

# out_kept NAME: out/ holds what the first build wrote, and no debris is
# left beside it.
out_kept() {
	(cd "$S" && find out -type f | sort | xargs md5sum) >"$TMP/sum"
	if cmp -s "$TMP/sum" "$S/out.sum" && ! ls -d "$S"/out.* 2>/dev/null | grep -v 'out.sum$' >/dev/null; then
		pass "$1/out-kept"
	else
		fail "$1/out-kept" "out/ changed or debris left: $(ls -a "$S")"
	fi
}

build() { "$WPGEN" build --templates "$TPL" --quiet "$@"; }

S=$TMP/sec

# An image outside the service directory: an error at its line:column,
# never copied into the site.
new_site "$S"
printf '# 2. x\n\n![p](../../../../../../../../../../etc/passwd)\n' >"$S/content/svc/ja/02.md"
run sec/image-dotdot 1 build
stderr_is sec/image-dotdot "content/svc/ja/02.md:3:6: error: image '../../../../../../../../../../etc/passwd' lies outside the service directory (after following symlinks and '..'); copy it into the service's assets/ [outside-tree]\n"
out_kept sec/image-dotdot

# The same through a symlink in assets/.
new_site "$S"
mkdir "$S/content/svc/assets"
ln -s /etc/passwd "$S/content/svc/assets/pw.png"
printf '# 2. x\n\n![p](pw.png)\n' >"$S/content/svc/ja/02.md"
run sec/image-symlink 1 build
stderr_is sec/image-symlink "content/svc/ja/02.md:3:6: error: image 'pw.png' lies outside the service directory (after following symlinks and '..'); copy it into the service's assets/ [outside-tree]\n"
out_kept sec/image-symlink

# An image in a sibling service is outside this service too (it would
# have been copied to assets/../.. of out/).
new_site "$S"
mkdir -p "$S/content/other/assets"
printf '<svg xmlns="http://www.w3.org/2000/svg"/>\n' >"$S/content/other/assets/x.svg"
printf '# 2. x\n\n![p](../../other/assets/x.svg)\n' >"$S/content/svc/ja/02.md"
run sec/image-sibling 1 build
stderr_is sec/image-sibling "content/svc/ja/02.md:3:6: error: image '../../other/assets/x.svg' lies outside the service directory (after following symlinks and '..'); copy it into the service's assets/ [outside-tree]\n"
out_kept sec/image-sibling

# An image that is a directory.
new_site "$S"
mkdir -p "$S/content/svc/ja/fig.png"
printf '# 2. x\n\n![p](fig.png)\n' >"$S/content/svc/ja/02.md"
run sec/image-dir 1 build
stderr_is sec/image-dir "content/svc/ja/02.md:3:6: error: image 'fig.png' is not a regular file (a directory, FIFO or device); point at an image file [not-a-file]\n"
out_kept sec/image-dir

# A Markdown file that is a symlink out of the tree.
new_site "$S"
ln -s /etc/passwd "$S/content/svc/ja/02.md"
run sec/md-symlink 1 build
stderr_is sec/md-symlink "content/svc/ja/02.md: error: cannot read the Markdown file: the file lies outside the content and templates trees (after following symlinks and '..'); keep it inside them [outside-tree]\n"
out_kept sec/md-symlink

# A FIFO named *.md is refused at once, not waited on.
new_site "$S"
mkfifo "$S/content/svc/ja/02.md"
run sec/md-fifo 1 build
stderr_is sec/md-fifo "content/svc/ja/02.md: error: cannot read the Markdown file: not a regular file (a FIFO, device or socket); replace it with a regular file [not-a-file]\n"
out_kept sec/md-fifo

# A catalog symlinked to /dev/zero, and a FIFO named *.xml.
new_site "$S"
ln -s /dev/zero "$S/content/catalogs/zero.en.xml"
mkfifo "$S/content/catalogs/fifo.en.xml"
run sec/catalog-devices 1 build
stderr_is sec/catalog-devices "content/catalogs/fifo.en.xml: error: cannot read catalog file: not a regular file (a FIFO, device or socket); replace it with a regular file [not-a-file]\ncontent/catalogs/zero.en.xml: error: cannot read catalog file: the file lies outside the content and templates trees (after following symlinks and '..'); keep it inside them [outside-tree]\n"
out_kept sec/catalog-devices

# A 50 MB Markdown file: too-large, without reading it.
new_site "$S"
truncate -s 50M "$S/content/svc/ja/02.md"
run sec/too-large 1 build
stderr_is sec/too-large "content/svc/ja/02.md: error: cannot read the Markdown file: the file is too large to read (the limit is 16 MB, 64 MB for catalogs and images); split it [too-large]\n"
out_kept sec/too-large

# --out must not be the content tree, lie in it, or hold it.
new_site "$S"
run sec/out-content 2 build --out content
stderr_is sec/out-content "content: error: --out is the content tree content; a build replaces --out whole, so give a directory apart from it [out-overlaps-input]\n"
run sec/out-in-content 2 build --out content/svc/ja
stderr_is sec/out-in-content "content/svc/ja: error: --out lies inside the content tree content; a build replaces --out whole, so give a directory apart from it [out-overlaps-input]\n"
run sec/out-holds-content 2 build --out .
stderr_is sec/out-holds-content ".: error: --out holds the content tree content; a build replaces --out whole, so give a directory apart from it [out-overlaps-input]\n"
run sec/out-templates 2 "$WPGEN" build --templates "$TPL" --quiet --out "$TPL/idcf"
stderr_is sec/out-templates "$TPL/idcf: error: --out lies inside the templates tree $TPL; a build replaces --out whole, so give a directory apart from it [out-overlaps-input]\n"
if [ -f "$S/content/svc/ja/01.md" ] && [ -f "$TPL/idcf/page.mustache" ]; then pass "sec/out-sources-kept"
else fail "sec/out-sources-kept" "a source was deleted"; fi

# --out that wpgen did not make is not replaced; an empty one is.
mkdir -p "$S/mine"
echo precious >"$S/mine/notes.txt"
run sec/out-foreign 2 build --out mine
stderr_is sec/out-foreign "mine: error: --out is not empty and has no .wpgen-out file, so wpgen did not make it and a build would delete what it holds; give an empty or new directory, or remove this one [out-not-wpgen]\n"
if [ "$(cat "$S/mine/notes.txt")" = precious ]; then pass "sec/out-foreign-kept"; else fail "sec/out-foreign-kept"; fi
mkdir -p "$S/empty"
run sec/out-empty 0 build --out empty
if [ -f "$S/empty/.wpgen-out" ] && [ -f "$S/empty/svc/ja/index.html" ]; then pass "sec/out-empty-marker"
else fail "sec/out-empty-marker"; fi
ln -s mine "$S/link"
run sec/out-symlink 2 build --out link
stderr_is sec/out-symlink "link: error: --out is a symlink, not a directory that wpgen made; give another --out [out-not-wpgen]\n"

# A trailing slash: every rebuild works.
run sec/out-slash-1 0 build --out out/
run sec/out-slash-2 0 build --out out/
if [ -f "$S/out/svc/ja/index.html" ] && ! ls -d "$S"/out.tmp-* "$S"/out.old-* >/dev/null 2>&1; then
	pass "sec/out-slash-result"
else
	fail "sec/out-slash-result" "$(ls -a "$S")"
fi

# A build that cannot write says why (strerror) and exits 3: here the
# file size limit stands in for a full disk.
new_site "$S"
# A changed edition, so that it is written again (an unchanged one would
# be linked from the previous out/, not written).
printf '\nMore.\n' >>"$S/content/svc/ja/01.md"
(cd "$S" && trap '' XFSZ && ulimit -f 8 && "$WPGEN" build --templates "$TPL" --quiet) >"$TMP/out" 2>"$TMP/err"
if [ $? = 3 ] && grep -qx 'out/svc/ja/xref.json: error: cannot write the file: File too large \[io-error\]' "$TMP/err"; then
	pass "sec/write-error-says-why"
else
	fail "sec/write-error-says-why" "$(head -c 300 "$TMP/err")"
fi
out_kept sec/write-error

# diff --output writes regular files only: a device, a FIFO and a symlink
# are left as they are.
D=$TMP/diffout
mkdir -p "$D"
printf '# 1. a\n\nold\n' >"$D/old.md"
printf '# 1. a\n\nnew\n' >"$D/new.md"
mknod "$D/null" c 1 3
mkfifo "$D/fifo"
echo target >"$D/target"
ln -s target "$D/link"
for t in null fifo link; do
	expect_status "sec/diff-output-$t-status" 3 "$WPGEN" diff "$D/old.md" "$D/new.md" --output "$D/$t"
	printf 'wpgen diff: cannot write %s: it is not a regular file (a device, FIFO, symlink or directory); --output writes regular files only\n' "$D/$t" >"$TMP/want"
	expect_same "sec/diff-output-$t-stderr" "$TMP/err" "$TMP/want"
done
if [ -c "$D/null" ] && [ -p "$D/fifo" ] && [ -L "$D/link" ] && [ "$(cat "$D/target")" = target ]; then
	pass "sec/diff-output-kept"
else
	fail "sec/diff-output-kept" "$(ls -la "$D")"
fi
expect_status "sec/diff-output-regular" 0 "$WPGEN" diff "$D/old.md" "$D/new.md" --output "$D/result.txt"
if [ -f "$D/result.txt" ] && ! ls -a "$D" | grep -q wpgen-tmp; then pass "sec/diff-output-written"
else fail "sec/diff-output-written" "$(ls -a "$D")"; fi

# Links and images with a scheme other than http, https, mailto: an error
# at their line:column unless unsafe_html (then they pass).
new_site "$S"
cat >"$S/content/svc/ja/02.md" <<'MD'
# 2. Links

[a](javascript:alert(1)) [b](JavaScript:alert(2)) [c](vbscript:msgbox)
[d](data:text/html;base64,PHNjcmlwdD4=) <javascript:alert(3)>
[e](&#106;avascript:alert(4)) ![f](data:image/svg+xml;base64,PHN2Zz4=)
[ok1](https://example.com) [ok2](mailto:a@example.com) [ok3](#sec-1) [ok4](other.html)
MD
run sec/unsafe-urls 1 build
m="is not allowed: only http, https, mailto and relative links are; remove it, or set unsafe_html: true in service.yaml when the content is trusted [unsafe-url]"
stderr_is sec/unsafe-urls "content/svc/ja/02.md:3:5: error: the URL 'javascript:alert(1)' $m
content/svc/ja/02.md:3:30: error: the URL 'JavaScript:alert(2)' $m
content/svc/ja/02.md:3:55: error: the URL 'vbscript:msgbox' $m
content/svc/ja/02.md:4:5: error: the URL 'data:text/html;base64,PHNjcmlwdD4=' $m
content/svc/ja/02.md:4:42: error: the URL 'javascript:alert(3)' $m
content/svc/ja/02.md:5:1: error: the URL 'javascript:alert(4)' $m
content/svc/ja/02.md:5:36: error: the URL 'data:image/svg+xml;base64,PHN2Zz4=' $m
"
out_kept sec/unsafe-urls
printf 'unsafe_html: true\n' >>"$S/content/svc/service.yaml"
run sec/unsafe-urls-allowed 0 build
expect_grep "sec/unsafe-urls-allowed-link" '<a href="javascript:alert(1)">a</a>' "$S/out/svc/ja/index.html"

# The same in a redline: `wpgen diff` refuses the link too.
printf '# 1. a\n\n[x](javascript:alert(1))\n' >"$D/evil.md"
expect_status "sec/diff-unsafe-url" 1 "$WPGEN" diff "$D/old.md" "$D/evil.md" --format html
printf "%s:3:5: error: the URL 'javascript:alert(1)' is not allowed: only http, https, mailto and relative links are; remove it, or set unsafe_html: true in service.yaml when the content is trusted [unsafe-url]\n" "$D/evil.md" >"$TMP/want"
expect_same "sec/diff-unsafe-url-stderr" "$TMP/err" "$TMP/want"

# A service directory named like a URL scheme is a relative link on the
# index and coverage pages.
new_site "$S"
mv "$S/content/svc" "$S/content/javascript:alert(1)"
run sec/service-name-href 0 build
expect_grep "sec/service-name-index" 'href="javascript%3Aalert%281%29/ja/index.html"' "$S/out/index.html"
expect_grep "sec/service-name-coverage" 'href="javascript%3Aalert%281%29/ja/index.html#sec-1"' "$S/out/coverage.html"
expect_no_grep "sec/service-name-no-scheme" 'href="javascript:' "$S/out/index.html"

# A full disk (a small tmpfs, where the system lets the test mount one):
# the build says why, exits 3 and leaves nothing on the full disk.
F=$TMP/full
mkdir -p "$F"
if mount -t tmpfs -o size=96k tmpfs "$F" 2>/dev/null; then
	new_site "$S"
	(cd "$S" && "$WPGEN" build --templates "$TPL" --quiet --out "$F/out") >"$TMP/out" 2>"$TMP/err"
	s=$?
	# (Whichever file fills it: a page written or a style sheet copied.)
	if [ $s = 3 ] && grep -Eq ': error: cannot (write the file|copy the file to .*): No space left on device \[io-error\]$' "$TMP/err" &&
	    [ -z "$(ls -A "$F")" ]; then
		pass "sec/disk-full"
	else
		fail "sec/disk-full" "exit $s: $(head -c 300 "$TMP/err"; ls -A "$F")"
	fi
	umount "$F"
else
	echo "SKIP: sec/disk-full: cannot mount a tmpfs here"
fi

# Standard output on a full device: said, exit 3 (not a silent 0).
if [ -c /dev/full ]; then
	new_site "$S"
	for c in "check --format json" "outline svc" "xref svc"; do
		(cd "$S" && $WPGEN $c --templates "$TPL" >/dev/full) 2>"$TMP/err"
		s=$?
		cmd=${c%% *}
		printf 'wpgen %s: cannot write the output: No space left on device\n' "$cmd" >"$TMP/want"
		if [ $s = 3 ] && cmp -s "$TMP/err" "$TMP/want"; then pass "sec/stdout-full-$cmd"
		else fail "sec/stdout-full-$cmd" "exit $s: $(cat "$TMP/err")"; fi
	done
fi

# wpgen's own files in out/ (the catalogs' packing, a page the manifest
# notes) are never symbolic links when wpgen made them: one found there
# is not followed (out/ may come with the content, a link in it leading
# anywhere): the build reads nothing through it, takes the page for
# changed and writes it again, and out/ is then a clean build's.
if command -v strace >/dev/null 2>&1; then
	new_site "$S"
	(cd "$S" && "$WPGEN" build --templates "$TPL" --quiet --out clean) || fail "sec/own-links build"
	mkdir "$S/outside"
	for f in .wpgen-catalogs svc/ja/xref.csv; do
		mv "$S/out/$f" "$S/outside/${f##*/}"
		ln -s "$S/outside/${f##*/}" "$S/out/$f"
	done
	(cd "$S" && ASAN_OPTIONS=detect_leaks=0 strace -f -qq -e trace=openat,open \
	    -o "$TMP/strace" "$WPGEN" build --templates "$TPL" --quiet) 2>"$TMP/err"
	s=$?
	if [ $s = 0 ] && ! grep -q "$S/outside" "$TMP/strace"; then pass "sec/own-links-not-followed"
	else fail "sec/own-links-not-followed" "exit $s: $(grep "$S/outside" "$TMP/strace"; cat "$TMP/err")"; fi
	if [ ! -L "$S/out/svc/ja/xref.csv" ] &&
	    diff -r -x .wpgen-manifest -x .wpgen-store -x .wpgen-catalogs "$S/clean" "$S/out" >/dev/null; then
		pass "sec/own-links-page-written-again"
	else fail "sec/own-links-page-written-again" "$(ls -l "$S/out/svc/ja"; diff -r -x .wpgen-manifest -x .wpgen-store -x .wpgen-catalogs "$S/clean" "$S/out" | head -5)"; fi
	# The same for a directory of out/ made a link (its pages moved
	# outside with it, touched so that their stat data are not those
	# recorded): nothing is read through it, and the build says it
	# cannot put the pages there (exit 3), the link left as it is.
	new_site "$S"
	mkdir "$S/outside"
	mv "$S/out/svc" "$S/outside/svc"
	ln -s "$S/outside/svc" "$S/out/svc"
	touch "$S/outside/svc/ja/"*
	(cd "$S" && ASAN_OPTIONS=detect_leaks=0 strace -f -qq -e trace=openat,open \
	    -o "$TMP/strace" "$WPGEN" build --templates "$TPL" --quiet) 2>"$TMP/err"
	s=$?
	if ! grep -q "$S/outside" "$TMP/strace"; then pass "sec/own-dir-link-not-followed"
	else fail "sec/own-dir-link-not-followed" "exit $s: $(grep "$S/outside" "$TMP/strace" | head -3)"; fi
	if [ $s = 3 ] && [ -L "$S/out/svc" ]; then pass "sec/own-dir-link-said"
	else fail "sec/own-dir-link-said" "exit $s: $(cat "$TMP/err")"; fi
	stderr_is sec/own-dir-link "out/svc: error: not a directory but a symbolic link (which could lead outside the output directory): svc/ja/index.html cannot be put under it; move it away and build again [io-error]\n"
else
	echo "SKIP: sec/own-links: no strace"
fi

# The store of summaries is appended to where it lies: one that is a hard
# link (out/ unpacked from an archive with the content, the store's other
# name a file of the content) is not out/'s own and is not written: the
# build makes a new store in its place, the content file is as it was,
# and out/ is a clean build's.
new_site "$S"
mv "$S/out/.wpgen-store" "$S/content/svc/notes.txt"
ln "$S/content/svc/notes.txt" "$S/out/.wpgen-store"
sum=$(md5sum <"$S/content/svc/notes.txt")
printf '\n# 2. 追加\n\n<ISO/IEC 27017 9.2.2>\n\n本文。\n' >>"$S/content/svc/ja/01.md"
(cd "$S" && build --out clean2) || fail "sec/store-hard-link clean build"
run sec/store-hard-link 0 build
stderr_is sec/store-hard-link ""
if [ "$(md5sum <"$S/content/svc/notes.txt")" = "$sum" ] &&
    [ "$(stat -c %h "$S/out/.wpgen-store")" = 1 ]; then
	pass "sec/store-hard-link-not-written"
else
	fail "sec/store-hard-link-not-written" "$(ls -li "$S/content/svc/notes.txt" "$S/out/.wpgen-store")"
fi
if diff -r -x .wpgen-manifest -x .wpgen-store -x .wpgen-catalogs "$S/clean2" "$S/out" >"$TMP/diff" 2>&1; then
	pass "sec/store-hard-link-site"
else
	fail "sec/store-hard-link-site" "$(head -5 "$TMP/diff")"
fi
