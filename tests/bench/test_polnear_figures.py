"""The README's PolNeAR dev figures still hold: a slow run of the harness that fails if any
figure of the README's attribution table drops by more than 0.01."""

import re
from pathlib import Path

import pytest

from tests.conftest import ROOT, shared_data

pytestmark = pytest.mark.slow

TOLERANCE = 0.01
# README row label -> where the figure is in the harness's result
FIGURES = {
    "resolved named quote speakers right": ("resolved", "named_quote", "rate"),
    "resolved named claim sources right": ("resolved", "named_claim", "rate"),
    "anonymous sources kept anonymous": ("resolved", "anonymous", "rate"),
    "direct quotes F1@0.8": ("quotes_direct", "0.8", "f1"),
    "direct + mixed quotes F1@0.3": ("quotes_direct_mixed", "0.3", "f1"),
    "claims F1@0.5": ("claims", "0.5", "f1"),
    "claims precision@0.5": ("claims", "0.5", "p"),
}


def readme_figures() -> dict[str, float]:
    """The dev column of the README's attribution table."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    out = {}
    for label in FIGURES:
        m = re.search(rf"^\| {re.escape(label)} \| ([0-9.]+) \|", text, re.M)
        assert m, f"README has no row {label!r} in its attribution table"
        out[label] = float(m.group(1))
    return out


def test_polnear_dev_figures_hold():
    polnear = shared_data("polnear")
    from bench.attribution import predict, score, score_resolved
    from bench.polnear import read_split

    docs = list(read_split(polnear, "dev"))
    preds = predict(docs)
    result = score(docs, preds)
    result["resolved"] = score_resolved(docs, preds, Path(shared_data("polnear-resolved")) / "dev")
    dropped = {}
    for label, want in readme_figures().items():
        a, b, c = FIGURES[label]
        got = result[a][b][c]
        if got < want - TOLERANCE:
            dropped[label] = (want, got)
    assert not dropped, f"figures below the README's (README, now): {dropped}"
