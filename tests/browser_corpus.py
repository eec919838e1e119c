#!/usr/bin/env python3
"""tests/browser_corpus.py CATALOGS OUT STAGE: writes the content tree the
browser tests open (tests/cli/browser.sh) into OUT, so that the
repository keeps a short script instead of a large tree.  CATALOGS is
the repository's content/catalogs (copied into OUT/catalogs).

What the tree is for (issue 12): a site of 20 services (the coverage page
with 20 columns), in the three styles, with

  s01  controls three levels down (chapter #, part ##, controls ###),
       the contents must still list every control;
  s02  a plain document: no catalogs, no control markers;
  s03  an English edition with 20% of the sections translated;
  s04  a revision published from git (ref: v1): a redline page;
  s05  Japanese only;
  s20  no `catalogs` in service.yaml: it uses every catalog (the
       contract's default) but its markers name ISO/IEC 27017 only, so
       its cover and card show that badge alone, and its ISO/IEC
       27001:2022 column is covered through the mapping only;

and the others answering different shares of the ISO/IEC 27017 controls.
STAGE 1 writes s04 as it was at tag v1, STAGE 2 the tree of today (the
test commits stage 1, tags it v1, then writes stage 2 over it).
Deterministic: no clock, no randomness."""

import os
import re
import shutil
import sys
import xml.etree.ElementTree as ET

NS = "{http://csrc.nist.gov/ns/oscal/1.0}"

# id, style, Japanese name, English name, short names (ja, en)
SERVICES = [
    ("s01", "idcf", "仮想サーバー", "Virtual Servers", "仮想サーバー", "VS"),
    ("s02", "fjcloud", "セキュリティサービスのご案内",
     "Security Services at a Glance", "ご案内", "Guide"),
    ("s03", "idcf", "ブロックストレージ", "Block Storage", "ブロック",
     "Block"),
    ("s04", "cps-vm", "オブジェクトストレージ", "Object Storage",
     "オブジェクト", "Object"),
    ("s05", "fjcloud", "ファイルストレージ", "File Storage", "ファイル",
     "File"),
    ("s06", "idcf", "ロードバランサー", "Load Balancers", "LB", "LB"),
    ("s07", "cps-vm", "DNS サービス", "DNS Service", "DNS", "DNS"),
    ("s08", "fjcloud", "コンテンツ配信", "Content Delivery", "CDN", "CDN"),
    ("s09", "idcf", "リレーショナルデータベース", "Relational Databases",
     "RDB", "RDB"),
    ("s10", "cps-vm", "インメモリキャッシュ", "In-Memory Cache",
     "キャッシュ", "Cache"),
    ("s11", "fjcloud", "メッセージキュー", "Message Queues", "キュー",
     "Queue"),
    ("s12", "idcf", "コンテナ実行基盤", "Container Platform", "コンテナ",
     "Containers"),
    ("s13", "cps-vm", "関数実行サービス", "Functions", "関数",
     "Functions"),
    ("s14", "fjcloud", "監視サービス", "Monitoring", "監視", "Monitoring"),
    ("s15", "idcf", "ログ管理", "Log Management", "ログ", "Logs"),
    ("s16", "cps-vm", "バックアップ", "Backup", "バックアップ", "Backup"),
    ("s17", "fjcloud", "ID 管理", "Identity Management", "ID", "Identity"),
    ("s18", "idcf", "鍵管理サービス", "Key Management", "鍵管理", "Keys"),
    ("s19", "cps-vm", "VPN 接続", "VPN Connections", "VPN", "VPN"),
    ("s20", "fjcloud", "専用線接続", "Dedicated Lines", "専用線",
     "Lines"),
]

PROVIDER_JA = "株式会社コーパス・クラウド"
PROVIDER_EN = "Corpus Cloud Co., Ltd."


