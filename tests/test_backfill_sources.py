"""Backfills from the raw archive (WARC), URL lists and sitemaps; resuming a cut-off one."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

import newsetl.flows.backfill
from newsetl.flows.backfill import backfill_flow
from newsetl.flows.web_backfill import web_backfill_flow
from newsetl.warehouse import Warehouse
from tests.conftest import SEED, settings_for
from tests.site import LOREM, page, serve_page

pytestmark = pytest.mark.usefixtures("prefect_harness")
ARTICLE_SQL = ("SELECT article_id, published_date, date_source, content_hash, title"
               " FROM articles ORDER BY article_id")


def rows(db: str | Path, sql: str) -> list[tuple]:
    with Warehouse.open(db, read_only=True) as warehouse:
        return warehouse.query(sql)[1]


def test_a_backfill_from_the_archive_gives_back_the_same_articles(
    ingested, tmp_path: Path
) -> None:
    archive = Path(ingested.archive)
    assert [p.suffixes for p in archive.iterdir()] == [[".warc", ".gz"]]
    again = settings_for(tmp_path / "again")

    summary = backfill_flow([str(archive)], again)

    assert (summary.articles_new, summary.errors) == (10, 0)
    assert rows(again.db, ARTICLE_SQL) == rows(ingested.db, ARTICLE_SQL)
    assert rows(again.db, "SELECT count(*) FROM quotes") == rows(ingested.db,
                                                                "SELECT count(*) FROM quotes")
    # each article knows the record it came from
    located = rows(again.db, "SELECT count(*) FROM articles WHERE warc_offset IS NOT NULL")
    assert located == [(10,)]


def test_each_article_points_at_its_record_in_the_archive(ingested) -> None:
    from newsetl.extract.warc import read_record

    found = rows(ingested.db, "SELECT url, warc_file, warc_offset FROM articles")
    for url, file, offset in found:
        with (Path(ingested.archive) / file).open("rb") as stream:
            assert read_record(stream, offset).url == url


def test_a_cut_off_backfill_resumes_where_it_stopped(
    ingested, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    again = settings_for(tmp_path / "again", chunk_size=3)
    real_load = newsetl.flows.backfill.store
    calls = []

    def failing_load(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("power cut")
        return real_load(*args, **kwargs)

    monkeypatch.setattr(newsetl.flows.backfill, "store", failing_load)
    with pytest.raises(RuntimeError):
        backfill_flow([ingested.archive], again)
    monkeypatch.setattr(newsetl.flows.backfill, "store", real_load)
    loaded = rows(again.db, "SELECT count(*) FROM articles")[0][0]

    summary = backfill_flow([ingested.archive], again)

    assert loaded == 6
    assert (summary.articles_new, summary.articles_unchanged) == (4, 0)
    assert rows(again.db, ARTICLE_SQL) == rows(ingested.db, ARTICLE_SQL)
    assert rows(again.db, "SELECT status FROM runs ORDER BY started_at") == [
        ("failed",), ("completed",)]


def test_since_and_until_keep_the_articles_dated_within(ingested, tmp_path: Path) -> None:
    import datetime as dt

    again = settings_for(tmp_path / "again")
    summary = backfill_flow([ingested.archive], again, dt.date(2024, 11, 8),
                            dt.date(2024, 11, 10))
    assert (summary.articles_new, summary.articles_skipped) == (3, 7)
    assert rows(again.db, "SELECT DISTINCT published_date::VARCHAR FROM articles ORDER BY 1") == [
        ("2024-11-08",), ("2024-11-10",)]


def test_a_url_list_is_fetched_and_a_second_run_passes_over_it(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    serve_page(httpserver, "/a.html", page("Breakwater", LOREM, published="2024-05-01T10:00:00Z"))
    serve_page(httpserver, "/b.html", page("Harbour", LOREM + ["More."]))
    httpserver.expect_request("/gone.html").respond_with_data("no", status=404)
    urls = tmp_path / "urls.txt"
    urls.write_text(
        f"# backfill\n{httpserver.url_for('/a.html')}\n\n{httpserver.url_for('/b.html')}\n"
        f"mailto:desk@example.org\n{httpserver.url_for('/gone.html')}\n")
    settings = settings_for(tmp_path)

    first = web_backfill_flow([str(urls)], [], settings)
    requests = len(httpserver.log)
    second = web_backfill_flow([str(urls)], [], settings)

    assert (first.articles_new, first.articles_failed) == (2, 2)
    assert rows(settings.db, "SELECT stage, error FROM run_errors WHERE run_id = "
                f"'{first.run_id}' ORDER BY stage") == [("article", "http_404"),
                                                        ("url-list", "BadUrl")]
    assert rows(settings.db, "SELECT title, date_source FROM articles ORDER BY title") == [
        ("Breakwater", "page"), ("Harbour", "fetch")]
    # the two stored pages are not fetched again; the 404 is tried again
    assert (second.articles_new, second.articles_unchanged) == (0, 2)
    assert len(httpserver.log) == requests + 1
    assert len(list((tmp_path / "corpus").glob("*.txt"))) == 2


def test_a_news_sitemap_index_is_followed_and_filtered_by_date(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    import datetime as dt

    base = httpserver.url_for("")[:-1]
    httpserver.expect_request("/sitemap.xml").respond_with_data(
        '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{base}/news.xml</loc></sitemap>"
        f"<sitemap><loc>{base}/old.xml</loc><lastmod>2019-01-01</lastmod></sitemap>"
        f"<sitemap><loc>{base}/sitemap.xml</loc></sitemap></sitemapindex>",
        content_type="application/xml")
    httpserver.expect_request("/news.xml").respond_with_data(
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
        ' xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
        f"<url><loc>{base}/new.html</loc><news:news><news:publication_date>"
        "2024-06-02T23:30:00-04:00</news:publication_date><news:title>New</news:title>"
        "</news:news></url>"
        f"<url><loc>{base}/older.html</loc><news:news><news:publication_date>"
        "2024-01-02</news:publication_date><news:title>Older</news:title></news:news></url>"
        "</urlset>", content_type="application/xml")
    serve_page(httpserver, "/new.html", page("New", LOREM))
    settings = settings_for(tmp_path)

    summary = web_backfill_flow([], [f"{base}/sitemap.xml"], settings, dt.date(2024, 6, 1))

    assert (summary.articles_new, summary.errors) == (1, 0)
    # the sitemap's publication date counts as the publisher's own, with its offset, and says
    # it came from the sitemap
    assert rows(settings.db, "SELECT title, published_date::VARCHAR, date_source FROM articles"
                ) == [("New", "2024-06-02", "sitemap")]
    paths = [entry[0].path for entry in httpserver.log]
    assert "/old.xml" not in paths and "/older.html" not in paths
    assert paths.count("/sitemap.xml") == 1


def test_dated_files_and_archives_mix_in_one_backfill(ingested, tmp_path: Path) -> None:
    again = settings_for(tmp_path / "again")
    summary = backfill_flow([str(SEED), ingested.archive], again)
    # the seed file and the sample's copy of it have different ids (name vs canonical URL)
    assert summary.articles_new == 11


def test_a_backfill_of_the_archive_into_its_own_warehouse_finds_every_record_loaded(
    ingested,
) -> None:
    # the ingest and the backfill name the archive's files alike (relative to its root), so
    # the records the ingest loaded are passed over, not extracted again
    before = rows(ingested.db, ARTICLE_SQL)
    summary = backfill_flow([ingested.archive], ingested)
    assert (summary.articles_new, summary.articles_updated, summary.articles_unchanged,
            summary.errors) == (0, 0, 0, 0)
    assert rows(ingested.db, ARTICLE_SQL) == before
    assert rows(ingested.db, "SELECT DISTINCT warc_file NOT LIKE '/%' FROM articles") == [
        (True,)]


def test_every_flow_counts_a_cut_text_as_a_note_not_a_failure(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    from newsetl.flows.config import FeedSpec
    from newsetl.flows.ingest import run_ingest
    from tests.site import Item, serve_feed

    serve_page(httpserver, "/good.html", page("Good", LOREM))
    serve_page(httpserver, "/long.html", page("Long", LOREM * 20))  # cut at max_text_chars
    serve_page(httpserver, "/menu.html", "<html><body><nav>Home | News</nav></body></html>")
    paths = ("/good.html", "/long.html", "/menu.html")
    urls = tmp_path / "urls.txt"
    urls.write_text("".join(httpserver.url_for(p) + "\n" for p in paths))
    feed = serve_feed(httpserver, "/rss.xml", [Item(p, p, p) for p in paths])
    web = settings_for(tmp_path / "web", max_text_chars=1000)
    fed = settings_for(tmp_path / "fed", max_text_chars=1000)

    summaries = {"backfill-web": web_backfill_flow([str(urls)], [], web)}
    summaries["backfill"] = backfill_flow([web.archive], settings_for(tmp_path / "warc",
                                                                      max_text_chars=1000))
    summaries["ingest"] = run_ingest([FeedSpec(feed)], fed)

    # the menu failed (NoArticleText); the long page loaded, its cut noted in run_errors
    assert {flow: (s.articles_new, s.articles_failed + s.files_failed, s.errors)
            for flow, s in summaries.items()} == {
        "backfill-web": (2, 1, 2), "backfill": (2, 1, 2), "ingest": (2, 1, 2)}
    assert sorted(e for (e,) in rows(web.db, "SELECT error FROM run_errors")) == [
        "NoArticleText", "truncated"]
