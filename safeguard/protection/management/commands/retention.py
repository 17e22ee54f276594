"""`safeguard retention --as-at DATE`: records due for disposal (a report; nothing is deleted)."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from safeguard.protection.retention import DUE, HELD, disposal_report


class Command(BaseCommand):
    help = (
        "List children's records due for disposal on a date under the retention rules; "
        "records under a legal hold are listed apart and never as due."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--as-at",
            type=date.fromisoformat,
            default=None,
            help="Date (YYYY-MM-DD); today by default",
        )
        parser.add_argument("--csv", action="store_true", help="Print the whole report as CSV")

    def handle(self, *args: object, **options: object) -> None:
        as_at = options["as_at"] or timezone.localdate()
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