def controls(catalogs):
    """(label, chapter label, chapter title ja, chapter title en) of every
    ISO/IEC 27017 control, in catalog order."""
    out = []
    trees = {}
    for lang in ("ja", "en"):
        trees[lang] = ET.parse(os.path.join(
            catalogs, "iso27017-2015.%s.xml" % lang)).getroot()
    en_titles = {}
    for g in trees["en"].iter(NS + "group"):
        en_titles[g.get("id")] = g.findtext(NS + "title")
    for top in trees["ja"].findall(NS + "group"):
        chapter = top.find(NS + "prop[@name='label']").get("value")
        for c in top.iter(NS + "control"):
            label = c.find(NS + "prop[@name='label']").get("value")
            out.append((label, chapter, top.findtext(NS + "title"),
                        en_titles[top.get("id")]))
    return out


def answered(index, ctls):
    """The controls service number index answers: a different share for
    each (every one for s01, about a third for s20)."""
    if index == 1:
        return ctls
    keep = []
    for k, c in enumerate(ctls):
        if (k * 7 + index * 3) % 20 < 20 - (index * 13) // 20:
            keep.append(c)
    return keep


def yaml_text(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def service_yaml(sid, style, ja, en, short_ja, short_en, langs, stage):
    def loc(tja, ten):
        if "en" in langs:
            return "{ja: %s, en: %s}" % (yaml_text(tja), yaml_text(ten))
        return "{ja: %s}" % yaml_text(tja)

    def loc_list(tja, ten):
        if "en" in langs:
            return "{ja: [%s], en: [%s]}" % (yaml_text(tja), yaml_text(ten))
        return "{ja: [%s]}" % yaml_text(tja)

    if sid == "s02":
        title = loc("コーパス・クラウド " + ja, "Corpus Cloud " + en)
    else:
        title = loc("コーパス・クラウド %s セキュリティホワイトペーパー" % ja,
                    "Corpus Cloud %s Security Whitepaper" % en)
    lines = [
        "style: %s" % style,
        "languages: [%s]" % ", ".join(langs),
        "title: " + title,
        "short_title: " + loc(short_ja, short_en),
        "provider: " + loc(PROVIDER_JA, PROVIDER_EN),
        "copyright: " + loc("© 2024-2026 " + PROVIDER_JA,
                            "© 2024-2026 " + PROVIDER_EN),
        "description: " + loc("%s の情報セキュリティ対策をご説明します。" % ja,
                              "How %s protects your data." % en),
    ]
    if sid not in ("s02", "s20"):
        lines.append("catalogs: [iso27017-2015, iso27001-2022]")
    lines += [
        "revisions:",
        '  - version: "1.0"',
        "    label: " + loc("初版", "First edition"),
        "    date: 2024-04-01",
        "    changes: " + loc_list("初版発行", "First edition"),
    ]
    if sid == "s04" and stage == 2:
        lines.append("    ref: v1")
    if sid != "s04" or stage == 2:
        lines += [
            '  - version: "2.0"',
            "    date: 2025-10-01",
            "    changes: " + loc_list("記述を全般に見直し",
                                       "Revised throughout"),
        ]
    return "\n".join(lines) + "\n"


def intro(lang, name, chapter="1"):
    if lang == "ja":
        return ("# %s. はじめに\n\n## %s.1 本書の目的\n\n"
                "本書は、%s の情報セキュリティへの取り組みをご説明するものです。"
                "詳しくは https://www.example.com/corpus-cloud/security/"
                "whitepapers/terms-of-service-and-service-level-agreement."
                "html をご覧ください。\n\n" % (chapter, chapter, name))
    return ("# %s. Introduction\n\n## %s.1 Purpose of this document\n\n"
            "This document explains how %s protects your information. "
            "See https://www.example.com/corpus-cloud/security/whitepapers/"
            "terms-of-service-and-service-level-agreement.html for the "
            "terms.\n\n" % (chapter, chapter, name))


def control_text(lang, label, stage):
    if lang == "ja":
        s = ("当社は管理策 %s に沿って、手順を定め、年 1 回見直しています。"
             "お客様には、利用者の権限を定期的に確認していただくことをお勧めします。\n"
             % label)
        if stage == 2:
            s += "\n見直しの結果はお客様ポータルでお知らせします。\n"
        return s
    return ("We follow control %s with a written procedure, reviewed every "
            "year. We recommend that you review your users' rights "
            "regularly.\n" % label)


def one_per_control(lang, name, ctls, deep, stage):
    """idcf and cps-vm: a section per control under its chapter; deep:
    chapter, part (one per ISO chapter), controls three levels down."""
    out = [intro(lang, name)]
    if deep:
        out.append("# 2. %s\n\n" % ("管理策の実施状況" if lang == "ja" else
                                     "Implementation of the controls"))
    last = None
    part = 0
    for label, chapter, tja, ten in ctls:
        if chapter != last:
            last = chapter
            part += 1
            title = tja if lang == "ja" else ten
            if deep:
                out.append("## 2.%d %s\n\n" % (part, title))
            else:
                out.append("# %s %s\n\n" % (chapter if chapter[0].isdigit()
                                            else str(part + 1), title))
        out.append("%s <ISO/IEC 27017 %s>\n\n" % ("###" if deep else "##",
                                                   label))
        out.append(control_text(lang, label, stage) + "\n")
    return "".join(out)


def narrative(lang, name, ctls, stage):
    """fjcloud: chapters of sections, each with the controls it answers
    in a marker paragraph."""
    out = [intro(lang, name)]
    chapters = []
    for c in ctls:
        if not chapters or chapters[-1][0] != c[1]:
            chapters.append((c[1], c[2], c[3], []))
        chapters[-1][3].append(c[0])
    for n, (chapter, tja, ten, labels) in enumerate(chapters):
        out.append("# %d. %s\n\n" % (n + 2, tja if lang == "ja" else ten))
        for k in range(0, len(labels), 3):
            group = labels[k:k + 3]
            out.append("## %d.%d %s\n\n<ISO/IEC 27017 %s>\n\n" % (
                n + 2, k // 3 + 1, ("取り組み" if lang == "ja" else
                                    "What we do"), ", ".join(group)))
            out.append(control_text(lang, group[0], stage) + "\n")
    return "".join(out)


