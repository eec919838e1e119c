# tests/cli/serve.sh: `wpgen serve` from outside, with curl: the pages
# (with the reload script, which out/ never gets), content types, paths
# that lead out of the site refused, a rebuild after an edit, its
# Server-Sent Event, a failed build (its diagnostics in the event, the
# last good page still served), bounded connections, SIGTERM; then in
# headless Chromium (tests/cli/serve_browser.py): an open page reloads by
# itself and shows a failed build's errors over it.  The server listens
# on 127.0.0.1 on a port the kernel picks (--port 0).
. tests/lib.sh

command -v curl >/dev/null || { echo "SKIP: serve: no curl"; exit 0; }

S=$TMP/serve
mkdir -p "$S"
cd "$S"
mkdir content
cp -r "$OLDPWD/content/catalogs" content/
"$WPGEN" new svc --templates "$OLDPWD/templates" >/dev/null 2>&1
TEMPLATES=$OLDPWD/templates

# start_server [OPTION...]: runs the server in the background with the
# options; sets PID and URL once it has built (at most 30 s: under
# AddressSanitizer on a loaded machine the first build can take seconds).
start_server() {
	"$WPGEN" serve --port 0 --templates "$TEMPLATES" "$@" >"$S/serve.out" 2>"$S/serve.err" &
	PID=$!
	URL=
	for i in $(seq 300); do
		URL=$(sed -n 's|^serving \(http://127.0.0.1:[0-9]*/\)$|\1|p' "$S/serve.out")
		[ -n "$URL" ] && grep -q '^built in' "$S/serve.err" && return 0
		sleep 0.1
	done
	return 1
}
# wait_for TEXT PATH: until the served PATH holds TEXT (at most 15 s).
wait_for() {
	for i in $(seq 300); do
		curl -s "$URL$2" | grep -qF -- "$1" && return 0
		sleep 0.05
	done
	return 1
}
status_of() { curl -s -o /dev/null -w '%{http_code}' --path-as-is "${URL%/}$1"; }
type_of() { curl -s -o /dev/null -w '%{content_type}' "${URL%/}$1"; }

if start_server; then pass "serve/starts"
else fail "serve/starts" "$(cat "$S/serve.out" "$S/serve.err")"; kill $PID 2>/dev/null; exit 0; fi

# The page is out/'s file with one script element before </body>.
curl -s "$URL"svc/ja/ >"$S/page.html"
sed 's|<script src="/__wpgen/live.js" data-build="1"></script></body>|</body>|' "$S/page.html" >"$S/page-without.html"
expect_same "serve/page-is-the-file" "$S/page-without.html" out/svc/ja/index.html
if [ "$(grep -c '<script src="/__wpgen/live.js" data-build="1"></script></body>' "$S/page.html")" = 1 ]; then
	pass "serve/script-injected-once"
else fail "serve/script-injected-once" "$(tail -n 3 "$S/page.html")"; fi
if grep -rq '__wpgen' out; then fail "serve/out-untouched" "$(grep -rl __wpgen out)"
else pass "serve/out-untouched"; fi

# Content types.
printf '%s\n' "$(type_of /)" "$(type_of /svc/ja/)" "$(type_of /assets/wpgen.css)" \
    "$(type_of /svc/ja/xref.json)" "$(type_of /svc/ja/xref.csv)" \
    "$(type_of /__wpgen/live.js)" >"$S/types"
expect_same "serve/content-types" "$S/types" - <<EOF
text/html; charset=utf-8
text/html; charset=utf-8
text/css; charset=utf-8
application/json
text/csv; charset=utf-8
text/javascript; charset=utf-8
EOF
expect_status "serve/redirect-to-directory" 0 test "$(status_of /svc/ja)" = 301
expect_status "serve/missing-is-404" 0 test "$(status_of /svc/fr/)" = 404

# Nothing outside the site: .. plain or percent-encoded, hidden files,
# a symbolic link out of out/.
for p in /../content/svc/service.yaml /%2e%2e/content/svc/service.yaml \
    /%2E%2E%2Fcontent%2Fsvc%2Fservice.yaml /svc/%2e%2e/%2e%2e/content/svc/service.yaml \
    /assets/..%2f..%2fcontent/svc/service.yaml /.wpgen-out; do
	printf '%s %s\n' "$p" "$(status_of "$p")"
done >"$S/traversal"
sed 's/ .*/ 403/' "$S/traversal" >"$S/want"
expect_same "serve/traversal-refused" "$S/traversal" "$S/want"
ln -s "$S/content/svc/service.yaml" out/leak.txt
expect_status "serve/symlink-out-refused" 0 test "$(status_of /leak.txt)" = 404
expect_status "serve/post-refused" 0 test "$(curl -s -o /dev/null -w '%{http_code}' -X POST "$URL")" = 405

