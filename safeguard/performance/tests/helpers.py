"""Helpers for measure tests: run one measure on hand-made frames, read the council figure."""

from __future__ import annotations

from datetime import date
from typing import Any

from safeguard.performance import engine
from safeguard.performance.frames import JourneyFrames, build

AS_AT = date(2019, 6, 30)  # the seed's date: a Sunday; the year to date starts Mon 1 April


def figure(
    frames: JourneyFrames, measure: str, as_at: date = AS_AT, period: str = "ytd", **kwargs: Any
) -> tuple[Any, Any, Any]:
    """(value, numerator, denominator) of one measure for the council; value to 1 d.p."""
    res = engine.compute(frames, as_at, period=period, measures=[measure], **kwargs)
    row = res.row(0, named=True)
    value = row["value"] if row["value"] is None else round(row["value"], 1)
    return value, row["numerator"], row["denominator"]


def ids(
    frames: JourneyFrames,
    measure: str,
    as_at: date = AS_AT,
    period: str = "ytd",
    role: str = "numerator",
) -> list[str]:
    """Sorted child ids behind a figure's numerator or denominator (drill-down)."""
    d = engine.drill(frames, measure, as_at, period=period)
    rows = d.numerator if role == "numerator" else d.denominator
    assert rows is not None
    return sorted(set(rows["child_id"].to_list()))


def frames(**tables: Any) -> JourneyFrames:
    return build(**tables)


def d(y: int, m: int, day: int) -> date:
    return date(y, m, day)
