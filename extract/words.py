"""Word counts fair to every script, spaced or not.

Most scripts put spaces between words, so a word is what lies between spaces. Chinese and
Japanese (Han, kana) and the Southeast Asian scripts (Thai, Lao, Khmer, Myanmar) write words
without spaces: there a run of characters is measured by its length, at the average word
length of those languages, so that 15 words ask about as much text of a Japanese page as of
an English one.
"""

from __future__ import annotations

import math
import re

CJK_CHARS_PER_WORD = 2
"""Chinese and Japanese words average under two characters (particles included)"""
SEA_CHARS_PER_WORD = 4
"""Thai, Lao, Khmer and Myanmar words average three to five code points (marks included)"""

_CJK = re.compile(
    "[\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f"
    "\U00020000-\U0003134f]"
)
_SEA = re.compile("[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff]")
_WORDLIKE = re.compile(r"\w")


def count_words(text: str) -> int:
    """The number of words in ``text``: space-separated words, plus runs of unspaced scripts
    counted at their languages' average word length (a word at least)."""
    cjk = len(_CJK.findall(text))
    sea = len(_SEA.findall(text))
    if not cjk and not sea:
        return len(text.split())
    spaced = _SEA.sub(" ", _CJK.sub(" ", text)).split()
    # what is left between the unspaced characters is punctuation or embedded Latin and digits
    words = sum(1 for token in spaced if _WORDLIKE.search(token))
    return words + math.ceil(cjk / CJK_CHARS_PER_WORD) + math.ceil(sea / SEA_CHARS_PER_WORD)
