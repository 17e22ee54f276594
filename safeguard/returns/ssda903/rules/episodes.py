"""SSDA903 rules on episodes of care: codes, dates and their order, legal-status time limits,
placement ages, temporary placements and respite, reasons for new episode and for ceasing.

Codes and messages from the SSDA903 validation rules (catalogue in shared/fixtures/
csc-validator-be-903/output_data/; summary in shared/reference/ssda903.md section 4); the logic
is written here from the rule texts. Time limits count calendar days; an open episode runs to
the end of the collection year.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from safeguard.codes import CATEGORY_OF_NEED, LEGAL_STATUS, PLACE, PLACE_PROVIDER, REC, RNE
from safeguard.codes import REASON_PLACE_CHANGE as RPC

from ._common import (
    CHILD,
    ERROR,
    TEMPORARY,
    Context,
    Return,
    Rule,
    age_at,
    cached,
    collector,
    episodes,
    with_dob,
)

RULES: list[Rule] = []
rule = collector(RULES)
E = "Episodes"
ADOPTION = ["A3", "A4", "A5", "A6"]
FOSTER = ["U1", "U2", "U3", "U4", "U5", "U6"]
LEFT_CARE = sorted(REC.valid() - {"X1"})


def _code_rule(code: str, message: str, field: str, codes) -> None:  # noqa: ANN001
    """A 'present and not in the list' rule; `codes(year)` gives the list."""

    @rule(code, message, ERROR, {E: (field,)})
    def check(f: Return, ctx: Context) -> pl.DataFrame:
        c = pl.col(field)
        return f[E].filter(c.is_not_null() & ~c.is_in(sorted(codes(ctx.year))))


_code_rule("143", "The reason for new episode code is not a valid code.", "RNE", RNE.valid)
_code_rule("144", "The legal status code is not a valid code.", "LS", LEGAL_STATUS.valid)
_code_rule("145", "Category of need code is not a valid code.", "CIN", CATEGORY_OF_NEED.valid)
_code_rule("146", "Placement type code is not a valid code.", "PLACE", PLACE.valid)
_code_rule("149", "Reason episode ceased code is not valid. ", "REC", REC.valid)
_code_rule(
    "1009", "Reason for placement change is not a valid code.", "REASON_PLACE_CHANGE", RPC.valid
)


@rule("141", "Date episode began is not a valid date.", ERROR, {E: ("DECOM",)})
def r141(f: Return, ctx: Context) -> pl.DataFrame:
    """Unreadable dates are refused by the reader; a missing one is caught here."""
    return f[E].filter(pl.col("DECOM").is_null())


@rule(
    "142",
    "A new episode has started, but the previous episode has not ended.",
    ERROR,
    {E: ("DEC", "REC")},
)
def r142(f: Return, ctx: Context) -> pl.DataFrame:
    e = episodes(f)
    return e.filter(
        pl.col("next_DECOM").is_not_null() & (pl.col("DEC").is_null() | pl.col("REC").is_null())
    )


@rule(
    "148",
    "Date episode ceased and reason episode ceased must both be coded, or both left blank.",
    ERROR,
    {E: ("DEC", "REC")},
)
def r148(f: Return, ctx: Context) -> pl.DataFrame:
    return f[E].filter(pl.col("DEC").is_null() != pl.col("REC").is_null())


def _no_provider_places(year: int) -> list[str]:
    """Placements with no provider: temporary placements and the 'other' codes (Z1; Z11-Z14)."""
    return [*TEMPORARY, *sorted(c for c in PLACE.valid(year) if c.startswith("Z"))]


@rule(
    "178", "Placement provider code is not a valid code.", ERROR, {E: ("PLACE_PROVIDER", "PLACE")}
)
def r178(f: Return, ctx: Context) -> pl.DataFrame:
    """A provider must be a valid code, and none is given for a placement that has none."""
    p = pl.col("PLACE_PROVIDER")
    invalid = ~p.is_in(sorted(PLACE_PROVIDER.valid(ctx.year)))
    not_needed = pl.col("PLACE").is_in(_no_provider_places(ctx.year))
    return f[E].filter(p.is_not_null() & (invalid | not_needed))


@rule(
    "213", "Placement provider information not required.", ERROR, {E: ("PLACE_PROVIDER", "PLACE")}
)
def r213(f: Return, ctx: Context) -> pl.DataFrame:
    return f[E].filter(pl.col("PLACE").is_in(TEMPORARY) & pl.col("PLACE_PROVIDER").is_not_null())


@rule(
    "526",
    "Child is missing a placement provider code for at least one episode.",
    ERROR,
    {E: ("PLACE", "PLACE_PROVIDER")},
)
def r526(f: Return, ctx: Context) -> pl.DataFrame:
    return f[E].filter(
        pl.col("PLACE").is_not_null()
        & ~pl.col("PLACE").is_in(_no_provider_places(ctx.year))
        & pl.col("PLACE_PROVIDER").is_null()
    )


_PROVIDER_EXCLUSIONS = {
    "527": (
        "PR1",
        ["P1", "R2", "R5"],
        "A placement provider code of PR1 cannot be associated with placements P1, R2 or R5.",
    ),
    "528": (
        "PR2",
        ["P1", "R2", "R5"],
        "A placement provider code of PR2 cannot be associated with placements P1, R2 or R5.",
    ),
    "529": (
        "PR3",
        ["P1", *ADOPTION, "K1", "K2", *FOSTER],
        "Placement provider code of PR3 cannot "
        "be associated with placements P1, A3 to A6, K1, K2 and U1 to U6 as these placements "
        "cannot be provided by other public organisations.",
    ),
    "530": (
        "PR4",
        ["P1"],
        "A placement provider code of PR4 cannot be associated with placement P1.",
    ),
    "531": (
        "PR5",
        ["P1"],
        "A placement provider code of PR5 cannot be associated with placements P1.",
    ),
}


def _provider_rule(code: str, provider: str, places: list[str], message: str) -> None:
    @rule(code, message, ERROR, {E: ("PLACE_PROVIDER", "PLACE")})
    def check(f: Return, ctx: Context) -> pl.DataFrame:
        return f[E].filter((pl.col("PLACE_PROVIDER") == provider) & pl.col("PLACE").is_in(places))


for _code, (_prov, _places, _msg) in _PROVIDER_EXCLUSIONS.items():
    _provider_rule(_code, _prov, _places, _msg)


@rule(
    "550",
    "A placement provider code of PR0 can only be associated with placement P1.",
    ERROR,
    {E: ("PLACE_PROVIDER", "PLACE")},
)
def r550(f: Return, ctx: Context) -> pl.DataFrame:
    return f[E].filter((pl.col("PLACE_PROVIDER") == "PR0") & (pl.col("PLACE") != "P1"))


@rule(
    "217",
    "Children who are placed for adoption with current foster carers (placement types A3 "
    "or A5) must have a reason for new episode of S, T or U.",
    ERROR,
    {E: ("PLACE", "DECOM", "RNE")},
)
def r217(f: Return, ctx: Context) -> pl.DataFrame:
    """From 1 April 2015 an A3/A5 placement is a new period (S) or a same-carer change (T/U)."""
    return f[E].filter(
        pl.col("PLACE").is_in(["A3", "A5"])
        & (pl.col("DECOM") >= pl.date(2015, 4, 1))
        & ~pl.col("RNE").is_in(["S", "T", "U"]).fill_null(False)
    )


@rule("225", "Reason for placement change must be recorded.", ERROR, {E: ("REASON_PLACE_CHANGE",)})
def r225(f: Return, ctx: Context) -> pl.DataFrame:
    """An episode ending in a change of (non-temporary) placement needs the reason."""
    e = episodes(f)
    return e.filter(
        (pl.col("REC") == "X1")
        & pl.col("REASON_PLACE_CHANGE").is_null()
        & ~pl.col("PLACE").is_in(TEMPORARY)
        & pl.col("next_RNE").is_in(["P", "B", "T", "U"])
        & ~pl.col("next_PLACE").is_in(TEMPORARY)
    )


@rule(
    "226",
    "Reason for placement change is not required.",
    ERROR,
    {E: ("REASON_PLACE_CHANGE", "PLACE")},
)
def r226(f: Return, ctx: Context) -> pl.DataFrame:
    """A temporary placement, and the episode before it, carry no reason for change."""
    e = episodes(f)
    return e.filter(
        pl.col("PLACE").is_in(TEMPORARY)
        & (
            pl.col("REASON_PLACE_CHANGE").is_not_null()
            | pl.col("prev_REASON_PLACE_CHANGE").is_not_null()
        )
    )


@rule(
    "302", "First episode starts before child was born.", ERROR, {E: ("DECOM",), "Header": ("DOB",)}
)
def r302(f: Return, ctx: Context) -> pl.DataFrame:
    first = with_dob(episodes(f), f).filter(pl.col("prev_DECOM").is_null())
    return first.filter(pl.col("DECOM") < pl.col("DOB"))


@rule(
    "352",
    "Child who started to be looked after was aged 18 or over.",
    ERROR,
    {E: ("DECOM", "RNE"), "Header": ("DOB",)},
)
def r352(f: Return, ctx: Context) -> pl.DataFrame:
    return with_dob(f[E], f).filter((pl.col("RNE") == "S") & (age_at("DOB", "DECOM") >= 18))


@rule("353", "No episode submitted can start before 14 October 1991.", ERROR, {E: ("DECOM",)})
def r353(f: Return, ctx: Context) -> pl.DataFrame:
    return f[E].filter(pl.col("DECOM") < pl.date(1991, 10, 14))


@rule(
    "354",
    "Date episode ceased must be on or before the end of the current collection year.",
    ERROR,
    {E: ("DECOM",)},
)
def r354(f: Return, ctx: Context) -> pl.DataFrame:
    return f[E].filter(pl.col("DECOM") > pl.lit(ctx.reference_date))


@rule(
    "385",
    "Date episode ceased must be on or before the end of the current collection year.",
    ERROR,
    {E: ("DEC",)},
)
def r385(f: Return, ctx: Context) -> pl.DataFrame:
    return f[E].filter(pl.col("DEC") > pl.lit(ctx.reference_date))


@rule("355", "Episode appears to have lasted for less than 24 hours", ERROR, {E: ("DECOM", "DEC")})
def r355(f: Return, ctx: Context) -> pl.DataFrame:
    return f[E].filter(pl.col("DECOM") == pl.col("DEC"))


@rule(
    "356",
    "The date the episode ceased is before the date the same episode started.",
    ERROR,
    {E: ("DECOM", "DEC")},
)
def r356(f: Return, ctx: Context) -> pl.DataFrame:
    return f[E].filter(pl.col("DEC") < pl.col("DECOM"))


@rule(
    "357",
    "If this is the first episode ever for this child, reason for new episode must be S.  "
    "Check whether there is an episode immediately preceding this one, which has been left out.  "
    "If not the reason for new episode code must be amended to S.",
    ERROR,
    {E: ("RNE",)},
)
def r357(f: Return, ctx: Context) -> pl.DataFrame:
    """The child's first episode, starting in this year, must be a start of care."""
    e = episodes(f).filter(pl.col("prev_DECOM").is_null())
    return e.filter((pl.col("DECOM") >= pl.lit(ctx.period_start)) & (pl.col("RNE") != "S"))


