"""`safeguard backup -o FILE`: write a hash-checked backup of the whole database."""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser

from safeguard.protection.backup import backup


class Command(BaseCommand):
    help = "Write a backup of the whole database (gzip JSON lines with per-table SHA-256)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("-o", "--output", required=True, type=Path, help="Backup file")
        parser.add_argument("--database", default="default")

    def handle(self, *args: object, **options: object) -> None:
        started = time.perf_counter()
        manifest = backup(options["output"], using=options["database"])
        rows = sum(t["rows"] for t in manifest["tables"].values())
        self.stdout.write(
            f"Backed up {len(manifest['tables'])} tables, {rows} rows to "
            f"{options['output']} in {time.perf_counter() - started:.1f}s."
        )
