"""CIN census rules on the child: header, identifiers, characteristics and disability.

Codes, messages and logic from the DfE CIN census validation rules as summarised in
shared/reference/cin-census.md section 5 and as encoded by data-to-insight's CIN validator
(cin2022_23); the logic here is our own. Rule texts are quoted in each docstring in short.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from safeguard.calendar import add_months
from safeguard.codes import DISABILITY, ETHNICITY, GENDER_CURRENT

from ._common import CHILD, ERROR, QUERY, Context, Return, Rule, collector, not_nfa, rows_of

RULES: list[Rule] = []
rule = collector(RULES)

CI = "ChildIdentifiers"
CHECK_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"  # DfE UPN guide: remainder 0..22 -> letter
UPN_LAST_CHARS = "0123456789ABCDEFGHJKLMNPQRTUVWXYZ"  # char 13: digit or A-Z without I, O, S
# Valid post-April-1998 LA codes and pseudo-LA codes for UPN characters 2-4 (DfE UPN guide,
# as listed in rule 1530's text).
_LA_RANGES = [
    (1, 5),
    (201, 213),
    (301, 320),
    (330, 336),
    (340, 344),
    (350, 359),
    (370, 373),
    (380, 384),
    (390, 394),
    (420, 420),
    (660, 681),
    (701, 708),
    (800, 803),
    (805, 808),
    (810, 813),
    (815, 816),
    (820, 823),
    (825, 826),
    (830, 831),
    (835, 841),
    (845, 846),
    (850, 852),
    (855, 857),
    (860, 861),
    (865, 896),
    (908, 909),
    (916, 916),
    (919, 919),
    (921, 921),
    (925, 926),
    (928, 929),
    (931, 931),
    (933, 933),
    (935, 938),
    (940, 941),
]
UPN_LA_CODES = frozenset(f"{n:03d}" for lo, hi in _LA_RANGES for n in range(lo, hi + 1))
DISABILITY_NONE = "NONE"


@rule("100", "Reference Date is incorrect", ERROR, {"Header": ("ReferenceDate",)})
def r100(f: Return, ctx: Context) -> pl.DataFrame:
    """ReferenceDate must be present and equal 31 March of the census year."""
    h = f["Header"]
    return h.filter(
        pl.col("ReferenceDate").is_null() | (pl.col("ReferenceDate") != pl.lit(ctx.reference_date))
    )


def _upn(f: Return) -> pl.DataFrame:
    return f[CI].filter(pl.col("UPN").is_not_null() & (pl.col("UPN").str.len_chars() == 13))


def _char_value(s: pl.Expr) -> pl.Expr:
    """A UPN character's value for the check letter: digits 0-9, letters by the DfE table."""
    letters = pl.Series(list(CHECK_LETTERS))
    digit = s.cast(pl.Int64, strict=False)
    letter = s.replace_strict(
        letters, pl.Series(range(len(CHECK_LETTERS))), default=None, return_dtype=pl.Int64
    )
    return pl.coalesce(digit, letter)


@rule("1510", "UPN invalid (wrong check letter at character 1)", ERROR, {CI: ("UPN",)})
def r1510(f: Return, ctx: Context) -> pl.DataFrame:
    """Character 1 must be the check letter of characters 2-13 (weights 2..13, mod 23)."""
    df = _upn(f).with_columns(pl.col("UPN").str.to_uppercase().alias("_u"))
    weighted = [_char_value(pl.col("_u").str.slice(i, 1)) * (i + 1) for i in range(1, 13)]
    df = df.with_columns(
        pl.sum_horizontal(weighted).alias("_s"),
        pl.all_horizontal([w.is_not_null() for w in weighted]).alias("_ok"),
    )
    expected = (pl.col("_s") % 23).replace_strict(
        pl.Series(range(23)), pl.Series(list(CHECK_LETTERS)), return_dtype=pl.Utf8
    )
    return df.filter(pl.col("_ok") & (pl.col("_u").str.slice(0, 1) != expected))


