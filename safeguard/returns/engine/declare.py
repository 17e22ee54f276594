"""Small helpers shared by rule catalogues: a declaring decorator and common polars idioms.

Kept apart from `rule.py` so the declarations read as a list of DfE rules, each a few lines.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date

import polars as pl

from .rule import Check, Rule, Severity
from .runner import ROW


def collector(into: list[Rule]) -> Callable[..., Callable[[Check], Check]]:
    """A decorator factory that declares the decorated check as a Rule appended to `into`."""

    def rule(
        code: str,
        message: str,
        severity: Severity,
        reads: Mapping[str, tuple[str, ...]],
        *,
        table: str = "",
        la_level: bool = False,
    ) -> Callable[[Check], Check]:
        def wrap(check: Check) -> Check:
            into.append(Rule(code, message, severity, reads, check, table, la_level))
            return check

        return wrap

    return rule


def between(col: str | pl.Expr, start: date, end: date) -> pl.Expr:
    """`col` lies in [start, end] (null is not between)."""
    c = pl.col(col) if isinstance(col, str) else col
    return c.is_between(pl.lit(start), pl.lit(end), closed="both")


def outside(col: str, start: date, end: date) -> pl.Expr:
    """`col` is present and outside [start, end]."""
    return pl.col(col).is_not_null() & ~between(col, start, end)


def rows_of(df: pl.DataFrame) -> pl.DataFrame:
    """Only the row numbers, unique (what the runner needs back)."""
    return df.select(ROW).unique()


def with_parent(
    df: pl.DataFrame, parent: pl.DataFrame, on: Sequence[str], cols: Sequence[str]
) -> pl.DataFrame:
    """Each row with some columns of its parent row (left join; parent `_row` dropped)."""
    right = parent.select([*on, *[c for c in cols if c not in on]]).unique(subset=list(on))
    return df.join(right, on=list(on), how="left", suffix="_parent")


def overlapping(
    df: pl.DataFrame, by: Sequence[str], start: str, end: str, *, touching: bool = False
) -> pl.DataFrame:
    """Rows whose [start, end] interval overlaps an earlier-starting row of the same group.

    A null end means still open (runs forever). Sorting by start and comparing each start
    with the latest end seen so far in the group is linear, where a self-join is quadratic.
    With `touching`, a start on the day another ends also counts as overlap.
    """
    far = pl.lit(date(9999, 12, 31))
    s = df.filter(pl.col(start).is_not_null()).sort([*by, start, ROW])
    prior_end = pl.col(end).fill_null(far).cum_max().shift(1).over(list(by))
    clash = pl.col(start) <= prior_end if touching else pl.col(start) < prior_end
    return s.filter(clash.fill_null(False))


def pairs(df: pl.DataFrame, by: Sequence[str]) -> pl.DataFrame:
    """Every ordered pair of distinct rows in the same group (self-join; `_right` suffix)."""
    return df.join(df, on=list(by), how="inner", suffix="_right").filter(
        pl.col(ROW) != pl.col(ROW + "_right")
    )


def age_at(dob: str | pl.Expr, when: str | pl.Expr | date) -> pl.Expr:
    """Whole years of age on a date (birthday counted on the day), as the DfE counts age."""
    d = pl.col(dob) if isinstance(dob, str) else dob
    w = pl.lit(when) if isinstance(when, date) else when
    w = pl.col(w) if isinstance(w, str) else w
    before_birthday = (w.dt.month() < d.dt.month()) | (
        (w.dt.month() == d.dt.month()) & (w.dt.day() < d.dt.day())
    )
    return w.dt.year() - d.dt.year() - before_birthday.cast(pl.Int32)
