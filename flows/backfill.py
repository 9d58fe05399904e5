"""The backfill flow: load folders (or lists) of dated text files into the warehouse."""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from pathlib import Path

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from extract.dated import parse_dated, read_dated_content
from extract.errors import DatedFormatError
from extract.records import Article, article_from_dated
from flows import progress
from flows.settings import ConfigError, Settings
from flows.summary import RunSummary
from warehouse import Warehouse
from warehouse.load import load_articles, unique_articles
from warehouse.runs import RunError, finish_run, record_errors, start_run


def find_files(paths: Iterable[str | Path]) -> list[Path]:
    """The dated files named: files as given, folders searched for ``*.txt`` recursively."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(
                p for p in sorted(path.rglob("*.txt"))
                if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        elif path.is_file():
            found.append(path)
        else:
            raise ConfigError(f"{path} does not exist; name dated .txt files or folders of them")
    return list(dict.fromkeys(found))


@task(name="read-dated-files", cache_policy=NO_CACHE)
def read_files(paths: Sequence[Path]) -> tuple[list[Article], list[RunError]]:
    """Read and check a chunk of dated files; a bad file is recorded and skipped."""
    articles, errors = [], []
    for path in paths:
        try:
            content = read_dated_content(path)
            articles.append(article_from_dated(path.name, str(path), parse_dated(content, str(path)),
                                               content))
        except DatedFormatError as error:
            errors.append(RunError("file", str(path), type(error).__name__, str(error)))
        except OSError as error:
            errors.append(RunError("file", str(path), type(error).__name__,
                                   f"{path}: cannot be read: {error.strerror or error}"))
        progress.report("files", 1)
    return articles, errors


@task(name="load", cache_policy=NO_CACHE)
def load(
    warehouse: Warehouse, run_id: str, articles: Sequence[Article], errors: Sequence[RunError]
) -> tuple[int, int, int]:
    """Load a batch of articles and the run's errors in one transaction."""
    warehouse.con.begin()
    try:
        counts = load_articles(warehouse, unique_articles(articles), run_id)
        record_errors(warehouse, run_id, errors)
        warehouse.con.commit()
    except BaseException:
        warehouse.con.rollback()
        raise
    return counts.new, counts.updated, counts.unchanged


@flow(name="backfill", validate_parameters=False, log_prints=False)
def backfill_flow(paths: list[str], settings: Settings) -> RunSummary:
    """Load dated text files into the warehouse; ids come from their NNN_<id>.txt names."""
    started = time.monotonic()
    files = find_files(paths)
    with Warehouse.open(settings.db, lock_timeout=settings.lock_timeout) as warehouse:
        run_id = start_run(warehouse, "backfill", {"paths": paths, "db": settings.db})
        try:
            progress.report("files", 0, len(files))
            totals = [0, 0, 0]
            errors: list[RunError] = []
            size = max(settings.chunk_size, 1) * 5
            futures = read_files.map([files[i:i + size] for i in range(0, len(files), size)])
            for future in futures:
                articles, chunk_errors = future.result()
                # each chunk commits on its own: an interrupted backfill keeps what it loaded
                counts = load(warehouse, run_id, articles, chunk_errors)
                totals = [t + c for t, c in zip(totals, counts, strict=True)]
                errors.extend(chunk_errors)
        except KeyboardInterrupt:
            finish_run(warehouse, run_id, "interrupted", {}, 0)
            raise
        except BaseException:
            finish_run(warehouse, run_id, "failed", {}, 0)
            raise
        summary = RunSummary(
            run_id=run_id, flow="backfill", status="completed", feeds_ok=0, feeds_failed=0,
            articles_new=totals[0], articles_updated=totals[1], articles_unchanged=totals[2],
            articles_failed=0, files_failed=len(errors), errors=len(errors),
            seconds=time.monotonic() - started,
        )
        finish_run(warehouse, run_id, summary.status, summary.counts(), summary.errors)
        return summary
