"""Author names cleaned of what bylines and metadata glue onto them.

What leaks into author fields, and is taken out here: several names joined into one ("A and
B", "A og B", "A und B", "A, B"), role words ("Journalist", "Red.", "Correspondent"), a "By"
in front, initials in brackets ("Elena Muster (emu)"), URLs and e-mail addresses (profile
links given for names), and the outlet's own name beside the people who wrote the piece.
An outlet named alone is kept: it is the byline (a wire service, "Redaktion").
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from newsetl.extract.titles import clean_text, keys_match, name_key

MAX_NAME_WORDS = 6
"""a longer entry is a description ("professor at the faculty of ..."), not a name"""

_LIST = re.compile(r"\s*[,;/、，|]\s*")
# joins between two names, in the languages of most news sites: and, und, og, och, en, et,
# e, y, i, a, ir, ja, és, dan, ve, и, та
_JOIN = re.compile(r"\s+(?:&|\+|and|und|og|och|en|et|e|y|i|a|ir|ja|és|dan|ve|и|та)\s+", re.I)
_BY = re.compile(
    r"^(?:by|von|vom|par|por|di|da|door|av|af|przez|от|текст|text|autor|author|written by)"
    r"\s*:?\s+", re.I)
_BRACKETS = re.compile(r"\s*[(\[（【][^)\]）】]*[)\]）】]\s*")
_URL = re.compile(r"^(?:https?://|www\.)|^[\w.-]+\.(?:com|org|net|de|at|ch|fr|es|it|uk)/", re.I)
_EMAIL = re.compile(r"\S+@\S+\.\w+")
_DIGIT = re.compile(r"\d")
_SLUG = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)+$")
ROLE_WORDS = frozenset({
    "journalist", "journalistin", "reporter", "reporterin", "correspondent", "korrespondent",
    "korrespondentin", "redakteur", "redakteurin", "red", "red.", "editor", "redaktor",
    "redaktør", "journalistes", "journaliste", "periodista", "giornalista", "redattore",
    "columnist", "kolumnist", "autor", "autorin", "author", "writer", "staff writer",
    "contributor", "freelance", "photographer", "fotograf", "foto", "fotos", "photo", "photos",
    "text", "記者", "编辑", "編集", "agentur", "agenturen", "agency", "agencies", "agences",
    "agencias", "agenzie", "redaktion", "rédaction", "redacción", "redazione", "newsroom",
    "wires", "quelle", "source", "fuente", "fonte", "news", "nachrichten", "noticias",
    "notizie", "nieuws", "nyheter", "actualités",
})
"""role words: dropped beside a person's name ("Redakteur Max Muster"), and entries made only
of them; kept in an outlet's byline ("Redaktion hessenschau.de", "Guardian staff reporter")"""
_CREDIT = re.compile(r"^(?:foto|fotos|photo|photos|bild|bilder|image|video)\b", re.I)


def clean_authors(names: Iterable[str], publishers: Iterable[str] = ()) -> tuple[str, ...]:
    """The distinct author names in ``names``, cleaned; the outlet's names (``publishers``)
    are dropped when people are named beside them."""
    found: dict[str, str] = {}
    for raw in names:
        for name in _split(raw):
            found.setdefault(name_key(name), name)
    found.pop("", None)
    outlets = {k for k in (name_key(p) for p in publishers) if k}
    people = [n for k, n in found.items() if not _is_outlet(k, outlets)]
    return tuple(people) if people else tuple(found.values())


def is_outlet_only(authors: Iterable[str], publishers: Iterable[str]) -> bool:
    """Whether every name in ``authors`` is the outlet's own (or there is none)."""
    outlets = {k for k in (name_key(p) for p in publishers) if k}
    return all(_is_outlet(name_key(a), outlets) for a in authors)


def _is_outlet(key: str, outlets: set[str]) -> bool:
    return any(keys_match(key, o) for o in outlets)


def looks_like_person(name: str) -> bool:
    """Whether a name has the shape of a person's: two to MAX_NAME_WORDS capitalised words,
    or two to four characters of a script without case or spaces (松岡大地)."""
    words = name.split()
    if len(words) == 1:
        return 2 <= len(name) <= 4 and not any(c.isascii() or c.isupper() or c.islower()
                                                for c in name)
    return len(words) <= MAX_NAME_WORDS and all(
        w[0].isupper() or not w[0].isalpha() or w in _PARTICLES for w in words
    ) and sum(w[0].isupper() for w in words) >= 2


_PARTICLES = frozenset({"van", "von", "de", "da", "di", "del", "der", "den", "du", "la", "le",
                        "bin", "ibn", "al", "dos", "das", "do", "ter", "zu", "y"})


def _split(raw: str) -> list[str]:
    """One author field as the names it holds, each cleaned; junk entries dropped. A list
    item too long for a name is a description ("professor at ...") and is dropped whole."""
    text = _EMAIL.sub(" ", clean_text(raw))
    if _URL.search(text):
        return []
    names = []
    for item in _LIST.split(text):
        if len(item.split()) > MAX_NAME_WORDS:
            continue
        for part in _JOIN.split(item):
            name = _clean_name(part)
            if name:
                names.append(name)
    return names


def _clean_name(part: str) -> str:
    """A name without a leading "By", bracketed initials and role words; '' if nothing of a
    name is left (a URL slug, a photo credit, a date, a description)."""
    part = _BY.sub("", part.strip(" -–—:|·"))
    without = _BRACKETS.sub(" ", part).strip()
    part = without or part.strip("()[]（）【】")
    if _URL.search(part) or _SLUG.match(part) or _CREDIT.match(part) or _DIGIT.search(part):
        return ""
    words = part.split()
    if not words or len(words) > MAX_NAME_WORDS or part.casefold() in ROLE_WORDS:
        return ""
    if all(w.casefold().strip(",:") in ROLE_WORDS for w in words):
        return ""
    bare = list(words)
    while bare and bare[0].casefold().strip(",:") in ROLE_WORDS:
        bare.pop(0)
    while bare and bare[-1].casefold().strip(",:") in ROLE_WORDS:
        bare.pop()
    if bare != words and looks_like_person(" ".join(bare)):
        words = bare
    return " ".join(words).strip(" ,;:-–—")
