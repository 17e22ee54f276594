"""Settings for running the returns tests before the app is in INSTALLED_APPS (lead adds it)."""

from safeguard.settings import *  # noqa: F403
from safeguard.settings import INSTALLED_APPS

if "safeguard.returns" not in INSTALLED_APPS:
    INSTALLED_APPS = [*INSTALLED_APPS, "safeguard.returns"]
