"""SSDA903 rule 222: no Ofsted unique reference number (URN) for placements that have none.

Placements with the child's parents, in independent living, residential employment, NHS or
custodial settings, temporary moves and "other" placements are not Ofsted-registered
provision, so a URN recorded there is a mistake; "XXXXXXX" (URN not known) is accepted.
The list of such placement types changes with the PLACE codes: H5 leaves it in 2023-24 (from
28 October 2023 supported accommodation must be registered and needs a URN, rule 230), P2 in
2024-25 (no longer a valid placement), and Z1 gives way to Z11-Z14 in 2025-26. Code and
message from the SSDA903 catalogues (shared/fixtures/csc-validator-be-903/output_data/); the
lists as the open 903 validator's lac2022_23 .. lac2025_26 rule_222 give them.

The other Ofsted-provider rules (1008, 218, 219, 221, 224, 227, 228, 230) need the Ofsted
provider list, which is not available here (docs/validation.md).
"""

from __future__ import annotations

import polars as pl

from ._common import ERROR, Context, Return, Rule, collector

E = "Episodes"
UNKNOWN_URN = "XXXXXXX"
MESSAGE = "Ofsted Unique reference number (URN) should not be recorded for this placement type."
_COMMON = ["P1", "P3", "R1", "R2", "R5", "T0", "T1", "T2", "T3", "T4"]
NO_URN_PLACES: dict[int, list[str]] = {
    2019: ["H5", "P2", *_COMMON, "Z1"],
    2024: ["P2", *_COMMON, "Z1"],
    2025: [*_COMMON, "Z1"],
    2026: [*_COMMON, "Z11", "Z12", "Z13", "Z14"],
}

RULES: list[Rule] = []
CHANGED_2024: list[Rule] = []
CHANGED_2025: list[Rule] = []
CHANGED_2026: list[Rule] = []


def _declare_222(into: list[Rule], places: list[str]) -> None:
    @collector(into)("222", MESSAGE, ERROR, {E: ("PLACE", "URN")})
    def r222(f: Return, ctx: Context) -> pl.DataFrame:
        return f[E].filter(
            pl.col("PLACE").is_in(places).fill_null(False)
            & pl.col("URN").is_not_null()
            & (pl.col("URN") != UNKNOWN_URN)
        )


for _into, _year in (
    (RULES, 2019),
    (CHANGED_2024, 2024),
    (CHANGED_2025, 2025),
    (CHANGED_2026, 2026),
):
    _declare_222(_into, NO_URN_PLACES[_year])
