"""Views: thin; the work is done by the domain modules."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from safeguard.journey.models import Child


def home(request: HttpRequest) -> HttpResponse:
    """The landing page after login."""
    return render(request, "web/home.html", {"children_known": Child.objects.count()})
