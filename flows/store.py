"""The warehouse as the flows use it: a run's ``Writer`` (the run lock held for the run, the
file opened only while a chunk commits), and each batch stored in one short transaction with
everything that belongs to it."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from prefect import task
from prefect.cache_policies import NO_CACHE

from newsetl.extract.records import Article
from newsetl.flows.corpus import Corpus
from newsetl.flows.extractors import Attributions, extractor_versions
from newsetl.flows.settings import Settings
from newsetl.values import Change, Flow
from newsetl.warehouse.derived import store_attributions
from newsetl.warehouse.load import (
    FeedLink,
    FeedRow,
    LoadCounts,
    classify,
    load_articles,
    load_feed_links,
    load_feeds,
    relocate_archive_files,
)
from newsetl.warehouse.runs import Run, RunError, Sessions, record_errors
from newsetl.warehouse.writer import Writer


@contextmanager
def run_writer(settings: Settings, flow: Flow) -> Iterator[Writer]:
    """The run's hold on its warehouse: the run lock (waiting up to ``lock_timeout`` for
    another run), the file opened for each block of work only (waiting up to
    ``commit_lock_timeout`` for other clients). Archive locations an older newsetl stored as
    absolute paths are made relative to this run's archive root first."""
    with Writer(settings.db, str(flow), settings.lock_timeout,
                settings.commit_lock_timeout) as writer:
        with writer.transaction() as warehouse:
            relocate_archive_files(warehouse, settings.archive)
        yield writer


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
def store(writer: Sessions, run: Run, load: Load, corpus: Corpus | None = None
          ) -> LoadCounts:
    """Write the corpus files of the batch's articles (if a corpus is given), then load the
    articles with their quotes and claims (their entities refreshed), the feed links, the
    feeds and the errors in one transaction. The errors are counted on ``run``."""
    names = corpus.write(load.articles) if corpus is not None else None
    with writer.session() as warehouse, warehouse.transaction():
        changes = load.changes if load.changes is not None else classify(warehouse,
                                                                          load.articles)
        counts = load_articles(warehouse, load.articles, run.id, names, changes)
        # an article found unchanged keeps the quotes and claims it has
        found = {key: value for key, value in load.found.items()
                 if changes.get(key) != Change.UNCHANGED}
        store_attributions(warehouse, found, extractor_versions(), run.id)
        load_feed_links(warehouse, load.links, run.id)
        load_feeds(warehouse, load.feeds, run.id)
        record_errors(warehouse, run.id, load.errors)
    run.errors += len(load.errors)
    return counts
