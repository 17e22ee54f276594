"""Demo logins: one user per role, tied to a synthetic worker where the role has one."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import Group, User
from django.db import transaction

from safeguard.access.roles import ROLES, Role
from safeguard.workforce.models import Worker

#: Synthetic demo password, printed by `safeguard demo`; never used outside a demo database.
DEMO_PASSWORD = "demo-safeguard-2019"  # noqa: S105

#: Which generated worker each role borrows (worker role code), so its pages have children.
WORKER_ROLE_FOR = {
    "social_worker": "SW",
    "team_manager": "TM",
    "head_of_service": "HOS",
    "mash_worker": "MASH_OFFICER",
    "iro": "IRO",
}


@dataclass(frozen=True)
class DemoLogin:
    role: Role
    username: str
    worker: str


def _pick_worker(code: str) -> Worker | None:
    """The first current worker with this role who holds cases, else any current one."""
    current = Worker.objects.filter(role=code, leave_date__isnull=True, user__isnull=True)
    busy = current.filter(allocations__end_date__isnull=True).distinct().order_by("pk")
    return busy.first() or current.order_by("pk").first()


@transaction.atomic
def ensure_demo_logins() -> list[DemoLogin]:
    """Create (or reuse) one login per role; safe to run again."""
    logins = []
    for role in ROLES:
        username = f"demo-{role.key.replace('_', '-')}"
        user, created = User.objects.get_or_create(username=username)
        if created:
            user.set_password(DEMO_PASSWORD)
            user.is_staff = role.key == "administrator"
            user.is_superuser = role.key == "administrator"
            user.save()
        user.groups.add(Group.objects.get_or_create(name=role.key)[0])
        worker = getattr(user, "worker", None)
        if worker is None and role.key in WORKER_ROLE_FOR:
            worker = _pick_worker(WORKER_ROLE_FOR[role.key])
            if worker is not None:
                worker.user = user
                worker.save(update_fields=["user"])
        logins.append(DemoLogin(role, username, str(worker) if worker else "-"))
    return logins
