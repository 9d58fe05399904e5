"""Site names off titles, and author fields split and cleaned, string by string."""

from __future__ import annotations

import pytest

from newsetl.extract.authors import clean_authors, looks_like_person
from newsetl.extract.titles import clean_text, strip_labels, strip_site_name

SITES = ("Harbour Times", "harbourtimes.example", "harbourtimes")


@pytest.mark.parametrize(("title", "expected"), [
    ("Breakwater a year late | Harbour Times", "Breakwater a year late"),
    ("Breakwater a year late - HARBOUR TIMES", "Breakwater a year late"),
    ("Harbour Times: Breakwater a year late", "Harbour Times: Breakwater a year late"),
    ("Harbour Times » Breakwater a year late", "Breakwater a year late"),
    ("Breakwater a year late – harbourtimes.example", "Breakwater a year late"),
    # only a site's name is stripped: a section after it stops the stripping, and a headline
    # part is never taken for a name
    ("Breakwater late | HarbourTimes.example › News", "Breakwater late | HarbourTimes.example › News"),
    ("Guerre en Ukraine : la Russie avance", "Guerre en Ukraine : la Russie avance"),
    ("Harbour Times", "Harbour Times"),
])
def test_strip_site_name(title: str, expected: str) -> None:
    assert strip_site_name(title, SITES) == expected


def test_strip_site_name_matches_a_name_by_its_letters() -> None:
    # accents and punctuation aside: the site's short host name and its display name
    assert strip_site_name("Důchodci a lékaři - Seznam Zprávy", ["seznamzpravy.cz"]) == \
        "Důchodci a lékaři"
    assert strip_site_name("港湾局、防波堤の完成遅れ｜港湾新聞デジタル", ["港湾新聞デジタル"]) == \
        "港湾局、防波堤の完成遅れ"
    # too short a name to strip on its own
    assert strip_site_name("Orf family wins - Orf", ["or"]) == "Orf family wins - Orf"


def test_strip_labels_takes_the_other_sources_shorter_form() -> None:
    assert strip_labels("Breakwater late | Politics", ["Breakwater late"]) == "Breakwater late"
    assert strip_labels("Breakwater late and over budget", ["Breakwater late"]) == \
        "Breakwater late and over budget"


def test_clean_text_keeps_characters_and_collapses_space() -> None:
    assert clean_text(" „Wir\u00a0brauchen\tZeit“ \u200b– sagt  er ") == "„Wir brauchen Zeit“ – sagt er"


@pytest.mark.parametrize(("names", "expected"), [
    (["Ana Ruiz and Daniel Okafor"], ("Ana Ruiz", "Daniel Okafor")),
    (["Ana Ruiz & Daniel Okafor"], ("Ana Ruiz", "Daniel Okafor")),
    (["Lea Wagner und Jonas Becker"], ("Lea Wagner", "Jonas Becker")),
    (["Per Hansen og Kari Nordmann"], ("Per Hansen", "Kari Nordmann")),
    (["Marie Dubois et Paul Martin"], ("Marie Dubois", "Paul Martin")),
    (["Lucía Gómez y Pablo Ortega"], ("Lucía Gómez", "Pablo Ortega")),
    (["Lea Wagner, Jonas Becker; Mia Klein"], ("Lea Wagner", "Jonas Becker", "Mia Klein")),
    (["By Daniel Okafor"], ("Daniel Okafor",)),
    (["Von Lea Wagner"], ("Lea Wagner",)),
    (["Journalist Ingrid Solberg"], ("Ingrid Solberg",)),
    (["Lea Wagner Red."], ("Lea Wagner",)),
    (["Red."], ()),
    (["Agenturen"], ()),
    (["Elena Muster (emu)"], ("Elena Muster",)),
    (["Daniel Okafor", "daniel-okafor", "DANIEL OKAFOR"], ("Daniel Okafor",)),
    (["https://www.facebook.com/harbourtimes"], ()),
    (["daniel.okafor@harbourtimes.example"], ()),
    (["Foto: Lea Wagner"], ()),
    (["Ana Ruiz, professor of marine engineering at the university of the coast"], ("Ana Ruiz",)),
    (["Ana Ruiz", "Harbour Times"], ("Ana Ruiz",)),
    (["Harbour Times"], ("Harbour Times",)),
    (["Redaktion harbourtimes.example"], ("Redaktion harbourtimes.example",)),
    (["松岡 花子、山田太郎"], ("松岡 花子", "山田太郎")),
])
def test_clean_authors(names: list[str], expected: tuple[str, ...]) -> None:
    assert clean_authors(names, SITES) == expected


def test_looks_like_person() -> None:
    assert looks_like_person("Ana Ruiz") and looks_like_person("Ludwig van Beethoven")
    assert looks_like_person("山田太郎") and looks_like_person("배윤경")
    assert not looks_like_person("Frankfurt") and not looks_like_person("Quelle sid")
