"""SSDA903 rules on social worker episodes (SWEpisodes, collected from 2023-24).

Codes and messages from the SSDA903 validation rules (catalogue in shared/fixtures/
csc-validator-be-903/output_data/903_2023_24_rule_info.csv); logic written here.
"""

from __future__ import annotations

import polars as pl

from safeguard.codes import SW_REASON

from ._common import CHILD, ERROR, Context, Return, Rule, collector, outside, overlapping

RULES: list[Rule] = []
rule = collector(RULES)
SW = "SWEpisodes"


@rule(
    "SW02STG1",
    "Social worker ID does not begin with the characters ‘SW’ or ‘XX’.",
    ERROR,
    {SW: ("SW_ID",)},
)
def sw02(f: Return, ctx: Context) -> pl.DataFrame:
    return f[SW].filter(
        pl.col("SW_ID").is_not_null() & ~pl.col("SW_ID").str.slice(0, 2).is_in(["SW", "XX"])
    )


@rule(
    "SW03STG1",
    "For each social worker episode, information should be complete.",
    ERROR,
    {SW: ("SW_ID", "SW_DECOM", "SW_REASON")},
)
def sw03(f: Return, ctx: Context) -> pl.DataFrame:
    return f[SW].filter(
        pl.col("SW_ID").is_null() | pl.col("SW_DECOM").is_null() | pl.col("SW_REASON").is_null()
    )


@rule(
    "SW06STG2",
    "Social worker episode data should be within the social worker data reporting year.",
    ERROR,
    {SW: ("SW_DECOM",)},
)
def sw06(f: Return, ctx: Context) -> pl.DataFrame:
    return f[SW].filter(pl.col("SW_DECOM") > pl.lit(ctx.reference_date))


@rule(
    "SW07STG2",
    "Social worker episode end date should be on or after the start of the social "
    "worker reporting period, and should be on or before the collection end date.",
    ERROR,
    {SW: ("SW_DEC",)},
)
def sw07(f: Return, ctx: Context) -> pl.DataFrame:
    return f[SW].filter(outside("SW_DEC", ctx.period_start, ctx.reference_date))


@rule(
    "SW08STG2",
    "A new social worker episode has started, but the previous episode has not ended.",
    ERROR,
    {SW: ("SW_DEC",)},
)
def sw08(f: Return, ctx: Context) -> pl.DataFrame:
    s = f[SW].filter(pl.col("SW_DECOM").is_not_null()).sort(CHILD, "SW_DECOM")
    later = pl.col("SW_DECOM").shift(-1).over(CHILD).is_not_null()
    return s.filter(later & pl.col("SW_DEC").is_null())


@rule(
    "SW09STG2",
    "Social worker episode appears to have lasted for less than 24 hours.",
    ERROR,
    {SW: ("SW_DECOM", "SW_DEC")},
)
def sw09(f: Return, ctx: Context) -> pl.DataFrame:
    return f[SW].filter(pl.col("SW_DEC") == pl.col("SW_DECOM"))


@rule(
    "SW10STG2",
    "A new social worker episode has started before the end date of the previous "
    "social worker episode.",
    ERROR,
    {SW: ("SW_DECOM",)},
)
def sw10(f: Return, ctx: Context) -> pl.DataFrame:
    return overlapping(f[SW], [CHILD], "SW_DECOM", "SW_DEC")


@rule(
    "SW13STG1",
    "The reason for social worker change is either not valid or has not been entered.",
    ERROR,
    {SW: ("SW_REASON",)},
)
def sw13(f: Return, ctx: Context) -> pl.DataFrame:
    return f[SW].filter(~pl.col("SW_REASON").is_in(sorted(SW_REASON.valid())).fill_null(False))


@rule("SW14STG2", "Social worker episode date ceased is blank.", ERROR, {SW: ("SW_DEC",)})
def sw14(f: Return, ctx: Context) -> pl.DataFrame:
    """Only a child's latest social worker episode may be open."""
    s = f[SW].filter(pl.col("SW_DECOM").is_not_null())
    latest = pl.col("SW_DECOM") == pl.col("SW_DECOM").max().over(CHILD)
    return s.filter(pl.col("SW_DEC").is_null() & ~latest)
