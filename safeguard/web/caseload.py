"""What a child's case currently is (CP, looked after, CIN, other) and caseload weighting."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q

from safeguard.journey.models import CareEpisode, ChildInNeedPlan, ChildProtectionPlan
from safeguard.workforce.models import Allocation, Team, Worker

#: Local caseload weighting (seed council's practice, not national): a child protection or
#: looked-after case counts heavier than a child in need or assessment case.
WEIGHTS = {
    "CP": Decimal("1.5"),
    "LAC": Decimal("1.5"),
    "CIN": Decimal("1.0"),
    "OTHER": Decimal("0.75"),
}
STATUS_TITLES = {
    "CP": "Child protection plan",
    "LAC": "Looked after",
    "CIN": "Child in need plan",
    "OTHER": "Assessment or other",
}


def _open(model, child_ids, on: date) -> set[int]:
    return set(
        model.objects.filter(child_id__in=child_ids, start_date__lte=on)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=on))
        .values_list("child_id", flat=True)
    )


def statuses(child_ids: list[int], on: date) -> dict[int, str]:
    """Each child's case status on a date: CP plan beats looked after beats CIN plan."""
    cp = _open(ChildProtectionPlan, child_ids, on)
    lac = _open(CareEpisode, child_ids, on)
    cin = _open(ChildInNeedPlan, child_ids, on)
    return {
        pk: "CP" if pk in cp else "LAC" if pk in lac else "CIN" if pk in cin else "OTHER"
        for pk in child_ids
    }


@dataclass
class Caseload:
    """One worker's open cases, counted and weighted."""

    worker: Worker
    count: int = 0
    weighted: Decimal = Decimal(0)
    by_status: dict[str, int] | None = None


def caseloads(teams: list[Team], on: date) -> list[Caseload]:
    """Caseloads of every current worker in the teams, heaviest first."""
    workers = (
        Worker.objects.filter(team__in=teams)
        .filter(Q(leave_date__isnull=True) | Q(leave_date__gt=on))
        .select_related("team")
    )
    loads = {w.pk: Caseload(w, by_status=defaultdict(int)) for w in workers}
    allocs = list(
        Allocation.objects.filter(worker_id__in=loads, start_date__lte=on)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=on))
        .values_list("worker_id", "child_id")
    )
    status = statuses([c for _, c in allocs], on)
    for worker_id, child_id in allocs:
        load, kind = loads[worker_id], status[child_id]
        load.count += 1
        load.weighted += WEIGHTS[kind]
        load.by_status[kind] += 1
    for load in loads.values():
        load.by_status = dict(load.by_status)  # a plain dict: templates look up `.items`
    return sorted(loads.values(), key=lambda c: (-c.weighted, c.worker.name))
