#!/usr/bin/env python3
# bench/controls.py: writes the services of a benchmark corpus shaped like
# the one the build engine issue was measured on: every edition answers
# every control of ISO/IEC 27017:2015 (121 of them, the CLD controls
# included) in a section of its own, in catalog order, in Japanese and in
# English, with about 1 kB of English text and 1.3 kB of Japanese a control (about 140 kB a
# language, 57 MB of Markdown for 200 services).
#
#   bench/controls.py REPO COUNT DIR
#
# REPO is the repository (its content/ gives the catalogs, the text and
# service.yaml to vary); DIR gets svc0001-controls ... svcCOUNT-controls,
# each with service.yaml, ja/ and en/ (one file a chapter of the catalog).
# The text is the samples' own answers to controls (content/minato-27017
# and content/kirishima-vm, paragraphs paired across the two languages),
# drawn for each control by a generator seeded with the service and the
# control, so the corpus is the same on every run.  bench/corpus.sh calls
# it and then accepts the translations.  Deterministic; no network.

import os
import random
import re
import sys
import xml.etree.ElementTree as ET

NS = "{http://csrc.nist.gov/ns/oscal/1.0}"
TARGET_BYTES = 800      # English text a control, at least (the corpus)
SAMPLES = ("minato-27017", "kirishima-vm")


def label(node):
    for prop in node.findall(NS + "prop"):
        if prop.get("name") == "label":
            return prop.get("value")
    return None


def chapters(catalog_path):
    """[(number, title, [control labels in catalog order])] for one language."""
    root = ET.parse(catalog_path).getroot()
    result = []
    for group in root.findall(NS + "group"):
        labels = [label(c) for c in group.iter(NS + "control")]
        result.append((label(group), group.find(NS + "title").text, labels))
    return result


def sections(path):
    """{heading: [paragraph, ...]} for the '## ' sections of a file."""
    text = open(path, encoding="utf-8").read()
    result = {}
    for part in re.split(r"^## ", text, flags=re.M)[1:]:
        heading, _, body = part.partition("\n")
        paras = [p.strip("\n") for p in re.split(r"\n\s*\n", body)]
        result[heading.strip()] = [p for p in paras
                                   if p and not p.startswith("#")]
    return result


def paragraph_pairs(repo):
    """(en, ja) paragraphs of the samples' control sections, in pairs."""
    pairs = []
    for sample in SAMPLES:
        base = os.path.join(repo, "content", sample)
        for name in sorted(os.listdir(os.path.join(base, "en"))):
            en = sections(os.path.join(base, "en", name))
            ja_path = os.path.join(base, "ja", name)
            if not os.path.exists(ja_path):
                continue
            ja = sections(ja_path)
            for heading, en_paras in en.items():
                if not heading.startswith("<ISO/IEC 27017"):
                    continue
                ja_paras = ja.get(heading, [])
                if len(ja_paras) != len(en_paras):
                    continue
                for e, j in zip(en_paras, ja_paras):
                    # a paragraph that stands alone: no control
                    # statements, images or footnotes of its section
                    if not any(m in e + j for m in ("<ISO/IEC", "![", "[^")):
                        pairs.append((e, j))
    return pairs


def vary(text, sample_names, name):
    for old in sample_names:
        text = text.replace(old, name)
    return text


def answer(pairs, rng):
    """Paragraph pairs for one control: about TARGET_BYTES of English."""
    chosen = []
    size = 0
    while size < TARGET_BYTES:
        en, ja = pairs[rng.randrange(len(pairs))]
        if (en, ja) in chosen:
            continue
        chosen.append((en, ja))
        size += len(en.encode()) + 2
    return chosen


def write_service(repo, out, number, chapters_en, chapters_ja, pairs):
    tag = "%04d" % number
    name = "Hikari %s" % tag
    svc = os.path.join(out, "svc%s-controls" % tag)
    samples = ("Minato", "Kirishima")
    for lang in ("en", "ja"):
        os.makedirs(os.path.join(svc, lang))
    yaml = open(os.path.join(repo, "content", "minato-27017",
                             "service.yaml"), encoding="utf-8").read()
    with open(os.path.join(svc, "service.yaml"), "w", encoding="utf-8") as f:
        f.write(vary(yaml, samples, name))
    for lang in ("en", "ja"):
        intro = open(os.path.join(repo, "content", "minato-27017", lang,
                                  "01-introduction.md"),
                     encoding="utf-8").read()
        with open(os.path.join(svc, lang, "01-introduction.md"), "w",
                  encoding="utf-8") as f:
            f.write(vary(intro, samples, name))
    for (num, title_en, labels), (_, title_ja, _) in zip(chapters_en,
                                                        chapters_ja):
        files = {"en": ["# %s. %s\n" % (num, title_en)],
                 "ja": ["# %s. %s\n" % (num, title_ja)]}
        for control in labels:
            rng = random.Random("%s/%s" % (tag, control))
            for lang in ("en", "ja"):
                files[lang].append("\n## <ISO/IEC 27017 %s>\n" % control)
            for en, ja in answer(pairs, rng):
                files["en"].append("\n" + vary(en, samples, name) + "\n")
                files["ja"].append("\n" + vary(ja, samples, name) + "\n")
        for lang in ("en", "ja"):
            path = os.path.join(svc, lang, "%02d-chapter.md" % int(num))
            with open(path, "w", encoding="utf-8") as f:
                f.write("".join(files[lang]))


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: bench/controls.py REPO COUNT DIR")
    repo, count, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    catalogs = os.path.join(repo, "content", "catalogs")
    chapters_en = chapters(os.path.join(catalogs, "iso27017-2015.en.xml"))
    chapters_ja = chapters(os.path.join(catalogs, "iso27017-2015.ja.xml"))
    pairs = paragraph_pairs(repo)
    if len(pairs) < 20:
        sys.exit("bench/controls.py: too few paired paragraphs in the samples")
    for number in range(1, count + 1):
        write_service(repo, out, number, chapters_en, chapters_ja, pairs)


if __name__ == "__main__":
    main()
