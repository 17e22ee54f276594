"""The audit trail is tamper-evident (G7): a hash chain over the access log and the history, a
verifier that names the first altered or deleted row, and on PostgreSQL triggers that refuse
UPDATE and DELETE even by raw SQL."""

from __future__ import annotations

import hashlib
import json

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from safeguard.access.models import AccessLog
from safeguard.journey.models import Child
from safeguard.protection.append_only import disposal_allowed, trail_models
from safeguard.protection.models import AuditSeal, Disposal
from safeguard.protection.seal import GENESIS, chain_head, seal, verify

pytestmark = pytest.mark.django_db

HISTORY = "journey_historicalchild"
POSTGRES = connection.vendor == "postgresql"


def tamper(sql: str, params: list) -> None:
    """Raw SQL as someone with full rights would run it: on PostgreSQL, past the triggers
    (session_replication_role = replica turns row triggers off; it needs a superuser)."""
    with transaction.atomic(), connection.cursor() as cursor:
        if POSTGRES:
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params)


@pytest.fixture
def trail(child, user):
    """A child (one history row) and two reads of it (two access-log rows), all sealed."""
    child.postcode = "AB1 2CD"
    child.save()  # second history row
    for path in ("/children/1/", "/children/1/notes/"):
        AccessLog.objects.create(user=user, child=child, action=AccessLog.READ, path=path)
    assert seal() == 4  # 2 access-log rows + 2 history rows, nothing else in the trail
    return child


def test_the_first_seal_is_worked_out_by_hand(trail):
    first = AuditSeal.objects.order_by("id").first()
    log = AccessLog.objects.order_by("id").first()
    assert (first.table, first.row_id) == ("access_accesslog", log.pk)
    # the row hash: canonical JSON of every column, primary key first, UTC ISO datetimes
    row = [
        log.pk,
        log.user_id,
        log.child_id,
        "read",
        log.at.isoformat(),
        "/children/1/",
        None,
        False,
    ]
    expected_row = hashlib.sha256((json.dumps(row) + "\n").encode()).hexdigest()
    assert first.row_hash == expected_row
    expected_chain = hashlib.sha256(
        f"{GENESIS}|access_accesslog|{log.pk}|{expected_row}".encode()
    ).hexdigest()
    assert first.chain == expected_chain


def test_an_untouched_trail_verifies(trail):
    report = verify()
    assert report.ok and report.sealed == 4 and report.unsealed == {}
    assert report.head == chain_head()


def test_a_row_altered_by_raw_sql_is_named(trail):
    target = trail.history.order_by("history_id").first()
    tamper(f"UPDATE {HISTORY} SET postcode = %s WHERE history_id = %s", ["ZZ9 9ZZ", target.pk])
    report = verify()
    assert not report.ok
    assert report.fault == (
        f"{HISTORY} row {target.pk} (seal "
        f"{AuditSeal.objects.get(table=HISTORY, row_id=target.pk).pk}) was altered after sealing."
    )


def test_a_row_deleted_by_raw_sql_is_named(trail):
    gone = AccessLog.objects.order_by("id").last()
    tamper("DELETE FROM access_accesslog WHERE id = %s", [gone.pk])
    fault = verify().fault
    assert fault.startswith(f"access_accesslog row {gone.pk} ")
    assert fault.endswith("was deleted, and no disposal records it.")


def test_a_row_removed_by_a_recorded_disposal_is_not_a_fault(trail):
    gone = AccessLog.objects.order_by("id").last()
    tamper("DELETE FROM access_accesslog WHERE id = %s", [gone.pk])
    Disposal.objects.create(as_at="2040-03-01", rows={"access_accesslog": [gone.pk]})
    report = verify()
    assert report.ok and report.disposed == 1 and report.sealed == 4


def test_an_edited_seal_breaks_the_chain(trail):
    second = AuditSeal.objects.order_by("id")[1]
    tamper("UPDATE protection_auditseal SET row_hash = %s WHERE id = %s", ["0" * 64, second.pk])
    assert verify().fault.startswith(f"Seal {second.pk} (")


