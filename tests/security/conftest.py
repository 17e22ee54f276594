"""Cross-cutting security tests run with protection's middleware chain.

Until settings.py is wired (test_configuration says how), the chain wire() gives is applied per
test, leaving out the apps not installed yet; once wired this changes nothing.
"""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings

from safeguard.protection.auth_settings import PROTECTION_APPS, wire

WIRED = all(app in django_settings.INSTALLED_APPS for app in PROTECTION_APPS)


@pytest.fixture(autouse=True)
def protection_middleware(settings) -> None:
    _, chain = wire(settings.INSTALLED_APPS, settings.MIDDLEWARE)
    if not WIRED:
        chain = [
            m
            for m in chain
            if not m.startswith(("django_otp", "axes")) and not m.endswith("OTPRequiredMiddleware")
        ]
    settings.MIDDLEWARE = chain
