"""Open the warehouse: one DuckDB file, migrated on open, with named errors for locks."""

from __future__ import annotations

import contextlib
import json
import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb

from newsetl.errors import NewsetlError
from newsetl.values import RunStatus
from newsetl.warehouse import migrations
from newsetl.warehouse.comments import apply_comments

STORAGE_VERSION = "v1.1.0"
"""the on-disk format new warehouse files are written in: DuckDB 1.1 and every later client
(the DuckDB CLI, DBeaver, notebooks on duckdb 1.x) open it; newer storage features (newer
compression) are left unused, which costs a few per cent of file size"""

_LOCK_PID = re.compile(r"\(PID (\d+)\)")


class WarehouseError(NewsetlError):
    """The warehouse file cannot be opened or used."""

    fatal = True


class NestedTransaction(WarehouseError):
    """A transaction was opened while another one is open on the same connection."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            f"a transaction is already open on warehouse {path}; transactions do not nest: "
            "open one around the whole unit of work (a bug in newsetl, please report it)")


class WarehouseLocked(WarehouseError):
    """Another process holds the warehouse file's write lock."""

    def __init__(self, path: Path, pid: int | None) -> None:
        self.path = path
        self.pid = pid
        holder = f"process {pid}" if pid else "another process"
        super().__init__(
            f"warehouse {path} is locked by {holder}; wait for that run to finish "
            f"(or stop it{f' with `kill {pid}`' if pid else ''}), or use --db for another file"
        )


class Warehouse:
    """A connection to the warehouse file; use ``Warehouse.open`` and close it when done."""

    def __init__(self, con: duckdb.DuckDBPyConnection, path: Path, read_only: bool) -> None:
        self.con = con
        """the DuckDB connection: for warehouse/ alone, everyone else calls its functions"""
        self.path = path
        self.read_only = read_only
        self._in_transaction = False

    @classmethod
    def open(
        cls, path: str | os.PathLike[str], read_only: bool = False, lock_timeout: float = 0.0
    ) -> Warehouse:
        """Open (and for writing, create and migrate) the warehouse at ``path``.

        A lock held by another process is waited on for up to ``lock_timeout`` seconds.
        """
        path = Path(path)
        if read_only and not path.exists():
            raise WarehouseError(
                f"no warehouse at {path}; run `newsetl ingest` or `newsetl backfill` first, "
                "or point --db at an existing file"
            )
        if not read_only:
            path.parent.mkdir(parents=True, exist_ok=True)
        deadline = time.monotonic() + lock_timeout
        while True:
            try:
                con = duckdb.connect(str(path), read_only=read_only, config=_config(read_only))
                break
            except duckdb.IOException as error:
                message = str(error)
                if "lock" not in message.lower():
                    raise WarehouseError(f"warehouse {path} cannot be opened: {message}") from None
                if time.monotonic() >= deadline:
                    match = _LOCK_PID.search(message)
                    raise WarehouseLocked(path, int(match.group(1)) if match else None) from None
                time.sleep(0.2)
            except duckdb.Error as error:
                raise WarehouseError(
                    f"warehouse {path} cannot be opened: {error}; is it a DuckDB file?"
                ) from None
        con.execute("SET TimeZone = 'UTC'")
        warehouse = cls(con, path, read_only)
        if not read_only:
            try:
                migrations.migrate(warehouse)
                apply_comments(warehouse)
                warehouse._close_stale_runs()
            except BaseException:
                con.close()
                raise
        return warehouse

    def close(self) -> None:
        """Close the connection (and release the file lock)."""
        self.con.close()

    def __enter__(self) -> Warehouse:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Run the block as one transaction: committed when it ends, rolled back when it
        raises (anything, Ctrl-C included), so readers see all of it or none of it.

        Transactions do not nest: opening one inside another raises ``NestedTransaction``
        (DuckDB has no savepoints, and an inner commit would break the outer promise).
        """
        if self._in_transaction:
            raise NestedTransaction(self.path)
        self._in_transaction = True
        try:
            self.con.begin()
            try:
                yield
            except BaseException:
                with contextlib.suppress(duckdb.Error):  # the error that got us here counts
                    self.con.rollback()
                raise
            try:
                self.con.commit()
            except duckdb.Error as error:
                # a failed commit leaves nothing written; say which file, and why
                raise WarehouseError(f"warehouse {self.path}: the commit failed: "
                                     f"{_first_line(error)}") from error
        finally:
            self._in_transaction = False

    @property
    def in_transaction(self) -> bool:
        """Whether a ``transaction()`` block is open."""
        return self._in_transaction

    def query(self, sql: str, params: list[Any] | dict[str, Any] | None = None
              ) -> tuple[list[str], list[tuple]]:
        """Run one SQL statement; return column names and rows."""
        try:
            result = self.con.execute(sql, params or [])
        except duckdb.Error as error:
            raise WarehouseError(f"query failed: {_first_line(error)}") from None
        if result.description is None:
            return [], []
        columns = [d[0] for d in result.description]
        rows = result.fetchall()
        # JSON columns come back as text: hand them on as the values they hold
        json_columns = [i for i, d in enumerate(result.description) if str(d[1]) == "JSON"]
        if json_columns:
            rows = [_decode_json(row, json_columns) for row in rows]
        return columns, rows

    def user_query(self, sql: str, params: dict[str, Any] | None = None
                   ) -> tuple[list[str], list[tuple]]:
        """Run a query someone typed: exactly one statement, with named ``$params``."""
        try:
            count = len(self.con.extract_statements(sql))
        except duckdb.Error as error:
            raise WarehouseError(f"query failed: {_first_line(error)}") from None
        if count != 1:
            raise WarehouseError(
                "no SQL statement given" if count == 0 else
                f"the query holds {count} statements; give one at a time")
        return self.query(sql, params or None)

    def _close_stale_runs(self) -> None:
        """Runs still 'running' when a writer opens the file were cut off: mark them so."""
        # holding the write lock proves no other process is running them
        self.con.execute(
            "UPDATE runs SET status = ? WHERE status = ? AND pid <> ?",
            [RunStatus.INTERRUPTED, RunStatus.RUNNING, os.getpid()],
        )


def _config(read_only: bool) -> dict[str, str | bool | int | float | list[str]]:
    # the compatibility version applies when a file is created; an existing file keeps its own
    return {} if read_only else {"storage_compatibility_version": STORAGE_VERSION}


def _decode_json(row: tuple, columns: list[int]) -> tuple:
    values = list(row)
    for i in columns:
        if isinstance(values[i], str):
            values[i] = json.loads(values[i])
    return tuple(values)


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
