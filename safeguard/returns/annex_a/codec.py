"""Ofsted's Annex A (ILACS lists 1 to 11) codec: read the workbook, write it, load, export.

`CODEC` is what `safeguard.returns.codec.codec_for("annex-a")` returns. A return here is the
lists keyed "List 1".."List 11", each a frame with the template's column headers.
The record source of a load is "annex-a:<as-at date, ISO>", e.g. "annex-a:2019-06-30": the
workbook's period. The reader infers it (`load.inferred_as_at`); the importer may be told it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

import polars as pl

from safeguard.returns.codec import LoadSummary, ReadResult

from . import export, load, workbook

NEEDS_AS_AT = "An Annex A export needs an as-at date (e.g. 2019-06-30)."
ONE_WORKBOOK = "Annex A is one workbook; got {n} files."


class AnnexACodec:
    """Reader, writer and record mapping of Ofsted's Annex A lists."""

    kind = "annex-a"
    one_file_per_return = True  # each workbook is read and loaded on its own
    as_at_dated = True  # a workbook's period is its as-at date

    def read(self, paths: Sequence[Path]) -> ReadResult:
        if len(paths) != 1:
            raise ValueError(ONE_WORKBOOK.format(n=len(paths)))
        frames, problems = workbook.read(Path(paths[0]))
        return ReadResult(
            frames=frames, problems=problems, year=None, as_at=load.inferred_as_at(frames)
        )

    def write(
        self,
        frames: dict[str, pl.DataFrame],
        out: Path,
        *,
        year: int | None = None,
    ) -> list[Path]:
        return [workbook.write(frames, out)]

    def to_record(self, frames: dict[str, pl.DataFrame], *, source: str) -> LoadSummary:
        return load.to_record(frames, source=source)

    def from_record(
        self,
        *,
        year: int | None = None,
        as_at: date | None = None,
    ) -> dict[str, pl.DataFrame]:
        if as_at is None:
            raise ValueError(NEEDS_AS_AT)
        return export.from_record(as_at=as_at)


CODEC = AnnexACodec()
