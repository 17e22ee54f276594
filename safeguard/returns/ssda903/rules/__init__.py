"""The SSDA903 (children looked after) validation rules, one rule set per collection year.

`RULE_SETS[year]` is the set for the year ending 31 March `year`; `rule_set(year)` picks the set
in force for any year. 2018-19 (2019) is the base, taken as the rules data-to-insight's validator
implements for 2022-23 (its earliest year) that we implement; the year-by-year changes follow
its lac2023_24 .. lac2025_26 folders:

- 2023-24 (2024): adds 217t (P2 invalid from 28 Oct 2023), 347, 1016 and the social worker
  episode rules (SW01-SW03, SW06-SW14); 370/371 minimum ages become 16.
- 2024-25 (2025): sex coded M/F/U (101, 174), 231 (young UASC) and 232 (sex unknown); 371
  moves to K3; SW01 split into SW01a/SW01b, SW07, SW10, SW13 changed; removes 217t, 370, 445,
  451, 555, 556, SW01, SW03, SW14. SW15/SW16a-c, added and deleted in the same year by the open
  validator, are declared in `social_workers.WITHDRAWN` and in no year's set.
- 2025-26 (2026): Z11-Z14 replace Z1 (213, 226 message); adds 233, 234, 348, 444, SW17; 383 also
  compares placement postcodes.
Code lists (PLACE, ACTIV, ...) are read per year from `safeguard.codes`, so rules such as 146
follow the list changes without a new declaration.
"""

from __future__ import annotations

from ...engine import RuleSet
from . import (
    adoption,
    episodes,
    header,
    header_2025,
    missing,
    mothers,
    outcomes,
    postcodes,
    previous,
    social_workers,
    urn,
)

KIND = "ssda903"

_2019 = RuleSet.first(
    KIND,
    2019,
    [
        *header.RULES,
        *episodes.RULES,
        *missing.RULES,
        *missing.ADDED_PREVIOUS,
        *adoption.RULES,
        *outcomes.RULES,
        *previous.RULES,
        *mothers.RULES,
        *postcodes.RULES,
        *urn.RULES,
    ],
)
_2024 = _2019.evolve(
    2024,
    add=[
        *episodes.ADDED_2024,
        *outcomes.ADDED_2024,
        *social_workers.RULES,
        *social_workers.ADDED_2024,
    ],
    change=[*episodes.CHANGED_2024, *urn.CHANGED_2024],
)
_2025 = _2024.evolve(
    2025,
    add=[*social_workers.ADDED_2025, *header_2025.ADDED_2025],
    change=[
        *header.CHANGED_2025,
        *episodes.CHANGED_2025,
        *social_workers.CHANGED_2025,
        *urn.CHANGED_2025,
    ],
    remove=[*episodes.REMOVED_2025, *adoption.REMOVED_2025, *social_workers.REMOVED_2025],
)
_2026 = _2025.evolve(
    2026,
    add=[
        *header.ADDED_2026,
        *episodes.ADDED_2026,
        *previous.ADDED_2026,
        *social_workers.ADDED_2026,
    ],
    change=[*episodes.CHANGED_2026, *urn.CHANGED_2026],
)

RULE_SETS: dict[int, RuleSet] = {s.year: s for s in (_2019, _2024, _2025, _2026)}
NEEDS_PREVIOUS = previous.NEEDS_PREVIOUS | header.NEEDS_PREVIOUS


def rule_set(year: int) -> RuleSet:
    """The rules in force for a collection year (the latest set declared on or before it)."""
    known = [y for y in RULE_SETS if y <= year]
    if not known:
        raise KeyError(f"No SSDA903 rules for {year}; earliest is {min(RULE_SETS)}.")
    return RULE_SETS[max(known)]
