"""Imports are all-or-nothing even under kill -9, and idempotent (G19), on SQLite and PostgreSQL.

The process killed is the real `safeguard import cin-census FILE`, run by pause_import.py, which
only watches the connection and stops the command at a chosen SQL statement of its transaction
(or just before its COMMIT) so that the SIGKILL lands at a known point. The file is the DfE
validator's fake census (332 children).
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

CENSUS = Path(settings.SHARED_DIR) / "fixtures/csc-validator-be-cin/fake_data/fake_CIN_data.xml"
CHILDREN = 332  # children in the file
# Statements inside the import's transaction at which it is killed, then just before COMMIT.
# (A full run makes 22 on SQLite and 14 on PostgreSQL, which loads with COPY; the test checks
# that every point is inside the run.)
KILL_POINTS = ("1", "4", "8", "13", "commit")


def database_url(tmp_path: Path, journal: str) -> str:
    """A URL the importer can reach: the test database itself, or a file copy of SQLite's."""
    s = connection.settings_dict
    if connection.vendor == "postgresql":
        return f"postgres://{s['USER']}@{s['HOST']}:{s['PORT']}/{s['NAME']}"
    path = tmp_path / "copy.db"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    assert target.execute(f"PRAGMA journal_mode={journal}").fetchone() == (journal,)
    target.close()
    return f"sqlite:///{path}"


def run_import(url: str, point: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "SAFEGUARD_DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE")
        or settings.SETTINGS_MODULE,
    }
    command = [sys.executable, "-m", "safeguard.protection.tests.pause_import", point]
    return subprocess.Popen(  # noqa: S603 - our own module and the fixture's path
        [*command, "import", "cin-census", str(CENSUS)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )


def content(url: str) -> str:
    """A hash of the whole database's content (SQLite: after its integrity check)."""
    if url.startswith("sqlite:///"):
        db = sqlite3.connect(url.removeprefix("sqlite:///"))
        try:
            assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            return hashlib.sha256("\n".join(db.iterdump()).encode()).hexdigest()
        finally:
            db.close()
    return hashlib.sha256(repr(table_hashes()).encode()).hexdigest()


def children(url: str) -> int:
    if url.startswith("sqlite:///"):
        db = sqlite3.connect(url.removeprefix("sqlite:///"))
        try:
            return db.execute("SELECT count(*) FROM journey_child").fetchone()[0]
        finally:
            db.close()
    return Child.objects.count()


def kill_at(url: str, point: str) -> None:
    importer = run_import(url, point)
    for line in importer.stdout:  # "Reading FILE", then PAUSED
        if line.strip() == "PAUSED":
            break
    else:
        pytest.fail(f"the import finished before reaching point {point}")
    importer.send_signal(signal.SIGKILL)
    assert importer.wait(timeout=10) == -signal.SIGKILL


def finish(url: str) -> tuple[int, str]:
    """A full import: its exit code and its output."""
    importer = run_import(url, "none")
    out = importer.communicate(timeout=300)[0]
    return importer.returncode, out


@pytest.mark.parametrize(
    ("journal", "points"),
    [("wal", KILL_POINTS), ("delete", ("8", "commit"))],  # SQLite's two journal modes
)
def test_kill_minus_nine_anywhere_in_the_real_import_changes_nothing(tmp_path, journal, points):
    if connection.vendor != "sqlite" and journal != "wal":
        pytest.skip("the journal mode is SQLite's; PostgreSQL runs every point once")
    url = database_url(tmp_path, journal)
    before = content(url)
    for point in points:
        kill_at(url, point)
        assert content(url) == before, f"killed at {point}: the database changed"
    assert children(url) == 0
    # a rerun completes, and every point killed at was inside its transaction
    code, out = finish(url)
    assert code == 0, out
    assert f"fake_CIN_data.xml: {CHILDREN} children;" in out
    statements = int(out.rsplit("STATEMENTS ", 1)[1])
    assert max(int(p) for p in points if p.isdigit()) < statements
    loaded = content(url)
    assert loaded != before  # the hash does see an import
    assert children(url) == CHILDREN
    # the same file again: recognised by its SHA-256, nothing written, no duplicates
    code, out = finish(url)
    assert code == 0 and "already loaded on" in out
    assert content(url) == loaded and children(url) == CHILDREN
