"""Per-host politeness and bounds: requests in flight per host, a delay between requests to one
host, hold-offs a server asks for, hosts closed for the rest of a run, and robots.txt (with its
Crawl-delay), cached per host for the run and on disk between runs."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import re
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from protego import Protego

ROBOTS_FRESH = 86400.0
"""seconds a stored robots.txt is used without asking again (RFC 9309 2.4: at most 24 hours)"""
ROBOTS_MAX_BYTES = 512_000
"""the most of a robots.txt kept (RFC 9309 2.5: parse at least 500 KiB)"""

RobotsRules = Protego | Literal[False] | None
"""a host's robots.txt: parsed rules, False (every path disallowed: the server failed, RFC
9309) or None (no robots.txt: every path allowed)"""

_log = logging.getLogger("newsetl")


@dataclass
class _Host:
    gate: threading.BoundedSemaphore
    lock: threading.Lock
    next_at: float = 0.0
    delay: float = 0.0
    failures: int = 0
    """transport failures in a row (timeouts, refused connections)"""
    closed: Exception | None = None
    """why the host takes no more requests in this run"""


class Politeness:
    """Gates requests per host: at most ``per_host`` at once, ``delay`` seconds apart."""

    def __init__(self, per_host: int, delay: float,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.per_host = max(per_host, 1)
        self.delay = max(delay, 0.0)
        self.clock = clock
        self.sleep = sleep
        self._hosts: dict[str, _Host] = {}
        self._lock = threading.Lock()
        self.robots: dict[str, RobotsRules] = {}
        """host -> its robots.txt rules"""

    def _host(self, key: str) -> _Host:
        with self._lock:
            if key not in self._hosts:
                self._hosts[key] = _Host(threading.BoundedSemaphore(self.per_host),
                                         threading.Lock(), 0.0, self.delay)
            return self._hosts[key]

    def slow_down(self, url: str, seconds: float) -> None:
        """Space further requests to this URL's host at least ``seconds`` apart
        (a robots.txt Crawl-delay)."""
        host = self._host(host_key(url))
        with host.lock:
            host.delay = max(host.delay, seconds)

    def hold_off(self, url: str, seconds: float) -> None:
        """Send nothing more to this URL's host for ``seconds`` (a Retry-After)."""
        host = self._host(host_key(url))
        with host.lock:
            host.next_at = max(host.next_at, self.clock() + seconds)

    def close(self, url: str, reason: Exception) -> None:
        """Take no more requests to this URL's host in this run; ``reason`` is why."""
        if not host_key(url):
            return  # file:// is no one's server
        host = self._host(host_key(url))
        with host.lock:
            host.closed = host.closed or reason

    def closed(self, url: str) -> Exception | None:
        """Why this URL's host takes no more requests in this run, or None."""
        key = host_key(url)
        return self._host(key).closed if key else None

    def failed(self, url: str) -> int:
        """Count a transport failure of this URL's host; return the failures in a row."""
        if not host_key(url):
            return 0
        host = self._host(host_key(url))
        with host.lock:
            host.failures += 1
            return host.failures

    def answered(self, url: str) -> None:
        """The host answered (any HTTP status): its failures in a row start again at 0."""
        host = self._host(host_key(url))
        with host.lock:
            host.failures = 0

    @contextmanager
    def turn(self, url: str) -> Iterator[None]:
        """Wait for this host's turn, then hold one of its request slots for the block."""
        key = host_key(url)
        if not key:  # file:// is no one's server
            yield
            return
        host = self._host(key)
        with host.gate:
            with host.lock:
                wait = host.next_at - self.clock()
                host.next_at = max(host.next_at, self.clock()) + host.delay
            if wait > 0:
                self.sleep(wait)
            yield


def host_key(url: str) -> str:
    """scheme://host:port of a URL ('' for file URLs): politeness is per server."""
    try:
        parts = urlsplit(url)
        netloc = parts.netloc
    except ValueError:  # not a URL at all: the fetch itself says so
        return ""
    if parts.scheme not in ("http", "https"):
        return ""
    return f"{parts.scheme}://{netloc.lower()}"


def robots_rules(status: int, body: bytes) -> RobotsRules:
    """robots.txt rules from a response (RFC 9309): a 4xx means no rules (None), a 5xx
    means everything is disallowed (False), a 2xx is parsed."""
    if 400 <= status < 500:
        return None
    if status >= 500:
        return False
    return Protego.parse(body[:ROBOTS_MAX_BYTES].decode("utf-8", "replace"))


@dataclass(frozen=True)
class StoredRobots:
    """A host's robots.txt answer as kept on disk."""

    status: int
    body: bytes
    age: float
    """seconds since it was fetched"""

    @property
    def fresh(self) -> bool:
        return 0 <= self.age < ROBOTS_FRESH


class RobotsStore:
    """robots.txt answers kept between runs: one small JSON file per host in a folder.

    Only definite answers are kept (a 2xx body, a 4xx "no rules"); a store that cannot be
    read or written costs a fetch, never a run.
    """

    def __init__(self, folder: str | os.PathLike[str] | None) -> None:
        self.folder = Path(folder) if folder else None

    def _file(self, key: str) -> Path | None:
        if self.folder is None:
            return None
        name = re.sub(r"[^a-z0-9.-]+", "_", key.lower()).strip("_")[:80]
        return self.folder / f"{name}-{hashlib.sha256(key.encode()).hexdigest()[:12]}.json"

    def get(self, key: str, now: dt.datetime | None = None) -> StoredRobots | None:
        """The stored answer for a host key, fresh or not; None if there is none."""
        path = self._file(key)
        if path is None or not path.is_file():
            return None
        now = now or dt.datetime.now(dt.UTC)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("host") != key:
                return None
            fetched = dt.datetime.fromisoformat(data["fetched_at"])
            return StoredRobots(int(data["status"]), data["body"].encode("utf-8"),
                                (now - fetched).total_seconds())
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None  # damaged or from elsewhere: fetched again

    def put(self, key: str, status: int, body: bytes) -> None:
        """Keep a definite answer (2xx or 4xx) for a host key."""
        path = self._file(key)
        if path is None or not (200 <= status < 300 or 400 <= status < 500):
            return
        record = {"host": key, "status": status,
                  "fetched_at": dt.datetime.now(dt.UTC).isoformat(),
                  "body": body[:ROBOTS_MAX_BYTES].decode("utf-8", "replace")}
        temp = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temp = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(record, out)
            os.replace(temp, path)
        except OSError as error:
            _log.warning("robots.txt of %s not kept in %s: %s", key, path.parent, error)
            if temp is not None:
                Path(temp).unlink(missing_ok=True)