@rule(
    "358",
    "Child with this legal status should not be under 10.",
    ERROR,
    {E: ("DECOM", "LS"), "Header": ("DOB",)},
)
def r358(f: Return, ctx: Context) -> pl.DataFrame:
    return with_dob(f[E], f).filter(
        pl.col("LS").is_in(["J1", "J2", "J3"]) & (age_at("DOB", "DECOM") < 10)
    )


@rule(
    "359",
    "Child being looked after following 18th birthday must be accommodated under section "
    "20(5) of the Children Act 1989 in a community home.",
    ERROR,
    {E: ("DEC", "LS", "PLACE"), "Header": ("DOB",)},
)
def r359(f: Return, ctx: Context) -> pl.DataFrame:
    """Still looked after at 31 March, 18 before then, and not V2 in a children's home (K2)."""
    e = with_dob(f[E], f)
    adult = pl.col("DOB").dt.offset_by("18y") < pl.lit(ctx.reference_date)
    return e.filter(
        adult & pl.col("DEC").is_null() & ~((pl.col("LS") == "V2") & (pl.col("PLACE") == "K2"))
    )


def _status_spells(f: Return, ctx: Context, statuses: list[str]) -> pl.DataFrame:
    """Episodes under some legal statuses with the length in days of the unbroken spell (run of
    back-to-back episodes under those statuses) each belongs to; open ones end at year end."""
    e = episodes(f).filter(pl.col("LS").is_in(statuses))
    end = pl.col("DEC").fill_null(pl.lit(ctx.reference_date))
    e = e.with_columns(end.alias("_end"))
    new = (pl.col("_end").shift(1).over(CHILD) != pl.col("DECOM")).fill_null(True)
    e = e.with_columns(new.cast(pl.Int32).cum_sum().over(CHILD).alias("_spell"))
    length = (pl.col("_end").max() - pl.col("DECOM").min()).dt.total_days().over(CHILD, "_spell")
    return e.with_columns(length.alias("_days"))


