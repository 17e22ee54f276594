"""Smaller checks on pages: export cells safe from formula injection, chronology filter, my work."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from safeguard.journey.models import CaseNote, Visit
from safeguard.web.tests.conftest import TODAY
from safeguard.web.views import _safe_cell


@pytest.mark.parametrize(
    ("raw", "cell"),
    [
        ('=HYPERLINK("x")', '\'=HYPERLINK("x")'),
        ("+1", "'+1"),
        ("-2", "'-2"),
        ("@SUM", "'@SUM"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("\0x", "'\0x"),
        ("Ann", "Ann"),
        ("", ""),
        (None, ""),
        ("a=b", "a=b"),
    ],
)
def test_export_cells_cannot_run_as_formulas(raw, cell):
    assert _safe_cell(raw) == cell


@pytest.mark.django_db
def test_chronology_is_in_date_order_and_filters_by_kind(council):
    child = council.children["a1"]
    CaseNote.objects.create(child=child, date=TODAY - timedelta(days=2), text="Second")
    Visit.objects.create(child=child, date=TODAY - timedelta(days=5), kind="CIN")
    client = Client()
    client.force_login(council.users["social_worker"])
    events = client.get(f"/children/{child.pk}/chronology/").context["events"]
    assert [e.kind for e in events] == ["allocation", "visit", "note"]  # allocated 60 days ago
    only_notes = client.get(f"/children/{child.pk}/chronology/?kind=note").context["events"]
    assert [e.title for e in only_notes] == ["Case note"]


@pytest.mark.django_db
def test_my_work_lists_my_children_only(council):
    client = Client()
    client.force_login(council.users["social_worker"])
    rows = client.get("/my-work/").context["rows"]
    assert [child.last_name for child, _ in rows] == ["Sentinelaone"]  # r1 is restricted
