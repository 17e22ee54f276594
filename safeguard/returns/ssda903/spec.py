"""The SSDA903 return's files as data: columns per year, how each file is recognised, field checks.

Columns are the DfE's CSV headers (shared/reference/ssda903.md section 2, which agrees with
liia-tools' `SSDA903_schema_2017.yml` .. `2024.yml` and d2i's `lac_validator/config.py`). The
tables and types of the in-memory return are `safeguard.returns.tables.SSDA903`; DoLo (2026-27)
is not in that contract yet, so its shape is declared here (the record holds it as
`DeprivationOfLiberty`).
"""

from __future__ import annotations

from datetime import date

import polars as pl

from safeguard.codes import cin, ssda903
from safeguard.codes.base import CodeList
from safeguard.returns.tables import SSDA903, SSDA903_OPTIONAL

DOLO: dict[str, type[pl.DataType]] = {
    "CHILD": pl.Utf8,
    "DOB": pl.Date,
    "DOLO_START": pl.Date,
    "DOLO_END": pl.Date,
}

#: Every table this codec reads or writes, with its columns and types.
TABLES: dict[str, dict] = {**SSDA903, "DoLo": DOLO}

#: Columns the CSV form does not carry (the Header's UASC flag): the reader derives them, the
#: writer leaves them out (see `tables.SSDA903_OPTIONAL`).
OPTIONAL: dict[str, tuple[str, ...]] = SSDA903_OPTIONAL

#: First collection year (by its end) in which a table is part of the return.
FIRST_YEAR: dict[str, int] = {"SWEpisodes": 2024, "DoLo": 2027}

#: The column (or columns) that tell a file's table apart from every other 903 table.
SIGNATURE: dict[str, frozenset[str]] = {
    "Episodes": frozenset({"DECOM", "RNE"}),
    "Header": frozenset({"SEX", "ETHNIC"}),
    "UASC": frozenset({"DUC"}),
    "Reviews": frozenset({"REVIEW"}),
    "AD1": frozenset({"DATE_INT"}),
    "PlacedAdoption": frozenset({"DATE_PLACED"}),
    "PrevPerm": frozenset({"PREV_PERM"}),
    "Missing": frozenset({"MIS_START"}),
    "OC2": frozenset({"SDQ_SCORE"}),
    "OC3": frozenset({"IN_TOUCH"}),
    "SWEpisodes": frozenset({"SW_ID"}),
    "DoLo": frozenset({"DOLO_START"}),
}

#: Code columns and the list their values must come from (valid in the collection year).
#: SEX takes the record's own sex codes (1/2, with 9/0 stored as they came): a 903 outside 1/2
#: is a DfE validation breach (rule 101) that the validation report lists, not an unreadable row.
CODES: dict[str, dict[str, CodeList]] = {
    "Header": {"SEX": cin.SEX, "ETHNIC": cin.ETHNICITY},
    "UASC": {"SEX": cin.SEX},
    "Episodes": {
        "RNE": ssda903.RNE,
        "LS": ssda903.LEGAL_STATUS,
        "CIN": ssda903.CATEGORY_OF_NEED,
        "PLACE": ssda903.PLACE,
        "PLACE_PROVIDER": ssda903.PLACE_PROVIDER,
        "REC": ssda903.REC,
        "REASON_PLACE_CHANGE": ssda903.REASON_PLACE_CHANGE,
    },
    "Reviews": {"REVIEW_CODE": ssda903.REVIEW_CODE},
    "AD1": {"SEX_ADOPTR": ssda903.SEX_ADOPTR, "LS_ADOPTR": ssda903.LS_ADOPTR},
    "PlacedAdoption": {"REASON_PLACED_CEASED": ssda903.REASON_PLACED_CEASED},
    "PrevPerm": {"PREV_PERM": ssda903.PREV_PERM},
    "Missing": {"MISSING": ssda903.MISSING},
    "OC2": {"SDQ_REASON": ssda903.SDQ_REASON},
    "OC3": {"IN_TOUCH": ssda903.IN_TOUCH, "ACTIV": ssda903.ACTIV, "ACCOM": ssda903.ACCOM},
    "SWEpisodes": {"SW_REASON": ssda903.SW_REASON},
}

_FLAGS = frozenset({"0", "1"})
_OC2_FLAGS = (
    "CONVICTED",
    "HEALTH_CHECK",
    "IMMUNISATIONS",
    "TEETH_CHECK",
    "HEALTH_ASSESSMENT",
    "SUBSTANCE_MISUSE",
    "INTERVENTION_RECEIVED",
    "INTERVENTION_OFFERED",
)

#: Columns that must be one of a small fixed set of values (not a DfE code list).
VALUES: dict[str, dict[str, frozenset[str]]] = {
    "Header": {"MOTHER": _FLAGS},
    "AD1": {"FOSTER_CARE": _FLAGS, "NB_ADOPTR": frozenset({"1", "2"})},
    "OC2": {**{c: _FLAGS for c in _OC2_FLAGS}, "SDQ_SCORE": frozenset(str(n) for n in range(41))},
}

#: Columns without which a row cannot be kept in the record at all.
REQUIRED: dict[str, tuple[str, ...]] = {
    "Episodes": ("DECOM",),
    "Reviews": ("REVIEW",),
    "Missing": ("MIS_START",),
    "PlacedAdoption": ("DATE_PLACED",),
    "AD1": ("DATE_INT",),
    "SWEpisodes": ("SW_DECOM",),
    "DoLo": ("DOLO_START",),
}

#: Tables the record holds once per child (per return): a second row would be lost or clash.
ONE_PER_CHILD = frozenset({"Header", "UASC", "OC2"})

#: Longest value the record can hold, for text columns kept in the record.
MAX_LENGTH: dict[str, dict[str, int]] = {
    "Header": {"UPN": 13},
    "Episodes": {"HOME_POST": 8, "PL_POST": 8, "URN": 8},
    "PrevPerm": {"LA_PERM": 3, "DATE_PERM": 10},
    "SWEpisodes": {"SW_ID": 20},
}
CHILD_ID_MAX = 36

#: How the DfE's XML form names the elements that differ from the CSV headers.
XML_RENAME: dict[str, str] = {"CHILDID": "CHILD", "PL": "PLACE"}


def columns(table: str) -> list[str]:
    """The specification's columns of a table, in order."""
    return list(TABLES[table])


def csv_columns(table: str) -> list[str]:
    """The columns of a table's CSV file: the specification's, less those only XML carries."""
    return [c for c in TABLES[table] if c not in OPTIONAL.get(table, ())]


def tables_for(year: int) -> list[str]:
    """The tables of the return for a collection year (SWEpisodes from 2023-24, DoLo 2026-27)."""
    return [t for t in TABLES if year >= FIRST_YEAR.get(t, 0)]


def year_bounds(year: int) -> tuple[date, date]:
    """First and last day of a collection year named by its end: 2019 -> 2018-04-01..2019-03-31."""
    return date(year - 1, 4, 1), date(year, 3, 31)


def date_columns(table: str) -> list[str]:
    return [c for c, t in TABLES[table].items() if t == pl.Date]
