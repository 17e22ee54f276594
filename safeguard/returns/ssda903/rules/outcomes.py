"""SSDA903 rules on outcomes and other files: OC2 (looked after 12 months), OC3 (care leavers),
reviews and previous permanence.

Codes and messages from the SSDA903 validation rules (catalogue in shared/fixtures/
csc-validator-be-903/output_data/); logic written here from the rule texts. The OC2 cohort
is `_common.oc2_cohort` (the DfE's "continuously looked after" definition).
"""

from __future__ import annotations

from datetime import date

import polars as pl

from safeguard.codes import ACCOM, ACTIV, IN_TOUCH, PREV_PERM, REVIEW_CODE, SDQ_REASON

from ._common import (
    CHILD,
    ERROR,
    Context,
    Return,
    Rule,
    age_at,
    collector,
    episodes,
    oc2_cohort,
)
from .local_authorities import LA_PERM_CODES

RULES: list[Rule] = []
rule = collector(RULES)
OC2, OC3, E = "OC2", "OC3", "Episodes"
HEALTH = ["IMMUNISATIONS", "TEETH_CHECK", "HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE"]
OC2_ITEMS = ["CONVICTED", "HEALTH_CHECK", *HEALTH, "INTERVENTION_RECEIVED", "INTERVENTION_OFFERED"]
OC3_ITEMS = ["IN_TOUCH", "ACTIV", "ACCOM"]
AD1_ITEMS = ["DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR"]


def _any(cols: list[str]) -> pl.Expr:
    return pl.any_horizontal([pl.col(c).is_not_null() for c in cols])


def _cohort_flag(f: Return, ctx: Context, table: str) -> pl.DataFrame:
    """A table's rows with `_cla`: the child is in the OC2 cohort."""
    cohort = oc2_cohort(f, ctx).with_columns(pl.lit(True).alias("_cla"))
    return f[table].join(cohort, on=CHILD, how="left").with_columns(pl.col("_cla").fill_null(False))


def _invalid(code: str, message: str, table: str, field: str, codes) -> None:  # noqa: ANN001
    @rule(code, message, ERROR, {table: (field,)})
    def check(f: Return, ctx: Context) -> pl.DataFrame:
        c = pl.col(field)
        return f[table].filter(c.is_not_null() & ~c.is_in(sorted(codes(ctx.year))))


_invalid(
    "131",
    "Data entry for being in touch after leaving care is invalid.",
    OC3,
    "IN_TOUCH",
    IN_TOUCH.valid,
)
_invalid("132", "Data entry for activity after leaving care is invalid.", OC3, "ACTIV", ACTIV.valid)
_invalid(
    "133",
    "Data entry for accommodation after leaving care is invalid. If reporting on a "
    "childs accommodation after leaving care the data entry must be valid",
    OC3,
    "ACCOM",
    ACCOM.valid,
)
_invalid(
    "196",
    "Strengths and Difficulties (SDQ) reason is not a valid code.",
    OC2,
    "SDQ_REASON",
    SDQ_REASON.valid,
)
_invalid(
    "631", "Previous permanence option not a valid value.", "PrevPerm", "PREV_PERM", PREV_PERM.valid
)


@rule(
    "153",
    "All data items relating to a child's activity or accommodation after leaving care "
    "must be coded or left blank.",
    ERROR,
    {OC3: tuple(OC3_ITEMS)},
)
def r153(f: Return, ctx: Context) -> pl.DataFrame:
    n = pl.sum_horizontal([pl.col(c).is_null().cast(pl.Int32) for c in OC3_ITEMS])
    return f[OC3].filter((n > 0) & (n < len(OC3_ITEMS)))


@rule(
    "158",
    "If a child has been recorded as receiving an intervention for their substance misuse "
    "problem, then the additional item on whether an intervention was offered should be left "
    "blank.",
    ERROR,
    {OC2: ("INTERVENTION_RECEIVED", "INTERVENTION_OFFERED")},
)
def r158(f: Return, ctx: Context) -> pl.DataFrame:
    return f[OC2].filter(
        (pl.col("INTERVENTION_RECEIVED") == "1") & pl.col("INTERVENTION_OFFERED").is_not_null()
    )


