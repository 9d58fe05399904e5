"""Conditional GET, the body-hash fallback, the status taxonomy and the fetch log."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from newsetl.flows.config import FeedSpec
from newsetl.flows.feed_health import freshness
from newsetl.flows.ingest import run_ingest
from newsetl.warehouse import Warehouse
from tests.conftest import settings_for
from tests.site import LOREM, Item, page, rss, serve_page

pytestmark = pytest.mark.usefixtures("prefect_harness")


def rows(db: str, sql: str) -> list[tuple]:
    with Warehouse.open(db, read_only=True) as warehouse:
        return warehouse.query(sql)[1]


def test_etag_and_last_modified_are_sent_back_and_a_304_is_not_modified(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    serve_page(httpserver, "/a.html", page("A", LOREM))
    body = rss([Item("/a.html", "A", "a")], httpserver.url_for("")[:-1])
    seen: list[tuple[str | None, str | None]] = []

    def feed(request: Request) -> Response:
        seen.append((request.headers.get("If-None-Match"),
                     request.headers.get("If-Modified-Since")))
        if request.headers.get("If-None-Match") == '"v1"':
            return Response(status=304, headers={"ETag": '"v1"'})
        return Response(body, content_type="application/rss+xml",
                        headers={"ETag": '"v1"', "Last-Modified": "Thu, 07 Nov 2024 10:00:00 GMT"})

    httpserver.expect_request("/rss.xml").respond_with_handler(feed)
    settings = settings_for(tmp_path)
    spec = FeedSpec(httpserver.url_for("/rss.xml"))

    first = run_ingest([spec], settings)
    second = run_ingest([spec], settings)

    assert seen == [(None, None), ('"v1"', "Thu, 07 Nov 2024 10:00:00 GMT")]
    assert (first.articles_new, second.feeds_not_modified) == (1, 1)
    assert rows(settings.db, "SELECT status, http_status, saved_by, entries FROM feed_fetches"
                             " ORDER BY fetched_at") == [("ok", 200, None, 1),
                                                         ("not_modified", 304, "etag", None)]
    assert rows(settings.db, "SELECT last_status, etag, consecutive_failures FROM feeds") == [
        ("not_modified", '"v1"', 0)]


def test_a_server_with_stale_validators_is_caught_by_the_body_hash(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    serve_page(httpserver, "/a.html", page("A", LOREM))
    body = rss([Item("/a.html", "A", "a")], httpserver.url_for("")[:-1])
    # a new ETag every time, the same bytes: only the body hash shows nothing changed
    tags = iter(range(100))
    httpserver.expect_request("/rss.xml").respond_with_handler(
        lambda request: Response(body, content_type="application/rss+xml",
                                 headers={"ETag": f'"{next(tags)}"'}))
    settings = settings_for(tmp_path)
    spec = FeedSpec(httpserver.url_for("/rss.xml"))

    run_ingest([spec], settings)
    run_ingest([spec], settings)

    assert rows(settings.db, "SELECT status, saved_by FROM feed_fetches ORDER BY fetched_at") == [
        ("ok", None), ("not_modified", "body_hash")]


def test_failures_count_up_keep_the_validators_and_reset_on_success(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    serve_page(httpserver, "/a.html", page("A", LOREM))
    body = rss([Item("/a.html", "A", "a")], httpserver.url_for("")[:-1])
    answers = iter([Response(body, content_type="application/rss+xml", headers={"ETag": '"e"'}),
                    Response("down", status=503, headers={"Retry-After": "120"}),
                    Response("down", status=500),
                    Response(body + " ", content_type="application/rss+xml")])
    httpserver.expect_request("/rss.xml").respond_with_handler(lambda request: next(answers))
    settings = settings_for(tmp_path)
    spec = FeedSpec(httpserver.url_for("/rss.xml"))
    states = []
    for _ in range(4):
        run_ingest([spec], settings)
        states.append(rows(settings.db, "SELECT last_status, consecutive_failures, etag,"
                                        " next_poll_at IS NOT NULL FROM feeds")[0])

    # the 503's Retry-After sets the next poll, then the backoff of a second failure
    assert states == [("ok", 0, '"e"', False), ("http_5xx", 1, '"e"', True),
                      ("http_5xx", 2, '"e"', True), ("ok", 0, None, False)]


def test_freshness_reads_cache_control_then_expires() -> None:
    now = dt.datetime(2024, 11, 7, 10, 0, tzinfo=dt.UTC)
    assert freshness({"cache-control": "public, max-age=600"}, now) == 600
    assert freshness({"expires": "Thu, 07 Nov 2024 10:30:00 GMT"}, now) == 1800
    assert freshness({"cache-control": "no-cache", "expires": "Thu, 07 Nov 2024 11:00:00 GMT"},
                     now) == 0
    assert freshness({"expires": "yesterday"}, now) == 0
    assert freshness({}, now) is None


def test_failures_in_a_row_back_off_and_pause_a_feed_for_scheduled_runs(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    from newsetl.flows.ingest import ingest_flow

    httpserver.expect_request("/rss.xml").respond_with_data("down", status=500)
    settings = settings_for(tmp_path, interval=60, max_failures=3)
    spec = FeedSpec(httpserver.url_for("/rss.xml"))
    waits = []
    for _ in range(3):
        run_ingest([spec], settings)
        waits.append(rows(settings.db, "SELECT consecutive_failures,"
                                       " round(epoch(next_poll_at - last_fetched_at))"
                                       " FROM feeds")[0])
    # scheduled runs leave a paused feed alone; a run by hand still fetches it
    requests = len(httpserver.log)
    ingest_flow([spec], settings, due_only=True)
    assert len(httpserver.log) == requests
    run_ingest([spec], settings)
    assert len(httpserver.log) == requests + 1
    assert [(f, w if w is None else round(w, -1)) for f, w in waits] == [
        (1, None), (2, 120.0), (3, 240.0)]


@pytest.mark.slow
def test_every_feedparser_test_file_as_a_feed_gets_a_status(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from newsetl.flows.cli import main
    from tests.conftest import shared_data

    folder = shared_data("feedparser-tests")
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.name not in
                   ("README.md", "LICENSE"))
    config = tmp_path / "feeds.toml"
    config.write_text("".join(f'[[feeds]]\nurl = "{p.as_uri()}"\n\n' for p in files))

    code = main(["ingest", "--config", str(config), "--feeds-only",
                 "--db", str(tmp_path / "news.duckdb"), "--corpus", str(tmp_path / "corpus")])

    assert code == 0, capsys.readouterr()
    statuses = dict(rows(str(tmp_path / "news.duckdb"),
                         "SELECT last_status, count(*) FROM feeds GROUP BY 1"))
    # the folder's README: 360 data files, the LICENSE one of them
    assert len(files) == 359
    assert statuses == {"ok": 353, "parse_error": 6}
