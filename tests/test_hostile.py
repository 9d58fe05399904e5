"""Hostile and broken input through a whole ingest: each is recorded with a status, none is
fatal to the run, and the good articles beside it still load."""

from __future__ import annotations

import gzip
import time
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from newsetl.flows.config import FeedSpec
from newsetl.flows.ingest import run_ingest
from newsetl.warehouse import Warehouse
from tests.conftest import settings_for
from tests.memory import peak_rss
from tests.site import LOREM, Item, page, rss, serve_feed, serve_page

pytestmark = pytest.mark.usefixtures("prefect_harness")

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>
<rss version="2.0"><channel><title>&lol9;</title><item><title>&lol9;</title>
<link>http://localhost/x</link></item></channel></rss>"""


def rows(settings, sql: str) -> list[tuple]:
    with Warehouse.open(settings.db, read_only=True) as warehouse:
        return warehouse.query(sql)[1]


def test_hostile_feeds_and_pages_are_recorded_and_never_fatal(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    base = httpserver.url_for("")[:-1]
    serve_page(httpserver, "/good.html", page("Good", LOREM))
    # a page in Latin-1 that says nothing of its charset, and one that lies (says UTF-8)
    latin = page("Caf\u00e9", [p + " Caf\u00e9 cr\u00e8me." for p in LOREM]).encode("latin-1")
    httpserver.expect_request("/latin.html").respond_with_data(latin, content_type="text/html")
    httpserver.expect_request("/lying.html").respond_with_data(
        latin, content_type="text/html; charset=utf-8")
    httpserver.expect_request("/doc.pdf").respond_with_data(
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n" * 50, content_type="application/pdf")
    httpserver.expect_request("/image.html").respond_with_data(
        b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40, content_type="text/html")
    httpserver.expect_request("/loop.html").respond_with_data(
        "", status=302, headers={"Location": f"{base}/loop.html"})
    httpserver.expect_request("/bomb.html").respond_with_data(
        gzip.compress(b"<p>" + b"a" * 30_000_000), headers={"Content-Encoding": "gzip"},
        content_type="text/html")
    items = [Item(f"/{name}", name, name) for name in
             ("good.html", "latin.html", "lying.html", "doc.pdf", "image.html", "loop.html",
              "bomb.html")]
    feed = serve_feed(httpserver, "/rss.xml", items)
    httpserver.expect_request("/laughs.xml").respond_with_data(
        BILLION_LAUGHS, content_type="application/rss+xml")
    settings = settings_for(tmp_path, max_bytes=5_000_000)

    began = time.monotonic()
    with peak_rss() as peak:
        summary = run_ingest([FeedSpec(feed), FeedSpec(f"{base}/laughs.xml")], settings)
    took = time.monotonic() - began

    assert summary.status == "completed"
    # the billion laughs expanded would take gigabytes, the bomb inflated 30 MB at least
    assert took < 60 and peak.growth < 400_000_000, f"{peak.growth:,} B"
    assert rows(settings, "SELECT title FROM articles ORDER BY title") == [
        ("Café",), ("Café",), ("Good",)]
    assert "Café crème." in rows(settings, "SELECT text FROM articles WHERE url LIKE '%latin%'"
                                 )[0][0]
    errors = dict(rows(settings, "SELECT input, error FROM run_errors"))
    assert errors[f"{base}/doc.pdf"] == "NoArticleText"
    assert errors[f"{base}/image.html"] == "NoArticleText"
    assert errors[f"{base}/loop.html"] == "redirect_loop"
    assert errors[f"{base}/bomb.html"] == "too_large"
    # the billion laughs are not expanded: the feed is refused or read without them
    laughs = rows(settings, f"SELECT last_status, title FROM feeds WHERE url = '{base}/laughs.xml'")
    assert laughs[0][0] in ("ok", "parse_error")
    assert len(laughs[0][1] or "") < 10_000


def test_a_feed_of_ten_thousand_entries_in_bounded_time_and_memory(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    base = httpserver.url_for("")[:-1]
    serve_page(httpserver, "/only.html", page("Only", LOREM))
    # ten thousand entries, all but one of them duplicates of the same GUID or link
    items = [Item("/only.html", "Only", "same-guid") for _ in range(10_000)]
    body = rss(items, base)
    httpserver.expect_request("/huge.xml").respond_with_data(body, content_type="application/rss+xml")
    settings = settings_for(tmp_path)

    began = time.monotonic()
    with peak_rss() as peak:
        summary = run_ingest([FeedSpec(f"{base}/huge.xml")], settings)
    took = time.monotonic() - began

    assert (summary.feeds_ok, summary.articles_new) == (1, 1)
    assert rows(settings, "SELECT last_entries FROM feeds") == [(1,)]
    assert took < 60 and peak.growth < 500_000_000, f"{peak.growth:,} B"
    assert [e[0].path for e in httpserver.log].count("/only.html") == 1
