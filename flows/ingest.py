"""The ingest flow: fetch feeds -> fetch articles -> extract -> normalise -> load.

A task is a batch (one feed, or a chunk of articles), never one article. Retries happen only
around network I/O, inside the fetch seam (flows/fetch.py).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from prefect import flow, task, unmapped
from prefect.cache_policies import NO_CACHE
from prefect.task_runners import ThreadPoolTaskRunner

from newsetl.errors import NewsetlError
from newsetl.extract.article import EXTRACTOR_VERSION, NoArticleText, PageArticle, charset_of
from newsetl.extract.feeds import FeedEntry, FeedParseError, ParsedFeed, parse_feed
from newsetl.extract.ids import feed_id
from newsetl.extract.records import Article, article_from_page
from newsetl.flows import progress
from newsetl.flows.archive import Archive
from newsetl.flows.config import FeedSpec
from newsetl.flows.corpus import Corpus
from newsetl.flows.extraction import ExtractionFailed, TextCut, extract_page
from newsetl.flows.extractors import extractor_versions, find_attributions, needing_extraction
from newsetl.flows.feed_health import freshness, status_of
from newsetl.flows.fetch import Fetched, Fetcher, FetchError, Validators
from newsetl.flows.settings import Settings
from newsetl.flows.ssrf import Guard
from newsetl.flows.summary import RunSummary
from newsetl.warehouse import Warehouse
from newsetl.warehouse.derived import store_attributions
from newsetl.warehouse.load import (
    FeedLink,
    FeedRow,
    FeedState,
    feed_states,
    known_entries,
    load_articles,
    load_feed_links,
    load_feeds,
    unique_articles,
)
from newsetl.warehouse.runs import RunError, finish_run, record_errors, run_ending, start_run

_FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/feed+json, " \
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
_PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"


@dataclass(frozen=True)
class FeedOutcome:
    """A listed feed after its fetch: the parsed document, or why there is none."""

    spec: FeedSpec
    feed: ParsedFeed | None
    error: RunError | None
    status: str = "ok"
    """the fetch's status in the taxonomy of flows.feed_health"""
    http_status: int | None = None
    saved_by: str | None = None
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
    entry: FeedEntry | None = None
    """what a list without feed ids (a sitemap) said about the link, if no feed carried it"""

    feeds: tuple[FeedSpec, ...] = ()
    """the listed feeds that carried the link (their hosts are trusted by the SSRF guard)"""

    @property
    def first_entry(self) -> FeedEntry | None:
        """The entry whose date and title count: the first feed's, else the list's."""
        return self.carriers[0][1] if self.carriers else self.entry


@dataclass
class Plan:
    """What the feeds ask for: links to fetch, and links already stored to re-link only."""

    wanted: list[Wanted] = field(default_factory=list)
    known_links: list[FeedLink] = field(default_factory=list)
    unchanged_ids: set[str] = field(default_factory=set)


