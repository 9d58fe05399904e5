"""Open the warehouse: one DuckDB file, migrated on open, with named errors for locks, a full
disk and a damaged file."""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import json
import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from newsetl.errors import NewsetlError
from newsetl.values import RunStatus
from newsetl.warehouse import migrations
from newsetl.warehouse.comments import apply_comments

STORAGE_VERSION = "v1.1.0"
"""the on-disk format new warehouse files are written in: DuckDB 1.1 and every later client
(the DuckDB CLI, DBeaver, notebooks on duckdb 1.x) open it; newer storage features (newer
compression) are left unused, which costs a few per cent of file size"""

_LOCK_PID = re.compile(r"\(PID (\d+)\)")
_DISK_FULL = re.compile(r"no space left on device|disk is full|disk quota exceeded", re.I)
_DAMAGED = re.compile(r"corrupt database file|could not read enough bytes from file|"
                      r"checksum .* does not match", re.I)
_DUCKDB_INTERRUPTED = "Query interrupted"
"""what DuckDB's Python client raises (as a RuntimeError) when Ctrl-C cuts a query short"""
_last_opened: list[Path] = []
"""the warehouse this process opened last: where an error raised deep in a run comes from"""
_PID_SLACK = 60.0
_LOCK_POLL = 0.05
"""seconds between two tries of a locked file: a chunk's commit takes a fraction of one"""
_HEADERS = 3 * 4096
"""DuckDB's file begins with three 4 KiB headers: the main one, then two database headers"""


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
    """Another process holds the warehouse file's lock: a newsetl run committing a chunk, or
    another client (a notebook's connection, the DuckDB CLI)."""

    def __init__(self, path: Path, pid: int | None, waited: float = 0.0) -> None:
        from newsetl.warehouse.lock import holder_of

        self.path = path
        self.pid = pid
        holder = holder_of(path)
        self.run = holder if holder is not None and holder.pid == pid else None
        waited_for = f" (waited {waited:g} s)" if waited else ""
        if self.run is not None:
            super().__init__(
                f"warehouse {path} is locked by {self.run.describe()}, which is committing a "
                f"chunk{waited_for}; try again in a moment, or raise lock_timeout")
            return
        who = f"process {pid}" if pid else "another process"
        client = _command_of(pid)
        super().__init__(
            f"warehouse {path} is locked by {who}{f' ({client})' if client else ''}, another "
            f"client, not a newsetl run{waited_for}; close its connection (a notebook: open "
            "short-lived read-only connections, see the README) or stop it"
            f"{f' with `kill {pid}`' if pid else ''}, or use --db for another file")


def _command_of(pid: int | None) -> str:
    """The command name of process ``pid`` (/proc), or ''."""
    if not pid:
        return ""
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


class DiskFull(WarehouseError):
    """The disk holding the warehouse, the corpus, the archive or Prefect's state is full."""

    def __init__(self, detail: str) -> None:
        self.detail = detail
        super().__init__(
            f"the disk is full ({detail}); what earlier batches loaded is kept, the batch being "
            "written was rolled back: free some space (or point --db, the corpus and the "
            "archive at a disk with room) and run it again, it resumes where it stopped")


class WarehouseCorrupt(WarehouseError):
    """The warehouse file is damaged: cut short, or a block fails its checksum."""

    def __init__(self, path: Path | str | None, detail: str) -> None:
        self.path = path
        self.detail = detail
        where = f"warehouse {path}" if path else "the warehouse"
        super().__init__(
            f"{where} is damaged ({detail}); newsetl will not read or write it. Restore it "
            "from a backup, or move it aside and rebuild it from what newsetl keeps beside "
            "it: `newsetl backfill <archive folder>` reloads every fetched page, "
            "`newsetl backfill <corpus folder>` every dated text")


