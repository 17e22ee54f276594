"""Write polars frames of rows into a model's table fast, with their change history.

A return holds hundreds of thousands of rows. Django's bulk_create spends ~100 µs per object
building model instances and preparing each value, and even a plain `executemany` makes a
Python tuple per row and binds every cell from Python, which made loading a 50,000-child census
take several seconds. Here no Python object is made per row or per cell:

- SQLite: polars writes a chunk of rows as JSON text (in Rust) and one
  `INSERT ... SELECT ... FROM json_each(?)` statement unpacks it in C; a column holding the same
  value in every row (the source, the timestamps, a default) is bound once, not per row.
- PostgreSQL: polars writes the rows as CSV and psycopg sends them with `COPY ... FROM STDIN`.

Primary keys are reserved first (PostgreSQL: from the table's sequence; SQLite: after the
highest id ever used, inside the caller's transaction, which holds SQLite's single write lock),
so the caller can join children to parents without a query. Columns the frame lacks get the
model field's default, as bulk_create would give them; `created_at`/`updated_at` get now.

Change history (issue 7, G7: "including imports and bulk changes"): for every model registered
with django-simple-history, the same transaction writes its historical rows, copied from the
table itself by one `INSERT ... SELECT` (so in C, at the database's speed): "+" after an insert,
"~" after an update, "-" before a delete, attributed to the user and reason set with
`attributed()` (the importer sets the importing user and the ImportLog it is writing). Like
bulk_create, no signals are sent.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache
from typing import TypeVar

import polars as pl
from django.conf import settings
from django.db import connection, models
from django.utils import timezone

ROWS_PER_STATEMENT = 50_000  # bounds the JSON/CSV text held at once (a few MB)
REASON_LENGTH = 100  # simple-history's history_change_reason is a CharField(max_length=100)
DEFAULT_REASON = "bulk load"
LOAD_CACHE_MIB = 256  # SQLite page cache while a return loads (peak memory stays under 1 GB)
_HISTORY_COLUMNS = ("history_date", "history_change_reason", "history_type", "history_user_id")


T = TypeVar("T")


@dataclass(frozen=True)
class Attribution:
    """Who is writing, and why: the history rows' user and change reason."""

    user_id: int | None = None
    reason: str = DEFAULT_REASON


_ATTRIBUTION: ContextVar[Attribution | None] = ContextVar("bulk_attribution", default=None)


@contextmanager
def attributed(user, reason: str) -> Iterator[None]:
    """Attribute the history rows written in this block to `user` (or nobody) with `reason`."""
    token = _ATTRIBUTION.set(Attribution(getattr(user, "pk", None), reason[:REASON_LENGTH]))
    try:
        yield
    finally:
        _ATTRIBUTION.reset(token)


@contextmanager
def big_cache(mebibytes: int = LOAD_CACHE_MIB) -> Iterator[None]:
    """SQLite: a page cache that holds a whole return's writes for the block, then the usual.

    With SQLite's default 2 MB cache a big load spills half-written index pages to the file and
    reads them back many times; per-connection and not transactional, so it is safe inside the
    caller's transaction. Shrinking it back afterwards frees the pages (web processes keep the
    default). PostgreSQL: nothing to do.
    """
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cur:
        cur.execute("PRAGMA cache_size")
        before = cur.fetchone()[0]
        cur.execute(f"PRAGMA cache_size = {-1024 * int(mebibytes)}")
    try:
        yield
    finally:
        with connection.cursor() as cur:
            cur.execute(f"PRAGMA cache_size = {int(before)}")


@cache
def history_model(model: type[models.Model]) -> type[models.Model] | None:
    """The model's simple-history table model, or None when its changes are not kept (cached:
    simple-history's manager inspects the model's members on every access)."""
    manager = getattr(model._meta, "simple_history_manager_attribute", None)
    return getattr(model, manager).model if manager else None


def _qn(name: str) -> str:
    return connection.ops.quote_name(name)


def _reserve_ids(model: type[models.Model], n: int) -> list[int]:
    table = model._meta.db_table
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, n],
            )
            return [r[0] for r in cur.fetchall()]
        # Take SQLite's write lock before reading the highest id, so no one else can insert.
        cur.execute(f"UPDATE {_qn(table)} SET id = id WHERE 0")  # noqa: S608
        cur.execute(f"SELECT COALESCE(MAX(id), 0) FROM {_qn(table)}")  # noqa: S608
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
    now = timezone.now()
    extra = []
    for field in model._meta.concrete_fields:
        col = field.column
        if col in df.columns or field.primary_key:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            extra.append(pl.lit(_stamp(now)).alias(col))
        else:
            extra.append(pl.lit(_default(field)).alias(col))
    return df.with_columns(extra) if extra else df


