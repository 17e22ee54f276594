"""The weekly activity report: what came in, started and ended in the last 7 days, and visits.

Counts reuse the catalogue's row functions over a 7-day window (the as-at date and the six
days before it), so "referrals" here is the data book's definition; the few items that are
not catalogue measures (assessments started, plans ended) are one filter each. Visits due and
overdue come from `safeguard.timescales.due`, the same due dates as the worklists.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import polars as pl

from safeguard.performance import measures as ms
from safeguard.performance.frames import JourneyFrames
from safeguard.performance.measures import Window
from safeguard.timescales import due
from safeguard.timescales.standards import local_standards

from .common import FigureRef, held_by_team

DAYS = 7
PREFIX = "weekly:"
Rows = Callable[[JourneyFrames, Window], pl.DataFrame]


def _started(table: str, col: str) -> Rows:
    return lambda f, w: f.tables[table].filter(pl.col(col).is_between(w.start, w.as_at))


def _visits(w: Window, f: JourneyFrames) -> pl.DataFrame:
    std = w.standards
    parts = [
        due.cp_visit_due(f, w.as_at, std),
        due.cin_visit_due(f, w.as_at, std),
        due.lac_visit_due(f, w.as_at),
    ]
    return pl.concat([p.select("child_id", "due") for p in parts])


def visits_due(f: JourneyFrames, w: Window) -> pl.DataFrame:
    """Visits (CP, CIN, looked after) falling due in the 7 days after the as-at date."""
    return _visits(w, f).filter(
        pl.col("due") > w.as_at, pl.col("due") <= w.as_at + timedelta(days=DAYS)
    )


def visits_overdue(f: JourneyFrames, w: Window) -> pl.DataFrame:
    """Visits whose due date is before the as-at date (an item due today is not overdue)."""
    return _visits(w, f).filter(pl.col("due") < w.as_at)


@dataclass(frozen=True)
class Item:
    """A line of the weekly report: its key, words and rows (one per event or child)."""

    key: str
    label: str
    rows: Rows
    group: str


ITEMS: tuple[Item, ...] = (
    Item("contacts", "Contacts received", ms.contacts, "Front door"),
    Item("referrals", "Referrals", ms.referrals, "Front door"),
    Item(
        "assessments_started", "Assessments started", _started("assessments", "start"), "Assessment"
    ),
    Item("assessments_completed", "Assessments completed", ms.assessments_completed, "Assessment"),
    Item("s47", "Section 47 enquiries started", ms.s47_started, "Child protection"),
    Item("icpcs", "Initial child protection conferences", ms.icpcs, "Child protection"),
    Item("cp_plans_started", "Child protection plans started", ms.cpp_started, "Child protection"),
    Item("cp_plans_ended", "Child protection plans ended", ms.cpp_ended, "Child protection"),
    Item(
        "cin_plans_started",
        "Child in need plans started",
        _started("cin_plans", "start"),
        "Child in need",
    ),
    Item(
        "cin_plans_ended",
        "Child in need plans ended",
        _started("cin_plans", "end"),
        "Child in need",
    ),
    Item("entered_care", "Children starting to be looked after", ms.cla_started, "Looked after"),
    Item("left_care", "Children ceasing to be looked after", ms.cla_ended, "Looked after"),
    Item("visits_due", "Visits due in the next 7 days", visits_due, "Visits"),
    Item("visits_overdue", "Visits overdue", visits_overdue, "Visits"),
)
BY_KEY = {i.key: i for i in ITEMS}


@dataclass(frozen=True)
class Line:
    item: Item
    count: int
    ref: FigureRef


@dataclass
class Weekly:
    as_at: date
    start: date
    team: str | None
    lines: list[Line]


def window(as_at: date) -> Window:
    """The as-at date and the six days before it."""
    return Window(as_at=as_at, start=as_at - timedelta(days=DAYS - 1), standards=local_standards())


def item_rows(
    frames: JourneyFrames, key: str, as_at: date, team: str | None = None
) -> pl.DataFrame:
    """The rows behind one line (frame keys in ``child_id``), for the council or one team."""
    rows = BY_KEY[key].rows(frames, window(as_at))
    if team is not None:
        rows = rows.join(held_by_team(frames, as_at, team), on="child_id", how="semi")
    return rows


def weekly(frames: JourneyFrames, as_at: date, *, team: str | None = None) -> Weekly:
    """The weekly activity report for the 7 days ending ``as_at``."""
    lines = [
        Line(
            i,
            item_rows(frames, i.key, as_at, team).height,
            FigureRef(PREFIX + i.key, as_at, "week", team),
        )
        for i in ITEMS
    ]
    return Weekly(as_at, window(as_at).start, team, lines)


def children(frames: JourneyFrames, key: str, as_at: date, team: str | None = None) -> list[str]:
    """LA child IDs behind one line (each child once): the drill-down."""
    rows = frames.decode(item_rows(frames, key, as_at, team).select("child_id"))
    return sorted(rows["child_id"].drop_nulls().unique().to_list())