@rule("1520", "More than one record with the same UPN.", ERROR, {CI: ("UPN",)})
def r1520(f: Return, ctx: Context) -> pl.DataFrame:
    """Each UPN must be unique across the return."""
    return f[CI].filter(pl.col("UPN").is_not_null() & pl.col("UPN").is_duplicated())


@rule("1530", "UPN invalid (characters 2-4 not a recognised LA code)", ERROR, {CI: ("UPN",)})
def r1530(f: Return, ctx: Context) -> pl.DataFrame:
    return f[CI].filter(
        pl.col("UPN").is_not_null() & ~pl.col("UPN").str.slice(1, 3).is_in(sorted(UPN_LA_CODES))
    )


@rule("1540", "UPN invalid (characters 5-12 not all numeric)", ERROR, {CI: ("UPN",)})
def r1540(f: Return, ctx: Context) -> pl.DataFrame:
    return f[CI].filter(
        pl.col("UPN").is_not_null() & ~pl.col("UPN").str.slice(4, 8).str.contains(r"^\d{8}$")
    )


@rule("1550", "UPN invalid (character 13 not a recognised value)", ERROR, {CI: ("UPN",)})
def r1550(f: Return, ctx: Context) -> pl.DataFrame:
    last = pl.col("UPN").str.slice(12, 1)
    return _upn(f).filter(~last.is_in(list(UPN_LAST_CHARS)))


@rule(
    "1560Q",
    "Please check and either amend or provide a reason: Former UPN wrongly formatted",
    QUERY,
    {CI: ("FormerUPN",)},
)
def r1560q(f: Return, ctx: Context) -> pl.DataFrame:
    """FormerUPN, where present: a letter, 11 digits, then a digit or letter."""
    return f[CI].filter(
        pl.col("FormerUPN").is_not_null()
        & ~pl.col("FormerUPN").str.contains(r"^[A-Za-z]\d{11}[0-9A-Za-z]$")
    )


def _children_excluding_unborn(f: Return) -> pl.DataFrame:
    return f[CI].filter(
        pl.col("PersonBirthDate").is_not_null() | pl.col("ExpectedPersonBirthDate").is_null()
    )


def _la_level(f: Return, failing: bool) -> pl.DataFrame:
    """An LA-level failure points at the header row."""
    return rows_of(f["Header"].head(1 if failing else 0))


@rule(
    "2886Q",
    "Please check and either amend or provide a reason: Percentage of children with "
    "no gender recorded is more than 2% (excluding unborns)",
    QUERY,
    {"Header": (), CI: ("GenderCurrent",)},
    la_level=True,
)
def r2886q(f: Return, ctx: Context) -> pl.DataFrame:
    """More than 2% of born children have gender 0 (not recorded) or none."""
    df = _children_excluding_unborn(f)
    missing = df.filter(pl.col("GenderCurrent").is_null() | (pl.col("GenderCurrent") == "0"))
    return _la_level(f, df.height > 0 and missing.height / df.height > 0.02)


@rule(
    "2887Q",
    "Please check and either amend or provide a reason: Less than 8 disability codes "
    "have been used in your return",
    QUERY,
    {"Header": (), "Disabilities": ("Disability",)},
    la_level=True,
)
def r2887q(f: Return, ctx: Context) -> pl.DataFrame:
    """Fewer than 8 distinct disability codes (other than NONE) used across the return."""
    used = f["Disabilities"].filter(pl.col("Disability").str.to_uppercase() != DISABILITY_NONE)
    return _la_level(f, used["Disability"].n_unique() < 8)


@rule(
    "2888Q",
    "Please check and either amend or provide a reason: Only one disability code is "
    "recorded per child and multiple disabilities should be recorded where possible.",
    QUERY,
    {"Header": (), "Disabilities": ("Disability",)},
    la_level=True,
)
def r2888q(f: Return, ctx: Context) -> pl.DataFrame:
    """No child in the return has more than one disability recorded."""
    d = f["Disabilities"].filter(pl.col("Disability").str.to_uppercase() != DISABILITY_NONE)
    most = d.group_by(CHILD).len()["len"].max() if d.height else 0
    return _la_level(f, d.height > 0 and (most or 0) <= 1)


