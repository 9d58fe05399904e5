"""The reprocess flow: run newer extractors over what is stored, without the network.

``article`` re-extracts the text of archived pages whose article extractor is older than the
current one; ``quotes`` and ``claims`` re-run those extractors over articles they have not
reached at their current versions. Each chunk swaps its rows in one transaction.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from pathlib import Path

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from newsetl.extract.article import EXTRACTOR_VERSION, NoArticleText, charset_of, extract_article
from newsetl.extract.records import Article, article_from_page
from newsetl.extract.warc import WarcError, read_record
from newsetl.flows import progress
from newsetl.flows.corpus import Corpus
from newsetl.flows.extractors import extractor_versions, find_attributions
from newsetl.flows.settings import Settings
from newsetl.flows.summary import ReprocessSummary
from newsetl.warehouse import Warehouse
from newsetl.warehouse.derived import stale_articles, store_attributions
from newsetl.warehouse.load import load_articles, read_articles, stale_pages
from newsetl.warehouse.runs import RunError, finish_run, record_errors, start_run

WHAT = ("article", "quotes", "claims", "all")


@task(name="reextract-pages", cache_policy=NO_CACHE)
def reextract_pages(
    articles: list[Article], archive: Path
) -> tuple[list[Article], list[RunError]]:
    """Articles extracted again from their archived pages; dates from feeds are kept."""
    done, errors = [], []
    for old in articles:
        path = Path(old.warc_file or "")
        path = path if path.is_absolute() else archive / path
        try:
            with path.open("rb") as stream:
                record = read_record(stream, old.warc_offset or 0, str(path))
            page = extract_article(record.content, record.url,
                                   charset=charset_of(record.headers))
        except (OSError, WarcError, NoArticleText) as error:
            errors.append(RunError("reprocess", old.article_id, type(error).__name__, str(error)))
            continue
        new = article_from_page(page, None, old.fetched_at or record.fetched_at, EXTRACTOR_VERSION)
        if old.date_source == "feed":
            date = old.published_date
            new = dataclasses.replace(
                article_from_page(dataclasses.replace(page, date=date), None,
                                  old.fetched_at or record.fetched_at, EXTRACTOR_VERSION),
                published_at=old.published_at, date_source="feed", page_date=new.page_date,
                page_date_source=new.page_date_source)
        # the id is the stored one: a changed canonical link does not make a new article
        done.append(dataclasses.replace(
            new, article_id=old.article_id, warc_file=old.warc_file, warc_offset=old.warc_offset,
            warc_length=old.warc_length))
        progress.report("articles", 1)
    return done, errors


@flow(name="reprocess", validate_parameters=False, log_prints=False)
def reprocess_flow(settings: Settings, what: str = "all", since: dt.date | None = None,
                   until: dt.date | None = None) -> ReprocessSummary:
    """Bring stored articles up to the current extractor versions."""
    started = time.monotonic()
    since_s = since.isoformat() if since else None
    until_s = until.isoformat() if until else None
    counts = {"articles_checked": 0, "articles_changed": 0, "articles_unarchived": 0,
              "quotes_articles": 0, "quotes_written": 0, "claims_articles": 0,
              "claims_written": 0, "errors": 0}
    with Warehouse.open(settings.db, lock_timeout=settings.lock_timeout) as warehouse:
        run_id = start_run(warehouse, "reprocess", {"what": what, "since": since_s,
                                                   "until": until_s, "db": settings.db})
        try:
            if what in ("article", "all"):
                _articles(warehouse, run_id, settings, since_s, until_s, counts)
            for extractor in ("quotes", "claims"):
                if what in (extractor, "all"):
                    _attributions(warehouse, run_id, settings, extractor, since_s, until_s,
                                  counts)
        except BaseException as error:
            status = "interrupted" if isinstance(error, KeyboardInterrupt) else "failed"
            finish_run(warehouse, run_id, status, counts, counts["errors"])
            raise
        finish_run(warehouse, run_id, "completed", counts, counts["errors"], extractor_versions())
    return ReprocessSummary(run_id=run_id, what=what, seconds=time.monotonic() - started,
                            **counts)


def _articles(warehouse: Warehouse, run_id: str, settings: Settings, since: str | None,
              until: str | None, counts: dict[str, int]) -> None:
    ids, unarchived = stale_pages(warehouse, EXTRACTOR_VERSION, since, until)
    counts["articles_unarchived"] += unarchived
    progress.report("articles", 0, len(ids))
    corpus = Corpus(settings.corpus)
    for start in range(0, len(ids), max(settings.chunk_size, 1)):
        old = read_articles(warehouse, ids[start:start + settings.chunk_size])
        new, errors = reextract_pages(old, Path(settings.archive))
        before = {a.article_id: a.content_hash for a in old}
        changed = [a for a in new if a.content_hash != before[a.article_id]]
        found = find_attributions(changed)
        # a file is rewritten only for articles the corpus holds already
        names = corpus.write([a for a in changed if a.article_id in corpus.files])
        warehouse.con.begin()
        try:
            load_articles(warehouse, new, run_id, names)
            warehouse.con.execute(
                "UPDATE articles SET extractor = ? WHERE article_id IN (SELECT unnest(?))",
                [EXTRACTOR_VERSION, [a.article_id for a in new]])
            store_attributions(warehouse, found, extractor_versions(), run_id)
            record_errors(warehouse, run_id, errors)
            warehouse.con.commit()
        except BaseException:
            warehouse.con.rollback()
            raise
        counts["articles_checked"] += len(old)
        counts["articles_changed"] += len(changed)
        counts["errors"] += len(errors)


def _attributions(warehouse: Warehouse, run_id: str, settings: Settings, extractor: str,
                  since: str | None, until: str | None, counts: dict[str, int]) -> None:
    """Re-run one extractor ('quotes' or 'claims') where an older version ran."""
    versions = extractor_versions()
    ids = stale_articles(warehouse, extractor, versions[extractor], since, until)
    progress.report(extractor, 0, len(ids))
    for start in range(0, len(ids), max(settings.chunk_size, 1)):
        articles = read_articles(warehouse, ids[start:start + settings.chunk_size])
        found = find_attributions(articles)
        warehouse.con.begin()
        try:
            quotes, claims = store_attributions(warehouse, found, versions, run_id, (extractor,))
            warehouse.con.commit()
        except BaseException:
            warehouse.con.rollback()
            raise
        counts[f"{extractor}_articles"] += len(articles)
        counts[f"{extractor}_written"] += quotes + claims
