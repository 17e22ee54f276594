"""The monthly scorecard: each measure with a target or a published comparator, against them.

RAG comes from the engine (target and amber tolerance of the catalogue); England and
statistical-neighbour figures come from `safeguard.performance.national`, which ships only
sourced figures: where none is sourced the card says `national.NOT_SOURCED`, never a blank
or a zero.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import polars as pl

from safeguard.calendar import add_months
from safeguard.performance import engine, national
from safeguard.performance.engine import COUNCIL
from safeguard.performance.frames import JourneyFrames
from safeguard.performance.measures import Measure

from .common import FigureRef, area_measures, month_end

SCORECARD_PERIOD = "ytd"
STAT_NEIGHBOURS = national.STAT_NEIGHBOURS
NOT_SOURCED = national.NOT_SOURCED


@dataclass(frozen=True)
class Score:
    measure: Measure
    area: str
    value: float | None
    target: float | None
    rag: str | None
    england: national.Comparator | None
    neighbours: national.Comparator | None
    ref: FigureRef
    previous: float | None = None  # the same figure a month-end earlier
    previous_ref: FigureRef | None = None

    @property
    def direction(self) -> str:
        """ "better", "worse" or "same" than the month before, by the measure's polarity
        ("" when either figure is missing or the measure has no better direction)."""
        if self.value is None or self.previous is None or self.measure.polarity == "neutral":
            return ""
        if round(self.value, 1) == round(self.previous, 1):
            return "same"
        up = self.value > self.previous
        return "better" if up == (self.measure.polarity == "higher") else "worse"


@dataclass
class Scorecard:
    as_at: date
    period: str
    period_start: date
    team: str | None
    scores: list[Score]


def _comparator(measure_id: str, area: str) -> national.Comparator | None:
    return national.comparator(measure_id, area)


def _on_card(m: Measure) -> bool:
    return m.target is not None or bool(national.comparators(m.id))


def scorecard(
    frames: JourneyFrames,
    as_at: date,
    *,
    period: str = SCORECARD_PERIOD,
    team: str | None = None,
    measures: Iterable[str] | None = None,
) -> Scorecard:
    """The scorecard as at ``as_at`` for the council or one team."""
    chosen = [
        (area, m)
        for area, ms in area_measures()
        for m in ms
        if (m.id in set(measures) if measures is not None else _on_card(m))
    ]
    before = month_end(add_months(as_at.replace(day=1), -1))
    res = engine.compute(
        frames,
        [before, as_at],
        period=period,
        by=("team",) if team else (),
        measures=[m.id for _, m in chosen],
    )
    kind, scope = ("team", team) if team else (COUNCIL, COUNCIL)
    mine = res.filter(pl.col("scope_kind") == kind, pl.col("scope") == scope)
    rows = {r["measure"]: r for r in mine.filter(pl.col("as_at") == as_at).iter_rows(named=True)}
    prev = {r["measure"]: r for r in mine.filter(pl.col("as_at") == before).iter_rows(named=True)}
    scores = []
    for area, m in chosen:
        r = rows.get(m.id, {})
        scores.append(
            Score(
                m,
                area,
                r.get("value"),
                m.target,
                r.get("rag"),
                _comparator(m.id, national.ENGLAND),
                _comparator(m.id, STAT_NEIGHBOURS),
                FigureRef(m.id, as_at, period, team),
                prev.get(m.id, {}).get("value"),
                FigureRef(m.id, before, period, team),
            )
        )
    return Scorecard(as_at, period, engine.period_start(as_at, period), team, scores)


def rag_counts(card: Scorecard) -> dict[str, int]:
    """How many measures are green, amber and red (the card's summary line)."""
    counts = {"green": 0, "amber": 0, "red": 0}
    for s in card.scores:
        if s.rag in counts:
            counts[s.rag] += 1
    return counts
