# tests/cli/diff.sh: `wpgen diff` on identical inputs, edition
# directories, bad input and usage.  The diff cases with expected text,
# JSON and redline are in tests/regress/diff/.
. tests/lib.sh

# Identical inputs: no output and exit 0.
d=tests/regress/diff/ja-one-word
expect_status "diff/identical-exit" 0 "$WPGEN" diff "$d/old.md" "$d/old.md"
if [ ! -s "$TMP/out" ]; then pass "diff/identical-empty"; else fail "diff/identical-empty" "$(head -3 "$TMP/out")"; fi

# Edition directories, with the service's language and catalogs.
mkdir -p "$TMP/svc"
cp -r content/minato-27017 "$TMP/svc/"
cp -r content/catalogs "$TMP/svc/"
cp -r "$TMP/svc/minato-27017/ja" "$TMP/svc/minato-27017/ja-old"
sed -i 's/速やかに/直ちに/' "$TMP/svc/minato-27017/ja/09-access.md"
expect_status "diff/directories" 0 "$WPGEN" diff "$TMP/svc/minato-27017/ja-old" "$TMP/svc/minato-27017/ja" --content "$TMP/svc"
expect_grep "diff/directories-note" "9.2.1 を更新" "$TMP/out"

# Files that fail to parse report diagnostics as check does.
printf '# 1. x\n\n<ISO/IEC 27017 CLD12.4.5>\n' >"$TMP/bad.md"
expect_status "diff/bad-input-exit" 1 "$WPGEN" diff "$d/old.md" "$TMP/bad.md"
expect_grep "diff/bad-input-diag" "bad.md:3:16: error: unknown control 'CLD12.4.5' in iso27017-2015; did you mean 'CLD.12.4.5'? [unknown-control]" "$TMP/err"

# Usage.
expect_status "diff/usage-one-arg" 2 "$WPGEN" diff "$d/old.md"
expect_status "diff/usage-format" 2 "$WPGEN" diff "$d/old.md" "$d/new.md" --format pdf
expect_status "diff/missing-file" 3 "$WPGEN" diff "$d/old.md" "$TMP/nothere.md"
expect_status "diff/help" 0 "$WPGEN" diff --help
