"""The article record every source produces, and how it is built from a feed entry and a page
or from a dated file. Pure: the caller brings the bytes and the clock."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from newsetl.extract.article import PageArticle
from newsetl.extract.dated import DatedText, format_dated, split_name
from newsetl.extract.feeds import FeedEntry
from newsetl.extract.ids import article_id, canonical_url, content_hash, name_id
from newsetl.extract.simhash import simhash
from newsetl.extract.words import count_words


@dataclass(frozen=True)
class Article:
    """A normalised article, ready to write to the corpus and load into the warehouse."""

    article_id: str
    url: str
    """where the text came from: the fetched page URL, or the dated file's path"""
    canonical_url: str | None
    title: str | None
    authors: tuple[str, ...]
    language: str | None
    published_at: dt.datetime | None
    """the full publication time where a feed gave one (UTC offset kept)"""
    published_date: dt.date
    date_source: str
    """which source won the date: 'feed', 'page', 'fetch' (neither had one) or 'file'"""
    content: str
    """the dated-format file content; extractor offsets point into it"""
    content_hash: str
    word_count: int
    source_kind: str
    """'feed' for fetched pages, 'file' for backfilled dated files"""
    fetched_at: dt.datetime | None
    extractor: str
    body_hash: str | None = None
    """SHA-256 of the paragraphs alone (the same text under another date or id)"""
    simhash: int | None = None
    """64-bit fingerprint of the text's word shingles, for near-duplicates"""
    warc_file: str | None = None
    """where the page lies in the raw archive: file name, record offset and length"""
    warc_offset: int | None = None
    warc_length: int | None = None
    title_source: str | None = None
    """where the title came from: 'json-ld', 'meta', 'html' (the page) or 'feed'"""
    authors_source: str | None = None
    """where the authors came from: 'json-ld', 'meta', 'html' or 'feed'"""
    site_name: str | None = None
    """the outlet's name as its page gives it"""
    page_date: dt.date | None = None
    """the publication day the page itself gives, whichever date won"""
    page_date_source: str | None = None
    """where the page's date came from: 'json-ld' or 'htmldate'"""

    @property
    def paragraphs(self) -> tuple[str, ...]:
        """The body paragraphs (content without the date prefix)."""
        return tuple(self.content[len(" date YYYY-MM-DD "):].rstrip("\n").split("\n\n"))


def article_from_page(
    page: PageArticle,
    entry: FeedEntry | None,
    fetched_at: dt.datetime,
    extractor: str,
) -> Article:
    """An Article from an extracted page; the feed entry's date wins over the page's."""
    if entry is not None and entry.published is not None:
        published_at, date, source = entry.published, entry.published.date(), "feed"
    elif page.date is not None:
        published_at, date, source = None, page.date, "page"
    elif entry is not None and entry.updated is not None:
        published_at, date, source = entry.updated, entry.updated.date(), "feed"
    else:
        # the format needs a date; the fetch day is the best bound we have, and says so
        published_at, date, source = None, fetched_at.date(), "fetch"
    content = format_dated(date, page.paragraphs)
    canonical = canonical_url(_trusted_canonical(page.canonical_url, page.url))
    title, title_source = page.title, page.title_source
    if not title and entry is not None and entry.title:
        title, title_source = entry.title, "feed"
    authors, authors_source = page.authors, page.authors_source
    if not authors and entry is not None and entry.authors:
        authors, authors_source = entry.authors, "feed"
    return Article(
        article_id=article_id(canonical),
        url=page.url,
        canonical_url=canonical,
        title=title or None,
        authors=authors,
        language=page.language,
        published_at=published_at,
        published_date=date,
        date_source=source,
        content=content,
        content_hash=content_hash(content),
        body_hash=content_hash("\n".join(page.paragraphs)),
        simhash=simhash("\n".join(page.paragraphs)),
        word_count=sum(count_words(p) for p in page.paragraphs),
        source_kind="feed",
        fetched_at=fetched_at,
        extractor=extractor,
        title_source=title_source if title else None,
        authors_source=authors_source if authors else None,
        site_name=page.site_name or None,
        page_date=page.date,
        page_date_source=page.date_source if page.date else None,
    )


def article_from_dated(name: str, path: str, doc: DatedText, content: str) -> Article:
    """An Article from a dated file; the id comes from its ``NNN_<id>.txt`` name."""
    parts = split_name(name)
    return Article(
        article_id=parts[1] if parts else name_id(name),
        url=path,
        canonical_url=None,
        title=None,
        authors=(),
        language=None,
        published_at=None,
        published_date=doc.date,
        date_source="file",
        content=content,
        content_hash=content_hash(content),
        body_hash=content_hash("\n".join(doc.paragraphs)),
        simhash=simhash("\n".join(doc.paragraphs)),
        word_count=sum(count_words(p) for p in doc.paragraphs),
        source_kind="file",
        fetched_at=None,
        extractor="dated-file",
    )


def _trusted_canonical(canonical: str, fetched: str) -> str:
    """The page's canonical URL (made absolute against the fetched one), unless it is no
    valid http(s) URL (a port out of range, an unclosed bracket: the page's markup is wrong,
    not the article) or a site's front page claimed by an article page, a common template bug
    that would merge every article of the site into one id."""
    if not canonical:
        return fetched
    try:
        absolute = urljoin(fetched, canonical)
        parts = urlsplit(absolute)
        parts.port  # noqa: B018 - raises on a port that is not a number in range
    except ValueError:
        return fetched
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return fetched
    if parts.path in ("", "/") and urlsplit(fetched).path not in ("", "/"):
        return fetched
    return absolute
