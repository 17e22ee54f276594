"""The generator's entry points: simulate a council into tables, or generate it into the record."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import numpy as np

from .journeys import Council
from .load import field_kinds, insert
from .profile import DEFAULT_POPULATION, DEFAULT_START, DEFAULT_UNTIL, Profile
from .tables import ORDER, Tables
from .workforce import Workforce, fill_practice_workers

Progress = Callable[[str, int, int], None]


def simulate(
    *,
    seed: int,
    population: int = DEFAULT_POPULATION,
    until: date = DEFAULT_UNTIL,
    start: date = DEFAULT_START,
    progress: Progress | None = None,
) -> Tables:
    """The whole council as columnar tables in memory (nothing touches the database).

    Deterministic: the same arguments give the same tables, row for row.
    """
    prof = Profile(population=population, start=start, until=until)
    council = Council(prof, np.random.default_rng(seed))
    step = (lambda n, total: progress("children", n, total)) if progress else None
    tables = council.run(step)
    wf = Workforce(council)
    wf.run()
    fill_practice_workers(council, wf)
    _drop_before(tables, council.start)
    for label in ORDER:
        tables[label].kinds = field_kinds(label)
    return tables


def _drop_before(tables: Tables, start: int) -> None:
    """Allocation pieces that ended before the history starts, and staff who left before it."""
    alloc = tables["workforce.Allocation"]
    alloc.keep(e is None or e >= start for e in alloc.columns.get("end_date", []))
    used = set(alloc.columns.get("worker_id", []))
    workers = tables["workforce.Worker"]
    cols = workers.columns
    workers.keep(
        leave is None or leave >= start or pk in used
        for pk, leave in zip(cols["id"], cols["leave_date"], strict=True)
    )


def generate(
    *,
    seed: int,
    population: int = DEFAULT_POPULATION,
    until: date = DEFAULT_UNTIL,
    start: date = DEFAULT_START,
    progress: Progress | None = None,
) -> dict[str, int]:
    """Simulate the council and insert it into the (empty) record; returns rows per model."""
    tables = simulate(seed=seed, population=population, until=until, start=start, progress=progress)
    counts = tables.counts()
    total = sum(counts.values())
    done = 0

    def step(label: str, n: int) -> None:
        nonlocal done
        done += n
        if progress:
            progress(label, done, total)

    insert(tables, step)
    return counts
