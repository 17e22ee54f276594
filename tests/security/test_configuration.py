"""Secure configuration (G11, G14, G10): production settings pass `check --deploy`, and
settings.py carries protection's apps, middleware and lockout backend."""

from __future__ import annotations

import importlib
import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings

from safeguard.protection.auth_settings import PROTECTION_APPS, wire

NOT_WIRED = (
    "settings.py is not wired for protection: add after MIDDLEWARE\n"
    "    from safeguard.protection.auth_settings import *  # noqa: F403\n"
    "    INSTALLED_APPS, MIDDLEWARE = wire(INSTALLED_APPS, MIDDLEWARE)  # noqa: F405"
)


def test_protection_is_wired_into_settings():
    # read the settings module itself: the autouse fixture rewires MIDDLEWARE for other tests
    configured = importlib.import_module(os.environ["DJANGO_SETTINGS_MODULE"])
    installed, middleware = configured.INSTALLED_APPS, configured.MIDDLEWARE
    assert wire(installed, middleware) == (installed, middleware), NOT_WIRED
    assert all(app in installed for app in PROTECTION_APPS), NOT_WIRED
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert settings.AXES_FAILURE_LIMIT == 10


def test_wire_orders_the_middleware():
    base = [
        "django.middleware.security.SecurityMiddleware",
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "django.contrib.auth.middleware.LoginRequiredMiddleware",
    ]
    _, chain = wire([], base)
    short = [m.rsplit(".", 1)[1] for m in chain]
    assert short == [
        "SecurityMiddleware",
        "SecurityHeadersMiddleware",
        "DatabaseUnavailableMiddleware",
        "SessionMiddleware",
        "AuthenticationMiddleware",
        "SessionLifetimeMiddleware",
        "OTPMiddleware",
        "OTPRequiredMiddleware",
        "LoginRequiredMiddleware",
        "AxesMiddleware",
    ]
    assert wire(*wire([], base)) == wire([], base)  # applying twice changes nothing


def production_env(tmp_path, **extra: str) -> dict[str, str]:
    # a clean environment: browser tests set DJANGO_ALLOW_ASYNC_UNSAFE, never set in production
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SAFEGUARD_", "DJANGO_ALLOW_ASYNC_UNSAFE"))
    }
    return {
        **env,
        "DJANGO_SETTINGS_MODULE": "safeguard.settings_production",
        "SAFEGUARD_VAR_DIR": str(tmp_path),
        **extra,
    }


def test_check_deploy_is_clean_on_production_settings(tmp_path):
    env = production_env(tmp_path, SAFEGUARD_SECRET_KEY=secrets.token_urlsafe(64))
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "django", "check"],
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "Set SAFEGUARD_SECRET_KEY" in result.stderr


@pytest.fixture
def production(monkeypatch, tmp_path):
    monkeypatch.setenv("SAFEGUARD_SECRET_KEY", secrets.token_urlsafe(64))
    monkeypatch.setenv("SAFEGUARD_VAR_DIR", str(tmp_path))
    sys.modules.pop("safeguard.settings_production", None)
    return importlib.import_module("safeguard.settings_production")


def test_production_values(production):
    p = production
    assert p.DEBUG is False
    assert p.SECURE_HSTS_SECONDS >= 31_536_000 and p.SECURE_HSTS_INCLUDE_SUBDOMAINS
    assert p.SECURE_SSL_REDIRECT
    assert p.SESSION_COOKIE_NAME.startswith("__Host-") and p.CSRF_COOKIE_NAME.startswith("__Host-")
    assert p.SESSION_COOKIE_SECURE and p.CSRF_COOKIE_SECURE and p.SESSION_COOKIE_HTTPONLY
    assert p.SESSION_COOKIE_SAMESITE in ("Lax", "Strict")
    assert p.SAFEGUARD_OTP_REQUIRED is True
    assert "frame-ancestors 'none'" in p.SAFEGUARD_CSP
    assert p.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
    assert "safeguard.protection.middleware.OTPRequiredMiddleware" in p.MIDDLEWARE
    assert p.SESSION_COOKIE_AGE == 30 * 60
