# tests/cli/golden.sh: golden tests.  Each tests/golden/<case>/ holds an
# input content/ (a service "svc") and expected/ outputs:
#   outline.<lang>.json  = `wpgen outline svc --lang <lang>`
#   xref.<lang>.json     = `wpgen xref svc --lang <lang>`
#   <lang>.*.html        lines that the built page must contain, each
#                        on one of its lines
#   diagnostics.txt      = what `wpgen build` prints on stderr
# Commands run inside the case directory, so paths are stable.
. tests/lib.sh

root=$PWD
for case in tests/golden/*/; do
	name=$(basename "$case")
	cd "$root/$case" || continue
	build_rc=0
	"$WPGEN" build --content content --templates "$root/templates" \
	    --out "$TMP/$name" --quiet >"$TMP/build.out" 2>"$TMP/build.err" || build_rc=$?
	for want in expected/*; do
		f=$(basename "$want")
		case "$f" in
		outline.*.json|xref.*.json)
			cmd=${f%%.*}; lang=${f#*.}; lang=${lang%.json}
			"$WPGEN" "$cmd" svc --content content --lang "$lang" >"$TMP/got" 2>"$TMP/err"
			expect_same "golden/$name/$f" "$TMP/got" "$want" ;;
		diagnostics.txt)
			if [ "$build_rc" = 1 ]; then pass "golden/$name/exit-1"
			else fail "golden/$name/exit-1" "build exited $build_rc"; fi
			expect_same "golden/$name/$f" "$TMP/build.err" "$want" ;;
		*.html)
			lang=${f%%.*}
			page="$TMP/$name/svc/$lang/index.html"
			missing=""
			while IFS= read -r line; do
				[ -n "$line" ] || continue
				grep -qF -- "$line" "$page" 2>/dev/null || missing="$line"
			done <"$want"
			if [ -f "$page" ] && [ -z "$missing" ]; then
				pass "golden/$name/$f"
			else
				fail "golden/$name/$f" "not in $page: $missing"
			fi ;;
		esac
	done
done
cd "$root"
