"""Bulk loads: feeds, articles and their feed links, staged as Arrow tables.

Row-by-row INSERTs are 200x slower in DuckDB (STACK.md): everything here goes through one
registered Arrow table and one set-based statement per table.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa

from newsetl.extract.records import Article
from newsetl.values import HEALTHY_FEED, Change, DateSource, FeedStatus, SavedBy, SourceKind
from newsetl.warehouse.checks import sql_values
from newsetl.warehouse.db import Warehouse

_ARTICLE_SCHEMA = pa.schema([
    ("article_id", pa.string()),
    ("url", pa.string()),
    ("canonical_url", pa.string()),
    ("title", pa.string()),
    ("authors", pa.list_(pa.string())),
    ("language", pa.string()),
    ("published_at", pa.timestamp("us", tz="UTC")),
    ("published_date", pa.date32()),
    ("date_source", pa.string()),
    ("text", pa.string()),
    ("content_hash", pa.string()),
    ("word_count", pa.int32()),
    ("source_kind", pa.string()),
    ("extractor", pa.string()),
    ("corpus_file", pa.string()),
    ("fetched_at", pa.timestamp("us", tz="UTC")),
    ("warc_file", pa.string()),
    ("warc_offset", pa.int64()),
    ("warc_length", pa.int64()),
    ("body_hash", pa.string()),
    ("simhash", pa.int64()),
    ("title_source", pa.string()),
    ("authors_source", pa.string()),
    ("site_name", pa.string()),
    ("page_date", pa.date32()),
    ("page_date_source", pa.string()),
])
_ARTICLE_COLUMNS = [f.name for f in _ARTICLE_SCHEMA]
# on a changed text these are rewritten; first_seen_at and first_run_id are kept
_KEPT = ("article_id", "corpus_file", "warc_file", "warc_offset", "warc_length")
_UPDATED = [c for c in _ARTICLE_COLUMNS if c not in _KEPT]


@dataclass(frozen=True)
class LoadCounts:
    """What a load did to the articles table."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass(frozen=True)
class FeedRow:
    """A feed's state after a fetch, as the feeds table keeps it."""

    feed_id: str
    url: str
    name: str | None
    tags: tuple[str, ...]
    title: str | None
    site_url: str | None
    format: str | None
    status: FeedStatus
    error: str | None
    entries: int | None
    http_status: int | None = None
    etag: str | None = None
    last_modified: str | None = None
    body_hash: str | None = None
    saved_by: SavedBy | None = None
    """what made the fetch unnecessary, for not_modified"""
    next_poll_at: dt.datetime | None = None


@dataclass(frozen=True)
class FeedState:
    """What the warehouse remembers of a feed between polls."""

    etag: str | None
    last_modified: str | None
    body_hash: str | None
    failures: int
    next_poll_at: dt.datetime | None


@dataclass(frozen=True)
class FeedLink:
    """That a feed carried an article, under which entry."""

    article_id: str
    feed_id: str
    entry_guid: str
    entry_link: str
    entry_title: str
    entry_hash: str


def classify(warehouse: Warehouse, articles: Sequence[Article]) -> dict[str, Change]:
    """For each article id: new, updated (its text changed) or unchanged; the batch's ids and
    hashes are staged and joined with the stored ones in SQL."""
    if not articles:
        return {}
    staged = pa.table({
        "article_id": [a.article_id for a in articles],
        "content_hash": [a.content_hash for a in articles],
    })
    with warehouse.staged("staged_hashes", staged):
        rows = warehouse.con.execute(
            f"SELECT s.article_id, CASE WHEN a.article_id IS NULL THEN '{Change.NEW}'"
            f" WHEN a.content_hash <> s.content_hash THEN '{Change.UPDATED}'"
            f" ELSE '{Change.UNCHANGED}' END"
            " FROM staged_hashes s LEFT JOIN articles a USING (article_id)"
        ).fetchall()
    return {article_id: Change(change) for article_id, change in rows}


