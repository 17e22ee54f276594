"""Whom an exported return carries, so every export is access-logged per child.

The web download and `safeguard export` both log one EXPORT row for each child in the return
(issue 7: every read, download and export of a child's record is logged), and one row with no
child when it also carries adopters (Annex A List 11: adults' personal data, no child's
record); this is the one place that knows where each return keeps whom.
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from safeguard.journey.models import Child
from safeguard.returns.bulk import rows_in

#: The child's ID in each return's tables: CIN census, SSDA903, Annex A (lists 1-10).
CHILD_ID_COLUMNS = ("LAchildID", "CHILD", "Child Unique ID")
#: The adopters' list of Annex A, the one table of people who are not children.
ADOPTERS = "List 11"


def export_subjects(frames: Mapping[str, pl.DataFrame]) -> list[int | None]:
    """What an export's access log names: each child's key, and None once for its adopters."""
    adopters = frames.get(ADOPTERS)
    return [*children_in(frames), *([None] if adopters is not None and adopters.height else [])]


def children_in(frames: Mapping[str, pl.DataFrame]) -> list[int]:
    """The record's keys of every child whose ID appears in any table of the return."""
    ids: set[str] = set()
    for df in frames.values():
        for column in CHILD_ID_COLUMNS:
            if column in df.columns:
                ids.update(v for v in df.get_column(column).cast(pl.Utf8).to_list() if v)
    return [pk for (pk,) in rows_in(Child, "la_child_id", sorted(ids), ["id"])]
