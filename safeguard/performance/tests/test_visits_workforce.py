"""Visits, supervision, proceedings and workforce measures; team and worker scopes."""

from __future__ import annotations

from safeguard.calendar import add_working_days
from safeguard.performance import engine

from .helpers import d, figure, frames, ids

FRI = d(2019, 6, 28)  # a working day, so working-day due dates can fall on the as-at date


def _plan(child: str, start) -> dict:
    return {"child_id": child, "plan_id": start.toordinal() + ord(child[0]), "start": start}


def _visit(child: str, when, seen: bool = True) -> dict:
    return {"child_id": child, "date": when, "seen": seen}


def test_cp_visits_within_10_working_days() -> None:
    # A: last seen Fri 14 June -> next due Fri 28 June = the date: in timescale.
    # B: last seen Thu 13 June -> due Thu 27 June: late.
    # C: plan from 20 June, not yet visited -> due 4 July: in timescale.
    # D: a visit on 25 June where the child was not seen does not count; last seen 1 June ->
    #    due 14 June: late.   2 of 4.
    assert add_working_days(d(2019, 6, 14), 10) == FRI
    f = frames(
        cp_plans=[_plan(c, d(2019, 1, 1)) for c in "ABD"] + [_plan("C", d(2019, 6, 20))],
        visits=[
            _visit("A", d(2019, 6, 14)),
            _visit("B", d(2019, 6, 13)),
            _visit("D", d(2019, 6, 25), seen=False),
            _visit("D", d(2019, 6, 1)),
        ],
    )
    assert figure(f, "visits_cp_on_time_pct", as_at=FRI) == (50.0, 2, 4)
    assert ids(f, "visits_cp_on_time_pct", as_at=FRI) == ["A", "C"]


def test_cp_visit_due_date_skips_the_spring_bank_holiday() -> None:
    # Seen Mon 20 May: 10 working days, skipping 27 May -> due Tue 4 June.
    f = frames(cp_plans=[_plan("E", d(2019, 1, 1))], visits=[_visit("E", d(2019, 5, 20))])
    assert figure(f, "visits_cp_on_time_pct", as_at=d(2019, 6, 4))[0] == 100.0
    assert figure(f, "visits_cp_on_time_pct", as_at=d(2019, 6, 5))[0] == 0.0


def test_cin_visits_and_local_standard() -> None:
    # Default 28 days. A seen 2 June -> due 30 June (the date): ok. B seen 1 June -> due
    # 29 June: late. With a 42-day standard both are in timescale.
    f = frames(
        cin_plans=[{"child_id": c, "start": d(2019, 1, 1)} for c in "AB"],
        visits=[_visit("A", d(2019, 6, 2)), _visit("B", d(2019, 6, 1))],
    )
    assert figure(f, "visits_cin_on_time_pct") == (50.0, 1, 2)
    assert figure(f, "visits_cin_on_time_pct", standards={"cin_visit_days": 42})[0] == 100.0


def _ep(child: str, start, rne: str = "S", place: str = "U6") -> dict:
    return {
        "child_id": child,
        "start": start,
        "rne": rne,
        "ls": "C2",
        "place": place,
        "provider": "PR1",
    }


def test_looked_after_visits_regulation_28_simplified() -> None:
    # As at Fri 28 June 2019.
    # A: placed 20 June, not visited: due within a week, 27 June -> late.
    # B: placed 22 June, not visited: due 29 June -> ok.
    # C: long-term foster (U4) since 2017; last visit 1 April 2019 (after the first year):
    #    3 months -> 1 July: ok.
    # D: the same with a short-term placement (U6): 6 weeks -> 13 May: late.
    # E: U4 from 1 Jan 2019, visited 1 May (first year): 6 weeks -> 12 June: late.  2 of 5.
    f = frames(
        episodes=[
            _ep("A", d(2019, 6, 20)),
            _ep("B", d(2019, 6, 22)),
            _ep("C", d(2017, 1, 1), place="U4"),
            _ep("D", d(2017, 1, 1)),
            _ep("E", d(2019, 1, 1), place="U4"),
        ],
        visits=[_visit("C", d(2019, 4, 1)), _visit("D", d(2019, 4, 1)), _visit("E", d(2019, 5, 1))],
    )
    assert figure(f, "visits_cla_on_time_pct", as_at=FRI) == (40.0, 2, 5)
    assert ids(f, "visits_cla_on_time_pct", as_at=FRI) == ["B", "C"]


