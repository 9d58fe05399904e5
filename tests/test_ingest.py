"""The ingest flow end to end: feeds and pages on 127.0.0.1, a real DuckDB file, Prefect."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from newsetl.flows.config import FeedSpec
from newsetl.flows.ingest import run_ingest
from newsetl.flows.settings import Settings
from newsetl.warehouse import Warehouse
from tests.conftest import SAMPLE, SEED, settings_for
from tests.site import LOREM, Item, page, serve_feed, serve_page

pytestmark = pytest.mark.usefixtures("prefect_harness")

UKRAINE = SAMPLE / "pages" / "world" / "ukraine-aid.html"


def rows(settings: Settings, sql: str) -> list[tuple]:
    with Warehouse.open(settings.db, read_only=True) as warehouse:
        return warehouse.query(sql)[1]


def test_a_page_with_the_seed_text_comes_out_as_the_seed_file(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    serve_page(httpserver, "/world/ukraine-aid.html", UKRAINE.read_bytes())
    feed = serve_feed(httpserver, "/rss.xml", [Item("/world/ukraine-aid.html", "Aid", "g-1")])
    settings = settings_for(tmp_path)

    summary = run_ingest([FeedSpec(feed)], settings)

    assert (summary.feeds_ok, summary.articles_new, summary.errors) == (1, 1, 0)
    files = sorted((tmp_path / "corpus").glob("*.txt"))
    assert [f.name.split("_", 1)[1] for f in files] == ["2ab88efbb4ee93e2.txt"]
    assert files[0].read_bytes() == SEED.read_bytes()
    stored = rows(settings, "SELECT text, date_source, canonical_url, title, authors, language,"
                            " corpus_file, run_id FROM articles")
    assert stored == [(
        SEED.read_text(encoding="utf-8"), "feed",
        "https://www.harbourtimes.example/world/2024/11/07/biden-ukraine-aid-before-trump-takes-office/",
        "Biden reportedly rushing $6 billion in Ukraine aid before Trump takes office",
        ["Daniel Okafor"], "en", files[0].name, summary.run_id,
    )]


def test_ingesting_the_same_feed_again_changes_no_counts(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    for n in range(3):
        serve_page(httpserver, f"/a{n}.html", page(f"Story {n}", LOREM + [f"Story number {n}."]))
    feed = serve_feed(httpserver, "/rss.xml", [Item(f"/a{n}.html", f"S{n}", f"g{n}") for n in range(3)])
    settings = settings_for(tmp_path)
    count_sql = ("SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM article_feeds),"
                 " (SELECT count(*) FROM feeds)")

    first = run_ingest([FeedSpec(feed)], settings)
    counts = rows(settings, count_sql)
    corpus = sorted(p.name for p in (tmp_path / "corpus").iterdir())
    requests = len(httpserver.log)
    second = run_ingest([FeedSpec(feed)], settings)

    assert (first.articles_new, first.articles_unchanged) == (3, 0)
    # the feed's body is the same: nothing in it is looked at again
    assert (second.feeds_ok, second.feeds_not_modified) == (1, 1)
    assert (second.articles_new, second.articles_updated, second.articles_unchanged) == (0, 0, 0)
    assert rows(settings, count_sql) == counts == [(3, 3, 1)]
    assert sorted(p.name for p in (tmp_path / "corpus").iterdir()) == corpus
    # an unchanged entry is not fetched again: only the feed was requested
    assert len(httpserver.log) == requests + 1
    # the articles still belong to the run that wrote them
    assert rows(settings, "SELECT DISTINCT run_id FROM articles") == [(first.run_id,)]
    assert rows(settings, "SELECT flow, status FROM runs ORDER BY started_at") == [
        ("ingest", "completed"), ("ingest", "completed")]


def test_a_changed_text_updates_the_article_and_its_file(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    settings = settings_for(tmp_path)
    serve_page(httpserver, "/story.html", page("Breakwater late", LOREM))
    feed = serve_feed(httpserver, "/rss.xml", [Item("/story.html", "Breakwater", "g")])
    run_ingest([FeedSpec(feed)], settings)
    [file] = (tmp_path / "corpus").glob("*.txt")

    httpserver.clear()
    serve_page(httpserver, "/story.html", page("Breakwater late", LOREM + ["Update: it is done."]))
    # the feed says the entry changed (new date); that is what triggers a fetch
    serve_feed(httpserver, "/rss.xml",
               [Item("/story.html", "Breakwater", "g", "Fri, 08 Nov 2024 09:00:00 +0000")])
    summary = run_ingest([FeedSpec(feed)], settings)

    assert (summary.articles_new, summary.articles_updated, summary.articles_unchanged) == (0, 1, 0)
    assert [p.name for p in (tmp_path / "corpus").glob("*.txt")] == [file.name]
    assert file.read_text(encoding="utf-8").endswith("Update: it is done.\n\n")
    assert file.read_text(encoding="utf-8").startswith(" date 2024-11-08 ")
    assert rows(settings, "SELECT count(*), max(run_id) = ? FROM articles".replace(
        "?", f"'{summary.run_id}'")) == [(1, True)]


def test_refetch_fetches_unchanged_entries_and_counts_them_unchanged(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    settings = settings_for(tmp_path)
    serve_page(httpserver, "/story.html", page("Breakwater late", LOREM))
    feed = serve_feed(httpserver, "/rss.xml", [Item("/story.html", "Breakwater", "g")])
    run_ingest([FeedSpec(feed)], settings)
    requests = len(httpserver.log)

    summary = run_ingest([FeedSpec(feed)], settings, refetch=True)

    assert (summary.articles_new, summary.articles_updated, summary.articles_unchanged) == (0, 0, 1)
    assert len(httpserver.log) == requests + 2


def test_one_article_carried_by_two_feeds_is_stored_once_with_both_links(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    settings = settings_for(tmp_path)
    serve_page(httpserver, "/shared.html", page("Shared", LOREM, canonical="https://wire.example/s"))
    serve_page(httpserver, "/shared-amp.html",
               page("Shared", LOREM, canonical="https://wire.example/s?utm_source=amp"))
    one = serve_feed(httpserver, "/one.xml", [Item("/shared.html", "Shared", "one-1")])
    two = serve_feed(httpserver, "/two.xml", [Item("/shared-amp.html", "Shared", "two-1")])

    summary = run_ingest([FeedSpec(one, name="One"), FeedSpec(two, name="Two")], settings)

    assert (summary.feeds_ok, summary.articles_new) == (2, 1)
    assert rows(settings, "SELECT a.canonical_url, f.name FROM article_feeds l JOIN articles a"
                          " USING (article_id) JOIN feeds f USING (feed_id) ORDER BY f.name") == [
        ("https://wire.example/s", "One"), ("https://wire.example/s", "Two")]
    assert len(list((tmp_path / "corpus").glob("*.txt"))) == 1


def test_dates_come_from_the_feed_then_the_page_then_the_fetch(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    settings = settings_for(tmp_path)
    serve_page(httpserver, "/feed-date.html", page("A", LOREM, published="2020-01-01T10:00:00Z"))
    serve_page(httpserver, "/page-date.html", page("B", LOREM, published="2021-03-04T10:00:00Z"))
    serve_page(httpserver, "/no-date.html", page("C", LOREM))
    feed = serve_feed(httpserver, "/rss.xml", [
        Item("/feed-date.html", "A", "a", "Sat, 02 Jan 2021 23:30:00 -0500"),
        Item("/page-date.html", "B", "b", None),
        Item("/no-date.html", "C", "c", None),
    ])

    run_ingest([FeedSpec(feed)], settings)

    found = rows(settings, "SELECT title, published_date::VARCHAR, date_source,"
                           " published_at::VARCHAR FROM articles ORDER BY title")
    today = rows(settings, "SELECT fetched_at::DATE::VARCHAR FROM articles WHERE title = 'C'")[0][0]
    # the feed's local date is kept (23:30 at -05:00 is the 2nd, though the 3rd in UTC)
    assert found == [
        ("A", "2021-01-02", "feed", "2021-01-03 04:30:00+00"),
        ("B", "2021-03-04", "page", None),
        ("C", today, "fetch", None),
    ]


def test_feed_and_article_errors_are_recorded_and_the_run_completes(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    settings = settings_for(tmp_path)
    serve_page(httpserver, "/good.html", page("Good", LOREM))
    httpserver.expect_request("/broken.html").respond_with_data("oops", status=500)
    serve_page(httpserver, "/empty.html", "<html><body><nav>Home</nav></body></html>")
    httpserver.expect_request("/missing.xml").respond_with_data("gone", status=404)
    httpserver.expect_request("/garbage.xml").respond_with_data(b"\x89PNG\r\n\x1a\n binary",
                                                                 content_type="image/png")
    good = serve_feed(httpserver, "/rss.xml", [
        Item("/good.html", "Good", "1"), Item("/broken.html", "Broken", "2"),
        Item("/empty.html", "Empty", "3")])
    feeds = [FeedSpec(good), FeedSpec(httpserver.url_for("/missing.xml")),
             FeedSpec(httpserver.url_for("/garbage.xml"))]

    summary = run_ingest(feeds, settings)

    assert (summary.status, summary.feeds_ok, summary.feeds_failed) == ("completed", 1, 2)
    assert (summary.articles_new, summary.articles_failed, summary.errors) == (1, 2, 4)
    errors = rows(settings, "SELECT stage, input, error FROM run_errors ORDER BY stage, input")
    base = httpserver.url_for("")
    assert errors == [
        ("article", f"{base}broken.html", "http_500"),
        ("extract", f"{base}empty.html", "NoArticleText"),
        ("feed", f"{base}garbage.xml", "FeedParseError"),
        ("feed", f"{base}missing.xml", "http_404"),
    ]
    assert rows(settings, "SELECT url, last_status FROM feeds ORDER BY url") == [
        (f"{base}garbage.xml", "parse_error"), (f"{base}missing.xml", "http_4xx"), (good, "ok")]
    run = rows(settings, "SELECT status, error_count, counts FROM runs")[0]
    assert run[:2] == ("completed", 4)
    assert run[2]["articles_new"] == 1


def test_the_bundled_sample_goes_through_file_urls(tmp_path: Path) -> None:
    from newsetl.flows.config import load_config

    config = load_config(SAMPLE / "feeds.toml")
    settings = settings_for(tmp_path)

    summary = run_ingest(list(config.feeds), settings)

    assert (summary.feeds_ok, summary.feeds_failed, summary.errors) == (3, 0, 0)
    assert summary.articles_new == 10
    manifest = [json.loads(line) for line in
                (tmp_path / "corpus" / "manifest.jsonl").read_text().splitlines()]
    assert [m["file"] for m in manifest] == sorted(p.name for p in
                                                   (tmp_path / "corpus").glob("*.txt"))
    seed_entry = [m for m in manifest if m["id"] == "2ab88efbb4ee93e2"][0]
    assert (tmp_path / "corpus" / seed_entry["file"]).read_bytes() == SEED.read_bytes()
    assert seed_entry["published_at"] == "2024-11-07T14:30:00-05:00"


def test_links_and_redirects_to_internal_addresses_are_refused(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    # the feed is on "localhost": its own pages may be fetched, other internal hosts not
    serve_page(httpserver, "/own.html", page("Own", LOREM))
    httpserver.expect_request("/jump.html").respond_with_data(
        "", status=302, headers={"Location": httpserver.url_for("/own.html").replace(
            "localhost", "127.0.0.2")})
    port = httpserver.port
    items = [Item("/own.html", "Own", "1"), Item("/jump.html", "Jump", "2")]
    from tests.site import rss

    body = rss(items, httpserver.url_for("")[:-1]).replace(
        "</channel>", f"<item><title>Inner</title><link>http://127.0.0.2:{port}/x.html</link>"
        "<guid>3</guid></item><item><title>Meta</title>"
        "<link>http://169.254.169.254/latest/meta-data/</link><guid>4</guid></item></channel>")
    httpserver.expect_request("/rss.xml").respond_with_data(body, content_type="application/rss+xml")
    settings = settings_for(tmp_path)

    summary = run_ingest([FeedSpec(httpserver.url_for("/rss.xml"))], settings)

    assert summary.articles_new == 1
    assert rows(settings, "SELECT input, error FROM run_errors ORDER BY input") == [
        (f"http://127.0.0.2:{port}/x.html", "refused"),
        ("http://169.254.169.254/latest/meta-data/", "refused"),
        (httpserver.url_for("/jump.html"), "refused"),
    ]
    # an allow-listed host may be reached
    allowed = settings_for(tmp_path / "allowed", allow_hosts="127.0.0.2, other.example")
    run_ingest([FeedSpec(httpserver.url_for("/rss.xml"))], allowed)
    assert ("http://169.254.169.254/latest/meta-data/", "refused") in rows(
        allowed, "SELECT input, error FROM run_errors")
    assert (f"http://127.0.0.2:{port}/x.html", "refused") not in rows(
        allowed, "SELECT input, error FROM run_errors")
