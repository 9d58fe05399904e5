"""Fixed value sets live once, in newsetl.values; the warehouse builds its CHECK constraints
from them, rebuilds a table when a set grows, and migration 008 brings old rows in line."""

from __future__ import annotations

import json
import re
from enum import StrEnum
from pathlib import Path

import pytest

from newsetl.flows.store import run_writer
from newsetl.values import Flow, RunStatus
from newsetl.warehouse import Warehouse, WarehouseError, checks, migrations
from tests.conftest import settings_for

CHECK = re.compile(r"^\((\w+) IN \((.*)\)\)$")


def allowed(warehouse: Warehouse) -> dict[tuple[str, str], set[str]]:
    """(table, column) -> the values its CHECK constraint allows, as DuckDB holds them."""
    found = {}
    for table, expression in warehouse.query(
            "SELECT table_name, expression FROM duckdb_constraints()"
            " WHERE constraint_type = 'CHECK'")[1]:
        match = CHECK.match(expression)
        assert match, expression
        found[table, match.group(1)] = set(re.findall(r"'([^']*)'", match.group(2)))
    return found


def test_every_value_set_is_a_check_of_its_columns(tmp_path: Path) -> None:
    with Warehouse.open(tmp_path / "news.duckdb") as warehouse:
        held = allowed(warehouse)
    assert held == {(table, column): {str(v) for v in values}
                    for table, columns in checks.CHECKED.items()
                    for column, values in columns.items()}


def test_a_value_outside_its_set_is_refused_by_the_warehouse(tmp_path: Path) -> None:
    with Warehouse.open(tmp_path / "news.duckdb") as warehouse:
        for status in RunStatus:
            warehouse.query("INSERT INTO runs (run_id, flow, started_at, status)"
                            " VALUES (?, 'ingest', now(), ?)", [status, status])
        with pytest.raises(WarehouseError) as refused:
            warehouse.query("INSERT INTO runs (run_id, flow, started_at, status)"
                            " VALUES ('x', 'ingest', now(), 'paused')")
        assert warehouse.query("SELECT count(*) FROM runs")[1] == [(4,)]
    assert "CHECK constraint" in str(refused.value)


class GrownStatus(StrEnum):
    """RunStatus as a later newsetl might have it."""

    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"
    INTERRUPTED = "interrupted"
    PAUSED = "paused"


def test_a_grown_value_set_rebuilds_its_table_with_its_rows_and_indexes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "news.duckdb"
    with Warehouse.open(path) as warehouse:
        warehouse.query("INSERT INTO runs (run_id, flow, started_at, status)"
                        " VALUES ('r1', 'ingest', now(), 'completed')")
        indexes = warehouse.query("SELECT index_name, table_name FROM duckdb_indexes()"
                                  " ORDER BY 1")[1]
    monkeypatch.setitem(checks.CHECKED, "runs", {"flow": checks.CHECKED["runs"]["flow"],
                                                 "status": GrownStatus})
    monkeypatch.setitem(checks.CHECKED, "quotes", {"kind": GrownStatus})  # an indexed table

    with Warehouse.open(path) as warehouse:
        warehouse.query("INSERT INTO runs (run_id, flow, started_at, status)"
                        " VALUES ('r2', 'ingest', now(), 'paused')")
        assert warehouse.query("SELECT run_id, status FROM runs ORDER BY 1")[1] == [
            ("r1", "completed"), ("r2", "paused")]
        assert warehouse.query("SELECT index_name, table_name FROM duckdb_indexes()"
                               " ORDER BY 1")[1] == indexes == [
            ("claims_article", "claims"), ("claims_source_entity", "claims"),
            ("quotes_article", "quotes"), ("quotes_speaker_entity", "quotes")]
        assert allowed(warehouse)["runs", "status"] == {str(v) for v in GrownStatus}
    # nothing to do the next time
    with Warehouse.open(path) as warehouse:
        assert checks.apply_checks(warehouse) == []


