"""The child's chronology: every event in the record, from every journey model, in date order."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from django.utils import timezone

from safeguard.codes import cin, local, ssda903
from safeguard.journey.models import Child

#: The kinds a chronology can be filtered by, in the order the filter lists them.
KINDS = {
    "front_door": "Front door",
    "referral": "Referrals",
    "assessment": "Assessments",
    "protection": "Child protection",
    "plan": "Plans",
    "care": "Care and placements",
    "missing": "Missing",
    "review": "Reviews and conferences",
    "visit": "Visits",
    "note": "Notes",
    "allocation": "Allocation",
    "supervision": "Supervision",
    "court": "Court",
    "adoption": "Adoption",
}


@dataclass(frozen=True)
class Event:
    """One dated thing that happened in the child's record."""

    when: date | datetime
    kind: str
    title: str
    detail: str = ""
    classified: str = ""  # the field class of `detail` (safeguard.access.fields), if sensitive

    @property
    def day(self) -> date:
        w = self.when
        return timezone.localtime(w).date() if isinstance(w, datetime) else w

    @property
    def kind_title(self) -> str:
        return KINDS[self.kind]


def _front_door(child: Child):
    for c in child.contacts.all():
        yield Event(
            c.received_at,
            "front_door",
            "Contact received",
            cin.REFERRAL_SOURCE.label(c.contact_source),
        )
        if c.decided_at:
            yield Event(
                c.decided_at,
                "front_door",
                "MASH decision",
                local.MASH_DECISION.label(c.mash_decision),
            )
    for e in child.early_help_episodes.all():
        yield Event(e.start_date, "front_door", "Early help started", e.lead_professional)
        if e.end_date:
            yield Event(
                e.end_date,
                "front_door",
                "Early help ended",
                local.EARLY_HELP_OUTCOME.label(e.outcome),
            )


def _need(child: Child):
    for r in child.referrals.all():
        yield Event(
            r.referral_date, "referral", "Referral", cin.REFERRAL_SOURCE.label(r.referral_source)
        )
        if r.closure_date:
            yield Event(
                r.closure_date,
                "referral",
                "Case closed",
                cin.REASON_FOR_CLOSURE.label(r.reason_for_closure),
            )
    for a in child.assessments.all():
        yield Event(a.start_date, "assessment", "Assessment started")
        if a.authorisation_date:
            yield Event(
                a.authorisation_date,
                "assessment",
                "Assessment authorised",
                ", ".join(a.factors or []),
            )
    for p in child.cin_plans.all():
        yield Event(p.start_date, "plan", "Child in need plan started")
        if p.end_date:
            yield Event(p.end_date, "plan", "Child in need plan ended")


def _protection(child: Child):
    for s in child.section47s.all():
        yield Event(
            s.strategy_discussion_date,
            "protection",
            "Strategy discussion: section 47 enquiry started",
        )
        if s.end_date:
            yield Event(
                s.end_date,
                "protection",
                "Section 47 enquiry completed",
                local.S47_OUTCOME.label(s.outcome),
            )
    for c in child.conferences.all():
        yield Event(
            c.date,
            "review",
            local.CONFERENCE_KIND.label(c.kind),
            local.CONFERENCE_OUTCOME.label(c.outcome),
        )
    for p in child.cp_plans.all():
        yield Event(
            p.start_date,
            "plan",
            "Child protection plan started",
            cin.CATEGORY_OF_ABUSE.label(p.initial_category),
            classified="abuse_category",
        )
        if p.end_date:
            yield Event(p.end_date, "plan", "Child protection plan ended")


def _care(child: Child):
    for e in child.care_episodes.all():
        rne = ssda903.RNE.label(e.reason_new_episode)
        yield Event(
            e.start_date,
            "care",
            f"Care episode: {rne}",
            f"{ssda903.LEGAL_STATUS.label(e.legal_status)}; "
            f"{ssda903.PLACE.label(e.placement_type)}",
        )
        if e.end_date and e.reason_ended != "X1":
            yield Event(
                e.end_date, "care", "Ceased to be looked after", ssda903.REC.label(e.reason_ended)
            )
    for r in child.lac_reviews.all():
        yield Event(
            r.date, "review", "Looked-after review", ssda903.REVIEW_CODE.label(r.participation)
        )
    for m in child.missing_episodes.all():
        yield Event(m.start_date, "missing", ssda903.MISSING.label(m.kind))
        if m.returned_at:
            yield Event(m.returned_at, "missing", "Returned")
        if m.rhi_offered_at:
            yield Event(m.rhi_offered_at, "missing", "Return-home interview offered")
        if m.rhi_held_at:
            yield Event(m.rhi_held_at, "missing", "Return-home interview held")


def _court_and_adoption(child: Child):
    for p in child.proceedings.all():
        for field, title in (
            ("plo_meeting_date", "PLO meeting"),
            ("issue_date", "Care proceedings issued"),
            ("final_order_date", "Final order"),
        ):
            if getattr(p, field):
                yield Event(getattr(p, field), "court", title)
    for a in child.adoptions.all():
        for field, title in (
            ("decision_date", "Should be placed for adoption"),
            ("match_date", "Matched with adopters"),
            ("placed_date", "Placed with adopters"),
            ("order_date", "Adoption order"),
        ):
            if getattr(a, field):
                yield Event(getattr(a, field), "adoption", title)


def _work(child: Child):
    for v in child.visits.all():
        seen = "seen alone" if v.seen_alone else ("seen" if v.seen else "not seen")
        yield Event(v.date, "visit", local.VISIT_KIND.label(v.kind), f"Child {seen}. {v.note}")
    for n in child.notes.all():
        yield Event(n.date, "note", "Case note", n.text)
    for a in child.allocations.select_related("team", "worker"):
        who = f"{a.worker} in {a.team}" if a.worker else str(a.team)
        yield Event(
            a.start_date,
            "allocation",
            f"Allocated to {who}",
            local.ALLOCATION_REASON.label(a.reason),
        )
    for s in child.supervisions.select_related("supervisor"):
        yield Event(s.date, "supervision", f"Case supervision by {s.supervisor}", s.decisions)


def chronology(
    child: Child, kind: str | None = None, *, readable: frozenset[str] = frozenset()
) -> list[Event]:
    """The child's events, oldest first; only one kind when `kind` is given. A detail of a
    field class the reader may not see is left out (the event itself stays)."""
    events: list[Event] = []
    for source in (_front_door, _need, _protection, _care, _court_and_adoption, _work):
        events.extend(source(child))
    if kind in KINDS:
        events = [e for e in events if e.kind == kind]
    events = [
        replace(e, detail="") if e.classified and e.classified not in readable else e
        for e in events
    ]
    return sorted(events, key=lambda e: (e.day, isinstance(e.when, datetime), str(e.when)))
