"""SSDA903 rules on social worker episodes (SWEpisodes, collected from 2023-24).

Codes and messages from the SSDA903 validation rules (catalogue in shared/fixtures/
csc-validator-be-903/output_data/903_2023_24_rule_info.csv); logic written here.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from safeguard.codes import SW_REASON

from ._common import (
    CHILD,
    ERROR,
    ROW,
    Context,
    Return,
    Rule,
    collector,
    looked_after_at,
    outside,
    overlapping,
)

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


# --- Social worker cover for children looked after -------------------------------------------

#: The social worker collection began on 1 April 2023; episodes that started earlier may lack a
#: reason for change (SW01a/SW01b, SW13 from 2024-25).
SW_COLLECTION_START = date(2023, 4, 1)
#: Days between one social worker episode ending and the next starting that still count as
#: continuous cover (SW11); the open validator's reading of the DfE text.
SW_GAP_DAYS = 5


def _looked_after_31_march(f: Return, ctx: Context) -> pl.DataFrame:
    """Children with an episode open at 31 March that is not a short break (V3/V4)."""
    e = f["Episodes"].filter(looked_after_at(f["Episodes"], ctx.reference_date))
    return e.filter(~pl.col("LS").is_in(["V3", "V4"]).fill_null(False))


def _sw_in_order(f: Return) -> pl.DataFrame:
    """Social worker episodes by child and start, with the next episode's start (same child)."""
    s = f[SW].filter(pl.col("SW_DECOM").is_not_null()).sort(CHILD, "SW_DECOM", ROW)
    same_next = pl.col(CHILD).shift(-1) == pl.col(CHILD)
    return s.with_columns(
        pl.when(same_next).then(pl.col("SW_DECOM").shift(-1)).alias("next_SW_DECOM"),
        pl.when(pl.col(CHILD).shift(1) == pl.col(CHILD))
        .then(pl.col("SW_DEC").shift(1))
        .alias("prev_SW_DEC"),
        (pl.col(CHILD).shift(1) != pl.col(CHILD)).fill_null(True).alias("sw_first"),
    )


ADDED_2024: list[Rule] = []
added_2024 = collector(ADDED_2024)


@added_2024(
    "SW01STG1",
    "Child looked after on 31 March, but no social worker episode information is reported",
    ERROR,
    {"Episodes": ("DEC",), SW: ("SW_ID", "SW_DECOM", "SW_REASON")},
    table="Episodes",
)
def sw01(f: Return, ctx: Context) -> pl.DataFrame:
    """The open episode of a child looked after at 31 March whose social worker episodes do not
    give, at least once each, a social worker ID, a start date and a reason."""
    given = (
        f[SW]
        .group_by(CHILD)
        .agg(
            pl.col("SW_ID").is_not_null().any().alias("_id"),
            pl.col("SW_DECOM").is_not_null().any().alias("_decom"),
            pl.col("SW_REASON").is_not_null().any().alias("_reason"),
        )
    )
    e = _looked_after_31_march(f, ctx).join(given, on=CHILD, how="left")
    complete = pl.col("_id") & pl.col("_decom") & pl.col("_reason")
    return e.filter(~complete.fill_null(False))


@added_2024(
    "SW11STG2",
    "Social worker episode has ended before 31 March and no subsequent social worker episode "
    "has been provided.",
    ERROR,
    {SW: ("SW_DEC",)},
)
def sw11(f: Return, ctx: Context) -> pl.DataFrame:
    """An episode ended before 31 March and the next one starts more than five days later; or
    none follows although the child is still looked after at 31 March (a child who left care
    has no social worker to report after leaving)."""
    s = _sw_in_order(f).filter(pl.col("SW_DEC") < pl.lit(ctx.reference_date))
    in_care = _looked_after_31_march(f, ctx).select(CHILD).unique()
    s = s.join(in_care.with_columns(pl.lit(True).alias("_in_care")), on=CHILD, how="left")
    late = pl.col("next_SW_DECOM") > pl.col("SW_DEC").dt.offset_by(f"{SW_GAP_DAYS}d")
    none_after = pl.col("next_SW_DECOM").is_null() & pl.col("_in_care").fill_null(False)
    return s.filter(late.fill_null(False) | none_after)


