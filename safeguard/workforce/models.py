"""Teams, workers, allocations of children to workers over time, and case supervision."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from safeguard.codes import local
from safeguard.journey.models.base import JourneyRecord


class Team(models.Model):
    """A team of the service (MASH, assessment, CP and court, looked after, 16+, ...)."""

    name = models.CharField(max_length=80, unique=True)
    kind = models.CharField(max_length=12, choices=local.TEAM_KIND.choices())
    service = models.CharField(
        max_length=80, blank=True, help_text="Service area a head of service manages."
    )
    manager = models.ForeignKey(
        "workforce.Worker",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="managed_teams",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Worker(models.Model):
    """A member of staff who can hold cases, decide, supervise or review."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="worker",
    )
    name = models.CharField(max_length=120)
    role = models.CharField(max_length=12, choices=local.WORKER_ROLE.choices())
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="workers"
    )
    service = models.CharField(
        max_length=80,
        blank=True,
        default="",
        db_default="",
        help_text="For a head of service: the service area (Team.service) they manage.",
    )
    agency = models.BooleanField(default=False)
    fte = models.DecimalField("FTE", max_digits=3, decimal_places=2, default=1)
    start_date = models.DateField()
    leave_date = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Allocation(JourneyRecord):
    """A child's case held by a worker in a team; a transfer ends one and starts the next."""

    child = models.ForeignKey("journey.Child", on_delete=models.PROTECT, related_name="allocations")
    worker = models.ForeignKey(
        Worker, null=True, blank=True, on_delete=models.PROTECT, related_name="allocations"
    )
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="allocations")
    start_date = models.DateField(db_index=True)
    end_date = models.DateField(null=True, blank=True)
    reason = models.CharField(max_length=12, choices=local.ALLOCATION_REASON.choices())
    end_reason = models.CharField(
        max_length=12, blank=True, choices=local.ALLOCATION_REASON.choices()
    )
    history = HistoricalRecords()

    date_order = (("start_date", "end_date"),)

    class Meta:
        ordering = ["child_id", "start_date"]


class CaseSupervision(JourneyRecord):
    """A supervisor's recorded discussion of one child's case with the worker."""

    child = models.ForeignKey(
        "journey.Child", on_delete=models.PROTECT, related_name="supervisions"
    )
    date = models.DateField(db_index=True)
    supervisor = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="+")
    worker = models.ForeignKey(
        Worker, null=True, blank=True, on_delete=models.PROTECT, related_name="case_supervisions"
    )
    decisions = models.TextField(blank=True)
    history = HistoricalRecords()
