/*
 * phrase.c: the phrase boundaries of Japanese text (phrase.h).
 *
 * Japanese has no spaces between words, and a browser may break a line
 * between any two kana or kanji, even inside a word ("セキュリ|ティ").
 * The pages forbid that (word-break: keep-all) and allow breaks only
 * where this rule puts them.  Each character is a kanji, a katakana, a
 * hiragana, a Latin character (any ASCII but the space: "ISO/IEC",
 * "9.2.1", "AC-2(1)" stay whole), an opening or a closing bracket, a
 * comma or full stop, a space or something else.  A phrase begins:
 *
 *   - after hiragana, before kanji, katakana, Latin or an opening
 *     bracket: the particles and endings that close a phrase
 *     ("管理策の|実施", "における|管理"); but not after one hiragana
 *     that is no particle (okurigana: "取り|扱い" stays "取り扱い"),
 *     and a run ending in the prefix お or ご breaks before it
 *     ("利用者の|お客様", never "お|客様"), and に goes on into a
 *     compound particle ("変更に関する|責任", "監査に対する|管理策");
 *   - between kanji and katakana, either way, when the kanji are two or
 *     more ("情報|セキュリティ", "ログ|取得"; "各サービス" stays);
 *   - inside a run of katakana, around the katakana words of a short
 *     list (those of security whitepapers and the ISO titles, longest
 *     first): "セキュリティ|ホワイト|ペーパー", "ユーティリティ|プログラム";
 *     a katakana compound of other words stays whole;
 *   - after a Japanese comma, full stop or closing bracket, before
 *     anything but a space or more closing ("、", "。", "」");
 *   - before a Japanese opening bracket ("「", "（").
 *
 * Kana and kanji next to Latin stay together ("第4.1版", "ISOの").
 * Text without Japanese has no boundary: its spaces do.
 */
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "phrase.h"
#include "util.h"
#include "value.h"

enum { OTHER, KANJI, KATA, HIRA, LATIN, OPEN, CLOSE, STOP, SPACE };

/* Kanji that, after に and before hiragana, go on a compound particle
 * (に関する, に対して, に基づく, に伴う, に従って, に際して, に応じて,
 * に向けた, に沿った, に係る, に当たって, に比べ, に加えて, に代わる,
 * に先立ち, に限る): no phrase begins at them. */
static int
is_compound_particle(unsigned cp)
{
	static const unsigned k[] = {0x95A2 /* 関 */, 0x5BFE /* 対 */,
	    0x57FA /* 基 */, 0x4F34 /* 伴 */, 0x5F93 /* 従 */,
	    0x969B /* 際 */, 0x5FDC /* 応 */, 0x5411 /* 向 */,
	    0x6CBF /* 沿 */, 0x4FC2 /* 係 */, 0x5F53 /* 当 */,
	    0x6BD4 /* 比 */, 0x52A0 /* 加 */, 0x4EE3 /* 代 */,
	    0x5148 /* 先 */, 0x9650 /* 限 */};
	size_t i;

	for (i = 0; i < sizeof k / sizeof k[0]; i++)
		if (k[i] == cp)
			return 1;
	return 0;
}

/* Katakana words that compounds are made of, the longer before the
 * shorter that they begin with (データベース before データ). */
static const char *const katakana_words[] = {
	"コンピューティング", "インターフェース", "プラットフォーム",
	"アプリケーション", "スナップショット", "ファイアウォール",
	"セキュリティ", "ネットワーク", "インシデント", "ユーティリティ",
	"マネジメント", "ソフトウェア", "ハードウェア", "モニタリング",
	"ダッシュボード", "データベース", "バックアップ", "ストレージ",
	"プログラム", "プロバイダー", "プロバイダ", "カスタマー", "カスタマ",
	"パスワード", "アカウント", "ステータス", "クラウド", "サービス",
	"ホワイト", "ペーパー", "アクセス", "センター", "システム",
	"ポリシー", "ユーザー", "ユーザ", "リージョン", "リソース",
	"テナント", "イメージ", "サポート", "データ", "マシン", NULL
};

/* The particles that end a phrase on their own (and 的な's な, 及び's
 * び). */
static int
is_particle(unsigned cp)
{
	static const unsigned p[] = {0x306E /* の */, 0x3092 /* を */,
	    0x306B /* に */, 0x306F /* は */, 0x304C /* が */,
	    0x3067 /* で */, 0x3068 /* と */, 0x3078 /* へ */,
	    0x3082 /* も */, 0x3084 /* や */, 0x306A /* な */,
	    0x3073 /* び */};
	size_t i;

	for (i = 0; i < sizeof p / sizeof p[0]; i++)
		if (p[i] == cp)
			return 1;
	return 0;
}

