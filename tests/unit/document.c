/*
 * document.c: unit tests of markers, heading numbers, anchors and the
 * document model (src/marker.c, src/document.c), against the project's
 * catalogs in content/catalogs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmark-gfm.h>

#include "buf.h"
#include "catalog.h"
#include "diag.h"
#include "document.h"
#include "harness.h"
#include "html.h"
#include "markmem.h"
#include "marker.h"
#include "translate.h"
#include "util.h"

static wp_catalogs *catalogs;

static void
test_heading_numbers(void)
{
	static const struct { const char *text, *number, *rest; } cases[] = {
		{"5.3.3 お客様によるアクセス", "5.3.3", "お客様によるアクセス"},
		{"5.5.7クラウドサービスの監視", "5.5.7", "クラウドサービスの監視"},
		{"2. 対応", "2", "対応"},
		{"1.2.3.", "1.2.3", ""},
		{"10", "10", ""},
		{"はじめに", NULL, NULL},
		{"Appendix A : 用語集", NULL, NULL},
		{"v1.2 notes", NULL, NULL},
	};
	size_t i;
	const char *rest;
	char *n;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		rest = NULL;
		n = wp_heading_number(cases[i].text, &rest);
		if (cases[i].number == NULL) {
			CHECK(n == NULL);
		} else {
			CHECK_STR(n, cases[i].number);
			CHECK_STR(rest, cases[i].rest);
		}
		free(n);
	}
}

static void
test_slugs(void)
{
	wp_buf b = WP_BUF_INIT;

	wp_slug(&b, "Appendix A : 用語集");
	CHECK_STR(b.data, "appendix-a-用語集");
	wp_buf_clear(&b);
	wp_slug(&b, "はじめに（本書の目的）");
	CHECK_STR(b.data, "はじめに-本書の目的");
	wp_buf_clear(&b);
	wp_slug(&b, "  Shared   responsibility! ");
	CHECK_STR(b.data, "shared-responsibility");
	wp_buf_free(&b);
}

static void
test_marker_shapes(void)
{
	wp_marker m;
	const char *s;

	s = "<ISO/IEC 27017 9.2.2, 9.2.4>";
	CHECK(wp_marker_find(s, strlen(s), 0, &m));
	CHECK_STR(m.standard, "ISO/IEC 27017");
	CHECK_INT(m.nids, 2);
	CHECK_STR(m.ids[0], "9.2.2");
	CHECK_STR(m.ids[1], "9.2.4");
	CHECK_INT(m.id_offsets[1], 22);
	wp_marker_clear(&m);

	s = "<NIST SP 800-53 AC-2(1)>";
	CHECK(wp_marker_find(s, strlen(s), 0, &m));
	CHECK_STR(m.standard, "NIST SP 800-53");
	CHECK_STR(m.ids[0], "AC-2(1)");
	wp_marker_clear(&m);

	s = "<ISO/IEC 27017:2015 CLD.6.3.1>";
	CHECK(wp_marker_find(s, strlen(s), 0, &m));
	CHECK_STR(m.standard, "ISO/IEC 27017:2015");
	CHECK_STR(m.ids[0], "CLD.6.3.1");
	wp_marker_clear(&m);

	s = "<方法 1:クラウドサービスカスタマの時刻源に合わせる>";
	CHECK(!wp_marker_find(s, strlen(s), 0, &m));
	s = "<see here>";
	CHECK(!wp_marker_find(s, strlen(s), 0, &m));
	s = "<https://example.com/>";
	CHECK(!wp_marker_find(s, strlen(s), 0, &m));

	s = "<ISO/IEC 27017 9.2.1>\n<ISO/IEC 27017 9.2.4>  ";
	CHECK(wp_marker_only(s, strlen(s)));
	s = "<ISO/IEC 27017 9.2.1> and text";
	CHECK(!wp_marker_only(s, strlen(s)));
}

static wp_document *
parse(const char *text, wp_diags *d)
{
	wp_document_options opt;

	memset(&opt, 0, sizeof opt);
	opt.catalogs = catalogs;
	opt.lang = "ja";
	return wp_document_parse("t.md", text, strlen(text), &opt, d);
}

static int
has_diag(const wp_diags *d, const char *code, int line, int col)
{
	size_t i;

	for (i = 0; i < d->len; i++)
		if (strcmp(d->items[i].code, code) == 0 &&
		    d->items[i].line == line && d->items[i].column == col)
			return 1;
	for (i = 0; i < d->len; i++)
		printf("  have %s:%d:%d %s [%s]\n", d->items[i].file,
		    d->items[i].line, d->items[i].column,
		    d->items[i].message, d->items[i].code);
	return 0;
}

static void
test_sections_and_markers(void)
{
	wp_diags d;
	wp_document *doc;
	const wp_section *s;

	wp_diags_init(&d);
	doc = parse("# 5. アクセス制御\n\n"
	    "### 5.3.3 お客様によるアクセス\n\n"
	    "<ISO/IEC 27017 9.2.1>\n\n"
	    "<ISO/IEC 27017 9.2.2>\n<ISO/IEC 27017 A.9.2.4>\n\n"
	    "本文です。\n\n"
	    "## <ISO/IEC 27017 CLD.12.4.5>\n\n"
	    "監視します。\n\n"
	    "## はじめに\n\n## はじめに\n", &d);
	CHECK(doc != NULL);
	CHECK_INT(d.len, 0);
	CHECK_INT(doc->nsections, 5);
	s = &doc->sections[1];
	CHECK_STR(s->number, "5.3.3");
	CHECK_STR(s->title, "お客様によるアクセス");
	CHECK_STR(s->anchor, "sec-5.3.3");
	CHECK_STR(s->key, "5.3.3");
	CHECK_INT(s->ncontrols, 3);
	CHECK_INT(s->parent, 0);
	CHECK_STR(s->controls[2].catalog->controls[s->controls[2].control]
	    .label, "9.2.4");
	s = &doc->sections[2];
	CHECK(s->control_heading);
	CHECK_STR(s->anchor, "ctl-CLD.12.4.5");
	CHECK_STR(s->key, "CLD.12.4.5");
	CHECK_STR(s->title, "クラウドサービスの監視");
	CHECK_STR(doc->sections[3].anchor, "はじめに");
	CHECK_STR(doc->sections[4].anchor, "はじめに-2");
	CHECK_INT(doc->sections[0].parent, -1);
	wp_document_free(doc);
	wp_diags_free(&d);
}

static void
test_marker_errors(void)
{
	wp_diags d;
	wp_document *doc;

	wp_diags_init(&d);
	doc = parse("<ISO/IEC 27017 9.2.1>\n\n"
	    "# 1. 概要\n\n"
	    "<ISO/IEC 27017 CLD12.4.5>\n\n"
	    "本文 <ISO/IEC 27017 9.2.1> の途中。\n\n"
	    "<ISO/IEC 27018 9.2.1>\n\n"
	    "<方法 1:時刻源に合わせる>\n\n"
	    "## 1. 重複\n", &d);
	CHECK(doc != NULL);
	CHECK(has_diag(&d, "misplaced-marker", 1, 1));
	CHECK(has_diag(&d, "unknown-control", 5, 16));
	CHECK(strstr(d.items[1].message, "CLD.12.4.5") != NULL);
	CHECK(has_diag(&d, "misplaced-marker", 7, 4));
	CHECK(has_diag(&d, "unknown-standard", 9, 1));
	CHECK(strstr(d.items[3].message, "ISO/IEC 27017") != NULL);
	CHECK(has_diag(&d, "duplicate-anchor", 13, 1));
	CHECK_INT(d.errors, 5);
	wp_document_free(doc);
	wp_diags_free(&d);
}

/* Headings with a marker: one marker alone names the section's control;
 * one with text after it, or before it, is a heading with a marker in
 * its text; two markers, or one of two IDs, are misplaced as a whole. */
