"""The catalogue of measures: each performance indicator declared once, with its definition.

A `Measure` is data: id, title, plain-English definition, the rows of its numerator and
denominator (functions `(JourneyFrames, Window) -> polars frame` with a ``child_id`` column, so
the children behind a figure come free), period kind, unit, polarity, local target and amber
tolerance, the source of the definition and the tables it needs. The engine (`engine.py`) runs
them; nothing here loops over rows.

Conventions (kpis.md):
- "open at d": start <= d and (end is null or end > d);
- "in the period": start <= date <= as-at date, both inclusive;
- timeliness uses the declarations of `safeguard.timescales` (the same as the screens' due
  dates): on time means done on or before the due date; overdue means due date < as-at date;
- children looked after only under short-break legal statuses V3/V4 are excluded from every
  looked-after measure;
- "team" and "worker" scopes attribute each row to the worker and team holding the child's case
  at the as-at date (workforce allocations), whatever the team when the event happened;
  workforce measures use the worker's own team.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

import polars as pl

from safeguard.codes import ssda903
from safeguard.timescales import declarations as ts
from safeguard.timescales import due

from .frames import CHILD_KEY, JourneyFrames

#: Children aged 0-17 in the default (seed) council: "Children ... numbering 36,000".
DEFAULT_POPULATION = 36_000

PeriodKind = Literal["as_at", "flow", "12m"]
Unit = Literal["count", "percent", "per_10k", "days", "weeks", "ratio"]
Polarity = Literal["higher", "lower", "neutral"]
CountBy = Literal["children", "rows"]


@dataclass(frozen=True)
class Window:
    """What a measure is computed for: an as-at date, the period to it, the local standards."""

    as_at: date
    start: date  # first day of the period (inclusive); as_at is its last day
    standards: Mapping[str, int]

    def timescale(self, id_: str) -> ts.Timescale:
        return ts.TIMESCALES[id_].resolve(self.standards)


Rows = Callable[[JourneyFrames, Window], pl.DataFrame]


@dataclass(frozen=True)
class Measure:
    """One indicator. `numerator`/`denominator` give rows (one per child or event)."""

    id: str
    title: str
    definition: str
    numerator: Rows
    denominator: Rows | None = None
    period: PeriodKind = "flow"
    unit: Unit = "count"
    polarity: Polarity = "neutral"
    target: float | None = None
    tolerance: float | None = None  # amber band beyond the target
    source: str = ""
    count_by: CountBy = "children"
    needs: frozenset[str] = field(default_factory=frozenset)  # record-only tables it reads
    local: bool = False  # the definition uses a local standard (setting)


# --- Small building blocks -----------------------------------------------------------------


def _in(df: pl.DataFrame, col: str, w: Window) -> pl.DataFrame:
    return df.filter(pl.col(col).is_between(w.start, w.as_at))


def _ids(df: pl.DataFrame) -> pl.DataFrame:
    return df.select("child_id").unique()


def _due_after(interval: ts.Interval, col: str) -> pl.Expr:
    return interval.add_expr(pl.col(col))


def _months(d: date, n: int) -> date:
    from safeguard.calendar import add_months

    return add_months(d, n)


def _age_at_least(dob: pl.Expr, years: int, d: date) -> pl.Expr:
    """Whether the child has had their ``years``-th birthday on or before ``d``."""
    return dob.dt.offset_by(f"{years}y") <= d


# --- Front door ----------------------------------------------------------------------------


def early_help_open(f: JourneyFrames, w: Window) -> pl.DataFrame:
    return _ids(due.open_at(f.early_help, w.as_at))


def contacts(f: JourneyFrames, w: Window) -> pl.DataFrame:
    return _in(f.contacts, "received", w)


def contacts_nfa(f: JourneyFrames, w: Window) -> pl.DataFrame:
    return contacts(f, w).filter(pl.col("decision") == "NFA", pl.col("decided") <= w.as_at)


def referrals(f: JourneyFrames, w: Window) -> pl.DataFrame:
    return _in(f.referrals, "referral_date", w)


def _with_due(f: JourneyFrames, table: str, interval: ts.Interval, start: str) -> pl.DataFrame:
    """The table with ``_due`` (its timescale's due date), computed once per frames: date
    arithmetic over a whole table costs far more than the per-date filters."""
    key = ("due", table, interval, start)
    return due.memo(
        f, key, lambda: f.tables[table].with_columns(_due=interval.add_expr(pl.col(start)))
    )


def _referrals_due(f: JourneyFrames, w: Window) -> pl.DataFrame:
    iv = w.timescale("referral_decision").first
    return _in(_with_due(f, "referrals", iv, "referral_date"), "referral_date", w)


def referrals_decision_due(f: JourneyFrames, w: Window) -> pl.DataFrame:
    """Referrals in the period decided by the as-at date or whose decision is overdue."""
    return _referrals_due(f, w).filter((pl.col("decided") <= w.as_at) | (pl.col("_due") < w.as_at))


def referrals_decided_on_time(f: JourneyFrames, w: Window) -> pl.DataFrame:
    return _referrals_due(f, w).filter(
        pl.col("decided") <= w.as_at, pl.col("decided") <= pl.col("_due")
    )


def rereferrals(f: JourneyFrames, w: Window) -> pl.DataFrame:
    """Referrals in the period with an earlier referral of the child on or after the same
    date 12 months before (a re-referral exactly 12 months on counts)."""
    now = referrals(f, w).with_row_index("_row")
    prev = f.referrals.select("child_id", prev_date="referral_date")
    hits = now.join(prev, on="child_id").filter(
        pl.col("prev_date") < pl.col("referral_date"),
        pl.col("prev_date") >= pl.col("referral_date").dt.offset_by("-12mo"),
    )
    return now.filter(pl.col("_row").is_in(hits["_row"].implode())).drop("_row")


def referrals_nfa(f: JourneyFrames, w: Window) -> pl.DataFrame:
    return referrals(f, w).filter(pl.col("nfa"))


# --- Assessment ----------------------------------------------------------------------------


def _assessments(f: JourneyFrames) -> pl.DataFrame:
    return _with_due(f, "assessments", ts.ASSESSMENT.first, "start")


def assessments_completed(f: JourneyFrames, w: Window) -> pl.DataFrame:
    return _in(f.assessments, "authorised", w)


def assessments_on_time(f: JourneyFrames, w: Window) -> pl.DataFrame:
    return _in(_assessments(f), "authorised", w).filter(pl.col("authorised") <= pl.col("_due"))


def assessments_open_overdue(f: JourneyFrames, w: Window) -> pl.DataFrame:
    return due.open_at(_assessments(f), w.as_at, "start", "authorised").filter(
        pl.col("_due") < w.as_at
    )


def cin_plans_open(f: JourneyFrames, w: Window) -> pl.DataFrame:
    return _ids(due.open_at(f.cin_plans, w.as_at))


# --- Child protection ----------------------------------------------------------------------


def s47_started(f: JourneyFrames, w: Window) -> pl.DataFrame:
    return _in(f.s47, "start", w)


def icpcs(f: JourneyFrames, w: Window) -> pl.DataFrame:
    return _in(f.s47, "icpc_date", w)


def icpcs_timed(f: JourneyFrames, w: Window) -> pl.DataFrame:
    """ICPCs in the period after their S47 start (DfE table C4 drops ICPCs before it)."""
    return icpcs(f, w).filter(pl.col("icpc_date") >= pl.col("start"))


def icpcs_on_time(f: JourneyFrames, w: Window) -> pl.DataFrame:
    s47 = _in(_with_due(f, "s47", ts.ICPC.first, "start"), "icpc_date", w)
    return s47.filter(pl.col("icpc_date") >= pl.col("start"), pl.col("icpc_date") <= pl.col("_due"))


def icpcs_to_plan(f: JourneyFrames, w: Window) -> pl.DataFrame:
    return icpcs(f, w).filter(pl.col("icpc_to_plan"))


def cpp_open(f: JourneyFrames, w: Window) -> pl.DataFrame:
    return _ids(due.open_at(f.cp_plans, w.as_at))


def cpp_started(f: JourneyFrames, w: Window) -> pl.DataFrame:
    return _in(f.cp_plans, "start", w)


def _earlier_plans(f: JourneyFrames, w: Window) -> pl.DataFrame:
    """Plans started in the period joined to each earlier plan of the same child."""
    earlier = f.cp_plans.select("child_id", prev_start="start", prev_end="end")
    return (
        cpp_started(f, w)
        .join(earlier, on="child_id")
        .filter(pl.col("prev_start") < pl.col("start"))
    )


def cpp_second_time(f: JourneyFrames, w: Window) -> pl.DataFrame:
    """Plans started in the period where the child had a plan before (the census count of
    previous plans, or an earlier plan in the record)."""
    started = cpp_started(f, w)
    with_history = _earlier_plans(f, w).select("child_id", "start").unique()
    by_count = started.filter(pl.col("previous_plans") > 0).select("child_id", "start")
    keys = pl.concat([with_history, by_count]).unique()
    return started.join(keys, on=["child_id", "start"], how="semi")


def cpp_second_time_2y(f: JourneyFrames, w: Window) -> pl.DataFrame:
    """Plans started in the period where an earlier plan ended within 24 months before."""
    hits = (
        _earlier_plans(f, w)
        .filter(
            pl.col("prev_end").is_not_null(),
            pl.col("prev_end") <= pl.col("start"),
            pl.col("prev_end") >= pl.col("start").dt.offset_by("-24mo"),
        )
        .select("child_id", "start")
        .unique()
    )
    return cpp_started(f, w).join(hits, on=["child_id", "start"], how="semi")


def cpp_over_2y_open(f: JourneyFrames, w: Window) -> pl.DataFrame:
    return _ids(due.open_at(f.cp_plans, w.as_at).filter(pl.col("start") <= _months(w.as_at, -24)))


def cpp_ended(f: JourneyFrames, w: Window) -> pl.DataFrame:
    return _in(f.cp_plans, "end", w)


def cpp_ended_over_2y(f: JourneyFrames, w: Window) -> pl.DataFrame:
    return cpp_ended(f, w).filter(pl.col("end") >= pl.col("start").dt.offset_by("24mo"))


def _cpp_3_months(f: JourneyFrames, w: Window) -> pl.DataFrame:
    return due.open_at(f.cp_plans, w.as_at).filter(pl.col("start") <= _months(w.as_at, -3))


def cpp_review_cohort(f: JourneyFrames, w: Window) -> pl.DataFrame:
    """Children on a plan at the as-at date that began at least 3 months before it."""
    return _ids(_cpp_3_months(f, w))


def cpp_reviews_on_time(f: JourneyFrames, w: Window) -> pl.DataFrame:
    ok = due.reviews_on_time(f, "cp", _cpp_3_months(f, w), w.as_at)
    return _ids(ok.filter(pl.col("on_time")))


# --- Looked after --------------------------------------------------------------------------

_SHORT_BREAKS = due.SHORT_BREAKS


def _cla_episodes(f: JourneyFrames) -> pl.DataFrame:
    return f.episodes.filter(~pl.col("ls").is_in(_SHORT_BREAKS))


def cla_open(f: JourneyFrames, w: Window) -> pl.DataFrame:
    return _ids(due.cla_now(f, w.as_at))


def cla_started(f: JourneyFrames, w: Window) -> pl.DataFrame:
    return _in(_cla_episodes(f).filter(pl.col("rne") == "S"), "start", w)


def cla_ended(f: JourneyFrames, w: Window) -> pl.DataFrame:
    """Periods of care ending in the period (an episode ending other than by X1)."""
    ended = _cla_episodes(f).filter(pl.col("rec").is_not_null(), pl.col("rec") != "X1")
    return _in(ended, "end", w)


def cla_s20_open(f: JourneyFrames, w: Window) -> pl.DataFrame:
    return _ids(due.cla_now(f, w.as_at).filter(pl.col("ls") == "V2"))


def cla_3plus_placements(f: JourneyFrames, w: Window) -> pl.DataFrame:
    """Looked-after children at the as-at date with 3+ placements in the 12 months to it.

    The first placement in the window counts 1 whatever its RNE; each later episode starting
    in the window with RNE S, P or B (a new carer) counts 1; L, T and U (same carer) do not.
    """
    window_start = _months(w.as_at, -12) + (date(2000, 1, 2) - date(2000, 1, 1))
    eps = (
        _cla_episodes(f)
        .filter(
            pl.col("start") <= w.as_at, pl.col("end").is_null() | (pl.col("end") >= window_start)
        )
        .sort("child_id", "start")
    )
    counted = eps.with_columns(
        counts=(pl.int_range(pl.len()).over("child_id") == 0)
        | (pl.col("rne").is_in(["S", "P", "B"]) & (pl.col("start") >= window_start))
    )
    three = counted.group_by("child_id").agg(n=pl.col("counts").sum()).filter(pl.col("n") >= 3)
    return cla_open(f, w).join(three.select("child_id"), on="child_id", how="semi")


def _stability_cohort(f: JourneyFrames, w: Window) -> pl.DataFrame:
    cla = due.cla_with_dates(f, w.as_at)
    dob = f.children.join(cla, on="child_id", how="semi").select("child_id", "dob")
    return cla.join(dob, on="child_id", how="left").filter(
        ~_age_at_least(pl.col("dob"), 16, w.as_at),
        pl.col("care_start") <= _months(w.as_at, -30),
    )


def stability_cohort(f: JourneyFrames, w: Window) -> pl.DataFrame:
    return _ids(_stability_cohort(f, w))


def stable_placements(f: JourneyFrames, w: Window) -> pl.DataFrame:
    return _ids(_stability_cohort(f, w).filter(pl.col("placement_start") <= _months(w.as_at, -24)))


def cla_fostered(f: JourneyFrames, w: Window) -> pl.DataFrame:
    foster = sorted(ssda903.FOSTER_PLACEMENTS)
    return _ids(due.cla_now(f, w.as_at).filter(pl.col("place").is_in(foster)))


def cla_in_house_fostered(f: JourneyFrames, w: Window) -> pl.DataFrame:
    return _ids(
        due.cla_now(f, w.as_at).filter(
            pl.col("place").is_in(sorted(ssda903.FOSTER_PLACEMENTS)),
            pl.col("provider").is_in(sorted(ssda903.IN_HOUSE_FOSTER_PROVIDERS)),
        )
    )


def _cla_review_starts(f: JourneyFrames, w: Window) -> pl.DataFrame:
    """Looked-after children whose first review was due by the as-at date."""
    first = ts.LAC_REVIEW.first
    return (
        due.cla_with_dates(f, w.as_at)
        .select("child_id", start="care_start")
        .filter(first.add_expr(pl.col("start")) <= w.as_at)
    )


def cla_review_cohort(f: JourneyFrames, w: Window) -> pl.DataFrame:
    return _ids(_cla_review_starts(f, w))


def cla_reviews_on_time(f: JourneyFrames, w: Window) -> pl.DataFrame:
    ok = due.reviews_on_time(f, "lac", _cla_review_starts(f, w), w.as_at)
    return _ids(ok.filter(pl.col("on_time")))


def cla_missing_children(f: JourneyFrames, w: Window) -> pl.DataFrame:
    return _ids(_in(f.missing.filter(pl.col("kind") == "M"), "start", w))


def missing_returned(f: JourneyFrames, w: Window) -> pl.DataFrame:
    return _in(f.missing.filter(pl.col("returned").is_not_null()), "end", w)


def rhi_on_time(f: JourneyFrames, w: Window) -> pl.DataFrame:
    due = ts.RETURN_HOME_INTERVIEW.first.add_expr(pl.col("returned"))
    return missing_returned(f, w).filter(pl.col("rhi_offered") <= due)


# --- Care leavers --------------------------------------------------------------------------

_EET = ["F1", "P1", "F2", "P2", "F3", "P3", "F4", "P4", "F5", "P5"]


def care_leaver_cohort(f: JourneyFrames, w: Window) -> pl.DataFrame:
    """Care leavers' latest birthday contact (OC3) in the period, less those who died or
    returned home for 6 months (DfE excludes them)."""
    latest = _in(f.care_leavers, "date", w).sort("date").unique("child_id", keep="last")
    return latest.filter(~pl.col("in_touch").is_in(["DIED", "RHOM"]))


def care_leavers_in_touch(f: JourneyFrames, w: Window) -> pl.DataFrame:
    return care_leaver_cohort(f, w).filter(pl.col("in_touch") == "YES")


def care_leavers_suitable(f: JourneyFrames, w: Window) -> pl.DataFrame:
    return care_leaver_cohort(f, w).filter(pl.col("accom").is_in(sorted(ssda903.SUITABLE_ACCOM)))


def care_leavers_eet(f: JourneyFrames, w: Window) -> pl.DataFrame:
    return care_leaver_cohort(f, w).filter(pl.col("activ").is_in(_EET))


# --- Adoption and proceedings --------------------------------------------------------------


def _placement_order_dates(f: JourneyFrames) -> pl.DataFrame:
    """Per child, the placement order: the earlier of the recorded date and the start of the
    first episode under legal status E1 (kpis.md section E)."""
    recorded = f.adoptions.select("child_id", date="placement_order_date")
    from_903 = f.episodes.filter(pl.col("ls") == "E1").select("child_id", date="start")
    return (
        pl.concat([recorded, from_903]).drop_nulls().group_by("child_id").agg(pl.col("date").min())
    )


def placement_orders(f: JourneyFrames, w: Window) -> pl.DataFrame:
    return _in(_placement_order_dates(f), "date", w)


def adoptions(f: JourneyFrames, w: Window) -> pl.DataFrame:
    """Children adopted in the period: an episode ended with REC E11 or E12."""
    return (
        _in(f.episodes.filter(pl.col("rec").is_in(["E11", "E12"])), "end", w)
        .select("child_id", adopted="end")
        .unique("child_id")
    )


def adoption_a1(f: JourneyFrames, w: Window) -> pl.DataFrame:
    """Children adopted in the period with ``value`` = days from entering care (start of the
    period of care) to moving in with the adoptive family (first A3-A6 placement in it, or the
    recorded placement date)."""
    adopted = adoptions(f, w)
    care = (
        f.episodes.filter(pl.col("rne") == "S")
        .join(adopted, on="child_id")
        .filter(pl.col("start") <= pl.col("adopted"))
        .group_by("child_id")
        .agg(care_start=pl.col("start").max())
    )
    placed = (
        f.episodes.filter(pl.col("place").is_in(sorted(ssda903.ADOPTION_PLACEMENTS)))
        .join(care, on="child_id")
        .filter(pl.col("start") >= pl.col("care_start"))
        .group_by("child_id")
        .agg(placed=pl.col("start").min())
    )
    recorded = f.adoptions.group_by("child_id").agg(recorded=pl.col("placed_date").max())
    out = care.join(placed, on="child_id", how="left").join(recorded, on="child_id", how="left")
    return out.with_columns(
        value=(pl.coalesce("placed", "recorded") - pl.col("care_start")).dt.total_days()
    ).drop_nulls("value")


def adoption_a2(f: JourneyFrames, w: Window) -> pl.DataFrame:
    """Children adopted in the period with ``value`` = days from the placement order to the
    match with adopters."""
    orders = _placement_order_dates(f).rename({"date": "order"})
    match = f.adoptions.group_by("child_id").agg(match=pl.col("match_date").max())
    out = adoptions(f, w).join(orders, on="child_id").join(match, on="child_id")
    return out.with_columns(value=(pl.col("match") - pl.col("order")).dt.total_days()).drop_nulls(
        "value"
    )


def proceedings_concluded(f: JourneyFrames, w: Window) -> pl.DataFrame:
    return _in(
        f.proceedings.filter(pl.col("issue_date").is_not_null()), "final_order_date", w
    ).with_columns(value=(pl.col("final_order_date") - pl.col("issue_date")).dt.total_days() / 7)


def proceedings_on_time(f: JourneyFrames, w: Window) -> pl.DataFrame:
    due = ts.PROCEEDINGS.first.add_expr(pl.col("issue_date"))
    return proceedings_concluded(f, w).filter(pl.col("final_order_date") <= due)


# --- Visits and supervision ----------------------------------------------------------------


def _in_timescale(due_rows: pl.DataFrame, d: date) -> pl.DataFrame:
    """Children whose next item is due on or after ``d``: within the standard today."""
    return _ids(due_rows.filter(pl.col("due") >= d))


def visits_cp_on_time(f: JourneyFrames, w: Window) -> pl.DataFrame:
    return _in_timescale(due.cp_visit_due(f, w.as_at, w.standards), w.as_at)


def visits_cin_on_time(f: JourneyFrames, w: Window) -> pl.DataFrame:
    return _in_timescale(due.cin_visit_due(f, w.as_at, w.standards), w.as_at)


def visits_cla_on_time(f: JourneyFrames, w: Window) -> pl.DataFrame:
    return _in_timescale(due.lac_visit_due(f, w.as_at), w.as_at)


def supervision_cp_on_time(f: JourneyFrames, w: Window) -> pl.DataFrame:
    return _in_timescale(due.supervision_due(f, w.as_at, w.standards, "cp"), w.as_at)


def supervision_cin_on_time(f: JourneyFrames, w: Window) -> pl.DataFrame:
    return _in_timescale(due.supervision_due(f, w.as_at, w.standards, "cin"), w.as_at)


def supervision_cla_on_time(f: JourneyFrames, w: Window) -> pl.DataFrame:
    return _in_timescale(due.supervision_due(f, w.as_at, w.standards, "cla"), w.as_at)


# --- Workforce -----------------------------------------------------------------------------

_CASE_HOLDERS = ["SW", "ASW"]


def case_holders(f: JourneyFrames, w: Window) -> pl.DataFrame:
    """Social workers in post at the as-at date (one row each, with their team)."""
    return (
        due.open_at(f.workers, w.as_at, "start", "leave")
        .filter(pl.col("role").is_in(_CASE_HOLDERS))
        .select("worker_id", "team_id", child_id=pl.lit(None, dtype=CHILD_KEY))
    )


def agency_case_holders(f: JourneyFrames, w: Window) -> pl.DataFrame:
    agency = f.workers.filter(pl.col("agency")).select("worker_id")
    return case_holders(f, w).join(agency, on="worker_id", how="semi")


def cases_held(f: JourneyFrames, w: Window) -> pl.DataFrame:
    """Children allocated at the as-at date to a social worker in post (one row per case)."""
    holders = case_holders(f, w).select("worker_id", "team_id")
    return (
        due.open_at(f.allocations, w.as_at)
        .select("child_id", "worker_id")
        .join(holders, on="worker_id", how="inner")
    )


# --- The catalogue -------------------------------------------------------------------------

_CIN = "DfE Characteristics of children in need (CIN census); kpis.md section A/B"
_CLA = "DfE Children looked after in England (SSDA903); kpis.md section C"
_LEAVERS = "DfE care leavers (SSDA903 OC3); kpis.md section D"
_ADOPT = "Adoption scorecard (Adoption Leadership Board); kpis.md section E"
_ANNEX_A = "Ofsted Annex A / local definition"
_LOCAL = "Local standard: setting SAFEGUARD_LOCAL_STANDARDS (seed council's practice)"
_SEED = "Seed council's self-evaluation data table"
_FRONT = frozenset({"contacts"})


def _ref(f: JourneyFrames, w: Window) -> pl.DataFrame:
    return referrals(f, w)


CATALOGUE_LIST: tuple[Measure, ...] = (
    Measure(
        "early_help_open",
        "Children with an open early help assessment",
        "Children with an early help episode open at the as-at date.",
        early_help_open,
        period="as_at",
        source=_SEED,
        needs=frozenset({"early_help"}),
    ),
    Measure(
        "contacts",
        "Contacts",
        "Contacts received at the front door in the period "
        "(every enquiry recorded, not a DfE statistic).",
        contacts,
        count_by="rows",
        source=_ANNEX_A + " (List 1)",
        needs=_FRONT,
    ),
    Measure(
        "contacts_nfa_pct",
        "Contacts with no further action (%)",
        "Contacts received in the period whose MASH decision (by the as-at date) was no "
        "further action, as a share of contacts received in the period.",
        contacts_nfa,
        contacts,
        unit="percent",
        polarity="neutral",
        count_by="rows",
        source=_SEED,
        needs=_FRONT,
    ),
    Measure(
        "referrals",
        "Referrals",
        "Referrals (episodes of need) with a referral date in "
        "the period, counting each referral, including those with no further action.",
        referrals,
        count_by="rows",
        source=_CIN + " (table A1)",
    ),
    Measure(
        "referral_decision_1wd_pct",
        "Referral decisions in timescale (%)",
        "Referrals in the period decided within the local referral decision standard "
        "(default 1 working day from the referral date), as a share of referrals in the "
        "period that were decided or overdue at the as-at date.",
        referrals_decided_on_time,
        referrals_decision_due,
        unit="percent",
        polarity="higher",
        target=95,
        tolerance=5,
        count_by="rows",
        source=ts.REFERRAL_DECISION.source + "; " + _LOCAL,
        needs=frozenset({"referral_decisions"}),
        local=True,
    ),
    Measure(
        "rereferrals_12m_pct",
        "Re-referrals within 12 months (%)",
        "Referrals in the period where the child had a previous referral on or after the "
        "same date 12 months earlier, as a share of referrals in the period.",
        rereferrals,
        _ref,
        unit="percent",
        polarity="lower",
        target=20,
        tolerance=3,
        count_by="rows",
        source=_CIN,
    ),
    Measure(
        "referrals_nfa_pct",
        "Referrals with no further action (%)",
        "Referrals in the period with ReferralNFA, as a share of referrals in the period.",
        referrals_nfa,
        _ref,
        unit="percent",
        polarity="lower",
        target=20,
        tolerance=5,
        count_by="rows",
        source=_CIN,
    ),
    Measure(
        "referral_rate_per_10k",
        "Referrals per 10,000 children",
        "Referrals in the period per 10,000 children aged 0-17 (council scope only).",
        referrals,
        unit="per_10k",
        count_by="rows",
        source=_CIN + " (table A1)",
    ),
    Measure(
        "assessments_completed",
        "Assessments completed",
        "Single assessments authorised in the period.",
        assessments_completed,
        count_by="rows",
        source=_CIN,
    ),
    Measure(
        "assessments_45wd_pct",
        "Assessments completed within 45 working days (%)",
        "Assessments authorised in the period within 45 working days of their start "
        "(elapsed working days <= 45), as a share of assessments authorised in the period.",
        assessments_on_time,
        assessments_completed,
        unit="percent",
        polarity="higher",
        target=85,
        tolerance=5,
        count_by="rows",
        source=_CIN + "; " + ts.ASSESSMENT.source,
    ),
    Measure(
        "assessments_open_over_45wd",
        "Open assessments over 45 working days",
        "Assessments open at the as-at date more than 45 working days after their start.",
        assessments_open_overdue,
        period="as_at",
        polarity="lower",
        count_by="rows",
        source=_CIN + " (query 8670Q)",
    ),
    Measure(
        "cin_plans_open",
        "Children on a child in need plan",
        "Children with a child in need plan open at the as-at date.",
        cin_plans_open,
        period="as_at",
        source=_CIN,
        needs=frozenset({"cin_plans"}),
    ),
    Measure(
        "s47_started",
        "Section 47 enquiries started",
        "Section 47 enquiries whose strategy discussion was in the period.",
        s47_started,
        count_by="rows",
        source=_CIN,
    ),
    Measure(
        "s47_rate_per_10k",
        "Section 47 enquiries per 10,000 children",
        "Section 47 enquiries started in the period per 10,000 children aged 0-17.",
        s47_started,
        unit="per_10k",
        count_by="rows",
        source=_CIN,
    ),
    Measure(
        "icpc_held",
        "Initial child protection conferences",
        "Initial child protection conferences held in the period.",
        icpcs,
        count_by="rows",
        source=_CIN,
    ),
    Measure(
        "icpc_15wd_pct",
        "ICPCs within 15 working days (%)",
        "ICPCs in the period held within 15 working days of the strategy discussion that "
        "began the S47 enquiry, as a share of ICPCs in the period (ICPCs dated before the "
        "enquiry are left out of both, as DfE table C4 does).",
        icpcs_on_time,
        icpcs_timed,
        unit="percent",
        polarity="higher",
        target=85,
        tolerance=5,
        count_by="rows",
        source=_CIN + " (table C4); " + ts.ICPC.source,
    ),
    Measure(
        "icpc_to_plan_pct",
        "ICPCs leading to a child protection plan (%)",
        "ICPCs in the period that made a child protection plan, as a share of ICPCs in the period.",
        icpcs_to_plan,
        icpcs,
        unit="percent",
        count_by="rows",
        source=_ANNEX_A + " (List 5)",
    ),
    Measure(
        "cpp_open",
        "Children on a child protection plan",
        "Children with a child protection plan open at the as-at date.",
        cpp_open,
        period="as_at",
        source=_CIN,
    ),
    Measure(
        "cpp_rate_per_10k",
        "Children on a child protection plan per 10,000",
        "Children on a plan at the as-at date per 10,000 children aged 0-17.",
        cpp_open,
        period="as_at",
        unit="per_10k",
        source=_CIN,
    ),
    Measure(
        "cpp_started",
        "Children starting a child protection plan",
        "Children who started a child protection plan in the period.",
        cpp_started,
        source=_CIN,
    ),
    Measure(
        "cpp_second_time",
        "Children starting a second or later plan",
        "Children starting a plan in the period who had been on a plan before (census "
        "count of previous plans, or an earlier plan in the record).",
        cpp_second_time,
        polarity="lower",
        source=_CIN,
    ),
    Measure(
        "cpp_second_time_pct",
        "Plans that were a second or later plan (%)",
        "Children starting a second or later plan in the period, as a share of children "
        "starting a plan in the period.",
        cpp_second_time,
        cpp_started,
        unit="percent",
        polarity="lower",
        target=18,
        tolerance=3,
        source=_CIN,
    ),
    Measure(
        "cpp_second_time_2y_pct",
        "Second plan within 2 years of the last (%)",
        "Children starting a plan in the period whose previous plan ended within the 24 "
        "months before, as a share of children starting a plan in the period (needs plan "
        "history in the record).",
        cpp_second_time_2y,
        cpp_started,
        unit="percent",
        polarity="lower",
        target=15,
        tolerance=3,
        source=_CIN + " (local measure)",
    ),
    Measure(
        "cpp_over_2y_open",
        "Children on a plan for 2 years or more",
        "Children on a plan at the as-at date that started 24 months or more before it (a "
        "plan begun exactly 2 years before counts: the DfE's length-of-plan bands and old NI "
        "64 use '2 years or more', which the seed's 'more than two years' is read as).",
        cpp_over_2y_open,
        period="as_at",
        polarity="lower",
        source=_SEED,
    ),
    Measure(
        "cpp_ended_over_2y_pct",
        "Plans ending after 2 years or more (%)",
        "Plans ending in the period that had lasted 24 months or more, as a share of plans "
        "ending in the period.",
        cpp_ended_over_2y,
        cpp_ended,
        unit="percent",
        polarity="lower",
        target=4,
        tolerance=2,
        count_by="rows",
        source=_CIN,
    ),
    Measure(
        "cpp_reviews_on_time_pct",
        "Child protection reviews on time (%)",
        "Children on a plan at the as-at date for 3 months or more whose review conferences "
        "in the 12 months to it were all on time (first within 3 months of the plan's "
        "start, then at most 6 months apart) and none is overdue, as a share of those "
        "children.",
        cpp_reviews_on_time,
        cpp_review_cohort,
        period="as_at",
        unit="percent",
        polarity="higher",
        target=95,
        tolerance=5,
        source=ts.CP_REVIEW.source,
    ),
    Measure(
        "cla_open",
        "Children looked after",
        "Children looked after at the as-at date, excluding those only on short breaks (V3/V4).",
        cla_open,
        period="as_at",
        source=_CLA,
    ),
    Measure(
        "cla_rate_per_10k",
        "Children looked after per 10,000",
        "Children looked after at the as-at date per 10,000 children aged 0-17.",
        cla_open,
        period="as_at",
        unit="per_10k",
        source=_CLA,
    ),
    Measure(
        "cla_started",
        "Children starting to be looked after",
        "Children starting a period of care (RNE S) in the period.",
        cla_started,
        source=_CLA,
    ),
    Measure(
        "cla_ended",
        "Children ceasing to be looked after",
        "Children whose period of care ended in the period.",
        cla_ended,
        source=_CLA,
    ),
    Measure(
        "cla_s20_open",
        "Children looked after under section 20",
        "Children looked after at the as-at date under legal status V2.",
        cla_s20_open,
        period="as_at",
        polarity="lower",
        source=_CLA,
    ),
    Measure(
        "cla_3plus_placements",
        "Children with 3 or more placements in 12 months",
        "Children looked after at the as-at date with 3 or more placements in the 12 months to it.",
        cla_3plus_placements,
        period="12m",
        polarity="lower",
        source=_CLA + " (old NI 62)",
    ),
    Measure(
        "cla_3plus_placements_pct",
        "Children with 3 or more placements (%)",
        "As cla_3plus_placements, as a share of children looked after at the as-at date.",
        cla_3plus_placements,
        cla_open,
        period="12m",
        unit="percent",
        polarity="lower",
        target=10,
        tolerance=2,
        source=_CLA + " (old NI 62)",
    ),
    Measure(
        "cla_long_term_stability",
        "Under-16s in the same placement for 2 years",
        "Children under 16 looked after for 2.5 years or more at the as-at date whose "
        "placement (the same carer) began 2 years or more before it.",
        stable_placements,
        period="as_at",
        polarity="higher",
        source=_CLA + " (old NI 63)",
    ),
    Measure(
        "cla_long_term_stability_pct",
        "Long-term placement stability (%)",
        "As cla_long_term_stability, as a share of children under 16 looked after for 2.5 "
        "years or more.",
        stable_placements,
        stability_cohort,
        period="as_at",
        unit="percent",
        polarity="higher",
        target=70,
        tolerance=5,
        source=_CLA + " (old NI 63)",
    ),
    Measure(
        "cla_in_house_foster_pct",
        "Fostered children with the council's own carers (%)",
        "Children looked after at the as-at date in foster placements (U1-U6) provided by "
        "the council (PR1), as a share of children in foster placements.",
        cla_in_house_fostered,
        cla_fostered,
        period="as_at",
        unit="percent",
        polarity="higher",
        target=70,
        tolerance=5,
        source=_SEED,
    ),
    Measure(
        "cla_reviews_on_time_pct",
        "Looked-after reviews on time (%)",
        "Children looked after at the as-at date whose first review was due by then and "
        "whose reviews in the 12 months to it were all on time (20 working days from "
        "entering care, then 3 months, then 6 months) and none is overdue, as a share of "
        "those children.",
        cla_reviews_on_time,
        cla_review_cohort,
        period="as_at",
        unit="percent",
        polarity="higher",
        target=95,
        tolerance=5,
        source=ts.LAC_REVIEW.source,
    ),
    Measure(
        "cla_missing_children",
        "Children missing from care",
        "Children with a missing (M) episode starting in the period.",
        cla_missing_children,
        polarity="lower",
        source=_CLA + " (Missing)",
    ),
    Measure(
        "rhi_72h_pct",
        "Return-home interviews offered within 72 hours (%)",
        "Missing episodes ended in the period where a return-home interview was offered "
        "within 72 hours of the child's return, as a share of missing episodes ended in the "
        "period.",
        rhi_on_time,
        missing_returned,
        unit="percent",
        polarity="higher",
        target=90,
        tolerance=10,
        count_by="rows",
        source=ts.RETURN_HOME_INTERVIEW.source,
        needs=frozenset({"rhi"}),
    ),
    Measure(
        "care_leavers_in_touch_pct",
        "Care leavers in touch (%)",
        "Care leavers with a birthday (19-21) contact in the period who were in touch, as a "
        "share of that cohort (less those who died or returned home).",
        care_leavers_in_touch,
        care_leaver_cohort,
        unit="percent",
        polarity="higher",
        target=90,
        tolerance=5,
        source=_LEAVERS,
    ),
    Measure(
        "care_leavers_suitable_accommodation_pct",
        "Care leavers in suitable accommodation (%)",
        "As care_leavers_in_touch_pct, with accommodation judged suitable.",
        care_leavers_suitable,
        care_leaver_cohort,
        unit="percent",
        polarity="higher",
        target=85,
        tolerance=5,
        source=_LEAVERS,
    ),
    Measure(
        "care_leavers_eet_pct",
        "Care leavers in education, employment or training (%)",
        "As care_leavers_in_touch_pct, with an education, employment or training activity.",
        care_leavers_eet,
        care_leaver_cohort,
        unit="percent",
        polarity="higher",
        target=50,
        tolerance=5,
        source=_LEAVERS,
    ),
    Measure(
        "placement_orders",
        "Placement orders granted",
        "Children whose placement order was granted in the period (recorded date or first "
        "E1 episode).",
        placement_orders,
        source=_ADOPT,
    ),
    Measure(
        "adoptions",
        "Children adopted",
        "Children adopted in the period (episode ended with REC E11 or E12).",
        adoptions,
        source=_CLA,
    ),
    Measure(
        "adoption_a1_days",
        "A1: days from entering care to moving in with adopters",
        "Average days, for children adopted in the period, from the start of the period of "
        "care to the adoptive placement (the scorecard uses 3 years; choose --period 12m "
        "or run 3 years' dates for that).",
        adoption_a1,
        unit="days",
        polarity="lower",
        target=426,
        tolerance=60,
        source=_ADOPT,
    ),
    Measure(
        "adoption_a2_days",
        "A2: days from placement order to match",
        "Average days, for children adopted in the period, from the placement order to the "
        "match with adopters.",
        adoption_a2,
        unit="days",
        polarity="lower",
        target=121,
        tolerance=30,
        source=_ADOPT,
    ),
    Measure(
        "proceedings_26wk_pct",
        "Care proceedings concluded within 26 weeks (%)",
        "Care proceedings concluded in the period within 26 weeks (182 days) of issue, as "
        "a share of proceedings concluded in the period.",
        proceedings_on_time,
        proceedings_concluded,
        unit="percent",
        polarity="higher",
        target=70,
        tolerance=10,
        count_by="rows",
        source=ts.PROCEEDINGS.source,
        needs=frozenset({"proceedings"}),
    ),
    Measure(
        "proceedings_avg_weeks",
        "Average duration of care proceedings (weeks)",
        "Average weeks from issue to final order, for proceedings concluded in the period.",
        proceedings_concluded,
        unit="weeks",
        polarity="lower",
        target=26,
        tolerance=4,
        count_by="rows",
        source=ts.PROCEEDINGS.source,
        needs=frozenset({"proceedings"}),
    ),
    Measure(
        "visits_cp_on_time_pct",
        "Child protection visits in timescale (%)",
        "Children on a plan at the as-at date seen within the local CP visit standard "
        "(default 10 working days) of their last visit, or of the plan's start if not yet "
        "visited, as a share of children on a plan.",
        visits_cp_on_time,
        cpp_open,
        period="as_at",
        unit="percent",
        polarity="higher",
        target=90,
        tolerance=10,
        source=_LOCAL,
        needs=frozenset({"visits"}),
        local=True,
    ),
    Measure(
        "visits_cla_on_time_pct",
        "Looked-after visits in timescale (%)",
        "Children looked after at the as-at date visited within regulation 28 timescales "
        "(simplified: 1 week into a placement, then 6 weeks, or 3 months after a long-term "
        "placement's first year), as a share of children looked after.",
        visits_cla_on_time,
        cla_open,
        period="as_at",
        unit="percent",
        polarity="higher",
        target=90,
        tolerance=10,
        source=ts.LAC_VISIT.source,
        needs=frozenset({"visits"}),
    ),
    Measure(
        "visits_cin_on_time_pct",
        "Child in need visits in timescale (%)",
        "Children on a child in need plan at the as-at date seen within the local CIN visit "
        "standard (default 28 days).",
        visits_cin_on_time,
        cin_plans_open,
        period="as_at",
        unit="percent",
        polarity="higher",
        target=90,
        tolerance=10,
        source=_LOCAL,
        needs=frozenset({"visits", "cin_plans"}),
        local=True,
    ),
    Measure(
        "supervision_cp_on_time_pct",
        "Case supervision in timescale: CP (%)",
        "Children on a plan at the as-at date whose case was supervised within the local "
        "standard (default 28 days).",
        supervision_cp_on_time,
        cpp_open,
        period="as_at",
        unit="percent",
        polarity="higher",
        target=90,
        tolerance=10,
        source=_LOCAL,
        needs=frozenset({"supervisions"}),
        local=True,
    ),
    Measure(
        "supervision_cla_on_time_pct",
        "Case supervision in timescale: looked after (%)",
        "Children looked after at the as-at date whose case was supervised within the local "
        "standard (default 42 days).",
        supervision_cla_on_time,
        cla_open,
        period="as_at",
        unit="percent",
        polarity="higher",
        target=90,
        tolerance=10,
        source=_LOCAL,
        needs=frozenset({"supervisions"}),
        local=True,
    ),
    Measure(
        "supervision_cin_on_time_pct",
        "Case supervision in timescale: CIN (%)",
        "Children on a child in need plan at the as-at date whose case was supervised "
        "within the local standard (default 42 days).",
        supervision_cin_on_time,
        cin_plans_open,
        period="as_at",
        unit="percent",
        polarity="higher",
        target=90,
        tolerance=10,
        source=_LOCAL,
        needs=frozenset({"supervisions", "cin_plans"}),
        local=True,
    ),
    Measure(
        "caseload_avg",
        "Average caseload",
        "Children allocated at the as-at date to social workers in post, per social worker "
        "in post (SW and ASW roles).",
        cases_held,
        case_holders,
        period="as_at",
        unit="ratio",
        polarity="lower",
        target=18,
        tolerance=3,
        count_by="rows",
        source="Local (DfE children's social work workforce census for the idea)",
        needs=frozenset({"allocations", "workers"}),
    ),
    Measure(
        "workers_agency_pct",
        "Agency social workers (%)",
        "Social workers in post at the as-at date who are agency staff, as a share of "
        "social workers in post.",
        agency_case_holders,
        case_holders,
        period="as_at",
        unit="percent",
        polarity="lower",
        target=15,
        tolerance=5,
        count_by="rows",
        source="DfE children's social work workforce census (agency rate)",
        needs=frozenset({"workers"}),
    ),
)

CATALOGUE: dict[str, Measure] = {m.id: m for m in CATALOGUE_LIST}
