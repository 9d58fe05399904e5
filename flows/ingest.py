"""The ingest flow: fetch feeds -> fetch articles -> extract -> normalise -> load.

A task is a batch (one feed, or a chunk of articles), never one article. Retries happen only
around network I/O, inside the fetch seam (flows/fetch.py).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import time
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from prefect import flow, task, unmapped
from prefect.cache_policies import NO_CACHE
from prefect.futures import PrefectFuture
from prefect.task_runners import TaskRunner as PrefectRunner
from prefect.task_runners import ThreadPoolTaskRunner

from newsetl.extract.article import charset_of
from newsetl.extract.feeds import FeedEntry, FeedParseError, ParsedFeed, parse_feed
from newsetl.extract.ids import feed_id
from newsetl.extract.records import Article, Listing
from newsetl.flows import progress
from newsetl.flows.archive import Archive
from newsetl.flows.batch import Batch, isolate, run_error
from newsetl.flows.config import FeedSpec
from newsetl.flows.corpus import Corpus
from newsetl.flows.extraction import PageJob, process_pages
from newsetl.flows.extractors import Attributions, extractor_versions
from newsetl.flows.feed_health import freshness, status_of
from newsetl.flows.fetch import Fetched, Fetcher, FetchError, Validators
from newsetl.flows.settings import Settings
from newsetl.flows.ssrf import Guard
from newsetl.flows.store import Load, run_writer, store
from newsetl.flows.summary import RunSummary, failed_inputs
from newsetl.values import (
    HEALTHY_FEED,
    ErrorPolicy,
    FeedStatus,
    Flow,
    RunStatus,
    SavedBy,
    Stage,
    TaskRunner,
)
from newsetl.warehouse.load import (
    FeedLink,
    FeedRow,
    FeedState,
    StoredEntry,
    feed_states,
    known_entries,
    unique_articles,
)
from newsetl.warehouse.runs import Run, RunError, recorded_run
from newsetl.warehouse.writer import Writer

_FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/feed+json, " \
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
_PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
_MAX_BACKOFF = 86400.0
"""seconds: failures in a row never push a feed's next poll further than a day"""


@dataclass(frozen=True)
class FeedOutcome:
    """A listed feed after its fetch: the parsed document, or why there is none."""

    spec: FeedSpec
    feed: ParsedFeed | None
    error: RunError | None
    status: FeedStatus = FeedStatus.OK
    http_status: int | None = None
    saved_by: SavedBy | None = None
    etag: str | None = None
    last_modified: str | None = None
    body_hash: str | None = None
    wait: float | None = None
    """seconds the server asked us not to poll again before (Cache-Control, Retry-After)"""


@dataclass(frozen=True)
class Wanted:
    """An article link to fetch, with every (feed, entry) of this run that carried it."""

    link: str
    carriers: tuple[tuple[str, FeedEntry], ...]
    listing: Listing | None = None
    """what a list without feed ids (a sitemap) said about the link, if no feed carried it"""

    feeds: tuple[FeedSpec, ...] = ()
    """the listed feeds that carried the link (their hosts are trusted by the SSRF guard)"""

    stored: tuple[tuple[str, str], ...] = ()
    """(article id, text hash) of the stored article the link was fetched for before: a page
    fetched again whose text is unchanged is not attributed again"""

    @property
    def first_listing(self) -> Listing | None:
        """What dates and titles the article: the first feed's entry, else the list's."""
        return Listing.of_entry(self.carriers[0][1]) if self.carriers else self.listing


@dataclass
class Plan:
    """What the feeds ask for: links to fetch, and links already stored to re-link only."""

    wanted: list[Wanted] = field(default_factory=list)
    known_links: list[FeedLink] = field(default_factory=list)
    unchanged_ids: set[str] = field(default_factory=set)


@task(name="fetch-feed", cache_policy=NO_CACHE)
def fetch_feed(
    spec: FeedSpec, fetcher: Fetcher, archive: Archive, state: FeedState | None = None,
    policy: ErrorPolicy = ErrorPolicy.RECORD,
) -> FeedOutcome:
    """Fetch (conditionally), archive and parse one feed; a failure is the outcome, not raised.

    A 304 to If-None-Match / If-Modified-Since, or a body whose hash is the last one's (for
    servers with stale validators), is ``not_modified`` and not parsed again.
    """
    try:
        return _fetch_feed(spec, fetcher, archive, state)
    except Exception as error:  # noqa: BLE001 - any failure of one feed is that feed's
        return FeedOutcome(spec, None, isolate(Stage.FEED, spec.url, error, policy),
                           FeedStatus.ERROR)


