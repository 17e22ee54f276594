"""CIN census rules on section 47 enquiries, child protection plans and their reviews.

Codes and messages from the DfE CIN census validation rules (via shared/reference/cin-census.md
and data-to-insight's cin2022_23 rule set); logic written here from the rule texts.
"""

from __future__ import annotations

import polars as pl

from safeguard.calendar import add_working_days
from safeguard.codes import CATEGORY_OF_ABUSE

from ._common import (
    CHILD,
    EP,
    ERROR,
    QUERY,
    Context,
    Return,
    Rule,
    child_dates,
    collector,
    episode,
    in_period,
    outside,
    overlapping,
    rows_of,
)

RULES: list[Rule] = []
rule = collector(RULES)

S47, CPP, CIN = "Section47", "ChildProtectionPlans", "CINdetails"
icpc_not_required = pl.col("ICPCnotRequired").fill_null(False)


def _open_s47() -> pl.Expr:
    """No ICPC held and not flagged as not required: the enquiry is still ongoing."""
    return pl.col("DateOfInitialCPC").is_null() & ~icpc_not_required


@rule(
    "1105",
    "The child protection plan start date cannot be before the referral date",
    ERROR,
    {CPP: ("CPPstartDate",), CIN: ("CINreferralDate",)},
)
def r1105(f: Return, ctx: Context) -> pl.DataFrame:
    return episode(f, CPP, ["CINreferralDate"]).filter(
        pl.col("CPPstartDate") < pl.col("CINreferralDate")
    )


@rule(
    "2883",
    "There are more child protection plans starting than initial conferences taking place",
    ERROR,
    {"Header": (), CPP: ("CPPstartDate",), S47: ("DateOfInitialCPC",), CIN: ("DateOfInitialCPC",)},
    la_level=True,
)
def r2883(f: Return, ctx: Context) -> pl.DataFrame:
    plans = f[CPP].filter(in_period("CPPstartDate", ctx)).height
    icpcs = (
        f[S47].filter(in_period("DateOfInitialCPC", ctx)).height
        + f[CIN].filter(in_period("DateOfInitialCPC", ctx)).height
    )
    return rows_of(f["Header"].head(1 if plans > icpcs else 0))


@rule(
    "2884",
    "An initial child protection conference is recorded at both the S47 and CIN "
    "Details level and it should only be recorded in one",
    ERROR,
    {CIN: ("DateOfInitialCPC",), S47: ("DateOfInitialCPC",)},
    table=CIN,
)
def r2884(f: Return, ctx: Context) -> pl.DataFrame:
    """The same conference (same date) recorded on the CIN episode and on one of its S47s."""
    s47_icpc = f[S47].select(*EP, "DateOfInitialCPC").drop_nulls().unique()
    return f[CIN].join(s47_icpc, on=[*EP, "DateOfInitialCPC"])


@rule(
    "2885",
    "Child protection plan shown as starting a different day to the initial child "
    "protection conference.",
    ERROR,
    {CPP: ("CPPstartDate",), S47: ("DateOfInitialCPC",), CIN: ("DateOfInitialCPC",)},
)
def r2885(f: Return, ctx: Context) -> pl.DataFrame:
    """A plan starting in the year must start on an ICPC date of its episode (S47 or CIN level)."""
    icpc = (
        pl.concat(
            [
                f[S47].filter(~icpc_not_required).select(*EP, "DateOfInitialCPC"),
                f[CIN].select(*EP, "DateOfInitialCPC"),
            ]
        )
        .drop_nulls("DateOfInitialCPC")
        .rename({"DateOfInitialCPC": "CPPstartDate"})
        .unique()
    )
    plans = f[CPP].filter(in_period("CPPstartDate", ctx))
    return plans.join(icpc, on=[*EP, "CPPstartDate"], how="anti")


@rule(
    "2889",
    "The S47 start date cannot be before the referral date.",
    ERROR,
    {S47: ("S47ActualStartDate",), CIN: ("CINreferralDate",)},
)
def r2889(f: Return, ctx: Context) -> pl.DataFrame:
    return episode(f, S47, ["CINreferralDate"]).filter(
        pl.col("S47ActualStartDate") < pl.col("CINreferralDate")
    )


@rule(
    "8615",
    "Section 47 Enquiry Start Date must be present and cannot be later than the date "
    "of the initial Child Protection Conference",
    ERROR,
    {S47: ("S47ActualStartDate", "DateOfInitialCPC")},
)
def r8615(f: Return, ctx: Context) -> pl.DataFrame:
    s = pl.col("S47ActualStartDate")
    return f[S47].filter(s.is_null() | (s > pl.col("DateOfInitialCPC")).fill_null(False))


