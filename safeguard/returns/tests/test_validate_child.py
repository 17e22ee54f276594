"""Checking one child on save gives that child's part of the whole year's check.

`validate_child` makes the return for one child only (the exports' `la_child_ids` filter) and
runs the rules on it; the whole-year check (`views_validate.live_failures`) makes the council's
return and runs them on everything. For every child, the two must list the same failures
(rule, table, fields, values), apart from the rules that judge the whole return (`la_level`).
Row numbers differ by design: they count within the tables given to the rules.
"""

from __future__ import annotations

from collections import Counter

import polars as pl
import pytest
from django.urls import reverse

from safeguard.journey.models import Child
from safeguard.returns.engine import rule_set
from safeguard.returns.tests.test_validation_pages import analyst  # noqa: F401 (a fixture)
from safeguard.returns.validation import child_return, validate_child
from safeguard.returns.views_validate import live_failures
from safeguard.synthetic import generate

YEAR = 2019
KEY = ["code", "table", "fields", "values"]


def _as_counter(df: pl.DataFrame) -> Counter:
    return Counter(df.select(KEY).rows())


@pytest.mark.django_db
@pytest.mark.usefixtures("analyst")  # logged in, may see every child
def test_one_child_equals_the_whole_year_filtered_to_that_child(client):
    generate(seed=5, population=1500)  # a small synthetic council, 2018-19 in its record
    for kind in ("cin-census", "ssda903"):
        _compare(kind)
    # The page that checks one child shows what the whole year finds for a looked-after child.
    whole = live_failures("ssda903", YEAR)
    la_id, code = whole.filter(pl.col("LAchildID").is_not_null()).select("LAchildID", "code").row(0)
    child = Child.objects.get(la_child_id=la_id)
    page = client.get(reverse("returns:child_check", args=[child.pk]) + f"?year={YEAR}")
    assert page.status_code == 200
    ssda903 = next(r for r in page.context["results"] if r["kind"] == "ssda903")
    assert code in {r["code"] for r in ssda903["rules"]}


def _compare(kind: str) -> None:
    whole = live_failures(kind, YEAR)
    la_level = {r.code for r in rule_set(kind, YEAR) if r.la_level}
    whole = whole.filter(~pl.col("code").is_in(sorted(la_level)))
    failing = whole["LAchildID"].drop_nulls().unique().sort().to_list()
    assert len(failing) >= 5, f"the synthetic council should break some {kind} rules"
    key, first = ("LAchildID", "ChildIdentifiers") if kind == "cin-census" else ("CHILD", "Header")
    assert child_return(kind, failing[0], YEAR)[first][key].to_list() == [failing[0]]
    # A spread of the children with failures, and some children without any.
    everyone = sorted(Child.objects.values_list("la_child_id", flat=True))
    clean = [c for c in everyone if c not in set(failing)][:5]
    for child in failing[:: max(1, len(failing) // 12)] + clean:
        mine = validate_child(kind, child, YEAR)
        expected = whole.filter(pl.col("LAchildID") == child)
        assert _as_counter(mine) == _as_counter(expected), (kind, child)
