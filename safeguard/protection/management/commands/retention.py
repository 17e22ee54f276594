"""`safeguard retention --as-at DATE [--execute]`: records due for disposal, and disposal itself.

Without --execute it is a report and nothing is deleted (the dry run). With --execute the same
list is disposed of in one transaction and logged (protection.Disposal).
"""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from safeguard.access.audit import command_user
from safeguard.protection.retention import (
    DUE,
    HELD,
    DisposalRefused,
    disposal_report,
    dispose,
)

NO_USER = (
    "No user {name!r} with an active account to authorise the disposal: nothing was disposed of."
)


class Command(BaseCommand):
    help = (
        "List children's records due for disposal on a date under the retention rules; "
        "records under a legal hold are listed apart and never as due. --execute disposes of "
        "exactly the records listed as due, and logs it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--as-at",
            type=date.fromisoformat,
            default=None,
            help="Date (YYYY-MM-DD); today by default",
        )
        parser.add_argument("--csv", action="store_true", help="Print the whole report as CSV")
        parser.add_argument(
            "--execute",
            action="store_true",
            help="Destroy the records due (their history and access log too) and log it",
        )
        parser.add_argument("--by", help="Username (active) of who authorises it")

    def handle(self, *args: object, **options: object) -> None:
        as_at = options["as_at"] or timezone.localdate()
        if options["execute"]:
            self._execute(as_at, options["by"])
            return
        report = disposal_report(as_at)
        if options["csv"]:
            self.stdout.write(report.write_csv())
            return
        due = report.filter(report["status"] == DUE)
        held = report.filter(report["status"] == HELD)
        self.stdout.write(
            f"Retention as at {as_at}: {report.height} records, {due.height} due "
            f"for disposal, {held.height} due but under legal hold."
        )
        for row in due.iter_rows(named=True):
            self.stdout.write(f"DUE  {row['la_child_id']}  {row['rule']}  {row['retain_until']}")
        for row in held.iter_rows(named=True):
            self.stdout.write(f"HELD {row['la_child_id']}  {row['rule']}  {row['retain_until']}")

    def _execute(self, as_at: date, username: str | None) -> None:
        try:
            user = command_user(username or None)  # only an active account may authorise
        except LookupError as unknown:
            raise CommandError(NO_USER.format(name=username)) from unknown
        try:
            log = dispose(as_at, user=user)
        except DisposalRefused as refused:
            raise CommandError(str(refused)) from refused
        if log is None:
            self.stdout.write(f"Retention as at {as_at}: nothing due; nothing disposed of.")
            return
        rows = sum(len(ids) for ids in log.rows.values())
        self.stdout.write(
            f"Disposed of {len(log.children)} records as at {as_at} ({rows} rows in "
            f"{len(log.rows)} tables); disposal log {log.pk}."
        )
        for child in log.children:
            self.stdout.write(
                f"DISPOSED {child['la_child_id']}  {child['rule']}  {child['retain_until']}"
            )
