"""Helpers for the SSDA903 tests: write small CSV returns and compare returns as sets of rows."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from safeguard.returns.ssda903 import spec


def write_csvs(folder: Path, files: dict[str, str]) -> Path:
    """Write {file name: CSV text} into `folder` and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text.strip() + "\n", encoding="utf-8")
    return folder


def rows(df: pl.DataFrame) -> list[tuple]:
    """A table's rows, sorted, so two returns compare regardless of order."""
    return sorted(df.iter_rows(), key=lambda r: tuple("" if v is None else str(v) for v in r))


def differences(
    a: dict[str, pl.DataFrame], b: dict[str, pl.DataFrame], tables: list[str] | None = None
) -> dict[str, tuple[list, list]]:
    """Per table, (rows only in a, rows only in b); empty when the returns are the same."""
    out = {}
    for t in tables or list(spec.TABLES):
        ra, rb = rows(a[t].select(spec.columns(t))), rows(b[t].select(spec.columns(t)))
        if ra != rb:
            only_a = [r for r in ra if r not in rb]
            only_b = [r for r in rb if r not in ra]
            out[t] = (only_a[:5], only_b[:5])
    return out
