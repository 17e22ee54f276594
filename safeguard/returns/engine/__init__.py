"""The validation engine: rules declared once, rule sets per collection year, one failures table.

Pure Python and polars, no Django, so the same rules run on a file just uploaded, on the live
record and on a region's pooled returns. Public API:

- `Rule`, `RuleSet`, `Context`: declarations (see `rule.py`);
- `validate(frames, rule_set, context, child=None)`: run every rule, return the failures table;
- `FAILURE_SCHEMA`: the columns of that table;
- `validate_return(kind, frames, year=..., previous=..., child=...)`: the same, choosing the
  rule set of a return kind and year (`rule_set(kind, year)`).
"""

from .catalogue import CATALOGUES, rule_set, validate_return
from .rule import ERROR, QUERY, Check, Context, Rule, RuleSet, Severity
from .runner import (
    CHILD_COLUMN,
    FAILURE_SCHEMA,
    ROW,
    for_child,
    numbered,
    run_rule,
    summary,
    validate,
)

__all__ = [
    "CATALOGUES",
    "rule_set",
    "validate_return",
    "CHILD_COLUMN",
    "Check",
    "Context",
    "ERROR",
    "FAILURE_SCHEMA",
    "QUERY",
    "ROW",
    "Rule",
    "RuleSet",
    "Severity",
    "for_child",
    "numbered",
    "run_rule",
    "summary",
    "validate",
]
