"""`safeguard backup -o FILE`: write a hash-checked backup of the whole database.

--pg-dump writes PostgreSQL's own custom format (pg_dump -Fc) with a manifest of table hashes
beside it; --sqlite-online copies a SQLite database with SQLite's online backup.
"""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safeguard.protection.backup import RestoreError, backup, pg_dump, sqlite_backup


class Command(BaseCommand):
    help = "Write a backup of the whole database (gzip JSON lines with per-table SHA-256)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("-o", "--output", required=True, type=Path, help="Backup file")
        parser.add_argument("--database", default="default")
        kind = parser.add_mutually_exclusive_group()
        kind.add_argument(
            "--pg-dump",
            action="store_true",
            help="PostgreSQL: pg_dump -Fc, plus FILE.manifest.json with every table's hash",
        )
        kind.add_argument(
            "--sqlite-online",
            action="store_true",
            help="SQLite: a page copy by SQLite's online backup, checked by integrity_check",
        )

    def handle(self, *args: object, **options: object) -> None:
        started = time.perf_counter()
        out, using = options["output"], options["database"]
        try:
            if options["sqlite_online"]:
                check = sqlite_backup(out, using=using)
                if check != "ok":
                    raise CommandError(f"The copy failed integrity_check: {check}")
                self.stdout.write(
                    f"Copied the SQLite database to {out} (integrity_check ok) in "
                    f"{time.perf_counter() - started:.1f}s."
                )
                return
            manifest = (pg_dump if options["pg_dump"] else backup)(out, using=using)
        except RestoreError as error:
            raise CommandError(str(error)) from error
        rows = sum(t["rows"] for t in manifest["tables"].values())
        self.stdout.write(
            f"Backed up {len(manifest['tables'])} tables, {rows} rows and "
            f"{len(manifest['media'])} document files to "
            f"{out} in {time.perf_counter() - started:.1f}s."
        )