@rule(
    "159",
    "If a child has been recorded as not receiving an intervention for their substance "
    "misuse problem, then the additional item on whether an intervention was offered should be "
    "completed as well.",
    ERROR,
    {OC2: ("SUBSTANCE_MISUSE", "INTERVENTION_RECEIVED", "INTERVENTION_OFFERED")},
)
def r159(f: Return, ctx: Context) -> pl.DataFrame:
    return f[OC2].filter(
        (pl.col("SUBSTANCE_MISUSE") == "1")
        & (pl.col("INTERVENTION_RECEIVED") == "0")
        & pl.col("INTERVENTION_OFFERED").is_null()
    )


@rule(
    "180",
    "Data entry for the strengths and difficulties questionnaire (SDQ) score is invalid.",
    ERROR,
    {OC2: ("SDQ_SCORE",)},
)
def r180(f: Return, ctx: Context) -> pl.DataFrame:
    score = pl.col("SDQ_SCORE").cast(pl.Int64, strict=False)
    return f[OC2].filter(
        pl.col("SDQ_SCORE").is_not_null() & ~score.is_between(0, 40).fill_null(False)
    )


@rule(
    "181",
    "Data items relating to children looked after continuously for 12 months should be "
    "completed with a 0 or 1.",
    ERROR,
    {OC2: tuple(OC2_ITEMS)},
)
def r181(f: Return, ctx: Context) -> pl.DataFrame:
    bad = [pl.col(c).is_not_null() & ~pl.col(c).is_in(["0", "1"]) for c in OC2_ITEMS]
    return f[OC2].filter(pl.any_horizontal(bad))


@rule(
    "182",
    "Data entries on immunisations, teeth checks, health assessments and substance misuse "
    "problem identified should be completed or all OC2 fields should be left blank.",
    ERROR,
    {OC2: tuple(OC2_ITEMS)},
)
def r182(f: Return, ctx: Context) -> pl.DataFrame:
    some_health_blank = pl.any_horizontal([pl.col(c).is_null() for c in HEALTH])
    others = ["CONVICTED", "HEALTH_CHECK", "INTERVENTION_RECEIVED", "INTERVENTION_OFFERED"]
    return f[OC2].filter(some_health_blank & _any(others))


@rule(
    "185",
    "Child has not been looked after continuously for at least 12 months at 31 March but "
    "a Strengths and Difficulties (SDQ) score has been completed.",
    ERROR,
    {OC2: ("SDQ_SCORE",)},
)
def r185(f: Return, ctx: Context) -> pl.DataFrame:
    return _cohort_flag(f, ctx, OC2).filter(pl.col("SDQ_SCORE").is_not_null() & ~pl.col("_cla"))


@rule(
    "198",
    "Child has not been looked after continuously for at least 12 months at 31 March but "
    "a reason for no Strengths and Difficulties (SDQ) score has been completed. ",
    ERROR,
    {OC2: ("SDQ_REASON",)},
)
def r198(f: Return, ctx: Context) -> pl.DataFrame:
    return _cohort_flag(f, ctx, OC2).filter(pl.col("SDQ_REASON").is_not_null() & ~pl.col("_cla"))


def _sdq_missing() -> pl.Expr:
    return pl.col("SDQ_SCORE").is_null() & pl.col("SDQ_REASON").is_null()


@rule(
    "186",
    "Children aged 4 or over at the start of the year and children aged under 17 at the "
    "end of the year and who have been looked after for at least 12 months continuously should "
    "have a Strengths and Difficulties (SDQ) score completed.",
    ERROR,
    {OC2: ("SDQ_SCORE", "SDQ_REASON", "DOB")},
)
def r186(f: Return, ctx: Context) -> pl.DataFrame:
    df = _cohort_flag(f, ctx, OC2)
    ages = (age_at("DOB", ctx.period_start) >= 4) & (age_at("DOB", ctx.reference_date) < 17)
    return df.filter(pl.col("_cla") & ages & _sdq_missing())