def _time_limit(code: str, message: str, statuses: list[str], days: int) -> None:
    @rule(code, message, ERROR, {E: ("DECOM", "LS", "DEC")})
    def check(f: Return, ctx: Context) -> pl.DataFrame:
        return _status_spells(f, ctx, statuses).filter(pl.col("_days") > days)


_time_limit(
    "361",
    "Police protection legal status lasted longer than maximum 72 hours allowed in "
    "the Children Act 1989.",
    ["L1"],
    3,
)
_time_limit("362", "Emergency protection order (EPO) lasted longer than 21 days", ["L2"], 21)
_time_limit(
    "363",
    "Child assessment order (CAO) lasted longer than 7 days allowed in the Children Act 1989.",
    ["L3"],
    7,
)
_time_limit(
    "364",
    "Sections 41-46 of Police and Criminal Evidence (PACE; 1984) severely limits "
    "the "
    "time a child can be detained in custody in Local Authority (LA) accommodation.",
    ["J2"],
    21,
)


def _days(ctx: Context) -> pl.Expr:
    return (pl.col("DEC").fill_null(pl.lit(ctx.reference_date)) - pl.col("DECOM")).dt.total_days()


@rule(
    "365",
    "Any individual short- term respite placement must not exceed 17 days.",
    ERROR,
    {E: ("LS", "DECOM", "DEC")},
)
def r365(f: Return, ctx: Context) -> pl.DataFrame:
    return f[E].filter((pl.col("LS") == "V3") & (_days(ctx) > 17))


