"""SSDA903 rules on adoption: the AD1 file, decisions to place for adoption (PlacedAdoption) and
their agreement with the episodes (placement orders, adoption placements, adopted).

Codes and messages from the SSDA903 validation rules (catalogue in shared/fixtures/
csc-validator-be-903/output_data/); logic written here from the rule texts.
"""

from __future__ import annotations

import polars as pl

from safeguard.codes import LS_ADOPTR, REASON_PLACED_CEASED, SEX_ADOPTR

from ._common import CHILD, ERROR, ROW, Context, Return, Rule, collector, episodes, with_dob

RULES: list[Rule] = []
rule = collector(RULES)
AD1, PA, E = "AD1", "PlacedAdoption", "Episodes"
ADOPTION = ["A3", "A4", "A5", "A6"]
ADOPTED = ["E11", "E12"]
AD1_ITEMS = ["DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR"]


def _invalid(code: str, message: str, table: str, field: str, codes: list[str]) -> None:
    @rule(code, message, ERROR, {table: (field,)})
    def check(f: Return, ctx: Context) -> pl.DataFrame:
        c = pl.col(field)
        return f[table].filter(c.is_not_null() & ~c.is_in(codes))


_invalid(
    "114",
    "Data entry to record the status of former carer(s) of an adopted child is invalid.",
    AD1,
    "FOSTER_CARE",
    ["0", "1"],
)
_invalid("175", "The number of adopter(s) code is not a valid code.", AD1, "NB_ADOPTR", ["1", "2"])
_invalid(
    "176",
    "The gender of adopter(s) at the date of adoption code is not a valid code.",
    AD1,
    "SEX_ADOPTR",
    sorted(SEX_ADOPTR.valid()),
)
_invalid(
    "177",
    "The legal status of adopter(s) code is not a valid code.",
    AD1,
    "LS_ADOPTR",
    sorted(LS_ADOPTR.valid()),
)
_invalid(
    "120",
    "The reason for the reversal of the decision that the child should be placed for "
    "adoption code is not valid.",
    PA,
    "REASON_PLACED_CEASED",
    sorted(REASON_PLACED_CEASED.valid()),
)


@rule(
    "119",
    "If the decision is made that a child should no longer be placed for adoption, then "
    "the date of this decision and the reason why this decision was made must be completed.",
    ERROR,
    {PA: ("REASON_PLACED_CEASED", "DATE_PLACED_CEASED")},
)
def r119(f: Return, ctx: Context) -> pl.DataFrame:
    return f[PA].filter(
        pl.col("DATE_PLACED_CEASED").is_null() != pl.col("REASON_PLACED_CEASED").is_null()
    )


@rule(
    "151",
    "All data items relating to a childs adoption must be coded or left blank.",
    ERROR,
    {AD1: tuple(AD1_ITEMS)},
)
def r151(f: Return, ctx: Context) -> pl.DataFrame:
    nulls = pl.sum_horizontal([pl.col(c).is_null().cast(pl.Int32) for c in AD1_ITEMS])
    return f[AD1].filter((nulls > 0) & (nulls < len(AD1_ITEMS)))


@rule(
    "184",
    "Date of decision that a child should be placed for adoption is before the child was born.",
    ERROR,
    {PA: ("DATE_PLACED",), "Header": ("DOB",)},
)
def r184(f: Return, ctx: Context) -> pl.DataFrame:
    return with_dob(f[PA], f).filter(pl.col("DATE_PLACED") < pl.col("DOB"))


def _adopted_episodes(f: Return) -> pl.DataFrame:
    return f[E].filter(pl.col("REC").is_in(ADOPTED))


def _ad1(f: Return, cols: list[str]) -> pl.DataFrame:
    return f[AD1].select(CHILD, pl.col(ROW).alias("_arow"), *cols)


