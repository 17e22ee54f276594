"""Rows of other sources hung on census rows that a reload replaces: moved, never deleted.

A return's reload replaces only that return's own rows. But an Annex A load hangs its
assessments, S47s and CP plans on the child's latest referral of any source (often a census
one), its conferences on a census S47 or CP plan, and a worker records authorisations and plans
against census rows. Deleting the old census rows would take those with them (CASCADE) or cut
their link (SET_NULL). So, once the new census rows are written and before the old ones go,
each row of another source pointing at an old census row is moved onto the row replacing it:

- the child's row of the same model, not being deleted, with the same key (a referral's date,
  a S47's start, a plan's start, a conference's kind and date; the newest if several);
- else, for a row hung by its own date (an assessment, CIN plan, S47 or CP plan on a referral;
  a conference on a S47 or CP plan), the child's latest such row on or before that date, as a
  fresh Annex A load would hang it (`annex_a/replace.py` moves its own rows the same way).

A row that cannot be moved keeps its old parent, which the caller then keeps too
(`bulk.keep_referenced`) and reports. Each moved row gets its "~" history row.
"""

from __future__ import annotations

import polars as pl
from django.db.models import DO_NOTHING, Model

from safeguard.journey.models import (
    Assessment,
    ChildInNeedPlan,
    ChildProtectionPlan,
    Conference,
    Referral,
    Section47,
)

from .. import bulk

#: Counted by link: a row hung on two replaced rows (an authorisation's referral and
#: assessment) counts twice.
MOVED = "{model} links of other sources moved onto the new census rows"
KEPT = "{model} replaced but kept (other rows hang on it)"
#: A row and the one replacing it are the same child's, with these columns equal.
SAME: dict[type[Model], tuple[str, ...]] = {
    Referral: ("referral_date",),
    Assessment: ("start_date",),
    ChildInNeedPlan: ("start_date",),
    Section47: ("strategy_discussion_date",),
    ChildProtectionPlan: ("start_date",),
    Conference: ("kind", "date"),
}
#: (model, foreign key column) -> the row's own date that picks its parent when none has the
#: same key: the latest parent on or before it.
OWN_DATE: dict[tuple[type[Model], str], str] = {
    (Assessment, "referral_id"): "start_date",
    (ChildInNeedPlan, "referral_id"): "start_date",
    (Section47, "referral_id"): "strategy_discussion_date",
    (ChildProtectionPlan, "referral_id"): "start_date",
    (Conference, "section47_id"): "date",
    (Conference, "cp_plan_id"): "date",
}


def move_off(going: dict[type[Model], set[int]], ours: str) -> dict[str, int]:
    """Move every row not in `going` that points at a row in it onto that row's replacement
    (module doc); links moved, by model, under `MOVED`. Rows whose source starts with `ours`
    (the census's) under a row going are going too, so they are not even read."""
    out: dict[str, int] = {}
    for parent, ids in going.items():
        if not ids or parent not in SAME:
            continue
        for rel in bulk._references_to(parent):
            if rel.on_delete is DO_NOTHING:
                continue
            model = rel.related_model
            n = _move(model, rel.field.column, parent, going, ours)
            if n:
                name = MOVED.format(model=model.__name__)
                out[name] = out.get(name, 0) + n
    return out


def _move(model: type[Model], column: str, parent: type[Model], going: dict, ours: str) -> int:
    """Move `model`'s rows staying that point by `column` at rows of `parent` going; moved."""
    own = OWN_DATE.get((model, column))
    pk = model._meta.pk.column
    fields = [pk, column, *([own] if own else [])]
    where, params = _not_ours(model, ours)
    rows = bulk.rows_in(model, column, sorted(going[parent]), fields, where=where, params=params)
    schema = {"id": pl.Int64, "old": pl.Int64, "own": pl.Date}
    df = pl.DataFrame([(*r, None)[:3] for r in rows], schema=schema, orient="row")
    df = df.filter(~pl.col("id").is_in(sorted(going.get(model, set()))))
    if df.is_empty():
        return 0
    moved = _replacements(df, parent, going[parent]).drop_nulls("new")
    return bulk.update_frame(model, moved.select("id", pl.col("new").alias(column)))


def _not_ours(model: type[Model], ours: str) -> tuple[str, list]:
    """SQL leaving out rows whose source starts with `ours` (nothing for a model without one)."""
    if not any(f.name == "source" for f in model._meta.concrete_fields):
        return "", []
    return "NOT substr(source, 1, %s) = %s", [len(ours), ours]


def _parents(parent: type[Model], column: str, values: list, name: str) -> pl.DataFrame:
    """Rows of `parent` whose `column` is one of `values`: id (as `name`), child and key."""
    key = SAME[parent]
    schema = {name: pl.Int64, "child_id": pl.Int64} | {k: _dtype(parent, k) for k in key}
    rows = bulk.rows_in(parent, column, values, ["id", "child_id", *key])
    return pl.DataFrame(rows, schema=schema, orient="row")


def _dtype(model: type[Model], name: str) -> pl.DataType:
    kind = model._meta.get_field(name).get_internal_type()
    return pl.Date if kind == "DateField" else pl.Utf8


def _replacements(df: pl.DataFrame, parent: type[Model], old_ids: set[int]) -> pl.DataFrame:
    """Each row (`id`, `old` parent, `own` date) with its `new` parent: the same child's with
    the same key, else its latest on or before `own` (null if none), never one in `old_ids`."""
    key = list(SAME[parent])
    old = _parents(parent, "id", df.get_column("old").unique().to_list(), "old")
    children = old.get_column("child_id").unique().to_list()
    cands = _parents(parent, "child_id", children, "new").filter(
        ~pl.col("new").is_in(sorted(old_ids))
    )
    same = cands.sort("new").unique(["child_id", *key], keep="last")
    rows = df.join(old, on="old").join(same, on=["child_id", *key], how="left")
    found, rest = rows.filter(pl.col("new").is_not_null()), rows.filter(pl.col("new").is_null())
    by_date = (
        cands.select("child_id", pl.col(key[-1]).alias("_on"), "new")
        .drop_nulls("_on")
        .sort("_on", "new")
    )
    later = (
        rest.drop("new")
        .filter(pl.col("own").is_not_null())
        .sort("own")
        .join_asof(
            by_date,
            left_on="own",
            right_on="_on",
            by="child_id",
            strategy="backward",
            check_sortedness=False,
        )
    )
    return pl.concat([found.select("id", "new"), later.select("id", "new")])