static void
test_marker_headings(void)
{
	static const char *const where[] = {"inside a heading's text",
	    "inside a heading's text", "together with other controls",
	    "together with other controls"};
	wp_diags d;
	wp_document *doc;
	size_t i;

	wp_diags_init(&d);
	doc = parse("# <ISO/IEC 27017 9.2.1> と本文\n\n"
	    "# 本文と <ISO/IEC 27017 9.2.2>\n\n"
	    "# <ISO/IEC 27017 9.2.3> <ISO/IEC 27017 9.2.4>\n\n"
	    "# <ISO/IEC 27017 9.2.3, 9.2.4>\n\n"
	    "# <ISO/IEC 27017 9.2.1>\n", &d);
	CHECK(doc != NULL && doc->nsections == 5);
	CHECK_INT(d.len, 4);
	for (i = 0; i < d.len && i < 4; i++) {
		CHECK_INT(d.items[i].line, (int)(2 * i + 1));
		CHECK_INT(d.items[i].column, i == 1 ? 7 : 3);
		CHECK(strstr(d.items[i].message, where[i]) != NULL);
	}
	for (i = 0; doc && i < 4; i++) {
		CHECK(!doc->sections[i].control_heading);
		CHECK_INT(doc->sections[i].ncontrols, 0);
	}
	CHECK_STR(doc->sections[0].title, "<ISO/IEC 27017 9.2.1> と本文");
	CHECK_STR(doc->sections[2].title,
	    "<ISO/IEC 27017 9.2.3> <ISO/IEC 27017 9.2.4>");
	CHECK(doc->sections[4].control_heading);
	CHECK_STR(doc->sections[4].key, "9.2.1");
	wp_document_free(doc);
	wp_diags_free(&d);
}

static void
test_html_block_marker_and_raw_html(void)
{
	wp_diags d;
	wp_document *doc;
	wp_buf out = WP_BUF_INIT;

	wp_diags_init(&d);
	doc = parse("# 1. 概要\n\n<iso27017-2015 A.9.2.1>\n\n"
	    "<div>raw</div>\n\n本文は<b>太字</b>です。\n", &d);
	CHECK(doc != NULL);
	CHECK_INT(d.len, 0);
	CHECK_INT(doc->sections[0].ncontrols, 1);
	wp_diags_free(&d);
	wp_document_free(doc);
	(void)out;
}

