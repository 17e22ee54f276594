"""`safeguard quality-seed --seed S`: add supervision, audits, panels and tracker data to the
council in the record, with realistic gaps, so the demo shows them."""

from __future__ import annotations

import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safeguard.quality.seed import ALREADY, clear_quality, has_quality_data, quality_seed

DONE = "Added {rows:,} quality rows in {seconds:.1f} s (as at {as_at})."


class Command(BaseCommand):
    help = "Add realistic quality data (supervision, audits, panels, trackers) to the council."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--as-at",
            type=date.fromisoformat,
            default=None,
            help="Last day to seed to, YYYY-MM-DD (default: the record's end).",
        )
        parser.add_argument(
            "--replace", action="store_true", help="Delete existing quality data first."
        )

    def handle(self, *args: object, **opts: object) -> None:
        from safeguard.quality.seed import record_end

        if has_quality_data():
            if not opts["replace"]:
                raise CommandError(ALREADY)
            clear_quality()
        as_at = opts["as_at"] or record_end()
        began = time.monotonic()
        counts = quality_seed(seed=opts["seed"], as_at=as_at)
        for label, n in sorted(counts.items()):
            self.stdout.write(f"  {label}: {n:,}")
        self.stdout.write(
            DONE.format(rows=sum(counts.values()), seconds=time.monotonic() - began, as_at=as_at)
        )
