"""Reports on small hand-made journeys: the figures, trends, statements and files are right.

Working for each expected value is in the comments. No database: frames are built by hand.
"""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest

from safeguard.performance.frames import build
from safeguard.performance.measures import CATALOGUE
from safeguard.performance.reports import cli, common, pdf, scorecard, selfeval, weekly, xlsx
from safeguard.performance.reports import databook as db

AS_AT = date(2019, 6, 30)  # a Sunday; the 7-day window is Mon 24 - Sun 30 June


def _referrals():
    """A referred 10 May and 20 June 2019 (held by T1); B referred 3 June (held by T2)."""
    return build(
        referrals=[
            {"child_id": "A", "referral_id": 1, "referral_date": date(2019, 5, 10), "nfa": False},
            {"child_id": "B", "referral_id": 2, "referral_date": date(2019, 6, 3), "nfa": False},
            {"child_id": "A", "referral_id": 3, "referral_date": date(2019, 6, 20), "nfa": False},
        ],
        allocations=[
            {"child_id": "A", "worker_id": "1", "team_id": "T1", "start": date(2019, 1, 1)},
            {"child_id": "B", "worker_id": "2", "team_id": "T2", "start": date(2019, 1, 1)},
        ],
    )


# --- Shared pieces ---------------------------------------------------------------------------


def test_trend_dates_are_13_month_ends_to_the_as_at_date() -> None:
    dates = common.trend_dates(AS_AT)
    assert len(dates) == 13
    assert dates[0] == date(2018, 6, 30) and dates[-1] == AS_AT
    assert dates[7] == date(2019, 1, 31) and dates[8] == date(2019, 2, 28)
    mid = common.trend_dates(date(2019, 6, 15), 3)  # as-at mid-month ends the trend
    assert mid == [date(2019, 4, 30), date(2019, 5, 31), date(2019, 6, 15)]


def test_every_catalogue_measure_sits_in_exactly_one_area() -> None:
    placed = [m for _, ids in common.AREAS for m in ids]
    assert sorted(placed) == sorted(CATALOGUE)
    assert [name for name, _ in common.area_measures()][-1] != "Other"


def test_format_value() -> None:
    assert common.format_value(1288.0, "count") == "1,288"
    assert common.format_value(88.12, "percent") == "88.1%"
    assert common.format_value(None, "percent") == common.NOT_AVAILABLE


# --- Data book -------------------------------------------------------------------------------


def test_databook_trends_for_council_and_teams() -> None:
    book = db.databook(_referrals(), AS_AT)
    assert book.dates == common.trend_dates(AS_AT) and book.teams == ["T1", "T2"]
    front = next(a for a in book.areas if a.name == "Front door")
    refs = next(t for t in front.council if t.measure.id == "referrals")
    # Per month: May = R1 (1); June = R2 + R3 (2); earlier months none.
    assert refs.values[-2:] == [1.0, 2.0] and refs.values[0] == 0.0
    t1 = next(t for t in front.teams["T1"] if t.measure.id == "referrals")
    assert t1.values[-2:] == [1.0, 1.0]  # A's referrals: R1 in May, R3 in June
    rerefs = next(t for t in front.council if t.measure.id == "rereferrals_12m_pct")
    # June: R3 follows R1 (41 days before) -> 1 of 2 = 50%; May: R1 has none -> 0 of 1.
    assert rerefs.values[-2:] == [0.0, 50.0]
    assert rerefs.rag == "red"  # target 20, lower is better, amber to 23: 50 is red
    assert refs.refs[-1].query() == {"m": "referrals", "as_at": "2019-06-30", "period": "month"}


def test_databook_for_one_team_only() -> None:
    book = db.databook(_referrals(), AS_AT, teams=["T2"], with_council=False, months=2)
    front = next(a for a in book.areas if a.name == "Front door")
    assert front.council == [] and list(front.teams) == ["T2"]
    refs = next(t for t in front.teams["T2"] if t.measure.id == "referrals")
    assert refs.values == [0.0, 1.0]  # B's one referral, in June
    assert refs.refs[-1].team == "T2"


# --- Weekly activity -------------------------------------------------------------------------