@rule(
    "366",
    "A child cannot change placement during the course of an individual short-term respite break.",
    ERROR,
    {E: ("RNE", "LS")},
)
def r366(f: Return, ctx: Context) -> pl.DataFrame:
    return f[E].filter((pl.col("LS") == "V3") & (pl.col("RNE") != "S"))


@rule(
    "367",
    "The maximum amount of respite care allowable is 75 days in any 12-month period.",
    ERROR,
    {E: ("LS", "DECOM", "DEC")},
)
def r367(f: Return, ctx: Context) -> pl.DataFrame:
    """Days of V3 short breaks within the collection year add up to more than 75."""
    start = pl.max_horizontal(pl.col("DECOM"), pl.lit(ctx.period_start))
    end = pl.min_horizontal(
        pl.col("DEC").fill_null(pl.lit(ctx.reference_date)), pl.lit(ctx.reference_date)
    )
    v3 = (
        f[E]
        .filter(pl.col("LS") == "V3")
        .with_columns((end - start).dt.total_days().clip(lower_bound=0).alias("_d"))
    )
    return v3.filter(pl.col("_d").sum().over(CHILD) > 75)


def _min_age(code: str, message: str, place: str, years: int) -> Rule:
    def check(f: Return, ctx: Context) -> pl.DataFrame:
        return with_dob(f[E], f).filter(
            (pl.col("PLACE") == place) & (age_at("DOB", "DECOM") < years)
        )

    return Rule(code, message, ERROR, {E: ("DECOM", "PLACE"), "Header": ("DOB",)}, check)


RULES += [
    _min_age("370", "Child in independent living should be at least 15.", "P2", 15),
    _min_age(
        "371",
        "Child in semi-independent living accommodation not subject to children’s "
        "homes regulations should be at least 14.",
        "H5",
        14,
    ),
    _min_age("372", "Child in youth custody or prison should be at least 10.", "R5", 10),
    _min_age("373", "Child placed in a school should be at least 4 years old.", "S1", 4),
    _min_age("374", "Child in residential employment should be at least 14 years old.", "P3", 14),
]


def _max_days(code: str, message: str, place: str, days: int) -> None:
    @rule(code, message, ERROR, {E: ("DECOM", "DEC", "PLACE")})
    def check(f: Return, ctx: Context) -> pl.DataFrame:
        return f[E].filter((pl.col("PLACE") == place) & (_days(ctx) > days))


_max_days("375", "Hospitalisation coded as a temporary placement exceeds six weeks.", "T1", 42)
_max_days(
    "376",
    "Temporary placements coded as being due to holiday of usual foster carer(s) "
    "cannot exceed three weeks.",
    "T3",
    21,
)
_max_days(
    "379",
    "Temporary placements for unspecified reason (placement code T4) cannot exceed seven days.",
    "T4",
    7,
)


