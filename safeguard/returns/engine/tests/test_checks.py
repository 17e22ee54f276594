"""The system check over the rule catalogues (safeguard.returns.checks.check_rules)."""

from __future__ import annotations

import sys
import types

import polars as pl
import pytest

from safeguard.returns import checks as rule_checks
from safeguard.returns.engine import ERROR, Rule, RuleSet


def _rule(code: str, table: str = "Header", field: str = "CHILD") -> Rule:
    return Rule(code, "m", ERROR, {table: (field,)}, lambda f, ctx: f[table].clear())


def _case(code: str, fails: bool):
    return types.SimpleNamespace(code=code, years=None, fails=frozenset({"C"} if fails else ()))


@pytest.fixture
def catalogue(monkeypatch):
    """Install a fake catalogue: `install(sets_or_error, cases)`."""

    def install(sets, cases):
        rules = types.ModuleType("fake_rules")
        if isinstance(sets, Exception):

            def boom(name):
                raise sets

            rules.__getattr__ = boom
        else:
            rules.RULE_SETS = sets
        tests = types.ModuleType("fake_cases")
        tests.CASES = cases
        monkeypatch.setitem(sys.modules, "fake_rules", rules)
        monkeypatch.setitem(sys.modules, "fake_cases", tests)
        schema = {"Header": {"CHILD": pl.Utf8}}
        monkeypatch.setattr(rule_checks, "CATALOGUES", {"x": ("fake_rules", "fake_cases", schema)})

    return install


def ids(messages):
    return sorted(m.id for m in messages)


def test_the_real_catalogues_pass():
    assert rule_checks.check_rules() == []


def test_a_covered_rule_passes(catalogue):
    catalogue({2019: RuleSet.first("x", 2019, [_rule("1")])}, [_case("1", True), _case("1", False)])
    assert rule_checks.check_rules() == []


def test_a_rule_without_failing_or_passing_cases_is_an_error(catalogue):
    catalogue(
        {2019: RuleSet.first("x", 2019, [_rule("1"), _rule("2")])},
        [_case("1", True), _case("2", False)],
    )
    messages = rule_checks.check_rules()
    assert ids(messages) == ["returns.E004", "returns.E005"]
    assert {m.msg for m in messages} == {
        rule_checks.NO_PASSING_CASE.format(code="1", kind="x", year=2019),
        rule_checks.NO_FAILING_CASE.format(code="2", kind="x", year=2019),
    }


def test_cases_are_required_in_every_year_the_rule_is_in(catalogue):
    y1 = RuleSet.first("x", 2019, [_rule("1")])
    only_2019 = [
        types.SimpleNamespace(code="1", years=(2019,), fails=f)
        for f in (frozenset({"C"}), frozenset())
    ]
    catalogue({2019: y1, 2020: y1.evolve(2020)}, only_2019)
    assert ids(rule_checks.check_rules()) == ["returns.E004", "returns.E005"]


def test_a_duplicated_code_breaks_the_catalogue(catalogue):
    catalogue(ValueError("Rule code 1 declared twice"), [])
    messages = rule_checks.check_rules()
    assert ids(messages) == ["returns.E001"]
    assert "declared twice" in messages[0].msg


def test_a_rule_filed_under_another_code_is_an_error(catalogue):
    rules = RuleSet("x", 2019, {"2": _rule("1")})
    catalogue(
        {2019: rules}, [_case("1", True), _case("1", False), _case("2", True), _case("2", False)]
    )
    assert ids(rule_checks.check_rules()) == ["returns.E002"]


def test_a_rule_reading_an_unknown_field_is_an_error(catalogue):
    catalogue(
        {2019: RuleSet.first("x", 2019, [_rule("1", field="NOPE")])},
        [_case("1", True), _case("1", False)],
    )
    assert ids(rule_checks.check_rules()) == ["returns.E003"]


def test_missing_case_tables_are_a_warning(catalogue, monkeypatch):
    catalogue({2019: RuleSet.first("x", 2019, [_rule("1")])}, [])
    monkeypatch.delitem(sys.modules, "fake_cases")
    monkeypatch.setattr(
        rule_checks,
        "CATALOGUES",
        {"x": ("fake_rules", "no_such_cases_module", {"Header": {"CHILD": pl.Utf8}})},
    )
    assert ids(rule_checks.check_rules()) == ["returns.W001"]
