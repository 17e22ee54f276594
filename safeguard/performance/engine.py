"""The measures engine: the whole catalogue for a grid of as-at dates x scopes, in one pass.

Usage::

    from safeguard.performance import engine, frames
    f = frames.from_record()
    grid = engine.compute(f, [date(2019, 6, 30)], period="ytd", by=("team",))
    rows = engine.drill(f, "assessments_45wd_pct", date(2019, 6, 30),
                        scope=("team", "Assessment 1"))

`compute` returns a polars frame with one row per measure x as-at date x scope, with the
columns of `RESULT_SCHEMA`: ``measure, as_at, period_start, scope_kind`` ("council", "team" or
"worker"), ``scope, value, numerator, denominator, unit, target, rag`` ("green", "amber",
"red" or null).
A measure whose tables the source cannot provide (e.g. visits when reading returns) has a null
value and null counts: not available, never a false zero.

How it runs: for each as-at date (13 dates for a trend is the usual grid) every measure's
numerator and denominator rows are computed once for the council (vectorised polars over the
frames), stacked into one long frame, joined once to the allocation open at that date (team and
worker) and aggregated with a single ``group_by`` (teams, workers and the council are
roll-ups of it). No per-row Python. Date-independent work (due dates of every referral,
assessment and S47; review chains) is done once per frames; the dates after the first run on
a few threads.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

import polars as pl

from safeguard.calendar import add_months
from safeguard.timescales.standards import local_standards

from .frames import CHILD_KEY, JourneyFrames
from .measures import CATALOGUE, DEFAULT_POPULATION, Measure, Window

Period = Literal["ytd", "quarter", "month", "12m"]
PERIODS: tuple[str, ...] = ("ytd", "quarter", "month", "12m")
ScopeKind = Literal["council", "team", "worker"]
COUNCIL = "council"
#: Dates computed at once after the first (each holds its rows in memory while it runs).
MAX_THREADS = 4

RESULT_SCHEMA: dict[str, pl.DataType | type[pl.DataType]] = {
    "measure": pl.Utf8,
    "as_at": pl.Date,
    "period_start": pl.Date,
    "scope_kind": pl.Utf8,
    "scope": pl.Utf8,
    "value": pl.Float64,
    "numerator": pl.Float64,
    "denominator": pl.Float64,
    "unit": pl.Utf8,
    "target": pl.Float64,
    "rag": pl.Utf8,
}
_ROWS = {
    "measure": pl.Utf8,
    "role": pl.Utf8,
    "distinct": pl.Boolean,
    "child_id": CHILD_KEY,
    "value": pl.Float64,
    "team_id": pl.Utf8,
    "worker_id": pl.Utf8,
}


def period_start(as_at: date, period: str) -> date:
    """First day of the period ending on ``as_at``: year to date from 1 April, the financial
    quarter (Apr-Jun, Jul-Sep, Oct-Dec, Jan-Mar), the calendar month, or 12 months."""
    if period == "ytd":
        return date(as_at.year if as_at.month >= 4 else as_at.year - 1, 4, 1)
    if period == "quarter":
        return date(as_at.year, (as_at.month - 1) // 3 * 3 + 1, 1)
    if period == "month":
        return as_at.replace(day=1)
    if period == "12m":
        return add_months(as_at, -12) + timedelta(days=1)
    raise ValueError(f"Unknown period {period!r}; choose from {', '.join(PERIODS)}.")


def window(measure: Measure, as_at: date, period: str, standards: Mapping[str, int]) -> Window:
    """The window a measure is computed over: its own fixed period ("12m") or the run's."""
    kind = "12m" if measure.period == "12m" else period
    return Window(as_at=as_at, start=period_start(as_at, kind), standards=standards)


def available(frames: JourneyFrames, measure: Measure) -> bool:
    """Whether the frames' source can provide everything the measure reads."""
    return all(frames.has(t) for t in measure.needs)


@dataclass(frozen=True)
class Drill:
    """The rows behind one figure: numerator and denominator (None for plain counts)."""

    numerator: pl.DataFrame
    denominator: pl.DataFrame | None


def _tag(rows: pl.DataFrame, measure: Measure, role: str) -> pl.DataFrame:
    cols = [
        pl.lit(measure.id).alias("measure"),
        pl.lit(role).alias("role"),
        pl.lit(measure.count_by == "children").alias("distinct"),
    ]
    for name, dtype in list(_ROWS.items())[3:]:
        expr = pl.col(name) if name in rows.columns else pl.lit(None)
        cols.append(expr.cast(dtype).alias(name))
    return rows.select(cols)


def _allocated(frames: JourneyFrames, as_at: date) -> pl.DataFrame:
    """The team and worker holding each child's case at ``as_at`` (latest open allocation)."""
    a = frames.allocations
    return (
        a.filter(pl.col("start") <= as_at, pl.col("end").is_null() | (pl.col("end") > as_at))
        .sort("start")
        .unique("child_id", keep="last")
        .select("child_id", a_team="team_id", a_worker="worker_id")
    )


