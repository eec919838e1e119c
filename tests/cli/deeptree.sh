# tests/cli/deeptree.sh: the inputs of a build are read whole however deep
# the content tree goes (untrusted content): a directory read by the names
# in it holds a descriptor while its subdirectories are read, so a tree
# deeper than the descriptors a process may open must not leave its deep
# files out of the inputs' digest.  Here an image 80 directories down,
# changed between two builds that may open 64 descriptors each: the
# second build copies the new image (main after 7f3c820 took the edition
# as unchanged and kept the old one: a wrong site).
. tests/lib.sh

D=$TMP/deeptree
mkdir -p "$D/content/svc/ja"
cp -r content/catalogs "$D/content/catalogs"
cat >"$D/content/svc/service.yaml" <<YAML
style: idcf
languages: [ja]
title: {ja: テスト}
revisions:
  - version: "1.0"
    date: 2024-04-01
YAML
rel=d
i=1
while [ $i -lt 80 ]; do rel=$rel/d; i=$((i + 1)); done
mkdir -p "$D/content/svc/assets/$rel"
printf '<svg xmlns="http://www.w3.org/2000/svg" id="one"/>\n' \
    >"$D/content/svc/assets/$rel/fig.svg"
printf '# 1. はじめに\n\n![図](%s/fig.svg)\n\n本文。\n' "$rel" \
    >"$D/content/svc/ja/01.md"

build() {
	(ulimit -n 64 && "$WPGEN" build --content "$D/content" \
	    --templates "$PWD/templates" --out "$D/out" --jobs 1 \
	    >"$TMP/out" 2>"$TMP/err")
}
# (settled: the builds trust the stat data of what they read)
sleep 2
build
got=$D/out/svc/ja/assets/$rel/fig.svg
if [ -f "$got" ] && grep -q 'id="one"' "$got"; then
	pass "deep tree: the image 80 directories down is copied"
else
	fail "deep tree: the image 80 directories down is copied" \
	    "$(cat "$TMP/err")"
fi
# Two more builds, so that the edition is taken as unchanged by its
# records (the first ones are made again: their inputs were new).
build
build
unchanged=$(sed -n 's/.*(\([0-9]*\) unchanged.*/\1/p' "$TMP/err")
if [ "$unchanged" = 1 ]; then
	pass "deep tree: a no-op build takes the edition as unchanged"
else
	fail "deep tree: a no-op build takes the edition as unchanged" \
	    "$(cat "$TMP/err")"
fi
printf '<svg xmlns="http://www.w3.org/2000/svg" id="two"/>\n' \
    >"$D/content/svc/assets/$rel/fig.svg"
build
if [ -f "$got" ] && grep -q 'id="two"' "$got"; then
	pass "deep tree: a change 80 directories down is built"
else
	fail "deep tree: a change 80 directories down is built" \
	    "$(cat "$TMP/err"; cat "$got")"
fi
