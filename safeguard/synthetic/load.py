"""Writing the generated tables to the database: one bulk insert per table, in one transaction.

Rows go in with the primary keys the generator gave them, in dependency order, by
`executemany` (SQLite) or `COPY` (PostgreSQL), bypassing model instances: that is what makes
a whole council load in seconds. Dates and datetimes are passed as ISO text, which both
databases read for date and timestamp columns. Afterwards PostgreSQL's sequences are moved past
the keys used, so rows recorded later get fresh keys.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, models, transaction

from .days import EPOCH
from .tables import DATE, DATETIME, DECIMAL, JSON, ORDER, Tables

#: Apps whose tables make up the record the generator fills (and `--replace` empties).
RECORD_APPS = ("journey", "workforce")

_EPOCH_DT = datetime(EPOCH.year, EPOCH.month, EPOCH.day, tzinfo=UTC)


def field_kinds(label: str) -> dict[str, str]:
    """Which columns of a model need converting from the generator's numbers."""
    model = apps.get_model(label)
    kinds: dict[str, str] = {}
    for f in model._meta.concrete_fields:
        if isinstance(f, models.DateTimeField):
            kinds[f.attname] = DATETIME
        elif isinstance(f, models.DateField):
            kinds[f.attname] = DATE
        elif isinstance(f, models.JSONField):
            kinds[f.attname] = JSON
        elif isinstance(f, models.DecimalField):
            kinds[f.attname] = DECIMAL
    return kinds


def _converter(kind: str | None, postgres: bool) -> Callable[[Any], Any] | None:
    tz = "+00:00" if postgres else ""
    if kind == DATE:
        return lambda v: None if v is None else (EPOCH + timedelta(days=v)).isoformat()
    if kind == DATETIME:
        return lambda v: (
            None
            if v is None
            else (_EPOCH_DT + timedelta(minutes=v)).strftime("%Y-%m-%d %H:%M:%S") + tz
        )
    if kind == JSON:
        return lambda v: json.dumps(v)
    return None


def _rows(
    columns: dict[str, list], names: list[str], kinds: dict[str, str], postgres: bool
) -> Iterator[tuple]:
    converted = []
    for name in names:
        conv = _converter(kinds.get(name), postgres)
        values = columns[name]
        converted.append(values if conv is None else [conv(v) for v in values])
    return zip(*converted, strict=True)


def record_models() -> list[type[models.Model]]:
    """Every model of the record's apps, historical tables included."""
    return [m for label in RECORD_APPS for m in apps.get_app_config(label).get_models()]


def is_empty() -> bool:
    return not any(m.objects.exists() for m in record_models())


def _links(model: type[models.Model], targets: set) -> list[models.Field]:
    # Only database-enforced references matter (history tables keep theirs unenforced).
    return [
        f
        for f in model._meta.concrete_fields
        if f.is_relation and f.related_model in targets and getattr(f, "db_constraint", False)
    ]


def dependents() -> tuple[list[type[models.Model]], list[models.Field]]:
    """What else must change when the record goes: models whose rows cannot outlive it (a
    required reference, directly or through one another), furthest first; and optional
    references (nullable foreign keys) to the record or to those rows, which are set to null."""
    gone = set(record_models())
    layers: list[list[type[models.Model]]] = []
    while True:
        layer = [
            m
            for m in apps.get_models()
            if m not in gone and m._meta.managed and any(not f.null for f in _links(m, gone))
        ]
        if not layer:
            break
        layers.append(layer)
        gone.update(layer)
    optional = [
        f for m in apps.get_models() if m not in gone and m._meta.managed for f in _links(m, gone)
    ]
    return [m for layer in reversed(layers) for m in layer], optional


def clear() -> list[str]:
    """Delete every row of the record (journey and workforce apps), and rows that need it.

    Optional references to it from other apps are set to null. Returns the tables emptied.
    PostgreSQL truncates in one statement when nothing else refers to those tables.
    """
    doomed, optional = dependents()
    ordered = [apps.get_model(label) for label in reversed(ORDER)]
    victims = [*doomed, *[m for m in record_models() if m not in ordered], *ordered]
    names = [model._meta.db_table for model in victims]
    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cur:
        for f in optional:
            table, column = quote(f.model._meta.db_table), quote(f.column)
            cur.execute(f"UPDATE {table} SET {column} = NULL WHERE {column} IS NOT NULL")  # noqa: S608
        if connection.vendor == "postgresql" and not optional:
            cur.execute(f"TRUNCATE {', '.join(quote(n) for n in names)} RESTART IDENTITY")
        else:
            for name in names:
                cur.execute(f"DELETE FROM {quote(name)}")  # noqa: S608
    return names


def insert(tables: Tables, progress: Callable[[str, int], None] | None = None) -> None:
    """Insert every table in dependency order, in one transaction."""
    postgres = connection.vendor == "postgresql"
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S") + ("+00:00" if postgres else "")
    with transaction.atomic():
        for label in ORDER:
            table = tables[label]
            if len(table) == 0:
                continue
            model = apps.get_model(label)
            _insert_table(model, table.columns, now, postgres)
            if progress is not None:
                progress(label, len(table))
        if postgres:
            _reset_sequences([apps.get_model(label) for label in ORDER])


def _insert_table(
    model: type[models.Model], columns: dict[str, list], now: str, postgres: bool
) -> None:
    field_names = {f.attname for f in model._meta.concrete_fields}
    names = [n for n in columns if n in field_names]
    stamps = [n for n in ("created_at", "updated_at") if n in field_names and n not in columns]
    kinds = field_kinds(model._meta.label)
    n = len(columns["id"])
    cols = {**columns, **{s: [None] * n for s in stamps}}
    all_names = names + stamps
    rows = _rows(cols, all_names, kinds, postgres)
    if stamps:
        idx = [all_names.index(s) for s in stamps]
        rows = (tuple(now if i in idx else v for i, v in enumerate(r)) for r in rows)
    table = connection.ops.quote_name(model._meta.db_table)
    quoted = ", ".join(connection.ops.quote_name(c) for c in all_names)
    with connection.cursor() as cur:
        if postgres:
            with cur.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(all_names))
            sql = f"INSERT INTO {table} ({quoted}) VALUES ({marks})"  # noqa: S608
            batch: list[tuple] = []
            for row in rows:
                batch.append(row)
                if len(batch) == 5000:
                    cur.executemany(sql, batch)
                    batch = []
            if batch:
                cur.executemany(sql, batch)


def _reset_sequences(model_list: list[type[models.Model]]) -> None:
    with connection.cursor() as cur:
        for sql in connection.ops.sequence_reset_sql(no_style(), model_list):
            cur.execute(sql)
