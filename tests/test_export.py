"""newsetl export: Parquet by month read back with pyarrow, CSV, date ranges, table choice."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pyarrow.dataset as ds
import pytest

from newsetl.flows.cli import main
from newsetl.warehouse import Warehouse
from newsetl.warehouse.export import EXPORTS, export_tables
from tests.desk import write_small_warehouse


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return write_small_warehouse(tmp_path / "w.duckdb")


def counts(db: Path, since: str = "2000-01-01") -> dict[str, int]:
    with Warehouse.open(db, read_only=True) as warehouse:
        return {t: warehouse.query(
            f"SELECT count(*) FROM {t} JOIN articles a USING (article_id)"
            " WHERE a.published_date >= $since" if t != "articles" else
            "SELECT count(*) FROM articles WHERE published_date >= $since",
            {"since": since})[1][0][0] for t in ("articles", "quotes", "claims")}


def test_parquet_by_month_reads_back_with_pyarrow(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", "out", "--db", str(db)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "exported to out (parquet, by month)"
    assert [line.split()[:3] for line in out[3:-1]] == [
        ["articles", "3", "2"], ["quotes", "3", "2"], ["claims", "4", "2"], ["entities", "2", "2"],
        ["feeds", "2", "1"]]
    assert sorted(p.name for p in Path("out/articles").iterdir()) == [
        "month=2024-05", "month=2024-06"]
    read = {t: ds.dataset(f"out/{t}", format="parquet", partitioning="hive").to_table()
            for t in ("articles", "quotes", "claims")}
    assert {t: table.num_rows for t, table in read.items()} == counts(db)
    months = read["quotes"].group_by("month").aggregate([("quote_id", "count")]).to_pylist()
    assert sorted((m["month"], m["quote_id_count"]) for m in months) == [
        ("2024-05", 2), ("2024-06", 1)]
    # nested offsets survive as lists of lists
    spans = read["quotes"].column("spans").to_pylist()
    assert all(isinstance(s[0], list) and len(s[0]) == 2 for s in spans)


def test_since_until_and_tables(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "june", "--db", str(db), "--since", "2024-06",
                 "--tables", "articles,quotes", "--tables", "claims"]) == 0
    assert sorted(p.name for p in Path("june").iterdir()) == ["articles", "claims", "quotes"]
    read = {t: ds.dataset(f"june/{t}", partitioning="hive").count_rows()
            for t in ("articles", "quotes", "claims")}
    assert read == counts(db, "2024-06-01") == {
        "articles": 1, "quotes": 1, "claims": 1}


def test_an_export_again_replaces_the_last(db: Path) -> None:
    assert main(["export", "out", "--db", str(db)]) == 0
    assert main(["export", "out", "--db", str(db), "--until", "2024-05-10"]) == 0
    assert ds.dataset("out/articles", partitioning="hive").count_rows() == 1
    assert sorted(p.name for p in Path("out/articles").iterdir()) == ["month=2024-05"]
    assert not list(Path("out").glob(".*"))  # no staging folder left


def test_csv(db: Path) -> None:
    assert main(["export", "csv", "--format", "csv", "--db", str(db), "--tables", "quotes"]) == 0
    with open("csv/quotes.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert sorted(r["speaker"] for r in rows) == ["Ana Ruiz", "Ana Ruiz", "Tom Reyes"]
    assert rows[0]["spans"].startswith("[[")


def test_an_unknown_table_is_named(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "out", "--db", str(db), "--tables", "quotez"]) == 1
    assert capsys.readouterr().err == (
        f"Error: no table quotez to export; tables: {', '.join(t.name for t in EXPORTS)}\n")


def test_entities_are_exported_by_the_month_first_seen(db: Path) -> None:
    # entities came with migration 009: Ana Ruiz (first seen in May) and Tom Reyes (June)
    with Warehouse.open(db) as warehouse:
        done = export_tables(warehouse, "out", ("entities", "articles"))
    assert [(e.table, e.rows) for e in done] == [("entities", 2), ("articles", 3)]
    assert sorted(p.name for p in Path("out/entities").iterdir()) == [
        "month=2024-05", "month=2024-06"]


def test_entities_go_with_the_quotes_and_claims_that_name_them(db: Path) -> None:
    # Ana Ruiz was first seen in May (2024-05-06) and is quoted again on 2024-05-20: an export
    # from 2024-05-15 carries her, since its quotes name her
    with Warehouse.open(db) as warehouse:
        export_tables(warehouse, "later", ("quotes", "claims", "entities"),
                      since=dt.date(2024, 5, 15))
        columns = [c for (c,) in warehouse.query(
            "SELECT column_name FROM duckdb_columns() WHERE table_name = 'entities'"
            " AND database_name = current_database() ORDER BY column_index")[1]]
    read = {t: ds.dataset(f"later/{t}", partitioning="hive").to_table()
            for t in ("quotes", "claims", "entities")}
    named = {*read["quotes"].column("speaker_entity_id").to_pylist(),
             *read["claims"].column("source_entity_id").to_pylist()} - {None}
    assert sorted(read["entities"].column("name").to_pylist()) == ["Ana Ruiz", "Tom Reyes"]
    assert set(read["entities"].column("entity_id").to_pylist()) == named
    # the warehouse's own columns, and the month of first_seen they are filed under
    assert read["entities"].column_names == [*columns, "month"]
    assert sorted(p.name for p in Path("later/entities").iterdir()) == [
        "month=2024-05", "month=2024-06"]
