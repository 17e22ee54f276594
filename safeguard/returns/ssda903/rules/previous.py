"""SSDA903 rules comparing this year's return with last year's (`Context.previous`), and the
whole-record checks that need both (continuity of the open episode, care-leaver eligibility).

Without last year's return these rules find nothing: the report says which rules could not run
(`NEEDS_PREVIOUS`). Codes and messages from the SSDA903 validation rules (catalogue in
shared/fixtures/csc-validator-be-903/output_data/); logic written here from the rule texts.
"""

from __future__ import annotations

import polars as pl

from ._common import CHILD, ERROR, Context, Return, Rule, age_at, cached, collector

RULES: list[Rule] = []
rule = collector(RULES)
H, E = "Header", "Episodes"
OC3_ITEMS = ["IN_TOUCH", "ACTIV", "ACCOM"]


def _last(ctx: Context, table: str) -> pl.DataFrame | None:
    return None if ctx.previous is None else ctx.previous[table]


def _header_changed(code: str, message: str, field: str) -> None:
    @rule(code, message, ERROR, {H: (field,)})
    def check(f: Return, ctx: Context) -> pl.DataFrame:
        last = _last(ctx, H)
        if last is None:
            return f[H].clear()
        j = f[H].join(last.select(CHILD, pl.col(field).alias("_last")).unique(CHILD), on=CHILD)
        return j.filter(
            pl.col(field).is_not_null()
            & pl.col("_last").is_not_null()
            & (pl.col(field) != pl.col("_last"))
        )


_header_changed(
    "202", "The gender code conflicts with the gender already recorded for this child.", "SEX"
)
_header_changed(
    "203", "Date of birth disagrees with the date of birth already recorded for this child.", "DOB"
)
_header_changed(
    "204",
    "Ethnic origin code disagrees with the ethnic origin already recorded for this child.",
    "ETHNIC",
)
_header_changed(
    "208",
    "Unique Pupil Number (UPN) for the current year disagrees with the Unique "
    "Pupil Number (UPN) already recorded for this child.",
    "UPN",
)
_header_changed(
    "624",
    "Date of birth of the first child contradicts the date of birth of the "
    "first "
    "child previously recorded.",
    "MC_DOB",
)


@rule(
    "626",
    "Child was reported as a mother but the date of birth of the first child is before "
    "the "
    "current year which contradicts with the mother status recorded last year.",
    ERROR,
    {H: ("MOTHER", "MC_DOB")},
)
def r626(f: Return, ctx: Context) -> pl.DataFrame:
    last = _last(ctx, H)
    if last is None:
        return f[H].clear()
    j = f[H].join(last.select(CHILD, pl.col("MOTHER").alias("_last")).unique(CHILD), on=CHILD)
    return j.filter(
        (pl.col("MOTHER") == "1")
        & (pl.col("_last") == "0")
        & (pl.col("MC_DOB") < pl.lit(ctx.period_start))
    )


def _open_last(ctx: Context) -> pl.DataFrame | None:
    """Last year's open final episode of each child."""
    last = _last(ctx, E)
    if last is None:
        return None
    return cached("open-last", last, _open_final)


def _open_final(e: pl.DataFrame) -> pl.DataFrame:
    final = e.filter(pl.col("DECOM") == pl.col("DECOM").max().over(CHILD))
    return final.filter(pl.col("DEC").is_null())


def _first_now(f: Return) -> pl.DataFrame:
    """This year's first episode of each child (shared by the continuity rules)."""
    return cached("first-now", f[E], _first_episodes)


def _first_episodes(e: pl.DataFrame) -> pl.DataFrame:
    e = e.filter(pl.col("DECOM").is_not_null())
    return e.filter(pl.col("DECOM") == pl.col("DECOM").min().over(CHILD))


@rule(
    "502",
    "Last year's record ended with an open episode. The date on which that episode "
    "started "
    "does not match the start date of the first episode on this year’s record.",
    ERROR,
    {E: ("DECOM",)},
)
def r502(f: Return, ctx: Context) -> pl.DataFrame:
    open_last = _open_last(ctx)
    if open_last is None:
        return f[E].clear()
    j = _first_now(f).join(open_last.select(CHILD, pl.col("DECOM").alias("_last")), on=CHILD)
    return j.filter(pl.col("DECOM") != pl.col("_last"))


def _continuity(code: str, message: str, field: str) -> Rule:
    def check(f: Return, ctx: Context) -> pl.DataFrame:
        open_last = _open_last(ctx)
        if open_last is None:
            return f[E].clear()
        j = _first_now(f).join(open_last.select(CHILD, pl.col(field).alias("_last")), on=CHILD)
        return j.filter(pl.col(field).fill_null("") != pl.col("_last").fill_null(""))

    return Rule(code, message, ERROR, {E: (field,)}, check)


