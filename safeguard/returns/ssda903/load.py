"""Load an SSDA903 return into the journey record, and read the record back as a return.

Loading is idempotent and period-aware:
- the same return loaded again writes nothing (`LoadSummary.unchanged`);
- a newer return for the same year replaces, for the children in it, every row the earlier
  load of that year wrote (`source="ssda903:<year>"`), and says how many rows it replaced;
- across years a later return wins: a row with the same key (e.g. an episode's CHILD+DECOM)
  loaded from an earlier year's return is replaced; one from a later year's return is kept.
A child's UASC flag follows the same rule, year by year (`uasc.py`): a corrected return takes
back its year's word, and a child no year's return still calls UASC is UASC no more.
Rows recorded in Safeguard itself are never touched, except OC2 (one per child and year by the
model's own constraint), where the return's figures replace the record's for that year.
Several years read as one set (`reader.read` merges them) load under the latest year's source,
so their OC2 rows and OC3 contact dates take that year; to keep each year's own, load the
returns one by one, oldest first (`CODEC.returns_in(paths)` gives the groups).
SWEpisodes load into `SocialWorkerEpisode`, DoLo (2026-27 on) into `DeprivationOfLiberty`, each
keyed on the child and start date.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import polars as pl
from django.db import connection, transaction
from django.db import models as djm

from safeguard.journey import models as jm
from safeguard.returns import bulk
from safeguard.returns.codec import LoadSummary
from safeguard.returns.tables import Return

from . import mapping, spec, uasc

NEEDS_YEAR = "An SSDA903 source must name its collection year, e.g. 'ssda903:2019'; got {source!r}."

MODELS: dict[str, type[djm.Model]] = {
    "CareEpisode": jm.CareEpisode,
    "LookedAfterReview": jm.LookedAfterReview,
    "MissingEpisode": jm.MissingEpisode,
    "HealthOutcome": jm.HealthOutcome,
    "CareLeaverContact": jm.CareLeaverContact,
    "Adoption": jm.Adoption,
    "PreviousPermanence": jm.PreviousPermanence,
    "SocialWorkerEpisode": jm.SocialWorkerEpisode,
    "DeprivationOfLiberty": jm.DeprivationOfLiberty,
}
CHUNK = 900  # stays under SQLite's bound-parameter limit
WHOLE_TABLE_OVER = 10_000  # look children up by reading the table once above this many
FETCH = 20_000  # rows read from the database, and made a frame, at a time


def fields_of(name: str) -> list[str]:
    """The model's concrete fields a 903 load writes (everything but keys and bookkeeping)."""
    skip = {
        "id",
        "child",
        "source",
        "created_at",
        "updated_at",
        "returned_at",
        "rhi_offered_at",
        "rhi_held_at",
        "rhi_declined",
    }
    return [f.name for f in MODELS[name]._meta.concrete_fields if f.name not in skip]


def to_record(frames: Return, *, source: str) -> LoadSummary:
    """Load a checked return into the record inside one transaction (see module docstring)."""
    year = mapping.year_of(source)
    if year is None:
        raise ValueError(NEEDS_YEAR.format(source=source))
    frames = {t: frames.get(t, pl.DataFrame(schema=c)) for t, c in spec.TABLES.items()}
    summary = LoadSummary()
    with transaction.atomic():
        ids, child_changes, withdrawn = _load_children(frames, source)
        summary.children = ids.height
        if withdrawn:
            summary.replaced[uasc.CLEARED] = withdrawn
        prepared = mapping.to_models(frames, year)
        changed = child_changes
        known = ids.filter(~pl.col("is_new")).get_column("child_id").to_list()
        ids = ids.drop("is_new")
        for name, rows in prepared.items():
            rows = rows.join(ids, on="CHILD", how="inner").drop("CHILD")
            written, replaced = _replace(name, rows, source=source, year=year, child_ids=known)
            summary.rows_written[name] = written
            if replaced:
                summary.replaced[name] = replaced
            changed = changed or written > 0 or replaced > 0
    summary.unchanged = not changed
    return summary


# --- children -----------------------------------------------------------------------------------

_CHILD_COLS = ("id", "la_child_id", *mapping.CHILD_FIELDS, "uasc", "uasc_ceased", "uasc_sources")


def existing_children(la_ids: Iterable[str]) -> pl.DataFrame:
    """Children already in the record among these LA child IDs, one row each."""
    out = record_rows(jm.Child, _CHILD_COLS, key="la_child_id", values=list(la_ids))
    return out.rename({"id": "child_id", "la_child_id": "CHILD"})


