"""The PolNeAR scoring protocol on small hand-made gold/prediction examples."""

from pathlib import Path

import pytest

from bench.attribution import main
from bench.polnear import Attribution, content_kind, parse_ann, read_split
from bench.scoring import Counts, Unit, match, score_doc, speaker_right, summarise, unit_chars

POLNEAR = Path(__file__).parents[2] / ".." / "shared" / "data" / "polnear"

TEXT = '"We will win," he said. Critics said the plan was "a disaster" for everyone.'


def span_of(text: str, words: str) -> tuple[int, int]:
    start = text.index(words)
    return start, start + len(words)


def unit(text: str, *words: str, speaker: str | None = None) -> Unit:
    spans = [span_of(text, w) for w in words]
    return Unit(unit_chars(text, spans), (span_of(text, speaker),) if speaker else ())


def test_unit_chars_ignores_space_marks_and_edge_punctuation():
    with_marks = unit_chars(TEXT, [span_of(TEXT, '"We will win,"')])
    bare = unit_chars(TEXT, [span_of(TEXT, "We will win")])
    assert with_marks == bare
    assert len(bare) == len("Wewillwin")


def test_unit_chars_reads_doubled_apostrophes_as_marks():
    text = "''It's anti-reform,'' he said."
    assert "".join(text[i] for i in sorted(unit_chars(text, [(0, 20)]))) == "It'santi-reform"


def test_content_kind():
    assert content_kind('"We will win,"') == "direct"
    assert content_kind("“We will win.”.") == "direct"
    assert content_kind("''It is anti-reform.''") == "direct"
    assert content_kind('the plan was "a disaster" for everyone') == "mixed"
    assert content_kind("the plan was a disaster") == "indirect"


def test_exact_match_and_threshold():
    gold = [unit(TEXT, "We will win")]
    assert match(gold, [unit(TEXT, "We will win")], 1.0) == [(0, 0)]
    # two thirds of the gold characters: a match at 0.3, not at 0.8
    half = [unit(TEXT, "We will")]
    assert match(gold, half, 0.3) == [(0, 0)]
    assert match(gold, half, 0.8) == []


def test_over_long_prediction_matches_only_loosely():
    gold = [unit(TEXT, "a disaster")]
    pred = [unit(TEXT, 'Critics said the plan was "a disaster" for everyone')]
    assert match(gold, pred, 0.8, strict=True) == []
    assert match(gold, pred, 0.8, strict=False) == [(0, 0)]


def test_matching_is_one_to_one_and_greedy_by_score():
    gold = [unit(TEXT, "We will win")]
    pred = [unit(TEXT, "We will"), unit(TEXT, "We will win")]
    assert match(gold, pred, 0.3) == [(0, 1)]
    # neither side names a source: the speaker counts as right
    assert score_doc(gold, pred, [], 0.3) == Counts(tp=1, fp=1, fn=0, speaker_ok=1)


def test_several_spans_make_one_unit():
    text = '"Yes," she said. "We will."'
    gold = [unit(text, "Yes", "We will")]
    assert score_doc(gold, [unit(text, "Yes", "We will")], [], 1.0).tp == 1
    # one fragment alone covers too little of the gold unit
    assert score_doc(gold, [unit(text, "Yes")], [], 0.8) == Counts(tp=0, fp=1, fn=1)


def test_unmatched_prediction_inside_other_track_counts_neither_way():
    other = [unit(TEXT, "the plan was \"a disaster\" for everyone")]
    pred = [unit(TEXT, "a disaster")]
    assert score_doc([], pred, other, 0.8) == Counts(tp=0, fp=0, fn=0)
    assert score_doc([], pred, [], 0.8) == Counts(tp=0, fp=1, fn=0)


def test_speaker_right_needs_overlap_with_gold_source():
    assert speaker_right([(10, 15)], [(12, 20)])
    assert not speaker_right([(10, 12)], [(12, 20)])
    assert not speaker_right([], [(12, 20)])
    # an attribution without a source is right only when no speaker is predicted
    assert speaker_right([], [])
    assert not speaker_right([(1, 2)], [])


def test_speaker_counts_and_e2e():
    gold = [unit(TEXT, "We will win", speaker="he")]
    right = [unit(TEXT, "We will win", speaker="he")]
    wrong = [unit(TEXT, "We will win", speaker="Critics")]
    assert score_doc(gold, right, [], 0.8).speaker_ok == 1
    assert score_doc(gold, wrong, [], 0.8).speaker_ok == 0
    cell = summarise(Counts(tp=8, fp=2, fn=2, speaker_ok=6))
    assert (cell.p, cell.r, cell.f1, cell.speaker_acc) == (0.8, 0.8, 0.8, 0.75)
    assert cell.e2e_f1 == 0.6


def test_summarise_empty():
    cell = summarise(Counts())
    assert (cell.p, cell.r, cell.f1, cell.e2e_f1) == (0.0, 0.0, 0.0, 0.0)


def test_parse_ann_discontinuous_content_and_no_source():
    text = '"Yes," she said. "We will." It rained, officials said.'
    ann = (
        "T1\tContent 0 6;17 27\t\"Yes,\" \"We will.\"\n"
        "T2\tSource 7 10\tshe\n"
        "T3\tCue 11 15\tsaid\n"
        "T4\tAttribution 11 15\tsaid\n"
        "E1\tAttribution:T4 Content:T1 Cue:T3 Source:T2\n"
        "T5\tContent 28 37\tIt rained\n"
        "T6\tCue 49 53\tsaid\n"
        "T7\tAttribution-no-source 49 53\tsaid\n"
        "E2\tAttribution-no-source:T7 Content:T5 Cue:T6\n"
        "spill-over line of a multi-line span\n"
    )
    assert parse_ann(ann, text) == (
        Attribution(((0, 6), (17, 27)), ((7, 10),), ((11, 15),), "direct"),
        Attribution(((28, 37),), (), ((49, 53),), "indirect"),
    )


def test_missing_corpus_exits_2(tmp_path, capsys):
    assert main(["--polnear", str(tmp_path / "nowhere")]) == 2
    assert "PolNeAR" in capsys.readouterr().err
    assert main([]) == 2


@pytest.mark.skipif(not POLNEAR.is_dir(), reason=f"PolNeAR corpus not found at {POLNEAR}")
def test_reads_polnear_dev():
    docs = list(read_split(POLNEAR, "dev"))
    assert len(docs) == 84
    kinds = [a.kind for d in docs for a in d.attributions]
    assert len(kinds) == 2192
    for d in docs:
        for a in d.attributions:
            assert all(0 <= s < e <= len(d.text) for s, e in a.content)
