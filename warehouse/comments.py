"""What every table, view, column and macro of the warehouse holds: one definition, stored as
DuckDB comments (``COMMENT ON``) so that any client (DBeaver, the DuckDB CLI, a notebook)
explains the schema.

A column added by a migration needs its line here: tests/test_schema_docs.py fails on any
table, view or column without a comment.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from newsetl.values import (
    CONFIDENCE_THRESHOLD,
    DateSource,
    Extractor,
    FeedStatus,
    FieldSource,
    Flow,
    PageDateSource,
    RunStatus,
    SourceType,
    Stage,
)

if TYPE_CHECKING:
    from newsetl.warehouse.db import Warehouse


def _one_of(values: type[StrEnum]) -> str:
    """A value set as a comment says it: 'a, b or c' (from newsetl.values)."""
    names = [str(v) for v in values]
    return ", ".join(names[:-1]) + " or " + names[-1] if len(names) > 1 else names[0]


OFFSETS = ("0-based Python offsets (code points, end exclusive) into articles.text: "
           "text[start:end]; in SQL span_text(text, span)")
RUN_ID = "the run that wrote this row (runs.run_id)"


@dataclass(frozen=True)
class Doc:
    """The comment of a table or view, and of each of its columns."""

    comment: str
    columns: dict[str, str] = field(default_factory=dict)


CONFIDENCE = ("how sure the attribution is, 0 to 1 (README: Confidence); the speakers and "
              f"sources views count rows >= {CONFIDENCE_THRESHOLD:g}")

SCHEMA: dict[str, Doc] = {
    "articles": Doc("One row per article (fetched page or backfilled dated file), stored once "
                    "per canonical URL.", {
        "article_id": "16 hex digits of SHA-256 of the canonical URL (or of the file name)",
        "url": "the URL fetched, or the dated file's path",
        "canonical_url": "the page's canonical URL, normalised (tracking parameters dropped)",
        "title": "headline as the page (or feed entry) gives it",
        "authors": "bylines, in page order",
        "language": "language code of the text (page metadata or detection)",
        "published_at": "publication time where the feed gave one (its UTC offset kept)",
        "published_date": "publication day in the publisher's time zone",
        "date_source": "which source gave the date: " + _one_of(DateSource)
                       + " (fetch: none had one, the fetch day)",
        "text": "the dated-format content (' date YYYY-MM-DD ' + paragraphs); every offset "
                "of quotes and claims points into it as 0-based Python offsets",
        "content_hash": "SHA-256 of text; a change marks the article updated",
        "word_count": "words in the body",
        "source_kind": "feed (fetched or archived page) or file (backfilled dated file)",
        "extractor": "the article extractor and its version that made text",
        "corpus_file": "NNN_<id>.txt in the corpus folder, if written",
        "fetched_at": "when the page was fetched",
        "first_seen_at": "when the article was first stored",
        "updated_at": "when the text last changed",
        "first_run_id": "the run that first stored the article",
        "run_id": "the run that last wrote the row",
        "warc_file": "file of the raw archive holding the fetched page, relative to the "
                     "archive root",
        "warc_offset": "byte offset of the page's WARC response record",
        "warc_length": "byte length of that record",
        "body_hash": "SHA-256 of the paragraphs alone (the same text under another date or id)",
        "simhash": "64-bit fingerprint of word 3-shingles, for near-duplicates",
        "duplicate_of": "article_id of the earlier article this one repeats, else NULL",
        "duplicate_kind": "exact (same paragraphs) or near (simhash within 6 bits), else NULL",
        "title_source": "where the title was found: " + _one_of(FieldSource),
        "authors_source": "where the authors were found: " + _one_of(FieldSource),
        "site_name": "the outlet's name as the page gives it (og:site_name, JSON-LD publisher)",
        "page_date": "the publication day the page itself gives, whichever date won",
        "page_date_source": "where page_date was found: " + _one_of(PageDateSource),
    }),
    "feeds": Doc("One row per listed feed, with the outcome of its last fetch.", {
        "feed_id": "16 hex digits of SHA-256 of the URL as listed",
        "url": "the feed URL as listed in the config (paths become file:// URLs)",
        "name": "the name the config gives",
        "tags": "the config's tags",
        "title": "the title the feed document gives itself",
        "site_url": "the site the feed document links to",
        "format": "feedparser's version: rss20, atom10, ...",
        "first_run_id": "the run that first fetched the feed",
        "last_run_id": "the run that last fetched it",
        "last_fetched_at": "when it was last fetched",
        "last_status": "status of the last fetch: " + _one_of(FeedStatus),
        "last_error": "the last fetch's error message, if it failed",
        "last_entries": "entries in the last document read",
        "etag": "ETag of the last good response, sent back as If-None-Match",
        "last_modified": "Last-Modified of the last good response, sent back as "
                         "If-Modified-Since",
        "body_hash": "SHA-256 of the last body read (a body seen before is not modified)",
        "last_saved_by": "what made the last fetch unnecessary: etag, last_modified, body_hash",
        "consecutive_failures": "failed polls in a row (backoff; paused at max_failures)",
        "next_poll_at": "not polled before this time (Cache-Control, Expires, Retry-After, "
                        "backoff)",
    }),
    "feed_fetches": Doc("One row per fetch of a feed: the feed's history.", {
        "feed_id": "the feed (feeds.feed_id)",
        "run_id": RUN_ID,
        "fetched_at": "when it was fetched",
        "status": "the fetch's status (as feeds.last_status)",
        "http_status": "the HTTP status code, if a server answered",
        "saved_by": "for not_modified: etag, last_modified or body_hash",
        "entries": "entries in the document, if read",
        "error": "the error message, if it failed",
    }),
    "article_feeds": Doc("One row per article in a feed: which feed carried which article "
                         "under which entry.", {
        "article_id": "the article (articles.article_id)",
        "feed_id": "the feed (feeds.feed_id)",
        "entry_guid": "the entry's id or guid",
        "entry_link": "the entry's link as the feed gives it",
        "entry_title": "the entry's title",
        "entry_hash": "hash of what the entry said; a change triggers a re-fetch",
        "first_seen_at": "when the feed first carried the article",
        "last_seen_at": "when the feed last carried it",
        "run_id": "the run that last saw the entry",
    }),
    "runs": Doc("One row per run of a flow (ingest, backfill, reprocess, scheduled ingest).", {
        "run_id": "uuid4 hex; every loaded row names the run that wrote it",
        "flow": _one_of(Flow) + " (backfill-web runs are backfill runs)",
        "started_at": "when the run started",
        "ended_at": "when it ended (NULL while running)",
        "status": _one_of(RunStatus) + " (interrupted: stopped, or cut off by a crash or a "
                  "kill)",
        "parameters": "the run's parameters (JSON)",
        "counts": "what the run did: feeds and articles new, updated, unchanged, failed (JSON)",
        "error_count": "inputs that failed and were recorded in run_errors",
        "newsetl_version": "the newsetl version that ran",
        "pid": "the process id that ran it",
        "host": "the machine that ran it: with pid, tells a live run from one whose process died",
        "extractors": "the versions of the extractors the run used (JSON)",
        "error": "what stopped a failed run (a broken config, an unusable warehouse), else NULL",
    }),
    "run_errors": Doc("One row per input that failed in a run, recorded and skipped.", {
        "run_id": RUN_ID,
        "stage": "where it failed: " + _one_of(Stage),
        "input": "the URL or file at fault",
        "error": "the error's kind or class name",
        "message": "what happened, and what to do",
        "occurred_at": "when it was recorded",
    }),
    "quotes": Doc("One row per direct (or mixed) quote, with its speaker. " + OFFSETS, {
        "quote_id": "16 hex digits of the article id and the spans",
        "article_id": "the article (articles.article_id)",
        "seq": "order in the article, from 1",
        "text": "the quoted words, spans joined by a space",
        "spans": "[[start, end], ...]: " + OFFSETS + "; see the quote_spans view",
        "kind": "direct (quotation marks around speech) or mixed (a quoted fragment inside "
                "reported speech)",
        "speaker": "the speaker's resolved name, e.g. Volodymyr Zelenskyy (NULL: nobody named)",
        "speaker_mention": "the speaker as written: he, Zelenskyy, the president",
        "speaker_span": "[start, end] of the mention: " + OFFSETS,
        "cue": "the reporting cue: said, wrote, according to, ...",
        "cue_span": "[start, end] of the cue: " + OFFSETS,
        "extractor": "quotes",
        "extractor_version": "the quote extractor's version",
        "run_id": RUN_ID,
        "speaker_type": "what the speaker is: " + _one_of(SourceType),
        "confidence": CONFIDENCE,
        "speaker_entity_id": "the speaker's entity (entities.entity_id); NULL when unnamed",
    }),
    "claims": Doc("One row per claim: attributed reported speech without quotation marks. "
                  + OFFSETS, {
        "claim_id": "16 hex digits of the article id and the content spans",
        "article_id": "the article (articles.article_id)",
        "seq": "order in the article, from 1",
        "content": "what is claimed, spans joined by a space",
        "spans": "[[start, end], ...] of the content: " + OFFSETS + "; see claim_spans",
        "source": "the source's resolved name: Donald Trump, Politico",
        "source_mention": "the source as written: he, two administration sources",
        "source_span": "[start, end] of the mention: " + OFFSETS,
        "source_type": _one_of(SourceType),
        "cue": "the reporting cue: claimed, according to, reported, ...",
        "cue_span": "[start, end] of the cue: " + OFFSETS,
        "hedge": "reportedly, allegedly, ... or NULL",
        "negated": "the source denies it (denied, did not say)",
        "parent_seq": "seq of the claim this one is nested in (a source inside a report)",
        "extractor": "claims",
        "extractor_version": "the claim extractor's version",
        "run_id": RUN_ID,
        "confidence": CONFIDENCE,
        "source_entity_id": "the source's entity (entities.entity_id); NULL when unnamed",
    }),
    "entities": Doc("One row per person or organisation across articles, linked from the "
                    "resolved speakers and sources: a full name by first and last word (case, "
                    "dots, initials and middle names aside), a bare surname within its own "
                    "article, an organisation by its name without a leading the.", {
        "entity_id": "16 hex digits of the linking key: stable across runs",
        "name": "the fullest name seen: Donald J. Trump",
        "type": "person, organisation or media",
        "key": "the linking key: person:donald trump, org:fbi",
        "aliases": "every name it went by: Trump, Donald Trump, ...",
        "first_seen": "the first publication day of an article naming it",
        "last_seen": "the last publication day of an article naming it",
        "articles": "articles whose quotes or claims name it",
        "quotes": "quotes it is the speaker of",
        "claims": "claims it is the source of",
        "run_id": "the run that last changed it",
    }),
    "article_extractions": Doc("Which version of each extractor last ran over each article "
                               "(also when it found nothing).", {
        "article_id": "the article (articles.article_id)",
        "extractor": _one_of(Extractor),
        "version": "the extractor's version",
        "found": "rows it produced",
        "run_id": RUN_ID,
        "extracted_at": "when it ran",
    }),
    "value_checks": Doc("The CHECK constraints each table was built with, from the value "
                        "sets of newsetl.values; a table whose sets grew is rebuilt.", {
        "table_name": "the table",
        "checks": "its checks, as DuckDB holds them",
    }),
    "archive_files_to_relocate": Doc("Absolute archive paths an older newsetl stored, which the "
                                     "next run makes relative to its archive root (migration "
                                     "008); empty after that run.", {
        "absolute_path": "the path as stored",
    }),
    "schema_migrations": Doc("One row per schema migration applied to this file.", {
        "version": "the migration's number (warehouse/migrations/NNN_name.sql)",
        "name": "the migration's name",
        "applied_at": "when it was applied",
    }),
    "speakers": Doc("View: who is quoted, one row per entity; only quotes with confidence "
                    f">= {CONFIDENCE_THRESHOLD:g} count, and repeats of an article "
                    "(duplicate_of) are left out.", {
        "speaker": "the entity's name (entities.name)",
        "entity_id": "the entity (entities.entity_id)",
        "speaker_type": "person, organisation or media",
        "quotes": "quotes of this speaker",
        "articles": "articles quoting them",
        "first_date": "first publication day",
        "last_date": "last publication day",
    }),
    "sources": Doc("View: who claims, one row per entity; only claims with confidence "
                   f">= {CONFIDENCE_THRESHOLD:g} count, and repeats of an article are left "
                   "out.", {
        "source": "the entity's name (entities.name)",
        "entity_id": "the entity (entities.entity_id)",
        "source_type": "person, organisation or media",
        "claims": "claims of this source",
        "articles": "articles with them",
        "first_date": "first publication day",
        "last_date": "last publication day",
    }),
    "quote_spans": Doc("View: one row per span of each quote, with its text cut from "
                       "articles.text.", {
        "quote_id": "the quote (quotes.quote_id)",
        "article_id": "the article",
        "seq": "the quote's order in the article",
        "part": "the span's order in the quote, from 1",
        "start_offset": "start: " + OFFSETS,
        "end_offset": "end (exclusive): " + OFFSETS,
        "span_text": "articles.text[start_offset:end_offset]",
    }),
    "claim_spans": Doc("View: one row per content span of each claim, with its text cut from "
                       "articles.text.", {
        "claim_id": "the claim (claims.claim_id)",
        "article_id": "the article",
        "seq": "the claim's order in the article",
        "part": "the span's order in the claim, from 1",
        "start_offset": "start: " + OFFSETS,
        "end_offset": "end (exclusive): " + OFFSETS,
        "span_text": "articles.text[start_offset:end_offset]",
    }),
}

MACROS: dict[str, str] = {
    "span_text": "span_text(text, [start, end]): the characters text[start:end] of 0-based "
                 "Python offsets, as substring(text, start + 1, end - start)",
}


def apply_comments(warehouse: Warehouse) -> int:
    """Store every comment of SCHEMA and MACROS that differs from the file's; return how many
    were written (none on a file already up to date)."""
    con = warehouse.con
    views = {r[0] for r in con.execute(
        "SELECT view_name FROM duckdb_views() WHERE NOT internal AND schema_name = 'main'"
        " AND database_name = current_database()").fetchall()}
    stored_tables = dict(con.execute(
        "SELECT table_name, comment FROM duckdb_tables() WHERE schema_name = 'main'"
        " AND database_name = current_database() UNION ALL "
        "SELECT view_name, comment FROM duckdb_views() WHERE NOT internal"
        " AND schema_name = 'main' AND database_name = current_database()").fetchall())
    stored_columns = {(r[0], r[1]): r[2] for r in con.execute(
        "SELECT table_name, column_name, comment FROM duckdb_columns() WHERE NOT internal"
        " AND schema_name = 'main' AND database_name = current_database()").fetchall()}
    stored_macros = dict(con.execute(
        "SELECT function_name, comment FROM duckdb_functions() WHERE function_type = 'macro'"
        " AND schema_name = 'main' AND database_name = current_database()").fetchall())
    written = 0
    for name, doc in SCHEMA.items():
        if name not in stored_tables:
            continue  # not in this file (yet): a migration creates it
        kind = "VIEW" if name in views else "TABLE"
        if stored_tables[name] != doc.comment:
            con.execute(f"COMMENT ON {kind} {name} IS {_literal(doc.comment)}")
            written += 1
        for column, comment in doc.columns.items():
            if (name, column) in stored_columns and stored_columns[name, column] != comment:
                con.execute(f"COMMENT ON COLUMN {name}.{column} IS {_literal(comment)}")
                written += 1
    for name, comment in MACROS.items():
        if name in stored_macros and stored_macros[name] != comment:
            con.execute(f"COMMENT ON MACRO {name} IS {_literal(comment)}")
            written += 1
    return written


def undocumented(warehouse: Warehouse) -> list[str]:
    """Tables, views and columns of the file that have no comment (``table`` or
    ``table.column``)."""
    rows = warehouse.con.execute(
        "SELECT table_name, NULL FROM duckdb_tables() WHERE comment IS NULL"
        " AND schema_name = 'main' AND database_name = current_database() UNION ALL "
        "SELECT view_name, NULL FROM duckdb_views() WHERE comment IS NULL AND NOT internal"
        " AND schema_name = 'main' AND database_name = current_database() UNION ALL "
        "SELECT table_name, column_name FROM duckdb_columns() WHERE comment IS NULL"
        " AND NOT internal AND schema_name = 'main' AND database_name = current_database()"
    ).fetchall()
    return sorted(t if c is None else f"{t}.{c}" for t, c in rows)


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
