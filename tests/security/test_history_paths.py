"""Bulk paths that used to skip history now write it (G7): one "+" row per record, by the user
who started the job, with the job as the reason."""

from __future__ import annotations

from datetime import date

import pytest
from django.conf import settings
from django.contrib.auth.models import User

pytestmark = pytest.mark.django_db

if "safeguard.quality" not in settings.INSTALLED_APPS:
    pytest.skip("the quality app is not installed", allow_module_level=True)

from safeguard.quality import services  # noqa: E402
from safeguard.quality.models import Audit  # noqa: E402
from safeguard.quality.tests import factories as f  # noqa: E402


def test_an_audit_programme_writes_one_history_row_per_planned_audit():
    head = User.objects.create_user("head.of.service")
    creator = f.worker("Head of Service", role="HOS", user=head)
    tm_a, tm_b = f.worker("Manager A", role="TM"), f.worker("Manager B", role="TM")
    a, b = f.team("Team A", manager=tm_a), f.team("Team B", manager=tm_b)
    for team in (a, b):
        f.allocate(f.child(), team, f.worker(f"Worker {team.name}", team=team), date(2019, 1, 1))
    template = services.audit_template_create(
        name="Case file audit", kind="MONTHLY", questions=[("Voice", "Heard?", "")]
    )
    programme = services.programme_create_monthly(
        template=template, month=date(2019, 6, 1), per_team=1, seed=1, created_by=creator
    )
    audits = list(programme.audits.order_by("pk"))
    assert len(audits) == 2  # one child per team, one audit each
    history = list(Audit.history.order_by("history_id"))
    assert [(h.id, h.history_type, h.history_user_id) for h in history] == [
        (audits[0].pk, "+", head.pk),
        (audits[1].pk, "+", head.pk),
    ]
    assert {h.history_change_reason for h in history} == {
        "Audit programme: Case-file audits, June 2019"
    }
