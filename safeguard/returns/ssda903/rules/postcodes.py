"""SSDA903 rules on the home and placement postcodes of episodes (392b, 392c, 392d).

Codes and messages from the SSDA903 validation rules (catalogue in shared/fixtures/
csc-validator-be-903/output_data/); logic written here. 392a (distance recorded) reads
PL_DISTANCE, which the DfE derives and the return's tables do not carry.

392c: the open validator looks each postcode up in the ONS postcode directory; we hold no
postcode directory, so we check the form of a UK postcode (outward code of an area, a district,
then an inward code of a digit and two letters). A well-formed postcode that does not exist
passes here.
"""

from __future__ import annotations

import polars as pl

from ._common import CHILD, ERROR, Context, Return, Rule, collector

RULES: list[Rule] = []
rule = collector(RULES)
E = "Episodes"
POSTCODES = ("HOME_POST", "PL_POST")
#: A UK postcode, spaces removed and upper-cased: area (1-2 letters), district (a digit, then
#: an optional digit or letter), inward code (a digit and two letters). The form only: Royal
#: Mail's narrower letter ranges are not enforced.
POSTCODE_FORMAT = r"^[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}$"


def _compact(col: str) -> pl.Expr:
    """A postcode upper-cased with its spaces removed, so 'ab1 2cd' and 'AB12CD' compare equal."""
    return pl.col(col).str.to_uppercase().str.replace_all(" ", "", literal=True)


def _former_uasc(f: Return, ctx: Context) -> pl.DataFrame:
    """Children recorded as unaccompanied asylum seekers this year or last: a UASC row, or the
    header's UASC flag (the XML form's item; the CSV form derives it from the UASC rows)."""
    returns = [f] + ([ctx.previous] if ctx.previous is not None else [])
    parts = [r["UASC"].select(CHILD) for r in returns]
    parts += [r["Header"].filter(pl.col("UASC") == "1").select(CHILD) for r in returns]
    return pl.concat(parts).unique()


@rule(
    "392b",
    "Child is looked after but no postcodes are recorded. [NOTE: This check may result in "
    "false positives for children formerly UASC, particularly if current & prior year UASC "
    "data not loaded]",
    ERROR,
    {E: ("HOME_POST", "PL_POST", "LS"), "Header": ("UASC",), "UASC": ("CHILD",)},
    table=E,
)
def r392b(f: Return, ctx: Context) -> pl.DataFrame:
    """An episode, not a short break (V3/V4), of a child who has not been an unaccompanied
    asylum seeker, with the home or the placement postcode missing."""
    e = f[E].filter(~pl.col("LS").is_in(["V3", "V4"]).fill_null(False))
    e = e.filter(pl.col("HOME_POST").is_null() | pl.col("PL_POST").is_null())
    return e.join(_former_uasc(f, ctx), on=CHILD, how="anti")


@rule("392c", "Postcode(s) provided are invalid.", ERROR, {E: POSTCODES})
def r392c(f: Return, ctx: Context) -> pl.DataFrame:
    """A postcode given that is not in the form of a UK postcode."""
    bad = [
        pl.col(c).is_not_null() & ~_compact(c).str.contains(POSTCODE_FORMAT).fill_null(False)
        for c in POSTCODES
    ]
    return f[E].filter(pl.any_horizontal(bad))


@rule(
    "392d",
    "Home and placement postcodes should not be same unless the placement type is P1.",
    ERROR,
    {E: ("HOME_POST", "PL_POST", "PLACE")},
)
def r392d(f: Return, ctx: Context) -> pl.DataFrame:
    """The same postcode at home and placement (spaces and case aside), not placed with parents."""
    same = _compact("HOME_POST") == _compact("PL_POST")
    return f[E].filter(same.fill_null(False) & (pl.col("PLACE").fill_null("") != "P1"))