_MATCH = "does not match open episode at end of last year"
RULES += [
    _continuity("503A", f"The reason for new episode in the first episode {_MATCH}.", "RNE"),
    _continuity("503B", f"The legal status in the first episode {_MATCH}.", "LS"),
    _continuity("503C", f"The category of need in the first episode {_MATCH}.", "CIN"),
    _continuity("503D", f"The placement type in the first episode {_MATCH}", "PLACE"),
    _continuity("503E", f"The placement provider in the first episode {_MATCH}.", "PLACE_PROVIDER"),
    _continuity("503F", f"The Ofsted URN in the  first episode {_MATCH}.", "URN"),
]


@rule(
    "562",
    "Episode commenced before the start of the current collection year but there is a "
    "missing continuous episode in the previous year.",
    ERROR,
    {E: ("DECOM",)},
)
def r562(f: Return, ctx: Context) -> pl.DataFrame:
    """The first episode started before the year but is not last year's latest episode."""
    last = _last(ctx, E)
    if last is None:
        return f[E].clear()
    latest = last.group_by(CHILD).agg(pl.col("DECOM").max().alias("_last"))
    first = _first_now(f).filter(pl.col("DECOM") < pl.lit(ctx.period_start))
    return first.join(latest, on=CHILD).filter(pl.col("DECOM") > pl.col("_last"))


@rule(
    "NoE",
    "This child has no episodes loaded for previous year even though child started to be "
    "looked after before this current year.",
    ERROR,
    {E: ("DECOM",)},
)
def no_e(f: Return, ctx: Context) -> pl.DataFrame:
    last = _last(ctx, E)
    if last is None:
        return f[E].clear()
    before = f[E].filter(pl.col("DECOM") < pl.lit(ctx.period_start))
    return before.join(last.select(CHILD).unique(), on=CHILD, how="anti")


def _leaver_data(f: Return) -> pl.DataFrame:
    return f["OC3"].filter(pl.any_horizontal([pl.col(c).is_not_null() for c in OC3_ITEMS]))


@rule(
    "1002",
    "This child has no previous episodes of care, therefore should not have care leaver "
    "information recorded. [NOTE: This tool can only test the current and previous year data "
    "loaded into the tool - this check may generate false positives if a child had episodes "
    "prior to last year's collection.]",
    ERROR,
    {"OC3": tuple(OC3_ITEMS)},
)
def r1002(f: Return, ctx: Context) -> pl.DataFrame:
    last = _last(ctx, E)
    if last is None:
        return f["OC3"].clear()
    known = pl.concat([f[E].select(CHILD), last.select(CHILD)]).unique()
    return _leaver_data(f).join(known, on=CHILD, how="anti")


@rule(
    "1010",
    "This child has no episodes loaded for current year even though there was an open "
    "episode of care at the end of the previous year, and care leaver data has been entered.",
    ERROR,
    {"OC3": tuple(OC3_ITEMS)},
)
def r1010(f: Return, ctx: Context) -> pl.DataFrame:
    open_last = _open_last(ctx)
    if open_last is None:
        return f["OC3"].clear()
    no_eps = _leaver_data(f).join(f[E].select(CHILD).unique(), on=CHILD, how="anti")
    return no_eps.join(open_last.select(CHILD), on=CHILD)


@rule(
    "199",
    "Episode information shows child has been previously adopted from care. [NOTE: This "
    "only tests the current and previous year data loaded into the tool]",
    ERROR,
    {E: ("REC", "DECOM")},
)
def r199(f: Return, ctx: Context) -> pl.DataFrame:
    """An episode starting after an adoption (E11/E12) recorded this year or last year."""
    last = _last(ctx, E)
    adoptions = [f[E]] if last is None else [f[E], last]
    adopted = pl.concat(
        [a.filter(pl.col("REC").is_in(["E11", "E12"])).select(CHILD, "DEC") for a in adoptions]
    )
    adopted = adopted.group_by(CHILD).agg(pl.col("DEC").min().alias("_adopted"))
    return f[E].join(adopted, on=CHILD).filter(pl.col("DECOM") >= pl.col("_adopted"))


@rule(
    "1012",
    "No other data should be returned for OC3 children who had no episodes in the current year",
    ERROR,
    {"PlacedAdoption": (), "Missing": (), "Reviews": (), "AD1": (), "PrevPerm": (), "OC2": ()},
)
def r1012(f: Return, ctx: Context) -> dict[str, pl.DataFrame]:
    with_eps = f[E].select(CHILD).unique()
    return {
        t: f[t].join(with_eps, on=CHILD, how="anti")
        for t in ("PlacedAdoption", "Missing", "Reviews", "AD1", "PrevPerm", "OC2")
    }


