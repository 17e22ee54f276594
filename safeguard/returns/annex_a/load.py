"""Load Annex A lists into the journey record, merging with what is already there.

Annex A is a snapshot a council makes from its case system, usually beside its CIN census and
903 returns, so a row is matched to the record's existing row by its key (same child, same
date...) whatever its source, and only filled in or corrected; new rows get
`source="annex-a:<as-at date>"`. Loading the same workbook again therefore changes nothing.

A workbook's period is its as-at date (its lists cover the months up to it). The workbook does
not say it: the importer states it (`safeguard import annex-a FILE --as-at DATE`) or it is
inferred as the latest date in the lists (`inferred_as_at`); either way the source names it.
A newer workbook as at the same date (a corrected one) replaces that period for the children in
it: the rows an earlier load of that date created that it no longer holds are deleted, with
their history, and counted in `LoadSummary.replaced` (`replace.py`: rows of the period still
listed are moved off a deleted referral; a row that rows of other sources hang on is kept and
the summary says so). Rows of any other source (the CIN census, the 903, recorded in Safeguard,
an Annex A as at another date) and the rows of children not in the workbook are never deleted.
It replaces only what it says:
- only the lists it holds: a list whose sheet is absent (a re-sent workbook of one corrected
  list) or could not be read at all is left as it is, not taken for an empty list (a sheet read
  with no rows is one); a model loaded from two lists (referrals: 3 and 6; conferences: 5 and
  7; visits: 7 and 8) is replaced only when both are there;
- never what it set aside (import with skip_invalid): a row that could not be read is not a row
  no longer listed, so its child's rows of that list's models are kept (all children's, when
  the row has no child ID; for List 11, that adopter, or all, likewise), and the summary notes
  the rows set aside by list, so the analyst fixes them and imports the workbook again.
The same workbook imported again as at another date is that period's load, not "already
loaded" (`importing._mark_unchanged` matches an earlier load of an Annex A by its period too).

What each list loads:
- List 1 contacts -> Contact (received on the date of contact, at midnight; contact source).
- List 2 early help -> EarlyHelpEpisode (start, completion; the organisation completing the
  assessment is kept as the lead professional, the record's nearest field).
- List 3 referrals -> Referral (date, source, NFA); List 6 children in need adds the primary
  need, closure date and reason to the referral of the same child and date.
- List 4 assessments -> Assessment (start, authorisation) under the child's latest referral on
  or before its start; List 5 -> Section47 (strategy discussion date, ICPC not required) the
  same way, and its initial conference (date; outcome CPP when it resulted in a plan);
  List 7 -> ChildProtectionPlan (start, end, categories, previous plans) likewise, with the last
  statutory visit (a CP visit, seen, and whether alone) and latest review conference.
  A row with no referral for the child on or before it is not loaded (no episode of need to
  hang it on) and is counted in the summary under "<model> without a referral".
- List 8 children looked after -> the latest statutory review (LookedAfterReview) and last
  social work visit (CLA visit). Care episodes are NOT built from list 8: it is a one-row
  snapshot that cannot say when legal status and placement changed in between, so made-up
  episodes would feed wrong figures to the 903 and the measures; load the 903 for them.
- List 9 care leavers -> CareLeaverContact (in touch, activity, accommodation type +
  suitability as the 903 ACCOM code): it updates the child's latest contact in the list's
  twelve months if there is one, else is dated on the as-at date (the list has no date).
- List 10 adoption -> Adoption (decision, placement order, match, placed, order, decision
  reversed and why). Date entered care and the FFA date come from care episodes, not loaded.
- List 11 adopters -> Adopter, matched on the individual adopter identifier, not on a child;
  a newer workbook as at the same date replaces, for the households (family identifiers) in
  it, the adopters an earlier one created that it no longer lists (`adopters.py`, which also
  says which adopters the exported list holds).
- Derived columns (ages, counts in the last 12 months, case status, allocated team and worker,
  eligibility category) are not loaded: they are computed from the record on export.
Children are matched on the Child Unique ID; a new child is created with the list's gender,
ethnicity and date of birth; for a known child only blank fields are filled.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time

import polars as pl
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from safeguard.codes import cin
from safeguard.journey import models as jm
from safeguard.returns import bulk
from safeguard.returns.codec import LoadSummary

from . import adopters, spec
from .replace import FAMILY, in_scope, latest_referral, replace_period
from .rows import upsert
from .spec import SOURCE_PREFIX

NO_REFERRAL = "{model} without a referral"
SET_ASIDE_NOTE = "{list} row(s) set aside (their earlier rows of this period kept)"
_CATEGORY = {c.label: c.code for c in cin.CATEGORY_OF_ABUSE}
_IN_TOUCH = {v: k for k, v in spec.IN_TOUCH.items()}
_SUITABLE = {v: k for k, v in spec.SUITABILITY.items()}


def as_at_of(source: str, frames: dict[str, pl.DataFrame]) -> date:
    """The as-at date: named in the source ("annex-a:2019-06-30"), else inferred."""
    try:
        return date.fromisoformat(source.removeprefix(SOURCE_PREFIX))
    except ValueError:
        return inferred_as_at(frames)


def inferred_as_at(frames: dict[str, pl.DataFrame]) -> date:
    """The latest event date in the lists up to today (a workbook does not state its own as-at
    date, and its lists run up to it), else today."""
    today = date.today()
    latest = [
        df.select(pl.col(c).filter(pl.col(c) <= today).max()).item()
        for name, df in frames.items()
        if name in spec.LISTS
        for c, t in spec.schema(name).items()
        if t == pl.Date and c != "Date of Birth"
    ]
    latest = [d for d in latest if d is not None]
    return max(latest) if latest else today


@dataclass
class Run:
    """One load: its rows' source ("annex-a:<as-at date>"), the as-at date, and, by model, the
    ids of the record's rows the workbook holds (matched or created), so that afterwards the
    rows an earlier load of the same period wrote and this workbook no longer holds are known."""

    source: str
    as_at: date
    seen: dict[type[Model], list[int]] = field(default_factory=dict)

    def upsert(self, model, rows, *, keys, values, on_create=()) -> int:
        """`upsert` under this load's source, remembering the rows it matched or inserted."""
        return upsert(
            model,
            rows,
            keys=keys,
            values=values,
            source=self.source,
            on_create=on_create,
            seen=self.seen.setdefault(model, []),
        )