def _stamp(now):
    """A timestamp as the database takes it. SQLite: Django's text, made once here rather than
    formatted again for every row (half a second of a 450,000-row load)."""
    if connection.vendor == "sqlite":
        return connection.ops.adapt_datetimefield_value(now)
    return now


def _for_database(df: pl.DataFrame) -> pl.DataFrame:
    """Dates and datetimes as the database stores them (SQLite: Django's text forms)."""
    stamps = [c for c, t in df.schema.items() if isinstance(t, pl.Datetime)]
    if stamps:
        df = df.with_columns(_utc(pl.col(c), df.schema[c]).alias(c) for c in stamps)
    if connection.vendor != "sqlite":
        return df
    text = [_sqlite_datetime(pl.col(c)).alias(c) for c in stamps]
    return df.with_columns(pl.col(pl.Date).cast(pl.Utf8), *text)


def _utc(col: pl.Expr, dtype: pl.Datetime) -> pl.Expr:
    """A datetime column in UTC (naive ones are taken as local time, as Django takes them)."""
    if dtype.time_zone is None:
        col = col.dt.replace_time_zone(settings.TIME_ZONE, ambiguous="earliest")
    return col.dt.convert_time_zone("UTC")


def _sqlite_datetime(col: pl.Expr) -> pl.Expr:
    """Django's SQLite text for a UTC datetime (`str(naive)`: no fraction when it is zero), so
    lookups by the same value match what the ORM would have stored."""
    naive = col.dt.replace_time_zone(None)
    return (
        pl.when(naive.dt.microsecond() == 0)
        .then(naive.dt.strftime("%Y-%m-%d %H:%M:%S"))
        .otherwise(naive.dt.strftime("%Y-%m-%d %H:%M:%S%.6f"))
    )


def json_list(column: str) -> pl.Expr:
    """A list-of-codes column as JSON text (codes never hold quotes or backslashes)."""
    joined = pl.col(column).fill_null([]).list.join('","')
    return (
        pl.when(pl.col(column).fill_null([]).list.len() == 0)
        .then(pl.lit("[]"))
        .otherwise(pl.format('["{}"]', joined))
    )


def _constants(df: pl.DataFrame, keep: str = "id") -> dict[str, object]:
    """Columns with one value in every row (`keep` aside): bound once instead of per row."""
    others = [c for c in df.columns if c != keep]
    if not others:
        return {}
    counts = df.select(pl.col(others).n_unique()).row(0, named=True)
    return {c: df[c][0] for c, n in counts.items() if n == 1}


def _pick(column: str, of: str = "value") -> str:
    """One column of the JSON row `of` (a json_each row's `value`)."""
    return f"json_extract({of}, '$.\"{column}\"')"


def _sqlite_insert(table: str, df: pl.DataFrame) -> None:
    fixed = _constants(df)
    varying = [c for c in df.columns if c not in fixed]
    cols = ", ".join(_qn(c) for c in [*varying, *fixed])
    picks = ", ".join([*map(_pick, varying), *["%s"] * len(fixed)])
    sql = f"INSERT INTO {_qn(table)} ({cols}) SELECT {picks} FROM json_each(%s)"  # noqa: S608
    with connection.cursor() as cur:
        for rows in _json_chunks(df, varying):
            cur.execute(sql, [*fixed.values(), rows])


def _json_chunks(df: pl.DataFrame, columns: list[str]) -> Iterator[str]:
    """The rows' `columns` as JSON text for `json_each`, ROWS_PER_STATEMENT rows at a time."""
    for start in range(0, df.height, ROWS_PER_STATEMENT):
        yield df.slice(start, ROWS_PER_STATEMENT).select(columns).write_json()


def _copy(cur, table: str, df: pl.DataFrame) -> None:
    """PostgreSQL COPY of the frame's rows (CSV: a null is empty, an empty string is "")."""
    cols = ", ".join(_qn(c) for c in df.columns)
    with cur.cursor.copy(f"COPY {_qn(table)} ({cols}) FROM STDIN WITH (FORMAT csv)") as copy:
        for start in range(0, df.height, ROWS_PER_STATEMENT):
            copy.write(df.slice(start, ROWS_PER_STATEMENT).write_csv(include_header=False))


def insert_frame(model: type[models.Model], df: pl.DataFrame) -> list[int]:
    """Insert the rows (columns named as the table's columns) and their "+" history rows; their
    new ids, in row order."""
    if df.is_empty():
        return []
    ids = _reserve_ids(model, df.height)
    df = _for_database(_db_columns(model, df).with_columns(pl.Series("id", ids, dtype=pl.Int64)))
    table = model._meta.db_table
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            _copy(cur, table, df)
    else:
        _sqlite_insert(table, df)
    write_history(model, "+", ids)
    return ids


