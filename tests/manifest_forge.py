#!/usr/bin/env python3
"""tests/manifest_forge.py MANIFEST SERVICE LANG: makes the summary of an
edition in out/'s store of summaries (.wpgen-store, beside the manifest)
unreadable (its `translated` number replaced by as many x's) while the
manifest's `sumat` record of it keeps the digest of its bytes right
(manifest.c's digest, written again here), as only a forged manifest
could: what a build cannot tell by digest.  Exits 1 when the edition or
its number is not there."""
import os
import re
import sys

M = (1 << 64) - 1


def rotl(x, r):
    return ((x << r) | (x >> (64 - r))) & M


def digest(data):
    n = len(data)
    K = 0x9e3779b97f4a7c15
    # 32 bytes or more: four lanes begun without the length, a 32-byte
    # block at a time, word k into lane k; the words left, then the
    # last bytes, into lane 0; lanes 1-3 folded into it, then the
    # length (manifest.c).  Less: lane 0 begun with the length.
    if n >= 32:
        a = [(0x9e3779b97f4a7c15 + k * K) & M for k in range(4)]
        b = [(0xc2b2ae3d27d4eb4f - k * K) & M for k in range(4)]
    else:
        a = [0x9e3779b97f4a7c15 ^ n]
        b = [(0xc2b2ae3d27d4eb4f + n) & M]

    def rnd(k, w):
        a[k] = rotl(((a[k] ^ w) * 0x87c37b91114253d5) & M, 31)
        b[k] = rotl(((b[k] + w) * 0x4cf5ad432745937f) & M, 27) ^ a[k]

    full = n - n % 32
    for i in range(0, full, 8):
        rnd(i // 8 % 4, int.from_bytes(data[i:i + 8], "little"))
    words = full + (n - full) // 8 * 8
    for i in range(full, words, 8):
        rnd(0, int.from_bytes(data[i:i + 8], "little"))
    w = 0
    for c in data[words:]:
        w = (w << 8) | c
    rnd(0, w)
    if n >= 32:
        for k in range(1, 4):
            rnd(0, a[k])
            rnd(0, b[k])
        rnd(0, n)
    a, b = a[0], b[0]
    a ^= a >> 33
    a = (a * 0xff51afd7ed558ccd) & M
    a ^= a >> 33
    b ^= b >> 29
    b = (b * 0xc4ceb9fe1a85ec53) & M
    b ^= b >> 32
    return b"%016x%016x" % (a, b)


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
open(store_path, "wb").write(store)
open(path, "wb").write(text)
