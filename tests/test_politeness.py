"""Per-host politeness: one request at a time per host, a delay between them, robots.txt."""

from __future__ import annotations

import json
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


def clocked(settings=POLITE, **changes):
    """A Fetcher whose sleeps only advance a fake clock: waits are counted, not waited."""
    now = [1000.0]
    sleeps: list[float] = []

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        now[0] += seconds

    fetcher = Fetcher(replace(settings, obey_robots=False, **changes), clock=lambda: now[0],
                      sleep=sleep)
    return fetcher, sleeps


@pytest.mark.parametrize("header", ["315360000", "Fri, 31 Dec 9999 23:59:59 GMT"],
                         ids=["ten_years", "year_9999"])
def test_a_pause_longer_than_max_hold_off_is_not_waited_and_closes_the_host(
    httpserver: HTTPServer, header: str
) -> None:
    # issue 14: a Retry-After of years held the run, and the other feeds of that host, for hours
    httpserver.expect_request("/a.xml").respond_with_data(
        "busy", status=429, headers={"Retry-After": header})
    httpserver.expect_request("/b.xml").respond_with_data("<rss/>")
    fetcher, sleeps = clocked(retries=3, max_hold_off=300.0)
    with fetcher, pytest.raises(FetchError) as first:
        fetcher.fetch(httpserver.url_for("/a.xml"))
    with fetcher, pytest.raises(FetchError) as second:
        fetcher.fetch(httpserver.url_for("/b.xml"))

    assert sleeps == []
    assert (first.value.kind, first.value.retry_after) == ("http_429", 86400.0)
    # the host's other URLs fail at once, with the host's answer (and its pause, a day at most)
    assert (second.value.kind, second.value.retry_after) == ("http_429", 86400.0)
    assert "longer than max_hold_off (300 s): not asked again in this run" in str(second.value)
    assert [e[0].path for e in httpserver.log] == ["/a.xml"]


def test_a_pause_within_max_hold_off_is_waited_then_retried(httpserver: HTTPServer) -> None:
    answers = iter([("busy", 503, {"Retry-After": "120"}), ("<rss/>", 200, {})])

    def handler(request):
        from werkzeug import Response

        body, status, headers = next(answers)
        return Response(body, status=status, headers=headers)

    httpserver.expect_request("/a.xml").respond_with_handler(handler)
    fetcher, sleeps = clocked(retries=1, max_hold_off=300.0)
    with fetcher:
        assert fetcher.fetch(httpserver.url_for("/a.xml")).content == b"<rss/>"
    assert sum(sleeps) >= 120.0


