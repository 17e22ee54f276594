"""Looked-after children as the SSDA903 return records them, and care leavers."""

from __future__ import annotations

from django.db import models

from safeguard.codes import ssda903

from .base import JourneyRecord


class CareEpisode(JourneyRecord):
    """An SSDA903 episode: a new one starts whenever legal status or placement changes."""

    child = models.ForeignKey(
        "journey.Child", on_delete=models.PROTECT, related_name="care_episodes"
    )
    start_date = models.DateField("start (DECOM)", db_index=True)
    reason_new_episode = models.CharField("RNE", max_length=1, choices=ssda903.RNE.choices())
    legal_status = models.CharField("LS", max_length=2, choices=ssda903.LEGAL_STATUS.choices())
    category_of_need = models.CharField(
        "CIN", max_length=2, choices=ssda903.CATEGORY_OF_NEED.choices()
    )
    placement_type = models.CharField("PLACE", max_length=4, choices=ssda903.PLACE.choices())
    placement_provider = models.CharField(
        "PLACE_PROVIDER", max_length=3, blank=True, choices=ssda903.PLACE_PROVIDER.choices()
    )
    end_date = models.DateField("end (DEC)", null=True, blank=True)
    reason_ended = models.CharField("REC", max_length=3, blank=True, choices=ssda903.REC.choices())
    reason_place_change = models.CharField(
        "REASON_PLACE_CHANGE",
        max_length=6,
        blank=True,
        choices=ssda903.REASON_PLACE_CHANGE.choices(),
    )
    home_postcode = models.CharField(max_length=8, blank=True)
    placement_postcode = models.CharField(max_length=8, blank=True)
    urn = models.CharField("URN", max_length=8, blank=True)

    date_order = (("start_date", "end_date"),)

    class Meta:
        ordering = ["child_id", "start_date"]


class LookedAfterReview(JourneyRecord):
    """A looked-after child's review and how the child took part."""

    child = models.ForeignKey("journey.Child", on_delete=models.PROTECT, related_name="lac_reviews")
    date = models.DateField(db_index=True)
    participation = models.CharField(
        "REVIEW_CODE", max_length=3, blank=True, choices=ssda903.REVIEW_CODE.choices()
    )


class MissingEpisode(JourneyRecord):
    """A missing (M) or away without authorisation (A) episode, and the return-home interview."""

    child = models.ForeignKey(
        "journey.Child", on_delete=models.PROTECT, related_name="missing_episodes"
    )
    kind = models.CharField("MISSING", max_length=1, choices=ssda903.MISSING.choices())
    start_date = models.DateField("start", db_index=True)
    end_date = models.DateField("end", null=True, blank=True)
    returned_at = models.DateTimeField("returned", null=True, blank=True)
    rhi_offered_at = models.DateTimeField("return-home interview offered", null=True, blank=True)
    rhi_held_at = models.DateTimeField("return-home interview held", null=True, blank=True)
    rhi_declined = models.BooleanField("return-home interview declined", default=False)

    date_order = (("start_date", "end_date"), ("returned_at", "rhi_held_at"))


class HealthOutcome(JourneyRecord):
    """OC2: outcomes for children looked after continuously for 12 months at 31 March."""

    child = models.ForeignKey(
        "journey.Child", on_delete=models.PROTECT, related_name="health_outcomes"
    )
    year = models.PositiveSmallIntegerField(help_text="Collection year by its end (2019=2018-19).")
    sdq_score = models.PositiveSmallIntegerField(null=True, blank=True)
    sdq_reason = models.CharField(max_length=4, blank=True, choices=ssda903.SDQ_REASON.choices())
    convicted = models.BooleanField(null=True, blank=True)
    health_check = models.BooleanField(null=True, blank=True)
    immunisations = models.BooleanField(null=True, blank=True)
    teeth_check = models.BooleanField(null=True, blank=True)
    health_assessment = models.BooleanField(null=True, blank=True)
    substance_misuse = models.BooleanField(null=True, blank=True)
    intervention_received = models.BooleanField(null=True, blank=True)
    intervention_offered = models.BooleanField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["child", "year"], name="oc2_once_a_year")]


class CareLeaverContact(JourneyRecord):
    """OC3: contact with a care leaver around a birthday, and their activity and accommodation."""

    child = models.ForeignKey(
        "journey.Child", on_delete=models.PROTECT, related_name="care_leaver_contacts"
    )
    date = models.DateField(db_index=True)
    in_touch = models.CharField("IN_TOUCH", max_length=4, choices=ssda903.IN_TOUCH.choices())
    activity = models.CharField("ACTIV", max_length=2, blank=True, choices=ssda903.ACTIV.choices())
    accommodation = models.CharField(
        "ACCOM", max_length=2, blank=True, choices=ssda903.ACCOM.choices()
    )


