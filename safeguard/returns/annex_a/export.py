"""Build Ofsted's Annex A lists from the journey record, as at a date.

Look-back (shared/reference/annex-a.md, period per list marked [verify] there): lists 1-8 cover
the six months up to and including the as-at date (events in it, or cases open at any time in
it); list 9 the care leavers in contact in the twelve months; lists 10-11 twelve months.
"Age of Child (Years)" is the age on the as-at date. Allocated team and worker are the child's
allocation open on the as-at date (else the latest before it).
Columns the record has no data for are left blank rather than guessed: permanence plan, IRO
visit, health assessment and dental check dates (list 8), placement location and LA (need the
DfE's postcode lookup) and family identifier (list 10). List 11 comes from the record's
adopters, not its children (`adopters.py` says which adopters are in it).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import polars as pl
from django.utils import timezone

from safeguard.codes import cin
from safeguard.journey import models as jm
from safeguard.workforce.models import Allocation

from . import adopters, spec

_MONTHS_BACK = {
    n: 6 for n in ("List 1", "List 2", "List 3", "List 4", "List 5", "List 6", "List 7", "List 8")
} | {"List 9": 12, "List 10": 12, "List 11": 12}
_SEX_TO_GENDER = {v: k for k, v in spec.GENDER.items()}
_CATEGORY = {c.code: c.label for c in cin.CATEGORY_OF_ABUSE}
_PLACEMENT_CHANGE = ("S", "P", "B", "T", "U")


def months_before(d: date, months: int) -> date:
    """The day after the same day `months` earlier: the first day of the look-back period."""
    y, m = divmod(d.year * 12 + d.month - 1 - months, 12)
    m += 1
    last = [
        31,
        29 if (y % 4 == 0 and y % 100 != 0) or y % 400 == 0 else 28,
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ][m - 1]
    return date(y, m, min(d.day, last)) + timedelta(days=1)


def period(name: str, as_at: date) -> tuple[date, date]:
    return months_before(as_at, _MONTHS_BACK[name]), as_at


def _rows(qs, **schema) -> pl.DataFrame:
    return pl.DataFrame(list(qs.values_list(*schema)), schema=schema, orient="row")


def _children(as_at: date) -> pl.DataFrame:
    rows = list(
        jm.Child.objects.values_list(
            "id", "la_child_id", "sex", "ethnicity", "date_of_birth", "disabilities"
        )
    )
    kids = pl.DataFrame(
        [r[:5] for r in rows],
        orient="row",
        schema={
            "id": pl.Int64,
            "la_child_id": pl.Utf8,
            "sex": pl.Utf8,
            "ethnicity": pl.Utf8,
            "date_of_birth": pl.Date,
        },
    )
    disabled = pl.Series([None if not r[5] else r[5] != ["NONE"] for r in rows], dtype=pl.Boolean)
    dob = pl.col("date_of_birth")
    age = (
        as_at.year
        - dob.dt.year()
        - ((as_at.month * 100 + as_at.day) < (dob.dt.month() * 100 + dob.dt.day())).cast(pl.Int64)
    )
    return kids.with_columns(disabled.alias("disabled")).select(
        pl.col("id").alias("child_id"),
        pl.col("la_child_id").alias("Child Unique ID"),
        pl.col("sex").replace_strict(_SEX_TO_GENDER, default=None).alias("Gender"),
        pl.col("ethnicity").replace("", None).alias("Ethnicity"),
        dob.alias("Date of Birth"),
        age.cast(pl.Int64).alias("Age of Child (Years)"),
        spec.yes_no(pl.col("disabled")).alias(spec.LISTS["List 4"][5]),
    )


def _allocations(as_at: date) -> pl.DataFrame:
    rows = _rows(
        Allocation.objects.filter(start_date__lte=as_at),
        child_id=pl.Int64,
        start_date=pl.Date,
        end_date=pl.Date,
        team__name=pl.Utf8,
        worker__name=pl.Utf8,
    )
    return (
        rows.sort("start_date")
        .group_by("child_id")
        .last()
        .select(
            "child_id",
            pl.col("team__name").alias("Allocated Team"),
            pl.col("worker__name").alias("Allocated Worker"),
        )
    )


def _finish(name: str, df: pl.DataFrame, kids: pl.DataFrame, alloc: pl.DataFrame) -> pl.DataFrame:
    df = df.join(kids, on="child_id", how="left").join(alloc, on="child_id", how="left")
    schema = spec.schema(name)
    return df.select(
        [
            pl.col(c).cast(t) if c in df.columns else pl.lit(None, dtype=t).alias(c)
            for c, t in schema.items()
        ]
    ).sort(spec.LISTS[name][0], nulls_last=True)


def _as_date(col: str) -> pl.Expr:
    """A datetime column as the local calendar date."""
    return pl.col(col).dt.convert_time_zone(timezone.get_current_timezone_name()).dt.date()


def _count_back(
    events: pl.DataFrame, at: pl.DataFrame, at_col: str, ev_col: str, months: int = 12
) -> pl.DataFrame:
    """For each row of `at`, how many of the child's events fall in the 12 months to `at_col`."""
    joined = (
        at.select("child_id", at_col)
        .unique()
        .join(events.select("child_id", pl.col(ev_col).alias("_ev")), on="child_id", how="left")
    )
    first = pl.col(at_col).dt.offset_by(f"-{months}mo").dt.offset_by("1d")
    inside = pl.col("_ev").is_between(first, pl.col(at_col))
    return joined.group_by("child_id", at_col).agg(inside.sum().cast(pl.Int64).alias("n"))


