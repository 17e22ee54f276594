"""Deploy checks: production must ask every user for a second factor and send a CSP."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Tags, Warning, register

OTP_OFF = Warning(
    "SAFEGUARD_OTP_REQUIRED is off: users reach case records without a second factor.",
    hint="Set SAFEGUARD_OTP_REQUIRED = True (settings_production does).",
    id="protection.W001",
)
OTP_NOT_WIRED = Warning(
    "OTPRequiredMiddleware is not in MIDDLEWARE: the second factor is not enforced.",
    hint="Apply safeguard.protection.auth_settings.wire().",
    id="protection.W002",
)
NO_CSP = Warning(
    "SAFEGUARD_CSP is empty: no Content-Security-Policy header is sent.", id="protection.W003"
)


@register(Tags.security, deploy=True)
def check_second_factor_and_csp(app_configs: object = None, **kwargs: object) -> list[Warning]:
    """Warn (under `check --deploy`) when a production safeguard is switched off."""
    problems = []
    if not getattr(settings, "SAFEGUARD_OTP_REQUIRED", True):
        problems.append(OTP_OFF)
    if "safeguard.protection.middleware.OTPRequiredMiddleware" not in settings.MIDDLEWARE:
        problems.append(OTP_NOT_WIRED)
    if not getattr(settings, "SAFEGUARD_CSP", "x"):
        problems.append(NO_CSP)
    return problems
