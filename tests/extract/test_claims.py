"""Claims: content, source, cue, hedge, negation and nesting, on the seed and on small texts."""

import dataclasses
from pathlib import Path

import pytest

from newsetl.extract.attribution import (
    SOURCE_TYPES,
    extract_attributions_many,
    extract_claims,
)
from newsetl.extract.attribution.claims import CLAIMS_VERSION, Claim, find_claims
from newsetl.extract.attribution.entities import parse_article
from newsetl.extract.attribution.marks import for_parsing, scan
from newsetl.extract.attribution.quotes import find_quotes
from newsetl.extract.nlp import load_nlp

SEED = Path(__file__).parents[2] / "seeds" / "000_e00214b99a58ad9b.txt"


@pytest.fixture(scope="module", autouse=True)
def nlp():
    return load_nlp()


@pytest.fixture(scope="module")
def seed() -> tuple[str, list[Claim]]:
    text = SEED.read_text(encoding="utf-8")
    return text, extract_claims(text)


def span(text: str, words: str, start: int = 0) -> tuple[int, int]:
    at = text.index(words, start)
    return at, at + len(words)


def find(claims: list[Claim], words: str) -> Claim:
    """The claim whose content is ``words``, else the one claim whose content holds them."""
    found = [c for c in claims if c.content == words] or [c for c in claims if words in c.content]
    assert len(found) == 1, (words, [c.content for c in claims])
    return found[0]


def only(text: str) -> Claim:
    claims = extract_claims(text)
    assert len(claims) == 1, [c.content for c in claims]
    return claims[0]


def test_version_and_json_shape():
    assert CLAIMS_VERSION == "claims-4"
    c = only("Officials said the bridge would reopen in May.")
    d = c.to_dict()
    assert list(d) == [
        "content", "spans", "source", "source_mention", "source_span", "source_type",
        "cue", "cue_span", "hedge", "negated", "parent", "confidence",
    ]  # fmt: skip
    assert 0 <= d["confidence"] <= 1
    assert d["spans"] == [list(s) for s in c.spans]
    assert c.source_span is not None and c.cue_span is not None
    assert d["source_span"] == list(c.source_span)
    assert d["cue_span"] == list(c.cue_span)
    with pytest.raises(AttributeError):
        c.content = "changed"  # pyright: ignore[reportAttributeAccessIssue] - frozen


# the seed article, claim by claim


def test_seed_zelenskyy(seed):
    text, claims = seed
    c = find(claims, "he had spoken to Trump")
    assert text[c.spans[0][0] : c.spans[-1][1]] == c.content
    assert c.content == "that he had spoken to Trump Wednesday, the day after Election Day"
    assert c.source == "Volodymyr Zelenskyy"
    assert c.source_mention == "President Volodymyr Zelenskyy"
    assert c.source_type == "person"
    at = text.index("said on social media")
    assert (c.cue, c.cue_span) == ("said", (at, at + 4))
    assert c.parent is None and c.hedge is None and not c.negated


def test_seed_trump_blamed_and_claimed(seed):
    text, claims = seed
    blamed = find(claims, "the invasion on Biden")
    assert (blamed.source, blamed.source_mention, blamed.cue) == ("Donald Trump", "Trump", "blamed")
    never = find(claims, "it would have never happened")
    assert never.content.startswith("that it would have never happened had he been president")
    assert (never.source, never.cue) == ("Donald Trump", "claimed")
    at = text.index("Trump has blamed")
    assert never.source_span == blamed.source_span == (at, at + len("Trump"))


def test_seed_trump_end_the_war(seed):
    _, claims = seed
    c = find(claims, "he would be able to end the war")
    assert c.content.endswith("once he got back into the Oval Office")
    # `He also claimed`: the pronoun resolves to Trump
    assert (c.source, c.source_mention, c.cue) == ("Donald Trump", "He", "claimed")
    assert c.source_type == "person"