@rule(
    "331",
    "Date of matching child and adopter(s) should be the same as, or prior to, the date "
    "of placement of adoption.",
    ERROR,
    {AD1: ("DATE_MATCH",), E: ("DECOM", "REC")},
    table=AD1,
)
def r331(f: Return, ctx: Context) -> pl.DataFrame:
    eps = _adopted_episodes(f).select(CHILD, "DECOM")
    return f[AD1].join(eps, on=CHILD).filter(pl.col("DATE_MATCH") > pl.col("DECOM"))


@rule(
    "333",
    "Date should be placed for adoption must be on or prior to the date of matching child "
    "with adopter(s).",
    ERROR,
    {AD1: ("DATE_INT", "DATE_MATCH")},
)
def r333(f: Return, ctx: Context) -> pl.DataFrame:
    m = pl.col("DATE_MATCH")
    return f[AD1].filter(
        m.is_not_null() & (pl.col("DATE_INT").is_null() | (pl.col("DATE_INT") > m)).fill_null(False)
    )


@rule(
    "334",
    "Date child started to be looked after in latest period of care must be on or prior "
    "to the date should be placed for adoption. ",
    ERROR,
    {AD1: ("DATE_INT",), E: ("DECOM", "RNE")},
    table=AD1,
)
def r334(f: Return, ctx: Context) -> pl.DataFrame:
    starts = (
        f[E].filter(pl.col("RNE") == "S").group_by(CHILD).agg(pl.col("DECOM").max().alias("_start"))
    )
    return f[AD1].join(starts, on=CHILD).filter(pl.col("DATE_INT") < pl.col("_start"))


@rule(
    "335",
    "The current foster value (0) suggests that child is not adopted by current foster "
    "carer, but last placement is A2, A3, or A5. Or the current foster value (1) suggests that "
    "child is adopted by current foster carer, but last placement is A1, A4 or A6.",
    ERROR,
    {E: ("PLACE", "REC"), AD1: ("FOSTER_CARE",)},
)
def r335(f: Return, ctx: Context) -> pl.DataFrame:
    j = _adopted_episodes(f).join(_ad1(f, ["FOSTER_CARE"]), on=CHILD)
    by_carer = pl.col("PLACE").is_in(["A3", "A5"])
    by_other = pl.col("PLACE").is_in(["A4", "A6"])
    return j.filter(
        (by_carer & (pl.col("FOSTER_CARE") == "0")) | (by_other & (pl.col("FOSTER_CARE") == "1"))
    )


def _couple(code: str, message: str, where: pl.Expr) -> None:
    @rule(code, message, ERROR, {AD1: ("NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR")})
    def check(f: Return, ctx: Context) -> pl.DataFrame:
        return f[AD1].filter(where.fill_null(False))


SEX, LS, NB = pl.col("SEX_ADOPTR"), pl.col("LS_ADOPTR"), pl.col("NB_ADOPTR")
_couple(
    "511",
    "If reporting that the number of person(s) adopting the looked after child is two "
    "adopters then the code should only be MM, FF or MF. MM = the adopting couple are both "
    "males; FF = the adopting couple are both females; MF = The adopting couple are male and "
    "female.",
    (NB == "2") & ~SEX.is_in(["MM", "FF", "MF"]),
)
_couple(
    "514",
    "Data entry on the legal status of adopters shows a single adopter but data entry "
    "for the numbers of adopters shows it as a couple.",
    # "as a couple": the genders of adopters are a couple's code (the rule reads LS_ADOPTR
    # and SEX_ADOPTR, per the DfE's affected fields); two adopters alone is rule 511's concern.
    (LS == "L0") & SEX.is_in(["MM", "FF", "MF"]),
)
_couple(
    "517",
    "If reporting legal status of adopters is L3 then the genders of adopters should be "
    "coded as MF. MF = the adopting couple are male and female.",
    (LS == "L3") & (SEX != "MF"),
)
_couple(
    "518",
    "If reporting legal status of adopters is L4 then the genders of adopters should be "
    "coded as MM or FF. MM = the adopting couple are both males. FF = the adopting couple are "
    "both females.",
    (LS == "L4") & ~SEX.is_in(["MM", "FF"]),
)
_couple(
    "519",
    "Data entered on the legal status of adopters shows civil partnership couple, but "
    "data entered on genders of adopters does not show it as a couple.",
    (LS == "L2") & ~SEX.is_in(["MM", "FF", "MF"]),
)
_couple(
    "520",
    "Data entry on the legal status of adopters shows different gender married couple "
    "but data entry on genders of adopters shows it as a same gender couple.",
    (LS == "L11") & (SEX != "MF"),
)
_couple(
    "524",
    "If reporting legal status of adopters is L12 then the genders of adopters should "
    "be coded as MM or FF. MM = the adopting couple are both males. FF = the adopting couple "
    "are both females",
    (LS == "L12") & ~SEX.is_in(["MM", "FF"]),
)