def from_record(*, as_at: date) -> dict[str, pl.DataFrame]:
    """All 11 lists as at a date (see module docstring for periods and blanks)."""
    kids, alloc = _children(as_at), _allocations(as_at)
    built = {
        "List 1": _list1(as_at),
        "List 2": _list2(as_at),
        "List 3": _list3(as_at),
        "List 4": _list4(as_at),
        "List 5": _list5(as_at),
        "List 6": _list6(as_at),
        "List 7": _list7(as_at),
        "List 8": _list8(as_at),
        "List 9": _list9(as_at, kids),
        "List 10": _list10(as_at),
    }
    lists = {n: _finish(n, df, kids, alloc) for n, df in built.items()}
    return {**lists, "List 11": adopters.to_list(*period("List 11", as_at))}


def _list1(as_at: date) -> pl.DataFrame:
    start, end = period("List 1", as_at)
    lo = timezone.make_aware(datetime.combine(start, time.min))
    hi = timezone.make_aware(datetime.combine(end, time.max))
    df = _rows(
        jm.Contact.objects.filter(received_at__range=(lo, hi)),
        child_id=pl.Int64,
        received_at=pl.Datetime("us", "UTC"),
        contact_source=pl.Utf8,
    )
    return df.select(
        "child_id",
        _as_date("received_at").alias("Date of Contact"),
        pl.col("contact_source").alias("Contact Source"),
    )


def _list2(as_at: date) -> pl.DataFrame:
    start, end = period("List 2", as_at)
    df = _rows(
        jm.EarlyHelpEpisode.objects.filter(start_date__lte=end).exclude(end_date__lt=start),
        child_id=pl.Int64,
        start_date=pl.Date,
        end_date=pl.Date,
        lead_professional=pl.Utf8,
    )
    return df.select(
        "child_id",
        pl.col("start_date").alias("Assessment start date"),
        pl.col("end_date").alias("Assessment completion date"),
        pl.col("lead_professional").replace("", None).alias("Organisation completing assessment"),
    )


def _referrals() -> pl.DataFrame:
    return _rows(
        jm.Referral.objects.all(),
        id=pl.Int64,
        child_id=pl.Int64,
        referral_date=pl.Date,
        referral_source=pl.Utf8,
        referral_nfa=pl.Boolean,
        primary_need=pl.Utf8,
        closure_date=pl.Date,
        reason_for_closure=pl.Utf8,
    )


def _list3(as_at: date) -> pl.DataFrame:
    start, end = period("List 3", as_at)
    refs = _referrals()
    df = refs.filter(pl.col("referral_date").is_between(start, end))
    n = _count_back(refs, df, "referral_date", "referral_date").rename({"referral_date": "_d"})
    df = df.join(n, left_on=["child_id", "referral_date"], right_on=["child_id", "_d"], how="left")
    return df.select(
        "child_id",
        pl.col("referral_date").alias("Date of referral"),
        pl.col("referral_source").replace("", None).alias("Referral Source"),
        spec.yes_no(pl.col("referral_nfa")).alias("Referral NFA?"),
        pl.col("n").alias("Number of Referrals in Last 12 Months"),
    )


def _seen_visits() -> pl.DataFrame:
    return _rows(
        jm.Visit.objects.all(),
        child_id=pl.Int64,
        date=pl.Date,
        kind=pl.Utf8,
        seen=pl.Boolean,
        seen_alone=pl.Boolean,
    )