def load_articles(
    warehouse: Warehouse,
    articles: Sequence[Article],
    run_id: str,
    corpus_files: Mapping[str, str] | None = None,
    changes: Mapping[str, Change] | None = None,
) -> LoadCounts:
    """Insert new articles and rewrite changed ones, in one statement; return the counts.

    ``changes`` is the batch's ``classify``, made once before its extractors ran (classified
    here if not given). Unchanged articles are not touched: their run_id stays that of the
    run that wrote them. Callers pass each article id once (see ``unique_articles``).
    """
    kinds = classify(warehouse, articles) if changes is None else changes
    changed = [a for a in articles if kinds[a.article_id] != Change.UNCHANGED]
    counts = LoadCounts(
        new=sum(1 for a in articles if kinds[a.article_id] == Change.NEW),
        updated=sum(1 for a in articles if kinds[a.article_id] == Change.UPDATED),
        unchanged=sum(1 for a in articles if kinds[a.article_id] == Change.UNCHANGED),
    )
    if not changed:
        return counts
    files = corpus_files or {}
    table = pa.Table.from_pylist(
        [_article_row(a, files.get(a.article_id)) for a in changed], schema=_ARTICLE_SCHEMA
    )
    columns = ", ".join(_ARTICLE_COLUMNS)
    updates = ", ".join(f"{c} = excluded.{c}" for c in _UPDATED)
    with warehouse.staged("staged_articles", table):
        warehouse.con.execute(
            f"INSERT INTO articles ({columns}, first_seen_at, updated_at, first_run_id, run_id)"
            f" SELECT {columns}, now(), now(), $run, $run FROM staged_articles"
            f" ON CONFLICT (article_id) DO UPDATE SET {updates},"
            " corpus_file = coalesce(excluded.corpus_file, articles.corpus_file),"
            " warc_file = coalesce(excluded.warc_file, articles.warc_file),"
            " warc_offset = CASE WHEN excluded.warc_file IS NULL THEN articles.warc_offset"
            " ELSE excluded.warc_offset END,"
            " warc_length = CASE WHEN excluded.warc_file IS NULL THEN articles.warc_length"
            " ELSE excluded.warc_length END,"
            " updated_at = now(), run_id = excluded.run_id",
            {"run": run_id},
        )
        mark_duplicates(warehouse, "staged_articles")
    return counts


NEAR_BITS = 6
"""simhashes this close are near-duplicates (one changed word moves about five bits)"""
NEAR_DAYS = 7
"""near-duplicates are looked for among articles published this many days around"""


def mark_duplicates(warehouse: Warehouse, staged: str) -> None:
    """Mark the staged articles that repeat an earlier article: the same paragraphs
    ('exact') or a simhash within NEAR_BITS bits, published within NEAR_DAYS ('near')."""
    warehouse.con.execute(
        f"""
        UPDATE articles SET duplicate_of = found.original, duplicate_kind = found.kind
        FROM (
            SELECT s.article_id,
                   arg_min(o.article_id, (o.body_hash <> s.body_hash, o.first_seen_at,
                                          o.article_id)) AS original,
                   CASE WHEN bool_or(o.body_hash = s.body_hash) THEN 'exact' ELSE 'near' END
                       AS kind
            FROM {staged} s
            JOIN articles a ON a.article_id = s.article_id
            JOIN articles o ON o.article_id <> s.article_id
                AND o.duplicate_of IS NULL
                AND (o.first_seen_at, o.article_id) < (a.first_seen_at, a.article_id)
                AND abs(date_diff('day', o.published_date, s.published_date)) <= {NEAR_DAYS}
                AND (o.body_hash = s.body_hash
                     OR bit_count(xor(o.simhash, s.simhash)) <= {NEAR_BITS})
            GROUP BY s.article_id
        ) AS found
        WHERE articles.article_id = found.article_id
        """
    )