@rule(
    "521",
    "Date of local authority's decision (LA) that adoption is in the best interests of "
    "the "
    "child (date should be placed) must be on or prior to the date the child is placed for "
    "adoption.",
    ERROR,
    {E: ("PLACE", "DECOM"), AD1: ("DATE_INT",)},
)
def r521(f: Return, ctx: Context) -> pl.DataFrame:
    j = f[E].filter(pl.col("PLACE").is_in(ADOPTION)).join(_ad1(f, ["DATE_INT"]), on=CHILD)
    return j.filter(pl.col("DATE_INT") > pl.col("DECOM"))


@rule(
    "522",
    "Date of decision that the child should be placed for adoption must be on or before "
    "the date that a child should no longer be placed for adoption.",
    ERROR,
    {PA: ("DATE_PLACED", "DATE_PLACED_CEASED")},
)
def r522(f: Return, ctx: Context) -> pl.DataFrame:
    return f[PA].filter(pl.col("DATE_PLACED") > pl.col("DATE_PLACED_CEASED"))


@rule(
    "523",
    "Date of decision that the child should be placed for adoption should be the same "
    "date "
    "as the decision that adoption is in the best interest (date should be placed).",
    ERROR,
    {AD1: ("DATE_INT",), PA: ("DATE_PLACED",)},
)
def r523(f: Return, ctx: Context) -> pl.DataFrame:
    """The AD1 'date should be placed' is one of the child's decisions to place."""
    decisions = f[PA].select(CHILD, pl.col("DATE_PLACED").alias("DATE_INT")).drop_nulls()
    with_pa = (
        f[AD1]
        .filter(pl.col("DATE_INT").is_not_null())
        .join(decisions.select(CHILD).unique(), on=CHILD)
    )
    return with_pa.join(decisions, on=[CHILD, "DATE_INT"], how="anti")


@rule(
    "525",
    "A child for whom the decision to be placed for adoption has been reversed cannot be "
    "adopted during the year.",
    ERROR,
    {PA: ("DATE_PLACED_CEASED",), AD1: tuple(AD1_ITEMS)},
)
def r525(f: Return, ctx: Context) -> pl.DataFrame:
    adopted = f[AD1].filter(pl.any_horizontal([pl.col(c).is_not_null() for c in AD1_ITEMS]))
    return (
        f[PA]
        .filter(pl.col("DATE_PLACED_CEASED").is_not_null())
        .join(adopted.select(CHILD).unique(), on=CHILD)
    )


def _decisions(f: Return) -> pl.DataFrame:
    return f[PA].select(CHILD, "DATE_PLACED").drop_nulls()


@rule(
    "551",
    "Child has been placed for adoption but there is no date of the decision that the "
    "child should be placed for adoption.",
    ERROR,
    {E: ("PLACE",), PA: ("DATE_PLACED",)},
)
def r551(f: Return, ctx: Context) -> pl.DataFrame:
    return (
        f[E]
        .filter(pl.col("PLACE").is_in(ADOPTION))
        .join(_decisions(f).select(CHILD).unique(), on=CHILD, how="anti")
    )