def _fetch_feed(spec: FeedSpec, fetcher: Fetcher, archive: Archive,
                state: FeedState | None) -> FeedOutcome:
    validators = None
    if state is not None and (state.etag or state.last_modified):
        validators = Validators(state.etag, state.last_modified)
    try:
        # the user listed this feed: it is read whatever robots.txt says of crawlers
        fetched = fetcher.fetch(spec.url, accept=_FEED_ACCEPT, validators=validators,
                                robots=False, guard=fetcher.guard.for_feeds([spec]))
    except FetchError as error:
        return FeedOutcome(spec, None, run_error(Stage.FEED, spec.url, error), status_of(error),
                           error.status, wait=error.retry_after)
    finally:
        progress.report("feeds", 1)
    kept = {"http_status": fetched.status, "etag": fetched.headers.get("etag"),
            "last_modified": fetched.headers.get("last-modified"),
            "wait": freshness(fetched.headers, fetched.fetched_at)}
    if fetched.status == 304:
        saved_by = SavedBy.ETAG if validators and validators.etag else SavedBy.LAST_MODIFIED
        return FeedOutcome(spec, None, None, FeedStatus.NOT_MODIFIED, saved_by=saved_by,
                           body_hash=state.body_hash if state else None,
                           **{**kept, "etag": kept["etag"] or (state and state.etag),
                              "last_modified": kept["last_modified"]
                              or (state and state.last_modified)})
    archive.keep(fetched)
    digest = hashlib.sha256(fetched.content).hexdigest()
    if state is not None and state.body_hash == digest:
        return FeedOutcome(spec, None, None, FeedStatus.NOT_MODIFIED, saved_by=SavedBy.BODY_HASH,
                           body_hash=digest, **kept)
    try:
        parsed = parse_feed(fetched.content, fetched.final_url, fetched.headers)
    except FeedParseError as error:
        return FeedOutcome(spec, None, run_error(Stage.FEED, spec.url, error),
                           FeedStatus.PARSE_ERROR, body_hash=None, **kept)
    return FeedOutcome(spec, parsed, None, FeedStatus.OK, body_hash=digest, **kept)


@task(name="plan-articles", cache_policy=NO_CACHE)
def plan_articles(
    outcomes: Sequence[FeedOutcome], known: dict[str, list[StoredEntry]], refetch: bool
) -> Plan:
    """Decide which entry links to fetch: new ones, and stored ones whose entry changed.
    ``known``: the stored entries under this run's links (``known_entries``)."""
    plan = Plan()
    carriers: dict[str, list[tuple[str, FeedEntry]]] = {}
    specs: dict[str, list[FeedSpec]] = {}
    stored_as: dict[str, set[tuple[str, str]]] = {}
    for outcome in outcomes:
        if outcome.feed is None:
            continue
        fid = feed_id(outcome.spec.url)
        for entry in outcome.feed.entries:
            stored = known.get(entry.link, [])
            same_feed = [s for s in stored if s.feed_id == fid]
            if stored and not refetch and (not same_feed
                                           or same_feed[0].entry_hash == entry.entry_hash):
                # stored already: this feed (or another) carried it with the same entry
                article = stored[0].article_id
                plan.known_links.append(_link(article, fid, entry))
                plan.unchanged_ids.add(article)
            else:
                carriers.setdefault(entry.link, []).append((fid, entry))
                specs.setdefault(entry.link, []).append(outcome.spec)
                stored_as.setdefault(entry.link, set()).update(
                    (s.article_id, s.content_hash) for s in stored if s.content_hash)
    plan.wanted = [Wanted(link, tuple(c), feeds=tuple(specs[link]),
                          stored=tuple(sorted(stored_as[link])))
                   for link, c in carriers.items()]
    return plan