def test_seed_politico_and_its_anonymous_sources(seed):
    text, claims = seed
    report = find(claims, "the plan")
    assert (report.source, report.source_type, report.cue) == ("Politico", "media", "reported")
    assert report.parent is None
    nested = [c for c in claims if c.content.startswith("the length of time it takes")]
    assert len(nested) == 1
    inner = nested[0]
    assert inner.content.endswith("would mean Trump could halt the shipment before it got to Ukraine")
    assert inner.source_mention == "two administration sources"
    assert inner.source_type == "anonymous"
    assert inner.cue == "said"
    assert claims[inner.parent] is report


def test_seed_hedged_biden(seed):
    text, claims = seed
    c = find(claims, "trying to rush another $6 billion")
    assert c.hedge == "reportedly"
    assert c.source is None and c.source_span is None and c.source_type == "none"
    assert c.cue == "reportedly"
    # the hedge is cut out of the content: two spans around it
    assert [text[s:e] for s, e in c.spans] == [
        "Democratic President Joe Biden is",
        "trying to rush another $6 billion of security assistance to Ukraine as a last-minute "
        "order before former President Donald Trump assumes the presidency again",
    ]


def test_seed_direct_quotes_are_not_claims(seed):
    text, claims = seed
    quoted = ["We agreed to maintain", "Strong and unwavering", "I appreciate President", "We'll get"]
    for words in quoted:
        assert not any(words in c.content for c in claims), words


def test_seed_offsets_and_parents_are_consistent(seed):
    text, claims = seed
    for i, c in enumerate(claims):
        assert c.content == " ".join(text[s:e] for s, e in c.spans)
        assert c.source_type in SOURCE_TYPES
        if c.source_span:
            assert text[slice(*c.source_span)] == c.source_mention
        if c.cue_span:
            assert text[slice(*c.cue_span)] == c.cue
        assert c.parent is None or 0 <= c.parent < len(claims) and c.parent != i


# patterns on small texts


def test_according_to():
    text = "According to the Associated Press, the talks collapsed on Friday."
    c = only(text)
    assert c.content == "the talks collapsed on Friday"
    assert c.source_mention == "the Associated Press"
    assert c.source_type == "media"
    assert (c.cue, c.cue_span) == ("According to", span(text, "According to"))


def test_content_before_the_cue_anonymous_officials():
    c = only("The talks collapsed on Friday, officials said.")
    assert c.content == "The talks collapsed on Friday"
    assert (c.source_mention, c.source_type, c.cue) == ("officials", "anonymous", "said")


def test_people_familiar_with_the_matter():
    c = only("People familiar with the matter said the deal would be announced next week.")
    assert c.content == "the deal would be announced next week"
    assert c.source_type == "anonymous"
    assert c.source_mention is not None and c.source_mention.startswith("People")


def test_denial():
    c = only("Senator Jane Smith denied that she had met the lobbyist.")
    assert (c.content, c.cue, c.source) == ("that she had met the lobbyist", "denied", "Jane Smith")
    assert c.source_type == "person"


def test_negated_cue():
    c = only("Smith did not say whether she would run again.")
    assert c.content == "whether she would run again"
    assert c.negated is True


def test_passive_report_has_no_source():
    c = only("It was reported that the minister had resigned.")
    assert c.content == "that the minister had resigned"
    assert c.source is None and c.source_type == "none"
    assert c.hedge == "reported"


def test_allegedly_hedge():
    text = "The senator allegedly accepted bribes."
    c = only(text)
    assert c.content == "The senator accepted bribes"
    assert c.spans == (span(text, "The senator"), span(text, "accepted bribes"))
    assert (c.hedge, c.source_type) == ("allegedly", "none")


def test_hedge_on_a_sourced_claim():
    c = only("Mr. Jones reportedly said the plan would fail.")
    assert (c.content, c.source, c.hedge) == ("the plan would fail", "Jones", "reportedly")


