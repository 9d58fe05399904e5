"""The per-page CPU work in one pool of worker processes: a page's text (trafilatura), its
dated format and metadata, and its quotes and claims (spaCy, loaded once per worker). The
pool has ``workers`` processes (default: the cores), so both cores work where threads would
share one interpreter lock; each worker's memory is capped, and a page's extraction is
stopped after ``extract_timeout`` seconds.

trafilatura's cost grows faster than the page: a page of a million tiny paragraphs, well under
the size cap, keeps it busy for hours, and a thread cannot be stopped. A process can: on time
out it is killed and a fresh one takes its place. Workers are fresh interpreters (nothing of
the host program, its threads or its __main__, is inherited) that end when the host closes
their socket or dies.
"""

from __future__ import annotations

import datetime as dt
import os
import pickle
import queue
import resource
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection
from typing import Any

from newsetl.errors import NewsetlError
from newsetl.extract.article import EXTRACTOR_VERSION, NoArticleText, PageArticle
from newsetl.extract.records import Article, Listing
from newsetl.extract.warc_write import RecordLocation
from newsetl.flows import stopping
from newsetl.flows.settings import Settings
from newsetl.values import Note

WORKER_MEMORY = 3 << 30
"""address space of one worker (bytes): spaCy's model and a parse of a long text fit; a page
needing more is recorded, and the run goes on"""
TEXTS_PER_REQUEST = 8
"""texts parsed together in one request to a worker (spaCy batches them)"""
_THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
"""a worker is one core's work: numerical libraries must not start a thread per core"""
_WORKER_ENVIRONMENT = {**{name: "1" for name in _THREAD_VARIABLES}, "MALLOC_ARENA_MAX": "2"}


class ExtractionFailed(NewsetlError):
    """Extracting a page's text was stopped (too slow, too much memory) or its worker died."""

    def __init__(self, url: str, kind: str, detail: str) -> None:
        self.url = url
        self.kind = kind
        super().__init__(f"page {url}: {detail}")


class TextCut(NewsetlError):
    """Not an error but a note: a page's text was longer than ``max_text_chars`` and cut."""

    kind = Note.TRUNCATED

    def __init__(self, url: str, kept: int, total: int) -> None:
        self.url = url
        self.kept = kept
        self.total = total
        super().__init__(f"page {url}: text of {total:,} characters cut to the first {kept:,} "
                         "(max_text_chars)")


@dataclass(frozen=True)
class PageJob:
    """One fetched (or archived) page and what its article needs besides the bytes."""

    content: bytes
    url: str
    fetched_at: dt.datetime
    charset: str | None = None
    listing: Listing | None = None
    archived: RecordLocation | None = None
    extractor: str = EXTRACTOR_VERSION
    article_id: str | None = None
    """the stored id to keep (reprocess), instead of the one the page's canonical URL gives"""
    stored: tuple[tuple[str, str], ...] = ()
    """(article id, content hash) of stored articles this page may be: an article found
    among them unchanged is not attributed again"""
    attribute: bool = True
    """whether to find its quotes and claims too (False: the article alone)"""


@dataclass(frozen=True)
class PageDone:
    """What became of one page: its article (or the error that stopped it), a note if its
    text was cut, and its quotes and claims (None: unchanged, or their error)."""

    article: Article | None = None
    error: Exception | None = None
    cut: TextCut | None = None
    attributions: Any = None
    attribution_error: Exception | None = None


def process_pages(jobs: Sequence[PageJob], settings: Settings) -> list[PageDone]:
    """Every page's article and attributions, in order, the pages spread over the workers."""
    if not jobs:
        return []
    pool = _pool(settings.workers)
    return list(pool.executor.map(lambda job: pool.page(job, settings), jobs))


def attribute_texts(texts: Sequence[tuple[str, Sequence[str]]], settings: Settings
                    ) -> list[Any]:
    """The attributions of each (dated text, its authors), in order: an Attributions, or the
    exception that stopped that text's. Texts go to the workers in small batches; a batch that
    fails is tried again one text at a time, so a bad text costs itself only."""
    if not texts:
        return []
    pool = _pool(settings.workers)
    groups = [list(texts[i:i + TEXTS_PER_REQUEST])
              for i in range(0, len(texts), TEXTS_PER_REQUEST)]
    found: list[Any] = []
    for group, answer in zip(groups, pool.executor.map(pool.texts, groups), strict=True):
        if not isinstance(answer, BaseException):
            found.extend(answer)
            continue
        if _fatal(answer):
            raise answer
        if len(group) == 1:
            found.append(answer)
            continue
        for one in group:
            single = pool.texts([one])
            found.append(single if isinstance(single, BaseException) else single[0])
    return found


