"""Day arithmetic for the generator: dates as integer day numbers, and fast working days.

The simulation works on integers (days since 1970-01-01) because it adds and compares millions
of dates. Working days follow `safeguard.calendar`'s convention exactly (the n-th working day
*after* a date; a weekend start behaves like the previous working day) and take its bank
holidays; a table of working days makes each step O(1) instead of a loop.
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import date, timedelta

import numpy as np

from safeguard.calendar import bank_holidays

EPOCH = date(1970, 1, 1)
_FIRST_YEAR, _LAST_YEAR = 1985, 2045


def day(d: date) -> int:
    """The day number of a date."""
    return (d - EPOCH).days


def to_date(n: int) -> date:
    """The date of a day number."""
    return EPOCH + timedelta(days=int(n))


def iso(n: int) -> str:
    """ISO text of a day number (what both databases accept for a date column)."""
    return (EPOCH + timedelta(days=int(n))).isoformat()


def _working_day_numbers() -> np.ndarray:
    first = np.datetime64(f"{_FIRST_YEAR}-01-01")
    last = np.datetime64(f"{_LAST_YEAR}-12-31")
    all_days = np.arange(first, last + 1, dtype="datetime64[D]")
    hols = np.array(bank_holidays(_FIRST_YEAR, _LAST_YEAR), dtype="datetime64[D]")
    mask = np.is_busday(all_days, weekmask="1111100", holidays=hols)
    return all_days[mask].astype(np.int64)


_WORKING = _working_day_numbers().tolist()


def add_wd(start: int, n: int) -> int:
    """The n-th working day after `start` (n >= 0), as `safeguard.calendar.add_working_days`."""
    if n <= 0:
        return start
    return _WORKING[bisect_right(_WORKING, start) + n - 1]


def wd_between(start: int, end: int) -> int:
    """Working days after `start` up to and including `end` (end >= start)."""
    return bisect_right(_WORKING, end) - bisect_right(_WORKING, start)


def add_months(start: int, n: int) -> int:
    """`start` plus n calendar months, clamped to the month end."""
    from safeguard.calendar import add_months as _add

    return day(_add(to_date(start), n))


def birthday(dob: int, years: int) -> int:
    """The day a child born on `dob` turns `years` (29 Feb birthdays fall on 28 Feb)."""
    d = to_date(dob)
    try:
        return day(d.replace(year=d.year + years))
    except ValueError:
        return day(date(d.year + years, 2, 28))


def collection_year(n: int) -> int:
    """Collection year (named by the year it ends) of a day: 1 Apr 2018-31 Mar 2019 -> 2019."""
    d = to_date(n)
    return d.year + 1 if d.month >= 4 else d.year


class Trend:
    """A quantity that changes over time: linear between (date, value) knots, flat outside."""

    def __init__(self, knots: list[tuple[date, float]]) -> None:
        self.days = [day(d) for d, _ in knots]
        self.values = [v for _, v in knots]

    def at(self, n: int) -> float:
        i = bisect_right(self.days, n)
        if i == 0:
            return self.values[0]
        if i == len(self.days):
            return self.values[-1]
        d0, d1 = self.days[i - 1], self.days[i]
        v0, v1 = self.values[i - 1], self.values[i]
        return v0 + (v1 - v0) * (n - d0) / (d1 - d0)
