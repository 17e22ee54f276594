"""The reports as Excel workbooks (XlsxWriter), with native Excel line charts for trends.

Every workbook holds figures only (no child's details), so a download is not a read of any
child's record. Missing figures are left blank, never written as zero.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import xlsxwriter

from .common import month_label
from .databook import DataBook, Trend
from .scorecard import NOT_SOURCED, Scorecard
from .selfeval import Pack
from .weekly import Weekly

NOT_COVERED_NOTE = "Not covered: the returns read do not cover this figure's period."

RAG_COLOURS = {"green": "#cce2d8", "amber": "#fff7bf", "red": "#f4cdc6"}
CHART_W, CHART_H = 480, 240
CHARTS_PER_ROW = 2


class _Book:
    """A workbook in memory with the few formats the reports use."""

    def __init__(self) -> None:
        self.buffer = io.BytesIO()
        self.wb = xlsxwriter.Workbook(
            self.buffer, {"in_memory": True, "strings_to_formulas": False}
        )
        self.title = self.wb.add_format({"bold": True, "font_size": 14})
        self.head = self.wb.add_format({"bold": True, "bottom": 1, "text_wrap": True})
        self.bold = self.wb.add_format({"bold": True})
        self.num = self.wb.add_format({"num_format": "#,##0.0"})
        self.count = self.wb.add_format({"num_format": "#,##0"})
        self.rag = {k: self.wb.add_format({"bg_color": c}) for k, c in RAG_COLOURS.items()}

    def close(self) -> bytes:
        self.wb.close()
        return self.buffer.getvalue()

    def value(self, ws: Any, row: int, col: int, value: float | None, unit: str) -> None:
        if value is None:
            ws.write_blank(row, col, None)
        else:
            ws.write_number(row, col, value, self.count if unit == "count" else self.num)


def _sheet_name(name: str, used: set[str]) -> str:
    base = "".join(ch for ch in name if ch not in "[]:*?/\\")[:31]
    out, n = base, 2
    while out in used:
        out, n = f"{base[:28]} {n}", n + 1
    used.add(out)
    return out


def _trend_rows(b: _Book, ws: Any, row: int, trends: Sequence[Trend]) -> list[int]:
    rows = []
    for t in trends:
        m = t.measure
        ws.write(row, 0, m.title)
        ws.write(row, 1, m.unit)
        b.value(ws, row, 2, m.target, m.unit)
        covered = t.covered or [True] * len(t.values)
        for i, (v, ok) in enumerate(zip(t.values, covered, strict=True)):
            b.value(ws, row, 3 + i, v, m.unit)
            if not ok:  # left blank so the chart shows a gap, and said so in a note
                ws.write_comment(row, 3 + i, NOT_COVERED_NOTE)
        ws.write(row, 3 + len(t.values), t.rag or "", b.rag.get(t.rag or "", None))
        rows.append(row)
        row += 1
    return rows


def _chart(b: _Book, ws: Any, sheet: str, t: Trend, row: int, n: int) -> Any:
    chart = b.wb.add_chart({"type": "line"})
    chart.add_series(
        {
            "name": t.measure.title,
            "categories": [sheet, 0, 3, 0, 2 + n],
            "values": [sheet, row, 3, row, 2 + n],
            "marker": {"type": "circle", "size": 4},
        }
    )
    chart.set_title({"name": t.measure.title, "name_font": {"size": 10}})
    chart.set_legend({"none": True})
    chart.set_size({"width": CHART_W, "height": CHART_H})
    return chart


def databook_xlsx(book: DataBook) -> bytes:
    """A contents sheet, then one sheet per area: the council's 13-month trends (each with a
    native line chart) and each team's."""
    b, used = _Book(), {"Contents"}
    contents = b.wb.add_worksheet("Contents")
    contents.write(0, 0, f"Data book as at {book.as_at:%d %B %Y}", b.title)
    contents.write(1, 0, f"Flows counted per {book.period}; {len(book.dates)} dates.")
    if book.coverage_note:
        contents.write(2, 0, book.coverage_note)
    headers = ["Measure", "Unit", "Target", *[month_label(d) for d in book.dates], "RAG"]
    for i, area in enumerate(book.areas):
        name = _sheet_name(area.name, used)
        contents.write_url(3 + i, 0, f"internal:'{name}'!A1", string=area.name)
        ws = b.wb.add_worksheet(name)
        ws.write_row(0, 0, headers, b.head)
        ws.set_column(0, 0, 48)
        ws.set_column(3, 2 + len(book.dates), 11)
        row = 1
        if book.with_council:
            ws.write(row, 0, "Council", b.bold)
            council_rows = _trend_rows(b, ws, row + 1, area.council)
            row = council_rows[-1] + 2 if council_rows else row + 2
        else:
            council_rows = []
        for team, trends in area.teams.items():
            ws.write(row, 0, team, b.bold)
            team_rows = _trend_rows(b, ws, row + 1, trends)
            row = (team_rows[-1] if team_rows else row) + 2
            if not council_rows:  # a team-only book charts its (first) team
                council_rows = team_rows
        charted = (
            area.council if book.with_council else (area.teams[book.teams[0]] if book.teams else [])
        )
        for k, (t, r) in enumerate(zip(charted, council_rows, strict=False)):
            anchor_row = row + 1 + (k // CHARTS_PER_ROW) * 13
            anchor_col = (k % CHARTS_PER_ROW) * 8
            ws.insert_chart(anchor_row, anchor_col, _chart(b, ws, name, t, r, len(book.dates)))
    return b.close()


def weekly_xlsx(report: Weekly) -> bytes:
    """One sheet: each line's count for the 7 days, and a bar chart of them."""
    b = _Book()
    ws = b.wb.add_worksheet("Weekly activity")
    scope = report.team or "Council"
    ws.write(
        0, 0, f"Weekly activity, {report.start:%d %B} to {report.as_at:%d %B %Y} ({scope})", b.title
    )
    ws.write_row(2, 0, ["Area", "Activity", "Count"], b.head)
    ws.set_column(0, 1, 40)
    for i, line in enumerate(report.lines):
        ws.write_row(3 + i, 0, [line.item.group, line.item.label])
        ws.write_number(3 + i, 2, line.count, b.count)
    chart = b.wb.add_chart({"type": "bar"})
    last = 2 + len(report.lines)
    chart.add_series(
        {
            "name": "Count",
            "categories": ["Weekly activity", 3, 1, last, 1],
            "values": ["Weekly activity", 3, 2, last, 2],
        }
    )
    chart.set_legend({"none": True})
    chart.set_size({"width": 560, "height": 420})
    ws.insert_chart(2, 4, chart)
    return b.close()


def scorecard_xlsx(card: Scorecard) -> bytes:
    """One sheet: value, target, RAG (coloured) and comparators with their sources."""
    b = _Book()
    ws = b.wb.add_worksheet("Scorecard")
    ws.write(
        0,
        0,
        f"Scorecard as at {card.as_at:%d %B %Y} ({card.team or 'Council'}; "
        f"period from {card.period_start:%d %B %Y})",
        b.title,
    )
    ws.write_row(
        2,
        0,
        [
            "Area",
            "Measure",
            "Value",
            "Target",
            "RAG",
            "England",
            "Statistical neighbours",
            "Comparator source",
        ],
        b.head,
    )
    ws.set_column(0, 0, 22)
    ws.set_column(1, 1, 48)
    ws.set_column(7, 7, 60)
    for i, s in enumerate(card.scores):
        r, unit = 3 + i, s.measure.unit
        ws.write_row(r, 0, [s.area, s.measure.title])
        b.value(ws, r, 2, s.value, unit)
        b.value(ws, r, 3, s.target, unit)
        ws.write(r, 4, s.rag or "", b.rag.get(s.rag or "", None))
        for col, comp in ((5, s.england), (6, s.neighbours)):
            if comp is None:
                ws.write(r, col, NOT_SOURCED)
            else:
                b.value(ws, r, col, comp.value, unit)
        sources = [c.source for c in (s.england, s.neighbours) if c]
        ws.write(r, 7, "; ".join(sources))
    return b.close()


def pack_xlsx(pack: Pack) -> bytes:
    """The seed table's figures (computed beside the seed's own) and the trend statements, with
    a line chart of each percentage's trend."""
    b = _Book()
    ws = b.wb.add_worksheet("Data pack")
    ws.write(0, 0, f"Self-evaluation data as at {pack.as_at:%d %B %Y}", b.title)
    ws.write_row(2, 0, ["Area", "Figure", "From the record", "Seed council", "Trend"], b.head)
    ws.set_column(0, 0, 22)
    ws.set_column(1, 1, 48)
    ws.set_column(4, 4, 90)
    trend_ws = b.wb.add_worksheet("Trends")
    row, trow = 3, 1
    charts = 0
    for heading, figures in pack.rows:
        for fig in figures:
            unit = fig.measure.unit
            ws.write_row(row, 0, [heading, fig.figure.label])
            b.value(ws, row, 2, fig.value, unit)
            b.value(ws, row, 3, fig.figure.seed_value, unit)
            ws.write(row, 4, fig.statement)
            if fig.trend:
                trend_ws.write(trow - 1, 0, fig.measure.title, b.bold)
                trend_ws.write_row(trow - 1, 1, [month_label(d) for d, _ in fig.trend])
                trend_ws.write(trow, 0, "Value")
                for i, (_, v) in enumerate(fig.trend):
                    b.value(trend_ws, trow, 1 + i, v, unit)
                if unit == "percent":
                    chart = b.wb.add_chart({"type": "line"})
                    chart.add_series(
                        {
                            "name": fig.measure.title,
                            "categories": ["Trends", trow - 1, 1, trow - 1, len(fig.trend)],
                            "values": ["Trends", trow, 1, trow, len(fig.trend)],
                        }
                    )
                    chart.set_legend({"none": True})
                    chart.set_title({"name": fig.measure.title, "name_font": {"size": 10}})
                    ws.insert_chart(40 + (charts // 2) * 16, (charts % 2) * 3 + 1, chart)
                    charts += 1
                trow += 3
            row += 1
    return b.close()
