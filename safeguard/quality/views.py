"""Quality pages: thin views over the trackers, reports and services; every list, count and
export goes through the user's scope (`safeguard.access.scope.children_for`)."""

from __future__ import annotations

from datetime import date

import polars as pl
from django import forms as djforms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from safeguard.access import roles
from safeguard.access.audit import access_log_write, access_log_write_many
from safeguard.access.models import AccessLog
from safeguard.access.scope import children_for, scope_of, teams_of, worker_of
from safeguard.protection.locking import version_token
from safeguard.web import editing
from safeguard.web.pages import as_at as default_as_at
from safeguard.web.pages import page
from safeguard.workforce.models import Team, Worker

from . import analysis, export, forms, oversight, services, supervision, trackers, workforce
from .models import Audit, AuditProgramme, Authorisation, PanelRequest, Task

SUPERVISION_RECORDED = "Case supervision recorded."
WORKER_SUPERVISION_RECORDED = "Supervision recorded."
PROGRAMME_CREATED = "Audit programme created: {n} cases picked."
AUDIT_GRADED = "Audit graded. It now needs moderation by a second manager."
AUDIT_MODERATED = "Audit moderated."
RESPONSE_SAVED = "Your response is saved."
TASK_DONE = "Task marked done."
PANEL_SAVED = "Panel request saved."
PANEL_DECIDED = "Panel decision recorded."
AUTHORISATION_SAVED = "Authorisation recorded."
MANAGERS_ONLY = "Only managers can do this."
NO_WORKER = "Your login is not linked to a worker, so there is nothing to show here."


def _as_at(request: HttpRequest) -> date:
    try:
        return date.fromisoformat(request.GET.get("as_at", ""))
    except ValueError:
        return default_as_at()


def _scope(request: HttpRequest) -> QuerySet:
    return children_for(request.user)


def _require_manager(request: HttpRequest) -> Worker | None:
    if not roles.is_manager(request.user):
        raise PermissionDenied(MANAGERS_ONLY)
    return worker_of(request.user)


def _teams(request: HttpRequest) -> QuerySet[Team]:
    """Teams whose staff the user may see: all for the 'all' scope, else their own teams and,
    for a head of service, the teams of their service."""
    scope = roles.SCOPE_RANK.get(_widest(request), -1)
    if scope >= roles.SCOPE_RANK["all"]:
        return Team.objects.all()
    mine = teams_of(worker_of(request.user))
    if scope >= roles.SCOPE_RANK["service"]:
        services_ = [s for s in mine.values_list("service", flat=True) if s]
        return Team.objects.filter(service__in=services_) | mine
    return mine if scope >= roles.SCOPE_RANK["team"] else Team.objects.none()


def _widest(request: HttpRequest) -> str:
    return scope_of(request.user) or ""


def _log_export(request: HttpRequest, frame: pl.DataFrame) -> None:
    if "child_id" in frame.columns:
        ids = frame["child_id"].drop_nulls().unique().to_list()
        access_log_write_many(request, ids, AccessLog.EXPORT)


def _filter_form(request: HttpRequest, rows: pl.DataFrame, as_at: date) -> forms.FilterForm:
    """The filters, showing the date the page works to when none was chosen."""
    data = request.GET.copy()
    data.setdefault("as_at", as_at.isoformat())
    return forms.FilterForm(data, teams=_options(rows, "team"), statuses=_options(rows, "status"))


def _filter(
    frame: pl.DataFrame, form: forms.FilterForm, keys: tuple[str, ...] = ("team", "status")
) -> pl.DataFrame:
    """Rows matching the chosen team and status (a value with no rows leaves none)."""
    for key in keys:
        value = form.data.get(key)
        if value and key in frame.columns:
            frame = frame.filter(pl.col(key) == value)
    return frame


def _rows(frame: pl.DataFrame, columns) -> list[tuple[int | None, list]]:
    """(child_id or None, cells) pairs for the table template; the first cell links the child."""
    cells = export.table(frame, columns)
    ids = (
        frame["child_id"].to_list()
        if "child_id" in frame.columns and frame.height
        else [None] * len(cells)
    )
    return list(zip(ids, cells, strict=True))


