"""Timescale declarations, their intervals (scalar and vectorised agree) and due dates."""

from __future__ import annotations

from datetime import date, datetime

import polars as pl
import pytest

from safeguard.calendar import add_months, add_working_days, bank_holidays
from safeguard.performance.frames import build
from safeguard.timescales import TIMESCALES, days, due, hours, local_standards, months, timescale
from safeguard.timescales import declarations as ts
from safeguard.timescales.intervals import working_days, working_days_elapsed_expr

D = date


def _vector(interval, starts: list) -> list:
    return pl.DataFrame({"s": starts}).select(interval.add_expr(pl.col("s")))["s"].to_list()


# Starts around every kind of boundary: bank holidays, weekends, month ends, leap day.
STARTS = [
    D(2019, 4, 18),
    D(2019, 4, 19),
    D(2019, 4, 20),
    D(2019, 5, 3),
    D(2019, 5, 24),
    D(2018, 12, 21),
    D(2019, 12, 24),
    D(2020, 1, 31),
    D(2019, 8, 31),
    D(2020, 2, 29),
    D(2019, 6, 30),
    D(2019, 1, 2),
]


@pytest.mark.parametrize(
    "interval",
    [
        working_days(1),
        working_days(15),
        working_days(20),
        working_days(45),
        months(3),
        months(6),
        days(28),
        ts.LAC_VISIT.then,
        ts.PROCEEDINGS.first,
    ],
)
def test_vectorised_due_dates_equal_the_scalar_ones(interval) -> None:
    assert _vector(interval, STARTS) == [interval.add(s) for s in STARTS]


def test_working_days_use_the_calendar_module() -> None:
    # Thu 18 April 2019 + 1 working day: Good Friday and Easter Monday are bank holidays.
    assert working_days(1).add(D(2019, 4, 18)) == D(2019, 4, 23)
    assert D(2019, 4, 19) in bank_holidays(2019, 2019)
    assert working_days(45).add(D(2019, 4, 1)) == add_working_days(D(2019, 4, 1), 45)


def test_months_clamp_to_the_month_end() -> None:
    assert months(1).add(D(2019, 1, 31)) == D(2019, 2, 28) == add_months(D(2019, 1, 31), 1)
    assert _vector(months(1), [D(2020, 1, 31)]) == [D(2020, 2, 29)]


def test_elapsed_working_days_matches_the_calendar_convention() -> None:
    # Same day = 0; Thu 18 Apr -> Tue 23 Apr 2019 = 1 (holidays and weekend skipped).
    df = pl.DataFrame(
        {
            "a": [D(2019, 4, 18), D(2019, 4, 18), D(2019, 4, 1)],
            "b": [D(2019, 4, 18), D(2019, 4, 23), D(2019, 6, 10)],
        }
    )
    got = df.select(working_days_elapsed_expr(pl.col("a"), pl.col("b")))["a"].to_list()
    assert got == [0, 1, 46]


def test_hours_from_a_time_of_return() -> None:
    back = datetime(2019, 5, 1, 10, 0)
    assert hours(72).add(back) == datetime(2019, 5, 4, 10, 0)


def test_each_timescale_declared_once_with_a_source() -> None:
    assert len(TIMESCALES) == 14
    for t in TIMESCALES.values():
        assert t.source and t.title and t.describe().startswith(t.title)


def test_recurring_timescales_intervals() -> None:
    # LAC review: 20 working days, then 3 months, then every 6 months.
    assert [str(ts.LAC_REVIEW.interval_after(k)) for k in range(4)] == [
        "20 working days",
        "3 months",
        "6 months",
        "6 months",
    ]
    assert ts.ASSESSMENT.interval_after(1) is None  # a one-off
    # CP review: 3 months from the plan's start, then 6 months from the last review.
    assert ts.CP_REVIEW.next_due(D(2019, 1, 15), []) == D(2019, 4, 15)
    assert ts.CP_REVIEW.next_due(D(2019, 1, 15), [D(2019, 4, 10)]) == D(2019, 10, 10)


def test_local_standards_from_defaults_settings_and_overrides(settings) -> None:
    settings.SAFEGUARD_LOCAL_STANDARDS = {"cp_visit_working_days": 15}
    assert local_standards()["cp_visit_working_days"] == 15
    assert local_standards()["cin_visit_days"] == 28  # default kept
    assert timescale("cp_visit").first == working_days(15)
    assert timescale("cp_visit", {"cp_visit_working_days": 5}).first == working_days(5)
    assert "local standard" in timescale("cp_visit").describe()


def test_national_timescales_ignore_local_settings(settings) -> None:
    settings.SAFEGUARD_LOCAL_STANDARDS = {"cp_visit_working_days": 15}
    assert timescale("assessment").first == working_days(45)


