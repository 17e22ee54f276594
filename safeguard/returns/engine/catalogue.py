"""Which rule catalogue validates which return, and one call to validate a return by kind.

The catalogues are named as module paths and imported when first used, so the engine does not
depend on them (declarations stay apart from the machinery). The web app, the import and the
`validate` command call `validate_return`.
"""

from __future__ import annotations

from importlib import import_module

import polars as pl

from ..tables import Return
from .rule import Context, RuleSet
from .runner import validate

#: return kind -> module with RULE_SETS and rule_set(year)
CATALOGUES: dict[str, str] = {
    "cin-census": "safeguard.returns.cin_census.rules",
    "ssda903": "safeguard.returns.ssda903.rules",
}
UNKNOWN_KIND = "No validation rules for {kind!r}; known: {known}."


def rule_set(kind: str, year: int) -> RuleSet:
    """The rules in force for a return kind and collection year (2019 = 2018-19)."""
    if kind not in CATALOGUES:
        raise KeyError(UNKNOWN_KIND.format(kind=kind, known=", ".join(sorted(CATALOGUES))))
    return import_module(CATALOGUES[kind]).rule_set(year)


def validate_return(
    kind: str,
    frames: Return,
    *,
    year: int,
    previous: Return | None = None,
    child: str | None = None,
) -> pl.DataFrame:
    """Every failure of the year's rules on a return (one child's, with `child`)."""
    return validate(frames, rule_set(kind, year), Context(year, previous), child=child)
