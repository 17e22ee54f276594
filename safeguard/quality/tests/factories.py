"""Small builders for hand-made records in the quality tests (no randomness)."""

from __future__ import annotations

from datetime import date
from itertools import count

from safeguard.journey import models as j
from safeguard.workforce.models import Allocation, Team, Worker

_ids = count(1)


def team(name: str, kind: str = "CP_COURT", manager: Worker | None = None) -> Team:
    return Team.objects.create(name=name, kind=kind, service="Safeguarding", manager=manager)


def worker(
    name: str,
    team: Team | None = None,
    role: str = "SW",
    agency: bool = False,
    fte: float = 1,
    start: date = date(2015, 1, 1),
    leave: date | None = None,
    user=None,
) -> Worker:
    return Worker.objects.create(
        name=name,
        team=team,
        role=role,
        agency=agency,
        fte=fte,
        start_date=start,
        leave_date=leave,
        user=user,
    )


def child(dob: date = date(2010, 1, 1), name: str = "") -> j.Child:
    n = next(_ids)
    return j.Child.objects.create(
        la_child_id=f"C{n:04d}",
        first_name=name or f"Child{n}",
        last_name="Test",
        date_of_birth=dob,
        sex="1",
    )


def allocate(
    kid: j.Child, team: Team, worker: Worker | None, start: date, end: date | None = None
) -> Allocation:
    return Allocation.objects.create(
        child=kid, team=team, worker=worker, start_date=start, end_date=end, reason="NEW"
    )


def episode(
    kid: j.Child,
    start: date,
    end: date | None = None,
    ls: str = "C2",
    place: str = "U1",
    rne: str = "S",
) -> j.CareEpisode:
    return j.CareEpisode.objects.create(
        child=kid,
        start_date=start,
        end_date=end,
        legal_status=ls,
        placement_type=place,
        reason_new_episode=rne,
        category_of_need="N1",
    )


def referral(kid: j.Child, on: date) -> j.Referral:
    return j.Referral.objects.create(child=kid, referral_date=on, referral_source="1A")


def cp_plan(kid: j.Child, start: date, end: date | None = None) -> j.ChildProtectionPlan:
    return j.ChildProtectionPlan.objects.create(
        referral=referral(kid, start),
        child=kid,
        start_date=start,
        end_date=end,
        initial_category="NEG",
        latest_category="NEG",
    )


def cin_plan(kid: j.Child, start: date, end: date | None = None) -> j.ChildInNeedPlan:
    return j.ChildInNeedPlan.objects.create(
        referral=referral(kid, start), child=kid, start_date=start, end_date=end
    )
