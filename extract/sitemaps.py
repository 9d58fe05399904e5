"""Parse sitemaps: plain, index, Google News, gzip-compressed, and plain-text ones.

Pure: bytes in, a frozen ``Sitemap`` out. The XML parser is hardened: no network, no
external or expanded entities, no huge trees, so a hostile sitemap cannot make it fetch,
read local files or blow up memory.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
import zlib
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urljoin

from lxml import etree

from newsetl.errors import NewsetlError
from newsetl.extract.urllist import parse_url_list, url_problem

MAX_BYTES = 50_000_000
"""largest sitemap after decompression: the protocol's own limit is 50 MB"""

# an & that starts no entity or character reference: common in hand-made sitemaps' URLs
_BARE_AMPERSAND = re.compile(rb"&(?!(?:[A-Za-z_][\w.-]*|#\d+|#x[0-9A-Fa-f]+);)")
_YEAR_MONTH = re.compile(r"(\d{4})(?:-(\d{2}))?")


class SitemapError(NewsetlError):
    """Bytes that hold no sitemap, or one refused as unsafe."""

    def __init__(self, url: str, detail: str) -> None:
        self.url = url
        self.detail = detail
        super().__init__(f"sitemap {url} could not be read: {detail}")


@dataclass(frozen=True)
class SitemapEntry:
    """One page a sitemap lists, with the dates and news metadata it gives."""

    loc: str
    """absolute URL (a relative <loc> is resolved against the sitemap's URL)"""
    lastmod: dt.datetime | None
    news_publication_date: dt.datetime | None
    news_title: str | None
    language: str | None
    """news:publication/news:language, as given (e.g. 'en', 'zh-cn')"""


@dataclass(frozen=True)
class Sitemap:
    """A parsed sitemap: the pages of a urlset, or the child sitemaps of an index."""

    url: str
    kind: Literal["urlset", "index"]
    entries: tuple[SitemapEntry, ...]
    """pages, in document order (a urlset or a plain-text sitemap)"""
    sitemaps: tuple[str, ...]
    """child sitemap URLs, in document order (an index)"""
    sitemap_lastmods: tuple[dt.datetime | None, ...] = ()
    """the <lastmod> of each of ``sitemaps``, same order: lets a backfill skip old ones"""
    skipped: int = 0
    """<url>/<sitemap> elements or text lines without a usable http(s) location"""
    rejected: tuple[tuple[str, str], ...] = ()
    """(location, why) of each location given but left out (malformed, not http(s)): a bad
    <loc> costs that entry only, and says so"""


def parse_sitemap(content: bytes, url: str, max_bytes: int = MAX_BYTES) -> Sitemap:
    """Parse sitemap bytes fetched from ``url`` (gzip-compressed or not).

    Raises:
        SitemapError: the bytes are not a sitemap (XML urlset or index, or a text list of
            URLs), are damaged, too large once decompressed, or declare XML entities.
    """
    if content[:2] == b"\x1f\x8b":
        content = _gunzip(content, url, max_bytes)
    start = content.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not start:
        raise SitemapError(url, "empty document")
    if start[:1] != b"<":
        return _parse_text(content, url)
    return _parse_xml(content, url)


def _gunzip(content: bytes, url: str, max_bytes: int) -> bytes:
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        data = inflater.decompress(content, max_bytes + 1)
    except zlib.error as error:
        raise SitemapError(url, f"damaged gzip data ({error})") from None
    if len(data) > max_bytes:
        raise SitemapError(url, f"more than {max_bytes} bytes once decompressed")
    if not inflater.eof:
        raise SitemapError(url, "gzip data cut short (truncated download?)")
    return data


def _parse_text(content: bytes, url: str) -> Sitemap:
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        raise SitemapError(url, "neither XML nor a UTF-8 list of URLs") from None
    urls, problems = parse_url_list(text, url)
    if not urls:
        raise SitemapError(url, "neither XML nor a list of http(s) URLs")
    entries = tuple(SitemapEntry(loc, None, None, None, None) for loc in urls)
    return Sitemap(url, "urlset", entries, (), (), skipped=len(problems),
                   rejected=tuple((p.text, f"line {p.line}: {p.reason}") for p in problems))


