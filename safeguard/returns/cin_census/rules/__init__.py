"""The CIN census validation rules, one rule set per collection year.

`RULE_SETS[year]` is the set for the census year ending 31 March `year`; `rule_set(year)` picks
the set in force for any year (the latest declared on or before it). 2018-19 (2019) is the
base, taken as data-to-insight's cin2022_23 set (their earliest; the DfE texts for these codes
were unchanged from 2018-19 apart from code lists, which the rules read per year from
`safeguard.codes`). 2024-25 (2025) replaces GenderCurrent by Sex and adds 1570, 1580, 8945Q,
8950Q; 2025-26 (2026) is unchanged from 2024-25 in the published validator.
"""

from __future__ import annotations

from ...engine import RuleSet
from . import child, episodes, protection

KIND = "cin-census"

_2019 = RuleSet.first(KIND, 2019, [*child.RULES, *episodes.RULES, *protection.RULES])
_2025 = _2019.evolve(2025, add=[*child.ADDED_2025, *episodes.ADDED_2025], change=child.CHANGED_2025)
_2026 = _2025.evolve(2026)

RULE_SETS: dict[int, RuleSet] = {s.year: s for s in (_2019, _2025, _2026)}


def rule_set(year: int) -> RuleSet:
    """The rules in force for a census year (the latest set declared on or before it)."""
    known = [y for y in RULE_SETS if y <= year]
    if not known:
        raise KeyError(f"No CIN census rules for {year}; earliest is {min(RULE_SETS)}.")
    return RULE_SETS[max(known)]