def test_a_visit_before_the_current_placement_does_not_count() -> None:
    # In care since 2018; new carer (RNE P) 25 June 2019; last visit 24 June: the new
    # placement's first visit was due 2 July -> still in timescale at 28 June; at 3 July late.
    f = frames(
        episodes=[
            {**_ep("A", d(2018, 1, 1)), "end": d(2019, 6, 25), "rec": "X1"},
            _ep("A", d(2019, 6, 25), rne="P"),
        ],
        visits=[_visit("A", d(2019, 6, 24))],
    )
    assert figure(f, "visits_cla_on_time_pct", as_at=FRI)[0] == 100.0
    assert figure(f, "visits_cla_on_time_pct", as_at=d(2019, 7, 3))[0] == 0.0


def test_case_supervision_by_local_standards() -> None:
    # CP 28 days: A supervised 2 June (due 30 June: ok), B on 1 June (due 29 June: late).
    # CLA 42 days: C (in care 2018) supervised 19 May (due 30 June: ok).
    # CIN 42 days: D (plan from 1 June, never supervised: due 13 July): ok.
    f = frames(
        cp_plans=[_plan("A", d(2019, 1, 1)), _plan("B", d(2019, 1, 1))],
        episodes=[_ep("C", d(2018, 1, 1))],
        cin_plans=[{"child_id": "D", "start": d(2019, 6, 1)}],
        supervisions=[
            {"child_id": c, "date": w}
            for c, w in [("A", d(2019, 6, 2)), ("B", d(2019, 6, 1)), ("C", d(2019, 5, 19))]
        ],
    )
    assert figure(f, "supervision_cp_on_time_pct") == (50.0, 1, 2)
    assert figure(f, "supervision_cla_on_time_pct") == (100.0, 1, 1)
    assert figure(f, "supervision_cin_on_time_pct") == (100.0, 1, 1)


def test_looked_after_supervision_boundaries() -> None:
    # Local standard 42 days, as at Sun 30 June 2019, counting from the last supervision or,
    # if none since, from entering care (latest RNE S):
    # A supervised 19 May: due 19 May + 42 = 30 June, today: not overdue -> in timescale.
    # B supervised 18 May: due 29 June -> late.
    # C entered care 19 May, never supervised: due 30 June -> in timescale.
    # D entered care 18 May, never supervised: due 29 June -> late.
    # E supervised 20 June, but in care since 25 June (a new period): the earlier
    #   supervision does not count; due 6 Aug -> in timescale.
    # F only on a short break (V3): not looked after, not in the denominator.
    # In timescale A, C, E: 3 of 5 = 60%.
    f = frames(
        episodes=[
            _ep("A", d(2018, 1, 1)),
            _ep("B", d(2018, 1, 1)),
            _ep("C", d(2019, 5, 19)),
            _ep("D", d(2019, 5, 18)),
            _ep("E", d(2019, 6, 25)),
            {**_ep("F", d(2018, 1, 1)), "ls": "V3"},
        ],
        supervisions=[
            {"child_id": c, "date": w}
            for c, w in [("A", d(2019, 5, 19)), ("B", d(2019, 5, 18)), ("E", d(2019, 6, 20))]
        ],
    )
    assert figure(f, "supervision_cla_on_time_pct") == (60.0, 3, 5)
    assert ids(f, "supervision_cla_on_time_pct") == ["A", "C", "E"]


def test_proceedings_within_26_weeks() -> None:
    # A: issued 1 Dec 2018, final order 1 June 2019 = 182 days (26 weeks): on time.
    # B: issued 30 Nov 2018, final order 1 June = 183 days: late. C: concluded last year.
    # Average (182 + 183) / 2 / 7 = 26.07 weeks.
    f = frames(
        proceedings=[
            {"child_id": "A", "issue_date": d(2018, 12, 1), "final_order_date": d(2019, 6, 1)},
            {"child_id": "B", "issue_date": d(2018, 11, 30), "final_order_date": d(2019, 6, 1)},
            {"child_id": "C", "issue_date": d(2018, 1, 1), "final_order_date": d(2018, 6, 1)},
        ]
    )
    assert figure(f, "proceedings_26wk_pct") == (50.0, 1, 2)
    value, total, n = figure(f, "proceedings_avg_weeks")
    assert (value, round(total, 4), n) == (26.1, round(365 / 7, 4), 2)


