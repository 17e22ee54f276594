"""The roles of Safeguard's users, declared once; each is a Django group of the same name."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Role:
    """A role and the widest set of children it may see without a grant.

    A duty role (safeguarding screeners, the emergency duty team) also sees restricted records
    in its scope, as the restricted-records policy requires; never sealed ones.
    """

    key: str
    title: str
    scope: str  # "own" allocations, "team", "service", "all", or "contacts" made by the user
    duty: bool = False


SOCIAL_WORKER = Role("social_worker", "Social worker", "own")
TEAM_MANAGER = Role("team_manager", "Team manager", "team")
HEAD_OF_SERVICE = Role("head_of_service", "Head of service", "service")
MASH_WORKER = Role("mash_worker", "MASH worker", "contacts")
IRO = Role("iro", "Independent reviewing officer", "own")
PERFORMANCE_ANALYST = Role("performance_analyst", "Performance analyst", "all")
ADMINISTRATOR = Role("administrator", "Administrator", "all")
SCREENER = Role("screener", "Safeguarding screener", "all", duty=True)
EDT = Role("edt", "Emergency duty team", "all", duty=True)

ROLES: tuple[Role, ...] = (
    SOCIAL_WORKER,
    TEAM_MANAGER,
    HEAD_OF_SERVICE,
    MASH_WORKER,
    IRO,
    PERFORMANCE_ANALYST,
    ADMINISTRATOR,
    SCREENER,
    EDT,
)
BY_KEY = {r.key: r for r in ROLES}

#: How wide each scope is; a user with several roles gets the widest.
SCOPE_RANK = {"contacts": 0, "own": 1, "team": 2, "service": 3, "all": 4}

#: Roles that may see who has looked at a child's record and review break-glass alerts.
MANAGER_KEYS = frozenset({"team_manager", "head_of_service", "administrator"})


def roles_of(user) -> tuple[Role, ...]:
    """The roles a user holds, from their Django groups (a superuser is an administrator)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return ()
    cached = getattr(user, "_safeguard_roles", None)  # the user object lives for one request
    if cached is not None:
        return cached
    names = set(user.groups.values_list("name", flat=True))
    if user.is_superuser:
        names.add(ADMINISTRATOR.key)
    user._safeguard_roles = tuple(r for r in ROLES if r.key in names)
    return user._safeguard_roles


def on_duty(user) -> bool:
    """Whether the user holds a duty role, which opens restricted (not sealed) records."""
    return any(r.duty for r in roles_of(user))


def has_role(user, *keys: str) -> bool:
    """Whether the user holds any of the roles named by key."""
    return any(r.key in keys for r in roles_of(user))


def is_manager(user) -> bool:
    """Whether the user manages (team manager, head of service, administrator)."""
    return any(r.key in MANAGER_KEYS for r in roles_of(user))


def ensure_groups() -> None:
    """Create the Django group of every role (safe to run again)."""
    from django.contrib.auth.models import Group

    for role in ROLES:
        Group.objects.get_or_create(name=role.key)
