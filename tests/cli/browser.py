#!/usr/bin/env python3
"""tests/cli/browser.py AXE SHOTS KIND=FILE...: opens each built page
(FILE, a path under a built out/) in one headless Chromium, driven over
its DevTools pipe (--remote-debugging-pipe: commands on fd 3, answers on
fd 4, NUL-separated JSON), at 1280 px and at 390 px (a phone), and
checks what a reader meets:

  console   no console error, no uncaught exception, no error logged
            (a missing image or stylesheet is one)
  overflow  the page does not scroll sideways: its scroll width is not
            more than the viewport (wide tables scroll in their own box)
  links     every link to a place in the same page has its target
  axe       axe-core (AXE, node_modules/axe-core/axe.min.js, injected as
            text, no network) reports no serious or critical violation
  dates     no Japanese date (<time>) is broken across lines
  justify   no justified paragraph spreads its letters apart (a long URL
            on a phone)
  phrases   no title, heading, contents entry or card breaks a line
            inside a word (Intl.Segmenter's words: "セキュリ|ティ")
  toc       (an edition) scrolled to the middle of a long text, the
            contents stand beside it at the top of the window on a wide
            screen, their entry of the section being read marked where
            the style's toc.js is on the page; on a phone they stay put
  sticky    (a coverage page: KIND names "coverage") its largest table,
            scrolled to the middle of its rows and then sideways to the
            end, still shows its header row on top and its first column
            (getBoundingClientRect and elementFromPoint)

and saves a screenshot of each page at each width to SHOTS/KIND-WIDTH.png
(the top two screens, as the page opens), of an edition's appendix to
SHOTS/KIND-WIDTH-appendix.png, of a coverage page scrolled mid-table
to SHOTS/KIND-WIDTH-scrolled.png and of an edition mid-text on a wide
screen (its side contents) to SHOTS/KIND-WIDTH-toc.png.
Prints "PASS: browser/KIND/WIDTH/CHECK" or "FAIL: ..." with what is
wrong; tests/run.sh counts them.  Every wait has a deadline (a page that
hangs fails, it does not hang the run); nothing sleeps a fixed time."""

import base64
import os
import sys
import time

from devtools import Browser, Timeout

WIDTHS = ((1280, 900, False), (390, 844, True))
PAGE_SECONDS = 60.0


def console_errors(events):
    found = []
    for e in events:
        p = e.get("params", {})
        if e["method"] == "Runtime.consoleAPICalled" and \
                p.get("type") in ("error", "assert"):
            found.append("console.%s: %s" % (p["type"], " ".join(
                str(a.get("value", a.get("description", "")))
                for a in p.get("args", []))))
        elif e["method"] == "Runtime.exceptionThrown":
            d = p.get("exceptionDetails", {})
            found.append("exception: %s" % (d.get("exception", {}).get(
                "description") or d.get("text")))
        elif e["method"] == "Log.entryAdded" and \
                p.get("entry", {}).get("level") == "error":
            entry = p["entry"]
            found.append("log: %s %s" % (entry.get("text"),
                                         entry.get("url", "")))
    return found


# The elements that stick out of the viewport, outside any box that
# scrolls sideways itself: what makes the page scroll sideways.
OVERFLOW = """(function (width) {
    var de = document.documentElement;
    if (de.scrollWidth <= width) return null;
    function scrolls(el) {
        for (el = el.parentElement; el && el !== de; el = el.parentElement) {
            var o = getComputedStyle(el).overflowX;
            if (o === 'auto' || o === 'scroll' || o === 'hidden') return true;
        }
        return false;
    }
    function name(el) {
        var s = el.tagName.toLowerCase();
        if (el.id) s += '#' + el.id;
        if (el.className && typeof el.className === 'string')
            s += '.' + el.className.trim().split(/\\s+/).join('.');
        return s;
    }
    var out = [], all = document.body.getElementsByTagName('*');
    for (var i = 0; i < all.length && out.length < 4; i++) {
        var r = all[i].getBoundingClientRect();
        if (r.right > width + 0.5 && !scrolls(all[i])) {
            var p = all[i].parentElement;
            if (p && p.getBoundingClientRect().right > width + 0.5 &&
                !scrolls(p) && p !== document.body) continue;
            out.push(name(all[i]) + ' ' + Math.round(r.right) + 'px');
        }
    }
    return 'page ' + de.scrollWidth + 'px wide: ' + out.join(', ');
})(%d)"""

# Links into the same page whose fragment names no element.
LINKS = """(function () {
    var here = location.href.split('#')[0], bad = [];
    var links = document.querySelectorAll('a[href]');
    for (var i = 0; i < links.length; i++) {
        var a = links[i], h = a.getAttribute('href');
        if (a.href.split('#')[0] !== here || h.indexOf('#') < 0) continue;
        var id = decodeURIComponent(a.hash.slice(1));
        if (id === '' || !(document.getElementById(id) ||
                           document.getElementsByName(id).length))
            bad.push(h);
    }
    return [links.length, bad];
})()"""