def cut_text(page: PageArticle, limit: int) -> tuple[PageArticle, tuple[int, int] | None]:
    """The page with only the whole paragraphs that fit in ``limit`` characters (the first,
    cut at a word, if it alone is longer), and (kept, total) when anything was left out."""
    total = sum(len(p) for p in page.paragraphs) + 2 * max(len(page.paragraphs) - 1, 0)
    if total <= limit:
        return page, None
    kept: list[str] = []
    used = 0
    for paragraph in page.paragraphs:
        cost = len(paragraph) + (2 if kept else 0)
        if used + cost > limit:
            if not kept:
                kept.append(paragraph[:limit].rsplit(" ", 1)[0] or paragraph[:limit])
                used = len(kept[0])
            break
        kept.append(paragraph)
        used += cost
    return replace(page, paragraphs=tuple(kept)), (used, total)


def _fatal(error: BaseException) -> bool:
    from newsetl.flows.batch import is_fatal

    return is_fatal(error)


class _Worker:
    """One worker process and the socket to it."""

    def __init__(self) -> None:
        ours, theirs = socket.socketpair()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "newsetl.flows.extraction", str(theirs.fileno()),
             str(WORKER_MEMORY), str(os.getpid())],
            pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, close_fds=True, env={**os.environ, **_WORKER_ENVIRONMENT})
        theirs.close()
        self.conn = Connection(ours.detach())

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        self.process.kill()
        self.process.wait(5)
        self.conn.close()


class _Pool:
    """Worker processes shared by the threads of a process; a slow page costs its worker."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.idle: queue.Queue[_Worker | None] = queue.Queue()
        for _ in range(size):
            self.idle.put(None)  # started on first use
        self.executor = ThreadPoolExecutor(max_workers=size, thread_name_prefix="newsetl-worker")
        self.running: set[_Worker] = set()
        """every live worker, idle or busy: a stop kills them all at once"""
        self.lock = threading.Lock()

    def stop(self) -> None:
        """Kill every worker now; the requests in hand end as their workers' deaths."""
        with self.lock:
            workers = list(self.running)
            self.running.clear()
        for worker in workers:
            worker.process.kill()

    def _ask(self, request: tuple, first_within: float | None, answers: int = 1,
             until: Any = None) -> tuple[list[tuple], str]:
        """Send one request to an idle worker; collect its answers, the first within
        ``first_within`` seconds (``until(answer)`` True ends the exchange early). Returns
        the answers and how it went: 'ok', 'timeout' (the worker was stopped) or 'died'."""
        worker = self.idle.get()
        replies: list[tuple] = []
        status = "ok"
        try:
            stopping.check()
            if worker is None or not worker.alive():
                worker = _Worker()
                with self.lock:
                    self.running.add(worker)
            worker.conn.send(request)
            for n in range(answers):
                if n == 0 and first_within is not None and not worker.conn.poll(first_within):
                    status = "timeout"
                    break
                replies.append(worker.conn.recv())
                if until is not None and until(replies[-1]):
                    break
        except (EOFError, OSError):
            status = "died"
        finally:
            if status != "ok" and worker is not None:
                with self.lock:
                    self.running.discard(worker)
                worker.stop()
                worker = None
            self.idle.put(worker)
        return replies, status

    def page(self, job: PageJob, settings: Settings) -> PageDone:
        timeout = settings.extract_timeout
        replies, status = self._ask(("page", job, settings.max_text_chars), timeout, 2,
                                    until=lambda r: r[0] != "article")
        if status == "timeout":
            return PageDone(error=ExtractionFailed(
                job.url, "extract_timeout", f"extraction stopped after {timeout:g} s "
                "(extract_timeout); the page's markup is too large or too deep to read"))
        if not replies:
            return PageDone(error=ExtractionFailed(job.url, "extract_failed",
                                                   "the extraction worker died reading it"))
        first = replies[0]
        if first[0] != "article":
            return PageDone(error=_page_error(job.url, first))
        article, cut = first[1], first[2]
        note = TextCut(job.url, *cut) if cut else None
        if len(replies) < 2:
            return PageDone(article, cut=note, attribution_error=ExtractionFailed(
                article.url, "attributions_failed",
                "the worker died finding its quotes and claims (out of memory?)"))
        second = replies[1]
        if second[0] == "found":
            return PageDone(article, cut=note, attributions=second[1])
        if second[0] == "unchanged":
            return PageDone(article, cut=note)
        return PageDone(article, cut=note, attribution_error=_page_error(article.url, second))

    def texts(self, texts: list[tuple[str, Sequence[str]]]) -> Any:
        """The attributions of a few texts, or the exception that stopped them."""
        replies, _ = self._ask(("texts", texts), None)
        if not replies:
            return ExtractionFailed("texts", "attributions_failed",
                                    "the worker died finding quotes and claims (out of memory?)")
        if replies[0][0] == "found":
            return replies[0][1]
        return _page_error("texts", replies[0])