def _list4(as_at: date) -> pl.DataFrame:
    start, end = period("List 4", as_at)
    df = _rows(
        jm.Assessment.objects.filter(start_date__lte=end).exclude(authorisation_date__lt=start),
        id=pl.Int64,
        child_id=pl.Int64,
        referral_id=pl.Int64,
        start_date=pl.Date,
        authorisation_date=pl.Date,
    )
    visits = _seen_visits().filter(pl.col("seen"))
    seen = (
        df.join(visits, on="child_id")
        .filter(
            pl.col("date").is_between(
                pl.col("start_date"), pl.coalesce("authorisation_date", pl.lit(as_at))
            )
        )
        .select("id")
        .unique()
        .with_columns(pl.lit(True).alias("seen"))
    )
    plans = pl.concat(
        [
            _rows(jm.ChildInNeedPlan.objects.all(), referral_id=pl.Int64, start_date=pl.Date),
            _rows(jm.ChildProtectionPlan.objects.all(), referral_id=pl.Int64, start_date=pl.Date),
        ]
    )
    planned = (
        df.join(plans.rename({"start_date": "plan"}), on="referral_id")
        .filter(pl.col("plan") >= pl.col("start_date"))
        .select("id")
        .unique()
        .with_columns(pl.lit(True).alias("planned"))
    )
    df = df.join(seen, on="id", how="left").join(planned, on="id", how="left")
    support = (
        pl.when(pl.col("authorisation_date").is_null())
        .then(None)
        .otherwise(pl.col("planned").fill_null(False))
    )
    return df.select(
        "child_id",
        pl.col("start_date").alias("Continuous Assessment Start Date"),
        spec.yes_no(pl.col("seen").fill_null(False)).alias(
            "Child Seen During Continuous Assessment"
        ),
        pl.col("authorisation_date").alias("Continuous Assessment Date of Authorisation"),
        spec.yes_no(support).alias(spec.LISTS["List 4"][9]),
    )


def _list5(as_at: date) -> pl.DataFrame:
    start, end = period("List 5", as_at)
    s47 = _rows(
        jm.Section47.objects.all(),
        id=pl.Int64,
        child_id=pl.Int64,
        strategy_discussion_date=pl.Date,
        icpc_not_required=pl.Boolean,
    )
    icpc = _rows(
        jm.Conference.objects.filter(kind="ICPC"),
        section47_id=pl.Int64,
        child_id=pl.Int64,
        date=pl.Date,
        outcome=pl.Utf8,
    )
    first = (
        icpc.filter(pl.col("section47_id").is_not_null())
        .sort("date")
        .group_by("section47_id")
        .first()
        .select(pl.col("section47_id").alias("id"), "date", "outcome")
    )
    df = s47.filter(pl.col("strategy_discussion_date").is_between(start, end)).join(
        first, on="id", how="left"
    )
    n47 = _count_back(s47, df, "strategy_discussion_date", "strategy_discussion_date")
    nic = _count_back(icpc.rename({"date": "icpc"}), df, "strategy_discussion_date", "icpc")
    df = df.join(
        n47.rename({"n": "n47"}), on=["child_id", "strategy_discussion_date"], how="left"
    ).join(nic.rename({"n": "nic"}), on=["child_id", "strategy_discussion_date"], how="left")
    cols = spec.LISTS["List 5"]
    result = pl.when(pl.col("date").is_null()).then(None).otherwise(pl.col("outcome") == "CPP")
    return df.select(
        "child_id",
        pl.col("strategy_discussion_date").alias(cols[6]),
        spec.yes_no(pl.col("icpc_not_required")).alias(cols[7]),
        pl.col("date").alias(cols[8]),
        spec.yes_no(result).alias(cols[9]),
        pl.col("n47").alias(cols[10]),
        pl.col("nic").alias(cols[11]),
    )


def _status(as_at: date) -> pl.DataFrame:
    """Each child's case status on the as-at date: LAC, else CP plan, else CIN plan, else open
    assessment (a, b, c, d of the template); children with none of these are e) closed."""

    def open_at(model, end="end_date", start="start_date"):
        qs = model.objects.filter(**{f"{start}__lte": as_at}).exclude(**{f"{end}__lt": as_at})
        return _rows(qs, child_id=pl.Int64).unique()

    parts = [
        open_at(jm.CareEpisode).with_columns(pl.lit(0).alias("rank")),
        open_at(jm.ChildProtectionPlan).with_columns(pl.lit(1).alias("rank")),
        open_at(jm.ChildInNeedPlan).with_columns(pl.lit(2).alias("rank")),
        open_at(jm.Assessment, end="authorisation_date").with_columns(pl.lit(3).alias("rank")),
    ]
    best = pl.concat(parts).group_by("child_id").agg(pl.col("rank").min())
    return best.with_columns(
        pl.col("rank")
        .replace_strict(dict(enumerate(spec.CASE_STATUS)), return_dtype=pl.Utf8)
        .alias("status")
    )


