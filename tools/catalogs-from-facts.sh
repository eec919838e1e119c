#!/bin/sh
# tools/catalogs-from-facts.sh: writes the project's OSCAL catalogs and the
# 27017 -> 27001 mapping from the catalog facts.
#
# usage: tools/catalogs-from-facts.sh [FACTS_DIR [OUT_DIR]]
#        FACTS_DIR defaults to ../shared/catalog-facts, OUT_DIR to
#        content/catalogs (both relative to the current directory).
#
# Reads FACTS_DIR/iso27017-2015.tsv, iso27017-2015-groups.tsv,
# iso27001-2022.tsv, iso27001-2022-themes.tsv and this project's own
# tools/facts/iso27001-2022.ja.tsv (the facts have no Japanese titles for
# 27001:2022), and writes into OUT_DIR:
#
#   iso27017-2015.ja.xml, iso27017-2015.en.xml     OSCAL catalogs
#   iso27001-2022.ja.xml, iso27001-2022.en.xml     OSCAL catalogs (Annex A)
#   iso27017-2015_to_iso27001-2022.xml             OSCAL mapping-collection
#
# The output is byte-stable: nothing depends on the clock, the locale or
# the machine.  UUIDs are version-4-shaped (as OSCAL requires) but derived
# from a fixed hash of a name such as "iso27017-2015.ja", so they never
# change while the name stays; last-modified is the constant LAST_MODIFIED
# below, to be bumped when the facts change.
#
# Shapes.  ISO/IEC 27017:2015 groups nest as clause and subclause: g-9
# holds g-9.2 and g-CLD.9.5; a control sits in the group named by its label
# without the last part (9.2.1 -> 9.2, CLD.6.3.1 -> CLD.6.3), or, for a CLD
# control with no CLD group of its own, in the plain subclause
# (CLD.12.4.5 -> 12.4).  Controls are c-<label> with a label prop and, for
# Annex A controls, an alt-identifier prop (A.9.2.1).  ISO/IEC 27001:2022
# has the four themes g-5 .. g-8 holding c-5.1 ... (alt-identifier A.5.1).
#
# Relationships in the mapping (the last column of iso27017-2015.tsv lists
# the 27001:2022 controls that a 27017 control became; "-" for none, which
# writes no map):
#   equivalent-to    one target, and no other source maps to that target
#                    (9.2.1 -> 5.16: the control carried over whole);
#   subset-of        one target that other sources map to as well: the
#                    source is one part of a merged control
#                    (5.1.1 and 5.1.2 -> 5.1);
#   intersects-with  several targets: the source was split, and each target
#                    covers part of it (18.2.3 -> 5.36 and 8.8).
# The mapping model is the draft OSCAL mapping model, written in the subset
# of ../shared/spec/content-format.md.
set -eu

LAST_MODIFIED=2025-01-01T00:00:00Z
OSCAL_VERSION=1.1.2
NS=http://csrc.nist.gov/ns/oscal/1.0

facts=${1:-../shared/catalog-facts}
out=${2:-content/catalogs}
here=$(cd "$(dirname "$0")" && pwd)
ja2022=$here/facts/iso27001-2022.ja.tsv

# Bytes, not characters: titles pass through untouched whatever the locale.
LC_ALL=C
export LC_ALL

die() { echo "catalogs-from-facts: $*" >&2; exit 1; }

for f in iso27017-2015.tsv iso27017-2015-groups.tsv iso27001-2022.tsv \
    iso27001-2022-themes.tsv; do
	[ -r "$facts/$f" ] || die "cannot read $facts/$f"
done
[ -r "$ja2022" ] || die "cannot read $ja2022"
mkdir -p "$out" || die "cannot create $out"

