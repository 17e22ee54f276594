"""Polars frames of the record for the trackers, loaded once per page and restricted to a scope.

Each loader runs one query with `values_list` over the children in scope and returns a frame
with a fixed schema (so an empty scope gives an empty frame of the right shape, not an error).
Everything the trackers then do is vectorised over these frames.
"""

from __future__ import annotations

from datetime import date

import polars as pl
from django.db.models import Q, QuerySet

from safeguard.codes import ssda903
from safeguard.journey import models as j
from safeguard.workforce import models as w

Schema = dict[str, pl.DataType | type[pl.DataType]]
D, S, I, B = pl.Date, pl.Utf8, pl.Int64, pl.Boolean  # noqa: E741
DT = pl.Datetime("us", "UTC")


def load(queryset: QuerySet, schema: Schema) -> pl.DataFrame:
    """The queryset's rows as a frame with exactly `schema`'s columns (the field names)."""
    rows = list(queryset.values_list(*schema.keys()))
    return pl.DataFrame(rows, schema=schema, orient="row")


def in_scope(queryset: QuerySet, children: QuerySet, field: str = "child") -> QuerySet:
    """Rows about children in the user's scope (a subquery, not a list of ids)."""
    return queryset.filter(**{f"{field}__in": children.values("pk")})


def children(scope: QuerySet) -> pl.DataFrame:
    """The children in scope: id, LA child ID, name and date of birth."""
    frame = load(
        scope, {"id": I, "la_child_id": S, "first_name": S, "last_name": S, "date_of_birth": D}
    )
    return frame.select(
        pl.col("id").alias("child_id"),
        "la_child_id",
        pl.concat_str([pl.col("first_name"), pl.col("last_name")], separator=" ")
        .str.strip_chars()
        .alias("name"),
        "date_of_birth",
    )


def allocations(
    scope: QuerySet, since: date | None = None, until: date | None = None
) -> pl.DataFrame:
    """Allocations of the children in scope (those open at some time in [since, until] when
    given: the filter runs in SQL, so a page loads only the pieces it needs)."""
    qs = in_scope(w.Allocation.objects, scope)
    if since is not None:
        qs = qs.filter(Q(end_date__isnull=True) | Q(end_date__gte=since))
    if until is not None:
        qs = qs.filter(start_date__lte=until)
    frame = load(
        qs,
        {
            "child_id": I,
            "worker_id": I,
            "team_id": I,
            "start_date": D,
            "end_date": D,
            "worker__name": S,
            "team__name": S,
        },
    )
    return frame.rename({"worker__name": "worker", "team__name": "team"})


def current_allocation(allocs: pl.DataFrame, as_at: date) -> pl.DataFrame:
    """Each child's allocation open at `as_at` (end date inclusive, as the scope filter counts);
    the latest-starting one where a transfer overlaps."""
    is_open = (pl.col("start_date") <= as_at) & (
        pl.col("end_date").is_null() | (pl.col("end_date") >= as_at)
    )
    return (
        allocs.filter(is_open)
        .sort(["child_id", "start_date"])
        .unique("child_id", keep="last", maintain_order=True)
        .select(
            "child_id",
            "team_id",
            "team",
            "worker_id",
            "worker",
            pl.col("start_date").alias("allocated"),
        )
    )


def episodes(scope: QuerySet) -> pl.DataFrame:
    """Care episodes of the children in scope."""
    qs = in_scope(j.CareEpisode.objects, scope)
    return load(
        qs,
        {
            "child_id": I,
            "start_date": D,
            "end_date": D,
            "legal_status": S,
            "placement_type": S,
            "reason_new_episode": S,
        },
    )


def open_on(as_at: date, start: str = "start_date", end: str = "end_date") -> pl.Expr:
    """Whether a row's period covers `as_at` (started on or before it, not ended by it)."""
    return (pl.col(start) <= as_at) & (pl.col(end).is_null() | (pl.col(end) > as_at))


def with_runs(eps: pl.DataFrame, same: pl.Expr | None = None) -> pl.DataFrame:
    """Number runs of contiguous episodes per child (a run breaks where one episode does not
    start on the day the previous ended, or where `same` is false), with each run's start."""
    eps = eps.sort(["child_id", "start_date"])
    prev_end = pl.col("end_date").shift(1).over("child_id")
    breaks = prev_end.is_null() | (prev_end != pl.col("start_date"))
    if same is not None:
        breaks = breaks | ~same
    return eps.with_columns(run=breaks.cast(pl.Int64).cum_sum().over("child_id")).with_columns(
        run_start=pl.col("start_date").min().over(["child_id", "run"])
    )


def looked_after(eps: pl.DataFrame, as_at: date) -> pl.DataFrame:
    """Children looked after at `as_at` (short breaks V3/V4 excluded), with the start of their
    period of care (the latest episode starting one, RNE S, as `safeguard.timescales.due`
    counts it) and current legal status and placement."""
    eps = eps.filter(~pl.col("legal_status").is_in(list(ssda903.SHORT_BREAK_LEGAL_STATUSES)))
    now = eps.filter(open_on(as_at)).sort("start_date").unique("child_id", keep="last")
    starts = (
        eps.filter((pl.col("reason_new_episode") == "S") & (pl.col("start_date") <= as_at))
        .group_by("child_id")
        .agg(care_start=pl.col("start_date").max())
    )
    return now.join(starts, on="child_id", how="left").select(
        "child_id",
        pl.coalesce("care_start", "start_date").alias("care_start"),
        "legal_status",
        "placement_type",
    )


def cp_plans(scope: QuerySet) -> pl.DataFrame:
    qs = in_scope(j.ChildProtectionPlan.objects, scope)
    return load(qs, {"child_id": I, "start_date": D, "end_date": D})


def cin_plans(scope: QuerySet) -> pl.DataFrame:
    qs = in_scope(j.ChildInNeedPlan.objects, scope)
    return load(qs, {"child_id": I, "start_date": D, "end_date": D})


def dated(
    model: type,
    scope: QuerySet,
    field: str = "date",
    extra: Schema | None = None,
    where: Q | None = None,
) -> pl.DataFrame:
    """(child_id, date[, extra...]) rows of a dated record for the children in scope."""
    qs = in_scope(model.objects.filter(where or Q()), scope)
    return load(qs, {"child_id": I, field: D, **(extra or {})})
