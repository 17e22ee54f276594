"""Backup and restore (G23): the round trip reproduces every table's content hash."""

from __future__ import annotations

import gzip
import json
import threading
import time
from datetime import date

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import CommandError, call_command
from django.db import connection

from safeguard.journey.models import CaseNote, Child
from safeguard.protection.backup import (
    HASH_MISMATCH,
    FullPrecisionEncoder,
    RestoreError,
    backup,
    restore,
    table_hashes,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def populated(note, contact):
    user = User.objects.create_user("sam.worker")
    user.groups.add(Group.objects.get_or_create(name="social_worker")[0])  # an m2m row
    note.text = "Edited once"  # a history row with microseconds in its times
    note.save()
    return user


def test_round_trip_reproduces_every_table_hash(tmp_path, populated, capsys):
    before = table_hashes()
    call_command("backup", "-o", str(tmp_path / "b.gz"))
    manifest = json.loads(gzip.open(tmp_path / "b.gz", "rt").readline())
    assert manifest["tables"] == before
    assert before["journey_child"]["rows"] == 1
    assert before["journey_historicalcasenote"]["rows"] == 2
    assert before["auth_user_groups"]["rows"] == 1
    # damage everything, then restore
    CaseNote.objects.all().delete()
    Child.objects.create(la_child_id="INTRUDER", date_of_birth=date(2010, 1, 1), sex="1")
    User.objects.all().delete()
    assert table_hashes() != before
    call_command("restore", str(tmp_path / "b.gz"))
    assert "every table's hash matches" in capsys.readouterr().out
    assert table_hashes() == before
    # sequences were reset: new rows do not collide with restored ids
    assert Child.objects.create(la_child_id="NEW", date_of_birth=date(2011, 1, 1), sex="2").pk


def test_a_tampered_backup_is_rolled_back(tmp_path, populated):
    backup(tmp_path / "b.gz")
    lines = gzip.open(tmp_path / "b.gz", "rt").read().splitlines()
    tampered = [line.replace("Edited once", "Edited twice") for line in lines]
    with gzip.open(tmp_path / "t.gz", "wt") as out:
        out.write("\n".join(tampered) + "\n")
    CaseNote.objects.update(text="live")
    live = table_hashes()
    with pytest.raises(RestoreError) as error:
        restore(tmp_path / "t.gz")
    assert str(error.value).startswith(HASH_MISMATCH.split(":")[0])
    assert "journey_casenote" in str(error.value)
    assert table_hashes() == live  # untouched


def test_not_a_backup_is_refused(tmp_path):
    (tmp_path / "x.gz").write_bytes(b"not gzip at all")
    with pytest.raises(RestoreError):
        restore(tmp_path / "x.gz")


def test_microseconds_survive(tmp_path):
    encoded = json.dumps({"t": Child(la_child_id="x").created_at}, cls=FullPrecisionEncoder)
    assert encoded == '{"t": null}'
    from datetime import UTC, datetime

    stamp = datetime(2025, 1, 2, 3, 4, 5, 123456, tzinfo=UTC)
    assert "05.123456" in json.dumps(stamp, cls=FullPrecisionEncoder)


def test_restore_command_reports_a_missing_file(tmp_path):
    with pytest.raises(CommandError):
        call_command("restore", str(tmp_path / "missing.gz"))


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs a second real connection writing meanwhile: PostgreSQL",
)
def test_a_backup_taken_while_someone_writes_is_one_snapshot(tmp_path, child):
    # Hashes are taken before the rows are written out: without one snapshot the rows would
    # include notes added after hashing, and the restore's hash check would refuse them.
    stop = threading.Event()

    def writer() -> None:
        n = 0
        try:
            while not stop.is_set():
                CaseNote.objects.create(child_id=child.pk, date=date(2025, 1, 1), text=f"n{n}")
                n += 1
        finally:
            connection.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        time.sleep(0.2)
        manifest = backup(tmp_path / "live.gz")
    finally:
        stop.set()
        thread.join()
    assert CaseNote.objects.count() > manifest["tables"]["journey_casenote"]["rows"] > 0
    restore(tmp_path / "live.gz")
    assert table_hashes()["journey_casenote"] == manifest["tables"]["journey_casenote"]
