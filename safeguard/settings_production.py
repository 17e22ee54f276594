"""Production settings: safeguard.settings hardened for a live service behind TLS.

Run with DJANGO_SETTINGS_MODULE=safeguard.settings_production and SAFEGUARD_SECRET_KEY set
(50+ random characters); `safeguard check --deploy` is then clean. The service is expected behind a
TLS-terminating proxy that sets X-Forwarded-Proto (SAFEGUARD_BEHIND_PROXY=1, the default).
"""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

from safeguard.settings import *  # noqa: F403
from safeguard.settings import DATABASES, INSTALLED_APPS, MIDDLEWARE

from .protection.auth_settings import *  # noqa: F403
from .protection.auth_settings import wire

NO_SECRET_KEY = "Set SAFEGUARD_SECRET_KEY (50+ random characters) for production."  # noqa: S105

DEBUG = False
SECRET_KEY = os.environ.get("SAFEGUARD_SECRET_KEY", "")
if not SECRET_KEY:
    raise ImproperlyConfigured(NO_SECRET_KEY)

INSTALLED_APPS, MIDDLEWARE = wire(INSTALLED_APPS, MIDDLEWARE)
SAFEGUARD_OTP_REQUIRED = True  # every user passes a second factor (ASVS 6.3.3)

# Transport: HTTPS only, HSTS for a year with subdomains (ASVS 3.4.1).
SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = 31_536_000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
if os.environ.get("SAFEGUARD_BEHIND_PROXY", "1") == "1":
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Cookies: Secure, HttpOnly, SameSite, __Host- prefix (ASVS 3.3.1 to 3.3.4).
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Strict"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Reconnect by itself when the database comes back (G20).
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "ERROR"},
        "axes": {"handlers": ["console"], "level": "INFO"},
        "safeguard": {"handlers": ["console"], "level": "INFO"},
    },
}
