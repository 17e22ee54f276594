"""G8 and restricted records: emergency access needs a reason, is time-boxed, alerts a manager,
and never opens a restricted record; named grants open restricted records until they expire."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from safeguard.access.models import AccessLog, BreakGlassAlert, Grant
from safeguard.access.scope import can_see
from safeguard.access.services import (
    NOT_AVAILABLE,
    REASON_TOO_SHORT,
    break_glass_request,
    grant_named,
)

REASON = "Police called out of hours about this child"


@pytest.mark.django_db
def test_break_glass_needs_a_reason_of_twenty_characters(council):
    with pytest.raises(ValidationError) as error:
        break_glass_request(
            user=council.users["iro"],
            child=council.children["a2"],
            reason_code="DUTY",
            reason="too short",
        )
    assert error.value.message_dict["reason"] == [REASON_TOO_SHORT]
    assert not Grant.objects.exists()


@pytest.mark.django_db
def test_break_glass_opens_the_record_alerts_the_manager_and_expires(council):
    user, child = council.users["iro"], council.children["a2"]
    client = Client()
    client.force_login(user)
    assert client.get(f"/children/{child.pk}/").status_code == 404
    response = client.post(
        f"/children/{child.pk}/emergency-access/", {"reason_code": "DUTY", "reason": REASON}
    )
    assert response.status_code == 302
    alert = BreakGlassAlert.objects.get()
    assert alert.manager == council.workers["tm"]  # manager of team A, which holds a2
    assert client.get(f"/children/{child.pk}/").status_code == 200
    assert AccessLog.objects.filter(child=child, action="read").get().break_glass is True
    grant = alert.grant
    assert grant.expires_at - grant.starts_at == timedelta(hours=8)
    Grant.objects.filter(pk=grant.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get(f"/children/{child.pk}/").status_code == 404


@pytest.mark.django_db
def test_break_glass_never_opens_a_restricted_record(council):
    with pytest.raises(ValidationError) as error:
        break_glass_request(
            user=council.users["iro"],
            child=council.children["r1"],
            reason_code="DUTY",
            reason=REASON,
        )
    assert error.value.messages == [NOT_AVAILABLE]
    assert not can_see(council.users["iro"], council.children["r1"])


@pytest.mark.django_db
def test_a_named_grant_opens_a_restricted_record_until_it_expires(council):
    user, child = council.users["social_worker"], council.children["r1"]
    assert not can_see(user, child)  # allocated to sw, but restricted
    grant = grant_named(
        user=user, child=child, granted_by=council.users["team_manager"], reason="Allocated worker"
    )
    assert can_see(user, child)
    assert not can_see(council.users["administrator"], child)
    Grant.objects.filter(pk=grant.pk).update(expires_at=timezone.now())
    assert not can_see(user, child)


@pytest.mark.django_db
def test_manager_reviews_and_closes_the_alert(council):
    grant = break_glass_request(
        user=council.users["iro"], child=council.children["a1"], reason_code="COVER", reason=REASON
    )
    client = Client()
    client.force_login(council.users["team_manager"])
    assert REASON in client.get("/access/alerts/").content.decode()
    client.post(f"/access/alerts/{grant.alert.pk}/close/", {"note": "Checked with duty"})
    grant.alert.refresh_from_db()
    assert grant.alert.reviewed_by == council.users["team_manager"]


@pytest.mark.django_db
def test_the_nightly_job_revokes_only_expired_grants(council):
    from django.core.management import call_command

    user, child = council.users["iro"], council.children["a1"]
    old = grant_named(user=user, child=child, granted_by=None, reason="Old task")
    live = grant_named(user=user, child=child, granted_by=None, reason="Current task")
    Grant.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(days=1))
    call_command("expire_grants")
    old.refresh_from_db()
    live.refresh_from_db()
    assert old.revoked_at is not None and live.revoked_at is None


@pytest.mark.django_db
def test_the_migration_creates_every_role_group():
    import importlib

    from django.apps import apps
    from django.contrib.auth.models import Group

    from safeguard.access.roles import ROLES

    Group.objects.all().delete()  # a transactional test elsewhere may have flushed them anyway
    importlib.import_module("safeguard.access.migrations.0003_role_groups").forwards(apps, None)
    duty = importlib.import_module(
        "safeguard.access.migrations.0004_adoption_record_and_duty_roles"
    )
    duty.add_duty_groups(apps, None)
    assert set(Group.objects.values_list("name", flat=True)) == {r.key for r in ROLES}