# Japanese dates (<time> written with 年月日: the cover's, the revision
# history's, the index's) broken across lines ("2026年10" / "月1日").
DATES = """(function () {
    var bad = [], t = document.querySelectorAll('time');
    for (var i = 0; i < t.length; i++)
        if (/[\u3040-\u30ff\u3400-\u9fff]/.test(t[i].textContent) &&
            t[i].getClientRects().length > 1)
            bad.push(t[i].textContent.trim() + ' on ' +
                     t[i].getClientRects().length + ' lines');
    return bad;
})()"""

# Titles, headings, contents entries and cards that break a line inside
# a word: the line boxes of each character (a Range a character, a new
# line where a character starts left of the one before) against the word
# boundaries of Intl.Segmenter (the page's language; Japanese by its
# dictionary).  Each such break as the text with "|" where it fell.
PHRASES = """(function () {
    var bad = [], checked = 0, lang = document.documentElement.lang || 'en';
    var seg = new Intl.Segmenter(lang, {granularity: 'word'});
    var els = document.querySelectorAll(
        'h1, h2, h3, h4, h5, h6, .wp-toc-text, .wp-phrased, ' +
        '.wp-redline-service');
    var range = document.createRange();
    for (var i = 0; i < els.length && bad.length < 6; i++) {
        var el = els[i], up = el.parentElement;
        if (up && up.closest('h1, h2, h3, h4, h5, h6, .wp-toc-text, .wp-phrased'))
            continue;
        var walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
        var chars = [], text = '', n;
        while ((n = walk.nextNode())) {
            for (var k = 0; k < n.data.length; ) {
                var len = n.data.codePointAt(k) > 0xffff ? 2 : 1;
                chars.push([n, k, len, text.length + k]);
                k += len;
            }
            text += n.data;
        }
        var bounds = {}, it = seg.segment(text)[Symbol.iterator](), s;
        while (!(s = it.next()).done) bounds[s.value.index] = 1;
        var prev = null;
        checked++;
        for (var j = 0; j < chars.length; j++) {
            var c = chars[j];
            range.setStart(c[0], c[1]);
            range.setEnd(c[0], c[1] + c[2]);
            var rs = range.getClientRects();
            if (!rs.length || rs[0].width === 0 || /\s/.test(
                    text.substr(c[3], c[2]))) continue;
            var r = rs[0];
            if (prev && r.left < prev.left - 1 && r.top > prev.top + 1) {
                var ok = false;
                for (var b = prev.at + 1; b <= c[3]; b++)
                    if (bounds[b]) ok = true;
                if (!ok) bad.push(text.slice(0, c[3]) + '|' +
                                  text.slice(c[3]));
            }
            prev = {left: r.left, top: r.top, at: c[3]};
        }
    }
    return [checked, bad];
})()"""

# Justified paragraphs whose letters are spread apart: each Latin letter's
# or digit's width as laid out against its width with the paragraph
# aligned to the start (same line breaks); one wider by more than 0.1 em
# is spread ("h t t p s" when a long URL leaves a short line to fill;
# Japanese justified inter-character on a phone spreads "I S O / I E C"
# by 0.17 em; on a wide page the samples stay under 0.06 em).
JUSTIFY = """(function () {
    var bad = [], checked = 0, range = document.createRange();
    var els = document.querySelectorAll('.wp-body p, .wp-body li');
    function widths(chars) {
        return chars.map(function (c) {
            range.setStart(c[0], c[1]);
            range.setEnd(c[0], c[1] + 1);
            var rs = range.getClientRects();
            return rs.length ? rs[0].width : 0;
        });
    }
    for (var i = 0; i < els.length && bad.length < 4; i++) {
        var el = els[i];
        if (getComputedStyle(el).textAlign !== 'justify') continue;
        checked++;
        var walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
        var chars = [], n;
        while ((n = walk.nextNode()))
            for (var k = 0; k < n.data.length; k++)
                if (/[A-Za-z0-9]/.test(n.data[k])) chars.push([n, k]);
        var em = parseFloat(getComputedStyle(el).fontSize);
        var spread = widths(chars);
        el.style.textAlign = 'start';
        var plain = widths(chars);
        el.style.textAlign = '';
        for (var j = 0; j < chars.length; j++) {
            if (spread[j] - plain[j] > 0.1 * em) {
                var t = chars[j][0].data;
                bad.push('letters ' + (spread[j] - plain[j]).toFixed(1) +
                         'px apart at "' + t.slice(Math.max(0,
                         chars[j][1] - 12), chars[j][1] + 12) + '"');
                break;
            }
        }
    }
    return [checked, bad];
})()"""