def unique_articles(articles: Iterable[Article]) -> list[Article]:
    """The first article of each id: two links may lead to one canonical URL."""
    seen: dict[str, Article] = {}
    for article in articles:
        seen.setdefault(article.article_id, article)
    return list(seen.values())


def load_feed_links(warehouse: Warehouse, links: Sequence[FeedLink], run_id: str) -> None:
    """Record which feed carried which article; a link seen again only moves last_seen_at."""
    unique = {(link.article_id, link.feed_id): link for link in links}
    if not unique:
        return
    table = pa.Table.from_pylist([link.__dict__ for link in unique.values()])
    with warehouse.staged("staged_links", table):
        warehouse.con.execute(
            "INSERT INTO article_feeds SELECT article_id, feed_id, entry_guid, entry_link,"
            " entry_title, entry_hash, now(), now(), $run FROM staged_links"
            " ON CONFLICT (article_id, feed_id) DO UPDATE SET entry_guid = excluded.entry_guid,"
            " entry_link = excluded.entry_link, entry_title = excluded.entry_title,"
            " entry_hash = excluded.entry_hash, last_seen_at = now(), run_id = excluded.run_id",
            {"run": run_id},
        )


_FEED_SCHEMA = pa.schema([
    ("feed_id", pa.string()), ("url", pa.string()), ("name", pa.string()),
    ("tags", pa.list_(pa.string())), ("title", pa.string()), ("site_url", pa.string()),
    ("format", pa.string()), ("status", pa.string()), ("error", pa.string()),
    ("entries", pa.int32()), ("http_status", pa.int32()), ("etag", pa.string()),
    ("last_modified", pa.string()), ("body_hash", pa.string()), ("saved_by", pa.string()),
    ("next_poll_at", pa.timestamp("us", tz="UTC")),
])
_HEALTHY = sql_values(HEALTHY_FEED)


def load_feeds(warehouse: Warehouse, feeds: Sequence[FeedRow], run_id: str) -> None:
    """Upsert the listed feeds with the outcome of this run's fetch, and log the fetches."""
    if not feeds:
        return
    table = pa.Table.from_pylist([{**f.__dict__, "tags": list(f.tags)} for f in feeds],
                                 schema=_FEED_SCHEMA)
    with warehouse.staged("staged_feeds", table):
        warehouse.con.execute(
            "INSERT INTO feeds (feed_id, url, name, tags, title, site_url, format, first_run_id,"
            " last_run_id, last_fetched_at, last_status, last_error, last_entries, etag,"
            " last_modified, body_hash, last_saved_by, consecutive_failures, next_poll_at)"
            " SELECT feed_id, url, name, tags, title, site_url, format, $run, $run, now(),"
            " status, error, entries, etag, last_modified, body_hash, saved_by,"
            f" CASE WHEN status IN {_HEALTHY} THEN 0 ELSE 1 END, next_poll_at FROM staged_feeds"
            " ON CONFLICT (feed_id) DO UPDATE SET name = excluded.name, tags = excluded.tags,"
            " title = coalesce(excluded.title, feeds.title),"
            " site_url = coalesce(excluded.site_url, feeds.site_url),"
            " format = coalesce(excluded.format, feeds.format), last_run_id = excluded.last_run_id,"
            " last_fetched_at = excluded.last_fetched_at, last_status = excluded.last_status,"
            " last_error = excluded.last_error,"
            " last_entries = coalesce(excluded.last_entries, feeds.last_entries),"
            # validators survive a failed fetch: the next one can still be conditional
            f" etag = CASE WHEN excluded.last_status IN {_HEALTHY}"
            " THEN excluded.etag ELSE feeds.etag END,"
            f" last_modified = CASE WHEN excluded.last_status IN {_HEALTHY}"
            " THEN excluded.last_modified ELSE feeds.last_modified END,"
            " body_hash = coalesce(excluded.body_hash, feeds.body_hash),"
            " last_saved_by = excluded.last_saved_by,"
            f" consecutive_failures = CASE WHEN excluded.last_status IN {_HEALTHY} THEN 0"
            " ELSE feeds.consecutive_failures + 1 END,"
            " next_poll_at = excluded.next_poll_at",
            {"run": run_id},
        )
        warehouse.con.execute(
            "INSERT INTO feed_fetches SELECT feed_id, $run, now(), status, http_status, saved_by,"
            " entries, error FROM staged_feeds",
            {"run": run_id},
        )


