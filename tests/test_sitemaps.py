"""Parsing sitemaps: urlsets, indexes, Google News, gzip, plain text, and hostile XML."""

from __future__ import annotations

import datetime as dt
import gzip
import time
import zlib

import pytest
from lxml import etree

from newsetl.errors import NewsetlError
from newsetl.extract.sitemaps import Sitemap, SitemapEntry, SitemapError, parse_sitemap

URL = "https://news.example/sitemaps/news.xml"
PLUS_ONE = dt.timezone(dt.timedelta(hours=1))

NEWS = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <!-- generated -->
  <url>
    <loc>
      https://news.example/2024/11/07/council-homes?ref=map&amp;x=1
    </loc>
    <lastmod>2024-11-07T12:00:00Z</lastmod>
    <news:news>
      <news:publication>
        <news:name>Example News</news:name>
        <news:language>en</news:language>
      </news:publication>
      <news:publication_date>2024-11-07T10:30:00+01:00</news:publication_date>
      <news:title>Council approves
        1,200 homes</news:title>
    </news:news>
  </url>
  <url>
    <loc>/2024/11/06/flood-warning</loc>
    <news:news>
      <news:publication><news:name>Example News</news:name>
        <news:language>zh-cn</news:language></news:publication>
      <news:publication_date>2024-11-06</news:publication_date>
      <news:title>Flood warning</news:title>
    </news:news>
  </url>
