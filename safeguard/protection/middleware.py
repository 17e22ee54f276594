"""Middleware: safe headers, clean 503s while the database is down, session lifetime, TOTP."""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseNotAllowed
from django.template import loader
from django.urls import Resolver404, resolve, reverse

from . import auth_settings as defaults

DB_ERRORS = (OperationalError, InterfaceError)
DB_DOWN_FLAG = "_safeguard_database_down"
REFUSED_METHODS = frozenset({"TRACE", "TRACK", "CONNECT"})
ALLOWED_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
LOGIN_AT_KEY = "safeguard_login_at"
DB_RETRY_AFTER_SECONDS = 30
NUL = "\x00"
NUL_REFUSED = "Request refused: it contains a NUL character."
TOO_BIG = "Request refused: its body is {size:,} bytes; the limit is {limit:,} bytes."

Handler = Callable[[HttpRequest], HttpResponse]

logger = logging.getLogger(__name__)
DB_ERROR_LOGGED = "Database error, answered 503: %s %s: %s"


def database_unavailable_response() -> HttpResponse:
    """The 503 page: rendered without the request, so it needs no database and shows no trace."""
    body = loader.get_template("protection/db_unavailable.html").render({})
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(DB_RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


@receiver(got_request_exception)
def _note_database_error(
    sender: object, request: HttpRequest | None = None, **kwargs: object
) -> None:
    """Mark a request whose uncaught error was the database, wherever in the stack it arose."""
    error = sys.exc_info()[1]
    if request is not None and isinstance(error, DB_ERRORS):
        setattr(request, DB_DOWN_FLAG, True)


class DatabaseUnavailableMiddleware:
    """Turn OperationalError/InterfaceError into a clean 503 page (ASVS 16.5.1, 16.5.2).

    Errors raised by views arrive in `process_exception`; errors raised by inner middleware
    (sessions, authentication) have already become a 500 by the time they reach us, so the
    `got_request_exception` receiver flags the request and the 500 is swapped for the 503.
    A connection lost while the session is saved reaches us the same way: the session store
    (`session_store`) lets it go up as itself rather than as Django's 400 "session interrupted".
    Django drops an unusable connection at the end of the request, so the next request after
    the database returns reconnects without a restart (with CONN_HEALTH_CHECKS on).
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 500 and getattr(request, DB_DOWN_FLAG, False):
            return database_unavailable_response()
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DB_ERRORS):
            # The 503 page says nothing of the cause; the log must, or a locked SQLite file
            # and a PostgreSQL outage look the same to whoever runs the server. The path only:
            # a query string can hold a searched name.
            logger.warning(DB_ERROR_LOGGED, request.method, request.path, exception)
            return database_unavailable_response()
        return None


def _declared_size(request: HttpRequest) -> int:
    """The body's size as Content-Length declares it; 0 when it is absent or not a number.

    Django reads no more than Content-Length, so the declared size is the most it reads.
    """
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _too_big(size: int) -> str | None:
    """Why a body of this declared size is refused unread: bigger than the largest upload.

    Checked first, because the NUL check below parses a POST body (an upload is spooled to
    disk on the way) and so would the CSRF check: the size must be judged before either reads
    it.
    """
    limit = getattr(settings, "SAFEGUARD_MAX_REQUEST_BYTES", defaults.SAFEGUARD_MAX_REQUEST_BYTES)
    return TOO_BIG.format(size=size, limit=limit) if size > limit else None


def _has_nul(request: HttpRequest) -> bool:
    """Whether the path, the query or a form field holds a NUL character.

    No page needs one, and PostgreSQL refuses them in text, so a search for "x%00" would
    otherwise end in a 500 (found by wapiti, G11). Refused before any view runs.
    """
    if NUL in request.path:
        return True
    fields = [request.GET]
    if request.method == "POST":  # the CSRF check parses the form anyway
        fields.append(request.POST)
    return any(
        NUL in key or any(NUL in value for value in values)
        for q in fields
        for key, values in q.lists()
    )


def _body_refusal(request: HttpRequest, size: int) -> str | None:
    """Why the request's body is too big for its view, from Content-Length alone, or None.

    A view that takes uploads declares `body_limit`, a callable given the declared size that
    returns a refusal message or None. Asked before anything reads the body: the NUL check
    below and the CSRF check both parse the whole form, files included. (The WSGI server
    never gives a view more than Content-Length bytes, so the declared size is the most it
    can receive.)
    """
    if size <= 0:
        return None
    try:
        check = getattr(resolve(request.path_info).func, "body_limit", None)
    except Resolver404:
        return None
    return check(size) if check is not None else None


class SecurityHeadersMiddleware:
    """CSP, Permissions-Policy and no-store on every response; TRACE refused (ASVS 3.4, 14.3.2);
    a body over the upload limit (the view's own `body_limit`, else SAFEGUARD_MAX_REQUEST_BYTES)
    refused before it is read.

    Stands in for django-csp (not a dependency): one fixed policy from SAFEGUARD_CSP.
    Responses that set their own Cache-Control (static files, downloads) keep it.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        size = _declared_size(request)
        too_big = _body_refusal(request, size) or _too_big(size)
        if request.method in REFUSED_METHODS:
            response: HttpResponse = HttpResponseNotAllowed(ALLOWED_METHODS)
        elif too_big:
            response = HttpResponse(too_big, status=413, content_type="text/plain; charset=utf-8")
        elif _has_nul(request):
            response = HttpResponseBadRequest(NUL_REFUSED, content_type="text/plain")
        else:
            response = self.get_response(request)
        csp = getattr(settings, "SAFEGUARD_CSP", defaults.SAFEGUARD_CSP)
        if csp:
            response.headers.setdefault("Content-Security-Policy", csp)
        policy = getattr(
            settings, "SAFEGUARD_PERMISSIONS_POLICY", defaults.SAFEGUARD_PERMISSIONS_POLICY
        )
        if policy:
            response.headers.setdefault("Permissions-Policy", policy)
        response.headers.setdefault("Cache-Control", "no-store")
        return response


class SessionLifetimeMiddleware:
    """End a session this long after login however active it is (ASVS 7.3.2).

    The idle timeout is Django's own: SESSION_COOKIE_AGE with SESSION_SAVE_EVERY_REQUEST.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = getattr(
            settings,
            "SAFEGUARD_SESSION_ABSOLUTE_SECONDS",
            defaults.SAFEGUARD_SESSION_ABSOLUTE_SECONDS,
        )
        if limit and request.user.is_authenticated:
            started = request.session.setdefault(LOGIN_AT_KEY, time.time())
            if time.time() - float(started) > limit:
                logout(request)
        return self.get_response(request)


def otp_exempt(view: Callable) -> Callable:
    """Mark a view a signed-in user may reach before the second factor (setup, verify)."""
    view.otp_exempt = True  # type: ignore[attr-defined]
    return view


class OTPRequiredMiddleware:
    """Send a signed-in user without a verified TOTP device to verify (or set one up).

    Placed after django_otp's OTPMiddleware. Pages that need no login (the login page) and
    views marked `otp_exempt` pass; so do the URL names in SAFEGUARD_OTP_EXEMPT_URL_NAMES
    (logout). Off when SAFEGUARD_OTP_REQUIRED is False (demo and development only).
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable, view_args: tuple, view_kwargs: dict
    ) -> HttpResponse | None:
        if not getattr(settings, "SAFEGUARD_OTP_REQUIRED", True):
            return None
        if not getattr(view_func, "login_required", True):
            return None
        if getattr(view_func, "otp_exempt", False):
            return None
        exempt = getattr(settings, "SAFEGUARD_OTP_EXEMPT_URL_NAMES", ("logout",))
        if request.resolver_match and request.resolver_match.url_name in exempt:
            return None
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        from .otp import has_confirmed_device

        target = "protection:otp-verify" if has_confirmed_device(user) else "protection:otp-setup"
        return redirect_to_login(request.get_full_path(), reverse(target))
