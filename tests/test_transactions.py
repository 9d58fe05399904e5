"""The one transaction helper and the one run-recording context: all or nothing, and every
run closed as completed, failed or interrupted whatever happens."""

from __future__ import annotations

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