# The coverage table of the most services, read mid-table: the window
# (or, where the table scrolls in its own box, the box) scrolled to the
# middle of its rows, its header row must still be on screen, on top
# (the point at the middle of each header cell in view hits that cell);
# and, its box scrolled sideways to the end, the first cell of a row in
# the middle must still be on screen, on top.  null when all holds.
STICKY = """(function () {
    var tables = document.querySelectorAll('table.wp-coverage-table');
    var t = null, vw = window.innerWidth, vh = window.innerHeight, bad = [];
    for (var i = 0; i < tables.length; i++)
        if (!t || tables[i].rows.length > t.rows.length) t = tables[i];
    if (!t) return 'no coverage table on the page';
    var box = t.closest('.wp-table-scroll') || t.parentElement;
    var top = window.scrollY + t.getBoundingClientRect().top;
    if (box.scrollHeight > box.clientHeight + 1) {
        window.scrollTo(0, window.scrollY + box.getBoundingClientRect().top);
        box.scrollTop = (box.scrollHeight - box.clientHeight) / 2;
    } else {
        window.scrollTo(0, top + t.offsetHeight / 2 - vh / 2);
    }
    var mid = t.tBodies[0].rows[Math.floor(t.tBodies[0].rows.length / 2)];
    var mr = mid.getBoundingClientRect();
    if (mr.bottom < 0 || mr.top > vh)
        bad.push('the middle row is not on screen (top ' +
                 Math.round(mr.top) + ')');
    function onTop(cell, what) {
        var r = cell.getBoundingClientRect(), b = box.getBoundingClientRect();
        // inside the box's scroll bars: a cell under one is not in view
        var left = Math.max(r.left, b.left + box.clientLeft, 0);
        var right = Math.min(r.right, b.left + box.clientLeft +
                             box.clientWidth, vw);
        var x = (left + right) / 2, y = r.top + Math.min(r.height / 2, 8);
        if (right - left < 2) return;
        var hit = (y >= 0 && y < vh) ? document.elementFromPoint(x, y) : null;
        if (!hit || !cell.contains(hit))
            bad.push(what + ' "' + cell.textContent.trim().slice(0, 20) +
                     '" hidden (top ' + Math.round(r.top) + ')');
    }
    var head = t.tHead.rows[0].cells;
    for (var k = 0; k < head.length; k++) onTop(head[k], 'header cell');
    if (box.scrollWidth > box.clientWidth + 1) {
        box.scrollLeft = box.scrollWidth;
        if (box.scrollLeft < 1) bad.push('the table box does not scroll');
        onTop(mid.cells[0], 'first cell');
        onTop(head[0], 'first header cell');
        onTop(head[head.length - 1], 'last header cell');
    }
    return bad.length ? bad.join('; ') : null;
})()"""

# An edition's contents, the window scrolled to the middle of a long
# text: on a wide screen (a grid from 75rem) they stand at the top of
# the window beside the text, and, where the style's toc.js is on the
# page, an entry is marked current: the last section begun above the top
# third of the window, in view in the contents; on a phone they stay
# where they are in the page.  null when all holds, on a page that is no
# edition, or on an edition shorter than two screens (nothing to follow).
TOC = """(function (wide) {
    var toc = document.getElementById('wp-toc');
    var main = document.getElementById('wp-main');
    if (!document.body.classList.contains('wp-edition'))
        return null;
    if (!toc || !main)
        return 'an edition without its contents (#wp-toc) or #wp-main';
    var m = main.getBoundingClientRect(), vh = window.innerHeight;
    if (m.height < 2 * vh) return null;
    window.scrollTo(0, window.scrollY + m.top + m.height / 2);
    return new Promise(function (done) {
        requestAnimationFrame(function () { requestAnimationFrame(function () {
            var t = toc.getBoundingClientRect(), bad = [];
            if (wide) {
                if (Math.abs(t.top) > 2 || t.bottom < vh / 2)
                    bad.push('the contents are not beside the text ' +
                             'mid-page (top ' + Math.round(t.top) + ')');
                var cur = toc.querySelector('a[aria-current]');
                if (document.querySelector('script[src$="toc.js"]')) {
                    if (!cur) {
                        bad.push('no entry of the contents marked current');
                    } else {
                        var c = cur.getBoundingClientRect();
                        var h = document.getElementById(decodeURIComponent(
                            cur.getAttribute('href').slice(1)));
                        if (c.top < t.top - 1 || c.bottom > t.bottom + 1)
                            bad.push('the current entry is out of view');
                        if (h.getBoundingClientRect().top > vh / 3 + 1)
                            bad.push('the current entry ' + h.id +
                                     ' starts below the reading line');
                    }
                }
            } else if (t.bottom > 0 && t.top < vh) {
                bad.push('the contents follow the reader on a phone');
            }
            done(bad.length ? bad.join('; ') : null);
        }); });
    });
})(%s)"""

