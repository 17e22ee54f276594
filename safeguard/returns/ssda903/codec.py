"""The SSDA903 (children looked after) return's codec: read, write, load, export.

`CODEC` is what `safeguard.returns.codec.codec_for("ssda903")` returns; the import and export
commands and the upload page use only it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from safeguard.returns.codec import LoadSummary, ReadResult
from safeguard.returns.tables import Return

from . import export, load, reader, writer

NEEDS_YEAR = "An SSDA903 export needs a collection year (e.g. 2019 for 2018-19)."


class SSDA903Codec:
    """Reader, writer and record mapping of the SSDA903 return."""

    kind = "ssda903"

    def read(self, paths: Sequence[Path], *, year: int | None = None) -> ReadResult:
        """CSV files, directories of them, or XML returns; `year` overrides the inferred year."""
        return reader.read(paths, year=year)

    def returns_in(self, paths: Sequence[Path]) -> list[list[Path]]:
        """The files as separate returns (one per directory of CSVs, one per XML file), so a
        caller can load several years one by one, oldest first, each under its own year."""
        return reader.returns_in(paths)

    def write(self, frames: Return, out: Path, *, year: int) -> list[Path]:
        """One CSV per table of the year into directory `out`."""
        return writer.write(frames, out, year=year)

    def to_record(self, frames: Return, *, source: str) -> LoadSummary:
        """Load into the journey record; `source` is "ssda903:<year>"."""
        return load.to_record(frames, source=source)

    def from_record(self, *, year: int | None = None, as_at: date | None = None) -> Return:
        """The year's return from the record (`as_at` is not used by this return)."""
        if year is None:
            raise ValueError(NEEDS_YEAR)
        return export.from_record(year=year)


CODEC = SSDA903Codec()
