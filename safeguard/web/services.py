"""Recording the journey: small `<entity>_<action>` functions the views call.

Each checks the rules that span more than one record (dates in order across the journey) and
then saves through `safeguard.journey.models.record()`, which runs the model's own checks
(codes valid, dates in order within the record). Failures are `ValidationError`s whose messages
are the plain constants below, shown to the user in a GOV.UK error summary.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from safeguard.journey.models import (
    CareEpisode,
    Child,
    Contact,
    JourneyRecord,
    Referral,
    record,
)
from safeguard.workforce.models import Allocation, Team, Worker

BEFORE_REFERRAL = "{what} cannot be before the referral date ({when:%d %B %Y})."
BEFORE_STRATEGY = "The conference cannot be before the strategy discussion ({when:%d %B %Y})."
BEFORE_ICPC = "The plan cannot start before the initial conference ({when:%d %B %Y})."
BEFORE_PLAN = "The review conference cannot be before the plan started ({when:%d %B %Y})."
IN_FUTURE = "{what} cannot be in the future."
EPISODE_BEFORE_CURRENT = "The new episode cannot start before the current one ({when:%d %B %Y})."
FIRST_EPISODE_MUST_START = "A first period of care must have reason for new episode S (started)."
REFERRAL_NEEDS_TEAM = "Choose the team that will take the referral."
DECISION_DONE = "This contact already has a decision."
NOT_A_MANAGER = "Only a team manager can authorise a MASH decision."
TRANSFER_BEFORE_START = (
    "The transfer cannot be before the current allocation started ({when:%d %B %Y})."
)
WORKER_NOT_IN_TEAM = "The worker must be in the team the child moves to."


def _no_future(value: date | datetime | None, what: str, field: str) -> None:
    if value is None:
        return
    day = timezone.localtime(value).date() if isinstance(value, datetime) else value
    if day > timezone.localdate():
        raise ValidationError({field: IN_FUTURE.format(what=what)})


def _after_referral(referral: Referral | None, value: date, what: str, field: str) -> None:
    if referral is not None and value < referral.referral_date:
        message = BEFORE_REFERRAL.format(what=what, when=referral.referral_date)
        raise ValidationError({field: message})


def child_create(**fields) -> Child:
    """A new child known to the service, with a generated LA child ID if none is given."""
    fields.setdefault("la_child_id", f"SG{uuid.uuid4().hex[:10].upper()}")
    return record(Child(**fields))


@transaction.atomic
def contact_record(*, child: Child | None, child_fields: dict, user, **fields) -> Contact:
    """A contact at the front door, about a known child or a new one."""
    _no_future(fields.get("received_at"), "The contact", "received_at")
    if child is None:
        child = child_create(**child_fields)
    return record(Contact(child=child, made_by=user, **fields))


@transaction.atomic
def contact_decide(
    *,
    contact: Contact,
    decision: str,
    worker: Worker | None,
    at: datetime,
    team: Team | None = None,
    allocate_to: Worker | None = None,
    authorise: bool = False,
) -> Contact:
    """The MASH threshold decision; a referral decision opens a Referral and allocates it."""
    if contact.mash_decision:
        raise ValidationError(DECISION_DONE)
    if decision == "REF" and team is None:
        raise ValidationError({"team": REFERRAL_NEEDS_TEAM})
    _no_future(at, "The decision", "decided_at")
    contact.mash_decision, contact.decided_at, contact.decided_by = decision, at, worker
    if authorise:
        contact.authorised_by = worker
    record(contact)
    if decision == "REF":
        day = timezone.localtime(at).date()
        record(
            Referral(
                child=contact.child,
                contact=contact,
                referral_date=day,
                referral_source=contact.contact_source,
                decided_at=at,
            )
        )
        allocation_transfer(
            child=contact.child, team=team, worker=allocate_to, reason="NEW", on=day
        )
    return contact


def contact_authorise(*, contact: Contact, manager: Worker | None) -> Contact:
    """A manager authorises the MASH decision."""
    if manager is None or manager.role not in ("TM", "HOS"):
        raise ValidationError(NOT_A_MANAGER)
    contact.authorised_by = manager
    return record(contact)


@transaction.atomic
def allocation_transfer(
    *, child: Child, team: Team, worker: Worker | None, reason: str, on: date
) -> Allocation:
    """End the child's current allocation(s) and start the next, with the reason."""
    if worker is not None and worker.team_id != team.pk:
        raise ValidationError({"worker": WORKER_NOT_IN_TEAM})
    current = list(Allocation.objects.filter(child=child, end_date__isnull=True))
    for alloc in current:
        if on < alloc.start_date:
            raise ValidationError({"on": TRANSFER_BEFORE_START.format(when=alloc.start_date)})
        alloc.end_date, alloc.end_reason = on, reason
        record(alloc)
    return record(Allocation(child=child, team=team, worker=worker, start_date=on, reason=reason))


