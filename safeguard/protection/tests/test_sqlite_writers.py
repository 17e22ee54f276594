"""SQLite under concurrent writers (G22): no "database is locked" for a transaction that reads
and then writes while another connection is writing.

In WAL mode a DEFERRED transaction takes its snapshot at its first read; if another connection
commits before it asks for the write lock, SQLite cannot wait its way out (the snapshot is
stale) and fails at once with "database is locked", whatever the busy timeout. The bench_web
SQLite run met it on the child's record (read, then the access-log row). With the project's
SQLite options the transaction begins IMMEDIATE: it waits for the write lock before it reads.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.db import OperationalError, connections, transaction
from django.db.utils import ConnectionHandler

HOLD_SECONDS = 0.5
PROBE = "sqlite_writers_probe"


def _wal_file(tmp_path: Path) -> Path:
    path = tmp_path / "writers.db"
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode=WAL").fetchone() == ("wal",)
        db.execute("CREATE TABLE note (text TEXT)")
    return path


def _read_then_write(path: Path, options: dict) -> tuple[int, int]:
    """While another connection holds the write lock (and commits HOLD_SECONDS later), a Django
    connection with these options reads and then writes in one atomic block. Returns the rows
    that read saw and the rows in the table afterwards."""
    configured = ConnectionHandler(
        {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(path), "OPTIONS": options}}
    ).settings["default"]
    connections.settings[PROBE] = configured  # an alias of its own, whatever the test backend
    conn = connections[PROBE]
    other = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
    other_has_lock = threading.Event()

    def other_writer() -> None:
        other.execute("BEGIN IMMEDIATE")
        other.execute("INSERT INTO note VALUES ('other')")
        other_has_lock.set()
        threading.Event().wait(HOLD_SECONDS)
        other.execute("COMMIT")

    writer = threading.Thread(target=other_writer)
    writer.start()
    try:
        assert other_has_lock.wait(5)
        with transaction.atomic(using=PROBE), conn.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM note")  # a DEFERRED transaction's snapshot
            seen = cursor.fetchone()[0]
            cursor.execute("INSERT INTO note VALUES ('mine')")
    finally:
        writer.join()
        other.close()
        conn.close()
        del connections[PROBE]
        del connections.settings[PROBE]
    with sqlite3.connect(path) as db:
        return seen, db.execute("SELECT count(*) FROM note").fetchone()[0]


def test_deferred_read_then_write_meets_database_is_locked(tmp_path, django_db_blocker):
    """The failure the fix is for, shown with Django's default (DEFERRED) on the same file."""
    with django_db_blocker.unblock(), pytest.raises(OperationalError, match="database is locked"):
        _read_then_write(_wal_file(tmp_path), {"timeout": 30})


def test_the_project_sqlite_options_wait_for_the_lock_and_both_writes_land(
    tmp_path, django_db_blocker
):
    assert settings.SQLITE_OPTIONS["transaction_mode"] == "IMMEDIATE"
    with django_db_blocker.unblock():
        seen, total = _read_then_write(_wal_file(tmp_path), settings.SQLITE_OPTIONS)
    assert (seen, total) == (1, 2)  # it waited for the other's commit, then read and wrote
