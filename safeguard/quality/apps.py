"""Django app for quality and management: supervision, audits, panels, authorisations, trackers."""

from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "safeguard.quality"
    label = "quality"
    verbose_name = "Quality and management"