# An edit: the new page, and its event.
curl -s -N "$URL"__wpgen/events >"$S/events" 2>/dev/null &
CURL=$!
for i in $(seq 300); do grep -q '^data:' "$S/events" && break; sleep 0.05; done
sed -i 's/^# 1\. はじめに/# 1. 概要/' content/svc/ja/01-introduction.md
if wait_for '概要' /svc/ja/; then pass "serve/rebuilt-after-edit"
else fail "serve/rebuilt-after-edit" "$(cat "$S/serve.err")"; fi
# A failed build: the event carries path:line:column; the page stays.
printf '\n<ISO/IEC 27017 99.9>\n' >>content/svc/ja/01-introduction.md
for i in $(seq 300); do grep -q '"ok":false' "$S/events" && break; sleep 0.05; done
sleep 0.1
expect_status "serve/last-good-page-stays" 0 wait_for '概要' /svc/ja/
sed -i '$d' content/svc/ja/01-introduction.md
for i in $(seq 300); do grep -q '"build":3' "$S/events" && break; sleep 0.05; done
kill $CURL 2>/dev/null; wait $CURL 2>/dev/null
# Keep-alive comments (": ping" and its blank line) come with time.
awk '/^: ping$/ { skip = 1; next } skip && /^$/ { skip = 0; next } { skip = 0; print }' \
    "$S/events" >"$S/events.without-pings"
expect_same "serve/events" "$S/events.without-pings" - <<'EOF'
event: state
data: {"build":1,"ok":true,"diagnostics":""}

event: state
data: {"build":2,"ok":true,"diagnostics":""}

event: state
data: {"build":2,"ok":false,"diagnostics":"content/svc/ja/01-introduction.md:18:16: error: '99.9' is not in ISO/IEC 27017:2015 [unknown-control]\n"}

event: state
data: {"build":3,"ok":true,"diagnostics":""}

EOF

# Bounded connections: of 80 event streams held open, at most 64 get
# an answer; the server answers again once they close (a closed stream
# is noticed at its next keep-alive, within a second).
python3 - "$URL" >"$S/conns" <<'EOF'
import socket, sys, time
host, port = sys.argv[1].split("//")[1].rstrip("/").split(":")
socks, answered = [], 0
for i in range(80):
    s = socket.create_connection((host, int(port)))
    s.sendall(b"GET /__wpgen/events HTTP/1.1\r\nHost: x\r\n\r\n")
    socks.append(s)
time.sleep(0.5)
for s in socks:
    s.settimeout(0.05)
    try:
        if s.recv(64).startswith(b"HTTP/1.1 200"):
            answered += 1
    except OSError:
        pass
    s.close()
print("bounded" if 0 < answered <= 64 else "answered %d" % answered)
EOF
expect_same "serve/bounded-connections" "$S/conns" - <<EOF
bounded
EOF
expect_status "serve/answers-after" 0 wait_for '概要' /svc/ja/

# In the browser: the open page reloads by itself; errors show over it.
if command -v chromium >/dev/null; then
	python3 "$OLDPWD/tests/cli/serve_browser.py" "$URL"svc/ja/ content/svc/ja/01-introduction.md >"$S/browser" 2>&1
	expect_same "serve/browser" "$S/browser" - <<'EOF'
loaded: 1 概要
reloaded by itself: 1 ブラウザ
overlay: content/svc/ja/01-introduction.md:19:16: error: '99.9' is not in ISO/IEC 27017:2015 [unknown-control]
overlay gone, reloaded: 1 ブラウザ
EOF
else
	echo "SKIP: serve/browser: no chromium"
fi

# SIGTERM: a clean stop, exit status 0.
kill -TERM $PID
wait $PID
echo "status $?" >"$S/stop"
tail -n 1 "$S/serve.err" >>"$S/stop"
printf 'status 0\nwpgen serve: stopped\n' >"$S/want"
if cmp -s "$S/stop" "$S/want"; then pass "serve/sigterm"
else fail "serve/sigterm" "$(cat "$S/stop"; tail -n 30 "$S/serve.err")"; fi
expect_status "serve/port-closed" 7 curl -s "$URL"

# Build options are the builds' options: --pdf and --lang (a stand-in
# for WeasyPrint along PATH, which writes what page it was given: wpgen
# runs the Python the weasyprint command names on its first line as
# PYTHON -I -c SCRIPT PAGE PDF ROOT...).
mkdir -p "$S/bin"
cat >"$S/bin/python" <<'EOF'
#!/bin/sh
printf '%%PDF-1.4 stand-in for %s\n' "${4##*/}" >"$5"
EOF
printf '#!%s/bin/python\n' "$S" >"$S/bin/weasyprint"
chmod +x "$S/bin/python" "$S/bin/weasyprint"
if PATH=$S/bin:$PATH start_server --pdf --lang en --jobs 1 --quiet; then
	{
		curl -s "$URL"svc/en/svc-en-1.0.pdf
		type_of /svc/en/svc-en-1.0.pdf; echo
		status_of /svc/ja/; echo
	} >"$S/pdf"
	expect_same "serve/build-options" "$S/pdf" - <<'EOF'
%PDF-1.4 stand-in for .print-svc-en-1.0.pdf.html
application/pdf
404
EOF
else
	fail "serve/build-options" "$(cat "$S/serve.out" "$S/serve.err")"
fi
kill -TERM $PID; wait $PID