WORKERS = [
    {
        "worker_id": "1",
        "name": "Ann",
        "team_id": "T1",
        "role": "SW",
        "agency": False,
        "start": d(2018, 1, 1),
    },
    {
        "worker_id": "2",
        "name": "Bo",
        "team_id": "T1",
        "role": "SW",
        "agency": True,
        "start": d(2018, 1, 1),
    },
    {
        "worker_id": "3",
        "name": "Cy",
        "team_id": "T1",
        "role": "TM",
        "agency": False,
        "start": d(2018, 1, 1),
    },
    {
        "worker_id": "4",
        "name": "Di",
        "team_id": "T2",
        "role": "SW",
        "agency": False,
        "start": d(2018, 1, 1),
        "leave": d(2019, 6, 30),
    },  # left on the date: not in post
    {
        "worker_id": "5",
        "name": "Ed",
        "team_id": "T2",
        "role": "ASW",
        "agency": False,
        "start": d(2018, 1, 1),
    },
]


def _alloc(child: str, worker: str, team: str, start, end=None) -> dict:
    return {"child_id": child, "worker_id": worker, "team_id": team, "start": start, "end": end}


ALLOCATIONS = [
    _alloc("A", "1", "T1", d(2019, 1, 1)),
    _alloc("B", "1", "T1", d(2019, 1, 1)),
    _alloc("C", "1", "T1", d(2019, 1, 1)),
    _alloc("D", "2", "T1", d(2019, 1, 1)),
    _alloc("E", "3", "T1", d(2019, 1, 1)),  # held by the manager: not a social worker's case
    _alloc("F", "5", "T2", d(2019, 1, 1), d(2019, 6, 30)),  # transferred on the date
    _alloc("F", "1", "T1", d(2019, 6, 30)),
]


def test_caseload_and_agency_share() -> None:
    # Social workers in post at 30 June: Ann, Bo (agency), Ed (Di left on 30 June) = 3.
    # Cases held by them: Ann A, B, C, F; Bo D = 5 -> 5 / 3 = 1.7. Agency 1 of 3 = 33.3%.
    f = frames(workers=WORKERS, allocations=ALLOCATIONS)
    assert figure(f, "caseload_avg") == (1.7, 5, 3)
    assert figure(f, "workers_agency_pct") == (33.3, 1, 3)


def test_team_and_worker_scopes_use_the_allocation_at_the_date() -> None:
    # F moved from T2 to T1 on 30 June, so F's CP plan counts to T1 and Ann; Ed in T2 holds
    # nothing. Contacts of G (never allocated) count only for the council.
    f = frames(
        workers=WORKERS,
        allocations=ALLOCATIONS,
        cp_plans=[_plan(c, d(2019, 1, 1)) for c in "ADF"],
        contacts=[{"child_id": "G", "received": d(2019, 5, 1)}],
    )
    res = engine.compute(
        f,
        d(2019, 6, 30),
        by=("team", "worker"),
        measures=["cpp_open", "caseload_avg", "contacts", "cpp_rate_per_10k"],
    )
    got = {
        (r["measure"], r["scope_kind"], r["scope"]): r["value"] for r in res.iter_rows(named=True)
    }
    assert got[("cpp_open", "council", "council")] == 3
    assert got[("cpp_open", "team", "T1")] == 3
    assert got[("cpp_open", "team", "T2")] == 0
    assert got[("cpp_open", "worker", "1")] == 2  # A and F
    assert got[("cpp_open", "worker", "2")] == 1  # D
    assert got[("caseload_avg", "team", "T1")] == 2.5  # 5 cases / Ann and Bo
    assert got[("caseload_avg", "team", "T2")] == 0.0  # Ed holds none now
    assert got[("contacts", "council", "council")] == 1
    assert got[("contacts", "team", "T1")] == 0
    assert got[("cpp_rate_per_10k", "team", "T1")] is None  # rates only for the council
    drill = engine.drill(f, "cpp_open", d(2019, 6, 30), scope=("worker", "1"))
    assert sorted(drill.numerator["child_id"].to_list()) == ["A", "F"]
