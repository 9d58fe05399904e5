"""The newsetl command as a user runs it, in its own process (issue 11): readers get in while
an ingest runs, one Ctrl-C stops it in seconds keeping its committed chunks, kill -9 leaves
no process behind (its temporary Prefect server included), a flow command reuses the server
``serve`` runs, and commands that run no flow never import Prefect."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from newsetl.warehouse import Warehouse
from tests.conftest import SEED
from tests.site import LOREM, Item, page, serve_feed
from tests.test_crash import alive, descendants

pytestmark = pytest.mark.slow
NEWSETL = str(Path(sys.executable).with_name("newsetl"))
PAGES = 12
DELAY = 0.4
"""seconds each page takes to come: a run lasts long enough to be looked at"""
GATE_WAIT = 25.0
"""seconds the gated last page waits for the test at most (below the 30 s read timeout)"""
STOP_WITHIN = 15.0
"""seconds a run may take to end after one Ctrl-C (it used to wait for a second one)"""
ENV = {"NEWSETL_HOST_DELAY": "0", "NEWSETL_OBEY_ROBOTS": "false", "NEWSETL_CHUNK_SIZE": "2",
       "NEWSETL_ERROR_POLICY": "raise"}


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """The local server ``serve`` would run, announced under its PREFECT_HOME: (home, url)."""
    from newsetl.flows.prefect_server import local_server

    home = tmp_path_factory.mktemp("prefect")
    with local_server(home, announce=True) as url:
        yield home, url


@pytest.fixture
def gate() -> Iterator[threading.Event]:
    """Holds the last page back until set: a run cannot end before the test says so."""
    opened = threading.Event()
    yield opened
    opened.set()  # nothing left waiting at teardown


@pytest.fixture
def slow_wire(httpserver: HTTPServer, gate: threading.Event) -> str:
    """A feed of PAGES pages, each taking DELAY seconds to come; the last one waits for
    ``gate`` too."""
    for n in range(PAGES):
        html = page(f"Story {n}", LOREM + [f'"Gate {n} opens in May," said Ana Ruiz.'])

        def slowly(request: Request, html: str = html, last: bool = n == PAGES - 1
                   ) -> Response:
            time.sleep(DELAY)
            if last:
                gate.wait(GATE_WAIT)
            return Response(html, content_type="text/html; charset=utf-8")

        httpserver.expect_request(f"/s{n}.html").respond_with_handler(slowly)
    return serve_feed(httpserver, "/rss.xml", [Item(f"/s{n}.html", f"Story {n}", f"s{n}")
                                               for n in range(PAGES)])


def start(argv: list[str], home: Path, folder: Path, log: Path) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("NEWSETL_", "PREFECT_API_URL"))}
    env |= {**ENV, "PREFECT_HOME": str(home), "NEWSETL_DATA_DIR": str(folder)}
    return subprocess.Popen([NEWSETL, *argv], env=env, stdout=log.open("w"),
                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)


def wait_for_corpus(folder: Path, process: subprocess.Popen, log: Path, files: int = 1
                    ) -> None:
    """Until the run wrote ``files`` corpus files (a chunk's files are written just before
    it commits: the second chunk's mean the first one is committed)."""
    deadline = time.monotonic() + 180
    while len(list((folder / "corpus").glob("*.txt"))) < files:
        assert process.poll() is None, log.read_text()
        assert time.monotonic() < deadline, log.read_text()
        time.sleep(0.05)


def rows(db: Path, sql: str) -> list[tuple]:
    with Warehouse.open(db, read_only=True, lock_timeout=10) as warehouse:
        return warehouse.query(sql)[1]


def flow_runs(url: str) -> int:
    request = urllib.request.Request(f"{url}/api/flow_runs/count", data=b"{}",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return int(json.loads(response.read()))


def test_readers_get_in_while_an_ingest_runs_and_it_reuses_serves_server(
    slow_wire: str, gate: threading.Event, served: tuple[Path, str], tmp_path: Path
) -> None:
    # issue 11: `newsetl sql` during a run failed with "locked by process N ... kill N"
    home, url = served
    runs_before = flow_runs(url)
    log = tmp_path / "ingest.log"
    ingest = start(["ingest", "--feed", slow_wire], home, tmp_path / "data", log)
    wait_for_corpus(tmp_path / "data", ingest, log)
    db = tmp_path / "data" / "news.duckdb"
    env = {**os.environ, "NEWSETL_DATA_DIR": str(tmp_path / "data")}
    answers = []
    for _ in range(5):
        done = subprocess.run([NEWSETL, "runs", "--csv"], env=env, capture_output=True,
                              text=True)
        answers.append((done.returncode, done.stderr))
        # an analyst's own read-only connection, held a while: the run waits for it
        with Warehouse.open(db, read_only=True, lock_timeout=10) as warehouse:
            assert warehouse.query("SELECT count(*) FROM runs")[1] == [(1,)]
            time.sleep(0.5)
    # the last page is held back until now, so the readers above all met a running ingest
    still_running = ingest.poll() is None
    gate.set()
    assert ingest.wait(180) == 0, log.read_text()

    assert answers == [(0, "")] * 5
    assert still_running, "the ingest ended before the readers were done: too fast to tell"
    assert rows(db, "SELECT status, counts->>'articles_new' FROM runs") == [
        ("completed", str(PAGES))]
    # the run went to the server serve announced, not to a temporary one of its own
    assert flow_runs(url) > runs_before


def test_one_ctrl_c_stops_an_ingest_in_seconds_keeping_its_chunks(
    slow_wire: str, served: tuple[Path, str], tmp_path: Path
) -> None:
    # issue 11: Ctrl-C hung until a second one, and the run kept nothing of its work
    home, _ = served
    log = tmp_path / "ingest.log"
    ingest = start(["ingest", "--feed", slow_wire], home, tmp_path / "data", log)
    wait_for_corpus(tmp_path / "data", ingest, log, files=3)
    below = descendants(ingest.pid)
    ingest.send_signal(signal.SIGINT)
    began = time.monotonic()
    code = ingest.wait(60)
    took = time.monotonic() - began

    assert (code, log.read_text().splitlines()[-1]) == (
        130, "Error: interrupted; the run is recorded as interrupted")
    assert took < STOP_WITHIN, f"{took:.1f} s after Ctrl-C"
    db = tmp_path / "data" / "news.duckdb"
    [(status, kept)] = rows(db, "SELECT r.status, (SELECT count(*) FROM articles) FROM runs r")
    assert status == "interrupted" and 0 < kept < PAGES, (status, kept)
    assert rows(db, "SELECT count(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM quotes q"
                    " WHERE q.article_id = a.article_id)") == [(0,)]
    time.sleep(2)
    assert [p for p in below if alive(p)] == []


def test_kill_9_leaves_no_process_behind_its_temporary_server_included(
    slow_wire: str, tmp_path: Path
) -> None:
    # issue 11: the run's temporary Prefect server (about 190 MB) ran on forever
    log = tmp_path / "ingest.log"
    ingest = start(["ingest", "--feed", slow_wire], tmp_path / "prefect", tmp_path / "data",
                   log)
    wait_for_corpus(tmp_path / "data", ingest, log, files=3)
    below = descendants(ingest.pid)
    commands = [Path(f"/proc/{p}/cmdline").read_bytes() for p in below if alive(p)]
    assert any(b"newsetl.flows.prefect_server" in c for c in commands), commands
    assert any(b"newsetl.flows.extraction" in c for c in commands), commands

    ingest.send_signal(signal.SIGKILL)
    ingest.wait(30)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(alive(p) for p in below):
        time.sleep(0.1)
    left = [p for p in below if alive(p)]
    for orphan in left:  # ours: ended so that a failure leaves the machine clean
        os.kill(orphan, signal.SIGKILL)
    assert left == []
    # the next reader sees the run interrupted, and what it committed is there
    [(status, kept)] = rows(tmp_path / "data" / "news.duckdb",
                            "SELECT status, (SELECT count(*) FROM articles) FROM runs")
    assert status == "running" and kept > 0
    done = subprocess.run([NEWSETL, "runs", "--csv", "--data-dir", str(tmp_path / "data")],
                          capture_output=True, text=True)
    assert ",interrupted," in done.stdout


def test_commands_that_run_no_flow_never_import_prefect(ingested, tmp_path: Path) -> None:
    # issue 11: every command paid 8 to 13 s of Prefect start-up
    db = ingested.db
    script = (
        "import json, sys\n"
        "from newsetl.flows.cli import main\n"
        f"db = {db!r}\n"
        "codes = [main(['sql', 'SELECT count(*) FROM articles', '--db', db]),\n"
        "         main(['runs', '--db', db]), main(['feeds', '--db', db]),\n"
        "         main(['who', 'Ana Ruiz', '--db', db]),\n"
        f"         main(['export', {str(tmp_path / 'export')!r}, '--db', db]),\n"
        f"         main(['report', '--out', {str(tmp_path / 'report')!r}, '--db', db]),\n"
        f"         main(['extract', {str(SEED)!r}])]\n"
        "print(json.dumps([codes, sorted(m for m in sys.modules if m.split('.')[0] == 'prefect')]),"
        " file=sys.stderr)\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=300)
    codes, imported = json.loads(done.stderr.strip().splitlines()[-1])
    assert codes == [0] * 7, done.stderr
    assert imported == []
