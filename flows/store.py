"""The warehouse as the flows use it: opened for a run, and each batch stored in one
short transaction with everything that belongs to it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from prefect import task
from prefect.cache_policies import NO_CACHE

from newsetl.extract.records import Article
from newsetl.flows.corpus import Corpus
from newsetl.flows.extractors import Attributions, extractor_versions
from newsetl.flows.settings import Settings
from newsetl.values import Change
from newsetl.warehouse import Warehouse
from newsetl.warehouse.derived import store_attributions
from newsetl.warehouse.load import (
    FeedLink,
    FeedRow,
    LoadCounts,
    load_articles,
    load_feed_links,
    load_feeds,
    relocate_archive_files,
)
from newsetl.warehouse.runs import Run, RunError, record_errors


def open_warehouse(settings: Settings) -> Warehouse:
    """Open the run's warehouse for writing (waiting up to ``lock_timeout`` for another
    process's lock); archive locations an older newsetl stored as absolute paths are made
    relative to this run's archive root."""
    warehouse = Warehouse.open(settings.db, lock_timeout=settings.lock_timeout)
    try:
        with warehouse.transaction():
            relocate_archive_files(warehouse, settings.archive)
    except BaseException:
        warehouse.close()
        raise
    return warehouse


@dataclass(frozen=True)
class Load:
    """Everything one batch writes; it is stored all at once or not at all."""

    articles: Sequence[Article] = ()
    """each article id once (``unique_articles``)"""
    changes: Mapping[str, Change] | None = None
    """the articles' classification (``classify``), made once per batch (None: made here)"""
    found: Mapping[str, Attributions] = field(default_factory=dict)
    """the quotes and claims of the new and changed articles"""
    links: Sequence[FeedLink] = ()
    feeds: Sequence[FeedRow] = ()
    errors: Sequence[RunError] = ()


@task(name="load", cache_policy=NO_CACHE)
def store(warehouse: Warehouse, run: Run, load: Load, corpus: Corpus | None = None
          ) -> LoadCounts:
    """Write the corpus files of the batch's articles (if a corpus is given), then load the
    articles with their quotes and claims, the feed links, the feeds and the errors in one
    transaction. The errors are counted on ``run``."""
    names = corpus.write(load.articles) if corpus is not None else None
    with warehouse.transaction():
        counts = load_articles(warehouse, load.articles, run.id, names, load.changes)
        store_attributions(warehouse, load.found, extractor_versions(), run.id)
        load_feed_links(warehouse, load.links, run.id)
        load_feeds(warehouse, load.feeds, run.id)
        record_errors(warehouse, run.id, load.errors)
    run.errors += len(load.errors)
    return counts
