"""Code lists as data: each DfE or local list declared once, with the years each code is valid."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Code:
    """One code of a list; years are collection years by the year they end (2019 = 2018-19)."""

    code: str
    label: str
    first_year: int | None = None
    last_year: int | None = None

    def valid_in(self, year: int | None) -> bool:
        """Whether the code may be used in the collection year ending 31 March of `year`."""
        if year is None:
            return True
        if self.first_year is not None and year < self.first_year:
            return False
        return not (self.last_year is not None and year > self.last_year)


@dataclass(frozen=True)
class CodeList:
    """A named list of codes with the source it was taken from."""

    name: str
    source: str
    codes: tuple[Code, ...]

    def __iter__(self) -> Iterator[Code]:
        return iter(self.codes)

    def __contains__(self, value: object) -> bool:
        return any(c.code == value for c in self.codes)

    def valid(self, year: int | None = None) -> frozenset[str]:
        """The codes valid in a collection year (all codes when year is None)."""
        return frozenset(c.code for c in self.codes if c.valid_in(year))

    def choices(self, year: int | None = None) -> list[tuple[str, str]]:
        """Django `choices` for a model or form field."""
        return [(c.code, c.label) for c in self.codes if c.valid_in(year)]

    def label(self, value: str) -> str:
        """The description of a code, or the code itself when unknown."""
        return next((c.label for c in self.codes if c.code == value), value)

    @property
    def max_length(self) -> int:
        return max(len(c.code) for c in self.codes)


def code_list(name: str, source: str, *codes: tuple) -> CodeList:
    """Build a CodeList from (code, label[, first_year[, last_year]]) tuples."""
    return CodeList(name=name, source=source, codes=tuple(Code(*c) for c in codes))
