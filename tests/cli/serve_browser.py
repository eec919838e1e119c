#!/usr/bin/env python3
"""tests/cli/serve_browser.py URL FILE: drives headless Chromium over its
DevTools pipe (--remote-debugging-pipe: fd 3 commands in, fd 4 answers
out, NUL-separated JSON) to show that a page served by `wpgen serve`
reloads by itself after FILE (the Markdown of that page) is edited, and
that a failed build covers it with its diagnostics, which go away with
the next good build.  Prints one line a step; tests/cli/serve.sh compares
them whole.  Every wait has a deadline; no step sleeps a fixed time."""

import fcntl
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

URL, FILE = sys.argv[1], sys.argv[2]


class Browser:
    def __init__(self):
        self.profile = tempfile.mkdtemp(prefix="wpgen-chromium-")
        # Chromium reads commands from fd 3 and writes to fd 4: the pipe
        # ends move above 10 first, so that placing them cannot clobber
        # one another.
        ends = []
        for fd in os.pipe() + os.pipe():
            ends.append(fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10))
            os.close(fd)
        cmd_r, cmd_w, out_r, out_w = ends
        os.dup2(cmd_r, 3)
        os.dup2(out_w, 4)
        self.proc = subprocess.Popen(
            ["chromium", "--headless=new", "--no-sandbox", "--disable-gpu",
             "--no-first-run", "--no-default-browser-check",
             "--remote-debugging-pipe", "--user-data-dir=" + self.profile,
             "about:blank"],
            pass_fds=(3, 4), stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL)
        os.close(3)
        os.close(4)
        os.close(cmd_r)
        os.close(out_w)
        self.w, self.r = cmd_w, out_r
        self.buf = b""
        self.next_id = 0
        self.session = None

    def send(self, method, params=None, session=True):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session and self.session:
            msg["sessionId"] = self.session
        os.write(self.w, json.dumps(msg).encode() + b"\0")
        while True:
            while b"\0" not in self.buf:
                chunk = os.read(self.r, 65536)
                if not chunk:
                    raise RuntimeError("chromium closed its pipe")
                self.buf += chunk
            raw, self.buf = self.buf.split(b"\0", 1)
            reply = json.loads(raw)
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(reply["error"])
                return reply.get("result", {})

    def open(self, url):
        target = self.send("Target.createTarget", {"url": "about:blank"},
                           False)
        self.session = self.send("Target.attachToTarget", {
            "targetId": target["targetId"], "flatten": True},
            False)["sessionId"]
        self.send("Page.enable")
        # Counts the events each document receives, through the same
        # EventSource the reload script opens: a document is live once
        # it has had the server's first event.
        self.send("Page.addScriptToEvaluateOnNewDocument", {"source": """
            (function () {
                var E = window.EventSource;
                window.EventSource = function (u) {
                    var e = new E(u);
                    e.addEventListener("state", function () {
                        window.wpgenEvents = (window.wpgenEvents || 0) + 1;
                    });
                    return e;
                };
            })();"""})
        self.send("Page.navigate", {"url": url})

    def eval(self, expr):
        try:
            r = self.send("Runtime.evaluate", {"expression": expr,
                                               "returnByValue": True})
        except RuntimeError:
            return None    # the page is being replaced
        return r.get("result", {}).get("value")

    def until(self, expr, what, deadline=10.0):
        end = time.monotonic() + deadline
        while time.monotonic() < end:
            v = self.eval(expr)
            if v:
                return v
            time.sleep(0.05)
        raise RuntimeError("timed out waiting for " + what)

    def close(self):
        try:
            self.send("Browser.close", session=False)
        except (RuntimeError, OSError):
            pass
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        shutil.rmtree(self.profile, ignore_errors=True)


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
    b.open(URL)
    b.until(READY, "the page")
    print("loaded:", b.eval(H1).strip())
    # A mark that only this very document carries: gone after a reload.
    b.eval("window.wpgenMark = 1")
    edit(r"^# 1\. .*$", "# 1. ブラウザ")
    b.until("!window.wpgenMark && " + READY + " && " + H1 +
            ".includes('ブラウザ')", "the reload")
    print("reloaded by itself:", b.eval(H1).strip())
    b.eval("window.wpgenMark = 2")
    with open(FILE, "a", encoding="utf-8") as f:
        f.write("\n<ISO/IEC 27017 99.9>\n")
    text = b.until("(document.querySelector('#wpgen-build-errors pre') || "
                   "{}).textContent", "the overlay")
    print("overlay:", text.strip())
    with open(FILE, encoding="utf-8") as f:
        lines = f.read().split("\n")
    with open(FILE, "w", encoding="utf-8") as f:
        f.write("\n".join(lines[:-3]) + "\n")
    b.until("!window.wpgenMark && " + READY + " && "
            "!document.getElementById('wpgen-build-errors')",
            "the good build")
    print("overlay gone, reloaded:", b.eval(H1).strip())
finally:
    b.close()