def step_check(instance: JourneyRecord) -> None:
    """Rules across records for one journey step (run before `record`)."""
    name = type(instance).__name__
    checker = _CHECKS.get(name)
    if checker:
        checker(instance)


def _check_assessment(a) -> None:
    _after_referral(a.referral, a.start_date, "The assessment start", "start_date")
    _no_future(a.start_date, "The assessment start", "start_date")
    _no_future(a.authorisation_date, "The authorisation date", "authorisation_date")


def _check_section47(s) -> None:
    _after_referral(
        s.referral,
        s.strategy_discussion_date,
        "The strategy discussion",
        "strategy_discussion_date",
    )
    _no_future(s.strategy_discussion_date, "The strategy discussion", "strategy_discussion_date")


def _check_conference(c) -> None:
    _no_future(c.date, "The conference", "date")
    if c.section47 is not None and c.date < c.section47.strategy_discussion_date:
        raise ValidationError(
            {"date": BEFORE_STRATEGY.format(when=c.section47.strategy_discussion_date)}
        )
    if c.cp_plan is not None and c.date < c.cp_plan.start_date:
        raise ValidationError({"date": BEFORE_PLAN.format(when=c.cp_plan.start_date)})


def _check_cp_plan(p) -> None:
    _after_referral(p.referral, p.start_date, "The plan start", "start_date")
    if p.initial_conference is not None and p.start_date < p.initial_conference.date:
        raise ValidationError({"start_date": BEFORE_ICPC.format(when=p.initial_conference.date)})
    if not p.latest_category:
        p.latest_category = p.initial_category


def _check_cin_plan(p) -> None:
    _after_referral(p.referral, p.start_date, "The plan start", "start_date")


def _check_dated(what: str, field: str):
    def check(instance) -> None:
        _no_future(getattr(instance, field), what, field)

    return check


_CHECKS = {
    "Assessment": _check_assessment,
    "Section47": _check_section47,
    "Conference": _check_conference,
    "ChildProtectionPlan": _check_cp_plan,
    "ChildInNeedPlan": _check_cin_plan,
    "Visit": _check_dated("The visit", "date"),
    "CaseNote": _check_dated("The note's date", "date"),
    "LookedAfterReview": _check_dated("The review", "date"),
    "MissingEpisode": _check_dated("The start of the missing episode", "start_date"),
}


@transaction.atomic
def step_record(instance: JourneyRecord) -> JourneyRecord:
    """Save one journey step after the cross-record checks; all or nothing."""
    step_check(instance)
    return record(instance)


@transaction.atomic
def care_episode_start(episode: CareEpisode) -> CareEpisode:
    """Start an episode of care; a change of placement or legal status ends the current one."""
    current = (
        CareEpisode.objects.filter(child=episode.child, end_date__isnull=True)
        .order_by("-start_date")
        .first()
    )
    if current is None:
        if episode.reason_new_episode != "S":
            raise ValidationError({"reason_new_episode": FIRST_EPISODE_MUST_START})
        return record(episode)
    if episode.start_date < current.start_date:
        raise ValidationError(
            {"start_date": EPISODE_BEFORE_CURRENT.format(when=current.start_date)}
        )
    current.end_date, current.reason_ended = episode.start_date, "X1"
    current.reason_place_change = current.reason_place_change or episode.reason_place_change
    record(current)
    return record(episode)
