"""Crash safety: kill -9 at random moments of a running backfill and ingest; the warehouse
always opens, holds no half-written article, shows the killed run as interrupted, leaves no
process of the killed run behind, and a re-run ends with exactly what an uninterrupted run
stores. Both commit chunk by chunk: most kills cut a run between two of its chunks."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bench.ingest import build_site, serve
from bench.stream import descendants
from newsetl.warehouse import Warehouse

ARTICLES = 16
CHUNK = 4
"""articles per batch: a backfill of the site stores four batches, each in its own transaction"""
TRIALS = {"backfill-web": 8, "ingest": 8}
TIMEOUT = 120.0
COUNTS = ("SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM article_feeds),"
          " (SELECT count(*) FROM quotes), (SELECT count(*) FROM claims),"
          " (SELECT count(*) FROM article_extractions),"
          " (SELECT count(*) FROM articles WHERE corpus_file IS NULL OR warc_file IS NULL)")


ORPHAN_GRACE = 5.0
"""seconds within which every process of a killed run must be gone"""


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


@dataclass(frozen=True)
class Site:
    """A generated news site on 127.0.0.1: its feeds config and a list of its article URLs."""

    config: Path
    urls: Path


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    root = tmp_path_factory.mktemp("site")
    build_site(root / "www", ARTICLES, 2)
    server, base = serve(root / "www")
    config = root / "feeds.toml"
    config.write_text("".join(f'[[feeds]]\nurl = "{base}/feed{n}.xml"\n\n' for n in range(2)))
    urls = root / "urls.txt"
    urls.write_text("".join(f"{base}/a/{n}.html\n" for n in range(ARTICLES)))
    yield Site(config, urls)
    server.shutdown()


class Runner:
    """Starts CLI runs as children of tests/forking_cli.py, waits for them, kills them."""

    def __init__(self, env: dict[str, str], logs: Path) -> None:
        self.logs = logs
        self.process = subprocess.Popen(
            [sys.executable, str(Path(__file__).with_name("forking_cli.py"))],
            env={**os.environ, **env}, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert "ready" in self._answer(), "the forking CLI did not start"
        self.count = 0

    def _ask(self, request: dict) -> dict:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        return self._answer()

    def _answer(self) -> dict:
        assert self.process.stdout is not None
        return json.loads(self.process.stdout.readline())

    def start(self, argv: list[str], env: dict[str, str]) -> int:
        self.count += 1
        log = self.logs / f"run{self.count}.log"
        return self._ask({"argv": argv, "env": env, "log": str(log)})["pid"]

    def log(self) -> str:
        return (self.logs / f"run{self.count}.log").read_text()

    def wait(self, pid: int, until: Callable[[], bool] = lambda: False) -> int | None:
        """Wait for the run to end (its exit code) or for ``until()`` (None)."""
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            status = self._ask({"poll": pid})["status"]
            if status is not None:
                return os.waitstatus_to_exitcode(status)
            if until():
                return None
            time.sleep(0.01)
        raise AssertionError(f"run {pid} still going after {TIMEOUT} s: {self.log()}")

    def kill(self, pid: int) -> list[int]:
        """Kill the run; return the pids of its processes (worker processes) left alive
        a few seconds after."""
        below = descendants(pid)
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.wait(pid)
        deadline = time.monotonic() + ORPHAN_GRACE
        while time.monotonic() < deadline and any(alive(p) for p in below):
            time.sleep(0.05)
        left = [p for p in below if alive(p)]
        for orphan in left:  # the run's own processes: ended so the session goes on clean
            os.kill(orphan, signal.SIGKILL)
        return left

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=30)


@pytest.fixture(scope="module")
def runner(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runner]:
    """One Prefect server and one forking CLI for every run: a run starts in a second."""
    from newsetl.flows.prefect_server import local_server

    home = tmp_path_factory.mktemp("prefect")
    with local_server(home) as url:
        env = {"PREFECT_API_URL": f"{url}/api", "PREFECT_HOME": str(home),
               "NEWSETL_HOST_DELAY": "0", "NEWSETL_OBEY_ROBOTS": "false",
               "NEWSETL_PER_HOST": "4", "NEWSETL_CHUNK_SIZE": str(CHUNK)}
        started = Runner(env, tmp_path_factory.mktemp("logs"))
        yield started
        started.close()


def command(flow: str, site: Site, folder: Path) -> tuple[list[str], dict[str, str]]:
    where = ["--db", str(folder / "news.duckdb"), "--corpus", str(folder / "corpus")]
    env = {"NEWSETL_ARCHIVE": str(folder / "archive")}
    if flow == "ingest":
        return ["ingest", "--config", str(site.config), *where], env
    return ["backfill", "--urls", str(site.urls), *where], env


def corpus_files(folder: Path) -> int:
    return len(list((folder / "corpus").glob("*.txt"))) if (folder / "corpus").is_dir() else 0


def archiving(folder: Path) -> bool:
    return (folder / "archive").is_dir() and any((folder / "archive").glob("*.open"))


def state(folder: Path) -> tuple:
    """Warehouse counts, corpus files and the manifest's ids: what must come out the same."""
    with Warehouse.open(folder / "news.duckdb", read_only=True) as warehouse:
        counts = warehouse.query(COUNTS)[1][0]
        files = warehouse.query("SELECT corpus_file FROM articles ORDER BY 1")[1]
    corpus = sorted(p.name for p in (folder / "corpus").glob("*.txt"))
    manifest = sorted(json.loads(line)["file"] for line in
                      (folder / "corpus" / "manifest.jsonl").read_text().splitlines())
    return counts, [f[0] for f in files] == corpus == manifest, len(corpus)