@task(name="fetch-articles", cache_policy=NO_CACHE)
def fetch_articles(
    chunk: Sequence[Wanted], fetcher: Fetcher, archive: Archive, guard: Guard | None = None,
    policy: ErrorPolicy = ErrorPolicy.RECORD,
) -> Batch[tuple[Wanted, Fetched]]:
    """Fetch and archive the pages of a chunk of links; failures are recorded, not raised.
    A page a cut-off run archived already is read from the archive, not fetched again.

    Links found in feeds go through the SSRF guard, trusting the hosts of the feeds that
    carried them."""
    batch: Batch[tuple[Wanted, Fetched]] = Batch(policy=policy)

    def get(wanted: Wanted) -> Fetched | Exception:
        try:
            kept = archive.archived_page(wanted.link)
            if kept is not None:
                return kept
            link_guard = (guard or fetcher.guard).for_feeds(wanted.feeds)
            return fetcher.fetch(wanted.link, accept=_PAGE_ACCEPT, guard=link_guard)
        except Exception as error:  # noqa: BLE001 - recorded below, in the chunk's order
            return error
        finally:
            progress.report("articles", 1)

    # hosts side by side, each host's links in turn: a slow host holds back its own only
    for wanted, fetched in zip(chunk, fetcher.by_host(chunk, lambda w: w.link, get), strict=True):
        with batch.attempt(Stage.ARTICLE, wanted.link):
            if isinstance(fetched, Exception):
                raise fetched
            if fetched.archived is None:
                location = archive.keep(fetched, page=True)
                if location is not None:
                    fetched = dataclasses.replace(fetched, archived=location)
            batch.items.append((wanted, fetched))
    return batch


Processed = tuple[Wanted, Article, Attributions | None]
"""a page made into its article, with its quotes and claims (None: unchanged, or failed)"""


@task(name="extract-articles", cache_policy=NO_CACHE)
def extract_articles(
    pages: Sequence[tuple[Wanted, Fetched]], settings: Settings,
    policy: ErrorPolicy = ErrorPolicy.RECORD,
) -> Batch[Processed]:
    """The articles of a chunk of fetched pages, with their quotes and claims, made in the
    worker processes: main text and metadata through trafilatura, dated by the entry that
    carried them (else the page, else the fetch). Each page is extracted within
    ``extract_timeout`` and its text cut at ``max_text_chars`` (a cut text loads, and is
    noted); a page whose text is the stored one's is not attributed again."""
    jobs = [PageJob(fetched.content, fetched.final_url, fetched.fetched_at,
                    charset=charset_of(fetched.headers), listing=wanted.first_listing,
                    archived=fetched.archived, stored=wanted.stored)
            for wanted, fetched in pages]
    batch: Batch[Processed] = Batch(policy=policy)
    for (wanted, _), done in zip(pages, process_pages(jobs, settings), strict=True):
        with batch.attempt(Stage.EXTRACT, wanted.link):
            if done.error is not None:
                raise done.error
        if done.article is None:
            continue
        if done.cut is not None:
            batch.errors.append(run_error(Stage.EXTRACT, wanted.link, done.cut))
        with batch.attempt(Stage.ATTRIBUTIONS, done.article.url):
            if done.attribution_error is not None:
                raise done.attribution_error
        batch.items.append((wanted, done.article, done.attributions))
    progress.report("quotes", len(batch.items))
    return batch


def feed_links(extracted: Iterable[Processed]) -> list[FeedLink]:
    """Which feed carried which of the extracted articles, under which entry."""
    return [_link(article.article_id, fid, entry)
            for wanted, article, _ in extracted for fid, entry in wanted.carriers]


@flow(name="ingest", validate_parameters=False, log_prints=False)
def ingest_flow(feeds: list[FeedSpec], settings: Settings, refetch: bool = False,
                due_only: bool = False, feeds_only: bool = False) -> RunSummary:
    """Ingest the listed feeds into the warehouse and the corpus folder, a chunk at a time.

    ``refetch`` fetches every feed and page in full (no conditional GET, no skipping);
    ``due_only`` (scheduled runs) leaves out feeds whose server asked for a later poll;
    ``feeds_only`` checks the feeds (status, health, entries) without fetching articles.
    """
    started = time.monotonic()
    params = {"feeds": [f.url for f in feeds], "refetch": refetch, "feeds_only": feeds_only,
              "db": settings.db, "corpus": settings.corpus}
    with run_writer(settings, Flow.INGEST) as writer, \
            recorded_run(writer, Flow.INGEST, params) as run:
        summary = _ingest(writer, run, feeds, settings, refetch, started, due_only,
                          feeds_only)
        run.counts, run.extractors = summary.counts(), extractor_versions()
    return summary


