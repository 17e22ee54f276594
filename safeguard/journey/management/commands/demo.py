"""`safeguard demo`: set up, build the synthetic council once, print its figures, serve the app."""

from __future__ import annotations

import os
import time
from datetime import date

from django.conf import settings
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandParser

from safeguard.journey.demo_logins import DEMO_PASSWORD, ensure_demo_logins
from safeguard.journey.models import Child

AS_AT = date(2019, 6, 30)


class Command(BaseCommand):
    help = "Migrate, generate the default synthetic council if empty, print its figures, serve."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-serve", action="store_true", help="Stop after printing.")
        parser.add_argument(
            "--seed", type=int, default=1, help="The seed the calibration test pins (seed 1)."
        )
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args, no_serve: bool, seed: int, port: int, **options) -> None:
        call_command("migrate", verbosity=0, interactive=False)
        if not Child.objects.exists():
            started = time.perf_counter()
            self.stdout.write("Generating the synthetic council (36,000 children)...")
            call_command("generate", f"--seed={seed}", f"--until={AS_AT.isoformat()}")
            call_command("quality-seed", f"--seed={seed}", f"--as-at={AS_AT.isoformat()}")
            self.stdout.write(f"Generated in {time.perf_counter() - started:.1f} s.")
        self._print_figures()
        self._print_logins()
        if not no_serve:
            serve = "serve" if "serve" in get_commands() else "runserver"
            extra = {"port": port} if serve == "serve" else {"addrport": f"127.0.0.1:{port}"}
            # The synthetic council ends on 30 June 2019: its pages work to that date.
            os.environ["SAFEGUARD_AS_AT"] = settings.SAFEGUARD_AS_AT = AS_AT.isoformat()
            self.stdout.write(f"Serving on http://127.0.0.1:{port}/ (Ctrl-C to stop)")
            call_command(serve, **extra)

    def _print_figures(self) -> None:
        from safeguard.performance.seed import seed_table

        rows = seed_table(AS_AT)
        self.stdout.write(f"\nFigures at {AS_AT:%d %B %Y}, computed from the record:\n")
        self.stdout.write(f"  {'figure':<54}{'seed':>8}{'record':>9}{'diff':>8}")
        for row in rows:
            diff = (row.value - row.seed_value) / row.seed_value * 100 if row.seed_value else 0
            self.stdout.write(
                f"  {row.label:<54}{row.seed_value:>8,.0f}{row.value:>9,.0f}{diff:>7.1f}%"
            )

    def _print_logins(self) -> None:
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
        for login in ensure_demo_logins():
            self.stdout.write(f"  {login.role.title:<32}{login.username:<28}{login.worker}")
