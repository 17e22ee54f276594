"""`safeguard generate`: fill the empty record with a synthetic council, deterministically."""

from __future__ import annotations

import sys
import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safeguard.synthetic.load import clear, is_empty
from safeguard.synthetic.profile import DEFAULT_POPULATION, DEFAULT_START, DEFAULT_UNTIL

NOT_EMPTY = (
    "The record already holds data. Use --replace to delete it (every journey and "
    "workforce row) and generate again."
)
BAD_DATES = "--start must be before --until."
DONE = "Generated {rows:,} rows for {children:,} children in {seconds:.1f} s."


class Command(BaseCommand):
    help = "Generate a synthetic council (children's journeys, teams, workers) from a seed."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--population",
            type=int,
            default=DEFAULT_POPULATION,
            help="Children aged 0-17 in the area (default 36,000).",
        )
        parser.add_argument(
            "--until",
            type=date.fromisoformat,
            default=DEFAULT_UNTIL,
            help="Last day of history, YYYY-MM-DD (default 2019-06-30).",
        )
        parser.add_argument(
            "--start",
            type=date.fromisoformat,
            default=DEFAULT_START,
            help="First day of history, YYYY-MM-DD (default 2013-04-01).",
        )
        parser.add_argument(
            "--replace", action="store_true", help="Delete the existing record first."
        )

    def handle(self, *args: object, **opts: object) -> None:
        from safeguard.synthetic.council import generate

        if opts["start"] >= opts["until"]:
            raise CommandError(BAD_DATES)
        if not is_empty():
            if not opts["replace"]:
                raise CommandError(NOT_EMPTY)
            clear()
        began = time.monotonic()
        with _Progress(self.stdout) as progress:
            counts = generate(
                seed=opts["seed"],
                population=opts["population"],
                until=opts["until"],
                start=opts["start"],
                progress=progress,
            )
        self.stdout.write(
            DONE.format(
                rows=sum(counts.values()),
                children=counts["journey.Child"],
                seconds=time.monotonic() - began,
            )
        )


class _Progress:
    """A tqdm bar on a terminal; plain lines (one per stage) otherwise, e.g. in CI logs."""

    def __init__(self, out) -> None:  # noqa: ANN001 - Django's OutputWrapper
        self.out = out
        self.bar = None
        self.stage = ""
        self.tty = sys.stdout.isatty()

    def __enter__(self) -> _Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.close()

    def __call__(self, stage: str, done: int, total: int) -> None:
        label = "simulating" if stage == "children" else "inserting"
        if self.tty:
            from tqdm import tqdm

            if label != self.stage:
                if self.bar is not None:
                    self.bar.close()
                self.bar = tqdm(
                    total=total, desc=label, unit="row" if label == "inserting" else "child"
                )
            self.bar.n = done
            self.bar.refresh()
        elif label != self.stage:
            self.out.write(f"{label} ({total:,} {'rows' if label == 'inserting' else 'children'})")
        elif label == "inserting":
            self.out.write(f"  {stage}: {done:,} of {total:,} rows")
        self.stage = label