def _no_decision_before(f: Return, eps: pl.DataFrame) -> pl.DataFrame:
    """Episodes (of children with decisions) with no decision on or before their start."""
    first = _decisions(f).group_by(CHILD).agg(pl.col("DATE_PLACED").min().alias("_first"))
    return eps.join(first, on=CHILD).filter(pl.col("_first") > pl.col("DECOM"))


@rule(
    "552",
    "Date of Decision to place a child for adoption should be on or prior to the date "
    "that "
    "the child was placed for adoption.",
    ERROR,
    {E: ("PLACE", "DECOM"), PA: ("DATE_PLACED",)},
)
def r552(f: Return, ctx: Context) -> pl.DataFrame:
    return _no_decision_before(f, f[E].filter(pl.col("PLACE").is_in(ADOPTION)))


def _order_without_decision(ls: str) -> Rule.check:  # type: ignore[name-defined]
    def check(f: Return, ctx: Context) -> pl.DataFrame:
        return (
            f[E].filter(pl.col("LS") == ls).join(f[PA].select(CHILD).unique(), on=CHILD, how="anti")
        )

    return check


def _first_order_before_decision(ls: str):  # noqa: ANN202
    def check(f: Return, ctx: Context) -> pl.DataFrame:
        e = f[E].filter(pl.col("LS") == ls)
        first = e.filter(pl.col("DECOM") == pl.col("DECOM").min().over(CHILD))
        return _no_decision_before(f, first)

    return check


RULES += [
    Rule(
        "553",
        "Placement order has been granted but there is no date of decision that the child "
        "should be placed for adoption.",
        ERROR,
        {E: ("LS",), PA: ("DATE_PLACED",)},
        _order_without_decision("E1"),
    ),
    Rule(
        "554",
        "Date of decision that the child should be placed for adoption should be on or "
        "prior to the date that the placement order was granted. [NOTE: This rule may result in "
        "false positives or false negatives if relevant episodes are in previous years; please "
        "check carefully!]",
        ERROR,
        {E: ("LS", "DECOM"), PA: ("DATE_PLACED",)},
        _first_order_before_decision("E1"),
    ),
    Rule(
        "555",
        "Freeing order has been granted but there is no date of decision that the child "
        "should be placed for adoption.",
        ERROR,
        {E: ("LS",), PA: ("DATE_PLACED",)},
        _order_without_decision("D1"),
    ),
    Rule(
        "556",
        "Date of decision that the child should be placed for adoption should be on or "
        "prior to the date that the freeing order was granted.",
        ERROR,
        {E: ("LS", "DECOM"), PA: ("DATE_PLACED",)},
        _first_order_before_decision("D1"),
    ),
]


def _latest_decision(f: Return) -> pl.DataFrame:
    pa = f[PA].filter(pl.col("DATE_PLACED").is_not_null())
    return pa.filter(pl.col("DATE_PLACED") == pl.col("DATE_PLACED").max().over(CHILD))


@rule(
    "557",
    "Child for whom the decision was made that they should be placed for adoption has "
    "left care but was not adopted and information on the decision that they should no longer "
    "be placed for adoption items has not been completed.",
    ERROR,
    {PA: ("DATE_PLACED_CEASED", "REASON_PLACED_CEASED"), E: ("REC", "PLACE", "LS")},
)
def r557(f: Return, ctx: Context) -> dict[str, pl.DataFrame]:
    """An episode in adoption (A3-A6 placement, or D1/E1) that ends care other than by adoption
    needs the decision's reversal recorded: the episode fails when the child has no decision
    row, and the latest decision fails when its reversal date or reason is blank."""
    e = f[E].filter(
        (pl.col("PLACE").is_in(ADOPTION) | pl.col("LS").is_in(["D1", "E1"]))
        & pl.col("REC").is_not_null()
        & (pl.col("REC") != "X1")
        & ~pl.col("REC").is_in(ADOPTED)
    )
    open_ = _latest_decision(f).filter(
        pl.col("DATE_PLACED_CEASED").is_null() | pl.col("REASON_PLACED_CEASED").is_null()
    )
    return {
        E: e.join(f[PA].select(CHILD).unique(), on=CHILD, how="anti"),
        PA: open_.join(e.select(CHILD).unique(), on=CHILD),
    }


