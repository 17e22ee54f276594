"""`safeguard import KIND PATHS...`: load statutory returns into the journey record.

Exit codes: 0 loaded (or, with --skip-invalid, loaded what could be read), 1 refused (nothing
written), 2 usage. A progress bar shows on a terminal; plain lines otherwise.
"""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safeguard.returns import safety
from safeguard.returns.codec import ReturnRefused
from safeguard.returns.importing import KINDS, REFUSED, expand, import_returns

MISSING = "No such file or directory: {path}"
REJECTS_NEEDS_SKIP = "--rejects only makes sense with --skip-invalid."


class Command(BaseCommand):
    help = "Import CIN census, SSDA903 or Annex A returns into the record."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=KINDS, help="Which return.")
        parser.add_argument("paths", nargs="+", type=Path, help="Files (or a directory).")
        parser.add_argument("--dry-run", action="store_true", help="Report; write nothing.")
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="Import what can be read; list the rest in --rejects.",
        )
        parser.add_argument("--rejects", type=Path, help="CSV for rows left out.")
        parser.add_argument(
            "--max-bytes", type=int, default=safety.MAX_FILE_BYTES, help="Largest file accepted."
        )

    def handle(
        self,
        *args,
        kind: str,
        paths: list[Path],
        dry_run: bool,
        skip_invalid: bool,
        rejects: Path | None,
        max_bytes: int,
        **options,
    ) -> None:
        if rejects and not skip_invalid:
            raise CommandError(REJECTS_NEEDS_SKIP, returncode=2)
        for p in paths:
            if not p.exists():
                raise CommandError(MISSING.format(path=p), returncode=2)
        bar = self._progress(paths)
        try:
            report = import_returns(
                kind,
                paths,
                dry_run=dry_run,
                skip_invalid=skip_invalid,
                rejects=rejects,
                limit=max_bytes,
                progress=bar.update_to if bar else None,
            )
        except ReturnRefused as refused:
            for problem in refused.problems:
                self.stderr.write(str(problem))
            raise CommandError(REFUSED, returncode=1) from refused
        finally:
            if bar:
                bar.close()
        for line in report.lines():
            self.stdout.write(line)

    def _progress(self, paths: list[Path]):
        """A tqdm bar over the bytes to read, only when stderr is a terminal."""
        if not sys.stderr.isatty():
            for p in paths:
                self.stdout.write(f"Reading {p}")
            return None
        from tqdm import tqdm

        total = sum(f.stat().st_size for f in expand(paths))  # the files the import reads

        class Bar(tqdm):
            def update_to(self, n: int) -> None:
                self.update(n - self.n)

        return Bar(total=total, unit="B", unit_scale=True, desc="Reading", file=sys.stderr)
