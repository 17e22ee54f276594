"""Access actions: break-glass requests, named grants, and reviewing alerts."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from safeguard.journey.models import Child
from safeguard.workforce.models import Allocation, Worker

from .models import BreakGlassAlert, Grant
from .scope import ORDINARY, level_of, worker_of

BREAK_GLASS_HOURS = 8
NAMED_GRANT_DAYS = 182  # six months for an involved worker (Lincolnshire's restricted-records rule)
MIN_REASON_CHARS = 20
REASON_CODES = [
    ("DUTY", "Out-of-hours or duty enquiry"),
    ("SAFEGUARDING", "Immediate safeguarding concern"),
    ("COVER", "Covering for an absent colleague"),
    ("OTHER", "Other (say why)"),
]
REASON_TOO_SHORT = f"Say why you need this record in at least {MIN_REASON_CHARS} characters."
REASON_CODE_MISSING = "Choose the reason you need emergency access."
NOT_AVAILABLE = "Emergency access is not available for this record. Ask its team manager."


def _manager_for(child: Child, requester: Worker | None) -> Worker | None:
    """Who is alerted: the manager of the child's current team, else the requester's manager."""
    alloc = (
        Allocation.objects.filter(child=child, end_date__isnull=True)
        .select_related("team__manager")
        .order_by("-start_date")
        .first()
    )
    if alloc and alloc.team.manager_id:
        return alloc.team.manager
    team = requester.team if requester else None
    return team.manager if team else None


@transaction.atomic
def break_glass_request(*, user, child: Child, reason_code: str, reason: str) -> Grant:
    """Grant emergency access for a few hours and raise an alert for the manager to review."""
    errors = {}
    if reason_code not in dict(REASON_CODES):
        errors["reason_code"] = REASON_CODE_MISSING
    if len(reason.strip()) < MIN_REASON_CHARS:
        errors["reason"] = REASON_TOO_SHORT
    if errors:
        raise ValidationError(errors)
    if level_of(child) != ORDINARY:  # restricted and sealed records need a named grant
        raise ValidationError(NOT_AVAILABLE)
    now = timezone.now()
    grant = Grant.objects.create(
        user=user,
        child=child,
        kind=Grant.BREAK_GLASS,
        reason_code=reason_code,
        reason=reason.strip(),
        starts_at=now,
        expires_at=now + timedelta(hours=BREAK_GLASS_HOURS),
    )
    BreakGlassAlert.objects.create(grant=grant, manager=_manager_for(child, worker_of(user)))
    return grant


def grant_named(
    *, user, child: Child, granted_by, reason: str, days: int = NAMED_GRANT_DAYS
) -> Grant:
    """Name a user who may see a (restricted) record, until the grant expires."""
    now = timezone.now()
    return Grant.objects.create(
        user=user,
        child=child,
        kind=Grant.NAMED,
        reason=reason,
        granted_by=granted_by,
        starts_at=now,
        expires_at=now + timedelta(days=days),
    )


def alert_review(*, alert: BreakGlassAlert, reviewer, note: str = "") -> BreakGlassAlert:
    """Close a break-glass alert once a manager has checked the reason."""
    alert.reviewed_by, alert.reviewed_at, alert.review_note = reviewer, timezone.now(), note
    alert.save(update_fields=["reviewed_by", "reviewed_at", "review_note"])
    return alert


def grants_expire(*, at=None) -> int:
    """Revoke grants whose time is up (access already ends at expiry; this tidies the list)."""
    at = at or timezone.now()
    return Grant.objects.filter(expires_at__lte=at, revoked_at__isnull=True).update(revoked_at=at)


@transaction.atomic
def leavers_disable(*, at=None) -> int:
    """Disable the login of every worker whose leave date has come, and revoke their grants.

    Each user is saved (a handful a night), so the signal in `protection.sessions` ends every
    session of theirs at once (ASVS 7.4.2); `Worker.leave_date` is their first day gone.
    """
    at = at or timezone.now()
    left = Worker.objects.filter(leave_date__lte=timezone.localtime(at).date(), user__isnull=False)
    users = list(get_user_model().objects.filter(is_active=True, pk__in=left.values("user_id")))
    for user in users:
        user.is_active = False
        user.save(update_fields=["is_active"])
    Grant.objects.filter(user__in=left.values("user_id"), revoked_at__isnull=True).update(
        revoked_at=at
    )
    return len(users)