def _options(frame: pl.DataFrame, column: str) -> list[str]:
    if column not in frame.columns or not frame.height:
        return []
    return sorted(v for v in frame[column].unique().to_list() if v)


def index(request: HttpRequest) -> HttpResponse:
    """The quality area: trackers, supervision, audits, panels, workforce, my tasks."""
    worker = worker_of(request.user)
    open_tasks = worker.tasks.filter(done_date=None).count() if worker else 0
    return page(
        request,
        "quality/index.html",
        {
            "trackers": trackers.TRACKERS.values(),
            "open_tasks": open_tasks,
            "is_manager": roles.is_manager(request.user),
        },
    )


def tracker(request: HttpRequest, key: str) -> HttpResponse:
    """One tracker: counts, filters (as at, team, status), the rows, and CSV export."""
    spec = trackers.TRACKERS.get(key)
    if spec is None:
        raise Http404
    as_at = _as_at(request)
    rows = trackers.run(spec, _scope(request), as_at)
    form = _filter_form(request, rows, as_at)
    shown = _filter(rows, form)
    if request.GET.get("format") == "csv":
        _log_export(request, shown)
        return export.csv_response(f"{key}-{as_at}.csv", shown, spec.columns)
    team_rows = _filter(rows, form, ("team",))  # the counts cover every status
    return page(
        request,
        "quality/tracker.html",
        {
            "spec": spec,
            "as_at": as_at,
            "form": form,
            "counts": spec.counts(team_rows),
            "columns": spec.columns,
            "rows": _rows(shown, spec.columns),
        },
    )


SUPERVISION_COLUMNS = (
    ("la_child_id", "Child"),
    ("name", "Name"),
    ("team", "Team"),
    ("worker", "Worker"),
    ("category", "Category"),
    ("since", "Since"),
    ("last_supervision", "Last supervision"),
    ("due", "Due"),
    ("status", "Status"),
)
TEAM_COLUMNS = (
    ("team", "Team"),
    ("category", "Category"),
    ("children", "Children"),
    ("in_date", "In date"),
    ("due_soon", "Due within 7 days"),
    ("overdue", "Overdue"),
    ("on_time_pct", "% on time"),
)
WORKER_COLUMNS = (
    ("team", "Team"),
    ("name", "Worker"),
    ("last_supervision", "Last supervision"),
    ("due", "Due"),
    ("status", "Status"),
)


def supervision_tracker(request: HttpRequest) -> HttpResponse:
    """Case supervision due and overdue by team, the children behind it, workers' own."""
    as_at = _as_at(request)
    rows = supervision.case_supervision_frame(_scope(request), as_at)
    form = _filter_form(request, rows, as_at)
    shown = _filter(rows, form)
    if request.GET.get("format") == "csv":
        _log_export(request, shown)
        return export.csv_response(f"supervision-{as_at}.csv", shown, SUPERVISION_COLUMNS)
    staff = supervision.worker_supervision_frame(_teams(request), as_at)
    return page(
        request,
        "quality/supervision.html",
        {
            "as_at": as_at,
            "form": form,
            "team_columns": TEAM_COLUMNS,
            "team_rows": _rows(supervision.by_team(_filter(rows, form, ("team",))), TEAM_COLUMNS),
            "columns": SUPERVISION_COLUMNS,
            "rows": _rows(shown, SUPERVISION_COLUMNS),
            "worker_columns": WORKER_COLUMNS,
            "worker_rows": _rows(staff, WORKER_COLUMNS),
            "is_manager": roles.is_manager(request.user),
            "worker_form": forms.WorkerSupervisionForm(
                workers=Worker.objects.filter(team__in=_teams(request))
            ),
        },
    )


def _child_in_scope(request: HttpRequest, pk: int):
    child = _scope(request).filter(pk=pk).first()
    if child is None:
        raise Http404
    access_log_write(request, child, AccessLog.READ)
    return child


