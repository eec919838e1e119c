#!/usr/bin/env python3
"""tests/cli/serve_browser.py URL FILE: drives headless Chromium over its
DevTools pipe (--remote-debugging-pipe: fd 3 commands in, fd 4 answers
out, NUL-separated JSON) to show that a page served by `wpgen serve`
reloads by itself after FILE (the Markdown of that page) is edited, and
that a failed build covers it with its diagnostics, which go away with
the next good build.  Prints one line a step; tests/cli/serve.sh compares
them whole.  Every wait has a deadline; no step sleeps a fixed time."""

import re
import sys
import time

from devtools import Browser, Timeout

URL, FILE = sys.argv[1], sys.argv[2]

# Counts the events each document receives, through the same EventSource
# the reload script opens: a document is live once it has had the
# server's first event.
COUNT_EVENTS = """
(function () {
    var E = window.EventSource;
    window.EventSource = function (u) {
        var e = new E(u);
        e.addEventListener("state", function () {
            window.wpgenEvents = (window.wpgenEvents || 0) + 1;
        });
        return e;
    };
})();"""


def value(b, expr):
    """expr's value in the page, or None while the page is being
    replaced (a reload)."""
    try:
        return b.eval(expr)
    except RuntimeError:
        return None


def until(b, expr, what, deadline=10.0):
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        b.deadline = end + 5
        v = value(b, expr)
        if v:
            return v
        time.sleep(0.05)
    raise Timeout("timed out waiting for " + what)


def edit(pattern, repl):
    with open(FILE, encoding="utf-8") as f:
        text = f.read()
    with open(FILE, "w", encoding="utf-8") as f:
        f.write(re.sub(pattern, repl, text, count=1, flags=re.M))


H1 = "(document.getElementById('sec-1') || {}).textContent"
# Ready: loaded, and the reload script has had its first event.
READY = "document.readyState === 'complete' && window.wpgenEvents > 0"

b = Browser()
try:
    b.deadline = time.monotonic() + 30
    b.open(URL, 1280, 900, False, COUNT_EVENTS)
    until(b, READY, "the page")
    print("loaded:", value(b, H1).strip())
    # A mark that only this very document carries: gone after a reload.
    value(b, "window.wpgenMark = 1")
    edit(r"^# 1\. .*$", "# 1. ブラウザ")
    until(b, "!window.wpgenMark && " + READY + " && " + H1 +
          ".includes('ブラウザ')", "the reload")
    print("reloaded by itself:", value(b, H1).strip())
    value(b, "window.wpgenMark = 2")
    with open(FILE, "a", encoding="utf-8") as f:
        f.write("\n<ISO/IEC 27017 99.9>\n")
    text = until(b, "(document.querySelector('#wpgen-build-errors pre') || "
                 "{}).textContent", "the overlay")
    print("overlay:", text.strip())
    with open(FILE, encoding="utf-8") as f:
        lines = f.read().split("\n")
    with open(FILE, "w", encoding="utf-8") as f:
        f.write("\n".join(lines[:-3]) + "\n")
    until(b, "!window.wpgenMark && " + READY + " && "
          "!document.getElementById('wpgen-build-errors')",
          "the good build")
    print("overlay gone, reloaded:", value(b, H1).strip())
finally:
    b.close()
