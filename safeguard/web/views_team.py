"""Managers' pages: caseloads, worklists by timescale, transfers, who has looked, alerts."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from safeguard.access import roles
from safeguard.access.models import AccessLog, BreakGlassAlert
from safeguard.access.scope import children_for, scope_of, teams_of, worker_of
from safeguard.access.services import alert_review, break_glass_request
from safeguard.journey.models import Child
from safeguard.timescales import TIMESCALES
from safeguard.workforce.models import Team

from . import caseload, due, editing, services
from .access import child_view, manager_required
from .forms import BreakGlassForm, TransferForm
from .pages import as_at, page
from .views import _add_errors

TRANSFERRED = "{child} now allocated to {who}."
GRANTED = "Emergency access granted until {until:%H:%M on %d %B %Y}. Your manager has been told."
REVIEWED = "Alert closed."
WORKLIST_HORIZON_DAYS = 14


def _managed_teams(request: HttpRequest) -> list[Team]:
    """Teams a user oversees: their own and managed teams, their service's, or all."""
    scope = scope_of(request.user)
    if scope == "all":
        return list(Team.objects.all())
    teams = teams_of(worker_of(request.user))
    if scope == "service":
        services_ = [s for s in teams.values_list("service", flat=True) if s]
        return list(Team.objects.filter(Q(pk__in=teams) | Q(service__in=services_)))
    return list(teams)


@manager_required
def team(request: HttpRequest) -> HttpResponse:
    """Caseloads per worker: count and weighted, with the mix of case types."""
    teams = _managed_teams(request)
    loads = caseload.caseloads(teams, as_at())
    return page(
        request,
        "web/team.html",
        {
            "teams": teams,
            "loads": loads,
            "statuses": caseload.STATUS_TITLES,
            "weights": caseload.WEIGHTS,
        },
    )


@manager_required
def worklists(request: HttpRequest) -> HttpResponse:
    """What is due across the user's children, by timescale: overdue and due soon."""
    today = as_at()
    horizon = today + timedelta(days=WORKLIST_HORIZON_DAYS)
    children = children_for(request.user).filter(pk__in=_team_children(request))
    lists: dict[str, list] = defaultdict(list)
    for item in due.due_items(children, today):
        if item.due <= horizon:
            lists[item.kind].append(item)
    ordered = [(TIMESCALES[k].title, lists[k]) for k in TIMESCALES if k in lists]
    return page(request, "web/worklists.html", {"lists": ordered, "horizon": horizon})


def _team_children(request: HttpRequest):
    from safeguard.workforce.models import Allocation

    teams = _managed_teams(request)
    return Allocation.objects.filter(team__in=teams, end_date__isnull=True).values("child_id")


@manager_required
@child_view
@require_http_methods(["GET", "POST"])
def child_transfer(request: HttpRequest, child: Child) -> HttpResponse:
    """Allocate or transfer a child to another worker or team, with the reason."""
    # The child's version stands for its allocation: a transfer claims it, so of two managers
    # who opened the form at once only the first moves the child (G21).
    form = editing.versioned(TransferForm(request.POST or None, initial={"on": as_at()}), child)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                editing.claim(form, child)
                alloc = services.allocation_transfer(
                    child=child,
                    team=data["team"],
                    worker=data["worker"],
                    reason=data["reason"],
                    on=data["on"],
                )
        except editing.Conflict:
            return _transfer_conflict(request, child, form)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            who = f"{alloc.worker} in {alloc.team}" if alloc.worker else str(alloc.team)
            messages.success(request, TRANSFERRED.format(child=child, who=who))
            return redirect("child_summary", pk=child.pk)
    return page(
        request,
        "web/child_transfer.html",
        {"child": child, "form": form, "tab": "summary"},
        status=400 if form.errors else 200,
    )


def _transfer_conflict(request: HttpRequest, child: Child, form) -> HttpResponse:
    """Someone moved the child after the form was opened: show where it is now, keep the input."""
    current = Child.objects.get(pk=child.pk)
    kept = editing.versioned(TransferForm(editing.kept_data(request, form, current)), current)
    allocation = (
        current.allocations.filter(end_date__isnull=True).order_by("-start_date", "-pk").first()
    )
    return editing.conflict_page(
        request,
        form=kept,
        shown=allocation,
        back=reverse("child_summary", args=[child.pk]),
        context={"child": child, "title": "Allocate or transfer"},
    )


@manager_required
@child_view
def child_access_log(request: HttpRequest, child: Child) -> HttpResponse:
    """Who has looked at this child's record, newest first."""
    rows = AccessLog.objects.filter(child=child).select_related("user")[:500]
    return page(
        request, "web/child_access_log.html", {"child": child, "rows": rows, "tab": "access"}
    )


@require_http_methods(["GET", "POST"])
def break_glass(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask for emergency access to a record outside your scope, with a reason."""
    child = Child.objects.filter(pk=pk).first()
    form = BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and child is not None:
        try:
            grant = break_glass_request(user=request.user, child=child, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, GRANTED.format(until=grant.expires_at))
            return redirect("child_summary", pk=pk)
    elif request.method == "POST" and child is None:
        form.add_error(None, "Emergency access is not available for this record.")
    return page(
        request,
        "web/break_glass.html",
        {"form": form, "pk": pk},
        status=400 if form.errors else 200,
    )


@manager_required
def alerts(request: HttpRequest) -> HttpResponse:
    """Break-glass alerts to review: the user's own, or all for a head of service or admin."""
    rows = BreakGlassAlert.objects.select_related("grant__user", "grant__child", "manager")
    if not roles.has_role(request.user, "head_of_service", "administrator"):
        rows = rows.filter(manager=worker_of(request.user))
    return page(
        request, "web/alerts.html", {"rows": rows.order_by("reviewed_at", "-raised_at")[:200]}
    )


@manager_required
@require_POST
def alert_close(request: HttpRequest, pk: int) -> HttpResponse:
    """Close an alert once the reason has been checked."""
    rows = BreakGlassAlert.objects.all()
    if not roles.has_role(request.user, "head_of_service", "administrator"):
        rows = rows.filter(manager=worker_of(request.user))
    alert_review(
        alert=get_object_or_404(rows, pk=pk),
        reviewer=request.user,
        note=request.POST.get("note", ""),
    )
    messages.success(request, REVIEWED)
    return redirect("alerts")
