"""The one HTTP seam: fetch a URL with timeouts, a total deadline, a size cap and redirects.

Every request, each redirect hop and robots.txt included, goes through the SSRF guard in the
transport, connected to the very address the guard checked (flows/ssrf.py). ``file://`` URLs go
through the same client (a transport of their own, reading only below a listed local feed's
folder), so local feeds and the bundled sample take exactly the path a remote feed takes.

Bounds per run: one retry budget per URL; a host that asks for a pause longer than
``max_hold_off`` or fails ``host_failures`` times in a row takes no more requests in the run
(its URLs fail at once, recorded, and a feed's next poll moves past the pause).
"""

from __future__ import annotations

import datetime as dt
import email.utils
import mimetypes
import os
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlsplit

import httpcore
import httpx

from newsetl.errors import NewsetlError
from newsetl.extract.warc_write import RecordLocation
from newsetl.flows import stopping
from newsetl.flows.politeness import (
    Politeness,
    RobotsRules,
    RobotsStore,
    host_key,
    robots_rules,
)
from newsetl.flows.settings import Settings
from newsetl.flows.ssrf import Guard, Refused, Resolve, Resolver, local_path, system_resolve

RETRY_BACKOFF = 0.5
"""retry n (1, 2, ...) waits min(RETRY_BACKOFF * 2**n, 10) seconds: 1 s, 2 s, 4 s, ..."""
T = TypeVar("T")
R = TypeVar("R")
MAX_RETRY_AFTER = 86400.0
"""the longest pause a server's Retry-After can put on a feed's next poll (a day)"""
_TRANSPORT_KINDS = ("timeout", "connect", "network")
"""failures that say the host is slow or gone (an HTTP status says it is there)"""


class FetchError(NewsetlError):
    """A URL could not be fetched; ``kind`` names why, ``transient`` says a retry may help."""

    def __init__(self, url: str, kind: str, detail: str, transient: bool = False,
                 status: int | None = None, retry_after: float | None = None) -> None:
        self.url = url
        self.kind = kind
        self.transient = transient
        self.status = status
        """the HTTP status, for http_* kinds"""
        self.retry_after = retry_after
        """seconds the server asked us to wait (Retry-After on 429 and 503)"""
        super().__init__(f"{url}: {kind}: {detail}")


@dataclass(frozen=True)
class Fetched:
    """A response body read in full, with where it came from."""

    url: str
    """the URL asked for"""
    final_url: str
    """the URL answered, after redirects"""
    status: int
    headers: dict[str, str]
    content: bytes
    fetched_at: dt.datetime
    archived: RecordLocation | None = None
    """where the response was kept in the raw archive, if it was"""


@dataclass(frozen=True)
class Validators:
    """What a server said last time to let us ask "has it changed?" (conditional GET)."""

    etag: str | None = None
    last_modified: str | None = None


class FileTransport(httpx.BaseTransport):
    """Serves ``file://`` URLs from the local disk, as a GET-only HTTP server would, only
    below the folders the fetch's guard lets be read."""

    def __init__(self, default: Guard) -> None:
        self.default = default

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        parts = urlsplit(str(request.url))
        if parts.netloc not in ("", "localhost"):
            return httpx.Response(404, request=request)
        path = local_path(str(request.url))
        reason = current_guard(self.default).file_refusal(path)
        if reason:
            raise Refused(str(request.url), reason)
        try:
            if not path.is_file():
                # directories, and FIFOs or devices that would block or never end
                return httpx.Response(404, request=request)
            stream = path.open("rb")
        except PermissionError:
            return httpx.Response(403, request=request)
        except OSError:  # gone since, a name too long, ...
            return httpx.Response(404, request=request)
        size = os.fstat(stream.fileno()).st_size
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return httpx.Response(
            200,
            headers={"content-type": kind, "content-length": str(size)},
            stream=_FileStream(stream),
            request=request,
        )


