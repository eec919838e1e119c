# tests/cli/readonce.sh: build and check read every Markdown file once,
# whatever the number of translations that borrow from the source
# edition, with one job or several; so a problem in a file is reported
# once, with no filter of repeated diagnostics.
. tests/lib.sh

R=$TMP/readonce
mkdir -p "$R/content/svc/ja" "$R/content/svc/en" "$R/content/svc/zh"
cp -r content/catalogs "$R/content/catalogs"
cat >"$R/content/svc/service.yaml" <<YAML
style: idcf
languages: [ja, en, zh]
title: {ja: テスト, en: Test, zh: 测试}
revisions:
  - version: "1.0"
    date: 2024-04-01
YAML
printf '# 1. はじめに\n\n<ISO/IEC 27017 9.2.1>\n\n本文[^n]。\n\n[^n]: 注。\n' >"$R/content/svc/ja/01.md"
printf '# 2. 範囲\n\n![図](../assets/fig.svg)\n\n範囲。\n' >"$R/content/svc/ja/02.md"
printf '# 1. Introduction\n\n<ISO/IEC 27017 9.2.1>\n\nText.\n' >"$R/content/svc/en/01.md"
mkdir -p "$R/content/svc/assets"
printf '<svg xmlns="http://www.w3.org/2000/svg"/>\n' >"$R/content/svc/assets/fig.svg"
# zh has no files: every section comes from ja.  A second service, so
# that two jobs share the services between two worker processes.
cp -R "$R/content/svc" "$R/content/svc2"