def to_record(frames: dict[str, pl.DataFrame], *, source: str) -> LoadSummary:
    """Load the lists that map (see module docstring) in one transaction, replacing what an
    earlier load of the same as-at date wrote that this workbook no longer holds."""
    as_at = as_at_of(source, frames)
    run = Run(source=f"{SOURCE_PREFIX}{as_at.isoformat()}", as_at=as_at)
    summary = LoadSummary()
    with transaction.atomic():
        ids, created = _children(frames, run.source)
        summary.children = ids.height
        summary.rows_written["Child"] = created
        L = {  # noqa: N806
            n: _list(frames, n).join(ids, on="Child Unique ID", how="inner")
            for n in spec.LISTS
            if n != adopters.LIST
        }
        for step in STEPS:
            _add(summary.rows_written, step(L, run))
        aside = _set_aside(frames)
        done = replace_period(in_scope(ids, frames.keys(), aside), run.source, run.seen)
        _add(summary.rows_written, done.written)
        summary.replaced = done.replaced
        spared = aside.filter(pl.col("list") == adopters.LIST).get_column("id")
        written, replaced = adopters.load(frames.get(adopters.LIST), run.source, spared=spared)
        summary.rows_written["Adopter"] = written
        _add(summary.replaced, replaced)
        _add(summary.rows_written, _set_aside_notes(aside))
    summary.unchanged = not summary.replaced and not any(
        n for name, n in summary.rows_written.items() if name in _MODELS
    )
    return summary


#: The summary's counts of rows written (the others are notes: rows not loaded, or kept).
_MODELS = {"Child", "Adopter", *(m.__name__ for m in FAMILY)}


