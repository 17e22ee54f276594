"""Ending sessions: every session of a disabled user is deleted at once (ASVS 7.4.2)."""

from __future__ import annotations

import logging
import time
from importlib import import_module

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.contrib.sessions.models import Session
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone

from .middleware import LOGIN_AT_KEY

logger = logging.getLogger(__name__)
DB_ENGINES = (
    "safeguard.protection.session_store",
    "django.contrib.sessions.backends.db",
    "django.contrib.sessions.backends.cached_db",
)
UNSUPPORTED_ENGINE = "Session engine %s cannot be searched: disabled users' sessions not ended."


def end_sessions(user_id: int) -> int:
    """Delete every live session of this user; return how many.

    Sessions last at most SESSION_COOKIE_AGE (30 minutes), so the live ones are few and a scan
    of them is cheap; it also catches sessions made before any tracking existed.
    """
    if settings.SESSION_ENGINE not in DB_ENGINES:
        logger.error(UNSUPPORTED_ENGINE, settings.SESSION_ENGINE)
        return 0
    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    ended = 0
    live = Session.objects.filter(expire_date__gt=timezone.now())
    for key, data in live.values_list("session_key", "session_data").iterator():
        if store_class().decode(data).get("_auth_user_id") == str(user_id):
            store_class(session_key=key).delete()
            ended += 1
    return ended


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def _end_sessions_of_disabled_user(
    sender: type, instance: object, raw: bool = False, **kwargs: object
) -> None:
    """A user saved as inactive (a leaver, a suspension) is signed out everywhere."""
    if not raw and not getattr(instance, "is_active", True):
        ended = end_sessions(instance.pk)
        if ended:
            logger.info("Ended %d session(s) of disabled user %s", ended, instance.pk)


@receiver(user_logged_in)
def _stamp_login_time(sender: type, request: HttpRequest | None, **kwargs: object) -> None:
    """Start the absolute session lifetime at login."""
    if request is not None and hasattr(request, "session"):
        request.session[LOGIN_AT_KEY] = time.time()
