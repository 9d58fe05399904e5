"""Article text and metadata from an HTML page, through trafilatura."""

from __future__ import annotations

import codecs
import datetime as dt
import re
from dataclasses import dataclass

from trafilatura import bare_extraction

from newsetl.errors import NewsetlError
from newsetl.extract.dated import normalize_paragraph, normalize_text

# these options scored best on the article-extraction benchmark (STACK.md); dates only from
# the page's markup and metadata: htmldate's extensive search takes copyright lines for dates
_OPTIONS = {
    "include_comments": False,
    "favor_precision": True,
    "with_metadata": True,
    "date_extraction_params": {"extensive_search": False, "original_date": True},
}
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.I)
_HTML_LANG = re.compile(rb"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)?)", re.I)
EXTRACTOR_VERSION = "trafilatura-2.3/precision/no-comments"
MIN_WORDS = 15
"""fewer words than this is a menu, a teaser or an error page, not an article"""


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
    sitename: str
    paragraphs: tuple[str, ...]


def decode_html(body: bytes, declared: str | None = None) -> str:
    """An HTML page's text, decoded as browsers do (HTML5): a byte-order mark, then the HTTP
    charset, then a <meta> charset, each only if the bytes decode with it; else UTF-8 if they
    decode cleanly, else windows-1252 (what an undeclared Western page almost always is)."""
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"),
                       (b"\xfe\xff", "utf-16-be")):
        if body.startswith(bom):
            return body[len(bom):].decode(codec, "replace")
    meta = _META_CHARSET.search(body[:4096])
    for label in (declared, meta.group(1).decode("ascii", "ignore") if meta else None, "utf-8"):
        codec = _codec(label)
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


def extract_article(html: bytes | str, url: str, min_words: int = MIN_WORDS,
                    charset: str | None = None) -> PageArticle:
    """Extract the main text and metadata of a news page; raise NoArticleText if there is none.

    Bytes are decoded with ``decode_html`` (``charset``: the HTTP header's, if any)."""
    if isinstance(html, bytes):
        html = decode_html(html, charset)
    try:
        doc = bare_extraction(html, url=url, **_OPTIONS)
    except (ValueError, TypeError) as error:  # trafilatura raises on some broken inputs
        raise NoArticleText(url, f"{type(error).__name__}: {error}") from None
    # a dict only with as_dict=True, which _OPTIONS does not ask for
    if doc is None or isinstance(doc, dict) or not (doc.text or "").strip():
        raise NoArticleText(url)
    title = normalize_paragraph(doc.title or "")
    paragraphs = list(normalize_text(doc.text or ""))
    # trafilatura keeps the headline as the first line of the text; the format holds body only
    while paragraphs and title and paragraphs[0] == title:
        paragraphs.pop(0)
    words = sum(len(p.split()) for p in paragraphs)
    if words < min_words:
        raise NoArticleText(url, f"only {words} words of text, fewer than {min_words}")
    return PageArticle(
        url=url,
        canonical_url=(doc.url or url).strip(),
        title=title,
        authors=_authors(doc.author),
        language=_language(doc.language, html),
        date=_date(doc.date),
        description=normalize_paragraph(doc.description or ""),
        sitename=normalize_paragraph(doc.sitename or ""),
        paragraphs=tuple(paragraphs),
    )


def _authors(text: str | None) -> tuple[str, ...]:
    names = (normalize_paragraph(name) for name in (text or "").split(";"))
    return tuple(dict.fromkeys(name for name in names if name))


def _language(detected: str | None, html: bytes | str) -> str | None:
    if detected:
        return detected.lower()
    head = html[:8192] if isinstance(html, bytes) else html[:8192].encode("utf-8", "replace")
    match = _HTML_LANG.search(head)
    return match.group(1).decode("ascii").replace("_", "-").lower() if match else None


def _date(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None
