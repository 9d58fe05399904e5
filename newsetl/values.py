"""Every fixed set of values newsetl stores or takes: one ``StrEnum`` each (and the one
confidence threshold that decides which attributions count).

This is their one definition. Python compares members with plain strings (``"ok" ==
FeedStatus.OK``); the warehouse builds its CHECK constraints and the value lists of its SQL
from these classes (``newsetl.warehouse.checks``), and the CLI its choices.
"""

from __future__ import annotations

from enum import StrEnum


class RunStatus(StrEnum):
    """How a run ended (``runs.status``)."""

    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"
    """an error stopped it (a bad config, an unusable warehouse, a full disk, a bug)"""
    INTERRUPTED = "interrupted"
    """stopped from outside: Ctrl-C, a signal, or a kill found at the next open"""


class Flow(StrEnum):
    """The flows that record runs (``runs.flow``)."""

    INGEST = "ingest"
    BACKFILL = "backfill"
    REPROCESS = "reprocess"


class Stage(StrEnum):
    """Where in a run an input failed (``run_errors.stage``)."""

    FEED = "feed"
    """fetching or parsing a listed feed"""
    ARTICLE = "article"
    """fetching an article page"""
    EXTRACT = "extract"
    """turning a fetched or archived page into an article"""
    ATTRIBUTIONS = "attributions"
    """finding an article's quotes and claims"""
    FILE = "file"
    """reading a dated text file"""
    WARC = "warc"
    """reading a WARC file"""
    SITEMAP = "sitemap"
    """fetching, parsing or following a sitemap, or one of its entries"""
    URL_LIST = "url-list"
    """a line of a URL list"""
    REPROCESS = "reprocess"
    """re-extracting a stored article from its archived page"""


class FeedStatus(StrEnum):
    """The outcome of one feed fetch (``feeds.last_status``, ``feed_fetches.status``)."""

    OK = "ok"
    NOT_MODIFIED = "not_modified"
    HTTP_3XX = "http_3xx"
    HTTP_4XX = "http_4xx"
    HTTP_5XX = "http_5xx"
    TIMEOUT = "timeout"
    DNS = "dns"
    TLS = "tls"
    CONNECT = "connect"
    NETWORK = "network"
    TOO_LARGE = "too_large"
    DECODING = "decoding"
    PARSE_ERROR = "parse_error"
    REDIRECT_LOOP = "redirect_loop"
    UNSUPPORTED = "unsupported"
    INVALID_URL = "invalid_url"
    REFUSED = "refused"
    ROBOTS_DENIED = "robots_denied"
    ERROR = "error"
    """an unexpected failure outside this taxonomy (a bug, recorded in run_errors); also
    what warehouses made before the taxonomy existed say of any failure"""


HEALTHY_FEED = (FeedStatus.OK, FeedStatus.NOT_MODIFIED)
"""fetches that reset a feed's failures in a row and keep its validators"""


class SavedBy(StrEnum):
    """What made a feed fetch unnecessary (``feeds.last_saved_by``, ``feed_fetches.saved_by``)."""

    ETAG = "etag"
    LAST_MODIFIED = "last_modified"
    BODY_HASH = "body_hash"


class DateSource(StrEnum):
    """Which source gave an article its date (``articles.date_source``)."""

    FEED = "feed"
    """the entry of a feed that carried it"""
    SITEMAP = "sitemap"
    """the entry of a (news) sitemap that listed it"""
    PAGE = "page"
    """the page's own metadata"""
    FETCH = "fetch"
    """no source had one: the day it was fetched"""
    FILE = "file"
    """the date line of a dated text file"""


LISTED_DATES = (DateSource.FEED, DateSource.SITEMAP)
"""dates a list gave, which outrank the page's own (and survive a re-extraction)"""


class FieldSource(StrEnum):
    """Where an article's title or authors came from (``articles.title_source``,
    ``articles.authors_source``)."""

    JSON_LD = "json-ld"
    """the page's JSON-LD article object"""
    META = "meta"
    """the page's meta tags"""
    HTML = "html"
    """the page's markup (headline, byline)"""
    FEED = "feed"
    """the entry of the feed that carried it (the page had none)"""
    SITEMAP = "sitemap"
    """the entry of the sitemap that listed it (the page had none)"""


class PageDateSource(StrEnum):
    """Where the page's own date came from (``articles.page_date_source``)."""

    JSON_LD = "json-ld"
    HTMLDATE = "htmldate"
    """htmldate's reading of the page's markup"""


class SourceKind(StrEnum):
    """Where an article's text came from (``articles.source_kind``)."""

    FEED = "feed"
    """a fetched or archived web page"""
    FILE = "file"
    """a dated text file"""


class DuplicateKind(StrEnum):
    """How an article repeats an earlier one (``articles.duplicate_kind``)."""

    EXACT = "exact"
    NEAR = "near"


class Change(StrEnum):
    """What loading an article does to the articles table."""

    NEW = "new"
    UPDATED = "updated"
    """its text changed"""
    UNCHANGED = "unchanged"


class Extractor(StrEnum):
    """The extractors that run over article texts (``article_extractions.extractor``)."""

    QUOTES = "quotes"
    CLAIMS = "claims"


class Target(StrEnum):
    """What ``newsetl reprocess --what`` runs again."""

    ARTICLE = "article"
    QUOTES = "quotes"
    CLAIMS = "claims"
    ALL = "all"

    def includes(self, part: Target) -> bool:
        """Whether running this target runs ``part``."""
        return self in (part, Target.ALL)


class QuoteKind(StrEnum):
    """A quote's form (``quotes.kind``)."""

    DIRECT = "direct"
    MIXED = "mixed"
    """quoted words inside reported speech"""


class SourceType(StrEnum):
    """What a claim's source or a quote's speaker is (``claims.source_type``,
    ``quotes.speaker_type``, ``entities.type``)."""

    PERSON = "person"
    ORGANISATION = "organisation"
    MEDIA = "media"
    ANONYMOUS = "anonymous"
    """an unnamed person or group: officials, a spokesman, many Republicans"""
    AUTHOR = "author"
    """the article's own writer (its "I" or "we")"""
    NONE = "none"
    """no source in the text"""


class Note(StrEnum):
    """Kinds of ``run_errors.error`` that note something about an input that loaded: not
    failures (a run's ``failed`` counts leave them out)."""

    TRUNCATED = "truncated"
    """the page's text was longer than ``max_text_chars`` and cut; the article loaded"""


class Said(StrEnum):
    """What a voice said: a quote or a claim (the ``kind`` of ``newsetl who``'s rows and of
    the report's marks)."""

    QUOTE = "quote"
    CLAIM = "claim"


CONFIDENCE_THRESHOLD = 0.5
"""the confidence from which a quote or claim counts: in the ``speakers`` and ``sources``
views (migration 009 spells it), the report and ``newsetl who`` (their default)"""


class ErrorPolicy(StrEnum):
    """What a batch does with an input that fails in an unexpected way (setting
    ``error_policy``, NEWSETL_ERROR_POLICY)."""

    RECORD = "record"
    """record it in run_errors with its input and stage, and go on with the next input"""
    RAISE = "raise"
    """raise it with its traceback and stop the run (tests and debugging); named input
    errors (a 404, a page without text, a damaged file) are still recorded"""


class TaskRunner(StrEnum):
    """Where a run's chunks are processed (setting ``task_runner``, --task-runner)."""

    THREADS = "threads"
    """this machine: a thread per chunk in flight, the pages in ``workers`` processes"""
    DASK = "dask"
    """the workers of a Dask cluster (prefect-dask): a local one, or ``dask_address``"""