def test_nested_report():
    claims = extract_claims("The Times reported that the mayor told aides he would step down.")
    outer = find(claims, "that the mayor told aides")
    inner = find(claims, "he would step down")
    assert outer.parent is None and outer.source_type == "media"
    assert inner.parent is not None and claims[inner.parent] is outer
    # an unnamed role names nobody: anonymous, with the mention kept
    assert (inner.source_mention, inner.source, inner.source_type) == ("the mayor", None,
                                                                       "anonymous")
    assert "aides" not in inner.content  # the addressee is not content


def test_noun_phrase_content():
    c = only("Trump accused Clinton of lying about her emails.")
    assert c.content == "Clinton of lying about her emails"
    assert c.cue == "accused"


def test_relative_pronoun_source():
    claims = extract_claims("Trump, who said the election was rigged, refused to concede.")
    c = find(claims, "the election was rigged")
    assert c.source_mention == "Trump"


def test_cue_noun_nested_in_a_rejection():
    claims = extract_claims("Critics rejected her claim that the tax would pay for itself.")
    outer = find(claims, "her claim that the tax would pay for itself")
    inner = find(claims, "that the tax would pay for itself")
    assert (outer.cue, outer.source_mention) == ("rejected", "Critics")
    assert (inner.cue, inner.source_mention) == ("claim", "her")
    assert inner.parent is not None and claims[inner.parent] is outer


def test_not_attributions():
    for text in (
        "He added sugar to the coffee and told a story about his childhood.",
        "The show was called off after the storm.",
        "The report was published on Monday.",
        "She spoke to reporters outside the court.",
    ):
        assert extract_claims(text) == [], text


def test_quoted_speech_is_not_a_claim():
    text = '"The plan will fail," Smith said. Jones said the plan would work.'
    claims = extract_claims(text)
    assert [c.content for c in claims] == ["the plan would work"]


def test_many_and_one_parse_agree(nlp):
    texts = [SEED.read_text(encoding="utf-8"), "", "Nothing to report here."]
    many = [list(a.claims) for a in extract_attributions_many(texts, batch_size=2)]
    assert many[1] == [] and many[2] == []
    text = for_parsing(texts[0])
    article = parse_article(text, nlp(text), scan(text))
    # entity indices are renumbered to the entities the claims name; the rest is equal
    def plain(claims):
        return [dataclasses.replace(c, source_entity=None) for c in claims]

    assert plain(find_claims(article, find_quotes(article))) == plain(many[0]) == plain(
        extract_claims(texts[0]))


def test_a_name_alone_is_the_content_of_a_cue_of_attitude():
    c = only("Senator Ada Voss endorsed Peter Lind on Friday.")
    assert (c.cue, c.content, c.source) == ("endorsed", "Peter Lind", "Ada Voss")


def test_a_particular_poll_is_the_source_of_the_clause_set_in_it():
    text = "In a new Harbor Institute poll, the mayor leads her rival by nine points."
    c = find(extract_claims(text), "the mayor leads her rival by nine points")
    assert (c.cue, c.source_mention) == ("In", "a new Harbor Institute poll")
    # a figure of speech names no poll
    assert extract_claims("The mayor has been rising in the polls since May.") == []


def test_the_topic_asked_about_follows_the_addressee():
    c = only("On Monday, reporters asked the governor about the budget gap.")
    assert (c.cue, c.content, c.source_mention) == ("asked", "the budget gap", "reporters")


def test_the_purpose_of_an_object_goes_with_it():
    c = only("Mayor Ines Ruiz supports his amendments to expand the ferry service.")
    assert (c.cue, c.content) == ("supports", "his amendments to expand the ferry service")


def test_according_to_after_coordinated_clauses_covers_them_all():
    text = ("Lind won 41 percent, Voss took 30 percent and Brandt got 12 percent, "
            "according to the county clerk.")
    c = only(text)
    assert c.content == "Lind won 41 percent, Voss took 30 percent and Brandt got 12 percent"
    assert c.source_mention == "the county clerk"


def test_an_adjective_after_seem_is_a_hedged_claim():
    c = only("The harbour board seemed oddly relaxed about the delay.")
    assert (c.cue, c.hedge, c.source) == ("seemed", "seemed", None)
    assert c.content == "The harbour board oddly relaxed about the delay"