@added_2024(
    "SW12STG2",
    "If a child is looked after on 31 March then all social worker episodes for the full "
    "previous year should be reported, even those whilst they were not looked after",
    ERROR,
    {SW: ("SW_DECOM",), "Episodes": ("DECOM", "DEC"), "Header": ("DOB",)},
)
def sw12(f: Return, ctx: Context) -> pl.DataFrame:
    """The earliest social worker episode of a child looked after at 31 March starts after
    1 April (or after the child's birth, for a child born in the year): the year before
    31 March is not covered."""
    in_care = _looked_after_31_march(f, ctx).select(CHILD).unique()
    first = _sw_in_order(f).filter(pl.col("sw_first")).join(in_care, on=CHILD)
    dob = f["Header"].select(CHILD, pl.col("DOB").alias("_dob")).unique(CHILD)
    first = first.join(dob, on=CHILD, how="left")
    cover_from = pl.max_horizontal(pl.lit(ctx.period_start), pl.col("_dob"))
    return first.filter(pl.col("SW_DECOM") > cover_from)


# --- 2024-25 --------------------------------------------------------------------------------

ADDED_2025: list[Rule] = []
added_2025 = collector(ADDED_2025)
CHANGED_2025: list[Rule] = []
changed_2025 = collector(CHANGED_2025)
#: Deleted for 2024-25 (SW01 is split into SW01a/SW01b by the start date): the open
#: validator's lac2024_25 del_list, "removed rules deleted for 24/25" (data-to-insight/
#: csc-validator-be-903 commit 77cacde).
REMOVED_2025 = ["SW01STG1", "SW03STG1", "SW14STG2"]


@added_2025(
    "SW01aSTG1",
    "For each social worker episode, information should be complete",
    ERROR,
    {SW: ("SW_DECOM", "SW_ID")},
)
def sw01a(f: Return, ctx: Context) -> pl.DataFrame:
    """An episode begun before the collection of social workers (1 April 2023) needs an ID;
    every episode needs a start date."""
    before = pl.col("SW_DECOM") < pl.lit(SW_COLLECTION_START)
    return f[SW].filter((before & pl.col("SW_ID").is_null()) | pl.col("SW_DECOM").is_null())


@added_2025(
    "SW01bSTG1",
    "For each social worker episode, information should be complete",
    ERROR,
    {SW: ("SW_DECOM", "SW_ID", "SW_REASON")},
)
def sw01b(f: Return, ctx: Context) -> pl.DataFrame:
    """An episode begun on or after 1 April 2023 needs an ID and a reason for the change;
    every episode needs a start date."""
    since = pl.col("SW_DECOM") >= pl.lit(SW_COLLECTION_START)
    missing = pl.col("SW_ID").is_null() | pl.col("SW_REASON").is_null()
    return f[SW].filter((since & missing) | pl.col("SW_DECOM").is_null())


@changed_2025(
    "SW07STG2",
    "Social worker episode end date should be on or after the start of the social "
    "worker reporting period, and should be on or before the collection end date.",
    ERROR,
    {SW: ("SW_DEC",)},
)
def sw07_2025(f: Return, ctx: Context) -> pl.DataFrame:
    """From 2024-25 the social worker reporting period reaches back a year before the
    collection year (episodes for the full previous year are reported, SW12)."""
    start = date(ctx.period_start.year - 1, 4, 1)
    return f[SW].filter(outside("SW_DEC", start, ctx.reference_date))


@changed_2025(
    "SW10STG2",
    "A new social worker episode has started before the end date of the previous "
    "social worker episode.",
    ERROR,
    {SW: ("SW_DECOM", "SW_REASON")},
)
def sw10_2025(f: Return, ctx: Context) -> pl.DataFrame:
    """From 2024-25 the DfE allows seven days' overlap: unless the reason for the change is
    FCONTA, an episode must start no earlier than seven days before the previous one ended."""
    s = _sw_in_order(f)
    early = pl.col("SW_DECOM") < pl.col("prev_SW_DEC").dt.offset_by("-7d")
    return s.filter(early.fill_null(False) & (pl.col("SW_REASON").fill_null("") != "FCONTA"))


