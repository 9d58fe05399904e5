"""The fault suite of issue 14: misbehaving servers on 127.0.0.1 and hostile files, each among
good inputs, through whole ingests, backfills and the command line. Every case says what the
run must do: the good inputs load, the bad one costs itself only and is in run_errors, nothing
hangs, nothing reaches an internal address, no message misleads."""

from __future__ import annotations

import dataclasses
import datetime as dt
import gzip
import hashlib
import io
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter
from werkzeug import Response

from newsetl.extract.dated import format_dated
from newsetl.flows.backfill import backfill_flow
from newsetl.flows.cli import main
from newsetl.flows.config import FeedSpec, load_config
from newsetl.flows.ingest import run_ingest
from newsetl.flows.settings import Settings
from newsetl.flows.web_backfill import web_backfill_flow
from newsetl.warehouse import Warehouse
from tests.conftest import settings_for
from tests.memory import peak_rss
from tests.site import LOREM, Item, page, rss, serve_feed, serve_page
from tests.test_fetch import raw_server, trickle
from tests.test_ssrf import free_port, server_on

pytestmark = pytest.mark.usefixtures("prefect_harness")
NEWSETL = Path(sys.executable).with_name("newsetl")


def rows(db: str | Path, sql: str) -> list[tuple]:
    with Warehouse.open(db, read_only=True) as warehouse:
        return warehouse.query(sql)[1]


def errors_of(db: str | Path) -> dict[str, str]:
    """input -> error kind of every run_errors row."""
    return dict(rows(db, "SELECT input, error FROM run_errors ORDER BY input"))


def token_paragraphs(count: int, seed: str = "", words: int = 12) -> list[str]:
    """Distinct paragraphs of long made-up words: many characters, few tokens, so spaCy
    parses a megabyte in seconds (its cost is per token, its limit per character)."""
    return [" ".join(["Word"] + [hashlib.sha256(f"{seed}{n}-{i}".encode()).hexdigest()[:60]
                                 for i in range(words)] + ["ends."]) for n in range(count)]


