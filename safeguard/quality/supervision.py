"""The supervision tracker: each allocated child's case supervision due and overdue, by team.

The due dates are those of `safeguard.timescales.due.supervision_due` (the declarations
CP/CLA/CIN_SUPERVISION with the local standards), computed on journey frames of the children
in scope, so this page and the `supervision_*_on_time_pct` measures can never disagree. A child
on a CP plan and looked after is listed once, by the first of CP, looked after, CIN.
"""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl
from django.db.models import QuerySet

from safeguard.journey import models as j
from safeguard.performance.frames import JourneyFrames, build
from safeguard.timescales import due, local_standards
from safeguard.workforce import models as w

from . import frames

KINDS = (("cp", "CP"), ("cla", "CLA"), ("cin", "CIN"))  # in order of priority
DUE_SOON_DAYS = 7
OVERDUE, DUE_SOON, IN_DATE = "Overdue", "Due within 7 days", "In date"
#: Worker supervision is a local standard with no national rule; monthly is common practice.
WORKER_SUPERVISION_DEFAULT_DAYS = 28


def journey_frames(scope: QuerySet) -> JourneyFrames:
    """The journey frames supervision needs (plans, episodes, supervisions) for a scope; the
    frames' child ID is our primary key as text."""
    key = pl.col("child_id").cast(pl.Utf8)
    plans = {"start_date": "start", "end_date": "end"}
    eps = frames.load(
        frames.in_scope(j.CareEpisode.objects, scope),
        {
            "child_id": frames.I,
            "start_date": frames.D,
            "end_date": frames.D,
            "reason_new_episode": frames.S,
            "legal_status": frames.S,
            "placement_type": frames.S,
        },
    ).rename(
        {**plans, "reason_new_episode": "rne", "legal_status": "ls", "placement_type": "place"}
    )
    return build(
        "record",
        cp_plans=frames.cp_plans(scope).rename(plans).with_columns(key),
        cin_plans=frames.cin_plans(scope).rename(plans).with_columns(key),
        episodes=eps.with_columns(key),
        supervisions=frames.dated(w.CaseSupervision, scope).with_columns(key),
    )


def supervision_due(scope: QuerySet, as_at: date) -> pl.DataFrame:
    """child_id, category (CP, CLA, CIN), since, last_supervision and due: one row a child."""
    f, standards = journey_frames(scope), local_standards()
    parts = [
        f.decode(due.supervision_due(f, as_at, standards, kind)).select(
            pl.col("child_id").cast(pl.Int64),
            category=pl.lit(label),
            since=pl.col("start"),
            last_supervision=pl.col("last"),
            due=pl.col("due"),
            rank=pl.lit(rank, dtype=pl.Int64),
        )
        for rank, (kind, label) in enumerate(KINDS)
    ]
    rows = pl.concat(parts).sort(["child_id", "rank"])
    return rows.unique("child_id", keep="first", maintain_order=True).drop("rank")


def categories(scope: QuerySet, as_at: date) -> pl.DataFrame:
    """child_id, category (CP, CLA, CIN) and since, for children in scope."""
    return supervision_due(scope, as_at).select("child_id", "category", "since")


def status_expr(due: str, as_at: date) -> pl.Expr:
    """Overdue, due within 7 days, or in date, for a due-date column."""
    return (
        pl.when(pl.col(due) < as_at)
        .then(pl.lit(OVERDUE))
        .when(pl.col(due) <= as_at + timedelta(days=DUE_SOON_DAYS))
        .then(pl.lit(DUE_SOON))
        .otherwise(pl.lit(IN_DATE))
    )


def case_supervision_frame(scope: QuerySet, as_at: date) -> pl.DataFrame:
    """One row per allocated CP/CLA/CIN child: last supervision, due date, status, on time."""
    alloc = frames.current_allocation(frames.allocations(scope, as_at, as_at), as_at)
    rows = supervision_due(scope, as_at).join(alloc, on="child_id")
    listed = scope.filter(pk__in=rows["child_id"].to_list())
    rows = rows.join(frames.children(listed), on="child_id")
    rows = rows.with_columns(status=status_expr("due", as_at), on_time=pl.col("due") >= as_at)
    return rows.sort(["team", "due"])


def by_team(rows: pl.DataFrame) -> pl.DataFrame:
    """Counts per team and category: children, in date, due soon, overdue, % on time."""
    return (
        rows.group_by(["team", "category"])
        .agg(
            children=pl.len(),
            in_date=(pl.col("status") == IN_DATE).sum(),
            due_soon=(pl.col("status") == DUE_SOON).sum(),
            overdue=(pl.col("status") == OVERDUE).sum(),
        )
        .with_columns(
            on_time_pct=((pl.col("children") - pl.col("overdue")) * 100 / pl.col("children")).round(
                1
            )
        )
        .sort(["team", "category"])
    )


def worker_supervision_frame(teams: QuerySet, as_at: date) -> pl.DataFrame:
    """Workers in post in the given teams: last own supervision, due date and status."""
    from .models import WorkerSupervision

    days = local_standards().get("worker_supervision_days", WORKER_SUPERVISION_DEFAULT_DAYS)
    in_post = w.Worker.objects.filter(team__in=teams, start_date__lte=as_at).exclude(
        leave_date__lte=as_at
    )
    staff = frames.load(
        in_post, {"id": frames.I, "name": frames.S, "team__name": frames.S, "start_date": frames.D}
    )
    sup = frames.load(
        WorkerSupervision.objects.filter(worker__in=in_post, date__lte=as_at),
        {"worker_id": frames.I, "date": frames.D},
    )
    last = sup.group_by("worker_id").agg(pl.col("date").max().alias("last_supervision"))
    rows = staff.rename({"id": "worker_id", "team__name": "team"}).join(
        last, on="worker_id", how="left"
    )
    base = pl.coalesce("last_supervision", "start_date")
    return (
        rows.with_columns(due=base + pl.duration(days=days))
        .with_columns(status=status_expr("due", as_at))
        .sort(["team", "due"])
    )
