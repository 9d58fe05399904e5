"""Score newsetl's article step against bare trafilatura, in the same run, on real pages.

    python -m bench.articles --benchmark DIR --news-pages DIR [--json] [--rounds N]
        [--predictions FILE]

``--benchmark``: the article-extraction benchmark (181 pages, annotated bodies): body
precision, recall and F1 (4-token shingles, as upstream scores it) and pages per second.
``--news-pages``: 124 real pages in 30 languages with hand-checked metadata: body F1, the
publication day, the title (exact, after white space is collapsed), the authors (the same set;
overlap: mean Jaccard), pages rejected, and all of it per language. A news-pages body is its
summary, then each section's subheading and paragraphs; it is compared in NFC on both sides
(some pages are written decomposed; newsetl's format is NFC). The benchmark is scored exactly
as upstream scores it, without normalisation.

Both extractors get the page's bytes and its URL. newsetl is ``extract_article`` (text and
metadata, as ingest calls it); bare trafilatura is one ``bare_extraction`` call with
metadata, comments excluded and precision favoured (the settings newsetl started from).
Each page is extracted by both, one after the other (the order alternates), so a busy machine
slows both alike; ``--rounds N`` keeps each page's fastest of N runs.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from bench.pages import BenchmarkPage, DataMissing, NewsPage, read_benchmark, read_news_pages
from bench.shingles import DocScore, score_corpus, score_text

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
EXTRACTORS = ("newsetl", "trafilatura")


@dataclass(frozen=True)
class Output:
    """What one extractor made of one page; ``rejected`` when it found no article."""

    text: str = ""
    title: str = ""
    authors: tuple[str, ...] = ()
    date: str = ""
    date_source: str = ""
    rejected: str = ""
    """why the page gave no article ('' when it gave one)"""


def run_newsetl(html: bytes, url: str) -> Output:
    """newsetl's article step, as ingest runs it."""
    from newsetl.extract.article import NoArticleText, extract_article

    try:
        page = extract_article(html, url)
    except NoArticleText as error:
        return Output(rejected=str(error))
    return Output(
        text="\n\n".join(page.paragraphs), title=page.title, authors=page.authors,
        date=page.date.isoformat() if page.date else "",
        date_source=getattr(page, "date_source", "") or "",
    )


def run_trafilatura(html: bytes, url: str) -> Output:
    """One bare trafilatura call: text and metadata, no comments, precision favoured."""
    from trafilatura import bare_extraction

    try:
        doc = bare_extraction(html, url=url, include_comments=False, favor_precision=True,
                              with_metadata=True)
    except (ValueError, TypeError) as error:
        return Output(rejected=f"{type(error).__name__}: {error}")
    if doc is None or isinstance(doc, dict) or not (doc.text or "").strip():
        return Output(rejected="no main text")
    authors = tuple(a.strip() for a in (doc.author or "").split(";") if a.strip())
    return Output(text=doc.text or "", title=doc.title or "", authors=authors,
                  date=(doc.date or "")[:10])


RUNNERS: dict[str, Callable[[bytes, str], Output]] = {
    "newsetl": run_newsetl, "trafilatura": run_trafilatura,
}


def extract_all(pages: Sequence[BenchmarkPage | NewsPage], rounds: int = 1
                ) -> tuple[dict[str, list[Output]], dict[str, float]]:
    """Every page through both extractors; the outputs and each one's seconds (per page, the
    fastest of ``rounds`` runs)."""
    outputs: dict[str, list[Output]] = {name: [] for name in EXTRACTORS}
    seconds: dict[str, float] = dict.fromkeys(EXTRACTORS, 0.0)
    for n, page in enumerate(pages):
        order = EXTRACTORS if n % 2 == 0 else EXTRACTORS[::-1]
        for name in order:
            best, out = float("inf"), Output(rejected="not run")
            for _ in range(max(rounds, 1)):
                started = time.perf_counter()
                out = RUNNERS[name](page.html, page.url)
                best = min(best, time.perf_counter() - started)
            outputs[name].append(out)
            seconds[name] += best
    return outputs, seconds


def _nfc(text: str) -> str:
    """Text in NFC: some pages are written decomposed (u + combining diaeresis), which the
    benchmark's tokens (``\\w+``) would split, so both sides are composed first."""
    return unicodedata.normalize("NFC", text)


