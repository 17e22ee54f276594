"""What is due next for each child: THE single call site for due dates in the web app.

It reads the declared timescales (`safeguard.timescales.timescale(...).next_due`), so screens and
measures share one declaration. When `safeguard.timescales` publishes its own per-child "next due"
function (planned as `safeguard.timescales.due`), replace the body of `due_items` with a call to
it; nothing else in the web app computes a due date.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from safeguard.journey.models import Child, Conference, Visit
from safeguard.timescales import timescale
from safeguard.workforce.models import CaseSupervision


@dataclass(frozen=True)
class DueItem:
    """One statutory (or local-standard) item due for a child."""

    child: Child
    kind: str  # the timescale id
    title: str
    due: date

    def overdue(self, today: date) -> bool:
        return self.due < today


def _day(value: date | datetime) -> date:
    return timezone.localtime(value).date() if isinstance(value, datetime) else value


def _item(child: Child, ts_id: str, start, done: list) -> DueItem | None:
    ts = timescale(ts_id)
    due = ts.next_due(start, done)
    return None if due is None else DueItem(child, ts.id, ts.title, _day(due))


def _open(rows, end_field: str = "end_date") -> list:
    return [r for r in rows if getattr(r, end_field) is None]


def _front_door_items(child: Child) -> list[DueItem | None]:
    items: list[DueItem | None] = []
    for a in child.assessments.all():
        if a.authorisation_date is None:
            items.append(_item(child, "assessment", a.start_date, []))
    for s in child.section47s.all():
        icpc = [c for c in s.conferences.all() if c.kind == "ICPC"]
        if not icpc and not s.icpc_not_required and s.outcome in ("", "ICPC"):
            items.append(_item(child, "icpc", s.strategy_discussion_date, []))
    return items


def _plan_items(child: Child, visits: list[date], supervisions: list[date]) -> list:
    items: list[DueItem | None] = []
    for plan in _open(child.cp_plans.all()):
        reviews = [c.date for c in plan.reviews.all() if c.kind == "RCPC"]
        items.append(_item(child, "cp_review", plan.start_date, reviews))
        since = [d for d in visits if d >= plan.start_date]
        items.append(_item(child, "cp_visit", plan.start_date, since[-1:]))
        sup = [d for d in supervisions if d >= plan.start_date]
        items.append(_item(child, "cp_supervision", plan.start_date, sup[-1:]))
    if not _open(child.cp_plans.all()):
        for plan in _open(child.cin_plans.all()):
            since = [d for d in visits if d >= plan.start_date]
            items.append(_item(child, "cin_visit", plan.start_date, since[-1:]))
            sup = [d for d in supervisions if d >= plan.start_date]
            items.append(_item(child, "cin_supervision", plan.start_date, sup[-1:]))
    return items


def _care_items(child: Child, visits: list[date], supervisions: list[date]) -> list:
    episodes = list(child.care_episodes.all())
    current = _open(episodes)
    if not current:
        return []
    ep = current[-1]
    # The period of care started with the earliest episode not preceded by a gap.
    start = ep.start_date
    for prev in reversed(episodes[:-1]):
        if prev.end_date == start:
            start = prev.start_date
    reviews = [r.date for r in child.lac_reviews.all() if r.date >= start]
    since_place = [d for d in visits if d >= ep.start_date]
    items = [
        _item(child, "lac_review", start, reviews),
        _item(child, "lac_visit", ep.start_date, since_place[-1:]),
        _item(child, "cla_supervision", start, [d for d in supervisions if d >= start][-1:]),
    ]
    if ep.legal_status == "V2":
        items.append(_item(child, "s20_review", ep.start_date, []))
    return items


def _other_items(child: Child) -> list[DueItem | None]:
    items: list[DueItem | None] = []
    for m in child.missing_episodes.all():
        if m.returned_at and not m.rhi_offered_at and not m.rhi_held_at and not m.rhi_declined:
            items.append(_item(child, "rhi", m.returned_at, []))
    for p in child.proceedings.all():
        if p.issue_date and not p.final_order_date:
            items.append(_item(child, "proceedings", p.issue_date, []))
    return items


def with_due_relations(children: QuerySet[Child]) -> QuerySet[Child]:
    """Prefetch what `due_items` reads, so a list of children costs a fixed number of queries."""
    return children.prefetch_related(
        "assessments",
        "cp_plans",
        "cin_plans",
        "care_episodes",
        "lac_reviews",
        "missing_episodes",
        "proceedings",
        # Only the dates are read: a busy caseload has thousands of past visits and supervisions.
        Prefetch("visits", queryset=Visit.objects.only("id", "child_id", "date")),
        Prefetch("supervisions", queryset=CaseSupervision.objects.only("id", "child_id", "date")),
        Prefetch("section47s__conferences", queryset=Conference.objects.order_by("date")),
        Prefetch("cp_plans__reviews", queryset=Conference.objects.order_by("date")),
    )


def due_items(children: Iterable[Child]) -> list[DueItem]:
    """Every item due for these children, earliest first (overdue items come first)."""
    items: list[DueItem | None] = []
    for child in children:
        visits = sorted(v.date for v in child.visits.all())
        sups = sorted(s.date for s in child.supervisions.all())
        items += _front_door_items(child)
        items += _plan_items(child, visits, sups)
        items += _care_items(child, visits, sups)
        items += _other_items(child)
    return sorted((i for i in items if i is not None), key=lambda i: (i.due, i.child.pk))