</urlset>
"""

NEWS_SITEMAP = Sitemap(
    url=URL,
    kind="urlset",
    entries=(
        SitemapEntry(
            loc="https://news.example/2024/11/07/council-homes?ref=map&x=1",
            lastmod=dt.datetime(2024, 11, 7, 12, 0, tzinfo=dt.UTC),
            news_publication_date=dt.datetime(2024, 11, 7, 10, 30, tzinfo=PLUS_ONE),
            news_title="Council approves 1,200 homes",
            language="en",
        ),
        SitemapEntry(
            loc="https://news.example/2024/11/06/flood-warning",
            lastmod=None,
            news_publication_date=dt.datetime(2024, 11, 6),
            news_title="Flood warning",
            language="zh-cn",
        ),
    ),
    sitemaps=(),
)


def test_a_google_news_sitemap_gives_dates_titles_and_languages() -> None:
    assert parse_sitemap(NEWS, URL) == NEWS_SITEMAP


def test_a_gzip_compressed_sitemap_is_sniffed_and_read() -> None:
    assert parse_sitemap(gzip.compress(NEWS), URL) == NEWS_SITEMAP


def test_a_plain_sitemap_with_w3c_dates_of_every_precision() -> None:
    content = b"""<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <url><loc>https://news.example/a</loc><lastmod>2024</lastmod></url>
      <url><loc>https://news.example/b</loc><lastmod>2024-03</lastmod></url>
      <url><loc>https://news.example/c</loc><lastmod>2024-03-05T10:11+02:00</lastmod></url>
      <url><loc>https://news.example/d</loc><lastmod>2024-03-05T10:11:12.5Z</lastmod></url>
      <url><loc>https://news.example/e</loc><lastmod>Tue, 05 Mar 2024 10:11:12 GMT</lastmod></url>
      <url><loc>https://news.example/f</loc><lastmod>last tuesday</lastmod></url>
    </urlset>"""
    sitemap = parse_sitemap(content, URL)
    assert [(entry.loc[-1], entry.lastmod) for entry in sitemap.entries] == [
        ("a", dt.datetime(2024, 1, 1)),
        ("b", dt.datetime(2024, 3, 1)),
        ("c", dt.datetime(2024, 3, 5, 10, 11, tzinfo=dt.timezone(dt.timedelta(hours=2)))),
        ("d", dt.datetime(2024, 3, 5, 10, 11, 12, 500000, tzinfo=dt.UTC)),
        ("e", dt.datetime(2024, 3, 5, 10, 11, 12, tzinfo=dt.UTC)),
        ("f", None),
    ]


def test_a_sitemap_index_lists_its_children_and_their_dates() -> None:
    content = b"""<?xml version="1.0"?>
    <sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <sitemap><loc>https://news.example/sitemaps/2024-11.xml.gz</loc>
        <lastmod>2024-11-07</lastmod></sitemap>
      <sitemap><loc> 2024-10.xml </loc></sitemap>
      <sitemap><lastmod>2024-09-30</lastmod></sitemap>
    </sitemapindex>"""
    assert parse_sitemap(content, URL) == Sitemap(
        url=URL,
        kind="index",
        entries=(),
        sitemaps=("https://news.example/sitemaps/2024-11.xml.gz",
                  "https://news.example/sitemaps/2024-10.xml"),
        sitemap_lastmods=(dt.datetime(2024, 11, 7), None),
        skipped=1,
    )


def test_a_sitemap_without_namespace_or_with_the_old_google_one_is_read() -> None:
    bare = b"<urlset><url><loc>https://news.example/a</loc></url></urlset>"
    old = (b'<urlset xmlns="http://www.google.com/schemas/sitemap/0.84">'
           b"<url><loc>https://news.example/a</loc></url></urlset>")
    expected = (SitemapEntry("https://news.example/a", None, None, None, None),)
    assert (parse_sitemap(bare, URL).entries, parse_sitemap(old, URL).entries) == (
        expected, expected)


def test_entries_without_an_http_location_are_counted_not_kept() -> None:
    content = b"""<urlset>
      <url><loc>https://news.example/a</loc></url>
      <url><loc></loc></url>
      <url><lastmod>2024-01-01</lastmod></url>
      <url><loc>javascript:alert(1)</loc></url>
      <url><loc>mailto:desk@news.example</loc></url>
    </urlset>"""
    sitemap = parse_sitemap(content, URL)
    assert ([entry.loc for entry in sitemap.entries], sitemap.skipped) == (
        ["https://news.example/a"], 4)


def test_unescaped_ampersands_in_urls_are_read_as_written() -> None:
    # a common fault of hand-made sitemaps; lxml's recover mode would drop '&b'
    content = b"<urlset><url><loc>https://news.example/s?a=1&b=2&amp;c=3</loc></url></urlset>"
    assert [entry.loc for entry in parse_sitemap(content, URL).entries] == [
        "https://news.example/s?a=1&b=2&c=3"]


def test_a_plain_text_sitemap_is_one_url_per_line() -> None:
    content = b"\xef\xbb\xbfhttps://news.example/a\r\n\r\n  https://news.example/b  \nnot a url\n"
    assert parse_sitemap(content, URL) == Sitemap(
        url=URL,
        kind="urlset",
        entries=(SitemapEntry("https://news.example/a", None, None, None, None),
                 SitemapEntry("https://news.example/b", None, None, None, None)),
        sitemaps=(),
        skipped=1,
        rejected=(("not a url", "line 4: holds white space; one URL per line"),),
    )


def test_a_malformed_loc_costs_its_own_entry_only_and_says_why() -> None:
    # issue 14: one "http://[::1/broken" aborted the whole backfill
    content = (b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
               b"<url><loc>https://news.example/a</loc></url>"
               b"<url><loc>http://[::1/broken</loc></url>"
               b"<url><loc>https://news.example:99999/b</loc></url>"
               b"<url><loc>https://news.example/c</loc></url></urlset>")
    sitemap = parse_sitemap(content, URL)
    assert [e.loc for e in sitemap.entries] == ["https://news.example/a", "https://news.example/c"]
    assert sitemap.rejected == (
        ("http://[::1/broken", "not a URL (Invalid IPv6 URL)"),
        ("https://news.example:99999/b", "not a URL (Port out of range 0-65535)"),
    )
    index = parse_sitemap(content.replace(b"urlset", b"sitemapindex").replace(b"<url>", b"<sitemap>")
                          .replace(b"</url>", b"</sitemap>"), URL)
    assert index.sitemaps == ("https://news.example/a", "https://news.example/c")
    assert len(index.rejected) == 2


BILLION_LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE urlset [\n <!ENTITY lol "lol">\n'
    + b"".join(b' <!ENTITY lol%d "%s">\n' % (level, b"&lol%s;" % (b"%d" % (level - 1) if level > 1
                                                                    else b"") * 10)
               for level in range(1, 10))
    + b']>\n<urlset><url><loc>https://news.example/&lol9;</loc></url></urlset>'
)


@pytest.mark.parametrize("content, detail", [
    (BILLION_LAUGHS, "not well-formed XML"),
    (b'<?xml version="1.0"?><!DOCTYPE u [<!ENTITY e "x">]>'
     b"<urlset><url><loc>https://news.example/&e;</loc></url></urlset>",
     "declares a DTD or XML entities, which no sitemap needs"),
    (b'<?xml version="1.0"?><!DOCTYPE u [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
     b"<urlset><url><loc>https://news.example/&e;</loc></url></urlset>",
     "declares a DTD or XML entities, which no sitemap needs"),
    (b'<?xml version="1.0"?><!DOCTYPE u SYSTEM "http://attacker.example/x.dtd">'
     b"<urlset><url><loc>&e;</loc></url></urlset>",
     "declares a DTD or XML entities, which no sitemap needs"),
], ids=["billion_laughs", "internal_entity", "external_file_entity", "external_dtd"])
def test_hostile_xml_is_refused_without_expanding_or_fetching(
        content: bytes, detail: str) -> None:
    started = time.monotonic()
    with pytest.raises(SitemapError) as caught:
        parse_sitemap(content, URL)
    assert time.monotonic() - started < 1
    assert caught.value.detail.startswith(detail)


def test_a_gzip_bomb_stops_at_the_cap() -> None:
    bomb = gzip.compress(b"<urlset>" + b" " * 20_000_000 + b"</urlset>")
    with pytest.raises(SitemapError) as caught:
        parse_sitemap(bomb, URL, max_bytes=1_000_000)
    assert str(caught.value) == (
        f"sitemap {URL} could not be read: more than 1000000 bytes once decompressed")


NOT_GZIP = b"\x1f\x8bnot gzip at all"


def lxml_error(content: bytes) -> str:
    """What libxml2 says of ``content`` (its words are its own: the test holds ours)."""
    try:
        etree.fromstring(content)
    except etree.XMLSyntaxError as error:
        return str(error.msg)
    raise AssertionError(f"{content!r} is well-formed")


def zlib_error(content: bytes) -> str:
    """What zlib says of ``content`` read as gzip."""
    try:
        zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(content)
    except zlib.error as error:
        return str(error)
    raise AssertionError(f"{content!r} inflates")


@pytest.mark.parametrize("content, detail", [
    (b"", "empty document"),
    (b"  \n ", "empty document"),
    (b"<html><body>Not found</body></html>",
     "the root element is <html>, not <urlset> or <sitemapindex>"),
    (b'<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
     b'"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">'
     b'<html xmlns="http://www.w3.org/1999/xhtml"><body>Not found</body></html>',
     "the root element is <html>, not <urlset> or <sitemapindex>"),
    (b'<rss version="2.0"><channel/></rss>',
     "the root element is <rss>, not <urlset> or <sitemapindex>; it is a feed: add it with "
     "--feed"),
    (b"<urlset><url><loc>https://news.example/a</loc></url>",
     f"not well-formed XML ({lxml_error(b'<urlset><url><loc>https://news.example/a</loc></url>')})"),
    (b'{"urls": ["https://news.example/a"]}', "neither XML nor a list of http(s) URLs"),
    (b"\xff\xfe\x00binary", "neither XML nor a UTF-8 list of URLs"),
    (gzip.compress(NEWS)[:-30], "gzip data cut short (truncated download?)"),
    (NOT_GZIP, f"damaged gzip data ({zlib_error(NOT_GZIP)})"),
], ids=["empty", "blank", "html_page", "xhtml_page", "rss_feed", "truncated_xml", "json", "binary",
        "truncated_gzip", "bad_gzip"])
def test_what_is_no_sitemap_is_named(content: bytes, detail: str) -> None:
    with pytest.raises(SitemapError) as caught:
        parse_sitemap(content, URL)
    assert isinstance(caught.value, NewsetlError)
    assert (caught.value.url, caught.value.detail) == (URL, detail)
