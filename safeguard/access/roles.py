"""The roles of Safeguard's users, declared once; each is a Django group of the same name."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Role:
    """A role and the widest set of children it may see without a grant."""

    key: str
    title: str
    scope: str  # "own" allocations, "team", "service", "all", or "contacts" made by the user


SOCIAL_WORKER = Role("social_worker", "Social worker", "own")
TEAM_MANAGER = Role("team_manager", "Team manager", "team")
HEAD_OF_SERVICE = Role("head_of_service", "Head of service", "service")
MASH_WORKER = Role("mash_worker", "MASH worker", "contacts")
IRO = Role("iro", "Independent reviewing officer", "own")
PERFORMANCE_ANALYST = Role("performance_analyst", "Performance analyst", "all")
ADMINISTRATOR = Role("administrator", "Administrator", "all")

ROLES: tuple[Role, ...] = (
    SOCIAL_WORKER, TEAM_MANAGER, HEAD_OF_SERVICE, MASH_WORKER, IRO, PERFORMANCE_ANALYST,
    ADMINISTRATOR,
)
BY_KEY = {r.key: r for r in ROLES}
