"""A list's rows into the record: matched on their key, the new inserted, the changed updated.

Annex A is a snapshot of what the council's own system holds, so a row that matches one the
record already has (same child and date, same adopter...) fills it in or corrects it, whatever
its source, and only a new one is created under the load's source; loading the same workbook
again therefore changes nothing.
"""

from __future__ import annotations

import polars as pl
from django.db.models import Model

from safeguard.returns import bulk


def upsert(
    model: type[Model],
    rows: pl.DataFrame,
    *,
    keys: list[str],
    values: list[str],
    source: str,
    on_create: list[str] = (),
    seen: list[int] | None = None,
    by: str = "child_id",
) -> int:
    """Insert rows whose key is new, update matched rows whose values differ; rows touched.
    The record's rows are looked up by the rows' `by` (a child's rows; an adopter by their
    identifier). The ids of every row matched or inserted are added to `seen`."""
    if rows.is_empty():
        return 0
    rows = rows.unique(keys, keep="first")
    cols = ["id", *keys, *values]
    found: list[tuple] = []
    for part in bulk.in_parts(rows.get_column(by).unique()):
        found.extend(model.objects.filter(**{f"{by}__in": part}).values_list(*cols))
    old = pl.DataFrame(
        found,
        orient="row",
        schema={"id": pl.Int64, **{c: rows.schema[c] for c in [*keys, *values]}},
    )
    new = rows.join(old, on=keys, how="anti", nulls_equal=True)
    inserted = bulk.insert_frame(
        model,
        new.select(*keys, *values, *on_create).with_columns(pl.lit(source).alias("source")),
    )
    changed = rows.join(old, on=keys, suffix="_old", nulls_equal=True)
    if seen is not None:
        seen.extend(inserted)
        seen.extend(changed.get_column("id").to_list())
    if values:
        differs = pl.any_horizontal([pl.col(v).ne_missing(pl.col(f"{v}_old")) for v in values])
        changed = changed.filter(differs)
        bulk.update_frame(model, changed.select("id", *values))
    else:
        changed = changed.clear()
    return new.height + changed.height
