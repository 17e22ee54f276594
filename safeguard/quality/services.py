"""Writes of the quality record: each `<entity>_<action>` checks the rules and saves.

Views and the seed command call these; nothing else writes quality records. Actions agreed in
case supervision, an audit or a panel become `Task` rows for the worker, with a due date.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from safeguard.journey.models import Child, record
from safeguard.protection.history import create_with_history
from safeguard.workforce.models import CaseSupervision, Worker

from . import codes, sampling
from .models import (
    Audit,
    AuditAnswer,
    AuditProgramme,
    AuditQuestion,
    AuditTemplate,
    Authorisation,
    PanelRequest,
    Task,
    WorkerSupervision,
)

NO_WORKER = "The child has no allocated worker to give the action to; choose who does it."
ALL_QUESTIONS = "Grade every question of the audit tool before submitting."
NOT_SUBMITTED = "Only a graded audit that is awaiting moderation can be moderated."
SAME_MANAGER = "Moderation must be by a second manager, not the auditor."
ALREADY_GRADED = "This audit has already been graded."
NOT_YOUR_AUDIT = "Only the worker whose case was audited can respond to it."
PANEL_DECIDED = "The panel has already decided this request."
TASK_DONE = "This task is already done."


@dataclass(frozen=True)
class Action:
    """An action agreed in supervision, audit or panel: what, by when, and (optionally) who."""

    title: str
    due_date: date
    assignee: Worker | None = None


def task_create(
    *,
    assignee: Worker,
    title: str,
    due_date: date,
    origin: str,
    set_date: date,
    set_by: Worker | None = None,
    child: Child | None = None,
    **origin_rows,
) -> Task:
    """A task for a worker, recorded with where it came from (supervision, audit, panel)."""
    return record(
        Task(
            assignee=assignee,
            title=title,
            due_date=due_date,
            origin=origin,
            set_date=set_date,
            set_by=set_by,
            child=child,
            **origin_rows,
        )
    )


def task_complete(*, task: Task, done_date: date) -> Task:
    """Mark a task done on a date."""
    if task.done_date is not None:
        raise ValidationError(TASK_DONE)
    task.done_date = done_date
    return record(task)


def _tasks_from(
    actions: Sequence[Action],
    *,
    default: Worker | None,
    origin: str,
    set_date: date,
    set_by: Worker | None,
    child: Child | None,
    **origin_rows,
) -> list[Task]:
    tasks = []
    for action in actions:
        assignee = action.assignee or default
        if assignee is None:
            raise ValidationError(NO_WORKER)
        tasks.append(
            task_create(
                assignee=assignee,
                title=action.title,
                due_date=action.due_date,
                origin=origin,
                set_date=set_date,
                set_by=set_by,
                child=child,
                **origin_rows,
            )
        )
    return tasks


def allocated_worker(child: Child, on: date) -> Worker | None:
    """The worker holding the child's case on a date (the latest-starting open allocation)."""
    from django.db.models import Q

    alloc = (
        child.allocations.filter(Q(end_date__isnull=True) | Q(end_date__gte=on), start_date__lte=on)
        .exclude(worker=None)
        .order_by("-start_date")
        .first()
    )
    return alloc.worker if alloc else None


@transaction.atomic
def case_supervision_record(
    *,
    child: Child,
    date: date,
    supervisor: Worker,
    decisions: str,
    actions: Sequence[Action] = (),
    worker: Worker | None = None,
) -> CaseSupervision:
    """Record case supervision of one child; each agreed action becomes the worker's task."""
    worker = worker or allocated_worker(child, date)
    supervision = record(
        CaseSupervision(
            child=child, date=date, supervisor=supervisor, worker=worker, decisions=decisions
        )
    )
    _tasks_from(
        actions,
        default=worker,
        origin="SUPERVISION",
        set_date=date,
        set_by=supervisor,
        child=child,
        case_supervision=supervision,
    )
    return supervision


def worker_supervision_record(
    *, worker: Worker, supervisor: Worker, date: date, notes: str = ""
) -> WorkerSupervision:
    """Record a worker's own supervision session."""
    return record(WorkerSupervision(worker=worker, supervisor=supervisor, date=date, notes=notes))


@transaction.atomic
def audit_template_create(
    *, name: str, kind: str, questions: Sequence[tuple[str, str, str]], description: str = ""
) -> AuditTemplate:
    """An audit tool from (theme, question, guidance) rows, numbered in order."""
    template = AuditTemplate.objects.create(name=name, kind=kind, description=description)
    AuditQuestion.objects.bulk_create(
        AuditQuestion(template=template, number=n, theme=theme, text=text, guidance=guidance)
        for n, (theme, text, guidance) in enumerate(questions, start=1)
    )
    return template


@transaction.atomic
def programme_create_monthly(
    *,
    template: AuditTemplate,
    month: date,
    per_team: int,
    seed: int,
    created_by: Worker | None = None,
) -> AuditProgramme:
    """A month's audit programme: `per_team` cases sampled from each team (deterministic)."""
    month = month.replace(day=1)
    programme = AuditProgramme.objects.create(
        template=template,
        kind="MONTHLY",
        month=month,
        per_team=per_team,
        seed=seed,
        created_by=created_by,
        title=f"Case-file audits, {month:%B %Y}",
    )
    _plan_audits(programme, sampling.monthly_sample(month=month, per_team=per_team, seed=seed))
    return programme


