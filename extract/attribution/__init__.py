"""Who said what: quotes and claims of articles, with their speakers and sources resolved
to the entities of each article.

Each article is parsed once (spaCy, batched with ``nlp.pipe``), its quotation marks are
scanned once, and its entity model is built once; quotes and then claims are read off
that one ``ParsedArticle``. Modules: ``lexicon`` (the one cue lexicon, hedges, titles),
``marks`` (the quotation-mark scanner), ``entities`` (the article's entity model),
``sieve`` (finding a content's source, and ``confidence``), ``quotes``, ``claims``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from newsetl.extract.attribution.claims import CLAIMS_VERSION, Claim, find_claims
from newsetl.extract.attribution.entities import SOURCE_TYPES, ParsedArticle, parse_article
from newsetl.extract.attribution.marks import for_parsing, scan
from newsetl.extract.attribution.quotes import QUOTES_VERSION, Quote, find_quotes
from newsetl.extract.nlp import parse_texts
from newsetl.values import CONFIDENCE_THRESHOLD

__all__ = [
    "CONFIDENCE_THRESHOLD",
    "SOURCE_TYPES",
    "VERSIONS",
    "Attributions",
    "Claim",
    "EntityRecord",
    "Quote",
    "extract_attributions",
    "extract_attributions_many",
    "extract_claims",
    "extract_quotes",
    "extract_quotes_many",
]

VERSIONS = {"quotes": QUOTES_VERSION, "claims": CLAIMS_VERSION}


@dataclass(frozen=True)
class EntityRecord:
    """One entity of an article that a quote or claim names: its name (the fullest the
    article gives), type, and every name it goes by in the article."""

    name: str
    type: str
    aliases: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "type": self.type, "aliases": list(self.aliases)}


@dataclass(frozen=True)
class Attributions:
    """The quotes and claims of one article, and the entities they name.

    ``Quote.speaker_entity`` and ``Claim.source_entity`` index ``entities``.
    """

    quotes: tuple[Quote, ...]
    claims: tuple[Claim, ...]
    entities: tuple[EntityRecord, ...]


def attributions_of(article: ParsedArticle) -> Attributions:
    """Quotes, claims and named entities of one parsed article."""
    quotes = find_quotes(article)
    claims = find_claims(article, quotes)
    return _renumber(article, quotes, claims)


def _renumber(article: ParsedArticle, quotes: Sequence[Quote], claims: Sequence[Claim]):
    """Keep only the entities that a quote or claim names, numbered from 0."""
    from dataclasses import replace

    used: dict[int, int] = {}
    for eid in [q.speaker_entity for q in quotes] + [c.source_entity for c in claims]:
        if eid is not None and eid not in used:
            used[eid] = len(used)
    records = []
    for eid in used:
        entity = article.entities.entities[eid]
        aliases = sorted({entity.printed.get(n, " ".join(n)) for n in entity.names} - {""})
        records.append(EntityRecord(entity.display(), entity.type, tuple(aliases)))
    quotes = [replace(q, speaker_entity=used.get(q.speaker_entity)) if q.speaker_entity is not None
              else q for q in quotes]
    claims = [replace(c, source_entity=used.get(c.source_entity)) if c.source_entity is not None
              else c for c in claims]
    return Attributions(tuple(quotes), tuple(claims), tuple(records))


def extract_attributions_many(
    texts: Iterable[str], authors: Iterable[Sequence[str]] | None = None, batch_size: int = 16
) -> list[Attributions]:
    """The attributions of each text (dated format or raw), every text parsed once.

    ``authors`` gives each text's authors: the writer's own "I" and "we" resolve to them.
    """
    texts = [for_parsing(t) for t in texts]
    authors = list(authors) if authors is not None else [()] * len(texts)
    docs = parse_texts(texts, batch_size=batch_size)
    return [attributions_of(parse_article(text, doc, scan(text), names))
            for text, doc, names in zip(texts, docs, authors, strict=True)]


def extract_attributions(text: str, authors: Sequence[str] = ()) -> Attributions:
    """The attributions of one article."""
    return extract_attributions_many([text], [authors])[0]


def extract_quotes(text: str) -> list[Quote]:
    """The quotes of one article (dated format or raw text)."""
    return extract_quotes_many([text])[0]


def extract_claims(text: str) -> list[Claim]:
    """The claims of one article (dated format or raw text)."""
    return list(extract_attributions(text).claims)


def extract_quotes_many(texts: Iterable[str], batch_size: int = 16) -> list[list[Quote]]:
    """The quotes of many articles; texts without a quotation mark are not parsed."""
    texts = [for_parsing(t) for t in texts]
    segments = [scan(t) for t in texts]
    todo = [i for i, segs in enumerate(segments) if segs]
    out: list[list[Quote]] = [[] for _ in texts]
    docs = parse_texts((texts[i] for i in todo), batch_size=batch_size)
    for i, doc in zip(todo, docs, strict=True):
        out[i] = find_quotes(parse_article(texts[i], doc, segments[i]))
    return out
