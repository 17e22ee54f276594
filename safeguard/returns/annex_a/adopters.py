"""Annex A List 11 (adopters) and the record's `Adopter` rows, both ways.

Adopters are not children, so List 11 stands apart from lists 1-10: its rows are matched on the
individual adopter identifier, not on a child. A workbook's row fills in or corrects the
adopter the record already has under that identifier (whatever its source), or becomes a new
adopter with `source="annex-a:<as-at date>"`; the same workbook loaded again changes nothing.
A newer workbook as at the same date (a corrected one) replaces that period as `replace.py` does
for children, the household (family identifier) standing for the child: the adopters of the
households it lists that an earlier load of that date created and it no longer lists are
deleted, with their history, and counted as replaced. Adopters of other sources, and of
households the workbook does not list, are never deleted; nor is an adopter whose row was set
aside as unreadable (nor any, when such a row has no identifier), nor any when List 11 is not in
the workbook.

Which adopters the exported list holds: List 11 covers "prospective adopters / adopter
households in the period", twelve months up to the as-at date (shared/reference/annex-a.md).
An adopter is in it unless they came to the process only after the as-at date (their earliest
date is later) or were finished with it before the period began (left the process, or had the
adoption order, before its first day). Adopters the workbook for that as-at date brought in
are always in it, so a workbook loaded and exported again comes back whole.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from safeguard.journey import models as jm
from safeguard.returns import bulk

from . import spec
from .rows import upsert
from .spec import SOURCE_PREFIX

LIST = "List 11"

#: List 11 column -> Adopter field.
FIELDS: dict[str, str] = dict(
    zip(
        spec.LISTS[LIST],
        [
            "adopter_id",
            "family_id",
            "sex",
            "ethnicity",
            "disability",
            "fostering_for_adoption",
            "enquiry_date",
            "stage1_start",
            "stage1_end",
            "stage2_start",
            "stage2_end",
            "application_date",
            "approval_date",
            "match_date",
            "placed_date",
            "children_placed",
            "order_date",
            "left_date",
            "leaving_reason",
        ],
        strict=True,
    )
)
_FOSTERING = spec.LISTS[LIST][5]
_TEXT = ("family_id", "ethnicity", "disability", "leaving_reason")
_SEX_TO_GENDER = {v: k for k, v in spec.GENDER.items()}
VALUES = [f for f in FIELDS.values() if f != "adopter_id"]
_DATES = [f for c, f in FIELDS.items() if spec.schema(LIST)[c] == pl.Date]


# --- list -> record -----------------------------------------------------------------------------


def to_fields(frame: pl.DataFrame) -> pl.DataFrame:
    """List 11's rows as Adopter fields (blank text "", Yes/No as True/False)."""
    exprs = []
    for col, field in FIELDS.items():
        c = pl.col(col)
        if field == "sex":
            c = c.replace_strict(spec.GENDER, default="")
        elif field in _TEXT:
            c = c.fill_null("")
        elif col == _FOSTERING:
            c = spec.flag(c)
        exprs.append(c.alias(field))
    return frame.select(exprs).unique("adopter_id", keep="first")


def load(
    frame: pl.DataFrame | None, source: str, *, spared: pl.Series | None = None
) -> tuple[int, dict[str, int]]:
    """Insert new adopters, update known ones whose values differ, delete those the workbook
    replaces (module docstring): rows written, and rows replaced by model. `spared`: the
    identifiers of the list's rows set aside as unreadable (null if missing), never replaced."""
    if frame is None or frame.is_empty():
        return 0, {}
    rows = to_fields(frame)
    gone = bulk.delete_ids(jm.Adopter, _no_longer_listed(rows, source, spared))
    keys = ["adopter_id"]
    written = upsert(jm.Adopter, rows, keys=keys, values=VALUES, source=source, by=keys[0])
    return written, {"Adopter": gone} if gone else {}


def _no_longer_listed(rows: pl.DataFrame, source: str, spared: pl.Series | None) -> list[int]:
    """Ids of the adopters of `source` in the households `rows` list, missing from `rows` and
    not `spared` (set aside); none when a row set aside has no identifier (whose was it?)."""
    spared = pl.Series("id", [], pl.Utf8) if spared is None else spared
    if spared.null_count():
        return []
    families = rows.get_column("family_id").filter(rows.get_column("family_id") != "").unique()
    found = bulk.rows_in(
        jm.Adopter,
        "family_id",
        families.to_list(),
        ["id", "adopter_id"],
        where="source = %s",
        params=[source],
    )
    old = pl.DataFrame(found, orient="row", schema={"id": pl.Int64, "adopter_id": pl.Utf8})
    gone = old.join(rows, on="adopter_id", how="anti")
    return gone.filter(~pl.col("adopter_id").is_in(spared.implode())).get_column("id").to_list()


# --- record -> list -----------------------------------------------------------------------------


def in_period(start: date, as_at: date, source: str) -> pl.Expr:
    """Adopters in the process at some time from `start` to `as_at` (see module docstring)."""
    began = pl.min_horizontal(_DATES)
    finished = pl.min_horizontal("left_date", "order_date")
    during = (began.is_null() | (began <= as_at)) & (finished.is_null() | (finished >= start))
    return during | (pl.col("source") == source)


def to_list(start: date, as_at: date) -> pl.DataFrame:
    """List 11 as at a date: the adopters in its period, in the template's columns."""
    schema = {"source": pl.Utf8, **{f: _type(c) for c, f in FIELDS.items()}}
    rows = pl.DataFrame(
        list(jm.Adopter.objects.values_list("source", *FIELDS.values())),
        orient="row",
        schema=schema,
    )
    rows = rows.filter(in_period(start, as_at, f"{SOURCE_PREFIX}{as_at.isoformat()}"))
    out = rows.select([_back(f).cast(spec.schema(LIST)[c]).alias(c) for c, f in FIELDS.items()])
    return out.sort(spec.LISTS[LIST][0])


def _type(col: str) -> pl.DataType:
    if col == _FOSTERING:
        return pl.Boolean()
    return spec.schema(LIST)[col]


def _back(field: str) -> pl.Expr:
    """An Adopter field as the list's cell: codes to template text, blanks to empty cells."""
    c = pl.col(field)
    if field == "sex":
        return c.replace_strict(_SEX_TO_GENDER, default=None)
    if field == "fostering_for_adoption":
        return spec.yes_no(c)
    if field in _TEXT:
        return c.replace("", None)
    return c
