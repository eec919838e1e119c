#!/usr/bin/env python3
# tests/pdfcheck.py: checks an edition's PDF against its HTML page, from
# the PDF itself (poppler-utils pdftotext, pdfinfo, pdffonts; qpdf --json
# for the outline and the links).  Run by tests/cli/pdf.sh:
#
#   pdfcheck.py PDF PAGE.html MIN_PAGES MAX_PAGES [--plain]
#
# Prints "PASS: name" or "FAIL: name: why" for each check:
#   - contents: every entry of the HTML contents is in the PDF's contents,
#     in order, and its printed page number is the page where that
#     heading is printed;
#   - outline: one bookmark per contents entry, same text, nested by the
#     entry's level, pointing at that same page;
#   - metadata: title, author (provider), subject (description),
#     keywords (the standards; none with --plain, a document without
#     controls), language, dates of the first and current revision, A4;
#   - fonts: every font embedded and subset;
#   - no page ends with a heading (nor with a heading and its control
#     markers);
#   - Japanese: no line starts with 、。）」 and the like; no line of a
#     table's cell (body, appendix), nor of the cover title, ends inside a word (a
#     run of katakana or of kanji: "ネットワー|ク", "ネットワーク基|盤");
#   - the cover title, the appendix title and its catalogs' headings in
#     English leave no word alone on their last line;
#   - links: contents entries link inside the PDF, every external link of
#     the page is a link in the PDF;
#   - the cover (the title) is page 1;
#   - the page count is within [MIN_PAGES, MAX_PAGES].
# python3 is there already: WeasyPrint is written in it.
import html.parser
import json
import re
import subprocess
import sys

PDF, PAGE, MIN_PAGES, MAX_PAGES = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
# --plain (a document without controls): no standards, so no keywords.
KEYWORDS = sys.argv[5:] != ["--plain"]
NAME = PDF.rsplit("/", 1)[-1]


def ok(what):
    print(f"PASS: pdf {NAME}: {what}")


def bad(what, why):
    print(f"FAIL: pdf {NAME}: {what}: {why}")


def run(*argv):
    return subprocess.run(argv, check=True, capture_output=True).stdout.decode("utf-8")


def squash(s):
    """Text without any white space: lines of the PDF and of the HTML
    compare whatever the spacing."""
    return re.sub(r"\s+", "", s)


