"""Every SSDA903 rule of every year against its hand-made cases (see cases.py)."""

from __future__ import annotations

import pytest

from safeguard.returns.engine import Context, RuleSet, validate
from safeguard.returns.ssda903.rules import NEEDS_PREVIOUS, RULE_SETS, rule_set, social_workers

from .builder import base, previous, shift
from .cases import CASES, WITHDRAWN_CASES

PARAMS = [
    pytest.param(year, c, id=f"{year}-{c.code}-{c.name}")
    for year, rules in RULE_SETS.items()
    for c in CASES
    if c.code in rules.rules and (c.years is None or year in c.years)
]


@pytest.mark.parametrize(("year", "case"), PARAMS)
def test_case(year, case):
    frames = shift(case.mutate(base()), year)
    last = shift(case.previous(previous()), year)
    out = validate(frames, RULE_SETS[year].only([case.code]), Context(year, last))
    assert set(out["LAchildID"].to_list()) == set(case.fails)


@pytest.mark.parametrize("year", sorted(RULE_SETS))
def test_the_base_return_is_valid_under_every_rule(year):
    out = validate(shift(base(), year), RULE_SETS[year], Context(year, shift(previous(), year)))
    assert out.height == 0, out.select("code", "LAchildID", "values").rows()


def test_rules_needing_last_year_find_nothing_without_it():
    frames = shift(base(), 2019)
    codes = NEEDS_PREVIOUS & set(RULE_SETS[2019].rules)
    out = validate(frames, RULE_SETS[2019].only(codes), Context(2019))
    assert out.height == 0


def test_year_changes_are_recorded():
    assert "217t" in RULE_SETS[2024].added and "217t" in RULE_SETS[2025].removed
    assert "217t" not in rule_set(2030).rules
    assert rule_set(2025).rules["101"].message.startswith("The child or young person")


WITHDRAWN = RuleSet.first("ssda903", 2025, social_workers.WITHDRAWN)


@pytest.mark.parametrize("case", WITHDRAWN_CASES, ids=lambda c: f"{c.code}-{c.name}")
def test_withdrawn_rule_case(case):
    """Rules declared but in force in no year (SW15, SW16a-c) still answer their cases."""
    frames = shift(case.mutate(base()), 2025)
    last = shift(case.previous(previous()), 2025)
    out = validate(frames, WITHDRAWN.only([case.code]), Context(2025, last))
    assert set(out["LAchildID"].to_list()) == set(case.fails)


def test_withdrawn_rules_are_in_no_year_and_each_has_both_cases():
    codes = {r.code for r in social_workers.WITHDRAWN}
    assert not any(codes & set(s.rules) for s in RULE_SETS.values())
    assert {c.code for c in WITHDRAWN_CASES if c.fails} == codes
    assert {c.code for c in WITHDRAWN_CASES if not c.fails} == codes