def _list6(as_at: date) -> pl.DataFrame:
    start, end = period("List 6", as_at)
    refs = _referrals().filter(
        (pl.col("referral_date") <= end)
        & (pl.col("closure_date").is_null() | (pl.col("closure_date") >= start))
    )
    seen = (
        _seen_visits()
        .filter(pl.col("seen") & (pl.col("date") <= as_at))
        .group_by("child_id")
        .agg(pl.col("date").max().alias("seen"))
    )
    df = refs.join(seen, on="child_id", how="left").join(_status(as_at), on="child_id", how="left")
    closed = pl.col("closure_date").is_not_null() & (pl.col("closure_date") <= as_at)
    status = (
        pl.when(closed)
        .then(pl.lit(spec.CASE_STATUS[4]))
        .otherwise(pl.col("status").fill_null(spec.CASE_STATUS[4]))
    )
    return df.select(
        "child_id",
        pl.col("referral_date").alias("CIN Start Date"),
        pl.col("primary_need").replace("", None).alias("Primary Need Code"),
        pl.col("seen").alias("Date Child Was Last Seen"),
        pl.col("closure_date").alias("CIN Closure Date"),
        pl.col("reason_for_closure").replace("", None).alias("Reason for Closure"),
        status.alias("Case Status"),
    )


def _list7(as_at: date) -> pl.DataFrame:
    start, end = period("List 7", as_at)
    cols = spec.LISTS["List 7"]
    plans = _rows(
        jm.ChildProtectionPlan.objects.filter(start_date__lte=end).exclude(end_date__lt=start),
        id=pl.Int64,
        child_id=pl.Int64,
        start_date=pl.Date,
        end_date=pl.Date,
        initial_category=pl.Utf8,
        latest_category=pl.Utf8,
        previous_plans=pl.Int64,
    )
    upto = pl.coalesce(pl.min_horizontal("end_date", pl.lit(as_at)), pl.lit(as_at))
    visits = (
        plans.join(_seen_visits().filter(pl.col("kind") == "CP"), on="child_id")
        .filter(pl.col("date").is_between(pl.col("start_date"), upto))
        .sort("date")
        .group_by("id")
        .last()
        .select("id", pl.col("date").alias("visit"), "seen_alone")
    )
    reviews = (
        _rows(
            jm.Conference.objects.filter(kind="RCPC", cp_plan__isnull=False),
            cp_plan_id=pl.Int64,
            date=pl.Date,
        )
        .filter(pl.col("date") <= as_at)
        .group_by("cp_plan_id")
        .agg(pl.col("date").max().alias("review"))
        .rename({"cp_plan_id": "id"})
    )
    six = months_before(as_at, 6)
    epo = (
        _rows(
            jm.CareEpisode.objects.filter(
                legal_status__in=("L1", "L2"), start_date__range=(six, as_at)
            ),
            child_id=pl.Int64,
        )
        .unique()
        .with_columns(pl.lit(True).alias("epo"))
    )
    df = (
        plans.join(visits, on="id", how="left")
        .join(reviews, on="id", how="left")
        .join(epo, on="child_id", how="left")
    )
    return df.select(
        "child_id",
        pl.col("start_date").alias(cols[6]),
        pl.col("initial_category").replace_strict(_CATEGORY, default=None).alias(cols[7]),
        pl.col("latest_category").replace_strict(_CATEGORY, default=None).alias(cols[8]),
        pl.col("visit").alias(cols[9]),
        spec.yes_no(pl.col("seen_alone")).alias(cols[10]),
        pl.col("review").alias(cols[11]),
        pl.col("end_date").alias(cols[12]),
        spec.yes_no(pl.col("epo").fill_null(False)).alias(cols[13]),
        pl.col("previous_plans").alias(cols[14]),
    )


