"""The SSRF guard at connect time: every request and redirect hop checked, names resolved once
and connected at the checked address (DNS rebinding fails), trust of a listed origin limited
to its scheme and port, file:// read only below a local feed's folder (issue 14)."""

from __future__ import annotations

import http.server
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from newsetl.flows.config import FeedSpec
from newsetl.flows.fetch import Fetcher, FetchError
from newsetl.flows.ssrf import Guard, Resolver
from tests.test_fetch import FAST


@contextmanager
def server_on(address: str, port: int, body: bytes) -> Iterator[list[str]]:
    """An HTTP server on ``address:port`` answering ``body`` to any GET; yields the paths
    it was asked for."""
    asked: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the http.server name
            asked.append(self.path)
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - its name
            pass

    server = http.server.ThreadingHTTPServer((address, port), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield asked
    finally:
        server.shutdown()
        server.server_close()


def free_port() -> int:
    """A port free on both 127.0.0.1 and 127.0.0.2."""
    for _ in range(50):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        try:
            with socket.socket() as other:
                other.bind(("127.0.0.2", port))
            return port
        except OSError:
            continue
    pytest.skip("no port free on both 127.0.0.1 and 127.0.0.2")


class Answers:
    """A resolver seam: each name answers its list of addresses in turn (the last repeats)."""

    def __init__(self, **names: list[list[str]]) -> None:
        self.names = {k.replace("_", "-") + ".test": v for k, v in names.items()}
        self.asked: list[str] = []

    def __call__(self, host: str) -> list[str]:
        self.asked.append(host)
        answers = self.names[host]
        return answers.pop(0) if len(answers) > 1 else answers[0]


def test_a_name_that_rebinds_to_an_internal_address_is_connected_where_it_was_checked() -> None:
    # issue 14: "checked, then httpx resolves again": the second answer must never be used
    port = free_port()
    # 127.0.0.2 plays a public server (allowed by the allow-list), 127.0.0.1 the internal one
    resolve = Answers(rebind=[["127.0.0.2"], ["127.0.0.1"]])
    settings = replace(FAST, allow_hosts="127.0.0.2")
    with server_on("127.0.0.2", port, b"outside") as outside, \
            server_on("127.0.0.1", port, b"inside") as inside, \
            Fetcher(settings, resolve=resolve) as fetcher:
        first = fetcher.fetch(f"http://rebind.test:{port}/a")
        second = fetcher.fetch(f"http://rebind.test:{port}/b")
    assert (first.content, second.content) == (b"outside", b"outside")
    assert outside == ["/a", "/b"] and inside == []
    assert resolve.asked == ["rebind.test"]  # resolved once for the run


def test_a_name_resolving_to_an_internal_address_is_refused_before_any_byte_is_sent() -> None:
    port = free_port()
    resolve = Answers(intranet=[["10.0.0.7", "127.0.0.1"]])
    with server_on("127.0.0.1", port, b"secret") as inside, \
            Fetcher(FAST, resolve=resolve) as fetcher, pytest.raises(FetchError) as caught:
        fetcher.fetch(f"http://intranet.test:{port}/admin")
    assert caught.value.kind == "refused"
    assert "intranet.test resolves to 10.0.0.7, which is an internal address" in str(caught.value)
    assert inside == []


def test_an_unresolvable_name_is_a_dns_error() -> None:
    def nothing(host: str) -> list[str]:
        raise OSError("[Errno -2] Name or service not known")

    with Fetcher(FAST, resolve=nothing) as fetcher, pytest.raises(FetchError) as caught:
        fetcher.fetch("http://nowhere.test/feed.xml")
    assert caught.value.kind == "connect" and "getaddrinfo failed for nowhere.test" in str(
        caught.value)


def test_a_resolver_asked_by_two_threads_keeps_one_answer() -> None:
    resolve = Answers(flip=[["93.184.216.34"], ["127.0.0.1"]])
    resolver = Resolver(resolve)
    results: list[list[str]] = []
    threads = [threading.Thread(target=lambda: results.append(resolver.addresses("flip.test")))
               for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({tuple(r) for r in results}) == 1


def test_trust_of_a_listed_feed_is_its_scheme_and_port_only(httpserver: HTTPServer) -> None:
    # issue 14: "any port of the feed's host is trusted"
    port = free_port()
    feed = httpserver.url_for("/rss.xml")
    guard = Guard.allowing("").for_feeds([FeedSpec(feed)])
    with server_on("127.0.0.1", port, b"other service") as other, Fetcher(FAST) as fetcher:
        httpserver.expect_request("/own.html").respond_with_data("own page")
        assert fetcher.fetch(httpserver.url_for("/own.html"), guard=guard).content == b"own page"
        with pytest.raises(FetchError) as caught:
            fetcher.fetch(f"http://localhost:{port}/", guard=guard)
    assert caught.value.kind == "refused"
    assert other == []


def test_the_listed_feeds_own_redirect_to_an_internal_host_is_refused(
        httpserver: HTTPServer) -> None:
    port = free_port()
    httpserver.expect_request("/rss.xml").respond_with_data(
        "", status=302, headers={"Location": f"http://127.0.0.2:{port}/private"})
    feed = httpserver.url_for("/rss.xml")
    with server_on("127.0.0.2", port, b"private") as inside, Fetcher(FAST) as fetcher, \
            pytest.raises(FetchError) as caught:
        fetcher.fetch(feed, guard=fetcher.guard.for_feeds([FeedSpec(feed)]))
    assert caught.value.kind == "refused"
    assert f"redirect to http://127.0.0.2:{port}/private refused" in str(caught.value)
    assert inside == []


def test_robots_txt_and_its_redirects_pass_the_guard(httpserver: HTTPServer,
                                                      tmp_path: Path) -> None:
    # issue 14: robots.txt redirects made blind GETs to internal addresses
    port = free_port()
    httpserver.expect_request("/robots.txt").respond_with_data(
        "", status=301, headers={"Location": f"http://127.0.0.2:{port}/robots.txt"})
    httpserver.expect_request("/page").respond_with_data("page")
    settings = replace(FAST, obey_robots=True, robots_cache=str(tmp_path))
    page = httpserver.url_for("/page")
    with server_on("127.0.0.2", port, b"User-agent: *\nAllow: /\n") as inside, \
            Fetcher(settings) as fetcher:
        # the page's origin is trusted (listed); the internal robots.txt it points to is not
        assert fetcher.fetch(page, guard=fetcher.trusting([page])).content == b"page"
    assert inside == []


def test_a_local_feed_reads_below_its_folder_only(tmp_path: Path) -> None:
    # issue 14: a file:// feed could read any file through a relative ../../ link
    feeds = tmp_path / "site" / "feeds"
    feeds.mkdir(parents=True)
    (feeds / "feed.xml").write_text("<rss/>")
    (tmp_path / "site" / "pages").mkdir()
    (tmp_path / "site" / "pages" / "a.html").write_text("page")
    (tmp_path / "secret.txt").write_text("secret")
    (feeds / "escape.txt").symlink_to(tmp_path / "secret.txt")
    feed = FeedSpec((feeds / "feed.xml").as_uri(), root=str(tmp_path / "site"))
    with Fetcher(FAST) as fetcher:
        guard = fetcher.guard.for_feeds([feed])
        assert fetcher.fetch(feed.url, guard=guard).content == b"<rss/>"
        # below the config's folder: the sample's ../pages links
        assert fetcher.fetch((feeds / ".." / "pages" / "a.html").as_uri(),
                             guard=guard).content == b"page"
        refused = []
        for target in (feeds / ".." / ".." / "secret.txt", feeds / "escape.txt",
                       Path("/etc/hostname")):
            with pytest.raises(FetchError) as caught:
                fetcher.fetch(target.as_uri(), guard=guard)
            refused.append(caught.value.kind)
        # a remote feed's guard reads no file at all
        with pytest.raises(FetchError) as caught:
            fetcher.fetch((feeds / "feed.xml").as_uri())
    assert refused == ["refused"] * 3
    assert caught.value.kind == "refused"


def test_allow_hosts_takes_hosts_ports_and_networks() -> None:
    guard = Guard.allowing("intranet.example, wiki.example:8080, 10.1.0.0/16")
    assert guard.refusal("http", "intranet.example", 9000, ["10.9.9.9"]) is None
    assert guard.refusal("http", "wiki.example", 8080, ["10.9.9.9"]) is None
    assert guard.refusal("http", "wiki.example", 80, ["10.9.9.9"]) is not None
    assert guard.refusal("https", "any.example", 443, ["10.1.2.3"]) is None
    assert guard.refusal("https", "any.example", 443, ["10.2.0.1"]) is not None
    assert guard.refusal("https", "any.example", 443, ["::ffff:127.0.0.1"]) is not None
    assert guard.refusal("https", "public.example", 443, ["93.184.216.34"]) is None