static int
plain_heading(void *data, const wp_document *doc, size_t i, wp_buf *out)
{
	(void)data;
	wp_buf_printf(out, "<h2 id=\"%s\">%s</h2>", doc->sections[i].anchor,
	    doc->sections[i].title);
	return 0;
}

static void
test_cjk_soft_breaks(void)
{
	wp_diags d;
	wp_document *doc;
	wp_buf out = WP_BUF_INIT;
	wp_html_hooks hooks = {plain_heading, NULL, NULL, NULL, 0};

	wp_diags_init(&d);
	doc = parse("# 1. 概要\n\n日本語の文章は\n途中で改行しても\nつながる。\n"
	    "English lines\nkeep a space.\n混在 text\nです。\n<div>x</div>\n",
	    &d);
	CHECK(doc != NULL);
	wp_document_prepare_render(doc);
	CHECK(wp_html_render_body(doc, &hooks, &out) == 0);
	CHECK(strstr(out.data, "日本語の文章は途中で改行してもつながる。") != NULL);
	CHECK(strstr(out.data, "English lines\nkeep a space.") != NULL);
	CHECK(strstr(out.data, "混在 text\nです。") != NULL);
	CHECK(strstr(out.data, "<div>") == NULL);
	CHECK(strstr(out.data, "<h2 id=\"sec-1\">概要</h2>") != NULL);
	wp_buf_free(&out);
	wp_document_free(doc);
	wp_diags_free(&d);
}

/* The body of text parsed with opt.render (the soft line breaks joined
 * from those the walk met) and prepared afterwards (the tree walked
 * again). */
static char *
body_both_ways(const char *text, int render)
{
	wp_document_options opt;
	wp_diags d;
	wp_document *doc;
	wp_buf out = WP_BUF_INIT;
	wp_html_hooks hooks = {plain_heading, NULL, NULL, NULL, 0};

	memset(&opt, 0, sizeof opt);
	opt.catalogs = catalogs;
	opt.lang = "ja";
	opt.render = render;
	wp_diags_init(&d);
	doc = wp_document_parse("t.md", text, strlen(text), &opt, &d);
	CHECK(doc != NULL);
	if (doc == NULL)
		return NULL;
	wp_document_prepare_render(doc);
	CHECK(wp_html_render_body(doc, &hooks, &out) == 0);
	wp_document_free(doc);
	wp_diags_free(&d);
	return wp_buf_detach(&out);
}

/* Soft line breaks are joined the same whether the walk collected them
 * or the tree is walked again: in a setext heading (its text is the
 * section's title, not in the body), beside raw HTML that
 * is dropped, in a link whose unsafe URL is dropped, in a list, a quote,
 * a table cell and a footnote, and not those of a marker paragraph
 * inside a list (dropped with it). */
static void
test_cjk_breaks_walk(void)
{
	static const char text[] =
	    "見出しの\n続き\n===\n\n"
	    "日本語<b>\nです</b>\n続く。\n\n"
	    "[リンクの\n文字](javascript:x)\nの後。\n\n"
	    "- 項目の\n  続き\n- <ISO/IEC 27017 9.2.1>\n  <ISO/IEC 27017 9.2.2>\n\n"
	    "> 引用の\n> 続き[^1]\n\n"
	    "| 表 |\n|---|\n| セル |\n\n"
	    "[^1]: 注の\n    続き\n\n"
	    "English\nlines.\n";
	char *walked = body_both_ways(text, 1);
	char *again = body_both_ways(text, 0);

	CHECK(walked != NULL && again != NULL);
	if (walked && again) {
		CHECK(strcmp(walked, again) == 0);
		CHECK(strstr(walked, "項目の続き") != NULL);
		CHECK(strstr(walked, "リンクの文字\nの後。") == NULL);
		CHECK(strstr(walked, "リンクの文字の後。") != NULL);
		CHECK(strstr(walked, "注の続き") != NULL);
		CHECK(strstr(walked, "9.2.1") == NULL);
		CHECK(strstr(walked, "English\nlines.") != NULL);
	}
	free(walked);
	free(again);
}

/* A paragraph of text and soft line breaks (html.c writes it without
 * cmark-gfm's renderer) is put as cmark-gfm renders it: every character
 * HTML escapes or not, breaks, Japanese lines joined; others are left to
 * cmark-gfm. */
static void
test_plain_paragraphs(void)
{
	static const char text[] =
	    "# 1. 段落\n\n"
	    "Text with & < > \" ' / and \\* escaped,\n"
	    "&amp; &lt;b&gt; &#39; &quot; entities,\n"
	    "日本語の\n行です。\n\n"
	    "<b>raw</b> dropped, [a link](http://example.com) and *emphasis*,\n"
	    "`code`  \nand a hard break.\n";
	wp_diags d;
	wp_document *doc;
	wp_buf out = WP_BUF_INIT, want = WP_BUF_INIT;
	wp_html_hooks hooks = {plain_heading, NULL, NULL, NULL, 0};
	cmark_node *n;
	char *html;

	wp_diags_init(&d);
	doc = parse(text, &d);
	CHECK(doc != NULL);
	if (doc == NULL)
		return;
	wp_document_prepare_render(doc);
	CHECK(wp_html_render_body(doc, &hooks, &out) == 0);
	wp_buf_puts(&want, "<h2 id=\"sec-1\">段落</h2>\n");
	for (n = cmark_node_next(doc->sections[0].node); n;
	    n = cmark_node_next(n)) {
		html = cmark_render_html(n, CMARK_OPT_UNSAFE, NULL);
		wp_buf_puts(&want, html);
		free(html);
	}
	CHECK_STR(wp_buf_cstr(&out), wp_buf_cstr(&want));
	CHECK(strstr(wp_buf_cstr(&out), "<p>Text with &amp; &lt; &gt; &quot; ' / "
	    "and * escaped,\n&amp; &lt;b&gt; ' &quot; entities,\n"
	    "日本語の行です。</p>\n") != NULL);
	wp_buf_free(&out);
	wp_buf_free(&want);
	wp_document_free(doc);
	wp_diags_free(&d);
}

