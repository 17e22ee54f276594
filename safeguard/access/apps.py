"""Django app for access control: grants, break-glass alerts and the access log."""

from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "safeguard.access"
    label = "access"
    verbose_name = "Access and audit"
