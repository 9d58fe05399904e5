"""What ``newsetl extract`` reads: dated files, HTML files and URLs, each turned into dated-format
content (the text extractor offsets point into). URLs go through the fetch seam, with its
politeness, robots.txt and SSRF guard, exactly as ingest fetches pages; pages are extracted
within the same bounds (``extract_timeout``, a worker's memory, ``max_text_chars``)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from newsetl.extract.article import charset_of
from newsetl.extract.dated import parse_dated, read_dated_content
from newsetl.extract.records import Article
from newsetl.flows.extraction import PageJob, process_pages
from newsetl.flows.fetch import Fetcher
from newsetl.flows.settings import ConfigError, Settings
from newsetl.flows.ssrf import Guard

PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
"""the Accept header of a page fetch, as ingest sends it"""
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
_URL = re.compile(r"^https?://", re.I)


@dataclass(frozen=True)
class Input:
    """One thing to extract from: its name as given, its dated content, and the article
    record when it came from a page (None for a dated file)."""

    label: str
    content: str
    article: Article | None = None
    note: str | None = None
    """what to tell of the page besides its quotes and claims (its text was cut)"""


def kind_of(name: str, html: bool) -> str:
    """'url', 'html' or 'dated': how ``name`` is read."""
    if _URL.match(name):
        return "url"
    return "html" if html or name.lower().endswith(HTML_SUFFIXES) else "dated"


def read_inputs(names: Sequence[str], html: bool, settings: Settings) -> list[Input]:
    """Each of ``names`` as dated content; raise the first error (a missing file, a page
    without article text, a refused or failed fetch)."""
    found = []
    fetcher: Fetcher | None = None
    try:
        for name in names:
            kind = kind_of(name, html)
            if kind == "url":
                fetcher = fetcher or Fetcher(settings)
                found.append(_from_url(name, fetcher, settings))
                continue
            path = Path(name)
            if not path.is_file():
                raise ConfigError(f"{name} does not exist or is not a file")
            if kind == "html":
                fetched_at = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC)
                found.append(_from_page(name, path.read_bytes(), path.resolve().as_uri(),
                                        fetched_at, None, settings))
            else:
                content = read_dated_content(name)
                parse_dated(content, name)
                found.append(Input(name, content))
    finally:
        if fetcher is not None:
            fetcher.close()
    return found


def _from_url(url: str, fetcher: Fetcher, settings: Settings) -> Input:
    # the user named this URL, so its host is trusted; redirects to other internal hosts
    # are not, and robots.txt is obeyed as for any page
    guard = Guard.allowing(settings.allow_hosts).with_hosts([url])
    fetched = fetcher.fetch(url, accept=PAGE_ACCEPT, guard=guard)
    return _from_page(url, fetched.content, fetched.final_url, fetched.fetched_at,
                      charset_of(fetched.headers), settings)


def _from_page(label: str, content: bytes, url: str, fetched_at: dt.datetime,
               charset: str | None, settings: Settings) -> Input:
    # as ingest does: a page that would keep trafilatura busy for hours is stopped
    [done] = process_pages([PageJob(content, url, fetched_at, charset=charset,
                                    attribute=False)], settings)
    if done.error is not None:
        raise done.error
    assert done.article is not None  # an article or its error
    return Input(label, done.article.content, done.article, str(done.cut) if done.cut else None)
