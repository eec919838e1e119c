# tests/cli/samples.sh: the samples of samples/ that need ../shared (see
# samples/README.md), built and checked as an author would, with XPath
# assertions on what a reader sees.  harborview-ledger: an English-only
# whitepaper of a US provider on NIST SP 800-53 Rev. 5 moderate, whose
# pages must read as that provider's own document: no ISO wording and no
# catalog id in their visible text.
. tests/lib.sh

have_shared "samples/harborview-ledger" oscal/nist-800-53r5-moderate.en.xml || return 0 2>/dev/null || exit 0

XPATHCHECK=${XPATHCHECK:-$PWD/build/asan/xpathcheck}
S=$TMP/samples
mkdir -p "$S/content/catalogs"
cp "$WPGEN_SHARED/oscal/nist-800-53r5-moderate.en.xml" "$S/content/catalogs/"
cp -R samples/harborview-ledger "$S/content/"
wp() { "$WPGEN" "$@" --content "$S/content" --templates "$PWD/templates"; }

# Built and checked with no diagnostic at all (required controls met,
# en-US served by the en labels and catalog).
expect_status "samples/harborview/build" 0 wp build --out "$S/out" --quiet
expect_same "samples/harborview/build-quiet" "$TMP/err" /dev/null
expect_status "samples/harborview/check" 0 wp check
expect_same "samples/harborview/check-clean" "$TMP/err" /dev/null

# The exports a GRC team imports, compared whole: the CSV beside the
# page (cli.md's six columns first, then the added ones), the JSON, and
# the CSV with only the columns that say something for NIST.
expect_same "samples/harborview/xref.csv" \
    "$S/out/harborview-ledger/en-US/xref.csv" tests/samples/harborview-ledger.xref.csv
wp xref harborview-ledger >"$TMP/xref.json" 2>"$TMP/err"
expect_same "samples/harborview/xref.json" "$TMP/xref.json" \
    tests/samples/harborview-ledger.xref.json
wp xref harborview-ledger --format csv --columns \
    catalog_name,family,label,title,addressed,sections,section_titles,section_urls \
    >"$TMP/grc.csv" 2>"$TMP/err"
expect_same "samples/harborview/xref-columns.csv" "$TMP/grc.csv" \
    tests/samples/harborview-ledger.grc.csv

