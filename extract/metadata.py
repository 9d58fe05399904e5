"""An article's title, authors, publication day and outlet, each with where it came from.

Sources, best first: the page's JSON-LD article (``json-ld``: what publishers write for
search engines), its ``<meta>`` tags (``meta``: Open Graph, Twitter, author and title tags),
the page's markup (``html``: trafilatura's reading of ``<title>``, headings and bylines) and,
for the date, htmldate's reading of the markup (``htmldate``). The costly readings (bylines,
htmldate: each copies the whole page) run only when the cheaper sources say nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

from htmldate import find_date
from lxml.html import HtmlElement
from trafilatura.metadata import (
    METANAME_AUTHOR,
    METANAME_DESCRIPTION,
    METANAME_TITLE,
    OG_AUTHOR,
    PROPERTY_AUTHOR,
    extract_author,
    extract_title,
    extract_url,
)

from newsetl.extract.authors import clean_authors, is_outlet_only, looks_like_person
from newsetl.extract.jsonld import LinkedData
from newsetl.extract.titles import MAX_SITE_WORDS, clean_text, name_key, strip_labels, strip_site_name
from newsetl.values import FieldSource, PageDateSource

_DAY = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})")
_TRUNCATED = ("…", "...")
_AUTHOR_META = frozenset(METANAME_AUTHOR | PROPERTY_AUTHOR | OG_AUTHOR | {"parsely-author"})
_TITLE_META = ("og:title", "twitter:title", *sorted(METANAME_TITLE))
_SITE_META = ("og:site_name", "application-name", "twitter:site", "publisher", "dc.publisher")
_SECOND_LEVEL = frozenset({"co", "com", "org", "net", "gov", "ac", "ne", "or", "edu", "go"})
_LOCKED_TIERS = frozenset({"locked", "premium", "subscriber", "paid"})
# dates only from the page's markup and metadata: htmldate's extensive search takes
# copyright lines for dates; original_date: the first publication, not the last update
_HTMLDATE: dict[str, Any] = {"extensive_search": False, "original_date": True}


@dataclass(frozen=True)
class PageTags:
    """The ``<meta>`` tags, ``<title>`` and first ``<h1>`` of a page."""

    meta: dict[str, str]
    """first content of each meta name or property, lower-cased keys"""
    author_meta: tuple[str, ...]
    """every author meta tag's content, in page order"""
    title_tag: str
    heading: str

    @property
    def locked(self) -> bool:
        """The page's meta tags say the article is for subscribers only."""
        return self.meta.get("article:content_tier", "").lower() in _LOCKED_TIERS


@dataclass(frozen=True)
class Metadata:
    """What the page says about its article, and where each field was found."""

    title: str
    title_source: str | None
    authors: tuple[str, ...]
    authors_source: str | None
    date: dt.date | None
    date_source: str | None
    site_name: str
    canonical_url: str
    description: str


def read_tags(tree: HtmlElement) -> PageTags:
    """The meta tags, title and first heading of a parsed page."""
    meta: dict[str, str] = {}
    authors = []
    for tag in tree.iter("meta"):
        key = (tag.get("property") or tag.get("name") or tag.get("itemprop") or "").strip().lower()
        content = clean_text(tag.get("content") or "")
        if not key or not content:
            continue
        meta.setdefault(key, content)
        if key in _AUTHOR_META:
            authors.append(content)
    title = tree.find(".//title")
    heading = tree.find(".//h1")
    return PageTags(
        meta=meta, author_meta=tuple(authors),
        title_tag=clean_text(title.text_content()) if title is not None else "",
        heading=clean_text(heading.text_content()) if heading is not None else "",
    )


def site_names(ld: LinkedData, tags: PageTags, url: str) -> tuple[str, ...]:
    """Every name the site goes by: publisher, site and app name, host name and its label."""
    names = [*ld.publishers, *(tags.meta.get(k, "") for k in _SITE_META)]
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    if host:
        names += [host, _host_label(host)]
    # a "site name" as long as a headline is a page's misuse of the tag
    return tuple(dict.fromkeys(n.lstrip("@") for n in names
                               if n and len(n.split()) <= MAX_SITE_WORDS))


