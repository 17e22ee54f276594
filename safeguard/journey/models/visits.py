"""Statutory visits to a child on a plan or looked after."""

from __future__ import annotations

from django.db import models

from safeguard.codes import local

from .base import JourneyRecord


class Visit(JourneyRecord):
    """A visit to the child by their social worker: whether the child was seen, and seen alone."""

    child = models.ForeignKey("journey.Child", on_delete=models.PROTECT, related_name="visits")
    worker = models.ForeignKey(
        "workforce.Worker", null=True, blank=True, on_delete=models.SET_NULL, related_name="visits"
    )
    date = models.DateField(db_index=True)
    kind = models.CharField(max_length=3, choices=local.VISIT_KIND.choices())
    seen = models.BooleanField(default=True)
    seen_alone = models.BooleanField(default=False)
    note = models.TextField(blank=True)


class CaseNote(JourneyRecord):
    """A case note on the child's record."""

    child = models.ForeignKey("journey.Child", on_delete=models.PROTECT, related_name="notes")
    author = models.ForeignKey(
        "workforce.Worker", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    date = models.DateField(db_index=True)
    text = models.TextField()