def supervision_record(request: HttpRequest, child_pk: int) -> HttpResponse:
    """Record case supervision for one child: decisions, and actions that become tasks."""
    supervisor = _require_manager(request)
    child = _child_in_scope(request, child_pk)
    form = forms.CaseSupervisionForm(request.POST or None, initial={"date": default_as_at()})
    if request.method == "POST" and form.is_valid() and supervisor is not None:
        d = form.cleaned_data
        try:
            services.case_supervision_record(
                child=child,
                date=d["date"],
                supervisor=supervisor,
                decisions=d["decisions"],
                actions=[services.Action(t, due) for t, due in d["actions"]],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, SUPERVISION_RECORDED)
            return redirect("quality:supervision")
    return page(
        request,
        "quality/form.html",
        {
            "title": f"Record case supervision: {child}",
            "form": form,
            "no_worker": supervisor is None,
        },
    )


@require_POST
def worker_supervision_record(request: HttpRequest) -> HttpResponse:
    """Record a worker's own supervision (from the supervision page)."""
    supervisor = _require_manager(request)
    form = forms.WorkerSupervisionForm(
        request.POST, workers=Worker.objects.filter(team__in=_teams(request))
    )
    if form.is_valid() and supervisor is not None:
        d = form.cleaned_data
        services.worker_supervision_record(
            worker=d["worker"], supervisor=supervisor, date=d["date"], notes=d["notes"]
        )
        messages.success(request, WORKER_SUPERVISION_RECORDED)
    return redirect("quality:supervision")


def tasks(request: HttpRequest) -> HttpResponse:
    """My tasks: actions from supervision, audits and panels, overdue first."""
    worker = worker_of(request.user)
    mine = (
        Task.objects.filter(assignee=worker, child__in=_scope(request)).select_related("child")
        if worker
        else Task.objects.none()
    )
    return page(
        request,
        "quality/tasks.html",
        {
            "open": mine.filter(done_date=None),
            "done": mine.exclude(done_date=None)[:20],
            "as_at": default_as_at(),
            "no_worker": worker is None,
        },
    )


@require_POST
def task_done(request: HttpRequest, pk: int) -> HttpResponse:
    worker = worker_of(request.user)
    task = get_object_or_404(Task, pk=pk, assignee=worker)
    try:
        services.task_complete(task=task, done_date=default_as_at())
        messages.success(request, TASK_DONE)
    except ValidationError:
        pass
    return redirect("quality:tasks")


def audits(request: HttpRequest) -> HttpResponse:
    """Audit programmes (monthly and thematic), and forms to start one (managers)."""
    manager = roles.is_manager(request.user)
    if request.method == "POST":
        return _programme_create(request)
    return page(
        request,
        "quality/audits.html",
        {
            "programmes": AuditProgramme.objects.select_related("template")[:36],
            "is_manager": manager,
            "monthly_form": forms.MonthlyProgrammeForm(
                initial={"month": default_as_at().replace(day=1)}
            ),
            "thematic_form": forms.ThematicProgrammeForm(
                initial={"month": default_as_at().replace(day=1)}
            ),
            "mine": _my_audits(request),
        },
    )


def _my_audits(request: HttpRequest) -> QuerySet[Audit]:
    worker = worker_of(request.user)
    if worker is None:
        return Audit.objects.none()
    return Audit.objects.filter(child__in=_scope(request)).filter(
        worker=worker
    ) | Audit.objects.filter(child__in=_scope(request), auditor=worker)


def _programme_create(request: HttpRequest) -> HttpResponse:
    creator = _require_manager(request)
    if request.POST.get("kind") == "THEMATIC":
        form = forms.ThematicProgrammeForm(request.POST)
        if form.is_valid():
            programme = services.programme_create_thematic(created_by=creator, **form.cleaned_data)
            messages.success(request, PROGRAMME_CREATED.format(n=programme.audits.count()))
            return redirect("quality:programme", pk=programme.pk)
    else:
        form = forms.MonthlyProgrammeForm(request.POST)
        if form.is_valid():
            programme = services.programme_create_monthly(created_by=creator, **form.cleaned_data)
            messages.success(request, PROGRAMME_CREATED.format(n=programme.audits.count()))
            return redirect("quality:programme", pk=programme.pk)
    return page(
        request,
        "quality/form.html",
        {"title": "Start an audit programme", "form": form},
        status=400,
    )