def feed_states(warehouse: Warehouse, urls: Sequence[str]) -> dict[str, FeedState]:
    """Feed URL -> what the last polls left (validators, failures, the next poll time), for
    the feeds of ``urls`` that were polled before."""
    if not urls:
        return {}
    with warehouse.staged("staged_feed_urls", pa.table({"url": list(urls)})):
        rows = warehouse.con.execute(
            "SELECT url, etag, last_modified, body_hash, coalesce(consecutive_failures, 0),"
            " next_poll_at FROM feeds SEMI JOIN staged_feed_urls USING (url)"
        ).fetchall()
    return {r[0]: FeedState(r[1], r[2], r[3], r[4], r[5]) for r in rows}


def feed_health(warehouse: Warehouse) -> tuple[list[str], list[tuple]]:
    """Every feed's health: url, name, status, failures in a row, last fetch, next poll."""
    return warehouse.query(
        "SELECT url, name, last_status AS status, coalesce(consecutive_failures, 0) AS failures,"
        " last_entries AS entries, strftime(last_fetched_at, '%Y-%m-%d %H:%M:%S') AS last_fetch,"
        " strftime(next_poll_at, '%Y-%m-%d %H:%M:%S') AS next_poll, last_error AS error"
        " FROM feeds ORDER BY url"
    )


@dataclass(frozen=True)
class StoredEntry:
    """A feed entry stored before: the feed that carried it, what it said, the article."""

    feed_id: str
    entry_hash: str | None
    article_id: str
    content_hash: str | None = None
    """the stored article's text hash: a page fetched again whose text has it is unchanged"""


def known_entries(warehouse: Warehouse, links: Iterable[str]) -> dict[str, list[StoredEntry]]:
    """The entry links of ``links`` stored before: link -> the stored entries under it. This
    run's links are staged and joined in SQL; nothing else of the table is read."""
    wanted = list(dict.fromkeys(links))
    if not wanted:
        return {}
    known: dict[str, list[StoredEntry]] = {}
    with warehouse.staged("staged_entry_links", pa.table({"entry_link": wanted})):
        rows = warehouse.con.execute(
            "SELECT f.entry_link, f.feed_id, f.entry_hash, f.article_id, a.content_hash"
            " FROM article_feeds f SEMI JOIN staged_entry_links USING (entry_link)"
            " LEFT JOIN articles a USING (article_id)"
            " ORDER BY f.entry_link, f.first_seen_at, f.feed_id"
        ).fetchall()
    for link, feed, digest, article, text_hash in rows:
        known.setdefault(link, []).append(StoredEntry(feed, digest, article, text_hash))
    return known


def _article_row(article: Article, corpus_file: str | None) -> dict[str, Any]:
    row = {c: getattr(article, c, None) for c in _ARTICLE_COLUMNS}
    row["text"] = article.content
    row["authors"] = list(article.authors)
    row["corpus_file"] = corpus_file
    return row


def loaded_offsets(warehouse: Warehouse, warc_file: str) -> set[int]:
    """Offsets of the records of one WARC file that articles were loaded from."""
    rows = warehouse.con.execute(
        "SELECT warc_offset FROM articles WHERE warc_file = ? AND warc_offset IS NOT NULL",
        [warc_file],
    ).fetchall()
    return {row[0] for row in rows}


