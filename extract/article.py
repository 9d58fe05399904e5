"""Article text and metadata from an HTML page, through trafilatura.

The page is parsed once. trafilatura finds the main text, favouring precision; when that text
is short and a balanced reading finds far more, the balanced text is taken (precision mode
sometimes keeps a notice and drops the article). ``gate.rejection`` decides whether the text
is an article; ``metadata.read_metadata`` picks title, authors and date (JSON-LD first).
"""

from __future__ import annotations

import codecs
import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from lxml.html import HtmlElement
from trafilatura import bare_extraction
from trafilatura.settings import Document
from trafilatura.utils import load_html

from newsetl.errors import NewsetlError
from newsetl.extract.dated import normalize_paragraph, normalize_text
from newsetl.extract.gate import rejection
from newsetl.extract.jsonld import read_linked_data
from newsetl.extract.links import drop_link_paragraphs, read_link_texts
from newsetl.extract.metadata import read_metadata, read_tags
from newsetl.extract.words import count_words

# these options scored best on the article-extraction benchmark (STACK.md); the metadata is
# read by metadata.py, so trafilatura extracts the text alone
_OPTIONS: dict[str, Any] = {"include_comments": False, "with_metadata": False}
RETRY_BELOW_WORDS = 200
"""a precision text shorter than this is checked against a balanced reading of the page"""
RETRY_GAIN = 2
"""the balanced text is taken when it has at least this many times the words"""
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.I)
_HTML_LANG = re.compile(rb"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)?)", re.I)
EXTRACTOR_VERSION = "newsetl-article-2/trafilatura-2.3/precision+balanced-retry/no-comments"


class NoArticleText(NewsetlError):
    """The page holds no article text that could be extracted."""

    def __init__(self, url: str, detail: str = "no main text found") -> None:
        self.url = url
        super().__init__(f"page {url} has no article text: {detail}")


@dataclass(frozen=True)
class PageArticle:
    """What one HTML page says about its article: normalised paragraphs and metadata."""

    url: str
    """the page URL as fetched"""
    canonical_url: str
    """the page's own canonical URL (link rel=canonical, og:url), else the fetched URL"""
    title: str
    authors: tuple[str, ...]
    language: str | None
    date: dt.date | None
    """the publication date from the page's metadata, if it has one"""
    description: str
    site_name: str
    """the outlet's name as the page gives it (og:site_name, the JSON-LD publisher)"""
    paragraphs: tuple[str, ...]
    title_source: str | None = None
    """where each field came from: 'json-ld', 'meta', 'html' or 'htmldate' (dates)"""
    authors_source: str | None = None
    date_source: str | None = None


def decode_html(body: bytes, declared: str | None = None) -> str:
    """An HTML page's text, decoded as browsers do (HTML5): a byte-order mark; bytes that are
    valid UTF-8 as UTF-8 (unless a label says UTF-16 or UTF-32), whatever an 8-bit label says;
    then the HTTP charset, then a <meta> charset, each only if the bytes decode with it; else
    windows-1252 (what an undeclared Western page almost always is)."""
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"),
                       (b"\xfe\xff", "utf-16-be")):
        if body.startswith(bom):
            return body[len(bom):].decode(codec, "replace")
    meta = _META_CHARSET.search(body[:4096])
    labels = [_codec(declared), _codec(meta.group(1).decode("ascii", "ignore") if meta else None)]
    # text in a legacy charset is practically never valid UTF-8, while a UTF-8 page with a
    # stale label (iso-8859-1, gb2312) is common: valid UTF-8 wins over any 8-bit label
    if not any(label and label.startswith(("utf_16", "utf_32")) for label in labels):
        try:
            return body.decode("utf-8")
        except UnicodeDecodeError:
            pass
    for codec in labels:
        if codec:
            try:
                return body.decode(codec)
            except UnicodeDecodeError:
                continue
    return body.decode("cp1252", "replace")


