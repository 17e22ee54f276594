"""CIN census rules on CIN episodes (CINdetails), assessments and CIN plans.

Codes and messages from the DfE CIN census validation rules (via shared/reference/cin-census.md
and data-to-insight's cin2022_23 rule set); logic written here from the rule texts.
"""

from __future__ import annotations

import polars as pl

from safeguard.calendar import add_working_days
from safeguard.codes import ASSESSMENT_FACTORS, PRIMARY_NEED, REASON_FOR_CLOSURE, REFERRAL_SOURCE
from safeguard.codes.cin import NO_FACTORS_IDENTIFIED

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
    is_nfa,
    not_nfa,
    outside,
    overlapping,
)

RULES: list[Rule] = []
rule = collector(RULES)

CIN, ASS, PLAN = "CINdetails", "Assessments", "CINplanDates"
CLOSED_AFTER_ASSESSMENT = ("RC8", "RC9")


def _has(f: Return, table: str, on: list[str] = EP) -> pl.DataFrame:
    return f[table].select(on).unique()


@rule(
    "1103",
    "The assessment start date cannot be before the referral date",
    ERROR,
    {ASS: ("AssessmentActualStartDate",), CIN: ("CINreferralDate",)},
)
def r1103(f: Return, ctx: Context) -> pl.DataFrame:
    return episode(f, ASS, ["CINreferralDate"]).filter(
        pl.col("AssessmentActualStartDate") < pl.col("CINreferralDate")
    )


@rule(
    "1104",
    "The date of the initial child protection conference cannot be before the referral date",
    ERROR,
    {CIN: ("DateOfInitialCPC", "CINreferralDate"), "Section47": ("DateOfInitialCPC",)},
)
def r1104(f: Return, ctx: Context) -> dict[str, pl.DataFrame]:
    cin = f[CIN].filter(pl.col("DateOfInitialCPC") < pl.col("CINreferralDate"))
    s47 = episode(f, "Section47", ["CINreferralDate"]).filter(
        pl.col("DateOfInitialCPC") < pl.col("CINreferralDate")
    )
    return {CIN: cin, "Section47": s47}


@rule(
    "2990",
    "Activity is recorded against a case marked as ‘Case closed after assessment, no "
    "further action’ or 'case closed after assessment, referred to early help'.",
    ERROR,
    {CIN: ("ReasonForClosure", "DateOfInitialCPC")},
)
def r2990(f: Return, ctx: Context) -> pl.DataFrame:
    """RC8/RC9 episodes must have no S47, no CPP and no ICPC date."""
    closed = f[CIN].filter(pl.col("ReasonForClosure").is_in(CLOSED_AFTER_ASSESSMENT))
    active = pl.concat([_has(f, "Section47"), _has(f, "ChildProtectionPlans")]).unique()
    with_activity = closed.join(active, on=EP, how="semi")
    return pl.concat([with_activity, closed.filter(pl.col("DateOfInitialCPC").is_not_null())])


@rule(
    "2991Q",
    "Please check and either amend data or provide a reason: A Section 47 module is "
    "recorded and there is no assessment on the episode",
    QUERY,
    {"Section47": ("S47ActualStartDate",)},
)
def r2991q(f: Return, ctx: Context) -> pl.DataFrame:
    return f["Section47"].join(_has(f, ASS), on=EP, how="anti")


@rule(
    "4000",
    "CIN Plan details provided for a referral with no further action",
    ERROR,
    {PLAN: ("CINPlanStartDate",), CIN: ("ReferralNFA",)},
)
def r4000(f: Return, ctx: Context) -> pl.DataFrame:
    return episode(f, PLAN, ["ReferralNFA"]).filter(is_nfa)


def _cpp(f: Return) -> pl.DataFrame:
    return f["ChildProtectionPlans"]


