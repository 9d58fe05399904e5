"""A feed fetch's outcome in the fixed status taxonomy, and when to poll the feed next."""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from collections.abc import Mapping

from newsetl.errors import NewsetlError
from newsetl.values import FeedStatus

_DNS = re.compile(r"name or service not known|nodename nor servname|name resolution|"
                  r"no address associated|getaddrinfo", re.I)
_TLS = re.compile(r"ssl|certificate|tls", re.I)
_MAX_AGE = re.compile(r"max-age\s*=\s*(\d+)", re.I)


def status_of(error: NewsetlError) -> FeedStatus:
    """The taxonomy status of a failed fetch or parse."""
    kind = getattr(error, "kind", None)
    if kind is None:
        return FeedStatus.PARSE_ERROR
    if kind.startswith("http_") and kind[5:].isdigit():
        kind = f"http_{kind[5]}xx"
    elif kind == "connect":
        if _DNS.search(str(error)):
            return FeedStatus.DNS
        if _TLS.search(str(error)):
            return FeedStatus.TLS
    try:
        return FeedStatus(kind)
    except ValueError:
        return FeedStatus.NETWORK


def freshness(headers: Mapping[str, str], now: dt.datetime) -> float | None:
    """Seconds the response says it stays fresh (Cache-Control max-age, else Expires)."""
    control = headers.get("cache-control", "")
    if "no-cache" in control.lower() or "no-store" in control.lower():
        return 0.0
    match = _MAX_AGE.search(control)
    if match:
        return float(match.group(1))
    expires = headers.get("expires")
    if expires:
        try:
            when = email.utils.parsedate_to_datetime(expires)
        except (TypeError, ValueError, IndexError):
            return 0.0  # an unreadable Expires means already expired (RFC 9111)
        if when.tzinfo is None:
            when = when.replace(tzinfo=dt.UTC)
        return max((when - now).total_seconds(), 0.0)
    return None
