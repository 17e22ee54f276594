"""The reports as PDF (reportlab, pure Python): tables for printing and circulating.

Like the workbooks, the PDFs hold figures only, no child's details.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from reportlab.graphics.shapes import Drawing, PolyLine
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from safeguard.performance import national

from .common import format_value
from .databook import DataBook, Trend
from .scorecard import NOT_SOURCED, Scorecard
from .selfeval import Pack
from .weekly import Weekly

RAG_COLOURS = {
    "green": colors.HexColor("#cce2d8"),
    "amber": colors.HexColor("#fff7bf"),
    "red": colors.HexColor("#f4cdc6"),
}
_STYLES = getSampleStyleSheet()
_SMALL = _STYLES["BodyText"].clone("small", fontSize=7, leading=8)


def _doc(story: list[Any], *, wide: bool = False, title: str = "") -> bytes:
    buffer = io.BytesIO()
    size = landscape(A4) if wide else A4
    doc = SimpleDocTemplate(
        buffer,
        pagesize=size,
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=12 * mm,
        bottomMargin=12 * mm,
        title=title,
        author="Safeguard",
    )
    doc.build(story)
    return buffer.getvalue()


def _table(
    rows: Sequence[Sequence[Any]],
    widths: Sequence[float] | None = None,
    rags: Sequence[tuple[int, int, str | None]] = (),
) -> Table:
    table = Table([list(r) for r in rows], colWidths=widths, repeatRows=1)
    style = [
        ("FONTSIZE", (0, 0), (-1, -1), 7),
        ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
        ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
        ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    for col, row, rag in rags:
        if rag in RAG_COLOURS:
            style.append(("BACKGROUND", (col, row), (col, row), RAG_COLOURS[rag]))
    table.setStyle(TableStyle(style))
    return table


def _p(text: str) -> Paragraph:
    return Paragraph(text.replace("&", "&amp;").replace("<", "&lt;"), _SMALL)


SPARK_W, SPARK_H = 22 * mm, 7 * mm


def sparkline(values: Sequence[float | None]) -> Drawing:
    """A small line of a trend for a table cell (missing values skipped), scaled from zero."""
    drawing = Drawing(SPARK_W, SPARK_H)
    known = [(i, v) for i, v in enumerate(values) if v is not None]
    if len(known) < 2:
        return drawing
    top = max(max(v for _, v in known), 0.0) or 1.0
    low = min(min(v for _, v in known), 0.0)
    step = SPARK_W / max(len(values) - 1, 1)
    points: list[float] = []
    for i, v in known:
        points += [i * step, (v - low) / (top - low) * (SPARK_H - 1) + 0.5]
    drawing.add(PolyLine(points, strokeColor=colors.HexColor("#1d70b8"), strokeWidth=1))
    return drawing


def _trend_table(book: DataBook, trends: Sequence[Trend]) -> Table:
    head = ["Measure", "Trend", *[d.strftime("%b %y") for d in book.dates], "RAG"]
    rows: list[list[Any]] = [head]
    rags = []
    for i, t in enumerate(trends, start=1):
        rows.append(
            [
                _p(t.measure.title),
                sparkline(t.values),
                *t.texts(),
                t.rag or "",
            ]
        )
        rags.append((len(head) - 1, i, t.rag))
    widths = [55 * mm, SPARK_W + 2 * mm, *[13 * mm] * len(book.dates), 12 * mm]
    return _table(rows, widths, rags)


def databook_pdf(book: DataBook) -> bytes:
    """Landscape: per area, the council's trend table, then each team's."""
    h1, h2, h3 = _STYLES["Title"], _STYLES["Heading2"], _STYLES["Heading4"]
    story: list[Any] = [
        Paragraph(f"Data book as at {book.as_at:%d %B %Y}", h1),
        Paragraph(f"Flows counted per {book.period}.", _STYLES["BodyText"]),
    ]
    if book.coverage_note:
        story.append(Paragraph(book.coverage_note, _STYLES["BodyText"]))
    for area in book.areas:
        story.append(Paragraph(area.name, h2))
        if book.with_council:
            story += [Paragraph("Council", h3), _trend_table(book, area.council)]
        for team, trends in area.teams.items():
            story += [Paragraph(team, h3), _trend_table(book, trends), Spacer(1, 3 * mm)]
        story.append(PageBreak())
    return _doc(story, wide=True, title="Data book")


def weekly_pdf(report: Weekly) -> bytes:
    rows = [["Area", "Activity", "Count"]] + [
        [line.item.group, line.item.label, f"{line.count:,}"] for line in report.lines
    ]
    story = [
        Paragraph(
            f"Weekly activity, {report.start:%d %B} to {report.as_at:%d %B %Y}", _STYLES["Title"]
        ),
        Paragraph(report.team or "Council", _STYLES["Heading3"]),
        _table(rows, [45 * mm, 90 * mm, 20 * mm]),
    ]
    return _doc(story, title="Weekly activity")


def scorecard_pdf(card: Scorecard) -> bytes:
    rows: list[list[Any]] = [
        ["Area", "Measure", "Value", "Target", "RAG", "England", "Stat. neighbours"]
    ]
    rags = []
    for i, s in enumerate(card.scores, start=1):
        unit = s.measure.unit
        rows.append(
            [
                s.area,
                _p(s.measure.title),
                format_value(s.value, unit),
                format_value(s.target, unit) if s.target is not None else "",
                s.rag or "",
                format_value(s.england.value, unit) if s.england else NOT_SOURCED,
                format_value(s.neighbours.value, unit) if s.neighbours else NOT_SOURCED,
            ]
        )
        rags.append((4, i, s.rag))
    sources = sorted({c.source for s in card.scores for c in (s.england, s.neighbours) if c})
    story: list[Any] = [
        Paragraph(f"Scorecard as at {card.as_at:%d %B %Y}", _STYLES["Title"]),
        Paragraph(
            f"{card.team or 'Council'}; period from {card.period_start:%d %B %Y}",
            _STYLES["Heading3"],
        ),
        _table(rows, [30 * mm, 62 * mm, 18 * mm, 16 * mm, 14 * mm, 16 * mm, 20 * mm], rags),
        Spacer(1, 4 * mm),
        Paragraph("Comparator sources", _STYLES["Heading4"]),
        *[_p(s) for s in sources],
        _p(f"{NOT_SOURCED.capitalize()}: {national.NOT_SOURCED_WHY[national.STAT_NEIGHBOURS]}"),
    ]
    return _doc(story, title="Scorecard")


def pack_pdf(pack: Pack) -> bytes:
    rows: list[list[Any]] = [["Area", "Figure", "From the record", "Seed council"]]
    for heading, figures in pack.rows:
        for fig in figures:
            unit = fig.measure.unit
            rows.append(
                [
                    heading,
                    _p(fig.figure.label),
                    format_value(fig.value, unit),
                    format_value(fig.figure.seed_value, unit),
                ]
            )
    statements = [_p(f.statement) for _, figs in pack.rows for f in figs]
    story: list[Any] = [
        Paragraph(f"Data up to {pack.as_at:%d %B %Y}", _STYLES["Title"]),
        _table(rows, [38 * mm, 80 * mm, 28 * mm, 28 * mm]),
        Spacer(1, 5 * mm),
        Paragraph("What the trends say", _STYLES["Heading3"]),
        *statements,
    ]
    return _doc(story, title="Self-evaluation data pack")
