"""App configuration for protection: connects the session-ending signal and the deploy checks."""

from __future__ import annotations

from django.apps import AppConfig


class ProtectionConfig(AppConfig):
    """Authentication hardening, resilience and data-protection pieces (issue 7)."""

    name = "safeguard.protection"
    label = "protection"
    verbose_name = "Protection"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import checks, sessions  # noqa: F401  (registers signal receivers and checks)
