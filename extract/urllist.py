"""Read a URL list: a text file of one URL per line, with # comments and blank lines."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass(frozen=True)
class UrlListProblem:
    """A line of a URL list that was left out, and why."""

    line: int
    """1-based line number"""
    text: str
    reason: str
    source: str = ""
    """the list's name, as given to ``parse_url_list``"""

    def __str__(self) -> str:
        return f"{self.source}:{self.line}: {self.text!r} left out: {self.reason}"


def parse_url_list(text: str, source: str) -> tuple[list[str], list[UrlListProblem]]:
    """The http(s) URLs of a list, in order, each once (the first kept), and the lines left
    out.

    Surrounding white space is stripped; blank lines and lines starting with ``#`` are
    skipped silently. ``source`` names the list in each problem.
    """
    urls: list[str] = []
    seen: set[str] = set()
    problems: list[UrlListProblem] = []
    for number, line in enumerate(text.removeprefix("\ufeff").splitlines(), start=1):
        candidate = line.strip()
        if not candidate or candidate.startswith("#"):
            continue
        reason = url_problem(candidate)
        if reason:
            problems.append(UrlListProblem(number, candidate, reason, source))
        elif candidate not in seen:
            seen.add(candidate)
            urls.append(candidate)
    return urls, problems


def url_problem(url: str) -> str | None:
    """Why ``url`` is not an absolute http(s) URL with a host, or None if it is."""
    if any(char.isspace() for char in url):
        return "holds white space; one URL per line"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises on a port that is not a number in range
    except ValueError as error:
        return f"not a URL ({error})"
    if parts.scheme.lower() not in ("http", "https"):
        return f"not an http(s) URL (scheme {parts.scheme or 'missing'!r})"
    if not parts.hostname:
        return "has no host"
    return None
