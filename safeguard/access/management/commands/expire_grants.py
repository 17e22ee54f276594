"""`safeguard expire_grants`: the nightly job that revokes grants past their expiry and disables
the logins of workers who have left.

Access already ends at `expires_at` (the scope filter checks it on every request); revoking keeps
the list of live grants honest for the managers who recertify them. A leaver's sessions end as
their login is disabled.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from safeguard.access.services import grants_expire, leavers_disable


class Command(BaseCommand):
    help = "Revoke access grants whose time is up and disable leavers' logins (run nightly)."

    def handle(self, *args, **options) -> None:
        revoked, disabled = grants_expire(), leavers_disable()
        self.stdout.write(f"Revoked {revoked} expired grant(s). Disabled {disabled} leaver(s).")