def update_frame(model: type[models.Model], df: pl.DataFrame) -> int:
    """Update rows by `id` with the frame's other columns, then write their "~" history rows;
    rows sent."""
    if df.is_empty():
        return 0
    if any(f.column == "updated_at" for f in model._meta.concrete_fields):
        df = df.with_columns(pl.lit(timezone.now()).alias("updated_at"))
    df = _for_database(df)
    table, cols = model._meta.db_table, [c for c in df.columns if c != "id"]
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            _pg_update(cur, table, df, cols)
        else:
            _sqlite_update(cur, table, df, cols)
    write_history(model, "~", df["id"].to_list())
    return df.height


def _sqlite_update(cur, table: str, df: pl.DataFrame, cols: list[str]) -> None:
    """One `UPDATE ... FROM json_each(?)` per chunk, each row found by its id (the rowid)."""
    fixed = {c: v for c, v in _constants(df).items() if c in cols}
    varying = [c for c in df.columns if c not in fixed]
    sets = ", ".join(
        f"{_qn(c)} = %s" if c in fixed else f"{_qn(c)} = {_pick(c, 'json_each.value')}"
        for c in cols
    )
    sql = (
        f"UPDATE {_qn(table)} SET {sets} FROM json_each(%s) "  # noqa: S608
        f"WHERE {_qn(table)}.id = {_pick('id', 'json_each.value')}"
    )
    for rows in _json_chunks(df, varying):
        cur.execute(sql, [*fixed.values(), rows])


def _pg_update(cur, table: str, df: pl.DataFrame, cols: list[str]) -> None:
    """COPY the new values into a temporary table, then one UPDATE ... FROM it."""
    staging = f"bulk_update_{table}"
    names = ", ".join(_qn(c) for c in ["id", *cols])
    cur.execute(
        f"CREATE TEMPORARY TABLE {_qn(staging)} AS "  # noqa: S608
        f"SELECT {names} FROM {_qn(table)} WITH NO DATA"
    )
    try:
        _copy(cur, staging, df.select("id", *cols))
        sets = ", ".join(f"{_qn(c)} = s.{_qn(c)}" for c in cols)
        cur.execute(
            f"UPDATE {_qn(table)} AS t SET {sets} FROM {_qn(staging)} AS s "  # noqa: S608
            "WHERE t.id = s.id"
        )
    finally:
        cur.execute(f"DROP TABLE {_qn(staging)}")


def _id_filter(ids: Sequence[int]) -> tuple[str, list]:
    """SQL selecting rows by id (sorted, distinct), and its parameters: a range when the ids are
    consecutive (as reserved ids are), else the whole list as one parameter."""
    if ids[-1] - ids[0] == len(ids) - 1:  # sorted and distinct, so consecutive
        return "id BETWEEN %s AND %s", [ids[0], ids[-1]]
    return _in("id", ids)


def _in(column: str, values: Sequence) -> tuple[str, list]:
    """SQL `column IN (values)` for any number of values, sent as one parameter."""
    values = list(values)
    if connection.vendor == "postgresql":
        kind = "bigint" if isinstance(values[0], int) else "text"
        return f"{_qn(column)} = ANY(%s::{kind}[])", [values]
    return f"{_qn(column)} IN (SELECT value FROM json_each(%s))", [json.dumps(values)]  # noqa: S608


#: Values per ORM `__in` lookup: each value is a bound parameter, and SQLite limits them.
IN_PART = 5000


def in_parts(values: Sequence[T], size: int = IN_PART) -> Iterator[list[T]]:
    """The values in lists short enough for one ORM `__in` lookup. (`rows_in` needs no parts:
    it sends any number of values as one parameter.)"""
    values = list(values)
    for i in range(0, len(values), size):
        yield values[i : i + size]


def rows_in(
    model: type[models.Model],
    column: str,
    values: Sequence,
    fields: Sequence[str],
    *,
    where: str = "",
    params: Sequence = (),
) -> list[tuple]:
    """`fields` of the rows whose `column` is one of `values` (and meet `where`): one query
    however many values, where the ORM would need a query and a parameter per value."""
    if not len(values):
        return []
    cond, found = _in(column, values)
    names = ", ".join(_qn(f) for f in fields)
    extra = f" AND ({where})" if where else ""
    sql = f"SELECT {names} FROM {_qn(model._meta.db_table)} WHERE {cond}{extra}"  # noqa: S608
    with connection.cursor() as cur:
        cur.execute(sql, [*found, *params])
        return cur.fetchall()


