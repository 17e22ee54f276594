"""The supervision tracker: each allocated child's case supervision due and overdue, by team.

A child's category is child protection (an open CP plan), looked after (an open period of care,
short breaks excluded) or child in need (an open CIN plan), in that order, as the web app's
caseload statuses rank them. The next
supervision is due the local standard's interval after the later of the category's start and
the last case supervision (`safeguard.timescales` CP/CLA/CIN_SUPERVISION: one declaration,
shared with the screens and the `supervision_*_on_time_pct` measures).
"""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl
from django.db.models import QuerySet

from safeguard.timescales import local_standards, timescale
from safeguard.workforce import models as w

from . import frames

CATEGORY_TIMESCALE = {"CP": "cp_supervision", "CLA": "cla_supervision", "CIN": "cin_supervision"}
DUE_SOON_DAYS = 7
OVERDUE, DUE_SOON, IN_DATE = "Overdue", "Due within 7 days", "In date"
#: Worker supervision is a local standard with no national rule; monthly is common practice.
WORKER_SUPERVISION_DEFAULT_DAYS = 28


def categories(scope: QuerySet, as_at: date) -> pl.DataFrame:
    """child_id, category (CP, CLA, CIN) and the category's start, for children in scope."""
    cp = (
        frames.cp_plans(scope)
        .filter(frames.open_on(as_at))
        .group_by("child_id")
        .agg(pl.col("start_date").max().alias("since"))
        .with_columns(category=pl.lit("CP"), rank=1)
    )
    cla = frames.looked_after(frames.episodes(scope), as_at).select(
        "child_id", pl.col("care_start").alias("since"), category=pl.lit("CLA"), rank=pl.lit(2)
    )
    cin = (
        frames.cin_plans(scope)
        .filter(frames.open_on(as_at))
        .group_by("child_id")
        .agg(pl.col("start_date").max().alias("since"))
        .with_columns(category=pl.lit("CIN"), rank=3)
    )
    cols = ["child_id", "category", "since", "rank"]
    both = pl.concat([f.select(cols).cast({"rank": pl.Int64}) for f in (cp, cla, cin)])
    return both.sort(["child_id", "rank"]).unique("child_id", keep="first").drop("rank")


def _due_expr(base: pl.Expr) -> pl.Expr:
    """Due date per category, from each category's declared (and locally set) interval."""
    expr = pl.lit(None, dtype=pl.Date)
    for category, key in CATEGORY_TIMESCALE.items():
        interval = timescale(key).then or timescale(key).first
        expr = pl.when(pl.col("category") == category).then(interval.add_expr(base)).otherwise(expr)
    return expr


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
    from safeguard.workforce.models import CaseSupervision

    alloc = frames.current_allocation(frames.allocations(scope, as_at, as_at), as_at)
    sup = (
        frames.dated(CaseSupervision, scope)
        .filter(pl.col("date") <= as_at)
        .group_by("child_id")
        .agg(pl.col("date").max().alias("last_supervision"))
    )
    rows = categories(scope, as_at).join(alloc, on="child_id").join(sup, on="child_id", how="left")
    listed = scope.filter(pk__in=rows["child_id"].to_list())
    rows = rows.join(frames.children(listed), on="child_id")
    base = pl.max_horizontal("since", "last_supervision")
    rows = rows.with_columns(due=_due_expr(base)).with_columns(
        status=status_expr("due", as_at), on_time=pl.col("due") >= as_at
    )
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