AXE_RUN = """axe.run(document, {resultTypes: ['violations'], preload: false}).then(function (r) {
    return r.violations.filter(function (v) {
        return v.impact === 'serious' || v.impact === 'critical';
    }).map(function (v) {
        return v.impact + ' ' + v.id + ' (' + v.nodes.length + '): ' +
            v.nodes.slice(0, 3).map(function (n) {
                return n.target.join(' ');
            }).join(' | ');
    });
})"""


def report(name, problems):
    if problems:
        print("FAIL: %s: %s" % (name, "; ".join(problems)[:1500]))
    else:
        print("PASS: %s" % name)


def check_page(b, axe, shots, kind, path, width, height, mobile):
    name = "browser/%s/%d" % (kind, width)
    if not os.path.isfile(path):
        # Chromium would show its own error page, which passes
        print("FAIL: %s: no such page %s" % (name, path))
        return
    b.deadline = time.monotonic() + PAGE_SECONDS
    try:
        b.open("file://" + os.path.abspath(path), width, height, mobile)
        over = b.eval(OVERFLOW % width)
        # the top two screens, as the page opens: before any check
        # scrolls the window, the side contents or a table's box (what
        # sticks would be drawn where it stuck, mid-picture)
        full = b.eval("document.documentElement.scrollHeight")
        shot = b.send("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": width,
                     "height": min(full, 2 * height), "scale": 1}})
        with open(os.path.join(shots, "%s-%d.png" % (kind, width)),
                  "wb") as f:
            f.write(base64.b64decode(shot["data"]))
        toc = b.eval(TOC % ("true" if width >= 1200 else "false"),
                     wait=True)
        if width >= 1200 and b.eval("window.scrollY") > 0:
            # the side contents mid-page
            shot = b.send("Page.captureScreenshot", {"format": "png"})
            with open(os.path.join(shots, "%s-%d-toc.png" % (kind, width)),
                      "wb") as f:
                f.write(base64.b64decode(shot["data"]))
        b.eval("window.scrollTo(0, 0)")
        sticky = b.eval(STICKY)
        if "coverage" in kind:
            # what the reader sees mid-table, scrolled to the right
            shot = b.send("Page.captureScreenshot", {"format": "png"})
            with open(os.path.join(shots, "%s-%d-scrolled.png" % (
                    kind, width)), "wb") as f:
                f.write(base64.b64decode(shot["data"]))
            b.eval("window.scrollTo(0, 0)")
        count, bad = b.eval(LINKS)
        dates = b.eval(DATES)
        phrased, broken = b.eval(PHRASES)
        justified, spread = b.eval(JUSTIFY)
        b.eval(axe)
        violations = b.eval(AXE_RUN, wait=True)
        full = b.eval("document.documentElement.scrollHeight")
        # and the appendix of an edition, where the widest tables are
        top = b.eval("(function (e) { return e ? window.scrollY + "
                     "e.getBoundingClientRect().top : -1; })"
                     "(document.getElementById('wp-xref'))")
        if top >= 0:
            shot = b.send("Page.captureScreenshot", {
                "format": "png", "captureBeyondViewport": True,
                "clip": {"x": 0, "y": top, "width": width,
                         "height": min(full - top, 2 * height),
                         "scale": 1}})
            with open(os.path.join(shots, "%s-%d-appendix.png" % (
                    kind, width)), "wb") as f:
                f.write(base64.b64decode(shot["data"]))
        errors = console_errors(b.events)
    except (Timeout, RuntimeError) as e:
        print("FAIL: %s: %s" % (name, e))
        b.close_page()
        return
    b.close_page()
    report(name + "/console", errors)
    report(name + "/overflow", [over] if over else [])
    report(name + "/links", (["no link at all"] if count == 0 and
                             kind.startswith("edition") else []) +
           ["no target for " + h for h in bad[:10]])
    report(name + "/axe", violations)
    report(name + "/dates", dates[:5])
    report(name + "/justify", spread)
    report(name + "/phrases", (["no heading at all"] if phrased == 0 else
                               []) + ["broken inside a word: " + t
                                      for t in broken])
    if "coverage" in kind:
        report(name + "/sticky", [sticky] if sticky else [])
    else:
        report(name + "/toc", [toc] if toc else [])


def main():
    axe_path, shots = sys.argv[1], sys.argv[2]
    with open(axe_path, encoding="utf-8") as f:
        axe = f.read()
    os.makedirs(shots, exist_ok=True)
    pages = [a.split("=", 1) for a in sys.argv[3:]]
    b = Browser()
    try:
        for kind, path in pages:
            for width, height, mobile in WIDTHS:
                check_page(b, axe, shots, kind, path, width, height, mobile)
    finally:
        b.close()


main()