def programme(request: HttpRequest, pk: int) -> HttpResponse:
    """The audits of one programme, for the children in the user's scope."""
    prog = get_object_or_404(AuditProgramme, pk=pk)
    rows = prog.audits.filter(child__in=_scope(request)).select_related(
        "child", "team", "worker", "auditor", "moderator"
    )
    return page(request, "quality/programme.html", {"programme": prog, "audits": rows})


def audit(request: HttpRequest, pk: int) -> HttpResponse:
    """One audit: the auditor grades it, the worker responds, a second manager moderates."""
    obj = get_object_or_404(
        Audit.objects.select_related("programme__template", "child"),
        pk=pk,
        child__in=_scope(request),
    )
    access_log_write(request, obj.child, AccessLog.READ)
    me = worker_of(request.user)
    manager = roles.is_manager(request.user)
    questions = list(obj.programme.template.questions.all())
    grade_form = (
        forms.GradeForm(questions=questions) if manager and obj.status == "PLANNED" else None
    )
    moderate_form = (
        forms.ModerateForm()
        if (manager and obj.status == "SUBMITTED" and me and me.pk != obj.auditor_id)
        else None
    )
    response_form = forms.ResponseForm() if me and me.pk == obj.worker_id else None
    if request.method == "POST":
        result = _audit_post(request, obj, me, questions)
        if isinstance(result, HttpResponse):
            return result
        grade_form, moderate_form, response_form = result
    return page(
        request,
        "quality/audit.html",
        {
            "audit": obj,
            "version": version_token(obj),  # each form carries it: no lost updates (G21)
            "answers": obj.answers.select_related("question"),
            "tasks": obj.tasks.select_related("assignee"),
            "grade_form": grade_form,
            "moderate_form": moderate_form,
            "response_form": response_form,
        },
    )


def _kept(request: HttpRequest, form, obj, back: str, title: str) -> HttpResponse:
    """The 409 page: the record as it is now, and the posted form (input kept) to save again."""
    current = type(obj)._default_manager.get(pk=obj.pk)
    kept = type(form)(editing.kept_data(request, form, current), **getattr(form, "kept_kwargs", {}))
    if "step" in request.POST:
        kept.fields["step"] = djforms.CharField(widget=djforms.HiddenInput)
    return editing.conflict_page(
        request,
        form=editing.versioned(kept, current),
        shown=current,
        back=back,
        context={"child": current.child, "title": title},
    )


def _audit_post(request: HttpRequest, obj: Audit, me: Worker | None, questions: list):
    """Handle the one form posted on the audit page; a redirect, or the forms with errors."""
    step, today = request.POST.get("step"), default_as_at()
    try:
        with transaction.atomic():
            return _audit_save(request, obj, me, questions, step, today)
    except editing.Conflict:
        form = _posted_form(request, step, questions)
        return _kept(request, form, obj, reverse("quality:audit", args=[obj.pk]), "Audit")
    except _Invalid as invalid:
        return invalid.forms


class _Invalid(Exception):
    """The posted form did not save: the forms to show again, with their errors."""

    def __init__(self, forms_: tuple) -> None:
        super().__init__()
        self.forms = forms_


def _posted_form(request: HttpRequest, step: str | None, questions: list):
    if step == "grade":
        form = forms.GradeForm(request.POST, questions=questions)
        form.kept_kwargs = {"questions": questions}
        return form
    return (forms.ModerateForm if step == "moderate" else forms.ResponseForm)(request.POST)