@transaction.atomic
def programme_create_thematic(
    *,
    template: AuditTemplate,
    query: str,
    month: date,
    title: str = "",
    created_by: Worker | None = None,
) -> AuditProgramme:
    """A thematic audit of every child the named query picks (e.g. every child in PLO)."""
    month = month.replace(day=1)
    chosen = sampling.THEMATIC_QUERIES[query]
    programme = AuditProgramme.objects.create(
        template=template,
        kind="THEMATIC",
        month=month,
        query=query,
        created_by=created_by,
        title=title or f"Thematic audit: {chosen.title}, {month:%B %Y}",
    )
    _plan_audits(programme, sampling.thematic_sample(query=query, as_at=month))
    return programme


def _plan_audits(programme: AuditProgramme, picks: list[sampling.Pick]) -> None:
    managers = dict(
        Worker.objects.filter(managed_teams__isnull=False).values_list("managed_teams", "pk")
    )
    audits = [
        Audit(
            programme=programme,
            child_id=p.child_id,
            team_id=p.team_id,
            worker_id=p.worker_id,
            auditor_id=managers.get(p.team_id),
        )
        for p in picks
    ]
    # a history row per planned audit, by whoever created the programme (G7)
    creator = programme.created_by.user if programme.created_by_id else None
    create_with_history(audits, Audit, user=creator, reason=f"Audit programme: {programme.title}")


@transaction.atomic
def audit_grade(
    *,
    audit: Audit,
    auditor: Worker,
    audit_date: date,
    grades: dict[int, tuple[str, str]],
    overall_grade: str,
    summary: str,
    actions: Sequence[Action] = (),
) -> Audit:
    """The auditor's grades (question id -> (grade, comment)), overall grade and actions."""
    if audit.status != "PLANNED":
        raise ValidationError(ALREADY_GRADED)
    questions = set(audit.programme.template.questions.values_list("pk", flat=True))
    if set(grades) != questions:
        raise ValidationError(ALL_QUESTIONS)
    _check_grades([g for g, _ in grades.values()] + [overall_grade])
    AuditAnswer.objects.bulk_create(
        AuditAnswer(audit=audit, question_id=q, grade=g, comment=c) for q, (g, c) in grades.items()
    )
    audit.auditor, audit.audit_date, audit.status = auditor, audit_date, "SUBMITTED"
    audit.overall_grade, audit.summary = overall_grade, summary
    record(audit)
    _tasks_from(
        actions,
        default=audit.worker,
        origin="AUDIT",
        set_date=audit_date,
        set_by=auditor,
        child=audit.child,
        audit=audit,
    )
    return audit


def _check_grades(grades: list[str]) -> None:
    bad = [g for g in grades if g not in codes.GRADE]
    if bad:
        raise ValidationError(f"Not a grade: {', '.join(bad)}.")


def audit_respond(*, audit: Audit, worker: Worker, text: str, date: date) -> Audit:
    """The audited worker's response to the audit (their reflection or disagreement)."""
    if audit.worker_id != worker.pk:
        raise ValidationError(NOT_YOUR_AUDIT)
    audit.worker_response, audit.worker_response_date = text, date
    return record(audit)


@transaction.atomic
def audit_moderate(
    *,
    audit: Audit,
    moderator: Worker,
    date: date,
    grade: str,
    comment: str,
    actions: Sequence[Action] = (),
) -> Audit:
    """A second manager's moderation: agrees or changes the overall grade; may add actions."""
    if audit.status != "SUBMITTED":
        raise ValidationError(NOT_SUBMITTED)
    if moderator.pk == audit.auditor_id:
        raise ValidationError(SAME_MANAGER)
    _check_grades([grade])
    audit.moderator, audit.moderated_date, audit.status = moderator, date, "MODERATED"
    audit.moderated_grade, audit.moderation_comment = grade, comment
    record(audit)
    _tasks_from(
        actions,
        default=audit.worker,
        origin="AUDIT",
        set_date=date,
        set_by=moderator,
        child=audit.child,
        audit=audit,
    )
    return audit


def panel_request_create(
    *,
    child: Child,
    requested_by: Worker,
    request_date: date,
    reason: str,
    evidence: str = "",
    kind: str = "ENTRY_TO_CARE",
) -> PanelRequest:
    """A request to the entry-to-care panel, with the case and evidence for it."""
    return record(
        PanelRequest(
            child=child,
            kind=kind,
            requested_by=requested_by,
            request_date=request_date,
            reason=reason,
            evidence=evidence,
        )
    )


@transaction.atomic
def panel_decide(
    *,
    panel: PanelRequest,
    decided_by: Worker,
    panel_date: date,
    decision: str,
    conditions: str = "",
    review_date: date | None = None,
    actions: Sequence[Action] = (),
) -> PanelRequest:
    """The panel's decision, conditions and review date; conditions to act on become tasks."""
    if panel.decision:
        raise ValidationError(PANEL_DECIDED)
    panel.decided_by, panel.panel_date, panel.decision = decided_by, panel_date, decision
    panel.conditions, panel.review_date = conditions, review_date
    record(panel)
    _tasks_from(
        actions,
        default=panel.requested_by,
        origin="PANEL",
        set_date=panel_date,
        set_by=decided_by,
        child=panel.child,
        panel=panel,
    )
    return panel


def authorisation_record(
    *,
    child: Child,
    kind: str,
    authorised_by: Worker,
    authorised_at: datetime,
    decision: str = "",
    **subject,
) -> Authorisation:
    """A manager's authorisation of a decision on a child's case, with who and when."""
    return record(
        Authorisation(
            child=child,
            kind=kind,
            authorised_by=authorised_by,
            authorised_at=authorised_at,
            decision=decision,
            **subject,
        )
    )
