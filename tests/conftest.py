"""Shared fixtures: a Prefect test harness, paths to seeds and to ../shared/data."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SEED = SEEDS / "000_e00214b99a58ad9b.txt"
SAMPLE = SEEDS / "sample"
SHARED_DATA = ROOT.parent / "shared" / "data"

# Prefect reads its settings at import: keep its home out of ~ and its server patient
os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="newsetl-prefect-"))
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")


def shared_data(name: str) -> Path:
    """A folder of ../shared/data, or skip: a user's clone has no ../shared."""
    path = SHARED_DATA / name
    if not path.is_dir():
        pytest.skip(f"../shared/data/{name} not found: this test reads third-party data there")
    return path


@pytest.fixture(autouse=True)
def _robots_store_per_test(tmp_path_factory: pytest.TempPathFactory,
                           monkeypatch: pytest.MonkeyPatch) -> None:
    """robots.txt answers are kept between runs, by host and port; the test server keeps its
    port for the whole session, so each test keeps them in a folder of its own."""
    monkeypatch.setenv("NEWSETL_ROBOTS_CACHE", str(tmp_path_factory.mktemp("robots")))


@pytest.fixture(scope="session")
def prefect_harness():
    """A real Prefect engine with a temporary database, once per test session."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture
def seed_text() -> str:
    """The reference article, as bytes on disk decoded."""
    return SEED.read_text(encoding="utf-8")
