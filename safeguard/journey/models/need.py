"""Children in need: the episode of need (referral), single assessment and CIN plan."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from safeguard.codes import cin

from .base import JourneyRecord


def validate_factors(value: list[str]) -> None:
    bad = [v for v in value or [] if v not in cin.ASSESSMENT_FACTORS]
    if bad:
        raise ValidationError(f"Not an assessment factor code: {', '.join(bad)}.")


class Referral(JourneyRecord):
    """An episode of need (CIN census CINdetails), opened by a referral."""

    child = models.ForeignKey("journey.Child", on_delete=models.PROTECT, related_name="referrals")
    contact = models.ForeignKey(
        "journey.Contact",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="referrals",
    )
    referral_date = models.DateField("referral date", db_index=True)
    referral_source = models.CharField(max_length=3, choices=cin.REFERRAL_SOURCE.choices())
    referral_nfa = models.BooleanField("no further action at referral", default=False)
    decided_at = models.DateTimeField("decision on response", null=True, blank=True)
    primary_need = models.CharField(max_length=2, blank=True, choices=cin.PRIMARY_NEED.choices())
    closure_date = models.DateField("closure date", null=True, blank=True)
    reason_for_closure = models.CharField(
        max_length=3, blank=True, choices=cin.REASON_FOR_CLOSURE.choices()
    )

    date_order = (("referral_date", "closure_date"),)

    class Meta:
        ordering = ["referral_date"]


class Assessment(JourneyRecord):
    """A single (child and family) assessment within an episode of need."""

    referral = models.ForeignKey(
        "journey.Referral", on_delete=models.CASCADE, related_name="assessments"
    )
    child = models.ForeignKey("journey.Child", on_delete=models.PROTECT, related_name="assessments")
    start_date = models.DateField("start", db_index=True)
    authorisation_date = models.DateField("authorisation date", null=True, blank=True)
    factors = models.JSONField(default=list, blank=True, validators=[validate_factors])

    date_order = (("start_date", "authorisation_date"),)


class ChildInNeedPlan(JourneyRecord):
    """A child in need plan within an episode of need."""

    referral = models.ForeignKey(
        "journey.Referral", on_delete=models.CASCADE, related_name="cin_plans"
    )
    child = models.ForeignKey("journey.Child", on_delete=models.PROTECT, related_name="cin_plans")
    start_date = models.DateField("start", db_index=True)
    end_date = models.DateField("end", null=True, blank=True)

    date_order = (("start_date", "end_date"),)
