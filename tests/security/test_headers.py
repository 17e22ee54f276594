"""Headers and cookies on every URL (G11): CSP, nosniff, no-store, framing, TRACE refused,
HSTS and __Host- cookies under production settings, and a generic 500 page."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = [pytest.mark.django_db, pytest.mark.urls("safeguard.protection.tests.urls")]

PRODUCTION = {
    "SECURE_SSL_REDIRECT": True,
    "SECURE_HSTS_SECONDS": 31_536_000,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
    "SESSION_COOKIE_SECURE": True,
    "CSRF_COOKIE_SECURE": True,
    "SESSION_COOKIE_NAME": "__Host-sessionid",
    "CSRF_COOKIE_NAME": "__Host-csrftoken",
    "DEBUG": False,
}


def crawlable(patterns=None, prefix: str = "") -> list[str]:
    """Every URL of the app (parameters filled with 1 or "x"), admin's inner pages left out."""
    out: list[str] = []
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if route.startswith("admin/"):
                out.append("/admin/")
                continue
            out.extend(crawlable(entry.url_patterns, route))
        elif isinstance(entry, URLPattern) and not route.startswith("^"):
            url = re.sub(r"<int:\w+>", "1", route)
            out.append("/" + re.sub(r"<(?:\w+:)?\w+>", "x", url))
    return sorted(set(out))


def assert_safe_headers(response, url: str) -> None:
    csp = response.get("Content-Security-Policy", "")
    assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp, url
    assert response.get("X-Content-Type-Options") == "nosniff", url
    assert response.get("Referrer-Policy"), url
    assert "no-store" in response.get("Cache-Control", "") or url.startswith("/static/"), url


def test_every_url_carries_the_headers_signed_in_or_not():
    urls = crawlable()
    assert len(urls) > 10
    staff = User.objects.create_superuser("admin.user")
    signed_in, anonymous = Client(raise_request_exception=False), Client()
    signed_in.force_login(staff)
    for url in urls:
        assert_safe_headers(anonymous.get(url), url)
        assert_safe_headers(signed_in.get(url), url)


def test_case_pages_cannot_be_framed():
    response = Client().get("/login/")
    assert response["X-Frame-Options"] == "DENY"


def test_trace_is_refused():
    response = Client().generic("TRACE", "/login/")
    assert response.status_code == 405
    assert_safe_headers(response, "TRACE /login/")


@pytest.mark.django_db
def test_a_nul_character_is_refused_before_any_view(django_user_model):
    """wapiti found /children/?q=...%00 gave a 500 on PostgreSQL (NUL is not allowed in text)."""
    client = Client(raise_request_exception=False)
    client.force_login(django_user_model.objects.create_user("sam.worker"))
    for response in (
        client.get("/children/", {"q": "https://example.org/e.php\x00"}),
        client.get("/children/%00/"),
        client.post("/login/", {"username": "a\x00", "password": "x"}),
    ):
        assert response.status_code == 400
        assert response.content == b"Request refused: it contains a NUL character."
        assert_safe_headers(response, "NUL")
    assert client.get("/children/", {"q": "Ada"}).status_code == 200


@override_settings(**PRODUCTION)
def test_production_redirects_to_https_and_sends_hsts():
    assert Client().get("/login/")["Location"] == "https://testserver/login/"
    secure = Client().get("/login/", secure=True)
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


@override_settings(**PRODUCTION)
def test_production_cookies_are_host_prefixed_secure_httponly_samesite():
    client = Client()
    client.force_login(User.objects.create_user("sam.worker"))
    response = client.get("/test/case/", secure=True)
    cookie = response.cookies["__Host-sessionid"]
    assert cookie["secure"] and cookie["httponly"] and cookie["samesite"] == "Lax"
    assert cookie["path"] == "/" and not cookie["domain"]  # what __Host- requires


@override_settings(DEBUG=False)
def test_a_crash_gives_a_generic_500_with_no_traceback():
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.create_user("sam.worker"))
    response = client.get("/test/crash/")
    body = response.content.decode()
    assert response.status_code == 500
    assert "Traceback" not in body and "SENTINEL-SECRET" not in body
