"""`safeguard import KIND PATHS...`: load statutory returns into the journey record.

Exit codes: 0 loaded (or, with --skip-invalid, loaded what could be read), 1 refused (nothing
written), 2 usage. A progress bar shows on a terminal; plain lines otherwise.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safeguard.access.audit import command_user
from safeguard.returns import safety
from safeguard.returns.codec import ReturnRefused
from safeguard.returns.importing import KINDS, REFUSED, check_as_at, expand, import_returns

MISSING = "No such file or directory: {path}"
REJECTS_NEEDS_SKIP = "--rejects only makes sense with --skip-invalid."
PLAIN_LINE = "Read {percent}% ({done:,} of {total:,} bytes)"


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
        parser.add_argument(
            "--by", help="Username of the person importing (on the import log and history)."
        )
        parser.add_argument(
            "--as-at",
            type=date.fromisoformat,
            help="Annex A: the workbook's as-at date, YYYY-MM-DD (else its latest date). A "
            "workbook as at the same date as one loaded before replaces that one's rows.",
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
        by: str | None = None,
        as_at: date | None = None,
        **options,
    ) -> None:
        if rejects and not skip_invalid:
            raise CommandError(REJECTS_NEEDS_SKIP, returncode=2)
        for p in paths:
            if not p.exists():
                raise CommandError(MISSING.format(path=p), returncode=2)
        try:
            check_as_at(kind, len(expand(paths)), as_at)
        except ValueError as error:
            raise CommandError(str(error), returncode=2) from error
        try:
            user = command_user(by)
        except LookupError as error:
            raise CommandError(str(error), returncode=2) from error
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
                user=user,
                as_at=as_at,
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
        """A tqdm bar over the bytes to read when stderr is a terminal; else plain lines."""
        total = sum(f.stat().st_size for f in expand(paths))  # the files the import reads
        if not sys.stderr.isatty():
            for p in paths:
                self.stdout.write(f"Reading {p}")
            return PlainProgress(self.stdout.write, total)
        from tqdm import tqdm

        class Bar(tqdm):
            def update_to(self, n: int) -> None:
                self.update(n - self.n)

        return Bar(total=total, unit="B", unit_scale=True, desc="Reading", file=sys.stderr)


class PlainProgress:
    """Reading progress as plain lines, for a log or a pipe: one line each time another tenth
    of the bytes has been read (a bar's carriage returns would make a log unreadable)."""

    def __init__(self, write: Callable[[str], None], total: int) -> None:
        self.write, self.total, self.shown = write, total, 0

    def update_to(self, n: int) -> None:
        tenths = min(10, n * 10 // self.total) if self.total else 0
        if tenths > self.shown:
            self.shown = tenths
            self.write(PLAIN_LINE.format(percent=tenths * 10, done=n, total=self.total))

    def close(self) -> None:
        """Nothing to tidy (the bar's counterpart)."""