@rule("4180", "Gender is missing", ERROR, {CI: ("GenderCurrent",)})
def r4180(f: Return, ctx: Context) -> pl.DataFrame:
    """GenderCurrent must be present and a valid code (0, 1, 2, 9)."""
    return f[CI].filter(
        ~pl.col("GenderCurrent").is_in(sorted(GENDER_CURRENT.valid())).fill_null(False)
    )


@rule(
    "4220",
    "Ethnicity is missing or invalid (see Ethnicity table)",
    ERROR,
    {"ChildCharacteristics": ("Ethnicity",)},
)
def r4220(f: Return, ctx: Context) -> pl.DataFrame:
    return f["ChildCharacteristics"].filter(
        ~pl.col("Ethnicity").is_in(sorted(ETHNICITY.valid(ctx.year))).fill_null(False)
    )


@rule("8500", "LA Child ID missing", ERROR, {CI: ("LAchildID",)})
def r8500(f: Return, ctx: Context) -> pl.DataFrame:
    return f[CI].filter(pl.col(CHILD).is_null() | (pl.col(CHILD).str.strip_chars() == ""))


@rule("8510", "More than one child record with the same LA Child ID", ERROR, {CI: ("LAchildID",)})
def r8510(f: Return, ctx: Context) -> pl.DataFrame:
    return f[CI].filter(pl.col(CHILD).is_not_null() & pl.col(CHILD).is_duplicated())


@rule(
    "8520",
    "Date of Birth is after data collection period (must be on or before the end of "
    "the census period)",
    ERROR,
    {CI: ("PersonBirthDate",)},
)
def r8520(f: Return, ctx: Context) -> pl.DataFrame:
    return f[CI].filter(pl.col("PersonBirthDate") > pl.lit(ctx.reference_date))


@rule(
    "8525Q",
    "Either Date of Birth or Expected Date of Birth must be provided (but not both)",
    QUERY,
    {CI: ("PersonBirthDate", "ExpectedPersonBirthDate")},
)
def r8525q(f: Return, ctx: Context) -> pl.DataFrame:
    return f[CI].filter(
        pl.col("PersonBirthDate").is_null() == pl.col("ExpectedPersonBirthDate").is_null()
    )


@rule(
    "8530Q",
    "Please check and either amend data or provide a reason: Expected Date of Birth "
    "is outside the expected range for this census (March to December of the Census Year end)",
    QUERY,
    {CI: ("ExpectedPersonBirthDate",)},
)
def r8530q(f: Return, ctx: Context) -> pl.DataFrame:
    """Expected DOB should lie between ReferenceDate - 30 days and ReferenceDate + 9 months."""
    lo = date.fromordinal(ctx.reference_date.toordinal() - 30)
    hi = add_months(ctx.reference_date, 9)
    e = pl.col("ExpectedPersonBirthDate")
    return f[CI].filter(e.is_not_null() & ((e < pl.lit(lo)) | (e > pl.lit(hi))))


@rule(
    "8535Q",
    "Please check and either amend data or provide a reason: Child’s date of death "
    "should not be prior to the date of birth",
    QUERY,
    {CI: ("PersonDeathDate", "PersonBirthDate", "ExpectedPersonBirthDate")},
)
def r8535q(f: Return, ctx: Context) -> pl.DataFrame:
    born = pl.coalesce("PersonBirthDate", "ExpectedPersonBirthDate")
    return f[CI].filter(pl.col("PersonDeathDate") < born)


