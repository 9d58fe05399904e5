"""CHECK constraints built from ``newsetl.values``: DuckDB itself refuses a value outside its set.

DuckDB cannot add a CHECK to an existing table, so a table whose checks are not those of
the value sets (a new warehouse, an older one, or a newsetl whose sets grew) is rebuilt
once: copied into a new table with the checks, and its indexes made again. ``value_checks``
keeps the checks each table was built with, so an open with nothing to do costs one query.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import TYPE_CHECKING

from newsetl.values import (
    DateSource,
    DuplicateKind,
    Extractor,
    FeedStatus,
    FieldSource,
    Flow,
    PageDateSource,
    QuoteKind,
    RunStatus,
    SavedBy,
    SourceKind,
    SourceType,
    Stage,
)

if TYPE_CHECKING:
    from newsetl.warehouse.db import Warehouse

CHECKED: Mapping[str, Mapping[str, type[StrEnum]]] = {
    "runs": {"flow": Flow, "status": RunStatus},
    "run_errors": {"stage": Stage},
    "feeds": {"last_status": FeedStatus, "last_saved_by": SavedBy},
    "feed_fetches": {"status": FeedStatus, "saved_by": SavedBy},
    "articles": {"date_source": DateSource, "source_kind": SourceKind,
                 "duplicate_kind": DuplicateKind, "title_source": FieldSource,
                 "authors_source": FieldSource, "page_date_source": PageDateSource},
    "article_extractions": {"extractor": Extractor},
    "quotes": {"kind": QuoteKind},
    "claims": {"source_type": SourceType},
}
"""table -> column -> the value set its values must belong to (NULL is allowed)"""

_REBUILT = "{}__rebuilt"


def sql_values(values: Iterable[str]) -> str:
    """A SQL list of string literals, for IN: ``('ok', 'not_modified')``."""
    return "(" + ", ".join("'" + str(v).replace("'", "''") + "'" for v in values) + ")"


def check_expression(column: str, values: type[StrEnum]) -> str:
    """The CHECK expression of one column, as DuckDB renders it."""
    return f"({column} IN {sql_values(values)})"


def apply_checks(warehouse: Warehouse) -> list[str]:
    """Rebuild the tables whose checks differ from the value sets; return their names."""
    con = warehouse.con
    con.execute("CREATE TABLE IF NOT EXISTS value_checks ("
                " table_name VARCHAR PRIMARY KEY, checks VARCHAR NOT NULL)")
    built = dict(con.execute("SELECT table_name, checks FROM value_checks").fetchall())
    wanted = {table: "; ".join(check_expression(c, v) for c, v in columns.items())
              for table, columns in CHECKED.items()}
    stale = [table for table in CHECKED if built.get(table) != wanted[table]]
    if not stale:
        return []
    import duckdb

    catalog = _Catalog(warehouse, stale)
    try:
        # one transaction: a new warehouse gets all its checks for the price of one commit
        with warehouse.transaction():
            for table in stale:
                _rebuild(warehouse, catalog, table, CHECKED[table])
            con.executemany("INSERT OR REPLACE INTO value_checks VALUES (?, ?)",
                            [[table, wanted[table]] for table in stale])
    except duckdb.ConstraintException:
        # rolled back: the old tables say which of their values no set holds
        for table in stale:
            _refuse_unknown_values(warehouse, table, CHECKED[table])
        raise
    return stale


class _Catalog:
    """The definitions of some tables: CREATE statements, single-column CHECKs, indexes."""

    def __init__(self, warehouse: Warehouse, tables: list[str]) -> None:
        con = warehouse.con
        self.create = dict(con.execute(
            "SELECT table_name, sql FROM duckdb_tables() WHERE schema_name = 'main'"
            " AND table_name IN (SELECT unnest(?))", [tables]).fetchall())
        self.checks: dict[str, list[tuple[str, str]]] = {}
        for table, column, expression in con.execute(
                "SELECT table_name, constraint_column_names[1], expression"
                " FROM duckdb_constraints() WHERE schema_name = 'main'"
                " AND constraint_type = 'CHECK' AND len(constraint_column_names) = 1"
                " AND table_name IN (SELECT unnest(?))", [tables]).fetchall():
            self.checks.setdefault(table, []).append((column, expression))
        self.indexes: dict[str, list[str]] = {}
        for table, sql in con.execute(
                "SELECT table_name, sql FROM duckdb_indexes() WHERE schema_name = 'main'"
                " AND sql IS NOT NULL AND table_name IN (SELECT unnest(?))", [tables]).fetchall():
            self.indexes.setdefault(table, []).append(sql)


def _rebuild(warehouse: Warehouse, catalog: _Catalog, table: str,
             columns: Mapping[str, type[StrEnum]]) -> None:
    """Copy ``table`` into a new table with the checks of ``columns``, in its place."""
    from newsetl.warehouse.db import WarehouseError

    con = warehouse.con
    if table not in catalog.create:
        raise WarehouseError(f"warehouse {warehouse.path} has no table {table}; "
                             "start a new warehouse with --db")
    create = catalog.create[table].strip().removesuffix(";").strip()
    # the old checks of these columns go; any other check (or constraint) stays
    old = [e for c, e in catalog.checks.get(table, []) if c in columns]
    for expression in old:
        create = create.replace(f", CHECK({expression})", "")
    prefix = f"CREATE TABLE {table}("
    if not create.startswith(prefix) or not create.endswith(")") or any(
            f"CHECK({e})" in create for e in old):
        raise WarehouseError(f"warehouse {warehouse.path}: cannot read the definition of table "
                             f"{table} to add its value checks: {create[:200]!r}")
    checks = "".join(f", CHECK({check_expression(c, v)})" for c, v in columns.items())
    con.execute(f"CREATE TABLE {_REBUILT.format(table)}(" + create[len(prefix):-1] + checks + ")")
    con.execute(f"INSERT INTO {_REBUILT.format(table)} SELECT * FROM {table}")
    con.execute(f"DROP TABLE {table}")
    con.execute(f"ALTER TABLE {_REBUILT.format(table)} RENAME TO {table}")
    for index in catalog.indexes.get(table, []):
        con.execute(index)


def _refuse_unknown_values(warehouse: Warehouse, table: str,
                           columns: Mapping[str, type[StrEnum]]) -> None:
    """Raise WarehouseError naming the values of ``table`` outside their sets."""
    from newsetl.warehouse.db import WarehouseError

    for column, values in columns.items():
        unknown = [row[0] for row in warehouse.con.execute(
            f"SELECT DISTINCT {column} FROM {table} WHERE {column} IS NOT NULL"
            f" AND {column} NOT IN {sql_values(values)} ORDER BY 1 LIMIT 5").fetchall()]
        if unknown:
            raise WarehouseError(
                f"warehouse {warehouse.path}: {table}.{column} holds "
                f"{', '.join(map(repr, unknown))}, which this newsetl does not know (it knows "
                f"{', '.join(values)}); the file was written by another newsetl: use that one, "
                "or start a new warehouse with --db")