@task(name="fetch-feed", cache_policy=NO_CACHE)
def fetch_feed(
    spec: FeedSpec, fetcher: Fetcher, archive: Archive, state: FeedState | None = None
) -> FeedOutcome:
    """Fetch (conditionally), archive and parse one feed; a failure is the outcome, not raised.

    A 304 to If-None-Match / If-Modified-Since, or a body whose hash is the last one's (for
    servers with stale validators), is ``not_modified`` and not parsed again.
    """
    validators = None
    if state is not None and (state.etag or state.last_modified):
        validators = Validators(state.etag, state.last_modified)
    try:
        # the user listed this feed: it is read whatever robots.txt says of crawlers
        fetched = fetcher.fetch(spec.url, accept=_FEED_ACCEPT, validators=validators,
                                robots=False, guard=fetcher.guard.for_feeds([spec]))
    except FetchError as error:
        return FeedOutcome(spec, None, _error("feed", spec.url, error), status_of(error),
                           error.status, wait=error.retry_after)
    finally:
        progress.report("feeds", 1)
    kept = {"http_status": fetched.status, "etag": fetched.headers.get("etag"),
            "last_modified": fetched.headers.get("last-modified"),
            "wait": freshness(fetched.headers, fetched.fetched_at)}
    if fetched.status == 304:
        saved_by = "etag" if validators and validators.etag else "last_modified"
        return FeedOutcome(spec, None, None, "not_modified", saved_by=saved_by,
                           body_hash=state.body_hash if state else None,
                           **{**kept, "etag": kept["etag"] or (state and state.etag),
                              "last_modified": kept["last_modified"]
                              or (state and state.last_modified)})
    archive.keep(fetched)
    digest = hashlib.sha256(fetched.content).hexdigest()
    if state is not None and state.body_hash == digest:
        return FeedOutcome(spec, None, None, "not_modified", saved_by="body_hash",
                           body_hash=digest, **kept)
    try:
        parsed = parse_feed(fetched.content, fetched.final_url, fetched.headers)
    except FeedParseError as error:
        return FeedOutcome(spec, None, _error("feed", spec.url, error), "parse_error",
                           body_hash=None, **kept)
    return FeedOutcome(spec, parsed, None, "ok", body_hash=digest, **kept)


@task(name="plan-articles", cache_policy=NO_CACHE)
def plan_articles(
    outcomes: Sequence[FeedOutcome], known: dict[str, list[tuple[str, str, str]]], refetch: bool
) -> Plan:
    """Decide which entry links to fetch: new ones, and stored ones whose entry changed."""
    plan = Plan()
    carriers: dict[str, list[tuple[str, FeedEntry]]] = {}
    specs: dict[str, list[FeedSpec]] = {}
    for outcome in outcomes:
        if outcome.feed is None:
            continue
        fid = feed_id(outcome.spec.url)
        for entry in outcome.feed.entries:
            stored = known.get(entry.link, [])
            same_feed = [s for s in stored if s[0] == fid]
            if stored and not refetch and (not same_feed or same_feed[0][1] == entry.entry_hash):
                # stored already: this feed (or another) carried it with the same entry
                article = stored[0][2]
                plan.known_links.append(_link(article, fid, entry))
                plan.unchanged_ids.add(article)
            else:
                carriers.setdefault(entry.link, []).append((fid, entry))
                specs.setdefault(entry.link, []).append(outcome.spec)
    plan.wanted = [Wanted(link, tuple(c), feeds=tuple(specs[link]))
                   for link, c in carriers.items()]
    return plan


@task(name="fetch-articles", cache_policy=NO_CACHE)
def fetch_articles(
    chunk: Sequence[Wanted], fetcher: Fetcher, archive: Archive, guard: Guard | None = None
) -> tuple[list[tuple[Wanted, Fetched]], list[RunError]]:
    """Fetch and archive the pages of a chunk of links; failures are recorded, not raised.

    Links found in feeds go through the SSRF guard, trusting the hosts of the feeds that
    carried them."""
    pages, errors = [], []

    def get(wanted: Wanted) -> Fetched | FetchError:
        try:
            link_guard = (guard or fetcher.guard).for_feeds(wanted.feeds)
            return fetcher.fetch(wanted.link, accept=_PAGE_ACCEPT, guard=link_guard)
        except FetchError as error:
            return error
        finally:
            progress.report("articles", 1)

    # hosts side by side, each host's links in turn: a slow host holds back its own only
    for wanted, fetched in zip(chunk, fetcher.by_host(chunk, lambda w: w.link, get), strict=True):
        if isinstance(fetched, FetchError):
            errors.append(_error("article", wanted.link, fetched))
            continue
        location = archive.keep(fetched)
        if location is not None:
            fetched = dataclasses.replace(fetched, archived=location)
        pages.append((wanted, fetched))
    return pages, errors