def overview(lang, name):
    if lang == "ja":
        return ("# 1. 概要\n\n%s の概要です。\n\n# 2. 提供するサービス\n\n"
                "## 2.1 暗号化\n\n保存データを暗号化します。\n\n"
                "## 2.2 監視\n\n24 時間監視しています。\n" % name)
    return ("# 1. Overview\n\nAn overview of %s.\n\n# 2. Services\n\n"
            "## 2.1 Encryption\n\nData at rest is encrypted.\n\n"
            "## 2.2 Monitoring\n\nWe watch around the clock.\n" % name)


def body(i, sid, style, lang, name, ctls, stage):
    if sid == "s02":
        return overview(lang, name)
    mine = answered(i, ctls)
    if style == "fjcloud":
        return narrative(lang, name, mine, stage)
    return one_per_control(lang, name, mine, sid == "s01", stage)


def first_fifth(text):
    """The first 20% of the sections of a Markdown text (whole sections,
    cut before a heading)."""
    starts = [m.start() for m in re.finditer(r"(?m)^#+ ", text)]
    keep = len(starts) // 5
    return text[:starts[keep]] if keep < len(starts) else text


def main():
    catalogs, out, stage = sys.argv[1], sys.argv[2], int(sys.argv[3])
    ctls = controls(catalogs)
    os.makedirs(os.path.join(out, "catalogs"), exist_ok=True)
    for f in sorted(os.listdir(catalogs)):
        if f.endswith(".xml"):
            shutil.copyfile(os.path.join(catalogs, f),
                            os.path.join(out, "catalogs", f))
    for i, (sid, style, ja, en, sja, sen) in enumerate(SERVICES, 1):
        langs = ["ja"] if sid == "s05" else ["ja", "en"]
        d = os.path.join(out, sid)
        for lang in langs:
            os.makedirs(os.path.join(d, lang), exist_ok=True)
            text = body(i, sid, style, lang, ja if lang == "ja" else en,
                        ctls, stage)
            if sid == "s03" and lang == "en":
                text = first_fifth(text)
            with open(os.path.join(d, lang, "01-body.md"), "w",
                      encoding="utf-8") as f:
                f.write(text)
        with open(os.path.join(d, "service.yaml"), "w",
                  encoding="utf-8") as f:
            f.write(service_yaml(sid, style, ja, en, sja, sen, langs,
                                 stage))


main()