def _audit_save(request: HttpRequest, obj: Audit, me: Worker | None, questions: list, step, today):
    """Save the posted step (after claiming the audit's version); raise _Invalid if it fails."""
    grade = moderate = respond = None
    try:
        if step == "grade":
            me = _require_manager(request)
            grade = forms.GradeForm(request.POST, questions=questions)
            if grade.is_valid() and me:
                editing.claim(grade, obj)
                d = grade.cleaned_data
                services.audit_grade(
                    audit=obj,
                    auditor=me,
                    audit_date=today,
                    grades=grade.grades(),
                    overall_grade=d["overall_grade"],
                    summary=d["summary"],
                    actions=[services.Action(t, due) for t, due in d["actions"]],
                )
                messages.success(request, AUDIT_GRADED)
                return redirect("quality:audit", pk=obj.pk)
        elif step == "moderate":
            me = _require_manager(request)
            moderate = forms.ModerateForm(request.POST)
            if moderate.is_valid() and me:
                editing.claim(moderate, obj)
                d = moderate.cleaned_data
                services.audit_moderate(
                    audit=obj,
                    moderator=me,
                    date=today,
                    grade=d["grade"],
                    comment=d["comment"],
                    actions=[services.Action(t, due) for t, due in d["actions"]],
                )
                messages.success(request, AUDIT_MODERATED)
                return redirect("quality:audit", pk=obj.pk)
        elif step == "respond" and me is not None:
            respond = forms.ResponseForm(request.POST)
            if respond.is_valid():
                editing.claim(respond, obj)
                services.audit_respond(
                    audit=obj, worker=me, date=today, text=respond.cleaned_data["response"]
                )
                messages.success(request, RESPONSE_SAVED)
                return redirect("quality:audit", pk=obj.pk)
    except ValidationError as error:
        form = grade or moderate or respond
        if form is not None:
            form.add_error(None, error)
    raise _Invalid((grade, moderate, respond))


ANALYSIS_GRADES = tuple(
    (g, label)
    for g, label in zip(
        analysis.GRADE_COLUMNS,
        ("Outstanding", "Good", "Requires improvement", "Inadequate"),
        strict=True,
    )
)
OVERALL_COLUMNS = (
    ("team", "Team"),
    ("graded", "Audits"),
    *ANALYSIS_GRADES,
    ("good_or_better_pct", "% good or better"),
    ("mean_score", "Mean (1-4)"),
)
QUESTION_COLUMNS = (
    ("team", "Team"),
    ("tool", "Audit tool"),
    ("question", "Question"),
    ("theme", "Theme"),
    ("graded", "Graded"),
    *ANALYSIS_GRADES,
    ("good_or_better_pct", "% good or better"),
    ("mean_score", "Mean (1-4)"),
)


