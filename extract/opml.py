"""OPML 2.0 feed lists, the format every feed reader imports and exports: read and write.

Folders (outlines without ``xmlUrl``) and the ``category`` attribute become tags; written
back, the first tag is the folder and every tag is in ``category``, so a list survives the
round trip. Pure: bytes in, records out.
"""

from __future__ import annotations

import datetime as dt
import email.utils
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from lxml import etree

from newsetl.errors import NewsetlError


class OpmlError(NewsetlError):
    """A file is not a readable OPML document."""


@dataclass(frozen=True)
class OpmlFeed:
    """One feed outline: its URL, name, site and tags."""

    url: str
    name: str | None = None
    site_url: str | None = None
    tags: tuple[str, ...] = ()


def parse_opml(data: bytes, source: str = "<opml>") -> list[OpmlFeed]:
    """Every feed outline (one with ``xmlUrl``) of an OPML 1.0 or 2.0 document, in order."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                             load_dtd=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise OpmlError(f"{source} is not well-formed XML: {error}") from None
    if root is None or etree.QName(root).localname != "opml":
        raise OpmlError(f"{source} is not OPML: its root element is not <opml>")
    body = next((c for c in root if isinstance(c.tag, str)
                 and etree.QName(c).localname == "body"), None)
    if body is None:
        raise OpmlError(f"{source} is not OPML: it has no <body>")
    found: list[OpmlFeed] = []
    _walk(body, (), found)
    return found


def _walk(parent: etree._Element, folders: tuple[str, ...], found: list[OpmlFeed]) -> None:
    for outline in parent:
        if not isinstance(outline.tag, str) or etree.QName(outline).localname != "outline":
            continue
        name = (outline.get("title") or outline.get("text") or "").strip() or None
        url = (outline.get("xmlUrl") or outline.get("xmlurl") or "").strip()
        if not url:
            _walk(outline, folders + ((name,) if name else ()), found)
            continue
        tags = list(folders) + _categories(outline.get("category") or "")
        found.append(OpmlFeed(url=url, name=name,
                              site_url=(outline.get("htmlUrl") or "").strip() or None,
                              tags=tuple(dict.fromkeys(t for t in tags if t))))


def _categories(value: str) -> list[str]:
    # OPML 2.0: comma-separated, slash-delimited category paths ("/news/world,/tech")
    return [part.strip() for path in value.split(",") for part in path.split("/")
            if part.strip()]


def render_opml(feeds: Sequence[OpmlFeed], title: str, created: dt.datetime) -> bytes:
    """An OPML 2.0 document of ``feeds``, in folders named by each feed's first tag."""
    root = etree.Element("opml", version="2.0")
    head = etree.SubElement(root, "head")
    etree.SubElement(head, "title").text = title
    etree.SubElement(head, "dateCreated").text = email.utils.format_datetime(created)
    etree.SubElement(head, "docs").text = "https://opml.org/spec2.opml"
    body = etree.SubElement(root, "body")
    folders: dict[str, etree._Element] = {}
    for feed in feeds:
        parent = body
        if feed.tags:
            if feed.tags[0] not in folders:
                folders[feed.tags[0]] = etree.SubElement(body, "outline", text=feed.tags[0])
            parent = folders[feed.tags[0]]
        attributes = {"type": "rss", "text": feed.name or feed.url}
        if feed.name:
            attributes["title"] = feed.name
        attributes["xmlUrl"] = feed.url
        if feed.site_url:
            attributes["htmlUrl"] = feed.site_url
        if feed.tags:
            attributes["category"] = ",".join(f"/{t}" for t in feed.tags)
        etree.SubElement(parent, "outline", attributes)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def feeds_toml(feeds: Iterable[OpmlFeed]) -> str:
    """``[[feeds]]`` tables for a feeds.toml, one per feed."""
    blocks = []
    for feed in feeds:
        lines = ["[[feeds]]", f"url = {_toml_string(feed.url)}"]
        if feed.name:
            lines.append(f"name = {_toml_string(feed.name)}")
        if feed.tags:
            lines.append("tags = [" + ", ".join(_toml_string(t) for t in feed.tags) + "]")
        blocks.append("\n".join(lines) + "\n")
    return "\n".join(blocks)


def _toml_string(text: str) -> str:
    """A TOML basic string: quotes, backslashes and control characters escaped."""
    out = []
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'
