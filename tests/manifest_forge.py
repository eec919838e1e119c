#!/usr/bin/env python3
"""tests/manifest_forge.py MANIFEST SERVICE LANG: makes the summary of an
edition in out/'s store of summaries (.wpgen-store, beside the manifest)
unreadable (its `translated` number replaced by as many x's) while the
manifest's `sumat` record of it keeps the digest of its bytes right
(manifest.c's digest, written again here, and the manifest sealed
again: tests/manifest_seal.py), as only a forged manifest could: what
a build cannot tell by digest.  Exits 1 when the edition or its number
is not there."""
import os
import re
import sys

from manifest_seal import digest, seal

path, service, lang = sys.argv[1], sys.argv[2].encode(), sys.argv[3].encode()
store_path = os.path.join(os.path.dirname(path), ".wpgen-store")
text = bytearray(open(path, "rb").read())
store = bytearray(open(store_path, "rb").read())
rec = re.search(rb"\nedition\t" + re.escape(service) + rb"\t" + re.escape(lang) +
                rb"\t[0-9a-f]{32}\n(?:(?!edition\t)[^\n]*\n)*?sumat\t(\d+)\t(\d+)\t([0-9a-f]{32})\n",
                text)
if rec is None:
    sys.exit(1)
at, n = int(rec.group(1)), int(rec.group(2))
summary = store[at:at + n]
num = re.search(rb"\nsum\ttranslated\t(\d+)\n", summary)
if num is None or digest(bytes(summary)) != rec.group(3):
    sys.exit(1)
summary[num.start(1):num.end(1)] = b"x" * (num.end(1) - num.start(1))
store[at:at + n] = summary
text[rec.start(3):rec.end(3)] = digest(bytes(summary))
text = seal(bytes(text))
if text is None:
    sys.exit(1)
open(store_path, "wb").write(store)
open(path, "wb").write(text)
