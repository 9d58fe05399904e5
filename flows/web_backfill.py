"""Backfill from the web: URL lists and news sitemaps, fetched through the same seam, archive,
extractors and loads as ingest. Each chunk commits on its own and links already stored are
passed over, so an interrupted backfill run again resumes where it stopped."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence
from pathlib import Path

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from newsetl.extract.daterange import in_range
from newsetl.extract.records import Listing
from newsetl.extract.sitemaps import SitemapEntry, parse_sitemap
from newsetl.extract.urllist import parse_url_list
from newsetl.flows import progress
from newsetl.flows.archive import Archive
from newsetl.flows.batch import Batch
from newsetl.flows.config import FeedSpec
from newsetl.flows.corpus import Corpus
from newsetl.flows.extractors import extractor_versions
from newsetl.flows.fetch import Fetcher
from newsetl.flows.ingest import Wanted, extract_articles, fetch_articles
from newsetl.flows.settings import ConfigError, Settings
from newsetl.flows.ssrf import Guard
from newsetl.flows.store import Load, run_writer, store
from newsetl.flows.summary import RunSummary, backfill_summary, failed_inputs
from newsetl.values import DateSource, ErrorPolicy, Flow, Stage
from newsetl.warehouse.load import stored_links, unique_articles
from newsetl.warehouse.runs import Run, RunError, recorded_run
from newsetl.warehouse.writer import Writer

MAX_SITEMAP_DEPTH = 3
"""sitemap indexes nested deeper than this are not followed"""
_SITEMAP_ACCEPT = "application/xml, text/xml;q=0.9, */*;q=0.5"


def read_url_lists(paths: Sequence[str]) -> tuple[list[str], list[RunError]]:
    """The URLs of URL-list files; bad lines are returned as errors, not raised."""
    urls: list[str] = []
    errors: list[RunError] = []
    for raw in paths:
        path = Path(raw)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise ConfigError(f"URL list {path} cannot be read: {error}") from None
        found, problems = parse_url_list(text, str(path))
        urls.extend(found)
        errors.extend(RunError(Stage.URL_LIST, f"{path}:{p.line}", "BadUrl", str(p))
                      for p in problems)
    return list(dict.fromkeys(urls)), errors


@task(name="read-sitemaps", cache_policy=NO_CACHE)
def read_sitemaps(
    roots: Sequence[str], fetcher: Fetcher, archive: Archive,
    since: dt.date | None, until: dt.date | None, policy: ErrorPolicy = ErrorPolicy.RECORD,
) -> Batch[Wanted]:
    """Fetch sitemaps (following indexes), keep the entries dated within since..until."""
    wanted: dict[str, Wanted] = {}
    batch: Batch[Wanted] = Batch(policy=policy)
    queue = [(url, 0, url) for url in roots]
    seen: set[str] = set()
    while queue:
        url, depth, root = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        sitemap = None
        with batch.attempt(Stage.SITEMAP, url):
            # the listed sitemap's origin is trusted, for its children too; nothing else
            fetched = fetcher.fetch(url, accept=_SITEMAP_ACCEPT, guard=fetcher.trusting([root]))
            archive.keep(fetched)
            sitemap = parse_sitemap(fetched.content, fetched.final_url)
        if sitemap is None:
            continue
        # a malformed <loc> costs its own entry only, recorded
        batch.errors += [RunError(Stage.SITEMAP, loc, "BadUrl",
                                  f"{url}: <loc> {loc!r} left out: {why}")
                         for loc, why in sitemap.rejected]
        if sitemap.kind == "index":
            if depth >= MAX_SITEMAP_DEPTH:
                batch.errors.append(RunError(Stage.SITEMAP, url, "TooDeep",
                                             f"{url}: index nested deeper than {MAX_SITEMAP_DEPTH}"))
                continue
            lastmods = sitemap.sitemap_lastmods or (None,) * len(sitemap.sitemaps)
            for child, lastmod in zip(sitemap.sitemaps, lastmods, strict=True):
                # a child last changed before --since holds nothing newer
                if not (since and lastmod and lastmod.date() < since):
                    queue.append((child, depth + 1, root))
            continue
        for item in sitemap.entries:
            with batch.attempt(Stage.SITEMAP, item.loc):
                day = item.news_publication_date or item.lastmod
                if day is None or in_range(day.date(), since, until):
                    # the sitemap's host is trusted by the SSRF guard, as a listed feed's is
                    wanted.setdefault(item.loc, Wanted(item.loc, (), _listing(item),
                                                       feeds=(FeedSpec(url),)))
    batch.items = list(wanted.values())
    return batch


def _listing(item: SitemapEntry) -> Listing:
    """What a sitemap entry says of its page: a news publication date counts as the
    publisher's own (with its offset), a lastmod as an update time."""
    return Listing(DateSource.SITEMAP, published_at=item.news_publication_date,
                   updated_at=item.lastmod, title=item.news_title or "")


