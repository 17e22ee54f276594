"""Write an SSDA903 return as the DfE's CSV files: one per table, exactly that year's columns.

Dates are DD/MM/YYYY as the specification asks; every text cell goes through
`safety.escape_cell` so a value cannot be read by Excel as a formula.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from safeguard.returns import safety
from safeguard.returns.tables import Return

from . import spec

#: File name of each table, as the DfE's and the open validator's sample sets name them.
FILE_NAMES: dict[str, str] = {
    "Header": "header.csv",
    "Episodes": "episodes.csv",
    "UASC": "uasc.csv",
    "Reviews": "reviews.csv",
    "AD1": "ad1.csv",
    "PlacedAdoption": "placed_for_adoption.csv",
    "PrevPerm": "previous_permanence.csv",
    "Missing": "missing.csv",
    "OC2": "oc2.csv",
    "OC3": "oc3.csv",
    "SWEpisodes": "sw_episodes.csv",
    "DoLo": "dolo.csv",
}


def write(frames: Return, out: Path, *, year: int) -> list[Path]:
    """Write the year's tables into directory `out` (created if needed); the files written."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for table in spec.tables_for(year):
        df = frames.get(table, pl.DataFrame(schema=spec.TABLES[table]))
        path = out / FILE_NAMES[table]
        as_text(table, df).write_csv(path, null_value="")
        written.append(path)
    return written


def as_text(table: str, df: pl.DataFrame) -> pl.DataFrame:
    """A table as the CSV's text: the spec's CSV columns in order (the Header's UASC flag is
    said by the UASC file instead), dates DD/MM/YYYY, cells escaped."""
    exprs = []
    for c in spec.csv_columns(table):
        t = spec.TABLES[table][c]
        col = pl.col(c) if c in df.columns else pl.lit(None, dtype=t).alias(c)
        exprs.append(col.dt.strftime("%d/%m/%Y") if t == pl.Date else col.cast(pl.Utf8))
    text = df.select(exprs)
    return text.with_columns([_escaped(text.get_column(c)) for c in text.columns])


def _escaped(s: pl.Series) -> pl.Series:
    """Apply `safety.escape_cell` once per distinct value rather than once per cell."""
    values = s.drop_nulls().unique().to_list()
    mapping = {v: safety.escape_cell(v) for v in values}
    changed = {k: v for k, v in mapping.items() if k != v}
    return s.replace(changed) if changed else s
