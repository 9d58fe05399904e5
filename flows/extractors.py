"""The extractors that run over article texts (quotes and claims), as batch tasks."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from prefect import task
from prefect.cache_policies import NO_CACHE

from newsetl.extract.records import Article
from newsetl.flows import progress
from newsetl.flows.batch import Batch
from newsetl.flows.extraction import attribute_texts
from newsetl.flows.settings import Settings
from newsetl.values import Change, Stage

Attributions = Any
"""an article's ``newsetl.extract.attribution.Attributions``: its quotes and claims (it
unpacks as the pair) and the entities they name"""
Found = dict[str, Attributions]
"""article id -> its Attributions"""


def needing_extraction(articles: Sequence[Article], changes: Mapping[str, Change]
                       ) -> list[Article]:
    """The articles whose text is new or changed (``changes``: the batch's classification):
    only those are extracted again."""
    return [a for a in articles if changes.get(a.article_id) != Change.UNCHANGED]


@task(name="extract-attributions", cache_policy=NO_CACHE)
def find_attributions(articles: Sequence[Article], settings: Settings, bar: str = "quotes"
                      ) -> Batch[tuple[str, Attributions]]:
    """Quotes and claims of a batch of articles, each parsed once, in the worker processes:
    (article id, Attributions) items. An article the extractors fail on is recorded and
    stored without them (reprocess finds it once they are fixed). ``bar``: the progress
    stage it advances."""
    batch: Batch[tuple[str, Attributions]] = Batch(policy=settings.error_policy)
    # the writer's own "I" and "we" resolve to the page's authors
    found = attribute_texts([(a.content, a.authors) for a in articles], settings)
    for article, attributions in zip(articles, found, strict=True):
        with batch.attempt(Stage.ATTRIBUTIONS, article.url):
            if isinstance(attributions, BaseException):
                raise attributions
            batch.items.append((article.article_id, attributions))
    progress.report(bar, len(articles))
    return batch


def extractor_versions() -> dict[str, str]:
    """Every extractor's version, as a run records them and rows carry them."""
    from newsetl.extract.article import EXTRACTOR_VERSION
    from newsetl.extract.attribution import VERSIONS

    return {"article": EXTRACTOR_VERSION, **VERSIONS}
