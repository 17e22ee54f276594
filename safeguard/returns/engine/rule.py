"""Rule and RuleSet declarations: a DfE rule's code, message, severity, fields read and check.

A check is a vectorised polars function over the return's frames (`safeguard.returns.tables`
shape, each with a `_row` column added by the runner) that returns the failing rows: a frame,
or a dict of table name to frame when the rule points at rows of several tables. Each failing
frame must keep the table's `_row` column (and the child ID column for child-level tables).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Literal

import polars as pl

from ..tables import Return

Severity = Literal["E", "Q"]
ERROR: Severity = "E"
QUERY: Severity = "Q"


@dataclass(frozen=True)
class Context:
    """What a rule may need beyond the frames: the collection year and last year's return.

    `year` names the collection year by the year it ends (2019 = 2018-19); the period runs
    1 April of the year before to `reference_date` (31 March of `year`).
    """

    year: int
    previous: Return | None = None

    @property
    def reference_date(self) -> date:
        return date(self.year, 3, 31)

    @property
    def period_start(self) -> date:
        return date(self.year - 1, 4, 1)


Failures = pl.DataFrame | Mapping[str, pl.DataFrame]
Check = Callable[[Return, Context], Failures]


@dataclass(frozen=True)
class Rule:
    """One DfE validation rule, declared once.

    `reads` maps each table the rule reads to the fields it reads there; the fields of the
    table a failure points at are reported with their values. `table` is the table reported
    when the check returns a single frame. `la_level` rules judge the whole return (a
    percentage, a count) and are skipped when validating one child.
    """

    code: str
    message: str
    severity: Severity
    reads: Mapping[str, tuple[str, ...]]
    check: Check = field(compare=False)
    table: str = ""
    la_level: bool = False

    def __post_init__(self) -> None:
        if self.severity not in (ERROR, QUERY):
            raise ValueError(f"Rule {self.code}: severity must be E or Q, not {self.severity!r}")
        if not self.table:
            object.__setattr__(self, "table", next(iter(self.reads)))


class DuplicateRule(ValueError):
    """Two declarations share one code within a collection year."""


@dataclass(frozen=True)
class RuleSet:
    """The rules of one return for one collection year, keyed by code (unique by construction).

    A later year is built from the earlier one with `evolve`, so the changes from year to
    year are written down as additions, changes and removals, and checked: adding a code that
    exists, or changing/removing one that does not, is refused.
    """

    kind: str
    year: int
    rules: Mapping[str, Rule]
    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()

    @classmethod
    def first(cls, kind: str, year: int, rules: Iterable[Rule]) -> RuleSet:
        """The first year of a return's rules."""
        rules = list(rules)
        return cls(kind, year, _unique(rules), added=tuple(r.code for r in rules))

    def evolve(
        self,
        year: int,
        *,
        add: Iterable[Rule] = (),
        change: Iterable[Rule] = (),
        remove: Iterable[str] = (),
    ) -> RuleSet:
        """The next year's set: this year's with rules added, changed (same code) and removed."""
        add, change, remove = list(add), list(change), list(remove)
        rules = dict(self.rules)
        for code in remove:
            if code not in rules:
                raise KeyError(f"{self.kind} {year}: cannot remove {code}, not in {self.year}")
            del rules[code]
        for rule in change:
            if rule.code not in rules:
                raise KeyError(f"{self.kind} {year}: cannot change {rule.code}, not present")
            rules[rule.code] = rule
        for code, rule in _unique(add).items():
            if code in rules:
                raise DuplicateRule(f"{self.kind} {year}: {code} added but already present")
            rules[code] = rule
        return RuleSet(
            self.kind,
            year,
            rules,
            tuple(r.code for r in add),
            tuple(r.code for r in change),
            tuple(remove),
        )

    def only(self, codes: Iterable[str]) -> RuleSet:
        """The same year's set restricted to some codes (for a focused run or a test)."""
        wanted = set(codes)
        return replace(self, rules={c: r for c, r in self.rules.items() if c in wanted})

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.rules.values())

    def __len__(self) -> int:
        return len(self.rules)


def _unique(rules: list[Rule]) -> dict[str, Rule]:
    """Rules by code; a duplicated code is a declaration error, never silently overwritten."""
    out: dict[str, Rule] = {}
    for rule in rules:
        if rule.code in out:
            raise DuplicateRule(f"Rule code {rule.code} declared twice")
        out[rule.code] = rule
    return out
