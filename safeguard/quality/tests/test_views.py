"""The quality pages: login, scope, CSV escaping, and a team manager's audit and supervision
flow through the forms."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from safeguard.access.models import AccessLog
from safeguard.protection.locking import version_token
from safeguard.quality import services, trackers
from safeguard.quality.models import Audit, Task
from safeguard.workforce.models import CaseSupervision

from . import factories as f

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _user(name: str, role: str) -> User:
    user = User.objects.create(username=name)
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    return user


@pytest.fixture
def council():
    users = {
        k: _user(k, r)
        for k, r in (
            ("tm", "team_manager"),
            ("tm2", "team_manager"),
            ("sw", "social_worker"),
            ("swb", "social_worker"),
        )
    }
    tm = f.worker("Tess Manager", role="TM", user=users["tm"])
    tm2 = f.worker("Tom Manager", role="TM", user=users["tm2"])
    a, b = f.team("Team A", manager=tm), f.team("Team B", manager=tm2)
    tm.team, tm2.team = a, b
    tm.save(), tm2.save()
    sw = f.worker("Sam Worker", team=a, user=users["sw"])
    swb = f.worker("Bea Worker", team=b, user=users["swb"])
    a1 = f.child(name="=HYPERLINK(1)")  # a formula-like name: must be escaped in CSV
    b1 = f.child(name="Bobby")
    start = date(TODAY.year - 1, 1, 1)
    f.allocate(a1, a, sw, start)
    f.allocate(b1, b, swb, start)
    for kid in (a1, b1):
        f.episode(kid, start, ls="V2")
        f.cp_plan(kid, start)
    template = services.audit_template_create(
        name="Case file audit",
        kind="MONTHLY",
        questions=[
            ("Voice", "Is the child's voice heard?", ""),
            ("Plan", "Is the plan SMART?", ""),
        ],
    )
    return {
        "users": users,
        "tm": tm,
        "tm2": tm2,
        "sw": sw,
        "a1": a1,
        "b1": b1,
        "template": template,
    }


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


PAGES = [
    "quality:index",
    "quality:supervision",
    "quality:tasks",
    "quality:audits",
    "quality:analysis",
    "quality:panels",
    "quality:authorisations",
    "quality:workforce",
]


def test_pages_refuse_anonymous_users(council):
    client = Client()
    urls = [reverse(p) for p in PAGES] + [
        reverse("quality:tracker", args=[k]) for k in trackers.TRACKERS
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"], url


def test_every_page_renders_for_a_manager(council):
    client = _client(council["users"]["tm"])
    for url in [reverse(p) for p in PAGES] + [
        reverse("quality:tracker", args=[k]) for k in trackers.TRACKERS
    ]:
        assert client.get(url).status_code == 200, url


def test_tracker_rows_and_export_respect_scope(council):
    a1, b1 = council["a1"], council["b1"]
    client = _client(council["users"]["sw"])
    page = client.get(reverse("quality:tracker", args=["s20"])).content.decode()
    assert a1.la_child_id in page and b1.la_child_id not in page
    response = client.get(reverse("quality:tracker", args=["s20"]), {"format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert [r[0] for r in rows[1:]] == [a1.la_child_id]
    assert rows[1][1].startswith("'=HYPERLINK")  # escaped against formula injection
    assert AccessLog.objects.filter(child=a1, action=AccessLog.EXPORT).count() == 1
    supervision = client.get(reverse("quality:supervision")).content.decode()
    assert a1.la_child_id in supervision and b1.la_child_id not in supervision


def test_social_worker_cannot_record_supervision_or_start_audits(council):
    client = _client(council["users"]["sw"])
    url = reverse("quality:supervision_record", args=[council["a1"].pk])
    assert client.get(url).status_code == 403
    assert client.post(reverse("quality:audits"), {"kind": "MONTHLY"}).status_code == 403


def test_manager_cannot_supervise_a_child_outside_scope(council):
    client = _client(council["users"]["tm"])
    url = reverse("quality:supervision_record", args=[council["b1"].pk])
    assert client.get(url).status_code == 404


def test_team_managers_month(council):
    """Audit programme picks cases, the audit is graded and moderated, its actions appear as
    the worker's tasks, supervision is recorded, and the supervision tracker moves."""
    tm, tm2, sw = (_client(council["users"][k]) for k in ("tm", "tm2", "sw"))
    a1 = council["a1"]
    month = TODAY.replace(day=1)
    response = tm.post(
        reverse("quality:audits"),
        {
            "kind": "MONTHLY",
            "template": council["template"].pk,
            "month": month.isoformat(),
            "per_team": 1,
            "seed": 4,
        },
    )
    assert response.status_code == 302
    audit = Audit.objects.get(child=a1)
    questions = list(council["template"].questions.all())
    due = date.fromordinal(TODAY.toordinal() + 14)
    form = {
        "step": "grade",
        "overall_grade": "RI",
        "summary": "Drift in the plan.",
        "actions": f"Update the chronology | {due.isoformat()}",
        "version": version_token(audit),
    }
    form.update({f"grade_{q.pk}": "RI" for q in questions})
    assert tm.post(reverse("quality:audit", args=[audit.pk]), form).status_code == 302
    audit.refresh_from_db()
    assert audit.status == "SUBMITTED"
    tasks = sw.get(reverse("quality:tasks")).content.decode()
    assert "Update the chronology" in tasks
    # the auditor cannot moderate their own audit: no form, and a post is refused
    tm.post(
        reverse("quality:audit", args=[audit.pk]),
        {"step": "moderate", "grade": "GOOD", "comment": "x", "version": version_token(audit)},
    )
    audit.refresh_from_db()
    assert audit.status == "SUBMITTED"
    # Tom manages team B, so he cannot see a1's audit: Tess's head of service would moderate.
    assert tm2.get(reverse("quality:audit", args=[audit.pk])).status_code == 404
    services.audit_moderate(
        audit=audit, moderator=council["tm2"], date=TODAY, grade="RI", comment="Agreed."
    )
    sw.post(
        reverse("quality:audit", args=[audit.pk]),
        {"step": "respond", "response": "I will update it.", "version": version_token(audit)},
    )
    audit.refresh_from_db()
    assert (audit.status, audit.worker_response) == ("MODERATED", "I will update it.")
    # supervision recorded through the form moves the tracker
    before = tm.get(reverse("quality:supervision"), {"status": "Overdue"}).content.decode()
    assert a1.la_child_id in before
    response = tm.post(
        reverse("quality:supervision_record", args=[a1.pk]),
        {
            "date": TODAY.isoformat(),
            "decisions": "Core group to meet.",
            "actions": f"Convene core group | {due.isoformat()}",
        },
    )
    assert response.status_code == 302
    assert CaseSupervision.objects.filter(child=a1, date=TODAY).exists()
    after = tm.get(reverse("quality:supervision"), {"status": "Overdue"}).content.decode()
    assert a1.la_child_id not in after
    assert set(Task.objects.filter(assignee=council["sw"]).values_list("origin", flat=True)) == {
        "AUDIT",
        "SUPERVISION",
    }
    task = Task.objects.get(origin="SUPERVISION")
    assert sw.post(reverse("quality:task_done", args=[task.pk])).status_code == 302
    task.refresh_from_db()
    assert task.done_date is not None


def test_bad_action_line_is_refused_with_the_message(council):
    from safeguard.quality.forms import BAD_ACTION

    tm = _client(council["users"]["tm"])
    response = tm.post(
        reverse("quality:supervision_record", args=[council["a1"].pk]),
        {"date": TODAY.isoformat(), "decisions": "x", "actions": "no due date here"},
    )
    assert response.status_code == 200
    assert BAD_ACTION.split(",")[0] in response.content.decode().replace("&#x27;", "'")
