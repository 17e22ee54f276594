"""SSDA903 rules on missing / away-from-placement periods (the Missing file).

Codes and messages from the SSDA903 validation rules (catalogue in shared/fixtures/
csc-validator-be-903/output_data/); logic written here from the rule texts.
"""

from __future__ import annotations

import polars as pl

from safeguard.codes import MISSING

from ._common import (
    CHILD,
    ERROR,
    Context,
    Return,
    Rule,
    collector,
    episodes,
    outside,
    overlapping,
)

RULES: list[Rule] = []
rule = collector(RULES)
M = "Missing"


@rule(
    "1004",
    "The start date of the missing episode or episode that the child was away from "
    "placement without authorisation is not a valid date.",
    ERROR,
    {M: ("MIS_START",)},
)
def r1004(f: Return, ctx: Context) -> pl.DataFrame:
    return f[M].filter(pl.col("MIS_START").is_null())


@rule("1006", "Missing type invalid.", ERROR, {M: ("MISSING",)})
def r1006(f: Return, ctx: Context) -> pl.DataFrame:
    return f[M].filter(
        pl.col("MISSING").is_not_null() & ~pl.col("MISSING").is_in(sorted(MISSING.valid(ctx.year)))
    )


@rule(
    "564",
    "Child was missing or away from placement without authorisation and the date started is blank.",
    ERROR,
    {M: ("MISSING", "MIS_START")},
)
def r564(f: Return, ctx: Context) -> pl.DataFrame:
    return f[M].filter(pl.col("MISSING").is_not_null() & pl.col("MIS_START").is_null())


@rule(
    "565",
    "The date that the child started to be missing or away from placement without "
    "authorisation has been completed but whether the child was missing or away from placement "
    "without authorisation has not been completed.",
    ERROR,
    {M: ("MISSING", "MIS_START")},
)
def r565(f: Return, ctx: Context) -> pl.DataFrame:
    return f[M].filter(pl.col("MIS_START").is_not_null() & pl.col("MISSING").is_null())


@rule(
    "566",
    "The date that the child's episode of being missing or away from placement without "
    "authorisation ended has been completed but whether the child was missing or away without "
    "authorisation has not been completed.",
    ERROR,
    {M: ("MISSING", "MIS_END")},
)
def r566(f: Return, ctx: Context) -> pl.DataFrame:
    return f[M].filter(pl.col("MIS_END").is_not_null() & pl.col("MISSING").is_null())


@rule(
    "567",
    "The date that the missing episode or episode that the child was away from placement "
    "without authorisation ended is before the date that it started.",
    ERROR,
    {M: ("MIS_START", "MIS_END")},
)
def r567(f: Return, ctx: Context) -> pl.DataFrame:
    return f[M].filter(pl.col("MIS_END") < pl.col("MIS_START"))


@rule(
    "570",
    "The date that the child started to be missing or away from placement without "
    "authorisation is after the end of the collection year.",
    ERROR,
    {M: ("MIS_START",)},
)
def r570(f: Return, ctx: Context) -> pl.DataFrame:
    return f[M].filter(pl.col("MIS_START") > pl.lit(ctx.reference_date))


@rule(
    "571",
    "The date that the child ceased to be missing or away from placement without "
    "authorisation is before the start or after the end of the collection year.",
    ERROR,
    {M: ("MIS_END",)},
)
def r571(f: Return, ctx: Context) -> pl.DataFrame:
    return f[M].filter(outside("MIS_END", ctx.period_start, ctx.reference_date))


@rule(
    "574",
    "A new missing/away from placement without authorisation period cannot start when the "
    "previous missing/away from placement without authorisation period is still open. "
    "Missing/away from placement without authorisation periods should also not overlap.",
    ERROR,
    {M: ("MIS_START", "MIS_END")},
)
def r574(f: Return, ctx: Context) -> pl.DataFrame:
    return overlapping(f[M], [CHILD], "MIS_START", "MIS_END")


def _episode_of_missing(f: Return) -> pl.DataFrame:
    """Each missing period with the episode it started in (when there is one)."""
    e = episodes(f).select(
        CHILD, "DECOM", "DEC", "REC", "next_DECOM", "poc_end", pl.col("_row").alias("_erow")
    )
    m = f[M].filter(pl.col("MIS_START").is_not_null())
    j = m.join(e, on=CHILD, how="inner")
    inside = (pl.col("MIS_START") >= pl.col("DECOM")) & (
        pl.col("DEC").is_null() | (pl.col("MIS_START") <= pl.col("DEC"))
    )
    return j.filter(inside)


