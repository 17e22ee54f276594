"""The one scope filter: which children a user may see. Every page, list, count and export uses it.

A user's roles (Django groups) give a scope: their own allocations, their team's, their service's,
all children, or (MASH partner) the children of contacts they made. A worker in (or managing) a
MASH team also sees children with a contact awaiting a decision, so the front door can work.
An active break-glass grant opens one ordinary record. Widest scope wins; nothing is cached, so
a reallocation takes effect on the next request (ASVS 8.3.2).

Records come at three levels (`LEVELS`):
- ordinary: the scope above, or break-glass;
- restricted (`Child.restricted`: staff, their relatives, high profile, serious case review,
  pre-adoption): users named by a grant, and duty roles (screeners, EDT) within their scope;
- sealed (the adoptive identity of an `AdoptionRecord`): users named by a grant only; no role,
  no duty role and no break-glass opens it.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from safeguard.journey.models import Child, Contact
from safeguard.workforce.models import Allocation, Team, Worker

from .models import AdoptionRecord, Grant
from .roles import SCOPE_RANK, on_duty, roles_of

ORDINARY, RESTRICTED, SEALED = "ordinary", "restricted", "sealed"
LEVELS = {
    ORDINARY: "Ordinary: the user's scope, or emergency access",
    RESTRICTED: "Restricted: named users, and screeners and the emergency duty team",
    SEALED: "Sealed (adoption): named users only",
}


def sealed_q() -> Q:
    """Children whose record is sealed: the adoptive identity of an adoption case record."""
    return Q(
        pk__in=AdoptionRecord.objects.filter(adopted_record__isnull=False).values(
            "adopted_record_id"
        )
    )


def level_of(child: Child) -> str:
    """The access level of one child's record."""
    if Child.objects.filter(sealed_q(), pk=child.pk).exists():
        return SEALED
    return RESTRICTED if child.restricted else ORDINARY


def scope_of(user) -> str | None:
    """The widest scope among the user's roles, or None when they have no role."""
    scopes = [r.scope for r in roles_of(user)]
    return max(scopes, key=SCOPE_RANK.__getitem__) if scopes else None


def worker_of(user) -> Worker | None:
    """The Worker linked to a login, if any (it gives the team and service); looked up once
    per request, as the user object lives for one request."""
    if hasattr(user, "_safeguard_worker"):
        return user._safeguard_worker
    worker = Worker.objects.filter(user_id=getattr(user, "pk", None)).select_related("team").first()
    if getattr(user, "pk", None) is not None:
        user._safeguard_worker = worker
    return worker


def teams_of(worker: Worker | None) -> QuerySet[Team]:
    """The worker's own team and any team they manage."""
    if worker is None:
        return Team.objects.none()
    return Team.objects.filter(Q(pk=worker.team_id) | Q(manager=worker))


def _open_allocations(today: date) -> QuerySet[Allocation]:
    return Allocation.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today), start_date__lte=today
    )


def _scope_q(user, scope: str | None, worker: Worker | None, today: date) -> Q:
    """The condition on Child for the user's role scope (without grants and restrictions)."""
    if scope == "all":
        return Q(pk__isnull=False)
    allocs = _open_allocations(today)
    if scope == "own" and worker is not None:
        return Q(pk__in=allocs.filter(worker=worker).values("child_id"))
    if scope == "team":
        return Q(pk__in=allocs.filter(team__in=teams_of(worker)).values("child_id"))
    if scope == "service" and worker is not None:
        services = [s for s in teams_of(worker).values_list("service", flat=True) if s]
        services += [worker.service] if worker.service else []
        return Q(pk__in=allocs.filter(team__service__in=services).values("child_id"))
    if scope == "contacts":
        return Q(pk__in=Contact.objects.filter(made_by=user).values("child_id"))
    return Q(pk__in=[])


def _front_door_q(worker: Worker | None) -> Q:
    """A MASH team's workers and managers see children with a contact awaiting decision."""
    if worker is None or not teams_of(worker).filter(kind="MASH").exists():
        return Q(pk__in=[])
    waiting = Contact.objects.filter(mash_decision="").values("child_id")
    return Q(pk__in=waiting)


def _grants(user, kind: str | None = None) -> QuerySet[Grant]:
    grants = Grant.objects.filter(Grant.active_q(), user_id=user.pk)
    return grants.filter(kind=kind) if kind else grants


def children_for(user, *, today: date | None = None) -> QuerySet[Child]:
    """Every child the user may see now: THE filter for pages, lists, searches, counts, exports."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Child.objects.none()
    today = today or timezone.localdate()
    worker = worker_of(user)
    in_scope = _scope_q(user, scope_of(user), worker, today) | _front_door_q(worker)
    named = _grants(user, Grant.NAMED).values("child_id")
    glass = _grants(user, Grant.BREAK_GLASS).values("child_id")
    unsealed = ~sealed_q()
    visible = (in_scope | Q(pk__in=glass)) & Q(restricted=False) & unsealed
    if on_duty(user):
        visible |= in_scope & Q(restricted=True) & unsealed
    return Child.objects.filter(visible | Q(pk__in=named))


def case_children_for(user, *, today: date | None = None) -> QuerySet[Child]:
    """Children whose case record (summary, chronology, plans...) the user may open.

    Field-level rule: a MASH partner sees the contact they made, not the case. So for a user
    whose widest scope is "contacts", only children reached through the front door (an
    undecided contact, for MASH team staff) or through a grant open the record; the rest of
    `children_for` (contacts they made) show in lists and on the contact page only.
    """
    children = children_for(user, today=today)
    if scope_of(user) != "contacts":
        return children
    grants = _grants(user).values("child_id")
    return children.filter(_front_door_q(worker_of(user)) | Q(pk__in=grants))


def can_see(user, child: Child | int) -> bool:
    """Whether the user may see this child's record now."""
    pk = child.pk if isinstance(child, Child) else child
    return children_for(user).filter(pk=pk).exists()


def scoped(user, queryset: QuerySet, child_field: str = "child") -> QuerySet:
    """Restrict any queryset of rows about children (contacts, plans, ...) to the user's scope.

    Other apps call this for their own querysets, e.g. `scoped(request.user, Referral.objects)`.
    """
    return queryset.filter(**{f"{child_field}__in": children_for(user).values("pk")})


def via_break_glass(user, child: Child) -> bool:
    """Whether the user sees this child only because of an emergency grant (for the access log)."""
    if not _grants(user, Grant.BREAK_GLASS).filter(child=child).exists():
        return False
    today = timezone.localdate()
    worker = worker_of(user)
    q = _scope_q(user, scope_of(user), worker, today) | _front_door_q(worker)
    return not Child.objects.filter(q, pk=child.pk).exists()