@rule(
    "188",
    "Child is aged under 4 years at the end of the year, but a Strengths and Difficulties "
    "(SDQ) score or a reason for no SDQ score has been completed. ",
    ERROR,
    {OC2: ("SDQ_SCORE", "SDQ_REASON", "DOB")},
)
def r188(f: Return, ctx: Context) -> pl.DataFrame:
    return f[OC2].filter((age_at("DOB", ctx.reference_date) < 4) & ~_sdq_missing())


@rule(
    "189",
    "Child is aged 17 years or over at the beginning of the year, but an Strengths and "
    "Difficulties (SDQ) score or a reason for no Strengths and Difficulties (SDQ) score has been "
    "completed.",
    ERROR,
    {OC2: ("DOB", "SDQ_SCORE", "SDQ_REASON")},
)
def r189(f: Return, ctx: Context) -> pl.DataFrame:
    return f[OC2].filter((age_at("DOB", ctx.period_start) >= 17) & ~_sdq_missing())


@rule(
    "197B",
    "SDQ score or reason for no SDQ should be reported for 4- or 17-year-olds.",
    ERROR,
    {OC2: ("SDQ_REASON", "DOB")},
)
def r197b(f: Return, ctx: Context) -> pl.DataFrame:
    """Children in the cohort turning 4 or 17 during the year need a score or a reason."""
    df = _cohort_flag(f, ctx, OC2)

    def turns(n: int) -> pl.Expr:
        return (
            pl.col("DOB")
            .dt.offset_by(f"{n}y")
            .is_between(pl.lit(ctx.period_start), pl.lit(ctx.reference_date))
        )

    return df.filter(pl.col("_cla") & (turns(4) | turns(17)) & _sdq_missing())


@rule(
    "197a",
    "Reason for no Strengths and Difficulties (SDQ) score is not required if Strengths "
    "and Difficulties Questionnaire score is filled in.",
    ERROR,
    {OC2: ("SDQ_SCORE", "SDQ_REASON")},
)
def r197a(f: Return, ctx: Context) -> pl.DataFrame:
    return f[OC2].filter(pl.col("SDQ_SCORE").is_not_null() & pl.col("SDQ_REASON").is_not_null())


@rule(
    "190",
    "Child has not been looked after continuously for at least 12 months at 31 March but "
    "one or more data items relating to children looked after for 12 months have been "
    "completed.",
    ERROR,
    {OC2: tuple(OC2_ITEMS)},
)
def r190(f: Return, ctx: Context) -> pl.DataFrame:
    return _cohort_flag(f, ctx, OC2).filter(~pl.col("_cla") & _any(OC2_ITEMS))


@rule(
    "191",
    "Child has been looked after continuously for at least 12 months at 31 March but one "
    "or more data items relating to children looked after for 12 months have been left blank.",
    ERROR,
    {OC2: tuple(HEALTH), "Header": ()},
)
def r191(f: Return, ctx: Context) -> dict[str, pl.DataFrame]:
    """In the cohort: the four health items completed; a child without an OC2 row fails too."""
    blank = _cohort_flag(f, ctx, OC2).filter(
        pl.col("_cla") & pl.any_horizontal([pl.col(c).is_null() for c in HEALTH])
    )
    absent = oc2_cohort(f, ctx).join(f[OC2].select(CHILD), on=CHILD, how="anti")
    return {OC2: blank, "Header": f["Header"].join(absent, on=CHILD)}


@rule(
    "192",
    "Child has been identified as having a substance misuse problem but the additional "
    "item on whether an intervention was received has been left blank.",
    ERROR,
    {OC2: ("SUBSTANCE_MISUSE", "INTERVENTION_RECEIVED")},
)
def r192(f: Return, ctx: Context) -> pl.DataFrame:
    return f[OC2].filter(
        (pl.col("SUBSTANCE_MISUSE") == "1") & pl.col("INTERVENTION_RECEIVED").is_null()
    )


