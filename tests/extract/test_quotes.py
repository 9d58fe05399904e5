"""Quote spans, kinds and speakers, on the seed article and on small made-up texts."""

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsetl.extract.attribution import Quote, extract_quotes, extract_quotes_many
from newsetl.extract.attribution.marks import scan
from newsetl.extract.attribution.quotes import QUOTES_VERSION
from newsetl.extract.nlp import load_nlp

SEED = Path(__file__).parents[2] / "seeds" / "000_e00214b99a58ad9b.txt"


@pytest.fixture(scope="module", autouse=True)
def nlp():
    # one model for the whole module (load_nlp caches it for the process)
    return load_nlp()


def span(text: str, words: str, start: int = 0) -> tuple[int, int]:
    at = text.index(words, start)
    return at, at + len(words)


def quoted(text: str, q: Quote) -> list[str]:
    return [text[s:e] for s, e in q.spans]


def test_version_is_a_string():
    assert QUOTES_VERSION.startswith("quotes-")


def test_seed_article():
    text = SEED.read_text(encoding="utf-8")
    quotes = extract_quotes(text)
    z1 = "We agreed to maintain close dialogue and advance our cooperation,"
    z2 = "Strong and unwavering U.S. leadership is vital for the world and for a just peace."
    z3 = (
        "I appreciate President Trump's commitment to the 'peace through strength' approach "
        "in global affairs,"
    )
    z4 = (
        "This is exactly the principle that can practically bring just peace in Ukraine closer."
        " I am hopeful that we will put it into action together."
    )
    t1 = "I believe if we win, we're gonna have a very fair and actually rather rapid deal,"
    t2 = "We'll get it solved,"
    t3 = (
        "It's a very complicated puzzle, very complicated puzzle, but we'll get it solved, and "
        "people [will] get on with their lives. Too many people dead."
    )
    said_z = span(text, "Zelenskyy", span(text, "said Zelenskyy")[0])
    wrote_z = span(text, "Zelenskyy wrote")[0], span(text, "Zelenskyy wrote")[0] + 9
    said_t = span(text, "Trump in September")[0], span(text, "Trump in September")[0] + 5
    he = span(text, "he added")[0], span(text, "he added")[0] + 2
    # confidence is checked on its own below; the rest of each record as a whole
    CONF = None
    assert [{**q.to_dict(), "confidence": None} for q in quotes] == [
        {
            "text": f"{z1} {z2}",
            "spans": [list(span(text, z1)), list(span(text, z2))],
            "kind": "direct",
            "speaker": "Volodymyr Zelenskyy",
            "speaker_mention": "Zelenskyy",
            "speaker_span": list(said_z),
            "cue": "said",
            "cue_span": list(span(text, "said Zelenskyy")[:1]) + [span(text, "said Zelenskyy")[0] + 4],
            "speaker_type": "person",
            "confidence": CONF,
        },
        {
            "text": f"{z3} {z4}",
            "spans": [list(span(text, z3)), list(span(text, z4))],
            "kind": "direct",
            "speaker": "Volodymyr Zelenskyy",
            "speaker_mention": "Zelenskyy",
            "speaker_span": list(wrote_z),
            "cue": "wrote",
            "cue_span": [wrote_z[1] + 1, wrote_z[1] + 6],
            "speaker_type": "person",
            "confidence": CONF,
        },
        {
            "text": t1,
            "spans": [list(span(text, t1))],
            "kind": "direct",
            "speaker": "Donald Trump",
            "speaker_mention": "Trump",
            "speaker_span": list(said_t),
            "cue": "said",
            "cue_span": [said_t[0] - 5, said_t[0] - 1],
            "speaker_type": "person",
            "confidence": CONF,
        },
        {
            "text": f"{t2} {t3}",
            "spans": [list(span(text, t2)), list(span(text, t3))],
            "kind": "direct",
            "speaker": "Donald Trump",
            "speaker_mention": "he",
            "speaker_span": list(he),
            "cue": "added",
            "cue_span": [he[1] + 1, he[1] + 6],
            "speaker_type": "person",
            "confidence": CONF,
        },
    ]
    # 'peace through strength' is a nested scare quote, not a quote of its own
    assert not any(q.text == "peace through strength" for q in quotes)
    # named speakers found by their cue: above the views' threshold
    assert all(0.5 <= q.confidence <= 1 for q in quotes)


def test_offsets_hold_on_raw_typographic_text():
    text = "Intro line.\n\n“It’s a good deal,” said Jane Doe. “We will sign it.”\n"
    (q,) = extract_quotes(text)
    assert quoted(text, q) == ["It’s a good deal,", "We will sign it."]
    assert q.speaker == "Jane Doe" and q.speaker_span is not None
    assert text[slice(*q.speaker_span)] == "Jane Doe"


