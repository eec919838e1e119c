#!/usr/bin/env python3
"""tests/manifest_seal.py MANIFEST: seals out/'s manifest again after a
test changed its records on purpose: its last line, `end` and the digest
of every byte before it (manifest.c), made for the bytes it has now, as
only wpgen or a forger could.  A test that changes a record to see what
the build makes of that record must seal it again: unsealed, the
manifest is not read at all (a full build).  Exits 1 when its last line
is no seal.  digest() is manifest.c's digest, for tests/manifest_forge.py
too."""
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


def seal(text):
    """text (bytes) with its seal made again, or None when its last line
    is no seal."""
    m = re.search(rb"\nend\t[0-9a-f]{32}\n\Z", text)
    if m is None:
        return None
    body = text[:m.start() + 1]
    return body + b"end\t" + digest(body) + b"\n"


if __name__ == "__main__":
    path = sys.argv[1]
    sealed = seal(open(path, "rb").read())
    if sealed is None:
        sys.exit(1)
    open(path, "wb").write(sealed)