page=harborview-ledger/en-US/index.html
# What a US reader must not meet on any page of the site (the edition,
# the index, the coverage page): ISO wording or numbers, the catalog's
# file id, Japanese, in the visible text or in tooltips and labels.
foreign='contains(.,"ISO") or contains(.,"27017") or contains(.,"27001") or contains(.,"27002") or contains(.,"Annex") or contains(.,"nist-800-53r5") or contains(.,"の") or contains(.,"。") or contains(.,"、") or contains(.,"年") or contains(.,"版") or contains(.,"管理策")'
cat >"$S/xpath" <<XPATH
# The catalog is named as service.yaml's standards names it, and only the
# catalogs the site uses are named: no ISO wording, no catalog id, no
# Japanese, in the visible text (or the tooltips) of any page.
$page	count(//body//text()[$foreign] | //body//@title[$foreign] | //body//@aria-label[$foreign] | //body//@alt[$foreign])	0
index.html	count(//body//text()[$foreign] | //body//@title[$foreign] | //body//@aria-label[$foreign] | //body//@alt[$foreign])	0
coverage.html	count(//body//text()[$foreign] | //body//@title[$foreign] | //body//@aria-label[$foreign] | //body//@alt[$foreign])	0
$page	count(//*[@lang and not(starts-with(@lang,"en"))])	0
index.html	count(//*[@lang and not(starts-with(@lang,"en"))])	0
coverage.html	count(//*[@lang and not(starts-with(@lang,"en"))])	0
# The index and the coverage page in English: the version with its label,
# the US date (ISO only in datetime), the catalog's name, the count.
index.html	/html/@lang	en-US
index.html	//p[@class="wp-service-meta"]	Version 2.0 (2026 annual review) January 20, 2026
index.html	//p[@class="wp-service-meta"]/time/@datetime	2026-01-20
coverage.html	//main//h2	NIST SP 800-53
coverage.html	//dl[@class="wp-cov-legend"]//span[@class="wp-cov-count"]	23 / 287 addressed
index.html	//p[@class="wp-site-intro"]	Whitepapers that explain, service by service, how each cloud service addresses the controls of NIST SP 800-53.
# An English page (en-US, with the en labels).
$page	/html/@lang	en-US
$page	//h2[@id="wp-toc-title"]	Contents
# The version number always, the label beside it; US dates, ISO datetime.
$page	//dl[contains(@class,"wp-cover-meta")]/dd	2.0 2026 annual review | January 20, 2026
$page	//table[contains(@class,"wp-revisions-table")]/tbody/tr/td[1]	1.0 Initial release | 1.1 | 2.0 2026 annual review
$page	//table[contains(@class,"wp-revisions-table")]/tbody/tr/td[2]	March 10, 2025 | September 15, 2025 | January 20, 2026
$page	//table[contains(@class,"wp-revisions-table")]/tbody/tr/td[2]/time/@datetime	2025-03-10 | 2025-09-15 | 2026-01-20
$page	//span[@class="wp-footer-version"]	Version 2.0 (2026 annual review) · January 20, 2026
# Control sections show the control's label and title.
$page	//h3[@id="ctl-AC-2"]	AC-2 Account Management
$page	//h4[@id="ctl-IA-2(1)"]	IA-2(1) Multi-factor Authentication to Privileged Accounts
# The appendix: its letter after the author's (none), service.yaml's label
# over the built-in one, only the addressed controls, a table a family
# with the family's title, no mapping column.
$page	//h2[@id="wp-xref-title"]	Appendix A: NIST SP 800-53 controls and where this paper covers them
$page	//p[@class="wp-xref-intro"]	The controls of NIST SP 800-53 that this document addresses, and the sections that describe how.
$page	//h3[contains(@class,"wp-xref-catalog-title")]	NIST SP 800-53
$page	//table[contains(@class,"wp-xref-table")]/caption	Table A-1: Access Control | Table A-2: Audit and Accountability | Table A-3: Contingency Planning | Table A-4: Identification and Authentication | Table A-5: Incident Response | Table A-6: System and Communications Protection
$page	count(//table[contains(@class,"wp-xref-table")]/tbody/tr)	23
$page	count(//table[contains(@class,"wp-xref-table")]/tbody/tr[contains(@class,"wp-not-addressed")])	0
$page	count(//table[contains(@class,"wp-xref-table")]/thead/tr/th)	18
$page	(//table[contains(@class,"wp-xref-table")])[1]/tbody/tr/th	AC-2 | AC-2(1) | AC-3 | AC-6 | AC-17
XPATH
if "$XPATHCHECK" "$S/out" "$S/xpath" >"$TMP/xp" 2>&1; then
	pass "samples/harborview/pages"
else
	fail "samples/harborview/pages" "$(head -c 1500 "$TMP/xp")"
fi

# The PDF, checked from the PDF itself as the other styles' samples are
# (tests/pdfcheck.py: contents page numbers, outline, metadata, fonts,
# no heading at a page foot, links, cover; 8 pages today).
if command -v weasyprint >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1 &&
    command -v qpdf >/dev/null 2>&1; then
	expect_status "samples/harborview/build-pdf" 0 wp build --out "$S/pdf" --pdf --quiet
	python3 tests/pdfcheck.py \
	    "$S/pdf/harborview-ledger/en-US/harborview-ledger-en-US-2.0.pdf" \
	    "$S/pdf/harborview-ledger/en-US/index.html" 7 9
else
	echo "SKIP: samples/harborview/pdf: weasyprint, pdftotext or qpdf is not installed"
fi