/* The print variant of a long table (html.h, print): its cells in
 * phrases, its first and last two rows each in a row group of their own;
 * on screen, as cmark-gfm writes it. */
static void
test_print_table(void)
{
	wp_diags d;
	wp_document *doc;
	wp_buf md = WP_BUF_INIT, out = WP_BUF_INIT;
	wp_html_hooks hooks = {plain_heading, NULL, NULL, NULL, 1};
	const char *p;
	int r, groups = 0;

	wp_buf_puts(&md, "# 1. 表\n\n| 管理対象 | 説明 |\n|---|---|\n"
	    "| 仮想化基盤、ネットワーク基盤 | <https://example.com/a&b> |\n");
	for (r = 2; r <= 13; r++)
		wp_buf_printf(&md, "| 行 %d | x |\n", r);
	wp_diags_init(&d);
	doc = parse(wp_buf_cstr(&md), &d);
	CHECK(doc != NULL);
	wp_document_prepare_render(doc);
	CHECK(wp_html_render_body(doc, &hooks, &out) == 0);
	CHECK(strstr(out.data, "<th><span class=\"wp-ph\">管理対象</span></th>")
	    != NULL);
	CHECK(strstr(out.data, "<td><span class=\"wp-ph\">仮想化基盤、</span>"
	    "<span class=\"wp-ph\">ネットワーク</span>"
	    "<span class=\"wp-ph\">基盤</span></td>") != NULL);
	/* Text without Japanese, and attributes, as they were. */
	CHECK(strstr(out.data, "<a href=\"https://example.com/a&amp;b\">"
	    "https://example.com/a&amp;b</a>") != NULL);
	CHECK(strstr(out.data, "<tbody class=\"wp-rows-kept\">\n<tr>\n"
	    "<td><span class=\"wp-ph\">仮想化基盤、") != NULL);
	for (p = out.data; (p = strstr(p, "<tbody")) != NULL; p++)
		groups++;
	CHECK(groups == 3);
	CHECK(strstr(out.data, "</tbody>\n<tbody>\n<tr>\n<td><span "
	    "class=\"wp-ph\">行 3</span></td>") != NULL);
	CHECK(strstr(out.data, "</tbody>\n<tbody class=\"wp-rows-kept\">\n"
	    "<tr>\n<td><span class=\"wp-ph\">行 12</span></td>") != NULL);
	/* On screen: one row group, no phrases. */
	wp_buf_clear(&out);
	hooks.print = 0;
	CHECK(wp_html_render_body(doc, &hooks, &out) == 0);
	CHECK(strstr(out.data, "wp-ph") == NULL);
	CHECK(strstr(out.data, "<tbody>\n<tr>\n<td>仮想化基盤、ネットワーク基盤"
	    "</td>") != NULL);
	wp_buf_free(&out);
	wp_buf_free(&md);
	wp_document_free(doc);
	wp_diags_free(&d);
}

/* A document parsed into the arena of markmem.h is the document parsed
 * into cmark-gfm's memory: the same sections and the same HTML (tables,
 * footnotes, links, CJK lines joined), and it is dropped unfreed. */
static void
test_markmem(void)
{
	wp_diags d;
	wp_document_options opt;
	wp_document *plain, *arena;
	wp_buf md = WP_BUF_INIT, a = WP_BUF_INIT, b = WP_BUF_INIT;
	wp_html_hooks hooks = {plain_heading, NULL, NULL, NULL, 0};
	size_t i;
	int round;

	wp_buf_puts(&md, "# 1. 概要\n\n本文の行と\n次の行[^n]。\n\n"
	    "<ISO/IEC 27017 9.2.1>\n\n| a | b |\n|---|---|\n");
	for (i = 0; i < 300; i++)
		wp_buf_printf(&md, "| %zu | *x* <https://example.com/%zu> |\n",
		    i, i);
	wp_buf_puts(&md, "\n## 1.1 詳細\n\n~~old~~ **new** `code`\n\n"
	    "[^n]: 注記。\n");
	memset(&opt, 0, sizeof opt);
	opt.catalogs = catalogs;
	opt.lang = "ja";
	opt.render = 1;
	wp_diags_init(&d);
	plain = wp_document_parse("t.md", md.data, md.len, &opt, &d);
	CHECK(plain != NULL);
	CHECK(wp_html_render_body(plain, &hooks, &a) == 0);
	for (round = 0; round < 2; round++) {
		opt.mem = wp_markmem_open();
		arena = wp_document_parse("t.md", md.data, md.len, &opt, &d);
		CHECK(arena != NULL);
		CHECK_INT((int)arena->nsections, (int)plain->nsections);
		for (i = 0; i < arena->nsections && i < plain->nsections; i++)
			CHECK_STR(arena->sections[i].key,
			    plain->sections[i].key);
		wp_buf_clear(&b);
		CHECK(wp_html_render_body(arena, &hooks, &b) == 0);
		CHECK_STR(wp_buf_cstr(&b), wp_buf_cstr(&a));
		wp_document_free(arena);
		wp_markmem_close();
	}
	CHECK(strstr(wp_buf_cstr(&a), "本文の行と次の行") != NULL);
	CHECK(strstr(wp_buf_cstr(&a), "<td>299</td>") != NULL);
	CHECK_INT(d.errors, 0);
	wp_document_free(plain);
	wp_buf_free(&md);
	wp_buf_free(&a);
	wp_buf_free(&b);
	wp_diags_free(&d);
}

