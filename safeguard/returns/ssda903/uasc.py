"""A child's UASC flag, year by year: which returns say it, and what a new return changes.

Each year's SSDA903 return says, of each child in its Header, whether the child is an
unaccompanied asylum-seeking child (a UASC row, or the Header's flag: `mapping.child_attributes`).
The record keeps the flag (`Child.uasc`, `uasc_ceased`) and the returns that say it
(`Child.uasc_sources`, e.g. "ssda903:2019 ssda903:2020"), so that, as for every other table, a
newer return for a year replaces what that year's earlier load said:

- a return that says the child is UASC adds its year, and gives the date ceased unless a later
  year's return says the child is UASC too (the later return wins);
- a return of a year that said so, which now has the child in its Header but not as UASC, takes
  its year back; when no year is left the flag is cleared with its date ceased, and the load
  reports it (`CLEARED`);
- another year's return that does not list the child changes nothing: a child whose status
  ceased years ago is simply absent from later UASC files (rule 205A), and an earlier year's
  return cannot undo what a later one said;
- a flag set in Safeguard (uasc with no sources) is never cleared by a return.

Everything here is polars over whole tables, with no database.
"""

from __future__ import annotations

import polars as pl

from .mapping import SOURCE_PREFIX

#: `LoadSummary.replaced` key: children whose UASC flag a corrected return took back.
CLEARED = "Child UASC"
SEP = " "


def _sources() -> pl.Expr:
    """The record's sources as a list (blank: none)."""
    return pl.col("uasc_sources").fill_null("").str.extract_all(r"\S+")


def _year(source: pl.Expr) -> pl.Expr:
    return source.str.strip_prefix(SOURCE_PREFIX).cast(pl.Int64, strict=False)


def after_load(both: pl.DataFrame, *, source: str, year: int) -> pl.DataFrame:
    """For existing children joined with what a return of `year` says of them, the flag after
    the load: child_id, uasc, uasc_ceased, uasc_sources, and `withdrawn` (the return took its
    year's word back).

    `both` holds the record's uasc, uasc_ceased and uasc_sources, and the return's has_header,
    has_uasc and uasc_ceased_new.
    """
    listed = _sources()
    says = pl.col("has_uasc")
    by_safeguard = pl.col("uasc") & (listed.list.len() == 0)
    later = listed.list.eval(_year(pl.element()) > year).list.any()
    withdrawn = pl.col("has_header") & ~says & listed.list.contains(source)
    kept = listed.list.eval(pl.element().filter(pl.element() != source))
    added = pl.concat_list(listed, pl.lit(source)).list.unique().list.sort()
    sources = (
        pl.when(says & by_safeguard)
        .then(listed)
        .when(says)
        .then(added)
        .when(withdrawn)
        .then(kept)
        .otherwise(listed)
    )
    return (
        both.with_columns(
            sources.alias("_sources"),
            withdrawn.alias("withdrawn"),
            (says & ~later).alias("_dated"),
        )
        .with_columns((pl.col("withdrawn") & (pl.col("_sources").list.len() == 0)).alias("_gone"))
        .select(
            "child_id",
            pl.when(says).then(True).when("_gone").then(False).otherwise("uasc").alias("uasc"),
            pl.when("_dated")
            .then(pl.col("uasc_ceased_new"))
            .when("_gone")
            .then(None)
            .otherwise(pl.col("uasc_ceased"))
            .alias("uasc_ceased"),
            pl.col("_sources").list.join(SEP).alias("uasc_sources"),
            "withdrawn",
        )
    )


def of_new_children(source: str) -> pl.Expr:
    """`uasc_sources` of children a return creates (from its has_uasc)."""
    return (
        pl.when(pl.col("has_uasc")).then(pl.lit(source)).otherwise(pl.lit("")).alias("uasc_sources")
    )
