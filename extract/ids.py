"""Stable identifiers: article ids from canonical URLs, feed ids, content hashes."""

from __future__ import annotations

import hashlib
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from newsetl.errors import NewsetlError

# query parameters that track the reader, not the document (news-please, courlan, Miniflux)
_TRACKING = re.compile(
    r"^(utm_\w+|fbclid|gclid|dclid|gbraid|wbraid|msclkid|mc_cid|mc_eid|yclid|igshid|_ga|_gl"
    r"|ocid|cmpid|ito|at_medium|at_campaign|taid|smid|sr_share|ref_src)$",
    re.IGNORECASE,
)
_DEFAULT_PORTS = {"http": "80", "https": "443"}


class InvalidUrl(NewsetlError, ValueError):
    """A URL that cannot be parsed: an unclosed IPv6 bracket, a port out of range, ..."""

    def __init__(self, url: str, detail: str) -> None:
        self.url = url
        self.kind = "invalid_url"
        super().__init__(f"{url!r} is not a valid URL: {detail}")


def canonical_url(url: str) -> str:
    """A URL in canonical form: scheme and host lower case, no default port, fragment or
    tracking parameters, remaining query parameters sorted.

    The rules are fixed here (not delegated to a library) because article ids hash the result:
    changing them would change every id.

    Raises:
        InvalidUrl: the URL cannot be parsed (never a bare ValueError).
    """
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as error:
        raise InvalidUrl(url, str(error)) from None
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    if port is not None and str(port) != _DEFAULT_PORTS.get(scheme):
        host = f"{host}:{port}"
    if parts.username:
        host = f"{parts.username}@{host}"
    path = parts.path or ("/" if scheme in _DEFAULT_PORTS else "")
    query = sorted(
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not _TRACKING.match(key)
    )
    return urlunsplit((scheme, host, path, urlencode(query), ""))


def article_id(url: str) -> str:
    """The 16-hex article id: the start of the SHA-256 of the canonical URL."""
    return hashlib.sha256(canonical_url(url).encode("utf-8")).hexdigest()[:16]


def feed_id(url: str) -> str:
    """The 16-hex feed id: the start of the SHA-256 of the feed URL as listed."""
    return hashlib.sha256(url.strip().encode("utf-8")).hexdigest()[:16]


def name_id(name: str) -> str:
    """A 16-hex id for a dated file whose name carries none: hash of the file name."""
    return hashlib.sha256(name.encode("utf-8")).hexdigest()[:16]


def content_hash(text: str) -> str:
    """SHA-256 (hex) of an article's normalised content, to tell changed texts apart."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def span_id(article_id: str, kind: str, spans: list[tuple[int, int]] | tuple) -> str:
    """A 16-hex id for something found at ``spans`` of an article (a quote, a claim)."""
    key = f"{article_id}:{kind}:" + ";".join(f"{s},{e}" for s, e in spans)
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
