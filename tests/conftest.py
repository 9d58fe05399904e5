"""Shared fixtures: a Prefect test harness, settings in a temporary folder, the bundled sample
(copied, and ingested once per module), paths to seeds and to ../shared/data.

Nothing here or in the tests writes into the checkout: every run gets folders under pytest's
temporary directory, and the session fails if a tracked file changed or an untracked one
appeared while it ran.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

from newsetl.flows.settings import Settings
from newsetl.values import ErrorPolicy

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
# a bug inside a task fails the test with its traceback instead of becoming a run error;
# the tests of the default policy ask for 'record' themselves
os.environ.setdefault("NEWSETL_ERROR_POLICY", ErrorPolicy.RAISE.value)
# Hypothesis keeps no example database in the checkout
hypothesis_settings.register_profile("newsetl", database=None)
hypothesis_settings.load_profile("newsetl")


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


@pytest.fixture(autouse=True)
def _workers_without_planted_bugs() -> Iterator[None]:
    """A test that planted bugs in the worker processes (tests/bugs.py) leaves fresh ones."""
    yield
    from tests import bugs

    if bugs.planted[0]:
        bugs.cure()


def settings_for(folder: Path, **extra: object) -> Settings:
    """Settings whose warehouse, corpus and archive lie in ``folder``, with short timeouts,
    no politeness delays (every test server is 127.0.0.1) and the 'raise' error policy."""
    values: dict[str, object] = {"host_delay": 0.0, "obey_robots": False,
                                 "error_policy": ErrorPolicy.RAISE, **extra}
    return Settings(db=str(folder / "news.duckdb"), corpus=str(folder / "corpus"),
                    archive=str(folder / "archive"), robots_cache=str(folder / "robots"),
                    connect_timeout=2, read_timeout=5,
                    total_timeout=10, retries=0).merged(values, "test")


def copy_run_folder(settings: Settings, folder: Path) -> Settings:
    """A copy of what a run wrote (warehouse, corpus, archive) in ``folder``, with its
    settings: a fixture ingests once, and each test gets its own copy to change."""
    folder.mkdir(parents=True)
    shutil.copy(settings.db, folder / "news.duckdb")
    for name, source in (("corpus", settings.corpus), ("archive", settings.archive)):
        if Path(source).is_dir():
            shutil.copytree(source, folder / name)
    return replace(settings, db=str(folder / "news.duckdb"), corpus=str(folder / "corpus"),
                   archive=str(folder / "archive"))


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


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of seeds/sample (feeds.toml, feeds, pages) that a test may change; its feeds'
    file:// URLs point into the copy."""
    copy = tmp_path_factory.mktemp("sample") / "sample"
    shutil.copytree(SAMPLE, copy)
    return copy


@pytest.fixture(scope="module")
def ingested_once(sample: Path, tmp_path_factory: pytest.TempPathFactory,
                  prefect_harness: None) -> Settings:
    """The sample ingested once per module (warehouse, corpus and raw archive); tests take a
    copy through ``ingested``, never this."""
    from newsetl.flows.config import load_config
    from newsetl.flows.ingest import run_ingest

    settings = settings_for(tmp_path_factory.mktemp("ingested"))
    summary = run_ingest(list(load_config(sample / "feeds.toml").feeds), settings)
    assert (summary.articles_new, summary.errors) == (10, 0)
    return settings


@pytest.fixture
def ingested(ingested_once: Settings, tmp_path: Path) -> Settings:
    """This test's copy of the ingested sample, in ``tmp_path / 'first'``."""
    return copy_run_folder(ingested_once, tmp_path / "first")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test that runs a flow in the Prefect engine is slow: `make test-fast` skips it."""
    for item in items:
        if "prefect_harness" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.slow)


def _checkout_state() -> str | None:
    """What git sees changed or new in the checkout (ignored files aside), or None."""
    try:
        done = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"],
                              cwd=ROOT, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout if done.returncode == 0 else None


def pytest_sessionstart(session: pytest.Session) -> None:
    if not hasattr(session.config, "workerinput"):  # the controller, or a run without xdist
        session.config.stash[_CHECKOUT] = _checkout_state()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    before = session.config.stash.get(_CHECKOUT, None)
    if before is None or hasattr(session.config, "workerinput"):
        return
    after = _checkout_state()
    if after is not None and after != before:
        changed = sorted(set(after.splitlines()) ^ set(before.splitlines()))
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line("the tests wrote into the checkout: " + "; ".join(changed),
                                red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


_CHECKOUT = pytest.StashKey[str | None]()