def test_unbalanced_marks_never_raise_and_stray_marks_are_skipped():
    text = (
        '"Stray opener and no close.\n\nThe mayor spoke. "We will rebuild the town," he said.'
        ' Then " alone.'
    )
    quotes = extract_quotes(text)
    assert [quoted(text, q) for q in quotes] == [["We will rebuild the town,"]]
    assert extract_quotes('"') == []
    assert extract_quotes('” “ " ”') == []


def test_multi_paragraph_quote_is_one_quote():
    text = (
        "Senator Elizabeth Warren spoke first.\n\n"
        '"This is the first part of a long statement that goes on.\n\n'
        '"And this is the second paragraph of it," she said.'
    )
    (q,) = extract_quotes(text)
    assert quoted(text, q) == [
        "This is the first part of a long statement that goes on.",
        "And this is the second paragraph of it,",
    ]
    assert (q.speaker, q.speaker_mention) == ("Elizabeth Warren", "she")


def test_split_quote_is_joined_around_its_attribution():
    text = '"We agreed on a deal," Mr. Smith said on "Fox and Friends." "It will hold for years."'
    (q,) = extract_quotes(text)
    assert quoted(text, q) == ["We agreed on a deal,", "It will hold for years."]
    assert (q.speaker, q.speaker_mention, q.cue) == ("Smith", "Mr. Smith", "said")


def test_split_quotes_with_their_own_attributions_stay_apart():
    text = '"We will win," Donald Trump said. "No, you will not," Hillary Clinton replied.'
    quotes = extract_quotes(text)
    assert [(quoted(text, q), q.speaker) for q in quotes] == [
        (["We will win,"], "Donald Trump"),
        (["No, you will not,"], "Hillary Clinton"),
    ]


def test_a_second_cue_leading_into_the_next_quote_makes_it_a_quote_of_its_own():
    # `said, adding, "..."`: the participle reports the second quote (two attributions)
    text = ('"The depot stays open until June," Lena Ortiz said, adding later, "After that '
            'the buses go to the new yard."')
    quotes = extract_quotes(text)
    assert [(quoted(text, q), q.speaker) for q in quotes] == [
        (["The depot stays open until June,"], "Lena Ortiz"),
        (["After that the buses go to the new yard."], "Lena Ortiz"),
    ]
    # a participle of circumstance reports nothing new: one quote around its attribution
    text = ('"The depot stays open," said Lena Ortiz, speaking at the yard, "until the new '
            'one is built."')
    (q,) = extract_quotes(text)
    assert quoted(text, q) == ["The depot stays open,", "until the new one is built."]


def test_a_lead_in_ending_in_a_colon_belongs_to_the_next_quote():
    # the colon's cue introduces the third quote: it neither joins it to the second nor
    # takes the second away from the speaker the first two share
    text = ('"We are staying," Ms. Ortiz said. "We have nowhere else to go." Her neighbour '
            'Tom Reyes said: "I am leaving in May."')
    quotes = extract_quotes(text)
    assert [(quoted(text, q), q.speaker) for q in quotes] == [
        (["We are staying,", "We have nowhere else to go."], "Ortiz"),
        (["I am leaving in May."], "Tom Reyes"),
    ]
    text = '"The rent went up," Ms. Ortiz said. Then she added: "The landlord sold it."'
    assert [quoted(text, q) for q in extract_quotes(text)] == [
        ["The rent went up,"], ["The landlord sold it."]]


def test_a_title_set_off_after_its_work_is_no_quote_unless_cued():
    text = ('In her memoir, "The Long Road Home," the mayor looks back on the strike. Her '
            'film, "Harbour Lights Are Burning," opens in May.')
    assert extract_quotes(text) == []
    # the same shape with an attribution of its own is speech
    text = 'Ortiz talked about the book, "We all knew the port would close," Ortiz said.'
    (q,) = extract_quotes(text)
    assert (quoted(text, q), q.speaker) == (["We all knew the port would close,"], "Ortiz")


def test_colon_lead_ins():
    text = 'Donald Trump said: "We will win big in November."\n\nClinton: "We have work to do."'
    quotes = extract_quotes(text)
    assert [(q.speaker_mention, q.cue) for q in quotes] == [
        ("Donald Trump", "said"),
        ("Clinton", None),
    ]


def test_dash_trailer():
    text = '"We have a lot of work to do." ― Hillary Clinton\n"I agree with her." - Tim Kaine'
    quotes = extract_quotes(text)
    assert [q.speaker for q in quotes] == ["Hillary Clinton", "Tim Kaine"]


