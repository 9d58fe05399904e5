"""The backfill flow: load dated text files and WARC archives into the warehouse.

Each batch commits on its own, and what an earlier backfill loaded is passed over, so an
interrupted backfill run again resumes where it stopped.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from newsetl.extract.dated import parse_dated, read_dated_content
from newsetl.extract.daterange import in_range
from newsetl.extract.records import Article, article_from_dated
from newsetl.flows import progress
from newsetl.flows.batch import Batch
from newsetl.flows.extractors import extractor_versions, find_attributions, needing_extraction
from newsetl.flows.settings import ConfigError, Settings
from newsetl.flows.store import Load, run_writer, store
from newsetl.flows.summary import RunSummary, backfill_summary, failed_inputs
from newsetl.flows.warc_source import is_warc, read_warc
from newsetl.values import ErrorPolicy, Flow, Stage
from newsetl.warehouse.load import archive_location, classify, loaded_offsets, unique_articles
from newsetl.warehouse.runs import recorded_run
from newsetl.warehouse.writer import Writer

FILES_PER_CHUNK = 5
"""dated files are read in chunks of this many times ``chunk_size`` (they are small)"""


def find_files(paths: Iterable[str | Path]) -> list[Path]:
    """The files named: files as given; folders searched recursively for dated ``*.txt``
    files and ``*.warc`` / ``*.warc.gz`` archives (hidden files and folders left out)."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(
                p for p in sorted(path.rglob("*"))
                if p.is_file() and (p.suffix == ".txt" or is_warc(p))
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        elif path.is_file():
            found.append(path)
        else:
            raise ConfigError(f"{path} does not exist; name dated .txt files, WARC files, "
                              "or folders of them")
    return list(dict.fromkeys(found))


@task(name="read-dated-files", cache_policy=NO_CACHE)
def read_files(paths: Sequence[Path], policy: ErrorPolicy = ErrorPolicy.RECORD
               ) -> Batch[Article]:
    """Read and check a chunk of dated files; a bad file is recorded and skipped."""
    batch: Batch[Article] = Batch(policy=policy)
    for path in paths:
        with batch.attempt(Stage.FILE, str(path)):
            content = read_dated_content(path)
            doc = parse_dated(content, str(path))
            batch.items.append(article_from_dated(path.name, str(path), doc, content))
        progress.report("files", 1)
    return batch


@flow(name="backfill", validate_parameters=False, log_prints=False)
def backfill_flow(
    paths: list[str],
    settings: Settings,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> RunSummary:
    """Load dated files and WARC archives; only articles dated within since..until. Each
    batch is committed on its own; the warehouse is opened only while it is."""
    started = time.monotonic()
    files = find_files(paths)
    params = {"paths": paths, "db": settings.db, "since": since, "until": until}
    totals = {"new": 0, "updated": 0, "unchanged": 0, "skipped": 0, "failed": 0}
    with run_writer(settings, Flow.BACKFILL) as writer, \
            recorded_run(writer, Flow.BACKFILL, params) as run:
        run.counts = totals
        progress.report("files", 0, len(files))
        for batch in _batches(writer, files, settings):
            kept = [(a, found) for a, found in batch.items
                    if in_range(a.published_date, since, until)]
            totals["skipped"] += len(batch.items) - len(kept)
            articles = unique_articles(a for a, _ in kept)
            with writer.session() as warehouse:
                changes = classify(warehouse, articles)
            found = {a.article_id: f for a, f in kept if f is not None}
            # dated files are attributed here, once the stored ones are passed over
            todo = [a for a in needing_extraction(articles, changes) if a.article_id not in found]
            progress.expect("quotes", len(todo))
            more = find_attributions(todo, settings)
            found.update(more.items)
            counts = store(writer, run, Load(articles, changes, found,
                                             errors=batch.errors + more.errors))
            totals["new"] += counts.new
            totals["updated"] += counts.updated
            totals["unchanged"] += counts.unchanged
            totals["failed"] += failed_inputs(batch.errors)
        summary = backfill_summary(run.id, totals, run.errors, time.monotonic() - started,
                                   True)
        run.counts, run.extractors = summary.counts(), extractor_versions()
    return summary


def _batches(writer: Writer, files: Sequence[Path], settings: Settings
             ) -> Iterator[Batch[tuple[Article, Any]]]:
    """Batches of articles (with their attributions where they were made already): dated
    files in chunks, the next one read while this one is stored, then each WARC file's
    records."""
    policy = settings.error_policy
    dated = [f for f in files if not is_warc(f)]
    size = max(settings.chunk_size, 1) * FILES_PER_CHUNK
    chunks = [dated[i:i + size] for i in range(0, len(dated), size)]
    ahead = read_files.submit(chunks[0], policy) if chunks else None
    for n in range(len(chunks)):
        assert ahead is not None
        batch = ahead.result()
        # one chunk read ahead, never more: memory follows the chunk, not the backfill
        ahead = read_files.submit(chunks[n + 1], policy) if n + 1 < len(chunks) else None
        yield Batch([(article, None) for article in batch.items], batch.errors, policy)
    root = Path(settings.archive)
    for path in (f for f in files if is_warc(f)):
        location = archive_location(path, root)
        with writer.session() as warehouse:
            skip = loaded_offsets(warehouse, location)
        yield from read_warc(path, location, skip, settings.chunk_size, policy, settings)
        progress.report("files", 1)
