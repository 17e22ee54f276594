"""The public law outline and care proceedings."""

from __future__ import annotations

from django.db import models

from safeguard.codes import local

from .base import JourneyRecord


class CareProceedings(JourneyRecord):
    """Pre-proceedings (PLO) and the care proceedings that may follow."""

    child = models.ForeignKey("journey.Child", on_delete=models.PROTECT, related_name="proceedings")
    plo_meeting_date = models.DateField("PLO meeting", null=True, blank=True)
    plo_end_date = models.DateField("pre-proceedings ended", null=True, blank=True)
    plo_outcome = models.CharField(
        "pre-proceedings outcome",
        max_length=12,
        blank=True,
        default="",
        db_default="",
        choices=local.PLO_OUTCOME.choices(),
    )
    decision_to_issue_date = models.DateField("decision to issue", null=True, blank=True)
    issue_date = models.DateField("issued", null=True, blank=True, db_index=True)
    final_order_date = models.DateField("final order", null=True, blank=True)
    final_order = models.CharField(
        max_length=10, blank=True, choices=local.PROCEEDINGS_ORDER.choices()
    )

    date_order = (
        ("plo_meeting_date", "plo_end_date"),
        ("plo_meeting_date", "decision_to_issue_date"),
        ("decision_to_issue_date", "issue_date"),
        ("issue_date", "final_order_date"),
    )

    class Meta:
        verbose_name_plural = "care proceedings"