class _FileStream(httpx.SyncByteStream):
    def __init__(self, handle) -> None:  # noqa: ANN001 - a binary file object
        self.handle = handle

    def __iter__(self) -> Iterator[bytes]:
        while chunk := self.handle.read(65536):
            yield chunk

    def close(self) -> None:
        self.handle.close()


class Fetcher:
    """An HTTP client with newsetl's limits; one per run, shared by its threads."""

    def __init__(
        self,
        settings: Settings,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        resolve: Resolve = system_resolve,
    ) -> None:
        """``resolve`` (host -> addresses) is the name lookup; each host is looked up once
        for the life of the Fetcher, and connected to at the addresses the guard checked."""
        self.settings = settings
        self.clock = clock
        self.sleep = sleep
        self.guard = Guard.allowing(settings.allow_hosts)
        """what every fetch may reach when it names no guard of its own: public addresses
        and the allow_hosts setting"""
        self.politeness = Politeness(settings.per_host, settings.host_delay, clock, sleep)
        self.robots_store = RobotsStore(settings.robots_cache if settings.obey_robots else None)
        self._robots_lock = threading.Lock()
        self._robots_locks: dict[str, threading.Lock] = {}
        self._state_lock = threading.Lock()
        self._retries_left: dict[str, int] = {}
        self._failed: dict[str, FetchError] = {}
        resolver = Resolver(resolve)
        limits = httpx.Limits(max_connections=max(settings.concurrency, 1) * 2)
        self.client = httpx.Client(
            # redirects are followed in _send, which refuses to leave http(s)
            follow_redirects=False,
            timeout=httpx.Timeout(
                settings.read_timeout, connect=settings.connect_timeout, pool=settings.total_timeout
            ),
            limits=limits,
            transport=_GuardedTransport(resolver, self.guard, limits=limits),
            headers={
                "User-Agent": settings.user_agent,
                # no brotli or zstd: httpx decodes them only with extra packages
                "Accept-Encoding": "gzip, deflate",
            },
            mounts={"file://": FileTransport(self.guard)},
        )

    def close(self) -> None:
        """Close the connection pool."""
        self.client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def fetch(self, url: str, accept: str = "*/*",
              validators: Validators | None = None, robots: bool = True,
              guard: Guard | None = None) -> Fetched:
        """GET ``url`` in full or raise FetchError; transient errors are retried with backoff.

        With ``validators`` the request is conditional (If-None-Match, If-Modified-Since) and
        a 304 answer comes back as a Fetched with status 304 and no content. Requests wait
        for their host's turn (per-host limits and delay); with ``robots`` a page that the
        host's robots.txt disallows is refused with kind ``robots_denied``. The URL, every
        redirect and the robots.txt read for it are checked against ``guard`` (by default
        ``self.guard``: public addresses and allow_hosts) at connect time (kind ``refused``).
        A URL that failed before in this run fails again at once: its retries are spent.
        """
        previous = getattr(_policy, "guard", None)
        _policy.guard = guard or self.guard
        try:
            return self._fetch(url, accept, validators, robots)
        finally:
            _policy.guard = previous

    def by_host(self, items: Sequence[T], url_of: Callable[[T], str],
                work: Callable[[T], R]) -> list[R]:
        """``work(item)`` for every item, results in the items' order: the items of one host
        one after another, hosts side by side (``concurrency`` at once), so a slow or held-off
        host holds back its own items only."""
        lanes: dict[str, list[int]] = {}
        for index, item in enumerate(items):
            lanes.setdefault(host_key(url_of(item)), []).append(index)
        results: list[Any] = [None] * len(items)

        def run(lane: list[int]) -> None:
            for index in lane:
                stopping.check()  # Ctrl-C: the lanes end after the request in hand
                results[index] = work(items[index])

        if len(lanes) <= 1:
            for lane in lanes.values():
                run(lane)
            return results
        workers = min(len(lanes), max(self.settings.concurrency, 1))
        with ThreadPoolExecutor(workers, thread_name_prefix="newsetl-host") as pool:
            for done in [pool.submit(run, lane) for lane in lanes.values()]:
                done.result()
        return results

    def trusting(self, urls: Iterable[str]) -> Guard:
        """The default guard trusting the origins of ``urls`` (URLs the user listed)."""
        return self.guard.with_hosts(urls)

    def _fetch(self, url: str, accept: str, validators: Validators | None,
               robots: bool) -> Fetched:
        with self._state_lock:
            failed = self._failed.get(url)
        if failed is not None:
            raise _again(url, failed)
        try:
            self._check_closed(url)
            if robots and self.settings.obey_robots:
                self._check_robots(url)
            while True:
                try:
                    with self.politeness.turn(url):
                        self._check_closed(url)
                        return self._fetch_once(url, accept, validators)
                except FetchError as error:
                    self._after_failure(url, error)
                    if not error.transient or not self._spend_retry(url):
                        raise
                    self.sleep(self._backoff(url, error))
        except FetchError as error:
            if error.kind != "robots_denied":
                with self._state_lock:
                    self._failed[url] = error
            raise

    def _check_closed(self, url: str) -> None:
        reason = self.politeness.closed(url)
        if reason is not None:
            raise _again(url, reason)

    def _after_failure(self, url: str, error: FetchError) -> None:
        """Hold the host off as it asked, within ``max_hold_off``; close it for the run when it
        asks for longer, or fails ``host_failures`` times in a row."""
        if error.retry_after:
            if error.retry_after > self.settings.max_hold_off:
                self.politeness.close(url, FetchError(
                    url, error.kind, f"{host_key(url)} asked for a pause of "
                    f"{error.retry_after:.0f} s (Retry-After), longer than max_hold_off "
                    f"({self.settings.max_hold_off:g} s): not asked again in this run",
                    transient=True, status=error.status, retry_after=error.retry_after))
            else:
                self.politeness.hold_off(url, error.retry_after)

    def _spend_retry(self, url: str) -> bool:
        """Take one retry from the URL's budget for this run; False when none is left."""
        if self.politeness.closed(url) is not None:
            return False
        with self._state_lock:
            left = self._retries_left.setdefault(url, self.settings.retries)
            if left <= 0:
                return False
            self._retries_left[url] = left - 1
            return True

    def _backoff(self, url: str, error: FetchError) -> float:
        """Seconds before the next attempt: doubling, at most 10 s; a Retry-After within
        max_hold_off is waited out by the host's turn."""
        used = self.settings.retries - self._retries_left.get(url, 0)
        return min(RETRY_BACKOFF * 2**used, 10.0)

    def _check_robots(self, url: str) -> None:
        key = host_key(url)
        if not key:
            return
        # one lock per host: a slow robots.txt holds back that host's pages, no other host's
        with self._robots_lock:
            lock = self._robots_locks.setdefault(key, threading.Lock())
        with lock:
            if key not in self.politeness.robots:
                self.politeness.robots[key] = self._read_robots(key)
            rules = self.politeness.robots[key]
        if rules is False or (rules is not None and not rules.can_fetch(
                url, self.settings.user_agent.split("/")[0])):
            raise FetchError(url, "robots_denied",
                             f"{key}/robots.txt disallows it for newsetl")

    def _read_robots(self, key: str) -> RobotsRules:
        """The host's robots.txt, once per run: from the store while fresh (24 h), else
        fetched; an unreachable one is no rule (as crawlers do), or the stored one if any."""
        stored = self.robots_store.get(key)
        if stored is not None and stored.fresh:
            return self._rules(key, stored.status, stored.body)
        try:
            self._check_closed(key + "/")
            with self.politeness.turn(key + "/"):
                fetched = self._fetch_once(key + "/robots.txt", "text/plain")
        except FetchError as error:
            if error.status is not None and error.status < 500:
                self.robots_store.put(key, error.status, b"")
                return robots_rules(error.status, b"")
            if stored is not None:  # a server error or no answer: the last answer holds
                return self._rules(key, stored.status, stored.body)
            return robots_rules(error.status, b"") if error.status is not None else None
        self.robots_store.put(key, fetched.status, fetched.content)
        return self._rules(key, fetched.status, fetched.content)

    def _rules(self, key: str, status: int, body: bytes) -> RobotsRules:
        rules = robots_rules(status, body)
        if rules:
            delay = rules.crawl_delay(self.settings.user_agent.split("/")[0])
            if delay:
                self.politeness.slow_down(key + "/", min(float(delay), 60.0))
        return rules

    def _fetch_once(self, url: str, accept: str,
                    validators: Validators | None = None) -> Fetched:
        """One attempt; counts the host's transport failures in a row and closes it for the
        run after ``host_failures`` of them."""
        try:
            fetched = self._attempt(url, accept, validators)
        except FetchError as error:
            if error.kind in _TRANSPORT_KINDS:
                failures = self.politeness.failed(url)
                limit = self.settings.host_failures
                if limit and failures >= limit:
                    self.politeness.close(url, FetchError(
                        url, error.kind, f"{host_key(url)} failed {failures} times in a row in "
                        f"this run (last: {error.kind}); its other URLs wait for the next run",
                        transient=True))
            elif error.status is not None:
                self.politeness.answered(url)
            raise
        self.politeness.answered(url)
        return fetched

    def _attempt(self, url: str, accept: str, validators: Validators | None) -> Fetched:
        # httpx reads file:///path as a relative URL; the same file as file://localhost/path
        # goes to our transport (and is reported back in the form the user gave)
        local = url.startswith("file:///")
        target = "file://localhost/" + url[len("file:///"):] if local else url
        deadline = self.clock() + self.settings.total_timeout
        limit = self.settings.max_bytes
        _deadline.current = (self.clock, deadline)
        try:
            with closing(self._send(url, target, accept, validators)) as response:
                if response.status_code == 304 and validators is not None:
                    return Fetched(
                        url=url, final_url=url if local else str(response.url), status=304,
                        headers={k.lower(): v for k, v in response.headers.items()},
                        content=b"", fetched_at=dt.datetime.now(dt.UTC),
                    )
                if not 200 <= response.status_code < 300:
                    # a 3xx here has no usable Location (or is a 304 nobody asked for)
                    transient = response.status_code in (408, 425, 429) or response.status_code >= 500
                    raise FetchError(url, f"http_{response.status_code}",
                                     response.reason_phrase or "error status", transient,
                                     status=response.status_code,
                                     retry_after=retry_after(response.headers.get("retry-after")))
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > limit and not response.headers.get(
                    "content-encoding"
                ):
                    raise FetchError(url, "too_large", f"{declared} bytes declared, cap {limit}")
                # the cap counts decoded bytes, inflated a piece at a time: a gzip bomb stops
                # at the cap instead of filling memory
                inflaters = _inflaters(response.headers.get("content-encoding", ""))
                body = bytearray()
                for raw, final in _with_end(response.iter_raw()):
                    for piece in _decoded(raw, inflaters, final):
                        body += piece
                        if len(body) > limit:
                            raise FetchError(url, "too_large", f"more than {limit} bytes")
                    if self.clock() > deadline:
                        raise _late(url, self.settings)
                return Fetched(
                    url=url,
                    final_url=url if local else str(response.url),
                    status=response.status_code,
                    headers={k.lower(): v for k, v in response.headers.items()},
                    content=bytes(body),
                    fetched_at=dt.datetime.now(dt.UTC),
                )
        except Refused as error:
            hop = "" if error.url in (url, target) else f"redirect to {error.url} refused: "
            raise FetchError(url, "refused", hop + error.reason) from None
        except httpx.TimeoutException as error:
            if self.clock() >= deadline:
                raise _late(url, self.settings) from None
            raise FetchError(url, "timeout", type(error).__name__, transient=True) from None
        except zlib.error as error:
            raise FetchError(url, "decoding", f"bad compressed body: {error}") from None
        except httpx.UnsupportedProtocol as error:
            raise FetchError(url, "unsupported", str(error)) from None
        except httpx.InvalidURL as error:
            raise FetchError(url, "invalid_url", str(error)) from None
        except httpx.ConnectError as error:
            raise FetchError(url, "connect", str(error) or "connection failed",
                             transient=True) from None
        except httpx.TransportError as error:
            raise FetchError(url, "network", f"{type(error).__name__}: {error}",
                             transient=True) from None
        finally:
            _deadline.current = None

    def _send(self, url: str, target: str, accept: str,
              validators: Validators | None = None) -> httpx.Response:
        """The response at the end of the redirects, its body not read yet (each hop passes
        the guard in the transport)."""
        headers = {"Accept": accept}
        if validators is not None:
            if validators.etag:
                headers["If-None-Match"] = validators.etag
            if validators.last_modified:
                headers["If-Modified-Since"] = validators.last_modified
        request = self.client.build_request("GET", target, headers=headers)
        for _ in range(self.settings.max_redirects + 1):
            response = self.client.send(request, stream=True)
            if response.next_request is None:
                return response
            response.close()
            request = response.next_request
            if request.url.scheme not in ("http", "https"):
                # a remote server must not make newsetl read local files (file://localhost/...)
                raise FetchError(url, "unsupported",
                                 f"redirect to {request.url} refused: only http(s) is followed")
        raise FetchError(url, "redirect_loop", f"more than {self.settings.max_redirects} redirects")


def retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta seconds or an HTTP date), None if unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(float(value), MAX_RETRY_AFTER)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    # a date in 9999 is a broken server, not a reason to stop polling for ever
    return min(max((when - dt.datetime.now(dt.UTC)).total_seconds(), 0.0), MAX_RETRY_AFTER)


def _again(url: str, cause: Exception) -> FetchError:
    """The error a URL gets without a request: its own earlier failure, or its host's."""
    if isinstance(cause, FetchError) and cause.url == url:
        return cause
    if isinstance(cause, FetchError):
        detail = str(cause).removeprefix(f"{cause.url}: {cause.kind}: ")
        return FetchError(url, cause.kind, detail, cause.transient, cause.status,
                          cause.retry_after)
    return FetchError(url, "network", str(cause), transient=True)


def _late(url: str, settings: Settings) -> FetchError:
    return FetchError(url, "timeout", f"not complete after {settings.total_timeout} s",
                      transient=True)


# the running fetch's (clock, deadline) in this thread: every socket wait of the attempt,
# from connect to the last body byte, ends by then, however slowly a server trickles
_deadline = threading.local()
# the running fetch's guard in this thread: the transport checks every request against it
_policy = threading.local()


def current_guard(default: Guard) -> Guard:
    """The guard of the fetch running in this thread, else ``default``."""
    return getattr(_policy, "guard", None) or default


