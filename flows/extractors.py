"""The extractors that run over article texts (quotes and claims), as batch tasks."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from prefect import task
from prefect.cache_policies import NO_CACHE

from newsetl.extract.records import Article
from newsetl.flows import progress
from newsetl.flows.batch import Batch, must_raise
from newsetl.values import Change, ErrorPolicy, Stage

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
def find_attributions(articles: Sequence[Article], policy: ErrorPolicy = ErrorPolicy.RECORD,
                      bar: str = "quotes") -> Batch[tuple[str, Attributions]]:
    """Quotes and claims of a batch of articles, each parsed once: (article id, (quotes,
    claims)) items. An article the extractors fail on is recorded and stored without them
    (reprocess finds it once they are fixed). ``bar``: the progress stage it advances."""
    batch: Batch[tuple[str, Attributions]] = Batch(policy=policy)
    if not articles:
        return batch
    # spaCy loads on first use only: runs with nothing new never pay for it
    from newsetl.extract.attribution import extract_attributions_many

    try:
        # the writer's own "I" and "we" resolve to the page's authors
        found = extract_attributions_many([a.content for a in articles],
                                          [a.authors for a in articles])
    except Exception as error:  # noqa: BLE001 - one text broke the batch: find which below
        if must_raise(error, policy):
            raise
        for article in articles:
            with batch.attempt(Stage.ATTRIBUTIONS, article.url):
                [pair] = extract_attributions_many([article.content], [article.authors])
                batch.items.append((article.article_id, pair))
    else:
        batch.items.extend((a.article_id, pair) for a, pair in zip(articles, found, strict=True))
    progress.report(bar, len(articles))
    return batch


def extractor_versions() -> dict[str, str]:
    """Every extractor's version, as a run records them and rows carry them."""
    from newsetl.extract.article import EXTRACTOR_VERSION
    from newsetl.extract.attribution import VERSIONS

    return {"article": EXTRACTOR_VERSION, **VERSIONS}
