"""Django app for the synthetic council generator (`safeguard generate`)."""

from django.apps import AppConfig


class SyntheticConfig(AppConfig):
    name = "safeguard.synthetic"
    label = "synthetic"
    verbose_name = "Synthetic council"
