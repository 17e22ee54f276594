"""SSDA903 header rules new in 2024-25: a young UASC child's date of birth (231) and sex reported
as unknown (232), once the sex code list gained U (`safeguard.codes`, rule 101).

Codes and messages from the open SSDA903 validator's lac2024_25 rules (data-to-insight/
csc-validator-be-903 at 10ad07c); logic written here. Kept apart from `header.py`, the base
year's header rules.
"""

from __future__ import annotations

import polars as pl

from ._common import ERROR, Context, Return, Rule, age_at, collector

ADDED_2025: list[Rule] = []
added_2025 = collector(ADDED_2025)
H = "Header"
#: Unaccompanied asylum-seeking children are expected to be at least this old at 31 March.
UASC_EXPECTED_AGE = 11


@added_2025(
    "231",
    "We expect that unaccompanied asylum seeking children are generally older young people. "
    "Please check the date of birth is correct. If the date of birth is correct then please "
    "provide details in a bypass request.",
    ERROR,
    {H: ("DOB", "UASC")},
)
def r231(f: Return, ctx: Context) -> pl.DataFrame:
    """A child flagged UASC who is under 11 on 31 March (born less than 11 years before)."""
    young = age_at("DOB", ctx.reference_date) < UASC_EXPECTED_AGE
    return f[H].filter((pl.col("UASC") == "1") & young)


@added_2025(
    "232",
    "Sex of the child/young person has been reported as unknown.",
    ERROR,
    {H: ("SEX",)},
)
def r232(f: Return, ctx: Context) -> pl.DataFrame:
    """SEX U: accepted as a code (101), but the DfE asks the local authority to confirm it."""
    return f[H].filter(pl.col("SEX").str.to_uppercase() == "U")
