"""Backup and restore of the whole database, checked by per-table content hashes (G23).

A backup is one gzip file of JSON lines: a manifest line (format, time, migrations applied,
row count and SHA-256 of every table, and the media manifest: name, size and SHA-256 of every
attached document's file), then one line per file with its bytes, then every row of every
model in Django's JSON Lines serialisation (microseconds kept). It is backend-neutral, so a
SQLite backup restores into PostgreSQL and back. Restore empties the tables, loads the rows,
resets the sequences and compares the hashes, all in one transaction: a restore that does not
reproduce the hashes exactly is rolled back and leaves the database as it was. The files are
written back (each checked against the manifest) before the rows load, the restored document
rows must name exactly those files, and the files a failed restore wrote are removed again
(`media`).

A table's hash is over its rows in primary-key order, each row as canonical JSON of its
column values, so it is the same on SQLite and PostgreSQL for the same content.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import IO
from uuid import UUID

from django.apps import apps
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.db.utils import load_backend

from . import media

FORMAT = "safeguard-backup/2"
#: /1 had no media manifest and no files (the app kept no attachments then).
READABLE_FORMATS = frozenset({"safeguard-backup/1", FORMAT})
NOT_A_BACKUP = "{path} is not a Safeguard backup."
MIGRATIONS_DIFFER = (
    "The backup was taken at a different schema: run `safeguard migrate` to the same migrations "
    "first. Missing here: {missing}. Extra here: {extra}."
)
HASH_MISMATCH = "Restore rolled back: these tables differ from the backup: {tables}."
CHUNK = 2000


class RestoreError(Exception):
    """The backup could not be restored exactly; the database was left unchanged."""


class FullPrecisionEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder keeps only milliseconds of a time; a backup must keep microseconds."""

    def default(self, o: object) -> object:
        if isinstance(o, datetime | time):
            return o.isoformat()
        return super().default(o)


def _canonical(value: object) -> object:
    """A value as the hash sees it, identical across backends."""
    if isinstance(value, datetime):
        return (value.astimezone(UTC) if value.tzinfo else value).isoformat()
    if isinstance(value, date | time | Decimal | UUID):
        return str(value)
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    return value


def canonical_row(values: tuple) -> bytes:
    """One row as the hashes see it: canonical JSON of its column values, then a newline.

    The table hashes of backup and restore and the audit seals (seal.py) both use this, so a row
    hashes the same on SQLite and PostgreSQL and in both places.
    """
    return json.dumps([_canonical(v) for v in values], sort_keys=True, default=str).encode() + b"\n"


def stored_models() -> list[type[models.Model]]:
    """Every model with its own table, m2m tables included."""
    return [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy and not m._meta.swapped
    ]


def _rows(model: type[models.Model], using: str) -> Iterator[tuple]:
    """A table's rows in a stable order.

    An m2m link table's own id is a surrogate that a restore cannot keep (links are re-made
    through their owners), so its rows are compared by the pair of ids they link.
    """
    names = [f.attname for f in model._meta.concrete_fields]
    if model._meta.auto_created:
        names = [n for n in names if n != model._meta.pk.attname]
    order = names if model._meta.auto_created else ["pk"]
    return (
        model._base_manager.using(using)
        .order_by(*order)
        .values_list(*names)
        .iterator(chunk_size=CHUNK)
    )


def table_hashes(using: str = DEFAULT_DB_ALIAS) -> dict[str, dict[str, object]]:
    """Row count and SHA-256 of every table, keyed by table name."""
    out: dict[str, dict[str, object]] = {}
    for model in stored_models():
        digest, count = hashlib.sha256(), 0
        for row in _rows(model, using):
            digest.update(canonical_row(row))
            count += 1
        out[model._meta.db_table] = {"rows": count, "sha256": digest.hexdigest()}
    return dict(sorted(out.items()))


