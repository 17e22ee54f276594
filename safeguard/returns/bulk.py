"""Insert a polars frame of rows into a model's table fast, with the new primary keys back.

A return holds hundreds of thousands of rows; Django's bulk_create spends ~100 µs per object
building model instances and preparing each value, which made loading a 50,000-child census
take about a minute. Here the rows are prepared as columns by polars and sent with one
`executemany` per table; primary keys are reserved first (PostgreSQL: from the table's
sequence; SQLite: after the highest id ever used, inside the caller's transaction, which holds
SQLite's single write lock), so the caller can join children to parents without a query.
Columns the frame lacks get the model field's default, as bulk_create would give them; like
bulk_create, this sends no signals and writes no history rows.
"""

from __future__ import annotations

import json

import polars as pl
from django.db import connection, models
from django.utils import timezone


def _reserve_ids(model: type[models.Model], n: int) -> list[int]:
    table = model._meta.db_table
    qn = connection.ops.quote_name
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, n],
            )
            return [r[0] for r in cur.fetchall()]
        # Take SQLite's write lock before reading the highest id, so no one else can insert.
        cur.execute(f"UPDATE {qn(table)} SET id = id WHERE 0")  # noqa: S608
        cur.execute(f"SELECT COALESCE(MAX(id), 0) FROM {qn(table)}")  # noqa: S608
        top = cur.fetchone()[0]
        cur.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        row = cur.fetchone()
        start = max(top, row[0] if row else 0) + 1
    return list(range(start, start + n))


def _default(field: models.Field):
    value = field.get_default()
    if isinstance(field, models.JSONField):
        return json.dumps(value)
    if isinstance(field, models.BooleanField) and value is None and not field.null:
        return False
    return value


def _db_columns(model: type[models.Model], df: pl.DataFrame) -> pl.DataFrame:
    """The frame with every concrete column of the table, defaults and timestamps filled."""
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    extra = []
    for field in model._meta.concrete_fields:
        col = field.column
        if col in df.columns or field.primary_key:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            extra.append(pl.lit(now).alias(col))
        else:
            extra.append(pl.lit(_default(field)).alias(col))
    df = df.with_columns(extra) if extra else df
    if connection.vendor == "sqlite":
        df = df.with_columns(pl.col(pl.Date).cast(pl.Utf8))
    return df


def json_list(column: str) -> pl.Expr:
    """A list-of-codes column as JSON text (codes never hold quotes or backslashes)."""
    joined = pl.col(column).fill_null([]).list.join('","')
    return (
        pl.when(pl.col(column).fill_null([]).list.len() == 0)
        .then(pl.lit("[]"))
        .otherwise(pl.format('["{}"]', joined))
    )


def insert_frame(model: type[models.Model], df: pl.DataFrame) -> list[int]:
    """Insert the rows (columns named as the table's columns); their new ids, in row order."""
    if df.is_empty():
        return []
    ids = _reserve_ids(model, df.height)
    df = _db_columns(model, df).with_columns(pl.Series("id", ids, dtype=pl.Int64))
    qn = connection.ops.quote_name
    cols = ", ".join(qn(c) for c in df.columns)
    marks = ", ".join(["%s"] * df.width)
    sql = f"INSERT INTO {qn(model._meta.db_table)} ({cols}) VALUES ({marks})"  # noqa: S608
    with connection.cursor() as cur:
        cur.executemany(sql, df.rows())
    return ids


def delete_ids(
    model: type[models.Model],
    ids: list[int],
    *,
    handled: frozenset[type[models.Model]] = frozenset(),
    chunk: int = 5000,
) -> int:
    """Delete rows by id with plain SQL, after honouring references from outside `handled`.

    The caller deletes a whole family of rows (`handled`, children before parents), so the
    ORM's per-object collection, signals and history rows, minutes for a big return, are not
    needed for them; rows of other models that point here are dealt with as their foreign key
    says (SET_NULL updates them, CASCADE and PROTECT go through the ORM, which may refuse).
    """
    if not ids:
        return 0
    for rel in model._meta.related_objects:
        if rel.related_model in handled or rel.on_delete is models.DO_NOTHING:
            continue
        for i in range(0, len(ids), chunk):
            qs = rel.related_model._base_manager.filter(
                **{f"{rel.field.name}__in": ids[i : i + chunk]}
            )
            if rel.on_delete is models.SET_NULL:
                qs.update(**{rel.field.name: None})
            else:
                qs.delete()
    done = 0
    for i in range(0, len(ids), chunk):
        done += model._base_manager.filter(pk__in=ids[i : i + chunk])._raw_delete(
            model._base_manager.db
        )
    return done


def update_frame(model: type[models.Model], df: pl.DataFrame) -> int:
    """Update rows by `id` with the frame's other columns (one executemany); rows sent."""
    if df.is_empty():
        return 0
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    cols = [c for c in df.columns if c != "id"]
    if any(f.column == "updated_at" for f in model._meta.concrete_fields):
        df = df.with_columns(pl.lit(now).alias("updated_at"))
        cols.append("updated_at")
    if connection.vendor == "sqlite":
        df = df.with_columns(pl.col(pl.Date).cast(pl.Utf8))
    qn = connection.ops.quote_name
    sets = ", ".join(f"{qn(c)} = %s" for c in cols)
    sql = f"UPDATE {qn(model._meta.db_table)} SET {sets} WHERE id = %s"  # noqa: S608
    with connection.cursor() as cur:
        cur.executemany(sql, df.select(*cols, "id").rows())
    return df.height
