"""The CIN census codec: the `Codec` the import/export commands and the upload page use."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from ..codec import LoadSummary, ReadResult
from ..tables import Return
from . import reader, writer


class CinCensusCodec:
    """Reads and writes CIN census XML; loads into and out of the journey record."""

    kind = "cin-census"
    #: Each file is a whole return for one year (the import driver reads them one at a time).
    one_file_per_return = True
    suffix = ".xml"

    def read(self, paths: Sequence[Path]) -> ReadResult:
        return reader.read(list(paths))

    #: Read in pieces (a module-level function, so a worker process can be sent it by name):
    #: the importer loads a big file's first pieces while the rest is read (`worker.py`).
    read_pieces = staticmethod(reader.read_pieces)
    #: The same, the last piece also carrying the DfE rules' summary of the whole file, so the
    #: worker checks the rules while the importer is still loading.
    read_pieces_checked = staticmethod(reader.read_pieces_checked)

    def merge(self, pieces: list[reader.Piece]) -> ReadResult:
        return reader.merge(pieces)

    def write(self, frames: Return, out: Path, *, year: int) -> list[Path]:
        return writer.write(frames, out, year=year)

    def to_record(self, frames: Return, *, source: str) -> LoadSummary:
        from . import record  # Django only when the record is touched

        return record.to_record(frames, source=source)

    def from_record(self, *, year: int | None = None, as_at: date | None = None) -> Return:
        from . import record

        return record.from_record(year=year, as_at=as_at)


CODEC = CinCensusCodec()