@rule(
    "558",
    "If a child has been adopted, then the decision to place them for adoption has not "
    "been disrupted and the date of the decision that a child should no longer be placed for "
    "adoption should be left blank.",
    ERROR,
    {PA: ("DATE_PLACED_CEASED",), E: ("REC",)},
    table=PA,
)
def r558(f: Return, ctx: Context) -> pl.DataFrame:
    """The child's latest episode ends in adoption (E11/E12), yet the latest decision to place
    for adoption has a date it ceased. An adoption in an earlier episode, followed by another
    episode, is rule 199's concern, not this one."""
    e = episodes(f)
    latest = e.filter(pl.col("next_DECOM").is_null() & pl.col("REC").is_in(ADOPTED))
    adopted = latest.select(CHILD).unique()
    return (
        _latest_decision(f)
        .filter(pl.col("DATE_PLACED_CEASED").is_not_null())
        .join(adopted, on=CHILD)
    )


@rule(
    "563",
    "The child should no longer be placed for adoption but the date of the decision that "
    "the child should be placed for adoption is blank",
    ERROR,
    {PA: ("DATE_PLACED", "REASON_PLACED_CEASED", "DATE_PLACED_CEASED")},
)
def r563(f: Return, ctx: Context) -> pl.DataFrame:
    return f[PA].filter(
        pl.col("REASON_PLACED_CEASED").is_not_null()
        & pl.col("DATE_PLACED_CEASED").is_not_null()
        & pl.col("DATE_PLACED").is_null()
    )


@rule(
    "579",
    "A new decision that the child should be placed for adoption this year cannot start "
    "when the previous decision is still open. Decisions to place the child for adoption should "
    "also not overlap. The date of any new decision to place the child for adoption must not be "
    "before the date placed ceased of previous decisions.",
    ERROR,
    {PA: ("DATE_PLACED", "DATE_PLACED_CEASED")},
)
def r579(f: Return, ctx: Context) -> pl.DataFrame:
    from ._common import overlapping

    return overlapping(f[PA], [CHILD], "DATE_PLACED", "DATE_PLACED_CEASED")


@rule(
    "582",
    "Child is showing as ceasing to be looked after due to adoption, but the date of "
    "adoption is the same as the date reported for being matched with adopters. In most "
    "circumstances we expect the date the child is matched with adopters to be before the date "
    "of adoption.",
    ERROR,
    {E: ("DEC", "REC"), AD1: ("DATE_MATCH",)},
)
def r582(f: Return, ctx: Context) -> pl.DataFrame:
    j = _adopted_episodes(f).join(_ad1(f, ["DATE_MATCH"]), on=CHILD)
    return j.filter(pl.col("DEC") == pl.col("DATE_MATCH"))


@rule(
    "583",
    "More than one date the child should be placed for adoption has been reported, but an "
    "earlier decision has not been revoked. Check that both dates are required and add in the "
    "date the earlier decision was revoked. Note this may be in a previous year.",
    ERROR,
    {PA: ("DATE_PLACED", "DATE_PLACED_CEASED")},
)
def r583(f: Return, ctx: Context) -> pl.DataFrame:
    pa = f[PA].filter(pl.col("DATE_PLACED").is_not_null())
    earlier = pa.filter(pl.col("DATE_PLACED") < pl.col("DATE_PLACED").max().over(CHILD))
    return earlier.filter(pl.col("DATE_PLACED_CEASED").is_null())