def fatal_error(error: BaseException | None, path: Path | str | None = None
                ) -> WarehouseError | None:
    """The named error for a fault that no one input causes (a full disk, a damaged
    warehouse) found in ``error`` or the errors it was raised from, else None.

    A run stops on these: recording them as the fault of the input at hand would hide them.
    """
    path = path or _last_opened[-1] if path or _last_opened else None
    for link in _chain(error):
        if isinstance(link, (DiskFull, WarehouseCorrupt)):
            return link
        if isinstance(link, OSError) and link.errno in (errno.ENOSPC, errno.EDQUOT):
            where = f" writing {link.filename}" if link.filename else ""
            return DiskFull(f"{link.strerror or 'no space left'}{where}")
        text = _first_line(link)
        # words only from the storage's own errors: a server's "507 disk is full" is its own
        storage = isinstance(link, duckdb.Error | WarehouseError) or type(
            link).__module__.startswith("sqlite3")
        if storage and _DISK_FULL.search(text):
            return DiskFull(text)
        if isinstance(link, duckdb.Error) and _DAMAGED.search(text):
            if "could not read enough bytes" in text.lower():
                text = f"the file ends before a block it needs, it was cut short: {text}"
            return WarehouseCorrupt(path, text)
    return None


def _chain(error: BaseException | None) -> Iterator[BaseException]:
    """``error`` and the errors it was raised from (its cause, else its context), each once."""
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        yield error
        error = error.__cause__ or error.__context__


def interrupted(error: BaseException | None) -> bool:
    """Whether ``error`` is, or was raised from, Ctrl-C cutting a DuckDB query short.

    A SIGINT that arrives while DuckDB runs a query in the main thread comes out of it as
    ``RuntimeError: Query interrupted`` (or ``duckdb.InterruptException``), not as the
    ``KeyboardInterrupt`` the signal raised: it is a stop from outside all the same.
    """
    return any(isinstance(e, KeyboardInterrupt | duckdb.InterruptException) or (
        isinstance(e, RuntimeError) and str(e) == _DUCKDB_INTERRUPTED) for e in _chain(error))