def _ingest(
    writer: Writer,
    run: Run,
    feeds: list[FeedSpec],
    settings: Settings,
    refetch: bool,
    started: float,
    due_only: bool = False,
    feeds_only: bool = False,
) -> RunSummary:
    with writer.session() as warehouse:
        known_states = feed_states(warehouse, [f.url for f in feeds])
    states = {} if refetch else known_states
    if due_only:
        now = dt.datetime.now(dt.UTC)
        feeds = [f for f in feeds if _due(known_states.get(f.url), now, settings)]
    totals = Totals()
    with Fetcher(settings) as fetcher, Archive(settings) as archive:
        progress.report("feeds", 0, len(feeds))
        outcomes = [f.result() for f in fetch_feed.map(
            feeds, fetcher=fetcher, archive=archive, state=[states.get(f.url) for f in feeds],
            policy=unmapped(settings.error_policy))]
        plan = Plan()
        if not feeds_only:
            with writer.session() as warehouse:
                known = known_entries(warehouse, _entry_links(outcomes))
            plan = plan_articles(outcomes, known, refetch)
        progress.report("articles", 0, len(plan.wanted))
        totals = stream_chunks(writer, run, plan.wanted, fetcher, archive, settings)
        # the feeds close the run: their rows, the links of articles stored before, errors
        feed_errors = [o.error for o in outcomes if o.error]
        store(writer, run, Load(links=plan.known_links, errors=feed_errors, feeds=[
            _feed_row(o, known_states.get(o.spec.url), settings) for o in outcomes]))
        archive.completed()
    unchanged = totals.unchanged + len(plan.unchanged_ids - totals.ids)
    feeds_failed = len(feed_errors)
    return RunSummary(
        run_id=run.id,
        flow=Flow.INGEST,
        status=RunStatus.COMPLETED,
        feeds_ok=len(outcomes) - feeds_failed,
        feeds_failed=feeds_failed,
        articles_new=totals.new,
        articles_updated=totals.updated,
        articles_unchanged=unchanged,
        articles_failed=totals.failed,
        files_failed=0,
        errors=totals.errors + len(feed_errors),
        seconds=time.monotonic() - started,
        feeds_not_modified=sum(1 for o in outcomes if o.status == FeedStatus.NOT_MODIFIED),
    )


