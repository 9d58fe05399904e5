"""Run bookkeeping: every load belongs to a run, and every run records how it ended."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import uuid
from collections.abc import Iterable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from typing import Any, Protocol

import pyarrow as pa

from newsetl.values import Flow, RunStatus, Stage
from newsetl.warehouse.db import Warehouse, interrupted, process_alive


@dataclass(frozen=True)
class RunError:
    """One input that failed in a run, recorded and skipped."""

    stage: Stage
    input: str
    """the URL, file, record or article at fault"""
    error: str
    """the error's kind (a fetch's ``kind``) or class name"""
    message: str


def newsetl_version() -> str:
    """The installed package version, for the runs table."""
    try:
        return version("newsetl")
    except PackageNotFoundError:
        return "unknown"


def start_run(warehouse: Warehouse, flow: Flow, parameters: Mapping[str, Any]) -> str:
    """Record a new run as running (with this process's id and machine) and return its id."""
    run_id = uuid.uuid4().hex
    warehouse.con.execute(
        "INSERT INTO runs (run_id, flow, started_at, status, parameters, newsetl_version, pid,"
        " host) VALUES (?, ?, now(), ?, ?, ?, ?, ?)",
        [run_id, Flow(flow), RunStatus.RUNNING, json.dumps(parameters, default=str),
         newsetl_version(), os.getpid(), socket.gethostname()],
    )
    return run_id


def finish_run(
    warehouse: Warehouse,
    run_id: str,
    status: RunStatus,
    counts: Mapping[str, Any],
    error_count: int,
    extractors: Mapping[str, str] | None = None,
    error: str | None = None,
) -> None:
    """Close a run with its final status, counts and the extractor versions it used;
    ``error`` says what stopped a failed run."""
    warehouse.con.execute(
        "UPDATE runs SET ended_at = now(), status = ?, counts = ?, error_count = ?,"
        " extractors = ?, error = ? WHERE run_id = ?",
        [RunStatus(status), json.dumps(counts, default=str), error_count,
         json.dumps(extractors) if extractors else None, error, run_id],
    )


@dataclass
class Run:
    """A run being recorded: its id, and what it is closed with (set as the run goes)."""

    id: str
    flow: Flow
    counts: dict[str, Any] = field(default_factory=dict)
    """the counts reached so far; the final ones once it completes"""
    errors: int = 0
    """how many input errors it recorded"""
    extractors: Mapping[str, str] | None = None
    """the extractor versions it ran"""


class Sessions(Protocol):
    """What gives a warehouse for a block of work: an open ``Warehouse``, or a run's
    ``Writer`` that opens the file for the block only."""

    def session(self) -> AbstractContextManager[Warehouse]: ...


@contextmanager
def recorded_run(warehouse: Sessions, flow: Flow, parameters: Mapping[str, Any]) -> Iterator[Run]:
    """Record a run around the block: started as running, closed whatever happens.

    The run is closed completed when the block ends, failed when it raises an error, and
    interrupted when it is stopped from outside (Ctrl-C, SystemExit, a cancellation), each
    time with the counts the block set on the ``Run`` so far. A kill -9 leaves it running:
    anyone who lists the runs sees it interrupted, and the next writer marks it so.
    """
    with warehouse.session() as opened:
        run = Run(start_run(opened, flow, parameters), Flow(flow))
    note = getattr(warehouse, "note_run", None)
    if note is not None:
        note(run.id)
    try:
        yield run
    except Exception as error:
        if interrupted(error):  # Ctrl-C during a query: DuckDB's RuntimeError, a stop all the same
            _close(warehouse, run, RunStatus.INTERRUPTED)
        else:
            _close(warehouse, run, RunStatus.FAILED, str(error) or type(error).__name__)
        raise
    except BaseException:
        _close(warehouse, run, RunStatus.INTERRUPTED)
        raise
    _close(warehouse, run, RunStatus.COMPLETED)


def _close(warehouse: Sessions, run: Run, status: RunStatus, error: str | None = None) -> None:
    """Note how the run ended; ``error``: what stopped a failed one."""
    if status is not RunStatus.COMPLETED:
        # the error on its way out is what the caller needs; a warehouse too broken to note
        # the end leaves the run running, and the next open closes it as interrupted
        with contextlib.suppress(Exception), warehouse.session() as opened:
            finish_run(opened, run.id, status, run.counts, run.errors, run.extractors, error)
        return
    with warehouse.session() as opened:
        finish_run(opened, run.id, status, run.counts, run.errors, run.extractors)


_ERROR_SCHEMA = pa.schema([("stage", pa.string()), ("input", pa.string()),
                           ("error", pa.string()), ("message", pa.string())])


def record_errors(warehouse: Warehouse, run_id: str, errors: Iterable[RunError]) -> int:
    """Store the run's per-input errors in bulk; return how many."""
    rows = [e.__dict__ for e in errors]
    if not rows:
        return 0
    with warehouse.staged("staged_errors", pa.Table.from_pylist(rows, schema=_ERROR_SCHEMA)):
        warehouse.con.execute(
            "INSERT INTO run_errors SELECT ?, stage, input, error, message, now()"
            " FROM staged_errors",
            [run_id],
        )
    return len(rows)


def recent_runs(warehouse: Warehouse, limit: int) -> tuple[list[str], list[tuple]]:
    """The newest runs first, with their duration, counts and error count; a run still
    running whose process is gone shows as interrupted (read-only readers see it too)."""
    return warehouse.query(
        "SELECT run_id, flow, started_at, round(epoch(ended_at - started_at), 1) AS seconds,"
        f" CASE WHEN list_contains(?, run_id) THEN '{RunStatus.INTERRUPTED}' ELSE status END"
        " AS status, counts, error_count AS errors, error FROM runs"
        " ORDER BY started_at DESC LIMIT ?",
        [cut_off_runs(warehouse), max(limit, 0)],
    )


def cut_off_runs(warehouse: Warehouse) -> list[str]:
    """Ids of the runs marked running whose process is dead: killed, crashed, or its
    machine restarted (a run of another machine is left as it says)."""
    # SELECT *: a file not yet migrated by a writer (opened read-only) has no host column
    result = warehouse.con.execute("SELECT * FROM runs WHERE status = ?", [RunStatus.RUNNING])
    names = [d[0] for d in result.description]
    here = socket.gethostname()
    cut = []
    for row in result.fetchall():
        run = dict(zip(names, row, strict=True))
        if run.get("host") in (None, here) and not process_alive(run["pid"], run["started_at"]):
            cut.append(run["run_id"])
    return cut
