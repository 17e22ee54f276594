"""The child: identity and characteristics shared by every return."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from safeguard.codes import cin

from .base import JourneyRecord


def validate_disabilities(value: list[str]) -> None:
    """Each disability must be a CIN census disability code."""
    bad = [v for v in value or [] if v not in cin.DISABILITY]
    if bad:
        raise ValidationError(f"Not a disability code: {', '.join(bad)}.")


class Child(JourneyRecord):
    """A child known to children's services, identified by the LA child ID across all returns."""

    la_child_id = models.CharField("LA child ID", max_length=36, unique=True)
    upn = models.CharField("UPN", max_length=13, blank=True)
    former_upn = models.CharField("former UPN", max_length=13, blank=True)
    upn_unknown = models.CharField(
        "UPN unknown reason", max_length=3, blank=True, choices=cin.UPN_UNKNOWN.choices()
    )
    first_name = models.CharField(max_length=60, blank=True)
    last_name = models.CharField(max_length=60, blank=True)
    date_of_birth = models.DateField("date of birth", null=True, blank=True, db_index=True)
    expected_date_of_birth = models.DateField("expected date of birth", null=True, blank=True)
    sex = models.CharField(max_length=1, choices=cin.SEX.choices())
    ethnicity = models.CharField(max_length=4, blank=True, choices=cin.ETHNICITY.choices())
    disabilities = models.JSONField(default=list, blank=True, validators=[validate_disabilities])
    uasc = models.BooleanField("unaccompanied asylum-seeking child", default=False)
    uasc_ceased = models.DateField("date UASC status ceased", null=True, blank=True)
    #: The returns that say the child is UASC, each with the date ceased it gave, e.g.
    #: "ssda903:2019=2021-06-01 ssda903:2020" (2020 gave none), so that a corrected return of
    #: one of those years can take its word and its date back (`ssda903.uasc`). Blank when the
    #: flag was set in Safeguard, or before returns were recorded here: a return then never
    #: clears it.
    uasc_sources = models.CharField(
        "returns saying the child is UASC, with their dates ceased",
        max_length=1000,  # 24 characters a year
        blank=True,
        default="",
        db_default="",  # rows written by raw SQL (synthetic data, older backups) have none
        editable=False,
    )
    date_of_death = models.DateField("date of death", null=True, blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    mother = models.BooleanField("is a mother", null=True, blank=True)
    mother_child_dob = models.DateField("date of birth of first child", null=True, blank=True)
    restricted = models.BooleanField(
        default=False, help_text="Sealed record (adoption, staff, high profile): named users only."
    )

    date_order = (("date_of_birth", "date_of_death"), ("date_of_birth", "uasc_ceased"))

    class Meta:
        verbose_name_plural = "children"
        ordering = ["la_child_id"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name} ({self.la_child_id})".strip()

    def clean(self) -> None:
        super().clean()
        if self.date_of_birth is None and self.expected_date_of_birth is None:
            raise ValidationError("A child needs a date of birth or an expected date of birth.")
