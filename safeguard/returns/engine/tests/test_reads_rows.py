"""A rule whose tables are all empty is not run (`runner.reads_rows`), which is safe only
because every table a rule reports is one it declares in `reads`: checked here for every
rule, on every hand-made case of both returns."""

from __future__ import annotations

import polars as pl
import pytest

from safeguard.returns.cin_census.rules import RULE_SETS as CIN_SETS
from safeguard.returns.cin_census.rules.tests import builder as cin_builder
from safeguard.returns.cin_census.rules.tests.cases import CASES as CIN_CASES
from safeguard.returns.engine import ERROR, Context, Rule, RuleSet, numbered, validate
from safeguard.returns.engine.runner import reports_one_table
from safeguard.returns.ssda903.rules import RULE_SETS as S903_SETS
from safeguard.returns.ssda903.rules.tests import builder as s903_builder
from safeguard.returns.ssda903.rules.tests.cases import CASES as S903_CASES


def _exploding(f, ctx):  # noqa: ANN001
    raise AssertionError("a rule over empty tables was run")


def test_a_rule_over_empty_tables_is_not_run():
    rule = Rule("X1", "m", ERROR, {"A": ("v",)}, _exploding)
    frames = {"A": pl.DataFrame(schema={"CHILD": pl.Utf8, "v": pl.Utf8})}
    out = validate(frames, RuleSet.first("t", 2019, [rule]), Context(2019))
    assert out.is_empty()


def test_a_one_frame_rule_whose_own_table_is_empty_is_not_run():
    def check(f, ctx) -> pl.DataFrame:  # noqa: ANN001
        raise AssertionError("its table A is empty: nothing of it can fail")

    rule = Rule("X3", "m", ERROR, {"A": ("v",), "B": ("w",)}, check)
    frames = {
        "A": pl.DataFrame(schema={"CHILD": pl.Utf8, "v": pl.Utf8}),
        "B": pl.DataFrame({"CHILD": ["c"], "w": ["1"]}),
    }
    assert validate(frames, RuleSet.first("t", 2019, [rule]), Context(2019)).is_empty()


def test_a_rule_with_rows_in_any_table_it_reads_is_run():
    calls = []

    def check(f, ctx):  # noqa: ANN001, ANN202
        calls.append(1)
        return f["A"]  # A is empty, so nothing fails; B's row is what made the rule run

    rule = Rule("X2", "m", ERROR, {"A": ("v",), "B": ("w",)}, check)
    frames = {
        "A": pl.DataFrame(schema={"CHILD": pl.Utf8, "v": pl.Utf8}),
        "B": pl.DataFrame({"CHILD": ["c"], "w": ["1"]}),
    }
    validate(frames, RuleSet.first("t", 2019, [rule]), Context(2019))
    assert calls == [1]


def _reported_tables(rule: Rule, frames, context) -> set[str]:  # noqa: ANN001
    result = rule.check(numbered(frames), context)
    if reports_one_table(rule):  # declared `-> pl.DataFrame`: the runner relies on it
        assert isinstance(result, pl.DataFrame), rule.code
    return {rule.table} if isinstance(result, pl.DataFrame) else set(result)


@pytest.mark.parametrize(
    ("sets", "cases", "build"),
    [(S903_SETS, S903_CASES, s903_builder), (CIN_SETS, CIN_CASES, cin_builder)],
    ids=["ssda903", "cin-census"],
)
def test_every_rule_reports_only_tables_it_reads(sets, cases, build):
    for year, rules in sets.items():
        for case in cases:
            rule = rules.rules.get(case.code)
            if rule is None or (case.years is not None and year not in case.years):
                continue
            frames = build.shift(case.mutate(build.base()), year)
            last = None
            if hasattr(case, "previous") and hasattr(build, "previous"):
                last = build.shift(case.previous(build.previous()), year)
            reported = _reported_tables(rule, frames, Context(year, last))
            assert reported <= set(rule.reads), (year, rule.code, reported - set(rule.reads))