@task(name="extract-articles", cache_policy=NO_CACHE)
def extract_articles(
    pages: Sequence[tuple[Wanted, Fetched]], settings: Settings,
) -> tuple[list[tuple[Wanted, Fetched, PageArticle]], list[RunError]]:
    """Run trafilatura over a chunk of pages: main text and metadata, each page within the
    extraction time limit and text cap (a cut text loads, and is recorded)."""
    extracted, errors = [], []
    for wanted, fetched in pages:
        try:
            page, cut = extract_page(fetched.content, fetched.final_url, settings,
                                     charset=charset_of(fetched.headers))
            extracted.append((wanted, fetched, page))
            if cut is not None:
                errors.append(_error("extract", wanted.link, cut))
        except (NoArticleText, ExtractionFailed) as error:
            errors.append(_error("extract", wanted.link, error))
    return extracted, errors


@task(name="normalise-articles", cache_policy=NO_CACHE)
def normalise_articles(
    extracted: Sequence[tuple[Wanted, Fetched, PageArticle]],
) -> tuple[list[Article], list[FeedLink]]:
    """Build dated-format articles (feed date first, else the page's) and their feed links."""
    articles, links = [], []
    for wanted, fetched, page in extracted:
        entry = wanted.first_entry
        article = article_from_page(page, entry, fetched.fetched_at, EXTRACTOR_VERSION)
        if fetched.archived is not None:
            article = dataclasses.replace(
                article, warc_file=fetched.archived.file, warc_offset=fetched.archived.offset,
                warc_length=fetched.archived.length,
            )
        articles.append(article)
        links.extend(_link(article.article_id, fid, e) for fid, e in wanted.carriers)
    return articles, links


@task(name="load", cache_policy=NO_CACHE)
def load(
    warehouse: Warehouse,
    corpus: Corpus,
    run_id: str,
    articles: Sequence[Article],
    links: Sequence[FeedLink],
    feeds: Sequence[FeedRow],
    errors: Sequence[RunError],
    found: dict[str, tuple[list, list]],
) -> tuple[int, int, int]:
    """Write the corpus files, then load articles with their quotes and claims, links, feeds
    and errors in one transaction."""
    names = corpus.write(articles)
    warehouse.con.begin()
    try:
        counts = load_articles(warehouse, articles, run_id, names)
        store_attributions(warehouse, found, extractor_versions(), run_id)
        load_feed_links(warehouse, links, run_id)
        load_feeds(warehouse, feeds, run_id)
        record_errors(warehouse, run_id, errors)
        warehouse.con.commit()
    except BaseException:
        warehouse.con.rollback()
        raise
    return counts.new, counts.updated, counts.unchanged


@flow(name="ingest", validate_parameters=False, log_prints=False)
def ingest_flow(feeds: list[FeedSpec], settings: Settings, refetch: bool = False,
                due_only: bool = False, feeds_only: bool = False) -> RunSummary:
    """Ingest the listed feeds into the warehouse and the corpus folder.

    ``refetch`` fetches every feed and page in full (no conditional GET, no skipping);
    ``due_only`` (scheduled runs) leaves out feeds whose server asked for a later poll;
    ``feeds_only`` checks the feeds (status, health, entries) without fetching articles.
    """
    started = time.monotonic()
    params = {"feeds": [f.url for f in feeds], "refetch": refetch, "feeds_only": feeds_only,
              "db": settings.db,
              "corpus": settings.corpus}
    with Warehouse.open(settings.db, lock_timeout=settings.lock_timeout) as warehouse:
        run_id = start_run(warehouse, "ingest", params)
        try:
            summary = _ingest(warehouse, run_id, feeds, settings, refetch, started, due_only,
                              feeds_only)
        except BaseException as error:  # Ctrl-C or a signal: interrupted; else failed
            finish_run(warehouse, run_id, run_ending(error), {}, 0,
                       error=str(error) or type(error).__name__)
            raise
        finish_run(warehouse, run_id, summary.status, summary.counts(), summary.errors,
                   extractor_versions())
        return summary


