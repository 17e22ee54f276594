"""The audit trail's tables, and on PostgreSQL the triggers that make them append-only (G7).

The audit trail is the access log, every change-history table (django-simple-history), the
subject access disclosure log, the disposal log and the seals themselves. On PostgreSQL a row
trigger on each refuses UPDATE and DELETE, whoever runs the statement, raw SQL included: the
app connects as the table owner (often a superuser), so a REVOKE alone would not bind it.

One deliberate exception: retention disposal (retention.dispose) must destroy a disposed
child's history, access-log and disclosure-log rows with the record. It sets
`safeguard.disposal` for its own transaction only (SET LOCAL), and the trigger then lets DELETE
through on those tables; the disposal log lists every row removed, so the seal verifier can
tell it from tampering. The seals and the disposal log never accept a DELETE. TRUNCATE
(restore, replacing demo data) is an administrator's statement and is not a row operation, so
these triggers do not see it.

The triggers are installed by migration 0002 and again after every `migrate` (apps.py), so a
history table added by a later migration of another app is covered too. SQLite has no such
guard: there the models refuse changes and the hash chain (seal.py) detects raw SQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.apps import apps
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper

FUNCTION = "safeguard_append_only"
TRIGGER = "safeguard_append_only"
DISPOSAL_SETTING = "safeguard.disposal"

CREATE_FUNCTION = f"""
CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND TG_NARGS > 0 AND TG_ARGV[0] = 'disposable'
       AND current_setting('{DISPOSAL_SETTING}', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'The audit trail is append-only: % on % refused.', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""
# The access app's own trigger (access 0002) refuses every DELETE; this one replaces it with the
# same refusal plus the recorded-disposal exception.
OLD_ACCESS_TRIGGER = "DROP TRIGGER IF EXISTS access_log_append_only ON access_accesslog"


def is_history(model: type[models.Model]) -> bool:
    """A django-simple-history table (its rows are the change history of another model)."""
    return getattr(model, "instance_type", None) is not None and hasattr(model, "history_type")


def trail_models() -> list[type[models.Model]]:
    """Every model of the audit trail, in a fixed order (the order seals are made in)."""
    logs = ["access.AccessLog", "protection.Disclosure", "protection.Disposal"]
    history = sorted(
        (m for m in apps.get_models() if is_history(m)), key=lambda m: m._meta.db_table
    )
    return [apps.get_model(label) for label in logs] + history


DISPOSABLE_LOGS = ("access.AccessLog", "protection.Disclosure")


def disposable(model: type[models.Model]) -> bool:
    """Whether a disposal may delete this model's rows: a disposed child's history, the log of
    who read the record and of what was disclosed go with it; the seals and disposals never."""
    return is_history(model) or model._meta.label in DISPOSABLE_LOGS


def install(connection: BaseDatabaseWrapper) -> list[str]:
    """Create (or re-create) the triggers on every trail table present; returns those tables."""
    if connection.vendor != "postgresql":
        return []
    existing = set(connection.introspection.table_names())
    seal_model = apps.get_model("protection.AuditSeal")
    targets = [(m._meta.db_table, disposable(m)) for m in [*trail_models(), seal_model]]
    targets = [(t, d) for t, d in targets if t in existing]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(CREATE_FUNCTION)
        if "access_accesslog" in existing:
            cursor.execute(OLD_ACCESS_TRIGGER)
        for table, may_dispose in targets:
            argument = "'disposable'" if may_dispose else ""
            cursor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON {quote(table)}")
            cursor.execute(
                f"CREATE TRIGGER {TRIGGER} BEFORE UPDATE OR DELETE ON {quote(table)} "
                f"FOR EACH ROW EXECUTE FUNCTION {FUNCTION}({argument})"
            )
    return [t for t, _ in targets]


@contextmanager
def disposal_allowed(connection: BaseDatabaseWrapper) -> Iterator[None]:
    """Let this transaction DELETE from the disposable trail tables, for the block only.

    Must run inside a transaction: the setting is local to it, and is switched off again at the
    end of the block so that the rest of an enclosing transaction is guarded as before.
    """
    if connection.vendor != "postgresql":
        yield
        return
    if not connection.in_atomic_block:
        raise RuntimeError("disposal_allowed() needs an open transaction")
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, 'on', true)", [DISPOSAL_SETTING])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, 'off', true)", [DISPOSAL_SETTING])


def uninstall(connection: BaseDatabaseWrapper) -> None:
    """Remove the triggers and the function (migration 0002 backwards)."""
    if connection.vendor != "postgresql":
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON {quote(table)}")
        cursor.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}()")
