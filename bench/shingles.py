"""The article-extraction benchmark's body metric: 4-token shingles, macro P/R, F1 of the means.

As ``shared/data/article-extraction-benchmark/README.md`` describes upstream's ``evaluate.py``:
tokens are maximal ``\\w+`` runs (no lower-casing), shingles are 4-token windows counted as a
bag, per-document precision and recall are averaged over the documents where they are
defined, and F1 is the harmonic mean of the two averages.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

_TOKEN = re.compile(r"\w+")
SHINGLE = 4


def shingles(text: str) -> Counter[tuple[str, ...]]:
    """The bag of 4-token shingles of ``text`` (one shingle of all tokens if fewer)."""
    tokens = _TOKEN.findall(text)
    if not tokens:
        return Counter()
    if len(tokens) < SHINGLE:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i:i + SHINGLE]) for i in range(len(tokens) - SHINGLE + 1))


@dataclass(frozen=True)
class DocScore:
    """One document's shingle counts and what they make of precision and recall."""

    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float | None:
        """TP / (TP + FP); 1 when both texts agree; None when nothing was predicted."""
        if self.fp == self.fn == 0:
            return 1.0
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        """TP / (TP + FN); 1 when both texts agree; None when the gold text is empty."""
        if self.fp == self.fn == 0:
            return 1.0
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None


def score_text(gold: str, predicted: str) -> DocScore:
    """Shingle counts of one predicted body against its gold body."""
    g, p = shingles(gold), shingles(predicted)
    tp = sum(min(n, p[s]) for s, n in g.items())
    return DocScore(tp=tp, fp=sum(p.values()) - tp, fn=sum(g.values()) - tp)


@dataclass(frozen=True)
class CorpusScore:
    """Macro precision and recall over documents, and the F1 of the two."""

    precision: float
    recall: float
    f1: float
    docs: int


def score_corpus(scores: Iterable[DocScore]) -> CorpusScore:
    """Average per-document precision and recall where defined; F1 of the averages.

    A document with an empty prediction is left out of precision but scores 0 recall."""
    scores = list(scores)
    ps = [s.precision or 0.0 for s in scores if s.tp + s.fp]
    rs = [s.recall or 0.0 for s in scores if s.tp + s.fn]
    p = sum(ps) / len(ps) if ps else 0.0
    r = sum(rs) / len(rs) if rs else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return CorpusScore(precision=p, recall=r, f1=f1, docs=len(scores))