@rule(
    "4001",
    "A CIN Plan cannot run concurrently with a Child Protection Plan",
    ERROR,
    {PLAN: ("CINPlanEndDate",), "ChildProtectionPlans": ("CPPendDate",)},
)
def r4001(f: Return, ctx: Context) -> dict[str, pl.DataFrame]:
    """An open CIN plan and an open CPP in the same episode."""
    plans = f[PLAN].filter(
        pl.col("CINPlanStartDate").is_not_null() & pl.col("CINPlanEndDate").is_null()
    )
    cpps = _cpp(f).filter(pl.col("CPPendDate").is_null())
    return {
        PLAN: plans.join(cpps.select(EP).unique(), on=EP),
        "ChildProtectionPlans": cpps.join(plans.select(EP).unique(), on=EP),
    }


def _during(start: str, end: str, day: str) -> pl.Expr:
    """`day` falls in [start, end) of an interval; a missing end means still open."""
    return (pl.col(day) >= pl.col(start)) & (pl.col(end).is_null() | (pl.col(day) < pl.col(end)))


@rule(
    "4003",
    "A CPP review date is shown as being held at the same time as an open CIN Plan.",
    ERROR,
    {"Reviews": ("CPPreviewDate",), PLAN: ("CINPlanStartDate", "CINPlanEndDate")},
)
def r4003(f: Return, ctx: Context) -> pl.DataFrame:
    """A CP review held while a CIN plan was open, other than on the day the CPP ended."""
    rev = f["Reviews"].join(
        _cpp(f).select(CHILD, "CPPID", "CPPendDate"), on=[CHILD, "CPPID"], how="left"
    )
    rev = rev.join(f[PLAN].select(CHILD, "CINPlanStartDate", "CINPlanEndDate"), on=CHILD)
    on_cpp_end = (pl.col("CPPreviewDate") == pl.col("CPPendDate")).fill_null(False)
    return rev.filter(_during("CINPlanStartDate", "CINPlanEndDate", "CPPreviewDate") & ~on_cpp_end)


@rule(
    "4004",
    "This child is showing more than one open CIN Plan, i.e. with no End Date",
    ERROR,
    {PLAN: ("CINPlanEndDate",)},
)
def r4004(f: Return, ctx: Context) -> pl.DataFrame:
    open_ = f[PLAN].filter(pl.col("CINPlanEndDate").is_null())
    return open_.filter(pl.len().over(EP) > 1)


@rule(
    "4008",
    "CIN Plan shown as starting after the child’s Date of Death.",
    ERROR,
    {PLAN: ("CINPlanStartDate",), "ChildIdentifiers": ("PersonDeathDate",)},
)
def r4008(f: Return, ctx: Context) -> pl.DataFrame:
    return child_dates(f, PLAN, ["PersonDeathDate"]).filter(
        pl.col("CINPlanStartDate") > pl.col("PersonDeathDate")
    )


@rule(
    "4009Q",
    "CIN Plan cannot end after the child’s Date of Death",
    QUERY,
    {PLAN: ("CINPlanEndDate",), "ChildIdentifiers": ("PersonDeathDate",)},
)
def r4009q(f: Return, ctx: Context) -> pl.DataFrame:
    return child_dates(f, PLAN, ["PersonDeathDate"]).filter(
        pl.col("CINPlanEndDate") > pl.col("PersonDeathDate")
    )


@rule(
    "4010",
    "CIN Plan start date is missing or out of data collection period",
    ERROR,
    {PLAN: ("CINPlanStartDate",)},
)
def r4010(f: Return, ctx: Context) -> pl.DataFrame:
    s = pl.col("CINPlanStartDate")
    return f[PLAN].filter(s.is_null() | (s > pl.lit(ctx.reference_date)))


@rule(
    "4011",
    "CIN Plan End Date earlier than Start Date",
    ERROR,
    {PLAN: ("CINPlanStartDate", "CINPlanEndDate")},
)
def r4011(f: Return, ctx: Context) -> pl.DataFrame:
    return f[PLAN].filter(pl.col("CINPlanEndDate") < pl.col("CINPlanStartDate"))


