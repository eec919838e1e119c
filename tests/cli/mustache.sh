# tests/cli/mustache.sh: `wpgen mustache TEMPLATE [DATA] [--partials DIR]`:
# YAML data, JSON on standard input, partials from the template's directory
# or --partials, diagnostics with path:line:column, and the exit statuses
# (1 template or data error, 2 usage error, 3 I/O error).
. tests/lib.sh

t=$TMP/mustache
mkdir -p "$t/tpl/parts" "$t/other"

cat >"$t/tpl/page.mustache" <<'EOF'
<h1>{{title}}</h1>
<ul>
{{#items}}
  {{>parts/item}}
{{/items}}
</ul>
{{^items}}none{{/items}}
EOF
printf '<li>{{name}} {{n}}</li>\n' >"$t/tpl/parts/item.mustache"
printf '<li class="other">{{name}}</li>\n' >"$t/other/item.mustache"
printf '<p>{{>item}}</p>\n' >"$t/tpl/uses-item.mustache"

cat >"$t/data.yaml" <<'EOF'
title: Fish & Chips
items:
  - name: one
    n: 1.210
  - name: <two>
    n: 0x10
EOF
cat >"$t/want-yaml" <<'EOF'
<h1>Fish &amp; Chips</h1>
<ul>
  <li>one 1.21</li>
  <li>&lt;two&gt; 16</li>
</ul>

EOF
expect_status "mustache: renders with YAML data" 0 \
    "$WPGEN" mustache "$t/tpl/page.mustache" "$t/data.yaml"
expect_same "mustache: YAML output" "$TMP/out" "$t/want-yaml"

# JSON from standard input.
printf '{"title": "JSON", "items": [{"name": "x", "n": 2.50}]}' |
    "$WPGEN" mustache "$t/tpl/page.mustache" - >"$TMP/out" 2>"$TMP/err"
if [ $? -eq 0 ]; then pass "mustache: JSON on stdin"
else fail "mustache: JSON on stdin" "$(cat "$TMP/err")"; fi
printf '<h1>JSON</h1>\n<ul>\n  <li>x 2.5</li>\n</ul>\n\n' >"$t/want-json"
expect_same "mustache: JSON output" "$TMP/out" "$t/want-json"

# No data: an empty context.
expect_status "mustache: no data" 0 "$WPGEN" mustache "$t/tpl/page.mustache"
printf '<h1></h1>\n<ul>\n</ul>\nnone\n' >"$t/want-empty"
expect_same "mustache: empty context output" "$TMP/out" "$t/want-empty"

# --partials (before or after the arguments, or with '=').
expect_status "mustache: --partials DIR" 0 "$WPGEN" mustache \
    --partials "$t/other" "$t/tpl/uses-item.mustache" "$t/data.yaml"
expect_grep "mustache: partial from --partials" '<p><li class="other">' \
    "$TMP/out"
expect_status "mustache: --partials=DIR after the arguments" 0 \
    "$WPGEN" mustache "$t/tpl/uses-item.mustache" --partials="$t/other"
expect_status "mustache: -- ends the options" 0 \
    "$WPGEN" mustache -- "$t/tpl/page.mustache"

# A missing partial is an error (the directory loader is strict).
expect_status "mustache: missing partial" 1 \
    "$WPGEN" mustache "$t/tpl/uses-item.mustache"
expect_grep "mustache: missing partial diagnostic" \
    "$t/tpl/uses-item.mustache:1:4: error: unknown partial 'item' [template-error]" \
    "$TMP/err"
expect_no_grep "mustache: nothing written on error" "<p>" "$TMP/out"

# Unclosed section: exit 1 and path:line:column.
printf 'ok\n\n  {{#items}}\n{{name}}\n' >"$t/tpl/unclosed.mustache"
expect_status "mustache: unclosed section" 1 \
    "$WPGEN" mustache "$t/tpl/unclosed.mustache" "$t/data.yaml"
expect_grep "mustache: unclosed section diagnostic" \
    "$t/tpl/unclosed.mustache:3:3: error: unclosed section '#items'" \
    "$TMP/err"

# A partial name leading outside the directory.
printf '{{> ../../etc/passwd}}\n' >"$t/tpl/escape.mustache"
expect_status "mustache: partial outside the directory" 1 \
    "$WPGEN" mustache "$t/tpl/escape.mustache"
expect_grep "mustache: partial outside the directory diagnostic" \
    "escape.mustache:1:1: error: invalid partial name '../../etc/passwd'" \
    "$TMP/err"

# Bad data: exit 1 with the data file's position.
printf 'title: a\ntitle: b\n' >"$t/dup.yaml"
expect_status "mustache: duplicate key in data" 1 \
    "$WPGEN" mustache "$t/tpl/page.mustache" "$t/dup.yaml"
expect_grep "mustache: duplicate key diagnostic" \
    "$t/dup.yaml:2:1: error: duplicate key 'title'" "$TMP/err"
printf '{"a": [1, 2}' |
    "$WPGEN" mustache "$t/tpl/page.mustache" - >"$TMP/out" 2>"$TMP/err"
if [ $? -eq 1 ]; then pass "mustache: bad JSON on stdin"
else fail "mustache: bad JSON on stdin" "$(cat "$TMP/err")"; fi
expect_grep "mustache: bad JSON diagnostic" "<stdin>:1:7: error: this '[' is never closed" \
    "$TMP/err"

# Usage errors: exit 2.
expect_status "mustache: unknown option" 2 \
    "$WPGEN" mustache --frobnicate "$t/tpl/page.mustache"
expect_grep "mustache: unknown option named" "--frobnicate" "$TMP/err"
expect_status "mustache: missing TEMPLATE" 2 "$WPGEN" mustache
expect_status "mustache: too many arguments" 2 \
    "$WPGEN" mustache a b c
expect_status "mustache: --partials without DIR" 2 \
    "$WPGEN" mustache "$t/tpl/page.mustache" --partials

# I/O errors: exit 3.
expect_status "mustache: missing template file" 3 \
    "$WPGEN" mustache "$t/nope.mustache"
expect_grep "mustache: missing template diagnostic" \
    "$t/nope.mustache: error: cannot read" "$TMP/err"
expect_status "mustache: missing data file" 3 \
    "$WPGEN" mustache "$t/tpl/page.mustache" "$t/nope.yaml"

# --help.
expect_status "mustache: --help" 0 "$WPGEN" mustache --help
expect_grep "mustache: --help prints the usage" \
    "usage: wpgen mustache TEMPLATE [DATA] [--partials DIR]" "$TMP/out"
