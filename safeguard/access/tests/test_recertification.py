"""G9: the nightly job revokes overdue grants and disables leavers; no expired grant gives access.

The clock is moved two days on (django's `timezone.now`, which the scope filter and the job both
read). Worked out by hand, with NOW the moment the grants are made and LATER = NOW + 2 days:
  g1 named, IRO -> a2, expires NOW + 1 day         overdue at LATER: revoked
  g2 break-glass, IRO -> b1, expires NOW + 8 hours overdue at LATER: revoked
  g3 named, social worker -> r1, NOW + 30 days     live: kept, still opens the restricted r1
  g4 named, analyst -> r1, revoked at NOW          not expired, but revoked: no access
  g5 named, head of service -> c1, NOW + 60 days   live, but its holder left at NOW + 1 day:
                                                   login disabled, sessions ended, grant revoked
So the job reports 2 grants revoked (g1, g2) and 1 leaver disabled, and a second run 0 and 0.
"""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from safeguard.access.models import Grant
from safeguard.access.scope import can_see, children_for
from safeguard.access.services import break_glass_request, grant_named
from safeguard.web.tests.conftest import VISIBLE

REASON = "Covering the duty desk for this child's team"


def _named(council, role: str, child: str, days: float) -> Grant:
    grant = grant_named(
        user=council.users[role], child=council.children[child], granted_by=None, reason=REASON
    )
    Grant.objects.filter(pk=grant.pk).update(expires_at=grant.starts_at + timedelta(days=days))
    return Grant.objects.get(pk=grant.pk)


def _job(monkeypatch, at) -> str:
    monkeypatch.setattr(timezone, "now", lambda: at)
    out = io.StringIO()
    call_command("expire_grants", stdout=out)
    return out.getvalue().strip()


@pytest.mark.django_db
def test_the_nightly_job_revokes_overdue_grants_and_disables_leavers(council, monkeypatch):
    g1 = _named(council, "iro", "a2", 1)
    g2 = break_glass_request(
        user=council.users["iro"], child=council.children["b1"], reason_code="DUTY", reason=REASON
    )
    g3 = _named(council, "social_worker", "r1", 30)
    g4 = _named(council, "performance_analyst", "r1", 30)
    Grant.objects.filter(pk=g4.pk).update(revoked_at=timezone.now())
    g5 = _named(council, "head_of_service", "c1", 60)
    now = g1.starts_at
    council.workers["hos"].leave_date = (now + timedelta(days=1)).date()
    council.workers["hos"].save()

    # before the job: every grant still in time opens its record; the revoked one does not
    assert can_see(council.users["iro"], council.children["a2"])
    assert can_see(council.users["iro"], council.children["b1"])
    assert can_see(council.users["social_worker"], council.children["r1"])
    assert not can_see(council.users["performance_analyst"], council.children["r1"])

    later = now + timedelta(days=2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    # expiry already ends access, whether or not the job has run
    assert not can_see(council.users["iro"], council.children["a2"])
    assert not can_see(council.users["iro"], council.children["b1"])

    assert _job(monkeypatch, later) == "Revoked 2 expired grant(s). Disabled 1 leaver(s)."
    revoked = {g.pk: g.revoked_at for g in Grant.objects.all()}
    assert revoked[g1.pk] == revoked[g2.pk] == revoked[g5.pk] == later
    assert revoked[g3.pk] is None
    council.users["head_of_service"].refresh_from_db()
    assert council.users["head_of_service"].is_active is False

    # 0 expired or revoked grants give access: each such child is seen only through scope
    for grant in Grant.objects.select_related("user", "child"):
        user = type(grant.user).objects.get(pk=grant.user_id)
        role = next(r for r, u in council.users.items() if u.pk == user.pk)
        key = next(k for k, c in council.children.items() if c.pk == grant.child_id)
        in_force = grant.revoked_at is None and grant.expires_at > later
        expected = in_force or (user.is_active and key in VISIBLE[role])
        assert can_see(user, grant.child) is expected, (grant, role, key)
    assert can_see(council.users["social_worker"], council.children["r1"])  # g3 still in force
    leaver = type(council.users["head_of_service"]).objects.get(username="u-head_of_service")
    assert not children_for(leaver).exists()

    assert _job(monkeypatch, later + timedelta(days=1)) == (
        "Revoked 0 expired grant(s). Disabled 0 leaver(s)."
    )


@pytest.mark.django_db
def test_a_leaver_is_signed_out_on_the_day_they_leave_not_before(council, monkeypatch):
    """The leave date is the first day gone: that day the login is disabled and every session
    ends; a worker leaving tomorrow keeps theirs."""
    sessions = {}
    for role in ("team_manager", "social_worker"):
        client = Client()
        client.force_login(council.users[role])
        sessions[role] = client
    council.workers["tm"].leave_date = timezone.localdate()
    council.workers["tm"].save()
    council.workers["sw"].leave_date = timezone.localdate() + timedelta(days=1)
    council.workers["sw"].save()
    assert _job(monkeypatch, timezone.now()) == "Revoked 0 expired grant(s). Disabled 1 leaver(s)."
    council.users["team_manager"].refresh_from_db()
    council.users["social_worker"].refresh_from_db()
    assert not council.users["team_manager"].is_active
    assert council.users["social_worker"].is_active
    assert not SessionStore().exists(sessions["team_manager"].session.session_key)
    assert sessions["team_manager"].get("/children/").status_code == 302  # to the login page
    assert sessions["social_worker"].get("/children/").status_code == 200
