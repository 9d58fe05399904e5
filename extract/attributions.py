"""Quotes and claims of articles from one spaCy parse each (parsing is most of the cost)."""

from __future__ import annotations

from collections.abc import Iterable

from newsetl.extract.claims import CLAIMS_VERSION, Claim, claims_from_doc
from newsetl.extract.nlp import parse_texts
from newsetl.extract.quotes import QUOTES_VERSION, Quote, _for_parsing, quotes_from_doc

VERSIONS = {"quotes": QUOTES_VERSION, "claims": CLAIMS_VERSION}


def extract_attributions_many(
    texts: Iterable[str], batch_size: int = 16
) -> list[tuple[list[Quote], list[Claim]]]:
    """(quotes, claims) of each text, every text parsed once (long ones in pieces)."""
    texts = list(texts)
    docs = parse_texts((_for_parsing(t) for t in texts), batch_size=batch_size)
    found = []
    for text, doc in zip(texts, docs, strict=True):
        quotes = quotes_from_doc(text, doc)
        found.append((quotes, claims_from_doc(text, doc, quotes)))
    return found