@rule(
    "8540",
    "Child’s disability is missing or invalid (see Disability table)",
    ERROR,
    {"Disabilities": ("Disability",), CI: ("PersonBirthDate",)},
)
def r8540(f: Return, ctx: Context) -> dict[str, pl.DataFrame]:
    """A born child with any referral going on to further action needs valid disability codes."""
    further = f["CINdetails"].filter(not_nfa).select(CHILD).unique()
    children = f[CI].filter(pl.col("PersonBirthDate").is_not_null()).join(further, on=CHILD)
    dis = f["Disabilities"].filter(pl.col("Disability").is_not_null())
    none_recorded = children.join(dis, on=CHILD, how="anti")
    valid = sorted(DISABILITY.valid(ctx.year))
    invalid = dis.join(children.select(CHILD), on=CHILD).filter(
        ~pl.col("Disability").str.to_uppercase().is_in(valid)
    )
    null_rows = (
        f["Disabilities"]
        .filter(pl.col("Disability").is_null())
        .join(children.select(CHILD), on=CHILD)
    )
    return {CI: none_recorded, "Disabilities": pl.concat([invalid, null_rows])}


@rule(
    "8545Q",
    "Please check and either amend data or provide a reason: Child's date of death "
    "should be within the census year",
    QUERY,
    {CI: ("PersonDeathDate",)},
)
def r8545q(f: Return, ctx: Context) -> pl.DataFrame:
    d = pl.col("PersonDeathDate")
    return f[CI].filter((d < pl.lit(ctx.period_start)) | (d > pl.lit(ctx.reference_date)))


@rule(
    "8750",
    "Gender must equal 0 for an unborn child",
    ERROR,
    {CI: ("GenderCurrent", "PersonBirthDate", "ExpectedPersonBirthDate")},
)
def r8750(f: Return, ctx: Context) -> pl.DataFrame:
    """An unborn child (expected DOB only) is recorded with gender 0."""
    unborn = pl.col("PersonBirthDate").is_null() & pl.col("ExpectedPersonBirthDate").is_not_null()
    return f[CI].filter(unborn & (pl.col("GenderCurrent").fill_null("") != "0"))


#: UPNunknown reasons that explain a missing UPN for a school-age child (UN1, "not yet in
#: school", does not).
SCHOOL_AGE_UPN_REASONS = ("UN2", "UN3", "UN4", "UN5", "UN6", "UN7")


def _school_age_without_upn(f: Return, born_by: date) -> pl.DataFrame:
    further = f["CINdetails"].filter(not_nfa).select(CHILD).unique()
    return (
        f[CI]
        .join(further, on=CHILD)
        .filter(
            (pl.col("PersonBirthDate") <= pl.lit(born_by))
            & pl.col("UPN").is_null()
            & ~pl.col("UPNunknown")
            .str.to_uppercase()
            .is_in(SCHOOL_AGE_UPN_REASONS)
            .fill_null(False)
        )
    )


@rule(
    "8770Q",
    "Please check and either amend data or provide a reason: UPN or reason UPN "
    "missing expected for a child who is more than 5 years old",
    QUERY,
    {CI: ("UPN", "UPNunknown", "PersonBirthDate")},
)
def r8770q(f: Return, ctx: Context) -> pl.DataFrame:
    """A child born 6+ years before ReferenceDate with further action needs a UPN or reason."""
    return _school_age_without_upn(f, add_months(ctx.reference_date, -72))


@rule(
    "8772",
    "UPN unknown reason is UN7 (Referral with no further action) but at least one CIN "
    "details is a referral going on to further action",
    ERROR,
    {CI: ("UPNunknown",)},
)
def r8772(f: Return, ctx: Context) -> pl.DataFrame:
    further = f["CINdetails"].filter(not_nfa).select(CHILD).unique()
    return f[CI].filter(pl.col("UPNunknown").str.to_uppercase() == "UN7").join(further, on=CHILD)


@rule(
    "8775Q",
    "Please check and either amend data or provide a reason: Child is over 25 years old",
    QUERY,
    {CI: ("PersonBirthDate",)},
)
def r8775q(f: Return, ctx: Context) -> pl.DataFrame:
    """A child 25+ at ReferenceDate with an episode open (or closed) after their 25th birthday."""
    turned_25 = pl.col("PersonBirthDate").dt.offset_by("25y")
    eps = f["CINdetails"].select(CHILD, "CINclosureDate")
    df = f[CI].filter(turned_25 < pl.lit(ctx.reference_date)).join(eps, on=CHILD)
    return df.filter(pl.col("CINclosureDate").is_null() | (pl.col("CINclosureDate") > turned_25))


