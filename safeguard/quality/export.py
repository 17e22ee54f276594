"""CSV export of a tracker or report frame, every cell escaped against formula injection."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from datetime import date, datetime

import polars as pl
from django.http import HttpResponse

from safeguard.returns.safety import escape_cell


def _cell(value: object) -> object:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return escape_cell(value)


def table(frame: pl.DataFrame, columns: Sequence[tuple[str, str]]) -> list[list[object]]:
    """The frame's rows as lists in column order (for templates and CSV)."""
    present = [c for c, _ in columns if c in frame.columns]
    return [list(r) for r in frame.select(present).iter_rows()] if frame.height else []


def csv_response(
    filename: str, frame: pl.DataFrame, columns: Sequence[tuple[str, str]]
) -> HttpResponse:
    """A CSV download with a header of column labels."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    writer = csv.writer(response)
    writer.writerow([label for c, label in columns if c in frame.columns])
    for row in table(frame, columns):
        writer.writerow([_cell(v) for v in row])
    return response
