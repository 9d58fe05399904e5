"""Article metadata and its sources through a whole ingest: feeds and pages on 127.0.0.1, a
real DuckDB file, Prefect. Pages and texts written for these tests."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from newsetl.flows.config import FeedSpec
from newsetl.flows.ingest import run_ingest
from tests.extract.newspage import article_ld, news_page
from tests.site import Item, serve_feed, serve_page
from tests.test_ingest import rows, settings_for

pytestmark = pytest.mark.usefixtures("prefect_harness")

STORY = [
    "The harbour authority said on Monday that the new breakwater would be finished a year "
    "late, after storms damaged the first section twice during the winter.",
    "Engineers have redesigned the concrete blocks so that they interlock, and the contractor "
    "has agreed to pay for the repairs, according to the authority's annual report.",
]
JAPANESE = [
    "港湾局は１４日、新しい防波堤の完成が当初の予定より１年遅れると発表した。冬の嵐で最初の区間が"
    "二度にわたって損傷したためだという。",
    "施工会社は修理費用を負担することで合意し、ブロックは互いにかみ合う形に設計し直された。",
]
COLUMNS = ("SELECT url, title, title_source, authors, authors_source, site_name, published_date,"
           " date_source, page_date, page_date_source, word_count FROM articles ORDER BY url")


def test_metadata_and_its_sources_are_stored_and_the_feed_date_still_wins(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    headline = "Breakwater “a year late”, says the harbour board"
    ld = article_ld(headline, "2024-11-06T23:10:00+01:00", publisher="Harbour Times",
                    authors=[{"@type": "Person", "name": "Ana Ruiz and Daniel Okafor"}])
    serve_page(httpserver, "/a.html", news_page(STORY, title=f"{headline} | Harbour Times",
                                                linked_data=ld))
    serve_page(httpserver, "/b.html", news_page(
        STORY[::-1], title="Ferry timetable changes", lang="en",
        meta={"og:title": "Ferry timetable changes – Harbour Times",
              "og:site_name": "Harbour Times", "author": "Ingrid Solberg",
              "article:published_time": "2024-11-05T08:00:00+01:00"}))
    serve_page(httpserver, "/c.html", news_page(JAPANESE, title="", lang="ja"))
    feed = serve_feed(httpserver, "/rss.xml", [
        Item("/a.html", "Breakwater late", "a"),
        Item("/b.html", "Ferries", "b", pub_date=None),
        Item("/c.html", "防波堤の完成、１年遅れ", "c", pub_date=None),
    ])
    settings = settings_for(tmp_path)

    summary = run_ingest([FeedSpec(feed)], settings)

    assert (summary.articles_new, summary.errors) == (3, 0)
    base = httpserver.url_for("")
    fetch_day = rows(settings, "SELECT timezone('UTC', fetched_at)::DATE FROM articles"
                               " WHERE url LIKE '%c.html'")[0][0]
    assert rows(settings, COLUMNS) == [
        # the feed's date wins; the page's own (the evening before) is kept beside it
        (f"{base}a.html", headline, "json-ld", ["Ana Ruiz", "Daniel Okafor"], "json-ld",
         "Harbour Times", dt.date(2024, 11, 7), "feed", dt.date(2024, 11, 6), "json-ld", 52),
        (f"{base}b.html", "Ferry timetable changes", "meta", ["Ingrid Solberg"], "meta",
         "Harbour Times", dt.date(2024, 11, 5), "page", dt.date(2024, 11, 5), "htmldate", 52),
        # no title on the page: the feed's; no date anywhere: the fetch day; 99 characters of
        # Japanese are 52 words (between spaces they were 2, and the page was refused)
        (f"{base}c.html", "防波堤の完成、１年遅れ", "feed", [], None, None, fetch_day, "fetch",
         None, None, 52),
    ]
    assert rows(settings, "SELECT max(version) FROM schema_migrations")[0][0] >= 10
