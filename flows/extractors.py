"""The extractors that run over article texts (quotes; claims later), as batch tasks."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from prefect import task
from prefect.cache_policies import NO_CACHE

from extract.records import Article
from flows import progress
from warehouse import Warehouse
from warehouse.load import classify


def needing_extraction(warehouse: Warehouse, articles: Sequence[Article]) -> list[Article]:
    """The articles whose text is new or changed: only those are extracted again."""
    kinds = classify(warehouse, articles)
    return [a for a in articles if kinds.get(a.article_id) != "unchanged"]


@task(name="extract-quotes", cache_policy=NO_CACHE)
def find_quotes(articles: Sequence[Article]) -> dict[str, list[Any]]:
    """Quotes with speakers for a batch of articles, parsed together (article id -> quotes)."""
    if not articles:
        return {}
    # spaCy loads on first use only: runs with nothing new never pay for it
    from extract.quotes import extract_quotes_many

    found = extract_quotes_many([a.content for a in articles])
    progress.report("quotes", len(articles))
    return {a.article_id: quotes for a, quotes in zip(articles, found, strict=True)}


def quotes_version() -> str:
    """The version of the quote extractor, as stored with each quote."""
    from extract.quotes import QUOTES_VERSION

    return QUOTES_VERSION


def extractor_versions() -> dict[str, str]:
    """Every extractor's version, as a run records them."""
    from extract.article import EXTRACTOR_VERSION

    return {"article": EXTRACTOR_VERSION, "quotes": quotes_version()}
