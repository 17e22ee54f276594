"""The tamper-evident chain over the audit trail, and its verifier (G7, `safeguard verify_audit`).

`seal()` gives every not-yet-sealed row of the trail (append_only.trail_models: the access
log, the change history, the disclosure and disposal logs) one `AuditSeal`:

    row_hash = SHA-256(the row's content, canonical as in backup.canonical_row)
    chain    = SHA-256(previous seal's chain | table | row id | row_hash)

`verify()` walks the seals in order, recomputes every chain value from the stored hashes
(catches an edited or removed seal) and every row hash from the row as it now is (catches an
edited row, or a row deleted without a disposal recording it), and reports the first fault.

Why sealing is a separate step and not done by each insert: a chain has one head, so writing a
link per insert would make every read of a child record (each writes an access-log row) wait
for every other. Seals are made in batches instead, by `verify_audit` run on a schedule (every
few minutes from cron); a row is protected from the moment it is sealed. Keep the head
value `verify_audit` prints somewhere the app cannot write (a ticket, an email): someone able
to rewrite the whole chain is caught by `--head` with that value.

The chain is sequential by definition (each link needs the one before), so sealing and
verifying hash row by row; the rows themselves are read in batches.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db import connection, models, transaction
from django.db.models import Exists, OuterRef

from .append_only import trail_models
from .backup import canonical_row
from .models import AuditSeal, Disposal

GENESIS = "0" * 64
BATCH = 2000


def row_values(model: type[models.Model]) -> list[str]:
    """The columns a row's hash covers: every concrete column, primary key first."""
    pk = model._meta.pk.attname  # a history table's key is history_id, not the record's id
    return [pk] + [f.attname for f in model._meta.concrete_fields if f.attname != pk]


def row_hash(values: tuple) -> str:
    return hashlib.sha256(canonical_row(values)).hexdigest()


def link(previous: str, table: str, row_id: int, digest: str) -> str:
    """The chain value of one seal from the one before it."""
    return hashlib.sha256(f"{previous}|{table}|{row_id}|{digest}".encode()).hexdigest()


def _unsealed(model: type[models.Model]) -> models.QuerySet:
    table = model._meta.db_table
    sealed = AuditSeal.objects.filter(table=table, row_id=OuterRef("pk"))
    return model._base_manager.filter(~Exists(sealed)).order_by("pk")


def seal() -> int:
    """Seal every unsealed row of the trail; returns how many seals were added.

    One sealer at a time: on PostgreSQL the seal table is locked for the transaction (writers of
    the trail are not blocked); SQLite allows one writer anyway.
    """
    added = 0
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {AuditSeal._meta.db_table} IN EXCLUSIVE MODE")
        head = chain_head()
        for model in trail_models():
            table, names = model._meta.db_table, row_values(model)
            batch: list[AuditSeal] = []
            for values in _unsealed(model).values_list(*names).iterator(chunk_size=BATCH):
                digest = row_hash(values)
                head = link(head, table, values[0], digest)
                batch.append(AuditSeal(table=table, row_id=values[0], row_hash=digest, chain=head))
                if len(batch) >= BATCH:
                    AuditSeal.objects.bulk_create(batch)
                    added += len(batch)
                    batch.clear()
            AuditSeal.objects.bulk_create(batch)
            added += len(batch)
    return added


def chain_head() -> str:
    """The chain value of the latest seal (what to keep outside the app)."""
    return AuditSeal.objects.order_by("-id").values_list("chain", flat=True).first() or GENESIS


@dataclass
class Report:
    """What the verifier found: the first fault (if any), and counts."""

    sealed: int = 0
    disposed: int = 0
    unsealed: dict[str, int] = field(default_factory=dict)
    head: str = GENESIS
    fault: str | None = None
    head_found: bool | None = None

    @property
    def ok(self) -> bool:
        return self.fault is None and self.head_found is not False


def _disposed_rows() -> set[tuple[str, int]]:
    """Rows removed by a recorded disposal: (table, id)."""
    out: set[tuple[str, int]] = set()
    for rows in Disposal.objects.values_list("rows", flat=True):
        out.update((table, int(pk)) for table, ids in rows.items() for pk in ids)
    return out


def _seal_batches() -> Iterator[list[AuditSeal]]:
    batch: list[AuditSeal] = []
    for seal_row in AuditSeal.objects.order_by("id").iterator(chunk_size=BATCH):
        batch.append(seal_row)
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def verify(expected_head: str | None = None) -> Report:
    """Check every seal against the chain and every sealed row against its hash.

    Reports the first fault in seal order: a seal whose chain value is wrong (a seal edited,
    inserted or removed), a row whose content changed, or a row gone without a disposal.
    """
    report = Report(head_found=None if expected_head is None else False)
    models_by_table = {m._meta.db_table: m for m in trail_models()}
    disposed = _disposed_rows()
    head = GENESIS
    for batch in _seal_batches():
        current: dict[str, dict[int, tuple]] = {}
        for table in {s.table for s in batch}:
            model = models_by_table.get(table)
            current[table] = {}
            if model is not None:  # a table no longer in the trail: its rows count as gone
                ids = [s.row_id for s in batch if s.table == table]
                rows = model._base_manager.filter(pk__in=ids).values_list(*row_values(model))
                current[table] = {v[0]: v for v in rows}
        for s in batch:
            head = link(head, s.table, s.row_id, s.row_hash)
            if s.chain != head:
                report.fault = (
                    f"Seal {s.pk} ({s.table} row {s.row_id}) breaks the chain: a seal was "
                    "altered, inserted or removed at or before it."
                )
                return report
            values = current[s.table].get(s.row_id)
            if values is None:
                if (s.table, s.row_id) in disposed:
                    report.disposed += 1
                else:
                    report.fault = (
                        f"{s.table} row {s.row_id} (seal {s.pk}) was deleted, "
                        "and no disposal records it."
                    )
                    return report
            elif row_hash(values) != s.row_hash:
                report.fault = f"{s.table} row {s.row_id} (seal {s.pk}) was altered after sealing."
                return report
            if expected_head is not None and s.chain == expected_head:
                report.head_found = True
            report.sealed += 1
    report.head = head
    for table, model in models_by_table.items():
        count = _unsealed(model).count()
        if count:
            report.unsealed[table] = count
    return report