def test_a_url_has_one_retry_budget_per_run(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/down.html").respond_with_data("down", status=503)
    fetcher, _ = clocked(retries=2)
    with fetcher:
        for _ in range(3):
            with pytest.raises(FetchError) as caught:
                fetcher.fetch(httpserver.url_for("/down.html"))
            assert caught.value.kind == "http_503"
    # one first try and two retries in all, however often the run asks for the URL
    assert [e[0].path for e in httpserver.log] == ["/down.html"] * 3


def test_a_host_failing_in_a_row_is_closed_for_the_run() -> None:
    # issue 14: a trickling server cost about 4x total_timeout per page, ten links half an hour
    from tests.test_fetch import raw_server, trickle

    with raw_server(trickle(b"HTTP/1.1 200 OK\r\nContent-Length: 9000\r\n\r\n"),
                    lifetime=20) as url:
        settings = replace(POLITE, obey_robots=True, retries=2, host_failures=3, host_delay=0.0,
                           read_timeout=1.0, total_timeout=0.4)
        began = time.monotonic()
        failures: list[FetchError] = []
        with Fetcher(settings) as fetcher:
            for n in range(10):
                with pytest.raises(FetchError) as caught:
                    fetcher.fetch(f"{url}page{n}", guard=fetcher.trusting([url]))
                failures.append(caught.value)
        took = time.monotonic() - began

    assert [f.kind for f in failures] == ["timeout"] * 10
    assert "failed 3 times in a row in this run" in str(failures[-1])
    # robots.txt, then the first page and one retry: three deadlines, not forty
    assert took < 3 * 0.4 + 3.0 + 1.0  # three deadlines plus the retry backoffs (1 s + 2 s)


def test_robots_txt_is_kept_between_runs_for_a_day(httpserver: HTTPServer, tmp_path) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nDisallow: /no/\n")
    httpserver.expect_request("/yes").respond_with_data("ok")
    settings = replace(POLITE, host_delay=0.0, robots_cache=str(tmp_path / "robots"))
    for _ in range(2):  # two runs
        with Fetcher(settings) as fetcher:
            fetcher.fetch(httpserver.url_for("/yes"))
            with pytest.raises(FetchError) as caught:
                fetcher.fetch(httpserver.url_for("/no/x"))
            assert caught.value.kind == "robots_denied"
    paths = [e[0].path for e in httpserver.log]
    assert paths.count("/robots.txt") == 1
    # a day later it is asked again; a server error then keeps the last answer in force
    stored = next((tmp_path / "robots").glob("*.json"))
    data = json.loads(stored.read_text())
    data["fetched_at"] = "2000-01-01T00:00:00+00:00"
    stored.write_text(json.dumps(data))
    httpserver.clear()
    httpserver.expect_request("/robots.txt").respond_with_data("down", status=503)
    with Fetcher(settings) as fetcher, pytest.raises(FetchError) as caught:
        fetcher.fetch(httpserver.url_for("/no/x"))
    assert caught.value.kind == "robots_denied"
    assert [e[0].path for e in httpserver.log] == ["/robots.txt"]


def test_a_slow_robots_txt_holds_back_its_own_host_only(httpserver: HTTPServer) -> None:
    from tests.test_fetch import raw_server, trickle

    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/fast").respond_with_data("fast")
    settings = replace(POLITE, host_delay=0.0, read_timeout=2.0, total_timeout=2.0)
    done: dict[str, float] = {}
    with raw_server(trickle(b"HTTP/1.1 200 OK\r\nContent-Length: 9000\r\n\r\n")) as slow, \
            Fetcher(settings) as fetcher:
        began = time.monotonic()

        def get(name: str, url: str) -> None:
            try:
                fetcher.fetch(url, guard=fetcher.trusting([url]))
            except FetchError:
                pass
            done[name] = time.monotonic() - began

        threads = [threading.Thread(target=get, args=("slow", slow + "page")),
                   threading.Thread(target=get, args=("fast", httpserver.url_for("/fast")))]
        threads[0].start()
        time.sleep(0.2)  # the slow host's robots.txt is being read
        threads[1].start()
        for thread in threads:
            thread.join(10)
    assert done["fast"] < 1.0 < done["slow"]


def test_one_slow_host_holds_back_its_own_links_only(httpserver: HTTPServer) -> None:
    from tests.test_fetch import raw_server, trickle

    httpserver.expect_request("/fast").respond_with_data("fast")
    settings = replace(POLITE, obey_robots=False, host_delay=0.0, read_timeout=2.0,
                       total_timeout=1.5, retries=0)
    finished: dict[str, float] = {}
    with raw_server(trickle(b"HTTP/1.1 200 OK\r\nContent-Length: 9000\r\n\r\n")) as slow, \
            Fetcher(settings) as fetcher:
        urls = [f"{slow}a", f"{slow}b", httpserver.url_for("/fast"), f"{slow}c",
                httpserver.url_for("/fast") + "?again"]
        began = time.monotonic()

        def get(url: str) -> str:
            try:
                return fetcher.fetch(url, guard=fetcher.trusting([url])).content.decode()
            except FetchError as error:
                return error.kind
            finally:
                finished[url] = time.monotonic() - began

        results = fetcher.by_host(urls, lambda url: url, get)
    # in the order given, the slow host's links one after another, the fast host's at once
    assert results == ["timeout", "timeout", "fast", "timeout", "fast"]
    assert max(finished[u] for u in urls if "fast" in u) < 1.0
    assert finished[f"{slow}c"] > 1.4
