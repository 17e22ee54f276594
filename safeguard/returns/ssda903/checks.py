"""Whether each row of an SSDA903 table can be read as the return: dates, codes, CHILD, sizes.

These are the checks that decide if a row can enter the record at all; the DfE's validation
rules (dates in order, cohorts, ...) are a separate, later step and never refuse a row here.
All checks are polars expressions over the whole table; only failing rows become Python objects.
"""

from __future__ import annotations

import polars as pl

from safeguard.returns.codec import Problem

from . import spec

NO_CHILD = "CHILD (the LA child ID) is missing."
CHILD_TOO_LONG = f"CHILD is longer than {spec.CHILD_ID_MAX} characters."
BAD_DATE = "Not a date: expected DD/MM/YYYY."
BAD_CODE = "Not in the {list} code list for {year}."
BAD_CODE_ANY_YEAR = "Not in the {list} code list."
BAD_VALUE = "Must be one of: {values}."
REQUIRED = "{field} is required."
TOO_LONG = "Longer than {n} characters."
DUPLICATE = "A second {table} row for this CHILD; the return has one per child."

LOC = "_loc"
PARSED = "_date_"  # prefix of a date column parsed once, used by the check and the result


def parse_dates(col: pl.Expr) -> pl.Expr:
    """DD/MM/YYYY as the DfE specifies, with ISO YYYY-MM-DD accepted as a fallback."""
    return pl.coalesce(
        col.str.to_date("%d/%m/%Y", strict=False), col.str.to_date("%Y-%m-%d", strict=False)
    )


def _checks(table: str, year: int | None) -> list[tuple[str, pl.Expr, str]]:
    """(field, expression true where the row is bad, message) for every check of a table."""
    child = pl.col("CHILD")
    out: list[tuple[str, pl.Expr, str]] = [
        ("CHILD", child.is_null(), NO_CHILD),
        ("CHILD", child.str.len_chars() > spec.CHILD_ID_MAX, CHILD_TOO_LONG),
    ]
    for c in spec.date_columns(table):
        out.append((c, pl.col(c).is_not_null() & pl.col(PARSED + c).is_null(), BAD_DATE))
    for c, codes in spec.CODES.get(table, {}).items():
        msg = (
            BAD_CODE.format(list=codes.name, year=f"{year - 1}-{year % 100:02d}")
            if year
            else BAD_CODE_ANY_YEAR.format(list=codes.name)
        )
        out.append((c, pl.col(c).is_not_null() & ~pl.col(c).is_in(sorted(codes.valid(year))), msg))
    for c, allowed in spec.VALUES.get(table, {}).items():
        msg = BAD_VALUE.format(values=", ".join(sorted(allowed, key=lambda v: (len(v), v))))
        out.append((c, pl.col(c).is_not_null() & ~pl.col(c).is_in(sorted(allowed)), msg))
    if table in spec.ONE_PER_CHILD:
        out.append(
            (
                "CHILD",
                child.is_not_null() & ~child.is_first_distinct(),
                DUPLICATE.format(table=table),
            )
        )
    for c in spec.REQUIRED.get(table, ()):
        out.append((c, pl.col(c).is_null(), REQUIRED.format(field=c)))
    for c, n in spec.MAX_LENGTH.get(table, {}).items():
        out.append((c, pl.col(c).str.len_chars() > n, TOO_LONG.format(n=n)))
    return out


def check_table(
    table: str, df: pl.DataFrame, *, year: int | None, file: str
) -> tuple[pl.DataFrame, list[Problem]]:
    """The table's readable rows, typed to the contract, and a Problem for each fault found."""
    cols = spec.columns(table)
    df = df.select([*cols, LOC]).with_columns(
        [parse_dates(pl.col(c)).alias(PARSED + c) for c in spec.date_columns(table)]
    )
    checks = _checks(table, year)
    flags = df.select([e.fill_null(False).alias(f"_bad{i}") for i, (_, e, _) in enumerate(checks)])
    problems: list[Problem] = []
    for i, (fld, _, msg) in enumerate(checks):
        hit = flags.get_column(f"_bad{i}")
        if hit.any():
            rows = df.filter(hit).select(LOC, fld)
            problems.extend(
                Problem(file, loc, fld, "" if v is None else v, msg) for loc, v in rows.iter_rows()
            )
    bad = flags.select(pl.any_horizontal(pl.all()).alias("bad")).get_column("bad")
    good = df.filter(~bad) if len(checks) else df
    return _typed(table, good), problems


def _typed(table: str, df: pl.DataFrame) -> pl.DataFrame:
    """Text columns cast to the contract's types (dates parsed), `_loc` kept for later checks."""
    exprs = [
        pl.col(PARSED + c).alias(c) if t == pl.Date else pl.col(c).cast(t)
        for c, t in spec.TABLES[table].items()
    ]
    return df.select([*exprs, pl.col(LOC)])