class Adoption(JourneyRecord):
    """Adoption milestones for a child, and the reasons if the decision is reversed."""

    child = models.ForeignKey("journey.Child", on_delete=models.PROTECT, related_name="adoptions")
    decision_date = models.DateField("should be placed for adoption (DATE_PLACED)", db_index=True)
    decision_ceased_date = models.DateField(
        "decision reversed (DATE_PLACED_CEASED)", null=True, blank=True
    )
    decision_ceased_reason = models.CharField(
        "REASON_PLACED_CEASED",
        max_length=3,
        blank=True,
        choices=ssda903.REASON_PLACED_CEASED.choices(),
    )
    placement_order_date = models.DateField("placement order", null=True, blank=True)
    interest_date = models.DateField("LA interest (DATE_INT)", null=True, blank=True)
    match_date = models.DateField("matched (DATE_MATCH)", null=True, blank=True)
    placed_date = models.DateField("placed with adopters", null=True, blank=True)
    order_date = models.DateField("adoption order", null=True, blank=True)
    foster_care = models.BooleanField("adopted by foster carers", null=True, blank=True)
    number_of_adopters = models.PositiveSmallIntegerField(null=True, blank=True)
    sex_of_adopters = models.CharField(
        "SEX_ADOPTR", max_length=4, blank=True, choices=ssda903.SEX_ADOPTR.choices()
    )
    legal_status_of_adopters = models.CharField(
        "LS_ADOPTR", max_length=4, blank=True, choices=ssda903.LS_ADOPTR.choices()
    )

    date_order = (
        ("decision_date", "decision_ceased_date"),
        ("decision_date", "match_date"),
        ("match_date", "placed_date"),
        ("placed_date", "order_date"),
    )


class PreviousPermanence(JourneyRecord):
    """PrevPerm: a permanence order the child had before this period of care."""

    child = models.ForeignKey(
        "journey.Child", on_delete=models.PROTECT, related_name="previous_permanence"
    )
    prev_perm = models.CharField("PREV_PERM", max_length=2, choices=ssda903.PREV_PERM.choices())
    la_perm = models.CharField("LA_PERM", max_length=3, blank=True)
    date_perm = models.CharField(
        "DATE_PERM",
        max_length=10,
        blank=True,
        help_text="As returned: may be a partial date (zz/MM/YYYY).",
    )


class SocialWorkerEpisode(JourneyRecord):
    """SWEpisodes (SSDA903 from 2023-24): which social worker held a looked-after child's case.

    The DfE collects every social worker episode in the year for a child looked after at
    31 March, including spells while not looked after, so these stand apart from `CareEpisode`.
    `reason` is the return's SW_REASON, the reason the child's social worker changed; an open
    episode keeps its reason from year to year (rule SW16a).
    """

    child = models.ForeignKey(
        "journey.Child", on_delete=models.PROTECT, related_name="social_worker_episodes"
    )
    social_worker_id = models.CharField(
        "SW_ID",
        max_length=20,  # registration numbers are SW and a few digits
        blank=True,
        help_text="Social Work England registration number (starts SW), or XX if not known.",
    )
    start_date = models.DateField("start (SW_DECOM)", db_index=True)
    end_date = models.DateField("end (SW_DEC)", null=True, blank=True)
    reason = models.CharField(
        "SW_REASON", max_length=6, blank=True, choices=ssda903.SW_REASON.choices()
    )

    date_order = (("start_date", "end_date"),)

    class Meta:
        ordering = ["child_id", "start_date"]


class DeprivationOfLiberty(JourneyRecord):
    """DoLo (SSDA903 from 2026-27): a court order depriving a looked-after child of liberty.

    The return gives each order's start and, once it has ended, its end; the record keeps one
    row per order, keyed on the child and the start date like the other 903 episodes.
    """

    child = models.ForeignKey(
        "journey.Child", on_delete=models.PROTECT, related_name="deprivations_of_liberty"
    )
    start_date = models.DateField("start (DOLO_START)", db_index=True)
    end_date = models.DateField("end (DOLO_END)", null=True, blank=True)

    date_order = (("start_date", "end_date"),)

    class Meta:
        ordering = ["child_id", "start_date"]
        verbose_name = "deprivation of liberty order"