def applied_migrations(using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """The migrations applied to the database, as "app.name"."""
    return sorted(f"{a}.{n}" for a, n in MigrationRecorder(connections[using]).applied_migrations())


def backup(path: Path, using: str = DEFAULT_DB_ALIAS) -> dict:
    """Write a backup of the database to `path`; return its manifest.

    Taken inside one transaction, REPEATABLE READ on PostgreSQL, so the hashes and the rows are
    one consistent snapshot while the app keeps writing. A document file that is missing or
    not its row's refuses the backup; whatever stops it part-way (that, an unreadable file, a
    full disk, an interrupt), the half-written file is removed, never left to pass for a backup.
    """
    try:
        return _write_backup(path, using)
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def _write_backup(path: Path, using: str) -> dict:
    """The manifest line, each document's file (read once: checked as its line is written),
    then every model's rows."""
    connection = connections[using]
    outermost = not connection.in_atomic_block
    with transaction.atomic(using=using), gzip.open(path, "wt", encoding="utf-8") as out:
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        documents = media.documents(using)
        manifest = {
            "format": FORMAT,
            "taken_at": datetime.now(UTC).isoformat(),
            "vendor": connections[using].vendor,
            "migrations": applied_migrations(using),
            "tables": table_hashes(using),
            "media": [document.entry for document in documents],
        }
        out.write(json.dumps(manifest, sort_keys=True) + "\n")
        out.writelines(media.media_lines(documents))
        for model in stored_models():
            if not model._meta.auto_created:  # m2m rows travel inside their owning objects
                serializers.serialize(
                    "jsonl",
                    model._base_manager.using(using).order_by("pk").iterator(chunk_size=CHUNK),
                    stream=out,
                    cls=FullPrecisionEncoder,
                )
    return manifest


def read_manifest(stream: IO[str], path: Path) -> dict:
    """The first line of a backup, checked to be one."""
    try:
        manifest = json.loads(stream.readline())
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise RestoreError(NOT_A_BACKUP.format(path=path)) from error
    if not isinstance(manifest, dict) or manifest.get("format") not in READABLE_FORMATS:
        raise RestoreError(NOT_A_BACKUP.format(path=path))
    return manifest


def _empty_tables(using: str) -> None:
    """Delete every row of every table (TRUNCATE on PostgreSQL) inside the open transaction."""
    connection = connections[using]
    tables = [m._meta.db_table for m in stored_models()]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # fire pending FK checks: TRUNCATE refuses them
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for sql in connection.ops.sql_flush(
            no_style(), tables, reset_sequences=False, allow_cascade=True
        ):
            cursor.execute(sql)


def _reset_sequences(using: str) -> None:
    connection = connections[using]
    statements = connection.ops.sequence_reset_sql(no_style(), stored_models())
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def _m2m_links(item: serializers.base.DeserializedObject) -> Iterator[models.Model]:
    """The m2m link rows an object carries, as rows of the auto-created link tables."""
    obj = item.object
    for name, ids in (item.m2m_data or {}).items():
        field = obj._meta.get_field(name)
        through = field.remote_field.through
        mine, theirs = field.m2m_field_name(), field.m2m_reverse_field_name()
        for other in ids:
            yield through(**{f"{mine}_id": obj.pk, f"{theirs}_id": other})


def _insert_raw(objs: list[models.Model], using: str) -> None:
    """INSERT rows exactly as given: a raw insert, so auto_now fields keep the backup's values
    (bulk_create would stamp them with the time of the restore)."""
    model = type(objs[0])
    fields = list(model._meta.local_concrete_fields)
    size = max(1, min(CHUNK, connections[using].ops.bulk_batch_size(fields, objs)))
    manager = model._base_manager.using(using)
    for start in range(0, len(objs), size):
        manager._insert(objs[start : start + size], fields=fields, raw=True, using=using)


def _load(stream: IO[str], using: str) -> None:
    """Insert the backup's rows in batches (no signals, as a raw load should be)."""
    batch: list[models.Model] = []
    links: dict[type[models.Model], list[models.Model]] = {}

    def flush() -> None:
        if batch:
            _insert_raw(batch, using)
            batch.clear()

    for item in serializers.deserialize("jsonl", stream, using=using):
        if batch and type(item.object) is not type(batch[0]):
            flush()
        batch.append(item.object)
        for link in _m2m_links(item):
            links.setdefault(type(link), []).append(link)
        if len(batch) >= CHUNK:
            flush()
    flush()
    for through, rows in links.items():
        through._base_manager.using(using).bulk_create(rows, batch_size=CHUNK)


def restore(path: Path, using: str = DEFAULT_DB_ALIAS) -> dict:
    """Replace the database's content with the backup's; all or nothing, checked by hashes."""
    try:
        stream = gzip.open(path, "rt", encoding="utf-8")
    except OSError as error:
        raise RestoreError(NOT_A_BACKUP.format(path=path)) from error
    with stream:
        try:
            manifest = read_manifest(stream, path)
        except (OSError, EOFError) as error:
            raise RestoreError(NOT_A_BACKUP.format(path=path)) from error
        here = set(applied_migrations(using))
        there = set(manifest["migrations"])
        if here != there:
            raise RestoreError(
                MIGRATIONS_DIFFER.format(
                    missing=sorted(there - here)[:5], extra=sorted(here - there)[:5]
                )
            )
        files = media.MediaRestore(manifest.get("media", []))
        try:
            for _ in files.expected:
                files.write(stream.readline())
            _restore_rows(stream, manifest, using)
        except BaseException:
            files.undo()
            raise
    return manifest


def _restore_rows(stream: IO[str], manifest: dict, using: str) -> None:
    """Replace every table's rows with the backup's and check them; all in one transaction."""
    with transaction.atomic(using=using):
        _empty_tables(using)
        _load(stream, using)
        _reset_sequences(using)
        _check_tables(manifest, table_hashes(using))
        if "media" in manifest and (names := media.check_rows(manifest["media"], using)):
            raise RestoreError(media.ROWS_DIFFER.format(names=", ".join(names)))


def _check_tables(manifest: dict, now: dict) -> None:
    """Refuse a restore whose tables' counts and hashes are not the manifest's, naming every
    table that differs or that the manifest does not know."""
    differ = {t for t, v in manifest["tables"].items() if now.get(t) != v}
    differ |= {t for t in now if t not in manifest["tables"]}
    if differ:
        raise RestoreError(HASH_MISMATCH.format(tables=", ".join(sorted(differ))))


# --- PostgreSQL's own format: pg_dump -Fc and pg_restore, checked by the same table hashes ----

PG_MANIFEST = "{path}.manifest.json"
NOT_POSTGRES = "--pg-dump and --pg-restore need PostgreSQL; this database is {vendor}."
TARGET_EXISTS = "Database {name} already exists: pg_restore loads into a new, empty database."
PG_TOOL_FAILED = "{tool} failed (exit {code}): {error}"


def _pg_env(settings: dict) -> dict[str, str]:
    """libpq's environment for the command-line tools (no password on the command line)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env.update(
        {
            "PGHOST": str(settings.get("HOST") or "localhost"),
            "PGPORT": str(settings.get("PORT") or 5432),
            "PGUSER": str(settings.get("USER") or ""),
        }
    )
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings["PASSWORD"])
    return env


def _run(tool: str, args: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(  # noqa: S603 - fixed tool names, arguments are ours
        [shutil.which(tool) or tool, *args], env=env, capture_output=True, text=True
    )
    if done.returncode:
        raise RestoreError(
            PG_TOOL_FAILED.format(tool=tool, code=done.returncode, error=done.stderr.strip()[:500])
        )


def pg_dump(path: Path, using: str = DEFAULT_DB_ALIAS) -> dict:
    """`pg_dump -Fc` of the database to `path`, with a manifest of table hashes beside it.

    The hashes and the dump are one snapshot: a REPEATABLE READ transaction exports its
    snapshot and pg_dump reads through it (`--snapshot`), so writes going on meanwhile are in
    neither or both.
    """
    connection = connections[using]
    if connection.vendor != "postgresql":
        raise RestoreError(NOT_POSTGRES.format(vendor=connection.vendor))
    with transaction.atomic(using=using):
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
        manifest = {
            "format": "pg_dump -Fc",
            "taken_at": datetime.now(UTC).isoformat(),
            "migrations": applied_migrations(using),
            "tables": table_hashes(using),
            "media": media.media_manifest(using),  # the files: copy the documents folder too
        }
        settings = connection.settings_dict
        _run(
            "pg_dump",
            ["-Fc", "--no-owner", f"--snapshot={snapshot}", "-f", str(path), settings["NAME"]],
            _pg_env(settings),
        )
    Path(PG_MANIFEST.format(path=path)).write_text(json.dumps(manifest, sort_keys=True))
    return manifest


def pg_restore(path: Path, name: str, using: str = DEFAULT_DB_ALIAS) -> dict:
    """Restore a `pg_dump` backup into a new database `name`, then compare every table's hash
    with the manifest. If any differs the new database is dropped and RestoreError raised;
    the database the app uses is never touched (point the app at `name` once it is checked)."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        raise RestoreError(NOT_POSTGRES.format(vendor=connection.vendor))
    manifest_path = Path(PG_MANIFEST.format(path=path))
    if not path.exists() or not manifest_path.exists():
        raise RestoreError(NOT_A_BACKUP.format(path=path))
    manifest = json.loads(manifest_path.read_text())
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone():
            raise RestoreError(TARGET_EXISTS.format(name=name))
        cursor.execute(f"CREATE DATABASE {quote(name)}")
    try:
        env = _pg_env(connection.settings_dict)
        args = ["--no-owner", "--exit-on-error", "--single-transaction", "-d", name, str(path)]
        _run("pg_restore", args, env)
        with other_database(name, like=using) as alias:
            now = table_hashes(alias)
        _check_tables(manifest, now)
        if missing := media.check_folder(manifest.get("media", [])):
            raise RestoreError(media.FOLDER_DIFFERS.format(names=", ".join(missing)))
    except Exception:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quote(name)}")
        raise
    return manifest


