"""Read the two page corpora of ``shared/data``: the article-extraction benchmark (pages and
gold bodies) and news-pages (pages, their language and hand-checked expected metadata).

Both are third-party data, read where they lie and never copied (their READMEs give source
and licence).
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


class DataMissing(Exception):
    """A corpus folder, or the index file inside it, is not where it was expected."""


@dataclass(frozen=True)
class BenchmarkPage:
    """One page of the article-extraction benchmark with its annotated body."""

    page_id: str
    url: str
    html: bytes
    body: str


@dataclass(frozen=True)
class NewsPage:
    """One news-pages page with what its publisher's parser says it holds."""

    name: str
    """``<group>/<Publisher>``"""
    language: str
    url: str
    html: bytes
    title: str
    body: str
    """the summary, then each section's headline and paragraphs, joined by blank lines: the
    article's text with its subheadings, as an extractor gives it"""
    date: str
    """the publication day, ``YYYY-MM-DD``, as the expected record gives it"""
    authors: tuple[str, ...]
    """empty where the publisher's parser has no authors"""


def read_benchmark(folder: Path) -> Iterator[BenchmarkPage]:
    """The benchmark's pages in id order; DataMissing if the folder is not the benchmark."""
    truth = folder / "ground-truth.json"
    if not truth.is_file():
        raise DataMissing(f"{folder} has no ground-truth.json (the article-extraction benchmark)")
    gold = json.loads(truth.read_text(encoding="utf-8"))
    for page_id in sorted(gold):
        path = folder / "html" / f"{page_id}.html.gz"
        yield BenchmarkPage(page_id=page_id, url=gold[page_id].get("url", ""),
                            html=gzip.decompress(path.read_bytes()),
                            body=gold[page_id].get("articleBody") or "")


def read_news_pages(folder: Path) -> Iterator[NewsPage]:
    """The news-pages pages in index order; DataMissing if the folder has no index.json."""
    index = folder / "index.json"
    if not index.is_file():
        raise DataMissing(f"{folder} has no index.json (the news-pages corpus)")
    for item in json.loads(index.read_text(encoding="utf-8")):
        expected = json.loads((folder / item["expected"]).read_text(encoding="utf-8"))
        record = expected[item["expected_version"]]
        body = record["body"]
        paragraphs = list(body.get("summary", []))
        for section in body.get("sections", []):
            paragraphs.extend(section.get("headline", []))
            paragraphs.extend(section.get("paragraphs", []))
        yield NewsPage(
            name=f"{item['country']}/{item['publisher']}",
            language=item["language"],
            url=item["url"],
            html=gzip.decompress((folder / item["html"]).read_bytes()),
            title=record["title"],
            body="\n\n".join(paragraphs),
            date=record["publishing_date"][:10],
            authors=tuple(record.get("authors", ())),
        )