def _page_error(url: str, answer: tuple) -> Exception:
    """The exception a worker's answer stands for."""
    kind = answer[0]
    if kind == "none":
        return NoArticleText(url, answer[1])
    if kind == "error":
        error, where = answer[1], answer[2]
        error.newsetl_where = where  # where it was raised, in the worker
        return error
    return ExtractionFailed(url, "extract_failed", answer[1] if len(answer) > 1 else
                            "the extraction worker died reading it")


def _portable(error: BaseException) -> tuple:
    """("error", the exception or a stand-in that pickles, where it was raised)."""
    from newsetl.flows.batch import where_raised

    try:
        pickle.loads(pickle.dumps(error))
        sendable: BaseException = error
    except Exception:  # noqa: BLE001 - an exception that does not travel: its words do
        sendable = RuntimeError(f"{type(error).__name__}: {error}")
    return ("error", sendable, where_raised(error))


def _serve(conn: Connection, memory: int, parent: int) -> None:
    """A worker's loop: requests in, answers out, until the parent goes."""
    # Ctrl-C is the parent's to handle; a worker ends when the parent closes the socket
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _follow_parent(parent)
    try:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    except (ValueError, OSError):  # a lower hard limit is already set: keep it
        pass
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return  # the parent is gone (or stopping): so is the worker
        try:
            if request[0] == "page":
                for answer in _page(request[1], request[2], memory):
                    conn.send(answer)
            else:
                conn.send(_texts(request[1], memory))
        except (OSError, ValueError):
            return
        del request


def _page(job: PageJob, max_chars: int, memory: int):
    """A page's answers: ("article", article, cut) then ("found", attributions) or
    ("unchanged",); or one ("none", why) / ("failed", why) / ("error", ...)."""
    from newsetl.extract import article as pages
    from newsetl.extract import records

    try:
        page = pages.extract_article(job.content, job.url, charset=job.charset)
        page, cut = cut_text(page, max_chars)
        article = records.article_from_html(
            job.content, job.url, job.fetched_at, charset=job.charset, page=page,
            listing=job.listing, archived=job.archived, extractor=job.extractor)
        if job.article_id:
            article = replace(article, article_id=job.article_id)
    except NoArticleText as error:
        yield ("none", str(error).removeprefix(f"page {job.url} has no article text: "))
        return
    except Exception as error:  # noqa: BLE001 - any fault of one page is that page's
        yield _failed(error, memory)
        return
    yield ("article", article, cut)
    if not job.attribute or (article.article_id, article.content_hash) in job.stored:
        yield ("unchanged",)
        return
    yield _texts([(article.content, article.authors)], memory, single=True)


def _texts(texts: list[tuple[str, Sequence[str]]], memory: int, single: bool = False
           ) -> tuple:
    """("found", attributions of each text) (one Attributions for ``single``), or why not."""
    from newsetl.extract import attribution

    try:
        found = attribution.extract_attributions_many([t for t, _ in texts],
                                                      [a for _, a in texts])
    except Exception as error:  # noqa: BLE001 - the caller finds which text it was
        return _failed(error, memory)
    return ("found", found[0] if single else found)


def _failed(error: BaseException, memory: int) -> tuple:
    if isinstance(error, MemoryError):
        return ("failed", f"it needed more than {memory >> 20} MB of memory")
    if isinstance(error, RecursionError):
        return ("failed", "markup nested too deeply to read")
    return _portable(error)


def _follow_parent(parent: int) -> None:
    """End this worker when its parent dies, even by kill -9 (Linux: the parent-death
    signal; elsewhere the closed socket ends it at its next read)."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before the signal was asked for
        os._exit(0)


_shared: dict[int, _Pool] = {}
_shared_lock = threading.Lock()


def _pool(size: int) -> _Pool:
    with _shared_lock:
        if size not in _shared:
            _shared[size] = _Pool(max(size, 1))
        return _shared[size]


def stop_workers() -> None:
    """Kill every worker of this process at once, busy or idle (Ctrl-C; fresh ones start
    when next needed)."""
    with _shared_lock:
        pools = list(_shared.values())
    for pool in pools:
        pool.stop()


if __name__ == "__main__":
    _serve(Connection(int(sys.argv[1])), int(sys.argv[2]), int(sys.argv[3]))
