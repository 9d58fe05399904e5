"""The --since / --until date range: parsing the values and testing dates against it."""

from __future__ import annotations

import datetime as dt

import pytest

from newsetl.errors import NewsetlError
from newsetl.extract.daterange import DateRange, DateRangeError, in_range, parse_date_range

D = dt.date


@pytest.mark.parametrize("since, until, expected", [
    ("2024-03-05", "2024-03-07", DateRange(D(2024, 3, 5), D(2024, 3, 7))),
    ("2024-02", "2024-02", DateRange(D(2024, 2, 1), D(2024, 2, 29))),
    ("2023-02", "2023-12", DateRange(D(2023, 2, 1), D(2023, 12, 31))),
    ("2024", "2024", DateRange(D(2024, 1, 1), D(2024, 12, 31))),
    (" 2024-03-05 ", None, DateRange(D(2024, 3, 5), None)),
    (None, "2024-03", DateRange(None, D(2024, 3, 31))),
    (None, None, DateRange(None, None)),
    ("2024-03-05", "2024-03-05", DateRange(D(2024, 3, 5), D(2024, 3, 5))),
], ids=["days", "leap_february", "months", "years", "since_only", "until_only", "open",
        "one_day"])
def test_values_become_inclusive_bounds(since: str | None, until: str | None,
                                        expected: DateRange) -> None:
    assert parse_date_range(since, until) == expected


@pytest.mark.parametrize("since, until, message", [
    ("2024-13", None, "--since '2024-13': no such day (month must be in 1..12)"),
    (None, "2023-02-29", "--until '2023-02-29': no such day (day is out of range for month)"),
    ("0000", None, "--since '0000': no such day (year 0 is out of range)"),
    ("yesterday", None, "--since 'yesterday': not a date; use YYYY-MM-DD, YYYY-MM or YYYY"),
    (None, "2024/03/05", "--until '2024/03/05': not a date; use YYYY-MM-DD, YYYY-MM or YYYY"),
    ("24-03-05", None, "--since '24-03-05': not a date; use YYYY-MM-DD, YYYY-MM or YYYY"),
    ("2024-3-5", None, "--since '2024-3-5': not a date; use YYYY-MM-DD, YYYY-MM or YYYY"),
    ("", None, "--since '': not a date; use YYYY-MM-DD, YYYY-MM or YYYY"),
    ("2024-04", "2024-03", "--since '2024-04': is after --until '2024-03' "
                           "(2024-04-01 > 2024-03-31); swap them"),
], ids=["month_13", "february_29_2023", "year_0", "word", "slashes", "two_digit_year",
        "unpadded", "empty", "since_after_until"])
def test_bad_values_are_named_with_the_option(since: str | None, until: str | None,
                                              message: str) -> None:
    with pytest.raises(DateRangeError) as caught:
        parse_date_range(since, until)
    assert isinstance(caught.value, NewsetlError)
    assert str(caught.value) == message


@pytest.mark.parametrize("day, expected", [
    (D(2024, 3, 4), False),
    (D(2024, 3, 5), True),
    (D(2024, 3, 31), True),
    (D(2024, 4, 1), False),
], ids=["day_before", "first_day", "last_day", "day_after"])
def test_bounds_are_inclusive(day: dt.date, expected: bool) -> None:
    assert in_range(day, D(2024, 3, 5), D(2024, 3, 31)) is expected
    assert (day in parse_date_range("2024-03-05", "2024-03")) is expected


def test_open_bounds_admit_everything_on_their_side() -> None:
    assert [in_range(D(1990, 1, 1), None, D(2024, 1, 1)),
            in_range(D(2999, 1, 1), D(2024, 1, 1), None),
            in_range(D(2024, 1, 1), None, None)] == [True, True, True]


def test_a_datetime_counts_by_its_own_calendar_day() -> None:
    # 23:30 in New York on 31 March is 1 April in UTC: the publisher's day is what counts
    late = dt.datetime(2024, 3, 31, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    assert in_range(late, None, D(2024, 3, 31)) is True
    assert in_range(late.astimezone(dt.UTC), None, D(2024, 3, 31)) is False
