"""The data book formats of `safeguard databook`: xlsx, html and pdf writers for its FORMATS.

`databook.py` calls ``writer(result, as_at=..., period_start=...)`` with the engine result for
the as-at date. The data book is a 13-month trend, so a writer needs the frames: it uses those
passed (``frames=``, when the command passes them), else the record's frames when they give the
same figures as ``result`` at the as-at date (the record was the source); otherwise (``--from``
a directory of returns) it writes the single date it was given. Binary formats return bytes;
when the command passes ``output=`` the writer writes the file itself and returns "".
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import polars as pl

from safeguard.performance import engine
from safeguard.performance.frames import JourneyFrames

from . import databook as db
from . import pdf, xlsx
from .common import month_label

STANDALONE_TEMPLATE = "performance/databook_standalone.html"


def period_of(as_at: date, period_start: date) -> str:
    """The period name whose start is ``period_start`` (year to date when several agree)."""
    for name in engine.PERIODS:
        if engine.period_start(as_at, name) == period_start:
            return name
    return "ytd"


def _same_figures(result: pl.DataFrame, frames: JourneyFrames, as_at: date, period: str) -> bool:
    """Whether ``frames`` give the council figures of ``result`` (rates aside: they depend on
    the population option)."""
    council = result.filter(pl.col("scope_kind") == engine.COUNCIL, pl.col("unit") != "per_10k")
    if council.is_empty():
        return False
    mine = engine.compute(frames, as_at, period=period, measures=council["measure"].to_list())
    joined = council.select("measure", "value").join(
        mine.select("measure", mine_value="value"), on="measure", how="left"
    )
    a, b = joined["value"].fill_null(-1.0), joined["mine_value"].fill_null(-1.0)
    return bool(((a - b).abs() < 1e-9).all())


def _record_frames(result: pl.DataFrame, as_at: date, period: str) -> JourneyFrames | None:
    from safeguard.performance.frames import from_record

    frames = from_record()
    return frames if _same_figures(result, frames, as_at, period) else None


def book_for(
    result: pl.DataFrame, *, as_at: date, period_start: date, frames: JourneyFrames | None = None
) -> db.DataBook:
    """The data book the command's options ask for (see the module docstring)."""
    period = period_of(as_at, period_start)
    if frames is None:
        frames = _record_frames(result, as_at, period)
    if frames is not None:
        return db.databook(frames, as_at, period=period)
    return db.from_result(result.filter(pl.col("scope_kind") != "worker"), period=period)


def _deliver(data: bytes, output: Path | str | None) -> bytes | str:
    if output is None:
        return data
    Path(output).write_bytes(data)
    return ""


def write_xlsx(
    result: pl.DataFrame,
    *,
    as_at: date,
    period_start: date,
    frames: JourneyFrames | None = None,
    output: Path | str | None = None,
    **_: Any,
) -> bytes | str:
    """The data book workbook: a sheet per area with native line charts."""
    book = book_for(result, as_at=as_at, period_start=period_start, frames=frames)
    return _deliver(xlsx.databook_xlsx(book), output)


def write_pdf(
    result: pl.DataFrame,
    *,
    as_at: date,
    period_start: date,
    frames: JourneyFrames | None = None,
    output: Path | str | None = None,
    **_: Any,
) -> bytes | str:
    """The data book as a landscape PDF."""
    book = book_for(result, as_at=as_at, period_start=period_start, frames=frames)
    return _deliver(pdf.databook_pdf(book), output)


def write_html(
    result: pl.DataFrame,
    *,
    as_at: date,
    period_start: date,
    frames: JourneyFrames | None = None,
    **_: Any,
) -> str:
    """The data book as one self-contained HTML file (inline SVG charts, no links out)."""
    from django.template.loader import render_to_string

    from .svg import line_chart

    book = book_for(result, as_at=as_at, period_start=period_start, frames=frames)
    labels = [month_label(book.dates[0]), month_label(book.dates[-1])] if book.dates else []
    scopes = ([("Council", "council")] if book.with_council else []) + [
        (t, "team") for t in book.teams
    ]
    sections = []
    for area in book.areas:
        blocks = []
        for name, kind in scopes:
            trends = area.council if kind == "council" else area.teams[name]
            blocks.append(
                {
                    "scope": name,
                    "rows": [
                        {
                            "trend": t,
                            "cells": [c for c, _ in t.cells()],
                            "chart": line_chart(
                                t.values,
                                labels,
                                alt=f"{t.measure.title}: trend",
                                target=t.measure.target,
                                width=200,
                                height=60,
                            ),
                        }
                        for t in trends
                    ],
                }
            )
        sections.append({"name": area.name, "blocks": blocks})
    months = [d.strftime("%b %y") for d in book.dates]
    return render_to_string(
        STANDALONE_TEMPLATE, {"book": book, "sections": sections, "months": months}
    )
