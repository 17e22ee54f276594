"""Django app for the journey record."""

from django.apps import AppConfig


class JourneyConfig(AppConfig):
    name = "safeguard.journey"
    label = "journey"
    verbose_name = "Journey record"
