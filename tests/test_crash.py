"""Crash safety: kill -9 at random points of a running ingest; the warehouse always opens,
holds no half-written article, and a re-run ends with the counts of an uninterrupted run."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench.ingest import build_site, serve
from newsetl.warehouse import Warehouse

NEWSETL = Path(sys.executable).with_name("newsetl")
TRIALS = 20
COUNTS = ("SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM article_feeds),"
          " (SELECT count(*) FROM quotes), (SELECT count(*) FROM claims),"
          " (SELECT count(*) FROM article_extractions),"
          " (SELECT count(*) FROM articles WHERE corpus_file IS NULL OR warc_file IS NULL)")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):
    """A 30-article site of two feeds on 127.0.0.1, and a feeds.toml for it."""
    root = tmp_path_factory.mktemp("site")
    build_site(root / "www", 30, 2)
    server, base = serve(root / "www")
    config = root / "feeds.toml"
    config.write_text("[settings]\nhost_delay = 0\nobey_robots = false\nper_host = 4\n\n"
                      + "".join(f'[[feeds]]\nurl = "{base}/feed{n}.xml"\n\n' for n in range(2)))
    yield config
    server.shutdown()


@pytest.fixture(scope="module")
def prefect_server(tmp_path_factory: pytest.TempPathFactory):
    """One Prefect server for every subprocess: each ingest then starts in about a second."""
    from newsetl.flows.prefect_server import local_server

    home = tmp_path_factory.mktemp("prefect")
    with local_server(home) as url:
        yield {"PREFECT_API_URL": f"{url}/api", "PREFECT_HOME": str(home)}


def ingest(config: Path, folder: Path, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [str(NEWSETL), "ingest", "--config", str(config), "--db", str(folder / "news.duckdb"),
         "--corpus", str(folder / "corpus")],
        env={**os.environ, **env, "NEWSETL_ARCHIVE": str(folder / "archive")},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def state(folder: Path) -> tuple:
    """Warehouse counts, corpus files and the manifest's ids: what must come out the same."""
    with Warehouse.open(folder / "news.duckdb", read_only=True) as warehouse:
        counts = warehouse.query(COUNTS)[1][0]
        files = warehouse.query("SELECT corpus_file FROM articles ORDER BY 1")[1]
    corpus = sorted(p.name for p in (folder / "corpus").glob("*.txt"))
    manifest = sorted(json.loads(line)["file"] for line in
                      (folder / "corpus" / "manifest.jsonl").read_text().splitlines())
    return counts, [f[0] for f in files] == corpus == manifest, len(corpus)


@pytest.mark.slow
def test_kill_9_at_random_points_loses_and_duplicates_nothing(
    site: Path, prefect_server: dict[str, str], tmp_path: Path
) -> None:
    reference = tmp_path / "reference"
    started = time.monotonic()
    done = ingest(site, reference, prefect_server)
    assert done.wait(timeout=300) == 0, done.stdout.read()
    took = time.monotonic() - started
    expected = state(reference)
    assert expected[0][0] == 30 and expected[0][5] == 0 and expected[1]

    rng = random.Random(9)
    for trial in range(TRIALS):
        folder = tmp_path / f"trial{trial}"
        process = ingest(site, folder, prefect_server)
        time.sleep(rng.uniform(0.2, took))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        if (folder / "news.duckdb").exists():
            with Warehouse.open(folder / "news.duckdb") as warehouse:
                # every stored article came with all of its rows, or not at all
                assert warehouse.query(
                    "SELECT count(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM"
                    " article_extractions e WHERE e.article_id = a.article_id"
                    " AND e.extractor = 'claims')")[1] == [(0,)], f"trial {trial}"
        again = ingest(site, folder, prefect_server)
        assert again.wait(timeout=300) == 0, f"trial {trial}: {again.stdout.read()}"
        assert state(folder) == expected, f"trial {trial}"
        assert not list((folder / "archive").glob("*.open")), f"trial {trial}"
        assert not list((folder / "corpus").glob(".*.tmp")), f"trial {trial}"
