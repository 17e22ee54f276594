"""`safeguard restore FILE`: replace the database's content with a backup, checked by hashes.

`--pg-restore NAME` instead loads a `backup --pg-dump` file into a new database NAME and checks
every table's hash against the manifest (the database in use is not touched).
"""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safeguard.protection.backup import RestoreError, pg_restore, restore


class Command(BaseCommand):
    help = (
        "Replace every table's rows with a backup's, in one transaction; rolled back unless "
        "every table's content hash matches the backup."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--database", default="default")
        parser.add_argument(
            "--pg-restore",
            metavar="NAME",
            help="Load a pg_dump backup into the new PostgreSQL database NAME and check it",
        )

    def handle(self, *args: object, **options: object) -> None:
        started = time.perf_counter()
        try:
            if options["pg_restore"]:
                manifest = pg_restore(
                    options["file"], options["pg_restore"], using=options["database"]
                )
            else:
                manifest = restore(options["file"], using=options["database"])
        except RestoreError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored {len(manifest['tables'])} tables from {options['file']} "
            + (f"into {options['pg_restore']} " if options["pg_restore"] else "")
            + f"(taken {manifest['taken_at']}); every table's hash matches, and "
            + f"{len(manifest.get('media', []))} document files match the media manifest, in "
            f"{time.perf_counter() - started:.1f}s."
        )
