"""Any exception raised while handling one input (a feed, a page, an archived record, a dated
file, a sitemap entry, an article's attributions) is recorded against that input with its
stage, and the run goes on with the others; under the 'raise' policy it stops the run."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from newsetl.flows import backfill, ingest, web_backfill
from newsetl.flows.backfill import backfill_flow
from newsetl.flows.config import FeedSpec
from newsetl.flows.ingest import run_ingest
from newsetl.flows.reprocess import reprocess_flow
from newsetl.flows.web_backfill import web_backfill_flow
from newsetl.values import ErrorPolicy
from newsetl.warehouse import Warehouse
from tests.bugs import cure, plant
from tests.conftest import SEED, settings_for
from tests.site import LOREM, Item, page, serve_feed, serve_page

pytestmark = pytest.mark.usefixtures("prefect_harness")
MARKER = "The tide gauge reading broke the extractor."
ERRORS = "SELECT stage, input, error FROM run_errors ORDER BY stage, input"


def rows(db: str, sql: str) -> list[tuple]:
    with Warehouse.open(db, read_only=True) as warehouse:
        return warehouse.query(sql)[1]


def failing_for(real, test, error: Exception):
    """``real``, raising ``error`` when ``test(*args)`` holds."""
    def call(*args, **kwargs):
        if test(*args):
            raise error
        return real(*args, **kwargs)
    return call


@pytest.fixture
def wire(httpserver: HTTPServer) -> tuple[str, str]:
    """Two feeds on 127.0.0.1: 'good' with three pages, 'odd' with one."""
    for n in range(3):
        extra = [MARKER] if n == 2 else []
        serve_page(httpserver, f"/a{n}.html", page(f"Story {n}", LOREM + [f"Story {n}."] + extra))
    serve_page(httpserver, "/b.html", page("Other", LOREM + ["Other story."]))
    good = serve_feed(httpserver, "/good.xml", [Item(f"/a{n}.html", f"S{n}", f"g{n}")
                                                for n in range(3)])
    odd = serve_feed(httpserver, "/odd.xml", [Item("/b.html", "Other", "b")])
    return good, odd


def break_ingest(monkeypatch: pytest.MonkeyPatch, folder: Path, odd: str,
                 page_url: str) -> None:
    """The odd feed's parse, one page's extraction and one article's attributions raise
    errors nobody named (bugs); the last two in the worker processes, where they run."""
    monkeypatch.setattr(ingest, "parse_feed", failing_for(
        ingest.parse_feed, lambda content, url, *_: url == odd,
        RuntimeError("feed parser bug")))
    plant(monkeypatch, folder, [
        {"module": "newsetl.extract.records", "name": "article_from_html", "arg": 1,
         "equals": page_url, "error": "TypeError", "message": "page bug"},
        {"module": "newsetl.extract.attribution", "name": "extract_attributions_many",
         "arg": 0, "contains": MARKER, "error": "ValueError", "message": "parser bug"}])


def test_unexpected_errors_of_a_feed_a_page_and_an_article_are_recorded(
    httpserver: HTTPServer, wire: tuple[str, str], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    good, odd = wire
    broken_page = httpserver.url_for("/a1.html")
    break_ingest(monkeypatch, tmp_path / "bugs", odd, broken_page)
    settings = settings_for(tmp_path, error_policy="record")

    summary = run_ingest([FeedSpec(good), FeedSpec(odd)], settings)

    assert (summary.status, summary.feeds_ok, summary.feeds_failed) == ("completed", 1, 1)
    assert (summary.articles_new, summary.articles_failed, summary.errors) == (2, 1, 3)
    assert rows(settings.db, ERRORS) == [
        ("attributions", httpserver.url_for("/a2.html"), "ValueError"),
        ("extract", broken_page, "TypeError"),
        ("feed", odd, "RuntimeError"),
    ]
    assert rows(settings.db, "SELECT url, last_status FROM feeds ORDER BY url") == [
        (good, "ok"), (odd, "error")]
    # the article whose attributions failed is stored without them; a reprocess, the bug
    # fixed, gives them to it
    assert rows(settings.db, "SELECT a.title, count(e.article_id) FROM articles a LEFT JOIN"
                " article_extractions e USING (article_id) GROUP BY 1 ORDER BY 1") == [
        ("Story 0", 2), ("Story 2", 0)]
    monkeypatch.undo()
    cure()
    assert reprocess_flow(settings, "quotes").quotes_articles == 1
    assert rows(settings.db, "SELECT status, error_count FROM runs ORDER BY started_at") == [
        ("completed", 3), ("completed", 0)]


def test_under_the_raise_policy_the_first_bug_stops_the_run(
    httpserver: HTTPServer, wire: tuple[str, str], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    good, odd = wire
    break_ingest(monkeypatch, tmp_path / "bugs", odd, httpserver.url_for("/a1.html"))
    settings = settings_for(tmp_path, error_policy=ErrorPolicy.RAISE)

    with pytest.raises(RuntimeError, match="feed parser bug"):
        run_ingest([FeedSpec(good), FeedSpec(odd)], settings)

    assert rows(settings.db, "SELECT status FROM runs") == [("failed",)]
    assert rows(settings.db, "SELECT count(*) FROM articles") == [(0,)]


def test_unexpected_errors_of_a_dated_file_and_an_archived_record_are_recorded(
    ingested, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder = tmp_path / "dated"
    folder.mkdir()
    for n in (1, 2):
        (folder / f"00{n}_000000000000000{n}.txt").write_text(SEED.read_text().replace(
            "2024-11-07", f"2024-11-0{n}", 1))
    broken_file = folder / "002_0000000000000002.txt"
    monkeypatch.setattr(backfill, "parse_dated", failing_for(
        backfill.parse_dated, lambda content, source: source == str(broken_file),
        KeyError("dated bug")))
    [[broken_record]] = rows(ingested.db, "SELECT min(url) FROM articles")
    plant(monkeypatch, tmp_path / "bugs", [
        {"module": "newsetl.extract.records", "name": "article_from_html", "arg": 1,
         "equals": broken_record, "error": "AttributeError", "message": "record bug"}])
    settings = settings_for(tmp_path / "again", error_policy="record")

    summary = backfill_flow([str(folder), ingested.archive], settings)

    assert (summary.status, summary.articles_new, summary.files_failed) == ("completed", 10, 2)
    assert rows(settings.db, ERRORS) == [
        ("extract", broken_record, "AttributeError"),
        ("file", str(broken_file), "KeyError"),
    ]


def test_unexpected_errors_of_a_sitemap_and_of_one_entry_are_recorded(
    httpserver: HTTPServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    base = httpserver.url_for("")[:-1]
    httpserver.expect_request("/news.xml").respond_with_data(
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        + "".join(f"<url><loc>{base}/{name}.html</loc></url>" for name in ("a", "b"))
        + "</urlset>", content_type="application/xml")
    httpserver.expect_request("/other.xml").respond_with_data("<urlset/>",
                                                             content_type="application/xml")
    serve_page(httpserver, "/a.html", page("A", LOREM))
    serve_page(httpserver, "/b.html", page("B", LOREM + ["More."]))
    monkeypatch.setattr(web_backfill, "_listing", failing_for(
        web_backfill._listing, lambda item: item.loc.endswith("/b.html"),
        IndexError("entry bug")))
    monkeypatch.setattr(web_backfill, "parse_sitemap", failing_for(
        web_backfill.parse_sitemap, lambda content, url: url.endswith("other.xml"),
        RecursionError("sitemap bug")))
    settings = settings_for(tmp_path, error_policy="record")

    summary = web_backfill_flow([], [f"{base}/news.xml", f"{base}/other.xml"], settings)

    assert (summary.status, summary.articles_new) == ("completed", 1)
    assert rows(settings.db, ERRORS) == [
        ("sitemap", f"{base}/b.html", "IndexError"),
        ("sitemap", f"{base}/other.xml", "RecursionError"),
    ]
    assert rows(settings.db, "SELECT title FROM articles") == [("A",)]
