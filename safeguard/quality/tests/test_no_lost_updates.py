"""G21 on the quality forms that change a saved record: grading, moderating and answering an
audit, and deciding a panel request. Two browsers open the same version; the first save wins;
the second gets the 409 page with its input kept, and the record keeps the first save.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from django.urls import reverse

from safeguard.protection.locking import CONFLICT_MESSAGE
from safeguard.quality import services
from safeguard.quality.models import Audit, AuditProgramme, PanelRequest

from .test_views import TODAY, _client, council  # noqa: F401 - the quality council fixture

pytestmark = pytest.mark.django_db


def _version(body: str) -> str:
    return re.search(r'name="version" value="([^"]+)"', body).group(1)


@dataclass
class Case:
    url: str
    user: str  # the same person in two browsers: two managers cannot both reach a1's audit
    first: dict
    second: dict
    kept: str
    saved: object
    first_value: object


def _audit(c, **fields) -> Audit:
    programme = AuditProgramme.objects.create(
        template=c["template"], kind="MONTHLY", title="Test", month=TODAY.replace(day=1)
    )
    return Audit.objects.create(programme=programme, child=c["a1"], worker=c["sw"], **fields)


def _grades(c, grade: str) -> dict:
    return {f"grade_{q.pk}": grade for q in c["template"].questions.all()}


def _grade(c) -> Case:
    audit = _audit(c)
    return Case(
        reverse("quality:audit", args=[audit.pk]),
        "tm",
        {"step": "grade", "overall_grade": "RI", "summary": "Drift", **_grades(c, "RI")},
        {
            "step": "grade",
            "overall_grade": "GOOD",
            "summary": "Second view",
            **_grades(c, "GOOD"),
        },
        "Second view",
        lambda: Audit.objects.values_list("status", "summary").get(pk=audit.pk),
        ("SUBMITTED", "Drift"),
    )


def _moderate(c) -> Case:
    audit = _audit(c, status="SUBMITTED", auditor=c["tm2"], overall_grade="RI")
    return Case(
        reverse("quality:audit", args=[audit.pk]),
        "tm",
        {"step": "moderate", "grade": "RI", "comment": "Agreed"},
        {"step": "moderate", "grade": "GOOD", "comment": "Too harsh"},
        "Too harsh",
        lambda: Audit.objects.values_list("moderated_grade", "moderation_comment").get(pk=audit.pk),
        ("RI", "Agreed"),
    )


def _respond(c) -> Case:
    audit = _audit(c, status="MODERATED")
    return Case(
        reverse("quality:audit", args=[audit.pk]),
        "sw",
        {"step": "respond", "response": "I will update the plan."},
        {"step": "respond", "response": "I disagree with the grade."},
        "I disagree with the grade.",
        lambda: Audit.objects.get(pk=audit.pk).worker_response,
        "I will update the plan.",
    )


def _panel(c) -> Case:
    panel = services.panel_request_create(
        child=c["a1"], requested_by=c["sw"], request_date=TODAY, reason="Risk"
    )
    day = TODAY.isoformat()
    return Case(
        reverse("quality:panel", args=[panel.pk]),
        "tm",
        {"panel_date": day, "decision": "APPROVED", "conditions": ""},
        {"panel_date": day, "decision": "DEFERRED", "conditions": "Ask for the school's view"},
        "Ask for the school&#x27;s view",
        lambda: PanelRequest.objects.get(pk=panel.pk).decision,
        "APPROVED",
    )


CASES = {"grade": _grade, "moderate": _moderate, "respond": _respond, "panel": _panel}


@pytest.mark.parametrize("name", sorted(CASES))
def test_second_save_of_the_same_version_gets_the_conflict_page(council, name):  # noqa: F811
    case = CASES[name](council)
    one, two = _client(council["users"][case.user]), _client(council["users"][case.user])
    v1, v2 = (_version(c.get(case.url).content.decode()) for c in (one, two))
    assert v1 == v2
    assert one.post(case.url, {**case.first, "version": v1}).status_code == 302
    late = two.post(case.url, {**case.second, "version": v2})
    assert late.status_code == 409
    body = late.content.decode()
    assert CONFLICT_MESSAGE.split(",")[0] in body and case.kept in body
    assert case.saved() == case.first_value


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_save_without_a_version_is_a_conflict_not_a_blind_save(council, name):  # noqa: F811
    # The version is the hidden input the page writes beside the form: a post without it
    # (a form opened before the field existed, or a hand-made request) cannot prove it saw
    # the record as it is, so nothing is saved and the record is shown as it is now.
    case = CASES[name](council)
    before = case.saved()
    late = _client(council["users"][case.user]).post(case.url, case.first)
    assert late.status_code == 409
    assert CONFLICT_MESSAGE.split(",")[0] in late.content.decode()
    assert case.saved() == before