def episodes_with_periods() -> pl.DataFrame:
    """Every care episode with its period of care, legal-status run and placement run numbered.

    A period of care starts at RNE=S; within it the legal status is "current" since the first of
    the trailing episodes with the same LS, and the placement since the last episode whose RNE
    says the placement changed (S, P, B, T, U).
    """
    ep = _rows(
        jm.CareEpisode.objects.all(),
        child_id=pl.Int64,
        start_date=pl.Date,
        end_date=pl.Date,
        reason_new_episode=pl.Utf8,
        legal_status=pl.Utf8,
        category_of_need=pl.Utf8,
        placement_type=pl.Utf8,
        placement_provider=pl.Utf8,
        placement_postcode=pl.Utf8,
        urn=pl.Utf8,
        reason_ended=pl.Utf8,
    )
    ep = ep.sort("child_id", "start_date")
    new_period = (pl.col("reason_new_episode") == "S") | (
        pl.col("child_id") != pl.col("child_id").shift(1)
    ).fill_null(True)
    ep = ep.with_columns(new_period.cum_sum().alias("period"))
    ls_change = (pl.col("legal_status") != pl.col("legal_status").shift(1)).fill_null(True)
    pl_change = pl.col("reason_new_episode").is_in(_PLACEMENT_CHANGE)
    return ep.with_columns(
        (new_period | ls_change).cum_sum().alias("ls_run"),
        (new_period | pl_change).cum_sum().alias("pl_run"),
        pl.col("start_date").min().over("period").alias("period_start"),
    )


def _list8(as_at: date) -> pl.DataFrame:
    start, end = period("List 8", as_at)
    cols = spec.LISTS["List 8"]
    ep = episodes_with_periods()
    ep = ep.with_columns(
        pl.col("start_date").min().over("ls_run").alias("ls_start"),
        pl.col("start_date").min().over("pl_run").alias("pl_start"),
    )
    inside = ep.filter(
        (pl.col("start_date") <= end)
        & (pl.col("end_date").is_null() | (pl.col("end_date") >= start))
    )
    latest = inside.sort("start_date").group_by("child_id").last()
    year_ago = months_before(as_at, 12)
    recent = ep.filter(
        (pl.col("start_date") <= end)
        & (pl.col("end_date").is_null() | (pl.col("end_date") >= year_ago))
    )
    counts = recent.group_by("child_id").agg(
        pl.col("pl_run").n_unique().alias("placements"),
        pl.col("period").n_unique().alias("periods"),
    )
    ended = (
        (pl.col("reason_ended") != "X1")
        & pl.col("end_date").is_not_null()
        & (pl.col("end_date") <= as_at)
    )
    df = latest.join(counts, on="child_id", how="left").join(
        _lac_extras(as_at, year_ago), on="child_id", how="left"
    )
    return df.select(
        "child_id",
        pl.col("period_start").alias(cols[6]),
        pl.col("category_of_need").alias(cols[7]),
        spec.yes_no(pl.col("periods") > 1).alias(cols[8]),
        pl.col("ls_start").alias(cols[9]),
        pl.col("legal_status").alias(cols[10]),
        pl.col("review").alias(cols[11]),
        pl.col("visit").alias(cols[12]),
        pl.col("placements").cast(pl.Int64).alias(cols[17]),
        pl.when(ended).then(pl.col("end_date")).alias(cols[18]),
        pl.when(ended).then(pl.col("reason_ended")).alias(cols[19]),
        pl.col("pl_start").alias(cols[20]),
        pl.col("placement_type").alias(cols[21]),
        pl.col("placement_provider").replace("", None).alias(cols[22]),
        pl.col("placement_postcode").replace("", None).alias(cols[23]),
        pl.col("urn").replace("", None).alias(cols[24]),
        pl.col("missing").fill_null(0).alias(cols[27]),
        pl.col("away").fill_null(0).alias(cols[28]),
        spec.yes_no(pl.col("rhi_offered")).alias(cols[29]),
        spec.yes_no(pl.col("rhi_held")).alias(cols[30]),
    )


