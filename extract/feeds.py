"""Parse RSS, Atom, RDF and JSON feeds from fetched bytes into frozen entry records.

feedparser only ever sees bytes here: it never fetches (the HTTP seam is in flows/).
"""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

import feedparser

from extract.errors import NewsetlError


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
    """Parse a feed document; relative entry links are resolved against ``url``."""
    # feedparser reads the charset and content type from these headers (RFC 3023 rules)
    response_headers = {k.lower(): v for k, v in (headers or {}).items() if k.lower() in
                        ("content-type", "content-language")}
    parsed = feedparser.parse(content, response_headers=response_headers, sanitize_html=False,
                              resolve_relative_uris=False)
    problem = parsed.get("bozo_exception")
    if not parsed.entries and not parsed.get("version"):
        detail = f"{type(problem).__name__}: {problem}" if problem else "no RSS, Atom or JSON feed found"
        raise FeedParseError(url, detail)
    entries: list[FeedEntry] = []
    seen: set[str] = set()
    for raw in parsed.entries:
        entry = _entry(raw, url)
        # duplicate GUIDs or links inside one document: the first one wins
        key = entry.guid or entry.link
        if entry.link and key not in seen:
            seen.add(key)
            entries.append(entry)
    feed = parsed.get("feed", {})
    return ParsedFeed(
        url=url,
        version=parsed.get("version") or "",
        title=_clean(feed.get("title", "")),
        site_url=urljoin(url, feed.get("link", "") or ""),
        entries=tuple(entries),
        warning=f"{type(problem).__name__}: {problem}" if problem else None,
    )


def _entry(raw: Mapping[str, Any], base: str) -> FeedEntry:
    link = _link(raw)
    link = urljoin(base, link) if link else ""
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


def _date(raw: Mapping[str, Any], key: str) -> dt.datetime | None:
    """A feed date with its own UTC offset kept (feedparser's parsed form is UTC only)."""
    text = raw.get(key)
    if text:
        parsed = _parse_date_text(str(text).strip())
        if parsed:
            return parsed
    struct = raw.get(f"{key}_parsed")
    if struct:
        return dt.datetime(*struct[:6], tzinfo=dt.timezone.utc)
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
        value = value.replace(tzinfo=dt.timezone.utc)
    if not 1900 <= value.year <= 2200:
        return None
    return value


def _clean(text: str) -> str:
    return " ".join(str(text).split())