def _host_label(host: str) -> str:
    """The name part of a host: "bbc" of bbc.co.uk, "people" of politics.people.com.cn."""
    labels = host.split(".")[:-1]
    if len(labels) > 1 and labels[-1] in _SECOND_LEVEL:
        labels.pop()
    return labels[-1] if labels else host


def read_metadata(tree: HtmlElement, ld: LinkedData, tags: PageTags, url: str) -> Metadata:
    """Title, authors, date, site name, canonical URL and description of a page."""
    sites = site_names(ld, tags, url)
    title, title_source = _title(tree, ld, tags)
    authors, authors_source = _authors(tree, ld, tags, sites)
    date, date_source = _date(tree, ld, url)
    site = tags.meta.get("og:site_name") or (ld.publishers[0] if ld.publishers else "") or next(
        (tags.meta[k] for k in _SITE_META if k in tags.meta), "")
    return Metadata(
        title=strip_site_name(title, sites) if title else "", title_source=title_source,
        authors=authors, authors_source=authors_source, date=date, date_source=date_source,
        site_name=site.lstrip("@"), canonical_url=_canonical(tree, tags, url),
        description=tags.meta.get("og:description") or next(
            (tags.meta[k] for k in sorted(METANAME_DESCRIPTION) if k in tags.meta), ""),
    )


def _title(tree: HtmlElement, ld: LinkedData, tags: PageTags) -> tuple[str, str | None]:
    meta = next((tags.meta[k] for k in _TITLE_META if k in tags.meta), "")
    headline = ld.headline
    # a headline cut short for search engines ("..."): the meta title, if it is the whole
    if headline.endswith(_TRUNCATED) and name_key(meta).startswith(name_key(headline)):
        headline = ""
    if headline:
        return strip_labels(headline, (meta,)), FieldSource.JSON_LD
    if meta:
        return meta, FieldSource.META
    page = clean_text(extract_title(tree) or "")
    return (page, FieldSource.HTML) if page else ("", None)


def _authors(tree: HtmlElement, ld: LinkedData, tags: PageTags, sites: tuple[str, ...]
             ) -> tuple[tuple[str, ...], str | None]:
    """JSON-LD's authors, then the author meta tags, then the byline in the page; where the
    first that names anyone names only the outlet, a later one naming people wins."""
    found: list[tuple[tuple[str, ...], str]] = []
    for source, names in ((FieldSource.JSON_LD, lambda: [a.name for a in ld.authors]),
                          (FieldSource.META, lambda: tags.author_meta),
                          (FieldSource.HTML, lambda: (extract_author(tree) or "").split(";"))):
        authors = clean_authors(names(), sites)
        if not authors:
            continue
        if not found:
            if not is_outlet_only(authors, sites):
                return authors, source
            found.append((authors, source))
        elif all(looks_like_person(a) for a in authors) and not is_outlet_only(authors, sites):
            return authors, source
    return found[0] if found else ((), None)


def _date(tree: HtmlElement, ld: LinkedData, url: str) -> tuple[dt.date | None, str | None]:
    """The article object's datePublished (the publisher's own day), else htmldate's."""
    day = _day(ld.date_published)
    if day is not None:
        return day, PageDateSource.JSON_LD
    day = _day(find_date(tree, url=url, **_HTMLDATE))
    return (day, PageDateSource.HTMLDATE) if day is not None else (None, None)


def _day(text: str | None) -> dt.date | None:
    match = _DAY.match(text or "")
    if not match:
        return None
    try:
        return dt.date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


def _canonical(tree: HtmlElement, tags: PageTags, url: str) -> str:
    """The page's own URL: og:url or twitter:url, else link rel=canonical, else ``url``."""
    for key in ("og:url", "twitter:url"):
        value = tags.meta.get(key, "")
        if value.startswith(("http://", "https://", "//", "/")):
            return urljoin(url, value)
    return (extract_url(tree, url) or url).strip()
