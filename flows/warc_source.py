"""Backfill from WARC files: our own raw archive or standard crawls (CC-NEWS and the like).

Feed documents found in an archive give their entries' dates to the pages after them, so a
WARC that newsetl wrote gives back the very articles it ingested.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from newsetl.extract.article import EXTRACTOR_VERSION, NoArticleText, charset_of
from newsetl.extract.feeds import FeedEntry, FeedParseError, parse_feed
from newsetl.extract.ids import InvalidUrl
from newsetl.extract.records import Article, article_from_page
from newsetl.extract.warc import WarcError, WarcPage, WarcStats, accept_html, iter_responses
from newsetl.flows.extraction import ExtractionFailed, extract_page
from newsetl.flows.settings import Settings
from newsetl.warehouse.runs import RunError

_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml",
               "application/feed+json", "application/xml", "text/xml", "application/x-rss+xml")


@dataclass(frozen=True)
class WarcBatch:
    """Articles read from a run of records of one WARC file, and what failed there."""

    articles: list[Article]
    errors: list[RunError]
    pages: int


def is_warc(path: Path) -> bool:
    """Whether a file name says WARC (.warc or .warc.gz)."""
    return path.name.endswith((".warc", ".warc.gz"))


def read_warc(path: Path, skip_offsets: set[int], batch_size: int,
              settings: Settings | None = None) -> Iterator[WarcBatch]:
    """Articles from the HTML responses of one WARC file, in batches.

    Records at ``skip_offsets`` were loaded by an earlier backfill and are passed over, so an
    interrupted backfill resumes where it stopped. A damaged record is recorded and skipped,
    and reading resumes at the next record.
    """
    entries: dict[str, FeedEntry] = {}
    stats = WarcStats()
    batch: list[Article] = []
    errors: list[RunError] = []
    pages = 0

    def accept(media_type: str, headers: dict[str, str]) -> bool:
        return accept_html(media_type, headers) or media_type in _FEED_TYPES

    damaged: list[WarcError] = []

    def drain() -> None:
        # a damaged record costs itself only: recorded, and reading goes on after it
        errors.extend(RunError("warc", str(path), "WarcError", str(e)) for e in damaged)
        damaged.clear()

    with path.open("rb") as stream:
        try:
            for record in iter_responses(stream, str(path), accept, stats,
                                         on_damage=damaged.append):
                drain()
                if not accept_html(_media_type(record), record.headers):
                    _remember_entries(record, entries)
                    continue
                if record.offset in skip_offsets:
                    continue
                pages += 1
                article = _article(record, path, entries, errors, settings or Settings())
                if article is not None:
                    batch.append(article)
                if len(batch) + len(errors) >= batch_size:
                    yield WarcBatch(batch, errors, pages)
                    batch, errors, pages = [], [], 0
        except WarcError as error:
            errors.append(RunError("warc", str(path), "WarcError", str(error)))
        except OSError as error:
            errors.append(RunError("warc", str(path), type(error).__name__,
                                   f"{path}: cannot be read: {error.strerror or error}"))
        drain()
    yield WarcBatch(batch, errors, pages)


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


def _article(record: WarcPage, path: Path, entries: dict[str, FeedEntry],
             errors: list[RunError], settings: Settings) -> Article | None:
    try:
        page, cut = extract_page(record.content, record.url, settings,
                                 charset=charset_of(record.headers))
        # a record's WARC-Target-URI is whatever the crawler wrote: it may not parse
        article = article_from_page(page, entries.get(record.url), record.fetched_at,
                                    EXTRACTOR_VERSION)
    except (NoArticleText, ExtractionFailed, InvalidUrl) as error:
        errors.append(RunError("extract", record.url, getattr(error, "kind", "NoArticleText"),
                               str(error)))
        return None
    if cut is not None:
        errors.append(RunError("extract", record.url, cut.kind, str(cut)))
    return replace(article, warc_file=str(path.resolve()), warc_offset=record.offset,
                   warc_length=record.length)