@rule(
    "193",
    "Child not identified as having a substance misuse problem but at least one of the "
    "two "
    "additional items on whether an intervention were offered and received have been "
    "completed.",
    ERROR,
    {OC2: ("SUBSTANCE_MISUSE", "INTERVENTION_RECEIVED", "INTERVENTION_OFFERED")},
)
def r193(f: Return, ctx: Context) -> pl.DataFrame:
    no_problem = pl.col("SUBSTANCE_MISUSE").is_null() | (pl.col("SUBSTANCE_MISUSE") == "0")
    return f[OC2].filter(no_problem & _any(["INTERVENTION_RECEIVED", "INTERVENTION_OFFERED"]))


@rule(
    "542",
    "A child aged under 10 at 31 March should not have conviction information completed.",
    ERROR,
    {OC2: ("CONVICTED", "DOB")},
)
def r542(f: Return, ctx: Context) -> pl.DataFrame:
    return f[OC2].filter(
        (age_at("DOB", ctx.reference_date) < 10) & pl.col("CONVICTED").is_not_null()
    )


@rule(
    "543",
    "Child is aged 10 or over at 31 March and has been looked after continuously for 12 "
    "months yet conviction information has not been completed.",
    ERROR,
    {OC2: ("DOB", "CONVICTED")},
)
def r543(f: Return, ctx: Context) -> pl.DataFrame:
    return _cohort_flag(f, ctx, OC2).filter(
        pl.col("_cla") & (age_at("DOB", ctx.reference_date) >= 10) & pl.col("CONVICTED").is_null()
    )


@rule(
    "544",
    "Any child who has conviction information completed must also have immunisation, "
    "teeth check, health assessment and substance misuse problem identified fields completed.",
    ERROR,
    {OC2: ("CONVICTED", *HEALTH)},
)
def r544(f: Return, ctx: Context) -> pl.DataFrame:
    return f[OC2].filter(
        (pl.col("CONVICTED") == "1") & pl.any_horizontal([pl.col(c).is_null() for c in HEALTH])
    )


@rule(
    "545",
    "Child is aged under 5 at 31 March and has been looked after continuously for 12 "
    "months yet health promotion information has not been completed.",
    ERROR,
    {OC2: ("DOB", "HEALTH_CHECK")},
)
def r545(f: Return, ctx: Context) -> pl.DataFrame:
    return _cohort_flag(f, ctx, OC2).filter(
        pl.col("_cla") & (age_at("DOB", ctx.reference_date) < 5) & pl.col("HEALTH_CHECK").is_null()
    )


@rule(
    "546",
    "Children aged 5 or over at 31 March should not have health promotion information completed.",
    ERROR,
    {OC2: ("DOB", "HEALTH_CHECK")},
)
def r546(f: Return, ctx: Context) -> pl.DataFrame:
    return _cohort_flag(f, ctx, OC2).filter(
        pl.col("_cla")
        & (age_at("DOB", ctx.reference_date) >= 5)
        & pl.col("HEALTH_CHECK").is_not_null()
    )


@rule(
    "547",
    "Any child who has health promotion information completed must also have "
    "immunisation, teeth check, health assessment and substance misuse problem identified "
    "fields completed.",
    ERROR,
    {OC2: ("HEALTH_CHECK", *HEALTH)},
)
def r547(f: Return, ctx: Context) -> pl.DataFrame:
    return f[OC2].filter(
        (pl.col("HEALTH_CHECK") == "1") & pl.any_horizontal([pl.col(c).is_null() for c in HEALTH])
    )


# --- OC3: care leavers --------------------------------------------------------------------------


def _leaver_data(f: Return) -> pl.DataFrame:
    return f[OC3].filter(_any(OC3_ITEMS))


