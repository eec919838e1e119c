"""tests/cli/devtools.py: a small client of headless Chromium's DevTools
protocol over its pipe (--remote-debugging-pipe: commands on fd 3,
answers on fd 4, NUL-separated JSON), shared by the browser tests
(browser.py: every page kind; serve_browser.py: live reload).  One
Chromium, one page (target) at a time; every read has a deadline
(Browser.deadline, a time.monotonic() value the caller sets), so a page
that hangs fails a test instead of hanging the run."""

import fcntl
import json
import os
import select
import shutil
import subprocess
import tempfile
import time


class Timeout(Exception):
    pass


class Browser:
    """One Chromium; one page (target) at a time, with its events."""

    def __init__(self):
        self.profile = tempfile.mkdtemp(prefix="wpgen-browser-")
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
            ["chromium", "--headless", "--no-sandbox", "--disable-gpu",
             "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update",
             "--disable-sync", "--remote-debugging-pipe",
             "--user-data-dir=" + self.profile, "about:blank"],
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
        self.events = []
        self.deadline = None

    def _message(self):
        while b"\0" not in self.buf:
            left = self.deadline - time.monotonic()
            if left <= 0 or not select.select([self.r], [], [], left)[0]:
                raise Timeout("no answer from chromium in time")
            chunk = os.read(self.r, 1 << 20)
            if not chunk:
                raise RuntimeError("chromium closed its pipe")
            self.buf += chunk
        raw, self.buf = self.buf.split(b"\0", 1)
        return json.loads(raw)

    def send(self, method, params=None, session=True):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session and self.session:
            msg["sessionId"] = self.session
        data = json.dumps(msg).encode() + b"\0"
        while data:
            data = data[os.write(self.w, data):]
        while True:
            reply = self._message()
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError("%s: %s" % (method, reply["error"]))
                return reply.get("result", {})
            if "method" in reply and reply.get("sessionId") == self.session:
                self.events.append(reply)

    def wait_event(self, method):
        while True:
            for e in self.events:
                if e["method"] == method:
                    return e
            reply = self._message()
            if "method" in reply and reply.get("sessionId") == self.session:
                self.events.append(reply)

    def eval(self, expr, wait=False):
        r = self.send("Runtime.evaluate", {
            "expression": expr, "returnByValue": True,
            "awaitPromise": wait})
        if "exceptionDetails" in r:
            raise RuntimeError("evaluating: %s" % (
                r["exceptionDetails"].get("exception", {}).get(
                    "description") or r["exceptionDetails"].get("text")))
        return r.get("result", {}).get("value")

    def open(self, url, width, height, mobile, init_script=None):
        """Opens url in a new page of width x height and waits for its
        load event and its fonts; init_script, when given, runs in every
        document of that page before the document's own scripts."""
        self.events = []
        target = self.send("Target.createTarget", {"url": "about:blank"},
                           False)
        self.target = target["targetId"]
        self.session = self.send("Target.attachToTarget", {
            "targetId": self.target, "flatten": True}, False)["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            self.send(domain + ".enable")
        self.send("Emulation.setDeviceMetricsOverride", {
            "width": width, "height": height, "deviceScaleFactor": 1,
            "mobile": mobile})
        if init_script:
            self.send("Page.addScriptToEvaluateOnNewDocument",
                      {"source": init_script})
        self.send("Page.navigate", {"url": url})
        self.wait_event("Page.loadEventFired")
        self.eval("document.fonts.ready.then(function () { return 1; })",
                  wait=True)

    def close_page(self):
        if self.session:
            try:
                self.send("Target.closeTarget", {"targetId": self.target},
                          False)
            except (RuntimeError, Timeout, OSError):
                pass
        self.session = None

    def close(self):
        self.deadline = time.monotonic() + 5
        try:
            self.send("Browser.close", session=False)
        except (RuntimeError, Timeout, OSError):
            pass
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        shutil.rmtree(self.profile, ignore_errors=True)
