# tests/cli/catpack.sh: a full build keeps the catalogs packed in
# out/.wpgen-catalogs (src/catpack.h); a build after it that edits a page
# reads them from there and opens no libxml2, and its site is a clean
# build's.  A packing that is cut, damaged, of another program (its key)
# or of other catalogs is not read: the XML is, and the site is right;
# a full build writes it again, also when it read it (other templates).
. tests/lib.sh

P=$TMP/catpack
mkdir -p "$P"
cp -r content "$P/content"
cp -r templates "$P/templates"
page=$(ls "$P"/content/aozora-o/en/*.md | head -n 1)

# build OUT [options]: a build of $P/content into $P/OUT, stderr in
# $TMP/err.OUT, the dynamic loader's log in $TMP/ld.OUT.*.
build() {
	_o=$1; shift
	rm -f "$TMP/ld.$_o".*
	env LD_DEBUG=libs LD_DEBUG_OUTPUT="$TMP/ld.$_o" "$WPGEN" build \
	    --content "$P/content" --templates "$P/templates" \
	    --out "$P/$_o" "$@" >"$TMP/out" 2>"$TMP/err.$_o"
}
# xml OUT: whether the build into OUT opened libxml2.
xml() { grep -q 'find library=libxml2\.so' "$TMP/ld.$1".*; }
# edit N: changes one page, as an author does (the next build sees it).
edit() { printf '\nEdited %s.\n' "$1" >>"$page"; }

build inc
if [ -s "$P/inc/.wpgen-catalogs" ] && xml inc &&
    [ "$(head -c 17 "$P/inc/.wpgen-catalogs")" = "wpgen-catalogs 1" ]; then
	pass "catpack: a full build keeps the catalogs packed"
else
	fail "catpack: a full build keeps the catalogs packed" "$(ls -a "$P/inc" | head -n 5)"
fi
cp "$P/inc/.wpgen-catalogs" "$TMP/packed"

sleep 1.1
edit 1
build inc
if ! xml inc && grep -q '^built [0-9]* editions.* ([0-9]* unchanged' "$TMP/err.inc"; then
	pass "catpack: a build that edits a page opens no libxml2"
else
	fail "catpack: a build that edits a page opens no libxml2" "$(cat "$TMP/err.inc")"
fi
same_as_clean "catpack: the edited site is a clean build's" "$P" inc
expect_same "catpack: the clean build packs the same bytes" \
    "$P/clean/.wpgen-catalogs" "$TMP/packed"

# what_is_read NAME: after the packing was spoilt, an edit reads the XML
# (libxml2 opened), builds the site a clean build does, and leaves the
# packing as it is (only a full build writes it; put back before the
# sites are compared).
what_is_read() {
	cp "$P/inc/.wpgen-catalogs" "$TMP/spoilt"
	edit "$1"
	build inc
	if xml inc && cmp -s "$P/inc/.wpgen-catalogs" "$TMP/spoilt"; then
		pass "catpack: $1: the XML is read"
	else
		fail "catpack: $1: the XML is read" "$(cat "$TMP/err.inc")"
	fi
	cp "$TMP/packed" "$P/inc/.wpgen-catalogs"
	same_as_clean "catpack: $1: the site is a clean build's" "$P" inc
}
head -c 5000 "$TMP/packed" >"$P/inc/.wpgen-catalogs"
what_is_read "cut short"
# a byte in a title (past the head, the catalog's id, languages and
# titles), changed: read, it would be that title
cp "$TMP/packed" "$P/inc/.wpgen-catalogs"
printf 'X' | dd of="$P/inc/.wpgen-catalogs" bs=1 seek=3000 conv=notrunc 2>/dev/null
cmp -s "$P/inc/.wpgen-catalogs" "$TMP/packed" && fail "catpack: damaged" "no byte changed"
what_is_read "damaged"
# the same packing under another key: another program's, or other XML's
cp "$TMP/packed" "$P/inc/.wpgen-catalogs"
printf 'x' | dd of="$P/inc/.wpgen-catalogs" bs=1 seek=17 conv=notrunc 2>/dev/null
what_is_read "another key"
printf 'not a packing\n' >"$P/inc/.wpgen-catalogs"
what_is_read "not a packing"
rm -f "$P/inc/.wpgen-catalogs"
edit removed
build inc
if xml inc && [ ! -e "$P/inc/.wpgen-catalogs" ]; then
	pass "catpack: removed: the XML is read"
else
	fail "catpack: removed: the XML is read" "$(ls -a "$P/inc" | head -n 5)"
fi
cp "$TMP/packed" "$P/inc/.wpgen-catalogs"
same_as_clean "catpack: removed: the site is a clean build's" "$P" inc

# Other templates: a full build, which reads the packing and puts it
# into the new out/.
cp "$TMP/packed" "$P/inc/.wpgen-catalogs"
printf '\n' >>"$P/templates/base/xref.mustache"
build inc
if ! xml inc && cmp -s "$P/inc/.wpgen-catalogs" "$TMP/packed" &&
    ! grep -q 'unchanged' "$TMP/err.inc"; then
	pass "catpack: other templates: a full build keeps the packing it read"
else
	fail "catpack: other templates: a full build keeps the packing it read" "$(cat "$TMP/err.inc")"
fi
same_as_clean "catpack: other templates: the site is a clean build's" "$P" inc

# Other catalogs: a full build (new titles on the pages), a new packing.
sed -i 's/<title>Information security policies<\/title>/<title>Policies for information security<\/title>/' \
    "$P/content/catalogs/iso27017-2015.en.xml"
grep -q 'Policies for information security' "$P/content/catalogs/iso27017-2015.en.xml" ||
    fail "catpack: other catalogs" "the title to change is not in the catalog"
build inc
if xml inc && [ -s "$P/inc/.wpgen-catalogs" ] &&
    ! cmp -s "$P/inc/.wpgen-catalogs" "$TMP/packed" &&
    grep -rqF 'Policies for information security' "$P/inc/aozora-o"; then
	pass "catpack: other catalogs: read from XML, packed again"
else
	fail "catpack: other catalogs: read from XML, packed again" "$(cat "$TMP/err.inc")"
fi
same_as_clean "catpack: other catalogs: the site is a clean build's" "$P" inc
cp "$P/inc/.wpgen-catalogs" "$TMP/packed2"
edit 2
build inc
if ! xml inc && cmp -s "$P/inc/.wpgen-catalogs" "$TMP/packed2"; then
	pass "catpack: other catalogs: the next edit reads the packing"
else
	fail "catpack: other catalogs: the next edit reads the packing" "$(cat "$TMP/err.inc")"
fi
same_as_clean "catpack: other catalogs: the edited site is a clean build's" "$P" inc
