"""The engine: periods, RAG, not-available measures, the grid, and the catalogue's shape."""

from __future__ import annotations

import pytest

from safeguard.performance import engine
from safeguard.performance.frames import build
from safeguard.performance.measures import CATALOGUE

from .helpers import d, figure, frames

ISSUE_5_IDS = """early_help_open contacts contacts_nfa_pct referrals referral_decision_1wd_pct
rereferrals_12m_pct referrals_nfa_pct referral_rate_per_10k assessments_completed
assessments_45wd_pct assessments_open_over_45wd cin_plans_open s47_started s47_rate_per_10k
icpc_held icpc_15wd_pct icpc_to_plan_pct cpp_open cpp_rate_per_10k cpp_started cpp_second_time
cpp_second_time_pct cpp_second_time_2y_pct cpp_over_2y_open cpp_ended_over_2y_pct
cpp_reviews_on_time_pct cla_open cla_rate_per_10k cla_started cla_ended cla_s20_open
cla_3plus_placements cla_3plus_placements_pct cla_long_term_stability
cla_long_term_stability_pct cla_in_house_foster_pct cla_reviews_on_time_pct
cla_missing_children rhi_72h_pct care_leavers_in_touch_pct
care_leavers_suitable_accommodation_pct care_leavers_eet_pct placement_orders adoptions
adoption_a1_days adoption_a2_days proceedings_26wk_pct proceedings_avg_weeks
visits_cp_on_time_pct visits_cla_on_time_pct visits_cin_on_time_pct
supervision_cp_on_time_pct supervision_cla_on_time_pct supervision_cin_on_time_pct
caseload_avg workers_agency_pct""".split()


def test_catalogue_has_every_issue_5_id_declared_once_with_words() -> None:
    assert sorted(CATALOGUE) == sorted(ISSUE_5_IDS)
    for m in CATALOGUE.values():
        assert m.title and m.definition and m.source, m.id
        assert (m.unit in ("percent", "ratio")) == (
            m.denominator is not None and m.unit != "count"
        ), m.id
        assert (m.target is None) or m.polarity in ("higher", "lower"), m.id


@pytest.mark.parametrize(
    ("period", "start"),
    [
        ("ytd", d(2019, 4, 1)),
        ("quarter", d(2019, 4, 1)),
        ("month", d(2019, 6, 1)),
        ("12m", d(2018, 7, 1)),
    ],
)
def test_period_starts_at_30_june_2019(period: str, start) -> None:
    assert engine.period_start(d(2019, 6, 30), period) == start


def test_period_starts_in_the_first_quarter_of_a_calendar_year() -> None:
    # 15 Feb 2019: year to date from 1 April 2018; quarter January-March; 12 months from
    # 16 Feb 2018.
    assert engine.period_start(d(2019, 2, 15), "ytd") == d(2018, 4, 1)
    assert engine.period_start(d(2019, 2, 15), "quarter") == d(2019, 1, 1)
    assert engine.period_start(d(2019, 2, 15), "12m") == d(2018, 2, 16)
    with pytest.raises(ValueError, match="Unknown period"):
        engine.period_start(d(2019, 2, 15), "week")


def _assessments(on_time: int, late: int) -> list[dict]:
    rows = [
        {"child_id": f"A{i}", "referral_id": i, "start": d(2019, 4, 1), "authorised": d(2019, 6, 7)}
        for i in range(on_time)
    ]
    rows += [
        {
            "child_id": f"B{i}",
            "referral_id": i,
            "start": d(2019, 4, 1),
            "authorised": d(2019, 6, 10),
        }
        for i in range(late)
    ]
    return rows


@pytest.mark.parametrize(
    ("on_time", "late", "rag"),
    [
        (85, 15, "green"),  # 85% = target (85, higher is better)
        (80, 20, "amber"),  # 80% = target - tolerance (5): amber
        (79, 21, "red"),
    ],
)
def test_rag_against_target_and_tolerance(on_time: int, late: int, rag: str) -> None:
    res = engine.compute(
        frames(assessments=_assessments(on_time, late)),
        d(2019, 6, 30),
        measures=["assessments_45wd_pct"],
    )
    assert res["rag"].to_list() == [rag]


