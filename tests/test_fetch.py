"""The HTTP seam against real servers on 127.0.0.1: bytes, headers, limits, redirects, failures.

pytest-httpserver answers the well-behaved requests; a small socket server in this module plays the
misbehaving ones (never answering, trickling bytes, chunked bodies without end).
"""

from __future__ import annotations

import datetime as dt
import gzip
import os
import socket
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from importlib.metadata import version
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Response

from newsetl.flows.fetch import Fetched, Fetcher, FetchError
from newsetl.flows.settings import Settings
from tests.memory import peak_rss

# small limits keep the module fast; each test widens only what it needs
FAST = Settings(connect_timeout=1.0, read_timeout=1.0, total_timeout=2.0, max_bytes=10_000,
                max_redirects=3, retries=0, contact="https://example.org/newsetl-contact",
                host_delay=0.0, obey_robots=False)
TEXT = ("Provinces agree emergency water-sharing deal as the Sarn hits a record low. " * 40).encode()


def fetch(url: str, accept: str = "*/*", sleeps: list[float] | None = None, **settings) -> Fetched:
    """Fetch ``url`` with FAST settings changed by ``settings``; retry waits go to ``sleeps``."""
    waits = [] if sleeps is None else sleeps
    with Fetcher(replace(FAST, **settings), sleep=waits.append) as fetcher:
        # the URL is the user's own, as a listed feed is: its origin (or folder) is trusted
        return fetcher.fetch(url, accept=accept, guard=fetcher.trusting([url]))


def failure(url: str, **settings) -> FetchError:
    """The FetchError fetching ``url`` raises."""
    with pytest.raises(FetchError) as caught:
        fetch(url, **settings)
    return caught.value


def served_headers(fetched: Fetched) -> dict[str, str]:
    """The response headers without the two werkzeug sets per run (date, server)."""
    return {k: v for k, v in fetched.headers.items() if k not in ("date", "server")}


@contextmanager
def raw_server(answer: Callable[[socket.socket, threading.Event], None],
               lifetime: float = 6.0) -> Iterator[str]:
    """A TCP server on 127.0.0.1 that reads each request and lets ``answer`` write the reply.

    ``answer`` gets the connection and an event that is set when the test is done, or after
    ``lifetime`` seconds at the latest: the server stops by itself even if a test hangs.
    """
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.05)
    port = listener.getsockname()[1]
    stop = threading.Event()
    timer = threading.Timer(lifetime, stop.set)
    timer.daemon = True

    def serve() -> None:
        with listener:
            while not stop.is_set():
                try:
                    conn, _ = listener.accept()
                except TimeoutError:
                    continue
                with conn:
                    conn.settimeout(lifetime)
                    try:
                        conn.recv(65536)
                        answer(conn, stop)
                    except OSError:  # the client hung up: what the tests want of it
                        pass

    thread = threading.Thread(target=serve, name="raw-server", daemon=True)
    timer.start()
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        stop.set()
        timer.cancel()
        thread.join(lifetime)


def never_answer(conn: socket.socket, stop: threading.Event) -> None:
    stop.wait(6.0)


def trickle(head: bytes) -> Callable[[socket.socket, threading.Event], None]:
    """Send ``head`` at once, then one byte every 0.1 s until the test ends."""

    def answer(conn: socket.socket, stop: threading.Event) -> None:
        conn.sendall(head)
        while not stop.wait(0.1):
            conn.sendall(b"a")

    return answer


