"""Shared names and idioms for the SSDA903 rules: episodes in order, periods of care, cohorts."""

from __future__ import annotations

from datetime import date

import polars as pl

from ...engine import ERROR, QUERY, ROW, Context, Rule
from ...engine.declare import age_at, between, collector, outside, overlapping, rows_of
from ...tables import Return

__all__ = [
    "CHILD",
    "ERROR",
    "QUERY",
    "ROW",
    "Context",
    "Return",
    "Rule",
    "age_at",
    "between",
    "collector",
    "outside",
    "overlapping",
    "rows_of",
    "episodes",
    "with_dob",
    "female",
    "male",
    "TEMPORARY",
    "oc2_cohort",
    "looked_after_at",
    "header_rows",
    "FAR",
]

CHILD = "CHILD"
TEMPORARY = ("T0", "T1", "T2", "T3", "T4")
FAR = date(9999, 12, 31)

female = pl.col("SEX").is_in(["2", "F"])
male = pl.col("SEX").is_in(["1", "M"])


def with_dob(df: pl.DataFrame, f: Return, cols: tuple[str, ...] = ("DOB",)) -> pl.DataFrame:
    """Rows with the child's header columns (DOB by default) joined on; `_hrow` = header row.
    Computed once per (rows, Header) pair: a dozen rules ask it of the episodes."""

    def build(_: object) -> pl.DataFrame:
        h = f["Header"].select(CHILD, pl.col(ROW).alias("_hrow"), *cols).unique(CHILD)
        drop = [c for c in cols if c in df.columns]
        return df.drop(drop).join(h, on=CHILD, how="left")

    return cached(f"with-{','.join(cols)}", (df, f["Header"]), build)


_CACHE: dict[tuple, tuple[tuple[pl.DataFrame, ...], pl.DataFrame]] = {}
_CACHE_SIZE = 32


def cached(name: str, source: pl.DataFrame | tuple[pl.DataFrame, ...], build) -> pl.DataFrame:  # noqa: ANN001
    """`build(source)`, computed once per source frame (or tuple of frames): many rules share
    one derived frame (episodes in order, the OC2 cohort), and a run passes the same frame
    objects to every rule. Keyed by identity and checked by identity, so a different frame
    never reuses a result; `build` must read nothing but its sources (and constants in
    `name`), or a rule test that changes another table would get a stale result."""
    sources = source if isinstance(source, tuple) else (source,)
    key = (name, *map(id, sources))
    hit = _CACHE.get(key)
    if hit is not None and all(a is b for a, b in zip(hit[0], sources, strict=True)):
        return hit[1]
    if len(_CACHE) >= _CACHE_SIZE:
        _CACHE.pop(next(iter(_CACHE)))
    result = build(source)
    _CACHE[key] = (sources, result)
    return result


_NEIGHBOUR_COLS = [
    "DECOM",
    "DEC",
    "RNE",
    "LS",
    "CIN",
    "PLACE",
    "PLACE_PROVIDER",
    "REC",
    "PL_POST",
    "URN",
    "REASON_PLACE_CHANGE",
    ROW,
]


def episodes(f: Return) -> pl.DataFrame:
    """Episodes in date order per child, with the neighbouring episodes' key fields and the
    period of care each belongs to.

    A period of care is a run of episodes where each starts the day the previous one ended;
    `poc_start` is its first DECOM and `poc_first` marks that first episode. `prev_*` and
    `next_*` are the previous/next episode of the same child (null at the ends).
    """
    return cached("episodes", f["Episodes"], _episodes)


def _episodes(source: pl.DataFrame) -> pl.DataFrame:
    e = source.filter(pl.col("DECOM").is_not_null()).sort(CHILD, "DECOM", ROW)
    # One sort, then plain shifts masked at child boundaries: much cheaper than windows.
    same_prev = pl.col(CHILD).shift(1) == pl.col(CHILD)
    same_next = pl.col(CHILD).shift(-1) == pl.col(CHILD)
    e = e.with_columns(
        [pl.when(same_prev).then(pl.col(c).shift(1)).alias(f"prev_{c}") for c in _NEIGHBOUR_COLS]
        + [pl.when(same_next).then(pl.col(c).shift(-1)).alias(f"next_{c}") for c in _NEIGHBOUR_COLS]
    )
    first = pl.col("prev_DECOM").is_null() | (pl.col("prev_DEC") != pl.col("DECOM"))
    e = e.with_columns(first.fill_null(True).alias("poc_first"))
    e = e.with_columns(pl.col("poc_first").cast(pl.Int32).cum_sum().alias("poc"))
    return e.with_columns(
        pl.col("DECOM").first().over("poc").alias("poc_start"),
        pl.col("DEC").last().over("poc").alias("poc_end"),
    )


def looked_after_at(e: pl.DataFrame, when: date) -> pl.Expr:
    """The episode is open on `when` (started on or before, not ended before)."""
    return (pl.col("DECOM") <= pl.lit(when)) & (
        pl.col("DEC").is_null() | (pl.col("DEC") > pl.lit(when))
    )


def oc2_cohort(f: Return, ctx: Context) -> pl.DataFrame:
    """Children looked after continuously for 12 months at 31 March (see `_oc2_cohort`)."""
    return cached(f"oc2-{ctx.year}", f["Episodes"], lambda _: _oc2_cohort(f, ctx))


def _oc2_cohort(f: Return, ctx: Context) -> pl.DataFrame:
    """Children looked after continuously for 12 months at 31 March (one CHILD column).

    The DfE's definition (SSDA903 validation rules, "continuously looked after"): the child has
    an episode during the year and none of the year's episodes is a short break (V3/V4), ends
    care in the year (a DEC in the year with a reason other than X1), or starts care (RNE S)
    after 1 April.
    """
    e = f["Episodes"].filter(pl.col("DECOM").is_not_null())
    start, end = pl.lit(ctx.period_start), pl.lit(ctx.reference_date)
    during = (pl.col("DECOM") <= end) & (pl.col("DEC").is_null() | (pl.col("DEC") >= start))
    e = e.filter(during)
    left = (pl.col("REC").fill_null("") != "X1") & pl.col("DEC").is_between(start, end)
    breaks = (
        pl.col("LS").is_in(["V3", "V4"]).fill_null(False)
        | left
        | ((pl.col("RNE") == "S") & (pl.col("DECOM") > start))
    )
    broken = e.filter(breaks).select(CHILD).unique()
    return e.select(CHILD).unique().join(broken, on=CHILD, how="anti")


def header_rows(f: Return, children: pl.DataFrame) -> pl.DataFrame:
    """The header rows of some children."""
    return f["Header"].join(children.select(CHILD).unique(), on=CHILD)