def charset_of(headers: dict[str, str]) -> str | None:
    """The charset parameter of a response's Content-Type (lower-case header names), if any."""
    for part in headers.get("content-type", "").split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            return value.strip().strip("\"'")
    return None


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    # HTML5: a page labelled Latin-1 or ASCII is read as windows-1252
    if label in ("iso-8859-1", "latin1", "latin-1", "us-ascii", "ascii", "l1"):
        return "cp1252"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def extract_article(html: bytes | str, url: str, charset: str | None = None) -> PageArticle:
    """Extract the main text and metadata of a news page; raise NoArticleText if there is none.

    Bytes are decoded with ``decode_html`` (``charset``: the HTTP header's, if any)."""
    if isinstance(html, bytes):
        html = decode_html(html, charset)
    tree = load_html(html)
    if tree is None:
        raise NoArticleText(url, "not an HTML document")
    paragraphs = _main_text(tree, url)
    ld = read_linked_data(tree, url)
    tags = read_tags(tree)
    meta = read_metadata(tree, ld, tags, url)
    # trafilatura keeps the headline as the first line of the text; the format holds body only
    headlines = {normalize_paragraph(t) for t in (meta.title, ld.headline, tags.heading,
                                                  tags.meta.get("og:title", ""))}
    while paragraphs and paragraphs[0] in headlines:
        paragraphs.pop(0)
    paragraphs, link_words = drop_link_paragraphs(paragraphs, read_link_texts(tree))
    reason = rejection(paragraphs, link_words=link_words,
                       headings=(meta.title, tags.title_tag, tags.heading),
                       locked=ld.free is False or tags.locked)
    if reason is not None:
        raise NoArticleText(url, reason)
    return PageArticle(
        url=url,
        canonical_url=meta.canonical_url,
        title=meta.title,
        authors=meta.authors,
        language=_language(html),
        date=meta.date,
        description=meta.description,
        site_name=meta.site_name,
        paragraphs=tuple(paragraphs),
        title_source=meta.title_source,
        authors_source=meta.authors_source,
        date_source=meta.date_source,
    )


def _main_text(tree: HtmlElement, url: str) -> list[str]:
    """The page's main text as normalised paragraphs: the precision reading, or the balanced
    one (``choose_reading``)."""
    doc = _extract(tree, url, precision=True)
    if doc is None or not (doc.text or "").strip():
        raise NoArticleText(url)
    precise = list(normalize_text(doc.text or ""))
    if sum(count_words(p) for p in precise) >= RETRY_BELOW_WORDS:
        return precise
    balanced = _extract(tree, url, precision=False)
    return choose_reading(precise, list(normalize_text(balanced.text or "")) if balanced else [])


def choose_reading(precise: list[str], balanced: list[str]) -> list[str]:
    """The precision reading, unless it is short (under RETRY_BELOW_WORDS words) and the
    balanced reading has RETRY_GAIN times its words: then precision mode kept a notice or a
    caption and dropped the article."""
    words = sum(count_words(p) for p in precise)
    if words < RETRY_BELOW_WORDS and sum(count_words(p) for p in balanced) >= RETRY_GAIN * words:
        return balanced
    return precise


def _extract(tree: HtmlElement, url: str, precision: bool) -> Document | None:
    """One trafilatura pass over the parsed page (it works on a copy of the tree)."""
    try:
        doc = bare_extraction(tree, url=url, favor_precision=precision, **_OPTIONS)
    except (ValueError, TypeError) as error:  # trafilatura raises on some broken inputs
        if precision:
            raise NoArticleText(url, f"{type(error).__name__}: {error}") from None
        return None
    # a dict only with as_dict=True, which _OPTIONS does not ask for
    return doc if isinstance(doc, Document) else None


def _language(html: bytes | str) -> str | None:
    """The page's declared language (``<html lang>``)."""
    head = html[:8192] if isinstance(html, bytes) else html[:8192].encode("utf-8", "replace")
    match = _HTML_LANG.search(head)
    return match.group(1).decode("ascii").replace("_", "-").lower() if match else None
