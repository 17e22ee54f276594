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


# --- The UASC flag (Header) and the date UASC status ceased (UASC file) -----------------------
#
# The flag is "1" when the child is an unaccompanied asylum-seeking child in the year, else "0"
# (a CSV return says it by listing the child in the UASC file; see `tables.SSDA903_OPTIONAL`).
# DUC is the date that status ceased, or the 18th birthday when it has not. Rules 205A-205D
# compare with last year's return and find nothing without it (`NEEDS_PREVIOUS`). Codes and
# messages from the 2023-24 and 2024-25 catalogues; the logic follows the DfE rule texts as the
# open 903 validator (lac2022_23 rule_105, 205A-D, 303) reads them.

UASC = "UASC"
UASC_FLAGS = ["0", "1"]
NEEDS_PREVIOUS = frozenset({"205A", "205B", "205C", "205D"})


@rule(
    "105",
    "Data entry for Unaccompanied Asylum-Seeking Children (UASC) status of child is invalid or "
    "has not been completed.",
    ERROR,
    {H: ("UASC",)},
)
def r105(f: Return, ctx: Context) -> pl.DataFrame:
    return f[H].filter(~pl.col("UASC").is_in(UASC_FLAGS).fill_null(False))


def _with_duc(f: Return) -> pl.DataFrame:
    """Header rows with this year's DUC and the UASC row it came from (`_urow`)."""
    u = f[UASC].select(CHILD, pl.col("DUC").alias("_duc"), pl.col(ROW).alias("_urow"))
    return f[H].join(u.unique(CHILD, keep="first"), on=CHILD, how="left")


def _both(j: pl.DataFrame) -> dict[str, pl.DataFrame]:
    """The failing children's Header rows and UASC rows (the rules point at both)."""
    return {H: j.select(ROW), UASC: j.select(pl.col("_urow").alias(ROW)).drop_nulls()}


@rule(
    "303",
    "If date Unaccompanied Asylum-Seeking Child (UASC) status ceased is not null, UASC status "
    "must be coded 1.",
    ERROR,
    {UASC: ("DUC",), H: ("UASC",)},
)
def r303(f: Return, ctx: Context) -> dict[str, pl.DataFrame]:
    """A DUC with a flag other than 1 (blank included). A DUC for a child with no Header row
    is INT09's to report."""
    dated = f[UASC].filter(pl.col("DUC").is_not_null())
    flags = f[H].select(CHILD, pl.col("UASC").alias("_flag"), pl.col(ROW).alias("_hrow"))
    j = dated.join(flags.unique(CHILD, keep="first"), on=CHILD)
    bad = j.filter((pl.col("_flag") != "1").fill_null(True))
    return {UASC: bad.select(ROW), H: bad.select(pl.col("_hrow").alias(ROW))}


def _last_year(ctx: Context) -> pl.DataFrame | None:
    """Last year's children: flag (`_flag_last`), DUC (`_duc_last`) and DOB (`_dob_last`)."""
    if ctx.previous is None:
        return None
    h = ctx.previous[H].select(CHILD, pl.col("UASC").alias("_flag_last"), pl.col("DOB"))
    u = ctx.previous[UASC].select(CHILD, pl.col("DUC").alias("_duc_last"), pl.col("DOB"))
    both = h.unique(CHILD, keep="first").join(
        u.unique(CHILD, keep="first"), on=CHILD, how="full", coalesce=True, suffix="_u"
    )
    return both.select(
        CHILD, "_flag_last", "_duc_last", pl.coalesce("DOB_u", "DOB").alias("_dob_last")
    )


def _any_uasc(f: Return, last: Return) -> bool:
    """Whether either year's return flags anyone UASC or dates a UASC status: if not, 205A-D
    have nothing to compare (cheap to ask; a child's own check usually stops here)."""
    return any(r[UASC].height or (r[H].get_column("UASC") == "1").any() for r in (f, last))


def _compared(f: Return, ctx: Context, how: str = "inner") -> pl.DataFrame | None:
    """This year's Header rows with DUC, joined to last year's flag, DUC and DOB (None
    without last year's return, or when neither year has anything on UASC)."""
    if ctx.previous is None or not _any_uasc(f, ctx.previous):
        return None
    last = _last_year(ctx)
    return None if last is None else _with_duc(f).join(last, on=CHILD, how=how)  # type: ignore[arg-type]


