"""The extractors that run over article texts (quotes and claims), as batch tasks."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from prefect import task
from prefect.cache_policies import NO_CACHE

from newsetl.extract.records import Article
from newsetl.flows import progress
from newsetl.warehouse import Warehouse
from newsetl.warehouse.load import classify

Found = dict[str, Any]
"""article id -> its Attributions (quotes, claims and the entities they name)"""


def needing_extraction(warehouse: Warehouse, articles: Sequence[Article]) -> list[Article]:
    """The articles whose text is new or changed: only those are extracted again."""
    kinds = classify(warehouse, articles)
    return [a for a in articles if kinds.get(a.article_id) != "unchanged"]


@task(name="extract-attributions", cache_policy=NO_CACHE)
def find_attributions(articles: Sequence[Article]) -> Found:
    """Quotes and claims of a batch of articles, each parsed once."""
    if not articles:
        return {}
    # spaCy loads on first use only: runs with nothing new never pay for it
    from newsetl.extract.attribution import extract_attributions_many

    # the writer's own "I" and "we" resolve to the page's authors
    found = extract_attributions_many([a.content for a in articles],
                                      [a.authors for a in articles])
    progress.report("quotes", len(articles))
    return {a.article_id: pair for a, pair in zip(articles, found, strict=True)}


def extractor_versions() -> dict[str, str]:
    """Every extractor's version, as a run records them and rows carry them."""
    from newsetl.extract.article import EXTRACTOR_VERSION
    from newsetl.extract.attribution import VERSIONS

    return {"article": EXTRACTOR_VERSION, **VERSIONS}
