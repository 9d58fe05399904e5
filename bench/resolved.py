"""Score resolved speakers and sources against the PolNeAR resolution gold.

The gold (``shared/data/polnear-resolved``, rules in its README and GUIDE) names, for each
PolNeAR attribution with a source span, the entity the source refers to (the fullest name
the article gives, or null for an unnamed person, group or document). The rules:

- a gold attribution is *found* when a prediction (quote or claim) covers at least 30% of
  its content characters, white space aside; the prediction covering most is the one judged;
- it is *right* when that prediction's resolved name names the same entity: case, dots,
  one-letter initials and a leading "the" ignored, "A; B" compared as a set of names;
- for a null gold, right when the prediction names nobody or types its source anonymous.

Three blocks: ``named_quote`` (gold direct or mixed content with a name), ``named_claim``
(indirect content with a name), ``anonymous`` (every null gold). Each reports gold, found,
right and right/gold.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

Span = tuple[int, int]

BLOCKS = ("named_quote", "named_claim", "anonymous")
FOUND_SHARE = 0.3
"""a prediction finds a gold attribution when it covers this share of its content"""


@dataclass(frozen=True)
class GoldSource:
    """One gold attribution with its resolved source."""

    kind: str  # direct, mixed or indirect (the content's quotation marks)
    chars: frozenset[int]
    resolved: str | None
    type: str

    @property
    def block(self) -> str:
        if self.resolved is None:
            return "anonymous"
        return "named_claim" if self.kind == "indirect" else "named_quote"


@dataclass(frozen=True)
class PredSource:
    """One predicted quote or claim: its content characters and resolved source."""

    chars: frozenset[int]
    name: str | None
    type: str | None


@dataclass(frozen=True)
class Tally:
    """Gold, found and right counts of one block, summable over documents."""

    gold: int = 0
    found: int = 0
    right: int = 0

    def __add__(self, other: Tally) -> Tally:
        return Tally(self.gold + other.gold, self.found + other.found, self.right + other.right)

    def summary(self) -> dict[str, Any]:
        rate = round(self.right / self.gold, 4) if self.gold else 0.0
        return {"gold": self.gold, "found": self.found, "right": self.right, "rate": rate}


class GoldMismatch(Exception):
    """A resolution gold file does not line up with the PolNeAR attributions it annotates."""


def content_chars(text: str, spans: Iterable[Span]) -> frozenset[int]:
    """The characters of ``spans`` that are not white space."""
    return frozenset(i for s, e in spans for i in range(max(0, s), min(len(text), e))
                     if not text[i].isspace())


_INITIAL = re.compile(r"^\w$")


def name_key(name: str) -> frozenset[str]:
    """A name (or "A; B") as a set of normalised names: lower case, no dots, no one-letter
    initials, no leading "the"."""
    out = set()
    for part in name.split(";"):
        words = part.replace(".", "").lower().split()
        if words and words[0] == "the":
            words = words[1:]
        words = [w for w in words if not _INITIAL.match(w)]
        if words:
            out.add(" ".join(words))
    return frozenset(out)


def source_right(gold: GoldSource, pred: PredSource) -> bool:
    """Whether a prediction's resolved source names the gold entity (or nobody, for null)."""
    if gold.resolved is None:
        return pred.name is None or not name_key(pred.name) or pred.type == "anonymous"
    if pred.name is None:
        return False
    return name_key(pred.name) == name_key(gold.resolved)


def best_cover(gold: GoldSource, preds: Sequence[PredSource]) -> PredSource | None:
    """The prediction covering most of the gold content, if it covers enough."""
    if not gold.chars:
        return None
    best, best_share = None, 0.0
    for p in preds:
        share = len(gold.chars & p.chars) / len(gold.chars)
        if share > best_share:
            best, best_share = p, share
    return best if best_share + 1e-9 >= FOUND_SHARE else None


def score_sources(gold: Sequence[GoldSource], preds: Sequence[PredSource]) -> dict[str, Tally]:
    """The three blocks' tallies for one document."""
    out = {b: Tally() for b in BLOCKS}
    for g in gold:
        p = best_cover(g, preds)
        out[g.block] += Tally(1, int(p is not None), int(p is not None and source_right(g, p)))
    return out


def read_gold(path: Path, text: str, contents: Sequence[Sequence[Span]],
              sources: Sequence[Sequence[Span]]) -> list[GoldSource]:
    """One document's gold from its JSON file; ``contents``/``sources`` are the content and
    source spans of its attributions with a content, in ``.ann`` order (as
    ``bench.polnear.parse_ann`` reads them).

    Raises:
        GoldMismatch: if an item's index or source span does not match the attributions.
    """
    data = json.loads(path.read_text(encoding="utf-8"))
    out = []
    for item in data["items"]:
        i = item["i"]
        if i >= len(contents) or tuple(item["source_span"]) not in {tuple(s) for s in sources[i]}:
            raise GoldMismatch(f"{path.name}: item {i} does not match the attribution's source "
                               f"span; is the gold for this PolNeAR release?")
        out.append(GoldSource(item["kind"], content_chars(text, contents[i]), item["resolved"],
                              item["type"]))
    return out


def pred_sources(text: str, pred: dict[str, Any]) -> list[PredSource]:
    """The quotes and claims of one ``--predictions`` line as scored predictions."""
    out = []
    for q in pred.get("quotes", []):
        out.append(PredSource(content_chars(text, [tuple(s) for s in q["spans"]]),
                              q.get("speaker"), q.get("speaker_type")))
    for c in pred.get("claims", []):
        out.append(PredSource(content_chars(text, [tuple(s) for s in c["spans"]]),
                              c.get("source"), c.get("source_type")))
    return out


def summarise(tallies: Iterable[dict[str, Tally]]) -> dict[str, Any]:
    """The ``resolved`` block: per block gold, found, right and rate."""
    total = {b: Tally() for b in BLOCKS}
    for t in tallies:
        for b in BLOCKS:
            total[b] += t[b]
    return {b: total[b].summary() for b in BLOCKS}