@rule(
    "575",
    "If the placement from which the child goes missing/away from placement without "
    "authorisation ends, the missing/away from placement without authorisation period in the "
    "missing module must also have an end date.",
    ERROR,
    {M: ("MIS_END",)},
)
def r575(f: Return, ctx: Context) -> pl.DataFrame:
    return _episode_of_missing(f).filter(pl.col("DEC").is_not_null() & pl.col("MIS_END").is_null())


@rule(
    "577",
    "Child ceased to be looked after but there is a missing/away from placement without "
    "authorisation period without an end date.",
    ERROR,
    {M: ("MIS_END",)},
)
def r577(f: Return, ctx: Context) -> pl.DataFrame:
    """An open missing period in a period of care that has ended (REC other than X1)."""
    j = _episode_of_missing(f)
    return j.filter(
        pl.col("MIS_END").is_null() & pl.col("REC").is_not_null() & (pl.col("REC") != "X1")
    )


@rule(
    "578",
    "The date that the child started to be missing is after the child ceased to be looked after.",
    ERROR,
    {M: ("MIS_START",)},
)
def r578(f: Return, ctx: Context) -> pl.DataFrame:
    """Started after the end of the child's last period of care (which has ended)."""
    e = episodes(f)
    last = e.filter(
        pl.col("next_DECOM").is_null() & pl.col("DEC").is_not_null() & (pl.col("REC") != "X1")
    ).select(CHILD, pl.col("DEC").alias("_left"))
    return f[M].join(last, on=CHILD).filter(pl.col("MIS_START") > pl.col("_left"))


@rule(
    "580",
    "Child is missing when cease being looked after but reason episode ceased not ‘E8’.",
    ERROR,
    {"Episodes": ("REC",), M: ("MIS_END",)},
    table="Episodes",
)
def r580(f: Return, ctx: Context) -> pl.DataFrame:
    """Still missing on the day care ended at 18 (the period ends that day): REC must be E8."""
    e = f["Episodes"].join(f[M].select(CHILD, "MIS_END", "DOB"), on=CHILD)
    at_18 = pl.col("DOB").dt.offset_by("18y")
    return e.filter(
        (pl.col("MIS_END") == at_18)
        & (pl.col("DEC") == pl.col("MIS_END"))
        & (pl.col("REC") != "E8")
    )


@rule(
    "581",
    "Child is missing but has not yet started to be looked after.",
    ERROR,
    {M: ("MIS_START",)},
)
def r581(f: Return, ctx: Context) -> pl.DataFrame:
    """A missing period that starts in none of the child's episodes (for a child with some)."""
    inside = _episode_of_missing(f).select("_row").unique()
    with_eps = f[M].join(f["Episodes"].select(CHILD).unique(), on=CHILD)
    return with_eps.filter(pl.col("MIS_START").is_not_null()).join(inside, on="_row", how="anti")


@rule(
    "586",
    "Dates of missing periods are before child’s date of birth.",
    ERROR,
    {M: ("MIS_START", "DOB")},
)
def r586(f: Return, ctx: Context) -> pl.DataFrame:
    return f[M].filter(pl.col("MIS_START") <= pl.col("DOB"))


ADDED_PREVIOUS: list[Rule] = []
added_prev = collector(ADDED_PREVIOUS)


@added_prev(
    "576",
    "There is an open missing/away from placement without authorisation period in "
    "last year’s return and there is no corresponding period recorded at the start of "
    "this year.",
    ERROR,
    {M: ("MIS_START",), "Header": ()},
)
def r576(f: Return, ctx: Context) -> dict[str, pl.DataFrame]:
    """Last year's open missing period must reappear (same start) this year; the failure points
    at the child's first missing row, or the header row when there is none."""
    if ctx.previous is None:
        return {}
    open_last = ctx.previous[M].filter(pl.col("MIS_END").is_null()).select(CHILD, "MIS_START")
    now = f[M].select(CHILD, "MIS_START")
    lost = open_last.join(now, on=[CHILD, "MIS_START"], how="anti").select(CHILD).unique()
    first = f[M].filter(pl.col("MIS_START") == pl.col("MIS_START").min().over(CHILD))
    return {
        M: first.join(lost, on=CHILD),
        "Header": f["Header"].join(lost, on=CHILD).join(f[M].select(CHILD), on=CHILD, how="anti"),
    }
