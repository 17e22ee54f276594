"""The supervision tracker on a small hand-made team (working in comments)."""

from __future__ import annotations

from datetime import date

import pytest

from safeguard.journey.models import Child
from safeguard.quality import services, supervision
from safeguard.workforce.models import CaseSupervision, Team

from . import factories as f

AS_AT = date(2019, 6, 30)


def _sup(kid, on, supervisor):
    CaseSupervision.objects.create(child=kid, date=on, supervisor=supervisor)


@pytest.fixture
def team_a(db):
    manager = f.worker("Manager", role="TM")
    team = f.team("Team A", manager=manager)
    sw = f.worker("Worker One", team=team)
    kids = [f.child() for _ in range(7)]
    for kid in kids:
        f.allocate(kid, team, sw, date(2019, 4, 1))
    c1, c2, c3, c4, _c5, c6, c7 = kids
    f.cp_plan(c1, date(2019, 5, 1))
    _sup(c1, date(2019, 6, 10), manager)  # CP: 10 Jun + 28 days = 8 Jul > 7 Jul: in date
    f.cp_plan(c2, date(2019, 5, 1))  # CP, never supervised: 1 May + 28 = 29 May: overdue
    f.episode(c3, date(2019, 1, 1))
    _sup(c3, date(2019, 5, 20), manager)  # CLA: 20 May + 42 = 1 Jul <= 7 Jul: due soon
    f.cin_plan(c4, date(2019, 3, 1))
    _sup(c4, date(2019, 2, 1), manager)  # CIN: before the plan, so 1 Mar + 42 = 12 Apr: overdue
    # c5 has no plan: not tracked.
    f.cp_plan(c6, date(2019, 6, 20))
    _sup(c6, date(2019, 7, 2), manager)  # after the as-at date: ignored; 20 Jun + 28 = 18 Jul
    f.cp_plan(c7, date(2019, 1, 1), date(2019, 6, 1))
    f.episode(c7, date(2019, 6, 1))  # CP ended 1 Jun, looked after since: CLA, due 13 Jul
    return {"team": team, "kids": kids, "manager": manager, "sw": sw}


def test_case_supervision_rows(team_a):
    rows = supervision.case_supervision_frame(Child.objects.all(), AS_AT)
    got = {r["la_child_id"]: (r["category"], r["due"], r["status"]) for r in rows.to_dicts()}
    k = [c.la_child_id for c in team_a["kids"]]
    assert got == {
        k[0]: ("CP", date(2019, 7, 8), supervision.IN_DATE),
        k[1]: ("CP", date(2019, 5, 29), supervision.OVERDUE),
        k[2]: ("CLA", date(2019, 7, 1), supervision.DUE_SOON),
        k[3]: ("CIN", date(2019, 4, 12), supervision.OVERDUE),
        k[5]: ("CP", date(2019, 7, 18), supervision.IN_DATE),
        k[6]: ("CLA", date(2019, 7, 13), supervision.IN_DATE),
    }


def test_by_team_counts(team_a):
    rows = supervision.case_supervision_frame(Child.objects.all(), AS_AT)
    table = {r["category"]: r for r in supervision.by_team(rows).to_dicts()}
    # CP: children 1, 2, 6; one overdue -> 2 of 3 on time = 66.7%
    assert (table["CP"]["children"], table["CP"]["overdue"], table["CP"]["on_time_pct"]) == (
        3,
        1,
        66.7,
    )
    # CLA: children 3 (due soon) and 7 (in date): 100%
    assert (table["CLA"]["due_soon"], table["CLA"]["in_date"], table["CLA"]["on_time_pct"]) == (
        1,
        1,
        100.0,
    )
    assert (table["CIN"]["children"], table["CIN"]["on_time_pct"]) == (1, 0.0)


def test_recording_supervision_moves_the_tracker_and_sets_tasks(team_a):
    c2 = team_a["kids"][1]
    services.case_supervision_record(
        child=c2,
        date=date(2019, 6, 28),
        supervisor=team_a["manager"],
        decisions="Hold a core group before the review.",
        actions=[services.Action("Convene core group", date(2019, 7, 12))],
    )
    rows = supervision.case_supervision_frame(Child.objects.filter(pk=c2.pk), AS_AT)
    # 28 Jun + 28 days = 26 Jul: in date now
    assert rows.row(0, named=True)["due"] == date(2019, 7, 26)
    task = team_a["sw"].tasks.get()
    assert (task.origin, task.child, task.due_date) == ("SUPERVISION", c2, date(2019, 7, 12))
    assert task.case_supervision.worker == team_a["sw"]  # the allocated worker by default


def test_worker_supervision_due(team_a):
    sw = team_a["sw"]
    services.worker_supervision_record(
        worker=sw, supervisor=team_a["manager"], date=date(2019, 5, 31)
    )
    rows = supervision.worker_supervision_frame(Team.objects.all(), AS_AT)
    row = rows.filter(rows["worker_id"] == sw.pk).row(0, named=True)
    # 31 May + 28 days = 28 Jun < 30 Jun: overdue
    assert (row["due"], row["status"]) == (date(2019, 6, 28), supervision.OVERDUE)


def test_tracker_agrees_with_the_supervision_measures(team_a):
    """The page and the measures read one due-date function: same children on time, same total.
    Hand-worked from the fixture: CP 2 of 3 on time, CLA 2 of 2, CIN 0 of 1."""
    from safeguard.performance import engine
    from safeguard.performance.frames import from_record

    ids = {
        "CP": "supervision_cp_on_time_pct",
        "CLA": "supervision_cla_on_time_pct",
        "CIN": "supervision_cin_on_time_pct",
    }
    result = engine.compute(from_record(), AS_AT, measures=list(ids.values()))
    measured = {
        r["measure"]: (r["numerator"], r["denominator"])
        for r in result.filter(result["scope_kind"] == "council").to_dicts()
    }
    rows = supervision.case_supervision_frame(Child.objects.all(), AS_AT)
    for category, expected in (("CP", (2, 3)), ("CLA", (2, 2)), ("CIN", (0, 1))):
        mine = rows.filter(rows["category"] == category)
        assert (int(mine["on_time"].sum()), mine.height) == expected
        assert measured[ids[category]] == expected
