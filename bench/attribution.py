"""Score the quote (and claim) extractors on PolNeAR.

    python -m bench.attribution --polnear ../shared/data/polnear --split dev [--json]
        [--predictions FILE] [--resolved DIR]

Gold quotes are attributions whose content holds a double quotation mark (direct: fully
quoted; direct+mixed: any), gold claims the others; one annotator per article. Span
scoring rules are in ``bench.scoring``. Where a resolution gold exists for the split
(``--resolved``, by default ``polnear-resolved`` beside the PolNeAR folder), the
``resolved`` block scores the resolved speakers and sources (``bench.resolved``). Timing
includes loading the model, in this one process.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench import resolved
from bench.polnear import CorpusMissing, Document, read_split
from bench.scoring import Counts, Unit, score_doc, summarise, unit_chars

TRACKS: dict[str, tuple[frozenset[str], tuple[float, ...]]] = {
    "quotes_direct": (frozenset({"direct"}), (0.3, 0.8, 1.0)),
    "quotes_direct_mixed": (frozenset({"direct", "mixed"}), (0.3, 0.8)),
    "claims": (frozenset({"indirect"}), (0.3, 0.5, 0.8)),
}

Prediction = dict[str, Any]  # {"doc", "quotes": [...], "claims": [...]}


def gold_units(doc: Document, kinds: frozenset[str]) -> tuple[list[Unit], list[Unit]]:
    """The gold units of one track and the gold attributions outside it."""
    inside, outside = [], []
    for a in doc.attributions:
        unit = Unit(unit_chars(doc.text, a.content), a.source)
        (inside if a.kind in kinds else outside).append(unit)
    return inside, outside


def pred_units(doc: Document, pred: Prediction, track: str) -> list[Unit]:
    """The predicted units of one track: quotes by kind, or claims."""
    if track == "claims":
        items = pred["claims"]
        key = "source_span"
    else:
        items = [
            q for q in pred["quotes"] if track == "quotes_direct_mixed" or q["kind"] == "direct"
        ]
        key = "speaker_span"
    out = []
    for item in items:
        spk = item.get(key)
        out.append(Unit(unit_chars(doc.text, [tuple(s) for s in item["spans"]]),
                        (tuple(spk),) if spk else ()))  # fmt: skip
    return out


def score(docs: Sequence[Document], preds: Sequence[Prediction]) -> dict[str, Any]:
    """All tracks at all thresholds, strict and loose; cells are ``Cell`` dicts."""
    out: dict[str, Any] = {}
    for track, (kinds, thresholds) in TRACKS.items():
        for strict in (True, False):
            cells = {}
            for th in thresholds:
                total = Counts()
                for doc, pred in zip(docs, preds, strict=True):
                    gold, other = gold_units(doc, kinds)
                    total += score_doc(gold, pred_units(doc, pred, track), other, th, strict)
                cells[str(th)] = vars(summarise(total))
            out[track if strict else f"{track}_loose"] = cells
    return out


def _span_list(spans: Any) -> list[list[int]]:
    return [list(s) for s in spans]


def _claim_dict(claim: Any) -> dict[str, Any]:
    get = claim.get if isinstance(claim, dict) else lambda k, d=None: getattr(claim, k, d)
    src = get("source_span") or get("speaker_span")
    return {
        "spans": _span_list(get("spans")),
        "source_span": list(src) if src else None,
        "source": get("source"),
        "source_type": get("source_type"),
        "confidence": get("confidence"),
    }


def _quote_dict(quote: Any) -> dict[str, Any]:
    return {
        "spans": _span_list(quote.spans),
        "speaker_span": list(quote.speaker_span) if quote.speaker_span else None,
        "kind": quote.kind,
        "speaker": quote.speaker,
        "speaker_type": getattr(quote, "speaker_type", None),
        "confidence": getattr(quote, "confidence", None),
    }


def predict(docs: Sequence[Document], quotes_only: bool = False) -> list[Prediction]:
    """Run the extractors over the raw texts, one parse per text; offsets are into each
    original ``.txt``. PolNeAR keeps only the outermost of nested attributions, so claims
    nested in another (with a parent) are not predicted."""
    from newsetl.extract.attribution import extract_attributions_many, extract_quotes_many

    texts = [d.text for d in docs]
    found: list[tuple[Sequence[Any], Sequence[Any]]]
    if quotes_only:  # the speed baseline: quotes alone, texts without marks not parsed
        found = [(qs, []) for qs in extract_quotes_many(texts)]
    else:
        found = [(a.quotes, a.claims) for a in extract_attributions_many(texts)]
    preds = []
    for doc, (qs, cs) in zip(docs, found, strict=True):
        claims = [_claim_dict(c) for c in cs if c.parent is None]
        preds.append(
            {
                "doc": doc.name,
                "quotes": [_quote_dict(q) for q in qs],
                "claims": claims,
            }
        )
    return preds


def score_resolved(docs: Sequence[Document], preds: Sequence[Prediction],
                   gold_dir: Path) -> dict[str, Any] | None:
    """The ``resolved`` block over the documents that have a resolution gold file, or None
    when none has."""
    tallies = []
    for doc, pred in zip(docs, preds, strict=True):
        path = gold_dir / f"{doc.name}.json"
        if not path.is_file():
            continue
        gold = resolved.read_gold(path, doc.text, [a.content for a in doc.attributions],
                                  [a.source for a in doc.attributions])
        tallies.append(resolved.score_sources(gold, resolved.pred_sources(doc.text, pred)))
    if not tallies:
        return None
    return {**resolved.summarise(tallies), "docs": len(tallies)}


def _resolved_table(block: dict[str, Any]) -> str:
    lines = [f"resolved ({block['docs']} docs with gold){'gold':>8}{'found':>8}{'right':>8}"
             f"{'right/gold':>12}"]
    for name in resolved.BLOCKS:
        c = block[name]
        lines.append(f"  {name:<25}{c['gold']:>8}{c['found']:>8}{c['right']:>8}{c['rate']:>12.3f}")
    return "\n".join(lines)


def _table(result: dict[str, Any]) -> str:
    lines = [
        f"{'track':<27}{'th':>5}{'P':>8}{'R':>8}{'F1':>8}{'tp':>6}{'fp':>6}{'fn':>6}"
        f"{'spk_acc':>9}{'e2e_F1':>8}"
    ]
    for track, cells in result.items():
        if track not in TRACKS and track.removesuffix("_loose") not in TRACKS:
            continue
        for th, c in cells.items():
            lines.append(
                f"{track:<27}{th:>5}{c['p']:>8.3f}{c['r']:>8.3f}{c['f1']:>8.3f}{c['tp']:>6}"
                f"{c['fp']:>6}{c['fn']:>6}{c['speaker_acc']:>9.3f}{c['e2e_f1']:>8.3f}"
            )
    if result.get("resolved"):
        lines.append(_resolved_table(result["resolved"]))
    lines.append(
        f"speed: {result['docs']} docs in {result['seconds']:.1f} s (model load included): "
        f"{result['docs_per_s']:.2f} docs/s, {result['words_per_s']:.0f} words/s "
        f"({result['cpu_seconds']:.1f} s of CPU: the figure to compare on a busy machine)"
    )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; exit 2 when the corpus is missing."""
    parser = argparse.ArgumentParser(prog="python -m bench.attribution", description=__doc__)
    parser.add_argument("--polnear", type=Path, help="the PolNeAR folder (with metadata.tsv)")
    parser.add_argument("--split", default="dev", choices=["train", "dev"])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--predictions", type=Path, help="write one JSON line per document")
    parser.add_argument("--limit", type=int, help="only the first N documents (quick runs)")
    parser.add_argument("--quotes-only", action="store_true",
                        help="run the quote extractor alone (the speed baseline for claims)")
    parser.add_argument("--resolved", type=Path,
                        help="the resolution gold folder (default: polnear-resolved beside "
                             "--polnear); its SPLIT/ files are scored where present")
    parser.add_argument("--score", type=Path, metavar="FILE",
                        help="score the lines of an earlier --predictions FILE instead of "
                             "running the extractors (no speed figures)")
    args = parser.parse_args(argv)
    if args.polnear is None:
        print("Error: --polnear DIR is required (the PolNeAR corpus folder)", file=sys.stderr)
        return 2
    try:
        docs = list(read_split(args.polnear, args.split))
    except CorpusMissing as error:
        print(f"Error: {error}", file=sys.stderr)
        return 2
    if args.limit:
        docs = docs[: args.limit]
    started, cpu_started = time.perf_counter(), time.process_time()
    if args.score:
        by_doc = {p["doc"]: p for p in map(json.loads, args.score.read_text("utf-8").splitlines())}
        preds = [by_doc.get(d.name, {"doc": d.name, "quotes": [], "claims": []}) for d in docs]
    else:
        preds = predict(docs, args.quotes_only)
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started
    words = sum(len(d.text.split()) for d in docs)
    result = score(docs, preds)
    gold_dir = (args.resolved or args.polnear.parent / "polnear-resolved") / args.split
    try:
        result["resolved"] = score_resolved(docs, preds, gold_dir) if gold_dir.is_dir() else None
    except resolved.GoldMismatch as error:
        print(f"Error: {error}", file=sys.stderr)
        return 2
    result.update(
        docs=len(docs),
        seconds=round(seconds, 2),
        cpu_seconds=round(cpu_seconds, 2),
        docs_per_s=round(len(docs) / seconds, 3),
        words_per_s=round(words / seconds, 1),
    )
    if args.predictions:
        with args.predictions.open("w", encoding="utf-8") as f:
            for pred in preds:
                f.write(json.dumps(pred, ensure_ascii=False) + "\n")
    if args.json:
        print(json.dumps(result))
    else:
        print(_table(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
