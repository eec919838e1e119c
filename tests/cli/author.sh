# tests/cli/author.sh: the author's first steps: `wpgen init`, `wpgen new`
# (a new service checks clean at once; nothing is ever overwritten),
# `make install` into a DESTDIR with a PREFIX the program was not built
# for (templates and catalogs found from the program's own path), `make
# uninstall`, and the bash completion.
. tests/lib.sh

REPO=$PWD
# expect_text NAME FILE: FILE holds exactly the text on standard input.
expect_text() {
	cat >"$TMP/want"
	expect_same "$1" "$2" "$TMP/want"
}

# ---- install into a DESTDIR, run from elsewhere ----
INST=$TMP/inst
make -s install BIN=build/asan/wpgen DESTDIR="$INST" PREFIX=/opt/x >"$TMP/make.out" 2>&1
W=$INST/opt/x/bin/wpgen
if [ -x "$W" ] && [ -f "$INST/opt/x/share/man/man1/wpgen.1" ] &&
    [ -f "$INST/opt/x/share/bash-completion/completions/wpgen" ] &&
    [ -f "$INST/opt/x/share/wpgen/templates/base/layout.mustache" ] &&
    [ -f "$INST/opt/x/share/wpgen/catalogs/iso27017-2015.ja.xml" ] &&
    [ -f "$INST/opt/x/share/wpgen/docs/format.md" ]; then
	pass "install/layout"
else
	fail "install/layout" "$(cat "$TMP/make.out"; find "$INST" | head)"
fi
(cd templates && find . -type f | LC_ALL=C sort) >"$TMP/want"
(cd "$INST/opt/x/share/wpgen/templates" && find . -type f | LC_ALL=C sort) >"$TMP/got"
expect_same "install/every-template" "$TMP/got" "$TMP/want"

# init in a directory with neither templates/ nor content/.
mkdir -p "$TMP/work"
cd "$TMP/work"
SOURCE_DATE_EPOCH=1795000000 "$W" init site >"$TMP/out" 2>"$TMP/err"
echo "status $?" >>"$TMP/out"
expect_text "init/output" "$TMP/out" <<EOF
started a site in site:
  content/catalogs/  5 catalog files copied from $INST/opt/x/share/wpgen/catalogs
  README.md          this site's layout, and where its templates come from
templates: --templates DIR, else ./templates, else the installed ones ($INST/opt/x/share/wpgen/templates)
next: cd site && $W new my-service && $W serve
status 0
EOF
ls site/content/catalogs >"$TMP/got"
ls "$REPO/content/catalogs" >"$TMP/want"
expect_same "init/catalogs" "$TMP/got" "$TMP/want"
if ls site/content | grep -qv '^catalogs$'; then fail "init/no-samples" "$(ls site/content)"
else pass "init/no-samples"; fi
expect_grep "init/readme-templates" "($INST/opt/x/share/wpgen/templates)" site/README.md

# init again: nothing is overwritten.
echo "# mine" >site/README.md
printf 'edited' >site/content/catalogs/iso27017-2015.en.xml
"$W" init site >"$TMP/out" 2>&1
echo "status $?" >>"$TMP/out"
expect_text "init/again-keeps" "$TMP/out" <<EOF
started a site in site:
  content/catalogs/  0 catalog files copied from $INST/opt/x/share/wpgen/catalogs, 5 kept as they were
templates: --templates DIR, else ./templates, else the installed ones ($INST/opt/x/share/wpgen/templates)
next: cd site && $W new my-service && $W serve
status 0
EOF
printf '# mine\n' >"$TMP/want"
expect_same "init/readme-kept" site/README.md "$TMP/want"
cp "$REPO/content/catalogs/iso27017-2015.en.xml" site/content/catalogs/

# new, with the installed templates, then check and build: clean.
cd site
SOURCE_DATE_EPOCH=1795000000 "$W" new cloud-x --title 'Cloud "X"' >"$TMP/out" 2>"$TMP/err"
echo "status $?" >>"$TMP/out"
cat "$TMP/err" >>"$TMP/out"
expect_text "new/output" "$TMP/out" <<EOF
created content/cloud-x/
  service.yaml
  ja/01-introduction.md
  en/01-introduction.md
  assets/
  translations.lock
