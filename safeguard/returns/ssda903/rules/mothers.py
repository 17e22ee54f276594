"""SSDA903 rules on the mother status (MOTHER) of the header against episodes and care leaver
information: who must, may and must not have it.

Codes and messages from the SSDA903 validation rules (catalogue in shared/fixtures/
csc-validator-be-903/output_data/); logic written here from the rule texts. MOTHER is asked of
girls looked after in the year; care leavers who were not looked after in the year are not asked.
"""

from __future__ import annotations

import polars as pl

from ._common import CHILD, ERROR, Context, Return, Rule, cached, collector, female, male

RULES: list[Rule] = []
rule = collector(RULES)
H, E, OC3 = "Header", "Episodes", "OC3"
OC3_ITEMS = ("IN_TOUCH", "ACTIV", "ACCOM")
MOTHER_CODES = ["0", "1"]


def looked_after_in_year(f: Return, ctx: Context, *, short_breaks: bool = True) -> pl.DataFrame:
    """Children with an episode during the collection year (one CHILD column); without
    `short_breaks`, episodes under V3/V4 do not count."""

    def build(episodes: pl.DataFrame) -> pl.DataFrame:
        e = episodes.filter(
            (pl.col("DECOM") <= pl.lit(ctx.reference_date))
            & (pl.col("DEC").is_null() | (pl.col("DEC") >= pl.lit(ctx.period_start)))
        )
        if not short_breaks:
            e = e.filter(~pl.col("LS").is_in(["V3", "V4"]).fill_null(False))
        return e.select(CHILD).unique()

    return cached(f"in-year-{ctx.year}-{short_breaks}", f[E], build)


def care_leavers(f: Return) -> pl.DataFrame:
    """Children with any care leaver item (IN_TOUCH, ACTIV, ACCOM) recorded."""
    oc3 = f[OC3].filter(pl.any_horizontal([pl.col(c).is_not_null() for c in OC3_ITEMS]))
    return oc3.select(CHILD).unique()


def _flag(df: pl.DataFrame, name: str) -> pl.DataFrame:
    """One CHILD column frame with a True flag column, for a left join."""
    return df.with_columns(pl.lit(True).alias(name))


@rule(
    "165",
    "Data entry for mother status is invalid.",
    ERROR,
    {H: ("MOTHER", "SEX"), E: ("DECOM", "DEC", "LS")},
)
def r165(f: Return, ctx: Context) -> pl.DataFrame:
    """MOTHER, when given, is 0 or 1 and the child is not male; a girl looked after in the year
    has it. The text lets it be blank only for a boy or for a care leaver with no episode in
    the year; like the open validator, we also leave alone a girl with only short breaks
    (V3/V4) or with nothing in the return but her header (other rules report those)."""
    h = f[H].join(
        _flag(looked_after_in_year(f, ctx, short_breaks=False), "_in_year"), on=CHILD, how="left"
    )
    given = pl.col("MOTHER").is_not_null()
    bad_code = given & ~pl.col("MOTHER").is_in(MOTHER_CODES)
    boy = given & male.fill_null(False)
    missing = ~given & female.fill_null(False) & pl.col("_in_year").fill_null(False)
    return h.filter(bad_code | boy | missing)


@rule(
    "628",
    "Motherhood details are not required for care leavers who have not been looked after "
    "during the year.",
    ERROR,
    {H: ("MOTHER",), E: ("DECOM", "DEC"), OC3: OC3_ITEMS},
)
def r628(f: Return, ctx: Context) -> pl.DataFrame:
    """MOTHER given for a care leaver with no episode during the year."""
    leavers = care_leavers(f).join(looked_after_in_year(f, ctx), on=CHILD, how="anti")
    return f[H].filter(pl.col("MOTHER").is_not_null()).join(leavers, on=CHILD)
