/*
 * phrase.c: unit tests of the phrase boundaries of Japanese titles
 * (src/phrase.c), each title written with "|" where a line may break,
 * and of the memo of phrase lists.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "harness.h"
#include "phrase.h"
#include "value.h"

/* s with "|" at each phrase boundary. */
static char *
phrased(const char *s)
{
	size_t n, i, prev = 0, *at = wp_phrase_breaks(s, strlen(s), &n);
	wp_buf out = WP_BUF_INIT;

	for (i = 0; i < n; i++) {
		wp_buf_put(&out, s + prev, at[i] - prev);
		wp_buf_putc(&out, '|');
		prev = at[i];
	}
	wp_buf_puts(&out, s + prev);
	free(at);
	wp_buf_putc(&out, '\0');
	return wp_buf_detach(&out);
}

#define CHECK_PHRASES(s, want) do { \
	char *p_ = phrased(s); \
	CHECK_STR(p_, want); \
	free(p_); \
} while (0)

static void
test_words_stay_whole(void)
{
	CHECK_PHRASES("情報セキュリティ", "情報|セキュリティ");
	CHECK_PHRASES("Minato クラウド ISO/IEC 27017 ホワイトペーパー",
	    "Minato クラウド ISO/IEC 27017 ホワイト|ペーパー");
	CHECK_PHRASES("第4.1版", "第4.1版");
	CHECK_PHRASES("各サービス", "各サービス");
	CHECK_PHRASES("ログ取得", "ログ|取得");
}

static void
test_katakana_compounds(void)
{
	CHECK_PHRASES("セキュリティホワイトペーパー",
	    "セキュリティ|ホワイト|ペーパー");
	CHECK_PHRASES("特権的なユーティリティプログラムの使用",
	    "特権的な|ユーティリティ|プログラムの|使用");
	CHECK_PHRASES("データベースサービス", "データベース|サービス");
	/* unknown words stay whole */
	CHECK_PHRASES("ミドルウェアパッチ", "ミドルウェアパッチ");
	CHECK_PHRASES("Aozora Cloud Service O セキュリティホワイトペーパー",
	    "Aozora Cloud Service O セキュリティ|ホワイト|ペーパー");
}

static void
test_particles_end_phrases(void)
{
	CHECK_PHRASES("クラウドサービスの監視", "クラウド|サービスの|監視");
	CHECK_PHRASES("利用者登録及び登録削除", "利用者登録及び|登録削除");
	CHECK_PHRASES("クラウドコンピューティング環境における仮想マシンの保護",
	    "クラウド|コンピューティング|環境における|仮想|マシンの|保護");
	CHECK_PHRASES("お客様によるアクセス", "お客様による|アクセス");
	CHECK_PHRASES("利用者のお客様", "利用者の|お客様");
	CHECK_PHRASES("ご利用について", "ご利用について");
	/* okurigana: one hiragana that is no particle */
	CHECK_PHRASES("個人情報の取り扱い", "個人情報の|取り扱い");
	CHECK_PHRASES("お問い合わせ窓口", "お問い合わせ|窓口");
	CHECK_PHRASES("ISOの認証", "ISOの|認証");
	/* compound particles: に関する, に対する, に基づく */
	CHECK_PHRASES("雇用の終了又は変更に関する責任",
	    "雇用の|終了又は|変更に関する|責任");
	CHECK_PHRASES("情報システムの監査に対する管理策",
	    "情報|システムの|監査に対する|管理策");
	CHECK_PHRASES("規程に基づく管理", "規程に基づく|管理");
	CHECK_PHRASES("お客様に関係者を", "お客様に|関係者を");
}

static void
test_punctuation(void)
{
	CHECK_PHRASES("監視、記録及び報告", "監視、|記録及び|報告");
	CHECK_PHRASES("「初版」を発行", "「初版」を|発行");
	CHECK_PHRASES("管理策（右端の列）", "管理策|（右端の|列）");
	CHECK_PHRASES("AC-2(1) Automated", "AC-2(1) Automated");
	CHECK_PHRASES("", "");
}

/* s in its halves for a line of 40 (wp_phrase_halves): "A | B" (a
 * space between them), "A|B" (none), or "" (not cut). */
static char *
halves(const char *s)
{
	wp_value *list = wp_phrase_halves(s, strlen(s), 40), *m;
	wp_buf out = WP_BUF_INIT;
	size_t i;

	for (i = 0; i < list->u.list.len; i++) {
		m = list->u.list.items[i];
		wp_buf_puts(&out, wp_value_text(wp_map_get(m, "text")));
		if (i + 1 < list->u.list.len)
			wp_buf_puts(&out, wp_value_truthy(wp_map_get(m,
			    "space")) ? " | " : "|");
	}
	wp_value_free(list);
	wp_buf_putc(&out, '\0');
	return wp_buf_detach(&out);
}

