# tests/cli/catalogs.sh: content/catalogs/ is what tools/catalogs-from-facts.sh
# makes of ../shared/catalog-facts (so the committed catalogs stay in step
# with the facts), the script is deterministic, and the XML is well-formed.
. tests/lib.sh

facts=$WPGEN_SHARED/catalog-facts
have_shared "catalogs" catalog-facts || exit 0
gen=$TMP/catalogs
files="iso27017-2015.ja.xml iso27017-2015.en.xml iso27001-2022.ja.xml
iso27001-2022.en.xml iso27017-2015_to_iso27001-2022.xml"

expect_status "catalogs: generator runs" 0 \
    sh tools/catalogs-from-facts.sh "$facts" "$gen"
for f in $files; do
	expect_same "catalogs: $f matches the facts" "$gen/$f" \
	    "content/catalogs/$f"
done

# Nothing else is written, and a second run gives the same bytes.
expect_status "catalogs: second run" 0 \
    sh tools/catalogs-from-facts.sh "$facts" "$TMP/again"
if [ "$(ls -A "$gen" | wc -l)" -eq 5 ]; then
	pass "catalogs: five files, no leftovers"
else
	fail "catalogs: five files, no leftovers" "$(ls -A "$gen")"
fi
if diff -r "$gen" "$TMP/again" >"$TMP/diff" 2>&1; then
	pass "catalogs: deterministic"
else
	fail "catalogs: deterministic" "$(head -n 20 "$TMP/diff")"
fi

# A broken facts file stops the script without touching the output.
mkdir -p "$TMP/badfacts"
cp "$facts"/*.tsv "$TMP/badfacts/"
printf 'A.99.1.1\t99.1.1\tx\tX\t-\n' >>"$TMP/badfacts/iso27017-2015.tsv"
cp -R "$gen" "$TMP/kept"
expect_status "catalogs: bad facts fail" 1 \
    sh tools/catalogs-from-facts.sh "$TMP/badfacts" "$TMP/kept"
expect_grep "catalogs: bad facts say why" "no group for 99.1.1" "$TMP/err"
if diff -r "$gen" "$TMP/kept" >/dev/null 2>&1; then
	pass "catalogs: bad facts leave the output alone"
else
	fail "catalogs: bad facts leave the output alone"
fi

if command -v xmllint >/dev/null 2>&1; then
	for f in $files; do
		expect_status "catalogs: xmllint $f" 0 \
		    xmllint --noout --nonet "content/catalogs/$f"
	done
else
	echo "catalogs: xmllint not found, well-formedness not checked"
fi