def _ingest(
    warehouse: Warehouse,
    run_id: str,
    feeds: list[FeedSpec],
    settings: Settings,
    refetch: bool,
    started: float,
    due_only: bool = False,
    feeds_only: bool = False,
) -> RunSummary:
    known_states = feed_states(warehouse)
    states = {} if refetch else known_states
    if due_only:
        now = dt.datetime.now(dt.UTC)
        feeds = [f for f in feeds if _due(known_states.get(f.url), now, settings)]
    with Fetcher(settings) as fetcher, Archive(settings) as archive:
        progress.report("feeds", 0, len(feeds))
        outcomes = [f.result() for f in fetch_feed.map(
            feeds, fetcher=fetcher, archive=archive, state=[states.get(f.url) for f in feeds])]
        plan = plan_articles(outcomes, known_entries(warehouse), refetch)
        if feeds_only:
            plan = Plan()
        progress.report("articles", 0, len(plan.wanted))
        chunks = list(_chunks(plan.wanted, settings.chunk_size))
        guard = Guard.allowing(settings.allow_hosts)
        fetched = [f.result() for f in
                   fetch_articles.map(chunks, fetcher=fetcher, archive=archive, guard=guard)]
    extracted = [f.result() for f in extract_articles.map([pages for pages, _ in fetched],
                                                          settings=unmapped(settings))]
    articles, links = normalise_articles([item for items, _ in extracted for item in items])
    articles = unique_articles(articles)
    changed = needing_extraction(warehouse, articles)
    progress.report("quotes", 0, len(changed))
    found: dict[str, tuple[list, list]] = {}
    for batch in find_attributions.map(list(_chunks(changed, settings.chunk_size))):
        found.update(batch.result())
    errors = [e for o in outcomes if o.error for e in [o.error]]
    errors += [e for _, errs in fetched for e in errs] + [e for _, errs in extracted for e in errs]
    new, updated, unchanged = load(
        warehouse, Corpus(settings.corpus), run_id, articles, links + plan.known_links,
        [_feed_row(o, known_states.get(o.spec.url), settings) for o in outcomes], errors, found,
    )
    unchanged += len(plan.unchanged_ids - {a.article_id for a in articles})
    feeds_failed = sum(1 for o in outcomes if o.error)
    return RunSummary(
        run_id=run_id,
        flow="ingest",
        status="completed",
        feeds_ok=len(outcomes) - feeds_failed,
        feeds_failed=feeds_failed,
        articles_new=new,
        articles_updated=updated,
        articles_unchanged=unchanged,
        # a cut text is a note on an article that loaded, not a failure
        articles_failed=sum(1 for e in errors if e.stage in ("article", "extract")
                            and e.error != TextCut.kind),
        files_failed=0,
        errors=len(errors),
        seconds=time.monotonic() - started,
        feeds_not_modified=sum(1 for o in outcomes if o.status == "not_modified"),
    )


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
    if outcome.status not in ("ok", "not_modified"):
        failures = (state.failures if state else 0) + 1
        wait = max(wait, min(settings.interval * 2 ** (failures - 1), 86400.0)) \
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


def _error(stage: str, source: str, error: NewsetlError) -> RunError:
    return RunError(stage=stage, input=source, error=getattr(error, "kind", type(error).__name__),
                    message=str(error))


def run_ingest(feeds: list[FeedSpec], settings: Settings, refetch: bool = False,
               feeds_only: bool = False) -> RunSummary:
    """Run the ingest flow with the task runner sized by the settings."""
    runner = ThreadPoolTaskRunner(max_workers=max(settings.concurrency, 1))
    return ingest_flow.with_options(task_runner=runner)(feeds, settings, refetch,
                                                         feeds_only=feeds_only)