def record_rows(
    model: type[djm.Model],
    fields: Sequence[str],
    *,
    key: str,
    values: list,
    source_prefix: str | None = None,
) -> pl.DataFrame:
    """`fields` (attnames) of the model's rows whose `key` is among `values`, and whose source
    starts with `source_prefix` if given, typed like the model's fields.

    A load compares whole tables of the record with the return; through the ORM, building
    each `IN (...)` lookup and converting each row cost about 30 s of CPU to re-check a
    50,000-child return, ten times the rest of the load, hence plain SQL. Above
    WHOLE_TABLE_OVER values, dozens of `IN (...)` queries cost more than reading the table once
    and joining.
    """
    if len(values) > WHOLE_TABLE_OVER:
        out = _query(model, fields, source_prefix=source_prefix)
        wanted = pl.DataFrame({key: values}, schema={key: out.schema[key]})
        return out.join(wanted, on=key, how="semi")
    parts = [
        _query(model, fields, key=key, values=part, source_prefix=source_prefix)
        for part in bulk.in_parts(values, CHUNK)
    ]
    return pl.concat(parts) if parts else _frame(model, fields, [])


def _query(
    model: type[djm.Model],
    fields: Sequence[str],
    *,
    key: str | None = None,
    values: Sequence = (),
    source_prefix: str | None = None,
) -> pl.DataFrame:
    """One SELECT, read FETCH rows at a time into typed frames (Python tuples never pile up)."""
    qn = connection.ops.quote_name
    columns = ", ".join(_column_sql(model._meta.get_field(f)) for f in fields)
    where: list[str] = []
    params: list = []
    if key is not None:
        marks = ", ".join(["%s"] * len(values))
        where.append(f"{qn(model._meta.get_field(key).column)} IN ({marks})")
        params.extend(values)
    if source_prefix is not None:
        where.append(f"{qn('source')} LIKE %s")
        params.append(source_prefix + "%")
    sql = f"SELECT {columns} FROM {qn(model._meta.db_table)}"  # noqa: S608 - names, not values
    if where:
        sql += " WHERE " + " AND ".join(where)
    parts = []
    with connection.cursor() as cur:
        cur.execute(sql, params)
        while batch := cur.fetchmany(FETCH):
            parts.append(_frame(model, fields, batch))
    return pl.concat(parts) if parts else _frame(model, fields, [])


def _column_sql(field: djm.Field) -> str:
    """A column to select. Values come as Django's database adapters give them, except
    SQLite's dates, sent as text: its adapter parses each value in Python (3 s of a
    50,000-child re-load), where `_frame` parses the column at once."""
    column = connection.ops.quote_name(field.column)
    if connection.vendor == "sqlite" and field.get_internal_type() == "DateField":
        return f"CAST({column} AS TEXT)"
    return column


def polars_type(field: djm.Field) -> pl.DataType:
    """The polars type of a model field's values."""
    kind = field.get_internal_type()
    if kind == "DateField":
        return pl.Date()
    if kind == "BooleanField":
        return pl.Boolean()
    if field.is_relation or "Integer" in kind or kind.endswith("AutoField"):
        return pl.Int64()
    return pl.Utf8()


def _frame(model: type[djm.Model], fields: Sequence[str], rows: list[tuple]) -> pl.DataFrame:
    """Rows from `_query` as a frame typed like the model's fields."""
    df = pl.DataFrame(rows, schema=list(fields), orient="row", infer_schema_length=None)
    exprs = []
    for f in fields:
        t = polars_type(model._meta.get_field(f))
        if t == pl.Date and df.schema[f] == pl.Utf8:
            exprs.append(pl.col(f).str.to_date("%Y-%m-%d"))
        else:
            exprs.append(pl.col(f).cast(t))
    return df.with_columns(exprs)


def _load_children(frames: Return, source: str) -> tuple[pl.DataFrame, bool, int]:
    """Create or update each child of the return; (CHILD -> child_id frame, anything changed,
    children whose UASC flag the return took back: see `uasc`)."""
    attrs = mapping.child_attributes(frames)
    before = existing_children(attrs.get_column("CHILD").to_list())
    new = attrs.join(before, on="CHILD", how="anti")
    new_ids = bulk.insert_frame(
        jm.Child,
        new.select(
            pl.col("CHILD").alias("la_child_id"),
            pl.lit(source).alias("source"),
            pl.col("has_uasc").alias("uasc"),
            "uasc_ceased",
            uasc.of_new_children(source),
            *mapping.CHILD_FIELDS,
        ),
    )
    updated, withdrawn = _update_children(attrs, before, source=source)
    ids = pl.concat(
        [
            before.select("CHILD", "child_id", pl.lit(False).alias("is_new")),
            new.select(
                "CHILD",
                pl.Series("child_id", new_ids, dtype=pl.Int64),
                pl.lit(True).alias("is_new"),
            ),
        ]
    )
    return ids, new.height > 0 or updated > 0, withdrawn