#define CHECK_HALVES(s, want) do { \
	char *h_ = halves(s); \
	CHECK_STR(h_, want); \
	free(h_); \
} while (0)

static void
test_balanced_halves(void)
{
	/* Two lines: the cut that leaves the wider part narrowest, never
	 * before a one-letter word or a number. */
	CHECK_HALVES("Aozora Cloud Service O Security Whitepaper",
	    "Aozora Cloud Service O | Security Whitepaper");
	CHECK_HALVES("Aozora Cloud Security Services at a Glance",
	    "Aozora Cloud Security | Services at a Glance");
	CHECK_HALVES("Minato クラウド ISO/IEC 27017 ホワイトペーパー",
	    "Minato クラウド ISO/IEC 27017 | ホワイトペーパー");
	CHECK_HALVES("セキュリティホワイトペーパーのご案内サービスの概要",
	    "セキュリティホワイトペーパーの|ご案内サービスの概要");
	/* One line, or more than two: not cut. */
	CHECK_HALVES("Minato Cloud ISO/IEC 27017 Whitepaper", "");
	CHECK_HALVES("A very long title that no two lines of the cover could "
	    "ever hold, however it were cut", "");
}

static void
test_kept_phrases(void)
{
	CHECK(wp_phrase_keeps("ネットワーク", strlen("ネットワーク")));
	CHECK(wp_phrase_keeps("二十文字の漢字と仮名からなる長い一つの文節です",
	    strlen("二十文字の漢字と仮名からなる長い一つの文節です")) == 0);
	CHECK(wp_phrase_keeps("第4.1版のURLhttps://example.com/aaaaaaaa",
	    strlen("第4.1版のURLhttps://example.com/aaaaaaaa")));
	CHECK(wp_phrase_keeps("第4.1版のURLhttps://example.com/aaaaaaaab",
	    strlen("第4.1版のURLhttps://example.com/aaaaaaaab")) == 0);
	/* Latin text breaks at its spaces. */
	CHECK(wp_phrase_keeps("Whitepaper", strlen("Whitepaper")) == 0);
}

/* The list as JSON, malloc'd. */
static char *
list_json(const wp_value *v)
{
	wp_buf b = WP_BUF_INIT;

	wp_value_write_json(v, &b);
	return wp_buf_detach(&b);
}

/* The memo gives the list wp_phrase_list makes, the same one for the
 * same text from another buffer, another for another text (of the same
 * length; a prefix); trimming keeps it until it holds more than its
 * most, then empties it, and the text gets a list made again, equal. */
static void
test_memo(void)
{
	const char *title = "情報セキュリティのための方針群";
	wp_phrase_memo *m = wp_phrase_memo_new();
	const wp_value *first, *again;
	wp_value *fresh = wp_phrase_list(title, strlen(title));
	char buf[64], *want = list_json(fresh), *got;
	size_t i;

	first = wp_phrase_memo_get(m, title, strlen(title));
	got = list_json(first);
	CHECK_STR(got, want);
	free(got);
	snprintf(buf, sizeof buf, "%s", title);
	CHECK(wp_phrase_memo_get(m, buf, strlen(buf)) == first);
	buf[strlen(buf) - 3] = '\0';          /* without 群 */
	again = wp_phrase_memo_get(m, buf, strlen(buf));
	CHECK(again != first);
	CHECK_STR(wp_value_text(wp_map_get(again->u.list.items[
	    again->u.list.len - 1], "text")), "方針");
	CHECK(wp_phrase_memo_get(m, "", 0) != first);
	CHECK_INT(wp_value_len(wp_phrase_memo_get(m, "", 0)), 0);
	for (i = 0; i < WP_PHRASE_MEMO_MAX; i++) {
		snprintf(buf, sizeof buf, "title %zu", i);
		wp_phrase_memo_get(m, buf, strlen(buf));
		if (i == 0) {
			wp_phrase_memo_trim(m);    /* not full: kept */
			CHECK(wp_phrase_memo_get(m, title, strlen(title)) ==
			    first);
		}
	}
	wp_phrase_memo_trim(m);                /* more than its most */
	again = wp_phrase_memo_get(m, title, strlen(title));
	got = list_json(again);
	CHECK_STR(got, want);
	free(got);
	got = list_json(wp_phrase_memo_get(m, "title 1", 7));
	CHECK_STR(got, "[{\"text\":\"title 1\",\"last\":true,"
	    "\"keep\":false}]");
	free(got);
	free(want);
	wp_value_free(fresh);
	wp_phrase_memo_free(m);
}

int
main(void)
{
	TEST_RUN(test_words_stay_whole);
	TEST_RUN(test_katakana_compounds);
	TEST_RUN(test_particles_end_phrases);
	TEST_RUN(test_punctuation);
	TEST_RUN(test_balanced_halves);
	TEST_RUN(test_kept_phrases);
	TEST_RUN(test_memo);
	return test_exit_status();
}
