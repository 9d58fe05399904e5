"""Per-host politeness: requests in flight per host, a delay between requests to one host,
and robots.txt (with its Crawl-delay), cached per host for the life of a Fetcher."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

from protego import Protego

RobotsRules = Protego | Literal[False] | None
"""a host's robots.txt: parsed rules, False (every path disallowed: the server failed, RFC
9309) or None (no robots.txt: every path allowed)"""


@dataclass
class _Host:
    gate: threading.BoundedSemaphore
    lock: threading.Lock
    next_at: float = 0.0
    delay: float = 0.0


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
    return Protego.parse(body.decode("utf-8", "replace"))
