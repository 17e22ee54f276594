"""Settings for authentication hardening and safe headers, for settings.py to star-import.

Lists cannot be extended by a star-import, so the apps and middleware are given here as
constants and as `wire()`, which settings.py (or settings_production) applies once:

    from safeguard.protection.auth_settings import *  # noqa: F403
    INSTALLED_APPS, MIDDLEWARE = wire(INSTALLED_APPS, MIDDLEWARE)
"""

from __future__ import annotations

import os
from datetime import timedelta

__all__ = [
    "AUTHENTICATION_BACKENDS",
    "AXES_FAILURE_LIMIT",
    "AXES_LOCKOUT_PARAMETERS",
    "AXES_COOLOFF_TIME",
    "AXES_RESET_ON_SUCCESS",
    "AXES_LOCKOUT_TEMPLATE",
    "AXES_ENABLE_ADMIN",
    "OTP_TOTP_ISSUER",
    "SAFEGUARD_OTP_REQUIRED",
    "SAFEGUARD_SESSION_ABSOLUTE_SECONDS",
    "SAFEGUARD_CSP",
    "SAFEGUARD_PERMISSIONS_POLICY",
    "SAFEGUARD_RETENTION",
    "SAFEGUARD_MAX_REQUEST_BYTES",
    "PROTECTION_APPS",
    "SILENCED_SYSTEM_CHECKS",
    "wire",
]

PROTECTION_APPS = ["django_otp", "django_otp.plugins.otp_totp", "axes", "safeguard.protection"]

#: Middleware and the existing middleware each must follow (None: put first).
PROTECTION_MIDDLEWARE = [
    (
        "safeguard.protection.middleware.SecurityHeadersMiddleware",
        "django.middleware.security.SecurityMiddleware",
    ),
    (
        "safeguard.protection.middleware.DatabaseUnavailableMiddleware",
        "safeguard.protection.middleware.SecurityHeadersMiddleware",
    ),
    (
        "safeguard.protection.middleware.SessionLifetimeMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
    ),
    (
        "django_otp.middleware.OTPMiddleware",
        "safeguard.protection.middleware.SessionLifetimeMiddleware",
    ),
    (
        "safeguard.protection.middleware.OTPRequiredMiddleware",
        "django_otp.middleware.OTPMiddleware",
    ),
    ("axes.middleware.AxesMiddleware", "<last>"),
]

# django-axes first, so a locked-out account is refused before its password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 10  # Cyber Essentials: lock after no more than 10 failed attempts
AXES_LOCKOUT_PARAMETERS = ["username"]  # one account's failures never lock another account
# axes.W006 asks for the IP address too; but a council office reaches us from one NAT address, so
# locking by IP would let one user's typing lock out the whole office (G10: others unaffected).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "protection/locked_out.html"
AXES_ENABLE_ADMIN = True

OTP_TOTP_ISSUER = "Safeguard"
# The demo and development logins skip the second factor; settings_production forces it on.
SAFEGUARD_OTP_REQUIRED = os.environ.get("SAFEGUARD_OTP_REQUIRED", "0") == "1"
SAFEGUARD_SESSION_ABSOLUTE_SECONDS = 10 * 60 * 60  # ASVS 7.3.2: absolute lifetime 10 hours

SAFEGUARD_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
SAFEGUARD_PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

#: The largest request body accepted: a return upload (safeguard.returns.safety.MAX_FILE_BYTES).
#: A bigger one is refused on its Content-Length, before anything reads or parses the body.
SAFEGUARD_MAX_REQUEST_BYTES = 200 * 1024 * 1024

#: Retention (see safeguard.protection.retention): children in need are a local decision.
SAFEGUARD_RETENTION = {"cin_years_from_birth": 25}


def wire(installed_apps: list[str], middleware: list[str]) -> tuple[list[str], list[str]]:
    """Return the app and middleware lists with protection's pieces added once, in order."""
    apps = list(installed_apps) + [a for a in PROTECTION_APPS if a not in installed_apps]
    chain = list(middleware)
    for name, after in PROTECTION_MIDDLEWARE:
        if name in chain:
            continue
        if after is None:
            chain.insert(0, name)
        elif after == "<last>" or after not in chain:
            chain.append(name)
        else:
            chain.insert(chain.index(after) + 1, name)
    return apps, chain
