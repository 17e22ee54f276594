"""What is due next for each child: the web app's call into `safeguard.timescales.due`.

The due dates themselves are computed in one place, `safeguard.timescales.due` (vectorised
over the journey frames, shared with the timeliness measures), so a screen can never show a
due date the measures would count differently. This module only reads them for the children a
page lists and pairs each row with its `Child`, for the templates.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from safeguard.journey.models import Child
from safeguard.timescales import due as timescales_due


@dataclass(frozen=True)
class DueItem:
    """One statutory (or local-standard) item due for a child."""

    child: Child
    kind: str  # the timescale id
    title: str
    due: date

    def overdue(self, today: date) -> bool:
        return self.due < today


def due_items(children: Iterable[Child], as_at: date | None = None) -> list[DueItem]:
    """Every item due for these children at ``as_at`` (default: the date the pages work to),
    earliest first (so overdue items come first)."""
    from .pages import as_at as pages_as_at

    kids = {c.la_child_id: c for c in children}
    rows = timescales_due.due_for_children(kids, as_at or pages_as_at())
    items = [
        DueItem(kids[r["child_id"]], r["kind"], r["title"], r["due"])
        for r in rows.iter_rows(named=True)
        if r["child_id"] in kids
    ]
    return sorted(items, key=lambda i: (i.due, i.child.pk, i.kind))
