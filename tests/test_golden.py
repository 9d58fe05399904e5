"""The sample articles' quotes and claims equal the reviewed golden file."""

import json

import pytest

from tests.golden import GOLDEN, current

pytestmark = pytest.mark.slow


def test_sample_attributions_match_the_golden_file():
    want = json.loads(GOLDEN.read_text(encoding="utf-8"))
    got = current()
    assert sorted(got) == sorted(want)
    for name in want:
        assert got[name] == want[name], (
            f"{name}: the extractors changed their output; if that is intended, run "
            "`python -m tests.golden --update` (or `make golden`) and review the diff")


def test_the_seed_article_has_full_names_and_no_false_claims():
    seed = json.loads(GOLDEN.read_text(encoding="utf-8"))["000_e00214b99a58ad9b.txt"]
    # 7 quoted passages in 4 quotes (a quote split by its attribution is one), all named
    assert sum(len(q["spans"]) for q in seed["quotes"]) == 7
    assert {q["speaker"] for q in seed["quotes"]} == {"Volodymyr Zelenskyy", "Donald Trump"}
    named = [c for c in seed["claims"] if c["source"]]
    assert sorted(c["source"] for c in named) == [
        "Donald Trump", "Donald Trump", "Donald Trump", "Politico", "Volodymyr Zelenskyy"]
    mentions = {c["source_mention"] for c in seed["claims"]}
    assert "The issue" not in mentions
    assert not [c for c in seed["claims"] if c["cue"] == "issued"]
