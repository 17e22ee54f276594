"""Backup and restore (G23): the round trip reproduces every table's content hash."""

from __future__ import annotations

import gzip
import hashlib
import json
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import CommandError, call_command
from django.db import connection

from safeguard.access.models import AccessLog
from safeguard.journey.models import CaseNote, Child
from safeguard.protection.backup import (
    HASH_MISMATCH,
    FullPrecisionEncoder,
    RestoreError,
    backup,
    other_database,
    pg_dump,
    pg_restore,
    restore,
    sqlite_backup,
    table_hashes,
)
from safeguard.protection.seal import seal

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


@contextmanager
def notes_written_meanwhile(child: Child) -> Iterator[None]:
    """A second connection adds case notes to `child` for as long as the block runs.

    It has been writing for 0.2 s when the block starts, so a backup taken inside the block
    is taken while someone writes; it stops, and its connection is closed, when the block ends.
    """
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
        yield
    finally:
        stop.set()
        thread.join()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs a second real connection writing meanwhile: PostgreSQL",
)
def test_a_backup_taken_while_someone_writes_is_one_snapshot(tmp_path, child):
    # Hashes are taken before the rows are written out: without one snapshot the rows would
    # include notes added after hashing, and the restore's hash check would refuse them.
    with notes_written_meanwhile(child):
        manifest = backup(tmp_path / "live.gz")
    assert CaseNote.objects.count() > manifest["tables"]["journey_casenote"]["rows"] > 0
    restore(tmp_path / "live.gz")
    assert table_hashes()["journey_casenote"] == manifest["tables"]["journey_casenote"]


# --- pg_dump -Fc / pg_restore (PostgreSQL) and SQLite's online backup --------------------------

POSTGRES_ONLY = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="pg_dump and pg_restore are PostgreSQL's"
)


@pytest.fixture
def restored_db():
    """The name of a database the test restores into; dropped afterwards whatever happens."""
    name = f"{connection.settings_dict['NAME']}_restored"
    yield name
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')


def database_exists(name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return cursor.fetchone() is not None


@POSTGRES_ONLY
@pytest.mark.django_db(transaction=True)
def test_pg_dump_taken_during_writes_restores_with_every_table_hash(
    tmp_path, populated, child, restored_db, capsys
):
    AccessLog.objects.create(user=populated, child=child, action=AccessLog.READ, path="/c/")
    seal()  # the seals are a table like any other: they must survive too
    with notes_written_meanwhile(child):
        call_command("backup", "--pg-dump", "-o", str(tmp_path / "db.dump"))
    manifest = json.loads((tmp_path / "db.dump.manifest.json").read_text())
    now = table_hashes()
    written = {"journey_casenote", "journey_historicalcasenote"}
    assert now["journey_casenote"]["rows"] > manifest["tables"]["journey_casenote"]["rows"] > 0
    assert {t: v for t, v in now.items() if t not in written} == {
        t: v for t, v in manifest["tables"].items() if t not in written
    }
    assert manifest["tables"]["protection_auditseal"]["rows"] > 0
    call_command("restore", str(tmp_path / "db.dump"), "--pg-restore", restored_db)
    assert f"into {restored_db} " in capsys.readouterr().out
    # checked independently of the command: per-table counts and hashes in the new database
    with other_database(restored_db) as alias:
        assert table_hashes(alias) == manifest["tables"]


@POSTGRES_ONLY
@pytest.mark.django_db(transaction=True)
def test_a_pg_restore_that_does_not_match_is_dropped(tmp_path, populated, restored_db):
    pg_dump(tmp_path / "db.dump")
    manifest_path = tmp_path / "db.dump.manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["tables"]["journey_casenote"]["sha256"] = "0" * 64
    manifest_path.write_text(json.dumps(manifest))
    with pytest.raises(RestoreError, match="journey_casenote"):
        pg_restore(tmp_path / "db.dump", restored_db)
    assert not database_exists(restored_db)
    with pytest.raises(RestoreError, match="already exists"):
        pg_restore(tmp_path / "db.dump", connection.settings_dict["NAME"])


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's online backup")
@pytest.mark.django_db(transaction=True)
def test_sqlite_online_backup_during_writes_is_whole_and_consistent(tmp_path):
    source = tmp_path / "live.db"
    connection.ensure_connection()
    db = sqlite3.connect(source)
    connection.connection.backup(db)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("CREATE TABLE scratch (batch INTEGER, n INTEGER)")
    db.commit()
    db.close()
    stop, committed = threading.Event(), [0]

    def writer() -> None:  # transactions of 10 rows each, as fast as it can
        w = sqlite3.connect(source, timeout=30)
        while not stop.is_set():
            with w:
                w.executemany(
                    "INSERT INTO scratch VALUES (?, ?)", [(committed[0], n) for n in range(10)]
                )
            committed[0] += 1
        w.close()

    def wait_for(batches: int) -> None:
        deadline = time.monotonic() + 30
        while committed[0] < batches and time.monotonic() < deadline:
            time.sleep(0.01)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        with other_database(str(source)) as live:
            wait_for(5)
            call_command("backup", "--sqlite-online", "--database", live, "-o", str(tmp_path / "a"))
            wait_for(committed[0] + 5)  # the writer carried on while the copy was made
    finally:
        stop.set()
        thread.join()
    copy = sqlite3.connect(tmp_path / "a")
    assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    rows = copy.execute("SELECT count(*) FROM scratch").fetchone()[0]
    copy.close()
    assert 50 <= rows < committed[0] * 10 and rows % 10 == 0  # whole transactions only
    # once the writes stop, a second copy equals the source, row for row
    with other_database(str(source)) as live:
        assert sqlite_backup(tmp_path / "b", using=live) == "ok"

    def dump(path: Path) -> str:
        db = sqlite3.connect(path)
        try:
            return hashlib.sha256("\n".join(db.iterdump()).encode()).hexdigest()
        finally:
            db.close()

    assert dump(tmp_path / "b") == dump(source)