# awk functions shared by every stage: reading the TSV facts, XML escaping
# and the name-derived UUIDs.
AWKLIB='
function fail(msg) { printf "catalogs-from-facts: %s\n", msg > "/dev/stderr"; failed = 1; exit 1 }
# 1 for a data line of a facts file: not a comment, not the column header.
function is_data(first) { return $0 != "" && substr($0, 1, 1) != "#" && !(first in HEADER) }
function need_fields(n) { if (NF != n) fail(FILENAME ":" FNR ": " NF " fields, want " n) }
function esc(s) {
	gsub(/&/, "\\&amp;", s); gsub(/</, "\\&lt;", s); gsub(/>/, "\\&gt;", s)
	gsub(/"/, "\\&quot;", s)
	return s
}
function hex8(h) { return sprintf("%04x%04x", int(h / 65536), h % 65536) }
# Four polynomial hashes modulo a prime below 2^32; every product stays
# below 2^53, so awk doubles compute them exactly.
function uuid(name,    P, i, c, a, b, d, e, x, n) {
	P = 4294967291
	a = 2166136261; b = 84696351; d = 3735928559 % P; e = 1234567891
	n = length(name)
	for (i = 1; i <= n + 4; i++) {
		c = i <= n ? ORD[substr(name, i, 1)] : i
		a = (a * 1000003 + c) % P
		b = (b * 65599 + c + a % 256) % P
		d = (d * 40503 + c + b % 4096) % P
		e = (e * 1000033 + c + d % 65536) % P
	}
	x = hex8(a) hex8(b) hex8(d) hex8(e)
	if (name in UUIDS) fail("uuid name used twice: " name)
	UUIDS[name] = 1
	return substr(x, 1, 8) "-" substr(x, 9, 4) "-4" substr(x, 14, 3) "-" \
	    substr("89ab", int(e % 4) + 1, 1) substr(x, 18, 3) "-" substr(x, 21, 12)
}
# A line indented by two spaces a level.
function put(depth, s,    pad) {
	pad = ""
	while (depth-- > 0) pad = pad "  "
	print pad s
}
function init_lib(    i) {
	FS = "\t"
	for (i = 1; i < 128; i++) ORD[sprintf("%c", i)] = i
	HEADER["annex_id"]; HEADER["group_id"]; HEADER["id"]; HEADER["theme"]
}
'

# Normalizers: each writes the catalog of one language as records
#   G <tab> group-id <tab> parent-group-id or "" <tab> label <tab> title
#   C <tab> control-id <tab> group-id <tab> label <tab> alt-id or "" <tab> title
# in document order, for emit_catalog.

# iso27017_records LANG
iso27017_records() {
	awk -v lang="$1" "$AWKLIB"'
	BEGIN { init_lib() }
	FNR == 1 { file++ }
	file == 1 && is_data($1) {
		need_fields(3)
		g = $1; gorder[++ng] = g; gtitle[g] = lang == "ja" ? $2 : $3
		clause = g; sub(/^CLD\./, "", clause)
		if (index(clause, ".")) {
			sub(/\..*/, "", clause)
			if (!(clause in gtitle)) fail(FILENAME ":" FNR ": group " g " before its clause " clause)
			gparent[g] = clause
		} else
			gparent[g] = ""
		next
	}
	file == 2 && is_data($1) {
		need_fields(5)
		label = $2; grp = label; sub(/\.[^.]*$/, "", grp)
		if (!(grp in gtitle) && grp ~ /^CLD\./) sub(/^CLD\./, "", grp)
		if (!(grp in gtitle)) fail(FILENAME ":" FNR ": no group for " label)
		alt = $1 == label ? "" : $1
		ctl[grp] = ctl[grp] sprintf("C\tc-%s\tg-%s\t%s\t%s\t%s\n", label, grp, label, alt, lang == "ja" ? $3 : $4)
		nctl++
	}
	END {
		if (failed) exit 1
		for (i = 1; i <= ng; i++) {
			g = gorder[i]
			printf "G\tg-%s\t%s\t%s\t%s\n", g, gparent[g] == "" ? "" : "g-" gparent[g], g, gtitle[g]
			printf "%s", ctl[g]
		}
	}' "$facts/iso27017-2015-groups.tsv" "$facts/iso27017-2015.tsv"
}

# iso27001_records LANG
iso27001_records() {
	awk -v lang="$1" "$AWKLIB"'
	BEGIN { init_lib() }
	FNR == 1 { file++ }
	file == 1 && is_data($1) { need_fields(3); theme[++nt] = $1; ttitle[$1] = lang == "ja" ? $2 : $3; next }
	file == 2 && is_data($1) { need_fields(2); ja[$1] = $2; next }
	file == 3 && is_data($1) {
		need_fields(3)
		if (!($2 in ttitle)) fail(FILENAME ":" FNR ": unknown theme " $2)
		if (lang == "ja" && !($1 in ja)) fail("no Japanese title for " $1)
		ctl[$2] = ctl[$2] sprintf("C\tc-%s\tg-%s\t%s\tA.%s\t%s\n", $1, $2, $1, $1, lang == "ja" ? ja[$1] : $3)
		seen[$1] = 1
	}
	END {
		if (failed) exit 1
		for (id in ja) if (!(id in seen)) fail("Japanese title for unknown control " id)
		for (i = 1; i <= nt; i++) {
			printf "G\tg-%s\t\t%s\t%s\n", theme[i], theme[i], ttitle[theme[i]]
			printf "%s", ctl[theme[i]]
		}
	}' "$facts/iso27001-2022-themes.tsv" "$ja2022" "$facts/iso27001-2022.tsv"
}

# emit_catalog NAME TITLE VERSION DOCUMENT_ID < records > xml
emit_catalog() {
	awk -v name="$1" -v title="$2" -v version="$3" -v docid="$4" \
	    -v modified="$LAST_MODIFIED" -v oscal="$OSCAL_VERSION" -v ns="$NS" \
	    "$AWKLIB"'
	BEGIN { init_lib() }
	$1 == "G" {
		kind[$2] = "group"; parent = $3 == "" ? "(top)" : $3
		if ($3 != "" && kind[$3] != "group") fail("group " $2 ": unknown parent " $3)
		kids[parent, ++nkids[parent]] = $2; label[$2] = $4; ttl[$2] = $5
		next
	}
	$1 == "C" {
		if (kind[$3] != "group") fail("control " $2 ": unknown group " $3)
		if ($2 in kind) fail("control id used twice: " $2)
		kind[$2] = "control"; kids[$3, ++nkids[$3]] = $2
		label[$2] = $4; alt[$2] = $5; ttl[$2] = $6
		next
	}
	{ fail("bad record: " $0) }
	function emit(id, depth,    i) {
		put(depth, "<" kind[id] " id=\"" esc(id) "\">")
		put(depth + 1, "<title>" esc(ttl[id]) "</title>")
		put(depth + 1, "<prop name=\"label\" value=\"" esc(label[id]) "\"/>")
		if (alt[id] != "")
			put(depth + 1, "<prop name=\"alt-identifier\" value=\"" esc(alt[id]) "\"/>")
		for (i = 1; i <= nkids[id]; i++)
			emit(kids[id, i], depth + 1)
		put(depth, "</" kind[id] ">")
	}
	END {
		if (failed) exit 1
		print "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
		print "<catalog xmlns=\"" ns "\" uuid=\"" uuid(name) "\">"
		put(1, "<metadata>")
		put(2, "<title>" esc(title) "</title>")
		put(2, "<last-modified>" modified "</last-modified>")
		put(2, "<version>" esc(version) "</version>")
		put(2, "<oscal-version>" oscal "</oscal-version>")
		put(2, "<document-id scheme=\"https://www.iso.org\">" esc(docid) "</document-id>")
		put(1, "</metadata>")
		for (i = 1; i <= nkids["(top)"]; i++)
			emit(kids["(top)", i], 1)
		print "</catalog>"
	}'
}

# emit_mapping > xml: the mapping-collection from the last column of
# iso27017-2015.tsv; relationships as described at the head of this file.
emit_mapping() {
	awk -v modified="$LAST_MODIFIED" -v oscal="$OSCAL_VERSION" -v ns="$NS" \
	    "$AWKLIB"'
	BEGIN { init_lib() }
	FNR == 1 { file++ }
	file == 1 && is_data($1) { need_fields(3); known["c-" $1] = 1; next }
	file == 2 && is_data($1) {
		need_fields(5)
		src[++nsrc] = "c-" $2
		if ($5 == "-") { ntgt[nsrc] = 0; next }
		ntgt[nsrc] = split($5, t, " ")
		for (i = 1; i <= ntgt[nsrc]; i++) {
			if (!(("c-" t[i]) in known)) fail(FILENAME ":" FNR ": unknown 27001:2022 control " t[i])
			tgt[nsrc, i] = "c-" t[i]; sources["c-" t[i]]++
		}
	}
	function relationship(k, c) {
		if (ntgt[k] > 1) return "intersects-with"
		return sources[c] > 1 ? "subset-of" : "equivalent-to"
	}
	END {
		if (failed) exit 1
		name = "iso27017-2015_to_iso27001-2022"
		print "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
		print "<mapping-collection xmlns=\"" ns "\" uuid=\"" uuid(name) "\">"
		put(1, "<metadata>")
		put(2, "<title>ISO/IEC 27017:2015 to ISO/IEC 27001:2022 Annex A</title>")
		put(2, "<last-modified>" modified "</last-modified>")
		put(2, "<version>2022</version>")
		put(2, "<oscal-version>" oscal "</oscal-version>")
		put(1, "</metadata>")
		put(1, "<mapping uuid=\"" uuid(name ".mapping") "\">")
		put(2, "<source-resource type=\"catalog\" href=\"iso27017-2015.en.xml\"/>")
		put(2, "<target-resource type=\"catalog\" href=\"iso27001-2022.en.xml\"/>")
		put(2, "<maps>")
		for (k = 1; k <= nsrc; k++) {
			for (i = 1; i <= ntgt[k]; i++) {
				c = tgt[k, i]
				put(3, "<map uuid=\"" uuid(name "." src[k] "." c) "\">")
				put(4, "<relationship>" relationship(k, c) "</relationship>")
				put(4, "<source type=\"control\" id-ref=\"" esc(src[k]) "\"/>")
				put(4, "<target type=\"control\" id-ref=\"" esc(c) "\"/>")
				put(3, "</map>")
			}
		}
		put(2, "</maps>")
		put(1, "</mapping>")
		print "</mapping-collection>"
	}' "$facts/iso27001-2022.tsv" "$facts/iso27017-2015.tsv"
}

# write FILE CMD...: runs CMD into OUT_DIR/FILE, replacing it only when
# the command succeeded.
write() {
	_file=$out/$1; shift
	"$@" >"$_file.tmp" || { rm -f "$_file.tmp"; die "failed to write $_file"; }
	mv "$_file.tmp" "$_file"
}

catalog_27017() {
	iso27017_records "$1" >"$out/.records.tmp" || return 1
	emit_catalog "iso27017-2015.$1" "$2" 2015 "ISO/IEC 27017:2015" \
	    <"$out/.records.tmp"
}

catalog_27001() {
	iso27001_records "$1" >"$out/.records.tmp" || return 1
	emit_catalog "iso27001-2022.$1" "$2" 2022 "ISO/IEC 27001:2022" \
	    <"$out/.records.tmp"
}

trap 'rm -f "$out/.records.tmp"' EXIT

write iso27017-2015.ja.xml catalog_27017 ja \
    "ISO/IEC 27017:2015 クラウドサービスのための情報セキュリティ管理策の実践の規範"
write iso27017-2015.en.xml catalog_27017 en \
    "ISO/IEC 27017:2015 Code of practice for information security controls for cloud services"
write iso27001-2022.ja.xml catalog_27001 ja \
    "ISO/IEC 27001:2022 附属書A 情報セキュリティ管理策"
write iso27001-2022.en.xml catalog_27001 en \
    "ISO/IEC 27001:2022 Annex A Information security controls"
write iso27017-2015_to_iso27001-2022.xml emit_mapping