class Page(html.parser.HTMLParser):
    """What the checks need of the HTML page: the contents entries, the
    headings, the metadata, the external links."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.toc, self.headings, self.links = [], [], []
        self.meta, self.lang, self.title = {}, None, ""
        self.cells, self.cover, self.appendix_heads = [], "", []
        self._in = None      # ("toc", level, href) | ("h",) | ("title",)
        self._text = ""
        self._depth = 0
        self._main = False   # inside the body (main.wp-body)
        self._appendix = 0   # depth of sections inside the appendix
        self._cell = None    # the text of a body table's cell
        self._h1 = None      # the text of the cover title

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        cls = (a.get("class") or "").split()
        if tag == "html":
            self.lang = a.get("lang")
        elif tag == "meta" and a.get("name"):
            self.meta[a["name"]] = a.get("content", "")
        elif tag == "title":
            self._in, self._text = ("title",), ""
        elif tag == "li" and any(c.startswith("wp-toc-l") for c in cls):
            level = int([c for c in cls if re.fullmatch(r"wp-toc-l\d", c)][0][-1])
            self._in, self._text = ("toc", level, None), ""
        elif tag == "a" and self._in and self._in[0] == "toc":
            self._in = ("toc", self._in[1], a.get("href", ""))
        elif re.fullmatch(r"h[2-6]", tag) and self._in is None:
            self._in, self._text, self._depth = ("h", tag), "", 0
        elif tag == "a" and (a.get("href") or "").startswith(("http://", "https://")):
            self.links.append(a["href"])
        if tag == "main" and "wp-body" in cls:
            self._main = True
        elif tag == "section" and ("wp-appendix" in cls or self._appendix):
            self._appendix += 1
        elif tag in ("td", "th") and (self._main or self._appendix):
            self._cell = ""
        elif tag == "h1" and "wp-cover-title" in cls:
            self._h1 = ""
        if self._in and self._in[0] == "h" and tag == self._in[1]:
            self._depth += 1

    def handle_endtag(self, tag):
        if tag == "main":
            self._main = False
        elif tag == "section" and self._appendix:
            self._appendix -= 1
        elif tag in ("td", "th") and self._cell is not None:
            self.cells.append(self._cell.strip())
            self._cell = None
        elif tag == "h1" and self._h1 is not None:
            self.cover, self._h1 = self._h1.strip(), None
        if self._in is None:
            return
        if self._in[0] == "title" and tag == "title":
            self.title, self._in = self._text.strip(), None
        elif self._in[0] == "toc" and tag == "li":
            self.toc.append((self._in[1], self._in[2], self._text.strip()))
            self._in = None
        elif self._in[0] == "h" and tag == self._in[1]:
            self._depth -= 1
            if self._depth == 0:
                self.headings.append(self._text.strip())
                if self._appendix:
                    self.appendix_heads.append(self._text.strip())
                self._in = None

    def handle_data(self, data):
        if self._in:
            self._text += data
        if self._cell is not None:
            self._cell += data
        if self._h1 is not None:
            self._h1 += data


page = Page()
with open(PAGE, encoding="utf-8") as f:
    page.feed(f.read())
info = {}
for line in run("pdfinfo", "-isodates", PDF).splitlines():
    k, _, v = line.partition(":")
    info[k] = v.strip()
npages = int(info["Pages"])
texts = run("pdftotext", "-layout", PDF, "-").split("\f")[:npages]
lines = [t.splitlines() for t in texts]
qpdf = json.loads(run("qpdf", "--json=2", PDF))

# ---- contents: printed numbers are the pages of the headings ----

def contents_pages():
    """The pages (0-based) that hold the contents: those whose lines end
    with leaders and a page number."""
    found = [i for i, ls in enumerate(lines)
             if sum(1 for l in ls if re.search(r"\.{4,}\s*\d+\s*$", l)) >= 3]
    return found


toc_pages = contents_pages()
entries = []      # (level, title, printed page)
problems = []
if not toc_pages:
    problems.append("no contents page with leaders and page numbers")
else:
    toc_lines = [l for i in toc_pages for l in lines[i]]
    k = 0
    for level, href, text in page.toc:
        want = squash(text)
        printed = None
        acc = ""
        while k < len(toc_lines):
            l = toc_lines[k]
            k += 1
            m = re.search(r"^(.*?)\s*\.{4,}\s*(\d+)\s*$", l)
            part = squash(m.group(1) if m else l)
            if m and squash(acc + part) == want:
                printed = int(m.group(2))
                break
            acc = acc + part if want.startswith(squash(acc + part)) else ""
        if printed is None:
            problems.append(f"contents entry '{text}' not found with a page number")
            break
        entries.append((level, text, printed))


def heading_page(text):
    """The page (1-based) where a heading is printed: the first page where
    a line (or two lines) is the heading's text, the entries of the
    contents aside (a short revision history shares its page)."""
    want = squash(text)
    for i, ls in enumerate(lines):
        for j, l in enumerate(ls):
            if i in toc_pages and re.search(r"\.{4,}\s*\d+\s*$", l):
                continue    # a contents entry, not the heading
            one = squash(l)
            if not one or not want.startswith(one):
                continue
            if one == want or (j + 1 < len(ls) and one + squash(ls[j + 1]) == want):
                return i + 1
    return None


for level, text, printed in entries:
    at = heading_page(text)
    if at != printed:
        problems.append(f"'{text}': contents say page {printed}, printed on page {at}")
if problems:
    bad("contents page numbers", "; ".join(problems[:5]))
else:
    ok(f"contents page numbers ({len(entries)} entries)")

# ---- outline ----

def flatten(items, level, out):
    for o in items:
        out.append((level, o.get("title", ""), o.get("destpageposfrom1")))
        flatten(o.get("kids", []), level + 1, out)
    return out


outline = flatten(qpdf.get("outlines", []), 1, [])
want = [(lvl, squash(t), p) for lvl, t, p in entries]
got = [(lvl, squash(t), p) for lvl, t, p in outline]
if got == want and want:
    ok(f"outline: one bookmark per contents entry, nested ({len(got)})")
else:
    diff = next((f"#{i}: got {g}, want {w}" for i, (g, w) in enumerate(zip(got, want)) if g != w),
                f"{len(got)} bookmarks, {len(want)} entries")
    bad("outline", diff)

# ---- metadata ----

meta_want = {
    "Title": page.title,
    "Author": page.meta.get("author", ""),
    "Subject": page.meta.get("description", ""),
    "Keywords": page.meta.get("keywords"),
    "CreationDate": page.meta.get("dcterms.created", "") + "T00:00:00Z",
    "ModDate": page.meta.get("dcterms.modified", "") + "T00:00:00Z",
    "Page size": "595.276 x 841.89 pts (A4)",
}
wrong = [f"{k} is '{info.get(k)}', want '{v}'" for k, v in meta_want.items() if info.get(k) != v]
if not page.meta.get("keywords") and KEYWORDS:
    wrong.append("the page names no standard in its keywords")
lang = None
for obj in qpdf["qpdf"][1].values():
    v = obj.get("value") if isinstance(obj, dict) else None
    if isinstance(v, dict) and v.get("/Type") == "/Catalog":
        lang = v.get("/Lang")
if lang not in ("u:" + (page.lang or ""), "(" + (page.lang or "") + ")"):
    wrong.append(f"/Lang is {lang}, want {page.lang}")
if wrong:
    bad("metadata", "; ".join(wrong))
else:
    ok("metadata: title, author, subject, keywords, language, dates, A4")

# ---- fonts ----

rows = run("pdffonts", PDF).splitlines()[2:]
unembedded = [r for r in rows if not re.search(r"\byes\s+yes\s+(yes|no)\s+\d+\s+\d+\s*$", r)]
if rows and not unembedded:
    ok(f"fonts: all {len(rows)} embedded and subset")
else:
    bad("fonts", "not embedded or not subset: " + "; ".join(unembedded[:3]) if rows else "no fonts")

# ---- no page ends with a heading ----

heads = {squash(h) for h in page.headings}
enders = []
for i, ls in enumerate(lines[:-1]):
    body = [l for l in ls if l.strip()]
    # the footer: the line with "n / N" (and the copyright beside it)
    while body and re.search(r"\b\d+ / \d+\s*$", body[-1]):
        body.pop()
    while body and re.fullmatch(r"\s*<[^<>]+>\s*", body[-1]):
        body.pop()      # the control markers under a heading
    if not body:
        continue
    last = squash(body[-1])
    two = squash(body[-2]) + last if len(body) > 1 else last
    if last in heads or two in heads:
        enders.append(f"page {i + 1} ends with '{body[-1].strip()}'")
if enders:
    bad("no page ends with a heading", "; ".join(enders))
else:
    ok("no page ends with a heading")

# ---- Japanese line breaking ----

if (page.lang or "").startswith("ja"):
    raw = run("pdftotext", PDF, "-").splitlines()
    starts = [l for l in raw if re.match(r"\s*[、。，．）」』】〕？！]", l)]
    if starts:
        bad("Japanese line breaking", f"{len(starts)} lines start with closing punctuation: {starts[0]!r}")
    else:
        ok("Japanese line breaking: no line starts with 、。）」")

# ---- no line of a table cell or of the cover title ends inside a word ----

KANA_KANJI = re.compile(r"[\u30a1-\u30fa\u30fc]{2}|[\u4e00-\u9fff]{2}")


def pdf_lines():
    """Every line of the PDF: (page, xMin, yMin, yMax, text without
    spaces), from pdftotext -bbox-layout."""
    out, page_no = [], 0
    doc = run("pdftotext", "-bbox-layout", PDF, "-")
    for m in re.finditer(r'<page |<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">(.*?)</line>', doc, re.S):
        if m.group(0) == "<page ":
            page_no += 1
            continue
        words = re.findall(r">([^<]*)</word>", m.group(4))
        text = html.unescape(" ".join(words))
        out.append((page_no, float(m.group(1)), float(m.group(2)), float(m.group(3)), text))
    return out


def stacked(all_lines):
    """Runs of lines set one under the other at the same left edge, on
    one page: the lines of a paragraph, a cell, a title."""
    cols = {}
    for ln in all_lines:
        cols.setdefault((ln[0], round(ln[1])), []).append(ln)
    runs = []
    for col in cols.values():
        col.sort(key=lambda ln: ln[2])
        run_ = [col[0]]
        for ln in col[1:]:
            prev = run_[-1]
            if ln[2] - prev[3] < (prev[3] - prev[2]) * 0.9:
                run_.append(ln)
            else:
                runs.append(run_)
                run_ = [ln]
        runs.append(run_)
    return runs


def matches(texts_, runs):
    """The texts (squashed) found in the PDF as two or more stacked
    lines: each as its lines."""
    out = []
    want = {squash(t) for t in texts_ if t}
    for run_ in runs:
        for i in range(len(run_)):
            acc = ""
            for j in range(i, len(run_)):
                acc += squash(run_[j][4])
                if j > i and acc in want:
                    out.append(run_[i:j + 1])
                    break
                if not any(w.startswith(acc) for w in want):
                    break
    return out


def breaks_inside(found):
    """The line ends of the matched texts that fall inside a word: a
    line ends with katakana or kanji and the next begins with the same
    (pdftotext's words joined with spaces, so a word's own end shows)."""
    out = []
    for lines_ in found:
        for a, b in zip(lines_, lines_[1:]):
            if a[4] and b[4] and KANA_KANJI.fullmatch(a[4][-1] + b[4][0]):
                out.append(f"page {a[0]}: '{a[4]}|{b[4]}'")
    return out


runs = stacked(pdf_lines())
if (page.lang or "").startswith("ja"):
    found = matches(page.cells, runs)
    breaks = breaks_inside(found)
    if breaks:
        bad("table cells break between phrases", "; ".join(breaks[:4]))
    elif not found and any(KANA_KANJI.search(c) for c in page.cells):
        bad("table cells break between phrases", "no cell of two lines found to check")
    else:
        ok(f"table cells break between phrases ({len(found)} cells of two lines or more)")
def lone_words(found):
    """In English, a title's last line holds more than one word."""
    if (page.lang or "").startswith("ja"):
        return []
    return [f"'{lines_[-1][4]}' alone on the last line of '{' '.join(l[4] for l in lines_)}'"
            for lines_ in found if len(lines_[-1][4].split()) < 2]


