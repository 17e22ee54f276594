"""A newer Annex A workbook for the same as-at date replaces that period's rows of its children.

An Annex A load writes its new rows with `source="annex-a:<as-at date>"`. When a workbook as at
the same date is loaded again (a corrected one), the rows of that source, of the children in it,
that the new workbook no longer holds (matched or created by this load: `seen`) are deleted,
with their "-" history rows, and counted by model as replaced. A workbook as at another date,
rows from any other source (the CIN census, the 903, recorded in Safeguard) and children the
new workbook does not list are never touched.

Only what the new workbook says is replaced (`in_scope`): a model's rows are replaced only when
every list that loads them was read from the workbook (`LISTS_OF`; a list absent from it, or
whose sheet could not be read, is left as it is), and not for a child with a row of those lists
set aside as unreadable (a row set aside is not a row no longer listed); when such a row lacks
its child's identifier, the model is not replaced at all.

Deleting a row must not take others with it (a referral's assessments, a S47's conference go
with it by CASCADE; an authorisation or a recorded referral would lose its link by SET_NULL), so:
- a row of this period that the workbook still holds, hung on a referral being deleted (the
  referral's date was corrected), is moved to the child's latest remaining referral on or
  before its own date, as a fresh load would hang it;
- a row being deleted that anything else still points to (a row of another source, or one that
  could not be moved) is kept instead, and counted under `KEPT` so the report says so.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

import polars as pl
from django.db.models import Model

from safeguard.journey import models as jm
from safeguard.returns import bulk

KEPT = "{model} no longer listed but kept (other rows hang on it)"
#: The models an Annex A load writes, rows that point at others before the rows they point at.
FAMILY: tuple[type[Model], ...] = (
    jm.Conference,
    jm.Assessment,
    jm.Section47,
    jm.ChildProtectionPlan,
    jm.Referral,
    jm.EarlyHelpEpisode,
    jm.Contact,
    jm.Visit,
    jm.LookedAfterReview,
    jm.CareLeaverContact,
    jm.Adoption,
)
#: The lists each model's rows are loaded from (lists 3 and 6 both make referrals; list 5 makes
#: initial conferences, list 7 review conferences; list 7 makes CP visits, list 8 CLA visits).
LISTS_OF: dict[type[Model], tuple[str, ...]] = {
    jm.Conference: ("List 5", "List 7"),
    jm.Assessment: ("List 4",),
    jm.Section47: ("List 5",),
    jm.ChildProtectionPlan: ("List 7",),
    jm.Referral: ("List 3", "List 6"),
    jm.EarlyHelpEpisode: ("List 2",),
    jm.Contact: ("List 1",),
    jm.Visit: ("List 7", "List 8"),
    jm.LookedAfterReview: ("List 8",),
    jm.CareLeaverContact: ("List 9",),
    jm.Adoption: ("List 10",),
}
#: The models hung on a referral, by the date that picks it (the latest on or before).
HUNG: dict[type[Model], str] = {
    jm.Assessment: "start_date",
    jm.Section47: "strategy_discussion_date",
    jm.ChildProtectionPlan: "start_date",
}


@dataclass
class Replacement:
    """What replacing a period did: rows deleted, and rows moved or kept (for the summary)."""

    replaced: dict[str, int] = field(default_factory=dict)
    written: dict[str, int] = field(default_factory=dict)


def latest_referral(df: pl.DataFrame, on: str, *, skip: Collection[int] = ()) -> pl.DataFrame:
    """Each row with the id of its child's latest referral on or before its date `on` (null if
    none), leaving out referrals `skip` (about to be deleted)."""
    rows = bulk.rows_in(
        jm.Referral,
        "child_id",
        df.get_column("child_id").unique().to_list(),
        ["child_id", "referral_date", "id"],
    )
    refs = pl.DataFrame(
        rows, orient="row", schema={"child_id": pl.Int64, "_rd": pl.Date, "referral_id": pl.Int64}
    )
    refs = refs.filter(~pl.col("referral_id").is_in(list(skip))).sort("_rd")
    return (
        df.sort(on)
        .join_asof(
            refs,
            left_on=on,
            right_on="_rd",
            by="child_id",
            strategy="backward",
            check_sortedness=False,
        )
        .drop("_rd")
    )


def in_scope(
    ids: pl.DataFrame, read: Collection[str], set_aside: pl.DataFrame
) -> dict[type[Model], list[int]]:
    """Per model, the children (`ids`: "Child Unique ID", "child_id") whose rows of the period
    the workbook replaces: all of them if every list the model is loaded from was `read` and
    none of their rows was set aside (`set_aside`: "list", "id"), else fewer (module doc)."""
    out: dict[type[Model], list[int]] = {}
    for model, lists in LISTS_OF.items():
        aside = set_aside.filter(pl.col("list").is_in(lists)).get_column("id")
        if not set(lists) <= set(read) or aside.null_count():
            out[model] = []
            continue
        kept = ids.filter(~pl.col("Child Unique ID").is_in(aside.implode()))
        out[model] = kept.get_column("child_id").to_list()
    return out


def replace_period(
    children: dict[type[Model], Iterable[int]], source: str, seen: dict[type[Model], list[int]]
) -> Replacement:
    """Delete the rows of `source` that this load did not see, of the children each model's
    rows are replaced for (`in_scope`; module doc)."""
    stale = _stale(children, source, seen)
    out = Replacement()
    if not any(stale.values()):
        return out
    out.written = _rehang(stale[jm.Referral], source, seen)
    for model, n in bulk.keep_referenced(stale).items():
        out.written[KEPT.format(model=model.__name__)] = n
    handled = frozenset(FAMILY)
    for model in FAMILY:
        n = bulk.delete_ids(model, sorted(stale[model]), handled=handled)
        if n:
            out.replaced[model.__name__] = n
    return out


def _stale(
    children: dict[type[Model], Iterable[int]], source: str, seen: dict[type[Model], list[int]]
) -> dict[type[Model], set[int]]:
    """Per model, the ids of the rows of `source` of its children that this load did not see."""
    out = {}
    for model in FAMILY:
        rows = _of_source(model, "child_id", list(children.get(model, ())), source)
        ids = pl.Series("id", [r[0] for r in rows], dtype=pl.Int64)
        out[model] = set(ids.filter(~ids.is_in(seen.get(model, []))).to_list())
    return out


def _of_source(model, column: str, values: Collection, source: str, fields=("id",)) -> list:
    return bulk.rows_in(
        model, column, list(values), list(fields), where="source = %s", params=[source]
    )


def _rehang(stale_refs: set[int], source: str, seen: dict) -> dict[str, int]:
    """Move the rows of this period that the workbook still holds off the referrals being
    deleted, onto the referral a fresh load would hang them on; rows moved, by model."""
    out: dict[str, int] = {}
    if not stale_refs:
        return out
    for model, on in HUNG.items():
        rows = _of_source(model, "referral_id", stale_refs, source, ("id", "child_id", on))
        df = pl.DataFrame(
            rows, orient="row", schema={"id": pl.Int64, "child_id": pl.Int64, on: pl.Date}
        ).filter(pl.col("id").is_in(seen.get(model, [])))
        if df.is_empty():
            continue
        moved = latest_referral(df, on, skip=stale_refs).drop_nulls("referral_id")
        if bulk.update_frame(model, moved.select("id", "referral_id")):
            out[model.__name__] = moved.height
    return out