def _parse_xml(content: bytes, url: str) -> Sitemap:
    root = _xml_root(content, url)
    kind = _local(root)
    if kind in ("urlset", "sitemapindex"):
        _refuse_dtd(root, url)
    rejected: list[tuple[str, str]] = []
    if kind == "urlset":
        entries: list[SitemapEntry] = []
        skipped = 0
        for element in _children(root, "url"):
            entry = _entry(element, url, rejected)
            if entry is None:
                skipped += 1
            else:
                entries.append(entry)
        return Sitemap(url, "urlset", tuple(entries), (), (), skipped=skipped,
                       rejected=tuple(rejected))
    if kind == "sitemapindex":
        locs: list[str] = []
        lastmods: list[dt.datetime | None] = []
        skipped = 0
        for element in _children(root, "sitemap"):
            loc = _loc(element, url, rejected)
            if loc is None:
                skipped += 1
                continue
            locs.append(loc)
            lastmods.append(_datetime(_text(element, "lastmod")))
        return Sitemap(url, "index", (), tuple(locs), tuple(lastmods), skipped=skipped,
                       rejected=tuple(rejected))
    hint = "; it is a feed: add it with --feed" if kind in ("rss", "feed", "RDF") else ""
    raise SitemapError(url, f"the root element is <{kind}>, not <urlset> or "
                            f"<sitemapindex>{hint}")


def _xml_root(content: bytes, url: str) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                             load_dtd=False, remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(content, parser)
    except etree.XMLSyntaxError as error:
        # a second chance for the commonest fault, & unescaped in URLs; never lxml's
        # recover mode, which silently drops text ('?a=1&b=2' becomes '?a=1=2')
        repaired = _BARE_AMPERSAND.sub(b"&amp;", content)
        try:
            root = etree.fromstring(repaired, parser) if repaired != content else None
        except etree.XMLSyntaxError:
            root = None
        if root is None:
            raise SitemapError(url, f"not well-formed XML ({error.msg})") from None
    return root


def _refuse_dtd(root: etree._Element, url: str) -> None:
    """Entities were neither expanded nor fetched; a sitemap that declares any is hostile."""
    docinfo = root.getroottree().docinfo
    dtd = docinfo.internalDTD
    if docinfo.system_url or docinfo.public_id or (
            dtd is not None and any(True for _ in dtd.iterentities())):
        raise SitemapError(url, "declares a DTD or XML entities, which no sitemap needs; "
                                "refused (an entity-expansion or file-disclosure attempt?)")


def _entry(element: etree._Element, base: str,
           rejected: list[tuple[str, str]]) -> SitemapEntry | None:
    loc = _loc(element, base, rejected)
    if loc is None:
        return None
    news = next(_children(element, "news"), None)
    publication = next(_children(news, "publication"), None) if news is not None else None
    title = _text(news, "title") if news is not None else None
    return SitemapEntry(
        loc=loc,
        lastmod=_datetime(_text(element, "lastmod")),
        news_publication_date=_datetime(_text(news, "publication_date"))
        if news is not None else None,
        news_title=" ".join(title.split()) or None if title else None,
        language=_text(publication, "language") or None if publication is not None else None,
    )


def _loc(element: etree._Element, base: str, rejected: list[tuple[str, str]]) -> str | None:
    """The element's absolute http(s) <loc>; a malformed one is added to ``rejected``."""
    loc = _text(element, "loc")
    if not loc:
        return None
    try:
        absolute = urljoin(base, loc) if base else loc
    except ValueError as error:  # e.g. "http://[::1/broken": an unclosed IPv6 bracket
        rejected.append((loc, f"not a URL ({error})"))
        return None
    problem = url_problem(absolute)
    if problem:
        rejected.append((loc, problem))
        return None
    return absolute


def _children(element: etree._Element, name: str):  # noqa: ANN202 - a generator of elements
    """Child elements by local name, whatever their namespace (sitemaps use several)."""
    return (child for child in element if isinstance(child.tag, str) and _local(child) == name)


def _text(element: etree._Element | None, name: str) -> str | None:
    if element is None:
        return None
    child = next(_children(element, name), None)
    if child is None:
        return None
    return "".join(child.itertext()).strip()


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname


def _datetime(text: str | None) -> dt.datetime | None:
    """A W3C datetime ('2024', '2024-03', '2024-03-05', '2024-03-05T10:00+01:00' ...), or a
    mail-style date some sitemaps use; None if there is none or it cannot be read.

    The offset is kept as given; a value without one stays naive.
    """
    if not text:
        return None
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        pass
    match = _YEAR_MONTH.fullmatch(text)
    if match:
        year, month = int(match[1]), int(match[2] or 1)
        return dt.datetime(year, month, 1) if 1 <= month <= 12 else None
    try:
        return email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