@rule(
    "4012Q",
    "Please check and either amend or provide a reason: CIN Plan shown as starting and "
    "ending on the same day",
    QUERY,
    {PLAN: ("CINPlanStartDate", "CINPlanEndDate")},
)
def r4012q(f: Return, ctx: Context) -> pl.DataFrame:
    return f[PLAN].filter(pl.col("CINPlanEndDate") == pl.col("CINPlanStartDate"))


@rule(
    "4013", "CIN Plan end date must fall within the census year", ERROR, {PLAN: ("CINPlanEndDate",)}
)
def r4013(f: Return, ctx: Context) -> pl.DataFrame:
    return f[PLAN].filter(outside("CINPlanEndDate", ctx.period_start, ctx.reference_date))


@rule(
    "4014",
    "CIN Plan data contains overlapping dates",
    ERROR,
    {PLAN: ("CINPlanStartDate", "CINPlanEndDate")},
)
def r4014(f: Return, ctx: Context) -> pl.DataFrame:
    return overlapping(f[PLAN], [CHILD], "CINPlanStartDate", "CINPlanEndDate")


@rule(
    "4015",
    "The CIN Plan start date cannot be before the referral date",
    ERROR,
    {PLAN: ("CINPlanStartDate",), CIN: ("CINreferralDate",)},
)
def r4015(f: Return, ctx: Context) -> pl.DataFrame:
    return episode(f, PLAN, ["CINreferralDate"]).filter(
        pl.col("CINPlanStartDate") < pl.col("CINreferralDate")
    )


_CONCURRENT = "A CIN Plan has been reported as open at the same time as a Child Protection Plan."


@rule(
    "4016",
    _CONCURRENT,
    ERROR,
    {PLAN: ("CINPlanStartDate",), "ChildProtectionPlans": ("CPPstartDate", "CPPendDate")},
)
def r4016(f: Return, ctx: Context) -> pl.DataFrame:
    """A CIN plan starting while one of the child's CPPs is open."""
    df = f[PLAN].join(_cpp(f).select(CHILD, "CPPstartDate", "CPPendDate"), on=CHILD)
    return df.filter(_during("CPPstartDate", "CPPendDate", "CINPlanStartDate"))


@rule(
    "4017",
    _CONCURRENT,
    ERROR,
    {"ChildProtectionPlans": ("CPPstartDate",), PLAN: ("CINPlanStartDate", "CINPlanEndDate")},
    table="ChildProtectionPlans",
)
def r4017(f: Return, ctx: Context) -> pl.DataFrame:
    """A CPP starting while one of the child's CIN plans is open."""
    df = _cpp(f).join(f[PLAN].select(CHILD, "CINPlanStartDate", "CINPlanEndDate"), on=CHILD)
    return df.filter(_during("CINPlanStartDate", "CINPlanEndDate", "CPPstartDate"))


@rule(
    "8555Q",
    "Child cannot be referred after its recorded date of death",
    QUERY,
    {CIN: ("CINreferralDate",), "ChildIdentifiers": ("PersonDeathDate",)},
)
def r8555q(f: Return, ctx: Context) -> pl.DataFrame:
    return child_dates(f, CIN, ["PersonDeathDate"]).filter(
        pl.col("CINreferralDate") > pl.col("PersonDeathDate")
    )


def _activity_dates(f: Return) -> pl.DataFrame:
    """Every dated activity of each episode, one row per date (for 8565)."""

    def dates(table: str, cols: list[str]) -> pl.DataFrame:
        return f[table].unpivot(index=EP, on=cols, value_name="_d").select(*EP, "_d")

    return pl.concat(
        [
            dates(ASS, ["AssessmentActualStartDate", "AssessmentAuthorisationDate"]),
            dates("Section47", ["S47ActualStartDate", "DateOfInitialCPC"]),
            dates("ChildProtectionPlans", ["CPPendDate"]),
            dates(PLAN, ["CINPlanStartDate", "CINPlanEndDate"]),
            dates(CIN, ["DateOfInitialCPC"]),
        ]
    ).drop_nulls("_d")


