"""The wrong and missed resolved sources of a predictions file, grouped by kind of error.

    python -m bench.resolved_errors --polnear ../shared/data/polnear --predictions FILE
        [--split dev] [--block named_quote|named_claim|anonymous] [--kind KIND] [--examples N]

``FILE`` is what ``python -m bench.attribution --predictions FILE`` writes. Each gold item of
the resolution gold (``bench.resolved``) that is not right is judged by the prediction that
``bench.resolved`` scores it with, and put in one kind:

- ``missed``: no quote or claim covers its content;
- ``no_mention``: the prediction has no source mention;
- ``other_mention``: the mention found does not overlap the gold source (mention selection);
- ``pronoun``: the mention is a pronoun (he, she, they, it, who, I, we...) resolved wrongly;
- ``name_lost``: the mention holds a word of the gold name but resolves to no name;
- ``named_anonymous``: the gold is unnamed, the prediction names someone;
- ``family``: the right surname, another first name (namesakes, family members);
- ``partial``: a shorter or longer form of the gold name (fullest name, coordination);
- ``descriptor``: the mention is a description (a role, a group, a document) resolved wrongly;
- ``junk``: the mention holds the name, resolved to a wrong one (junk names, mis-split names).

Prints counts per block and kind, then examples of the chosen kind(s).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench import resolved
from bench.polnear import CorpusMissing, read_split

_PRONOUNS = frozenset(
    "he him his she her they them their it its who whom whose which that i we me us our "
    "my you".split()
)
KINDS = ("missed", "no_mention", "other_mention", "pronoun", "name_lost", "named_anonymous",
         "family", "partial", "descriptor", "junk")


@dataclass(frozen=True)
class Error:
    """One gold item that is not right, with what was predicted for it."""

    doc: str
    block: str
    kind: str
    gold: str | None
    gold_type: str
    source_text: str
    mention: str | None
    name: str | None
    type: str | None
    content: str


def _words(name: str | None) -> set[str]:
    return {w for k in resolved.name_key(name or "") for w in k.split()}


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def kind_of(gold: str | None, source_text: str, source_span: tuple[int, int],
            pred: dict | None, mention: str | None) -> str:
    """The kind of a wrong resolution (see the module's docstring)."""
    if pred is None:
        return "missed"
    span = pred.get("span")
    if not span:
        return "no_mention"
    if not _overlaps(tuple(span), source_span):
        return "other_mention"
    low = (mention or "").strip().lower()
    if low in _PRONOUNS or low.split()[:1] and low.split()[0] in ("who", "which"):
        return "pronoun"
    if gold is None:
        return "named_anonymous"
    gold_words = _words(gold)
    mention_words = {w.strip(".,'’s").lower() for w in (mention or "").split()}
    if pred.get("name") is None or not resolved.name_key(pred["name"]):
        return "name_lost" if gold_words & mention_words else "descriptor"
    got = _words(pred["name"])
    gold_keys, got_keys = resolved.name_key(gold), resolved.name_key(pred["name"])
    if len(gold_keys) == 1 and len(got_keys) == 1:
        g, p = next(iter(gold_keys)).split(), next(iter(got_keys)).split()
        if g[-1] == p[-1] and len(g) > 1 and len(p) > 1:
            return "family"
    if got and gold_words and (got <= gold_words or gold_words <= got):
        return "partial"
    if not gold_words & mention_words:
        return "descriptor"
    return "junk"


def find_errors(polnear: Path, split: str, predictions: Path,
                gold_dir: Path | None = None) -> list[Error]:
    """Every gold item of the split not resolved right by the predictions."""
    gold_dir = gold_dir or polnear.parent / "polnear-resolved" / split
    by_doc = {p["doc"]: p for p in map(json.loads, predictions.read_text("utf-8").splitlines())}
    out = []
    for doc in read_split(polnear, split):
        path = gold_dir / f"{doc.name}.json"
        if not path.is_file():
            continue
        pred = by_doc.get(doc.name, {"quotes": [], "claims": []})
        items = json.loads(path.read_text("utf-8"))["items"]
        golds = resolved.read_gold(path, doc.text, [a.content for a in doc.attributions],
                                   [a.source for a in doc.attributions])
        preds = resolved.pred_sources(doc.text, pred)
        # the same predictions with their mention spans, in pred_sources' order
        spans = [q.get("speaker_span") for q in pred.get("quotes", [])] + \
                [c.get("source_span") for c in pred.get("claims", [])]
        for item, g in zip(items, golds, strict=True):
            p = resolved.best_cover(g, preds)
            if p is not None and resolved.source_right(g, p):
                continue
            k = next(i for i, x in enumerate(preds) if x is p) if p is not None else None
            span = spans[k] if k is not None else None
            mention = doc.text[span[0]:span[1]] if span else None
            judged = None if p is None else {"name": p.name, "type": p.type, "span": span}
            content = doc.text[min(g.chars):min(g.chars) + 80] if g.chars else ""
            out.append(Error(doc.name, g.block,
                             kind_of(g.resolved, item["source_text"], tuple(item["source_span"]),
                                     judged, mention),
                             g.resolved, g.type, item["source_text"], mention,
                             p.name if p else None, p.type if p else None,
                             content.replace("\n", " ")))
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """Print the error counts by block and kind, and examples."""
    parser = argparse.ArgumentParser(prog="python -m bench.resolved_errors", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--polnear", type=Path, required=True)
    parser.add_argument("--split", default="dev")
    parser.add_argument("--predictions", type=Path, required=True)
    parser.add_argument("--block", choices=resolved.BLOCKS, action="append")
    parser.add_argument("--kind", choices=KINDS, action="append")
    parser.add_argument("--examples", type=int, default=0,
                        help="print up to N examples of each kind shown")
    args = parser.parse_args(argv)
    try:
        errors = find_errors(args.polnear, args.split, args.predictions)
    except (CorpusMissing, FileNotFoundError, resolved.GoldMismatch) as error:
        print(f"Error: {error}", file=sys.stderr)
        return 2
    blocks = args.block or list(resolved.BLOCKS)
    counts = Counter((e.block, e.kind) for e in errors)
    print(f"{'kind':<18}" + "".join(f"{b:>14}" for b in blocks))
    for kind in KINDS:
        row = [counts[(b, kind)] for b in blocks]
        if any(row):
            print(f"{kind:<18}" + "".join(f"{n:>14}" for n in row))
    print(f"{'total':<18}" + "".join(
        f"{sum(counts[(b, k)] for k in KINDS):>14}" for b in blocks))
    for kind in args.kind or (KINDS if args.examples else ()):
        shown = [e for e in errors if e.kind == kind and e.block in blocks][: args.examples or 20]
        if not shown:
            continue
        print(f"\n== {kind}")
        for e in shown:
            print(f"{e.doc} [{e.block}] source {e.source_text!r} -> gold {e.gold!r} "
                  f"({e.gold_type}); mention {e.mention!r} -> {e.name!r} ({e.type})"
                  f"  | {e.content[:60]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
