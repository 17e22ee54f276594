"""Pages about children: home, my work, the list and search, export, and the child's record.

Views stay thin: the scope filter (`safeguard.access.scope`) picks the children, `access` logs
each read, the domain modules (`due`, `chronology`, `caseload`, `services`) do the work.
"""

from __future__ import annotations

import csv
from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from safeguard.access import fields, roles
from safeguard.access.audit import access_log_write, access_log_write_many
from safeguard.access.models import AccessLog, AdoptionRecord
from safeguard.access.scope import children_for, worker_of
from safeguard.codes import cin
from safeguard.journey.models import Child
from safeguard.workforce.models import Allocation

from . import caseload, chronology, due, editing, services
from .access import child_view
from .forms import STEPS, CharacteristicsForm
from .pages import as_at, page

LIST_LIMIT = 50
SAVED = "{title} saved."
CHARACTERISTICS = "Ethnicity and disability"
SEARCH_TOO_SHORT = "Enter at least 2 characters to search."
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\0")


def home(request: HttpRequest) -> HttpResponse:
    """Send each user to the page their role starts from."""
    if roles.has_role(request.user, "social_worker", "iro"):
        return redirect("my_work")
    if roles.has_role(request.user, "team_manager"):
        return redirect("team")
    if roles.has_role(request.user, "mash_worker"):
        return redirect("front_door")
    return redirect("children")


def _my_children(request: HttpRequest):
    worker, today = worker_of(request.user), as_at()
    mine = (
        Allocation.objects.filter(worker=worker, start_date__lte=today)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=today))
        .values("child_id")
    )
    return children_for(request.user).filter(pk__in=mine) if worker else Child.objects.none()


def my_work(request: HttpRequest) -> HttpResponse:
    """A social worker's children, each with the next item due (overdue first), and this week's
    visits."""
    today = as_at()
    children = list(_my_children(request))
    items = due.due_items(children, today)
    first = {}
    for item in items:
        first.setdefault(item.child.pk, item)
    rows = sorted(
        ((c, first.get(c.pk)) for c in children),
        key=lambda r: (r[1] is None, r[1].due if r[1] else today, r[0].pk),
    )
    week_end = today + timedelta(days=6 - today.weekday())
    visits = [i for i in items if i.kind.endswith("_visit") and i.due <= week_end]
    return page(request, "web/my_work.html", {"rows": rows, "visits": visits, "week_end": week_end})


def _search(request: HttpRequest, q: str):
    children = children_for(request.user)
    if q:
        terms = Q()
        for word in q.split():
            terms &= (
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(la_child_id__icontains=word)
            )
        children = children.filter(terms)
    return children


def children(request: HttpRequest) -> HttpResponse:
    """The children the user may see, with search; htmx asks for the results table only."""
    q = request.GET.get("q", "").strip()
    error = SEARCH_TOO_SHORT if len(q) == 1 else ""
    found = _search(request, "" if error else q)
    if q and not error:
        access_log_write(request, None, AccessLog.SEARCH)
    context = {
        "children": found.order_by("last_name", "first_name", "pk")[:LIST_LIMIT],
        "count": found.count(),
        "q": q,
        "error": error,
        "limit": LIST_LIMIT,
    }
    if request.headers.get("HX-Request"):
        return page(request, "web/includes/children_table.html", context)
    return page(request, "web/children.html", context)


