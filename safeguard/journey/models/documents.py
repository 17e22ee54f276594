"""Documents attached to a child's record: a signed plan, a conference report, a letter, a photo.

The row holds what the server decided about the file, never what the user's browser claimed:
the content type comes from the file's first bytes (`safeguard.journey.filetypes`), the file is
kept under a random UUID (`stored_name`) in the documents folder, and the user's file name is
kept only to show and to suggest a name on download (`safeguard.journey.document_store`).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from safeguard.codes import local

from .base import JourneyRecord


class ChildDocument(JourneyRecord):
    """One file attached to a child's record; `created_at` is when it was uploaded."""

    child = models.ForeignKey("journey.Child", on_delete=models.PROTECT, related_name="documents")
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=6, choices=local.DOCUMENT_KIND.choices())
    original_name = models.CharField(
        "file name as uploaded", max_length=255, help_text="Shown only; never used as a path."
    )
    stored_name = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    content_type = models.CharField(max_length=100, help_text="Decided from the file's bytes.")
    size = models.PositiveBigIntegerField("size in bytes")
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "child's document"

    def __str__(self) -> str:
        return f"{self.title} ({self.original_name})"
