"""Backfill from WARC files: our own raw archive or standard crawls (CC-NEWS and the like).

Feed documents found in an archive give their entries' dates to the pages after them, so a
WARC that newsetl wrote gives back the very articles it ingested.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from newsetl.extract.article import charset_of
from newsetl.extract.feeds import FeedEntry, FeedParseError, parse_feed
from newsetl.extract.records import Article, Listing
from newsetl.extract.warc import WarcError, WarcPage, WarcStats, accept_html, iter_responses
from newsetl.extract.warc_write import RecordLocation
from newsetl.flows.batch import Batch, isolate, run_error
from newsetl.flows.extraction import PageJob, process_pages
from newsetl.flows.settings import Settings
from newsetl.values import ErrorPolicy, Stage

_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml",
               "application/feed+json", "application/xml", "text/xml", "application/x-rss+xml")


def is_warc(path: Path) -> bool:
    """Whether a file name says WARC (.warc or .warc.gz)."""
    return path.name.endswith((".warc", ".warc.gz"))


Extracted = tuple[Article, Any]
"""an archived page's article and its quotes and claims (None where they failed)"""


def read_warc(path: Path, location: str, skip_offsets: set[int], batch_size: int,
              policy: ErrorPolicy = ErrorPolicy.RECORD, settings: Settings | None = None,
              ) -> Iterator[Batch[Extracted]]:
    """Articles (with their quotes and claims) from the HTML responses of one WARC file, in
    batches, each batch's pages done side by side in the worker processes.

    ``location`` is how the warehouse names the file (relative to the archive root). Records
    at ``skip_offsets`` were loaded before (by a backfill or the ingest that archived them)
    and are passed over, so an interrupted backfill resumes where it stopped. A damaged
    record is recorded and skipped, and reading resumes at the next record; a file that
    cannot be read at all is one error. Pages are extracted within the settings' bounds.
    """
    settings = settings or Settings()
    entries: dict[str, FeedEntry] = {}
    stats = WarcStats()
    batch: Batch[Extracted] = Batch(policy=policy)
    jobs: list[PageJob] = []
    damaged: list[WarcError] = []

    def drain() -> None:
        # a damaged record costs itself only: recorded, and reading goes on after it
        batch.errors.extend(run_error(Stage.WARC, str(path), error) for error in damaged)
        damaged.clear()

    def accept(media_type: str, headers: dict[str, str]) -> bool:
        return accept_html(media_type, headers) or media_type in _FEED_TYPES

    def done() -> Batch[Extracted]:
        nonlocal batch, jobs
        finished, todo = batch, jobs
        batch, jobs = Batch(policy=policy), []
        for job, page in zip(todo, process_pages(todo, settings), strict=True):
            with finished.attempt(Stage.EXTRACT, job.url):
                if page.error is not None:
                    raise page.error
            if page.article is None:
                continue
            if page.cut is not None:
                finished.errors.append(run_error(Stage.EXTRACT, job.url, page.cut))
            with finished.attempt(Stage.ATTRIBUTIONS, page.article.url):
                if page.attribution_error is not None:
                    raise page.attribution_error
            finished.items.append((page.article, page.attributions))
        return finished

    try:
        with path.open("rb") as stream:
            for record in iter_responses(stream, str(path), accept, stats,
                                         on_damage=damaged.append):
                drain()
                if not accept_html(_media_type(record), record.headers):
                    with batch.attempt(Stage.FEED, record.url):
                        _remember_entries(record, entries)
                    continue
                if record.offset in skip_offsets:
                    continue
                entry = entries.get(record.url)
                jobs.append(PageJob(
                    record.content, record.url, record.fetched_at,
                    charset=charset_of(record.headers),
                    listing=Listing.of_entry(entry) if entry else None,
                    archived=RecordLocation(location, record.offset, record.length)))
                if len(jobs) + len(batch.errors) >= batch_size:
                    yield done()
    except Exception as error:  # noqa: BLE001 - a damaged or unreadable file is its error
        # (what came before the damage is yielded below)
        batch.errors.append(isolate(Stage.WARC, str(path), error, policy))
    drain()
    yield done()


def _media_type(record: WarcPage) -> str:
    declared = record.headers.get("content-type", "").split(";")[0].strip().lower()
    return declared or "text/html"


def _remember_entries(record: WarcPage, entries: dict[str, FeedEntry]) -> None:
    """Keep the entries of an archived feed: their dates win over the pages' own."""
    try:
        feed = parse_feed(record.content, record.url, record.headers)
    except FeedParseError:
        return
    for entry in feed.entries:
        entries.setdefault(entry.link, entry)