/* The section hash by its definition (translate.h): white space runs
 * one space, none at the ends nor between two CJK characters (or next
 * to CJK punctuation), 64-bit FNV-1a of the result, made here the slow
 * way for texts of every kind. */
static void
hash_by_definition(const char *s, size_t len, char out[17])
{
	wp_buf norm = WP_BUF_INIT;
	unsigned long long h = 1469598103934665603ULL;
	unsigned cp, prev = 0;
	size_t i = 0, clen, k;
	int space = 0;

	while (i < len) {
		cp = wp_utf8_decode(s + i, len - i, &clen);
		if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r') {
			space = norm.len > 0;
		} else {
			if (space && !wp_cjk_joins(prev, cp))
				wp_buf_putc(&norm, ' ');
			space = 0;
			wp_buf_put(&norm, s + i, clen);
			prev = cp;
		}
		i += clen;
	}
	for (k = 0; k < norm.len; k++) {
		h ^= (unsigned char)norm.data[k];
		h *= 1099511628211ULL;
	}
	snprintf(out, 17, "%016llx", h);
	wp_buf_free(&norm);
}

static void
test_section_hash(void)
{
	static const char *const texts[] = {
		"# 1. 概要\n\n本文の行と\n次の行。\n",
		"# 2. Mixed 日本語 and English\n\n  a  b\t\tc\r\nd  \n",
		"# 3. 句読点\n\n「かぎ」 と、 読点。 Word 語 word\n\n\n",
		"# 4. Ｆｕｌｌ　ｗｉｄｔｈ\n\n𠮷野家 😀 é\n",
	};
	wp_diags d;
	wp_document *doc;
	char got[17], want[17];
	const char *src;
	size_t i, len;

	for (i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		wp_diags_init(&d);
		doc = parse(texts[i], &d);
		CHECK(doc != NULL && doc->nsections == 1);
		if (doc == NULL || doc->nsections != 1)
			continue;
		src = wp_section_source(doc, 0, &len);
		wp_section_hash(doc, 0, got);
		hash_by_definition(src, len, want);
		CHECK_STR(got, want);
		wp_document_free(doc);
		wp_diags_free(&d);
	}
}

/* Several sections hashed at once (wp_section_hashes: four side by
 * side, a lane taking the next section when its own ends, the last ones
 * alone), in any order and with repeats, each as the definition says:
 * sections shorter and longer than the eight bytes copied at once,
 * Japanese wrapped, English with tabs and \r\n, an empty one. */
static void
test_section_hashes(void)
{
	static const char text[] =
	    "# 1. 概要\n\n本文の行と\n次の行。\n\n"
	    "# 2. B\n\n"
	    "# 3. Mixed 日本語 and English\n\n  a  b\t\tc\r\nd  \n\n"
	    "# 4. 句読点\n\n「かぎ」 と、 読点。 Word 語 word\n\n"
	    "# 5. 長い段落\n\nクラウドサービスの利用者は、アクセス権の管理"
	    "について\n責任を負います。\nThe provider logs every access "
	    "to the\nmanagement console for 12 months.\n\n"
	    "# 6.\n\n"
	    "# 7. Ｆｕｌｌ　ｗｉｄｔｈ\n\n𠮷野家 😀 é\n\n"
	    "# 8. abcdefgh\n\nabcdefghijklmnop qrstuvw xyzABCDEFGHIJ\n\n"
	    "# 9. 九\n\n九九九九九九九九九九九九九九九九九九九九九九九九\n\n"
	    "# 10. Ten\n\nten\n";
	static const size_t orders[][12] = {
		{0, 1, 2, 3, 4, 5, 6, 7, 8, 9},
		{9, 8, 7, 6, 5, 4, 3, 2, 1, 0},
		{4, 4, 1, 9, 0, 0, 5, 2, 8, 3, 6, 7},
		{7, 2, 5},
		{1, 5, 1, 5, 8},
	};
	static const size_t counts[] = {10, 10, 12, 3, 5};
	char got[12][17], want[17];
	const char *src;
	wp_diags d;
	wp_document *doc;
	size_t o, i, len;

	wp_diags_init(&d);
	doc = parse(text, &d);
	CHECK(doc != NULL && doc->nsections == 10);
	if (doc == NULL || doc->nsections != 10)
		return;
	for (o = 0; o < sizeof counts / sizeof counts[0]; o++) {
		memset(got, 0, sizeof got);
		wp_section_hashes(doc, orders[o], counts[o], got);
		for (i = 0; i < counts[o]; i++) {
			src = wp_section_source(doc, orders[o][i], &len);
			hash_by_definition(src, len, want);
			if (strcmp(got[i], want) != 0)
				printf("  order %zu, item %zu (section %zu): "
				    "%s, want %s\n", o, i, orders[o][i],
				    got[i], want);
			CHECK_STR(got[i], want);
		}
	}
	wp_document_free(doc);
	wp_diags_free(&d);
}