def test_a_rewritten_chain_is_caught_by_the_recorded_head(trail):
    recorded = chain_head()
    # someone alters a row and recomputes every seal from it on: the chain is consistent again
    target = trail.history.order_by("history_id").last()
    tamper(f"UPDATE {HISTORY} SET postcode = %s WHERE history_id = %s", ["ZZ9 9ZZ", target.pk])
    tamper("DELETE FROM protection_auditseal", [])
    seal()
    assert verify().ok  # the forgery is self-consistent...
    report = verify(expected_head=recorded)
    assert report.head_found is False and not report.ok  # ...but the kept head is gone
    with pytest.raises(CommandError, match="is not in the chain"):
        call_command("verify_audit", "--head", recorded, "--no-seal")


def test_rows_written_after_sealing_are_reported_then_sealed(trail, user, capsys):
    AccessLog.objects.create(user=user, child=trail, action=AccessLog.SEARCH, path="/search/")
    report = verify()
    assert report.ok and report.unsealed == {"access_accesslog": 1}
    call_command("verify_audit")
    out = capsys.readouterr().out
    assert "Audit trail ok: 4 sealed rows verified." in out
    assert "not yet sealed: access_accesslog 1" in out
    assert "Sealed 1 new rows." in out
    assert verify().sealed == 5 and seal() == 0


def test_the_command_fails_on_a_fault(trail):
    target = trail.history.order_by("history_id").first()
    tamper(f"UPDATE {HISTORY} SET postcode = %s WHERE history_id = %s", ["ZZ9 9ZZ", target.pk])
    with pytest.raises(CommandError, match="altered after sealing"):
        call_command("verify_audit")
    assert AuditSeal.objects.count() == 4  # nothing sealed over a fault


def test_the_trail_covers_logs_and_every_history_table():
    tables = [m._meta.db_table for m in trail_models()]
    assert tables[:3] == ["access_accesslog", "protection_disclosure", "protection_disposal"]
    assert HISTORY in tables and "workforce_historicalallocation" in tables
    assert "journey_child" not in tables


@pytest.mark.parametrize(
    "sql",
    [
        f"UPDATE {HISTORY} SET postcode = 'X' WHERE history_id = %s",
        f"DELETE FROM {HISTORY} WHERE history_id = %s",
        "UPDATE access_accesslog SET path = '/y' WHERE id = %s",
        "DELETE FROM access_accesslog WHERE id = %s",
        "UPDATE protection_auditseal SET row_hash = 'x' WHERE row_id = %s",
        "DELETE FROM protection_auditseal WHERE row_id = %s",
    ],
)
def test_postgres_refuses_raw_sql_changes_to_the_trail(trail, sql):
    if not POSTGRES:
        pytest.skip("the triggers are PostgreSQL-only; SQLite relies on the chain")
    row_id = trail.history.order_by("history_id").first().pk if HISTORY in sql else None
    row_id = row_id or AccessLog.objects.order_by("id").first().pk
    if "auditseal" in sql:
        row_id = AuditSeal.objects.order_by("id").first().row_id
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(sql, [row_id])
    assert verify().ok


def test_postgres_lets_only_a_disposal_delete_history_and_never_a_seal(trail):
    if not POSTGRES:
        pytest.skip("the triggers are PostgreSQL-only")
    first = trail.history.order_by("history_id").first().pk
    with transaction.atomic(), disposal_allowed(connection), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {HISTORY} WHERE history_id = %s", [first])
        assert cursor.rowcount == 1
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            cursor.execute(f"UPDATE {HISTORY} SET postcode = 'X'")  # updates: never
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            cursor.execute("DELETE FROM protection_auditseal")
    # after the block the guard is back, even inside the same outer transaction
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {HISTORY}")


def test_a_user_cannot_be_deleted_from_under_the_history(trail, user):
    """History rows keep who acted: on PostgreSQL deleting that user (SET_NULL) is refused."""
    if not POSTGRES:
        pytest.skip("the triggers are PostgreSQL-only")
    actor = User.objects.create_user("ex.worker")
    from safeguard.protection.history import acting_user

    with acting_user(actor):
        Child.objects.create(la_child_id="C-2", sex="1")
    with pytest.raises(DatabaseError), transaction.atomic():
        actor.delete()
