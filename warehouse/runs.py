"""Run bookkeeping: every load belongs to a run, and every run records how it ended."""

from __future__ import annotations

import json
import os
import socket
import uuid
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from typing import Any

import pyarrow as pa

from newsetl.warehouse.db import Warehouse, process_alive


@dataclass(frozen=True)
class RunError:
    """One input that failed in a run, recorded and skipped."""

    stage: str
    input: str
    error: str
    message: str


def newsetl_version() -> str:
    """The installed package version, for the runs table."""
    try:
        return version("newsetl")
    except PackageNotFoundError:
        return "unknown"


def start_run(warehouse: Warehouse, flow: str, parameters: Mapping[str, Any]) -> str:
    """Record a new run as 'running' (with this process's id and machine) and return its id."""
    run_id = uuid.uuid4().hex
    warehouse.con.execute(
        "INSERT INTO runs (run_id, flow, started_at, status, parameters, newsetl_version, pid,"
        " host) VALUES (?, ?, now(), 'running', ?, ?, ?, ?)",
        [run_id, flow, json.dumps(parameters, default=str), newsetl_version(), os.getpid(),
         socket.gethostname()],
    )
    return run_id


def finish_run(
    warehouse: Warehouse,
    run_id: str,
    status: str,
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
        [status, json.dumps(counts, default=str), error_count,
         json.dumps(extractors) if extractors else None, error, run_id],
    )


def record_failed_run(warehouse: Warehouse, flow: str, parameters: Mapping[str, Any],
                      error: str) -> str:
    """Record a run that failed before it could start its work (a broken config): it shows
    in ``runs`` as failed, with the error. Returns its id."""
    run_id = start_run(warehouse, flow, parameters)
    finish_run(warehouse, run_id, "failed", {}, 0, error=error)
    return run_id


@contextmanager
def recorded_run(
    warehouse: Warehouse, flow: str, parameters: Mapping[str, Any], counts: Mapping[str, Any]
) -> Iterator[str]:
    """Start a run and yield its id; if the block raises, close the run as 'interrupted'
    (Ctrl-C, a signal) or 'failed' with the counts reached so far. The caller closes a run that
    completes, with its final counts."""
    run_id = start_run(warehouse, flow, parameters)
    try:
        yield run_id
    except BaseException as error:
        finish_run(warehouse, run_id, run_ending(error), counts,
                   int(counts.get("failed", 0) or 0))
        raise


def run_ending(error: BaseException) -> str:
    """How a run that raised ``error`` ended: 'failed' for an error, 'interrupted' when it
    was stopped from outside (Ctrl-C, or a signal: Prefect raises its TerminationSignal,
    a BaseException, when serve or a cancellation stops a flow run)."""
    return "failed" if isinstance(error, Exception) else "interrupted"


def record_errors(warehouse: Warehouse, run_id: str, errors: Iterable[RunError]) -> int:
    """Store the run's per-input errors in bulk; return how many."""
    rows = [e.__dict__ for e in errors]
    if not rows:
        return 0
    with warehouse.staged("staged_errors", pa.Table.from_pylist(rows)):
        warehouse.con.execute(
            "INSERT INTO run_errors SELECT ?, stage, input, error, message, now()"
            " FROM staged_errors",
            [run_id],
        )
    return len(rows)


def recent_runs(warehouse: Warehouse, limit: int) -> tuple[list[str], list[tuple]]:
    """The newest runs first, with their duration, counts and error count; a run still
    'running' whose process is gone shows as 'interrupted' (read-only readers see it too)."""
    return warehouse.query(
        "SELECT run_id, flow, started_at, round(epoch(ended_at - started_at), 1) AS seconds,"
        " CASE WHEN list_contains(?, run_id) THEN 'interrupted' ELSE status END"
        " AS status, counts, error_count AS errors, error FROM runs"
        " ORDER BY started_at DESC LIMIT ?",
        [cut_off_runs(warehouse), max(limit, 0)],
    )


def cut_off_runs(warehouse: Warehouse) -> list[str]:
    """Ids of the runs marked 'running' whose process is dead: killed, crashed, or its
    machine restarted (a run of another machine is left as it says)."""
    # SELECT *: a file not yet migrated by a writer (opened read-only) has no host column
    result = warehouse.con.execute("SELECT * FROM runs WHERE status = 'running'")
    names = [d[0] for d in result.description]
    here = socket.gethostname()
    cut = []
    for row in result.fetchall():
        run = dict(zip(names, row, strict=True))
        if run.get("host") in (None, here) and not process_alive(run["pid"], run["started_at"]):
            cut.append(run["run_id"])
    return cut
