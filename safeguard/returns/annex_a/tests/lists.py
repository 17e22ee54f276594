"""Hand-made Annex A lists for tests: every list of a workbook, each row naming only the columns
a test cares about (the others are blank), typed as the reader gives them."""

from __future__ import annotations

from datetime import date

import polars as pl

from safeguard.returns.annex_a import spec


def person(la_id: str, gender: str = "b) Female", born: date = date(2012, 4, 1)) -> dict:
    """The columns every list starts with, for one child."""
    return {
        "Child Unique ID": la_id,
        "Gender": gender,
        "Ethnicity": "WBRI",
        "Date of Birth": born,
    }


def lists(rows: dict[str, list[dict]]) -> dict[str, pl.DataFrame]:
    """Lists 1 to 11 (empty unless given), from rows of {column: value}."""
    return {
        name: pl.DataFrame(
            [{c: r.get(c) for c in columns} for r in rows.get(name, [])],
            schema=spec.schema(name),
            orient="row",
        )
        for name, columns in spec.LISTS.items()
    }
