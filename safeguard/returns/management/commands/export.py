"""`safeguard export KIND [--year Y] [--as-at D] -o PATH [--by USER]`: a return from the record.

An export is a read of every child in it, so, as on the web, each child gets an EXPORT row in
the access log, in the same transaction as the export: if the return cannot be written, no row
is left claiming it was. The row names the command line and the person (`--by`, or the
operating-system account when no user is named).

Exit codes: 0 written, 1 the return could not be made, 2 usage.
"""

from __future__ import annotations

import getpass
import shlex
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from safeguard.access.audit import access_log_write_rows, command_user
from safeguard.access.models import AccessLog
from safeguard.returns.exported import export_subjects
from safeguard.returns.importing import KINDS, export_return

NEEDS_YEAR = "{kind} is made for a collection year: give --year (2019 = 2018-19)."
NEEDS_AS_AT = "annex-a lists are made as at a date: give --as-at YYYY-MM-DD."
WROTE = "Wrote {path}"
LOGGED = "Access log: {count:,} children exported, by {who}."
FAILED = "Could not make the return: {error}"


class Command(BaseCommand):
    help = "Export a CIN census, SSDA903 or Annex A return from the record."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=KINDS, help="Which return.")
        parser.add_argument("--year", type=int, help="Collection year by its end (2019 = 2018-19).")
        parser.add_argument("--as-at", type=date.fromisoformat, help="Date (Annex A).")
        parser.add_argument("-o", "--output", type=Path, required=True, help="File or directory.")
        parser.add_argument("--by", help="Username of the person making the return (logged).")

    def handle(
        self,
        *args,
        kind: str,
        year: int | None,
        as_at: date | None,
        output: Path,
        by: str | None = None,
        **options,
    ) -> None:
        if kind == "annex-a" and as_at is None:
            raise CommandError(NEEDS_AS_AT, returncode=2)
        if kind != "annex-a" and year is None:
            raise CommandError(NEEDS_YEAR.format(kind=kind), returncode=2)
        try:
            user = command_user(by)
        except LookupError as error:
            raise CommandError(str(error), returncode=2) from error
        who = by or f"operating-system account {getpass.getuser()}"
        period = f"--year {year}" if year is not None else f"--as-at {as_at}"
        path = f"command: safeguard export {kind} {period} -o {shlex.quote(str(output))} ({who})"
        logged: list[int] = []

        def log(frames: dict) -> None:
            subjects = export_subjects(frames)
            access_log_write_rows(user, subjects, AccessLog.EXPORT, path)
            logged.append(sum(s is not None for s in subjects))  # children (adopters: no child)

        try:
            with transaction.atomic():
                written = export_return(kind, output, year=year, as_at=as_at, on_frames=log)
        except (ValueError, OSError) as error:
            raise CommandError(FAILED.format(error=error), returncode=1) from error
        for written_path in written:
            self.stdout.write(WROTE.format(path=written_path))
        self.stdout.write(LOGGED.format(count=sum(logged), who=who))
