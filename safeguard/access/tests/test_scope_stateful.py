"""G2 as a hypothesis state machine: allocate, transfer, close and reopen cases in any order;
after every step each user's access equals the policy oracle, and a refused record is a 404.

The oracle is the policy written out by hand for the council of `safeguard.web.tests.conftest`:
- the social worker sees the children allocated to them; the team manager those held by team A
  (their team, which they manage); the head of service those held by teams A and B (their
  service, Safeguarding); the IRO holds no cases; whatever the allocations:
- the MASH partner sees m1 (the contact they made) and w1 (an undecided contact), and opens the
  case of w1 only;
- the analyst and the administrator see every child but the restricted r1 and the sealed s1;
  the duty roles (screener, EDT) see r1 too; nobody sees s1.
Each step moves the record on by one day, from 59 days ago, so an allocation ended by a step is
over before today (an allocation is held up to and including its end date).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from safeguard.access.scope import children_for
from safeguard.journey.models import record
from safeguard.web.services import allocation_transfer
from safeguard.web.tests.conftest import START, build_council

#: Each team's workers who may hold a case there (None: held by the team, no worker yet).
TEAM_WORKERS = {
    "a": ("sw", "sw2", "tm", None),
    "b": ("swb", "hos", None),
    "c": (None,),
    "mash": ("mash", None),
}
MOVABLE = ("a1", "a2", "b1", "c1", "m1", "w1")
EVERYONE = {"a1", "a2", "b1", "c1", "m1", "w1"}  # every child but the restricted and sealed


class AccessMachine(RuleBasedStateMachine):
    """The council in one savepoint per run; `held` is the oracle's view of the allocations."""

    def __init__(self) -> None:
        super().__init__()
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        self.council = build_council()
        self.day = START + timedelta(days=1)
        self.held: dict[str, tuple[str, str | None] | None] = {
            "a1": ("a", "sw"),
            "a2": ("a", "sw2"),
            "b1": ("b", "swb"),
            "c1": ("c", None),
        }
        self.touched: list[str] = []
        self.clients = {}
        for role, user in self.council.users.items():
            self.clients[role] = Client()
            self.clients[role].force_login(user)

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self.atomic.__exit__(None, None, None)

    def _next_day(self):
        day, self.day = self.day, self.day + timedelta(days=1)
        return day

    def _allocate(self, key: str, team: str, data) -> None:
        worker = data.draw(st.sampled_from(TEAM_WORKERS[team]), label="worker")
        allocation_transfer(
            child=self.council.children[key],
            team=self.council.teams[team],
            worker=self.council.workers[worker] if worker else None,
            reason="TRANSFER" if self.held.get(key) else "NEW",
            on=self._next_day(),
        )
        self.held[key], self.touched = (team, worker), [key]

    @precondition(lambda self: any(k not in self.held for k in MOVABLE))
    @rule(team=st.sampled_from(sorted(TEAM_WORKERS)), data=st.data())
    def allocate(self, team, data) -> None:
        key = data.draw(st.sampled_from([k for k in MOVABLE if k not in self.held]), label="child")
        self._allocate(key, team, data)

    @precondition(lambda self: any(self.held.values()))
    @rule(team=st.sampled_from(sorted(TEAM_WORKERS)), data=st.data())
    def transfer(self, team, data) -> None:
        key = data.draw(st.sampled_from(sorted(k for k, v in self.held.items() if v)))
        self._allocate(key, team, data)

    @precondition(lambda self: any(self.held.values()))
    @rule(data=st.data())
    def close(self, data) -> None:
        key = data.draw(st.sampled_from(sorted(k for k, v in self.held.items() if v)))
        day = self._next_day()
        for alloc in self.council.children[key].allocations.filter(end_date__isnull=True):
            alloc.end_date, alloc.end_reason = day, "CLOSED"
            record(alloc)
        self.held[key], self.touched = None, [key]

    @precondition(lambda self: any(v is None for v in self.held.values()))
    @rule(team=st.sampled_from(sorted(TEAM_WORKERS)), data=st.data())
    def reopen(self, team, data) -> None:
        key = data.draw(st.sampled_from(sorted(k for k, v in self.held.items() if v is None)))
        self._allocate(key, team, data)

    def oracle(self, role: str) -> set[str]:
        """Whose record the role may see now, from `held` and the policy above."""
        open_ = {k: v for k, v in self.held.items() if v}
        by_role = {
            "social_worker": {k for k, (_t, w) in open_.items() if w == "sw"},
            "team_manager": {k for k, (t, _w) in open_.items() if t == "a"},
            "head_of_service": {k for k, (t, _w) in open_.items() if t in ("a", "b")},
            "iro": set(),
            "mash_worker": {"m1", "w1"},
            "performance_analyst": EVERYONE,
            "administrator": EVERYONE,
            "screener": EVERYONE | {"r1"},
            "edt": EVERYONE | {"r1"},
        }
        return by_role[role]

    @invariant()
    def each_user_sees_what_the_policy_allows(self) -> None:
        keys = {c.pk: k for k, c in self.council.children.items()}
        for role, user in self.council.users.items():
            got = {keys[pk] for pk in children_for(user).values_list("pk", flat=True)}
            assert got == self.oracle(role), role

    @invariant()
    def a_refused_record_is_a_404(self) -> None:
        for key in self.touched:
            path = f"/children/{self.council.children[key].pk}/"
            for role, client in self.clients.items():
                allowed = self.oracle(role) - ({"m1"} if role == "mash_worker" else set())
                expected = 200 if key in allowed else 404
                assert client.get(path).status_code == expected, (role, key)


@pytest.mark.django_db
def test_access_follows_allocation_transfer_close_and_reopen():
    run_state_machine_as_test(
        AccessMachine,
        settings=settings(
            max_examples=12,
            stateful_step_count=8,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
