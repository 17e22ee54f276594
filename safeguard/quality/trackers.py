"""The trackers (S20, permanence, PLO and proceedings, life story, disputes, missing, care
leavers), each declared once: what rows it lists, their status, and the counts it shows.

`run(tracker, scope, as_at)` computes a tracker's rows for the children in a scope as one polars
frame (child, team and worker added), so the page, its counts and its CSV export agree.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import polars as pl
from django.db.models import QuerySet
from django.utils import timezone

from safeguard.journey import models as j
from safeguard.timescales import local_standards, timescale

from . import codes, frames, models

YEAR = timedelta(days=365)
#: Care leavers: the personal adviser keeps in touch at least every 8 weeks; a local setting.
CARE_LEAVER_CONTACT_DEFAULT_DAYS = 56
DUE_SOON_DAYS = 14


@dataclass(frozen=True)
class Tracker:
    """A tracker: its rows (computed from the record), their columns, and what it counts."""

    key: str
    title: str
    description: str
    compute: Callable[[QuerySet, date], pl.DataFrame]
    columns: tuple[tuple[str, str], ...]
    counts: Callable[[pl.DataFrame], list[tuple[str, int | float | None]]]


def run(tracker: Tracker, scope: QuerySet, as_at: date) -> pl.DataFrame:
    """The tracker's rows with the child's ID, name, current team and worker."""
    rows = tracker.compute(scope, as_at)
    listed = scope.filter(pk__in=rows["child_id"].unique().to_list())
    alloc = frames.current_allocation(frames.allocations(listed, as_at, as_at), as_at).select(
        "child_id", "team_id", "team", "worker"
    )
    return rows.join(frames.children(listed), on="child_id", how="left").join(
        alloc, on="child_id", how="left"
    )


def _count(rows: pl.DataFrame, expr: pl.Expr) -> int:
    return int(rows.select(expr.sum()).item() or 0) if rows.height else 0


def _mean(rows: pl.DataFrame, column: str) -> float | None:
    value = rows.select(pl.col(column).mean()).item() if rows.height else None
    return None if value is None else round(float(value), 1)


def _status_counts(rows: pl.DataFrame, statuses: tuple[str, ...]) -> list[tuple[str, int]]:
    return [(s, _count(rows, pl.col("status") == s)) for s in statuses]


# --- S20 ---------------------------------------------------------------------------------------
S20_ON_TIME, S20_LATE, S20_OVERDUE, S20_DUE = (
    "Reviewed within 28 days",
    "Reviewed late",
    "Review overdue",
    "Review not yet due",
)


def s20_rows(scope: QuerySet, as_at: date) -> pl.DataFrame:
    """Children accommodated under S20 (V2) at `as_at`: start of the S20 run of episodes, the
    first review since (a manager's S20 review or a looked-after review), legal advice."""
    eps = frames.episodes(scope)
    v2 = pl.col("legal_status") == "V2"
    runs = frames.with_runs(
        eps, same=v2 & (pl.col("legal_status").shift(1).over("child_id") == "V2")
    )
    now = runs.filter(frames.open_on(as_at) & v2).select(
        "child_id", pl.col("run_start").alias("s20_start")
    )
    s20 = frames.dated(models.S20Review, scope, extra={"legal_advice_date": frames.D})
    lac = frames.dated(j.LookedAfterReview, scope).with_columns(
        legal_advice_date=pl.lit(None, dtype=pl.Date)
    )
    reviews = (
        pl.concat([s20, lac])
        .join(now, on="child_id")
        .filter((pl.col("date") >= pl.col("s20_start")) & (pl.col("date") <= as_at))
    )
    firsts = reviews.group_by("child_id").agg(
        first_review=pl.col("date").min(),
        legal_advice=pl.col("legal_advice_date").filter(pl.col("legal_advice_date") <= as_at).min(),
    )
    due = timescale("s20_review").first.add_expr(pl.col("s20_start"))
    rows = now.join(firsts, on="child_id", how="left").with_columns(review_due=due)
    return rows.with_columns(
        days_s20=(pl.lit(as_at) - pl.col("s20_start")).dt.total_days(),
        legal_advice_recorded=pl.col("legal_advice").is_not_null(),
        status=pl.when(pl.col("first_review") <= pl.col("review_due"))
        .then(pl.lit(S20_ON_TIME))
        .when(pl.col("first_review").is_not_null())
        .then(pl.lit(S20_LATE))
        .when(pl.col("review_due") < as_at)
        .then(pl.lit(S20_OVERDUE))
        .otherwise(pl.lit(S20_DUE)),
    )


def s20_counts(rows: pl.DataFrame) -> list[tuple[str, int | float | None]]:
    return [
        ("Looked after under section 20", rows.height),
        *_status_counts(rows, (S20_ON_TIME, S20_LATE, S20_OVERDUE, S20_DUE)),
        ("Legal advice recorded", _count(rows, pl.col("legal_advice_recorded"))),
        ("No legal advice recorded", _count(rows, ~pl.col("legal_advice_recorded"))),
    ]


# --- Permanence --------------------------------------------------------------------------------
PERM_ON_TIME, PERM_LATE, PERM_MISSING, PERM_EARLY_PLAN, PERM_EARLY_NONE = (
    "Plan by 2nd review",
    "Plan after 2nd review",
    "No plan at 2nd review",
    "Plan agreed, 2nd review not yet held",
    "No plan, 2nd review not yet held",
)


def permanence_rows(scope: QuerySet, as_at: date) -> pl.DataFrame:
    """Children looked after at `as_at`: 2nd review of this period of care, first permanence
    plan agreed in it, the current plan's route."""
    cla = frames.looked_after(frames.episodes(scope), as_at).select("child_id", "care_start")
    reviews = (
        frames.dated(j.LookedAfterReview, scope)
        .join(cla, on="child_id")
        .filter((pl.col("date") >= pl.col("care_start")) & (pl.col("date") <= as_at))
    )
    second = (
        reviews.sort("date")
        .group_by("child_id")
        .agg(
            first_review=pl.col("date").first(),
            second_review=pl.col("date").get(1, null_on_oob=True),
        )
    )
    plans = (
        frames.dated(models.PermanencePlan, scope, extra={"route": frames.S})
        .join(cla, on="child_id")
        .filter((pl.col("date") >= pl.col("care_start")) & (pl.col("date") <= as_at))
        .sort("date")
    )
    plan = plans.group_by("child_id").agg(
        plan_date=pl.col("date").first(), route=pl.col("route").last()
    )
    rows = cla.join(second, on="child_id", how="left").join(plan, on="child_id", how="left")
    # Until the 2nd review is held, it is due 3 months after the 1st (reg 33), or, with no 1st
    # review yet, 3 months after the 1st review's own deadline (20 working days into care).
    lac = timescale("lac_review")
    first = pl.coalesce("first_review", lac.first.add_expr(pl.col("care_start")))
    return rows.with_columns(
        second_review_due=pl.when(pl.col("second_review").is_null()).then(
            (lac.second or lac.first).add_expr(first)
        ),
        route=pl.col("route").replace_strict(dict(codes.PERMANENCE_ROUTE.choices()), default=None),
        status=pl.when(pl.col("second_review").is_null() & pl.col("plan_date").is_not_null())
        .then(pl.lit(PERM_EARLY_PLAN))
        .when(pl.col("second_review").is_null())
        .then(pl.lit(PERM_EARLY_NONE))
        .when(pl.col("plan_date") <= pl.col("second_review"))
        .then(pl.lit(PERM_ON_TIME))
        .when(pl.col("plan_date").is_not_null())
        .then(pl.lit(PERM_LATE))
        .otherwise(pl.lit(PERM_MISSING)),
    )


def permanence_counts(rows: pl.DataFrame) -> list[tuple[str, int | float | None]]:
    routes = [
        (f"Route: {label}", _count(rows, pl.col("route") == label))
        for _, label in codes.PERMANENCE_ROUTE.choices()
    ]
    return [
        ("Looked after", rows.height),
        *_status_counts(
            rows, (PERM_ON_TIME, PERM_LATE, PERM_MISSING, PERM_EARLY_PLAN, PERM_EARLY_NONE)
        ),
        *routes,
    ]


# --- Pre-proceedings and proceedings -----------------------------------------------------------
PLO, WAITING, ISSUED, CONCLUDED = (
    "Pre-proceedings (PLO)",
    "Decided to issue, not issued",
    "In proceedings",
    "Concluded in the last 12 months",
)


def proceedings_rows(scope: QuerySet, as_at: date) -> pl.DataFrame:
    """PLO and proceedings open at `as_at`, or concluded in the year to it: days from the
    decision to issue to issue (or to date), weeks in PLO, weeks in proceedings."""
    qs = frames.in_scope(j.CareProceedings.objects, scope)
    schema = {
        "child_id": frames.I,
        "plo_meeting_date": frames.D,
        "decision_to_issue_date": frames.D,
        "issue_date": frames.D,
        "final_order_date": frames.D,
        "final_order": frames.S,
    }
    rows = frames.load(qs, schema)
    ended = pl.col("final_order_date").is_not_null() & (pl.col("final_order_date") <= as_at)
    issued = pl.col("issue_date").is_not_null() & (pl.col("issue_date") <= as_at)
    decided = pl.col("decision_to_issue_date").is_not_null() & (
        pl.col("decision_to_issue_date") <= as_at
    )
    started = (pl.col("plo_meeting_date") <= as_at) | issued | decided
    # The record has no end to pre-proceedings that never led to an issue, so a PLO without a
    # decision to issue counts as open only while the child's case is open (allocated).
    open_cases = frames.current_allocation(frames.allocations(scope, as_at, as_at), as_at)[
        "child_id"
    ]
    live = decided | issued | pl.col("child_id").is_in(open_cases.implode())
    rows = rows.filter(started & live & (~ended | (pl.col("final_order_date") > as_at - YEAR)))
    end_issue = pl.when(issued).then(pl.col("issue_date")).otherwise(pl.lit(as_at))
    end_final = pl.when(ended).then(pl.col("final_order_date")).otherwise(pl.lit(as_at))
    limit = timescale("proceedings").first.add_expr(pl.col("issue_date"))
    return rows.with_columns(
        status=pl.when(ended)
        .then(pl.lit(CONCLUDED))
        .when(issued)
        .then(pl.lit(ISSUED))
        .when(decided)
        .then(pl.lit(WAITING))
        .otherwise(pl.lit(PLO)),
        weeks_in_plo=((end_issue - pl.col("plo_meeting_date")).dt.total_days() / 7).round(1),
        days_decision_to_issue=(end_issue - pl.col("decision_to_issue_date")).dt.total_days(),
        weeks_in_proceedings=pl.when(issued).then(
            ((end_final - pl.col("issue_date")).dt.total_days() / 7).round(1)
        ),
        within_26_weeks=pl.when(issued).then(end_final <= limit),
    )


def proceedings_counts(rows: pl.DataFrame) -> list[tuple[str, int | float | None]]:
    concluded = rows.filter(pl.col("status") == CONCLUDED)
    issued_in = rows.filter(
        pl.col("status").is_in([ISSUED, CONCLUDED]) & pl.col("decision_to_issue_date").is_not_null()
    )
    return [
        *_status_counts(rows, (PLO, WAITING, ISSUED, CONCLUDED)),
        (
            "In proceedings over 26 weeks",
            _count(rows, (pl.col("status") == ISSUED) & ~pl.col("within_26_weeks")),
        ),
        ("Concluded within 26 weeks", _count(concluded, pl.col("within_26_weeks"))),
        ("Average weeks to final order (concluded)", _mean(concluded, "weeks_in_proceedings")),
        (
            "Average days from decision to issue (issued)",
            _mean(issued_in, "days_decision_to_issue"),
        ),
    ]


# --- Life-story work ---------------------------------------------------------------------------
LS_NONE, LS_STARTED, LS_DONE = "Not started", "Started", "Completed"


def life_story_rows(scope: QuerySet, as_at: date) -> pl.DataFrame:
    """Looked-after children whose plan is adoption or long-term care (a current permanence
    plan on such a route, or an adoption decision not reversed): life-story work status."""
    cla = frames.looked_after(frames.episodes(scope), as_at).select("child_id")
    plans = (
        frames.dated(models.PermanencePlan, scope, extra={"route": frames.S})
        .filter(pl.col("date") <= as_at)
        .sort("date")
        .group_by("child_id")
        .agg(route=pl.col("route").last())
    )
    by_plan = plans.filter(pl.col("route").is_in(list(codes.LIFE_STORY_ROUTES)))
    adopt = frames.dated(
        j.Adoption, scope, field="decision_date", extra={"decision_ceased_date": frames.D}
    ).filter(
        (pl.col("decision_date") <= as_at)
        & (pl.col("decision_ceased_date").is_null() | (pl.col("decision_ceased_date") > as_at))
    )
    cohort = pl.concat([by_plan.select("child_id"), adopt.select("child_id")]).unique()
    work = frames.dated(
        models.LifeStoryWork, scope, field="started", extra={"completed": frames.D}
    ).filter(pl.col("started") <= as_at)
    work = work.group_by("child_id").agg(
        started=pl.col("started").min(),
        completed=pl.col("completed").filter(pl.col("completed") <= as_at).max(),
    )
    rows = (
        cla.join(cohort, on="child_id")
        .join(plans, on="child_id", how="left")
        .join(work, on="child_id", how="left")
    )
    return rows.with_columns(
        route=pl.col("route")
        .replace_strict(dict(codes.PERMANENCE_ROUTE.choices()), default=None)
        .fill_null("Adoption decision"),
        status=pl.when(pl.col("completed").is_not_null())
        .then(pl.lit(LS_DONE))
        .when(pl.col("started").is_not_null())
        .then(pl.lit(LS_STARTED))
        .otherwise(pl.lit(LS_NONE)),
    )


def life_story_counts(rows: pl.DataFrame) -> list[tuple[str, int | float | None]]:
    return [
        ("Children with a plan of adoption or long-term care", rows.height),
        *_status_counts(rows, (LS_DONE, LS_STARTED, LS_NONE)),
    ]


# --- Dispute resolution ------------------------------------------------------------------------
DISPUTE_OPEN, DISPUTE_RESOLVED = "Open", "Resolved"


def dispute_rows(scope: QuerySet, as_at: date) -> pl.DataFrame:
    """Disputes open at `as_at` or raised in the year to it: stage, days open, resolution."""
    rows = frames.dated(
        models.Dispute,
        scope,
        field="raised_date",
        extra={"stage": frames.S, "resolved_date": frames.D},
    )
    resolved = pl.col("resolved_date").is_not_null() & (pl.col("resolved_date") <= as_at)
    rows = rows.filter(
        (pl.col("raised_date") <= as_at) & (~resolved | (pl.col("raised_date") > as_at - YEAR))
    )
    end = pl.when(resolved).then(pl.col("resolved_date")).otherwise(pl.lit(as_at))
    return rows.with_columns(
        resolved_date=pl.when(resolved).then(pl.col("resolved_date")),
        days_open=(end - pl.col("raised_date")).dt.total_days(),
        status=pl.when(resolved).then(pl.lit(DISPUTE_RESOLVED)).otherwise(pl.lit(DISPUTE_OPEN)),
    )


def dispute_counts(rows: pl.DataFrame) -> list[tuple[str, int | float | None]]:
    open_ = rows.filter(pl.col("status") == DISPUTE_OPEN)
    stages = [
        (f"Open at stage {code}: {label}", _count(open_, pl.col("stage") == code))
        for code, label in codes.DISPUTE_STAGE.choices()
    ]
    return [
        ("Raised in the last 12 months or open", rows.height),
        *_status_counts(rows, (DISPUTE_OPEN, DISPUTE_RESOLVED)),
        *stages,
        (
            "Average days to resolve",
            _mean(rows.filter(pl.col("status") == DISPUTE_RESOLVED), "days_open"),
        ),
    ]


# --- Missing episodes and return-home interviews -----------------------------------------------
STILL_MISSING, RHI_ON_TIME, RHI_LATE, RHI_OVERDUE, RHI_DUE, RHI_DECLINED = (
    "Still missing",
    "Interview offered within 72 hours",
    "Interview offered late",
    "Interview not offered: overdue",
    "Interview not yet offered (within 72 hours)",
    "Interview declined",
)


def _end_of(day: date) -> datetime:
    """The first instant after `day` in the service's time zone, as UTC: 'by the end of day'."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time())).astimezone(UTC)


def missing_rows(scope: QuerySet, as_at: date) -> pl.DataFrame:
    """Missing and away episodes that started in the year to `as_at`: the return and the
    return-home interview (offered within 72 hours of the return, the statutory guidance)."""
    schema = {
        "child_id": frames.I,
        "kind": frames.S,
        "start_date": frames.D,
        "end_date": frames.D,
        "returned_at": frames.DT,
        "rhi_offered_at": frames.DT,
        "rhi_held_at": frames.DT,
        "rhi_declined": frames.B,
    }
    rows = frames.load(frames.in_scope(j.MissingEpisode.objects, scope), schema).filter(
        (pl.col("start_date") <= as_at) & (pl.col("start_date") > as_at - YEAR)
    )
    cutoff = pl.lit(_end_of(as_at)).cast(frames.DT)
    known = lambda c: pl.col(c).is_not_null() & (pl.col(c) < cutoff)  # noqa: E731
    deadline = timescale("rhi").first.add_expr(pl.col("returned_at"))
    returned = known("returned_at")
    return rows.with_columns(
        rhi_due=deadline,
        hours_to_offer=pl.when(known("rhi_offered_at")).then(
            ((pl.col("rhi_offered_at") - pl.col("returned_at")).dt.total_minutes() / 60).round(1)
        ),
        status=pl.when(~returned)
        .then(pl.lit(STILL_MISSING))
        .when(known("rhi_offered_at") & (pl.col("rhi_offered_at") <= deadline))
        .then(pl.lit(RHI_ON_TIME))
        .when(known("rhi_offered_at"))
        .then(pl.lit(RHI_LATE))
        .when(pl.col("rhi_declined"))
        .then(pl.lit(RHI_DECLINED))
        .when(deadline < cutoff)
        .then(pl.lit(RHI_OVERDUE))
        .otherwise(pl.lit(RHI_DUE)),
        rhi_held=known("rhi_held_at"),
    )


def missing_counts(rows: pl.DataFrame) -> list[tuple[str, int | float | None]]:
    return [
        ("Episodes started in the last 12 months", rows.height),
        ("Children", rows.select(pl.col("child_id").n_unique()).item() if rows.height else 0),
        ("Missing episodes (M)", _count(rows, pl.col("kind") == "M")),
        ("Away without authorisation (A)", _count(rows, pl.col("kind") == "A")),
        *_status_counts(
            rows, (STILL_MISSING, RHI_ON_TIME, RHI_LATE, RHI_DECLINED, RHI_OVERDUE, RHI_DUE)
        ),
        ("Interviews held", _count(rows, pl.col("rhi_held"))),
    ]


# --- Care leavers' contact ---------------------------------------------------------------------
CL_OVERDUE, CL_SOON, CL_IN_DATE = "Contact overdue", "Contact due within 14 days", "In date"


def care_leaver_rows(scope: QuerySet, as_at: date) -> pl.DataFrame:
    """Young people aged 17 to 20 who left care on or after their 16th birthday and are not
    looked after now: last contact, whether in touch, and when the next contact is due."""
    days = local_standards().get("care_leaver_contact_days", CARE_LEAVER_CONTACT_DEFAULT_DAYS)
    eps = frames.with_runs(frames.episodes(scope).filter(pl.col("start_date") <= as_at))
    left = eps.group_by("child_id").agg(left_care=pl.col("end_date").sort_by("start_date").last())
    kids = frames.children(scope).select("child_id", "date_of_birth")
    sixteenth = pl.col("date_of_birth").dt.offset_by("16y")
    cohort = (
        left.join(kids, on="child_id")
        .with_columns(age=_age(as_at))
        .filter(
            pl.col("left_care").is_not_null()
            & (pl.col("left_care") <= as_at)
            & (pl.col("left_care") >= sixteenth)
            & pl.col("age").is_between(17, 20)
        )
    )
    contacts = (
        frames.dated(j.CareLeaverContact, scope, extra={"in_touch": frames.S})
        .filter(pl.col("date") <= as_at)
        .sort("date")
        .group_by("child_id")
        .agg(last_contact=pl.col("date").last(), in_touch=pl.col("in_touch").last())
    )
    rows = cohort.join(contacts, on="child_id", how="left").with_columns(
        contact_due=pl.coalesce("last_contact", "left_care") + pl.duration(days=days)
    )
    return rows.select(
        "child_id", "age", "left_care", "last_contact", "in_touch", "contact_due"
    ).with_columns(
        status=pl.when(pl.col("contact_due") < as_at)
        .then(pl.lit(CL_OVERDUE))
        .when(pl.col("contact_due") <= as_at + timedelta(days=DUE_SOON_DAYS))
        .then(pl.lit(CL_SOON))
        .otherwise(pl.lit(CL_IN_DATE))
    )


def _age(as_at: date) -> pl.Expr:
    """Age in whole years at `as_at` (a 29 February birthday falls on 1 March)."""
    born = pl.col("date_of_birth")
    before_birthday = (pl.lit(as_at).dt.month() < born.dt.month()) | (
        (pl.lit(as_at).dt.month() == born.dt.month()) & (pl.lit(as_at).dt.day() < born.dt.day())
    )
    return pl.lit(as_at).dt.year() - born.dt.year() - before_birthday.cast(pl.Int32)


def care_leaver_counts(rows: pl.DataFrame) -> list[tuple[str, int | float | None]]:
    return [
        ("Care leavers aged 17 to 20", rows.height),
        ("In touch at last contact", _count(rows, pl.col("in_touch") == "YES")),
        ("No contact recorded", _count(rows, pl.col("last_contact").is_null())),
        *_status_counts(rows, (CL_OVERDUE, CL_SOON, CL_IN_DATE)),
    ]


_CHILD_COLS = (("la_child_id", "Child"), ("name", "Name"), ("team", "Team"), ("worker", "Worker"))

TRACKERS: dict[str, Tracker] = {
    t.key: t
    for t in (
        Tracker(
            "s20",
            "Section 20 tracker",
            "Children looked after under section 20 (V2): reviewed within 28 days of the start "
            "of section 20 accommodation, and legal advice recorded.",
            s20_rows,
            (
                *_CHILD_COLS,
                ("s20_start", "Section 20 since"),
                ("days_s20", "Days"),
                ("review_due", "Review due"),
                ("first_review", "First review"),
                ("legal_advice", "Legal advice"),
                ("status", "Status"),
            ),
            s20_counts,
        ),
        Tracker(
            "permanence",
            "Permanence tracker",
            "Children looked after: a permanence plan agreed by the second looked-after review "
            "of this period of care, and its route.",
            permanence_rows,
            (
                *_CHILD_COLS,
                ("care_start", "Looked after since"),
                ("first_review", "1st review"),
                ("second_review", "2nd review"),
                ("second_review_due", "2nd review due"),
                ("plan_date", "Plan agreed"),
                ("route", "Route"),
                ("status", "Status"),
            ),
            permanence_counts,
        ),
        Tracker(
            "proceedings",
            "Pre-proceedings and proceedings tracker",
            "PLO and care proceedings: days from the decision to issue to issue, and weeks to "
            "the final order (26 weeks, Children Act 1989 s32).",
            proceedings_rows,
            (
                *_CHILD_COLS,
                ("plo_meeting_date", "PLO meeting"),
                ("weeks_in_plo", "Weeks in PLO"),
                ("decision_to_issue_date", "Decision to issue"),
                ("days_decision_to_issue", "Days decision to issue"),
                ("issue_date", "Issued"),
                ("weeks_in_proceedings", "Weeks in proceedings"),
                ("final_order_date", "Final order"),
                ("status", "Status"),
            ),
            proceedings_counts,
        ),
        Tracker(
            "life-story",
            "Life-story work tracker",
            "Every looked-after child with a plan of adoption or long-term care: life-story "
            "work started and completed.",
            life_story_rows,
            (
                *_CHILD_COLS,
                ("route", "Plan"),
                ("started", "Started"),
                ("completed", "Completed"),
                ("status", "Status"),
            ),
            life_story_counts,
        ),
        Tracker(
            "disputes",
            "Dispute resolution tracker",
            "Issues raised by IROs under the dispute resolution protocol: escalation stage and "
            "resolution.",
            dispute_rows,
            (
                *_CHILD_COLS,
                ("raised_date", "Raised"),
                ("stage", "Stage"),
                ("days_open", "Days"),
                ("resolved_date", "Resolved"),
                ("status", "Status"),
            ),
            dispute_counts,
        ),
        Tracker(
            "missing",
            "Missing episodes and return-home interviews",
            "Missing and away episodes started in the last 12 months, and whether a return-home "
            "interview was offered within 72 hours of the return.",
            missing_rows,
            (
                *_CHILD_COLS,
                ("kind", "Kind"),
                ("start_date", "Went missing"),
                ("returned_at", "Returned"),
                ("rhi_offered_at", "Interview offered"),
                ("hours_to_offer", "Hours to offer"),
                ("rhi_held", "Held"),
                ("status", "Status"),
            ),
            missing_counts,
        ),
        Tracker(
            "care-leavers",
            "Care leavers' contact",
            "Care leavers aged 17 to 20: the last contact, whether in touch, and when the next "
            "contact is due.",
            care_leaver_rows,
            (
                *_CHILD_COLS,
                ("age", "Age"),
                ("left_care", "Left care"),
                ("last_contact", "Last contact"),
                ("in_touch", "In touch"),
                ("contact_due", "Contact due"),
                ("status", "Status"),
            ),
            care_leaver_counts,
        ),
    )
}