/* A lock read in order (as written) needs no sort; one out of order is
 * sorted, a key given twice taken from its later line; either way every
 * key is found, and a key set again or added is found with its new
 * hashes. */
static void
test_lock_order(void)
{
	static const char sorted[] =
	    "# comment\n"
	    "en 1.1 0000000000000001\n"
	    "en 1.2 0000000000000002 00000000000000f2\n"
	    "fr 1.1 0000000000000003\n";
	static const char unsorted[] =
	    "fr 1.1 0000000000000003\n"
	    "en 1.2 00000000000000e2\n"
	    "en 1.1 0000000000000001\n"
	    "en 1.2 0000000000000002 00000000000000f2\n";
	static const char twice[] =
	    "en 1.1 0000000000000009\n"
	    "en 1.1 0000000000000001\n"
	    "en 1.2 0000000000000002 00000000000000f2\n"
	    "fr 1.1 0000000000000003\n";
	const char *const texts[] = {sorted, unsorted, twice};
	static const char *const order[][2] = {
		{"en", "1.1"}, {"en", "1.2"}, {"fr", "1.1"}
	};
	wp_diags d;
	wp_lock *lock;
	size_t t, i;

	for (t = 0; t < 3; t++) {
		wp_diags_init(&d);
		lock = wp_lock_parse("translations.lock", texts[t],
		    strlen(texts[t]), &d);
		CHECK(lock != NULL);
		if (lock == NULL)
			continue;
		CHECK_STR(wp_lock_get(lock, "en", "1.1"), "0000000000000001");
		CHECK_STR(wp_lock_get(lock, "en", "1.2"), "0000000000000002");
		CHECK_STR(wp_lock_get_translation(lock, "en", "1.2"),
		    "00000000000000f2");
		CHECK(wp_lock_get_translation(lock, "en", "1.1") == NULL);
		CHECK_STR(wp_lock_get(lock, "fr", "1.1"), "0000000000000003");
		CHECK(wp_lock_get(lock, "fr", "1.2") == NULL);
		CHECK_INT(lock->len, 3);
		for (i = 0; i < lock->len && i < 3; i++) {
			CHECK_STR(lock->items[i].lang, order[i][0]);
			CHECK_STR(lock->items[i].key, order[i][1]);
		}
		wp_lock_set(lock, "en", "1.1", "00000000000000a1",
		    "00000000000000b1");
		wp_lock_set(lock, "de", "1.3", "00000000000000c3", NULL);
		CHECK_STR(wp_lock_get(lock, "en", "1.1"), "00000000000000a1");
		CHECK_STR(wp_lock_get_translation(lock, "en", "1.1"),
		    "00000000000000b1");
		CHECK_STR(wp_lock_get(lock, "de", "1.3"), "00000000000000c3");
		CHECK_STR(wp_lock_get(lock, "en", "1.2"), "0000000000000002");
		CHECK_STR(lock->items[0].lang, "de");
		wp_lock_free(lock);
		wp_diags_free(&d);
	}
}

/* Alignment with a target whose sections repeat a key (a mistake the
 * target's check reports): each takes the one source section's hash
 * (made once), confirmed or not by the lock as the others; a source
 * section the target lacks is missing, in its place. */
static void
test_align_repeated_key(void)
{
	static const char src_text[] = "# 1. A\n\nひとつ\n\n# 2. B\n\nふたつ\n"
	    "\n# 3. C\n\nみっつ\n";
	static const char tgt_text[] = "# 1. One\n\none\n\n# 1. Uno\n\nuno\n"
	    "\n# 3. Three\n\nthree\n";
	static const wp_tr_state want[] = {WP_TR_OK, WP_TR_OK, WP_TR_MISSING,
	    WP_TR_STALE};
	static const long want_source[] = {0, 0, 1, 2};
	char hash[17], line[64];
	wp_diags d;
	wp_document *src, *tgt;
	wp_lock *lock;
	wp_tr_align al;
	size_t i;

	wp_diags_init(&d);
	src = parse(src_text, &d);
	tgt = parse(tgt_text, &d);
	CHECK(src != NULL && tgt != NULL && tgt->nsections == 3);
	if (src == NULL || tgt == NULL || tgt->nsections != 3)
		return;
	wp_section_hash(src, 0, hash);
	snprintf(line, sizeof line, "en 1 %s\nen 3 0000000000000000\n",
	    hash);
	lock = wp_lock_parse("translations.lock", line, strlen(line), &d);
	CHECK(lock != NULL);
	wp_translations_align(src, tgt, "en", lock, &al);
	CHECK_INT(al.len, 4);
	for (i = 0; i < al.len && i < 4; i++) {
		CHECK_INT(al.items[i].state, want[i]);
		CHECK_INT(al.items[i].source, want_source[i]);
	}
	CHECK_INT(al.missing, 1);
	CHECK_INT(al.stale, 1);
	wp_tr_align_free(&al);
	wp_lock_free(lock);
	wp_document_free(src);
	wp_document_free(tgt);
	wp_diags_free(&d);
}

