#!/bin/sh
# bench/diff.sh: times `wpgen diff` on two generated editions of about
# 1 MB each (several thousand numbered sections of Japanese and English
# text) that differ by a few hundred scattered edits: changed words,
# changed table cells, an added and a removed section.  Not a test: it
# prints the time (wall and, with GNU time, CPU), memory and the summary.
#
#   sh bench/diff.sh [SIZE_KB] [EDITS]     (defaults 1024 and 300)
set -eu
cd "$(dirname "$0")/.."
size_kb=${1:-1024}
edits=${2:-300}
[ -x ./wpgen ] || make -s wpgen
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

# One section is about 400 bytes; make enough of them.
sections=$((size_kb * 1024 / 400))
awk -v n="$sections" 'BEGIN {
	for (i = 1; i <= n; i++) {
		c = int((i - 1) / 100) + 1; s = (i - 1) % 100 + 1
		if (s == 1) printf "# %d. 章 %d\n\n", c, c
		printf "## %d.%d 節 %d の説明\n\n", c, s, i
		printf "当社は、クラウドサービスの利用者に対して、項目 %d に関する\n", i
		printf "管理策を実施しています。The provider reviews item %d every\n", i
		printf "year and records the result in the management system.\n\n"
		printf "| 区分 | 内容 |\n|---|---|\n| 頻度 | 年 %d 回 |\n| 担当 | 運用部門 |\n\n", i % 4 + 1
		printf "- 記録は %d 年間保存します。\n- Logs are kept for %d days.\n\n", i % 7 + 1, i % 90 + 30
	}
}' >"$dir/old.md"

# Scattered edits: every step-th section gets one changed word or cell.
step=$((sections / edits))
[ "$step" -ge 1 ] || step=1
awk -v step="$step" '
	/^## / { n++ }
	n % step == 0 && /^当社は、/ { sub(/実施しています/, "実施し、毎年見直しています") }
	n % step == 1 && /^\| 担当 \|/ { sub(/運用部門/, "セキュリティ部門") }
	n == 10 && /^## / { print "## 0.1 追加された節\n\n新しい節です。\n" }
	{ print }
' "$dir/old.md" | awk '/^## 1\.50 / { skip = 1; next } /^## / { skip = 0 } !skip' >"$dir/new.md"

printf 'old: %s bytes, new: %s bytes, %s sections, an edit every %s sections\n' \
    "$(wc -c <"$dir/old.md")" "$(wc -c <"$dir/new.md")" "$sections" "$step"
for fmt in text json html; do
	start=$(date +%s.%N)
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f '%M %U %S' -o "$dir/rss" ./wpgen diff "$dir/old.md" "$dir/new.md" --format "$fmt" --output "$dir/out.$fmt"
		rss=$(awk '{ printf "%s kB max RSS, CPU %.2f s", $1, $2 + $3 }' "$dir/rss")
	else
		./wpgen diff "$dir/old.md" "$dir/new.md" --format "$fmt" --output "$dir/out.$fmt"
		rss=""
	fi
	end=$(date +%s.%N)
	printf "%-5s %s s  %s bytes  %s\n" "$fmt" "$(awk -v a="$start" -v b="$end" "BEGIN { printf \"%.3f\", b - a }")" "$(wc -c <"$dir/out.$fmt")" "$rss"
done
tail -n 4 "$dir/out.text" | head -n 2