@dataclass
class Totals:
    """What the chunks of a run stored so far."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    """pages that gave no article (a cut text is a note on one that did, not a failure)"""
    errors: int = 0
    ids: set[str] = field(default_factory=set)
    """the articles stored by this run: a second link to one is a link, not an article"""

    @property
    def counts(self) -> dict[str, int]:
        return {"articles_new": self.new, "articles_updated": self.updated,
                "articles_unchanged": self.unchanged, "articles_failed": self.failed,
                "errors": self.errors}


def stream_chunks(writer: Writer, run: Run, wanted: list[Wanted], fetcher: Fetcher,
                  archive: Archive, settings: Settings) -> Totals:
    """The chunks of a run, each fetched -> extracted, normalised and attributed -> loaded
    and committed on its own as soon as it is done. The next chunk is fetched while the
    ones before it are processed (on this machine's workers, or a Dask cluster's: the task
    runner of ``chunk_runner``); at most a few chunks are in flight, so memory follows the
    chunk size, not the run."""
    policy = settings.error_policy
    guard = Guard.allowing(settings.allow_hosts)
    corpus = Corpus(settings.corpus)
    totals = Totals()
    in_flight: deque[tuple[Batch[tuple[Wanted, Fetched]], PrefectFuture]] = deque()
    depth = chunks_in_flight(settings)
    work = settings
    if settings.task_runner == TaskRunner.DASK:
        from newsetl.flows.dask import worker_settings

        work = worker_settings(settings)
    if not wanted:
        return totals
    with chunk_runner(settings) as runner:
        for chunk in _chunks(wanted, settings.chunk_size):
            pages = fetch_articles(chunk, fetcher, archive, guard, policy)
            in_flight.append((pages, runner.submit(extract_articles, {
                "pages": pages.items, "settings": work, "policy": policy})))
            if len(in_flight) >= depth:
                _commit(writer, run, corpus, *in_flight.popleft(), totals)
        while in_flight:
            _commit(writer, run, corpus, *in_flight.popleft(), totals)
    return totals


def _commit(writer: Writer, run: Run, corpus: Corpus, pages: Batch[tuple[Wanted, Fetched]],
            future: PrefectFuture, totals: Totals) -> None:
    """Store one chunk, once its pages are processed, in one transaction: its articles with
    their quotes, claims and entities, the feed links and its errors."""
    processed: Batch[Processed] = future.result()
    articles = [a for a in unique_articles(a for _, a, _ in processed.items)
                if a.article_id not in totals.ids]
    errors = pages.errors + processed.errors
    found = {a.article_id: found for _, a, found in processed.items if found is not None}
    counts = store(writer, run, Load(articles=articles, found=found,
                                     links=feed_links(processed.items), errors=errors),
                   corpus)
    totals.ids.update(a.article_id for a in articles)
    totals.new += counts.new
    totals.updated += counts.updated
    totals.unchanged += counts.unchanged
    totals.errors += len(errors)
    totals.failed += failed_inputs(errors)
    run.counts = totals.counts


def _entry_links(outcomes: Sequence[FeedOutcome]) -> list[str]:
    return [e.link for o in outcomes if o.feed is not None for e in o.feed.entries]


def _chunks(items: Sequence, size: int) -> Iterable[list]:
    size = max(size, 1)
    for start in range(0, len(items), size):
        yield list(items[start:start + size])


def _link(article_id: str, fid: str, entry: FeedEntry) -> FeedLink:
    return FeedLink(article_id, fid, entry.guid, entry.link, entry.title, entry.entry_hash)


def _due(state: FeedState | None, now: dt.datetime, settings: Settings) -> bool:
    """Whether a scheduled run polls this feed: not paused, and its next poll has come."""
    if state is None:
        return True
    if settings.max_failures and state.failures >= settings.max_failures:
        return False
    return state.next_poll_at is None or state.next_poll_at <= now


def _backoff(outcome: FeedOutcome, state: FeedState | None, settings: Settings) -> float | None:
    """Seconds before the next poll: what the server asked, and after failures in a row an
    interval doubling with each (at most a day)."""
    wait = outcome.wait or 0.0
    if outcome.status not in HEALTHY_FEED:
        failures = (state.failures if state else 0) + 1
        wait = max(wait, min(settings.interval * 2 ** (failures - 1), _MAX_BACKOFF)) \
            if failures > 1 else wait
    return wait or None


def _feed_row(outcome: FeedOutcome, state: FeedState | None, settings: Settings) -> FeedRow:
    feed = outcome.feed
    now = dt.datetime.now(dt.UTC)
    wait = _backoff(outcome, state, settings)
    return FeedRow(
        feed_id=feed_id(outcome.spec.url),
        url=outcome.spec.url,
        name=outcome.spec.name,
        tags=outcome.spec.tags,
        title=feed.title if feed else None,
        site_url=feed.site_url if feed else None,
        format=feed.version if feed else None,
        status=outcome.status,
        error=outcome.error.message if outcome.error else feed.warning if feed else None,
        entries=len(feed.entries) if feed else None,
        http_status=outcome.http_status,
        etag=outcome.etag,
        last_modified=outcome.last_modified,
        body_hash=outcome.body_hash,
        saved_by=outcome.saved_by,
        next_poll_at=now + dt.timedelta(seconds=wait) if wait else None,
    )


def chunk_runner(settings: Settings) -> PrefectRunner:
    """Where the chunks' pages are processed: threads handing them to this machine's
    worker processes, or the workers of a Dask cluster (prefect-dask)."""
    if settings.task_runner == TaskRunner.DASK:
        from newsetl.flows.dask import dask_runner

        return dask_runner(settings)
    return ThreadPoolTaskRunner(max_workers=chunks_in_flight(settings))


def chunks_in_flight(settings: Settings) -> int:
    """Chunks being processed at once: two keep every worker busy while a chunk is stored
    (a Dask cluster: one more than its workers)."""
    if settings.task_runner == TaskRunner.DASK:
        return max(2, settings.workers + 1)
    return 2


def run_ingest(feeds: list[FeedSpec], settings: Settings, refetch: bool = False,
               feeds_only: bool = False) -> RunSummary:
    """Run the ingest flow with the task runner sized by the settings."""
    runner = ThreadPoolTaskRunner(max_workers=max(settings.concurrency, 1))
    # Prefect types its own runner as unfit here (the future type parameter is invariant)
    flow_run = ingest_flow.with_options(task_runner=runner)  # pyright: ignore[reportArgumentType]
    return flow_run(feeds, settings, refetch, feeds_only=feeds_only)
