"""The article record every source produces, and how it is built from a fetched page (with
what a feed or sitemap said of it) or from a dated file. Pure: the caller brings the bytes
and the clock."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from newsetl.extract.article import EXTRACTOR_VERSION, PageArticle, extract_article
from newsetl.extract.dated import DatedText, format_dated, split_name
from newsetl.extract.feeds import FeedEntry
from newsetl.extract.ids import article_id, canonical_url, content_hash, name_id
from newsetl.extract.simhash import simhash
from newsetl.extract.warc_write import RecordLocation
from newsetl.extract.words import count_words
from newsetl.values import DateSource, SourceKind


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
    date_source: DateSource
    """which source won the date"""
    content: str
    """the dated-format file content; extractor offsets point into it"""
    content_hash: str
    word_count: int
    source_kind: SourceKind
    """FEED for fetched and archived pages, FILE for backfilled dated files"""
    fetched_at: dt.datetime | None
    extractor: str
    body_hash: str | None = None
    """SHA-256 of the paragraphs alone (the same text under another date or id)"""
    simhash: int | None = None
    """64-bit fingerprint of the text's word shingles, for near-duplicates"""
    warc_file: str | None = None
    """where the page lies in the raw archive: file (relative to the archive root), record
    offset and length"""
    warc_offset: int | None = None
    warc_length: int | None = None
    title_source: str | None = None
    """where the title came from: 'json-ld', 'meta', 'html' (the page), 'feed' or 'sitemap'"""
    authors_source: str | None = None
    """where the authors came from: 'json-ld', 'meta', 'html', 'feed' or 'sitemap'"""
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


@dataclass(frozen=True)
class Listing:
    """What the list that led to a page said about it: a feed's entry, a sitemap's, or on
    re-extraction the stored article's listed date. Its publication date outranks the page's."""

    source: DateSource
    """FEED or SITEMAP: what ``date_source`` the listed date is stored under"""
    published_at: dt.datetime | None = None
    """the publication time, with the publisher's UTC offset where the list gave one"""
    published_date: dt.date | None = None
    """the publication day as the publisher dated it (``published_at``'s own day if None)"""
    updated_at: dt.datetime | None = None
    """when the list says the item last changed: a date of last resort, after the page's"""
    title: str = ""
    authors: tuple[str, ...] = ()

    @classmethod
    def of_entry(cls, entry: FeedEntry, source: DateSource = DateSource.FEED) -> Listing:
        """The listing of a feed entry (or of a sitemap entry read as one)."""
        return cls(source=source, published_at=entry.published, updated_at=entry.updated,
                   title=entry.title, authors=entry.authors)


def article_from_html(
    html: bytes | str,
    url: str,
    fetched_at: dt.datetime,
    *,
    charset: str | None = None,
    listing: Listing | None = None,
    archived: RecordLocation | None = None,
    extractor: str = EXTRACTOR_VERSION,
    page: PageArticle | None = None,
) -> Article:
    """The article of one fetched page: extracted, dated and placed in the raw archive.

    Every page becomes an article here, fetched (ingest, backfill-web), read from a WARC
    (backfill) or re-read from the archive (reprocess). ``charset`` is the HTTP header's;
    ``listing`` what the feed or sitemap said of the page; ``archived`` where the page lies in
    the raw archive (file relative to the archive root). The date is the listing's
    publication date, else the page's, else the listing's update time, else the fetch day.
    ``page``: the page as already extracted (the flows extract in a worker they can stop).

    Raises:
        NoArticleText: the page holds no article text.
    """
    page = page or extract_article(html, url, charset=charset)
    published_at, date, source = _date(page, listing, fetched_at)
    content = format_dated(date, page.paragraphs)
    canonical = canonical_url(_trusted_canonical(page.canonical_url, page.url))
    body = "\n".join(page.paragraphs)
    # the page's own title and bylines first, then what the list said (its kind the source)
    title, title_source = page.title, page.title_source
    if not title and listing is not None and listing.title:
        title, title_source = listing.title, str(listing.source)
    authors, authors_source = page.authors, page.authors_source
    if not authors and listing is not None and listing.authors:
        authors, authors_source = listing.authors, str(listing.source)
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
        body_hash=content_hash(body),
        simhash=simhash(body),
        word_count=sum(count_words(p) for p in page.paragraphs),
        source_kind=SourceKind.FEED,
        fetched_at=fetched_at,
        extractor=extractor,
        warc_file=archived.file if archived else None,
        warc_offset=archived.offset if archived else None,
        warc_length=archived.length if archived else None,
        title_source=title_source if title else None,
        authors_source=authors_source if authors else None,
        site_name=page.site_name or None,
        page_date=page.date,
        page_date_source=page.date_source if page.date else None,
    )


def _date(page: PageArticle, listing: Listing | None, fetched_at: dt.datetime
          ) -> tuple[dt.datetime | None, dt.date, DateSource]:
    """(published_at, published_date, date_source) of a page: the listing's publication
    date wins over the page's, the listing's update time comes after it."""
    if listing is not None:
        day = listing.published_date or (listing.published_at.date() if listing.published_at
                                         else None)
        if day is not None:
            return listing.published_at, day, listing.source
    if page.date is not None:
        return None, page.date, DateSource.PAGE
    if listing is not None and listing.updated_at is not None:
        return listing.updated_at, listing.updated_at.date(), listing.source
    # the format needs a date; the fetch day is the best bound we have, and says so
    return None, fetched_at.date(), DateSource.FETCH


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
        date_source=DateSource.FILE,
        content=content,
        content_hash=content_hash(content),
        body_hash=content_hash("\n".join(doc.paragraphs)),
        simhash=simhash("\n".join(doc.paragraphs)),
        word_count=sum(count_words(p) for p in doc.paragraphs),
        source_kind=SourceKind.FILE,
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