@rule(
    "134",
    "Data on adoption should not be entered for the OC3 cohort.",
    ERROR,
    {"AD1": tuple(AD1_ITEMS), OC3: tuple(OC3_ITEMS)},
    table="AD1",
)
def r134(f: Return, ctx: Context) -> pl.DataFrame:
    return (
        f["AD1"].filter(_any(AD1_ITEMS)).join(_leaver_data(f).select(CHILD), on=CHILD, how="semi")
    )


@rule(
    "187",
    "Child cannot be looked after continuously for 12 months at 31 March (OC2) and have "
    "any of adoption or care leavers returns completed.",
    ERROR,
    {"AD1": tuple(AD1_ITEMS), OC3: tuple(OC3_ITEMS)},
)
def r187(f: Return, ctx: Context) -> dict[str, pl.DataFrame]:
    cohort = oc2_cohort(f, ctx)
    return {
        "AD1": f["AD1"].filter(_any(AD1_ITEMS)).join(cohort, on=CHILD),
        OC3: _leaver_data(f).join(cohort, on=CHILD),
    }


@rule(
    "215",
    "Child has care leaver information but one or more data items relating to children "
    "looked after for 12 months have been completed.",
    ERROR,
    {OC3: tuple(OC3_ITEMS), OC2: tuple(OC2_ITEMS)},
)
def r215(f: Return, ctx: Context) -> pl.DataFrame:
    with_oc2 = f[OC2].filter(_any(OC2_ITEMS)).select(CHILD).unique()
    return _leaver_data(f).join(with_oc2, on=CHILD)


@rule(
    "344",
    "The record shows the young person has died or returned home to live with parent(s) "
    "or someone with parental responsibility for a continuous period of 6 months or more, but "
    "activity and/or accommodation on leaving care have been completed.",
    ERROR,
    {OC3: tuple(OC3_ITEMS)},
)
def r344(f: Return, ctx: Context) -> pl.DataFrame:
    return f[OC3].filter(
        pl.col("IN_TOUCH").is_in(["DIED", "RHOM"])
        & ((pl.col("ACTIV") != "0") | (pl.col("ACCOM") != "0")).fill_null(True)
    )


@rule(
    "345",
    "The data collection record shows the local authority is in touch with this young "
    "person, but activity and/or accommodation data items are zero.",
    ERROR,
    {OC3: tuple(OC3_ITEMS)},
)
def r345(f: Return, ctx: Context) -> pl.DataFrame:
    return f[OC3].filter(
        (pl.col("IN_TOUCH") == "YES") & ((pl.col("ACTIV") == "0") | (pl.col("ACCOM") == "0"))
    )


@rule(
    "391",
    "Young person was not 17, 18, 19, 20 or 21 during the current collection year. ",
    ERROR,
    {OC3: ("DOB", *OC3_ITEMS)},
)
def r391(f: Return, ctx: Context) -> pl.DataFrame:
    too_young = age_at("DOB", ctx.reference_date) < 17
    too_old = age_at("DOB", ctx.period_start) > 21
    return _leaver_data(f).filter(too_young | too_old)


@rule(
    "3001",
    "Where care leavers information is being returned for a young person around their "
    "17th birthday, the accommodation cannot be with their former foster carer(s).",
    ERROR,
    {OC3: ("ACCOM", "DOB")},
)
def r3001(f: Return, ctx: Context) -> pl.DataFrame:
    turns_17 = (
        pl.col("DOB")
        .dt.offset_by("17y")
        .is_between(pl.lit(ctx.period_start), pl.lit(ctx.reference_date))
    )
    return f[OC3].filter(pl.col("ACCOM").is_in(["Z1", "Z2"]) & turns_17)


def _died(e: pl.DataFrame | None) -> pl.DataFrame:
    if e is None:
        return pl.DataFrame(schema={CHILD: pl.Utf8})
    return e.filter(pl.col("REC") == "E2").select(CHILD)