def endless_chunks(conn: socket.socket, stop: threading.Event) -> None:
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n")
    while not stop.is_set():
        conn.sendall(b"3e8\r\n" + b"x" * 1000 + b"\r\n")


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on."""
    with socket.create_server(("127.0.0.1", 0)) as probe:
        return probe.getsockname()[1]


def test_a_plain_200_returns_the_exact_bytes_status_url_and_lowercased_headers(
    httpserver: HTTPServer,
) -> None:
    body = b"<?xml version='1.0'?><rss>\x00\xff caf\xc3\xa9</rss>"
    httpserver.expect_request("/feed.xml").respond_with_data(
        body, content_type="application/rss+xml", headers={"X-Feed-Build": "42"})
    url = httpserver.url_for("/feed.xml")
    before = dt.datetime.now(dt.UTC)

    fetched = fetch(url)

    assert (fetched.url, fetched.final_url, fetched.status, fetched.content) == (url, url, 200, body)
    assert served_headers(fetched) == {
        "content-type": "application/rss+xml",
        "content-length": str(len(body)),
        "x-feed-build": "42",
        "connection": "close",
    }
    assert before <= fetched.fetched_at <= dt.datetime.now(dt.UTC)


def test_the_request_names_newsetl_its_version_and_the_contact(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/feed.xml").respond_with_data("<rss/>")

    fetch(httpserver.url_for("/feed.xml"), accept="application/rss+xml")

    [(request, _)] = httpserver.log
    sent = {name: request.headers.get(name) for name in ("User-Agent", "Accept-Encoding", "Accept")}
    assert sent == {
        "User-Agent": f"newsetl/{version('newsetl')} (+https://example.org/newsetl-contact)",
        "Accept-Encoding": "gzip, deflate",
        "Accept": "application/rss+xml",
    }


@pytest.mark.parametrize("coding, encode", [
    pytest.param("gzip", gzip.compress, id="gzip"),
    pytest.param("x-gzip", gzip.compress, id="x-gzip"),
    pytest.param("deflate", zlib.compress, id="deflate_with_zlib_header"),
    pytest.param("deflate", lambda data: zlib.compress(data, wbits=-15),
                 id="deflate_raw_as_some_servers_send_it"),
    pytest.param("gzip, gzip", lambda data: gzip.compress(gzip.compress(data)), id="gzip_twice"),
])
def test_compressed_bodies_are_decoded(httpserver: HTTPServer, coding: str, encode) -> None:
    httpserver.expect_request("/page").respond_with_data(encode(TEXT),
                                                        headers={"Content-Encoding": coding})

    assert fetch(httpserver.url_for("/page")).content == TEXT


def test_a_body_that_is_not_what_its_content_encoding_says_is_a_decoding_error(
    httpserver: HTTPServer,
) -> None:
    httpserver.expect_request("/page").respond_with_data(b"plain, not gzip at all",
                                                        headers={"Content-Encoding": "gzip"})

    error = failure(httpserver.url_for("/page"), retries=2)

    assert (error.kind, error.transient) == ("decoding", False)
    assert len(httpserver.log) == 1


@pytest.mark.parametrize("coding, encode", [
    pytest.param("gzip", gzip.compress, id="gzip"),
    pytest.param("deflate", zlib.compress, id="deflate"),
    pytest.param("deflate", lambda data: zlib.compress(data, wbits=-15), id="raw_deflate"),
])
def test_a_compressed_body_cut_short_is_a_decoding_error_not_a_shorter_page(
    httpserver: HTTPServer, coding: str, encode
) -> None:
    # issue 14: a gzip body cut short was stored as a truncated article with no error
    whole = encode(TEXT * 20)
    httpserver.expect_request("/page").respond_with_data(whole[:len(whole) * 2 // 3],
                                                        headers={"Content-Encoding": coding})

    error = failure(httpserver.url_for("/page"), max_bytes=100_000)

    assert (error.kind, error.transient) == ("decoding", False)
    assert "cut short" in str(error)


def test_an_empty_body_with_a_content_encoding_is_empty(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/page").respond_with_data(b"", headers={"Content-Encoding": "gzip"})

    assert fetch(httpserver.url_for("/page")).content == b""


def test_a_body_of_exactly_max_bytes_is_read(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/page").respond_with_data(b"x" * 10_000)

    assert fetch(httpserver.url_for("/page")).content == b"x" * 10_000


def test_a_declared_length_over_the_cap_is_too_large(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/big").respond_with_data(b"x" * 10_001)
    url = httpserver.url_for("/big")

    error = failure(url, retries=2)

    assert (str(error), error.transient) == (
        f"{url}: too_large: 10001 bytes declared, cap 10000", False)
    assert len(httpserver.log) == 1


def test_a_body_without_a_length_stops_at_the_cap(httpserver: HTTPServer) -> None:
    # werkzeug's test server speaks HTTP/1.0: no Content-Length means "until the connection closes"
    httpserver.expect_request("/big").respond_with_response(
        Response(iter([b"x" * 6_000, b"x" * 6_000])))
    url = httpserver.url_for("/big")

    assert str(failure(url)) == f"{url}: too_large: more than 10000 bytes"


def test_an_endless_chunked_body_stops_at_the_cap() -> None:
    with raw_server(endless_chunks) as url:
        error = failure(url)

    # were it read to the end, the total deadline would end it as a timeout
    assert str(error) == f"{url}: too_large: more than 10000 bytes"


def test_a_gzip_bomb_stops_at_the_cap_without_inflating_it() -> None:
    # 32 MiB of zeros in 32 KiB, sent again and again: the compressed stream has no end either,
    # so reading it all would end in a timeout, and inflating a whole read in one go (32 MiB
    # at once) would show in the peak memory
    bomb = gzip.compress(bytes(32 << 20), compresslevel=9)

    def answer(conn: socket.socket, stop: threading.Event) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n\r\n")
        while not stop.is_set():
            conn.sendall(bomb)

    with raw_server(answer) as url, Fetcher(replace(FAST, max_bytes=100_000)) as fetcher:
        # measured after the client is built: its TLS setup is no part of this
        with peak_rss() as peak, pytest.raises(FetchError) as caught:
            fetcher.fetch(url, guard=fetcher.trusting([url]))

    assert str(caught.value) == f"{url}: too_large: more than 100000 bytes"
    # inflating one 32 MiB read at once would take that much resident memory (in zlib)
    assert peak.growth < 8_000_000, f"fetching a gzip bomb grew the process by {peak.growth:,} B"


def redirect(httpserver: HTTPServer, path: str, location: str, status: int = 302) -> None:
    httpserver.expect_request(path).respond_with_data("", status=status,
                                                     headers={"Location": location})


def test_redirects_are_followed_up_to_max_redirects(httpserver: HTTPServer) -> None:
    redirect(httpserver, "/feed", "/moved", status=301)
    redirect(httpserver, "/moved", httpserver.url_for("/moved-again"), status=307)
    redirect(httpserver, "/moved-again", "final.xml", status=308)
    httpserver.expect_request("/final.xml").respond_with_data("<rss/>")
    url = httpserver.url_for("/feed")

    fetched = fetch(url, max_redirects=3)

    assert (fetched.url, fetched.final_url, fetched.content) == (
        url, httpserver.url_for("/final.xml"), b"<rss/>")
    assert [request.path for request, _ in httpserver.log] == [
        "/feed", "/moved", "/moved-again", "/final.xml"]


def test_one_redirect_more_than_max_redirects_is_a_redirect_loop(httpserver: HTTPServer) -> None:
    for hop in range(4):
        redirect(httpserver, f"/{hop}", f"/{hop + 1}")
    httpserver.expect_request("/4").respond_with_data("<rss/>")
    url = httpserver.url_for("/0")

    error = failure(url, max_redirects=3, retries=2)

    assert (str(error), error.transient) == (
        f"{url}: redirect_loop: more than 3 redirects", False)
    assert [request.path for request, _ in httpserver.log] == ["/0", "/1", "/2", "/3"]


def test_a_redirect_loop_stops(httpserver: HTTPServer) -> None:
    redirect(httpserver, "/a", "/b")
    redirect(httpserver, "/b", "/a")

    error = failure(httpserver.url_for("/a"), max_redirects=3)

    assert error.kind == "redirect_loop"
    assert [request.path for request, _ in httpserver.log] == ["/a", "/b", "/a", "/b"]


@pytest.mark.parametrize("form", ["file://localhost{}", "file://{}"],
                         ids=["file_localhost", "file_triple_slash"])
def test_a_redirect_to_a_local_file_is_refused(httpserver: HTTPServer, tmp_path: Path,
                                               form: str) -> None:
    secret = tmp_path / "secret.html"
    secret.write_text("<p>private</p>")
    redirect(httpserver, "/feed", form.format(secret))

    error = failure(httpserver.url_for("/feed"))

    assert (error.kind, error.transient) == ("unsupported", False)
    assert "redirect to file://" in str(error)


def test_a_redirect_without_a_location_is_an_error(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/feed").respond_with_data("", status=302)

    assert failure(httpserver.url_for("/feed")).kind == "http_302"


def test_a_404_is_final_and_not_retried(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/gone.xml").respond_with_data("gone", status=404)
    url = httpserver.url_for("/gone.xml")
    sleeps: list[float] = []

    with pytest.raises(FetchError) as caught:
        fetch(url, retries=2, sleeps=sleeps)

    assert (str(caught.value), caught.value.transient) == (f"{url}: http_404: NOT FOUND", False)
    assert (len(httpserver.log), sleeps) == (1, [])


def test_a_503_is_transient_and_retried_with_backoff(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/busy.xml").respond_with_data("busy", status=503)
    url = httpserver.url_for("/busy.xml")
    sleeps: list[float] = []

    with pytest.raises(FetchError) as caught:
        fetch(url, retries=2, sleeps=sleeps)

    assert (caught.value.kind, caught.value.transient) == ("http_503", True)
    assert (len(httpserver.log), sleeps) == (3, [1.0, 2.0])


def test_a_retry_that_succeeds_returns_the_response(httpserver: HTTPServer) -> None:
    httpserver.expect_oneshot_request("/flaky.xml").respond_with_data("busy", status=503)
    httpserver.expect_request("/flaky.xml").respond_with_data("<rss/>")
    sleeps: list[float] = []

    fetched = fetch(httpserver.url_for("/flaky.xml"), retries=2, sleeps=sleeps)

    assert (fetched.status, fetched.content, len(httpserver.log), sleeps) == (
        200, b"<rss/>", 2, [1.0])


def test_the_backoff_doubles_up_to_ten_seconds(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/busy.xml").respond_with_data("busy", status=429)
    sleeps: list[float] = []

    with pytest.raises(FetchError):
        fetch(httpserver.url_for("/busy.xml"), retries=6, sleeps=sleeps)

    assert sleeps == [1.0, 2.0, 4.0, 8.0, 10.0, 10.0]


def test_a_server_that_never_answers_times_out_after_the_read_timeout() -> None:
    with raw_server(never_answer) as url:
        started = time.monotonic()
        error = failure(url, read_timeout=0.5, total_timeout=5.0)
        elapsed = time.monotonic() - started

    assert (str(error), error.transient) == (f"{url}: timeout: ReadTimeout", True)
    assert 0.45 < elapsed < 0.5 + 2.0


@pytest.mark.parametrize("head", [
    pytest.param(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 9000\r\n\r\n",
                 id="body_trickles"),
    pytest.param(b"HTTP/1.1 200 OK\r\nX-Slow: ", id="headers_trickle"),
])
def test_a_trickling_server_times_out_at_the_total_deadline(head: bytes) -> None:
    # each byte comes well within read_timeout; only the total deadline can end this
    with raw_server(trickle(head)) as url:
        started = time.monotonic()
        error = failure(url, read_timeout=0.5, total_timeout=0.5)
        elapsed = time.monotonic() - started

    assert (str(error), error.transient) == (f"{url}: timeout: not complete after 0.5 s", True)
    assert 0.45 < elapsed < 0.5 + 2.0


def test_a_closed_port_is_a_transient_connect_error() -> None:
    url = f"http://127.0.0.1:{closed_port()}/feed.xml"
    sleeps: list[float] = []

    with pytest.raises(FetchError) as caught:
        fetch(url, retries=1, sleeps=sleeps)

    assert (caught.value.kind, caught.value.transient, sleeps) == ("connect", True, [1.0])


@pytest.mark.parametrize("url, kind", [
    ("ftp://127.0.0.1/feed.xml", "unsupported"),
    ("127.0.0.1/feed.xml", "unsupported"),
    ("http://[::1/feed.xml", "invalid_url"),
], ids=["ftp_scheme", "no_scheme", "unclosed_ipv6_bracket"])
def test_urls_newsetl_cannot_fetch_are_final_errors(url: str, kind: str) -> None:
    error = failure(url, retries=2)

    assert (error.url, error.kind, error.transient) == (url, kind, False)


@pytest.mark.parametrize("name", ["page.html", "with space.html", "a%20b.html", "ünïcödé.html"],
                         ids=["plain", "space", "literal_percent", "non_ascii"])
def test_a_file_url_is_read_with_a_guessed_content_type(tmp_path: Path, name: str) -> None:
    page = tmp_path / name
    page.write_bytes(b"<p>local</p>")
    url = page.as_uri()

    fetched = fetch(url)

    assert (fetched.url, fetched.final_url, fetched.status, fetched.content, fetched.headers) == (
        url, url, 200, b"<p>local</p>", {"content-type": "text/html", "content-length": "12"})


def test_a_file_url_with_a_literal_space_is_read(tmp_path: Path) -> None:
    (tmp_path / "my feed.json").write_text("{}")

    fetched = fetch(f"file://{tmp_path}/my feed.json")

    assert (fetched.content, fetched.headers["content-type"]) == (b"{}", "application/json")


def test_a_file_of_unknown_type_is_an_octet_stream(tmp_path: Path) -> None:
    (tmp_path / "feed.unknownext").write_bytes(b"\x00\x01")

    assert fetch((tmp_path / "feed.unknownext").as_uri()).headers == {
        "content-type": "application/octet-stream", "content-length": "2"}


def test_a_file_url_through_localhost_is_read(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text("<p>local</p>")
    url = f"file://localhost{tmp_path}/page.html"

    fetched = fetch(url)

    assert (fetched.content, fetched.final_url) == (b"<p>local</p>", url)


@pytest.mark.parametrize("make", [
    pytest.param(lambda folder: None, id="missing_file"),
    pytest.param(lambda folder: (folder / "target").mkdir(), id="directory"),
])
def test_a_missing_file_or_a_directory_is_a_404(tmp_path: Path, make) -> None:
    make(tmp_path)
    url = (tmp_path / "target").as_uri()

    error = failure(url, retries=2)

    assert (error.url, error.kind, error.transient) == (url, "http_404", False)


def test_a_fifo_is_a_404_and_does_not_block(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.xml"
    os.mkfifo(fifo)
    outcome: list[BaseException | Fetched] = []

    def attempt() -> None:
        try:
            outcome.append(fetch(fifo.as_uri()))
        except BaseException as error:  # noqa: BLE001 - handed to the test thread
            outcome.append(error)

    worker = threading.Thread(target=attempt, daemon=True)
    worker.start()
    worker.join(2.0)
    if worker.is_alive():
        # opening a FIFO to read waits for a writer: be that writer, so the thread ends
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        worker.join(2.0)
        pytest.fail("fetching a FIFO blocked")
    [error] = outcome
    assert isinstance(error, FetchError) and error.kind == "http_404"