def _time_left(timeout: float | None) -> float | None:
    current = getattr(_deadline, "current", None)
    if current is None:
        return timeout
    clock, deadline = current
    left = deadline - clock()
    if left <= 0:
        raise httpcore.ReadTimeout("total timeout passed")
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self.stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self.stream.read(max_bytes, _time_left(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.stream.write(buffer, _time_left(timeout))

    def close(self) -> None:
        self.stream.close()

    def start_tls(self, ssl_context: Any, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        return _DeadlineStream(
            self.stream.start_tls(ssl_context, server_hostname, _time_left(timeout))
        )

    def get_extra_info(self, info: str) -> Any:
        return self.stream.get_extra_info(info)


class _GuardedBackend(httpcore.NetworkBackend):
    """Connects to the host's pinned addresses only (the ones the guard checked), every
    socket wait bounded by the fetch's deadline."""

    def __init__(self, backend: httpcore.NetworkBackend, resolver: Resolver) -> None:
        self.backend = backend
        self.resolver = resolver

    def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                    local_address: str | None = None,
                    socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:
        try:
            addresses = self.resolver.addresses(host)
        except OSError as error:
            raise httpcore.ConnectError(str(error)) from None
        failure: Exception | None = None
        for address in addresses:
            try:
                # TLS still names the host (SNI, certificate check): httpcore passes it on
                return _DeadlineStream(self.backend.connect_tcp(
                    address, port, _time_left(timeout), local_address, socket_options))
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as error:
                failure = error
        raise failure or httpcore.ConnectError(f"{host}: no address to connect to")

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("unix sockets are not fetched")

    def sleep(self, seconds: float) -> None:
        self.backend.sleep(seconds)


class _GuardedTransport(httpx.HTTPTransport):
    """httpx's own transport with the SSRF guard on every request (each redirect hop, each
    robots.txt) and sockets bounded by the fetch's total deadline."""

    def __init__(self, resolver: Resolver, default: Guard, **options: Any) -> None:
        super().__init__(**options)
        self.resolver = resolver
        self.default = default
        # httpx takes no network backend; its httpcore pool does, so we wrap the one it made
        self._pool._network_backend = _GuardedBackend(self._pool._network_backend, resolver)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        if url.scheme not in ("http", "https"):
            return super().handle_request(request)  # httpx names it: unsupported
        host = url.raw_host.decode("ascii", "replace")
        try:
            addresses = self.resolver.addresses(host) if host else []
        except OSError as error:
            raise httpx.ConnectError(str(error), request=request) from None
        reason = current_guard(self.default).refusal(url.scheme, host, url.port, addresses)
        if reason:
            raise Refused(str(url), reason)
        return super().handle_request(request)


_PIECE = 65536
"""the most bytes one inflate step returns"""


class _Inflater:
    """Decodes one gzip or deflate content coding, at most _PIECE bytes per step."""

    def __init__(self, coding: str) -> None:
        # deflate: the first two bytes tell zlib-wrapped (as meant) from raw (as some servers
        # send it, and httpx takes too)
        self.head: bytes | None = b"" if coding == "deflate" else None
        self.decoder = zlib.decompressobj(zlib.MAX_WBITS | 16)
        self.fed = False

    def decode(self, data: bytes) -> Iterator[bytes]:
        self.fed = self.fed or bool(data)
        if self.head is not None:
            self.head += data
            if len(self.head) < 2:
                return
            data, self.head = self.head, None
            wrapped = data[0] & 0x0F == 8 and int.from_bytes(data[:2], "big") % 31 == 0
            self.decoder = zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)
        # bytes after the end of the stream are ignored, as httpx does, and never buffered
        while not self.decoder.eof:
            piece = self.decoder.decompress(data, _PIECE)
            data = self.decoder.unconsumed_tail
            if piece:
                yield piece
            if not data and len(piece) < _PIECE:
                return

    def flush(self) -> bytes:
        """The rest of the body; raises zlib.error if the compressed stream is cut short
        (a truncated download must not pass for a whole, shorter page)."""
        if not self.fed:  # no body at all (a HEAD-like answer): nothing to decode
            return b""
        if self.head is not None:  # a deflate body of less than two bytes
            raise zlib.error("a compressed body of one byte")
        rest = self.decoder.flush()
        if not self.decoder.eof:
            raise zlib.error("the compressed body ends before its end of stream (cut short)")
        return rest


def _inflaters(header: str) -> list[_Inflater]:
    """Decoders for a Content-Encoding header, outermost coding first; others pass through."""
    codings = [c.strip().lower() for c in header.split(",")]
    return [_Inflater("deflate" if c == "deflate" else "gzip")
            for c in reversed(codings) if c in ("gzip", "x-gzip", "deflate")]


def _decoded(data: bytes, inflaters: Sequence[_Inflater], final: bool) -> Iterator[bytes]:
    """``data`` through each coding in turn; ``final`` flushes them at the end of the body."""
    if not inflaters:
        if data:
            yield data
        return
    head, rest = inflaters[0], inflaters[1:]
    for piece in head.decode(data):
        yield from _decoded(piece, rest, False)
    if final:
        yield from _decoded(head.flush(), rest, True)


def _with_end(chunks: Iterable[bytes]) -> Iterator[tuple[bytes, bool]]:
    """Each chunk with False, then an empty chunk with True."""
    for chunk in chunks:
        yield chunk, False
    yield b"", True