@rule(
    "377",
    "Only two temporary placements coded as being due to holiday of usual foster "
    "carer(s) are allowed in any 12- month period.",
    ERROR,
    {E: ("PLACE",)},
)
def r377(f: Return, ctx: Context) -> pl.DataFrame:
    t3 = f[E].filter(pl.col("PLACE") == "T3")
    return t3.filter(pl.len().over(CHILD) > 2)


@rule(
    "378",
    "A child who is placed with parent(s) cannot be looked after under a single period "
    "of accommodation under Section 20 of the Children Act 1989.",
    ERROR,
    {E: ("PLACE", "LS")},
)
def r378(f: Return, ctx: Context) -> pl.DataFrame:
    return f[E].filter((pl.col("PLACE") == "P1") & (pl.col("LS") == "V2"))


@rule(
    "380", "A period of care cannot start with a temporary placement.", ERROR, {E: ("PLACE", "RNE")}
)
def r380(f: Return, ctx: Context) -> pl.DataFrame:
    return f[E].filter(
        pl.col("PLACE").is_in(TEMPORARY) & ~pl.col("RNE").is_in(["P", "B"]).fill_null(False)
    )


@rule(
    "381", "A period of care cannot end with a temporary placement.", ERROR, {E: ("PLACE", "REC")}
)
def r381(f: Return, ctx: Context) -> pl.DataFrame:
    return f[E].filter(
        pl.col("PLACE").is_in(TEMPORARY) & pl.col("REC").is_not_null() & (pl.col("REC") != "X1")
    )


@rule(
    "382",
    "A child receiving respite care cannot be in a temporary placement.",
    ERROR,
    {E: ("LS", "PLACE")},
)
def r382(f: Return, ctx: Context) -> pl.DataFrame:
    return f[E].filter(pl.col("LS").is_in(["V3", "V4"]) & pl.col("PLACE").is_in(TEMPORARY))


@rule(
    "383",
    "A child in a temporary placement must subsequently return to his/her normal placement.",
    ERROR,
    {E: ("PLACE", "RNE")},
)
def r383(f: Return, ctx: Context) -> pl.DataFrame:
    """After a temporary placement the child goes back (RNE P) to the placement type held
    before it."""
    e = episodes(f).with_columns(pl.col("PLACE").shift(2).over(CHILD).alias("_before"))
    after_temp = e.filter(pl.col("prev_PLACE").is_in(TEMPORARY) & pl.col("_before").is_not_null())
    return after_temp.filter((pl.col("RNE") != "P") | (pl.col("PLACE") != pl.col("_before")))


@rule(
    "384",
    "A child receiving respite care cannot be in a long-term foster placement ",
    ERROR,
    {E: ("PLACE", "LS")},
)
def r384(f: Return, ctx: Context) -> pl.DataFrame:
    return f[E].filter(pl.col("LS").is_in(["V3", "V4"]) & pl.col("PLACE").is_in(["U1", "U4"]))


def _rec_age(
    code: str,
    message: str,
    recs: list[str],
    *,
    under: int | None = None,
    at_least: int | None = None,
) -> None:
    @rule(code, message, ERROR, {E: ("REC", "DEC"), "Header": ("DOB",)})
    def check(f: Return, ctx: Context) -> pl.DataFrame:
        """Age on the date care ended (or, when DEC is missing, at the end of the year)."""
        e = with_dob(f[E], f).filter(pl.col("REC").is_in(recs))
        age = age_at("DOB", pl.col("DEC").fill_null(pl.lit(ctx.reference_date)))
        return e.filter(age < under) if under is not None else e.filter(age >= at_least)


_rec_age(
    "386",
    "Reason episode ceased is adopted but child has reached age 18.",
    ["E11", "E12"],
    at_least=18,
)
_rec_age(
    "387",
    "Reason episode ceased is child moved into independent living arrangement, but the "
    "child is aged under 14.",
    ["E5", "E6"],
    under=14,
)
_rec_age(
    "389",
    "Reason episode ceased is that child transferred to care of adult social care "
    "services, but child is aged under 16.",
    ["E7"],
    under=16,
)
_rec_age(
    "407",
    "Reason episode ceased is Special Guardianship Order, but child has reached age 18.",
    ["E45", "E46", "E47", "E48"],
    at_least=18,
)
_rec_age(
    "460",
    "Reason episode ceased is that child stayed with current carers at age 18 (or "
    "above), but child is aged under 18.",
    ["E17"],
    under=18,
)


