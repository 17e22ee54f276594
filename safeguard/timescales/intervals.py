"""Intervals (working days, days, weeks, calendar months, hours): due date for a date or a column.

Each interval adds itself to a start date in plain Python (`add`) and as a polars expression
(`add_expr`), with the same conventions, so a screen's due date and a measure's "on time" can
never disagree:

- working days: the n-th working day after the start (`safeguard.calendar.add_working_days`);
  "within n working days" means the end is on or before that day (elapsed <= n);
- calendar months: same day n months later, clamped to the month end (31 Jan + 1 month =
  28/29 Feb), as `safeguard.calendar.add_months` and polars' ``offset_by("1mo")`` both do;
- days and weeks: plain calendar days;
- hours: clock hours from a date-time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from typing import Literal

import polars as pl

from safeguard import calendar

Unit = Literal["working_days", "days", "weeks", "months", "hours"]

_UNIT_WORDS = {
    "working_days": "working day",
    "days": "day",
    "weeks": "week",
    "months": "month",
    "hours": "hour",
}


@dataclass(frozen=True)
class Interval:
    """A length of time in one unit, e.g. 45 working days or 6 months."""

    amount: int
    unit: Unit

    def __str__(self) -> str:
        word = _UNIT_WORDS[self.unit]
        return f"{self.amount} {word}{'' if self.amount == 1 else 's'}"

    def add(self, start: date | datetime) -> date | datetime:
        """The due date (or date-time for hours) this interval after ``start``."""
        if self.unit == "working_days":
            return calendar.add_working_days(_as_date(start), self.amount)
        if self.unit == "months":
            return calendar.add_months(_as_date(start), self.amount)
        if self.unit == "hours":
            return start + timedelta(hours=self.amount)
        factor = 7 if self.unit == "weeks" else 1
        return _as_date(start) + timedelta(days=self.amount * factor)

    def add_expr(self, start: pl.Expr) -> pl.Expr:
        """The same as `add`, for a polars date (or datetime for hours) expression."""
        if self.unit == "working_days":
            return start.dt.add_business_days(
                self.amount, holidays=_holiday_list(), roll="backward"
            )
        if self.unit == "months":
            return start.dt.offset_by(f"{self.amount}mo")
        if self.unit == "hours":
            return start + pl.duration(hours=self.amount)
        factor = 7 if self.unit == "weeks" else 1
        return start + pl.duration(days=self.amount * factor)


def _as_date(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


#: Years whose bank holidays the vectorised working-day arithmetic knows. Due dates and
#: timeliness concern recent events; building 70 years of holidays cost ~0.7 s per process.
HOLIDAY_YEARS = (2005, 2045)


@cache
def _holidays() -> tuple[date, ...]:
    """England and Wales bank holidays for `HOLIDAY_YEARS` (computed once per process)."""
    return tuple(calendar.bank_holidays(*HOLIDAY_YEARS))


@cache
def _holiday_list() -> pl.Series:
    """The holidays as polars takes them (one list of dates), made once: converting the 300 or
    so dates on every expression cost more than the rest of a screen's working-day sums."""
    return pl.Series("holidays", [list(_holidays())], dtype=pl.List(pl.Date))


def working_days_elapsed_expr(start: pl.Expr, end: pl.Expr) -> pl.Expr:
    """Working days in (start, end], the calendar module's convention, as a polars expression."""
    return pl.business_day_count(
        start.dt.offset_by("1d"), end.dt.offset_by("1d"), holidays=_holiday_list()
    )


def working_days(n: int) -> Interval:
    return Interval(n, "working_days")


def days(n: int) -> Interval:
    return Interval(n, "days")


def weeks(n: int) -> Interval:
    return Interval(n, "weeks")


def months(n: int) -> Interval:
    return Interval(n, "months")


def hours(n: int) -> Interval:
    return Interval(n, "hours")