@rule(
    "8565",
    "Activity shown after a case has been closed",
    ERROR,
    {CIN: ("CINclosureDate", "DateOfInitialCPC")},
)
def r8565(f: Return, ctx: Context) -> pl.DataFrame:
    latest = _activity_dates(f).group_by(EP).agg(pl.col("_d").max())
    return f[CIN].join(latest, on=EP).filter(pl.col("CINclosureDate") < pl.col("_d"))


@rule("8568", "RNFA flag is missing or invalid", ERROR, {CIN: ("ReferralNFA",)})
def r8568(f: Return, ctx: Context) -> pl.DataFrame:
    return f[CIN].filter(pl.col("ReferralNFA").is_null())


@rule(
    "8569Q",
    "A case with referral date before one working day prior to the collection start "
    "date must not be flagged as a no further action case",
    QUERY,
    {CIN: ("CINreferralDate", "ReferralNFA")},
)
def r8569q(f: Return, ctx: Context) -> pl.DataFrame:
    cutoff = add_working_days(ctx.period_start, -1)
    return f[CIN].filter(is_nfa & (pl.col("CINreferralDate") < pl.lit(cutoff)))


@rule(
    "8585Q",
    "Please check and either amend or provide a reason: CIN episode shows Died as the "
    "Closure Reason, however child has no recorded Date of Death",
    QUERY,
    {CIN: ("ReasonForClosure",), "ChildIdentifiers": ("PersonDeathDate",)},
)
def r8585q(f: Return, ctx: Context) -> pl.DataFrame:
    return child_dates(f, CIN, ["PersonDeathDate"]).filter(
        (pl.col("ReasonForClosure") == "RC2") & pl.col("PersonDeathDate").is_null()
    )


@rule(
    "8600",
    "Child referral date missing or after data collection period",
    ERROR,
    {CIN: ("CINreferralDate",)},
)
def r8600(f: Return, ctx: Context) -> pl.DataFrame:
    r = pl.col("CINreferralDate")
    return f[CIN].filter(r.is_null() | (r > pl.lit(ctx.reference_date)))


@rule(
    "8606",
    "Child referral date is more than 40 weeks before DOB or expected DOB",
    ERROR,
    {CIN: ("CINreferralDate",), "ChildIdentifiers": ("PersonBirthDate", "ExpectedPersonBirthDate")},
)
def r8606(f: Return, ctx: Context) -> pl.DataFrame:
    df = child_dates(f, CIN, ["PersonBirthDate", "ExpectedPersonBirthDate"])
    born = pl.coalesce("PersonBirthDate", "ExpectedPersonBirthDate")
    return df.filter(pl.col("CINreferralDate") < born - pl.duration(days=280))


@rule(
    "8608",
    "Assessment Start Date cannot be later than its End Date",
    ERROR,
    {ASS: ("AssessmentActualStartDate", "AssessmentAuthorisationDate")},
)
def r8608(f: Return, ctx: Context) -> pl.DataFrame:
    return f[ASS].filter(
        pl.col("AssessmentActualStartDate") > pl.col("AssessmentAuthorisationDate")
    )


@rule(
    "8610",
    "Primary Need code is missing for a referral which led to further action.",
    ERROR,
    {CIN: ("PrimaryNeedCode", "ReferralNFA")},
)
def r8610(f: Return, ctx: Context) -> pl.DataFrame:
    return f[CIN].filter(not_nfa & pl.col("PrimaryNeedCode").is_null())


def _factors() -> pl.Expr:
    return pl.col("AssessmentFactors").fill_null(pl.lit([], dtype=pl.List(pl.Utf8)))


@rule(
    "8614",
    "Parental or child factors at assessment should only be present for a completed assessment.",
    ERROR,
    {ASS: ("AssessmentAuthorisationDate", "AssessmentFactors")},
)
def r8614(f: Return, ctx: Context) -> pl.DataFrame:
    return f[ASS].filter(
        pl.col("AssessmentAuthorisationDate").is_null() & (_factors().list.len() > 0)
    )


@rule(
    "8620",
    "CIN Closure Date present and does not fall within the Census year",
    ERROR,
    {CIN: ("CINclosureDate",)},
)
def r8620(f: Return, ctx: Context) -> pl.DataFrame:
    return f[CIN].filter(outside("CINclosureDate", ctx.period_start, ctx.reference_date))