@rule(
    "1000",
    "This child is recorded as having died in care and therefore should not have the "
    "care leaver information completed. [NOTE: This only tests the current and previous year "
    "data loaded into the tool]",
    ERROR,
    {OC3: tuple(OC3_ITEMS), E: ("REC",)},
)
def r1000(f: Return, ctx: Context) -> pl.DataFrame:
    last = ctx.previous["Episodes"] if ctx.previous is not None else None
    died = pl.concat([_died(f[E]), _died(last)]).unique()
    return _leaver_data(f).join(died, on=CHILD)


@rule(
    "1007",
    "Care leaver information is not required for 17- or 18-year olds who are still "
    "looked after [on their 17th or 18th birthday.]",
    ERROR,
    {OC3: ("DOB", *OC3_ITEMS), E: ("DECOM", "DEC")},
)
def r1007(f: Return, ctx: Context) -> pl.DataFrame:
    """Aged 17 or 18 at 31 March and in care on the birthday that fell in the year."""
    df = _leaver_data(f).with_columns(age_at("DOB", ctx.reference_date).alias("_age"))
    df = df.filter(pl.col("_age").is_in([17, 18]))
    df = df.with_columns(
        pl.col("DOB").dt.offset_by(pl.format("{}y", pl.col("_age"))).alias("_bday")
    )
    eps = f[E].select(CHILD, "DECOM", "DEC")
    j = df.join(eps, on=CHILD)
    in_care = (pl.col("DECOM") <= pl.col("_bday")) & (
        pl.col("DEC").is_null() | (pl.col("DEC") > pl.col("_bday"))
    )
    return j.filter(in_care)


@rule(
    "1011",
    "This child is recorded as having his/her care transferred to another local "
    "authority for the final episode and therefore should not have the care leaver information "
    "completed.",
    ERROR,
    {OC3: tuple(OC3_ITEMS), E: ("REC",)},
)
def r1011(f: Return, ctx: Context) -> pl.DataFrame:
    last = episodes(f).filter(pl.col("next_DECOM").is_null() & (pl.col("REC") == "E3"))
    return _leaver_data(f).join(last.select(CHILD), on=CHILD)


@rule(
    "1014",
    "UASC information is not required for care leavers",
    ERROR,
    {"UASC": ("DUC",), OC3: tuple(OC3_ITEMS)},
    table="UASC",
)
def r1014(f: Return, ctx: Context) -> pl.DataFrame:
    """UASC rows for care leavers (OC3 data) with no episode during the year."""
    during = (
        f[E]
        .filter(
            (pl.col("DECOM") <= pl.lit(ctx.reference_date))
            & (pl.col("DEC").is_null() | (pl.col("DEC") >= pl.lit(ctx.period_start)))
        )
        .select(CHILD)
    )
    leavers = _leaver_data(f).select(CHILD).join(during, on=CHILD, how="anti")
    return f["UASC"].join(leavers, on=CHILD, how="semi")


# --- Reviews, previous permanence ---------------------------------------------------------------


@rule(
    "167", "Data entry for participation is invalid or blank.", ERROR, {"Reviews": ("REVIEW_CODE",)}
)
def r167(f: Return, ctx: Context) -> pl.DataFrame:
    valid = sorted(REVIEW_CODE.valid(ctx.year))
    return f["Reviews"].filter(~pl.col("REVIEW_CODE").is_in(valid).fill_null(False))


@rule("166", "Date of review is invalid or blank.", ERROR, {"Reviews": ("REVIEW",)})
def r166(f: Return, ctx: Context) -> pl.DataFrame:
    return f["Reviews"].filter(pl.col("REVIEW").is_null())


@rule(
    "440",
    "Participation method indicates child was under 4 years old at the time of the "
    "review, but date of birth and review date indicates the child was 4 years old or over.",
    ERROR,
    {"Reviews": ("DOB", "REVIEW", "REVIEW_CODE")},
)
def r440(f: Return, ctx: Context) -> pl.DataFrame:
    return f["Reviews"].filter((pl.col("REVIEW_CODE") == "PN0") & (age_at("DOB", "REVIEW") >= 4))