def test_one_bad_page_of_each_kind_costs_itself_only(httpserver: HTTPServer,
                                                      tmp_path: Path) -> None:
    base = httpserver.url_for("")[:-1]
    serve_page(httpserver, "/good.html", page("Good", LOREM))
    # a canonical URL with a port out of range: the page's markup is wrong, not the article
    serve_page(httpserver, "/port.html", page("Port", LOREM,
                                              canonical="https://news.example:99999/port"))
    # a gzip body cut short must not pass for a shorter article
    whole = gzip.compress(page("Cut", LOREM * 30).encode())
    httpserver.expect_request("/cut.html").respond_with_data(
        whole[: len(whole) // 2], headers={"Content-Encoding": "gzip"}, content_type="text/html")
    # a million tiny paragraphs, under the size cap: trafilatura would take hours
    httpserver.expect_request("/tiny.html").respond_with_data(
        b"<html><body><article>" + b"<p>a</p>" * 1_000_000 + b"</article></body></html>",
        content_type="text/html")
    # 1.1 MB of text: over spaCy's 1,000,000-character limit, cut to max_text_chars
    serve_page(httpserver, "/huge.html", page("Huge", token_paragraphs(1400)))
    # five entries sharing one GUID, each with its own page
    for n in range(5):
        serve_page(httpserver, f"/same-{n}.html", page(f"Same {n}", [f"Story {n}."] + LOREM))
    items = [Item(f"/{name}.html", name, name) for name in ("good", "port", "cut", "tiny", "huge")]
    items += [Item(f"/same-{n}.html", f"Same {n}", "one-guid") for n in range(5)]
    feed = serve_feed(httpserver, "/rss.xml", items)
    settings = settings_for(tmp_path, extract_timeout=3.0, max_text_chars=50_000,
                            max_bytes=20_000_000)

    began = time.monotonic()
    summary = run_ingest([FeedSpec(feed)], settings)
    took = time.monotonic() - began

    assert summary.status == "completed"
    assert sorted(t for (t,) in rows(settings.db, "SELECT title FROM articles")) == [
        "Good", "Huge", "Port", "Same 0", "Same 1", "Same 2", "Same 3", "Same 4"]
    assert errors_of(settings.db) == {f"{base}/cut.html": "decoding",
                                      f"{base}/huge.html": "truncated",
                                      f"{base}/tiny.html": "extract_timeout"}
    assert rows(settings.db, "SELECT canonical_url FROM articles WHERE title = 'Port'") == [
        (f"{base}/port.html",)]
    (huge,) = rows(settings.db, "SELECT length(text) FROM articles WHERE title = 'Huge'")[0]
    assert 40_000 < huge <= 50_100
    assert (summary.articles_new, summary.articles_failed) == (8, 2)
    assert took < 60


def test_a_retry_after_of_years_moves_the_polls_and_holds_nothing(httpserver: HTTPServer,
                                                                   tmp_path: Path) -> None:
    # issue 14: a 429 with a Retry-After of years (or a date in 9999) held the run for hours
    httpserver.expect_request("/busy.xml").respond_with_data(
        "slow down", status=429, headers={"Retry-After": "Fri, 31 Dec 9999 23:59:59 GMT"})
    httpserver.expect_request("/also.xml").respond_with_data("<rss/>")
    serve_page(httpserver, "/a.html", page("Elsewhere", LOREM))
    # another host (127.0.0.1 is not localhost to politeness) is not held up
    elsewhere = httpserver.url_for("")[:-1].replace("localhost", "127.0.0.1")
    httpserver.expect_request("/other.xml").respond_with_data(
        rss([Item("/a.html", "Elsewhere", "a")], elsewhere))
    other = f"{elsewhere}/other.xml"
    # one feed at a time, in the order listed: the busy feed answers first
    settings = settings_for(tmp_path, retries=3, max_hold_off=60.0, concurrency=1)

    began = time.monotonic()
    summary = run_ingest([FeedSpec(httpserver.url_for("/busy.xml")),
                          FeedSpec(httpserver.url_for("/also.xml")), FeedSpec(other)], settings)
    took = time.monotonic() - began

    assert took < 30
    assert summary.articles_new == 1
    polls = dict(rows(settings.db, "SELECT url, next_poll_at FROM feeds"))
    now = dt.datetime.now(dt.UTC)
    for url in (httpserver.url_for("/busy.xml"), httpserver.url_for("/also.xml")):
        # past the run, and a day at the most
        assert now + dt.timedelta(hours=23) < polls[url] <= now + dt.timedelta(days=1, minutes=1)
    paths = [e[0].path for e in httpserver.log]
    assert paths.count("/busy.xml") == 1 and "/also.xml" not in paths


def test_ten_links_to_a_trickling_server_cost_a_few_deadlines(httpserver: HTTPServer,
                                                              tmp_path: Path) -> None:
    # issue 14: robots.txt plus retries made each trickling page cost 4x total_timeout
    with raw_server(trickle(b"HTTP/1.1 200 OK\r\nContent-Length: 9000\r\n\r\n"),
                    lifetime=30) as slow:
        serve_page(httpserver, "/good.html", page("Good", LOREM))
        body = rss([Item("/good.html", "Good", "good")], httpserver.url_for("")[:-1]).replace(
            "</channel>", "".join(f"<item><title>{n}</title><link>{slow}page{n}</link>"
                                  f"<guid>s{n}</guid></item>" for n in range(10)) + "</channel>")
        httpserver.expect_request("/rss.xml").respond_with_data(body)
        httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
        settings = settings_for(tmp_path, obey_robots=True, retries=2, total_timeout=0.5,
                                read_timeout=1.0, allow_hosts="127.0.0.1")
        began = time.monotonic()
        run_ingest([FeedSpec(httpserver.url_for("/rss.xml"))], settings)
        took = time.monotonic() - began

    kinds = [k for u, k in errors_of(settings.db).items() if u.startswith(slow)]
    assert kinds == ["timeout"] * 10
    assert rows(settings.db, "SELECT title FROM articles") == [("Good",)]
    # three deadlines (robots.txt, a page, a retry) and two backoffs, not forty deadlines
    assert took < 25


def test_a_local_feed_reads_only_below_its_config(tmp_path: Path) -> None:
    # issue 14: a file:// feed could read any file through a relative ../../ link
    site = tmp_path / "site"
    (site / "feeds").mkdir(parents=True)
    (site / "pages").mkdir()
    (site / "pages" / "a.html").write_text(page("Inside", LOREM))
    (tmp_path / "private.html").write_text(page("Private", ["Secret ledger entries."] + LOREM))
    items = [Item("../pages/a.html", "Inside", "a"), Item("../../private.html", "Private", "p")]
    (site / "feeds" / "feed.rss").write_text(rss(items, ""))
    (site / "feeds.toml").write_text('[[feeds]]\nurl = "feeds/feed.rss"\n')
    settings = settings_for(tmp_path / "out")

    run_ingest(list(load_config(site / "feeds.toml").feeds), settings)

    assert rows(settings.db, "SELECT title FROM articles") == [("Inside",)]
    assert list(errors_of(settings.db).values()) == ["refused"]


def test_sitemap_children_and_entries_pass_the_guard_and_a_bad_loc_costs_itself(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    # issue 14: children of a sitemap index skipped the guard (an internal page was stored);
    # one malformed <loc> aborted the whole backfill
    port = free_port()
    base = httpserver.url_for("")[:-1]
    inner = f"http://127.0.0.2:{port}"
    httpserver.expect_request("/sitemap.xml").respond_with_data(
        '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{base}/news.xml</loc></sitemap>"
        f"<sitemap><loc>{inner}/internal.xml</loc></sitemap></sitemapindex>")
    httpserver.expect_request("/news.xml").respond_with_data(
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<url><loc>{base}/a.html</loc></url><url><loc>http://[::1/broken</loc></url>"
        f"<url><loc>{inner}/admin.html</loc></url><url><loc>{base}/b.html</loc></url></urlset>")
    serve_page(httpserver, "/a.html", page("First", LOREM))
    serve_page(httpserver, "/b.html", page("Second", LOREM + ["More."]))
    settings = settings_for(tmp_path)
    internal = page("Internal", ["Staff only: the admin console."] + LOREM).encode()

    with server_on("127.0.0.2", port, internal) as asked:
        summary = web_backfill_flow([], [f"{base}/sitemap.xml"], settings)

    assert summary.status == "completed"
    assert rows(settings.db, "SELECT title FROM articles ORDER BY title") == [
        ("First",), ("Second",)]
    assert errors_of(settings.db) == {f"{inner}/internal.xml": "refused",
                                      f"{inner}/admin.html": "refused",
                                      "http://[::1/broken": "BadUrl"}
    assert asked == []


def test_a_huge_dated_file_and_a_damaged_warc_record_cost_nothing_else(tmp_path: Path) -> None:
    # issue 14: one dated file over spaCy's limit among ten good ones: none loaded; a WARC
    # record with a wrong Content-Length lost every record after it (11 of 20)
    files = tmp_path / "files"
    files.mkdir()
    for n in range(10):
        (files / f"{n:03d}_{n:016x}.txt").write_text(format_dated(
            dt.date(2024, 11, 1 + n), [f"Article {n}. " + LOREM[0], LOREM[1]]))
    big = format_dated(dt.date(2024, 11, 20), token_paragraphs(1500, words=14))
    assert len(big) > 1_100_000
    (files / f"010_{'b' * 16}.txt").write_text(big)
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=False)
    for n in range(21):
        payload = page(f"Archived {n}", [f"Archived story {n}."] + LOREM).encode()
        # the last record's target URI has a port out of range: that record costs itself
        writer.write_record(writer.create_warc_record(
            f"https://news.example/{n}" if n < 20 else "https://news.example:99999/x",
            "response", payload=io.BytesIO(payload),
            length=len(payload), http_headers=StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1"),
            warc_headers_dict={"WARC-Date": "2024-11-07T09:30:15Z"}))
    data = out.getvalue()
    starts = [m.start() for m in re.finditer(rb"WARC/1\.", data)]
    record = data[starts[8]:starts[9]]
    declared = re.search(rb"Content-Length: (\d+)", record)
    assert declared is not None
    wrong = record.replace(declared.group(), b"Content-Length: %d" % (int(declared[1]) * 3), 1)
    (files / "crawl.warc").write_bytes(data[:starts[8]] + wrong + data[starts[9]:])
    settings = settings_for(tmp_path)

    summary = backfill_flow([str(files)], settings)

    titles = [t for (t,) in rows(settings.db, "SELECT title FROM articles WHERE title "
                                              "LIKE 'Archived%' ORDER BY title")]
    assert titles == sorted(f"Archived {n}" for n in range(20) if n != 8)
    assert rows(settings.db, "SELECT count(*) FROM articles WHERE url LIKE '%.txt'") == [(11,)]
    assert rows(settings.db, "SELECT length(text) FROM articles WHERE url LIKE '%010_%'") == [
        (len(big),)]
    assert rows(settings.db, "SELECT stage, error FROM run_errors ORDER BY stage") == [
        ("extract", "invalid_url"), ("warc", "WarcError")]
    assert summary.status == "completed"


def test_peak_memory_stays_bounded_for_many_large_pages(httpserver: HTTPServer,
                                                        tmp_path: Path) -> None:
    # issue 14: 60 pages of about 300 kB of text peaked at 12 GB; one 900 kB page at 2.5 GB
    items = []
    for n in range(60):
        serve_page(httpserver, f"/p{n}.html", page(f"Page {n}", token_paragraphs(250, f"p{n}")))
        items.append(Item(f"/p{n}.html", f"Page {n}", f"p{n}"))
    serve_page(httpserver, "/big.html", page("Big", token_paragraphs(750, "big")))
    items.append(Item("/big.html", "Big", "big"))
    feed = serve_feed(httpserver, "/rss.xml", items)
    settings = settings_for(tmp_path, max_text_chars=10_000, chunk_size=20)

    with peak_rss() as peak:
        run_ingest([FeedSpec(feed)], settings)

    assert rows(settings.db, "SELECT count(*) FROM articles") == [(61,)]
    # the figure: the process's peak resident memory (from the OS) grows by under 600 MB
    # over what it held before the run; the extraction workers each stay under their cap
    assert peak.growth < 600 << 20, f"peak RSS grew by {peak.growth >> 20} MB"


def cli_run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().err


def test_a_full_disk_is_named_with_what_to_do(capsys: pytest.CaptureFixture[str],
                                              tmp_path: Path) -> None:
    # issue 14: a full disk printed "unexpected OSError ... please report it"
    db = tmp_path / "news.duckdb"
    Warehouse.open(db).close()
    # every write of the warehouse's log goes to a device that is always full
    (tmp_path / "news.duckdb.wal").symlink_to("/dev/full")

    code, err = cli_run(capsys, "backfill", str(Path(__file__).parents[1] / "seeds"),
                        "--db", str(db), "--corpus", str(tmp_path / "corpus"))

    assert code == 1
    assert err.startswith("Error: the disk is full (")
    assert "free some space" in err and "run it again, it resumes where it stopped" in err
    assert "unexpected" not in err and len(err.splitlines()) == 1


def damaged_copy(tmp_path: Path, how: str) -> Path:
    """A warehouse whose articles fill several blocks, then damaged: a few bytes of every
    block of the articles flipped, or the file cut short before its last block."""
    db = tmp_path / f"{how}.duckdb"
    with Warehouse.open(db) as warehouse:
        warehouse.query(
            "INSERT INTO articles (article_id, url, published_date, date_source, text,"
            " content_hash, word_count, source_kind, extractor, first_seen_at, updated_at,"
            " first_run_id, run_id) SELECT md5(range::VARCHAR)[:16], 'file' || range,"
            " DATE '2024-01-01', 'file', md5(range::VARCHAR), md5(range::VARCHAR), 1, 'file',"
            " 'x', now(), now(), 'r', 'r' FROM range(300000)")
        warehouse.query("CHECKPOINT")
        blocks = [b for (b,) in warehouse.query(
            "SELECT DISTINCT block_id FROM pragma_storage_info('articles') WHERE block_id >= 0"
        )[1]]
    data = bytearray(db.read_bytes())
    size = 262144
    if how == "flipped":
        for block in blocks:
            at = 3 * 4096 + block * size + 64
            data[at:at + 64] = bytes(b ^ 0xFF for b in data[at:at + 64])
    else:
        del data[3 * 4096 + max(blocks) * size:]
    db.write_bytes(bytes(data))
    return db


@pytest.mark.parametrize("how", ["flipped", "cut_short"])
def test_a_damaged_warehouse_is_named_whatever_the_command(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, how: str) -> None:
    # issue 14: a corrupt file showed "Current transaction is aborted" (the checksum error
    # swallowed), a truncated one still answered some queries
    db = damaged_copy(tmp_path, how)

    outcomes = [cli_run(capsys, "sql", "SELECT count(DISTINCT text) FROM articles",
                        "--db", str(db)),
                cli_run(capsys, "backfill", str(Path(__file__).parents[1] / "seeds"),
                        "--db", str(db), "--corpus", str(tmp_path / "corpus"))]

    detail = "checksum" if how == "flipped" else "cut short"
    for code, err in outcomes:
        assert code == 1
        assert err.startswith(f"Error: warehouse {db} is damaged (")
        assert detail in err and "Restore it from a backup" in err
        assert "Current transaction is aborted" not in err


KILLED_RUN = """
import os, sys
from newsetl.warehouse import Warehouse
from newsetl.warehouse.runs import start_run
warehouse = Warehouse.open(sys.argv[1])
start_run(warehouse, "ingest", {})
# a run whose pid now names another, younger process is no more alive than a dead one
warehouse.query("INSERT INTO runs (run_id, flow, started_at, status, pid, host) VALUES"
                " ('reused', 'ingest', TIMESTAMPTZ '2000-01-01', 'running', 1, NULL)")
warehouse.query("CHECKPOINT")
print("started", flush=True)
sys.stdin.read()
"""


def test_a_killed_run_shows_interrupted_to_the_next_reader(capsys: pytest.CaptureFixture[str],
                                                           tmp_path: Path) -> None:
    # issue 14: killed runs showed "running" until the next writer opened the file
    db = tmp_path / "news.duckdb"
    run = subprocess.Popen([sys.executable, "-c", KILLED_RUN, str(db)], stdin=subprocess.PIPE,
                           stdout=subprocess.PIPE, text=True)
    assert run.stdout is not None and run.stdout.readline().strip() == "started"
    run.kill()
    run.wait(10)

    # no writer opens the file: the reader itself sees that the processes are gone
    code = main(["runs", "--db", str(db), "--json"])
    out = capsys.readouterr().out

    assert code == 0
    import json

    assert sorted(r["status"] for r in json.loads(out)) == ["interrupted", "interrupted"]


@pytest.mark.parametrize(("setting", "message"), [
    ('db = ["x.duckdb"]', "setting 'db' must be a string, not ['x.duckdb']"),
    ("max_redirects = 1.5", "setting 'max_redirects' must be a whole number, not 1.5"),
    ("total_timeout = 0", "setting 'total_timeout' must be more than 0 and at most 86400, not 0"),
    ("max_bytes = 0", "setting 'max_bytes' must be at least 1 and at most 10000000000, not 0"),
    ("interval = 0", "setting 'interval' must be at least 1 and at most 31536000, not 0"),
    ("obey_robots = 'sometimes'", "setting 'obey_robots' must be true or false, not 'sometimes'"),
    ("host_delay = nan", "setting 'host_delay' must be a finite number, not nan"),
], ids=["list_for_a_path", "fraction_of_redirects", "zero_timeout", "zero_bytes",
        "zero_interval", "not_a_bool", "nan"])
@pytest.mark.parametrize("command", ["ingest", "serve"])
def test_every_setting_is_checked_for_type_and_range_naming_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    setting: str, message: str, command: str
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("feeds.toml").write_text(f'[settings]\n{setting}\n\n[[feeds]]\nurl = "feed.xml"\n')

    assert cli_run(capsys, command, "--config", "feeds.toml") == (
        1, f"Error: feeds.toml: {message}\n")


def test_a_misspelled_environment_variable_is_warned_about(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("NEWSETL_DBB", str(tmp_path / "typo.duckdb"))
    monkeypatch.setenv("NEWSETL_TOTAL_TIMEOUT", "-1")

    code, err = cli_run(capsys, "sql", "SELECT 1", "--db", str(tmp_path / "none.duckdb"))

    assert (code, err) == (1, "Error: environment: setting 'total_timeout' must be more than "
                              "0 and at most 86400, not -1.0\n")
    assert ("environment variable NEWSETL_DBB is not a newsetl setting and is ignored; did you "
            "mean NEWSETL_DB?") in caplog.text


def test_relative_paths_in_a_config_are_taken_from_its_folder(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch
                                                              ) -> None:
    # issue 14: a relative db resolved against the working directory, feeds against the file
    (tmp_path / "project").mkdir()
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "project" / "feeds.toml").write_text(
        '[settings]\ndb = "data/news.duckdb"\ncorpus = "texts"\n\n[[feeds]]\nurl = "feed.xml"\n')
    monkeypatch.chdir(tmp_path / "elsewhere")

    config = load_config("../project/feeds.toml")

    project = (tmp_path / "project").resolve()
    assert config.settings == {"db": str(project / "data" / "news.duckdb"),
                               "corpus": str(project / "texts")}
    assert config.feeds[0].url == (project / "feed.xml").as_uri()


def output_of(process: subprocess.Popen[str]) -> str:
    return process.stdout.read() if process.stdout else ""


@pytest.mark.slow
def test_ctrl_c_of_serve_mid_poll_marks_its_run_interrupted(httpserver: HTTPServer,
                                                            tmp_path: Path) -> None:
    # issue 14: Ctrl-C of serve mid-poll left that run "running"
    asked = tmp_path / "asked"

    def stall(request):
        asked.write_text("yes")
        time.sleep(8)
        return Response(page("Late", LOREM), content_type="text/html")

    httpserver.expect_request("/slow.html").respond_with_handler(stall)
    feed = serve_feed(httpserver, "/rss.xml", [Item("/slow.html", "Late", "late")])
    (tmp_path / "feeds.toml").write_text(
        "[settings]\ninterval = 2\nhost_delay = 0\nobey_robots = false\nread_timeout = 20\n"
        f'allow_hosts = "localhost"\n\n[[feeds]]\nurl = "{feed}"\n')
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    # a session of its own: Ctrl-C in a terminal signals the whole foreground group
    process = subprocess.Popen([str(NEWSETL), "serve", "--config", "feeds.toml"], cwd=tmp_path,
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, start_new_session=True)
    try:
        deadline = time.monotonic() + 150
        while not asked.exists() and time.monotonic() < deadline:
            assert process.poll() is None, output_of(process)
            time.sleep(0.5)
        assert asked.exists(), "no poll reached the page"
        os.killpg(process.pid, signal.SIGINT)
        output, _ = process.communicate(timeout=90)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    assert process.returncode == 0, output
    assert output.splitlines()[-1] == "Stopped."
    assert rows(tmp_path / "data" / "news.duckdb", "SELECT status FROM runs") == [
        ("interrupted",)]


@pytest.mark.parametrize("name", [f.name for f in dataclasses.fields(Settings)])
def test_every_setting_is_in_the_readmes_table(name: str) -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    assert f"| `{name}` |" in readme, f"add `{name}` to the README's settings table"
