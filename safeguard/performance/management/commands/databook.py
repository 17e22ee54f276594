"""`safeguard databook`: every measure as at a date, for the council, each team or each worker.

Formats are dispatched through `FORMATS` (name -> writer function); the reports (XLSX with
charts, HTML, PDF) register theirs there when they exist. Until then they exit with code 2.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
from django.core.management.base import BaseCommand, CommandError, CommandParser

from safeguard.performance import engine
from safeguard.performance.frames import JourneyFrames, from_dir, from_record, from_region
from safeguard.performance.measures import CATALOGUE
from safeguard.performance.reports.cli import write_html, write_pdf, write_xlsx

NOT_YET_AVAILABLE = "The {fmt} format is not yet available; use table, json or csv."
BAD_DATE = "--as-at must be a date as YYYY-MM-DD, not {value!r}."
NO_DIRECTORY = "--from {path} is not a directory."
NEEDS_OUTPUT = "The {fmt} format is binary: give a file with -o FILE."
#: Report formats: their writers also take the frames (for the 13-month trend).
REPORT_FORMATS = frozenset({"xlsx", "html", "pdf"})

#: Exit code when a format is declared but not built yet.
EXIT_NOT_AVAILABLE = 2


def _round(value: float | None) -> float | int | None:
    """Counts as integers, everything else to one decimal place."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else round(value, 1)


def _scope_label(kind: str, scope: str) -> str:
    return "council" if kind == "council" else f"{kind}:{scope}"


def as_json(result: pl.DataFrame, *, as_at: date, period_start: date) -> str:
    """The data book JSON: one object per scope (one line each when several)."""
    docs = []
    for (kind, scope), part in result.group_by(["scope_kind", "scope"], maintain_order=True):
        docs.append(
            {
                "as_at": as_at.isoformat(),
                "period": {"start": period_start.isoformat(), "end": as_at.isoformat()},
                "scope": _scope_label(str(kind), str(scope)),
                "measures": {
                    r["measure"]: {
                        "title": CATALOGUE[r["measure"]].title,
                        "value": _round(r["value"]),
                        "numerator": _round(r["numerator"]),
                        "denominator": _round(r["denominator"]),
                        "unit": r["unit"],
                        "target": _round(r["target"]),
                        "rag": r["rag"],
                    }
                    for r in part.iter_rows(named=True)
                },
            }
        )
    if len(docs) == 1:
        return json.dumps(docs[0], indent=2)
    return "\n".join(json.dumps(d) for d in docs)


def _flat(result: pl.DataFrame) -> list[dict[str, Any]]:
    return [
        {
            "scope": _scope_label(r["scope_kind"], r["scope"]),
            "measure": r["measure"],
            "title": CATALOGUE[r["measure"]].title,
            "value": _round(r["value"]),
            "numerator": _round(r["numerator"]),
            "denominator": _round(r["denominator"]),
            "unit": r["unit"],
            "target": _round(r["target"]),
            "rag": r["rag"] or "",
        }
        for r in result.iter_rows(named=True)
    ]


def as_csv(result: pl.DataFrame, **_: Any) -> str:
    rows = _flat(result)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]) if rows else ["measure"])
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def as_table(result: pl.DataFrame, **_: Any) -> str:
    rows = _flat(result)
    lines = [f"{'scope':<24} {'measure':<40} {'value':>9} {'num':>8} {'den':>8} {'target':>7} rag"]
    for r in rows:
        cells = [
            ("" if r[k] is None else str(r[k]))
            for k in ("value", "numerator", "denominator", "target")
        ]
        lines.append(
            f"{r['scope'][:24]:<24} {r['measure']:<40} {cells[0]:>9} {cells[1]:>8} "
            f"{cells[2]:>8} {cells[3]:>7} {r['rag']}"
        )
    return "\n".join(lines) + "\n"


Writer = Callable[..., str | bytes]
#: Output formats: name -> writer(result, as_at=..., period_start=...), or None = not built yet.
FORMATS: dict[str, Writer | None] = {
    "table": as_table,
    "json": as_json,
    "csv": as_csv,
    "xlsx": write_xlsx,
    "html": write_html,
    "pdf": write_pdf,
}


def _parse_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(BAD_DATE.format(value=value)) from exc


class Command(BaseCommand):
    help = "Every performance measure as at a date, for the council, each team or each worker."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as-at", required=True, help="As-at date, YYYY-MM-DD.")
        parser.add_argument(
            "--period",
            default="ytd",
            choices=engine.PERIODS,
            help="Period for counts of events (default: year to date).",
        )
        parser.add_argument("--by", choices=["team", "worker"], help="Also each team/worker.")
        parser.add_argument(
            "--from",
            dest="source",
            type=Path,
            action="append",
            help="A directory of CIN census and SSDA903 files (nothing "
            "imported); repeat it to pool several councils (a region).",
        )
        parser.add_argument("--format", default="table", choices=list(FORMATS))
        parser.add_argument("--population", type=int, help="Children aged 0-17, for rates.")
        parser.add_argument(
            "-o",
            "--output",
            type=Path,
            help="Write to this file (default: stdout; needed for xlsx, pdf).",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        writer = FORMATS[opts["format"]]
        if writer is None:
            self.stderr.write(NOT_YET_AVAILABLE.format(fmt=opts["format"]))
            sys.exit(EXIT_NOT_AVAILABLE)
        as_at = _parse_date(opts["as_at"])
        frames = self._frames(opts["source"], opts["population"])
        by = (opts["by"],) if opts["by"] else ()
        result = engine.compute(frames, as_at, period=opts["period"], by=by)
        extra = {"frames": frames} if opts["format"] in REPORT_FORMATS else {}
        data = writer(
            result, as_at=as_at, period_start=engine.period_start(as_at, opts["period"]), **extra
        )
        if isinstance(data, bytes):
            if not opts["output"]:
                raise CommandError(NEEDS_OUTPUT.format(fmt=opts["format"]))
            opts["output"].write_bytes(data)
        elif opts["output"]:
            opts["output"].write_text(data, encoding="utf-8")
        else:
            self.stdout.write(data.rstrip("\n"))

    def _frames(self, sources: list[Path] | None, population: int | None) -> JourneyFrames:
        if not sources:
            return from_record(population=population)
        for source in sources:
            if not source.is_dir():
                raise CommandError(NO_DIRECTORY.format(path=source))
        if len(sources) == 1:
            return from_dir(sources[0], population=population)
        return from_region(sources, population=population)
