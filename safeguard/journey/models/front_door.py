"""The front door: contacts, the MASH threshold decision, and early help."""

from __future__ import annotations

from django.db import models

from safeguard.codes import cin, local

from .base import JourneyRecord


class Contact(JourneyRecord):
    """An enquiry about a child received at the front door, and the MASH decision on it."""

    child = models.ForeignKey("journey.Child", on_delete=models.PROTECT, related_name="contacts")
    received_at = models.DateTimeField("received", db_index=True)
    contact_source = models.CharField(max_length=3, choices=cin.REFERRAL_SOURCE.choices())
    summary = models.TextField(blank=True)
    made_by = models.ForeignKey(
        "auth.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="A MASH partner who recorded the contact sees it, not the case.",
    )
    mash_decision = models.CharField(
        "MASH decision", max_length=3, blank=True, choices=local.MASH_DECISION.choices()
    )
    decided_at = models.DateTimeField("decided", null=True, blank=True)
    decided_by = models.ForeignKey(
        "workforce.Worker", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    authorised_by = models.ForeignKey(
        "workforce.Worker", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    date_order = (("received_at", "decided_at"),)

    class Meta:
        ordering = ["-received_at"]


class EarlyHelpEpisode(JourneyRecord):
    """A period of early help under an early help assessment."""

    child = models.ForeignKey(
        "journey.Child", on_delete=models.PROTECT, related_name="early_help_episodes"
    )
    contact = models.ForeignKey("journey.Contact", null=True, blank=True, on_delete=models.SET_NULL)
    start_date = models.DateField("start", db_index=True)
    end_date = models.DateField("end", null=True, blank=True)
    outcome = models.CharField(
        max_length=12, blank=True, choices=local.EARLY_HELP_OUTCOME.choices()
    )
    lead_professional = models.CharField(max_length=120, blank=True)

    date_order = (("start_date", "end_date"),)
