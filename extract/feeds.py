"""Parse RSS, Atom, RDF and JSON feeds from fetched bytes into frozen entry records.

feedparser only ever sees bytes here: it never fetches (the HTTP seam is in flows/).
"""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import io
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser

from newsetl.errors import NewsetlError


class FeedParseError(NewsetlError):
    """The bytes hold no feed that could be read."""

    def __init__(self, url: str, detail: str) -> None:
        self.url = url
        super().__init__(f"feed {url} could not be parsed: {detail}")


@dataclass(frozen=True)
class FeedEntry:
    """One entry of a feed: where its article lives and what the feed says about it."""

    link: str
    guid: str
    title: str
    published: dt.datetime | None
    updated: dt.datetime | None
    authors: tuple[str, ...]
    summary: str
    entry_hash: str
    """changes when the feed changes what it says about the entry (title, dates, summary)"""


@dataclass(frozen=True)
class ParsedFeed:
    """A parsed feed document: its own metadata, its entries and any recoverable problem."""

    url: str
    version: str
    title: str
    site_url: str
    entries: tuple[FeedEntry, ...]
    warning: str | None
    """set when the document was ill-formed but still yielded entries (feedparser's bozo)"""


def parse_feed(content: bytes, url: str, headers: Mapping[str, str] | None = None) -> ParsedFeed:
    """Parse a feed document; relative entry links are resolved against ``url``.

    Entries without a usable link (none, malformed, or a scheme newsetl must not fetch) are
    left out.
    """
    if _looks_like_json(content):
        return _parse_json_feed(content, url)
    # feedparser reads the charset and content type from these headers (RFC 3023 rules)
    response_headers = {k.lower(): v for k, v in (headers or {}).items() if k.lower() in
                        ("content-type", "content-language")}
    # a file object, never the bytes themselves: feedparser opens bytes that name a local
    # file (b"/etc/passwd") and parses that file instead
    parsed = feedparser.parse(io.BytesIO(content), response_headers=response_headers,
                              sanitize_html=False, resolve_relative_uris=False)
    problem = parsed.get("bozo_exception")
    if not parsed.entries and not parsed.get("version"):
        detail = f"{type(problem).__name__}: {problem}" if problem else "no RSS, Atom or JSON feed found"
        raise FeedParseError(url, detail)
    feed = parsed.get("feed", {})
    return ParsedFeed(
        url=url,
        version=parsed.get("version") or "",
        title=_clean(feed.get("title", "")),
        site_url=_site(url, feed.get("link", "")),
        entries=_unique(_entry(raw, url) for raw in parsed.entries),
        warning=f"{type(problem).__name__}: {problem}" if problem else None,
    )


def _unique(entries: Iterable[FeedEntry | None]) -> tuple[FeedEntry, ...]:
    """Entries with a link, one per link (the first wins). Entries are told apart by link,
    not GUID: a feed that gives every item the same GUID (its site URL, a constant) still
    has one article per link, and none may be dropped without a trace."""
    kept: dict[str, FeedEntry] = {}
    for entry in entries:
        if entry is not None:
            kept.setdefault(entry.link, entry)
    return tuple(kept.values())


def _entry(raw: dict[str, Any], base: str) -> FeedEntry | None:
    """The entry, or None when it has no link newsetl may fetch."""
    link = _fetchable(base, _link(raw))
    if not link:
        return None
    published = _date(raw, "published") or _date(raw, "created")
    updated = _date(raw, "updated")
    authors = tuple(
        name for name in (_clean(a.get("name", "")) for a in raw.get("authors", []) or []) if name
    ) or ((_clean(raw["author"]),) if raw.get("author") else ())
    title = _clean(raw.get("title", ""))
    summary = raw.get("summary", "") or ""
    digest = hashlib.sha256(
        json.dumps([link, title, str(published), str(updated), summary]).encode("utf-8")
    ).hexdigest()[:16]
    return FeedEntry(
        link=link,
        guid=_clean(raw.get("id", "")) or link,
        title=title,
        published=published,
        updated=updated,
        authors=authors,
        summary=summary,
        entry_hash=digest,
    )


def _link(raw: Mapping[str, Any]) -> str:
    """The entry's article link: rel=alternate HTML first, then the plain link."""
    for link in raw.get("links", []) or []:
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return link["href"].strip()
    return (raw.get("link") or "").strip()


