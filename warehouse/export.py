"""Export tables to Parquet (partitioned by month) or CSV, for pandas, polars, R arrow, DuckDB
and spreadsheets. A table to export is one line of EXPORTS."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

from newsetl.warehouse.db import Warehouse, WarehouseError

FORMATS = ("parquet", "csv")


@dataclass(frozen=True)
class ExportTable:
    """A table as exported: its columns, where they come from, and the day that dates each
    row, for --since/--until and the month partitions (None: all rows, one file)."""

    name: str
    columns: str
    source: str
    day: str | None = None
    needs: str | None = None
    """the warehouse table it reads; a table a newer newsetl adds is exported once it exists"""
    within: str | None = None
    """the rows --since/--until keep, when not those whose ``day`` is within: SQL in which
    ``{dates}`` stands for the range's condition on ``a.published_date``"""


EXPORTS: tuple[ExportTable, ...] = (
    ExportTable("articles", "a.*", "articles a", "a.published_date"),
    ExportTable("quotes", "q.*, a.published_date", "quotes q JOIN articles a USING (article_id)",
                "a.published_date"),
    ExportTable("claims", "c.*, a.published_date", "claims c JOIN articles a USING (article_id)",
                "a.published_date"),
    # an entity goes with the quotes and claims that name it: those of articles published
    # within the dates, whenever it was first seen
    ExportTable("entities", "e.*", "entities e", "e.first_seen", needs="entities",
                within="e.entity_id IN (SELECT q.speaker_entity_id FROM quotes q JOIN articles a"
                       " USING (article_id) WHERE {dates} UNION SELECT c.source_entity_id"
                       " FROM claims c JOIN articles a USING (article_id) WHERE {dates})"),
    ExportTable("article_feeds", "l.*", "article_feeds l"),
    ExportTable("feeds", "f.*", "feeds f"),
    ExportTable("runs", "r.*", "runs r"),
    ExportTable("run_errors", "e.*", "run_errors e"),
)
DEFAULT_TABLES = ("articles", "quotes", "claims", "entities", "feeds")


@dataclass(frozen=True)
class Exported:
    """One table written: its rows and the files they went to."""

    table: str
    rows: int
    files: int
    bytes: int
    path: Path


def export_tables(
    warehouse: Warehouse,
    out: str | os.PathLike[str],
    tables: tuple[str, ...] = DEFAULT_TABLES,
    fmt: str = "parquet",
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> list[Exported]:
    """Write each of ``tables`` under ``out``: Parquet in ``<table>/month=YYYY-MM/`` folders
    (hive partitioning, which every Arrow reader understands) or one ``<table>.csv``.

    A table's previous export is replaced only once the new one is complete. Tables that
    this warehouse does not have yet (entities before its migration) are passed over.
    """
    known = {t.name: t for t in EXPORTS}
    unknown = [t for t in tables if t not in known]
    if unknown:
        raise WarehouseError(f"no table {', '.join(unknown)} to export; tables: "
                             f"{', '.join(known)}")
    if fmt not in FORMATS:
        raise WarehouseError(f"no export format {fmt!r}; formats: {', '.join(FORMATS)}")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    present = {r[0] for r in warehouse.con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database()"
    ).fetchall()}
    done = []
    for name in dict.fromkeys(tables):
        table = known[name]
        if table.needs and table.needs not in present:
            continue
        done.append(_export(warehouse, table, out, fmt, since, until))
    return done


def _export(warehouse: Warehouse, table: ExportTable, out: Path, fmt: str,
            since: dt.date | None, until: dt.date | None) -> Exported:
    where = _dates_filter(table, since, until)
    filtered = table.source + (f" WHERE {where}" if where else "")
    select = f"SELECT {table.columns} FROM {filtered}"
    params = {k: v for k, v in (("since", since), ("until", until)) if v and where}
    final = out / (table.name if fmt == "parquet" else f"{table.name}.csv")
    staging = out / f".{table.name}.{uuid.uuid4().hex[:8]}.tmp"
    if fmt == "parquet" and table.day:
        query = (f"COPY (SELECT {table.columns}, strftime({table.day}, '%Y-%m') AS month"
                 f" FROM {filtered}) TO '{_path(staging)}'"
                 " (FORMAT parquet, PARTITION_BY (month), COMPRESSION zstd)")
    elif fmt == "parquet":
        staging.mkdir()
        query = (f"COPY ({select}) TO '{_path(staging / 'data_0.parquet')}'"
                 " (FORMAT parquet, COMPRESSION zstd)")
    else:
        query = f"COPY ({select}) TO '{_path(staging)}' (FORMAT csv, HEADER)"
    try:
        written = warehouse.con.execute(query, params).fetchone()
        rows = written[0] if written else 0
    except Exception as error:
        _remove(staging)
        raise WarehouseError(f"export of {table.name} failed: {str(error).splitlines()[0]}"
                             ) from None
    if fmt == "parquet" and not staging.exists():
        staging.mkdir()  # no rows: an empty folder, not last time's files
    _remove(final)
    staging.rename(final)
    files = [final] if final.is_file() else [p for p in final.rglob("*") if p.is_file()]
    return Exported(table.name, rows, len(files), sum(p.stat().st_size for p in files), final)


def _dates_filter(table: ExportTable, since: dt.date | None, until: dt.date | None
                  ) -> str | None:
    """The condition --since/--until put on a table's rows (None: every row)."""
    if not table.day:
        return None
    day = "a.published_date" if table.within else table.day
    dates = " AND ".join(f"{day} {op} ${name}" for name, op, value in (
        ("since", ">=", since), ("until", "<=", until)) if value)
    if not dates:
        return None
    return table.within.format(dates=dates) if table.within else dates


def _path(path: Path) -> str:
    return str(path).replace("'", "''")


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()