static int
char_class(unsigned cp)
{
	switch (cp) {
	case 0x300C: case 0x300E: case 0xFF08: case 0xFF3B: case 0xFF5B:
	case 0x3008: case 0x300A: case 0x3010: case 0x3014: case 0x201C:
		return OPEN;    /* 「『（［｛〈《【〔“ */
	case 0x300D: case 0x300F: case 0xFF09: case 0xFF3D: case 0xFF5D:
	case 0x3009: case 0x300B: case 0x3011: case 0x3015: case 0x201D:
		return CLOSE;   /* 」』）］｝〉》】〕” */
	case 0x3001: case 0x3002: case 0xFF0C: case 0xFF0E: case 0xFF01:
	case 0xFF1F: case 0xFF1A: case 0xFF1B: case 0x30FB:
		return STOP;    /* 、。，．！？：；・ */
	case 0x3005: case 0x3006: case 0x3007:
		return KANJI;   /* 々〆〇 */
	case ' ': case 0x3000: case '\t': case '\n':
		return SPACE;
	}
	if (cp > 0x20 && cp < 0x7F)
		return LATIN;
	if ((cp >= 0xC0 && cp <= 0x24F) || (cp >= 0xFF01 && cp <= 0xFF5E))
		return LATIN;
	if (cp >= 0x3041 && cp <= 0x309F)
		return HIRA;
	if ((cp >= 0x30A0 && cp <= 0x30FF) || (cp >= 0x31F0 && cp <= 0x31FF) ||
	    (cp >= 0xFF66 && cp <= 0xFF9F))
		return KATA;
	if ((cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
	    (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x3FFFF))
		return KANJI;
	return OTHER;
}

/* Length of the run of class cls that ends at i (going back) or starts
 * at i (going forward, dir 1) in cls[0..n). */
static size_t
run_length(const unsigned char *cls, size_t n, size_t i, int dir)
{
	size_t len = 0;

	if (dir > 0) {
		while (i + len < n && cls[i + len] == cls[i])
			len++;
	} else {
		while (len <= i && cls[i - len] == cls[i])
			len++;
	}
	return len;
}

/* Where, among code points, the one at i begins a phrase: i, i - 1 (the
 * prefix お/ご), or 0 for no boundary here. */
static size_t
boundary_before(const unsigned char *cls, const unsigned *cp, size_t n,
    size_t i)
{
	int a = cls[i - 1], b = cls[i];
	size_t len;

	if (a == HIRA && (b == KANJI || b == KATA || b == LATIN || b == OPEN)) {
		len = run_length(cls, n, i - 1, -1);
		if ((cp[i - 1] == 0x304A || cp[i - 1] == 0x3054) && b == KANJI)
			return len >= 2 ? i - 1 : 0;    /* お, ご */
		if (len == 1 && !is_particle(cp[i - 1]))
			return 0;
		if (cp[i - 1] == 0x306B && is_compound_particle(cp[i]) &&
		    i + 1 < n && cls[i + 1] == HIRA)
			return 0;    /* に関する */
		return i;
	}
	if (a == KANJI && b == KATA)
		return run_length(cls, n, i - 1, -1) >= 2 ? i : 0;
	if (a == KATA && b == KANJI)
		return run_length(cls, n, i, 1) >= 2 ? i : 0;
	if ((a == STOP || a == CLOSE) && b != SPACE && b != CLOSE &&
	    b != STOP && (a == STOP || b != HIRA))
		return i;
	if (b == OPEN && a != SPACE && a != OPEN && a != HIRA)
		return i;
	return 0;
}

/* The number of code points of a listed katakana word that s[off[i]..]
 * begins with, within the run that ends at code point end (off[end] is
 * its byte offset); 0 for none. */
static size_t
katakana_word_at(const char *s, const size_t *off, size_t i, size_t end)
{
	size_t w, len, k;

	for (w = 0; katakana_words[w]; w++) {
		len = strlen(katakana_words[w]);
		if (off[i] + len > off[end] ||
		    memcmp(s + off[i], katakana_words[w], len) != 0)
			continue;
		for (k = i; k < end && off[k] < off[i] + len; k++)
			;
		if (k <= end && off[k] == off[i] + len)
			return k - i;
	}
	return 0;
}

/* Marks (split[i] = 1) the code points that begin a listed katakana word
 * or follow one, inside the katakana runs of cls[0..m). */
static void
split_katakana(const char *s, const size_t *off, const unsigned char *cls,
    size_t m, unsigned char *split)
{
	size_t i = 0, start, end, len;

	while (i < m) {
		if (cls[i] != KATA) {
			i++;
			continue;
		}
		for (start = i, end = i; end < m && cls[end] == KATA; end++)
			;
		while (i < end) {
			len = katakana_word_at(s, off, i, end);
			if (len == 0) {
				i++;
				continue;
			}
			if (i > start)
				split[i] = 1;
			if (i + len < end)
				split[i + len] = 1;
			i += len;
		}
	}
}

size_t *
wp_phrase_breaks(const char *s, size_t n, size_t *count)
{
	unsigned *cp = xcalloc(n + 1, sizeof *cp);
	size_t *off = xcalloc(n + 1, sizeof *off);
	unsigned char *cls = xcalloc(n + 1, 1), *split;
	size_t *out = NULL, len, i, m = 0, k = 0, at;
	int japanese = 0;

	for (i = 0; i < n; i += len, m++) {
		cp[m] = wp_utf8_decode(s + i, n - i, &len);
		off[m] = i;
		cls[m] = (unsigned char)char_class(cp[m]);
		japanese |= cls[m] == KANJI || cls[m] == KATA ||
		    cls[m] == HIRA;
	}
	off[m] = n;
	split = xcalloc(m + 1, 1);
	if (japanese)
		split_katakana(s, off, cls, m, split);
	for (i = 1; japanese && i < m; i++) {
		at = split[i] ? i : boundary_before(cls, cp, m, i);
		/* (never before a stray continuation byte of invalid UTF-8) */
		if (at == 0 || (k > 0 && out[k - 1] >= off[at]) ||
		    ((unsigned char)s[off[at]] & 0xC0) == 0x80)
			continue;
		if (out == NULL)
			out = xcalloc(m, sizeof *out);
		out[k++] = off[at];
	}
	free(cp);
	free(off);
	free(cls);
	free(split);
	*count = k;
	return out;
}

/* The widest phrase print keeps whole, in half-width characters: 20
 * kana or kanji, 40 Latin letters (wider: a URL, a long run). */
enum { KEEP_WIDTH = 40 };

/* The width of s[0..n) in half-width characters: a UTF-8 sequence of
 * three or four bytes is a wide character (kana, kanji); ASCII and the
 * two-byte Latin and Greek are narrow. */
static size_t
text_width(const char *s, size_t n)
{
	size_t i, width = 0;

	for (i = 0; i < n; i++) {
		if (((unsigned char)s[i] & 0xC0) == 0x80)
			continue;
		width += (unsigned char)s[i] >= 0xE0 ? 2 : 1;
	}
	return width;
}

int
wp_phrase_keeps(const char *s, size_t n)
{
	size_t i;
	int wide = 0;

	for (i = 0; i < n && !wide; i++)
		wide = (unsigned char)s[i] >= 0xE0;
	return wide && text_width(s, n) <= KEEP_WIDTH;
}

/* Whether s[0..n) begins with what no line should begin with when it
 * can be helped: a number (it belongs to the word before: "ISO/IEC
 * 27017", "Version 2") or a word of one letter ("O Security"). */
static int
starts_short(const char *s, size_t n)
{
	if (n == 0)
		return 0;
	if (s[0] >= '0' && s[0] <= '9')
		return 1;
	return (unsigned char)s[0] < 0x80 && (n == 1 || s[1] == ' ');
}

/* Appends a part s[0..n) to list: text, space (a space followed it). */
static void
push_part(wp_value *list, const char *s, size_t n, int space)
{
	wp_value *p = wp_list_push(list, wp_value_new_map());

	wp_map_set(p, "text", wp_value_new_stringn(s, n));
	wp_map_set_bool(p, "space", space);
}

wp_value *
wp_phrase_halves(const char *s, size_t n, size_t line)
{
	wp_value *list = wp_value_new_list();
	size_t count, i, *at = wp_phrase_breaks(s, n, &count);
	size_t total = text_width(s, n), best = 0, best_wide = total, wide;
	size_t cut, skip = 0, best_skip = 0;

	/* Every space and phrase boundary is a place to cut (but a space
	 * before a number or a one-letter word: "ISO/IEC | 27017", "Service
	 * | O"): the one whose wider side is narrowest. */
	for (cut = 1, i = 0; total > line && total <= 2 * line && cut < n;
	    cut++) {
		while (i < count && at[i] < cut)
			i++;
		if (s[cut] == ' ' && !starts_short(s + cut + 1, n - cut - 1))
			skip = 1;
		else if (i < count && at[i] == cut && s[cut - 1] != ' ')
			skip = 0;
		else
			continue;
		wide = text_width(s, cut);
		if (total - skip - wide > wide)
			wide = total - skip - wide;
		if (wide <= best_wide) {    /* a tie: the longer first line */
			best_wide = wide;
			best = cut;
			best_skip = skip;
		}
	}
	free(at);
	if (best > 0) {
		push_part(list, s, best, (int)best_skip);
		push_part(list, s + best + best_skip, n - best - best_skip, 0);
	}
	return list;
}

/* The phrase list of s[0..n) (phrase.h) in arena a, or on the heap when
 * a is NULL. */
wp_value *
wp_phrase_list_in(wp_arena *a, const char *s, size_t n)
{
	wp_value *list = a ? wp_value_new_list_in(a) : wp_value_new_list();
	wp_value *p;
	size_t count, i, prev = 0, end;
	size_t *at = wp_phrase_breaks(s, n, &count);

	for (i = 0; n > 0 && i <= count; i++) {
		end = i < count ? at[i] : n;
		p = wp_list_push_map(list);
		wp_map_set_strn(p, "text", s + prev, end - prev);
		wp_map_set_bool(p, "last", i == count);
		wp_map_set_bool(p, "keep", wp_phrase_keeps(s + prev,
		    end - prev));
		prev = end;
	}
	free(at);
	return list;
}

wp_value *
wp_phrase_list(const char *s, size_t n)
{
	return wp_phrase_list_in(NULL, s, n);
}

/* ---- the memo ---- */

/* An open-addressing table of texts and their lists, by hash (FNV-1a),
 * at most half full; the texts and the lists in the memo's arena. */
typedef struct memo_slot {
	const char *text;        /* NULL: empty */
	size_t len;
	unsigned long hash;
	const wp_value *list;
} memo_slot;

struct wp_phrase_memo {
	wp_arena *arena;
	memo_slot *slots;
	size_t nslots, used;
};

wp_phrase_memo *
wp_phrase_memo_new(void)
{
	wp_phrase_memo *m = xcalloc(1, sizeof *m);

	m->arena = wp_arena_new();
	m->nslots = 256;
	m->slots = xcalloc(m->nslots, sizeof *m->slots);
	return m;
}

void
wp_phrase_memo_free(wp_phrase_memo *m)
{
	if (m == NULL)
		return;
	wp_arena_free(m->arena);
	free(m->slots);
	free(m);
}

/* The slot of s[0..n), of hash h, in slots[0..nslots) (a power of two):
 * the one holding it, or the empty one where it goes. */
static memo_slot *
memo_slot_for(memo_slot *slots, size_t nslots, const char *s, size_t n,
    unsigned long h)
{
	size_t i = h & (nslots - 1);

	while (slots[i].text != NULL && (slots[i].hash != h ||
	    slots[i].len != n || memcmp(slots[i].text, s, n) != 0))
		i = (i + 1) & (nslots - 1);
	return &slots[i];
}

static void
memo_grow(wp_phrase_memo *m)
{
	memo_slot *old = m->slots;
	size_t n = m->nslots, i;

	m->nslots *= 2;
	m->slots = xcalloc(m->nslots, sizeof *m->slots);
	for (i = 0; i < n; i++)
		if (old[i].text != NULL)
			*memo_slot_for(m->slots, m->nslots, old[i].text,
			    old[i].len, old[i].hash) = old[i];
	free(old);
}

const wp_value *
wp_phrase_memo_get(wp_phrase_memo *m, const char *s, size_t n)
{
	unsigned long h = wp_hash(s, n);
	memo_slot *slot = memo_slot_for(m->slots, m->nslots, s, n, h);

	if (slot->text != NULL)
		return slot->list;
	if (2 * (m->used + 1) > m->nslots) {
		memo_grow(m);
		slot = memo_slot_for(m->slots, m->nslots, s, n, h);
	}
	slot->text = wp_arena_strndup(m->arena, s, n);
	slot->len = n;
	slot->hash = h;
	slot->list = wp_phrase_list_in(m->arena, s, n);
	m->used++;
	return slot->list;
}

void
wp_phrase_memo_trim(wp_phrase_memo *m)
{
	if (m == NULL || m->used <= WP_PHRASE_MEMO_MAX)
		return;
	memset(m->slots, 0, m->nslots * sizeof *m->slots);
	m->used = 0;
	wp_arena_reset(m->arena);
}