def _rows_for_date(
    frames: JourneyFrames,
    measures: Sequence[Measure],
    as_at: date,
    period: str,
    standards: Mapping[str, int],
    scoped: bool,
) -> pl.DataFrame:
    parts = [pl.DataFrame(schema=_ROWS)]
    for m in measures:
        w = window(m, as_at, period, standards)
        parts.append(_tag(m.numerator(frames, w), m, "num"))
        if m.denominator is not None:
            parts.append(_tag(m.denominator(frames, w), m, "den"))
    rows = pl.concat(parts, how="vertical")
    if not scoped:
        return rows
    return (
        rows.join(_allocated(frames, as_at), on="child_id", how="left")
        .with_columns(
            team_id=pl.coalesce("team_id", "a_team"),
            worker_id=pl.coalesce("worker_id", "a_worker"),
        )
        .drop("a_team", "a_worker")
    )


def _base(rows: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    """Counts per measure, role and (team, worker): the only pass over the rows.

    At a date each child has one allocation, so a child falls in one (team, worker) group and
    distinct-child counts add up across groups: teams, workers and the council are roll-ups.
    """
    n = (
        pl.when(pl.col("distinct").first())
        .then(pl.col("child_id").drop_nulls().n_unique())
        .otherwise(pl.len())
    )
    return rows.group_by(["measure", "role", *keys]).agg(
        n=n.cast(pl.Float64), vsum=pl.col("value").sum(), vcnt=pl.col("value").count()
    )


def _rollup(base: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    agg = (
        base.group_by(["measure", "role", *keys])
        .agg(
            pl.col("n").sum(),
            pl.col("vsum").sum(),
            pl.col("vcnt").sum(),
        )
        .with_columns(vmean=pl.when(pl.col("vcnt") > 0).then(pl.col("vsum") / pl.col("vcnt")))
    )
    num = agg.filter(pl.col("role") == "num").drop("role", "vcnt")
    den = agg.filter(pl.col("role") == "den").select("measure", *keys, den=pl.col("n"))
    return num.join(den, on=["measure", *keys], how="full", coalesce=True)


def _scope_frames(rows: pl.DataFrame, by: Iterable[str]) -> list[pl.DataFrame]:
    by = list(by)
    base = _base(rows, ["team_id", "worker_id"] if by else [])
    council = _rollup(base, []).with_columns(scope_kind=pl.lit(COUNCIL), scope=pl.lit(COUNCIL))
    out = [council]
    for kind in by:
        col = f"{kind}_id"
        scoped = _rollup(base.filter(pl.col(col).is_not_null()), [col])
        out.append(scoped.rename({col: "scope"}).with_columns(scope_kind=pl.lit(kind)))
    cols = ["measure", "scope_kind", "scope", "n", "vsum", "vmean", "den"]
    return [f.select(cols) for f in out]


def _catalogue_frame(measures: Sequence[Measure], frames: JourneyFrames) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "measure": [m.id for m in measures],
            "unit": [m.unit for m in measures],
            "target": [m.target for m in measures],
            "tolerance": [m.tolerance for m in measures],
            "polarity": [m.polarity for m in measures],
            "has_den": [m.denominator is not None for m in measures],
            "available": [available(frames, m) for m in measures],
        },
        schema_overrides={"target": pl.Float64, "tolerance": pl.Float64},
    )


def _scopes(frames: JourneyFrames, by: Iterable[str]) -> pl.DataFrame:
    """Every scope that gets a row (teams and workers with no rows still get zeros)."""
    parts = [pl.DataFrame({"scope_kind": [COUNCIL], "scope": [COUNCIL]})]
    sources = {
        "team": [frames.allocations["team_id"], frames.workers["team_id"]],
        "worker": [frames.allocations["worker_id"], frames.workers["worker_id"]],
    }
    for kind in by:
        names = pl.concat(sources[kind]).drop_nulls().unique().sort()
        parts.append(
            pl.DataFrame(
                {"scope_kind": kind, "scope": names},
                schema={"scope_kind": pl.Utf8, "scope": pl.Utf8},
            )
        )
    return pl.concat(parts)


def _value(population: int) -> pl.Expr:
    n, den, unit = pl.col("n"), pl.col("den"), pl.col("unit")
    share = pl.when(den > 0).then(n / den)
    return (
        pl.when(~pl.col("available"))
        .then(None)
        .when(unit == "count")
        .then(n)
        .when(unit == "percent")
        .then(share * 100)
        .when(unit == "ratio")
        .then(share)
        .when(unit == "per_10k")
        .then(pl.when(pl.col("scope_kind") == COUNCIL).then(n / population * 10_000))
        .otherwise(pl.col("vmean"))
    )


