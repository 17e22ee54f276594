"""Child protection: strategy discussion, section 47 enquiry, conferences and CP plans."""

from __future__ import annotations

from django.db import models

from safeguard.codes import cin, local

from .base import JourneyRecord


class Section47(JourneyRecord):
    """A strategy discussion that initiated a section 47 enquiry, and its outcome."""

    referral = models.ForeignKey(
        "journey.Referral", on_delete=models.CASCADE, related_name="section47s"
    )
    child = models.ForeignKey("journey.Child", on_delete=models.PROTECT, related_name="section47s")
    strategy_discussion_date = models.DateField(
        "strategy discussion", db_index=True, help_text="CIN census S47ActualStartDate."
    )
    end_date = models.DateField("enquiry completed", null=True, blank=True)
    outcome = models.CharField(max_length=4, blank=True, choices=local.S47_OUTCOME.choices())
    icpc_not_required = models.BooleanField("ICPC not required", default=False)

    date_order = (("strategy_discussion_date", "end_date"),)

    class Meta:
        verbose_name = "section 47 enquiry"


class Conference(JourneyRecord):
    """A child protection conference: initial (from a S47) or review (of a CP plan)."""

    child = models.ForeignKey("journey.Child", on_delete=models.PROTECT, related_name="conferences")
    kind = models.CharField(max_length=4, choices=local.CONFERENCE_KIND.choices())
    date = models.DateField(db_index=True)
    outcome = models.CharField(max_length=8, blank=True, choices=local.CONFERENCE_OUTCOME.choices())
    section47 = models.ForeignKey(
        "journey.Section47",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="conferences",
    )
    cp_plan = models.ForeignKey(
        "journey.ChildProtectionPlan",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reviews",
    )

    class Meta:
        ordering = ["date"]


class ChildProtectionPlan(JourneyRecord):
    """A child protection plan, with its categories of abuse."""

    referral = models.ForeignKey(
        "journey.Referral", on_delete=models.CASCADE, related_name="cp_plans"
    )
    child = models.ForeignKey("journey.Child", on_delete=models.PROTECT, related_name="cp_plans")
    initial_conference = models.ForeignKey(
        "journey.Conference", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    start_date = models.DateField("start", db_index=True)
    end_date = models.DateField("end", null=True, blank=True)
    initial_category = models.CharField(max_length=4, choices=cin.CATEGORY_OF_ABUSE.choices())
    latest_category = models.CharField(max_length=4, choices=cin.CATEGORY_OF_ABUSE.choices())
    previous_plans = models.PositiveSmallIntegerField("number of previous CP plans", default=0)

    date_order = (("start_date", "end_date"),)
