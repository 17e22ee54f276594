"""Django app for statutory returns: the import log, commands and the analyst's upload page."""

from django.apps import AppConfig


class ReturnsConfig(AppConfig):
    name = "safeguard.returns"
    label = "returns"
    verbose_name = "Statutory returns"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Register the check that every rule code is unique in its year and has tests."""
        from django.core import checks

        from .checks import check_rules

        checks.register(check_rules)
