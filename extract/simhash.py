"""Simhash fingerprints for near-duplicate articles (Charikar 2002, as Google's crawler used it)."""

from __future__ import annotations

import hashlib
import re

_WORD = re.compile(r"\w+", re.UNICODE)
BITS = 64


def simhash(text: str, shingle: int = 3) -> int:
    """A 64-bit fingerprint of ``text``: near-identical texts differ in a few bits.

    Words are lower-cased and taken in overlapping runs of ``shingle``; the result is a
    signed 64-bit integer, as DuckDB's BIGINT holds it.
    """
    words = _WORD.findall(text.lower())
    grams = [" ".join(words[i:i + shingle]) for i in range(max(len(words) - shingle + 1, 1))]
    weights = [0] * BITS
    for gram in grams:
        value = int.from_bytes(hashlib.blake2b(gram.encode("utf-8"), digest_size=8).digest(), "big")
        for bit in range(BITS):
            weights[bit] += 1 if value >> bit & 1 else -1
    result = sum(1 << bit for bit in range(BITS) if weights[bit] > 0)
    return result - (1 << BITS) if result >= 1 << (BITS - 1) else result


def distance(a: int, b: int) -> int:
    """How many bits two fingerprints differ in."""
    return bin((a ^ b) & ((1 << BITS) - 1)).count("1")
