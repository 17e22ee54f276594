"""Child protection measures on hand-made journeys (answers worked by hand in comments).

As at Sunday 30 June 2019, year to date from 1 April 2019.
"""

from __future__ import annotations

from safeguard.calendar import add_working_days

from .helpers import d, figure, frames, ids


def _s47(child: str, start, icpc=None, to_plan=None) -> dict:
    return {
        "child_id": child,
        "s47_id": start.toordinal(),
        "start": start,
        "icpc_date": icpc,
        "icpc_to_plan": to_plan,
    }


S47S = [
    # Strategy discussion Thu 4 April: 15 working days (Easter in between) -> Mon 29 April.
    _s47("A", d(2019, 4, 4), d(2019, 4, 29), True),  # on day 15: on time, plan
    _s47("B", d(2019, 4, 4), d(2019, 4, 30), False),  # day 16: late, no plan
    _s47("C", d(2019, 5, 2), d(2019, 5, 1), True),  # ICPC before the S47: left out of timing
    _s47("D", d(2019, 3, 28), None),  # started last year, no ICPC
    _s47("E", d(2019, 6, 20), None),  # no ICPC yet
]


def test_s47_started_and_rate() -> None:
    # Started in the year: A, B, C, E = 4 (D was 28 March). 4 / 10,000 x 10,000 = 4.
    f = frames(s47=S47S)
    assert figure(f, "s47_started") == (4, 4, None)
    assert figure(f, "s47_rate_per_10k", population=10_000)[0] == 4.0


def test_icpc_within_15_working_days() -> None:
    assert add_working_days(d(2019, 4, 4), 15) == d(2019, 4, 29)
    f = frames(s47=S47S)
    assert figure(f, "icpc_held") == (3, 3, None)  # A, B, C
    assert figure(f, "icpc_15wd_pct") == (50.0, 1, 2)  # A of A, B (C excluded)
    assert figure(f, "icpc_to_plan_pct") == (66.7, 2, 3)  # A and C of A, B, C


def _plan(child: str, start, end=None, previous: int = 0, plan_id: int | None = None) -> dict:
    return {
        "child_id": child,
        "plan_id": plan_id or start.toordinal(),
        "start": start,
        "end": end,
        "previous_plans": previous,
    }


def test_cpp_open_and_rate_count_children() -> None:
    # A: two plans open (counted once); B ended 30 June; C starts 30 June (open) -> A, C.
    f = frames(
        cp_plans=[
            _plan("A", d(2019, 1, 1)),
            _plan("A", d(2019, 2, 1)),
            _plan("B", d(2019, 1, 1), d(2019, 6, 30)),
            _plan("C", d(2019, 6, 30)),
        ]
    )
    assert figure(f, "cpp_open") == (2, 2, None)
    assert figure(f, "cpp_rate_per_10k", population=20_000)[0] == 1.0


SECOND_PLANS = [
    _plan("A", d(2019, 5, 1), previous=1),  # the census says one previous plan
    _plan("B", d(2016, 1, 1), d(2016, 6, 1)),
    _plan("B", d(2019, 5, 1)),  # earlier plan, 2016
    _plan("C", d(2019, 5, 1)),  # first plan
    _plan("D", d(2015, 1, 1), d(2017, 5, 1)),
    _plan("D", d(2019, 5, 1)),  # ended exactly 24m
    _plan("E", d(2015, 1, 1), d(2017, 4, 30)),
    _plan("E", d(2019, 5, 1)),  # 24 months + 1 day
]


def test_second_plans_ever_and_within_two_years() -> None:
    # Started in the year: A, B, C, D, E = 5. Second or later: A (count), B, D, E = 4 -> 80%.
    # Previous plan ended within 24 months: D only (1 May 2017 is exactly 24 months) -> 20%.
    f = frames(cp_plans=SECOND_PLANS)
    assert figure(f, "cpp_started") == (5, 5, None)
    assert figure(f, "cpp_second_time") == (4, 4, None)
    assert figure(f, "cpp_second_time_pct") == (80.0, 4, 5)
    assert figure(f, "cpp_second_time_2y_pct") == (20.0, 1, 5)
    assert ids(f, "cpp_second_time_2y_pct") == ["D"]


