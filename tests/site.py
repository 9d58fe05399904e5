"""A small news site for tests: RSS documents and article pages served by pytest-httpserver."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from pytest_httpserver import HTTPServer

LOREM = [
    "The harbour authority said on Monday that the new breakwater would be finished a year "
    "late, after storms damaged the first section twice during the winter.",
    "Engineers have redesigned the concrete blocks so that they interlock, and the contractor "
    "has agreed to pay for the repairs, according to the authority's annual report.",
]
"""two paragraphs of article text, enough for the extractor to take a page as an article"""


@dataclass(frozen=True)
class Item:
    """One feed entry: the page path it links to and what the feed says about it."""

    path: str
    title: str
    guid: str
    pub_date: str | None = "Thu, 07 Nov 2024 14:30:00 -0500"


def rss(items: Sequence[Item], base: str, title: str = "Test Wire") -> str:
    """An RSS 2.0 document whose item links point at ``base + item.path``."""
    entries = "".join(
        f"<item><title>{escape(i.title)}</title><link>{escape(base + i.path)}</link>"
        f"<guid isPermaLink=\"false\">{escape(i.guid)}</guid>"
        + (f"<pubDate>{i.pub_date}</pubDate>" if i.pub_date else "")
        + "</item>"
        for i in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{escape(title)}</title><link>{escape(base)}</link>"
        f"<description>test</description>{entries}</channel></rss>"
    )


def page(title: str, paragraphs: Sequence[str], canonical: str | None = None,
         published: str | None = None) -> str:
    """A news page with chrome around an article of ``paragraphs``."""
    head = f"<title>{escape(title)} | Test Wire</title>"
    if canonical:
        head += f'<link rel="canonical" href="{escape(canonical)}">'
    if published:
        head += f'<meta property="article:published_time" content="{published}">'
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">{head}</head><body>'
        '<header><nav><a href="/">Home</a> <a href="/world">World</a> '
        '<a href="/sport">Sport</a></nav></header>'
        f"<main><article><h1>{escape(title)}</h1>{body}</article>"
        '<aside class="related"><h2>Related</h2><ul><li><a href="/x">Other story</a></li></ul>'
        "</aside></main><footer><p>Copyright Test Wire 2024. All rights reserved.</p></footer>"
        "</body></html>"
    )


def serve_feed(server: HTTPServer, path: str, items: Sequence[Item]) -> str:
    """Serve an RSS feed at ``path``; return its URL."""
    server.expect_request(path).respond_with_data(
        rss(items, server.url_for("")[:-1]), content_type="application/rss+xml; charset=utf-8"
    )
    return server.url_for(path)


def serve_page(server: HTTPServer, path: str, html: str | bytes) -> None:
    """Serve an HTML page at ``path``."""
    server.expect_request(path).respond_with_data(html, content_type="text/html; charset=utf-8")
