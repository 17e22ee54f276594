"""The workforce page: weighted caseloads, agency and permanent mix, vacancies, and how often
children's workers changed in the year.

Caseload weights are the web app's (`safeguard.web.caseload.WEIGHTS`, declared once there).
"""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl
from django.db.models import QuerySet

from safeguard.web.caseload import WEIGHTS
from safeguard.workforce.models import Team, Worker

from . import frames, supervision
from .models import Establishment

CASE_HOLDING_ROLES = ("SW", "ASW", "FSW")
YEAR = timedelta(days=365)


def caseload_weights() -> dict[str, float]:
    """The weights by case category (this app calls looked-after cases CLA, the web app LAC)."""
    names = {"LAC": "CLA"}
    return {names.get(k, k): float(v) for k, v in WEIGHTS.items()}


def caseloads(scope: QuerySet, as_at: date) -> pl.DataFrame:
    """Per worker: cases by category, count, weighted count, and weighted count per FTE."""
    alloc = frames.current_allocation(frames.allocations(scope, as_at, as_at), as_at).filter(
        pl.col("worker_id").is_not_null()
    )
    cats = supervision.categories(scope, as_at).select("child_id", "category")
    weights = caseload_weights()
    cases = (
        alloc.join(cats, on="child_id", how="left")
        .with_columns(pl.col("category").fill_null("OTHER"))
        .with_columns(weight=pl.col("category").replace_strict(weights, return_dtype=pl.Float64))
    )
    fte = frames.load(
        Worker.objects.filter(pk__in=alloc["worker_id"].to_list()),
        {"id": frames.I, "fte": pl.Float64, "agency": frames.B},
    )
    per = cases.group_by(["team", "worker_id", "worker"]).agg(
        cases=pl.len(),
        weighted=pl.col("weight").sum().round(2),
        **{c.lower(): (pl.col("category") == c).sum() for c in weights},
    )
    return (
        per.join(fte.rename({"id": "worker_id"}), on="worker_id", how="left")
        .with_columns(weighted_per_fte=(pl.col("weighted") / pl.col("fte")).round(1))
        .sort(["team", "worker"])
    )


def _in_post(teams: QuerySet[Team], as_at: date) -> pl.DataFrame:
    staff = Worker.objects.filter(team__in=teams, start_date__lte=as_at).exclude(
        leave_date__lte=as_at
    )
    return frames.load(
        staff, {"team__name": frames.S, "role": frames.S, "agency": frames.B, "fte": pl.Float64}
    ).rename({"team__name": "team"})


def staffing(teams: QuerySet[Team], as_at: date) -> pl.DataFrame:
    """Per team: case-holding workers in post, agency and permanent, % agency, funded posts,
    FTE in post and vacancies (posts less FTE in post, social worker roles)."""
    staff = _in_post(teams, as_at).filter(pl.col("role").is_in(CASE_HOLDING_ROLES))
    mix = staff.group_by("team").agg(
        workers=pl.len(),
        agency=pl.col("agency").sum(),
        permanent=(~pl.col("agency")).sum(),
        fte_in_post=pl.col("fte").sum().round(2),
    )
    posts = (
        frames.load(
            Establishment.objects.filter(team__in=teams, role__in=CASE_HOLDING_ROLES),
            {"team__name": frames.S, "posts": pl.Float64},
        )
        .rename({"team__name": "team"})
        .group_by("team")
        .agg(pl.col("posts").sum())
    )
    counts = ["workers", "agency", "permanent", "fte_in_post"]
    return (
        mix.join(posts, on="team", how="full", coalesce=True)
        .with_columns(pl.col(counts).fill_null(0))
        .with_columns(
            agency_pct=pl.when(pl.col("workers") > 0).then(
                (pl.col("agency") * 100 / pl.col("workers")).round(1)
            ),
            vacancies=(pl.col("posts") - pl.col("fte_in_post")).round(2),
        )
        .sort("team")
    )


def worker_changes(scope: QuerySet, as_at: date) -> pl.DataFrame:
    """Per child with a case open in the year to `as_at`: how many times the allocated worker
    changed in that year (a new allocation with a different named worker)."""
    allocs = (
        frames.allocations(scope, until=as_at)
        .filter(pl.col("worker_id").is_not_null())
        .sort(["child_id", "start_date"])
    )
    allocs = allocs.with_columns(prev=pl.col("worker_id").shift(1).over("child_id"))
    in_year = (pl.col("start_date") > as_at - YEAR) & (pl.col("start_date") <= as_at)
    changed = in_year & pl.col("prev").is_not_null() & (pl.col("prev") != pl.col("worker_id"))
    open_in_year = (pl.col("start_date") <= as_at) & (
        pl.col("end_date").is_null() | (pl.col("end_date") > as_at - YEAR)
    )
    return (
        allocs.filter(open_in_year).group_by("child_id").agg(changes=changed.sum()).sort("child_id")
    )


def change_distribution(changes: pl.DataFrame) -> list[tuple[str, int]]:
    """Children by number of worker changes in the year: none, 1, 2, 3 or more."""
    n = changes["changes"] if changes.height else pl.Series([], dtype=pl.Int64)
    return [
        ("No change", int((n == 0).sum())),
        ("1 change", int((n == 1).sum())),
        ("2 changes", int((n == 2).sum())),
        ("3 or more changes", int((n >= 3).sum())),
    ]
