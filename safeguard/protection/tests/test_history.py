"""Change history (G7): who, when, before and after, for ORM saves, bulk changes and imports."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.test import Client
from django.utils import timezone

from safeguard.journey.models import Child
from safeguard.protection.history import (
    acting_user,
    changes,
    create_with_history,
    update_with_history,
)

pytestmark = [pytest.mark.django_db]


def test_an_orm_save_records_who_when_before_and_after(child):
    worker = User.objects.create_user("sam.worker")
    before_save = timezone.now()
    with acting_user(worker):
        child.postcode = "AB1 2CD"
        child.save()
    latest = child.history.latest()
    assert latest.history_user == worker
    assert latest.history_type == "~"
    assert latest.history_date >= before_save
    change = [c for c in changes(child) if c.kind == "~"]
    assert [(c.field, c.before, c.after, c.who) for c in change if c.field == "postcode"] == [
        ("postcode", "", "AB1 2CD", worker.pk)
    ]


def test_a_change_through_a_request_is_attributed_to_the_signed_in_user(child, note):
    from safeguard.protection.locking import version_token

    manager = User.objects.create_user("alex.manager")
    client = Client()
    client.force_login(manager)
    url = f"/test/notes/{note.pk}/edit/"
    from django.test import override_settings

    with override_settings(ROOT_URLCONF="safeguard.protection.tests.urls"):
        client.post(url, {"text": "Amended", "version": version_token(note)})
    latest = note.history.latest()
    assert (latest.history_user, latest.text) == (manager, "Amended")
    assert latest.prev_record.text == "First visit notes."


def test_delete_is_kept_in_history(note):
    pk = note.pk
    note.delete()
    gone = note.history.model.objects.filter(id=pk).latest()
    assert gone.history_type == "-" and gone.text == "First visit notes."


def test_bulk_import_writes_one_history_row_per_record_by_the_importer():
    importer = User.objects.create_user("importer")
    rows = [
        Child(
            la_child_id=f"IMP{n}",
            date_of_birth=date(2012, 1, n + 1),
            sex="1",
            source="cin_census_2025",
        )
        for n in range(5)
    ]
    with transaction.atomic():
        made = create_with_history(rows, Child, user=importer, reason="CIN census 2025")
    assert len(made) == 5
    history = Child.history.filter(la_child_id__startswith="IMP")
    assert history.count() == 5
    assert set(history.values_list("history_type", "history_user", "history_change_reason")) == {
        ("+", importer.pk, "CIN census 2025")
    }


def test_bulk_update_writes_before_and_after():
    importer = User.objects.create_user("importer")
    rows = create_with_history(
        [Child(la_child_id=f"B{n}", date_of_birth=date(2013, 2, 1), sex="2") for n in range(3)],
        Child,
        user=importer,
        reason="load",
    )
    for child in rows:
        child.postcode = "ZZ9 9ZZ"
    assert update_with_history(rows, Child, ["postcode"], user=importer, reason="fix") == 3
    for child in rows:
        after = [c for c in changes(child) if c.kind == "~"]
        assert [(c.field, c.before, c.after) for c in after] == [("postcode", "", "ZZ9 9ZZ")]
