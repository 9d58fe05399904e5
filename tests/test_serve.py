"""newsetl serve: a schedule fires against feeds on 127.0.0.1 and the runs land in the warehouse;
Ctrl-C stops it and the local Prefect server it started."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from newsetl.warehouse import Warehouse, WarehouseError
from tests.site import LOREM, Item, page, serve_feed, serve_page

NEWSETL = Path(sys.executable).with_name("newsetl")


def completed_runs(db: Path) -> list[tuple]:
    """The completed ingest runs, or [] while a run holds the file's lock."""
    if not db.exists():
        return []
    try:
        with Warehouse.open(db, read_only=True) as warehouse:
            return warehouse.query("SELECT run_id, counts FROM runs WHERE flow = 'ingest'"
                                   " AND status = 'completed' ORDER BY started_at")[1]
    except WarehouseError:
        return []


@pytest.mark.slow
def test_serve_polls_on_a_schedule_until_interrupted(httpserver: HTTPServer,
                                                     tmp_path: Path) -> None:
    serve_page(httpserver, "/a.html", page("Breakwater", LOREM))
    feed = serve_feed(httpserver, "/rss.xml", [Item("/a.html", "Breakwater", "a")])
    (tmp_path / "feeds.toml").write_text(
        f'[settings]\ninterval = 3\nhost_delay = 0\nobey_robots = false\n\n'
        f'[[feeds]]\nurl = "{feed}"\nname = "Wire"\n')
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    process = subprocess.Popen(
        [str(NEWSETL), "serve", "--config", "feeds.toml"], cwd=tmp_path, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    db = tmp_path / "data" / "news.duckdb"
    try:
        deadline = time.monotonic() + 150
        while len(completed_runs(db)) < 2 and time.monotonic() < deadline:
            assert process.poll() is None, process.communicate()[0]
            time.sleep(1)
        runs = completed_runs(db)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            output, _ = process.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            output, _ = process.communicate()

    assert len(runs) >= 2, output
    # the first poll stores the article, the next ones find the feed unchanged
    assert runs[0][1]["articles_new"] == 1
    assert runs[1][1]["articles_new"] == 0 and runs[1][1]["feeds_not_modified"] == 1
    assert process.returncode == 0, output
    lines = output.splitlines()
    assert lines[0] == "Starting a local Prefect server on 127.0.0.1 ..."
    ui = re.fullmatch(r"Prefect UI: (http://127\.0\.0\.1:\d+)  \(Ctrl-C stops serving and the "
                      r"server\)", lines[1])
    assert ui, output
    assert lines[2] == "  every 3 s: 1 feed(s)"
    assert lines[-1] == "Stopped."
    # the server went with it
    with pytest.raises(OSError):
        urllib.request.urlopen(f"{ui.group(1)}/api/health", timeout=2)
    # nothing is left half-written: every run ended, and the warehouse holds one article
    with Warehouse.open(db, read_only=True) as warehouse:
        assert warehouse.query("SELECT count(*) FROM articles")[1] == [(1,)]
