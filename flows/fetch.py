"""The one HTTP seam: fetch a URL with timeouts, a total deadline, a size cap and redirects.

``file://`` URLs go through the same client (a transport of their own), so local feeds and the
bundled sample take exactly the path a remote feed takes.
"""

from __future__ import annotations

import datetime as dt
import mimetypes
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

import httpx

from extract.errors import NewsetlError
from flows.settings import Settings


class FetchError(NewsetlError):
    """A URL could not be fetched; ``kind`` names why, ``transient`` says a retry may help."""

    def __init__(self, url: str, kind: str, detail: str, transient: bool = False) -> None:
        self.url = url
        self.kind = kind
        self.transient = transient
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


class FileTransport(httpx.BaseTransport):
    """Serves ``file://`` URLs from the local disk, as a GET-only HTTP server would."""

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        parts = urlsplit(str(request.url))
        if parts.netloc not in ("", "localhost"):
            return httpx.Response(404, request=request)
        # url2pathname decodes %XX itself: decoding first too would turn a file named
        # "100%25.xml" (URL ...100%2525.xml) into "100%.xml"
        path = Path(url2pathname(parts.path))
        if not path.is_file():
            # directories, and FIFOs or devices that would block or never end
            return httpx.Response(404, request=request)
        try:
            stream = path.open("rb")
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            return httpx.Response(404, request=request)
        except PermissionError:
            return httpx.Response(403, request=request)
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return httpx.Response(
            200,
            headers={"content-type": kind, "content-length": str(path.stat().st_size)},
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

    def __init__(self, settings: Settings, clock: Callable[[], float] = time.monotonic) -> None:
        self.settings = settings
        self.clock = clock
        self.client = httpx.Client(
            follow_redirects=True,
            max_redirects=settings.max_redirects,
            timeout=httpx.Timeout(
                settings.read_timeout, connect=settings.connect_timeout, pool=settings.total_timeout
            ),
            limits=httpx.Limits(max_connections=max(settings.concurrency, 1) * 2),
            headers={
                "User-Agent": settings.user_agent,
                # no brotli or zstd: httpx decodes them only with extra packages
                "Accept-Encoding": "gzip, deflate",
            },
            mounts={"file://": FileTransport()},
        )

    def close(self) -> None:
        """Close the connection pool."""
        self.client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def fetch(self, url: str, accept: str = "*/*") -> Fetched:
        """GET ``url`` in full or raise FetchError; transient errors are retried with backoff."""
        attempt = 0
        while True:
            try:
                return self._fetch_once(url, accept)
            except FetchError as error:
                if not error.transient or attempt >= self.settings.retries:
                    raise
                attempt += 1
                time.sleep(min(0.5 * 2**attempt, 10.0))

    def _fetch_once(self, url: str, accept: str) -> Fetched:
        # httpx reads file:///path as a relative URL; the same file as file://localhost/path
        # goes to our transport (and is reported back in the form the user gave)
        local = url.startswith("file:///")
        target = "file://localhost/" + url[len("file:///"):] if local else url
        started = self.clock()
        deadline = started + self.settings.total_timeout
        limit = self.settings.max_bytes
        try:
            with self.client.stream("GET", target, headers={"Accept": accept}) as response:
                if response.status_code >= 400:
                    transient = response.status_code in (408, 425, 429) or response.status_code >= 500
                    raise FetchError(url, f"http_{response.status_code}",
                                     response.reason_phrase or "error status", transient)
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > limit and not response.headers.get(
                    "content-encoding"
                ):
                    raise FetchError(url, "too_large", f"{declared} bytes declared, cap {limit}")
                body = bytearray()
                # iter_bytes decodes gzip/deflate: the cap counts decoded bytes (no gzip bombs)
                for chunk in response.iter_bytes():
                    body += chunk
                    if len(body) > limit:
                        raise FetchError(url, "too_large", f"more than {limit} bytes")
                    if self.clock() > deadline:
                        raise FetchError(
                            url, "timeout", f"not complete after {self.settings.total_timeout} s",
                            transient=True,
                        )
                return Fetched(
                    url=url,
                    final_url=url if local else str(response.url),
                    status=response.status_code,
                    headers={k.lower(): v for k, v in response.headers.items()},
                    content=bytes(body),
                    fetched_at=dt.datetime.now(dt.UTC),
                )
        except httpx.TooManyRedirects:
            raise FetchError(url, "redirect_loop",
                             f"more than {self.settings.max_redirects} redirects") from None
        except httpx.TimeoutException as error:
            raise FetchError(url, "timeout", type(error).__name__, transient=True) from None
        except httpx.DecodingError as error:
            raise FetchError(url, "decoding", f"bad compressed body: {error}") from None
        except httpx.UnsupportedProtocol as error:
            raise FetchError(url, "unsupported", str(error)) from None
        except httpx.ConnectError as error:
            raise FetchError(url, "connect", str(error) or "connection failed",
                             transient=True) from None
        except httpx.TransportError as error:
            raise FetchError(url, "network", f"{type(error).__name__}: {error}",
                             transient=True) from None