if page.cover:
    found = matches([page.cover], [r for r in runs if r[0][0] == 1])
    problems = breaks_inside(found) + lone_words(found)
    if problems:
        bad("cover title lines", "; ".join(problems))
    else:
        n = len(found[0]) if found else 1
        ok(f"cover title lines ({n} line{'s' if n > 1 else ''})")
# The appendix title and its catalogs' headings are balanced too.
found = matches(page.appendix_heads, runs)
problems = breaks_inside(found) + lone_words(found)
if problems:
    bad("appendix title lines", "; ".join(problems))
elif page.appendix_heads:
    ok(f"appendix title lines ({len(found)} of {len(page.appendix_heads)} in two lines)")

# ---- links ----

uris, dests = set(), 0
for obj in qpdf["qpdf"][1].values():
    v = obj.get("value") if isinstance(obj, dict) else None
    if not isinstance(v, dict) or v.get("/Subtype") != "/Link":
        continue
    action = v.get("/A")
    if isinstance(action, dict) and "/URI" in action:
        uris.add(action["/URI"].removeprefix("u:").removeprefix("b:"))
    elif "/Dest" in v or (isinstance(action, dict) and "/D" in action):
        dests += 1
missing = [u for u in page.links if u not in uris]
if missing:
    bad("links", f"external links not clickable: {missing[:3]}")
elif dests < len(entries):
    bad("links", f"{dests} internal links, fewer than the {len(entries)} contents entries")
else:
    ok(f"links: {dests} internal, {len(set(page.links))} external")

# ---- the cover is the first page (not pushed to the second) ----

if squash(page.title) and squash(page.title) in squash(texts[0]):
    ok("cover: the title on page 1")
else:
    bad("cover", f"page 1 does not carry the title: {texts[0][:80]!r}")

# ---- page count ----

if MIN_PAGES <= npages <= MAX_PAGES:
    ok(f"{npages} pages, within [{MIN_PAGES}, {MAX_PAGES}]")
else:
    bad("page count", f"{npages} pages, want [{MIN_PAGES}, {MAX_PAGES}]")