def _pa_last(f: Return, ctx: Context) -> pl.DataFrame | None:
    last = _last(ctx, "PlacedAdoption")
    if last is None:
        return None
    return last.select(
        CHILD,
        pl.col("DATE_PLACED").alias("_dp"),
        pl.col("DATE_PLACED_CEASED").alias("_dpc"),
        pl.col("REASON_PLACED_CEASED").alias("_rpc"),
    )


@rule(
    "559",
    "Date of decision that a child should be placed for adoption was not in the current "
    "year but the date of the decision that the child should be placed for adoption was not "
    "completed in a previous return.",
    ERROR,
    {"PlacedAdoption": ("DATE_PLACED",)},
)
def r559(f: Return, ctx: Context) -> pl.DataFrame:
    last = _pa_last(f, ctx)
    if last is None:
        return f["PlacedAdoption"].clear()
    before = f["PlacedAdoption"].filter(pl.col("DATE_PLACED") < pl.lit(ctx.period_start))
    recorded = last.filter(pl.col("_dp").is_not_null()).select(CHILD).unique()
    return before.join(recorded, on=CHILD, how="anti")


@rule(
    "560",
    "Date of decision that the child should be placed for adoption this year is different "
    "from that recorded last year but the decision to place the child for adoption did not "
    "change.",
    ERROR,
    {"PlacedAdoption": ("DATE_PLACED", "DATE_PLACED_CEASED")},
)
def r560(f: Return, ctx: Context) -> pl.DataFrame:
    last = _pa_last(f, ctx)
    if last is None:
        return f["PlacedAdoption"].clear()
    still_open = last.filter(pl.col("_dp").is_not_null() & pl.col("_dpc").is_null())
    j = f["PlacedAdoption"].join(still_open, on=CHILD)
    others = j.filter(pl.col("DATE_PLACED") != pl.col("_dp"))
    same = j.filter(pl.col("DATE_PLACED") == pl.col("_dp")).select(CHILD).unique()
    return others.join(same, on=CHILD, how="anti")


@rule(
    "561",
    "Date of the decision that the child should be placed for adoption this year is the "
    "same as that recorded last year but records show that the decision changed, and the child "
    "should no longer be placed for adoption last year.",
    ERROR,
    {"PlacedAdoption": ("DATE_PLACED",)},
)
def r561(f: Return, ctx: Context) -> pl.DataFrame:
    last = _pa_last(f, ctx)
    if last is None:
        return f["PlacedAdoption"].clear()
    reversed_ = last.filter(pl.col("_dpc").is_not_null() | pl.col("_rpc").is_not_null())
    j = f["PlacedAdoption"].join(reversed_, on=CHILD)
    return j.filter(
        (pl.col("DATE_PLACED") == pl.col("_dp")) & pl.col("DATE_PLACED_CEASED").is_null()
    )


@rule(
    "584",
    "Date of decision that the child should be placed for adoption this year is different "
    "from that recorded last year, but the decision to placed the child for adoption changed "
    "and the child should no longer be placed for adoption.",
    ERROR,
    {"PlacedAdoption": ("DATE_PLACED",)},
)
def r584(f: Return, ctx: Context) -> pl.DataFrame:
    """After last year's decision was reversed (a date or reason it ceased), this year's
    decision must be a new one: dated after the reversed decision."""
    last = _pa_last(f, ctx)
    if last is None:
        return f["PlacedAdoption"].clear()
    reversed_ = last.filter(
        pl.col("_dp").is_not_null() & (pl.col("_dpc").is_not_null() | pl.col("_rpc").is_not_null())
    )
    latest = reversed_.group_by(CHILD).agg(pl.col("_dp").max())
    j = f["PlacedAdoption"].join(latest, on=CHILD)
    return j.filter(~(pl.col("DATE_PLACED") > pl.col("_dp")).fill_null(False))


@rule(
    "207",
    "Mother status for the current year disagrees with the mother status already recorded "
    "for this child.",
    ERROR,
    {H: ("MOTHER",)},
)
def r207(f: Return, ctx: Context) -> pl.DataFrame:
    """A child recorded as a mother last year is not recorded as one this year, although
    looked after this year (MOTHER is only asked of looked-after children)."""
    last = _last(ctx, H)
    if last is None:
        return f[H].clear()
    was_mother = last.filter(pl.col("MOTHER") == "1").select(CHILD).unique()
    with_eps = f[E].select(CHILD).unique()
    h = f[H].join(was_mother, on=CHILD).join(with_eps, on=CHILD)
    return h.filter(pl.col("MOTHER").ne_missing("1"))


