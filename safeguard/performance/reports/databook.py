"""The data book: every measure, a 13-month trend, for the council and by team.

`databook(frames, as_at)` computes the catalogue for 13 month-ends in one engine run and
arranges it by area; the HTML page, the workbook (a sheet per area with native line charts)
and the PDF are all drawn from the same `DataBook`.

Frames read from returns cover only the returns' collection years (`JourneyFrames.covers`).
A figure whose window (the month, year to date or 12 months to its date) runs outside them
is not computed (it would count only part of the window): its cell says `NOT_COVERED`, and
the book lists the months not covered. Figures the returns do cover are computed as from the
record, so `--from` and importing the same returns agree month by month.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

import polars as pl

from safeguard.performance import engine
from safeguard.performance.engine import COUNCIL
from safeguard.performance.frames import JourneyFrames
from safeguard.performance.measures import CATALOGUE, Measure
from safeguard.timescales.standards import local_standards

from .common import NOT_COVERED, FigureRef, area_measures, format_value, month_label, trend_dates

#: Flows in a trend are counted per calendar month, so the months can be compared.
TREND_PERIOD = "month"


@dataclass(frozen=True)
class Trend:
    """One measure for one scope at each date of the data book."""

    measure: Measure
    team: str | None  # None: the council
    values: list[float | None]
    numerators: list[float | None]
    denominators: list[float | None]
    rag: str | None  # at the last date
    refs: list[FigureRef]
    #: Per date: whether the source covers the figure's window (False: not computed).
    covered: list[bool] = field(default_factory=list)

    @property
    def latest(self) -> float | None:
        return self.values[-1] if self.values else None

    def texts(self) -> list[str]:
        """Formatted values, oldest first: "not covered" where the source does not reach."""
        unit, covered = self.measure.unit, self.covered or [True] * len(self.values)
        return [
            format_value(v, unit) if ok else NOT_COVERED
            for v, ok in zip(self.values, covered, strict=True)
        ]

    def cells(self) -> list[tuple[str, FigureRef]]:
        """Formatted values with their drill-down references, oldest first."""
        return list(zip(self.texts(), self.refs, strict=True))


@dataclass
class Area:
    """An area of the data book: its measures for the council and for each team."""

    name: str
    council: list[Trend] = field(default_factory=list)
    teams: dict[str, list[Trend]] = field(default_factory=dict)


@dataclass
class DataBook:
    as_at: date
    period: str
    dates: list[date]
    areas: list[Area]
    teams: list[str]
    with_council: bool
    #: The dates whose period the source does not cover (their figures are not computed).
    not_covered: list[date] = field(default_factory=list)
    covered_spans: tuple[tuple[date, date], ...] | None = None
    #: Whether any figure (a 12-month one, say) is not covered, even in a covered month.
    partly_covered: bool = False

    @property
    def coverage_note(self) -> str:
        """A plain statement of what the source's returns do not cover ("" if nothing)."""
        if not (self.not_covered or self.partly_covered):
            return ""
        spans = "; ".join(f"{a:%d %B %Y} to {b:%d %B %Y}" for a, b in self.covered_spans or ())
        months = ", ".join(month_label(d) for d in self.not_covered) or "none"
        return (
            f"The returns read cover {spans or 'no known period'}. Months not covered, so not "
            f'computed (shown as "{NOT_COVERED}"): {months}; and 12-month figures wherever '
            "their 12 months run outside the returns."
        )


def _series(result: pl.DataFrame) -> dict[tuple[str, str, str], dict[str, list]]:
    grouped = (
        result.sort("as_at")
        .group_by(["measure", "scope_kind", "scope"], maintain_order=True)
        .agg(
            pl.col("as_at"),
            pl.col("value"),
            pl.col("numerator"),
            pl.col("denominator"),
            pl.col("rag").last(),
        )
    )
    return {(r["measure"], r["scope_kind"], r["scope"]): r for r in grouped.iter_rows(named=True)}


Uncovered = frozenset[tuple[str, date]]


