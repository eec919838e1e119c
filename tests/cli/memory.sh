# tests/cli/memory.sh: a build's memory does not grow with the number of
# services.  The build says what it held (WPGEN_BUILD_STATS): a lean
# project holds one service's service.yaml and lock at a time, the site
# pages hold at most 2 summaries at once (an index card's edition and its
# service's other edition; the others wait in a store in
# the build's directory, a file unlinked as soon as made), and a full
# build keeps no summary and no record of the next manifest (the files
# it read, the editions' outputs and problems) in memory to its end:
# they are in the store.  The same line for 5 and for 12 services, with
# one job and with two (the parent's); no scratch file is left in out/;
# and the site is the same either way.
. tests/lib.sh

M=$TMP/memory
# corpus N DIR: N services, copies of the samples in turn.
corpus() {
	mkdir -p "$2"
	cp -R content/catalogs "$2/catalogs"
	i=1
	while [ "$i" -le "$1" ]; do
		s=$(echo aozora-o minato-27017 kirishima-vm | cut -d' ' -f$(( (i - 1) % 3 + 1 )))
		cp -R "content/$s" "$2/svc$i-$s"
		i=$((i + 1))
	done
}
corpus 5 "$M/small"
corpus 12 "$M/large"

want="wpgen build: held at most 1 service and 2 summaries at once; 0 summaries and 0 records of files and outputs in memory at the end"
for n in small large; do
	for jobs in 1 2; do
		rm -rf "$M/out-$n-$jobs"
		WPGEN_BUILD_STATS=1 "$WPGEN" build --content "$M/$n" \
		    --templates "$PWD/templates" --out "$M/out-$n-$jobs" \
		    --jobs $jobs --quiet >"$TMP/out" 2>"$TMP/err"
		grep '^wpgen build: held' "$TMP/err" >"$TMP/held"
		if [ "$(cat "$TMP/held")" = "$want" ]; then
			pass "build of $n corpus, --jobs $jobs: held $want"
		else
			fail "build of $n corpus, --jobs $jobs: held" \
			    "$(cat "$TMP/held" "$TMP/err" | head -c 600)"
		fi
		if [ -z "$(find "$M/out-$n-$jobs" -name '.wpgen-summ*')" ] &&
		    [ -z "$(find "$M" -maxdepth 1 -name 'out-*.tmp*')" ]; then
			pass "build of $n corpus, --jobs $jobs: no scratch file left"
		else
			fail "build of $n corpus, --jobs $jobs: no scratch file left" \
			    "$(find "$M" -name '.wpgen-summ*' -o -name 'out-*.tmp*')"
		fi
	done
	if diff -r "$M/out-$n-1" "$M/out-$n-2" -x .wpgen-manifest >"$TMP/diff"; then
		pass "build of $n corpus: the same site with 1 and 2 jobs"
	else
		fail "build of $n corpus: the same site with 1 and 2 jobs" \
		    "$(head -c 600 "$TMP/diff")"
	fi
done
# Every service is on the index, and on the coverage page.
if [ "$(grep -c 'wp-service-card' "$M/out-large-1/index.html")" = 12 ]; then
	pass "the index of the large corpus shows its 12 services"
else
	fail "the index of the large corpus shows its 12 services" \
	    "$(grep -c 'wp-service-card' "$M/out-large-1/index.html")"
fi
rm -rf "$M"