# count_opens TRACE [FILES]: for every Markdown file (or FILES), how
# often it was opened, by its path or by its name in its directory
# (openat relative to the directory's descriptor): the trace is taken
# with strace -y, which shows the file an opened descriptor is.
count_opens() {
	t=$1
	shift
	[ $# -gt 0 ] || set -- "$R"/content/svc*/*/*.md
	for f in "$@"; do
		printf '%s %s\n' "$(grep -cF "<$(realpath "$f")>" "$t")" "$f"
	done
}

if command -v strace >/dev/null 2>&1 &&
    strace -f -o /dev/null true >/dev/null 2>&1; then
	for jobs in 1 2; do
		rm -rf "$R/out"
		strace -f -y -e trace=openat -o "$TMP/trace" "$WPGEN" build \
		    --content "$R/content" --templates "$PWD/templates" \
		    --out "$R/out" --jobs $jobs --quiet >"$TMP/out" 2>"$TMP/err"
		count_opens "$TMP/trace" >"$TMP/opens"
		if [ -f "$R/out/svc/zh/index.html" ] &&
		    ! grep -qv '^1 ' "$TMP/opens"; then
			pass "build --jobs $jobs opens each Markdown file once"
		else
			fail "build --jobs $jobs opens each Markdown file once" \
			    "$(cat "$TMP/opens" "$TMP/err")"
		fi
	done
	# service.yaml: read when the project opens, and once again by the
	# build of its service (a lean project holds one service at a
	# time); translations.lock: read once, by the build of its service
	# (the project does not read the lock of a service it drops).  The
	# inputs' digest is that of the texts parsed, not of another read.
	rm -rf "$R/locked"
	cp -R "$R/content" "$R/locked"
	for s in svc svc2; do
		"$WPGEN" translations accept $s --content "$R/locked" \
		    --lang en --all >/dev/null 2>&1
	done
	for jobs in 1 2; do
		rm -rf "$R/out-locked"
		strace -f -y -e trace=openat -o "$TMP/trace" "$WPGEN" build \
		    --content "$R/locked" --templates "$PWD/templates" \
		    --out "$R/out-locked" --jobs $jobs --quiet >"$TMP/out" \
		    2>"$TMP/err"
		{ count_opens "$TMP/trace" "$R"/locked/svc*/service.yaml
		  count_opens "$TMP/trace" "$R"/locked/svc*/translations.lock
		} | sed "s|$R/locked/||" >"$TMP/opens"
		printf '%s\n' "2 svc/service.yaml" "2 svc2/service.yaml" \
		    "1 svc/translations.lock" "1 svc2/translations.lock" \
		    >"$TMP/opens.want"
		if [ -f "$R/out-locked/svc/zh/index.html" ] &&
		    cmp -s "$TMP/opens.want" "$TMP/opens"; then
			pass "build --jobs $jobs reads service.yaml twice, the lock once"
		else
			fail "build --jobs $jobs reads service.yaml twice, the lock once" \
			    "$(diff "$TMP/opens.want" "$TMP/opens"; cat "$TMP/err")"
		fi
	done
	# Nothing changed (and the files were written more than a second
	# ago, so that their stat data can be trusted): no Markdown file is
	# opened at all.
	sleep 1.1
	"$WPGEN" build --content "$R/content" --templates "$PWD/templates" \
	    --out "$R/out" --quiet >"$TMP/out" 2>"$TMP/err"
	strace -f -y -e trace=openat -o "$TMP/trace" "$WPGEN" build \
	    --content "$R/content" --templates "$PWD/templates" \
	    --out "$R/out" --quiet >"$TMP/out" 2>"$TMP/err"
	count_opens "$TMP/trace" >"$TMP/opens"
	if ! grep -qv '^0 ' "$TMP/opens"; then
		pass "a no-op build opens no Markdown file"
	else
		fail "a no-op build opens no Markdown file" "$(cat "$TMP/opens" "$TMP/err")"
	fi
	for jobs in 1 2; do
		strace -f -y -e trace=openat -o "$TMP/trace" "$WPGEN" check \
		    --content "$R/content" --templates "$PWD/templates" \
		    --jobs $jobs >"$TMP/out" 2>"$TMP/err"
		count_opens "$TMP/trace" >"$TMP/opens"
		if ! grep -qv '^1 ' "$TMP/opens"; then
			pass "check --jobs $jobs opens each Markdown file once"
		else
			fail "check --jobs $jobs opens each Markdown file once" \
			    "$(cat "$TMP/opens")"
		fi
	done
else
	echo "SKIP: read-once: strace is not available or cannot trace here"
fi

# The borrowed sections keep their image and footnote in zh and en (which
# lacks section 2), from the source document, which lending them does not
# change.
expect_grep "zh borrows the image" 'src="assets/fig.svg"' "$R/out/svc/zh/index.html"
expect_grep "zh borrows the footnote" 'id="fn-n"' "$R/out/svc/zh/index.html"
expect_grep "ja keeps its footnote" 'id="fn-n"' "$R/out/svc/ja/index.html"
if [ -f "$R/out/svc/zh/assets/fig.svg" ] && [ -f "$R/out/svc/ja/assets/fig.svg" ] &&
    [ -f "$R/out/svc/en/assets/fig.svg" ]; then
	pass "images copied with the editions that show them"
else
	fail "images copied with the editions that show them" "$(find "$R/out/svc" -name fig.svg)"
fi

# A problem in the source edition is reported once by build and check,
# though two translations publish its sections.
printf '# 3. 追加\n\n<ISO/IEC 27017 99.9.9>\n' >"$R/content/svc/ja/03.md"
for cmd in "build --out $R/out2 --jobs 1 --quiet" \
    "build --out $R/out2 --jobs 2 --quiet" "check --jobs 1" "check --jobs 2"; do
	# shellcheck disable=SC2086
	expect_status "one report: $cmd exits 1" 1 "$WPGEN" $cmd \
	    --content "$R/content" --templates "$PWD/templates"
	n=$(grep -c "03.md:3:16: error: '99.9.9' is not in ISO/IEC 27017:2015" "$TMP/err")
	if [ "$n" = 1 ]; then pass "one report: $cmd"
	else fail "one report: $cmd" "reported $n times: $(cat "$TMP/err")"; fi
done