@rule(
    "441",
    "Participation method indicates child was 4 years old or over at the time of the "
    "review, but the date of birth and review date indicates the child was under 4 years old.",
    ERROR,
    {"Reviews": ("DOB", "REVIEW", "REVIEW_CODE")},
)
def r441(f: Return, ctx: Context) -> pl.DataFrame:
    over = [f"PN{i}" for i in range(1, 8)]
    return f["Reviews"].filter(pl.col("REVIEW_CODE").is_in(over) & (age_at("DOB", "REVIEW") < 4))


@rule(
    "399",
    "Mother field, review field or participation field are completed but child is looked "
    "after under legal status V3 or V4.",
    ERROR,
    {"Reviews": ("REVIEW", "REVIEW_CODE"), "Header": ("MOTHER",)},
)
def r399(f: Return, ctx: Context) -> dict[str, pl.DataFrame]:
    """Children whose every episode is a short break carry no reviews and no mother field."""
    e = f[E].with_columns(pl.col("LS").is_in(["V3", "V4"]).fill_null(False).alias("_sb"))
    only = e.group_by(CHILD).agg(pl.col("_sb").all()).filter(pl.col("_sb")).select(CHILD)
    return {
        "Reviews": f["Reviews"].join(only, on=CHILD),
        "Header": f["Header"].filter(pl.col("MOTHER").is_not_null()).join(only, on=CHILD),
    }


NEW_PERMANENCE_FROM = date(2016, 4, 1)


@rule(
    "630",
    "Information on previous permanence option should be returned.",
    ERROR,
    {E: ("RNE", "DECOM"), "PrevPerm": ("PREV_PERM", "LA_PERM", "DATE_PERM")},
    table=E,
)
def r630(f: Return, ctx: Context) -> pl.DataFrame:
    """A start of care in the year needs a PrevPerm row: Z1, or an option with its LA and date."""
    starts = f[E].filter((pl.col("RNE") == "S") & (pl.col("DECOM") >= pl.lit(ctx.period_start)))
    pp = f["PrevPerm"].select(CHILD, "PREV_PERM", "LA_PERM", "DATE_PERM").unique(CHILD)
    j = starts.join(pp, on=CHILD, how="left")
    incomplete = (pl.col("PREV_PERM") != "Z1") & (
        pl.col("LA_PERM").is_null() | pl.col("DATE_PERM").is_null()
    )
    return j.filter(pl.col("PREV_PERM").is_null() | incomplete)


PARTIAL_DATE = r"^(\d{2}|[zZ]{2})/(\d{2}|[zZ]{2})/\d{4}$"


@rule(
    "632",
    "Date of previous permanence order not a valid value. NOTE: This rule may result in "
    "false negatives where the period of care started before the current collection year",
    ERROR,
    {"PrevPerm": ("DATE_PERM",), E: ("DECOM",)},
)
def r632(f: Return, ctx: Context) -> pl.DataFrame:
    """A dd/mm/yyyy date (day and month may be zz when unknown) before care started."""
    first = f[E].group_by(CHILD).agg(pl.col("DECOM").min().alias("_first"))
    pp = f["PrevPerm"].filter(pl.col("DATE_PERM").is_not_null()).join(first, on=CHILD, how="left")
    full = pl.col("DATE_PERM").str.strptime(pl.Date, "%d/%m/%Y", strict=False)
    partial = pl.col("DATE_PERM").str.contains("[zZ]")
    well_formed = pl.col("DATE_PERM").str.contains(PARTIAL_DATE) & (partial | full.is_not_null())
    return pp.filter(~well_formed | (full >= pl.col("_first")).fill_null(False))


