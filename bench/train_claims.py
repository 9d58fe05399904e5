"""Train the claim filter on PolNeAR train: a logistic regression over the features of each
claim the rules find, labelled by whether it matches a gold indirect attribution (the
harness's strict rule at 0.5).

    python -m bench.train_claims --polnear ../shared/data/polnear

Writes ``extract/attribution/models/claims.json`` (the weights and the threshold). The
threshold is the one that maximises F1 on out-of-fold predictions (5 folds by document),
never on dev. Prints the out-of-fold precision, recall and F1 on train.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from bench.attribution import gold_units
from bench.polnear import CorpusMissing, read_split
from bench.scoring import Unit, match, unit_chars

OUT = Path(__file__).resolve().parents[1] / "extract" / "attribution" / "models" / "claims.json"
MIN_COUNT = 3  # features seen fewer times are left out
L2 = 2.0
STEPS = 400
FOLDS = 5


def examples(root: Path) -> tuple[list[list[str]], list[int], list[int], int]:
    """Features and labels of every outermost candidate claim of train, each example's
    document number, and the number of gold claims."""
    from newsetl.extract.attribution.claims import claim_candidates
    from newsetl.extract.attribution.entities import parse_article
    from newsetl.extract.attribution.marks import for_parsing, scan
    from newsetl.extract.attribution.quotes import find_quotes
    from newsetl.extract.nlp import load_nlp

    docs = list(read_split(root, "train"))
    texts = [for_parsing(d.text) for d in docs]
    feats, labels, doc_of, n_gold = [], [], [], 0
    for k, (doc, text, parsed) in enumerate(zip(docs, texts, load_nlp().pipe(texts, batch_size=16),
                                                strict=True)):
        article = parse_article(text, parsed, scan(text))
        cands = [(c, f) for c, f in claim_candidates(article, find_quotes(article))
                 if c.parent is None]
        gold, other = gold_units(doc, frozenset({"indirect"}))
        n_gold += sum(1 for g in gold if g.chars)
        pred = [Unit(unit_chars(doc.text, c.spans)) for c, _ in cands]
        matched = {pi for _, pi in match(gold, pred, 0.5, strict=True)}
        for pi, (_, f) in enumerate(cands):
            p = pred[pi]
            if pi not in matched and p.chars and any(
                len(p.chars & o.chars) / len(p.chars) >= 0.5 for o in other
            ):
                continue  # inside another kind of gold attribution: not scored either way
            feats.append(f)
            labels.append(int(pi in matched))
            doc_of.append(k)
    return feats, labels, doc_of, n_gold


def _matrix(feats: Sequence[Sequence[str]], vocab: dict[str, int]):
    idx = [[vocab[f] for f in row if f in vocab] for row in feats]
    lengths = np.array([len(r) for r in idx])
    indices = np.array([i for r in idx for i in r], dtype=np.int64)
    indptr = np.concatenate([[0], np.cumsum(lengths)])
    return indices, indptr, lengths


def _scores(w: np.ndarray, indices, indptr, lengths) -> np.ndarray:
    z = np.zeros(len(lengths))
    nz = lengths > 0
    sums = np.add.reduceat(w[indices], indptr[:-1][nz]) if len(indices) else np.zeros(nz.sum())
    z[nz] = sums
    return z


def fit(feats: Sequence[Sequence[str]], labels: Sequence[int]) -> dict[str, float]:
    """Weights of an L2-regularised logistic regression (Adam on the full batch)."""
    counts = Counter(f for row in feats for f in set(row))
    vocab = {f: i for i, f in enumerate(sorted(f for f, n in counts.items() if n >= MIN_COUNT))}
    indices, indptr, lengths = _matrix(feats, vocab)
    y = np.array(labels, dtype=float)
    w = np.zeros(len(vocab))
    m = np.zeros_like(w)
    v = np.zeros_like(w)
    rate, b1, b2 = 0.1, 0.9, 0.999
    for step in range(1, STEPS + 1):
        p = 1 / (1 + np.exp(-_scores(w, indices, indptr, lengths)))
        g = np.zeros_like(w)
        np.add.at(g, indices, np.repeat(p - y, lengths))
        g = g / len(y) + L2 * w / len(y)
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        w -= rate * (m / (1 - b1**step)) / (np.sqrt(v / (1 - b2**step)) + 1e-8)
    return {f: round(float(w[i]), 4) for f, i in vocab.items() if abs(w[i]) >= 1e-4}


def probabilities(weights: dict[str, float], feats: Sequence[Sequence[str]]) -> np.ndarray:
    z = np.array([sum(weights.get(f, 0.0) for f in row) for row in feats])
    return 1 / (1 + np.exp(-np.clip(z, -30, 30)))


def best_threshold(p: np.ndarray, y: np.ndarray, n_gold: int) -> tuple[float, dict[str, float]]:
    """The threshold with the best F1 (a kept positive is a true positive; every gold claim
    no kept candidate matches is a false negative)."""
    best = (0.0, {"p": 0.0, "r": 0.0, "f1": 0.0})
    for th in np.arange(0.05, 0.95, 0.01):
        keep = p >= th
        tp, fp = int((keep & (y == 1)).sum()), int((keep & (y == 0)).sum())
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / n_gold if n_gold else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        if f1 > best[1]["f1"]:
            best = (round(float(th), 2), {"p": round(prec, 4), "r": round(rec, 4),
                                          "f1": round(f1, 4)})
    return best


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.train_claims", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--polnear", type=Path, required=True, help="the PolNeAR folder")
    parser.add_argument("--out", type=Path, default=OUT, help="where to write the model")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        feats, labels, doc_of, n_gold = examples(args.polnear)
    except CorpusMissing as error:
        print(f"Error: {error}", file=sys.stderr)
        return 2
    y = np.array(labels)
    folds = np.array(doc_of) % FOLDS
    oof = np.zeros(len(y))
    for k in range(FOLDS):
        train = np.flatnonzero(folds != k)
        test = np.flatnonzero(folds == k)
        w = fit([feats[i] for i in train], y[train].tolist())
        oof[test] = probabilities(w, [feats[i] for i in test])
    threshold, oof_scores = best_threshold(oof, y, n_gold)
    rules = {"p": round(float(y.mean()), 4), "r": round(int(y.sum()) / n_gold, 4)}
    weights = fit(feats, labels)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({
        "about": "claim filter: logistic regression over claim_features, trained on PolNeAR "
                 "train by python -m bench.train_claims; threshold from out-of-fold F1",
        "threshold": threshold, "examples": len(y), "positives": int(y.sum()),
        "weights": dict(sorted(weights.items())),
    }, indent=0) + "\n", encoding="utf-8")
    print(f"{len(y)} candidates ({int(y.sum())} attributions) of {n_gold} gold claims; "
          f"rules alone: P {rules['p']:.3f} R {rules['r']:.3f}")
    print(f"out-of-fold at threshold {threshold}: P {oof_scores['p']:.3f} "
          f"R {oof_scores['r']:.3f} F1 {oof_scores['f1']:.3f}")
    print(f"wrote {args.out} ({args.out.stat().st_size} bytes, {len(weights)} weights) in "
          f"{time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