def after_the_kill(folder: Path, trial: int) -> int:
    """Open the warehouse as the next run would; check that nothing is half-written and the
    killed run is closed as interrupted; return how many articles it holds."""
    if not (folder / "news.duckdb").exists():
        return 0
    with Warehouse.open(folder / "news.duckdb") as warehouse:
        # every stored article came with all of its rows, or not at all
        assert warehouse.query(
            "SELECT count(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM"
            " article_extractions e WHERE e.article_id = a.article_id"
            " AND e.extractor = 'claims')")[1] == [(0,)], f"trial {trial}"
        assert warehouse.query("SELECT DISTINCT status FROM runs")[1] in (
            [], [("interrupted",)], [("completed",)]), f"trial {trial}"
        return warehouse.query("SELECT count(*) FROM articles")[1][0][0]


@pytest.mark.slow
@pytest.mark.parametrize("flow", ["backfill-web", "ingest"])
def test_kill_9_at_random_moments_loses_and_duplicates_nothing(
    flow: str, site: Site, runner: Runner, tmp_path: Path
) -> None:
    reference = tmp_path / "reference"
    began = time.monotonic()
    pid = runner.start(*command(flow, site, reference))
    marks: dict[str, float] = {}

    def mark() -> bool:
        now = time.monotonic() - began
        if archiving(reference):
            marks.setdefault("archiving", now)
        if corpus_files(reference):
            marks.setdefault("first_file", now)
        if corpus_files(reference) == ARTICLES:
            marks.setdefault("last_file", now)
        return False

    assert runner.wait(pid, mark) == 0, runner.log()
    expected = state(reference)
    assert expected[0][0] == ARTICLES and expected[0][5] == 0 and expected[1]
    assert marks.keys() == {"archiving", "first_file", "last_file"}, marks
    # four transactions: kills fall between the first chunk and the last one, once the
    # start-up (fork, engine, first fetches and extraction) is over
    started_up, window = corpus_files, (marks["last_file"] - marks["first_file"]) * 0.8

    rng = random.Random(9)
    stored = []
    for trial in range(TRIALS[flow]):
        folder = tmp_path / f"trial{trial}"
        pid = runner.start(*command(flow, site, folder))
        runner.wait(pid, lambda f=folder: bool(started_up(f)))
        time.sleep(rng.uniform(0, window))
        assert runner.kill(pid) == [], f"trial {trial}: processes left after kill -9"
        stored.append(after_the_kill(folder, trial))
        again = runner.start(*command(flow, site, folder))
        assert runner.wait(again) == 0, f"trial {trial}: {runner.log()}"

        assert state(folder) == expected, f"trial {trial}"
        assert not list((folder / "archive").glob("*.open")), f"trial {trial}"
        assert not list((folder / "corpus").glob(".*.tmp")), f"trial {trial}"

    # issue 11: an ingest commits each chunk as it is done, as a backfill does
    cut = [n for n in stored if 0 < n < ARTICLES]
    assert len(cut) >= len(stored) / 2, f"too few kills cut a {flow} short: {stored}"
