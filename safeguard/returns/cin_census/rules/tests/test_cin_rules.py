"""Every CIN census rule of every year against its hand-made cases (see cases.py)."""

from __future__ import annotations

import polars as pl
import pytest

from safeguard.returns.cin_census.rules import RULE_SETS, rule_set
from safeguard.returns.engine import Context, validate

from .builder import base, shift
from .cases import CASES, LA

PARAMS = [
    pytest.param(year, c, id=f"{year}-{c.code}-{c.name}")
    for year, rules in RULE_SETS.items()
    for c in CASES
    if c.code in rules.rules and (c.years is None or year in c.years)
]


def failing_children(frames, year: int, code: str) -> set[str]:
    out = validate(frames, RULE_SETS[year].only([code]), Context(year))
    return {LA if c is None else c for c in out["LAchildID"].to_list()}


@pytest.mark.parametrize(("year", "case"), PARAMS)
def test_case(year, case):
    frames = shift(case.mutate(base()), year)
    assert failing_children(frames, year, case.code) == set(case.fails)


@pytest.mark.parametrize("year", sorted(RULE_SETS))
def test_the_base_return_is_valid_under_every_rule(year):
    out = validate(shift(base(), year), RULE_SETS[year], Context(year))
    assert out.height == 0, out.select("code", "LAchildID", "values").rows()


def test_one_child_run_sees_only_that_child_and_skips_la_level_rules():
    frames = shift(edit_both(), 2019)
    out = validate(frames, RULE_SETS[2019], Context(2019), child="B2")
    assert set(out["LAchildID"]) == {"B2"}
    assert "2887Q" not in set(out["code"])


def edit_both():
    from .builder import chain, drop, edit

    return chain(
        edit("CINdetails", {"LAchildID": "A1"}, PrimaryNeedCode=None),
        edit("CINdetails", {"LAchildID": "B2"}, PrimaryNeedCode=None),
        drop("Disabilities", {"Disability": "VIS"}),
    )(base())


def test_failure_rows_name_the_table_row_fields_and_values():
    frames = edit_both()
    out = validate(frames, RULE_SETS[2019].only(["8610"]), Context(2019))
    assert out.select("code", "severity", "LAchildID", "table", "row").rows() == [
        ("8610", "E", "A1", "CINdetails", 1),
        ("8610", "E", "A1", "CINdetails", 2),
        ("8610", "E", "B2", "CINdetails", 3),
    ]
    assert out["message"][0] == RULE_SETS[2019].rules["8610"].message
    assert out["values"][0] == "PrimaryNeedCode=, ReferralNFA=false"


def test_year_lookup_uses_the_latest_set_in_force():
    assert rule_set(2022).year == 2019
    assert rule_set(2030).year == 2026
    assert rule_set(2025).rules["4180"].reads == {"ChildIdentifiers": ("Sex",)}
    with pytest.raises(KeyError):
        rule_set(2010)


def test_frames_schema_is_not_changed_by_the_runner():
    frames = base()
    validate(frames, RULE_SETS[2019], Context(2019))
    assert "_row" not in frames["CINdetails"].columns
    assert isinstance(frames["CINdetails"], pl.DataFrame)
