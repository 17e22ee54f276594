"""A child's UASC flag, year by year: which returns say it, and what a new return changes.

Each year's SSDA903 return says, of each child in its Header, whether the child is an
unaccompanied asylum-seeking child (a UASC row, or the Header's flag: `mapping.child_attributes`).
The record keeps the flag (`Child.uasc`, `uasc_ceased`) and the returns that say it, each with
the date ceased it gave (`Child.uasc_sources`, e.g. "ssda903:2019=2021-06-01 ssda903:2020": a
return that gave no date has no "="), so that, as for every other table, a newer return for a
year replaces what that year's earlier load said:

- a return that says the child is UASC adds its year with its date ceased (or replaces its
  year's earlier word);
- a return of a year that said so, which now has the child in its Header but not as UASC, takes
  its year back, and the load reports it (`CLEARED`) whether or not another year still says it;
  when no year is left the flag is cleared with its date ceased;
- after either, the date ceased is the one the latest year still saying UASC gave (the later
  return wins, as for every row), and none if that return gave none: a year taken back takes
  its date with it;
- another year's return that does not list the child changes nothing: a child whose status
  ceased years ago is simply absent from later UASC files (rule 205A), and an earlier year's
  return cannot undo what a later one said;
- a flag set in Safeguard (uasc with no sources) is never cleared by a return; a return that
  agrees gives it its date ceased, without taking the flag over.

Everything here is polars over whole tables, with no database.
"""

from __future__ import annotations

import polars as pl

from .mapping import source_year

#: `LoadSummary.replaced` key: children whose UASC flag a corrected return took back (one year's
#: word: the flag itself may stay, said by another year).
CLEARED = "Child UASC"
SEP = " "
DATED = "="  # between a source and the date ceased it gave
DATE_FORMAT = "%Y-%m-%d"


def _entries() -> pl.Expr:
    """The record's sources, each with its date ceased if any, as a list (blank: none)."""
    return pl.col("uasc_sources").fill_null("").str.extract_all(r"\S+")


def _source_of(entry: pl.Expr) -> pl.Expr:
    return entry.str.extract(rf"^([^{DATED}]+)")


def _year_of(entry: pl.Expr) -> pl.Expr:
    return source_year(_source_of(entry))


def _date_of(entry: pl.Expr) -> pl.Expr:
    return entry.str.extract(rf"{DATED}(\S+)$").str.to_date(DATE_FORMAT)


def entry(source: str, ceased: pl.Expr) -> pl.Expr:
    """A return's word that the child is UASC: its source, and "=" its date ceased if given."""
    dated = pl.lit(DATED) + ceased.dt.strftime(DATE_FORMAT)
    return pl.concat_str([pl.lit(source), dated], ignore_nulls=True)


def _latest_date(entries: pl.Expr) -> pl.Expr:
    """The date ceased given by the latest year's entry (null: none given, or no entry)."""
    latest = entries.list.eval(pl.element().sort_by(_year_of(pl.element())).last())
    return _date_of(latest.list.first())


def after_load(both: pl.DataFrame, *, source: str) -> pl.DataFrame:
    """For existing children joined with what a return of `year` says of them, the flag after
    the load: child_id, uasc, uasc_ceased, uasc_sources, and `withdrawn` (the return of
    `source` took its year's word back).

    `both` holds the record's uasc, uasc_ceased and uasc_sources, and the return's has_header,
    has_uasc and uasc_ceased_new.
    """
    listed = _entries()
    says = pl.col("has_uasc")
    by_safeguard = pl.col("uasc") & (listed.list.len() == 0)
    others = listed.list.eval(pl.element().filter(_source_of(pl.element()) != source))
    mine = listed.list.len() > others.list.len()
    withdrawn = pl.col("has_header") & ~says & mine
    added = pl.concat_list(others, entry(source, pl.col("uasc_ceased_new"))).list.sort()
    return (
        both.with_columns(
            pl.when(says & by_safeguard)
            .then(listed)
            .when(says)
            .then(added)
            .when(withdrawn)
            .then(others)
            .otherwise(listed)
            .alias("_sources"),
            withdrawn.alias("withdrawn"),
            ((says & ~by_safeguard) | withdrawn).alias("_touched"),
        )
        .with_columns((pl.col("withdrawn") & (pl.col("_sources").list.len() == 0)).alias("_gone"))
        .select(
            "child_id",
            pl.when(says).then(True).when("_gone").then(False).otherwise("uasc").alias("uasc"),
            pl.when(says & by_safeguard)
            .then(pl.col("uasc_ceased_new"))
            .when("_touched")
            .then(_latest_date(pl.col("_sources")))
            .otherwise(pl.col("uasc_ceased"))
            .alias("uasc_ceased"),
            pl.col("_sources").list.join(SEP).alias("uasc_sources"),
            "withdrawn",
        )
    )


def of_new_children(source: str) -> pl.Expr:
    """`uasc_sources` of children a return creates (from its has_uasc and uasc_ceased)."""
    return (
        pl.when(pl.col("has_uasc"))
        .then(entry(source, pl.col("uasc_ceased")))
        .otherwise(pl.lit(""))
        .alias("uasc_sources")
    )
