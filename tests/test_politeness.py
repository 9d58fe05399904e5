"""Per-host politeness: one request at a time per host, a delay between them, robots.txt."""

from __future__ import annotations

import threading
import time
from dataclasses import replace

import pytest
from pytest_httpserver import HTTPServer

from newsetl.flows.fetch import Fetcher, FetchError
from newsetl.flows.politeness import Politeness, host_key
from tests.test_fetch import FAST

POLITE = replace(FAST, host_delay=0.3, obey_robots=True, per_host=1, concurrency=8,
                 allow_hosts="localhost, 127.0.0.1")


@pytest.fixture(autouse=True)
def _own_robots_store(tmp_path, monkeypatch) -> None:
    """Each test keeps robots.txt answers in a folder of its own: the test server's port is
    the same for the whole session, and a stored answer would leak into the next test."""
    monkeypatch.chdir(tmp_path)


def test_host_keys() -> None:
    assert host_key("https://Example.org:8443/a?b") == "https://example.org:8443"
    assert host_key("file:///tmp/feed.xml") == ""
    assert host_key("http://[::1") == ""


def test_requests_to_one_host_are_spaced_and_one_at_a_time(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    in_flight, peak = [0], [0]
    lock = threading.Lock()

    def slow(request):
        from werkzeug import Response

        with lock:
            in_flight[0] += 1
            peak[0] = max(peak[0], in_flight[0])
        time.sleep(0.05)
        with lock:
            in_flight[0] -= 1
        return Response("ok")

    httpserver.expect_request("/page").respond_with_handler(slow)
    starts: list[float] = []
    with Fetcher(POLITE) as fetcher:
        def get() -> None:
            fetcher.fetch(httpserver.url_for("/page"))
            starts.append(time.monotonic())

        threads = [threading.Thread(target=get) for _ in range(4)]
        began = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=10)
    assert peak[0] == 1
    # robots.txt first, then four pages: five requests 0.3 s apart at the least
    assert time.monotonic() - began >= 4 * 0.3 - 0.05
    assert [entry[0].path for entry in httpserver.log].count("/robots.txt") == 1


def test_robots_txt_is_obeyed_with_its_crawl_delay(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data(
        "User-agent: *\nDisallow: /private/\nCrawl-delay: 0.5\n")
    httpserver.expect_request("/public").respond_with_data("ok")
    with Fetcher(replace(POLITE, host_delay=0.0)) as fetcher:
        with pytest.raises(FetchError) as raised:
            fetcher.fetch(httpserver.url_for("/private/page"))
        began = time.monotonic()
        fetcher.fetch(httpserver.url_for("/public"))
        fetcher.fetch(httpserver.url_for("/public"))
        took = time.monotonic() - began
        # a feed the user listed is read whatever robots.txt says
        httpserver.expect_request("/private/feed.xml").respond_with_data("<rss/>")
        assert fetcher.fetch(httpserver.url_for("/private/feed.xml"), robots=False).status == 200
    assert raised.value.kind == "robots_denied"
    assert took >= 0.5
    assert "/private/page" not in [entry[0].path for entry in httpserver.log]


def test_a_robots_txt_server_error_disallows_everything(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data("oops", status=503)
    with Fetcher(POLITE) as fetcher, pytest.raises(FetchError) as raised:
        fetcher.fetch(httpserver.url_for("/page"))
    assert raised.value.kind == "robots_denied"


def test_retry_after_holds_the_host_off() -> None:
    now = [100.0]
    waits: list[float] = []
    gate = Politeness(1, 0.0, clock=lambda: now[0], sleep=waits.append)
    gate.hold_off("https://news.example/a", 30)
    with gate.turn("https://news.example/b"):
        pass
    with gate.turn("https://other.example/b"):
        pass
    assert waits == [30.0]