@rule(
    "388",
    "Reason episode ceased is coded new episode begins, but there is no continuation episode.",
    ERROR,
    {E: ("REC",)},
)
def r388(f: Return, ctx: Context) -> pl.DataFrame:
    """X1 means a new episode starts the day this one ends. Three cases, each of an episode
    that has ended (an open episode with a REC is rule 148's concern): an X1 episode followed
    by one starting another day; the last episode ending X1 (the child left care); an episode
    ending otherwise although the next starts the same day."""
    e = episodes(f).filter(pl.col("DEC").is_not_null() & pl.col("REC").is_not_null())
    x1, follows = pl.col("REC") == "X1", pl.col("next_DECOM").is_not_null()
    on_dec = pl.col("next_DECOM") == pl.col("DEC")
    return e.filter((x1 & follows & ~on_dec) | (x1 & ~follows) | (~x1 & follows & on_dec))


@rule(
    "390",
    "Reason episode ceased is adopted but child has not been previously placed for adoption.",
    ERROR,
    {E: ("PLACE", "REC")},
)
def r390(f: Return, ctx: Context) -> pl.DataFrame:
    return f[E].filter(
        pl.col("REC").is_in(["E11", "E12"]) & ~pl.col("PLACE").is_in(ADOPTION).fill_null(False)
    )


@rule(
    "408",
    "Child is placed for adoption with a placement order, but no placement order has been "
    "recorded.",
    ERROR,
    {E: ("PLACE", "LS")},
)
def r408(f: Return, ctx: Context) -> pl.DataFrame:
    return f[E].filter(pl.col("PLACE").is_in(["A5", "A6"]) & (pl.col("LS") != "E1"))


@rule(
    "426",
    "A child receiving respite care cannot be recorded under a legal status of V3 and V4 "
    "in the same year.",
    ERROR,
    {E: ("LS",)},
)
def r426(f: Return, ctx: Context) -> pl.DataFrame:
    e = f[E].filter(pl.col("LS").is_in(["V3", "V4"]))
    return e.filter(pl.col("LS").n_unique().over(CHILD) > 1)


@rule(
    "431",
    "The reason for new episode is started to be looked after, but the previous episode "
    "ended on the same day.",
    ERROR,
    {E: ("RNE", "DECOM")},
)
def r431(f: Return, ctx: Context) -> pl.DataFrame:
    e = episodes(f)
    return e.filter((pl.col("RNE") == "S") & (pl.col("DECOM") <= pl.col("prev_DEC")))


@rule(
    "432",
    "The child ceased to be looked after at the end of the previous episode but the "
    "reason "
    "for the new episode is not started to be looked after.",
    ERROR,
    {E: ("RNE",)},
)
def r432(f: Return, ctx: Context) -> pl.DataFrame:
    e = episodes(f)
    return e.filter(pl.col("prev_REC").is_in(LEFT_CARE) & (pl.col("RNE") != "S"))


@rule(
    "433",
    "The reason for new episode suggests that this is a continuation episode, but the "
    "episode does not start on the same day as the last episode finished.",
    ERROR,
    {E: ("RNE", "DECOM")},
)
def r433(f: Return, ctx: Context) -> pl.DataFrame:
    e = episodes(f)
    return e.filter(
        pl.col("RNE").is_in(["P", "L", "T", "U", "B"])
        & pl.col("prev_DECOM").is_not_null()
        & ((pl.col("prev_DEC") != pl.col("DECOM")).fill_null(True))
    )


def _changes_of(f: Return) -> pl.DataFrame:
    return cached("changes", episodes(f), _changes)


def _changes(e: pl.DataFrame) -> pl.DataFrame:
    """Whether legal status / placement (type, postcode, URN, provider) changed from the previous
    episode of the same child, with nulls compared as values."""

    def differs(c: str) -> pl.Expr:
        return pl.col(c).fill_null("") != pl.col(f"prev_{c}").fill_null("")

    placement = differs("PLACE") | differs("PL_POST") | differs("URN") | differs("PLACE_PROVIDER")
    return e.filter(pl.col("prev_DECOM").is_not_null()).with_columns(
        differs("LS").alias("_ls"), placement.alias("_pl")
    )


