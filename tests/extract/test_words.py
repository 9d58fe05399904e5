"""Word counts fair to scripts written without spaces."""

from __future__ import annotations

import pytest

from newsetl.extract.words import count_words


@pytest.mark.parametrize(("text", "words"), [
    ("The harbour authority said on Monday that the wall is late.", 11),
    ("Der Wellenbrecher wird ein Jahr später fertig.", 7),
    ("항만청은 새 방파제의 완공이 늦어질 것이라고 밝혔다.", 7),  # Korean puts spaces between words
    # Japanese and Chinese: two characters a word; punctuation is not a word
    ("港湾局は防波堤の完成が遅れると発表した。", 10),
    ("港务局宣布防波堤推迟完工。", 6),
    # embedded Latin words and numbers count as words of their own
    ("ＡＩを使った新しい検査はGPS 2台で行う。", 10),
    # Thai writes no spaces between words, only between phrases
    ("ฝนตกหนักในกรุงเทพฯเมื่อคืนนี้", 8),
])
def test_count_words(text: str, words: int) -> None:
    assert count_words(text) == words


def test_spaced_text_counts_as_it_always_did() -> None:
    text = "A dash - and a number 42, counted as before."
    assert count_words(text) == len(text.split())
