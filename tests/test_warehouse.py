"""The warehouse: migrations on open, bulk loads that are idempotent, locks with names."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from newsetl.extract.dated import parse_dated
from newsetl.extract.records import Article, article_from_dated
from newsetl.values import Flow, RunStatus
from newsetl.warehouse import Warehouse, WarehouseError, WarehouseLocked
from newsetl.warehouse.load import load_articles
from newsetl.warehouse.migrations import all_migrations
from newsetl.warehouse.runs import finish_run, start_run
from tests.conftest import SEED


def seed_article() -> Article:
    content = SEED.read_text(encoding="utf-8")
    return article_from_dated(SEED.name, str(SEED), parse_dated(content), content)


def test_a_new_file_gets_every_migration_once(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "news.duckdb"
    with Warehouse.open(path) as warehouse:
        versions = warehouse.query("SELECT version, name FROM schema_migrations")[1]
    with Warehouse.open(path) as warehouse:
        again = warehouse.query("SELECT version, name FROM schema_migrations")[1]
        tables = warehouse.query(
            "SELECT table_name FROM information_schema.tables ORDER BY table_name")[1]
    assert versions == again == [(m.version, m.name) for m in all_migrations()]
    assert {"articles", "article_feeds", "feeds", "runs", "run_errors"} <= {t[0] for t in tables}


def test_loading_the_same_article_twice_keeps_one_row(tmp_path: Path) -> None:
    article = seed_article()
    with Warehouse.open(tmp_path / "news.duckdb") as warehouse:
        first_run = start_run(warehouse, Flow.BACKFILL, {})
        first = load_articles(warehouse, [article], first_run)
        second = load_articles(warehouse, [article], start_run(warehouse, Flow.BACKFILL, {}))
        stored = warehouse.query("SELECT article_id, run_id, first_run_id FROM articles")[1]
    assert (first.new, first.updated, first.unchanged) == (1, 0, 0)
    assert (second.new, second.updated, second.unchanged) == (0, 0, 1)
    assert stored == [("e00214b99a58ad9b", first_run, first_run)]


def test_a_changed_text_is_updated_and_keeps_its_first_run(tmp_path: Path) -> None:
    article = seed_article()
    changed_content = article.content.replace("Too many people dead.", "Too many dead.")
    changed = dataclasses.replace(article, content=changed_content, content_hash="other")
    with Warehouse.open(tmp_path / "news.duckdb") as warehouse:
        first_run = start_run(warehouse, Flow.BACKFILL, {})
        load_articles(warehouse, [article], first_run)
        second_run = start_run(warehouse, Flow.BACKFILL, {})
        counts = load_articles(warehouse, [changed], second_run)
        stored = warehouse.query("SELECT text, run_id, first_run_id FROM articles")[1]
    assert (counts.new, counts.updated, counts.unchanged) == (0, 1, 0)
    assert stored == [(changed_content, second_run, first_run)]


def test_runs_left_running_by_a_dead_process_show_as_interrupted(tmp_path: Path) -> None:
    path = tmp_path / "news.duckdb"
    with Warehouse.open(path) as warehouse:
        done = start_run(warehouse, Flow.INGEST, {})
        finish_run(warehouse, done, RunStatus.COMPLETED, {}, 0)
        warehouse.query("UPDATE runs SET pid = -1")
        cut = start_run(warehouse, Flow.INGEST, {})
        warehouse.query("UPDATE runs SET pid = -1 WHERE run_id = ?", [cut])
    with Warehouse.open(path) as warehouse:
        statuses = dict(warehouse.query("SELECT run_id, status FROM runs")[1])
    assert statuses == {done: "completed", cut: "interrupted"}


HOLD_LOCK = textwrap.dedent("""
    import sys, duckdb
    con = duckdb.connect(sys.argv[1])
    print("locked", flush=True)
    sys.stdin.read()
""")


@pytest.fixture
def locked_db(tmp_path: Path):
    """A warehouse file whose write lock another process holds; yields (path, pid)."""
    path = tmp_path / "news.duckdb"
    Warehouse.open(path).close()
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(path)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdin is not None
    assert holder.stdout.readline().strip() == "locked"
    yield path, holder.pid
    holder.stdin.close()
    holder.wait(timeout=10)


def test_a_locked_file_names_the_process_that_holds_it(locked_db: tuple[Path, int]) -> None:
    path, pid = locked_db
    with pytest.raises(WarehouseLocked) as raised:
        Warehouse.open(path)
    assert raised.value.pid == pid
    assert raised.value.run is None
    # issue 11: the message says it is another client, not a run, and what to do
    assert str(raised.value) == (
        f"warehouse {path} is locked by process {pid} (python), another client, not a "
        "newsetl run; close its connection (a notebook: open short-lived read-only "
        f"connections, see the README) or stop it with `kill {pid}`, or use --db for another "
        "file"
    )


def test_reading_a_missing_file_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(WarehouseError) as raised:
        Warehouse.open(tmp_path / "none.duckdb", read_only=True)
    assert str(raised.value) == (
        f"no warehouse at {tmp_path / 'none.duckdb'}; run `newsetl ingest` or `newsetl backfill` "
        "first, or point --db at an existing file"
    )
    assert not (tmp_path / "none.duckdb").exists()


def test_a_file_that_is_not_duckdb_is_named(tmp_path: Path) -> None:
    path = tmp_path / "notes.duckdb"
    path.write_text("not a database\n" * 100)
    with pytest.raises(WarehouseError) as raised:
        Warehouse.open(path)
    assert str(raised.value).startswith(f"warehouse {path} cannot be opened: ")


def test_read_only_queries_cannot_write(tmp_path: Path) -> None:
    path = tmp_path / "news.duckdb"
    Warehouse.open(path).close()
    with Warehouse.open(path, read_only=True) as warehouse:
        with pytest.raises(WarehouseError) as raised:
            warehouse.query("DELETE FROM articles")
    assert "read-only" in str(raised.value)


def test_a_schema_history_from_another_newsetl_is_refused(tmp_path: Path) -> None:
    from newsetl.warehouse.migrations import MigrationMismatch

    path = tmp_path / "news.duckdb"
    Warehouse.open(path).close()
    with Warehouse.open(path) as warehouse:
        warehouse.query("UPDATE schema_migrations SET name = 'other' WHERE version = 2")
    with pytest.raises(MigrationMismatch) as raised:
        Warehouse.open(path)
    assert str(raised.value) == (
        "schema version 2 of this warehouse is 'other', but this newsetl's is 'quotes': the "
        "file was made by another newsetl; use the newsetl that made it, or start a new "
        "warehouse with --db")


def test_a_second_writer_waits_for_the_lock_then_gives_up(locked_db: tuple[Path, int]) -> None:
    import time

    path, pid = locked_db
    began = time.monotonic()
    with pytest.raises(WarehouseLocked) as raised:
        Warehouse.open(path, lock_timeout=1.0)
    assert time.monotonic() - began >= 1.0
    assert raised.value.pid == pid


def test_a_second_writer_gets_the_lock_once_it_is_released(tmp_path: Path) -> None:
    path = tmp_path / "news.duckdb"
    Warehouse.open(path).close()
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time, duckdb; con = duckdb.connect(sys.argv[1]);"
         " print('locked', flush=True); time.sleep(1.0)", str(path)],
        stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None
    assert holder.stdout.readline().strip() == "locked"
    with Warehouse.open(path, lock_timeout=20.0) as warehouse:
        assert warehouse.query("SELECT count(*) FROM articles")[1] == [(0,)]
    holder.wait(timeout=10)