@rule(
    "8630",
    "CIN Closure Date is before CIN Referral Date for the same CIN episode",
    ERROR,
    {CIN: ("CINclosureDate", "CINreferralDate")},
)
def r8630(f: Return, ctx: Context) -> pl.DataFrame:
    return f[CIN].filter(pl.col("CINclosureDate") < pl.col("CINreferralDate"))


@rule(
    "8640",
    "CIN Reason for closure code invalid (see Reason for Closure table in CIN Census code set)",
    ERROR,
    {CIN: ("ReasonForClosure",)},
)
def r8640(f: Return, ctx: Context) -> pl.DataFrame:
    valid = sorted(REASON_FOR_CLOSURE.valid(ctx.year))
    return f[CIN].filter(
        pl.col("ReasonForClosure").is_not_null() & ~pl.col("ReasonForClosure").is_in(valid)
    )


@rule(
    "8650",
    "Primary Need Code invalid (see Primary Need table in CIN census code set)",
    ERROR,
    {CIN: ("PrimaryNeedCode",)},
)
def r8650(f: Return, ctx: Context) -> pl.DataFrame:
    valid = sorted(PRIMARY_NEED.valid(ctx.year))
    return f[CIN].filter(
        pl.col("PrimaryNeedCode").is_not_null() & ~pl.col("PrimaryNeedCode").is_in(valid)
    )


@rule(
    "8670Q",
    "Please check and either amend data or provide a reason: Assessment started more "
    "than 45 working days before the end of the census year. However, there is no Assessment "
    "end date.",
    QUERY,
    {ASS: ("AssessmentActualStartDate", "AssessmentAuthorisationDate")},
)
def r8670q(f: Return, ctx: Context) -> pl.DataFrame:
    """Open assessment whose 45 working days (our calendar's counting) ran out by year end."""
    cutoff = add_working_days(ctx.reference_date, -45)
    return f[ASS].filter(
        pl.col("AssessmentAuthorisationDate").is_null()
        & (pl.col("AssessmentActualStartDate") < pl.lit(cutoff))
    )


@rule(
    "8696",
    "Assessment end date must fall within the census year",
    ERROR,
    {ASS: ("AssessmentAuthorisationDate",)},
)
def r8696(f: Return, ctx: Context) -> pl.DataFrame:
    return f[ASS].filter(
        outside("AssessmentAuthorisationDate", ctx.period_start, ctx.reference_date)
    )


@rule(
    "8736",
    "For an Assessment that has not been completed, the start date must fall within "
    "the census year",
    ERROR,
    {ASS: ("AssessmentActualStartDate", "AssessmentAuthorisationDate")},
)
def r8736(f: Return, ctx: Context) -> pl.DataFrame:
    return f[ASS].filter(
        pl.col("AssessmentAuthorisationDate").is_null()
        & outside("AssessmentActualStartDate", ctx.period_start, ctx.reference_date)
    )


@rule(
    "8805",
    "A CIN case cannot have a CIN closure date without a Reason for Closure",
    ERROR,
    {CIN: ("CINclosureDate", "ReasonForClosure")},
)
def r8805(f: Return, ctx: Context) -> pl.DataFrame:
    return f[CIN].filter(
        pl.col("CINclosureDate").is_not_null() & pl.col("ReasonForClosure").is_null()
    )


@rule(
    "8810",
    "A CIN case cannot have a Reason for Closure without a CIN Closure Date",
    ERROR,
    {CIN: ("CINclosureDate", "ReasonForClosure")},
)
def r8810(f: Return, ctx: Context) -> pl.DataFrame:
    return f[CIN].filter(
        pl.col("CINclosureDate").is_null() & pl.col("ReasonForClosure").is_not_null()
    )


def _open_further_action(f: Return) -> pl.DataFrame:
    return f[CIN].filter(pl.col("CINclosureDate").is_null() & not_nfa)