def write_history(model: type[models.Model], kind: str, ids: Sequence[int]) -> int:
    """Copy rows `ids` of the table into its history table as `kind` ("+", "~" or "-"), by the
    attributed user, now; rows written (0 when the model keeps no history)."""
    hist = history_model(model)
    if hist is None or not len(ids):
        return 0
    table = {f.column for f in model._meta.concrete_fields}
    cols = [f.column for f in hist._meta.concrete_fields if f.column in table]
    who = _ATTRIBUTION.get() or Attribution()
    when = connection.ops.adapt_datetimefield_value(timezone.now())
    names = ", ".join(_qn(c) for c in cols)
    into = ", ".join(_qn(c) for c in [*cols, *_HISTORY_COLUMNS])
    where, params = _id_filter(sorted(set(ids)))
    sql = (
        f"INSERT INTO {_qn(hist._meta.db_table)} ({into}) "  # noqa: S608
        f"SELECT {names}, %s, %s, %s, %s FROM {_qn(model._meta.db_table)} WHERE {where} "
        "ORDER BY id"
    )
    with connection.cursor() as cur:
        cur.execute(sql, [when, who.reason, kind, who.user_id, *params])
        return cur.rowcount


def _references_to(model: type[models.Model]) -> list:
    """Every foreign key pointing at the model, hidden ones (related_name="+") included, as
    Django's own delete collects them."""
    return [
        f
        for f in model._meta.get_fields(include_hidden=True)
        if f.auto_created and not f.concrete and (f.one_to_many or f.one_to_one)
    ]


def delete_ids(
    model: type[models.Model],
    ids: list[int],
    *,
    handled: frozenset[type[models.Model]] = frozenset(),
    chunk: int = 5000,
) -> int:
    """Delete rows by id with plain SQL (their "-" history rows first), after honouring
    references from outside `handled`; rows deleted.

    The caller deletes a whole family of rows (`handled`, children before parents), so the
    ORM's per-object collection and signals, minutes for a big return, are not needed for them.
    Rows of other models that point here are dealt with as their foreign key says: SET_NULL
    ones are updated here (with "~" history); a row referenced any other way (CASCADE, PROTECT,
    ...) is deleted through the ORM instead, which cascades, or refuses, as Django would.
    """
    ids = sorted(set(ids))
    if not ids:
        return 0
    done, by_orm = 0, set()
    for rel in _references_to(model):
        if rel.related_model in handled or rel.on_delete is models.DO_NOTHING:
            continue
        other, column = rel.related_model, rel.field.column
        found = rows_in(other, column, ids, [other._meta.pk.column, column])
        if not found:
            continue
        if rel.on_delete is models.SET_NULL:
            pointing = sorted({r[0] for r in found})
            where, params = _id_filter(pointing)
            with connection.cursor() as cur:
                cur.execute(
                    f"UPDATE {_qn(other._meta.db_table)} SET {_qn(column)} = NULL "  # noqa: S608
                    f"WHERE {where}",
                    params,
                )
            write_history(other, "~", pointing)
        else:
            by_orm.update(r[1] for r in found)
    orm_ids = sorted(by_orm)
    for part in in_parts(orm_ids, chunk):
        done += model._base_manager.filter(pk__in=part).delete()[1].get(model._meta.label, 0)
    rest = [i for i in ids if i not in by_orm]
    if not rest:
        return done
    write_history(model, "-", rest)
    where, params = _id_filter(rest)
    with connection.cursor() as cur:
        cur.execute(f"DELETE FROM {_qn(model._meta.db_table)} WHERE {where}", params)  # noqa: S608
        return done + cur.rowcount


def keep_referenced(going: dict[type[models.Model], set[int]]) -> dict[type[models.Model], int]:
    """Take out of `going` (ids about to be deleted, by model) every row that a row not being
    deleted still points to, by any foreign key that deleting would cascade to, protect or set
    to null; until none is left, since keeping a row keeps what it points to. Rows kept, by
    model. A load replacing its own rows uses it so that no row of another source is lost."""
    kept: dict[type[models.Model], int] = {}
    changed = True
    while changed:
        changed = False
        for model in going:
            held = _held(model, going)
            if held:
                going[model] -= held
                kept[model] = kept.get(model, 0) + len(held)
                changed = True
    return kept


def _held(model: type[models.Model], going: dict[type[models.Model], set[int]]) -> set[int]:
    """The rows of `model` in `going` that a row outside `going` points to."""
    ids = sorted(going[model])
    held: set[int] = set()
    if not ids:
        return held
    for rel in _references_to(model):
        if rel.on_delete is models.DO_NOTHING:
            continue
        other, column = rel.related_model, rel.field.column
        leaving = going.get(other, set())
        found = rows_in(other, column, ids, [other._meta.pk.column, column])
        held.update(target for pk, target in found if pk not in leaving)
    return held
