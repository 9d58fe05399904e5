"""A small warehouse written without the network or spaCy: three articles over two months,
in two outlets, with quotes and claims at known offsets (for export and report tests)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from newsetl.extract.attribution import Attributions, Claim, EntityRecord, Quote
from newsetl.extract.dated import parse_dated
from newsetl.extract.records import Article, article_from_dated
from newsetl.values import FeedStatus
from newsetl.warehouse import Warehouse
from newsetl.warehouse.derived import store_attributions
from newsetl.warehouse.load import FeedLink, FeedRow, load_articles, load_feed_links, load_feeds

TEXTS = {
    "001_00000000000000a1.txt": (
        "2024-05-06", "https://harbour.example/news/ferry",
        'Mayor Ana Ruiz said the <ferry> would run again. "We owe it to the island," the mayor said.'
        '\n\nOfficials said the repairs cost more than planned.'),
    "002_00000000000000a2.txt": (
        "2024-05-20", "https://harbour.example/news/budget",
        '"The budget is balanced," said Ana Ruiz. Critics claimed that the numbers were wrong.'),
    "003_00000000000000a3.txt": (
        "2024-06-03", "https://ledger.example/city/bridge",
        '"Traffic will ease," said Tom Reyes. Reyes reportedly claimed that the bridge was safe.'),
}
FEEDS = {"harbour": ("https://harbour.example/rss", "Harbour Times", ("world",)),
         "ledger": ("https://ledger.example/atom", "Riverside Ledger", ("city",))}


def _span(content: str, words: str) -> tuple[int, int]:
    start = content.index(words)
    return (start, start + len(words))


def _quote(content: str, words: str, speaker: str, mention: str, cue: str) -> Quote:
    return Quote(text=words, spans=(_span(content, words),), kind="direct", speaker=speaker,
                 speaker_mention=mention, speaker_span=_span(content, mention), cue=cue,
                 cue_span=_span(content, cue), speaker_type="person", confidence=0.95,
                 speaker_entity=0)


def _claim(content: str, words: str, source: str | None, mention: str, kind: str, cue: str,
           hedge: str | None = None, confidence: float = 0.9) -> Claim:
    return Claim(content=words, spans=(_span(content, words),), source=source,
                 source_mention=mention, source_span=_span(content, mention), source_type=kind,
                 cue=cue, cue_span=_span(content, cue), hedge=hedge, negated=False, parent=None,
                 confidence=confidence, source_entity=0 if source else None)


def articles() -> list[Article]:
    """The three articles, with titles and URLs as a fetched page gives them."""
    found = []
    for name, (day, url, body) in TEXTS.items():
        content = f" date {day} " + "\n\n".join(body.split("\n\n")) + "\n\n"
        article = article_from_dated(name, url, parse_dated(content, name), content)
        found.append(dataclasses.replace(article, canonical_url=url, url=url, source_kind="feed",
                                         title=f"Story {name[:3]}"))
    return found


def attributions(found: list[Article]) -> dict[str, Attributions]:
    """Quotes and claims of the three articles, at their offsets, with the entity each
    article names (and the names it goes by there)."""
    a1, a2, a3 = (a.content for a in found)
    ana = (EntityRecord("Ana Ruiz", "person", ("Ana Ruiz", "Mayor Ana Ruiz")),)
    return {
        found[0].article_id: Attributions(
            (_quote(a1, "We owe it to the island,", "Ana Ruiz", "the mayor", "said"),),
            (_claim(a1, "the <ferry> would run again", "Ana Ruiz", "Mayor Ana Ruiz", "person",
                    "said"),
             _claim(a1, "the repairs cost more than planned", None, "Officials", "anonymous",
                    "said")), ana),
        found[1].article_id: Attributions(
            (_quote(a2, "The budget is balanced,", "Ana Ruiz", "Ana Ruiz", "said"),),
            (_claim(a2, "that the numbers were wrong", None, "Critics", "anonymous",
                    "claimed"),), ana[:1]),
        found[2].article_id: Attributions(
            (_quote(a3, "Traffic will ease,", "Tom Reyes", "Tom Reyes", "said"),),
            (_claim(a3, "that the bridge was safe", "Tom Reyes", "Reyes", "person", "claimed",
                    hedge="reportedly"),),
            (EntityRecord("Tom Reyes", "person", ("Reyes", "Tom Reyes")),)),
    }


def add_doubtful_claim(path: Path, confidence: float = 0.3) -> None:
    """Give the second article a claim of Ana Ruiz's of ``confidence`` (by default under the
    threshold: stored, marked in its article, and counted nowhere)."""
    found = articles()
    second = found[1]
    stored = attributions(found)[second.article_id]
    doubtful = _claim(second.content, "the numbers were wrong", "Ana Ruiz", "Ana Ruiz",
                      "person", "claimed", confidence=confidence)
    with Warehouse.open(path) as warehouse, warehouse.transaction():
        store_attributions(warehouse, {second.article_id: dataclasses.replace(
            stored, claims=(*stored.claims, doubtful))}, {"quotes": "t", "claims": "t"},
            "run-doubt")


def write_small_warehouse(path: Path) -> Path:
    """The small warehouse at ``path``."""
    found = articles()
    with Warehouse.open(path) as warehouse:
        load_articles(warehouse, found, "run-small")
        store_attributions(warehouse, attributions(found), {"quotes": "t", "claims": "t"},
                           "run-small")
        rows = [FeedRow(feed_id=key, url=url, name=name, tags=tags, title=name, site_url=None,
                        format="rss20", status=FeedStatus.OK, error=None, entries=2)
                for key, (url, name, tags) in FEEDS.items()]
        load_feeds(warehouse, rows, "run-small")
        links = [FeedLink(a.article_id, "ledger" if "ledger" in a.url else "harbour", a.url,
                          a.url, a.title or "", "h") for a in found]
        load_feed_links(warehouse, links, "run-small")
    return path
