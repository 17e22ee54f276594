"""G6 and the append-only log: every read writes exactly one row; rows cannot change."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.test import Client

from safeguard.access.models import APPEND_ONLY_MESSAGE, AccessLog


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/children/{pk}/",
        "/children/{pk}/chronology/",
        "/children/{pk}/visits/",
        "/children/{pk}/record/note/",
    ],
)
def test_reading_a_child_writes_exactly_one_row(council, path):
    user, child = council.users["social_worker"], council.children["a1"]
    response = _client(user).get(path.format(pk=child.pk))
    assert response.status_code == 200
    rows = list(AccessLog.objects.filter(child=child))
    assert len(rows) == 1
    assert (rows[0].user, rows[0].action, rows[0].path) == (user, "read", path.format(pk=child.pk))
    assert rows[0].break_glass is False


@pytest.mark.django_db
def test_a_refused_read_writes_a_denied_row(council):
    child = council.children["b1"]
    response = _client(council.users["social_worker"]).get(f"/children/{child.pk}/")
    assert response.status_code == 404
    assert list(AccessLog.objects.filter(child=child).values_list("action", flat=True)) == [
        "denied"
    ]


@pytest.mark.django_db
def test_export_writes_one_row_per_child_and_search_one_row(council):
    client = _client(council.users["team_manager"])
    client.get("/children/export.csv")
    exported = AccessLog.objects.filter(action="export")
    assert sorted(exported.values_list("child__last_name", flat=True)) == [
        "Sentinelaone",
        "Sentinelatwo",
    ]
    client.get("/children/?q=Sentinel")
    assert AccessLog.objects.filter(action="search", child__isnull=True).count() == 1


@pytest.mark.django_db
def test_rows_cannot_be_changed_or_deleted_through_the_orm(council):
    row = AccessLog.objects.create(user=council.users["iro"], action="search", path="/x")
    row.path = "/y"
    with pytest.raises(PermissionError, match=APPEND_ONLY_MESSAGE):
        row.save()
    with pytest.raises(PermissionError):
        row.delete()
    with pytest.raises(PermissionError):
        AccessLog.objects.filter(pk=row.pk).update(path="/z")
    with pytest.raises(PermissionError):
        AccessLog.objects.all().delete()
    assert AccessLog.objects.get(pk=row.pk).path == "/x"


@pytest.mark.django_db
def test_postgres_refuses_raw_sql_changes(council):
    if connection.vendor != "postgresql":
        pytest.skip("the trigger is PostgreSQL-only; SQLite relies on the model-level refusal")
    row = AccessLog.objects.create(user=council.users["iro"], action="search", path="/x")
    for sql in (
        "UPDATE access_accesslog SET path = '/y' WHERE id = %s",
        "DELETE FROM access_accesslog WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
            cur.execute(sql, [row.pk])
    assert AccessLog.objects.get(pk=row.pk).path == "/x"