def test_rag_for_lower_is_better() -> None:
    # Re-referrals: target 20%, tolerance 3. 1 of 4 = 25% -> red; none -> green.
    refs = [{"child_id": "A", "referral_id": 1, "referral_date": d(2019, 1, 1)}] + [
        {"child_id": c, "referral_id": 2, "referral_date": d(2019, 5, 1)} for c in "ABCD"
    ]
    res = engine.compute(frames(referrals=refs), d(2019, 6, 30), measures=["rereferrals_12m_pct"])
    assert res["rag"].to_list() == ["red"]


def test_no_denominator_gives_no_value_not_zero() -> None:
    assert figure(frames(), "assessments_45wd_pct") == (None, 0, 0)


def test_measures_the_returns_cannot_provide_are_not_available() -> None:
    f = build("returns", visits=[{"child_id": "A", "date": d(2019, 6, 1), "seen": True}])
    res = engine.compute(f, d(2019, 6, 30))
    by_id = {r["measure"]: r for r in res.iter_rows(named=True)}
    for mid in (
        "visits_cp_on_time_pct",
        "contacts",
        "early_help_open",
        "rhi_72h_pct",
        "referral_decision_1wd_pct",
        "caseload_avg",
        "proceedings_avg_weeks",
    ):
        assert by_id[mid]["value"] is None and by_id[mid]["numerator"] is None, mid
    assert by_id["referrals"]["value"] == 0  # available, genuinely none


def test_grid_of_thirteen_month_ends() -> None:
    # One CP plan from 15 Jan 2019: open at the month ends from 31 Jan to 30 June 2019.
    ends = [
        d(2018, 6, 30),
        d(2018, 7, 31),
        d(2018, 8, 31),
        d(2018, 9, 30),
        d(2018, 10, 31),
        d(2018, 11, 30),
        d(2018, 12, 31),
        d(2019, 1, 31),
        d(2019, 2, 28),
        d(2019, 3, 31),
        d(2019, 4, 30),
        d(2019, 5, 31),
        d(2019, 6, 30),
    ]
    f = frames(cp_plans=[{"child_id": "A", "plan_id": 1, "start": d(2019, 1, 15)}])
    res = engine.compute(f, ends, measures=["cpp_open"])
    assert res["value"].to_list() == [0] * 7 + [1] * 6


def test_unknown_scope_is_refused() -> None:
    with pytest.raises(ValueError, match="Unknown scope"):
        engine.compute(frames(), d(2019, 6, 30), by=("service",))


def test_cin_plans_are_not_available_from_a_census_before_2021_22() -> None:
    # The 2019-20 census has no CINPlanDates: "not available", never a false zero; a
    # 2021-22 census (or plan rows) makes them available.
    import polars as pl

    from safeguard.performance.frames import from_returns

    old = from_returns({"Header": pl.DataFrame({"ReferenceDate": [d(2020, 3, 31)]})}, None)
    new = from_returns({"Header": pl.DataFrame({"ReferenceDate": [d(2022, 3, 31)]})}, None)
    assert figure(old, "cin_plans_open") == (None, None, None)
    assert figure(new, "cin_plans_open", as_at=d(2022, 3, 31)) == (0, 0, None)


def test_oc3_rows_are_dated_by_the_birthday_in_their_return_year() -> None:
    # Born 10 May 2000: in the 2018-19 return (year to 31 March 2019) the 19th birthday is
    # outside the year, so the row is dated by the 18th, 10 May 2018; in 2019-20, 10 May 2019.
    import polars as pl

    from safeguard.performance.frames import from_returns

    oc3 = {"OC3": pl.DataFrame({"CHILD": ["Y"], "DOB": [d(2000, 5, 10)], "IN_TOUCH": ["YES"]})}
    f = from_returns(None, [oc3, oc3], ssda903_years=[2019, 2020])
    assert sorted(f.care_leavers["date"].to_list()) == [d(2018, 5, 10), d(2019, 5, 10)]
