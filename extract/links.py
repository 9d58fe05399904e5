"""Paragraphs that are the text of links: "read also" lines, related headlines, navigation.

trafilatura drops the link-dense blocks it recognises; what slips through is a paragraph whose
text is mostly the text of one or more of the page's links. Those are not the article's.
"""

from __future__ import annotations

import re
from collections.abc import Sequence, Set
from dataclasses import dataclass

from lxml.html import HtmlElement

from newsetl.extract.dated import normalize_paragraph
from newsetl.extract.words import count_words

LINK_PARAGRAPH_SHARE = 0.7
"""a paragraph this much of whose characters are link text is a link, not article text"""
MIN_LINK_CHARS = 15
"""link texts shorter than this ("here", "Reuters") count only when they are the whole
paragraph: short words are linked inside sentences everywhere"""

_ADDRESS = re.compile(r"^(?:https?://|www\.)\S*$|^[\w-]+(?:\.[\w-]+)+(?:/\S*)?$", re.I)


@dataclass(frozen=True)
class LinkTexts:
    """The texts of a page's links, normalised as paragraphs are."""

    whole: Set[str]
    """every link text"""
    long: tuple[str, ...]
    """those long enough to be looked for inside a paragraph"""


def read_link_texts(tree: HtmlElement) -> LinkTexts:
    """The text of every link on the page, but links written out as addresses: an article
    that prints "www.example.org" or "https://..." means the reader to see it."""
    texts = {normalize_paragraph("".join(a.itertext())) for a in tree.iter("a")}
    texts = {t for t in texts if t and not _ADDRESS.match(t)}
    return LinkTexts(whole=texts, long=tuple(t for t in texts if len(t) >= MIN_LINK_CHARS))


def link_share(paragraph: str, links: LinkTexts) -> float:
    """How much of ``paragraph`` is link text, from 0 to 1."""
    if paragraph in links.whole:
        return 1.0
    size = len(paragraph)
    covered = sum(len(t) for t in links.long if len(t) <= size and t in paragraph)
    return min(1.0, covered / size) if size else 0.0


def drop_link_paragraphs(paragraphs: Sequence[str], links: LinkTexts
                         ) -> tuple[list[str], int]:
    """The paragraphs that are not links, and the number of words in those that are."""
    kept, dropped = [], 0
    for paragraph in paragraphs:
        if link_share(paragraph, links) >= LINK_PARAGRAPH_SHARE:
            dropped += count_words(paragraph)
        else:
            kept.append(paragraph)
    return kept, dropped
