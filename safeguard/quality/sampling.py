"""Which cases an audit programme picks: a seeded sample per team, or a thematic query.

The monthly sample is deterministic: the same seed, month and caseload always pick the same
children (a `random.Random` seeded by a string is stable across runs and machines), so a
programme can be re-created and checked.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q, QuerySet

from safeguard.journey import models as j
from safeguard.workforce.models import Allocation


@dataclass(frozen=True)
class Pick:
    """A child picked for audit, with the team and worker holding the case."""

    child_id: int
    team_id: int
    worker_id: int | None


def open_allocations(as_at: date) -> QuerySet[Allocation]:
    """Allocations open on a date (end date inclusive, as the access scope counts them)."""
    return Allocation.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=as_at), start_date__lte=as_at
    )


def _holders(as_at: date, children: QuerySet | None = None) -> dict[int, Pick]:
    """Each child's case holder on a date (the latest-starting open allocation wins)."""
    allocs = open_allocations(as_at)
    if children is not None:
        allocs = allocs.filter(child__in=children)
    rows = allocs.order_by("child_id", "start_date", "pk").values_list(
        "child_id", "team_id", "worker_id"
    )
    return {c: Pick(c, t, w) for c, t, w in rows}


def monthly_sample(*, month: date, per_team: int, seed: int) -> list[Pick]:
    """Up to `per_team` children from each team's caseload on the first of the month."""
    by_team: dict[int, list[Pick]] = {}
    for pick in _holders(month.replace(day=1)).values():
        by_team.setdefault(pick.team_id, []).append(pick)
    chosen: list[Pick] = []
    for team_id in sorted(by_team):
        cases = sorted(by_team[team_id], key=lambda p: p.child_id)
        rng = random.Random(f"{seed}:{month:%Y-%m}:{team_id}")  # noqa: S311 - not security
        chosen.extend(rng.sample(cases, min(per_team, len(cases))))
    return chosen


@dataclass(frozen=True)
class ThematicQuery:
    """A named question that picks every child it applies to on a date."""

    key: str
    title: str
    children: Callable[[date], QuerySet]


def _in_plo(as_at: date) -> QuerySet:
    return j.CareProceedings.objects.filter(
        Q(final_order_date__isnull=True) | Q(final_order_date__gt=as_at),
        plo_meeting_date__lte=as_at,
    ).values("child_id")


def _s20(as_at: date) -> QuerySet:
    return j.CareEpisode.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gt=as_at), start_date__lte=as_at, legal_status="V2"
    ).values("child_id")


def _new_to_care(as_at: date) -> QuerySet:
    return j.CareEpisode.objects.filter(
        reason_new_episode="S", start_date__lte=as_at, start_date__gt=as_at - timedelta(days=91)
    ).values("child_id")


def _missing(as_at: date) -> QuerySet:
    return j.MissingEpisode.objects.filter(
        start_date__lte=as_at, start_date__gt=as_at - timedelta(days=91)
    ).values("child_id")


def _second_cp_plan(as_at: date) -> QuerySet:
    return j.ChildProtectionPlan.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gt=as_at),
        start_date__lte=as_at,
        previous_plans__gt=0,
    ).values("child_id")


THEMATIC_QUERIES: dict[str, ThematicQuery] = {
    q.key: q
    for q in (
        ThematicQuery("plo", "children in the public law outline (PLO)", _in_plo),
        ThematicQuery("s20", "children accommodated under section 20", _s20),
        ThematicQuery("new_to_care", "admissions to care in the last 3 months", _new_to_care),
        ThematicQuery("missing", "children missing in the last 3 months", _missing),
        ThematicQuery("second_cp_plan", "children on a second or later CP plan", _second_cp_plan),
    )
}


def thematic_sample(*, query: str, as_at: date) -> list[Pick]:
    """Every child the query picks who has an allocated case on the date."""
    kids = THEMATIC_QUERIES[query].children(as_at)
    return sorted(
        _holders(as_at, j.Child.objects.filter(pk__in=kids)).values(), key=lambda p: p.child_id
    )