def test_cpp_started_counts_a_child_once() -> None:
    f = frames(cp_plans=[_plan("A", d(2019, 4, 2), d(2019, 5, 1)), _plan("A", d(2019, 6, 1))])
    assert figure(f, "cpp_started") == (1, 1, None)


def test_plans_over_two_years() -> None:
    # Open at 30 June 2019: A since 30 June 2017 (exactly 2 years: counts), B since 1 July 2017.
    # Ended in the year: C lasted exactly 24 months (counts), D 12 months -> 1 of 2 = 50%.
    f = frames(
        cp_plans=[
            _plan("A", d(2017, 6, 30)),
            _plan("B", d(2017, 7, 1)),
            _plan("C", d(2017, 5, 1), d(2019, 5, 1)),
            _plan("D", d(2018, 5, 1), d(2019, 5, 1)),
        ]
    )
    assert figure(f, "cpp_over_2y_open") == (1, 1, None)
    assert ids(f, "cpp_over_2y_open") == ["A"]
    assert figure(f, "cpp_ended_over_2y_pct") == (50.0, 1, 2)


def test_cp_reviews_on_time() -> None:
    # Cohort: on a plan at 30 June that began on or before 30 March 2019 (3 months).
    # P1 from 15 Jan: first review due 15 Apr, held 15 Apr; next due 15 Oct -> on time.
    # P2 from 15 Jan: review 16 Apr -> late.
    # P3 from 30 Mar: first review due 30 June, none yet: due today, not overdue -> on time.
    # P4 from 1 Apr: under 3 months -> not in the cohort.
    # P5 from 1 Jun 2018: reviews 1 Sep 2018 (due 1 Sep), 20 Feb 2019 (due 1 Mar) -> on time.
    # P6 from 1 Jun 2018: review 15 Aug 2018, next due 15 Feb 2019, none -> overdue.
    # On time 3 (P1, P3, P5) of 5 -> 60%.
    plans = [
        _plan(c, s, plan_id=i)
        for i, (c, s) in enumerate(
            [
                ("P1", d(2019, 1, 15)),
                ("P2", d(2019, 1, 15)),
                ("P3", d(2019, 3, 30)),
                ("P4", d(2019, 4, 1)),
                ("P5", d(2018, 6, 1)),
                ("P6", d(2018, 6, 1)),
            ],
            start=1,
        )
    ]
    reviews = [
        {"child_id": c, "plan_id": p, "date": r}
        for c, p, r in [
            ("P1", 1, d(2019, 4, 15)),
            ("P2", 2, d(2019, 4, 16)),
            ("P5", 5, d(2018, 9, 1)),
            ("P5", 5, d(2019, 2, 20)),
            ("P6", 6, d(2018, 8, 15)),
        ]
    ]
    f = frames(cp_plans=plans, cp_reviews=reviews)
    assert figure(f, "cpp_reviews_on_time_pct") == (60.0, 3, 5)
    assert ids(f, "cpp_reviews_on_time_pct") == ["P1", "P3", "P5"]


def test_cp_reviews_with_plan_ids_unique_only_within_a_child() -> None:
    # From returns a plan's key is its start date, so two children's plans started the same
    # day share a plan_id. X (review held 15 Apr) is on time; Y (no review, due 15 Apr) is
    # not: X's review must not count for Y.  1 of 2.
    plans = [_plan(c, d(2019, 1, 15), plan_id=737074) for c in "XY"]
    reviews = [{"child_id": "X", "plan_id": 737074, "date": d(2019, 4, 15)}]
    f = frames(cp_plans=plans, cp_reviews=reviews)
    assert figure(f, "cpp_reviews_on_time_pct") == (50.0, 1, 2)
    assert ids(f, "cpp_reviews_on_time_pct") == ["X"]
