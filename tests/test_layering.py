"""The floors stay apart: only warehouse/ talks to DuckDB, extract/ is pure, and nothing runs
back up a floor. Read from the source, so a change that breaks a rule fails here."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT

FLOORS = ("newsetl", "extract", "warehouse", "flows", "bench", "tests")
NEVER = {
    "extract": ("duckdb", "prefect", "httpx", "newsetl.flows", "newsetl.warehouse"),
    "warehouse": ("prefect", "httpx", "newsetl.flows"),
    "flows": ("duckdb",),
    "newsetl": ("duckdb", "prefect", "httpx"),
    "bench": ("duckdb",),
}


def modules(floor: str) -> Iterator[tuple[Path, ast.Module]]:
    for path in sorted((ROOT / floor).rglob("*.py")):
        yield path, ast.parse(path.read_text(encoding="utf-8"), str(path))


def imported(tree: ast.Module) -> Iterator[str]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            yield node.module


@pytest.mark.parametrize("floor", sorted(NEVER))
def test_a_floor_never_imports_what_it_must_not(floor: str) -> None:
    found = [f"{path.relative_to(ROOT)} imports {name}" for path, tree in modules(floor)
             for name in imported(tree)
             if any(name == banned or name.startswith(banned + ".") for banned in NEVER[floor])]
    assert found == []


@pytest.mark.parametrize("floor", [f for f in FLOORS if f != "warehouse"])
def test_only_the_warehouse_touches_the_connection(floor: str) -> None:
    # everyone else calls the warehouse's functions, or Warehouse.query
    found = [f"{path.relative_to(ROOT)}:{node.lineno}" for path, tree in modules(floor)
             for node in ast.walk(tree)
             if isinstance(node, ast.Attribute) and node.attr in ("con", "execute", "begin",
                                                                  "commit", "rollback")
             and not (isinstance(node.value, ast.Name) and node.value.id in ("subprocess",))]
    assert found == []