def _adopted_in_year(f: Return, ctx: Context) -> pl.DataFrame:
    return _adopted_episodes(f).filter(
        pl.col("DEC").is_between(pl.lit(ctx.period_start), pl.lit(ctx.reference_date))
    )


@rule(
    "601",
    "The additional fields relating to adoption have not been completed although the "
    "episode data shows that the child was adopted during the year.",
    ERROR,
    {E: ("REC", "DEC"), AD1: tuple(AD1_ITEMS)},
    table=E,
)
def r601(f: Return, ctx: Context) -> pl.DataFrame:
    complete = f[AD1].filter(pl.all_horizontal([pl.col(c).is_not_null() for c in AD1_ITEMS]))
    return _adopted_in_year(f, ctx).join(complete.select(CHILD).unique(), on=CHILD, how="anti")


@rule(
    "602",
    "The episode data submitted for this child does not show that he/she was adopted "
    "during the year.",
    ERROR,
    {AD1: tuple(AD1_ITEMS), E: ("REC", "DEC")},
)
def r602(f: Return, ctx: Context) -> pl.DataFrame:
    given = f[AD1].filter(pl.any_horizontal([pl.col(c).is_not_null() for c in AD1_ITEMS]))
    return given.join(_adopted_in_year(f, ctx).select(CHILD).unique(), on=CHILD, how="anti")


@rule(
    "1003",
    "Date of LA's decision that a child should be placed for adoption is before the "
    "child "
    "started to be looked after.",
    ERROR,
    {PA: ("DATE_PLACED",), E: ("DECOM", "RNE")},
)
def r1003(f: Return, ctx: Context) -> pl.DataFrame:
    """The decision predates the start of the child's latest period of care."""
    start = episodes(f).group_by(CHILD).agg(pl.col("poc_start").max().alias("_start"))
    return f[PA].join(start, on=CHILD).filter(pl.col("DATE_PLACED") < pl.col("_start"))


@rule(
    "117",
    "Date of decision that a child should/should no longer be placed for adoption is "
    "beyond the current collection year or after the child ceased to be looked after.",
    ERROR,
    {PA: ("DATE_PLACED", "DATE_PLACED_CEASED"), E: ("DEC", "REC")},
)
def r117(f: Return, ctx: Context) -> pl.DataFrame:
    e = (
        episodes(f)
        .filter(
            pl.col("next_DECOM").is_null() & pl.col("REC").is_not_null() & (pl.col("REC") != "X1")
        )
        .select(CHILD, pl.col("DEC").alias("_left"))
    )
    pa = f[PA].join(e, on=CHILD, how="left")
    latest = pl.max_horizontal("DATE_PLACED", "DATE_PLACED_CEASED")
    return pa.filter((latest > pl.lit(ctx.reference_date)) | (latest > pl.col("_left")))


@rule(
    "118",
    "Date of decision that a child should no longer be placed for adoption is before the "
    "current collection year or before the date the child started to be looked after.",
    ERROR,
    {PA: ("DATE_PLACED_CEASED",), E: ("DECOM", "LS")},
)
def r118(f: Return, ctx: Context) -> pl.DataFrame:
    first = (
        f[E]
        .filter(~pl.col("LS").is_in(["V3", "V4"]).fill_null(False))
        .group_by(CHILD)
        .agg(pl.col("DECOM").min().alias("_first"))
    )
    pa = f[PA].filter(pl.col("DATE_PLACED_CEASED").is_not_null()).join(first, on=CHILD, how="left")
    ceased = pl.col("DATE_PLACED_CEASED")
    return pa.filter((ceased < pl.lit(ctx.period_start)) | (ceased < pl.col("_first")))


REMOVED_2025 = ["555", "556"]