static void
test_invalid_utf8(void)
{
	wp_diags d;
	wp_document *doc;

	wp_diags_init(&d);
	doc = parse("# 1. 概要\n\nab\xff\n", &d);
	CHECK(doc == NULL);
	CHECK(has_diag(&d, "invalid-utf8", 3, 3));
	wp_diags_free(&d);
}

/* The first byte of s[0..n) that is not UTF-8, a character at a time:
 * what wp_utf8_invalid_at finds faster.  (size_t)-1 when none. */
static size_t
utf8_invalid_by_decoding(const char *s, size_t n)
{
	size_t i = 0, clen;

	while (i < n) {
		if (wp_utf8_decode(s + i, n - i, &clen) == 0xFFFD &&
		    clen == 1)
			return i;
		i += clen;
	}
	return (size_t)-1;
}

/* wp_utf8_invalid_at (util.c), which the Markdown's check runs on every
 * byte: the first byte that is not UTF-8, at runs of ASCII, of Japanese
 * and of both, overlong forms, surrogates, a truncated character. */
static void
test_utf8_invalid_at(void)
{
	static const struct {
		const char *s;
		long bad;
	} cases[] = {
		{"abc", -1}, {"日本語の文章です。", -1}, {"\xE0\x80\x80", 0},
		{"\xE0\xA0\x80", -1}, {"\xED\xA0\x80", 0}, {"\xED\x9F\xBF", -1},
		{"\xEF\xBF\xBD", -1}, {"あ\xE3\x81", 3},
		{"abcdefghあいう\xffxyz", 17}, {"\xF0\x9F\x98\x80", -1},
		{"\xC3\xA9", -1}, {"あ\x80", 3}, {"ああ\xE3\x81" "A", 6},
		{"12345678\xE3\x81\x82", -1}, {"\xF4\x90\x80\x80", 0},
		{"いa\xEF\xBF\xBDう\xC0\xAF", 10}, {"0123456789abcdef\xE3", 16},
		/* runs of Japanese read two characters at once: the bad
		 * byte in the first or the second of a pair, E0 and ED
		 * leads good and bad there, a run's last bytes */
		{"ああああああ", -1}, {"あいうえおか\xE0\xA0\x80き", -1},
		{"あいうえおか\xED\x9F\xBFき", -1},
		{"あい\xE0\x9F\xBFうえおか", 6}, {"あ\xED\xA0\x80いうえおか", 3},
		{"あい\xE3\x81うえおか", 6}, {"あいう\xE3\x41\x82えおか", 9},
		{"あいうえお\xE3\x81\xC2", 15}, {"あいうえ\xF0\x9F\x98\x80お", -1},
		{"ああああ\x80", 12}, {"ああああ\xE3\x81\x82\x82", 15},
	};
	static const char *const atoms[] = {"a", "あ", "語", "\xE0\xA0\x80",
	    "\xED\x9F\xBF", "\xEF\xBF\xBD", "\xC3\xA9", "\xF0\x9F\x98\x80",
	    "\x80", "\xE3\x81", "\xE0\x80\x80", "\xED\xA0\x80", "\xFF", "\n"};
	wp_buf t = WP_BUF_INIT;
	unsigned seed = 1;
	size_t i, bad, k, m, want;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		bad = wp_utf8_invalid_at(cases[i].s, strlen(cases[i].s));
		if (bad != (size_t)cases[i].bad)
			printf("  case %zu: %ld, want %ld\n", i, (long)bad,
			    cases[i].bad);
		CHECK(bad == (size_t)cases[i].bad);
	}
	/* Texts of those pieces, mostly good ones, against the first bad
	 * byte found a character at a time. */
	for (i = 0; i < 3000; i++) {
		wp_buf_clear(&t);
		for (k = 0, m = 1 + i % 40; k < m; k++) {
			seed = seed * 1103515245u + 12345u;
			wp_buf_puts(&t, atoms[(seed >> 16) % 8 < 7 ?
			    (seed >> 16) % 8 : (seed >> 20) %
			    (sizeof atoms / sizeof atoms[0])]);
		}
		want = utf8_invalid_by_decoding(t.data, t.len);
		bad = wp_utf8_invalid_at(t.data, t.len);
		if (bad != want)
			printf("  text %zu: %ld, want %ld\n", i, (long)bad,
			    (long)want);
		CHECK(bad == want);
	}
	wp_buf_free(&t);
}

/* Found by fuzz/document.c: cmark ends lines at \r and \r\n too, but
 * the line index counted only \n, so a section's source ran past the
 * end of the text (a heap overflow) and its hash read garbage. */