def test_according_to():
    text = '"Growth will return next year," according to the Federal Reserve.'
    (q,) = extract_quotes(text)
    # the name without its leading "the"
    assert (q.speaker, q.speaker_mention, q.cue) == (
        "Federal Reserve", "the Federal Reserve", "according to")


def test_cue_in_the_sentence_before():
    text = 'Donald Trump told reporters on Monday:\n\n"We are going to build the wall."'
    (q,) = extract_quotes(text)
    assert (q.speaker, q.cue) == ("Donald Trump", "told")


def test_continuation_paragraph_keeps_the_speaker():
    text = (
        '"The first quote is here," Donald Trump said.\n\n'
        '"A second paragraph quote with no cue of its own."'
    )
    first, second = extract_quotes(text)
    assert first.speaker == second.speaker == "Donald Trump"
    assert second.speaker_span == first.speaker_span


def test_pronoun_resolution_uses_gender():
    text = 'Donald Trump met Hillary Clinton on Monday. "We will win this race," she said.'
    (q,) = extract_quotes(text)
    assert (q.speaker, q.speaker_mention) == ("Hillary Clinton", "she")


def test_title_resolution():
    text = (
        "President Barack Obama visited Ohio on Monday. "
        '"It is a great day for the state," the president said.'
    )
    (q,) = extract_quotes(text)
    assert (q.speaker, q.speaker_mention) == ("Barack Obama", "the president")


def test_scare_quotes_and_titles_are_not_quotes():
    text = 'The so-called "deplorables" were there. He read "War and Peace" twice.'
    assert extract_quotes(text) == []


def test_no_findable_speaker_is_null_not_a_guess():
    # Trump is the object of the sentence before, never the speaker
    text = 'Reporters asked Donald Trump about the deal. "Nobody knows what happens next here."'
    (q,) = extract_quotes(text)
    assert (q.speaker, q.speaker_mention, q.speaker_span, q.cue) == (None, None, None, None)


def test_mixed_quote_covers_the_reported_clause():
    text = 'Retired Gen. Michael Flynn said Donald Trump was "absolutely right" about it.'
    (q,) = extract_quotes(text)
    assert q.kind == "mixed"
    assert quoted(text, q) == ['Donald Trump was "absolutely right" about it']
    assert (q.speaker, q.cue) == ("Michael Flynn", "said")


def test_doubled_apostrophes_are_quotation_marks():
    text = "''This isn't tax reform,'' said Douglas Holtz-Eakin, an economist. ''It's bad.''"
    (q,) = extract_quotes(text)
    assert quoted(text, q) == ["This isn't tax reform,", "It's bad."]
    assert q.speaker == "Douglas Holtz-Eakin"


def test_marks_of_another_family_nest():
    text = '"He read out: “Do you think it matters at all?” and then he stopped," she said.'
    (q,) = extract_quotes(text)
    assert quoted(text, q) == [
        "He read out: “Do you think it matters at all?” and then he stopped,"
    ]


def test_dated_format_header_is_not_part_of_a_quote():
    text = ' date 2024-11-07 "We will win," Donald Trump said.\n\n'
    (q,) = extract_quotes(text)
    assert quoted(text, q) == ["We will win,"]


def test_batch_form_matches_single():
    texts = ['"We will win," Donald Trump said.', "No quotes here.", ""]
    assert extract_quotes_many(texts) == [extract_quotes(t) for t in texts]


QUOTE_CHARS = st.sampled_from(['"', "“", "”", "''", "``", "'", "«", "»", "‘", "’"])
WORDS = st.sampled_from(
    ["He", "said", "she", "Trump", "we", "will", "win", ",", ".", ":", "-", "according", "to"]
)
PIECES = st.one_of(QUOTE_CHARS, WORDS, st.sampled_from([" ", "  ", "\n", "\n\n", "\t"]))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(PIECES, max_size=40).map("".join))
def test_any_text_gives_well_formed_spans(text):
    for seg in scan(text):
        assert 0 <= seg.open_mark[0] < seg.open_mark[1] <= seg.start < seg.end <= len(text)
    for q in extract_quotes(text):
        assert q.spans, q
        prev_end = -1
        for s, e in q.spans:
            assert prev_end <= s < e <= len(text)
            assert text[s:e] == text[s:e].strip()
            prev_end = e
        assert q.kind in ("direct", "mixed")
        if q.speaker_span is not None:
            s, e = q.speaker_span
            assert 0 <= s < e <= len(text)
            assert text[s:e] == q.speaker_mention


def test_quote_that_is_the_whole_complement_is_direct():
    text = 'Protesters in the streets chanted "What curfew are you talking about?" all night.'
    (q,) = extract_quotes(text)
    assert (q.kind, quoted(text, q)) == ("direct", ["What curfew are you talking about?"])