def _safe_cell(value: object) -> str:
    """A CSV cell that a spreadsheet will not run as a formula (ASVS 1.2.10)."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_TRIGGERS) else text


def children_export(request: HttpRequest) -> HttpResponse:
    """CSV of the children the user may see (search applied), one access-log row per child."""
    found = list(
        _search(request, request.GET.get("q", "").strip())
        .order_by("la_child_id")
        .values_list("pk", "la_child_id", "first_name", "last_name", "date_of_birth", "sex")
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="children.csv"'
    response["Cache-Control"] = "no-store"
    with transaction.atomic():
        access_log_write_many(request, [row[0] for row in found], AccessLog.EXPORT)
        writer = csv.writer(response)
        writer.writerow(["LA child ID", "First name", "Last name", "Date of birth", "Sex"])
        for row in found:
            writer.writerow([_safe_cell(v) for v in row[1:]])
    return response


def _open_steps(child: Child) -> list[tuple[str, str]]:
    """Links to complete what is open: authorise an assessment, record a S47 outcome or RHI."""
    links = []
    for a in child.assessments.filter(authorisation_date__isnull=True):
        links.append(
            (
                f"Authorise the assessment started {a.start_date:%d %B %Y}",
                reverse("child_step_edit", args=[child.pk, "assessment-authorise", a.pk]),
            )
        )
    for s in child.section47s.filter(end_date__isnull=True):
        links.append(
            (
                f"Record the outcome of the S47 of {s.strategy_discussion_date:%d %B %Y}",
                reverse("child_step_edit", args=[child.pk, "section47-outcome", s.pk]),
            )
        )
    for m in child.missing_episodes.filter(rhi_held_at__isnull=True, rhi_declined=False):
        links.append(
            (
                f"Record the return-home interview for {m.start_date:%d %B %Y}",
                reverse("child_step_edit", args=[child.pk, "rhi", m.pk]),
            )
        )
    return links


def _summary(child: Child) -> dict:
    today = as_at()
    status = caseload.statuses([child.pk], today)[child.pk]
    episode = child.care_episodes.filter(end_date__isnull=True).order_by("-start_date").first()
    alloc = (
        child.allocations.filter(end_date__isnull=True)
        .select_related("worker", "team")
        .order_by("-start_date")
        .first()
    )
    items = due.due_items([child], today)
    missing_now = child.missing_episodes.filter(
        end_date__isnull=True, returned_at__isnull=True
    ).exists()
    return {
        "status": caseload.STATUS_TITLES[status],
        "episode": episode,
        "allocation": alloc,
        "due": items,
        "overdue": [i for i in items if i.due < today],
        "missing_now": missing_now,
        "open_steps": _open_steps(child),
        "referral": child.referrals.order_by("-referral_date").first(),
        "cp_plan": child.cp_plans.filter(end_date__isnull=True).first(),
        "last_visit": child.visits.order_by("-date").first(),
        "last_review": child.conferences.order_by("-date").first()
        or child.lac_reviews.order_by("-date").first(),
        "disabilities": [cin.DISABILITY.label(code) for code in child.disabilities or []],
        # the ordinary record notes that an adoption record exists, and nothing more (G5)
        "adoption_record": AdoptionRecord.objects.filter(birth_record=child).exists(),
    }


@child_view
def child_summary(request: HttpRequest, child: Child) -> HttpResponse:
    """The child's record: summary (legal status, plan, allocated worker and team, key dates,
    alerts)."""
    return page(
        request,
        "web/child_summary.html",
        {"child": child, "tab": "summary", "steps": STEPS, **_summary(child)},
    )


@child_view
def child_chronology(request: HttpRequest, child: Child) -> HttpResponse:
    """Every event in the record in date order, filterable by kind, printable."""
    kind = request.GET.get("kind") or None
    return page(
        request,
        "web/child_chronology.html",
        {
            "child": child,
            "tab": "chronology",
            "kind": kind,
            "kinds": chronology.KINDS,
            "events": chronology.chronology(child, kind, readable=fields.readable(request.user)),
            "printable": "print" in request.GET,
        },
    )


_SECTIONS = {
    "plans": ("Plans", ("cp_plans", "cin_plans")),
    "placements": ("Placements", ("care_episodes", "missing_episodes")),
    "visits": ("Visits", ("visits",)),
    "reviews": ("Reviews and conferences", ("conferences", "lac_reviews")),
    "notes": ("Notes", ("notes",)),
}


@child_view
def child_section(request: HttpRequest, child: Child, section: str) -> HttpResponse:
    """One part of the record: plans, placements, visits, reviews or notes."""
    if section not in _SECTIONS:
        raise Http404
    title, related = _SECTIONS[section]
    return page(
        request,
        f"web/section_{section}.html",
        {
            "child": child,
            "tab": section,
            "title": title,
            **{name: getattr(child, name).all() for name in related},
        },
    )


def _step_instance(child: Child, step, obj_id: int | None):
    if step.edits is None:
        if obj_id is not None:
            raise Http404
        return step.form._meta.model()
    if obj_id is None:
        raise Http404
    return get_object_or_404(getattr(child, step.edits), pk=obj_id)


def _save_step(request: HttpRequest, form, step) -> None:
    instance = form.instance
    worker = worker_of(request.user)
    if step.key == "visit":
        instance.worker = worker
    if step.key == "note":
        instance.author = worker
    if step.key == "care-episode":
        services.care_episode_start(instance)
    else:
        services.step_record(instance)


@child_view
@require_http_methods(["GET", "POST"])
def child_step(
    request: HttpRequest, child: Child, step: str, obj_id: int | None = None
) -> HttpResponse:
    """Record one step of the journey; the rules are checked as it saves."""
    if step not in STEPS:
        raise Http404
    spec = STEPS[step]
    instance = _step_instance(child, spec, obj_id)
    form = spec.form(request.POST or None, instance=instance, child=child)
    fields.refuse_unwritable_form(request.user, form)  # e.g. a plan's category (G4)
    if spec.edits:  # completing a saved record: a stale save must not overwrite (G21)
        editing.versioned(form, instance)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                if spec.edits:
                    editing.claim(form, instance)
                _save_step(request, form, spec)
        except editing.Conflict:
            return _step_conflict(request, child, spec, form, instance)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, SAVED.format(title=spec.title))
            return redirect("child_chronology", pk=child.pk)
    return page(
        request,
        "web/child_step.html",
        {"child": child, "form": form, "step": spec},
        status=400 if form.errors else 200,
    )


def _step_conflict(request: HttpRequest, child: Child, spec, form, instance) -> HttpResponse:
    """Someone completed this record after the form was opened: show it, keep the input."""
    current = type(instance)._default_manager.get(pk=instance.pk)
    data = editing.kept_data(request, form, current)
    kept = editing.versioned(spec.form(data, instance=current, child=child), current)
    return editing.conflict_page(
        request,
        form=kept,
        shown=current,
        back=reverse("child_summary", args=[child.pk]),
        context={"child": child, "title": spec.title},
    )


@child_view
@require_http_methods(["GET", "POST"])
def child_characteristics(request: HttpRequest, child: Child) -> HttpResponse:
    """Change the child's ethnicity or disabilities: only the fields the user may change."""
    allowed = fields.writable(request.user) & set(CharacteristicsForm.classes.values())
    if not allowed:
        raise PermissionDenied
    form = CharacteristicsForm(request.POST or None, instance=child, writable=allowed)
    editing.versioned(form, child)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                editing.claim(form, child)
                services.step_record(form.instance)
        except editing.Conflict:
            current = Child.objects.get(pk=child.pk)
            data = editing.kept_data(request, form, current)
            kept = CharacteristicsForm(data, instance=current, writable=allowed)
            return editing.conflict_page(
                request,
                form=editing.versioned(kept, current),
                shown=None,
                back=reverse("child_summary", args=[child.pk]),
                context={"child": current, "title": CHARACTERISTICS},
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, SAVED.format(title=CHARACTERISTICS))
            return redirect("child_summary", pk=child.pk)
    return page(
        request,
        "web/child_step.html",
        {"child": child, "form": form, "step": {"title": CHARACTERISTICS}},
        status=400 if form.errors else 200,
    )


def _add_errors(form, error: ValidationError) -> None:
    """Put a service's errors on the form, on the field they name when the form has it."""
    if hasattr(error, "error_dict"):
        for field, errs in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errs)
    else:
        form.add_error(None, error.messages)


def health(request: HttpRequest) -> HttpResponse:
    """For load balancers: answers without a login and without touching any record."""
    return HttpResponse("ok", content_type="text/plain")