#: A relevant or former relevant child was looked after for at least 13 weeks (91 days) after
#: the 14th birthday, some of it after the 16th (Children (Leaving Care) Act 2000).
RELEVANT_DAYS_AFTER_14 = 91


@rule(
    "1001",
    "The episodes recorded for this young person suggest they are not a relevant or a former "
    "relevant child and therefore should not have care leaver information completed. [NOTE: "
    "This tool can only test the current and previous year data loaded into the tool - this "
    "check may generate false positives if a child had episodes prior to last year's "
    "collection.]",
    ERROR,
    {"OC3": tuple(OC3_ITEMS), E: ("DECOM", "DEC", "LS", "REC"), H: ("DOB",)},
    table="OC3",
)
def r1001(f: Return, ctx: Context) -> pl.DataFrame:
    """A care leaver (under 20 at 31 March, so two years' episodes can show it) whose episodes
    this year and last show fewer than 91 days looked after since the 14th birthday, none
    after the 16th, or a last episode ending in adoption. Short breaks (V3/V4) do not count.
    An episode with no end runs to the next episode's start, or to 31 March."""
    last = _last(ctx, E)
    if last is None:
        return f["OC3"].clear()
    cols = [CHILD, "DECOM", "DEC", "LS", "REC"]
    eps = (
        pl.concat([f[E].select(cols), last.select(cols)])
        .filter(pl.col("DECOM").is_not_null())
        .sort([CHILD, "DECOM", "DEC"], nulls_last=True)
        .unique([CHILD, "DECOM"], keep="first", maintain_order=True)
    )
    next_start = pl.when(pl.col(CHILD).shift(-1) == pl.col(CHILD)).then(pl.col("DECOM").shift(-1))
    eps = eps.with_columns(
        pl.col("DEC").fill_null(next_start).fill_null(pl.lit(ctx.reference_date)).alias("_end"),
        (pl.col(CHILD).shift(-1) != pl.col(CHILD)).fill_null(True).alias("_latest"),
    )
    adopted = eps.filter(pl.col("_latest") & pl.col("REC").is_in(["E11", "E12"])).select(CHILD)
    dob = f[H].filter(pl.col("DOB").is_not_null()).select(CHILD, "DOB").unique(CHILD)
    care = eps.filter(~pl.col("LS").is_in(["V3", "V4"]).fill_null(False)).join(dob, on=CHILD)

    def days_after(birthday: int) -> pl.Expr:
        since = pl.max_horizontal("DECOM", pl.col("DOB").dt.offset_by(f"{birthday}y"))
        return (pl.col("_end") - since).dt.total_days().clip(lower_bound=0).sum()

    totals = care.group_by(CHILD).agg(
        days_after(14).alias("_after14"), days_after(16).alias("_after16")
    )
    relevant = totals.filter(
        (pl.col("_after14") >= RELEVANT_DAYS_AFTER_14) & (pl.col("_after16") >= 1)
    ).select(CHILD)
    under_20 = dob.filter(age_at("DOB", ctx.reference_date) < 20).select(CHILD)
    leavers = _leaver_data(f).join(under_20, on=CHILD)
    not_relevant = leavers.join(relevant, on=CHILD, how="anti")
    return pl.concat([not_relevant, leavers.join(adopted, on=CHILD, how="semi")]).unique()


NEEDS_PREVIOUS = frozenset(
    {
        "584",
        "207",
        "1001",
        "202",
        "203",
        "204",
        "208",
        "624",
        "626",
        "502",
        "503A",
        "503B",
        "503C",
        "503D",
        "503E",
        "503F",
        "562",
        "NoE",
        "1002",
        "1010",
        "559",
        "560",
        "561",
        "576",
        "348",
    }
)


ADDED_2026: list[Rule] = []
added_2026 = collector(ADDED_2026)


@added_2026(
    "348",
    "Care leaver has previously been reported as having died. ",
    ERROR,
    {"OC3": ("IN_TOUCH",)},
)
def r348(f: Return, ctx: Context) -> pl.DataFrame:
    """Reported as died (IN_TOUCH DIED) last year, something else this year."""
    last = _last(ctx, "OC3")
    if last is None:
        return f["OC3"].clear()
    died = last.filter(pl.col("IN_TOUCH") == "DIED").select(CHILD).unique()
    return f["OC3"].filter(pl.col("IN_TOUCH").fill_null("") != "DIED").join(died, on=CHILD)
