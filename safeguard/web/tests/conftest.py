"""A small council for the web and access tests: four teams, one user per role, eight children.

Every child's last name is a sentinel (unique, searchable) so a leak shows up in any response.
Who may see whom (the oracle the matrix tests check against) is `VISIBLE` below, worked out by
hand from the allocations:
  sw (own, team A)         -> a1                      (r1 is allocated to sw but restricted)
  tm (team, manages A)     -> a1, a2
  hos (service Safeguarding: teams A and B) -> a1, a2, b1
  mash (contacts made + undecided contacts, in the MASH team) -> m1, w1
  iro (own, no allocations) -> none
  analyst, admin (all)     -> every child except the restricted r1
  screener, edt (all, duty) -> every child, the restricted r1 too
s1 is sealed: the adoptive identity of c1 (an adoption case record links them). It is allocated
to sw and restricted, yet nobody sees it: no role, no duty role, only a named grant opens it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone

from safeguard.access.models import AdoptionRecord
from safeguard.access.roles import ROLES
from safeguard.journey.models import Child, Contact
from safeguard.workforce.models import Allocation, Team, Worker

TODAY = timezone.localdate()
START = TODAY - timedelta(days=60)

CHILDREN = {
    "a1": "Sentinelaone",
    "a2": "Sentinelatwo",
    "b1": "Sentinelbone",
    "c1": "Sentinelcone",
    "r1": "Sentinelrestricted",
    "m1": "Sentinelmashmade",
    "w1": "Sentinelwaiting",
    "s1": "Sentinelsealed",
}
VISIBLE = {
    "social_worker": {"a1"},
    "team_manager": {"a1", "a2"},
    "head_of_service": {"a1", "a2", "b1"},
    "mash_worker": {"m1", "w1"},
    "iro": set(),
    "performance_analyst": {"a1", "a2", "b1", "c1", "m1", "w1"},
    "administrator": {"a1", "a2", "b1", "c1", "m1", "w1"},
    "screener": {"a1", "a2", "b1", "c1", "m1", "w1", "r1"},
    "edt": {"a1", "a2", "b1", "c1", "m1", "w1", "r1"},
}

#: Whose case record (not just their name in a list) each role may open: a MASH partner sees the
#: contact they made (m1) but not the case; the undecided contact (w1) opens for MASH staff.
CASE_VISIBLE = {**VISIBLE, "mash_worker": {"w1"}}


@dataclass
class Council:
    teams: dict[str, Team]
    workers: dict[str, Worker]
    users: dict[str, User]
    children: dict[str, Child]
    contacts: dict[str, Contact]


def _worker(name: str, role: str, team: Team | None, user: User | None = None) -> Worker:
    return Worker.objects.create(
        name=name, role=role, team=team, user=user, start_date=date(2015, 1, 1)
    )


def _child(key: str, **extra) -> Child:
    return Child.objects.create(
        la_child_id=f"T{key.upper()}",
        first_name=key.upper(),
        last_name=CHILDREN[key],
        date_of_birth=date(2012, 5, 1),
        sex="1",
        **extra,
    )


def _users() -> dict[str, User]:
    users = {}
    for role in ROLES:
        user = User.objects.create(username=f"u-{role.key}")
        user.groups.add(Group.objects.get_or_create(name=role.key)[0])
        users[role.key] = user
    return users


def build_council() -> Council:
    teams = {
        "mash": Team.objects.create(name="MASH", kind="MASH", service="Front door"),
        "a": Team.objects.create(name="Assessment A", kind="ASSESSMENT", service="Safeguarding"),
        "b": Team.objects.create(name="CP B", kind="CP_COURT", service="Safeguarding"),
        "c": Team.objects.create(name="Looked after C", kind="LAC", service="Children in care"),
    }
    users = _users()
    workers = {
        "sw": _worker("Sam Worker", "SW", teams["a"], users["social_worker"]),
        "sw2": _worker("Alex Other", "SW", teams["a"]),
        "swb": _worker("Bea Bworker", "SW", teams["b"]),
        "tm": _worker("Tia Manager", "TM", teams["a"], users["team_manager"]),
        "hos": _worker("Hal Head", "HOS", teams["b"], users["head_of_service"]),
        "mash": _worker("Mo Mash", "MASH_OFFICER", teams["mash"], users["mash_worker"]),
        "iro": _worker("Ira Reviewer", "IRO", None, users["iro"]),
    }
    teams["a"].manager = workers["tm"]
    teams["a"].save()
    children = {key: _child(key, restricted=key in ("r1", "s1")) for key in CHILDREN}
    for key, team, worker in (
        ("a1", "a", "sw"),
        ("a2", "a", "sw2"),
        ("b1", "b", "swb"),
        ("c1", "c", None),
        ("r1", "a", "sw"),
        ("s1", "a", "sw"),
    ):
        Allocation.objects.create(
            child=children[key],
            team=teams[team],
            worker=workers.get(worker),
            start_date=START,
            reason="NEW",
        )
    AdoptionRecord.objects.create(
        birth_record=children["c1"],
        adopted_record=children["s1"],
        adopters_address="1 Sentineladopters Close",
        adopters_postcode="SE1 1AD",
    )
    received = timezone.make_aware(datetime.combine(START, datetime.min.time()))
    contacts = {
        "m1": Contact.objects.create(
            child=children["m1"],
            received_at=received,
            contact_source="1A",
            made_by=users["mash_worker"],
            mash_decision="NFA",
            decided_at=received,
        ),
        "w1": Contact.objects.create(
            child=children["w1"], received_at=received, contact_source="3A"
        ),
    }
    return Council(teams, workers, users, children, contacts)


@pytest.fixture
def council(db) -> Council:
    return build_council()
