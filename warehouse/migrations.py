"""Versioned schema migrations: ``migrations/NNN_name.sql`` files applied in order on open."""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING

import duckdb

from newsetl.errors import NewsetlError
from newsetl.warehouse import checks

if TYPE_CHECKING:
    from newsetl.warehouse.db import Warehouse

_FILE = re.compile(r"^(\d{3})_(\w+)\.sql$")


@dataclass(frozen=True)
class Migration:
    """One schema step: its version number, name and SQL."""

    version: int
    name: str
    sql: str


def all_migrations() -> list[Migration]:
    """Every migration shipped with the package, oldest first."""
    found = []
    for entry in resources.files("newsetl.warehouse").joinpath("migrations").iterdir():
        match = _FILE.match(entry.name)
        if match:
            found.append(Migration(int(match.group(1)), match.group(2), entry.read_text("utf-8")))
    return sorted(found, key=lambda m: m.version)


class MigrationMismatch(NewsetlError):
    """The database's schema history is not this newsetl's."""

    fatal = True


def applied_versions(con: duckdb.DuckDBPyConnection) -> dict[int, str]:
    """The versions already applied to this database, with their names (none for a new file)."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMPTZ NOT NULL)"
    )
    return dict(con.execute("SELECT version, name FROM schema_migrations").fetchall())


def pending(con: duckdb.DuckDBPyConnection) -> list[Migration]:
    """Migrations not yet applied; a version applied under another name is an error."""
    done = applied_versions(con)
    for migration in all_migrations():
        name = done.get(migration.version)
        if name is not None and name != migration.name:
            raise MigrationMismatch(
                f"schema version {migration.version} of this warehouse is {name!r}, but this "
                f"newsetl's is {migration.name!r}: the file was made by another newsetl; "
                "use the newsetl that made it, or start a new warehouse with --db")
    return [m for m in all_migrations() if m.version not in done]


def migrate(warehouse: Warehouse) -> list[Migration]:
    """Apply every pending migration, each in its own transaction, then bring the value
    checks up to newsetl.values; return the migrations applied."""
    con = warehouse.con
    applied = []
    for migration in pending(con):
        with warehouse.transaction():
            con.execute(migration.sql)
            con.execute(
                "INSERT INTO schema_migrations VALUES (?, ?, now())",
                [migration.version, migration.name],
            )
        applied.append(migration)
    checks.apply_checks(warehouse)
    return applied
