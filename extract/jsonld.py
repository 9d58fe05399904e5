"""What a page's JSON-LD (schema.org) says about its article: headline, publication date,
authors, publisher, and whether it is free to read.

Only the page's own article counts: a top-level object (in a script, a list or an
``@graph``, or the ``mainEntity`` of a top-level page) whose type is an article type. Objects
nested inside it (images, videos, related stories) have dates and names of their own that are
not the article's.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from lxml.html import HtmlElement

ARTICLE_TYPES = frozenset({
    "article", "newsarticle", "reportagenewsarticle", "analysisnewsarticle",
    "opinionnewsarticle", "reviewnewsarticle", "backgroundnewsarticle",
    "askpublicnewsarticle", "satiricalarticle", "blogposting", "liveblogposting",
    "socialmediaposting", "techarticle", "report", "scholarlyarticle", "advertisercontentarticle",
})
"""schema.org's Article and its subtypes a news page uses"""
_PAGE_TYPES = frozenset({"webpage", "itempage", "collectionpage", "medicalwebpage"})
_ORGANISATION_TYPES = frozenset({"organization", "newsmediaorganization", "corporation"})
_SCRIPT_JUNK = re.compile(r"^\s*(?://\s*)?<!\[CDATA\[|(?://\s*)?\]\]>\s*$|^\s*<!--|-->\s*$")


@dataclass(frozen=True)
class Author:
    """One author entry as the JSON-LD gives it."""

    name: str
    organisation: bool
    """typed as an Organization (or one of its subtypes), not a Person"""


@dataclass(frozen=True)
class LinkedData:
    """The article object of a page's JSON-LD, reduced to what newsetl keeps."""

    headline: str = ""
    date_published: str = ""
    """as written (ISO 8601 mostly); the first ten characters are the publisher's day"""
    authors: tuple[Author, ...] = ()
    publishers: tuple[str, ...] = ()
    """names of the publisher and of the site (``WebSite``), for telling them from authors"""
    free: bool | None = None
    """``isAccessibleForFree`` of the article or of a part of it; None if not said"""


def read_linked_data(tree: HtmlElement, url: str = "") -> LinkedData:
    """The page's article as its JSON-LD describes it (empty fields where it says nothing)."""
    documents = list(_documents(tree))
    objects = list(_top_level(documents))
    nodes = _nodes_by_id(documents)
    article = _pick_article([o for o in objects if _types(o) & ARTICLE_TYPES], url)
    sites = [_text(o.get("name")) for o in objects if _types(o) & {"website"}]
    if article is None:
        return LinkedData(publishers=tuple(s for s in sites if s))
    publishers = [_name(_resolve(p, nodes)) for p in _as_list(article.get("publisher"))] + sites
    return LinkedData(
        headline=_text(article.get("headline")) or _text(article.get("name")),
        date_published=_text(article.get("datePublished")),
        authors=tuple(a for a in (_author(_resolve(x, nodes)) for x in _as_list(article.get("author")))
                      if a),
        publishers=tuple(dict.fromkeys(p for p in publishers if p)),
        free=_free(article),
    )


def _documents(tree: HtmlElement) -> Iterator[Any]:
    """The parsed content of every ld+json script; broken ones are skipped."""
    for script in tree.iter("script"):
        if "ld+json" not in (script.get("type") or "").lower() or not script.text:
            continue
        text = _SCRIPT_JUNK.sub("", script.text.strip()).strip().rstrip(";")
        try:
            yield json.loads(text, strict=False)
        except ValueError:
            continue


def _top_level(documents: Iterable[Any]) -> Iterator[dict[str, Any]]:
    """Objects at the top of each document: items of lists and of ``@graph``, and the main
    entity of a top-level web page."""
    stack = list(documents)[::-1]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item[::-1])
        elif isinstance(item, dict):
            if isinstance(item.get("@graph"), list | dict):
                stack.extend(_as_list(item["@graph"])[::-1])
            if "@type" in item:
                yield item
                if _types(item) & _PAGE_TYPES:
                    stack.extend(e for e in _as_list(item.get("mainEntity"))
                                 if isinstance(e, dict))


def _nodes_by_id(documents: Iterable[Any]) -> dict[str, dict[str, Any]]:
    """Every object that has an ``@id`` and more, anywhere in the documents: an author given
    as ``{"@id": ...}`` is described elsewhere in the graph."""
    found: dict[str, dict[str, Any]] = {}
    stack = list(documents)
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            key = item.get("@id")
            if isinstance(key, str) and len(item) > 1:
                found.setdefault(key, item)
            stack.extend(v for v in item.values() if isinstance(v, list | dict))
    return found


def _resolve(value: Any, nodes: dict[str, dict[str, Any]]) -> Any:
    """A reference (``{"@id": ...}`` alone) replaced by the object it names."""
    if isinstance(value, dict) and set(value) == {"@id"} and isinstance(value["@id"], str):
        return nodes.get(value["@id"], value)
    return value


def _pick_article(articles: list[dict[str, Any]], url: str) -> dict[str, Any] | None:
    """The article object that describes this page: the one whose URL is the page's, else the
    first with a headline, else the first."""
    if not articles:
        return None
    path = urlsplit(url).path.rstrip("/")
    if path:
        for article in articles:
            for key in ("url", "@id", "mainEntityOfPage"):
                value = article.get(key)
                value = value.get("@id") if isinstance(value, dict) else value
                if isinstance(value, str) and urlsplit(value).path.rstrip("/") == path:
                    return article
    return next((a for a in articles if a.get("headline")), articles[0])


def _types(item: dict[str, Any]) -> set[str]:
    return {t.lower().rsplit("/", 1)[-1] for t in _as_list(item.get("@type")) if isinstance(t, str)}


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _text(value: Any) -> str:
    """A string value with HTML entities decoded (some sites escape them twice)."""
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str)), "")
    if not isinstance(value, str):
        return ""
    if "&" in value:
        value = html.unescape(html.unescape(value))
    return " ".join(value.split())


def _name(value: Any) -> str:
    if isinstance(value, dict):
        return _text(value.get("name")) or " ".join(
            _text(value.get(k)) for k in ("givenName", "familyName") if value.get(k)).strip()
    return _text(value)


def _author(value: Any) -> Author | None:
    name = _name(value)
    if not name:
        return None
    organisation = isinstance(value, dict) and bool(_types(value) & _ORGANISATION_TYPES)
    return Author(name=name, organisation=organisation)


def _free(article: dict[str, Any]) -> bool | None:
    """False if the article, or a part of it, says it is not free to read."""
    values = [article.get("isAccessibleForFree")]
    values += [p.get("isAccessibleForFree") for p in _as_list(article.get("hasPart"))
               if isinstance(p, dict)]
    said = [v for v in (_boolean(v) for v in values) if v is not None]
    if not said:
        return None
    return all(said)


def _boolean(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    return None
