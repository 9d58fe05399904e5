"""Pure scoring of predicted attributions against gold ones (quotes and claims alike).

A unit is a set of character offsets: the union of its spans with white space, quotation
marks and the punctuation at each fragment's edges removed, so that `"Yes," he said` and
`Yes` compare equal. Matching is greedy and one-to-one by |gold & pred| / |gold|.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

Span = tuple[int, int]

QUOTE_MARKS = frozenset('"“”„‟«»‹›`')


@dataclass(frozen=True)
class Unit:
    """One gold or predicted attribution reduced to what is scored."""

    chars: frozenset[int]
    speaker: tuple[Span, ...] = ()  # gold: the Source spans; prediction: the mention span


@dataclass(frozen=True)
class Counts:
    """Raw counts for one track at one threshold, summable over documents."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    speaker_ok: int = 0  # matched pairs whose speaker is right

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.tp + other.tp,
            self.fp + other.fp,
            self.fn + other.fn,
            self.speaker_ok + other.speaker_ok,
        )


@dataclass(frozen=True)
class Cell:
    """Figures reported for one track at one threshold."""

    p: float
    r: float
    f1: float
    tp: int
    fp: int
    fn: int
    speaker_acc: float
    e2e_f1: float


def _is_mark(text: str, i: int) -> bool:
    c = text[i]
    if c in QUOTE_MARKS:
        return True
    # the doubled apostrophe some newsrooms print for a double quotation mark
    return c == "'" and (text[i - 1 : i] == "'" or text[i + 1 : i + 2] == "'")


def _is_edge_punct(c: str) -> bool:
    return unicodedata.category(c)[0] == "P" or c in "'’‘"


def unit_chars(text: str, spans: Iterable[Span]) -> frozenset[int]:
    """The scored characters of ``spans``: no white space, quote marks or edge punctuation."""
    out: set[int] = set()
    for start, end in spans:
        start, end = max(0, start), min(len(text), end)
        idx = [i for i in range(start, end) if not text[i].isspace() and not _is_mark(text, i)]
        lo, hi = 0, len(idx)
        while lo < hi and _is_edge_punct(text[idx[lo]]):
            lo += 1
        while hi > lo and _is_edge_punct(text[idx[hi - 1]]):
            hi -= 1
        out.update(idx[lo:hi])
    return frozenset(out)


def speaker_right(pred: Sequence[Span], gold: Sequence[Span]) -> bool:
    """A predicted mention is right when it overlaps a gold Source span (or both are absent)."""
    if not gold:
        return not pred
    return any(ps < ge and gs < pe for ps, pe in pred for gs, ge in gold)


def match(
    gold: Sequence[Unit], pred: Sequence[Unit], threshold: float, strict: bool = True
) -> list[tuple[int, int]]:
    """Greedy one-to-one matching; returns (gold index, pred index) pairs.

    A pair qualifies when |g & p| / |g| >= ``threshold`` and, if ``strict``, at least half
    of the prediction's characters lie inside the gold unit (so an over-long prediction
    does not match). Pairs are taken by decreasing score.
    """
    candidates = []
    for gi, g in enumerate(gold):
        if not g.chars:
            continue
        for pi, p in enumerate(pred):
            if not p.chars:
                continue
            inter = len(g.chars & p.chars)
            if not inter:
                continue
            score = inter / len(g.chars)
            if score + 1e-9 < threshold:
                continue
            if strict and inter / len(p.chars) < 0.5:
                continue
            candidates.append((-score, -inter / len(p.chars), gi, pi))
    candidates.sort()
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for _, _, gi, pi in candidates:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        pairs.append((gi, pi))
    return pairs


def score_doc(
    gold: Sequence[Unit],
    pred: Sequence[Unit],
    other: Sequence[Unit],
    threshold: float,
    strict: bool = True,
) -> Counts:
    """Count one document of one track.

    ``other`` holds the gold attributions outside this track: an unmatched prediction lying
    at least half inside one of them counts neither as a false positive nor at all.
    """
    pred = [p for p in pred if p.chars]
    pairs = match(gold, pred, threshold, strict)
    matched = {pi for _, pi in pairs}
    fp = 0
    for pi, p in enumerate(pred):
        if pi in matched:
            continue
        if any(len(p.chars & o.chars) / len(p.chars) >= 0.5 for o in other):
            continue
        fp += 1
    n_gold = sum(1 for g in gold if g.chars)
    ok = sum(speaker_right(pred[pi].speaker, gold[gi].speaker) for gi, pi in pairs)
    return Counts(tp=len(pairs), fp=fp, fn=n_gold - len(pairs), speaker_ok=ok)


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def summarise(c: Counts) -> Cell:
    """Precision, recall, F1, speaker accuracy over matches and end-to-end F1."""
    p = c.tp / (c.tp + c.fp) if c.tp + c.fp else 0.0
    r = c.tp / (c.tp + c.fn) if c.tp + c.fn else 0.0
    # end to end: a true positive also needs the right speaker
    ep = c.speaker_ok / (c.tp + c.fp) if c.tp + c.fp else 0.0
    er = c.speaker_ok / (c.tp + c.fn) if c.tp + c.fn else 0.0
    return Cell(
        p=round(p, 4),
        r=round(r, 4),
        f1=round(_f1(p, r), 4),
        tp=c.tp,
        fp=c.fp,
        fn=c.fn,
        speaker_acc=round(c.speaker_ok / c.tp, 4) if c.tp else 0.0,
        e2e_f1=round(_f1(ep, er), 4),
    )
