"""The one transaction helper and the one run-recording context: all or nothing, and every
run closed as completed, failed or interrupted whatever happens."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from newsetl.values import Flow
from newsetl.warehouse import Warehouse, WarehouseError
from newsetl.warehouse.db import NestedTransaction
from newsetl.warehouse.runs import recorded_run, start_run

RUNS = "SELECT flow, status, counts, error_count, extractors FROM runs ORDER BY started_at"


@pytest.fixture
def warehouse(tmp_path: Path):
    with Warehouse.open(tmp_path / "news.duckdb") as opened:
        yield opened


def run_ids(warehouse: Warehouse) -> list[str]:
    return [r[0] for r in warehouse.query("SELECT run_id FROM runs ORDER BY started_at")[1]]


def test_a_transaction_that_ends_is_committed(warehouse: Warehouse, tmp_path: Path) -> None:
    with warehouse.transaction():
        start_run(warehouse, Flow.INGEST, {})
        start_run(warehouse, Flow.BACKFILL, {})
    warehouse.close()
    with Warehouse.open(tmp_path / "news.duckdb", read_only=True) as again:
        assert again.query("SELECT flow FROM runs ORDER BY flow")[1] == [("backfill",),
                                                                        ("ingest",)]


@pytest.mark.parametrize("stop", [RuntimeError("a bug"), KeyboardInterrupt()],
                         ids=["error", "ctrl_c"])
def test_a_transaction_that_raises_leaves_nothing(warehouse: Warehouse,
                                                  stop: BaseException) -> None:
    with pytest.raises(type(stop)), warehouse.transaction():
        start_run(warehouse, Flow.INGEST, {})
        assert len(run_ids(warehouse)) == 1  # visible inside, until the rollback
        raise stop
    assert run_ids(warehouse) == []
    assert not warehouse.in_transaction


def test_transactions_do_not_nest(warehouse: Warehouse) -> None:
    with warehouse.transaction():
        start_run(warehouse, Flow.INGEST, {})
        with pytest.raises(NestedTransaction) as refused, warehouse.transaction():
            pass  # pragma: no cover - never entered
        # the outer transaction is still open and still commits
    assert str(refused.value) == (
        f"a transaction is already open on warehouse {warehouse.path}; transactions do not "
        "nest: open one around the whole unit of work (a bug in newsetl, please report it)")
    assert isinstance(refused.value, WarehouseError) and refused.value.fatal
    assert len(run_ids(warehouse)) == 1
    with warehouse.transaction():  # and the helper is free again
        start_run(warehouse, Flow.INGEST, {})
    assert len(run_ids(warehouse)) == 2


def test_a_run_that_ends_is_completed_with_what_it_set(warehouse: Warehouse) -> None:
    with recorded_run(warehouse, Flow.BACKFILL, {"paths": ["x"]}) as run:
        assert warehouse.query("SELECT status FROM runs")[1] == [("running",)]
        run.counts, run.errors, run.extractors = {"articles_new": 3}, 2, {"quotes": "q-1"}
    assert warehouse.query(RUNS)[1] == [
        ("backfill", "completed", {"articles_new": 3}, 2, {"quotes": "q-1"})]


def test_a_run_that_raises_is_failed_with_the_counts_so_far(warehouse: Warehouse) -> None:
    with pytest.raises(OSError), recorded_run(warehouse, Flow.INGEST, {}) as run:
        run.counts["articles_new"] = 1
        run.errors = 1
        raise OSError(28, "No space left on device")
    assert warehouse.query(RUNS)[1] == [("ingest", "failed", {"articles_new": 1}, 1, None)]


@pytest.mark.parametrize("stop", [KeyboardInterrupt(), SystemExit(2)], ids=["ctrl_c", "exit"])
def test_a_run_stopped_from_outside_is_interrupted(warehouse: Warehouse,
                                                   stop: BaseException) -> None:
    with pytest.raises(type(stop)), recorded_run(warehouse, Flow.REPROCESS, {}):
        raise stop
    assert warehouse.query(RUNS)[1] == [("reprocess", "interrupted", {}, 0, None)]


def test_a_run_keeps_its_own_error_when_its_end_cannot_be_noted(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    # the connection dies under the run: the caller sees the run's error, not the closing one,
    # and the next writer closes the run as interrupted
    with pytest.raises(RuntimeError, match="the real error"), \
            recorded_run(warehouse, Flow.INGEST, {}):
        warehouse.close()
        raise RuntimeError("the real error")
    with Warehouse.open(tmp_path / "news.duckdb") as again:
        again.query("UPDATE runs SET pid = -1")
    with Warehouse.open(tmp_path / "news.duckdb") as again:
        assert again.query("SELECT status FROM runs")[1] == [("interrupted",)]


LONG_QUERY = "SELECT count(*) FROM range(500000000) t(x) WHERE x % 7 = 3"
"""a query that runs for seconds (3 s on two slow cores): a Ctrl-C lands while DuckDB works
on it (DuckDB may look at the signal only once the query is done: it is raised all the same)"""
SIGINT_AFTER = 0.5
"""seconds from the query's start to the Ctrl-C"""
CTRL_C_DURING_A_QUERY = f"""
import os, signal, sys, threading
from newsetl.values import Flow
from newsetl.warehouse import Warehouse
from newsetl.warehouse.db import interrupted
from newsetl.warehouse.runs import recorded_run
from newsetl.flows.cli import main

def ctrl_c_soon():
    threading.Timer({SIGINT_AFTER}, os.kill, (os.getpid(), signal.SIGINT)).start()

path = sys.argv[1]
with Warehouse.open(path) as warehouse:
    try:
        with recorded_run(warehouse, Flow.REPROCESS, {{}}):
            ctrl_c_soon()
            warehouse.query({LONG_QUERY!r})
    except BaseException as error:
        print("raised", type(error).__name__, interrupted(error))
    print("run", warehouse.query("SELECT status FROM runs")[1][0][0])
ctrl_c_soon()
print("cli", main(["sql", "--db", path, {LONG_QUERY!r}]))
"""


def test_ctrl_c_while_duckdb_runs_a_query_is_an_interruption(tmp_path: Path) -> None:
    # DuckDB turns the SIGINT into 'RuntimeError: Query interrupted': the run is interrupted,
    # not failed, and the CLI says so (exit 130) instead of reporting a bug
    done = subprocess.run([sys.executable, "-c", CTRL_C_DURING_A_QUERY,
                           str(tmp_path / "news.duckdb")], capture_output=True, text=True,
                          timeout=120)
    assert done.stdout.splitlines() == ["raised RuntimeError True", "run interrupted",
                                        "cli 130"], done.stderr
    assert done.stderr.splitlines()[-1] == (
        "Error: interrupted; the run is recorded as interrupted")
