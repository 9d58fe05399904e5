"""newsetl extract on HTML files and URLs: the page made into the dated format as ingest makes
it, fetched through the same seam (robots.txt, SSRF guard)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from newsetl.flows.cli import main
from newsetl.flows.inputs import kind_of
from tests.conftest import SAMPLE, SEED

PAGE = SAMPLE / "pages" / "world" / "ukraine-aid.html"


@pytest.fixture(autouse=True)
def quiet_host(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSETL_HOST_DELAY", "0")


def test_how_inputs_are_read() -> None:
    assert [kind_of(n, False) for n in ("https://x.example/a", "HTTP://X", "a.HTML", "a.htm",
                                        "a.txt", "page")] == [
        "url", "url", "html", "html", "dated", "dated"]
    assert kind_of("page", True) == "html"


def test_an_html_file_and_a_url_give_what_the_dated_file_gives(
    httpserver: HTTPServer, capsys: pytest.CaptureFixture[str]
) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/aid").respond_with_data(PAGE.read_bytes(),
                                                        content_type="text/html")
    url = httpserver.url_for("/aid")
    assert main(["extract", str(SEED), str(PAGE), url, "--json"]) == 0
    dated, page, fetched = (json.loads(line) for line in capsys.readouterr().out.splitlines())
    # the sample page is the reference article in a news site's chrome
    assert page["text"] == fetched["text"] == SEED.read_text(encoding="utf-8")
    assert page["quotes"] == fetched["quotes"] == dated["quotes"]
    assert page["claims"] == dated["claims"]
    assert (page["title"], page["published_date"], page["date_source"]) == (
        "Biden reportedly rushing $6 billion in Ukraine aid before Trump takes office",
        "2024-11-07", "page")
    assert fetched["url"] == url and page["url"] == str(PAGE)
    assert "text" not in dated and dated["file"] == str(SEED)


def test_a_redirect_to_another_internal_host_is_refused(
    httpserver: HTTPServer, capsys: pytest.CaptureFixture[str]
) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    # the URL named is on localhost; its redirect to another internal host is not trusted
    inner = f"http://127.0.0.1:{httpserver.port}/admin"
    httpserver.expect_request("/go").respond_with_data("", status=302,
                                                       headers={"Location": inner})
    url = f"http://localhost:{httpserver.port}/go"
    assert main(["extract", url]) == 1
    assert capsys.readouterr().err == (
        f"Error: {url}: refused: redirect to {inner} refused: 127.0.0.1 is an internal "
        "address (add it to the allow_hosts setting if newsetl should reach it)\n")


def test_robots_txt_is_obeyed(httpserver: HTTPServer, capsys: pytest.CaptureFixture[str]) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nDisallow: /\n")
    url = httpserver.url_for("/aid")
    assert main(["extract", url]) == 1
    assert "robots_denied" in capsys.readouterr().err


def test_a_page_without_article_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "menu.html"
    empty.write_text("<html><body><nav>Home | News</nav></body></html>")
    assert main(["extract", str(empty)]) == 1
    assert capsys.readouterr().err.startswith(f"Error: page {empty.as_uri()} has no article text")


TINY = b"<html><body><article>" + b"<p>a</p>" * 1_000_000 + b"</article></body></html>"
"""a million tiny paragraphs, well under the size cap: trafilatura alone would take hours"""


def test_an_html_file_that_would_take_hours_is_stopped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("NEWSETL_EXTRACT_TIMEOUT", "2")
    tiny = tmp_path / "tiny.html"
    tiny.write_bytes(TINY)
    began = time.monotonic()
    assert main(["extract", str(tiny)]) == 1
    assert time.monotonic() - began < 30
    assert capsys.readouterr().err == (
        f"Error: page {tiny.as_uri()}: extraction stopped after 2 s (extract_timeout); the "
        "page's markup is too large or too deep to read\n")


def test_a_url_that_would_take_hours_is_stopped(
    httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("NEWSETL_EXTRACT_TIMEOUT", "2")
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/tiny").respond_with_data(TINY, content_type="text/html")
    url = httpserver.url_for("/tiny")
    began = time.monotonic()
    assert main(["extract", url]) == 1
    assert time.monotonic() - began < 30
    assert capsys.readouterr().err.startswith(
        f"Error: page {url}: extraction stopped after 2 s (extract_timeout)")


def test_a_long_page_is_cut_at_max_text_chars_and_said_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("NEWSETL_MAX_TEXT_CHARS", "1000")
    paragraphs = "".join(
        f"<p>The council met on day {n} and agreed part {n} of the plan for the new bridge, "
        f"which will open next spring after {n} months of work on its foundations.</p>"
        for n in range(40))
    long = tmp_path / "long.html"
    long.write_text(f"<html><body><article><h1>Bridge</h1>{paragraphs}</article></body></html>")
    assert main(["extract", str(long), "--json"]) == 0
    captured = capsys.readouterr()
    text = json.loads(captured.out)["text"]
    assert len(text) <= 1000 + len(" date 2024-01-01 ") + 2
    assert captured.err.startswith(f"note: page {long.as_uri()}: text of ")
    assert captured.err.endswith(" (max_text_chars)\n")
