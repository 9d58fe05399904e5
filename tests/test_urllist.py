"""Reading URL lists: one URL per line, comments, duplicates and bad lines."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsetl.extract.urllist import UrlListProblem, parse_url_list

LIST = """\ufeff# backfill for November
https://news.example/2024/11/07/council-homes

   https://news.example/2024/11/06/flood-warning\t
  # indented comment
HTTP://NEWS.EXAMPLE/upper-case-scheme
https://news.example/2024/11/07/council-homes
ftp://files.example/archive.zip
news.example/no-scheme
https:///no-host
https://news.example:99999/bad-port
https://news.example/a page with spaces
http://[::1/bad-ipv6
"""



def urllib_error(url: str) -> str:
    """What urllib says of ``url`` (its words are its own: the test holds ours)."""
    try:
        urlsplit(url).port  # noqa: B018 - raises for the port too
    except ValueError as error:
        return str(error)
    raise AssertionError(f"{url!r} splits")

def test_urls_are_kept_in_order_once_and_bad_lines_reported_by_number() -> None:
    urls, problems = parse_url_list(LIST, "urls.txt")
    assert urls == [
        "https://news.example/2024/11/07/council-homes",
        "https://news.example/2024/11/06/flood-warning",
        "HTTP://NEWS.EXAMPLE/upper-case-scheme",
    ]
    assert problems == [
        UrlListProblem(8, "ftp://files.example/archive.zip",
                       "not an http(s) URL (scheme 'ftp')", "urls.txt"),
        UrlListProblem(9, "news.example/no-scheme",
                       "not an http(s) URL (scheme 'missing')", "urls.txt"),
        UrlListProblem(10, "https:///no-host", "has no host", "urls.txt"),
        UrlListProblem(11, "https://news.example:99999/bad-port",
                       f"not a URL ({urllib_error('https://news.example:99999/bad-port')})",
                       "urls.txt"),
        UrlListProblem(12, "https://news.example/a page with spaces",
                       "holds white space; one URL per line", "urls.txt"),
        UrlListProblem(13, "http://[::1/bad-ipv6",
                       f"not a URL ({urllib_error('http://[::1/bad-ipv6')})", "urls.txt"),
    ]


def test_a_problem_reads_as_file_line_and_reason() -> None:
    _, problems = parse_url_list("https://a.example/\nmailto:x@y.example\n", "lists/nov.txt")
    assert [str(problem) for problem in problems] == [
        "lists/nov.txt:2: 'mailto:x@y.example' left out: not an http(s) URL (scheme 'mailto')"]


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n", "   \t\n"],
                         ids=["empty", "blank_lines", "comment_only", "white_space"])
def test_a_list_without_urls_is_empty_not_an_error(text: str) -> None:
    assert parse_url_list(text, "x") == ([], [])


def test_windows_and_old_mac_line_ends_split_lines_too() -> None:
    assert parse_url_list("https://a.example/1\r\nhttps://a.example/2\rhttps://a.example/3",
                          "x") == (
        ["https://a.example/1", "https://a.example/2", "https://a.example/3"], [])


@given(st.lists(st.from_regex(r"https?://[a-z]{1,10}\.example/[a-z0-9/]{0,20}",
                              fullmatch=True), max_size=30))
def test_any_list_of_urls_reads_back_deduplicated_in_order(urls: list[str]) -> None:
    assert parse_url_list("\n".join(urls), "x") == (list(dict.fromkeys(urls)), [])
