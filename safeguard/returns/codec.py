"""What each return's codec offers: read and write files, load into and out of the record.

Each return (CIN census, SSDA903, Annex A) has one module implementing `Codec`, listed in
`CODECS`. The `import`, `export` and `validate` commands and the web upload page work only
through this interface, so a new return, or a new year of one, touches one module.

Two kinds of problem are never confused:
- a `Problem` here means the file cannot be read as that return (missing columns, unparseable
  dates, values outside the code lists, a child ID missing): the whole file is refused unless the
  user asks to skip invalid rows, and every skipped row is written out with its reason;
- a readable return whose data break DfE validation rules is read and loaded as it is; the
  validation report (`safeguard.returns.engine`) lists those breaches.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from importlib import import_module
from pathlib import Path
from typing import Protocol

from .tables import Return


@dataclass(frozen=True)
class Problem:
    """Why part of a file cannot be read as the return it claims to be."""

    file: str
    location: str  # "line 12" for CSV, an element path such as "/Message/Children/Child[3]/..."
    field: str
    value: str
    rule: str  # what is wrong, in words a user can act on

    def __str__(self) -> str:
        return f"{self.file}, {self.location}, {self.field}={self.value!r}: {self.rule}"


class ReturnRefused(Exception):
    """A file, or a set of files, was refused whole; nothing was written."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = list(problems)
        super().__init__(f"{len(self.problems)} problem(s); first: {self.problems[0]}")


@dataclass
class ReadResult:
    """The tables read from the files, and the rows that could not be read (with reasons)."""

    frames: Return
    problems: list[Problem] = field(default_factory=list)
    year: int | None = None  # collection year by its end (2019 = 2018-19), when the file says
    as_at: date | None = None  # a snapshot's as-at date (Annex A), as the reader inferred it


@dataclass
class LoadSummary:
    """What loading a return into the record did."""

    children: int = 0
    rows_written: dict[str, int] = field(default_factory=dict)
    replaced: dict[str, int] = field(default_factory=dict)  # rows of an earlier load replaced
    unchanged: bool = False  # the same return was loaded before: nothing changed


class Codec(Protocol):
    """A statutory return's reader, writer and mapping to and from the journey record.

    Optional: a codec whose every file is a whole return (the CIN census) sets
    `one_file_per_return = True`; the import driver (`importing.py`) then reads and loads the
    files one at a time, oldest collection year first. Otherwise all files go to one `read`.
    A codec of snapshots for a date rather than a year (Annex A) sets `as_at_dated = True`: its
    reader infers `ReadResult.as_at`, the user may state it instead, and the load's source is
    "<kind>:<as-at date, ISO>".
    Readers open files through `safety` (`open_checked`, `safe_iterparse`, `check_xlsx`), which
    refuses hostile files and reports reading progress.
    """

    kind: str  # "cin-census", "ssda903", "annex-a"

    def read(self, paths: Sequence[Path]) -> ReadResult: ...

    def write(self, frames: Return, out: Path, *, year: int) -> list[Path]: ...

    def to_record(self, frames: Return, *, source: str) -> LoadSummary: ...

    def from_record(self, *, year: int | None = None, as_at: date | None = None) -> Return: ...


#: kind -> "module:attribute" of its codec object, imported when first used.
CODECS: dict[str, str] = {
    "cin-census": "safeguard.returns.cin_census.codec:CODEC",
    "ssda903": "safeguard.returns.ssda903.codec:CODEC",
    "annex-a": "safeguard.returns.annex_a.codec:CODEC",
}


def codec_for(kind: str) -> Codec:
    """The codec of a return kind; a clear error for an unknown kind."""
    if kind not in CODECS:
        raise KeyError(f"Unknown return {kind!r}; known: {', '.join(sorted(CODECS))}.")
    module, _, attr = CODECS[kind].partition(":")
    return getattr(import_module(module), attr)
