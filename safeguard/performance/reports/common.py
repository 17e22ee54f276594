"""What every report shares: the areas measures are grouped in, trend dates, value formatting.

Reports are built from the measures engine (`safeguard.performance.engine`) over journey
frames, so a figure on a page, in a workbook or in a PDF is the same number, and each one
names the measure, date, period and scope it came from (`FigureRef`), which is what the
drill-down needs to list the children behind it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import polars as pl

from safeguard.calendar import add_months
from safeguard.performance.frames import JourneyFrames
from safeguard.performance.measures import CATALOGUE, Measure
from safeguard.timescales.due import open_at

#: Trend length of the data book: 13 month-ends, so a month compares with a year before.
TREND_MONTHS = 13
NOT_AVAILABLE = "n/a"
#: A figure whose window the source's returns do not cover (not computed, never invented).
NOT_COVERED = "not covered"

#: The data book's areas, in the order a children's services data book reads (front door to
#: workforce); each measure of the catalogue sits in exactly one (checked by the tests).
AREAS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "Front door",
        (
            "early_help_open",
            "contacts",
            "contacts_nfa_pct",
            "referrals",
            "referral_decision_1wd_pct",
            "rereferrals_12m_pct",
            "referrals_nfa_pct",
            "referral_rate_per_10k",
        ),
    ),
    (
        "Assessment",
        (
            "assessments_completed",
            "assessments_45wd_pct",
            "assessments_open_over_45wd",
            "cin_plans_open",
        ),
    ),
    (
        "Child protection",
        (
            "s47_started",
            "s47_rate_per_10k",
            "icpc_held",
            "icpc_15wd_pct",
            "icpc_to_plan_pct",
            "cpp_open",
            "cpp_rate_per_10k",
            "cpp_started",
            "cpp_second_time",
            "cpp_second_time_pct",
            "cpp_second_time_2y_pct",
            "cpp_over_2y_open",
            "cpp_ended_over_2y_pct",
            "cpp_reviews_on_time_pct",
        ),
    ),
    (
        "Looked after",
        (
            "cla_open",
            "cla_rate_per_10k",
            "cla_started",
            "cla_ended",
            "cla_s20_open",
            "cla_3plus_placements",
            "cla_3plus_placements_pct",
            "cla_long_term_stability",
            "cla_long_term_stability_pct",
            "cla_in_house_foster_pct",
            "cla_reviews_on_time_pct",
            "cla_missing_children",
            "rhi_72h_pct",
        ),
    ),
    (
        "Care leavers",
        (
            "care_leavers_in_touch_pct",
            "care_leavers_suitable_accommodation_pct",
            "care_leavers_eet_pct",
        ),
    ),
    (
        "Adoption and courts",
        (
            "placement_orders",
            "adoptions",
            "adoption_a1_days",
            "adoption_a2_days",
            "proceedings_26wk_pct",
            "proceedings_avg_weeks",
        ),
    ),
    (
        "Visits and supervision",
        (
            "visits_cp_on_time_pct",
            "visits_cla_on_time_pct",
            "visits_cin_on_time_pct",
            "supervision_cp_on_time_pct",
            "supervision_cla_on_time_pct",
            "supervision_cin_on_time_pct",
        ),
    ),
    ("Workforce", ("caseload_avg", "workers_agency_pct")),
)

_SUFFIX = {"percent": "%", "days": " days", "weeks": " weeks"}


def area_measures() -> list[tuple[str, list[Measure]]]:
    """The areas with their catalogue measures (measures added later fall into "Other")."""
    placed = {m for _, ids in AREAS for m in ids}
    out = [(name, [CATALOGUE[m] for m in ids if m in CATALOGUE]) for name, ids in AREAS]
    rest = [m for m in CATALOGUE.values() if m.id not in placed]
    return out + ([("Other", rest)] if rest else [])


def month_end(d: date) -> date:
    """The last day of ``d``'s month."""
    return add_months(d.replace(day=1), 1) - timedelta(days=1)


def trend_dates(as_at: date, months: int = TREND_MONTHS) -> list[date]:
    """``months`` dates ending on ``as_at``: the month-ends before it, then ``as_at`` itself
    (so a trend to 30 June 2019 runs 30 June 2018 ... 30 June 2019)."""
    first = as_at.replace(day=1)
    ends = [month_end(add_months(first, -k)) for k in range(months - 1, 0, -1)]
    return [*ends, as_at]


def format_value(value: float | None, unit: str) -> str:
    """A figure as people read it: counts whole, shares and rates to one decimal place."""
    if value is None:
        return NOT_AVAILABLE
    if unit == "count":
        return f"{value:,.0f}"
    text = f"{value:,.1f}"
    return text + _SUFFIX.get(unit, "")


def month_label(d: date) -> str:
    """ "June 2019": the wording of trend statements and column headings."""
    return d.strftime("%B %Y")


@dataclass(frozen=True)
class FigureRef:
    """Where a figure comes from: enough to recompute it or list the children behind it."""

    measure: str  # a catalogue id, or "weekly:<item>" for the weekly report's counts
    as_at: date
    period: str
    team: str | None = None  # None: the council

    def query(self) -> dict[str, str]:
        """The drill-down link's query parameters."""
        q = {"m": self.measure, "as_at": self.as_at.isoformat(), "period": self.period}
        if self.team:
            q["team"] = self.team
        return q

    @property
    def url(self) -> str:
        """The drill-down page listing the children behind the figure."""
        from urllib.parse import urlencode

        from django.urls import reverse

        return f"{reverse('performance:children')}?{urlencode(self.query())}"


def held_by_team(frames: JourneyFrames, as_at: date, team: str) -> pl.DataFrame:
    """Children (frame keys) whose case the team holds at ``as_at``: the engine's rule (the
    latest allocation open at the date), for figures the engine does not compute."""
    alloc = open_at(frames.allocations, as_at).sort("start").unique("child_id", keep="last")
    return alloc.filter(pl.col("team_id") == team).select("child_id")


def teams_in(frames: JourneyFrames) -> list[str]:
    """Every team named in the frames' allocations and workers, sorted."""
    names = pl.concat([frames.allocations["team_id"], frames.workers["team_id"]])
    return sorted(str(n) for n in names.drop_nulls().unique().to_list())


def latest_activity(frames: JourneyFrames) -> date | None:
    """The latest date of a contact, referral or episode start: a sensible default as-at date
    for a record frozen in time (a demo council or a restored backup)."""
    cols: Sequence[tuple[str, str]] = (
        ("contacts", "received"),
        ("referrals", "referral_date"),
        ("episodes", "start"),
    )
    found = [frames.tables[t][c].max() for t, c in cols if frames.tables[t].height]
    found = [d for d in found if d is not None]
    return max(found) if found else None  # type: ignore[return-value]
