"""The publication-date range of ``--since`` / ``--until``: parse the options, test a date."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from newsetl.errors import NewsetlError

_VALUE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


class DateRangeError(NewsetlError):
    """A --since or --until value is not a date, or the range is empty."""

    def __init__(self, option: str, value: str, detail: str) -> None:
        self.option = option
        self.value = value
        self.detail = detail
        super().__init__(f"{option} {value!r}: {detail}")


@dataclass(frozen=True)
class DateRange:
    """Inclusive bounds; None is open-ended."""

    since: dt.date | None
    until: dt.date | None

    def __contains__(self, day: dt.date) -> bool:
        return in_range(day, self.since, self.until)


def parse_date_range(since: str | None, until: str | None) -> DateRange:
    """Read ``--since`` and ``--until``: ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``.

    A month or year means its first day as ``--since`` and its last day as ``--until``, so
    ``--since 2024-03 --until 2024-03`` is the whole of March.

    Raises:
        DateRangeError: a value is not one of those forms, or since is after until.
    """
    first = parse_bound(since, "--since", last=False) if since is not None else None
    last = parse_bound(until, "--until", last=True) if until is not None else None
    if first and last and first > last:
        raise DateRangeError("--since", since or "", f"is after --until {until!r} "
                             f"({first.isoformat()} > {last.isoformat()}); swap them")
    return DateRange(first, last)


def parse_bound(value: str, option: str, last: bool) -> dt.date:
    """The first (or ``last``) day a ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` value names."""
    match = _VALUE.fullmatch(value.strip())
    if not match:
        raise DateRangeError(option, value, "not a date; use YYYY-MM-DD, YYYY-MM or YYYY")
    year, month, day = (int(part) if part else None for part in match.groups())
    assert year is not None
    try:
        if month is None:
            return dt.date(year, 12, 31) if last else dt.date(year, 1, 1)
        if day is None:
            return dt.date(year, month, calendar.monthrange(year, month)[1] if last else 1)
        return dt.date(year, month, day)
    except ValueError as error:  # month 13, February 30, year 0
        raise DateRangeError(option, value, f"no such day ({error})") from None


def in_range(day: dt.date, since: dt.date | None, until: dt.date | None) -> bool:
    """True if ``day`` is within the inclusive bounds (None: no bound).

    A datetime counts by its own calendar day, in the time zone it carries: an article
    published 2024-03-31T23:30-05:00 is on 31 March, as the publisher dated it.
    """
    if isinstance(day, dt.datetime):
        day = day.date()
    return (since is None or day >= since) and (until is None or day <= until)
