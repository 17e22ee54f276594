"""Shared page helpers: the navigation each role sees, the date pages work to, rendering."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from safeguard.access import fields, roles

_NAV = (
    ("my_work", "My work", ("social_worker", "iro", "team_manager")),
    (
        "front_door",
        "Front door",
        ("mash_worker", "team_manager", "head_of_service", "administrator"),
    ),
    ("team", "Team", ("team_manager", "head_of_service", "administrator")),
    ("worklists", "Worklists", ("team_manager", "head_of_service", "administrator")),
    ("children", "Children", None),
    ("alerts", "Access alerts", ("team_manager", "head_of_service", "administrator")),
    # Other areas, shown when installed (their own views decide who may use them).
    (
        "performance:index",
        "Performance",
        ("team_manager", "head_of_service", "performance_analyst", "administrator"),
    ),
    ("quality:index", "Quality", ("team_manager", "head_of_service", "iro", "administrator")),
    ("returns:index", "Returns", ("performance_analyst", "administrator")),
)


def as_at() -> date:
    """The date the pages work to: today, or SAFEGUARD_AS_AT for a demo council frozen in time."""
    fixed = getattr(settings, "SAFEGUARD_AS_AT", None)
    return date.fromisoformat(fixed) if isinstance(fixed, str) else fixed or timezone.localdate()


def nav(request: HttpRequest) -> list[dict]:
    """The menu: the pages the user's roles use."""
    held = {r.key for r in roles.roles_of(request.user)}
    items = []
    for name, title, keys in _NAV:
        if keys is None or held.intersection(keys):
            try:
                url = reverse(name)
            except NoReverseMatch:  # an area not installed in this deployment
                continue
            current = request.path == url or (":" in name and request.path.startswith(url))
            items.append({"title": title, "url": url, "current": current})
    return items


def page(
    request: HttpRequest, template: str, context: dict | None = None, status: int = 200
) -> HttpResponse:
    """Render a full page with the menu; case pages are never cached by the browser."""
    response = render(
        request,
        template,
        {
            "nav": nav(request),
            "today": as_at(),
            "can_manage": roles.is_manager(request.user),
            "reads": fields.readable(request.user),  # field classes the page may show
            "writes": fields.writable(request.user),
            **(context or {}),
        },
        status=status,
    )
    response["Cache-Control"] = "no-store"
    return response
