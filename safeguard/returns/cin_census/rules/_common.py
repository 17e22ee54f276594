"""Shared names and idioms for the CIN census rules (keys, NFA flags, census period)."""

from __future__ import annotations

import polars as pl

from ...engine import ERROR, QUERY, ROW, Context, Rule
from ...engine.declare import between, collector, outside, overlapping, rows_of, with_parent
from ...tables import Return

__all__ = [
    "CHILD",
    "EP",
    "ERROR",
    "QUERY",
    "ROW",
    "Context",
    "Return",
    "Rule",
    "between",
    "collector",
    "episode",
    "in_period",
    "not_nfa",
    "is_nfa",
    "outside",
    "overlapping",
    "rows_of",
    "with_parent",
    "period",
    "child_dates",
]

CHILD = "LAchildID"
EP = [CHILD, "CINdetailsID"]  # a CIN episode (CINdetails group) within the child

# ReferralNFA is a Boolean in the frames; a missing flag is neither NFA nor further action.
is_nfa = pl.col("ReferralNFA").fill_null(False)
not_nfa = pl.col("ReferralNFA") == pl.lit(False)


def period(ctx: Context) -> tuple:
    """(first day, last day) of the census year."""
    return ctx.period_start, ctx.reference_date


def in_period(col: str, ctx: Context) -> pl.Expr:
    """The date lies within the census year."""
    return between(col, ctx.period_start, ctx.reference_date)


def episode(f: Return, table: str, cols: list[str]) -> pl.DataFrame:
    """A child-episode table with some columns of its CINdetails episode joined on."""
    return with_parent(f[table], f["CINdetails"], EP, cols)


def child_dates(f: Return, table: str, cols: list[str]) -> pl.DataFrame:
    """A table with some of the child's identifiers (birth/death dates) joined on."""
    return with_parent(f[table], f["ChildIdentifiers"], [CHILD], cols)