def _nothing(f: Return) -> dict[str, pl.DataFrame]:
    return {H: f[H].clear().select(ROW), UASC: f[UASC].clear().select(ROW)}


@rule(
    "205A",
    "Child identified as UASC last year is no longer UASC this year, but date UASC ceased in "
    "both years does not support this.",
    ERROR,
    {H: (CHILD, "UASC"), UASC: ("DUC",)},
)
def r205a(f: Return, ctx: Context) -> dict[str, pl.DataFrame]:
    """UASC last year, not this year: last year's DUC must fall in last year and this year's
    be blank."""
    j = _compared(f, ctx)
    if j is None:
        return _nothing(f)
    last_start = date(ctx.year - 2, 4, 1)
    last_end = date(ctx.year - 1, 3, 31)
    ceased_last_year = pl.col("_duc_last").is_between(pl.lit(last_start), pl.lit(last_end))
    bad = j.filter(
        (pl.col("_flag_last") == "1")
        & (pl.col("UASC") != "1").fill_null(True)
        & (pl.col("_duc").is_not_null() | ~ceased_last_year.fill_null(False))
    )
    return _both(bad)


@rule(
    "205B",
    "Child previously identified as UASC is also UASC this year, but date UASC ceased in both "
    "years does not support this.",
    ERROR,
    {H: ("UASC",), UASC: ("DUC",)},
)
def r205b(f: Return, ctx: Context) -> dict[str, pl.DataFrame]:
    """UASC both years: last year's DUC must be the 18th birthday (status not yet ceased), and
    this year's DUC must fall in this year or repeat last year's."""
    j = _compared(f, ctx)
    if j is None:
        return _nothing(f)
    in_year = pl.col("_duc").is_between(pl.lit(ctx.period_start), pl.lit(ctx.reference_date))
    same = pl.col("_duc") == pl.col("_duc_last")
    at_18 = pl.col("_duc_last") == pl.col("_dob_last").dt.offset_by("18y")
    bad = j.filter(
        (pl.col("UASC") == "1")
        & (pl.col("_flag_last") == "1")
        & ((~in_year.fill_null(False) & ~same.fill_null(False)) | ~at_18.fill_null(False))
    )
    return _both(bad)


@rule(
    "205C",
    "Child not identified as UASC either this year or last year but date UASC ceased has been "
    "provided.",
    ERROR,
    {H: ("UASC",), UASC: ("DUC",)},
)
def r205c(f: Return, ctx: Context) -> dict[str, pl.DataFrame]:
    """Not UASC in either year (a child not in last year's return was not UASC in it) but a DUC
    in either year's return."""
    j = _compared(f, ctx, how="left")
    if j is None:
        return _nothing(f)
    bad = j.filter(
        (pl.col("UASC") != "1").fill_null(True)
        & (pl.col("_flag_last") != "1").fill_null(True)
        & (pl.col("_duc").is_not_null() | pl.col("_duc_last").is_not_null())
    )
    return _both(bad)


@rule(
    "205D",
    "Child identified as UASC this year but not identified as UASC status provided for the "
    "child last year.",
    ERROR,
    {H: (CHILD, "UASC")},
)
def r205d(f: Return, ctx: Context) -> pl.DataFrame:
    """UASC this year, in last year's return but not UASC there (blank included)."""
    j = _compared(f, ctx)
    if j is None:
        return f[H].clear()
    return j.filter((pl.col("UASC") == "1") & (pl.col("_flag_last") != "1").fill_null(True))


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


@added_2026("444", "Duplicate UPN has been reported", ERROR, {H: ("UPN",)}, la_level=True)
def r444(f: Return, ctx: Context) -> pl.DataFrame:
    """The same real UPN on two children (the UN1-UN5 reasons may repeat). It compares children
    with each other, so it needs the whole return: not run when checking one child."""
    real = f[H].filter(
        pl.col("UPN").is_not_null() & ~pl.col("UPN").is_in(["UN1", "UN2", "UN3", "UN4", "UN5"])
    )
    return real.filter(pl.col("UPN").is_duplicated())


_ = ROW  # re-exported name kept for rule modules that point at header rows
