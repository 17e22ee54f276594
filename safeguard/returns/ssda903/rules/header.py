"""SSDA903 rules on the child's header (sex, birth, ethnicity, UPN, motherhood), UASC and the
internal consistency checks (INT) between the files.

Codes and messages from the SSDA903 validation rules (catalogue in shared/fixtures/
csc-validator-be-903/output_data/, logic as described in shared/reference/ssda903.md and the DfE
rule texts); the logic is written here.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from safeguard.codes import ETHNICITY

from ._common import (
    CHILD,
    ERROR,
    ROW,
    Context,
    Return,
    Rule,
    collector,
    episodes,
    female,
    looked_after_at,
    male,
)

RULES: list[Rule] = []
rule = collector(RULES)
H = "Header"
SHORT_BREAKS = ["V3", "V4"]
UPN_FORMAT = r"^(([A-HJ-NP-RT-Z]\d{12})|([A-HJ-NP-RT-Z]\d{11}[A-Z])|(UN[1-5]))$"


@rule("101", "Gender code is not valid.", ERROR, {H: ("SEX",)})
def r101(f: Return, ctx: Context) -> pl.DataFrame:
    return f[H].filter(~pl.col("SEX").is_in(["1", "2"]).fill_null(False))


@rule("102", "Date of birth is not a valid date.", ERROR, {H: ("DOB",)})
def r102(f: Return, ctx: Context) -> pl.DataFrame:
    """Unreadable dates are refused by the reader; a missing one is caught here."""
    return f[H].filter(pl.col("DOB").is_null())


@rule(
    "103",
    "The ethnicity code is either not valid or has not been entered.",
    ERROR,
    {H: ("ETHNIC",)},
)
def r103(f: Return, ctx: Context) -> pl.DataFrame:
    return f[H].filter(~pl.col("ETHNIC").is_in(sorted(ETHNICITY.valid(ctx.year))).fill_null(False))


@rule(
    "168",
    "Unique Pupil Number (UPN) is not valid. If unknown, default codes should be UN1, "
    "UN2, UN3, UN4 or UN5.",
    ERROR,
    {H: ("UPN",)},
)
def r168(f: Return, ctx: Context) -> pl.DataFrame:
    return f[H].filter(pl.col("UPN").is_not_null() & ~pl.col("UPN").str.contains(UPN_FORMAT))


@rule(
    "174",
    "Mother's child date of birth is recorded but gender shows that the child is a male.",
    ERROR,
    {H: ("SEX", "MC_DOB")},
)
def r174(f: Return, ctx: Context) -> pl.DataFrame:
    return f[H].filter(male & pl.col("MC_DOB").is_not_null())


@rule("301", "Date of birth falls after the year ended.", ERROR, {H: ("DOB",)})
def r301(f: Return, ctx: Context) -> pl.DataFrame:
    return f[H].filter(pl.col("DOB") > pl.lit(ctx.reference_date))


@rule("351", "Child was over 25 at the start of the current collection year.", ERROR, {H: ("DOB",)})
def r351(f: Return, ctx: Context) -> pl.DataFrame:
    return f[H].filter(pl.col("DOB").dt.offset_by("25y") < pl.lit(ctx.period_start))


def _looked_after_children(f: Return) -> pl.DataFrame:
    """Children with an episode that is not a short break (V3/V4)."""
    return (
        f["Episodes"]
        .filter(~pl.col("LS").is_in(SHORT_BREAKS).fill_null(False))
        .select(CHILD)
        .unique()
    )


@rule("393", "Child is looked after but mother field is not completed.", ERROR, {H: ("MOTHER",)})
def r393(f: Return, ctx: Context) -> pl.DataFrame:
    return (
        f[H].filter(female & pl.col("MOTHER").is_null()).join(_looked_after_children(f), on=CHILD)
    )


@rule("442", "Unique Pupil Number (UPN) field is not completed.", ERROR, {H: ("UPN",)})
def r442(f: Return, ctx: Context) -> pl.DataFrame:
    return f[H].filter(pl.col("UPN").is_null()).join(_looked_after_children(f), on=CHILD)


@rule(
    "209",
    "Child looked after is of school age and should not have an unknown Unique Pupil "
    "Number (UPN) code of UN1.",
    ERROR,
    {H: ("UPN", "DOB")},
)
def r209(f: Return, ctx: Context) -> pl.DataFrame:
    """UN1 ("not yet in school") for a child 5 or over on 31 August before the year."""
    born_by = date(ctx.year - 7, 8, 31)
    return f[H].filter((pl.col("UPN") == "UN1") & (pl.col("DOB") <= pl.lit(born_by)))


@rule(
    "210",
    "Children looked after for more than a week at 31 March should not have an unknown "
    "Unique Pupil Number (UPN) code of UN4.",
    ERROR,
    {H: ("UPN",), "Episodes": ("DECOM",)},
)
def r210(f: Return, ctx: Context) -> pl.DataFrame:
    """UN4 ("UPN not yet obtained") for a child in care more than 7 days at 31 March."""
    e = episodes(f)
    week_before = date.fromordinal(ctx.reference_date.toordinal() - 7)
    long = (
        e.filter(
            looked_after_at(e, ctx.reference_date) & (pl.col("poc_start") < pl.lit(week_before))
        )
        .select(CHILD)
        .unique()
    )
    return f[H].filter(pl.col("UPN") == "UN4").join(long, on=CHILD)


@rule(
    "607",
    "Child ceased to be looked after in the year, but mother field has not been completed.",
    ERROR,
    {H: ("MOTHER", "SEX"), "Episodes": ("DEC", "REC", "LS")},
)
def r607(f: Return, ctx: Context) -> pl.DataFrame:
    e = f["Episodes"]
    left = (
        e.filter(
            pl.col("REC").is_not_null()
            & (pl.col("REC") != "X1")
            & pl.col("DEC").is_between(pl.lit(ctx.period_start), pl.lit(ctx.reference_date))
            & ~pl.col("LS").is_in(SHORT_BREAKS).fill_null(False)
        )
        .select(CHILD)
        .unique()
    )
    return f[H].filter(female & pl.col("MOTHER").is_null()).join(left, on=CHILD)


@rule(
    "611", "Date of birth field is blank, but child is a mother.", ERROR, {H: ("MOTHER", "MC_DOB")}
)
def r611(f: Return, ctx: Context) -> pl.DataFrame:
    return f[H].filter((pl.col("MOTHER") == "1") & pl.col("MC_DOB").is_null())


@rule(
    "612",
    "Date of birth field has been completed but mother field indicates child is not a mother.",
    ERROR,
    {H: ("SEX", "MOTHER", "MC_DOB")},
)
def r612(f: Return, ctx: Context) -> pl.DataFrame:
    not_mother = (pl.col("MOTHER") == "0") | pl.col("MOTHER").is_null()
    return f[H].filter(female & not_mother & pl.col("MC_DOB").is_not_null())


@rule(
    "620",
    "Child has been recorded as a mother, but date of birth shows that the mother is "
    "under "
    "11 years of age.",
    ERROR,
    {H: ("DOB", "MOTHER")},
)
def r620(f: Return, ctx: Context) -> pl.DataFrame:
    """A mother under 11 at the start of the year."""
    return f[H].filter(
        (pl.col("MOTHER") == "1") & (pl.col("DOB").dt.offset_by("11y") > pl.lit(ctx.period_start))
    )


@rule(
    "621",
    "Mother’s field has been completed but date of birth shows that the mother is younger "
    "than her child.",
    ERROR,
    {H: ("DOB", "MC_DOB")},
)
def r621(f: Return, ctx: Context) -> pl.DataFrame:
    return f[H].filter(pl.col("MC_DOB") <= pl.col("DOB"))


@rule(
    "625",
    "Date of birth of the first child is beyond the end of this reporting year or the "
    "date "
    "the child ceased to be looked after.",
    ERROR,
    {H: ("MC_DOB",), "Episodes": ("DEC",)},
)
def r625(f: Return, ctx: Context) -> pl.DataFrame:
    last_dec = f["Episodes"].group_by(CHILD).agg(pl.col("DEC").max().alias("_dec"))
    h = f[H].join(last_dec, on=CHILD, how="left")
    return h.filter(
        (pl.col("MC_DOB") > pl.lit(ctx.reference_date))
        | (pl.col("MC_DOB") > pl.col("_dec")).fill_null(False)
    )


@rule(
    "304",
    "Date unaccompanied asylum-seeking child (UASC) status ceased must be on or before "
    "the "
    "18th birthday of a child.",
    ERROR,
    {"UASC": ("DUC", "DOB")},
)
def r304(f: Return, ctx: Context) -> pl.DataFrame:
    return f["UASC"].filter(pl.col("DUC") > pl.col("DOB").dt.offset_by("18y"))


# --- Internal checks: every file's child is in the header, with the same DOB, once ---------

_IN_HEADER = {
    "INT01": "AD1",
    "INT02": "PlacedAdoption",
    "INT03": "Episodes",
    "INT04": "Missing",
    "INT05": "OC2",
    "INT06": "OC3",
    "INT07": "PrevPerm",
    "INT08": "Reviews",
    "INT09": "UASC",
}
_SAME_DOB = {
    "INT11": "AD1",
    "INT12": "PlacedAdoption",
    "INT13": "Missing",
    "INT14": "OC2",
    "INT15": "OC3",
    "INT16": "PrevPerm",
    "INT17": "Reviews",
    "INT18": "UASC",
}
_ONCE = {
    "INT31": "AD1",
    "INT32": "Header",
    "INT33": "OC2",
    "INT34": "OC3",
    "INT35": "PrevPerm",
    "INT36": "UASC",
}
_PREFIX = {"AD1": "Data Integrity Check"}


def _declare_in_header(code: str, table: str) -> None:
    prefix = _PREFIX.get(table, "Internal Check")

    @rule(
        code,
        f"{prefix}: Child in {table} does not exist in Header.",
        ERROR,
        {table: (CHILD,), H: ()},
        table=table,
    )
    def check(f: Return, ctx: Context) -> pl.DataFrame:
        return f[table].join(f[H].select(CHILD), on=CHILD, how="anti")


def _declare_same_dob(code: str, table: str) -> None:
    @rule(
        code,
        f"Internal Check: DOB in {table} is different to DOB in Header.",
        ERROR,
        {table: ("DOB",), H: ("DOB",)},
        table=table,
    )
    def check(f: Return, ctx: Context) -> pl.DataFrame:
        h = f[H].select(CHILD, pl.col("DOB").alias("_hdob")).unique(CHILD)
        return f[table].join(h, on=CHILD).filter(pl.col("DOB") != pl.col("_hdob"))


def _declare_once(code: str, table: str) -> None:
    @rule(
        code, f"Internal Check: Child should only exist once in {table}.", ERROR, {table: (CHILD,)}
    )
    def check(f: Return, ctx: Context) -> pl.DataFrame:
        return f[table].filter(pl.col(CHILD).is_duplicated())


for _code, _table in _IN_HEADER.items():
    _declare_in_header(_code, _table)
for _code, _table in _SAME_DOB.items():
    _declare_same_dob(_code, _table)
for _code, _table in _ONCE.items():
    _declare_once(_code, _table)


@rule(
    "INT21",
    "Internal Check: SEX in UASC is different to SEX in Header.",
    ERROR,
    {"UASC": ("SEX",), H: ("SEX",)},
)
def int21(f: Return, ctx: Context) -> pl.DataFrame:
    h = f[H].select(CHILD, pl.col("SEX").alias("_hsex")).unique(CHILD)
    return f["UASC"].join(h, on=CHILD).filter(pl.col("SEX") != pl.col("_hsex"))


# --- 2024-25: sex recorded as M, F or U --------------------------------------------------------

CHANGED_2025: list[Rule] = []
changed_2025 = collector(CHANGED_2025)


@changed_2025("101", "The child or young person’s reported sex is not valid.", ERROR, {H: ("SEX",)})
def r101_2025(f: Return, ctx: Context) -> pl.DataFrame:
    return f[H].filter(~pl.col("SEX").is_in(["M", "F", "U"]).fill_null(False))


@changed_2025(
    "174",
    "Mother's child date of birth is recorded but sex shows that the child is a male.",
    ERROR,
    {H: ("SEX", "MC_DOB")},
)
def r174_2025(f: Return, ctx: Context) -> pl.DataFrame:
    return f[H].filter((pl.col("SEX") == "M") & pl.col("MC_DOB").is_not_null())


ADDED_2026: list[Rule] = []
added_2026 = collector(ADDED_2026)


@added_2026("444", "Duplicate UPN has been reported", ERROR, {H: ("UPN",)})
def r444(f: Return, ctx: Context) -> pl.DataFrame:
    """The same real UPN on two children (the UN1-UN5 reasons may repeat)."""
    real = f[H].filter(
        pl.col("UPN").is_not_null() & ~pl.col("UPN").is_in(["UN1", "UN2", "UN3", "UN4", "UN5"])
    )
    return real.filter(pl.col("UPN").is_duplicated())


_ = ROW  # re-exported name kept for rule modules that point at header rows
