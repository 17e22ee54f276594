"""The self-evaluation data pack: the seed's "Data up to end of June 2019" table from the record,
with trend statements written from the data.

Each figure of the seed's table (`safeguard.performance.seed`) is computed as at the date (flows
year to date from 1 April), and its 13-month trend (flows per month) gives a sentence such as
"Assessments completed within 45 working days rose from 39% in September 2018 to 90% in June
2019": the numbers and months come from the trend, the wording from `trend_statement`'s rules on
the direction and size of the change.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import polars as pl

from safeguard.performance import engine
from safeguard.performance.engine import COUNCIL
from safeguard.performance.frames import JourneyFrames
from safeguard.performance.measures import CATALOGUE, Measure
from safeguard.performance.seed import SEED_FIGURES_ALL, SeedFigure

from .common import FigureRef, month_label, trend_dates

PACK_PERIOD = "ytd"
TREND_PERIOD = "month"

#: The seed table's rows, in its order, with the measures each row reports.
SEED_ROWS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Early help", ("early_help_open",)),
    (
        "Contact and referrals",
        (
            "contacts",
            "referrals",
            "referral_decision_1wd_pct",
            "rereferrals_12m_pct",
            "contacts_nfa_pct",
        ),
    ),
    ("Assessments", ("assessments_completed", "assessments_45wd_pct")),
    ("Child in need", ("cin_plans_open",)),
    (
        "Child protection",
        ("s47_started", "icpc_held", "cpp_open", "cpp_second_time", "cpp_over_2y_open"),
    ),
    (
        "Looked after children",
        ("cla_open", "cla_3plus_placements", "cla_long_term_stability", "cla_in_house_foster_pct"),
    ),
    (
        "Visits (in timescale)",
        ("visits_cp_on_time_pct", "visits_cla_on_time_pct", "visits_cin_on_time_pct"),
    ),
    (
        "Supervision",
        (
            "supervision_cp_on_time_pct",
            "supervision_cla_on_time_pct",
            "supervision_cin_on_time_pct",
        ),
    ),
)

# Wording rules: a change smaller than FLAT is "stayed at about"; smaller than SLIGHT is
# "rose/fell slightly"; otherwise "rose/fell". Shares compare percentage points, other
# figures compare the relative change.
FLAT_POINTS, SLIGHT_POINTS = 1.0, 5.0
FLAT_RELATIVE, SLIGHT_RELATIVE = 0.05, 0.15
NO_TREND = "{subject}: not enough data for a trend."


def _number(value: float, unit: str) -> str:
    if unit == "percent":
        return f"{value:.0f}%"
    if unit in ("count",):
        return f"{value:,.0f}"
    suffix = {"days": " days", "weeks": " weeks"}.get(unit, "")
    return f"{value:,.1f}{suffix}"


def _size(first: float, last: float, unit: str) -> str:
    """ "flat", "slight" or "clear", from the change's size (module constants)."""
    change = abs(last - first)
    if unit == "percent":
        flat, slight = change < FLAT_POINTS, change < SLIGHT_POINTS
    else:
        base = abs(first) or 1.0
        flat, slight = change / base < FLAT_RELATIVE, change / base < SLIGHT_RELATIVE
    return "flat" if flat else "slight" if slight else "clear"


def subject_of(measure: Measure) -> str:
    """A measure's title as the subject of a sentence ("(%)" dropped)."""
    return measure.title.removesuffix(" (%)")


def trend_statement(subject: str, points: Sequence[tuple[date, float | None]], unit: str) -> str:
    """A sentence on the change from the first to the last point with a value."""
    known = [(d, v) for d, v in points if v is not None]
    if len(known) < 2:
        return NO_TREND.format(subject=subject)
    (d0, v0), (d1, v1) = known[0], known[-1]
    a, b = _number(v0, unit), _number(v1, unit)
    size = _size(v0, v1, unit)
    if size == "flat" or a == b:
        return f"{subject} stayed at about {b} from {month_label(d0)} to {month_label(d1)}."
    verb = "rose" if v1 > v0 else "fell"
    if size == "slight":
        verb += " slightly"
    return f"{subject} {verb} from {a} in {month_label(d0)} to {b} in {month_label(d1)}."


@dataclass(frozen=True)
class PackFigure:
    figure: SeedFigure
    measure: Measure
    value: float | None
    ref: FigureRef
    trend: list[tuple[date, float | None]]
    statement: str


@dataclass
class Pack:
    as_at: date
    rows: list[tuple[str, list[PackFigure]]]


def _seed_figure(measure_id: str) -> SeedFigure:
    return next(f for f in SEED_FIGURES_ALL if f.measure_id == measure_id)


def _council(res: pl.DataFrame) -> pl.DataFrame:
    return res.filter(pl.col("scope_kind") == COUNCIL)


def pack(frames: JourneyFrames, as_at: date, *, since: date | None = None) -> Pack:
    """The pack as at ``as_at``; statements run from ``since`` (default: 12 months before)."""
    ids = [m for _, ms in SEED_ROWS for m in ms]
    now = _council(engine.compute(frames, as_at, period=PACK_PERIOD, measures=ids))
    values = dict(zip(now["measure"].to_list(), now["value"].to_list(), strict=True))
    dates = [d for d in trend_dates(as_at) if since is None or d >= since]
    trend = (
        _council(engine.compute(frames, dates, period=TREND_PERIOD, measures=ids))
        .sort("as_at")
        .group_by("measure", maintain_order=True)
        .agg("as_at", "value")
    )
    series = {
        r["measure"]: list(zip(r["as_at"], r["value"], strict=True))
        for r in trend.iter_rows(named=True)
    }
    rows = []
    for heading, measure_ids in SEED_ROWS:
        figures = []
        for mid in measure_ids:
            m, points = CATALOGUE[mid], series.get(mid, [])
            figures.append(
                PackFigure(
                    _seed_figure(mid),
                    m,
                    values.get(mid),
                    FigureRef(mid, as_at, PACK_PERIOD),
                    points,
                    trend_statement(subject_of(m), points, m.unit),
                )
            )
        rows.append((heading, figures))
    return Pack(as_at, rows)