def _fetchable(base: str, link: str) -> str:
    """``link`` made absolute against ``base``, or "" when newsetl must not fetch it.

    Only http(s) links are kept, and file links only from a local (file:) feed: a remote feed
    must not make newsetl read local files.
    """
    absolute = _join(base, link) if link else ""
    scheme = urlsplit(absolute).scheme.lower() if absolute else ""
    if scheme in ("http", "https") and urlsplit(absolute).hostname:
        return absolute
    if scheme == "file" and urlsplit(base).scheme.lower() == "file":
        return absolute
    return ""


def _site(base: str, link: str) -> str:
    """The feed's own link made absolute; "" when it gives none (not the feed URL itself)."""
    return _join(base, link) if link else ""


def _join(base: str, link: str) -> str:
    """``link`` resolved against ``base``; "" when either is not a valid URL."""
    try:
        return urljoin(base, link)
    except ValueError:  # e.g. "http://example.c[o.test/": an unclosed IPv6 bracket
        return ""


def _date(raw: dict[str, Any], key: str) -> dt.datetime | None:
    """A feed date with its own UTC offset kept (feedparser's parsed form is UTC only)."""
    # dict.get, not raw.get: feedparser answers a missing "updated" with "published"
    text = dict.get(raw, key)
    if text:
        parsed = _parse_date_text(str(text).strip())
        if parsed:
            return parsed
    struct = dict.get(raw, f"{key}_parsed")
    if struct:
        try:
            value = dt.datetime(*struct[:6], tzinfo=dt.UTC)
        except (TypeError, ValueError, OverflowError):  # e.g. year 10000 once moved to UTC
            return None
        return value if 1900 <= value.year <= 2200 else None
    return None


def _parse_date_text(text: str) -> dt.datetime | None:
    """RFC 822 and ISO 8601 dates; naive times are taken as UTC."""
    value: dt.datetime | None = None
    try:
        value = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        try:
            value = dt.datetime.fromisoformat(text)
        except ValueError:
            return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    if not 1900 <= value.year <= 2200:
        return None
    return value


def _clean(text: str) -> str:
    return " ".join(str(text).split())


def _looks_like_json(content: bytes) -> bool:
    """JSON Feed documents start with "{" (an XML feed never does), whatever the headers say."""
    return content.removeprefix(b"\xef\xbb\xbf").lstrip(b" \t\r\n").startswith(b"{")


def _parse_json_feed(content: bytes, url: str) -> ParsedFeed:
    """A JSON Feed 1.0 or 1.1 document (jsonfeed.org); feedparser 6.0 reads no JSON."""
    try:
        document = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as error:
        raise FeedParseError(url, f"{type(error).__name__}: {error}") from None
    version = document.get("version") if isinstance(document, dict) else None
    if not isinstance(version, str) or not version.startswith("https://jsonfeed.org/version/"):
        raise FeedParseError(url, "no RSS, Atom or JSON feed found")
    items = document.get("items")
    raw_items = [_json_item(item) for item in items if isinstance(item, dict)] \
        if isinstance(items, list) else []
    return ParsedFeed(
        url=url,
        version="json" + version.rsplit("/", 1)[-1].replace(".", ""),
        title=_clean(_text(document.get("title"))),
        site_url=_site(url, _text(document.get("home_page_url"))),
        entries=_unique(_entry(raw, url) for raw in raw_items),
        warning=None if isinstance(items, list) else "JSON Feed without an items list",
    )


def _json_item(item: Mapping[str, Any]) -> dict[str, Any]:
    """A JSON Feed item in the shape of a feedparser entry."""
    authors = item.get("authors")
    people = authors if isinstance(authors, list) else [item.get("author")]
    return {
        "id": _text(item.get("id")),
        "link": _text(item.get("url")) or _text(item.get("external_url")),
        "title": _text(item.get("title")),
        "published": _text(item.get("date_published")),
        "updated": _text(item.get("date_modified")),
        "authors": [{"name": _text(p.get("name"))} for p in people if isinstance(p, dict)],
        "summary": _text(item.get("summary")) or _text(item.get("content_html"))
        or _text(item.get("content_text")),
    }


def _text(value: Any) -> str:
    """A JSON string value; anything else (numbers aside) counts as absent."""
    if isinstance(value, str):
        return value
    return str(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else ""
