"""Run a rule set over a return's frames and collect every failure into one polars table.

Nothing is reported until all rules have run: the result is one frame with the columns of
`FAILURE_SCHEMA`, one row per (rule, failing table row), which the command, the web report and
the import all read. Row numbers (`row`) are 1-based positions within the table as it was given
(for an SSDA903 CSV, the data line number; for CIN XML, the n-th element of that kind).
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from ..tables import Return
from .rule import Context, Rule, RuleSet

ROW = "_row"
CHILD_COLUMN = "LAchildID"
_CHILD_KEYS = ("LAchildID", "CHILD")

FAILURE_SCHEMA: dict[str, pl.DataType | type[pl.DataType]] = {
    "code": pl.Utf8,
    "severity": pl.Utf8,
    "message": pl.Utf8,
    CHILD_COLUMN: pl.Utf8,
    "table": pl.Utf8,
    "row": pl.Int64,
    "fields": pl.Utf8,
    "values": pl.Utf8,
}

#: The result of a rule that finds nothing (frames are immutable, so one serves every rule).
_NO_FAILURES = pl.DataFrame(schema=FAILURE_SCHEMA)


def child_key(df: pl.DataFrame) -> str | None:
    """The column holding the child's ID in a table (CIN: LAchildID, SSDA903: CHILD), if any."""
    return next((k for k in _CHILD_KEYS if k in df.columns), None)


def numbered(frames: Return) -> Return:
    """Each table with its 1-based row number in `_row` (kept if already there)."""
    return {
        name: df if ROW in df.columns else df.with_row_index(ROW, offset=1)
        for name, df in frames.items()
    }


def for_child(frames: Return, child: str) -> Return:
    """Only one child's rows of each child-level table; LA-level tables (CIN Header) kept."""
    out: Return = {}
    for name, df in frames.items():
        key = child_key(df)
        out[name] = df if key is None or df.is_empty() else df.filter(pl.col(key) == child)
    return out


def validate(
    frames: Return, rules: RuleSet, context: Context, *, child: str | None = None
) -> pl.DataFrame:
    """Every failure of every rule in the set, as one frame of `FAILURE_SCHEMA`.

    With `child`, the frames (and last year's) are cut to that child first and LA-level rules
    (percentages and counts over the whole return) are skipped, so a record can be checked
    on save in milliseconds.
    """
    frames = numbered(frames)
    if child is not None:
        frames = for_child(frames, child)
        if context.previous is not None:
            # Last year's rows are compared with, never reported: no row numbers needed.
            context = Context(context.year, for_child(context.previous, child))
    parts = [
        run_rule(rule, frames, context)
        for rule in rules
        if (child is None or not rule.la_level) and reads_rows(rule, frames)
    ]
    parts = [p for p in parts if p.height]
    if not parts:
        return pl.DataFrame(schema=FAILURE_SCHEMA)
    return pl.concat(parts).sort(["code", "table", "row"])


def reads_rows(rule: Rule, frames: Return) -> bool:
    """Whether the rule has rows it could report. A failure is a row of a table the rule
    reads (`Rule.reads` names every table it reports), and a check declared to return one
    frame (`-> pl.DataFrame`) reports rows of `Rule.table` only; so a rule whose reportable
    tables are all empty cannot fail and is not run. One child's return leaves most tables
    empty (no adoption, no care-leaver rows...), which makes checking a record on save
    several times cheaper. Both facts are tested for every rule on its hand-made cases."""
    if reports_one_table(rule):
        return rule.table not in frames or frames[rule.table].height > 0
    return any(frames[t].height for t in rule.reads if t in frames)


def reports_one_table(rule: Rule) -> bool:
    """Whether the check is declared to return a single frame (rows of `Rule.table`)."""
    returns = getattr(rule.check, "__annotations__", {}).get("return")
    return returns in ("pl.DataFrame", pl.DataFrame)


def run_rule(rule: Rule, frames: Return, context: Context) -> pl.DataFrame:
    """One rule's failures in `FAILURE_SCHEMA` shape (frames must be `numbered`)."""
    result = rule.check(frames, context)
    by_table: Mapping[str, pl.DataFrame] = (
        {rule.table: result} if isinstance(result, pl.DataFrame) else result
    )
    parts = [
        _describe(rule, table, failing, frames[table])
        for table, failing in by_table.items()
        if failing.height
    ]
    if not parts:
        return _NO_FAILURES  # most rules pass; a new empty frame each time costs ~0.1 ms
    return pl.concat(parts)


def _describe(rule: Rule, table: str, failing: pl.DataFrame, source: pl.DataFrame) -> pl.DataFrame:
    """Join failing row numbers back to their table and describe the fields the rule read."""
    fields = [f for f in rule.reads.get(table, ()) if f in source.columns]
    key = child_key(source)
    rows = failing.select(pl.col(ROW).cast(source.schema[ROW])).unique()
    joined = rows.join(source, on=ROW, how="left")
    child = pl.col(key).cast(pl.Utf8) if key else pl.lit(None, dtype=pl.Utf8)
    return joined.select(
        pl.lit(rule.code).alias("code"),
        pl.lit(rule.severity).alias("severity"),
        pl.lit(rule.message).alias("message"),
        child.alias(CHILD_COLUMN),
        pl.lit(table).alias("table"),
        pl.col(ROW).cast(pl.Int64).alias("row"),
        pl.lit(", ".join(fields)).alias("fields"),
        _values(joined, fields).alias("values"),
    )


def _values(df: pl.DataFrame, fields: list[str]) -> pl.Expr:
    """'Field=value, ...' for the fields read, so a reader sees why without opening the file."""
    if not fields:
        return pl.lit("")
    parts = []
    for f in fields:
        col = pl.col(f)
        if isinstance(df.schema[f], pl.List):
            col = col.list.join(" ")
        parts.append(pl.concat_str(pl.lit(f + "="), col.cast(pl.Utf8).fill_null("")))
    return pl.concat_str(parts, separator=", ")


def summary(failures: pl.DataFrame) -> pl.DataFrame:
    """Failures grouped by rule, with the number of rows and of distinct children."""
    return (
        failures.group_by("code", "severity", "message")
        .agg(pl.len().alias("rows"), pl.col(CHILD_COLUMN).n_unique().alias("children"))
        .sort("code")
    )
