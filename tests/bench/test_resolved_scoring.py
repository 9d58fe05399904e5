"""The resolved-name scorer (bench.resolved) on hand-made gold and predictions."""

from bench.resolved import (
    GoldSource,
    PredSource,
    Tally,
    best_cover,
    content_chars,
    name_key,
    score_sources,
    source_right,
    summarise,
)

TEXT = "Officials said the dam would hold. Ana Ruiz said the road would reopen on Friday."


def chars(words: str) -> frozenset[int]:
    start = TEXT.index(words)
    return content_chars(TEXT, [(start, start + len(words))])


def test_content_chars_leave_out_white_space():
    assert len(chars("the dam would hold")) == len("thedamwouldhold")


def test_names_compare_without_case_dots_initials_or_a_leading_the():
    assert name_key("Donald J. Trump") == name_key("donald trump")
    assert name_key("the F.B.I.") == name_key("FBI")
    assert name_key("Trump; Pence") == name_key("Pence; Trump")
    assert name_key("Donald Trump") != name_key("Trump")


def test_found_needs_30_percent_of_the_content():
    gold = GoldSource("indirect", chars("the road would reopen on Friday"), "Ana Ruiz", "person")
    short = PredSource(chars("Friday"), "Ana Ruiz", "person")
    enough = PredSource(chars("the road would"), "Ana Ruiz", "person")
    assert best_cover(gold, [short]) is None
    assert best_cover(gold, [short, enough]) is enough


def test_right_needs_the_same_entity():
    gold = GoldSource("direct", chars("the road would reopen"), "Ana Ruiz", "person")
    assert source_right(gold, PredSource(gold.chars, "ana ruiz", "person"))
    assert not source_right(gold, PredSource(gold.chars, "Ruiz", "person"))
    assert not source_right(gold, PredSource(gold.chars, None, "anonymous"))


def test_a_null_gold_is_right_when_nobody_is_named_or_the_source_is_anonymous():
    gold = GoldSource("indirect", chars("the dam would hold"), None, "anonymous")
    assert source_right(gold, PredSource(gold.chars, None, "none"))
    assert source_right(gold, PredSource(gold.chars, "Officials", "anonymous"))
    assert not source_right(gold, PredSource(gold.chars, "Officials", "organisation"))


def test_blocks_count_gold_found_and_right():
    gold = [
        GoldSource("direct", chars("the road would reopen"), "Ana Ruiz", "person"),
        GoldSource("indirect", chars("the dam would hold"), "Ana Ruiz", "person"),
        GoldSource("indirect", chars("Officials said"), None, "anonymous"),
    ]
    preds = [
        PredSource(chars("the road would reopen on Friday"), "Ana Ruiz", "person"),
        PredSource(chars("the dam would hold"), "Ruiz", "person"),
    ]
    tallies = score_sources(gold, preds)
    assert tallies == {"named_quote": Tally(1, 1, 1), "named_claim": Tally(1, 1, 0),
                       "anonymous": Tally(1, 0, 0)}
    assert summarise([tallies, tallies])["named_quote"] == {
        "gold": 2, "found": 2, "right": 2, "rate": 1.0}