static void
test_cr_line_endings(void)
{
	static const char text[] = "# 1. A\rone\r\r# 2. B\rtwo\r\n\r\n"
	    "# 3. C\ntext";
	static const int lines[] = {1, 4, 7}, ends[] = {3, 6, 9};
	static const char *const sources[] = {"# 1. A\rone\r\r",
	    "# 2. B\rtwo\r\n\r\n", "# 3. C\ntext\n\n"};
	char hash[3][17];
	const char *src;
	wp_diags d;
	wp_document *doc;
	size_t i, len;

	wp_diags_init(&d);
	doc = parse(text, &d);
	CHECK(doc != NULL);
	if (doc == NULL)
		return;
	CHECK_INT(doc->nsections, 3);
	CHECK_INT(doc->nlines, 9);
	for (i = 0; i < doc->nsections && i < 3; i++) {
		CHECK_INT(doc->sections[i].line, lines[i]);
		CHECK_INT(doc->sections[i].end_line, ends[i]);
		src = wp_section_source(doc, i, &len);
		CHECK_INT(len, strlen(sources[i]));
		CHECK(len == strlen(sources[i]) &&
		    memcmp(src, sources[i], len) == 0);
		wp_section_hash(doc, i, hash[i]);
	}
	CHECK(strcmp(hash[0], hash[1]) != 0);
	CHECK(strcmp(hash[1], hash[2]) != 0);
	CHECK_INT(doc->files[0].nlines, 8);
	wp_document_free(doc);
	wp_diags_free(&d);
	/* Positions count the same line ends. */
	wp_diags_init(&d);
	doc = parse("# 1. A\r\rab\xff\r", &d);
	CHECK(doc == NULL);
	CHECK(has_diag(&d, "invalid-utf8", 3, 3));
	wp_diags_free(&d);
}

/* The files of test_file_lines, by name. */
static char *
read_named(void *ctx, const char *name, size_t *len)
{
	static const char *const texts[][2] = {
		{"a.md", "# 1. A\n\nx\n"},
		{"b.md", ""},
		{"c.md", "y\r\nz\r"},
		{"d.md", "# 2. D\n\nq"},
	};
	size_t i;

	(void)ctx;
	for (i = 0; i < sizeof texts / sizeof texts[0]; i++)
		if (strcmp(texts[i][0], name) == 0) {
			*len = strlen(texts[i][1]);
			return xstrdup(texts[i][1]);
		}
	return NULL;
}

/* The lines of each file of an edition: an empty file, \r\n and a
 * last line without its end, each file after the blank line that
 * follows the one before. */
static void
test_file_lines(void)
{
	char *files[] = {"a.md", "b.md", "c.md", "d.md", NULL};
	static const int first[] = {1, 5, 6, 9}, nlines[] = {3, 0, 2, 3};
	wp_document_options opt;
	wp_diags d;
	wp_document *doc;
	const wp_document_file *f;
	size_t i;
	int line = 0;

	memset(&opt, 0, sizeof opt);
	opt.catalogs = catalogs;
	opt.lang = "ja";
	wp_diags_init(&d);
	doc = wp_document_read(files, read_named, NULL, &opt, &d);
	CHECK(doc != NULL && doc->nfiles == 4);
	for (i = 0; doc && i < doc->nfiles; i++) {
		CHECK(doc->files[i].first_line == first[i]);
		CHECK(doc->files[i].nlines == nlines[i]);
	}
	CHECK(doc && doc->nsections == 2 && doc->sections[1].line == 9);
	f = doc ? wp_document_locate(doc, 11, &line) : NULL;
	CHECK(f && strcmp(f->path, "d.md") == 0 && line == 3);
	f = doc ? wp_document_locate(doc, 7, &line) : NULL;
	CHECK(f && strcmp(f->path, "c.md") == 0 && line == 2);
	wp_document_free(doc);
	wp_diags_free(&d);
}

int
main(void)
{
	wp_diags d;

	wp_diags_init(&d);
	catalogs = wp_catalogs_load("content/catalogs", &d);
	if (catalogs == NULL || d.errors) {
		test_report("document/catalogs-load", 0, "content/catalogs");
		return 1;
	}
	TEST_RUN(test_heading_numbers);
	TEST_RUN(test_slugs);
	TEST_RUN(test_marker_shapes);
	TEST_RUN(test_sections_and_markers);
	TEST_RUN(test_marker_errors);
	TEST_RUN(test_marker_headings);
	TEST_RUN(test_html_block_marker_and_raw_html);
	TEST_RUN(test_cjk_soft_breaks);
	TEST_RUN(test_cjk_breaks_walk);
	TEST_RUN(test_plain_paragraphs);
	TEST_RUN(test_print_table);
	TEST_RUN(test_markmem);
	TEST_RUN(test_section_hash);
	TEST_RUN(test_section_hashes);
	TEST_RUN(test_lock_order);
	TEST_RUN(test_align_repeated_key);
	TEST_RUN(test_invalid_utf8);
	TEST_RUN(test_utf8_invalid_at);
	TEST_RUN(test_cr_line_endings);
	TEST_RUN(test_file_lines);
	wp_catalogs_free(catalogs);
	wp_diags_free(&d);
	return test_exit_status();
}
