"""Imports are all-or-nothing even under kill -9 (G19), on SQLite and PostgreSQL.

The writer is a stand-in (killable_import.py) for the returns importers, which were not ready.
"""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from safeguard.journey.models import Child
from safeguard.protection.backup import table_hashes

pytestmark = pytest.mark.django_db(transaction=True)

ROWS = 60


def database_url(tmp_path: Path) -> str:
    """A URL the writer can reach: the test database itself, or a file copy of SQLite's."""
    s = connection.settings_dict
    if connection.vendor == "postgresql":
        return f"postgres://{s['USER']}@{s['HOST']}:{s['PORT']}/{s['NAME']}"
    path = tmp_path / "copy.db"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()
    return f"sqlite:///{path}"


def run_writer(url: str, pause_at: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "SAFEGUARD_DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE")
        or settings.SETTINGS_MODULE,
    }
    return subprocess.Popen(  # noqa: S603 - our own module
        [
            sys.executable,
            "-m",
            "safeguard.protection.tests.killable_import",
            str(ROWS),
            str(pause_at),
        ],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )


def content(url: str) -> str:
    """A hash of the whole database's content."""
    if url.startswith("sqlite:///"):
        db = sqlite3.connect(url.removeprefix("sqlite:///"))
        try:
            assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            return hashlib.sha256("\n".join(db.iterdump()).encode()).hexdigest()
        finally:
            db.close()
    return hashlib.sha256(repr(table_hashes()).encode()).hexdigest()


def kill_midway(url: str, pause_at: int) -> None:
    writer = run_writer(url, pause_at)
    assert writer.stdout.readline().strip() == "PAUSED"
    writer.send_signal(signal.SIGKILL)
    assert writer.wait(timeout=10) == -signal.SIGKILL


def test_kill_minus_nine_midway_leaves_the_database_as_before_and_a_rerun_completes(tmp_path):
    # one test (one database flush afterwards): kills after 1 and 37 rows, then a full run
    url = database_url(tmp_path)
    before = content(url)
    for pause_at in (1, 37):
        kill_midway(url, pause_at)
        assert content(url) == before  # none of the rows written before the kill survive
        if connection.vendor == "postgresql":
            assert not Child.objects.filter(la_child_id__startswith="KILL").exists()
    writer = run_writer(url, -1)
    assert writer.communicate(timeout=60)[0].strip() == "DONE"
    if url.startswith("sqlite:///"):
        db = sqlite3.connect(url.removeprefix("sqlite:///"))
        count = db.execute("SELECT count(*) FROM journey_child WHERE la_child_id LIKE 'KILL%'")
        assert count.fetchone() == (ROWS,)
        db.close()
    else:
        assert Child.objects.filter(la_child_id__startswith="KILL").count() == ROWS
