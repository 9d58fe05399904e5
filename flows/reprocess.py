"""The reprocess flow: run newer extractors over what is stored, without the network.

``article`` re-extracts the text of archived pages whose article extractor is older than the
current one; ``quotes`` and ``claims`` re-run those extractors over articles they have not
reached at their current versions. Each chunk swaps its rows in one transaction.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from newsetl.extract.article import EXTRACTOR_VERSION, charset_of
from newsetl.extract.records import Article, Listing
from newsetl.extract.warc import read_record
from newsetl.extract.warc_write import RecordLocation
from newsetl.flows import progress
from newsetl.flows.batch import Batch, run_error
from newsetl.flows.corpus import Corpus
from newsetl.flows.extraction import PageJob, process_pages
from newsetl.flows.extractors import extractor_versions, find_attributions
from newsetl.flows.settings import Settings
from newsetl.flows.store import run_writer
from newsetl.flows.summary import ReprocessSummary
from newsetl.values import LISTED_DATES, Change, Extractor, Flow, Stage, Target
from newsetl.warehouse.derived import stale_articles, store_attributions
from newsetl.warehouse.load import (
    load_articles,
    read_articles,
    set_article_extractor,
    stale_pages,
)
from newsetl.warehouse.runs import Run, record_errors, recorded_run
from newsetl.warehouse.writer import Writer


@task(name="reextract-pages", cache_policy=NO_CACHE)
def reextract_pages(articles: list[Article], archive: Path, settings: Settings
                    ) -> Batch[tuple[Article, Any]]:
    """Articles extracted again from their archived pages (``archive``: the archive root), in
    the worker processes and within the bounds ingest extracts in (``extract_timeout``, a
    worker's memory, ``max_text_chars``: a cut text is noted), with the quotes and claims of
    those whose text changed (None for the others); dates a feed or sitemap gave are kept,
    and so are the ids."""
    batch: Batch[tuple[Article, Any]] = Batch(policy=settings.error_policy)
    jobs: list[tuple[Article, PageJob]] = []
    for old in articles:
        with batch.attempt(Stage.REPROCESS, old.article_id):
            path = Path(old.warc_file or "")
            path = path if path.is_absolute() else archive / path
            with path.open("rb") as stream:
                record = read_record(stream, old.warc_offset or 0, str(path))
            jobs.append((old, PageJob(
                record.content, record.url, old.fetched_at or record.fetched_at,
                charset=charset_of(record.headers), listing=_stored_listing(old),
                archived=RecordLocation(old.warc_file or "", old.warc_offset or 0,
                                        old.warc_length or 0),
                extractor=EXTRACTOR_VERSION,
                # the id is the stored one: a changed canonical link does not make a new one
                article_id=old.article_id, stored=((old.article_id, old.content_hash),))))
    done = process_pages([job for _, job in jobs], settings)
    for (old, _), page in zip(jobs, done, strict=True):
        with batch.attempt(Stage.REPROCESS, old.article_id):
            if page.error is not None:
                raise page.error
        if page.cut is not None:
            batch.errors.append(run_error(Stage.REPROCESS, old.article_id, page.cut))
        if page.article is not None:
            with batch.attempt(Stage.ATTRIBUTIONS, page.article.url):
                if page.attribution_error is not None:
                    raise page.attribution_error
            batch.items.append((page.article, page.attributions))
        progress.report("articles", 1)
    return batch


def _stored_listing(article: Article) -> Listing | None:
    """The listed date a stored article got from a feed or sitemap, which the page's own
    date does not overrule on re-extraction."""
    if article.date_source not in LISTED_DATES:
        return None
    return Listing(article.date_source, published_at=article.published_at,
                   published_date=article.published_date)


@flow(name="reprocess", validate_parameters=False, log_prints=False)
def reprocess_flow(settings: Settings, what: Target | str = Target.ALL,
                   since: dt.date | None = None, until: dt.date | None = None
                   ) -> ReprocessSummary:
    """Bring stored articles up to the current extractor versions, a chunk at a time."""
    started = time.monotonic()
    what = Target(what)
    since_s = since.isoformat() if since else None
    until_s = until.isoformat() if until else None
    counts = {"articles_checked": 0, "articles_changed": 0, "articles_unarchived": 0,
              "quotes_articles": 0, "quotes_written": 0, "claims_articles": 0,
              "claims_written": 0, "errors": 0}
    params = {"what": what, "since": since_s, "until": until_s, "db": settings.db}
    with run_writer(settings, Flow.REPROCESS) as writer, \
            recorded_run(writer, Flow.REPROCESS, params) as run:
        run.counts = counts
        if what.includes(Target.ARTICLE):
            _articles(writer, run, settings, since_s, until_s, counts)
        for extractor in (Extractor.QUOTES, Extractor.CLAIMS):
            if what.includes(Target(extractor)):
                _attributions(writer, run, settings, extractor, since_s, until_s, counts)
        run.extractors = extractor_versions()
    return ReprocessSummary(run_id=run.id, what=what, seconds=time.monotonic() - started,
                            **counts)


def _articles(writer: Writer, run: Run, settings: Settings, since: str | None,
              until: str | None, counts: dict[str, int]) -> None:
    with writer.session() as warehouse:
        ids, unarchived = stale_pages(warehouse, EXTRACTOR_VERSION, since, until)
    counts["articles_unarchived"] += unarchived
    progress.report("articles", 0, len(ids))
    corpus = Corpus(settings.corpus)
    size = max(settings.chunk_size, 1)
    for start in range(0, len(ids), size):
        with writer.session() as warehouse:
            old = read_articles(warehouse, ids[start:start + size])
        new = reextract_pages(old, Path(settings.archive), settings)
        before = {a.article_id: a.content_hash for a in old}
        articles = [a for a, _ in new.items]
        changes = {a.article_id: Change.UPDATED if a.content_hash != before[a.article_id]
                   else Change.UNCHANGED for a in articles}
        changed = [a for a in articles if changes[a.article_id] == Change.UPDATED]
        found = {a.article_id: f for a, f in new.items
                 if f is not None and changes[a.article_id] == Change.UPDATED}
        errors = new.errors
        # a file is rewritten only for articles the corpus holds already
        names = corpus.write([a for a in changed if a.article_id in corpus.files])
        with writer.transaction() as warehouse:
            load_articles(warehouse, articles, run.id, names, changes)
            set_article_extractor(warehouse, [a.article_id for a in articles],
                                  EXTRACTOR_VERSION)
            store_attributions(warehouse, found, extractor_versions(), run.id)
            record_errors(warehouse, run.id, errors)
        run.errors += len(errors)
        counts["articles_checked"] += len(old)
        counts["articles_changed"] += len(changed)
        counts["errors"] += len(errors)


def _attributions(writer: Writer, run: Run, settings: Settings, extractor: Extractor,
                  since: str | None, until: str | None, counts: dict[str, int]) -> None:
    """Re-run one extractor (quotes or claims) where an older version ran."""
    versions = extractor_versions()
    with writer.session() as warehouse:
        ids = stale_articles(warehouse, extractor, versions[extractor], since, until)
    progress.expect(extractor, len(ids))
    size = max(settings.chunk_size, 1)
    for start in range(0, len(ids), size):
        with writer.session() as warehouse:
            articles = read_articles(warehouse, ids[start:start + size])
        found = find_attributions(articles, settings, bar=extractor)
        with writer.transaction() as warehouse:
            quotes, claims = store_attributions(warehouse, dict(found.items), versions, run.id,
                                                (extractor,))
            record_errors(warehouse, run.id, found.errors)
        run.errors += len(found.errors)
        counts[f"{extractor}_articles"] += len(articles)
        counts[f"{extractor}_written"] += quotes + claims
        counts["errors"] += len(found.errors)