def _week():
    d = date
    return build(
        contacts=[
            {"child_id": "A", "received": d(2019, 6, 24)},  # first day: in
            {"child_id": "B", "received": d(2019, 6, 23)},  # the day before: out
            {"child_id": "B", "received": d(2019, 6, 30)},
        ],  # as-at day: in
        referrals=[
            {"child_id": "A", "referral_id": 1, "referral_date": d(2019, 6, 25)},
            {"child_id": "B", "referral_id": 2, "referral_date": d(2019, 6, 20)},
        ],
        assessments=[
            {"child_id": "A", "referral_id": 1, "start": d(2019, 6, 25)},
            {
                "child_id": "B",
                "referral_id": 2,
                "start": d(2019, 5, 1),
                "authorised": d(2019, 6, 28),
            },
        ],
        s47=[
            {"child_id": "A", "s47_id": 1, "start": d(2019, 6, 24), "icpc_date": d(2019, 6, 28)},
            {"child_id": "B", "s47_id": 2, "start": d(2019, 6, 10), "icpc_date": d(2019, 6, 21)},
        ],
        cp_plans=[
            {"child_id": "A", "plan_id": 1, "start": d(2019, 6, 26)},
            {"child_id": "B", "plan_id": 2, "start": d(2018, 1, 1), "end": d(2019, 6, 27)},
        ],
        cin_plans=[
            {"child_id": "C", "start": d(2019, 6, 5)},  # visit due 3 July: due
            {"child_id": "D", "start": d(2019, 5, 1)},  # seen 20 May, due 17 June
            {"child_id": "E", "start": d(2019, 6, 29)},  # started; due 27 July
            {"child_id": "F", "start": d(2019, 1, 1), "end": d(2019, 6, 24)},
        ],  # ended
        visits=[{"child_id": "D", "date": d(2019, 5, 20), "seen": True}],
        episodes=[
            {
                "child_id": "G",
                "start": d(2019, 6, 27),
                "rne": "S",
                "ls": "C2",
                "place": "U1",
            },  # entered care; first visit due 4 July: due
            {
                "child_id": "H",
                "start": d(2018, 1, 1),
                "end": d(2019, 6, 28),
                "rne": "S",
                "ls": "C2",
                "place": "U1",
                "rec": "E11",
            },
        ],  # left care
        allocations=[{"child_id": "A", "worker_id": "1", "team_id": "T1", "start": d(2019, 1, 1)}],
    )


def test_weekly_counts() -> None:
    report = weekly.weekly(_week(), AS_AT)
    counts = {line.item.key: line.count for line in report.lines}
    assert report.start == date(2019, 6, 24)
    assert counts == {
        "contacts": 2,
        "referrals": 1,
        "assessments_started": 1,
        "assessments_completed": 1,
        "s47": 1,
        "icpcs": 1,
        "cp_plans_started": 1,
        "cp_plans_ended": 1,
        "cin_plans_started": 1,
        "cin_plans_ended": 1,
        "entered_care": 1,
        "left_care": 1,
        # Due 1-7 July: C (28 days after 5 June = 3 July) and G (1 week after 27 June = 4
        # July); A's CP visit is due 10 working days after 26 June = 10 July: not yet.
        "visits_due": 2,
        # D: seen 20 May, due 17 June, before the as-at date.
        "visits_overdue": 1,
    }
    assert weekly.children(_week(), "contacts", AS_AT) == ["A", "B"]


def test_weekly_for_a_team_counts_its_children_only() -> None:
    report = weekly.weekly(_week(), AS_AT, team="T1")  # T1 holds A only
    counts = {line.item.key: line.count for line in report.lines}
    assert counts["contacts"] == 1 and counts["s47"] == 1 and counts["cp_plans_started"] == 1
    assert counts["left_care"] == 0 and counts["visits_overdue"] == 0
    assert report.lines[0].ref.query()["m"] == "weekly:contacts"


# --- Scorecard -------------------------------------------------------------------------------


def test_scorecard_targets_comparators_and_rag() -> None:
    card = scorecard.scorecard(_referrals(), AS_AT, period="month")
    by_id = {s.measure.id: s for s in card.scores}
    assert "referrals" not in by_id  # no target, no sourced comparator
    assert "cpp_rate_per_10k" in by_id  # no target but an England figure
    reref = by_id["rereferrals_12m_pct"]
    assert reref.value == 50.0 and reref.target == 20 and reref.rag == "red"
    assert reref.england is not None and reref.england.value == 22.6
    assert reref.neighbours is None  # none sourced: shown as "not sourced", never zero
    # May (the month before): R1 had no earlier referral -> 0%; 0 -> 50 for a lower-is-better
    # measure is worse.
    assert reref.previous == 0.0 and reref.direction == "worse"
    assert reref.previous_ref is not None and reref.previous_ref.as_at == date(2019, 5, 31)
    assert card.period_start == date(2019, 6, 1)
    team = scorecard.scorecard(_referrals(), AS_AT, period="month", team="T2")
    t2 = {s.measure.id: s for s in team.scores}["rereferrals_12m_pct"]
    assert t2.value == 0.0 and t2.ref.team == "T2"  # B's referral had none before it


