"""Prospective adopters and adopters, as Ofsted's Annex A List 11 records them.

Adopters are not children: no child links to them and they sit outside every child's scope
(`access.scope`), so no case page shows them. Only the returns pages, which performance
analysts and administrators alone may use, read or write them (Annex A List 11). The
adoptive placement's identity and address stay in the sealed `access.AdoptionRecord`.
"""

from __future__ import annotations

from django.db import models

from safeguard.codes import cin

from .base import JourneyRecord


class Adopter(JourneyRecord):
    """One (prospective) adopter, through the adoption process from enquiry to order or exit.

    Two adopters of one household share `family_id`. `disability` and `leaving_reason` keep
    the list's text as given: the template's value lists for them are not settled
    (shared/reference/annex-a.md; the reason is 1 adopter withdrew, 2 process put on hold,
    3 application refused).
    """

    adopter_id = models.CharField("individual adopter identifier", max_length=36, unique=True)
    family_id = models.CharField("family identifier", max_length=36, blank=True, db_index=True)
    sex = models.CharField(max_length=1, blank=True, choices=cin.SEX.choices())
    ethnicity = models.CharField(max_length=4, blank=True, choices=cin.ETHNICITY.choices())
    disability = models.CharField(max_length=60, blank=True)
    fostering_for_adoption = models.BooleanField(null=True, blank=True)
    enquiry_date = models.DateField("enquiry received", null=True, blank=True)
    stage1_start = models.DateField("stage 1 started", null=True, blank=True)
    stage1_end = models.DateField("stage 1 ended", null=True, blank=True)
    stage2_start = models.DateField("stage 2 started", null=True, blank=True)
    stage2_end = models.DateField("stage 2 ended", null=True, blank=True)
    application_date = models.DateField("application submitted", null=True, blank=True)
    approval_date = models.DateField("application approved", null=True, blank=True)
    match_date = models.DateField("matched with child(ren)", null=True, blank=True)
    placed_date = models.DateField("child(ren) placed", null=True, blank=True)
    children_placed = models.PositiveSmallIntegerField(
        "number of children placed", null=True, blank=True
    )
    order_date = models.DateField("adoption order", null=True, blank=True)
    left_date = models.DateField("left the adoption process", null=True, blank=True)
    leaving_reason = models.CharField("reason for leaving", max_length=60, blank=True)

    date_order = (
        ("enquiry_date", "stage1_start"),
        ("stage1_start", "stage1_end"),
        ("stage2_start", "stage2_end"),
        ("application_date", "approval_date"),
        ("approval_date", "match_date"),
        ("match_date", "placed_date"),
        ("placed_date", "order_date"),
        ("enquiry_date", "left_date"),
    )

    class Meta:
        ordering = ["adopter_id"]

    def __str__(self) -> str:
        return self.adopter_id