@rule(
    "434",
    "Reason for new episode is that child's legal status has changed but not the "
    "placement, but this is not reflected in the episode data.",
    ERROR,
    {E: ("RNE", "LS", "PLACE", "PL_POST", "URN", "PLACE_PROVIDER")},
)
def r434(f: Return, ctx: Context) -> pl.DataFrame:
    return _changes_of(f).filter((pl.col("RNE") == "L") & (~pl.col("_ls") | pl.col("_pl")))


@rule(
    "435",
    "Reason for new episode is that child’s placement has changed but not the legal "
    "status, but this is not reflected in the episode data recorded.",
    ERROR,
    {E: ("RNE", "LS", "PLACE", "PL_POST", "URN", "PLACE_PROVIDER")},
)
def r435(f: Return, ctx: Context) -> pl.DataFrame:
    return _changes_of(f).filter(pl.col("RNE").is_in(["P", "T"]) & (pl.col("_ls") | ~pl.col("_pl")))


@rule(
    "436",
    "Reason for new episode is that both child’s placement and legal status have changed, "
    "but this is not reflected in the episode data.",
    ERROR,
    {E: ("RNE", "LS", "PLACE", "PL_POST", "URN", "PLACE_PROVIDER")},
)
def r436(f: Return, ctx: Context) -> pl.DataFrame:
    return _changes_of(f).filter(
        pl.col("RNE").is_in(["B", "U"]) & (~pl.col("_ls") | ~pl.col("_pl"))
    )


@rule(
    "437",
    "Reason episode ceased is child has died or is aged 18 or over but there are further episodes.",
    ERROR,
    {E: ("REC",)},
)
def r437(f: Return, ctx: Context) -> pl.DataFrame:
    return episodes(f).filter(
        pl.col("REC").is_in(["E2", "E15"]) & pl.col("next_DECOM").is_not_null()
    )


FREEING_ORDERS_ENDED = date(2005, 12, 30)


@rule(
    "445",
    "D1 is not a valid code for episodes starting after December 2005.",
    ERROR,
    {E: ("LS", "DECOM")},
)
def r445(f: Return, ctx: Context) -> pl.DataFrame:
    return f[E].filter((pl.col("LS") == "D1") & (pl.col("DECOM") > pl.lit(FREEING_ORDERS_ENDED)))


@rule(
    "446",
    "E1 is not a valid code for episodes starting before December 2005.",
    ERROR,
    {E: ("LS", "DECOM")},
)
def r446(f: Return, ctx: Context) -> pl.DataFrame:
    return f[E].filter((pl.col("LS") == "E1") & (pl.col("DECOM") < pl.lit(FREEING_ORDERS_ENDED)))


@rule(
    "451",
    "Child is still freed for adoption, but freeing orders could not be applied for since "
    "30 December 2005.",
    ERROR,
    {E: ("DEC", "REC", "LS")},
)
def r451(f: Return, ctx: Context) -> pl.DataFrame:
    return f[E].filter((pl.col("LS") == "D1") & pl.col("DEC").is_null() & pl.col("REC").is_null())


@rule(
    "501",
    "A new episode has started before the end date of the previous episode.",
    ERROR,
    {E: ("DECOM", "DEC")},
)
def r501(f: Return, ctx: Context) -> pl.DataFrame:
    return episodes(f).filter(pl.col("DECOM") < pl.col("prev_DEC"))


@rule(
    "504",
    "The category of need code differs from that reported at start of current period of "
    "being looked after",
    ERROR,
    {E: ("CIN",)},
)
def r504(f: Return, ctx: Context) -> pl.DataFrame:
    e = episodes(f)
    continued = (pl.col("prev_REC") == "X1") & (pl.col("prev_DEC") == pl.col("DECOM"))
    e = e.with_columns(pl.col("CIN").shift(1).over(CHILD).alias("_prev_cin"))
    return e.filter(continued & (pl.col("CIN") != pl.col("_prev_cin")))


@rule(
    "336",
    "Child does not have a foster placement immediately prior to being placed for adoption.",
    ERROR,
    {E: ("PLACE",)},
)
def r336(f: Return, ctx: Context) -> pl.DataFrame:
    """A placement for adoption with current carers follows a foster or adoption placement."""
    e = episodes(f).filter(pl.col("PLACE").is_in(["A3", "A4"]) & pl.col("prev_PLACE").is_not_null())
    return e.filter(~pl.col("prev_PLACE").is_in([*ADOPTION, *FOSTER]))


