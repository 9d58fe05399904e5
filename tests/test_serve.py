"""newsetl serve: a schedule fires against feeds on 127.0.0.1 and the runs land in the warehouse;
Ctrl-C stops it and the local Prefect server it started."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from newsetl.warehouse import Warehouse, WarehouseError
from tests.browser import CHROMIUM, browser_page
from tests.site import LOREM, Item, page, serve_feed, serve_page

NEWSETL = Path(sys.executable).with_name("newsetl")


def runs_in(db: Path, status: str, detail: str) -> list[tuple]:
    """(run_id, ``detail``) of the ingest runs with ``status``, oldest first; [] while a run
    holds the file's lock."""
    if not db.exists():
        return []
    try:
        with Warehouse.open(db, read_only=True) as warehouse:
            return warehouse.query(f"SELECT run_id, {detail} FROM runs WHERE flow = 'ingest'"
                                   " AND status = ? ORDER BY started_at", [status])[1]
    except WarehouseError:
        return []


def completed_runs(db: Path) -> list[tuple]:
    return runs_in(db, "completed", "counts")


def failed_runs(db: Path) -> list[tuple]:
    return runs_in(db, "failed", "error")


def wait_for(check, what: str, process: subprocess.Popen, lines: list[str],
             seconds: float = 150) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert process.poll() is None, "\n".join(lines)
        assert time.monotonic() < deadline, f"no {what} after {seconds} s:\n" + "\n".join(lines)
        time.sleep(0.5)


def check_ui(url: str) -> bool:
    """The UI's own settings and the API's health through the printed address, and the UI
    itself in Chromium showing the deployment; False where Chromium is absent."""
    with urllib.request.urlopen(f"{url}/ui-settings", timeout=10) as response:
        assert json.load(response)["api_url"] == f"{url}/api"
    with urllib.request.urlopen(f"{url}/api/health", timeout=10) as response:
        assert json.load(response) is True
    if not os.path.exists(CHROMIUM):
        return False
    with browser_page() as (page, _):
        page.goto(f"{url}/deployments")
        page.get_by_text("Wire every 3 s").first.wait_for(timeout=60_000)
        assert "Unable to connect" not in page.content()
        page.screenshot(path=str(Path(os.environ.get("TMPDIR", "/tmp")) / "newsetl-ui.png"))
    return True


