"""Working days for statutory timescales (England and Wales).

Counting convention (shared/reference/kpis.md) -- every function in this module follows it:

* A **working day** is Monday to Friday, excluding bank holidays in England and Wales (taken
  from the ``holidays`` package, GB subdivision ENG; substitute days such as Mon 28 Dec 2020
  are included). Christmas Eve and 27-31 December are working days unless a substitute day.
* **Elapsed working days** from ``start`` to ``end`` = the number of working days *after* the
  start date up to and including the end date. The same day is 0. The start date itself never
  counts, so a start on a weekend or bank holiday behaves like a start on the previous working
  day. If ``end`` is before ``start`` the result is negative: minus the working days after
  ``end`` up to and including ``start``.
* **Within N working days** ⇔ elapsed ≤ N.
* **Deadline** for N working days = the N-th working day after the start date (N = 0: the start
  date itself). For an ``end`` that is a working day, "within N" ⇔ ``end`` ≤ deadline; an ``end``
  on a weekend/holiday straight after the deadline has the same elapsed count and is also within.

In numpy terms, for end >= start, elapsed = ``numpy.busday_count(start + 1 day, end + 1 day)``
(busday_count counts ``[begin, end)``); this equals kpis.md's ``busday_count(start, end)``
whenever start and end are both working days. (The d2i CIN validator counts the start day as
day 1 instead; that convention is not used here.)

Months: ``add_months`` adds calendar months, clamped to the month end, for "within 3 months"
style timescales (CP and looked-after reviews).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from datetime import date, timedelta
from functools import cache
from typing import Any

import holidays
import numpy as np

__all__ = [
    "add_months",
    "add_working_days",
    "add_working_days_array",
    "bank_holidays",
    "is_working_day",
    "within_working_days",
    "working_days_between",
    "working_days_between_arrays",
]

_ONE_DAY = timedelta(days=1)
_NP_ONE_DAY = np.timedelta64(1, "D")
# Fewest working days in any year (260 weekdays less at most ~10 bank holidays), used to size
# the holiday calendar needed by the array functions.
_MIN_WORKING_DAYS_PER_YEAR = 240


@cache
def _bank_holidays(start_year: int, end_year: int) -> tuple[date, ...]:
    if end_year < start_year:
        return ()
    found = holidays.country_holidays("GB", subdiv="ENG", years=range(start_year, end_year + 1))
    # A holiday falling at a weekend is replaced by its substitute day, which the package lists;
    # keep only weekdays so the list matches gov.uk's England and Wales bank holidays.
    return tuple(sorted(d for d in found if d.weekday() < 5))


@cache
def _bank_holiday_set(year: int) -> frozenset[date]:
    return frozenset(_bank_holidays(year, year))


def bank_holidays(start_year: int, end_year: int) -> list[date]:
    """England and Wales bank holidays (weekdays only) from 1 Jan start_year to 31 Dec end_year."""
    return list(_bank_holidays(start_year, end_year))


def is_working_day(d: date) -> bool:
    """Whether ``d`` is a Monday-Friday that is not an England and Wales bank holiday."""
    return d.weekday() < 5 and d not in _bank_holiday_set(d.year)


def _working_days_after(start: date, end: date) -> int:
    """Working days in (start, end], for end >= start."""
    days = (end - start).days
    weeks, rest = divmod(days, 7)
    weekday = start.weekday()
    count = 5 * weeks + sum(1 for k in range(1, rest + 1) if (weekday + k) % 7 < 5)
    hols = _bank_holidays(start.year, end.year)
    return count - (bisect_right(hols, end) - bisect_right(hols, start))


def working_days_between(start: date, end: date) -> int:
    """Elapsed working days from ``start`` to ``end`` (see module docstring).

    Negative if ``end`` is before ``start``.
    """
    if end >= start:
        return _working_days_after(start, end)
    return -_working_days_after(end, start)


def add_working_days(start: date, n: int) -> date:
    """The n-th working day after ``start`` (the deadline); ``start`` itself when n == 0.

    A negative n gives the |n|-th working day before ``start``.
    """
    step = _ONE_DAY if n > 0 else -_ONE_DAY
    d, remaining = start, abs(n)
    while remaining:
        d += step
        if is_working_day(d):
            remaining -= 1
    return d


def within_working_days(start: date, end: date, n: int) -> bool:
    """Whether ``end`` is within ``n`` working days of ``start`` (elapsed ≤ n).

    An ``end`` before ``start`` has a negative elapsed count and so is "within"; callers that
    must exclude such records (e.g. ICPC before the S47 start) should do so explicitly.
    """
    return working_days_between(start, end) <= n


# --- Vectorised versions --------------------------------------------------------------------


def _as_days(values: Any) -> np.ndarray:
    """Coerce dates (numpy array, polars/pandas Series, list with None) to datetime64[D]."""
    if hasattr(values, "to_numpy"):
        values = values.to_numpy()
    return np.asarray(values, dtype="datetime64[D]")


def _year(value: np.datetime64) -> int:
    return int(value.astype("datetime64[Y]").astype(np.int64)) + 1970


@cache
def _busdaycalendar(start_year: int, end_year: int) -> np.busdaycalendar:
    return np.busdaycalendar(
        weekmask="1111100",
        holidays=np.array(_bank_holidays(start_year, end_year), dtype="datetime64[D]"),
    )


def _calendar_covering(dates: Iterable[np.ndarray], extra_years: int = 1) -> np.busdaycalendar:
    """A numpy business-day calendar whose holidays cover the given (non-NaT) dates."""
    present = [a for a in dates if a.size]
    if not present:
        return _busdaycalendar(2000, 2000)
    lo = min(_year(a.min()) for a in present) - extra_years
    hi = max(_year(a.max()) for a in present) + extra_years
    return _busdaycalendar(lo, hi)


def working_days_between_arrays(starts: Any, ends: Any) -> np.ndarray:
    """Vectorised ``working_days_between``.

    ``starts``/``ends`` are anything convertible to numpy ``datetime64[D]`` (arrays, polars
    Series, lists of dates with None). Returns a float64 array, NaN where either date is
    missing.
    """
    s, e = np.broadcast_arrays(_as_days(starts), _as_days(ends))
    missing = np.isnat(s) | np.isnat(e)
    out = np.full(s.shape, np.nan)
    ok = ~missing
    if ok.any():
        s_ok, e_ok = s[ok], e[ok]
        lo, hi = np.minimum(s_ok, e_ok), np.maximum(s_ok, e_ok)
        cal = _calendar_covering((lo, hi))
        # Count (lo, hi] = busday_count's [lo + 1, hi + 1) and apply the sign ourselves: numpy's
        # own handling of end < begin uses a different convention.
        count = np.busday_count(lo + _NP_ONE_DAY, hi + _NP_ONE_DAY, busdaycal=cal)
        out[ok] = np.where(e_ok >= s_ok, count, -count)
    return out


def add_working_days_array(starts: Any, n: Any) -> np.ndarray:
    """Vectorised ``add_working_days``; returns ``datetime64[D]`` with NaT where start is missing.

    ``n`` may be a scalar or an array broadcastable against ``starts``. To match the scalar
    version, positive n uses ``busday_offset(roll="backward")`` (a weekend/holiday start rolls
    back to the previous working day, so the first working day after it counts as 1), negative
    n uses ``roll="forward"``, and n == 0 returns the start unchanged.
    """
    s, k = np.broadcast_arrays(_as_days(starts), np.asarray(n, dtype=np.int64))
    out = np.array(s, dtype="datetime64[D]", copy=True)
    ok = ~np.isnat(s)
    if not ok.any():
        return out
    span = int(np.abs(k[ok]).max()) // _MIN_WORKING_DAYS_PER_YEAR + 1
    cal = _calendar_covering((s[ok],), extra_years=span)
    forward = ok & (k > 0)
    back = ok & (k < 0)
    out[forward] = np.busday_offset(s[forward], k[forward], roll="backward", busdaycal=cal)
    out[back] = np.busday_offset(s[back], k[back], roll="forward", busdaycal=cal)
    return out


# --- Calendar months ------------------------------------------------------------------------


def add_months(d: date, n: int) -> date:
    """``d`` plus ``n`` calendar months, clamped to the month end (31 Jan + 1 month = 28/29 Feb)."""
    years, month0 = divmod(d.month - 1 + n, 12)
    year, month = d.year + years, month0 + 1
    next_year, next_month = (year + 1, 1) if month == 12 else (year, month + 1)
    month_end = (date(next_year, next_month, 1) - _ONE_DAY).day
    return date(year, month, min(d.day, month_end))