@rule(
    "516",
    "The episode data submitted for this child does not show that he/she was with their "
    "former foster carer(s) during the year.If the code in the reason episode ceased is E45 or "
    "E46 the child must have a placement code of U1 to U6.",
    ERROR,
    {E: ("REC", "PLACE")},
)
def r516(f: Return, ctx: Context) -> pl.DataFrame:
    """A special guardianship order to former foster carers (E45, E46) ends a foster
    placement (U1-U6)."""
    return f[E].filter(
        pl.col("REC").is_in(["E45", "E46"]) & ~pl.col("PLACE").is_in(FOSTER).fill_null(False)
    )


# --- Year changes -------------------------------------------------------------------------------

CHANGED_2024: list[Rule] = [
    _min_age("370", "Child in independent living should be at least 16.", "P2", 16),
    _min_age(
        "371",
        "Child in semi-independent living accommodation not subject to children’s "
        "homes regulations should be at least 16.",
        "H5",
        16,
    ),
]
ADDED_2024: list[Rule] = []
added_2024 = collector(ADDED_2024)
P2_ENDED = date(2023, 10, 28)


@added_2024(
    "217t",
    "Placement type 'P2' is not a valid placement type from 28 October 2023.",
    ERROR,
    {E: ("PLACE", "DECOM", "DEC")},
)
def r217t(f: Return, ctx: Context) -> pl.DataFrame:
    """A P2 placement still running after 28 October 2023."""
    return f[E].filter(
        (pl.col("PLACE") == "P2") & (pl.col("DEC").is_null() | (pl.col("DEC") > pl.lit(P2_ENDED)))
    )


CHANGED_2025: list[Rule] = [
    _min_age(
        "371",
        "Child in supported accomodation not subject to children’s homes regulations "
        "should be at least 16.",
        "K3",
        16,
    ),
]
REMOVED_2025 = ["217t", "370", "445", "451"]

CHANGED_2026: list[Rule] = []
changed_2026 = collector(CHANGED_2026)
ADDED_2026: list[Rule] = []
added_2026 = collector(ADDED_2026)


@changed_2026(
    "213", "Placement provider information not required.", ERROR, {E: ("PLACE_PROVIDER", "PLACE")}
)
def r213_2026(f: Return, ctx: Context) -> pl.DataFrame:
    """From 2025-26 the 'other placement' codes Z11-Z14 have no provider either."""
    return f[E].filter(
        pl.col("PLACE").is_in(_no_provider_places(ctx.year))
        & pl.col("PLACE_PROVIDER").is_not_null()
    )


@changed_2026(
    "226",
    "Reason for placement change is not required for temporary placements.",
    ERROR,
    {E: ("REASON_PLACE_CHANGE", "PLACE")},
)
def r226_2026(f: Return, ctx: Context) -> pl.DataFrame:
    return r226(f, ctx)


@added_2026(
    "233",
    "Reason for placement change is not required when the episode has not ceased.",
    ERROR,
    {E: ("REASON_PLACE_CHANGE", "DEC")},
)
def r233(f: Return, ctx: Context) -> pl.DataFrame:
    return f[E].filter(pl.col("DEC").is_null() & pl.col("REASON_PLACE_CHANGE").is_not_null())


@added_2026(
    "234",
    "A child aged under 10 can not change placement due to being admitted to custody",
    ERROR,
    {E: ("REASON_PLACE_CHANGE",), "Header": ("DOB",)},
)
def r234(f: Return, ctx: Context) -> pl.DataFrame:
    e = with_dob(f[E], f)
    return e.filter((pl.col("REASON_PLACE_CHANGE") == "CUSTOD") & (age_at("DOB", "DECOM") < 10))


@changed_2026(
    "383",
    "A child in a temporary placement must subsequently return to his/her normal placement.",
    ERROR,
    {E: ("PLACE", "RNE", "PL_POST")},
)
def r383_2026(f: Return, ctx: Context) -> pl.DataFrame:
    """From 2025-26 the placement postcode must also match the one before the temporary stay."""
    e = episodes(f).with_columns(
        pl.col("PLACE").shift(2).over(CHILD).alias("_before"),
        pl.col("PL_POST").shift(2).over(CHILD).alias("_before_post"),
    )
    after_temp = e.filter(pl.col("prev_PLACE").is_in(TEMPORARY) & pl.col("_before").is_not_null())
    return after_temp.filter(
        (pl.col("RNE") != "P")
        | (pl.col("PLACE") != pl.col("_before"))
        | (pl.col("PL_POST") != pl.col("_before_post")).fill_null(False)
    )
