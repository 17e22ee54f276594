"""The DfE rules where people meet them: a report by rule, one child's check, an XLSX, the import.

The engine (`engine/`) finds the failures; this module shapes them for the validation page,
the child's record and the import report. `validate_child` checks one child's part of a return
made from the record, so the people who fix the record see what the DfE would query.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import date

import polars as pl

from . import safety
from .engine import CATALOGUES, CHILD_COLUMN, summary, validate_return
from .tables import Return

DETAIL_LIMIT = 200  # failures listed under each rule on the page; the XLSX has them all
RULE_LINE = "  {code} ({severity}) x{rows:,} in {children:,} child(ren): {message}"
RETURN_LINE = "{file}: DfE rules: {errors:,} error(s), {queries:,} query(ies)."
RETURN_CLEAN = "{file}: DfE rules: no failures."
NO_RULES = "{file}: not checked against DfE rules ({reason})."
NO_YEAR = "the collection year is not known"
SEVERITY = {"E": "Error", "Q": "Query"}
_FORMULA_START = r"^[=+\-@\t\r]"


def collection_year(on: date) -> int:
    """The collection year (by its end: 2019 = 2018-19) whose return is prepared on a date.

    A year runs 1 April to 31 March and is returned after it ends, so on 30 June 2019 the
    return being prepared is 2018-19's, and on 31 March 2019 it is still 2017-18's.
    """
    return on.year if on.month >= 4 else on.year - 1


def year_label(year: int) -> str:
    """2019 -> "2018-19"."""
    return f"{year - 1}-{year % 100:02d}"


def counts(failures: pl.DataFrame) -> dict[str, int]:
    """Errors and queries in a failures table."""
    by = dict(failures["severity"].value_counts().iter_rows()) if failures.height else {}
    return {"errors": by.get("E", 0), "queries": by.get("Q", 0)}


def by_rule(
    failures: pl.DataFrame, links: dict[str, int] | None = None, limit: int = DETAIL_LIMIT
) -> list[dict]:
    """The report grouped by rule: code, severity, message, failures, children, then up to
    `limit` failures each, with the child's record pk where `links` has it (in scope)."""
    links = links or {}
    groups = {code: df for (code,), df in failures.group_by("code")} if failures.height else {}
    out = []
    for rule in summary(failures).iter_rows(named=True):
        rows = groups[rule["code"]].sort("table", "row").head(limit).iter_rows(named=True)
        out.append(
            {
                **rule,
                "severity_label": SEVERITY.get(rule["severity"], rule["severity"]),
                "failures": [{**r, "pk": links.get(r[CHILD_COLUMN])} for r in rows],
            }
        )
    return out


def child_ids(failures: pl.DataFrame) -> list[str]:
    """The distinct children named in the failures."""
    return failures[CHILD_COLUMN].drop_nulls().unique().sort().to_list()


def escaped(failures: pl.DataFrame) -> pl.DataFrame:
    """The failures with every text cell passed through `safety.escape_cell` (a formula in a
    return's free text must not run when the report is opened). Only the distinct values that
    could start a formula are escaped, then swapped back in by column, so it stays vectorised."""
    out = failures
    for name, dtype in failures.schema.items():
        if dtype != pl.Utf8:
            continue
        distinct = failures[name].drop_nulls().unique()
        risky = distinct.filter(distinct.str.contains(_FORMULA_START))
        if risky.len():
            mapping = {v: safety.escape_cell(v) for v in risky.to_list()}
            out = out.with_columns(pl.col(name).replace(mapping))
    return out


def xlsx_bytes(failures: pl.DataFrame) -> bytes:
    """The report as a workbook (the `validate` command's writer), every cell escaped."""
    from .management.commands.validate import write_xlsx

    buffer = io.BytesIO()
    write_xlsx(escaped(failures), buffer)  # type: ignore[arg-type]
    return buffer.getvalue()


def child_return(kind: str, la_child_id: str, year: int) -> Return:
    """One child's part of the year's return, made from the record for that child only.

    The exports take an optional filter of LA child IDs, so checking a record on save reads
    that child's rows (a dozen small queries) rather than the whole council's year.
    """
    if kind == "cin-census":
        from .cin_census import record

        return record.from_record(year=year, la_child_ids=[la_child_id])
    if kind == "ssda903":
        from .ssda903 import export

        return export.from_record(year=year, la_child_ids=[la_child_id])
    raise KeyError(f"No one-child check for {kind!r}.")


def validate_child(kind: str, la_child_id: str, year: int) -> pl.DataFrame:
    """One child's failures in the year's return made from the record (LA-level rules skipped).

    The same failures as the whole year's check (`views_validate.live_failures`) filtered to
    the child, except the rules that judge the whole return (`Rule.la_level`); the SSDA903 is
    compared with the child's part of last year's return, as the whole year is with last
    year's. Row numbers count within the child's tables, not the council's.
    """
    frames = child_return(kind, la_child_id, year)
    previous = child_return(kind, la_child_id, year - 1) if kind == "ssda903" else None
    return validate_return(kind, frames, year=year, previous=previous, child=la_child_id)


def import_lines(name: str, kind: str, frames, year: int | None) -> list[str]:
    """The validation summary of one return read by the import: never raises for the rules'
    sake (a readable return that breaks DfE rules still loads; the breaches are reported)."""
    if kind not in CATALOGUES:
        return []
    if year is None:
        return [NO_RULES.format(file=name, reason=NO_YEAR)]
    try:
        failures = validate_return(kind, frames, year=year)
    except KeyError as unknown:  # a year before the first rule set
        return [NO_RULES.format(file=name, reason=unknown.args[0])]
    return summary_lines(name, failures)


def summary_lines(name: str, failures: pl.DataFrame) -> list[str]:
    """A headline for the return, then one line per rule broken, counted."""
    if failures.is_empty():
        return [RETURN_CLEAN.format(file=name)]
    rules: Iterable[dict] = summary(failures).iter_rows(named=True)
    return [
        RETURN_LINE.format(file=name, **counts(failures)),
        *(RULE_LINE.format(**r) for r in rules),
    ]
