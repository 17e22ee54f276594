"""Change history helpers: who, when, before and after, including bulk changes and imports.

Every journey and workforce model is registered with django-simple-history, which writes a
history row on each `save()` and `delete()`. QuerySet.update(), bulk_create() and bulk_update()
bypass it; importers and bulk jobs must use the functions here instead, which write the rows and
the history in one transaction, attributed to the acting user:

    with transaction.atomic():
        children = create_with_history(rows, Child, user=importer, reason="CIN census 2025")
        update_with_history(changed, Child, ["postcode"], user=importer, reason="...")

Single saves outside a request (management commands) take the user from `acting_user`:

    with acting_user(user):
        child.save()
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from types import SimpleNamespace

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import models
from simple_history.models import HistoricalRecords
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

BATCH_SIZE = 500


@dataclass(frozen=True)
class Change:
    """One field changed by one history row."""

    when: datetime
    who: int | None  # user id
    kind: str  # "+" created, "~" changed, "-" deleted
    field: str
    before: object
    after: object


def create_with_history(
    objs: Sequence[models.Model],
    model: type[models.Model],
    *,
    user: AbstractBaseUser | None,
    reason: str,
) -> list[models.Model]:
    """bulk_create that also writes a "+" history row per object, by `user`, with `reason`."""
    return bulk_create_with_history(
        list(objs), model, batch_size=BATCH_SIZE, default_user=user, default_change_reason=reason
    )


def update_with_history(
    objs: Sequence[models.Model],
    model: type[models.Model],
    fields: Sequence[str],
    *,
    user: AbstractBaseUser | None,
    reason: str,
) -> int:
    """bulk_update that also writes a "~" history row per object, by `user`, with `reason`."""
    return bulk_update_with_history(
        list(objs),
        model,
        list(fields),
        batch_size=BATCH_SIZE,
        default_user=user,
        default_change_reason=reason,
    )


@contextmanager
def acting_user(user: AbstractBaseUser) -> Iterator[None]:
    """Attribute history written by saves in this block to `user` (outside a web request)."""
    previous = getattr(HistoricalRecords.context, "request", None)
    HistoricalRecords.context.request = SimpleNamespace(user=user)
    try:
        yield
    finally:
        if previous is None:
            del HistoricalRecords.context.request
        else:
            HistoricalRecords.context.request = previous


def changes(instance: models.Model) -> list[Change]:
    """Every field change of a record, oldest first, from its history rows."""
    rows = list(instance.history.order_by("history_date", "history_id"))  # type: ignore[attr-defined]
    out: list[Change] = []
    for older, newer in zip([None, *rows[:-1]], rows, strict=True):
        out.extend(_row_changes(older, newer))
    return out


def _row_changes(older: models.Model | None, newer: models.Model) -> Iterable[Change]:
    """The changes one history row made against the row before it."""
    if older is None or newer.history_type == "-":
        fields = [f.attname for f in newer.instance_type._meta.concrete_fields]
        for name in fields:
            value = getattr(newer, name)
            before, after = (value, None) if newer.history_type == "-" else (None, value)
            yield Change(
                newer.history_date, newer.history_user_id, newer.history_type, name, before, after
            )
        return
    for diff in newer.diff_against(older).changes:
        yield Change(
            newer.history_date,
            newer.history_user_id,
            newer.history_type,
            diff.field,
            diff.old,
            diff.new,
        )