def test_due_dates_for_a_hand_made_journey() -> None:
    # As at Fri 28 June 2019.
    # R: referral Thu 27 June, undecided -> decision due Fri 28 June (not yet overdue).
    # A: assessment from 1 April, open -> due 7 June: overdue.
    # S: S47 from Thu 4 April, no ICPC -> due 29 April: overdue. T: S47 ended NFA: nothing.
    # P: CP plan from 15 Jan, review 15 April -> next review 15 Oct; last seen 20 June ->
    #    visit due 4 July; never supervised -> supervision due 12 Feb: overdue.
    # M: returned from missing 27 June 09:00, no interview -> due 30 June.
    # L: section 20 from Sat 1 June, no review -> S20 review due 29 June; LAC review due
    #    20 working days later (3-7, 10-14, 17-21, 24-28 June) on Fri 28 June, not yet
    #    overdue; visit due within a week, 8 June: overdue; supervision due 13 July.
    f = build(
        referrals=[{"child_id": "R", "referral_id": 1, "referral_date": D(2019, 6, 27)}],
        assessments=[{"child_id": "A", "referral_id": 2, "start": D(2019, 4, 1)}],
        s47=[
            {"child_id": "S", "s47_id": 1, "start": D(2019, 4, 4)},
            {"child_id": "T", "s47_id": 2, "start": D(2019, 4, 4), "icpc_not_required": True},
        ],
        cp_plans=[{"child_id": "P", "plan_id": 7, "start": D(2019, 1, 15)}],
        cp_reviews=[{"child_id": "P", "plan_id": 7, "date": D(2019, 4, 15)}],
        visits=[{"child_id": "P", "date": D(2019, 6, 20), "seen": True}],
        missing=[
            {
                "child_id": "M",
                "kind": "M",
                "start": D(2019, 6, 26),
                "end": D(2019, 6, 27),
                "returned": datetime(2019, 6, 27, 9),
            }
        ],
        episodes=[{"child_id": "L", "start": D(2019, 6, 1), "rne": "S", "ls": "V2", "place": "U6"}],
    )
    got = {
        (r["child_id"], r["kind"]): (r["due"], r["overdue"])
        for r in due.due_dates(f, D(2019, 6, 28)).iter_rows(named=True)
    }
    assert got == {
        ("R", "referral_decision"): (D(2019, 6, 28), False),
        ("A", "assessment"): (D(2019, 6, 7), True),
        ("S", "icpc"): (D(2019, 4, 29), True),
        ("P", "cp_review"): (D(2019, 10, 15), False),
        ("P", "cp_visit"): (D(2019, 7, 4), False),
        ("P", "cp_supervision"): (D(2019, 2, 12), True),
        ("M", "rhi"): (D(2019, 6, 30), False),
        ("L", "s20_review"): (D(2019, 6, 29), False),
        ("L", "lac_review"): (D(2019, 6, 28), False),
        ("L", "lac_visit"): (D(2019, 6, 8), True),
        ("L", "cla_supervision"): (D(2019, 7, 13), False),
    }
    nxt = due.next_due(f, D(2019, 6, 28))
    assert nxt.filter(pl.col("child_id") == "P")["kind"].to_list() == ["cp_supervision"]
    assert nxt["overdue"].to_list()[0] is True  # overdue first


@pytest.mark.django_db
def test_due_for_child_reads_the_record() -> None:
    from safeguard.journey import models as j

    child = j.Child.objects.create(la_child_id="X1", sex="1", date_of_birth=D(2015, 1, 1))
    ref = j.Referral.objects.create(child=child, referral_date=D(2019, 4, 1), referral_source="1A")
    j.Assessment.objects.create(referral=ref, child=child, start_date=D(2019, 4, 1))
    items = due.due_for_child("X1", D(2019, 6, 28))
    kinds = [(i.kind, i.due, i.overdue) for i in items]
    assert ("assessment", D(2019, 6, 7), True) in kinds
    # The referral was never marked decided: its decision (due 2 April) is overdue too.
    assert ("referral_decision", D(2019, 4, 2), True) in kinds


def test_worklist_for_a_team() -> None:
    # As at Fri 28 June 2019: A (team T1) has an open assessment from Mon 3 June, due on the
    # 45th working day after it, Mon 5 August (no bank holiday in June or July); B (team T2)
    # one from 1 April, overdue since 7 June. T1's list holds A's only; "due within 7 days"
    # leaves T1 nothing; worker 2's overdue list holds B.
    from safeguard.calendar import add_working_days as awd

    f = build(
        assessments=[
            {"child_id": "A", "referral_id": 1, "start": D(2019, 6, 3)},
            {"child_id": "B", "referral_id": 2, "start": D(2019, 4, 1)},
        ],
        allocations=[
            {"child_id": "A", "worker_id": "1", "team_id": "T1", "start": D(2019, 1, 1)},
            {"child_id": "B", "worker_id": "2", "team_id": "T2", "start": D(2019, 1, 1)},
        ],
    )
    t1 = due.worklist(f, D(2019, 6, 28), team="T1", kinds=["assessment"])
    assert awd(D(2019, 6, 3), 45) == D(2019, 8, 5)
    assert t1.select("child_id", "due", "team_id").rows() == [("A", D(2019, 8, 5), "T1")]
    assert due.worklist(f, D(2019, 6, 28), team="T1", due_within_days=7).height == 0
    overdue = due.worklist(f, D(2019, 6, 28), worker="2", due_within_days=0)
    assert overdue.select("child_id", "overdue").rows() == [("B", True)]
