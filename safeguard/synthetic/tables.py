"""The generator's in-memory stage: one columnar table per model, with primary keys we assign.

Simulation appends rows here; loading turns each table into one bulk insert. Because the
generator numbers the rows itself, foreign keys are known without asking the database, and the
same tables can be checked in memory (calibration) or written to SQLite or PostgreSQL.
Dates are day numbers (see `days`), datetimes are minute numbers, until loading.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import polars as pl

#: Models in dependency order (a table only refers to tables before it), by app label.
ORDER: tuple[str, ...] = (
    "workforce.Team",
    "workforce.Worker",
    "journey.Child",
    "journey.Contact",
    "journey.EarlyHelpEpisode",
    "journey.Referral",
    "journey.Assessment",
    "journey.ChildInNeedPlan",
    "journey.Section47",
    "journey.Conference",
    "journey.ChildProtectionPlan",
    "journey.CareEpisode",
    "journey.LookedAfterReview",
    "journey.MissingEpisode",
    "journey.HealthOutcome",
    "journey.CareLeaverContact",
    "journey.Adoption",
    "journey.PreviousPermanence",
    "journey.CareProceedings",
    "journey.Visit",
    "workforce.Allocation",
    "workforce.CaseSupervision",
)

#: Column kinds that need converting on the way out (everything else is int, str, bool, None).
DATE, DATETIME, JSON, DECIMAL = "date", "datetime", "json", "decimal"


class Table:
    """Columns of one model: field attname -> list of values, plus the next primary key."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.columns: dict[str, list[Any]] = {"id": []}
        self.kinds: dict[str, str] = {}
        self.next_id = 1

    def __len__(self) -> int:
        return len(self.columns["id"])

    def reserve(self) -> int:
        """A primary key for a row that will be added later (or never: gaps are harmless)."""
        pk = self.next_id
        self.next_id += 1
        return pk

    def add(self, pk: int | None = None, **values: Any) -> int:
        """Append a row; every row of a table must give the same fields."""
        if pk is None:
            pk = self.reserve()
        cols = self.columns
        if len(cols) == 1:
            for name in values:
                cols[name] = []
        cols["id"].append(pk)
        for name, value in values.items():
            cols[name].append(value)
        return pk

    def truncate(self, length: int) -> None:
        """Drop the rows after the first `length` (undo a simulated episode)."""
        for values in self.columns.values():
            del values[length:]

    def keep(self, mask: Iterable[bool]) -> None:
        """Keep only the rows where mask is true."""
        flags = list(mask)
        for name, values in self.columns.items():
            self.columns[name] = [v for v, f in zip(values, flags, strict=True) if f]

    def frame(self) -> pl.DataFrame:
        """The table as a polars frame (dates as polars Date, datetimes as Datetime)."""
        data: dict[str, pl.Series] = {}
        for name, values in self.columns.items():
            kind = self.kinds.get(name)
            if kind == DATE:
                s = pl.Series(name, values, dtype=pl.Int32).cast(pl.Date)
            elif kind == DATETIME:
                s = (pl.Series(name, values, dtype=pl.Int64) * 60_000).cast(pl.Datetime("ms"))
            elif kind == JSON:
                s = pl.Series(name, values, dtype=pl.List(pl.Utf8))
            else:
                s = pl.Series(name, values, strict=False)
            data[name] = s
        return pl.DataFrame(data)


class Tables:
    """All generated tables, in dependency order."""

    def __init__(self) -> None:
        self.tables = {name: Table(name) for name in ORDER}

    def __getitem__(self, name: str) -> Table:
        return self.tables[name]

    def checkpoint(self) -> dict[str, int]:
        return {name: len(t) for name, t in self.tables.items()}

    def rollback(self, mark: dict[str, int]) -> None:
        for name, length in mark.items():
            self.tables[name].truncate(length)

    def frames(self) -> dict[str, pl.DataFrame]:
        """Every table as a polars frame, keyed by model label (e.g. "journey.CareEpisode")."""
        return {name: t.frame() for name, t in self.tables.items()}

    def counts(self) -> dict[str, int]:
        return {name: len(t) for name, t in self.tables.items()}