@rule(
    "8675Q",
    "Please check and either amend data or provide a reason: S47 Enquiry started more "
    "than 15 working days before the end of the census year. However, there is no date of "
    "Initial Child Protection Conference.",
    QUERY,
    {S47: ("S47ActualStartDate", "DateOfInitialCPC", "ICPCnotRequired")},
)
def r8675q(f: Return, ctx: Context) -> pl.DataFrame:
    cutoff = add_working_days(ctx.reference_date, -15)
    return f[S47].filter(_open_s47() & (pl.col("S47ActualStartDate") < pl.lit(cutoff)))


@rule(
    "8715",
    "Date of Initial Child Protection Conference must fall within the census year",
    ERROR,
    {S47: ("DateOfInitialCPC",), CIN: ("DateOfInitialCPC",)},
)
def r8715(f: Return, ctx: Context) -> dict[str, pl.DataFrame]:
    out = outside("DateOfInitialCPC", ctx.period_start, ctx.reference_date)
    return {S47: f[S47].filter(out), CIN: f[CIN].filter(out)}


@rule(
    "8720",
    "Child Protection Plan Start Date missing or out of data collection period",
    ERROR,
    {CPP: ("CPPstartDate",)},
)
def r8720(f: Return, ctx: Context) -> pl.DataFrame:
    s = pl.col("CPPstartDate")
    return f[CPP].filter(s.is_null() | (s > pl.lit(ctx.reference_date)))


@rule(
    "8730",
    "Total Number of previous Child Protection Plans missing",
    ERROR,
    {CPP: ("NumberOfPreviousCPP",)},
)
def r8730(f: Return, ctx: Context) -> pl.DataFrame:
    n = pl.col("NumberOfPreviousCPP")
    return f[CPP].filter(n.is_null() | (n < 0))


@rule(
    "8740",
    "For a Section 47 Enquiry that has not held the Initial Child Protection Conference "
    "by the end of the census year, the start date must fall within the census year",
    ERROR,
    {S47: ("S47ActualStartDate", "DateOfInitialCPC", "ICPCnotRequired")},
)
def r8740(f: Return, ctx: Context) -> pl.DataFrame:
    return f[S47].filter(
        _open_s47() & outside("S47ActualStartDate", ctx.period_start, ctx.reference_date)
    )


@rule(
    "8839",
    "Within one CINDetails group there are 2 or more open S47 Assessments",
    ERROR,
    {S47: ("DateOfInitialCPC", "ICPCnotRequired")},
)
def r8839(f: Return, ctx: Context) -> pl.DataFrame:
    return f[S47].filter(_open_s47()).filter(pl.len().over(EP) > 1)


@rule(
    "8840",
    "Child Protection Plan cannot start and end on the same day",
    ERROR,
    {CPP: ("CPPstartDate", "CPPendDate")},
)
def r8840(f: Return, ctx: Context) -> pl.DataFrame:
    return f[CPP].filter(pl.col("CPPstartDate") == pl.col("CPPendDate"))


@rule(
    "8841",
    "The review date cannot be on the same day or before the Child protection Plan start date.",
    ERROR,
    {"Reviews": ("CPPreviewDate",), CPP: ("CPPstartDate",)},
)
def r8841(f: Return, ctx: Context) -> pl.DataFrame:
    starts = f[CPP].select(CHILD, "CPPID", "CPPstartDate").unique([CHILD, "CPPID"])
    return (
        f["Reviews"]
        .join(starts, on=[CHILD, "CPPID"])
        .filter(pl.col("CPPreviewDate") <= pl.col("CPPstartDate"))
    )


@rule(
    "8842Q",
    "Please check and either amend or provide a reason: Review Record has a missing date",
    QUERY,
    {"Reviews": ("CPPreviewDate",)},
)
def r8842q(f: Return, ctx: Context) -> pl.DataFrame:
    return f["Reviews"].filter(pl.col("CPPreviewDate").is_null())


@rule(
    "8868",
    "CIN episode is shown as closed, however Section 47 enquiry is not shown as "
    "completed by ICPC date or ICPC not required flag",
    ERROR,
    {S47: ("DateOfInitialCPC", "ICPCnotRequired"), CIN: ("CINclosureDate",)},
)
def r8868(f: Return, ctx: Context) -> pl.DataFrame:
    return episode(f, S47, ["CINclosureDate"]).filter(
        pl.col("CINclosureDate").is_not_null() & _open_s47()
    )


def _weekend(col: str) -> pl.Expr:
    return pl.col(col).dt.weekday() >= 6  # polars: Monday = 1 ... Sunday = 7