def _same(text: str) -> str:
    """A metadata string compared as written: NFC, white space collapsed, nothing folded."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def score_benchmark(pages: Sequence[BenchmarkPage], rounds: int = 1) -> dict[str, Any]:
    """Body P/R/F1 and pages per second of both extractors on the benchmark."""
    outputs, seconds = extract_all(pages, rounds)
    result: dict[str, Any] = {"pages": len(pages)}
    for name in EXTRACTORS:
        scores = [score_text(p.body, o.text) for p, o in zip(pages, outputs[name], strict=True)]
        corpus = score_corpus(scores)
        result[name] = {
            "precision": round(corpus.precision, 4), "recall": round(corpus.recall, 4),
            "f1": round(corpus.f1, 4), "rejected": sum(1 for o in outputs[name] if o.rejected),
            "seconds": round(seconds[name], 2), "pages_per_s": round(len(pages) / seconds[name], 1),
        }
    result["speed_ratio"] = round(seconds["trafilatura"] / seconds["newsetl"], 3)
    result["_outputs"] = outputs
    return result


def _metadata(pages: Sequence[NewsPage], outputs: Sequence[Output]) -> dict[str, Any]:
    """Body F1 and metadata agreement of one extractor over some news pages."""
    scores: list[DocScore] = [score_text(_nfc(p.body), _nfc(o.text))
                              for p, o in zip(pages, outputs, strict=True)]
    with_authors = [(p, o) for p, o in zip(pages, outputs, strict=True) if p.authors]
    equal, overlap = 0, 0.0
    for page, out in with_authors:
        gold = {_same(a) for a in page.authors}
        found = {_same(a) for a in out.authors}
        equal += gold == found
        overlap += len(gold & found) / len(gold | found)
    n = len(pages)
    return {
        "pages": n,
        "body_f1": round(score_corpus(scores).f1, 4),
        "date": round(sum(p.date == o.date for p, o in zip(pages, outputs, strict=True)) / n, 4),
        "title": round(sum(_same(p.title) == _same(o.title)
                           for p, o in zip(pages, outputs, strict=True)) / n, 4),
        "authors_equal": round(equal / len(with_authors), 4) if with_authors else None,
        "authors_overlap": round(overlap / len(with_authors), 4) if with_authors else None,
        "authors_pages": len(with_authors),
        "rejected": sum(1 for o in outputs if o.rejected),
    }


def score_news_pages(pages: Sequence[NewsPage], rounds: int = 1) -> dict[str, Any]:
    """Body F1, date, title, authors and rejections of both extractors, overall and per
    language."""
    outputs, seconds = extract_all(pages, rounds)
    result: dict[str, Any] = {"pages": len(pages)}
    for name in EXTRACTORS:
        result[name] = _metadata(pages, outputs[name])
        result[name]["pages_per_s"] = round(len(pages) / seconds[name], 1)
        result[name]["rejected_pages"] = [p.name for p, o in zip(pages, outputs[name], strict=True)
                                          if o.rejected]
    by_language: dict[str, list[int]] = defaultdict(list)
    for i, page in enumerate(pages):
        by_language[page.language].append(i)
    result["languages"] = {
        lang: {name: _metadata([pages[i] for i in idx], [outputs[name][i] for i in idx])
               for name in EXTRACTORS}
        for lang, idx in sorted(by_language.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    }
    result["_outputs"] = outputs
    return result


def _cell(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _pair(row: dict[str, Any], key: str, digits: int = 3) -> str:
    a, b = row["newsetl"][key], row["trafilatura"][key]
    if isinstance(a, int) and not isinstance(a, bool) and key == "rejected":
        return f"{a} / {b}"
    return f"{_cell(a)} / {_cell(b)}"


def format_report(result: dict[str, Any]) -> str:
    """The human-readable tables: newsetl / bare trafilatura side by side."""
    lines: list[str] = []
    bench = result.get("benchmark")
    if isinstance(bench, dict):
        lines.append(f"article-extraction benchmark ({bench['pages']} pages)")
        lines.append(f"  {'':<12}{'P':>8}{'R':>8}{'F1':>8}{'rejected':>10}{'pages/s':>10}")
        for name in EXTRACTORS:
            r = bench[name]
            lines.append(f"  {name:<12}{r['precision']:>8.3f}{r['recall']:>8.3f}{r['f1']:>8.3f}"
                         f"{r['rejected']:>10}{r['pages_per_s']:>10.1f}")
        lines.append(f"  newsetl speed / trafilatura speed: {bench['speed_ratio']:.2f}")
    elif bench:
        lines.append(f"article-extraction benchmark: {bench}")
    news = result.get("news_pages")
    if isinstance(news, dict):
        lines.append("")
        lines.append(f"news-pages ({news['pages']} pages), newsetl / trafilatura")
        head = (f"  {'':<10}{'n':>4}  {'body F1':>15}  {'date':>15}  {'title':>15}  "
                f"{'authors equal':>15}  {'authors overlap':>15}  {'rejected':>9}")
        lines.append(head)
        rows = [("all", {name: news[name] for name in EXTRACTORS})]
        rows += list(news["languages"].items())
        for label, row in rows:
            lines.append(
                f"  {label:<10}{row['newsetl']['pages']:>4}  {_pair(row, 'body_f1'):>15}  "
                f"{_pair(row, 'date'):>15}  {_pair(row, 'title'):>15}  "
                f"{_pair(row, 'authors_equal'):>15}  {_pair(row, 'authors_overlap'):>15}  "
                f"{_pair(row, 'rejected'):>9}")
        for name in EXTRACTORS:
            rejected = news[name]["rejected_pages"]
            lines.append(f"  {name} rejected: {', '.join(rejected) if rejected else 'none'}")
    elif news:
        lines.append(f"news-pages: {news}")
    return "\n".join(lines)


def _write_predictions(path: Path, result: dict[str, Any],
                       benchmark: Sequence[BenchmarkPage], news: Sequence[NewsPage]) -> None:
    """One JSON line per page and extractor: what each extracted, beside the gold values."""
    with path.open("w", encoding="utf-8") as f:
        for corpus, pages in (("benchmark", benchmark), ("news_pages", news)):
            part = result.get(corpus)
            if not isinstance(part, dict):
                continue
            for i, page in enumerate(pages):
                row: dict[str, Any] = {"corpus": corpus,
                                       "page": page.name if isinstance(page, NewsPage)
                                       else page.page_id}
                if isinstance(page, NewsPage):
                    row["gold"] = {"title": page.title, "date": page.date,
                                   "authors": list(page.authors), "language": page.language}
                for name in EXTRACTORS:
                    out = part["_outputs"][name][i]
                    gold, text = page.body, out.text
                    if isinstance(page, NewsPage):
                        gold, text = _nfc(gold), _nfc(text)
                    row[name] = {**asdict(out), "body_f1": _doc_f1(score_text(gold, text))}
                f.write(json.dumps(row, ensure_ascii=False) + "\n")


def _doc_f1(score: DocScore) -> float:
    p, r = score.precision or 0.0, score.recall or 0.0
    return round(2 * p * r / (p + r), 4) if p + r else 0.0


def main(argv: Sequence[str] | None = None) -> int:
    """Run what data is present; a corpus that is absent is skipped with a message."""
    parser = argparse.ArgumentParser(prog="python -m bench.articles", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--benchmark", type=Path, default=DATA / "article-extraction-benchmark",
                        help="the article-extraction benchmark folder (with ground-truth.json)")
    parser.add_argument("--news-pages", type=Path, default=DATA / "news-pages",
                        help="the news-pages folder (with index.json)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--rounds", type=int, default=1,
                        help="extract each page N times and keep the fastest (timing only)")
    parser.add_argument("--predictions", type=Path,
                        help="write one JSON line per page: both extractors' output and the gold")
    args = parser.parse_args(argv)
    result: dict[str, Any] = {}
    pages: dict[str, list[Any]] = {"benchmark": [], "news_pages": []}
    corpora = (("benchmark", "benchmark", args.benchmark, read_benchmark, score_benchmark),
               ("news_pages", "news-pages", args.news_pages, read_news_pages, score_news_pages))
    for key, label, folder, read, score in corpora:
        try:
            pages[key] = list(read(folder))
        except DataMissing as error:
            result[key] = f"skipped: {error}"
            print(f"{label} skipped: {error}", file=sys.stderr)
            continue
        result[key] = score(pages[key], args.rounds)
    if args.predictions:
        _write_predictions(args.predictions, result, pages["benchmark"], pages["news_pages"])
    for part in result.values():
        if isinstance(part, dict):
            part.pop("_outputs", None)
    print(json.dumps(result, ensure_ascii=False) if args.json else format_report(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
