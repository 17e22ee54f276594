"""The data book: every measure, a 13-month trend, for the council and by team.

`databook(frames, as_at)` computes the catalogue for 13 month-ends in one engine run and
arranges it by area; the HTML page, the workbook (a sheet per area with native line charts)
and the PDF are all drawn from the same `DataBook`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

import polars as pl

from safeguard.performance import engine
from safeguard.performance.engine import COUNCIL
from safeguard.performance.frames import JourneyFrames
from safeguard.performance.measures import Measure

from .common import FigureRef, area_measures, format_value, trend_dates

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

    @property
    def latest(self) -> float | None:
        return self.values[-1] if self.values else None

    def cells(self) -> list[tuple[str, FigureRef]]:
        """Formatted values with their drill-down references, oldest first."""
        unit = self.measure.unit
        return [(format_value(v, unit), r) for v, r in zip(self.values, self.refs, strict=True)]


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


def _series(result: pl.DataFrame) -> dict[tuple[str, str, str], dict[str, list]]:
    grouped = (
        result.sort("as_at")
        .group_by(["measure", "scope_kind", "scope"], maintain_order=True)
        .agg(pl.col("value"), pl.col("numerator"), pl.col("denominator"), pl.col("rag").last())
    )
    return {(r["measure"], r["scope_kind"], r["scope"]): r for r in grouped.iter_rows(named=True)}


def _trend(series: dict, m: Measure, team: str | None, dates: list[date], period: str) -> Trend:
    key = (m.id, COUNCIL, COUNCIL) if team is None else (m.id, "team", team)
    row = series.get(key) or {
        "value": [None] * len(dates),
        "numerator": [None] * len(dates),
        "denominator": [None] * len(dates),
        "rag": None,
    }
    refs = [FigureRef(m.id, d, period, team) for d in dates]
    return Trend(m, team, row["value"], row["numerator"], row["denominator"], row["rag"], refs)


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
    result = engine.compute(frames, dates, period=period, by=("team",))
    return from_result(result, period=period, teams=teams, with_council=with_council)


def from_result(
    result: pl.DataFrame,
    *,
    period: str,
    teams: Iterable[str] | None = None,
    with_council: bool = True,
) -> DataBook:
    """Arrange an engine result (any number of dates, council and/or team rows) by area."""
    dates = sorted(result["as_at"].unique().to_list())
    all_teams = sorted(result.filter(pl.col("scope_kind") == "team")["scope"].unique().to_list())
    chosen = all_teams if teams is None else [t for t in all_teams if t in set(teams)]
    series = _series(result)
    areas = []
    for name, measures in area_measures():
        area = Area(name)
        if with_council:
            area.council = [_trend(series, m, None, dates, period) for m in measures]
        for team in chosen:
            area.teams[team] = [_trend(series, m, team, dates, period) for m in measures]
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
