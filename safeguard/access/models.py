"""Access grants (named users for restricted records, break-glass), alerts and the access log."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

APPEND_ONLY_MESSAGE = "The access log is append-only: rows cannot be changed or deleted."


class Grant(models.Model):
    """Time-boxed permission for one user to see one child's record outside their scope.

    A named grant opens a restricted (sealed) record to a named user; a break-glass grant is
    self-claimed with a reason, short-lived, never opens a restricted record, and alerts a manager.
    """

    NAMED = "named"
    BREAK_GLASS = "break_glass"
    KINDS = [(NAMED, "Named user"), (BREAK_GLASS, "Emergency (break-glass)")]

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_grants"
    )
    child = models.ForeignKey(
        "journey.Child", on_delete=models.CASCADE, related_name="access_grants"
    )
    kind = models.CharField(max_length=12, choices=KINDS)
    reason_code = models.CharField(max_length=20, blank=True)
    reason = models.TextField()
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    starts_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(db_index=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-starts_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.user} to {self.child_id}"

    @classmethod
    def active_q(cls, at=None) -> models.Q:
        """Grants in force at a moment (now by default)."""
        at = at or timezone.now()
        return models.Q(starts_at__lte=at, expires_at__gt=at, revoked_at__isnull=True)


class BreakGlassAlert(models.Model):
    """An alert to a manager that someone used emergency access; it stays open until reviewed."""

    grant = models.OneToOneField(Grant, on_delete=models.CASCADE, related_name="alert")
    manager = models.ForeignKey(
        "workforce.Worker",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="break_glass_alerts",
    )
    raised_at = models.DateTimeField(default=timezone.now)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-raised_at"]

    def __str__(self) -> str:
        return f"Break-glass alert {self.pk}"


class AppendOnlyQuerySet(models.QuerySet):
    """Refuses bulk changes so the log cannot be rewritten through the ORM."""

    def update(self, **kwargs):
        raise PermissionError(APPEND_ONLY_MESSAGE)

    def delete(self):
        raise PermissionError(APPEND_ONLY_MESSAGE)


class AccessLog(models.Model):
    """One row per read, download, export or search of a child's record; never changed."""

    READ = "read"
    DOWNLOAD = "download"
    EXPORT = "export"
    SEARCH = "search"
    DENIED = "denied"
    ACTIONS = [
        (READ, "Read"),
        (DOWNLOAD, "Download"),
        (EXPORT, "Export"),
        (SEARCH, "Search"),
        (DENIED, "Refused"),
    ]

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    child = models.ForeignKey(
        "journey.Child", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=8, choices=ACTIONS)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    path = models.CharField(max_length=500)
    ip = models.GenericIPAddressField(null=True, blank=True)
    break_glass = models.BooleanField(default=False)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["child", "-at"])]

    def __str__(self) -> str:
        return f"{self.action} of {self.child_id} by {self.user_id} at {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise PermissionError(APPEND_ONLY_MESSAGE)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError(APPEND_ONLY_MESSAGE)


class AdoptionRecord(models.Model):
    """The adoption case record: sealed, and kept apart from the child's ordinary record.

    It alone links the child's identity before adoption (`birth_record`) to the identity after
    it (`adopted_record`: the new name, with the adopters' address). The adopted record is sealed:
    only users named on it by a grant see it, never through a role, a duty role or break-glass.
    The birth record's ordinary pages only note that an adoption record exists (DAIR 2005; the
    adoption case record procedures in shared/reference/security.md 1.4).
    """

    birth_record = models.OneToOneField(
        "journey.Child", on_delete=models.PROTECT, related_name="adoption_record_from"
    )
    adopted_record = models.OneToOneField(
        "journey.Child",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="adoption_record_to",
        help_text="The child's record under the adoptive identity (sealed).",
    )
    adopters_address = models.TextField(blank=True)
    adopters_postcode = models.CharField(max_length=8, blank=True)
    opened_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-opened_at"]

    def __str__(self) -> str:
        return f"Adoption case record {self.pk}"