@rule(
    "8790",
    "Disability information includes both None and other values",
    ERROR,
    {"Disabilities": ("Disability",)},
)
def r8790(f: Return, ctx: Context) -> pl.DataFrame:
    d = f["Disabilities"].with_columns(
        (pl.col("Disability").str.to_uppercase() == DISABILITY_NONE).alias("_none")
    )
    return d.filter(pl.col("_none").any().over(CHILD) & ~pl.col("_none").all().over(CHILD))


@rule(
    "8794",
    "Child has two or more disabilities with the same code",
    ERROR,
    {"Disabilities": ("Disability",)},
)
def r8794(f: Return, ctx: Context) -> pl.DataFrame:
    d = f["Disabilities"].with_columns(pl.col("Disability").str.to_uppercase().alias("_d"))
    return d.filter(pl.col("_d").is_not_null() & (pl.len().over(CHILD, "_d") > 1))


@rule("8590", "Child does not have a recorded CIN episode.", ERROR, {CI: ("LAchildID",)})
def r8590(f: Return, ctx: Context) -> pl.DataFrame:
    return f[CI].join(f["CINdetails"].select(CHILD).unique(), on=CHILD, how="anti")


# --- Changed or added from 2024-25 (Sex replaces GenderCurrent; LA child ID format) ----------

CHANGED_2025: list[Rule] = []
ADDED_2025: list[Rule] = []
changed_2025 = collector(CHANGED_2025)
added_2025 = collector(ADDED_2025)
CIN_SEXES = ("M", "F", "U")


@changed_2025(
    "2886Q",
    "Please check and either amend or provide a reason: Percentage of children "
    "with no sex recorded is more than 2% (excluding unborns)",
    QUERY,
    {"Header": (), CI: ("Sex",)},
    la_level=True,
)
def r2886q_2025(f: Return, ctx: Context) -> pl.DataFrame:
    """More than 2% of born children have sex U or none."""
    df = _children_excluding_unborn(f)
    missing = df.filter(pl.col("Sex").is_null() | (pl.col("Sex") == "U"))
    return _la_level(f, df.height > 0 and missing.height / df.height > 0.02)


@changed_2025("4180", "Sex must be provided and equal M, F, or U", ERROR, {CI: ("Sex",)})
def r4180_2025(f: Return, ctx: Context) -> pl.DataFrame:
    return f[CI].filter(~pl.col("Sex").is_in(CIN_SEXES).fill_null(False))


@changed_2025(
    "8750",
    "Sex must equal U for an unborn child",
    ERROR,
    {CI: ("Sex", "PersonBirthDate", "ExpectedPersonBirthDate")},
)
def r8750_2025(f: Return, ctx: Context) -> pl.DataFrame:
    unborn = pl.col("PersonBirthDate").is_null() & pl.col("ExpectedPersonBirthDate").is_not_null()
    return f[CI].filter(unborn & (pl.col("Sex").fill_null("") != "U"))


@changed_2025(
    "8770Q",
    "Please check and either amend data or provide a reason: UPN is missing or "
    "reason UPN is missing or is UN1 for a child who is of school age.",
    QUERY,
    {CI: ("UPN", "UPNunknown", "PersonBirthDate")},
)
def r8770q_2025(f: Return, ctx: Context) -> pl.DataFrame:
    """School age: born on or before 31 August six years before the census year's September."""
    return _school_age_without_upn(f, date(ctx.year - 6, 8, 31))


@added_2025(
    "1570", "LA Child ID must not be longer than 20 characters", ERROR, {CI: ("LAchildID",)}
)
def r1570(f: Return, ctx: Context) -> pl.DataFrame:
    return f[CI].filter(pl.col(CHILD).str.len_chars() > 20)


@added_2025(
    "1580",
    "LA Child ID must not contain any non-alphanumeric characters",
    ERROR,
    {CI: ("LAchildID",)},
)
def r1580(f: Return, ctx: Context) -> pl.DataFrame:
    return f[CI].filter(pl.col(CHILD).str.contains(r"[^0-9A-Za-z]"))
