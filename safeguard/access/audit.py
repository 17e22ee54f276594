"""Writing the access log: one row per read, download, export or search, in the same request."""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpRequest

from safeguard.journey.models import Child

from .models import AccessLog
from .scope import via_break_glass

_MAX_PATH = 500


def _ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def access_log_write(request: HttpRequest, child: Child | None, action: str) -> AccessLog:
    """Log one access to a child's record (or a search, with no child) by the request's user."""
    glass = (
        child is not None and action != AccessLog.DENIED and via_break_glass(request.user, child)
    )
    return AccessLog.objects.create(
        user=request.user,
        child=child,
        action=action,
        path=request.get_full_path()[:_MAX_PATH],
        ip=_ip(request),
        break_glass=glass,
    )


def access_log_write_many(request: HttpRequest, child_ids: Iterable[int], action: str) -> int:
    """Log an export (or search result) covering many children: one row per child."""
    path, ip = request.get_full_path()[:_MAX_PATH], _ip(request)
    rows = [
        AccessLog(user=request.user, child_id=pk, action=action, path=path, ip=ip)
        for pk in child_ids
    ]
    AccessLog.objects.bulk_create(rows, batch_size=500)
    return len(rows)