def _list(frames: dict[str, pl.DataFrame], name: str) -> pl.DataFrame:
    """A list as read, or empty when the workbook does not hold it (loads nothing from it)."""
    return frames.get(name, pl.DataFrame(schema=spec.schema(name)))


def _set_aside(frames: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """The rows the reader set aside as unreadable: list and identifier (null if missing)."""
    empty = pl.DataFrame(schema={"list": pl.Utf8, "id": pl.Utf8})
    return frames.get(spec.SET_ASIDE, empty)


def _set_aside_notes(aside: pl.DataFrame) -> dict[str, int]:
    """The summary's note of the rows set aside, by list: the period's earlier rows of their
    children (or adopters) were kept, not replaced, so import the fixed workbook again."""
    counts = aside.group_by("list").len().sort("list").iter_rows()
    return {SET_ASIDE_NOTE.format(list=name): n for name, n in counts}


def _add(total: dict[str, int], counts: dict[str, int]) -> None:
    for name, n in counts.items():
        total[name] = total.get(name, 0) + n


def _children(frames, source: str) -> tuple[pl.DataFrame, int]:
    people = pl.concat(
        [
            _list(frames, n).select("Child Unique ID", "Gender", "Ethnicity", "Date of Birth")
            for n in spec.LISTS
            if n != adopters.LIST
        ]
    ).unique("Child Unique ID", keep="first")
    la_ids = people.get_column("Child Unique ID").to_list()
    known = _known(la_ids)
    new = people.join(known, on="Child Unique ID", how="anti")
    bulk.insert_frame(
        jm.Child,
        new.select(
            pl.col("Child Unique ID").alias("la_child_id"),
            pl.lit(source).alias("source"),
            pl.col("Gender").replace_strict(spec.GENDER, default="").alias("sex"),
            pl.col("Ethnicity").fill_null("").alias("ethnicity"),
            pl.col("Date of Birth").alias("date_of_birth"),
        ),
    )
    _fill_blanks(people, known)
    return _known(la_ids).select("Child Unique ID", "child_id"), new.height


def _known(la_ids: list[str]) -> pl.DataFrame:
    rows: list[tuple] = []
    for part in bulk.in_parts(la_ids):
        rows.extend(
            jm.Child.objects.filter(la_child_id__in=part).values_list(
                "la_child_id", "id", "sex", "ethnicity", "date_of_birth"
            )
        )
    return pl.DataFrame(
        rows,
        orient="row",
        schema={
            "Child Unique ID": pl.Utf8,
            "child_id": pl.Int64,
            "sex": pl.Utf8,
            "ethnicity": pl.Utf8,
            "dob": pl.Date,
        },
    )


def _fill_blanks(people: pl.DataFrame, known: pl.DataFrame) -> None:
    both = known.join(people, on="Child Unique ID").with_columns(
        pl.col("Gender").replace_strict(spec.GENDER, default=None).alias("g")
    )
    todo = both.filter(
        ((pl.col("sex") == "") & pl.col("g").is_not_null())
        | ((pl.col("ethnicity") == "") & pl.col("Ethnicity").is_not_null())
        | (pl.col("dob").is_null() & pl.col("Date of Birth").is_not_null())
    )
    bulk.update_frame(
        jm.Child,
        todo.select(
            pl.col("child_id").alias("id"),
            _kept_or("sex", pl.col("g")).alias("sex"),
            _kept_or("ethnicity", pl.col("Ethnicity")).alias("ethnicity"),
            pl.coalesce("dob", "Date of Birth").alias("date_of_birth"),
        ),
    )


def _kept_or(column: str, other: pl.Expr) -> pl.Expr:
    """The record's value unless it is blank, else the list's (blank if it has none)."""
    return pl.when(pl.col(column) != "").then(pl.col(column)).otherwise(other.fill_null(""))


def _contacts(L, run: Run):  # noqa: N803
    tz = timezone.get_current_timezone()
    df = L["List 1"].select(
        "child_id",
        pl.col("Date of Contact").alias("d"),
        pl.col("Contact Source").fill_null("").alias("contact_source"),
    )
    stamps = [
        timezone.make_aware(datetime.combine(d, time.min), tz) if d else None
        for d in df.get_column("d").to_list()
    ]
    df = df.drop("d").with_columns(
        pl.Series("received_at", stamps, dtype=pl.Datetime("us", str(tz)))
    )
    df = _same_day_contacts(df, run.source)
    return {
        "Contact": run.upsert(
            jm.Contact,
            df,
            keys=["child_id", "received_at", "contact_source"],
            values=[],
        )
    }


def _same_day_contacts(df: pl.DataFrame, source: str) -> pl.DataFrame:
    """Use the time of a contact the record already has on that day from that source, so a
    contact recorded at 10:40 is the same contact as the list's row for that date. When there
    are several, this period's own is the one (the others are not replaced for it)."""
    child_ids = df.get_column("child_id").unique().to_list()
    rows: list[tuple] = []
    for part in bulk.in_parts(child_ids):
        rows.extend(
            jm.Contact.objects.filter(child_id__in=part).values_list(
                "child_id", "received_at", "contact_source", "source"
            )
        )
    tz = timezone.get_current_timezone_name()
    old = pl.DataFrame(
        rows,
        orient="row",
        schema={
            "child_id": pl.Int64,
            "at": pl.Datetime("us", "UTC"),
            "contact_source": pl.Utf8,
            "source": pl.Utf8,
        },
    )
    old = (
        old.with_columns(pl.col("at").dt.convert_time_zone(tz))
        .with_columns(pl.col("at").dt.date().alias("d"))
        .sort(pl.col("source") != source, "at")
        .unique(["child_id", "d", "contact_source"], keep="first", maintain_order=True)
        .drop("source")
    )
    df = df.with_columns(pl.col("received_at").dt.date().alias("d"))
    df = df.join(old, on=["child_id", "d", "contact_source"], how="left")
    return df.with_columns(pl.coalesce("at", "received_at").alias("received_at")).drop("d", "at")


def _early_help(L, run: Run):  # noqa: N803
    df = L["List 2"].select(
        "child_id",
        pl.col("Assessment start date").alias("start_date"),
        pl.col("Assessment completion date").alias("end_date"),
        pl.col("Organisation completing assessment").fill_null("").alias("lead_professional"),
    )
    df = df.filter(pl.col("start_date").is_not_null())
    return {
        "EarlyHelpEpisode": run.upsert(
            jm.EarlyHelpEpisode,
            df,
            keys=["child_id", "start_date"],
            values=["end_date", "lead_professional"],
        )
    }


def _referrals(L, run: Run):  # noqa: N803
    l3 = L["List 3"].select(
        "child_id",
        pl.col("Date of referral").alias("referral_date"),
        pl.col("Referral Source").fill_null("").alias("referral_source"),
        spec.flag(pl.col("Referral NFA?")).fill_null(False).alias("referral_nfa"),
    )
    l6 = L["List 6"].select(
        "child_id",
        pl.col("CIN Start Date").alias("referral_date"),
        pl.col("Primary Need Code").fill_null("").alias("primary_need"),
        pl.col("CIN Closure Date").alias("closure_date"),
        pl.col("Reason for Closure").fill_null("").alias("reason_for_closure"),
    )
    keys = ["child_id", "referral_date"]
    n = run.upsert(
        jm.Referral,
        l3.filter(pl.col("referral_date").is_not_null()),
        keys=keys,
        values=["referral_source", "referral_nfa"],
    )
    n += run.upsert(
        jm.Referral,
        l6.filter(pl.col("referral_date").is_not_null()),
        keys=keys,
        values=["primary_need", "closure_date", "reason_for_closure"],
    )
    return {"Referral": n}


def _hung(model, df, on: str, *, keys, values, run: Run) -> dict[str, int]:
    df = latest_referral(df.filter(pl.col(on).is_not_null()), on)
    orphans = df.filter(pl.col("referral_id").is_null()).height
    out = {
        model.__name__: run.upsert(
            model,
            df.filter(pl.col("referral_id").is_not_null()),
            keys=keys,
            values=values,
            on_create=["referral_id"],
        )
    }
    if orphans:
        out[NO_REFERRAL.format(model=model.__name__)] = orphans
    return out


def _assessments(L, run: Run):  # noqa: N803
    df = L["List 4"].select(
        "child_id",
        pl.col("Continuous Assessment Start Date").alias("start_date"),
        pl.col("Continuous Assessment Date of Authorisation").alias("authorisation_date"),
    )
    return _hung(
        jm.Assessment,
        df,
        "start_date",
        keys=["child_id", "start_date"],
        values=["authorisation_date"],
        run=run,
    )


def _section47s(L, run: Run):  # noqa: N803
    cols = spec.LISTS["List 5"]
    df = L["List 5"].select(
        "child_id",
        pl.col(cols[6]).alias("strategy_discussion_date"),
        spec.flag(pl.col(cols[7])).fill_null(False).alias("icpc_not_required"),
        pl.col(cols[8]).alias("icpc"),
        spec.flag(pl.col(cols[9])).alias("cpp"),
    )
    out = _hung(
        jm.Section47,
        df.select("child_id", "strategy_discussion_date", "icpc_not_required"),
        "strategy_discussion_date",
        keys=["child_id", "strategy_discussion_date"],
        values=["icpc_not_required"],
        run=run,
    )
    s47 = _ids(jm.Section47, "strategy_discussion_date", df)
    conf = (
        df.filter(pl.col("icpc").is_not_null())
        .join(s47, on=["child_id", "strategy_discussion_date"])
        .select(
            "child_id",
            pl.lit("ICPC").alias("kind"),
            pl.col("icpc").alias("date"),
            pl.col("id").alias("section47_id"),
            pl.when(pl.col("cpp")).then(pl.lit("CPP")).otherwise(pl.lit("")).alias("outcome"),
        )
    )
    out["Conference"] = run.upsert(
        jm.Conference,
        conf,
        keys=["child_id", "kind", "date"],
        values=["section47_id", "outcome"],
    )
    return out


def _ids(model, on: str, df: pl.DataFrame) -> pl.DataFrame:
    child_ids = df.get_column("child_id").unique().to_list()
    rows: list[tuple] = []
    for part in bulk.in_parts(child_ids):
        rows.extend(model.objects.filter(child_id__in=part).values_list("child_id", on, "id"))
    return pl.DataFrame(
        rows, orient="row", schema={"child_id": pl.Int64, on: pl.Date, "id": pl.Int64}
    ).unique(["child_id", on])


def _cp_plans(L, run: Run):  # noqa: N803
    cols = spec.LISTS["List 7"]
    df = L["List 7"].select(
        "child_id",
        pl.col(cols[6]).alias("start_date"),
        pl.col(cols[12]).alias("end_date"),
        pl.col(cols[7]).replace_strict(_CATEGORY, default="").alias("initial_category"),
        pl.col(cols[8]).replace_strict(_CATEGORY, default="").alias("latest_category"),
        pl.col(cols[14]).fill_null(0).alias("previous_plans"),
        pl.col(cols[9]).alias("visit"),
        spec.flag(pl.col(cols[10])).alias("alone"),
        pl.col(cols[11]).alias("review"),
    )
    plan_cols = [
        "child_id",
        "start_date",
        "end_date",
        "initial_category",
        "latest_category",
        "previous_plans",
    ]
    out = _hung(
        jm.ChildProtectionPlan,
        df.select(plan_cols),
        "start_date",
        keys=["child_id", "start_date"],
        values=plan_cols[2:],
        run=run,
    )
    visits = df.filter(pl.col("visit").is_not_null()).select(
        "child_id",
        pl.col("visit").alias("date"),
        pl.lit("CP").alias("kind"),
        pl.lit(True).alias("seen"),
        pl.col("alone").fill_null(False).alias("seen_alone"),
    )
    out["Visit"] = run.upsert(
        jm.Visit,
        visits,
        keys=["child_id", "date", "kind"],
        values=["seen", "seen_alone"],
    )
    plans = _ids(jm.ChildProtectionPlan, "start_date", df)
    reviews = (
        df.filter(pl.col("review").is_not_null())
        .join(plans, on=["child_id", "start_date"])
        .select(
            "child_id",
            pl.lit("RCPC").alias("kind"),
            pl.col("review").alias("date"),
            pl.col("id").alias("cp_plan_id"),
        )
    )
    out["Conference"] = run.upsert(
        jm.Conference,
        reviews,
        keys=["child_id", "kind", "date"],
        values=["cp_plan_id"],
    )
    return out


def _looked_after(L, run: Run):  # noqa: N803
    cols = spec.LISTS["List 8"]
    df = L["List 8"]
    reviews = df.filter(pl.col(cols[11]).is_not_null()).select(
        "child_id", pl.col(cols[11]).alias("date")
    )
    visits = df.filter(pl.col(cols[12]).is_not_null()).select(
        "child_id",
        pl.col(cols[12]).alias("date"),
        pl.lit("CLA").alias("kind"),
        pl.lit(True).alias("seen"),
    )
    return {
        "LookedAfterReview": run.upsert(
            jm.LookedAfterReview, reviews, keys=["child_id", "date"], values=[]
        ),
        "Visit": run.upsert(jm.Visit, visits, keys=["child_id", "date", "kind"], values=["seen"]),
    }


def _care_leavers(L, run: Run):  # noqa: N803
    df = L["List 9"].select(
        "child_id",
        pl.lit(run.as_at).alias("date"),
        pl.col("LA in Touch").replace_strict(_IN_TOUCH, default="").alias("in_touch"),
        pl.col("Activity Status").fill_null("").alias("activity"),
        pl.when(pl.col("Type of Accommodation").is_null())
        .then(pl.lit(""))
        .otherwise(
            pl.col("Type of Accommodation")
            + pl.col("Suitability of Accommodation").replace_strict(_SUITABLE, default="")
        )
        .alias("accommodation"),
    )
    df = _latest_contact_date(df, run.as_at)
    return {
        "CareLeaverContact": run.upsert(
            jm.CareLeaverContact,
            df,
            keys=["child_id", "date"],
            values=["in_touch", "activity", "accommodation"],
        )
    }


def _latest_contact_date(df: pl.DataFrame, as_at: date) -> pl.DataFrame:
    """List 9 has no date: a care leaver already contacted in the list's twelve months is that
    contact (its date kept); only others get a contact dated on the as-at date."""
    from .export import period

    start, _ = period("List 9", as_at)
    rows = jm.CareLeaverContact.objects.filter(date__range=(start, as_at)).values_list(
        "child_id", "date"
    )
    old = pl.DataFrame(list(rows), orient="row", schema={"child_id": pl.Int64, "old": pl.Date})
    old = old.group_by("child_id").agg(pl.col("old").max())
    return (
        df.join(old, on="child_id", how="left")
        .with_columns(pl.coalesce("old", "date").alias("date"))
        .drop("old")
    )


def _adoptions(L, run: Run):  # noqa: N803
    c = spec.LISTS["List 10"]
    df = L["List 10"].select(
        "child_id",
        pl.col(c[8]).alias("decision_date"),
        pl.col(c[9]).alias("placement_order_date"),
        pl.col(c[10]).alias("match_date"),
        pl.col(c[11]).alias("placed_date"),
        pl.col(c[12]).alias("order_date"),
        pl.col(c[13]).alias("decision_ceased_date"),
        pl.col(c[14]).fill_null("").alias("decision_ceased_reason"),
    )
    df = df.filter(pl.col("decision_date").is_not_null())
    return {
        "Adoption": run.upsert(
            jm.Adoption,
            df,
            keys=["child_id", "decision_date"],
            values=df.columns[2:],
        )
    }


#: The lists' loads, in order: referrals before what hangs on them.
STEPS = (
    _contacts,
    _early_help,
    _referrals,
    _assessments,
    _section47s,
    _cp_plans,
    _looked_after,
    _care_leavers,
    _adoptions,
)