def _lac_extras(as_at: date, year_ago: date) -> pl.DataFrame:
    """Latest review and CLA visit, missing/away counts and the last missing episode's RHI."""
    review = (
        _rows(jm.LookedAfterReview.objects.filter(date__lte=as_at), child_id=pl.Int64, date=pl.Date)
        .group_by("child_id")
        .agg(pl.col("date").max().alias("review"))
    )
    visit = (
        _seen_visits()
        .filter((pl.col("kind") == "CLA") & (pl.col("date") <= as_at))
        .group_by("child_id")
        .agg(pl.col("date").max().alias("visit"))
    )
    miss = _rows(
        jm.MissingEpisode.objects.filter(start_date__range=(year_ago, as_at)),
        child_id=pl.Int64,
        kind=pl.Utf8,
        start_date=pl.Date,
        rhi_offered_at=pl.Datetime("us", "UTC"),
        rhi_held_at=pl.Datetime("us", "UTC"),
    )
    counts = miss.group_by("child_id").agg(
        (pl.col("kind") == "M").sum().cast(pl.Int64).alias("missing"),
        (pl.col("kind") == "A").sum().cast(pl.Int64).alias("away"),
    )
    last = (
        miss.filter(pl.col("kind") == "M")
        .sort("start_date")
        .group_by("child_id")
        .last()
        .select(
            "child_id",
            pl.col("rhi_offered_at").is_not_null().alias("rhi_offered"),
            pl.col("rhi_held_at").is_not_null().alias("rhi_held"),
        )
    )
    out = review.join(visit, on="child_id", how="full", coalesce=True)
    out = out.join(counts, on="child_id", how="full", coalesce=True)
    return out.join(last, on="child_id", how="full", coalesce=True)


def _list9(as_at: date, kids: pl.DataFrame) -> pl.DataFrame:
    start, end = period("List 9", as_at)
    c = _rows(
        jm.CareLeaverContact.objects.filter(date__range=(start, end)),
        child_id=pl.Int64,
        date=pl.Date,
        in_touch=pl.Utf8,
        activity=pl.Utf8,
        accommodation=pl.Utf8,
    )
    c = (
        c.sort("date")
        .group_by("child_id")
        .last()
        .join(kids.select("child_id", "Age of Child (Years)"), on="child_id", how="left")
    )
    acc = pl.col("accommodation").replace("", None)
    return c.select(
        "child_id",
        pl.when(pl.col("Age of Child (Years)") < 18)
        .then(pl.lit(spec.ELIGIBILITY[0]))
        .otherwise(pl.lit(spec.ELIGIBILITY[1]))
        .alias("Eligibility Category"),
        pl.col("in_touch").replace_strict(spec.IN_TOUCH, default=None).alias("LA in Touch"),
        pl.when(acc != "0").then(acc.str.slice(0, 1)).alias("Type of Accommodation"),
        acc.str.slice(1, 1)
        .replace_strict(spec.SUITABILITY, default=None)
        .alias("Suitability of Accommodation"),
        pl.col("activity").replace("", None).alias("Activity Status"),
    )


def _list10(as_at: date) -> pl.DataFrame:
    start, end = period("List 10", as_at)
    a = _rows(
        jm.Adoption.objects.filter(decision_date__lte=end),
        child_id=pl.Int64,
        decision_date=pl.Date,
        placement_order_date=pl.Date,
        match_date=pl.Date,
        placed_date=pl.Date,
        order_date=pl.Date,
        decision_ceased_date=pl.Date,
        decision_ceased_reason=pl.Utf8,
    )
    a = a.filter(
        (pl.col("decision_date") >= start)
        | (
            (pl.col("order_date").is_null() | (pl.col("order_date") >= start))
            & (pl.col("decision_ceased_date").is_null() | (pl.col("decision_ceased_date") >= start))
        )
    )
    ep = episodes_with_periods()
    entered = (
        a.select("child_id", "decision_date")
        .join(ep.select("child_id", "period_start").unique(), on="child_id")
        .filter(pl.col("period_start") <= pl.col("decision_date"))
        .group_by("child_id", "decision_date")
        .agg(pl.col("period_start").max())
    )
    ffa = (
        ep.filter(pl.col("placement_type").is_in(("U2", "U5")))
        .group_by("child_id")
        .agg(pl.col("start_date").min().alias("ffa"))
    )
    a = a.join(entered, on=["child_id", "decision_date"], how="left").join(
        ffa, on="child_id", how="left"
    )
    cols = spec.LISTS["List 10"]
    return a.select(
        "child_id",
        pl.col("period_start").alias(cols[7]),
        pl.col("decision_date").alias(cols[8]),
        pl.col("placement_order_date").alias(cols[9]),
        pl.col("match_date").alias(cols[10]),
        pl.col("placed_date").alias(cols[11]),
        pl.col("order_date").alias(cols[12]),
        pl.col("decision_ceased_date").alias(cols[13]),
        pl.col("decision_ceased_reason").replace("", None).alias(cols[14]),
        pl.col("ffa").alias(cols[15]),
    )