@pytest.mark.slow
def test_serve_polls_on_a_schedule_until_interrupted(httpserver: HTTPServer,
                                                     tmp_path: Path) -> None:
    serve_page(httpserver, "/a.html", page("Breakwater", LOREM))
    feed = serve_feed(httpserver, "/rss.xml", [Item("/a.html", "Breakwater", "a")])
    config = tmp_path / "feeds.toml"
    config.write_text(
        f'[settings]\ninterval = 3\nhost_delay = 0\nobey_robots = false\n\n'
        f'[[feeds]]\nurl = "{feed}"\nname = "Wire"\ntags = ["world", "wires"]\n')
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    process = subprocess.Popen(
        [str(NEWSETL), "serve", "--config", "feeds.toml"], cwd=tmp_path, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: list[str] = []
    assert process.stdout is not None
    stdout = process.stdout
    reader = threading.Thread(target=lambda: lines.extend(iter(stdout.readline, "")),
                              daemon=True)
    reader.start()
    db = tmp_path / "data" / "news.duckdb"
    try:
        wait_for(lambda: any(x.startswith("Prefect UI: ") for x in lines), "UI address",
                 process, lines)
        ui = re.fullmatch(r"Prefect UI: (http://127\.0\.0\.1:\d+)  \(Ctrl-C stops serving and "
                          r"the server\)\n", lines[1])
        assert ui, lines
        wait_for(lambda: len(completed_runs(db)) >= 2, "two completed runs", process, lines)
        browsed = check_ui(ui.group(1))
        runs = completed_runs(db)
        # a broken config fails the next run: in the terminal and in runs, not silently
        config.write_text(config.read_text() + "[[feeds]\n")
        wait_for(lambda: failed_runs(db), "failed run", process, lines)
        config.write_text(config.read_text().replace("[[feeds]\n", ""))
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        reader.join(timeout=10)

    # the first poll stores the article, the next ones find the feed unchanged
    assert runs[0][1]["articles_new"] == 1
    assert runs[1][1]["articles_new"] == 0 and runs[1][1]["feeds_not_modified"] == 1
    assert process.returncode == 0, lines
    assert lines[0] == "Starting a local Prefect server on 127.0.0.1 ...\n"
    assert lines[2:4] == ["  deployment 'Wire every 3 s': 1 feed(s), tags newsetl, world, wires\n",
                          "Each run prints one line here; `newsetl runs` lists them.\n"]
    stamp = r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC every 3 s: "
    polls = [x for x in lines if re.match(stamp, x)]
    assert re.fullmatch(stamp + r"feeds 1 ok, 0 failed; articles 1 new, 0 updated "
                        rf"\(run {runs[0][0][:12]}\)\n", polls[0]), polls
    assert re.fullmatch(stamp + r"feeds 1 ok \(1 not modified\), 0 failed; articles 0 new, "
                        r"0 updated \(run [0-9a-f]{12}\)\n", polls[1]), polls
    failed = failed_runs(db)[0]
    assert failed[1].startswith(f"config file {config} is not valid TOML: ")
    assert any(x.endswith(f"failed: {failed[1]} (run {failed[0][:12]})\n") for x in polls), polls
    assert lines[-1] == "Stopped.\n"
    # the server went with it
    with pytest.raises(OSError):
        urllib.request.urlopen(f"{ui.group(1)}/api/health", timeout=2)
    # nothing is left half-written: every run ended, and the warehouse holds one article
    with Warehouse.open(db, read_only=True) as warehouse:
        assert warehouse.query("SELECT count(*) FROM articles")[1] == [(1,)]
        assert warehouse.query("SELECT count(*) FROM runs WHERE status = 'running'")[1] == [(0,)]
    if not browsed:
        pytest.skip(f"{CHROMIUM} not found: all but the UI in a browser checked")


def test_deployments_are_named_after_their_feeds_and_tagged_with_theirs(tmp_path: Path) -> None:
    from newsetl.flows.serve import schedules

    config = tmp_path / "feeds.toml"
    config.write_text(
        '[[feeds]]\nurl = "https://a.example/rss"\nname = "Arts & Letters"\ntags = ["culture"]\n'
        '[[feeds]]\nurl = "https://b.example/rss"\ntags = ["world", "culture"]\n'
        '[[feeds]]\nurl = "https://c.example/rss"\nname = "C/D"\ninterval = 60\n'
        + "".join(f'[[feeds]]\nurl = "https://{n}.example/rss"\nname = "{n}"\n'
                  for n in ("e", "f", "g")))
    found = schedules(str(config), 3600)
    assert [(s.name, s.tags, len(s.feeds)) for s in found] == [
        ("C-D every 60 s", ["newsetl"], 1),
        ("Arts and Letters, b.example, e and 2 more every 3600 s",
         ["newsetl", "culture", "world"], 5),
    ]
    assert found[0].description == ("newsetl ingests 1 feed(s) every 60 s:\n"
                                    "- C/D: https://c.example/rss")


def test_a_run_failing_before_the_warehouse_opens_prints_its_line_and_is_recorded(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from newsetl.flows.serve import scheduled_ingest

    config = tmp_path / "feeds.toml"
    config.write_text('[[feeds]\nurl = "https://a.example/rss"\n')  # broken: no ']]'
    db = tmp_path / "news.duckdb"

    state = scheduled_ingest.fn(str(config), 60, {"db": str(db), "lock_timeout": 0})

    assert state.is_failed()
    with Warehouse.open(db, read_only=True) as warehouse:
        [(run_id, flow, status, error, params)] = warehouse.query(
            "SELECT run_id, flow, status, error, parameters FROM runs")[1]
    assert (flow, status, params) == ("ingest", "failed", {
        "config": str(config), "interval": 60, "scheduled": True})
    assert error.startswith(f"config file {config} is not valid TOML: ")
    assert state.message == error
    line = capsys.readouterr().out
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC every 60 s: failed: "
                        + re.escape(error) + rf" \(run {run_id[:12]}\)\n", line), line
    # a warehouse that cannot be opened either: the line alone, without a run
    state = scheduled_ingest.fn(str(config), 60, {"db": str(tmp_path), "lock_timeout": 0})
    assert state.is_failed()
    assert capsys.readouterr().out.endswith(f"every 60 s: failed: {error}\n")
