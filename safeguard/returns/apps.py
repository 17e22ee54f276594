"""Django app for statutory returns: the import log, commands and the analyst's upload page."""

from django.apps import AppConfig


class ReturnsConfig(AppConfig):
    name = "safeguard.returns"
    label = "returns"
    verbose_name = "Statutory returns"
    default_auto_field = "django.db.models.BigAutoField"
