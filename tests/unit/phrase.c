/*
 * phrase.c: unit tests of the phrase boundaries of Japanese titles
 * (src/phrase.c), each title written with "|" where a line may break.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "harness.h"
#include "phrase.h"

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

int
main(void)
{
	TEST_RUN(test_words_stay_whole);
	TEST_RUN(test_katakana_compounds);
	TEST_RUN(test_particles_end_phrases);
	TEST_RUN(test_punctuation);
	return test_exit_status();
}