def stored_links(warehouse: Warehouse, links: Iterable[str]) -> set[str]:
    """The links of ``links`` that an article was fetched from, is canonical under or was
    linked under (a backfill passes over them). The links are staged and joined in SQL."""
    wanted = list(dict.fromkeys(links))
    if not wanted:
        return set()
    with warehouse.staged("staged_links_wanted", pa.table({"link": wanted})):
        rows = warehouse.con.execute(
            "SELECT link FROM staged_links_wanted WHERE link IN (SELECT url FROM articles)"
            " OR link IN (SELECT canonical_url FROM articles)"
            " OR link IN (SELECT entry_link FROM article_feeds)"
        ).fetchall()
    return {row[0] for row in rows}


def set_article_extractor(warehouse: Warehouse, ids: Sequence[str], extractor: str) -> None:
    """Note that ``extractor`` made the articles of ``ids``, changed or not."""
    if not ids:
        return
    with warehouse.staged("staged_extracted", pa.table({"article_id": list(ids)})):
        warehouse.con.execute(
            "UPDATE articles SET extractor = $extractor FROM staged_extracted s"
            " WHERE articles.article_id = s.article_id", {"extractor": extractor})


def relocate_archive_files(warehouse: Warehouse, root: str | os.PathLike[str]) -> int:
    """Make the absolute archive locations that migration 008 listed relative to the archive
    ``root``; return how many files were relocated (none after the first run)."""
    absolute = [r[0] for r in warehouse.con.execute(
        "SELECT absolute_path FROM archive_files_to_relocate").fetchall()]
    if not absolute:
        return 0
    base = Path(root).resolve()
    moves = pa.table({"absolute_path": absolute,
                      "relative_path": [archive_location(Path(p), base) for p in absolute]})
    with warehouse.staged("staged_relocations", moves):
        warehouse.con.execute(
            "UPDATE articles SET warc_file = m.relative_path FROM staged_relocations m"
            " WHERE articles.warc_file = m.absolute_path")
        warehouse.con.execute("DELETE FROM archive_files_to_relocate WHERE absolute_path IN"
                              " (SELECT absolute_path FROM staged_relocations)")
    return len(absolute)


def archive_location(path: Path, root: Path) -> str:
    """How the warehouse names a WARC file: its path relative to the archive root (with
    ``..`` for a file outside it), '/'-separated."""
    return Path(os.path.relpath(path.resolve(), root.resolve())).as_posix()


def read_articles(warehouse: Warehouse, ids: Sequence[str]) -> list[Article]:
    """Stored articles as records, in the order of ``ids``."""
    if not ids:
        return []
    columns = [c for c in _ARTICLE_COLUMNS if c != "corpus_file"]
    with warehouse.staged("wanted_ids", pa.table({"article_id": list(ids)})):
        result = warehouse.con.execute(
            f"SELECT {', '.join('a.' + c for c in columns)} FROM articles a"
            " JOIN wanted_ids USING (article_id)"
        ).fetchall()
    by_id = {}
    for row in result:
        values = dict(zip(columns, row, strict=True))
        values["content"] = values.pop("text")
        values["authors"] = tuple(values["authors"] or ())
        values["date_source"] = DateSource(values["date_source"])
        values["source_kind"] = SourceKind(values["source_kind"])
        by_id[values["article_id"]] = Article(**values)
    return [by_id[i] for i in ids if i in by_id]


def stale_pages(
    warehouse: Warehouse, extractor: str, since: str | None, until: str | None
) -> tuple[list[str], int]:
    """Ids of archived articles extracted by another article extractor than ``extractor``,
    and how many such articles have no archived page to re-extract from."""
    rows = warehouse.con.execute(
        "SELECT article_id, warc_file IS NOT NULL FROM articles"
        f" WHERE source_kind <> '{SourceKind.FILE}' AND extractor <> $extractor"
        " AND ($since IS NULL OR published_date >= $since::DATE)"
        " AND ($until IS NULL OR published_date <= $until::DATE)"
        " ORDER BY published_date, article_id",
        {"extractor": extractor, "since": since, "until": until},
    ).fetchall()
    return [r[0] for r in rows if r[1]], sum(1 for r in rows if not r[1])