next: edit the chapters, then \`$W serve\` to watch the page as you write, or \`$W check\`.
status 0
EOF
expect_grep "new/title-quoted" 'title: "Cloud \"X\""' content/cloud-x/service.yaml
expect_grep "new/date" 'date: 2026-11-18' content/cloud-x/service.yaml
expect_grep "new/format-doc-installed" "# $INST/opt/x/share/wpgen/docs/format.md (and" content/cloud-x/service.yaml
expect_status "new/checks-clean" 0 "$W" check --strict
if [ ! -s "$TMP/err" ]; then pass "new/no-diagnostics"
else fail "new/no-diagnostics" "$(head -c 400 "$TMP/err")"; fi
expect_status "new/builds" 0 "$W" build --quiet
expect_grep "new/page-title" '<title>Cloud &quot;X&quot;' out/cloud-x/ja/index.html
# Every key that service.yaml may hold (content.c's lists, so that a key
# added there and not here fails) is in the skeleton, set or commented
# out with an example; each example, its line uncommented, checks clean
# (in a git repository with the tag the example ref names).
keys=$(sed -n '/_keys\[\] = {/,/NULL}/p' "$REPO/src/content.c" |
    grep -o '"[a-z_]*"' | tr -d '"')
# every_key SERVICE NAME [KEY...]: in the site of the working directory
# (a git repository tagged v1.0), each key of content/SERVICE/service.yaml
# is set or commented out with an example that, uncommented, checks clean
# (the KEYs need only be there: their examples name catalogs the site may
# not have).
every_key() {
	present_only=" $3 "

	Y=content/$1/service.yaml
	cp "$Y" "$TMP/skeleton.yaml"
	: >"$TMP/nokey"
	for key in $keys; do
		if grep -Eq "^ *(- )?$key:" "$Y"; then
			continue
		fi
		n=$(grep -En "^ *# $key: " "$Y" | cut -d: -f1)
		if [ -z "$n" ]; then
			echo "$key: absent" >>"$TMP/nokey"
			continue
		fi
		case $present_only in *" $key "*) continue ;; esac
		sed "${n}s/# //" "$TMP/skeleton.yaml" >"$Y"
		"$W" check --strict --service "$1" >"$TMP/out" 2>"$TMP/err"
		st=$?
		if [ $st != 0 ] || [ -s "$TMP/err" ]; then
			echo "$key: exit $st $(head -c 300 "$TMP/err")" >>"$TMP/nokey"
		fi
	done
	cp "$TMP/skeleton.yaml" "$Y"
	if [ -z "$keys" ]; then fail "$2" "no keys found in src/content.c"
	elif [ -s "$TMP/nokey" ]; then fail "$2" "$(cat "$TMP/nokey")"
	else pass "$2"; fi
}
git init -q . && git add -A && git -c user.name=t -c user.email=t@t commit -qm site &&
    git tag v1.0
every_key cloud-x new/every-key
# The same in a site whose content/catalogs/ is empty: every key is
# there; those whose examples name a catalog say that they need it.
mkdir -p "$TMP/bare/content/catalogs"
(
	cd "$TMP/bare" &&
	    "$W" new bare >/dev/null 2>&1 &&
	    git init -q . && git add -A &&
	    git -c user.name=t -c user.email=t@t commit -qm site &&
	    git tag v1.0 && every_key bare new/every-key-no-catalogs \
	    "catalogs standards required_controls" &&
	    expect_grep new/no-catalogs-said \
	    "# iso27017-2015 in content/catalogs/, which has no catalog with controls" \
	    content/bare/service.yaml
) || fail new/every-key-no-catalogs "could not make the site"


# The next steps name the program as it was typed: ./wpgen in its own
# directory, its full path after the cd that init suggests.
(cd "$INST/opt/x/bin" && ./wpgen new rel --content "$TMP/work/site/content" --lang en) >"$TMP/out" 2>&1
tail -n 1 "$TMP/out" >"$TMP/got"
expect_text "new/next-as-typed" "$TMP/got" <<EOF
next: edit the chapters, then \`./wpgen serve\` to watch the page as you write, or \`./wpgen check\`.
EOF
rm -rf content/rel
(cd "$INST/opt/x/bin" && ./wpgen init "$TMP/rel-site") >"$TMP/out" 2>&1
tail -n 1 "$TMP/out" >"$TMP/got"
expect_text "init/next-as-typed" "$TMP/got" <<EOF
next: cd $TMP/rel-site && $W new my-service && $W serve
EOF

# One language, another style.
"$W" new solo --style idcf --lang en >/dev/null 2>&1
expect_status "new/one-language-clean" 0 "$W" check --strict --service solo
if [ -e content/solo/translations.lock ]; then fail "new/one-language-no-lock"
else pass "new/one-language-no-lock"; fi

# Never overwrite; errors name what to do.
cp content/cloud-x/service.yaml "$TMP/before"
"$W" new cloud-x >"$TMP/out" 2>&1
echo "status $?" >>"$TMP/out"
expect_text "new/exists" "$TMP/out" <<EOF
wpgen new: content/cloud-x exists already; nothing was written
status 2
EOF
expect_same "new/exists-untouched" content/cloud-x/service.yaml "$TMP/before"
"$W" new other --style fjcloudd >"$TMP/out" 2>&1
echo "status $?" >>"$TMP/out"
expect_text "new/unknown-style" "$TMP/out" <<EOF
wpgen new: no style 'fjcloudd' in $INST/opt/x/share/wpgen/templates/ (cps-vm, fjcloud, idcf)
status 2
EOF
"$W" new ../evil >"$TMP/out" 2>&1
echo "status $?" >>"$TMP/out"
expect_text "new/bad-name" "$TMP/out" <<EOF
wpgen new: '../evil' cannot name a service: use letters, digits, '.', '-' and '_', starting with a letter or digit (not 'catalogs' or 'assets', nor ending in '.html', names of the site's own)
status 2
EOF
# out/<id>/ would collide with the site's own index of a language.
"$W" new index.ja.html >"$TMP/out" 2>&1
echo "status $?" >>"$TMP/out"
expect_text "new/reserved-name" "$TMP/out" <<EOF
wpgen new: 'index.ja.html' cannot name a service: use letters, digits, '.', '-' and '_', starting with a letter or digit (not 'catalogs' or 'assets', nor ending in '.html', names of the site's own)
status 2
EOF
"$W" new x --content nowhere >"$TMP/out" 2>&1
echo "status $?" >>"$TMP/out"
expect_text "new/no-content" "$TMP/out" <<EOF
wpgen new: no content directory nowhere; start a site with \`wpgen init\`, or give --content DIR
status 3
EOF
if ls -a content | grep -q '\.new-'; then fail "new/no-scratch-left" "$(ls -a content)"
else pass "new/no-scratch-left"; fi

# ./templates wins over the installed ones.
mkdir -p templates/plain
cp -r "$INST/opt/x/share/wpgen/templates/." templates/
cp templates/fjcloud/page.mustache templates/plain/page.mustache
"$W" new local --style plain >/dev/null 2>"$TMP/err"
expect_grep "new/local-templates" "style: plain" content/local/service.yaml
rm -rf templates
cd "$REPO"

# ---- bash completion ----
if command -v bash >/dev/null; then
	got=$(cd "$TMP/work/site" && bash -c '
		. "$1"
		complete -p wpgen
		COMP_WORDS=(wpgen bu); COMP_CWORD=1; _wpgen; echo "${COMPREPLY[*]}"
		COMP_WORDS=(wpgen check --err); COMP_CWORD=2; _wpgen; echo "${COMPREPLY[*]}"
		COMP_WORDS=(wpgen outline c); COMP_CWORD=2; _wpgen; echo "${COMPREPLY[*]}"
		COMP_WORDS=(wpgen translations a); COMP_CWORD=2; _wpgen; echo "${COMPREPLY[*]}"
		COMP_WORDS=(wpgen build --service ""); COMP_CWORD=3; _wpgen; echo "${COMPREPLY[*]}"
	' sh "$INST/opt/x/share/bash-completion/completions/wpgen")
	printf '%s\n' "$got" >"$TMP/got"
	expect_text "completion/results" "$TMP/got" <<EOF
complete -F _wpgen wpgen
build
--errors-only
cloud-x
accept
cloud-x local solo
EOF
fi

# ---- uninstall: only what install wrote ----
touch "$INST/opt/x/share/wpgen/mine"
make -s uninstall DESTDIR="$INST" PREFIX=/opt/x >/dev/null 2>&1
(cd "$INST" && find . -type f | LC_ALL=C sort) >"$TMP/got"
printf './opt/x/share/wpgen/mine\n' >"$TMP/want"
expect_same "uninstall/only-ours" "$TMP/got" "$TMP/want"
