"""Django system check for the validation rules: codes unique per year, declared against the
return's tables, and each covered by hand-made failing and passing test cases.

Registered from the returns app's `AppConfig.ready()` (`checks.register(check_rules)`). The rule
catalogues and their case tables are plain Python, so the check imports them and compares.
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib import import_module
from typing import Any

from django.core import checks

from .engine import RuleSet
from .tables import CIN_CENSUS, SSDA903, Schema

#: return kind -> (rules package, case table module, table schema)
CATALOGUES: dict[str, tuple[str, str, dict[str, Schema]]] = {
    "cin-census": (
        "safeguard.returns.cin_census.rules",
        "safeguard.returns.cin_census.rules.tests.cases",
        CIN_CENSUS,
    ),
    "ssda903": (
        "safeguard.returns.ssda903.rules",
        "safeguard.returns.ssda903.rules.tests.cases",
        SSDA903,
    ),
}

MISFILED = "Rule {code} is filed under code {key} in the {kind} rules for {year}."
UNKNOWN_FIELD = "Rule {code} ({kind} {year}) reads {table}.{field}, which the return lacks."
NO_FAILING_CASE = "Rule {code} ({kind} {year}) has no failing test case."
NO_PASSING_CASE = "Rule {code} ({kind} {year}) has no passing test case."
NO_CASES = "The {kind} rule test cases ({module}) cannot be imported: {error}."
BROKEN = "The {kind} rules cannot be built: {error}."


def check_rules(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Every rule of every year: unique code, known tables/fields, failing and passing cases."""
    out: list[checks.CheckMessage] = []
    for kind, (rules_module, cases_module, schema) in CATALOGUES.items():
        try:
            sets: dict[int, RuleSet] = import_module(rules_module).RULE_SETS
        except Exception as error:  # noqa: BLE001 - a broken catalogue is the finding
            out.append(checks.Error(BROKEN.format(kind=kind, error=error), id="returns.E001"))
            continue
        for rules in sets.values():
            out += _unique(kind, rules) + _declared_fields(kind, rules, schema)
        out += _covered(kind, sets, cases_module)
    return out


def _unique(kind: str, rules: RuleSet) -> list[checks.CheckMessage]:
    """Codes are unique per year by construction (`RuleSet.first`/`evolve` refuse a second
    declaration of a code, which surfaces here as E001); this also proves each rule is filed
    under its own code, so no code can hide another."""
    return [
        checks.Error(
            MISFILED.format(code=r.code, key=k, kind=kind, year=rules.year), id="returns.E002"
        )
        for k, r in rules.rules.items()
        if k != r.code
    ]


def _declared_fields(
    kind: str, rules: RuleSet, schema: dict[str, Schema]
) -> list[checks.CheckMessage]:
    out: list[checks.CheckMessage] = []
    for rule in rules.rules.values():
        for table, fields in rule.reads.items():
            for field in fields or ("",):
                if table in schema and (not field or field in schema[table]):
                    continue
                out.append(
                    checks.Error(
                        UNKNOWN_FIELD.format(
                            code=rule.code, kind=kind, year=rules.year, table=table, field=field
                        ),
                        id="returns.E003",
                    )
                )
    return out


def _covered(kind: str, sets: dict[int, RuleSet], module: str) -> list[checks.CheckMessage]:
    try:
        cases: Iterable[Any] = import_module(module).CASES
    except Exception as error:  # noqa: BLE001 - tests not shipped, or broken
        return [
            checks.Warning(
                NO_CASES.format(kind=kind, module=module, error=error), id="returns.W001"
            )
        ]
    failing: set[tuple[int, str]] = set()
    passing: set[tuple[int, str]] = set()
    for year in sets:
        for case in cases:
            if case.years is None or year in case.years:
                (failing if case.fails else passing).add((year, case.code))
    out: list[checks.CheckMessage] = []
    for year, rules in sets.items():
        for code in rules.rules:
            if (year, code) not in failing:
                out.append(
                    checks.Error(
                        NO_FAILING_CASE.format(code=code, kind=kind, year=year), id="returns.E004"
                    )
                )
            if (year, code) not in passing:
                out.append(
                    checks.Error(
                        NO_PASSING_CASE.format(code=code, kind=kind, year=year), id="returns.E005"
                    )
                )
    return out
