"""`safeguard expire_grants`: the nightly job that marks grants past their expiry as revoked.

Access already ends at `expires_at` (the scope filter checks it on every request); this keeps
the list of live grants honest for the managers who recertify them.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from safeguard.access.services import grants_expire


class Command(BaseCommand):
    help = "Revoke access grants whose time is up (run nightly)."

    def handle(self, *args, **options) -> None:
        self.stdout.write(f"Revoked {grants_expire()} expired grant(s).")
