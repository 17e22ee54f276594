"""`safeguard validate`: check a CIN census or SSDA903 return against the DfE rules.

    safeguard validate cin-census FILE [--year 2019]
    safeguard validate ssda903 FILES_OR_DIR [--previous LAST_YEARS_FILES...]
    safeguard validate --live --year 2019 [--kind ssda903]

Prints a report grouped by rule on the terminal, or writes every failure as --format json, csv
or xlsx (--output FILE; stdout for json/csv). Exit codes: 0 no errors (queries may remain),
1 errors found or a file refused, 2 usage.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import polars as pl
from django.core.management.base import BaseCommand, CommandError, CommandParser

from safeguard.returns.codec import ReturnRefused, codec_for
from safeguard.returns.engine import CATALOGUES, summary, validate_return
from safeguard.returns.tables import Return

KINDS = sorted(CATALOGUES)
NEEDS_PATHS = "Give the return's files, or --live with --year."
LIVE_NEEDS_YEAR = "--live needs --year (e.g. 2019 for 2018-19)."
LIVE_NO_PATHS = "--live validates the record: give no files."
NEEDS_KIND = "Say which return: cin-census or ssda903."
NO_YEAR = "Could not tell the collection year from the file; give --year."
XLSX_NEEDS_OUTPUT = "--format xlsx needs --output FILE."
REFUSED = "The return could not be read; nothing was validated."
MISSING = "No such file or directory: {path}"
CLEAN = "{kind} {year}: no failures."
TOTALS = "{kind} {year}: {errors} error(s), {queries} query(ies) in {children} child(ren)."
DETAIL_LIMIT = 200


class Command(BaseCommand):
    help = "Validate a CIN census or SSDA903 return (files or the live record) against DfE rules."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", nargs="?", choices=KINDS, help="Which return.")
        parser.add_argument("paths", nargs="*", type=Path, help="Files or a directory.")
        parser.add_argument("--live", action="store_true", help="Validate the record itself.")
        parser.add_argument("--year", type=int, help="Collection year by its end (2019).")
        parser.add_argument(
            "--previous",
            nargs="+",
            type=Path,
            default=[],
            help="Last year's return, for the rules comparing years.",
        )
        parser.add_argument("--child", help="Only this child (LA child ID / CHILD).")
        parser.add_argument(
            "--format", choices=["table", "json", "csv", "xlsx"], default="table", dest="fmt"
        )
        parser.add_argument("--output", type=Path, help="Write the report here.")

    def handle(
        self,
        *args: Any,
        kind: str | None,
        paths: list[Path],
        live: bool,
        year: int | None,
        previous: list[Path],
        child: str | None,
        fmt: str,
        output: Path | None,
        **options: Any,
    ) -> None:
        self._check_usage(kind, paths, live, year, fmt, output)
        kinds = [kind] if kind else KINDS
        reports = [self._validate(k, paths, live, year, previous, child) for k in kinds]
        failures = pl.concat([r for _, _, r in reports])
        if fmt == "table":
            for k, y, report in reports:
                self._print_table(k, y, report)
        else:
            self._write(failures, fmt, output)
        if (failures["severity"] == "E").any():
            sys.exit(1)

    def _check_usage(
        self,
        kind: str | None,
        paths: list[Path],
        live: bool,
        year: int | None,
        fmt: str,
        output: Path | None,
    ) -> None:
        if live and year is None:
            raise CommandError(LIVE_NEEDS_YEAR, returncode=2)
        if live and paths:
            raise CommandError(LIVE_NO_PATHS, returncode=2)
        if not live and not paths:
            raise CommandError(NEEDS_PATHS, returncode=2)
        if not live and kind is None:
            raise CommandError(NEEDS_KIND, returncode=2)
        if fmt == "xlsx" and output is None:
            raise CommandError(XLSX_NEEDS_OUTPUT, returncode=2)
        for p in paths:
            if not p.exists():
                raise CommandError(MISSING.format(path=p), returncode=2)

    def _validate(
        self,
        kind: str,
        paths: list[Path],
        live: bool,
        year: int | None,
        previous: list[Path],
        child: str | None,
    ) -> tuple[str, int, pl.DataFrame]:
        codec = codec_for(kind)
        if live:
            assert year is not None  # noqa: S101 - checked in _check_usage
            frames, last = codec.from_record(year=year), self._last_from_record(kind, year)
        else:
            frames, year = self._read(kind, paths, year)
            last = self._read(kind, previous, year - 1)[0] if previous else None
        try:
            failures = validate_return(kind, frames, year=year, previous=last, child=child)
        except KeyError as unknown:  # a year before the first rule set
            raise CommandError(unknown.args[0], returncode=2) from unknown
        return kind, year, failures

    def _read(self, kind: str, paths: list[Path], year: int | None) -> tuple[Return, int]:
        try:
            result = codec_for(kind).read(paths)
        except ReturnRefused as refused:
            for problem in refused.problems:
                self.stderr.write(str(problem))
            raise CommandError(REFUSED, returncode=1) from refused
        for problem in result.problems:
            self.stderr.write(str(problem))
        year = year or result.year
        if year is None:
            raise CommandError(NO_YEAR, returncode=2)
        return result.frames, year

    def _last_from_record(self, kind: str, year: int) -> Return | None:
        """Last year's return from the record, for the SSDA903 rules that compare years."""
        if kind != "ssda903":
            return None
        return codec_for(kind).from_record(year=year - 1)

    def _print_table(self, kind: str, year: int, failures: pl.DataFrame) -> None:
        if failures.is_empty():
            self.stdout.write(CLEAN.format(kind=kind, year=year))
            return
        counts = failures["severity"].value_counts()
        n = dict(zip(counts["severity"], counts["count"], strict=True))
        self.stdout.write(
            TOTALS.format(
                kind=kind,
                year=year,
                errors=n.get("E", 0),
                queries=n.get("Q", 0),
                children=failures["LAchildID"].n_unique(),
            )
        )
        with pl.Config(
            tbl_rows=-1,
            fmt_str_lengths=80,
            tbl_width_chars=160,
            tbl_hide_dataframe_shape=True,
            tbl_hide_column_data_types=True,
        ):
            self.stdout.write(str(summary(failures)))
            detail = failures.select("code", "LAchildID", "table", "row", "values")
            self.stdout.write(str(detail.head(DETAIL_LIMIT)))
        if failures.height > DETAIL_LIMIT:
            self.stdout.write(f"... {failures.height - DETAIL_LIMIT} more; use --format csv.")

    def _write(self, failures: pl.DataFrame, fmt: str, output: Path | None) -> None:
        if fmt == "xlsx":
            write_xlsx(failures, output)  # type: ignore[arg-type]
        elif fmt == "csv":
            text = failures.write_csv()
            output.write_text(text) if output else self.stdout.write(text, ending="")
        else:
            text = json.dumps(failures.to_dicts(), indent=2, ensure_ascii=False)
            output.write_text(text) if output else self.stdout.write(text)


def write_xlsx(failures: pl.DataFrame, path: Path) -> None:
    """A workbook with the summary by rule and every failure, one sheet each."""
    import xlsxwriter

    with xlsxwriter.Workbook(path) as book:
        summary(failures).write_excel(book, worksheet="Summary", autofit=True)
        failures.write_excel(book, worksheet="Failures", autofit=True)
