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
        return lambda v: None if v is None else \
            (_EPOCH_DT + timedelta(minutes=v)).strftime("%Y-%m-%d %H:%M:%S") + tz
    if kind == JSON:
        return lambda v: json.dumps(v)
    return None


def _rows(columns: dict[str, list], names: list[str], kinds: dict[str, str],
          postgres: bool) -> Iterator[tuple]:
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


def clear() -> None:
    """Delete every row of the record (journey and workforce apps), children last."""
    ordered = [apps.get_model(label) for label in reversed(ORDER)]
    rest = [m for m in record_models() if m not in ordered]
    with transaction.atomic(), connection.cursor() as cur:
        for model in [*rest, *ordered]:
            cur.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")  # noqa: S608


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


def _insert_table(model: type[models.Model], columns: dict[str, list], now: str,
                  postgres: bool) -> None:
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