# --- Trend statements ------------------------------------------------------------------------

SEP18, DEC18, JUN18, JUN19 = date(2018, 9, 30), date(2018, 12, 31), date(2018, 6, 30), AS_AT


@pytest.mark.parametrize(
    ("points", "unit", "expected"),
    [
        (
            [(SEP18, 39.0), (DEC18, None), (JUN19, 90.0)],
            "percent",
            "Assessments rose from 39% in September 2018 to 90% in June 2019.",
        ),
        (
            [(JUN18, 200.0), (JUN19, 150.0)],
            "count",  # -25%: a clear fall
            "Assessments fell from 200 in June 2018 to 150 in June 2019.",
        ),
        (
            [(JUN18, 80.0), (JUN19, 83.0)],
            "percent",  # +3 points: slight
            "Assessments rose slightly from 80% in June 2018 to 83% in June 2019.",
        ),
        (
            [(JUN18, 100.0), (JUN19, 90.0)],
            "count",  # -10%: slight
            "Assessments fell slightly from 100 in June 2018 to 90 in June 2019.",
        ),
        (
            [(JUN18, 70.2), (JUN19, 70.8)],
            "percent",  # +0.6 points: flat
            "Assessments stayed at about 71% from June 2018 to June 2019.",
        ),
        (
            [(JUN18, 100.0), (JUN19, 104.0)],
            "count",  # +4%: flat
            "Assessments stayed at about 104 from June 2018 to June 2019.",
        ),
    ],
)
def test_trend_statement_wording(points, unit, expected) -> None:
    assert selfeval.trend_statement("Assessments", points, unit) == expected


def test_trend_statement_needs_two_values() -> None:
    text = selfeval.trend_statement("Assessments", [(JUN18, None), (JUN19, 50.0)], "percent")
    assert text == selfeval.NO_TREND.format(subject="Assessments")


def _assessments():
    d = date
    return build(
        assessments=[
            # September 2018: X late (2 July -> 28 Sept is over 45 working days), Y on time: 50%.
            {
                "child_id": "X",
                "referral_id": 1,
                "start": d(2018, 7, 2),
                "authorised": d(2018, 9, 28),
            },
            {
                "child_id": "Y",
                "referral_id": 2,
                "start": d(2018, 9, 3),
                "authorised": d(2018, 9, 10),
            },
            # June 2019: both within 3 weeks of their start: 100%.
            {
                "child_id": "Z",
                "referral_id": 3,
                "start": d(2019, 6, 3),
                "authorised": d(2019, 6, 20),
            },
            {
                "child_id": "W",
                "referral_id": 4,
                "start": d(2019, 6, 4),
                "authorised": d(2019, 6, 25),
            },
        ]
    )


def test_pack_figures_and_statement_come_from_the_record() -> None:
    pack = selfeval.pack(_assessments(), AS_AT, since=SEP18)
    figures = {f.measure.id: f for _, figs in pack.rows for f in figs}
    assert [h for h, _ in pack.rows][0] == "Early help" and len(figures) == 24
    assert figures["assessments_completed"].value == 2.0  # Z and W, year to date
    pct = figures["assessments_45wd_pct"]
    assert pct.value == 100.0 and pct.figure.seed_value == 91
    # Months October-May have no assessments (no value), so the statement runs Sept -> June.
    assert pct.statement == (
        "Assessments completed within 45 working days rose from 50% in "
        "September 2018 to 100% in June 2019."
    )


# --- Files -----------------------------------------------------------------------------------


def _charts(data: bytes) -> dict[str, int]:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    return {ws.title: len(ws._charts) for ws in wb.worksheets}


def test_databook_workbook_has_a_sheet_per_area_with_line_charts() -> None:
    book = db.databook(_referrals(), AS_AT, months=3)
    charts = _charts(xlsx.databook_xlsx(book))
    assert list(charts) == ["Contents", *[a.name for a in book.areas]]
    assert charts["Contents"] == 0
    for area in book.areas:  # one native chart per council measure
        assert charts[area.name] == len(area.council)
    wb = openpyxl.load_workbook(io.BytesIO(xlsx.databook_xlsx(book)))
    chart = wb["Front door"]._charts[0]
    assert type(chart).__name__ == "LineChart"
    refs_row = next(r for r in wb["Front door"].iter_rows(values_only=True) if r[0] == "Referrals")
    assert refs_row[3:6] == (0, 1, 2)  # April, May, June 2019


