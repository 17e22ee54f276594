"""Quality records: tasks, worker supervision, audits, panels, authorisations, tracker records.

Case supervision itself is `workforce.CaseSupervision`; its actions are `Task` rows pointing back
to it. Every dated record uses the journey's date-order rule (`JourneyRecord.clean`).
"""

from __future__ import annotations

from datetime import date

from django.db import models
from simple_history.models import HistoricalRecords

from safeguard.codes import local
from safeguard.journey.models.base import JourneyRecord

from . import codes

_WORKER = "workforce.Worker"
_CHILD = "journey.Child"


class Task(JourneyRecord):
    """Something a worker must do for a child by a date: an action from supervision or audit."""

    assignee = models.ForeignKey(_WORKER, on_delete=models.PROTECT, related_name="tasks")
    child = models.ForeignKey(
        _CHILD, null=True, blank=True, on_delete=models.PROTECT, related_name="tasks"
    )
    title = models.CharField(max_length=300)
    due_date = models.DateField(db_index=True)
    done_date = models.DateField(null=True, blank=True)
    origin = models.CharField(max_length=12, choices=codes.TASK_ORIGIN.choices())
    set_by = models.ForeignKey(
        _WORKER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    set_date = models.DateField()
    case_supervision = models.ForeignKey(
        "workforce.CaseSupervision",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="tasks",
    )
    audit = models.ForeignKey(
        "quality.Audit", null=True, blank=True, on_delete=models.CASCADE, related_name="tasks"
    )
    panel = models.ForeignKey(
        "quality.PanelRequest",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="tasks",
    )
    history = HistoricalRecords()

    date_order = (("set_date", "due_date"), ("set_date", "done_date"))

    class Meta:
        ordering = ["due_date", "id"]

    def is_overdue(self, as_at: date) -> bool:
        return self.done_date is None and self.due_date < as_at


class WorkerSupervision(JourneyRecord):
    """A worker's own (reflective and management) supervision session with their supervisor."""

    worker = models.ForeignKey(
        _WORKER, on_delete=models.PROTECT, related_name="worker_supervisions"
    )
    supervisor = models.ForeignKey(_WORKER, on_delete=models.PROTECT, related_name="+")
    date = models.DateField(db_index=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-date"]


class AuditTemplate(models.Model):
    """An audit tool as data: its questions and guidance are rows, so QA can revise it."""

    name = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=10, choices=codes.AUDIT_KIND.choices())
    description = models.TextField(blank=True)
    active = models.BooleanField(default=True)

    def __str__(self) -> str:
        return self.name


class AuditQuestion(models.Model):
    """One question of an audit tool, with guidance on what each grade looks like."""

    template = models.ForeignKey(AuditTemplate, on_delete=models.CASCADE, related_name="questions")
    number = models.PositiveSmallIntegerField()
    theme = models.CharField(max_length=60, help_text="Short label used in the analysis.")
    text = models.CharField(max_length=300)
    guidance = models.TextField(blank=True)

    class Meta:
        ordering = ["template_id", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "number"], name="audit_question_number_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text}"


class AuditProgramme(models.Model):
    """A month's sample of cases per team, or a thematic audit of the cases a query picks."""

    template = models.ForeignKey(AuditTemplate, on_delete=models.PROTECT, related_name="programmes")
    kind = models.CharField(max_length=10, choices=codes.AUDIT_KIND.choices())
    title = models.CharField(max_length=160)
    month = models.DateField(help_text="First day of the month audited.")
    per_team = models.PositiveSmallIntegerField(default=0)
    seed = models.IntegerField(default=0)
    query = models.CharField(max_length=40, blank=True, help_text="Thematic query key.")
    created_by = models.ForeignKey(
        _WORKER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-month", "id"]

    def __str__(self) -> str:
        return self.title


class Audit(JourneyRecord):
    """One child's case-file audit: grades, the worker's response and a second manager's view."""

    programme = models.ForeignKey(AuditProgramme, on_delete=models.CASCADE, related_name="audits")
    child = models.ForeignKey(_CHILD, on_delete=models.PROTECT, related_name="audits")
    team = models.ForeignKey(
        "workforce.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    worker = models.ForeignKey(
        _WORKER, null=True, blank=True, on_delete=models.SET_NULL, related_name="audits_of_my_work"
    )
    auditor = models.ForeignKey(
        _WORKER, null=True, blank=True, on_delete=models.SET_NULL, related_name="audits_done"
    )
    status = models.CharField(
        max_length=10, choices=codes.AUDIT_STATUS.choices(), default="PLANNED"
    )
    audit_date = models.DateField(null=True, blank=True)
    overall_grade = models.CharField(max_length=12, blank=True, choices=codes.GRADE.choices())
    summary = models.TextField(blank=True)
    worker_response = models.TextField(blank=True)
    worker_response_date = models.DateField(null=True, blank=True)
    moderator = models.ForeignKey(
        _WORKER, null=True, blank=True, on_delete=models.SET_NULL, related_name="audits_moderated"
    )
    moderated_date = models.DateField(null=True, blank=True)
    moderated_grade = models.CharField(max_length=12, blank=True, choices=codes.GRADE.choices())
    moderation_comment = models.TextField(blank=True)
    history = HistoricalRecords()

    date_order = (("audit_date", "moderated_date"),)

    class Meta:
        ordering = ["programme_id", "team_id", "child_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "child"], name="audit_child_once_per_programme"
            )
        ]

    @property
    def final_grade(self) -> str:
        """The moderated grade where moderation changed it, otherwise the auditor's."""
        return self.moderated_grade or self.overall_grade


class AuditAnswer(models.Model):
    """The auditor's grade and comment on one question for one audit."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(AuditQuestion, on_delete=models.PROTECT, related_name="answers")
    grade = models.CharField(max_length=12, choices=codes.GRADE.choices())
    comment = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["audit", "question"], name="audit_answer_once")
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.get_grade_display()}"


class PanelRequest(JourneyRecord):
    """A request to a panel (entry to care): the case made, the decision and its conditions."""

    child = models.ForeignKey(_CHILD, on_delete=models.PROTECT, related_name="panel_requests")
    kind = models.CharField(
        max_length=14, choices=codes.PANEL_KIND.choices(), default="ENTRY_TO_CARE"
    )
    requested_by = models.ForeignKey(_WORKER, on_delete=models.PROTECT, related_name="+")
    request_date = models.DateField(db_index=True)
    reason = models.TextField()
    evidence = models.TextField(blank=True)
    panel_date = models.DateField(null=True, blank=True)
    decision = models.CharField(max_length=14, blank=True, choices=codes.PANEL_DECISION.choices())
    conditions = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        _WORKER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_date = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    date_order = (("request_date", "panel_date"), ("panel_date", "review_date"))

    class Meta:
        ordering = ["-request_date", "id"]


class Authorisation(JourneyRecord):
    """A manager's recorded authorisation of a decision: who, when, what, and on which record."""

    child = models.ForeignKey(_CHILD, on_delete=models.PROTECT, related_name="authorisations")
    kind = models.CharField(max_length=20, choices=codes.AUTHORISATION_KIND.choices())
    authorised_by = models.ForeignKey(_WORKER, on_delete=models.PROTECT, related_name="+")
    authorised_at = models.DateTimeField(db_index=True)
    decision = models.TextField(blank=True)
    referral = models.ForeignKey(
        "journey.Referral", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assessment = models.ForeignKey(
        "journey.Assessment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-authorised_at"]


class S20Review(JourneyRecord):
    """A manager's review of a child's section 20 accommodation, and the legal advice sought."""

    child = models.ForeignKey(_CHILD, on_delete=models.PROTECT, related_name="s20_reviews")
    date = models.DateField(db_index=True)
    reviewed_by = models.ForeignKey(
        _WORKER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    legal_advice_date = models.DateField("legal advice", null=True, blank=True)
    outcome = models.TextField(blank=True)


class PermanencePlan(JourneyRecord):
    """The child's permanence plan as agreed (the latest by date is the current plan)."""

    child = models.ForeignKey(_CHILD, on_delete=models.PROTECT, related_name="permanence_plans")
    date = models.DateField("agreed", db_index=True)
    route = models.CharField(max_length=14, choices=codes.PERMANENCE_ROUTE.choices())
    agreed_by = models.ForeignKey(
        _WORKER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )


class LifeStoryWork(JourneyRecord):
    """Life-story work (and book) for a child: when it started and when it was completed."""

    child = models.ForeignKey(_CHILD, on_delete=models.PROTECT, related_name="life_story_work")
    started = models.DateField()
    completed = models.DateField(null=True, blank=True)
    worker = models.ForeignKey(
        _WORKER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    date_order = (("started", "completed"),)


class Dispute(JourneyRecord):
    """An issue an IRO raised under the dispute resolution protocol, its stage and resolution."""

    child = models.ForeignKey(_CHILD, on_delete=models.PROTECT, related_name="disputes")
    raised_date = models.DateField(db_index=True)
    raised_by = models.ForeignKey(
        _WORKER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    issue = models.TextField()
    stage = models.CharField(max_length=1, choices=codes.DISPUTE_STAGE.choices(), default="1")
    resolved_date = models.DateField(null=True, blank=True)
    outcome = models.TextField(blank=True)

    date_order = (("raised_date", "resolved_date"),)


class Establishment(models.Model):
    """Funded posts (FTE) of a role in a team, so vacancies = posts less FTE in post."""

    team = models.ForeignKey(
        "workforce.Team", on_delete=models.CASCADE, related_name="establishment"
    )
    role = models.CharField(max_length=12, choices=local.WORKER_ROLE.choices(), default="SW")
    posts = models.DecimalField("funded posts (FTE)", max_digits=5, decimal_places=2)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team", "role"], name="establishment_role_once")
        ]

    def __str__(self) -> str:
        return f"{self.team}: {self.posts} {self.get_role_display()} posts"
