"""App configuration for protection: connects the session-ending signal and the deploy checks."""

from __future__ import annotations

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _install_append_only(using: str = "default", **kwargs: object) -> None:
    """After every migrate, (re)install the audit trail's triggers, new history tables too."""
    from django.db import connections

    from .append_only import install

    if _migrated(using):
        install(connections[using])


def _migrated(using: str) -> bool:
    from django.db import connections
    from django.db.migrations.recorder import MigrationRecorder

    recorder = MigrationRecorder(connections[using])
    return (
        recorder.has_table()
        and recorder.migration_qs.filter(
            app="protection", name="0002_audit_seal_disposal_append_only"
        ).exists()
    )


class ProtectionConfig(AppConfig):
    """Authentication hardening, resilience and data-protection pieces (issue 7)."""

    name = "safeguard.protection"
    label = "protection"
    verbose_name = "Protection"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import checks, sessions  # noqa: F401  (registers signal receivers and checks)

        post_migrate.connect(_install_append_only, sender=self)
