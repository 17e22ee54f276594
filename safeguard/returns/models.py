"""What the returns app keeps: a log of loaded returns, and return items the record lacks."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ImportLog(models.Model):
    """One return file loaded into the record: how to know it again, and what loading it did.

    `sha256` lets a second load of the same file change nothing; `replaced` says what an
    earlier load's rows a newer return for the same period replaced.
    """

    file_name = models.CharField(max_length=255)
    kind = models.CharField(max_length=20, db_index=True)  # a key of codec.CODECS
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, db_index=True)
    imported_at = models.DateTimeField(auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.CharField(max_length=60)  # the journey rows' `source`, e.g. "cin-census:2019"
    header = models.JSONField(default=dict, blank=True)  # the return's own header (LA code...)
    summary = models.JSONField(default=dict, blank=True)  # rows written per table
    replaced = models.JSONField(default=dict, blank=True)  # rows of earlier loads replaced

    class Meta:
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.year or ''} {self.file_name}"


class ReturnItem(models.Model):
    """An item a return carries that the journey record has no field for (yet).

    Kept so that a return imported and exported again is the same return: e.g. a CIN census
    assessment's AssessmentInternalReviewDate, a section 47's InitialCPCtarget, and which
    episode of need a conference held outside a section 47 belongs to. `row` names the journey
    row ("assessment", "section47", "conference") and `row_id` its primary key.
    """

    row = models.CharField(max_length=20)
    row_id = models.BigIntegerField()
    name = models.CharField(max_length=40)
    value = models.CharField(max_length=40)

    class Meta:
        indexes = [models.Index(fields=["row", "row_id"])]

    def __str__(self) -> str:
        return f"{self.row}:{self.row_id} {self.name}={self.value}"
