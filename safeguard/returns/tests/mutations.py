"""Small edits to a return's frames, shared by the CIN census and SSDA903 rule-test builders.

A rule's test case is a valid return with one mutation applied; the mutations know nothing of
which return they change, so both builders use these.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import polars as pl

from safeguard.returns.tables import Return

Mutation = Callable[[Return], Return]


def _matching(where: dict[str, Any] | None) -> pl.Expr:
    """The rows whose columns equal every value in `where` (all rows when None)."""
    cond = pl.lit(True)
    for col, val in (where or {}).items():
        cond = cond & (pl.col(col) == val)
    return cond


def edit(table: str, where: dict[str, Any] | None = None, **values: Any) -> Mutation:
    """Set some columns on the rows matching `where` (all rows when None)."""

    def mutate(frames: Return) -> Return:
        df, cond = frames[table], _matching(where)
        changes = [
            pl.when(cond).then(pl.lit(v, dtype=df.schema[c])).otherwise(pl.col(c)).alias(c)
            for c, v in values.items()
        ]
        return {**frames, table: df.with_columns(changes)}

    return mutate


def add(table: str, **row: Any) -> Mutation:
    """Append a row (unlisted columns null)."""

    def mutate(frames: Return) -> Return:
        schema = frames[table].schema
        new = pl.DataFrame([row], schema={c: schema[c] for c in row}).select(
            [pl.col(c) if c in row else pl.lit(None, dtype=t).alias(c) for c, t in schema.items()]
        )
        return {**frames, table: pl.concat([frames[table], new])}

    return mutate


def drop(table: str, where: dict[str, Any] | None = None) -> Mutation:
    """Remove the rows matching `where` (all rows when None)."""

    def mutate(frames: Return) -> Return:
        return {**frames, table: frames[table].filter(~_matching(where))}

    return mutate


def chain(*mutations: Mutation) -> Mutation:
    """Apply mutations in order."""

    def mutate(frames: Return) -> Return:
        for m in mutations:
            frames = m(frames)
        return frames

    return mutate