@rule(
    "634",
    "There are entries for previous permanence options, but child has not started to be "
    "looked after from 1 April 2016 onwards.",
    ERROR,
    {"PrevPerm": ("LA_PERM", "PREV_PERM", "DATE_PERM"), E: ("DECOM",)},
)
def r634(f: Return, ctx: Context) -> pl.DataFrame:
    last = f[E].group_by(CHILD).agg(pl.col("DECOM").max().alias("_last"))
    pp = f["PrevPerm"].filter(_any(["PREV_PERM", "LA_PERM", "DATE_PERM"])).join(last, on=CHILD)
    return pp.filter(pl.col("_last") < pl.lit(ctx.period_start))


@rule(
    "635",
    "There are entries for date of order and local authority code where previous "
    "permanence option was arranged but previous permanence code is Z1",
    ERROR,
    {"PrevPerm": ("LA_PERM", "DATE_PERM", "PREV_PERM")},
)
def r635(f: Return, ctx: Context) -> pl.DataFrame:
    return f["PrevPerm"].filter(_any(["LA_PERM", "DATE_PERM"]) & (pl.col("PREV_PERM") == "Z1"))


@rule(
    "633",
    "Local authority code where previous permanence option was arranged is not a valid value.",
    ERROR,
    {"PrevPerm": ("LA_PERM",)},
)
def r633(f: Return, ctx: Context) -> pl.DataFrame:
    """LA_PERM, when given, is an English authority's code, 999, or WAL/SCO/NUK/NIR."""
    la = pl.col("LA_PERM")
    return f["PrevPerm"].filter(la.is_not_null() & ~la.is_in(sorted(LA_PERM_CODES)))


@rule(
    "157",
    "Child is aged 4 years or over at the beginning of the year or 16 years or under at the "
    "end of the year and Strengths and Difficulties Questionnaire (SDQ) 1 has been recorded as "
    "the reason for no Strengths and Difficulties Questionnaire (SDQ) score.",
    ERROR,
    {OC2: ("SDQ_REASON", "DOB")},
)
def r157(f: Return, ctx: Context) -> pl.DataFrame:
    """SDQ1 (no form returned as the child was under 4 or over 17) for a child who is 4 or
    over on 1 April and 16 or under on 31 March, so of SDQ age all year."""
    return f[OC2].filter(
        (pl.col("SDQ_REASON") == "SDQ1")
        & (age_at("DOB", ctx.period_start) >= 4)
        & (age_at("DOB", ctx.reference_date) <= 16)
    )


ADDED_2024: list[Rule] = []
added_2024 = collector(ADDED_2024)


@added_2024(
    "347",
    "Care leavers aged under 18 years, can not be accommodated in a Foyer.",
    ERROR,
    {OC3: ("ACCOM", "DOB")},
)
def r347(f: Return, ctx: Context) -> pl.DataFrame:
    """Foyer accommodation (ACCOM T1/T2) for a care leaver under 18 at the start of the year."""
    return f[OC3].filter(
        pl.col("ACCOM").is_in(["T1", "T2"]) & (age_at("DOB", ctx.period_start) < 18)
    )


@added_2024(
    "1016",
    "Care leaver information is not required for 17- or 18-year olds who cease to "
    "be looked after, after their birthday.",
    ERROR,
    {OC3: ("DOB", *OC3_ITEMS), E: ("DEC",)},
)
def r1016(f: Return, ctx: Context) -> pl.DataFrame:
    """Aged 17 or 18 at 31 March and left care in the year after the birthday that fell in it."""
    df = _leaver_data(f).with_columns(age_at("DOB", ctx.reference_date).alias("_age"))
    df = df.filter(pl.col("_age").is_in([17, 18])).with_columns(
        pl.col("DOB").dt.offset_by(pl.format("{}y", pl.col("_age"))).alias("_bday")
    )
    left = f[E].filter(pl.col("REC").is_not_null() & (pl.col("REC") != "X1")).select(CHILD, "DEC")
    j = df.join(left, on=CHILD)
    return j.filter(pl.col("DEC").is_between(pl.col("_bday"), pl.lit(ctx.reference_date)))