@flow(name="backfill-web", validate_parameters=False, log_prints=False)
def web_backfill_flow(
    url_lists: list[str],
    sitemaps: list[str],
    settings: Settings,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> RunSummary:
    """Fetch the pages of URL lists and sitemaps into the corpus and the warehouse."""
    started = time.monotonic()
    urls, errors = read_url_lists(url_lists)
    params = {"url_lists": url_lists, "sitemaps": sitemaps, "since": since, "until": until,
              "db": settings.db, "corpus": settings.corpus}
    totals = {"new": 0, "updated": 0, "unchanged": 0, "skipped": 0, "failed": 0}
    with run_writer(settings, Flow.BACKFILL) as writer, \
            recorded_run(writer, Flow.BACKFILL, params) as run:
        run.counts = totals
        with Fetcher(settings) as fetcher, Archive(settings) as archive:
            # URLs the user listed are trusted themselves
            wanted = [Wanted(url, (), feeds=(FeedSpec(url),)) for url in urls]
            if sitemaps:
                found = read_sitemaps(sitemaps, fetcher, archive, since, until,
                                      settings.error_policy)
                wanted += found.items
                errors += found.errors
            with writer.session() as warehouse:
                done = stored_links(warehouse, [w.link for w in wanted])
            todo = list({w.link: w for w in wanted if w.link not in done}.values())
            totals["unchanged"] += len({w.link for w in wanted}) - len(todo)
            progress.report("articles", 0, len(todo))
            corpus = Corpus(settings.corpus)
            size = max(settings.chunk_size, 1)
            for start in range(0, len(todo), size):
                _chunk(writer, run, corpus, todo[start:start + size], fetcher, archive,
                       errors, totals, since, until)
                errors = []
            if errors:
                store(writer, run, Load(errors=errors))
                totals["failed"] += failed_inputs(errors)
            archive.completed()
        summary = backfill_summary(run.id, totals, run.errors, time.monotonic() - started,
                                   False)
        run.counts, run.extractors = summary.counts(), extractor_versions()
    return summary


def _chunk(
    writer: Writer, run: Run, corpus: Corpus, chunk: list[Wanted], fetcher: Fetcher,
    archive: Archive, errors: list[RunError], totals: dict[str, int],
    since: dt.date | None, until: dt.date | None,
) -> None:
    """Fetch, extract and attribute one chunk of links, and store it in one transaction."""
    policy = fetcher.settings.error_policy
    guard = Guard.allowing(fetcher.settings.allow_hosts)
    pages = fetch_articles(chunk, fetcher, archive, guard, policy)
    extracted = extract_articles(pages.items, fetcher.settings, policy)
    articles = [article for _, article, _ in extracted.items]
    kept = unique_articles(a for a in articles if in_range(a.published_date, since, until))
    totals["skipped"] += len(articles) - len(kept)
    found = {a.article_id: f for _, a, f in extracted.items if f is not None}
    failed = errors + pages.errors + extracted.errors
    counts = store(writer, run, Load(kept, None, found, errors=failed), corpus)
    totals["new"] += counts.new
    totals["updated"] += counts.updated
    totals["unchanged"] += counts.unchanged
    totals["failed"] += failed_inputs(failed)