def _check_blocks(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Refuse a file cut short: one whose tables' data lies in blocks past its end. DuckDB
    itself would answer the queries that miss the lost blocks and fail only the others."""
    try:
        size = path.stat().st_size
        block = (con.execute("SELECT block_size FROM pragma_database_size()").fetchone()
                 or (0,))[0]
        tables = [r[0] for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database()"
            " AND NOT temporary").fetchall()]
        highest = max(((con.execute(
            "SELECT max(block_id) FROM pragma_storage_info(?) WHERE block_id >= 0",
            [name]).fetchone() or (None,))[0] or -1 for name in tables), default=-1)
    except (OSError, duckdb.Error, TypeError):
        return  # nothing this check can tell: DuckDB reports what it finds
    blocks = (size - _HEADERS) // block if block else 0
    if highest >= blocks:
        raise WarehouseCorrupt(path, f"the file holds {blocks} blocks, its tables need "
                                     f"{highest + 1}: it was cut short")


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
        cls, path: str | os.PathLike[str], read_only: bool = False, lock_timeout: float = 0.0,
        prepare: bool = True,
    ) -> Warehouse:
        """Open (and for writing, create and migrate) the warehouse at ``path``.

        A lock held by another process is waited on for up to ``lock_timeout`` seconds.
        ``prepare=False`` leaves out the checks and migrations of a writer's first open (a
        run opening the file again for its next chunk).
        """
        path = Path(path)
        _last_opened[:] = [path]
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
                    raise fatal_error(error, path) or WarehouseError(
                        f"warehouse {path} cannot be opened: {message}") from None
                if time.monotonic() >= deadline:
                    match = _LOCK_PID.search(message)
                    raise WarehouseLocked(path, int(match.group(1)) if match else None,
                                          lock_timeout) from None
                time.sleep(_LOCK_POLL)
            except duckdb.Error as error:
                raise fatal_error(error, path) or WarehouseError(
                    f"warehouse {path} cannot be opened: {error}; is it a DuckDB file?"
                ) from None
        try:
            if prepare:
                _check_blocks(con, path)
            con.execute("SET TimeZone = 'UTC'")
            warehouse = cls(con, path, read_only)
            if not read_only and prepare:
                migrations.migrate(warehouse)
                apply_comments(warehouse)
                warehouse._close_stale_runs()
        except BaseException as error:
            con.close()
            named = fatal_error(error, path)
            if named is not None:
                raise named from None
            raise
        return warehouse

    def close(self) -> None:
        """Close the connection (and release the file lock)."""
        self.con.close()

    def __enter__(self) -> Warehouse:
        return self

    @contextmanager
    def session(self) -> Iterator[Warehouse]:
        """The warehouse for a block of work: this open connection (a run's ``Writer`` opens
        the file for the block and closes it after)."""
        yield self

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
                raise fatal_error(error, self.path) or WarehouseError(
                    f"warehouse {self.path}: the commit failed: {_first_line(error)}"
                ) from error
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
            rows = result.fetchall() if result.description is not None else []
        except duckdb.Error as error:
            raise fatal_error(error, self.path) or WarehouseError(
                f"query failed: {_first_line(error)}") from None
        if result.description is None:
            return [], []
        columns = [d[0] for d in result.description]
        # JSON columns come back as text: hand them on as the values they hold
        json_columns = [i for i, d in enumerate(result.description) if str(d[1]) == "JSON"]
        if json_columns:
            rows = [_decode_json(row, json_columns) for row in rows]
        return columns, rows

    @contextmanager
    def staged(self, name: str, table: pa.Table) -> Iterator[None]:
        """Register an Arrow table under ``name`` for the block, to load it in one statement.

        Unregistering never hides the block's own error: after a failed statement (a block
        failing its checksum, a full disk) DuckDB refuses even the unregister.
        """
        self.con.register(name, table)
        try:
            yield
        except BaseException:
            with suppress(duckdb.Error):
                self.con.unregister(name)
            raise
        self.con.unregister(name)

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
        """Runs still 'running' whose process is gone were cut off: mark them so. (A run
        holds the file only while a chunk commits: a live run of another process is left
        running.)"""
        from newsetl.warehouse.runs import cut_off_runs

        cut = cut_off_runs(self)
        if cut:
            self.con.execute("UPDATE runs SET status = ? WHERE list_contains(?, run_id)",
                             [RunStatus.INTERRUPTED, cut])


def process_alive(pid: int | None, since: dt.datetime | None = None) -> bool:
    """Whether process ``pid`` of this machine is running (not a zombie) and began no later
    than ``since``: a pid reused by a process started after the run is not the run's."""
    if not pid or pid < 0:
        return False
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # another user's process: it exists
    stat = _proc_stat(pid)
    if stat is None:
        return True  # no /proc (not Linux): the signal said it exists
    state, started = stat
    if state in ("Z", "X"):
        return False
    # the run row is written after its process starts, so that process is older; a minute of
    # slack for the boot time's rounding and clock adjustments
    return since is None or started is None or started <= since.timestamp() + _PID_SLACK


def _proc_stat(pid: int) -> tuple[str, float | None] | None:
    """(state, start time as epoch seconds) of a process from /proc, None without /proc."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        boot = next(float(line.split()[1]) for line in Path("/proc/stat").read_text().splitlines()
                    if line.startswith("btime "))
    except (OSError, StopIteration, ValueError, IndexError):
        return None
    fields = stat[stat.rindex(")") + 2:].split()  # after "pid (command name) "
    try:
        return fields[0], boot + int(fields[19]) / os.sysconf("SC_CLK_TCK")
    except (IndexError, ValueError):
        return fields[0] if fields else "?", None


def _config(read_only: bool) -> dict[str, str | bool | int | float | list[str]]:
    # the compatibility version applies when a file is created; an existing file keeps its own
    return {} if read_only else {"storage_compatibility_version": STORAGE_VERSION}


def _decode_json(row: tuple, columns: list[int]) -> tuple:
    values = list(row)
    for i in columns:
        if isinstance(values[i], str):
            values[i] = json.loads(values[i])
    return tuple(values)


def _first_line(error: BaseException) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