def _update_children(attrs: pl.DataFrame, before: pl.DataFrame, *, source: str) -> tuple[int, int]:
    """Overwrite what the return says of existing children; (the number changed, the number
    whose UASC flag it took back)."""
    both = before.join(attrs, on="CHILD", suffix="_new")
    hh = pl.col("has_header")
    flag = uasc.after_load(both, source=source)
    after = both.select(
        "child_id",
        *[
            pl.when(hh).then(pl.col(f"{f}_new")).otherwise(pl.col(f)).alias(f)
            for f in mapping.CHILD_FIELDS
            if f != "date_of_birth"
        ],
        pl.when(hh)
        .then(pl.col("date_of_birth_new"))
        .otherwise(pl.coalesce("date_of_birth", "date_of_birth_new"))
        .alias("date_of_birth"),
    ).join(flag.drop("withdrawn"), on="child_id")
    cols = [c for c in after.columns if c != "child_id"]
    old = before.select("child_id", *cols)
    changed = after.join(old, on=list(after.columns), how="anti", nulls_equal=True)
    written = bulk.update_frame(jm.Child, changed.rename({"child_id": "id"}))
    return written, flag.get_column("withdrawn").sum()


# --- other tables -------------------------------------------------------------------------------


def existing_rows(name: str, child_ids: list[int], *, any_source: bool = False) -> pl.DataFrame:
    """Rows of a model for these children loaded from 903 returns (or from anywhere)."""
    model, names = MODELS[name], ["id", "child_id", "source", *fields_of(name)]
    prefix = None if any_source else mapping.SOURCE_PREFIX
    return record_rows(model, names, key="child_id", values=child_ids, source_prefix=prefix)


def in_period(name: str, year: int) -> pl.Expr:
    """Rows of a model that belong to the year's return by date (see mapping.select_year)."""
    start, end = spec.year_bounds(year)

    def overlap(a: str, b: str) -> pl.Expr:
        return (pl.col(a) <= end) & (pl.col(b).is_null() | (pl.col(b) >= start))

    return {
        "CareEpisode": lambda: overlap("start_date", "end_date"),
        "SocialWorkerEpisode": lambda: overlap("start_date", "end_date"),
        "DeprivationOfLiberty": lambda: overlap("start_date", "end_date"),
        "MissingEpisode": lambda: overlap("start_date", "end_date"),
        "LookedAfterReview": lambda: pl.col("date").is_between(start, end),
        "CareLeaverContact": lambda: pl.col("date").is_between(start, end),
        "HealthOutcome": lambda: pl.col("year") == year,
        "Adoption": lambda: (
            overlap("decision_date", "decision_ceased_date")
            | pl.col("order_date").is_between(start, end)
        ),
        "PreviousPermanence": lambda: pl.lit(True),
    }[name]()


def _replace(
    name: str, rows: pl.DataFrame, *, source: str, year: int, child_ids: list[int]
) -> tuple[int, int]:
    """Make the record hold `rows` as this return's rows of one model: (written, replaced).

    `child_ids` are the children of the return that were in the record before this load (a
    child created by it has no rows to compare or replace).

    Replaced are: rows an earlier load of the same year wrote that fall in the year (a merged
    load of several years may have written older history under this source: that stays), and
    rows of this or earlier years' returns with the same key as a row coming in.
    """
    keys = ["child_id", *mapping.KEYS[name]]
    fields = ["child_id", *fields_of(name)]
    rows = rows.select(fields)
    old = _cast_like(existing_rows(name, child_ids, any_source=name == "HealthOutcome"), rows)
    old = old.with_columns(mapping.source_year(pl.col("source")).fill_null(0).alias("_year"))
    rows = rows.join(
        old.filter(pl.col("_year") > year).select(keys), on=keys, how="anti", nulls_equal=True
    )
    mine = old.filter((pl.col("source") == source) & in_period(name, year))
    keyed = old.filter(pl.col("_year") <= year).join(
        rows.select(keys).unique(), on=keys, how="semi", nulls_equal=True
    )
    gone = pl.concat([mine, keyed]).unique("id")
    if _same(gone.select(fields), rows):
        return 0, 0
    bulk.delete_ids(MODELS[name], gone.get_column("id").to_list())
    bulk.insert_frame(MODELS[name], rows.with_columns(pl.lit(source).alias("source")))
    return rows.height, gone.height


def _cast_like(old: pl.DataFrame, rows: pl.DataFrame) -> pl.DataFrame:
    """The DB rows with the prepared frame's types, so the two compare value for value."""
    if old.height == 0:
        return pl.DataFrame(schema={"id": pl.Int64, "source": pl.Utf8, **rows.schema})
    return old.with_columns([pl.col(c).cast(t) for c, t in rows.schema.items()])


def _same(a: pl.DataFrame, b: pl.DataFrame) -> bool:
    if a.height != b.height:
        return False
    cols = list(b.columns)
    return a.select(cols).sort(cols, nulls_last=True).equals(b.sort(cols, nulls_last=True))
