"""Writing the access log: one row per read, download, export or search, in the same request."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
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


def access_log_write_many(
    request: HttpRequest, child_ids: Iterable[int | None], action: str
) -> int:
    """Log an export (or search result) covering many children: one row per child (None: a
    row naming no child, for the adopters an export carries)."""
    return access_log_write_rows(
        request.user, child_ids, action, request.get_full_path(), ip=_ip(request)
    )


def access_log_write_rows(
    user: AbstractBaseUser | None,
    child_ids: Iterable[int | None],
    action: str,
    path: str,
    *,
    ip: str | None = None,
) -> int:
    """One row per child for `user` (None: a command run with no named user), at `path`.

    Commands call this directly, with their command line as the path, so an export made on the
    server is in the log like one made through the web.
    """
    path = path[:_MAX_PATH]
    rows = [AccessLog(user=user, child_id=pk, action=action, path=path, ip=ip) for pk in child_ids]
    AccessLog.objects.bulk_create(rows, batch_size=500)
    return len(rows)


def command_user(name: str | None) -> AbstractBaseUser | None:
    """The active user a command acts for (`--by NAME`); None when no name is given.

    Raises LookupError for a name that is not an active user, so a mistyped name is refused
    rather than the work being credited to nobody.
    """
    if name is None:
        return None
    user = get_user_model().objects.filter(username=name, is_active=True).first()
    if user is None:
        raise LookupError(f"--by {name}: no active user of that name.")
    return user