def test_other_workbooks_and_pdfs() -> None:
    card = scorecard.scorecard(_referrals(), AS_AT)
    rep = weekly.weekly(_week(), AS_AT)
    pack = selfeval.pack(_assessments(), AS_AT)
    assert _charts(xlsx.weekly_xlsx(rep)) == {"Weekly activity": 1}
    assert _charts(xlsx.scorecard_xlsx(card)) == {"Scorecard": 0}
    pack_charts = _charts(xlsx.pack_xlsx(pack))
    assert list(pack_charts) == ["Data pack", "Trends"] and pack_charts["Data pack"] > 0
    book = db.databook(_referrals(), AS_AT, months=2)
    for data in (
        pdf.databook_pdf(book),
        pdf.weekly_pdf(rep),
        pdf.scorecard_pdf(card),
        pdf.pack_pdf(pack),
    ):
        assert data.startswith(b"%PDF") and len(data) > 1000


def test_scorecard_workbook_says_not_sourced_never_blank_or_zero() -> None:
    # Re-referrals: England 22.6 (sourced), no statistical-neighbour figure -> "not sourced".
    # CP plans per 10,000: England 43.7. Re-referrals' row reads 22.6 then "not sourced".
    card = scorecard.scorecard(_referrals(), AS_AT)
    ws = openpyxl.load_workbook(io.BytesIO(xlsx.scorecard_xlsx(card)))["Scorecard"]
    rows = {r[1]: r for r in ws.iter_rows(min_row=4, values_only=True)}
    reref = rows[CATALOGUE["rereferrals_12m_pct"].title]
    assert reref[5] == 22.6 and reref[6] == "not sourced"
    for row in rows.values():
        assert row[6] == "not sourced"  # no neighbour figure anywhere
        assert row[5] is not None and row[5] != 0


def test_workbook_and_pdf_of_a_book_the_source_only_partly_covers() -> None:
    # Frames covering 1 May 2019 to 31 March 2020 (as if from returns), book of 3 month-ends
    # to 30 June 2019 per month: April is not covered (its month starts 1 April); May holds
    # A's referral of 10 May (1), June B's and A's (2).
    f = _referrals()
    f.covered = ((date(2019, 5, 1), date(2020, 3, 31)),)
    book = db.databook(f, AS_AT, months=3)
    assert book.not_covered == [date(2019, 4, 30)]
    assert "cover 01 May 2019 to 31 March 2020" in book.coverage_note
    assert '(shown as "not covered"): April 2019;' in book.coverage_note
    wb = openpyxl.load_workbook(io.BytesIO(xlsx.databook_xlsx(book)))
    assert wb["Contents"]["A3"].value == book.coverage_note
    row = next(r for r in wb["Front door"].iter_rows() if r[0].value == "Referrals")
    april, may, june = row[3:6]
    assert april.value is None and april.comment is not None  # blank, with a note
    assert (may.value, june.value) == (1, 2) and may.comment is None
    assert pdf.databook_pdf(book).startswith(b"%PDF")


def test_pdf_sparkline_draws_a_line_only_with_two_values() -> None:
    assert len(pdf.sparkline([1.0, None, 3.0]).contents) == 1
    assert pdf.sparkline([None, 2.0]).contents == []


# --- The databook command's writers ------------------------------------------------------------


def test_period_of() -> None:
    assert cli.period_of(AS_AT, date(2019, 6, 1)) == "month"
    assert cli.period_of(AS_AT, date(2018, 7, 1)) == "12m"
    assert cli.period_of(date(2019, 8, 31), date(2019, 4, 1)) == "ytd"
    assert cli.period_of(date(2019, 8, 31), date(2019, 7, 1)) == "quarter"


def test_writers_with_frames(tmp_path) -> None:
    from safeguard.performance import engine

    f = _referrals()
    result = engine.compute(f, AS_AT, period="month")
    out = tmp_path / "book.xlsx"
    assert (
        cli.write_xlsx(result, as_at=AS_AT, period_start=date(2019, 6, 1), frames=f, output=out)
        == ""
    )
    assert out.read_bytes().startswith(b"PK")


def test_single_date_book_from_a_result() -> None:
    from safeguard.performance import engine

    result = engine.compute(_referrals(), AS_AT, period="month", by=("team", "worker"))
    book = db.from_result(result.filter(result["scope_kind"] != "worker"), period="month")
    assert book.dates == [AS_AT] and book.teams == ["T1", "T2"]
    front = next(a for a in book.areas if a.name == "Front door")
    assert next(t for t in front.council if t.measure.id == "referrals").values == [2.0]
