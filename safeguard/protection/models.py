"""Protection's records: legal holds on disposal, and the log of subject access disclosures."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class LegalHoldQuerySet(models.QuerySet):
    def active(self, on: object = None) -> LegalHoldQuerySet:
        """Holds in force on a date (today by default)."""
        day = on or timezone.localdate()
        in_force = Q(lifted_on__isnull=True) | Q(lifted_on__gt=day)
        return self.filter(in_force, placed_on__lte=day)


class LegalHold(models.Model):
    """A hold that stops disposal: of one child's record, or (no child) of every record.

    IICSA suspended destruction of children's records across England and Wales from 2015; a
    global hold models such an order. Lifting a hold keeps the row (who placed it stays known).
    """

    child = models.ForeignKey(
        "journey.Child",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="legal_holds",
        help_text="Empty: the hold covers every record.",
    )
    reason = models.CharField(max_length=200)
    reference = models.CharField(
        max_length=60, blank=True, help_text="Inquiry, court or litigation reference."
    )
    placed_on = models.DateField(default=timezone.localdate)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lifted_on = models.DateField(null=True, blank=True)

    objects = LegalHoldQuerySet.as_manager()

    class Meta:
        ordering = ["-placed_on"]

    def __str__(self) -> str:
        return f"Hold: {self.reason} ({'all records' if self.child_id is None else self.child})"


class Disclosure(models.Model):
    """A subject access bundle produced: the disclosure log (what went out, what was withheld)."""

    child = models.ForeignKey("journey.Child", on_delete=models.PROTECT, related_name="disclosures")
    produced_at = models.DateTimeField(default=timezone.now)
    produced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    items = models.PositiveIntegerField()
    marked_for_redaction = models.PositiveIntegerField()
    withheld = models.JSONField(default=list, help_text="[{model, pk, exemption, reason}]")
    sha256 = models.CharField("SHA-256 of the bundle JSON", max_length=64)

    class Meta:
        ordering = ["-produced_at"]

    def __str__(self) -> str:
        return f"Subject access bundle for child {self.child_id} at {self.produced_at:%Y-%m-%d}"


class AuditSeal(models.Model):
    """One link of the tamper-evident chain over the audit trail (G7).

    Each row of the access log, of a change-history table and of the disclosure and disposal
    logs is sealed once: `row_hash` is the SHA-256 of its content, and `chain` the SHA-256 of the
    previous seal's `chain` with this row's table, id and hash. Altering or deleting a sealed row
    changes what the verifier recomputes; rewriting the seals breaks the chain from that point.
    """

    table = models.CharField(max_length=100)
    row_id = models.BigIntegerField()
    row_hash = models.CharField(max_length=64)
    chain = models.CharField(max_length=64)
    sealed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["table", "row_id"], name="protection_seal_once")
        ]

    def __str__(self) -> str:
        return f"Seal {self.pk}: {self.table} {self.row_id}"


class Disposal(models.Model):
    """The disposal log: one run of the retention job that destroyed records (G24).

    Kept after the records have gone: which children (ids and LA reference only), under which
    rule and retain-until date, on which as-at date, when and by whom, and the id of every row
    removed per table, so the audit verifier can tell a disposal from an unrecorded deletion.
    """

    as_at = models.DateField()
    disposed_at = models.DateTimeField(default=timezone.now)
    disposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    children = models.JSONField(
        default=list, help_text="[{child_id, la_child_id, rule, retain_until}]"
    )
    rows = models.JSONField(default=dict, help_text="{table: [row ids removed]}")

    class Meta:
        ordering = ["disposed_at", "id"]

    def __str__(self) -> str:
        return f"Disposal of {len(self.children)} records on {self.disposed_at:%Y-%m-%d}"
