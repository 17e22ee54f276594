"""Which children an exported return carries, so every export is access-logged per child.

The web download and `safeguard export` both log one EXPORT row for each child in the return
(issue 7: every read, download and export of a child's record is logged); this is the one
place that knows where each return keeps the child's ID.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import polars as pl

from safeguard.journey.models import Child

#: The child's ID in each return's tables: CIN census, SSDA903, Annex A (lists 1-10).
CHILD_ID_COLUMNS = ("LAchildID", "CHILD", "Child Unique ID")
_PART = 5000  # IDs per query, under SQLite's limit on parameters


def children_in(frames: Mapping[str, pl.DataFrame]) -> list[int]:
    """The record's keys of every child whose ID appears in any table of the return."""
    ids: set[str] = set()
    for df in frames.values():
        for column in CHILD_ID_COLUMNS:
            if column in df.columns:
                ids.update(v for v in df.get_column(column).cast(pl.Utf8).to_list() if v)
    return [
        pk
        for part in in_parts(sorted(ids))
        for pk in Child.objects.filter(la_child_id__in=part).values_list("pk", flat=True)
    ]


def in_parts(values: list[str]) -> Iterator[list[str]]:
    """The values in lists short enough for one `IN (...)` (SQLite limits its parameters)."""
    for i in range(0, len(values), _PART):
        yield values[i : i + _PART]