@rule(
    "8870Q",
    "Please check and either amend or provide a reason: The Target Date for Initial "
    "Child Protection Conference should not be a weekend",
    QUERY,
    {S47: ("InitialCPCtarget",)},
)
def r8870q(f: Return, ctx: Context) -> pl.DataFrame:
    return f[S47].filter(_weekend("InitialCPCtarget"))


@rule(
    "8875",
    "The Date of Initial Child Protection Conference cannot be a weekend",
    ERROR,
    {S47: ("DateOfInitialCPC",), CIN: ("DateOfInitialCPC",)},
)
def r8875(f: Return, ctx: Context) -> dict[str, pl.DataFrame]:
    return {
        S47: f[S47].filter(_weekend("DateOfInitialCPC")),
        CIN: f[CIN].filter(_weekend("DateOfInitialCPC")),
    }


@rule(
    "8890",
    "A Section 47 enquiry is shown as starting when there is another Section 47 Enquiry ongoing",
    ERROR,
    {S47: ("S47ActualStartDate", "DateOfInitialCPC")},
)
def r8890(f: Return, ctx: Context) -> pl.DataFrame:
    """S47s of one episode overlap; one ends at its ICPC (or its start, if no ICPC needed)."""
    end = (
        pl.when(icpc_not_required)
        .then(pl.col("S47ActualStartDate"))
        .otherwise(pl.col("DateOfInitialCPC"))
    )
    df = f[S47].with_columns(end.alias("_end"))
    return overlapping(df, EP, "S47ActualStartDate", "_end")


@rule(
    "8905",
    "Initial Category of Abuse code missing or invalid (see Category of Abuse table in "
    "CIN Census code set)",
    ERROR,
    {CPP: ("InitialCategoryOfAbuse",)},
)
def r8905(f: Return, ctx: Context) -> pl.DataFrame:
    valid = sorted(CATEGORY_OF_ABUSE.valid(ctx.year))
    return f[CPP].filter(~pl.col("InitialCategoryOfAbuse").is_in(valid).fill_null(False))


@rule(
    "8910",
    "Latest Category of Abuse code missing or invalid (see Category of Abuse table in "
    "CIN Census code set)",
    ERROR,
    {CPP: ("LatestCategoryOfAbuse",)},
)
def r8910(f: Return, ctx: Context) -> pl.DataFrame:
    valid = sorted(CATEGORY_OF_ABUSE.valid(ctx.year))
    return f[CPP].filter(~pl.col("LatestCategoryOfAbuse").is_in(valid).fill_null(False))


@rule(
    "8915",
    "Child Protection Plan shown as starting after the child’s Date of Death",
    ERROR,
    {CPP: ("CPPstartDate",), "ChildIdentifiers": ("PersonDeathDate",)},
)
def r8915(f: Return, ctx: Context) -> pl.DataFrame:
    return child_dates(f, CPP, ["PersonDeathDate"]).filter(
        pl.col("CPPstartDate") > pl.col("PersonDeathDate")
    )


@rule(
    "8920",
    "Child Protection Plan cannot end after the child’s Date of Death",
    ERROR,
    {CPP: ("CPPendDate",), "ChildIdentifiers": ("PersonDeathDate",)},
)
def r8920(f: Return, ctx: Context) -> pl.DataFrame:
    return child_dates(f, CPP, ["PersonDeathDate"]).filter(
        pl.col("CPPendDate") > pl.col("PersonDeathDate")
    )


@rule(
    "8925",
    "Child Protection Plan End Date earlier than Start Date",
    ERROR,
    {CPP: ("CPPstartDate", "CPPendDate")},
)
def r8925(f: Return, ctx: Context) -> pl.DataFrame:
    return f[CPP].filter(pl.col("CPPendDate") < pl.col("CPPstartDate"))


@rule(
    "8930",
    "Child Protection Plan End Date must fall within the census year",
    ERROR,
    {CPP: ("CPPendDate",)},
)
def r8930(f: Return, ctx: Context) -> pl.DataFrame:
    return f[CPP].filter(outside("CPPendDate", ctx.period_start, ctx.reference_date))


@rule(
    "8935",
    "This child is showing more than one open Child Protection plan, i.e. with no End Date",
    ERROR,
    {CPP: ("CPPendDate",)},
)
def r8935(f: Return, ctx: Context) -> pl.DataFrame:
    return f[CPP].filter(pl.col("CPPendDate").is_null()).filter(pl.len().over(CHILD) > 1)


@rule(
    "8940",
    "Child Protection Plan data contains overlapping dates",
    ERROR,
    {CPP: ("CPPstartDate", "CPPendDate")},
)
def r8940(f: Return, ctx: Context) -> pl.DataFrame:
    return overlapping(f[CPP], [CHILD], "CPPstartDate", "CPPendDate")