def _trend(
    series: dict,
    m: Measure,
    team: str | None,
    dates: list[date],
    period: str,
    uncovered: Uncovered = frozenset(),
) -> Trend:
    key = (m.id, COUNCIL, COUNCIL) if team is None else (m.id, "team", team)
    row = series.get(key) or {"as_at": [], "value": [], "numerator": [], "denominator": []}
    at = {d: i for i, d in enumerate(row["as_at"])}

    def column(name: str) -> list:
        return [row[name][at[d]] if d in at else None for d in dates]

    covered = [(m.id, d) not in uncovered for d in dates]
    last_ok = bool(dates) and dates[-1] in at and covered[-1]
    refs = [FigureRef(m.id, d, period, team) for d in dates]
    return Trend(
        m,
        team,
        column("value"),
        column("numerator"),
        column("denominator"),
        row.get("rag") if last_ok else None,
        refs,
        covered,
    )


def coverage(frames: JourneyFrames, dates: list[date], period: str) -> tuple[list[date], Uncovered]:
    """The dates whose period the frames do not cover, and every (measure, date) whose own
    window (its period, or 12 months for a 12-month measure) they do not cover."""
    std = local_standards(None)

    def first_day(m: Measure, d: date) -> date:
        # A snapshot needs only its date; a flow its whole period.
        return d if m.period == "as_at" else engine.window(m, d, period, std).start

    cells = frozenset(
        (m.id, d)
        for m in CATALOGUE.values()
        for d in dates
        if not frames.covers(first_day(m, d), d)
    )
    missing = [d for d in dates if not frames.covers(engine.period_start(d, period), d)]
    return missing, cells


def databook(
    frames: JourneyFrames,
    as_at: date,
    *,
    period: str = TREND_PERIOD,
    teams: Iterable[str] | None = None,
    with_council: bool = True,
    months: int | None = None,
) -> DataBook:
    """The data book as at ``as_at``. ``teams``: only these teams (None: every team);
    ``with_council``: False for a user who may see their own teams' figures only."""
    dates = trend_dates(as_at) if months is None else trend_dates(as_at, months)
    missing, uncovered = coverage(frames, dates, period)
    # Only dates some measure can be computed for go to the engine.
    computable = [d for d in dates if any((m, d) not in uncovered for m in CATALOGUE)]
    result = engine.compute(frames, computable, period=period, by=("team",))
    book = from_result(
        result,
        period=period,
        teams=teams,
        with_council=with_council,
        dates=dates,
        uncovered=uncovered,
    )
    book.not_covered, book.covered_spans = missing, frames.covered
    book.partly_covered = bool(uncovered)
    return book


def from_result(
    result: pl.DataFrame,
    *,
    period: str,
    teams: Iterable[str] | None = None,
    with_council: bool = True,
    dates: list[date] | None = None,
    uncovered: Uncovered = frozenset(),
) -> DataBook:
    """Arrange an engine result (any number of dates, council and/or team rows) by area.
    ``dates``: the book's dates (default: those of the result); ``uncovered``: the
    (measure, date) cells the source does not cover."""
    if dates is None:
        dates = sorted(result["as_at"].unique().to_list())
    all_teams = sorted(result.filter(pl.col("scope_kind") == "team")["scope"].unique().to_list())
    chosen = all_teams if teams is None else [t for t in all_teams if t in set(teams)]
    series = _series(result)
    areas = []
    for name, measures in area_measures():
        area = Area(name)
        if with_council:
            area.council = [_trend(series, m, None, dates, period, uncovered) for m in measures]
        for team in chosen:
            area.teams[team] = [_trend(series, m, team, dates, period, uncovered) for m in measures]
        areas.append(area)
    return DataBook(
        dates[-1] if dates else date.today(), period, dates, areas, chosen, with_council
    )


def headline(book: DataBook) -> list[Trend]:
    """The trends a reader sees first: the council's, else the first team's."""
    out: list[Trend] = []
    for area in book.areas:
        if book.with_council:
            out.extend(area.council)
        elif book.teams:
            out.extend(area.teams[book.teams[0]])
    return out
