"""The web app's doorway to a child's record: scope check, then one access-log row, per request."""

from __future__ import annotations

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from safeguard.access import fields, roles
from safeguard.access.audit import access_log_write
from safeguard.access.models import AccessLog
from safeguard.access.scope import case_children_for, scoped
from safeguard.journey.models import Child

from .pages import page

NOT_FOUND = "Page not found"


def visible_child_or_404(request: HttpRequest, pk: int) -> Child:
    """The child if the user may see it, else 404 (and a "refused" row in the access log).

    A refusal is a 404, not a 403, so the existence of a record outside scope is not disclosed.
    """
    child = case_children_for(request.user).filter(pk=pk).first()
    if child is None:
        existing = Child.objects.filter(pk=pk).first()
        if existing is not None:
            access_log_write(request, existing, AccessLog.DENIED)
        raise Http404(NOT_FOUND)
    return child


def child_view(view, action: str = AccessLog.READ):
    """Decorate a view taking `pk`: the child is checked, logged and passed in, in one transaction.

    The access-log row and the page are in one transaction: if the log cannot be written, the
    page is not shown. `action` is what the row records (a read; a download for files).
    """

    @wraps(view)
    def wrapper(request: HttpRequest, pk: int, *args, **kwargs):
        try:
            child = visible_child_or_404(request, pk)
        except Http404:
            # The same page whether the record is missing or out of scope: it offers emergency
            # access, which alerts a manager and is refused for restricted records.
            return page(request, "web/child_not_found.html", {"pk": pk}, status=404)
        if request.method == "POST":
            refuse_unwritable(request, child)
        with transaction.atomic():
            access_log_write(request, child, action)
            return view(request, child, *args, **kwargs)

    wrapper.reads_child = True  # the meta-test checks every child page carries this
    return wrapper


def child_download(view):
    """`child_view` for a view that sends a file from the record: logged as a download."""
    return child_view(view, AccessLog.DOWNLOAD)


def refuse_unwritable(request: HttpRequest, child: Child | None) -> None:
    """403 (and a "refused" row) if the request posts a field the user may not change (G4)."""
    try:
        fields.refuse_unwritable(request.user, request.POST.keys())
    except PermissionDenied:
        if child is not None:
            access_log_write(request, child, AccessLog.DENIED)
        raise


def role_required(*keys: str):
    """Refuse (403) users without one of these roles."""

    def decorate(view):
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs):
            if not roles.has_role(request.user, *keys):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


def manager_required(view):
    return role_required(*roles.MANAGER_KEYS)(view)


def get_scoped(request: HttpRequest, queryset, **lookup):
    """One row about a child (contact, plan, ...) only if the child is in the user's scope."""
    return get_object_or_404(scoped(request.user, queryset), **lookup)