def audit_analysis(request: HttpRequest) -> HttpResponse:
    """The quarterly analysis of grades and themes by team and question (page and CSV)."""
    today = default_as_at()
    try:
        year = int(request.GET.get("year", today.year))
        quarter = min(4, max(1, int(request.GET.get("quarter", (today.month - 1) // 3 + 1))))
    except ValueError as bad:
        raise Http404 from bad
    start, end = analysis.quarter_bounds(year, quarter)
    scoped = Audit.objects.filter(child__in=_scope(request))
    overall = analysis.overall_by_team(scoped, start, end)
    questions = analysis.by_question(scoped, start, end, by_team=True)
    themes = analysis.by_question(scoped, start, end)
    if request.GET.get("format") == "csv":
        return export.csv_response(
            f"audit-analysis-{year}-Q{quarter}.csv", questions, QUESTION_COLUMNS
        )
    return page(
        request,
        "quality/analysis.html",
        {
            "year": year,
            "quarter": quarter,
            "start": start,
            "end": end,
            "overall_columns": OVERALL_COLUMNS,
            "overall": _rows(overall, OVERALL_COLUMNS),
            "theme_columns": QUESTION_COLUMNS[1:],
            "themes": _rows(themes, QUESTION_COLUMNS[1:]),
            "question_columns": QUESTION_COLUMNS,
            "questions": _rows(questions, QUESTION_COLUMNS),
            "moderation": analysis.moderation_summary(scoped, start, end),
        },
    )


def panels(request: HttpRequest) -> HttpResponse:
    """Entry-to-care panel requests and decisions; managers add requests."""
    scope = _scope(request)
    form = forms.PanelRequestForm(
        request.POST or None, children=scope, initial={"request_date": default_as_at()}
    )
    if request.method == "POST":
        requester = worker_of(request.user)
        if form.is_valid() and requester is not None:
            services.panel_request_create(requested_by=requester, **form.cleaned_data)
            messages.success(request, PANEL_SAVED)
            return redirect("quality:panels")
    rows = PanelRequest.objects.filter(child__in=scope).select_related("child", "requested_by")
    return page(
        request,
        "quality/panels.html",
        {"panels": rows[:200], "form": form, "can_request": worker_of(request.user)},
    )


def panel(request: HttpRequest, pk: int) -> HttpResponse:
    """One panel request; a manager records the decision, conditions and review date."""
    obj = get_object_or_404(PanelRequest, pk=pk, child__in=_scope(request))
    access_log_write(request, obj.child, AccessLog.READ)
    form = None
    if roles.is_manager(request.user) and not obj.decision:
        form = forms.PanelDecisionForm(
            request.POST or None, initial={"panel_date": default_as_at()}
        )
    if request.method == "POST":
        decider = _require_manager(request)
        if form is None:  # decided since it was opened: a stale version, so the conflict page
            form = forms.PanelDecisionForm(request.POST)
        if form.is_valid() and decider is not None:
            d = form.cleaned_data
            try:
                with transaction.atomic():
                    editing.claim(form, obj)
                    services.panel_decide(
                        panel=obj,
                        decided_by=decider,
                        panel_date=d["panel_date"],
                        decision=d["decision"],
                        conditions=d["conditions"],
                        review_date=d["review_date"],
                        actions=[services.Action(t, due) for t, due in d["actions"]],
                    )
            except editing.Conflict:
                return _kept(request, form, obj, reverse("quality:panel", args=[obj.pk]), "Panel")
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, PANEL_DECIDED)
                return redirect("quality:panel", pk=obj.pk)
    return page(
        request,
        "quality/panel.html",
        {
            "panel": obj,
            "form": form if not obj.decision else None,
            "version": version_token(obj),
            "tasks": obj.tasks.select_related("assignee"),
        },
    )


def authorisations(request: HttpRequest) -> HttpResponse:
    """Managers' authorisations (who, when, what) and counts by kind: management oversight."""
    scope = _scope(request)
    form = forms.AuthorisationForm(request.POST or None, children=scope)
    if request.method == "POST":
        manager = _require_manager(request)
        if form.is_valid() and manager is not None:
            services.authorisation_record(
                authorised_by=manager, authorised_at=timezone.now(), **form.cleaned_data
            )
            messages.success(request, AUTHORISATION_SAVED)
            return redirect("quality:authorisations")
    rows = Authorisation.objects.filter(child__in=scope).select_related("child", "authorised_by")
    counts = rows.order_by().values("kind").annotate(n=Count("pk")).order_by("kind")
    return page(
        request,
        "quality/authorisations.html",
        {
            "rows": rows[:200],
            "counts": counts,
            "form": form,
            "oversight": oversight.oversight(scope, default_as_at()),
            "is_manager": roles.is_manager(request.user),
        },
    )


CASELOAD_COLUMNS = (
    ("team", "Team"),
    ("worker", "Worker"),
    ("agency", "Agency"),
    ("fte", "FTE"),
    ("cases", "Cases"),
    ("cp", "CP"),
    ("cla", "Looked after"),
    ("cin", "CIN"),
    ("other", "Other"),
    ("weighted", "Weighted"),
    ("weighted_per_fte", "Weighted per FTE"),
)
STAFFING_COLUMNS = (
    ("team", "Team"),
    ("workers", "Workers"),
    ("permanent", "Permanent"),
    ("agency", "Agency"),
    ("agency_pct", "% agency"),
    ("posts", "Funded posts"),
    ("fte_in_post", "FTE in post"),
    ("vacancies", "Vacancies (FTE)"),
)


def workforce_page(request: HttpRequest) -> HttpResponse:
    """Caseloads with weighting, agency and permanent mix, vacancies, worker changes."""
    as_at = _as_at(request)
    scope = _scope(request)
    loads = workforce.caseloads(scope, as_at)
    if request.GET.get("format") == "csv":
        return export.csv_response(f"caseloads-{as_at}.csv", loads, CASELOAD_COLUMNS)
    changes = workforce.worker_changes(scope, as_at)
    return page(
        request,
        "quality/workforce.html",
        {
            "as_at": as_at,
            "caseload_columns": CASELOAD_COLUMNS,
            "caseloads": _rows(loads, CASELOAD_COLUMNS),
            "staffing_columns": STAFFING_COLUMNS,
            "staffing": _rows(workforce.staffing(_teams(request), as_at), STAFFING_COLUMNS),
            "changes": workforce.change_distribution(changes),
        },
    )