@changed_2025(
    "SW13STG1",
    "The reason for social worker change is not valid.",
    ERROR,
    {SW: ("SW_REASON", "SW_DECOM")},
)
def sw13_2025(f: Return, ctx: Context) -> pl.DataFrame:
    """From 2024-25 a blank reason is accepted on an episode begun before 1 April 2023."""
    valid = sorted(SW_REASON.valid())
    blank = pl.col("SW_REASON").is_null()
    invalid = ~blank & ~pl.col("SW_REASON").is_in(valid)
    recent_blank = blank & (pl.col("SW_DECOM") >= pl.lit(SW_COLLECTION_START)).fill_null(False)
    return f[SW].filter(invalid | recent_blank)


# --- Withdrawn before they came into force ---------------------------------------------------

#: SW15 and SW16a-c are in the 2024-25 catalogue, but the open validator deletes them in the
#: same year it adds them (lac2024_25 del_list), following the DfE's final 2024-25 rules. They
#: are declared and tested here, and in no year's rule set (see docs/validation.md).
WITHDRAWN: list[Rule] = []
withdrawn = collector(WITHDRAWN)


@withdrawn("SW15STG2", "Reason for social worker change is missing.", ERROR, {SW: ("SW_REASON",)})
def sw15(f: Return, ctx: Context) -> pl.DataFrame:
    """A blank reason on an episode begun in the social worker reporting period (from the
    year before the collection year) or with no start date."""
    start = date(ctx.period_start.year - 1, 4, 1)
    return f[SW].filter(
        pl.col("SW_REASON").is_null() & ~(pl.col("SW_DECOM") < pl.lit(start)).fill_null(False)
    )


def _continues_last_year(code: str, message: str, field: str) -> None:
    """This year's first social worker episode must carry on last year's open one."""

    @withdrawn(code, message, ERROR, {SW: (field,)})
    def check(f: Return, ctx: Context) -> pl.DataFrame:
        if ctx.previous is None:
            return f[SW].clear()
        last = ctx.previous[SW].filter(pl.col("SW_DECOM").is_not_null())
        last = last.sort(CHILD, "SW_DECOM").group_by(CHILD, maintain_order=True).last()
        still_open = last.filter(pl.col("SW_DEC").is_null()).select(
            CHILD, pl.col(field).alias("_last")
        )
        first = _sw_in_order(f).filter(pl.col("sw_first")).join(still_open, on=CHILD)
        return first.filter(pl.col(field).ne_missing(pl.col("_last")))


_continues_last_year(
    "SW16aSTG2",
    "The social worker reason episode changed does not match the open episode at the end of "
    "last year.",
    "SW_ID",
)
_continues_last_year(
    "SW16bSTG2",
    "The social worker episode start date does not match the open episode at the end of last year.",
    "SW_DECOM",
)
_continues_last_year(
    "SW16cSTG2",
    "The social worker reason episode changed does not match the open episode at the end of "
    "last year.",
    "SW_REASON",
)


# --- 2025-26 --------------------------------------------------------------------------------

ADDED_2026: list[Rule] = []
added_2026 = collector(ADDED_2026)


@added_2026(
    "SW17STG2",
    "There is no social worker episode open at 31 March",
    ERROR,
    {SW: ("SW_DEC", "SW_DECOM")},
)
def sw17(f: Return, ctx: Context) -> pl.DataFrame:
    """The latest social worker episode of a child looked after at 31 March has ended."""
    in_care = _looked_after_31_march(f, ctx).select(CHILD).unique()
    s = _sw_in_order(f)
    latest = s.filter(pl.col(CHILD).shift(-1).ne_missing(pl.col(CHILD)))
    return latest.join(in_care, on=CHILD).filter(pl.col("SW_DEC").is_not_null())
