"""`safeguard verify_audit`: check the audit trail's hash chain, then seal the rows added since."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safeguard.protection.seal import chain_head, seal, verify


class Command(BaseCommand):
    help = (
        "Verify the tamper-evident chain over the access log and the change history: report "
        "the first row altered or deleted, then seal the rows written since the last run."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--no-seal", action="store_true", help="Only verify; do not seal new rows"
        )
        parser.add_argument(
            "--head",
            help="A head value printed by an earlier run (kept outside the app): it must still "
            "be in the chain, so a rewrite of the whole chain is caught",
        )

    def handle(self, *args: object, **options: object) -> None:
        started = time.perf_counter()
        report = verify(expected_head=options["head"])
        if report.fault:
            raise CommandError(f"Audit trail FAILED: {report.fault}")
        if report.head_found is False:
            raise CommandError(
                f"Audit trail FAILED: head {options['head']} is not in the chain: the seals "
                "were rewritten, or the value is from another database."
            )
        self.stdout.write(
            f"Audit trail ok: {report.sealed} sealed rows verified"
            + (f", {report.disposed} removed by recorded disposals" if report.disposed else "")
            + "."
        )
        for table, count in sorted(report.unsealed.items()):
            self.stdout.write(f"  not yet sealed: {table} {count}")
        if not options["no_seal"]:
            self.stdout.write(f"Sealed {seal()} new rows.")
        self.stdout.write(f"Head: {chain_head()}  ({time.perf_counter() - started:.1f}s)")