def old_warehouse(path: Path, monkeypatch: pytest.MonkeyPatch) -> Warehouse:
    """A warehouse as newsetl left it before migration 008 and the value checks."""
    with monkeypatch.context() as patch:
        before = [m for m in migrations.all_migrations() if m.version < 8]
        patch.setattr(migrations, "all_migrations", lambda: before)
        patch.setattr(checks, "apply_checks", lambda warehouse: [])
        return Warehouse.open(path)


def article(article_id: str, date_source: str, run_id: str, warc_file: str | None = None
            ) -> tuple:
    return (article_id, f"https://news.example/{article_id}", date_source, run_id, warc_file)


def test_migration_008_dates_sitemap_entries_and_relocates_absolute_archive_paths(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, archive = tmp_path / "news.duckdb", tmp_path / "archive"
    with old_warehouse(path, monkeypatch) as warehouse:
        for run_id, flow, parameters in (
                ("sitemaps", "backfill", {"url_lists": [], "sitemaps": ["https://x/s.xml"]}),
                ("urls", "backfill", {"url_lists": ["u.txt"], "sitemaps": []}),
                ("warc", "backfill", {"paths": ["archive"]}),
                ("feeds", "ingest", {"feeds": ["https://x/rss"]})):
            warehouse.query("INSERT INTO runs (run_id, flow, started_at, status, parameters)"
                            " VALUES (?, ?, now(), 'completed', ?)",
                            [run_id, flow, json.dumps(parameters)])
        for row in (article("a-sitemap", "feed", "sitemaps"),
                    article("a-page", "page", "sitemaps"),
                    article("a-list", "fetch", "urls"),
                    article("a-warc", "feed", "warc", str(archive / "newsetl-1.warc.gz")),
                    article("a-elsewhere", "page", "warc", str(tmp_path / "cc" / "x.warc.gz")),
                    article("a-feed", "feed", "feeds", "newsetl-1.warc.gz")):
            warehouse.query(
                "INSERT INTO articles (article_id, url, date_source, first_run_id, run_id,"
                " warc_file, warc_offset, published_date, text, content_hash, word_count,"
                " source_kind, extractor, first_seen_at, updated_at) VALUES (?, ?, ?, ?, ?, ?,"
                " 0, DATE '2024-11-07', 'x', 'h', 1, 'feed', 'e', now(), now())",
                [row[0], row[1], row[2], row[3], row[3], row[4]])
        warehouse.query("INSERT INTO article_feeds VALUES ('a-feed', 'f', 'g', 'https://x/a',"
                        " 't', 'h', now(), now(), 'feeds')")

    with run_writer(settings_for(tmp_path, archive=str(archive)), Flow.INGEST) as writer, \
            writer.session() as warehouse:
        stored = warehouse.query("SELECT article_id, date_source, warc_file FROM articles"
                                 " ORDER BY article_id")[1]
        left = warehouse.query("SELECT count(*) FROM archive_files_to_relocate")[1]
    assert stored == [
        ("a-elsewhere", "page", "../cc/x.warc.gz"),
        ("a-feed", "feed", "newsetl-1.warc.gz"),
        ("a-list", "fetch", None),
        ("a-page", "page", None),
        ("a-sitemap", "sitemap", None),
        ("a-warc", "feed", "newsetl-1.warc.gz"),
    ]
    assert left == [(0,)]


def test_a_value_this_newsetl_does_not_know_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "news.duckdb"
    with old_warehouse(path, monkeypatch) as warehouse:
        warehouse.query("INSERT INTO feeds (feed_id, url, last_status) VALUES"
                        " ('f', 'https://x/rss', 'gone_fishing')")

    with pytest.raises(WarehouseError) as refused:
        Warehouse.open(path)

    known = ", ".join(checks.CHECKED["feeds"]["last_status"])
    assert str(refused.value) == (
        f"warehouse {path}: feeds.last_status holds 'gone_fishing', which this newsetl does "
        f"not know (it knows {known}); the file was written by another newsetl: use that "
        "one, or start a new warehouse with --db")