@rule(
    "8815",
    "More than one open CIN Details episode (a module with no CIN Closure Date) has been "
    "provided for this child and case is not a referral with no further action.",
    ERROR,
    {CIN: ("CINclosureDate", "ReferralNFA")},
)
def r8815(f: Return, ctx: Context) -> pl.DataFrame:
    return _open_further_action(f).filter(pl.len().over(CHILD) > 1)


@rule(
    "8816",
    "An open CIN episode is shown and case is not a referral with no further action, "
    "but it is not the latest episode.",
    ERROR,
    {CIN: ("CINreferralDate", "CINclosureDate", "ReferralNFA")},
)
def r8816(f: Return, ctx: Context) -> pl.DataFrame:
    latest = f[CIN].group_by(CHILD).agg(pl.col("CINreferralDate").max().alias("_latest"))
    return (
        _open_further_action(f)
        .join(latest, on=CHILD)
        .filter(pl.col("CINreferralDate") < pl.col("_latest"))
    )


@rule(
    "8820",
    "The dates on the CIN episodes for this child overlap",
    ERROR,
    {CIN: ("CINreferralDate", "CINclosureDate")},
)
def r8820(f: Return, ctx: Context) -> pl.DataFrame:
    return overlapping(f[CIN], [CHILD], "CINreferralDate", "CINclosureDate")


@rule(
    "8825Q",
    "Please check and either amend data or provide a reason: Reason for Closure code "
    "RC8 (case closed after assessment) or RC9 (case closed after assessment, referred to early "
    "help) has been returned but there is no assessment present for the episode.",
    QUERY,
    {CIN: ("ReasonForClosure",)},
)
def r8825q(f: Return, ctx: Context) -> pl.DataFrame:
    closed = f[CIN].filter(pl.col("ReasonForClosure").is_in(CLOSED_AFTER_ASSESSMENT))
    return closed.join(_has(f, ASS), on=EP, how="anti")


@rule(
    "8831",
    "Activity is recorded against a case marked as a referral with no further action",
    ERROR,
    {CIN: ("ReferralNFA", "DateOfInitialCPC")},
)
def r8831(f: Return, ctx: Context) -> pl.DataFrame:
    """An NFA referral with an assessment, a S47 or an ICPC date."""
    nfa = f[CIN].filter(is_nfa)
    active = pl.concat([_has(f, ASS), _has(f, "Section47")]).unique()
    return pl.concat(
        [nfa.join(active, on=EP, how="semi"), nfa.filter(pl.col("DateOfInitialCPC").is_not_null())]
    )


@rule(
    "8832",
    "Child Protection details provided for a referral with no further action.",
    ERROR,
    {CIN: ("ReferralNFA",)},
)
def r8832(f: Return, ctx: Context) -> pl.DataFrame:
    return f[CIN].filter(is_nfa).join(_has(f, "ChildProtectionPlans"), on=EP, how="semi")


@rule(
    "8863Q",
    "An Assessment is shown as starting when there is another Assessment ongoing.",
    QUERY,
    {ASS: ("AssessmentActualStartDate", "AssessmentAuthorisationDate")},
)
def r8863q(f: Return, ctx: Context) -> pl.DataFrame:
    """Assessments of one episode overlap (one starts before an earlier one is authorised)."""
    return overlapping(f[ASS], EP, "AssessmentActualStartDate", "AssessmentAuthorisationDate")


@rule(
    "8866",
    "Source of Referral is missing or an invalid code",
    ERROR,
    {CIN: ("ReferralSource", "CINreferralDate")},
)
def r8866(f: Return, ctx: Context) -> pl.DataFrame:
    """Referrals on or after 1 April 2013 need a valid source."""
    valid = sorted(REFERRAL_SOURCE.valid(ctx.year))
    recent = pl.col("CINreferralDate") >= pl.date(2013, 4, 1)
    return f[CIN].filter(recent & ~pl.col("ReferralSource").is_in(valid).fill_null(False))


