"""`safeguard export KIND [--year Y] [--as-at D] -o PATH`: write a return from the record.

Exit codes: 0 written, 1 the return could not be made, 2 usage.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safeguard.returns.importing import KINDS, export_return

NEEDS_YEAR = "{kind} is made for a collection year: give --year (2019 = 2018-19)."
NEEDS_AS_AT = "annex-a lists are made as at a date: give --as-at YYYY-MM-DD."
WROTE = "Wrote {path}"
FAILED = "Could not make the return: {error}"


class Command(BaseCommand):
    help = "Export a CIN census, SSDA903 or Annex A return from the record."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=KINDS, help="Which return.")
        parser.add_argument("--year", type=int, help="Collection year by its end (2019 = 2018-19).")
        parser.add_argument("--as-at", type=date.fromisoformat, help="Date (Annex A).")
        parser.add_argument("-o", "--output", type=Path, required=True, help="File or directory.")

    def handle(
        self, *args, kind: str, year: int | None, as_at: date | None, output: Path, **options
    ) -> None:
        if kind == "annex-a" and as_at is None:
            raise CommandError(NEEDS_AS_AT, returncode=2)
        if kind != "annex-a" and year is None:
            raise CommandError(NEEDS_YEAR.format(kind=kind), returncode=2)
        try:
            written = export_return(kind, output, year=year, as_at=as_at)
        except (ValueError, OSError) as error:
            raise CommandError(FAILED.format(error=error), returncode=1) from error
        for path in written:
            self.stdout.write(WROTE.format(path=path))
