"""The front door (MASH): the queue of contacts awaiting a decision, new contacts, decisions."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from safeguard.access.audit import access_log_write
from safeguard.access.models import AccessLog
from safeguard.access.scope import scoped, worker_of
from safeguard.journey.models import Contact
from safeguard.timescales import timescale

from . import editing, services
from .access import child_view, get_scoped, refuse_unwritable, role_required
from .forms import ChildDetailsForm, ContactForm, DecisionForm
from .pages import page
from .views import _add_errors

FRONT_DOOR_ROLES = ("mash_worker", "team_manager", "head_of_service", "administrator")
CONTACT_SAVED = "Contact recorded."
DECISION_SAVED = "Decision recorded: {decision}."
AUTHORISED = "Decision authorised."


def _due(contact: Contact):
    """When the decision is due: the declared referral-decision timescale from receipt."""
    return timescale("referral_decision").first.add(timezone.localtime(contact.received_at))


@role_required(*FRONT_DOOR_ROLES)
def front_door(request: HttpRequest) -> HttpResponse:
    """Contacts awaiting a decision (due within one working day), oldest first."""
    waiting = scoped(request.user, Contact.objects.filter(mash_decision=""))
    rows = [(c, _due(c)) for c in waiting.select_related("child").order_by("received_at")]
    awaiting_auth = scoped(
        request.user, Contact.objects.exclude(mash_decision="").filter(authorised_by__isnull=True)
    ).select_related("child")
    return page(request, "web/front_door.html", {"rows": rows, "awaiting_auth": awaiting_auth[:50]})


@role_required(*FRONT_DOOR_ROLES)
@require_http_methods(["GET", "POST"])
def contact_new(request: HttpRequest) -> HttpResponse:
    """A contact about a child not yet known: the child's details and the contact."""
    if request.method == "POST":
        refuse_unwritable(request, None)
    child_form = ChildDetailsForm(request.POST or None, prefix="child")
    form = ContactForm(request.POST or None, prefix="contact")
    if request.method == "POST" and child_form.is_valid() & form.is_valid():
        try:
            contact = services.contact_record(
                child=None,
                child_fields=child_form.cleaned_data,
                user=request.user,
                **form.cleaned_data,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, CONTACT_SAVED)
            return redirect("contact_decide", pk=contact.pk)
    return page(
        request,
        "web/contact_new.html",
        {"child_form": child_form, "form": form},
        status=400 if form.errors or child_form.errors else 200,
    )


@child_view
@require_http_methods(["GET", "POST"])
def contact_for_child(request: HttpRequest, child) -> HttpResponse:
    """A new contact about a child already known."""
    form = ContactForm(request.POST or None, prefix="contact")
    if request.method == "POST" and form.is_valid():
        try:
            contact = services.contact_record(
                child=child, child_fields={}, user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, CONTACT_SAVED)
            return redirect("contact_decide", pk=contact.pk)
    return page(
        request,
        "web/contact_new.html",
        {"child": child, "form": form},
        status=400 if form.errors else 200,
    )


@role_required(*FRONT_DOOR_ROLES)
@require_http_methods(["GET", "POST"])
def contact_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """The threshold decision on a contact; a referral opens the case in the chosen team."""
    contact = get_scoped(request, Contact.objects.select_related("child"), pk=pk)
    if request.method == "POST":
        refuse_unwritable(request, contact.child)
    with transaction.atomic():
        access_log_write(request, contact.child, AccessLog.READ)
        form = editing.versioned(
            DecisionForm(
                request.POST or None,
                initial={"decided_at": timezone.localtime().replace(second=0, microsecond=0)},
            ),
            contact,
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    editing.claim(form, contact)  # two decisions on one contact: one wins (G21)
                    services.contact_decide(
                        contact=contact,
                        decision=data["decision"],
                        worker=worker_of(request.user),
                        at=data["decided_at"],
                        team=data["team"],
                        allocate_to=data["worker"],
                        authorise=data["authorise"],
                    )
            except editing.Conflict:
                return _decide_conflict(request, contact, form)
            except ValidationError as error:
                _add_errors(form, error)
            else:
                label = dict(form.fields["decision"].choices)[data["decision"]]
                messages.success(request, DECISION_SAVED.format(decision=label))
                return redirect("front_door")
        return page(
            request,
            "web/contact_decide.html",
            {"contact": contact, "form": form, "due": _due(contact)},
            status=400 if form.errors else 200,
        )


def _decide_conflict(request: HttpRequest, contact: Contact, form) -> HttpResponse:
    """Someone decided this contact after the form was opened: show it, keep the input."""
    current = Contact.objects.select_related("child").get(pk=contact.pk)
    kept = editing.versioned(DecisionForm(editing.kept_data(request, form, current)), current)
    return editing.conflict_page(
        request,
        form=kept,
        shown=current,
        back=reverse("front_door"),
        context={"child": current.child, "title": "MASH decision"},
    )


@role_required("team_manager", "head_of_service", "administrator")
@require_POST
def contact_authorise(request: HttpRequest, pk: int) -> HttpResponse:
    """A manager authorises a MASH decision."""
    contact = get_scoped(request, Contact.objects.all(), pk=pk)
    try:
        services.contact_authorise(contact=contact, manager=worker_of(request.user))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, AUTHORISED)
    return redirect("front_door")