def _rag() -> pl.Expr:
    v, t, tol = pl.col("value"), pl.col("target"), pl.col("tolerance").fill_null(0)
    higher = (
        pl.when(v >= t)
        .then(pl.lit("green"))
        .when(v >= t - tol)
        .then(pl.lit("amber"))
        .otherwise(pl.lit("red"))
    )
    lower = (
        pl.when(v <= t)
        .then(pl.lit("green"))
        .when(v <= t + tol)
        .then(pl.lit("amber"))
        .otherwise(pl.lit("red"))
    )
    return (
        pl.when(v.is_null() | t.is_null())
        .then(None)
        .when(pl.col("polarity") == "higher")
        .then(higher)
        .when(pl.col("polarity") == "lower")
        .then(lower)
    )


def _finish(
    agg: pl.DataFrame, cat: pl.DataFrame, scopes: pl.DataFrame, population: int
) -> pl.DataFrame:
    grid = cat.join(scopes, how="cross").join(
        agg, on=["measure", "scope_kind", "scope"], how="left"
    )
    mean_unit = pl.col("unit").is_in(["days", "weeks"])
    grid = (
        grid.with_columns(
            n=pl.when(pl.col("available")).then(pl.col("n").fill_null(0)),
            den=pl.when(pl.col("available") & pl.col("has_den")).then(pl.col("den").fill_null(0)),
        )
        .with_columns(
            numerator=pl.when(mean_unit & pl.col("available"))
            .then(pl.col("vsum").fill_null(0))
            .when(mean_unit)
            .then(None)
            .otherwise("n"),
            denominator=pl.when(mean_unit).then("n").otherwise("den"),
        )
        .with_columns(value=_value(population))
    )
    return grid.with_columns(rag=_rag())


def compute(
    frames: JourneyFrames,
    as_at: date | Sequence[date],
    *,
    period: str = "ytd",
    by: Iterable[str] = (),
    measures: Iterable[str] | None = None,
    standards: Mapping[str, int] | None = None,
    population: int | None = None,
) -> pl.DataFrame:
    """The catalogue (or the named measures) for each as-at date, for the council and for each
    scope kind in ``by`` ("team", "worker"). See the module docstring for the columns."""
    dates = [as_at] if isinstance(as_at, date) else list(as_at)
    chosen = [CATALOGUE[m] for m in (measures or CATALOGUE)]
    std = local_standards(standards)
    pop = population or frames.population or DEFAULT_POPULATION
    by = tuple(by)
    for kind in by:
        if kind not in ("team", "worker"):
            raise ValueError(f"Unknown scope {kind!r}; choose team or worker.")
    runnable = [m for m in chosen if available(frames, m)]
    cat, scopes = _catalogue_frame(chosen, frames), _scopes(frames, by)

    def one(d: date) -> pl.DataFrame:
        rows = _rows_for_date(frames, runnable, d, period, std, scoped=bool(by))
        agg = pl.concat(_scope_frames(rows, by))
        res = _finish(agg, cat, scopes, pop).with_columns(
            as_at=pl.lit(d), period_start=pl.lit(period_start(d, period))
        )
        return res.select(list(RESULT_SCHEMA)).cast(RESULT_SCHEMA)  # type: ignore[arg-type]

    if not dates:
        return pl.DataFrame(schema=RESULT_SCHEMA)
    # The first date fills the per-frames memos (due dates, review chains); the other dates
    # only filter, and run on threads (polars releases the GIL), in date order.
    out = [one(dates[0])]
    if len(dates) > 1:
        workers = min(MAX_THREADS, len(dates) - 1, os.cpu_count() or 1)
        with ThreadPoolExecutor(max_workers=workers) as pool:
            out += list(pool.map(one, dates[1:]))
    return pl.concat(out)


def drill(
    frames: JourneyFrames,
    measure_id: str,
    as_at: date,
    *,
    period: str = "ytd",
    scope: tuple[str, str] | None = None,
    standards: Mapping[str, int] | None = None,
) -> Drill:
    """The rows (``child_id`` = LA child ID) behind one figure, for the council or one (kind, name)
    scope, e.g. ``scope=("team", "Assessment 1")``. Callers apply the user's access scope."""
    m = CATALOGUE[measure_id]
    w = window(m, as_at, period, local_standards(standards))

    def scoped(rows: pl.DataFrame) -> pl.DataFrame:
        if scope is None or scope[0] == COUNCIL:
            return rows
        kind, name = scope
        col = f"{kind}_id"
        if col not in rows.columns:
            alloc = _allocated(frames, as_at).select("child_id", **{col: f"a_{kind}"})
            rows = rows.join(alloc, on="child_id", how="left")
        return rows.filter(pl.col(col) == name)

    den = None if m.denominator is None else frames.decode(scoped(m.denominator(frames, w)))
    return Drill(numerator=frames.decode(scoped(m.numerator(frames, w))), denominator=den)