@contextmanager
def other_database(name: str, *, like: str = DEFAULT_DB_ALIAS) -> Iterator[str]:
    """A connection alias, for this block and thread only, to database `name` on the same
    server (or SQLite file) as `like`: the ORM and table_hashes can then read it."""
    settings = {**connections[like].settings_dict, "NAME": name}
    alias = f"other-{name}"
    wrapper = load_backend(settings["ENGINE"]).DatabaseWrapper(settings, alias)
    connections[alias] = wrapper
    try:
        yield alias
    finally:
        wrapper.close()
        del connections[alias]


# --- SQLite's online backup: a page-level copy that writers do not have to stop for ---------


def sqlite_backup(path: Path, using: str = DEFAULT_DB_ALIAS) -> str:
    """Copy a SQLite database to `path` with SQLite's online backup; returns integrity_check.

    One step (all pages at once), so the copy is one consistent state even while others write:
    in WAL mode they carry on meanwhile; in rollback-journal mode they wait for the copy.
    """
    connection = connections[using]
    if connection.vendor != "sqlite":
        raise RestoreError(f"--sqlite-online needs SQLite; this database is {connection.vendor}.")
    connection.ensure_connection()
    target = sqlite3.connect(path)
    try:
        connection.connection.backup(target)
        return target.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        target.close()
