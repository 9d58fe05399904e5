"""The backfill flow: load dated text files and WARC archives into the warehouse.

Each batch commits on its own, and what an earlier backfill loaded is passed over, so an
interrupted backfill run again resumes where it stopped.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from newsetl.extract.dated import parse_dated, read_dated_content
from newsetl.extract.daterange import in_range
from newsetl.extract.errors import DatedFormatError
from newsetl.extract.records import Article, article_from_dated
from newsetl.flows import progress
from newsetl.flows.extractors import extractor_versions, find_attributions, needing_extraction
from newsetl.flows.settings import ConfigError, Settings
from newsetl.flows.summary import RunSummary, backfill_summary
from newsetl.flows.warc_source import is_warc, read_warc
from newsetl.warehouse import Warehouse
from newsetl.warehouse.derived import store_attributions
from newsetl.warehouse.load import load_articles, loaded_offsets, unique_articles
from newsetl.warehouse.runs import RunError, finish_run, record_errors, recorded_run


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
def read_files(paths: Sequence[Path]) -> tuple[list[Article], list[RunError]]:
    """Read and check a chunk of dated files; a bad file is recorded and skipped."""
    articles, errors = [], []
    for path in paths:
        try:
            content = read_dated_content(path)
            doc = parse_dated(content, str(path))
            articles.append(article_from_dated(path.name, str(path), doc, content))
        except DatedFormatError as error:
            errors.append(RunError("file", str(path), type(error).__name__, str(error)))
        except OSError as error:
            errors.append(RunError("file", str(path), type(error).__name__,
                                   f"{path}: cannot be read: {error.strerror or error}"))
        progress.report("files", 1)
    return articles, errors


@task(name="load", cache_policy=NO_CACHE)
def load(
    warehouse: Warehouse,
    run_id: str,
    articles: Sequence[Article],
    errors: Sequence[RunError],
    found: dict[str, tuple[list, list]],
) -> tuple[int, int, int]:
    """Load a batch of articles with their quotes and claims, and its errors, in one
    transaction."""
    warehouse.con.begin()
    try:
        counts = load_articles(warehouse, articles, run_id)
        store_attributions(warehouse, found, extractor_versions(), run_id)
        record_errors(warehouse, run_id, errors)
        warehouse.con.commit()
    except BaseException:
        warehouse.con.rollback()
        raise
    return counts.new, counts.updated, counts.unchanged


@flow(name="backfill", validate_parameters=False, log_prints=False)
def backfill_flow(
    paths: list[str],
    settings: Settings,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> RunSummary:
    """Load dated files and WARC archives; only articles dated within since..until."""
    started = time.monotonic()
    files = find_files(paths)
    params = {"paths": paths, "db": settings.db, "since": since, "until": until}
    totals = {"new": 0, "updated": 0, "unchanged": 0, "skipped": 0, "failed": 0}
    with Warehouse.open(settings.db, lock_timeout=settings.lock_timeout) as warehouse:
        with recorded_run(warehouse, "backfill", params, totals) as run_id:
            progress.report("files", 0, len(files))
            for articles, errors in _batches(warehouse, files, settings):
                kept = [a for a in articles if in_range(a.published_date, since, until)]
                totals["skipped"] += len(articles) - len(kept)
                kept = unique_articles(kept)
                found = find_attributions(needing_extraction(warehouse, kept))
                new, updated, unchanged = load(warehouse, run_id, kept, errors, found)
                totals["new"] += new
                totals["updated"] += updated
                totals["unchanged"] += unchanged
                totals["failed"] += len(errors)
        summary = backfill_summary(run_id, totals, time.monotonic() - started, True)
        finish_run(warehouse, run_id, summary.status, summary.counts(), summary.errors,
                   extractor_versions())
        return summary


def _batches(
    warehouse: Warehouse, files: Sequence[Path], settings: Settings
) -> Iterator[tuple[list[Article], list[RunError]]]:
    """(articles, errors) batches: dated files in chunks, then each WARC file's records."""
    dated = [f for f in files if not is_warc(f)]
    size = max(settings.chunk_size, 1) * 5
    for future in read_files.map([dated[i:i + size] for i in range(0, len(dated), size)]):
        yield future.result()
    for path in (f for f in files if is_warc(f)):
        done = loaded_offsets(warehouse, str(path.resolve()))
        for batch in read_warc(path, done, settings.chunk_size, settings):
            yield batch.articles, batch.errors
        progress.report("files", 1)

