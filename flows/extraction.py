"""Page extraction with bounds: each page's text is extracted (trafilatura, through
``extract_article``) in a worker process that is stopped after ``extract_timeout`` seconds and
whose memory is capped, and the text kept is cut at ``max_text_chars``.

trafilatura's cost grows faster than the page: a page of a million tiny paragraphs, well under
the size cap, keeps it busy for hours, and a thread cannot be stopped. A process can: on time
out it is killed and a fresh one takes its place. The workers also put both cores to work
where threads share one interpreter lock.
"""

from __future__ import annotations

import os
import queue
import resource
import signal
import socket
import subprocess
import sys
import threading
from dataclasses import replace
from multiprocessing.connection import Connection

from newsetl.errors import NewsetlError
from newsetl.extract.article import NoArticleText, PageArticle, extract_article
from newsetl.flows.settings import Settings
from newsetl.values import Note

WORKER_MEMORY = 2 << 30
"""address space of one extraction worker (bytes): a page needing more is recorded, and the
run goes on"""
WORKERS = max(1, min(2, os.cpu_count() or 1))
"""extraction workers per process: both cores of the reference machine"""


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
        super().__init__(f"page {url}: text of {total:,} characters cut to the first {kept:,} "
                         "(max_text_chars)")


def extract_page(content: bytes, url: str, settings: Settings,
                 charset: str | None = None) -> tuple[PageArticle, TextCut | None]:
    """The article of one fetched page, extracted within the settings' bounds, and a note if
    its text was cut.

    Raises:
        NoArticleText: the page holds no article text.
        ExtractionFailed: extraction took longer than ``extract_timeout`` (kind
            ``extract_timeout``), needed more memory than a worker has, or its worker died.
    """
    page = _pool().extract(content, url, charset, settings.extract_timeout)
    return cut_text(page, settings.max_text_chars)


def cut_text(page: PageArticle, limit: int) -> tuple[PageArticle, TextCut | None]:
    """The page with only the whole paragraphs that fit in ``limit`` characters (the first,
    cut at a word, if it alone is longer), and a note when anything was left out."""
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
    return replace(page, paragraphs=tuple(kept)), TextCut(page.url, used, total)


class _Worker:
    """One extraction process (a fresh interpreter: nothing of the host program, its threads
    or its __main__, is inherited) and the socket to it."""

    def __init__(self) -> None:
        ours, theirs = socket.socketpair()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "newsetl.flows.extraction", str(theirs.fileno()),
             str(WORKER_MEMORY)],
            pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, close_fds=True)
        theirs.close()
        self.conn = Connection(ours.detach())

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        self.process.kill()
        self.process.wait(5)
        self.conn.close()


class _Pool:
    """Extraction workers shared by the threads of a process; a slow page costs its worker."""

    def __init__(self, size: int) -> None:
        self.idle: queue.Queue[_Worker | None] = queue.Queue()
        for _ in range(size):
            self.idle.put(None)  # started on first use

    def extract(self, content: bytes, url: str, charset: str | None,
                timeout: float) -> PageArticle:
        worker = self.idle.get()
        try:
            if worker is None or not worker.alive():
                worker = _Worker()
            worker.conn.send((content, url, charset))
            if not worker.conn.poll(timeout):
                worker.stop()
                worker = None
                raise ExtractionFailed(url, "extract_timeout",
                                       f"extraction stopped after {timeout:g} s (extract_timeout);"
                                       " the page's markup is too large or too deep to read")
            try:
                outcome, *value = worker.conn.recv()
            except (EOFError, OSError):
                worker.stop()
                worker = None
                raise ExtractionFailed(url, "extract_failed",
                                       "the extraction worker died reading it") from None
        except (BrokenPipeError, ConnectionResetError):
            if worker is not None:
                worker.stop()
            worker = None
            raise ExtractionFailed(url, "extract_failed",
                                   "the extraction worker died reading it") from None
        finally:
            self.idle.put(worker)
        if outcome == "page":
            return value[0]
        if outcome == "none":
            raise NoArticleText(url, value[0])
        raise ExtractionFailed(url, "extract_failed", value[0])


def _serve(conn: Connection, memory: int) -> None:
    """A worker's loop: pages in, ("page", PageArticle) / ("none", why) / ("failed", why) out."""
    # Ctrl-C is the parent's to handle; a worker ends when the parent closes the socket
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    except (ValueError, OSError):  # a lower hard limit is already set: keep it
        pass
    while True:
        try:
            content, url, charset = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return  # the parent is gone (or stopping): so is the worker
        try:
            answer: tuple = ("page", extract_article(content, url, charset=charset))
        except NoArticleText as error:
            answer = ("none", str(error).removeprefix(f"page {url} has no article text: "))
        except MemoryError:
            answer = ("failed", f"extraction needed more than {memory >> 20} MB of memory")
        except RecursionError:
            answer = ("failed", "markup nested too deeply to read")
        except Exception as error:  # noqa: BLE001 - any fault of one page is that page's
            answer = ("failed", f"extraction failed: {type(error).__name__}: {error}")
        del content
        try:
            conn.send(answer)
        except (OSError, ValueError):
            return


_shared: _Pool | None = None
_shared_lock = threading.Lock()


def _pool() -> _Pool:
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = _Pool(WORKERS)
        return _shared


if __name__ == "__main__":
    _serve(Connection(int(sys.argv[1])), int(sys.argv[2]))
