"""Ingest and backfill throughput on a generated news site served from 127.0.0.1.

    python -m bench.ingest [--articles 400] [--feeds 4] [--json]
    python -m bench.ingest --targets [--kills 20] [--only rss,workers,...] [--json]

Prints measured numbers: the engine's start-up, a first ingest (every page fetched, extracted,
normalised, quotes found, written, archived and loaded), a second ingest (nothing changed),
the raw archive's size, a backfill from that archive into a new warehouse (no network), and a
backfill of the corpus the first ingest wrote. No network beyond the loopback server it starts.
"""

from __future__ import annotations

import argparse
import http.server
import json
import os
import random
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

_WORDS = (
    "council minister harbour budget river vote plan workers strike price rain bridge school "
    "report said would after before official data week year city government new people local "
    "court police health water energy transport housing election market company union"
).split()


def _paragraph(rng: random.Random) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(25, 60))]
    words[0] = words[0].capitalize()
    if rng.random() < 0.4:
        return f"\u201c{' '.join(words)},\u201d said Ana Ruiz."
    return " ".join(words) + "."


def build_site(root: Path, articles: int, feeds: int, seed: int = 7) -> None:
    """Write ``feeds`` RSS files and ``articles`` pages (with chrome) under ``root``."""
    rng = random.Random(seed)
    (root / "a").mkdir(parents=True)
    items: list[list[str]] = [[] for _ in range(feeds)]
    for n in range(articles):
        title = f"Story {n}: " + " ".join(rng.choice(_WORDS) for _ in range(6))
        body = "".join(f"<p>{_paragraph(rng)}</p>" for _ in range(rng.randint(6, 14)))
        (root / "a" / f"{n}.html").write_text(
            f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
            f'<link rel="canonical" href="https://bench.example/a/{n}"></head><body>'
            '<header><nav><a href="/">Home</a> <a href="/news">News</a></nav></header>'
            f"<main><article><h1>{title}</h1>{body}</article>"
            '<aside><h2>Most read</h2><ul><li><a href="/x">Other</a></li></ul></aside></main>'
            "<footer><p>Copyright Bench Times.</p></footer></body></html>",
            encoding="utf-8",
        )
        day = 1 + n % 28
        items[n % feeds].append(
            f"<item><title>{title}</title><link>/a/{n}.html</link><guid>b-{n}</guid>"
            f"<pubDate>Mon, {day:02d} Jan 2024 10:00:00 +0000</pubDate></item>"
        )
    for f, entries in enumerate(items):
        (root / f"feed{f}.xml").write_text(
            '<?xml version="1.0"?><rss version="2.0"><channel><title>Bench</title>'
            f"<link>/</link>{''.join(entries)}</channel></rss>", encoding="utf-8")


def serve(root: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """A threaded static file server on 127.0.0.1 (any free port)."""
    handler = type("Quiet", (http.server.SimpleHTTPRequestHandler,), {
        "log_message": lambda *a: None,
        "extensions_map": {".xml": "application/rss+xml", ".html": "text/html; charset=utf-8"},
    })
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), lambda *a: handler(*a, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.ingest",
                                     description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--articles", type=int, default=400)
    parser.add_argument("--feeds", type=int, default=4)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--targets", action="store_true",
                        help="measure the streaming targets instead (bench/stream.py)")
    parser.add_argument("--kills", type=int, default=20,
                        help="with --targets: kill -9 trials (0: none)")
    parser.add_argument("--only", default="", metavar="NAME,...",
                        help="with --targets: only these of rss, workers, dask, sql, "
                             "notebook, kills, backfill")
    args = parser.parse_args(argv)
    if args.targets:
        from bench.stream import targets

        return targets(args.kills, args.json, args.only)

    work = Path(tempfile.mkdtemp(prefix="newsetl-bench-"))
    os.environ.setdefault("PREFECT_HOME", str(work / "prefect"))
    from newsetl.flows.settings import Settings, configure_prefect

    configure_prefect(work, verbose=False)
    import logging

    logging.getLogger("prefect").setLevel(logging.CRITICAL)
    from newsetl.flows.backfill import backfill_flow
    from newsetl.flows.config import FeedSpec
    from newsetl.flows.ingest import run_ingest

    site = work / "site"
    build_site(site, args.articles, args.feeds)
    server, base = serve(site)
    # one loopback host: the per-host delay (1 s by default) would measure our politeness,
    # not our speed
    settings = Settings(db=str(work / "news.duckdb"), corpus=str(work / "corpus"),
                        archive=str(work / "archive"), robots_cache=str(work / "robots"),
                        host_delay=0.0, per_host=8)
    feeds = [FeedSpec(f"{base}/feed{f}.xml") for f in range(args.feeds)]
    try:
        started = time.perf_counter()
        run_ingest([], Settings(db=str(work / "warmup.duckdb"), corpus=str(work / "warm"),
                                archive=str(work / "warm-archive")))
        engine = time.perf_counter() - started

        started = time.perf_counter()
        first = run_ingest(feeds, settings)
        first_s = time.perf_counter() - started
        started = time.perf_counter()
        second = run_ingest(feeds, settings)
        second_s = time.perf_counter() - started

        archive_bytes = sum(p.stat().st_size for p in (work / "archive").glob("*.warc.gz"))
        started = time.perf_counter()
        from_warc = backfill_flow([str(work / "archive")],
                                  Settings(db=str(work / "from-warc.duckdb")))
        warc_s = time.perf_counter() - started

        files = sorted((work / "corpus").glob("*.txt"))
        words = sum(len(f.read_text(encoding="utf-8").split()) for f in files)
        started = time.perf_counter()
        back = backfill_flow([str(work / "corpus")],
                             Settings(db=str(work / "backfill.duckdb")))
        back_s = time.perf_counter() - started
    finally:
        server.shutdown()
        shutil.rmtree(work, ignore_errors=True)

    result = {
        "articles": args.articles,
        "feeds": args.feeds,
        "engine_start_s": round(engine, 2),
        "ingest_new": first.articles_new,
        "ingest_s": round(first_s, 2),
        "ingest_articles_per_s": round(first.articles_new / first_s, 1),
        "reingest_new": second.articles_new,
        "reingest_feeds_not_modified": second.feeds_not_modified,
        "reingest_s": round(second_s, 2),
        "archive_bytes": archive_bytes,
        "archive_bytes_per_article": round(archive_bytes / first.articles_new),
        "warc_backfill_new": from_warc.articles_new,
        "warc_backfill_s": round(warc_s, 2),
        "warc_backfill_articles_per_s": round(from_warc.articles_new / warc_s, 1),
        "backfill_new": back.articles_new,
        "backfill_s": round(back_s, 2),
        "backfill_files_per_s": round(back.articles_new / back_s, 1),
        "corpus_words": words,
    }
    if args.json:
        print(json.dumps(result))
    else:
        width = max(map(len, result))
        for key, value in result.items():
            print(f"{key:<{width}}  {value}")
    ok = first.articles_new == args.articles and second.articles_new == 0
    ok = ok and second.feeds_not_modified == args.feeds
    ok = ok and from_warc.articles_new == args.articles
    return 0 if ok and back.articles_new == args.articles else 1


if __name__ == "__main__":
    sys.exit(main())