@rule(
    "8867",
    "CIN episode is shown as closed, however Assessment is not shown as completed",
    ERROR,
    {ASS: ("AssessmentAuthorisationDate",), CIN: ("CINclosureDate",)},
)
def r8867(f: Return, ctx: Context) -> pl.DataFrame:
    return episode(f, ASS, ["CINclosureDate"]).filter(
        pl.col("CINclosureDate").is_not_null() & pl.col("AssessmentAuthorisationDate").is_null()
    )


@rule(
    "8869",
    "The assessment factors code “21” cannot be used in conjunction with any other "
    "assessment factors.",
    ERROR,
    {ASS: ("AssessmentFactors",)},
)
def r8869(f: Return, ctx: Context) -> pl.DataFrame:
    return f[ASS].filter(
        _factors().list.contains(NO_FACTORS_IDENTIFIED) & (_factors().list.len() > 1)
    )


@rule(
    "8873Q",
    "Please check and either amend data or provide a reason: When there is only one "
    "assessment on the episode and the factors code “21 No factors identified” has been used "
    "for the completed assessment, the reason for closure ‘RC8’ or 'RC9' should be used.",
    QUERY,
    {CIN: ("ReasonForClosure",), ASS: ("AssessmentFactors",)},
    table=CIN,
)
def r8873q(f: Return, ctx: Context) -> pl.DataFrame:
    """A closed episode whose only assessment found no factors, closed for another reason."""
    only = (
        f[ASS]
        .filter(pl.len().over(EP) == 1)
        .filter(
            pl.col("AssessmentAuthorisationDate").is_not_null()
            & _factors().list.contains(NO_FACTORS_IDENTIFIED)
        )
    )
    closed = f[CIN].filter(pl.col("CINclosureDate").is_not_null())
    return closed.join(only.select(EP), on=EP, how="semi").filter(
        ~pl.col("ReasonForClosure").is_in(CLOSED_AFTER_ASSESSMENT).fill_null(False)
    )


@rule(
    "8896",
    "Within one CINDetails group there are 2 or more open Assessments groups",
    ERROR,
    {ASS: ("AssessmentAuthorisationDate",)},
)
def r8896(f: Return, ctx: Context) -> pl.DataFrame:
    return (
        f[ASS].filter(pl.col("AssessmentAuthorisationDate").is_null()).filter(pl.len().over(EP) > 1)
    )


@rule(
    "8897Q",
    "Parental or child factors at assessment information is missing from a completed assessment",
    QUERY,
    {ASS: ("AssessmentAuthorisationDate", "AssessmentFactors")},
)
def r8897q(f: Return, ctx: Context) -> pl.DataFrame:
    """Authorised in the census year with no recognised factor code (any year's codes count)."""
    known = pl.lit(sorted(ASSESSMENT_FACTORS.valid()))
    any_known = _factors().list.set_intersection(known).list.len() > 0
    return f[ASS].filter(in_period("AssessmentAuthorisationDate", ctx) & ~any_known)


@rule(
    "8898",
    " The assessment has more than one parental or child factors with the same code",
    ERROR,
    {ASS: ("AssessmentFactors",)},
)
def r8898(f: Return, ctx: Context) -> pl.DataFrame:
    return f[ASS].filter(_factors().list.len() > _factors().list.n_unique())


ADDED_2025: list[Rule] = []
added_2025 = collector(ADDED_2025)


@added_2025(
    "8945Q",
    "Please check and either amend data or provide a reason: the assessment "
    "factors code '18A' should not be used ('18B' or '18C' should be used instead)",
    QUERY,
    {ASS: ("AssessmentFactors",)},
)
def r8945q(f: Return, ctx: Context) -> pl.DataFrame:
    return f[ASS].filter(_factors().list.contains("18A"))


@added_2025(
    "8950Q",
    "Please check and either amend data or provide a reason: the assessment "
    "factors code '19A' should not be used ('19B' or '19C' should be used instead)",
    QUERY,
    {ASS: ("AssessmentFactors",)},
)
def r8950q(f: Return, ctx: Context) -> pl.DataFrame:
    return f[ASS].filter(_factors().list.contains("19A"))
