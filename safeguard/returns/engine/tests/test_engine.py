"""The engine on its own: rule sets built year on year, the runner, one child, the summary."""

from __future__ import annotations

import polars as pl
import pytest

from safeguard.returns.engine import (
    ERROR,
    FAILURE_SCHEMA,
    QUERY,
    Context,
    Rule,
    RuleSet,
    for_child,
    summary,
    validate,
)
from safeguard.returns.engine.rule import DuplicateRule


def _rule(code: str, message: str = "m", severity: str = ERROR) -> Rule:
    def check(f, ctx):  # every row whose value is negative
        return f["T"].filter(pl.col("v") < 0)

    return Rule(code, message, severity, {"T": ("v",)}, check)


FRAMES = {
    "T": pl.DataFrame({"CHILD": ["a", "b", "c"], "v": [1, -2, -3]}),
    "Header": pl.DataFrame({"LEA": ["201"]}),
}


def test_first_year_refuses_a_code_declared_twice():
    with pytest.raises(DuplicateRule):
        RuleSet.first("x", 2019, [_rule("1"), _rule("1")])


def test_a_year_is_built_from_the_last_by_additions_changes_and_removals():
    y1 = RuleSet.first("x", 2019, [_rule("1"), _rule("2")])
    y2 = y1.evolve(2020, add=[_rule("3")], change=[_rule("1", "new")], remove=["2"])
    assert sorted(y2.rules) == ["1", "3"]
    assert y2.rules["1"].message == "new" and y1.rules["1"].message == "m"
    assert (y2.added, y2.changed, y2.removed) == (("3",), ("1",), ("2",))


@pytest.mark.parametrize(
    "kwargs", [{"add": [_rule("1")]}, {"change": [_rule("9")]}, {"remove": ["9"]}]
)
def test_a_year_cannot_add_an_existing_code_or_touch_a_missing_one(kwargs):
    with pytest.raises((KeyError, DuplicateRule)):
        RuleSet.first("x", 2019, [_rule("1")]).evolve(2020, **kwargs)


def test_severity_must_be_error_or_query():
    with pytest.raises(ValueError):
        _rule("1", severity="W")


def test_all_failures_are_collected_in_one_table_with_fields_and_values():
    rules = RuleSet.first("x", 2019, [_rule("1"), _rule("2", "two", QUERY)])
    out = validate(FRAMES, rules, Context(2019))
    assert out.schema == pl.Schema(FAILURE_SCHEMA)
    # rows 2 and 3 (1-based) fail both rules: four failures, sorted by code then row
    assert out.select("code", "severity", "LAchildID", "row", "values").rows() == [
        ("1", "E", "b", 2, "v=-2"),
        ("1", "E", "c", 3, "v=-3"),
        ("2", "Q", "b", 2, "v=-2"),
        ("2", "Q", "c", 3, "v=-3"),
    ]
    assert summary(out).select("code", "rows", "children").rows() == [("1", 2, 2), ("2", 2, 2)]


def test_a_check_may_point_at_rows_of_several_tables():
    def check(f, ctx):
        return {"T": f["T"].filter(pl.col("v") == 1), "Header": f["Header"]}

    rules = RuleSet.first("x", 2019, [Rule("9", "m", ERROR, {"T": ("v",), "Header": ()}, check)])
    out = validate(FRAMES, rules, Context(2019))
    assert out.select("table", "LAchildID", "row").rows() == [("Header", None, 1), ("T", "a", 1)]


def test_one_child_keeps_original_row_numbers_and_skips_la_level_rules():
    la = Rule("LA", "m", ERROR, {"T": ("v",)}, lambda f, ctx: f["T"], la_level=True)
    rules = RuleSet.first("x", 2019, [_rule("1"), la])
    out = validate(FRAMES, rules, Context(2019), child="c")
    assert out.select("code", "LAchildID", "row").rows() == [("1", "c", 3)]


def test_for_child_keeps_tables_without_a_child_column():
    cut = for_child(FRAMES, "a")
    assert cut["T"].height == 1 and cut["Header"].height == 1


def test_no_failures_gives_an_empty_table_of_the_same_shape():
    out = validate(
        {"T": FRAMES["T"].filter(pl.col("v") > 0)},
        RuleSet.first("x", 2019, [_rule("1")]),
        Context(2019),
    )
    assert out.height == 0 and out.schema == pl.Schema(FAILURE_SCHEMA)


def test_context_gives_the_collection_period():
    ctx = Context(2019)
    assert (str(ctx.period_start), str(ctx.reference_date)) == ("2018-04-01", "2019-03-31")
