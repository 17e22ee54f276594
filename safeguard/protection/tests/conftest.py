"""Fixtures for protection's tests: users and a child with a little of everything."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import User
from django.utils import timezone

from safeguard.journey.models import CaseNote, Child, Contact
from safeguard.protection.auth_settings import PROTECTION_APPS, wire

PASSWORD = "correct horse battery staple"  # noqa: S105 - a test password


# The lockout and TOTP apps must be installed for their tests to load; until settings.py is
# wired (tests/security/test_configuration.py fails meanwhile, saying how), they are skipped.
WIRED = all(app in django_settings.INSTALLED_APPS for app in PROTECTION_APPS)
collect_ignore = [] if WIRED else ["test_authentication.py"]


@pytest.fixture(autouse=True)
def protection_middleware(settings) -> None:
    """The middleware chain as wire() makes it, leaving out apps not installed yet."""
    _, chain = wire(settings.INSTALLED_APPS, settings.MIDDLEWARE)
    if not WIRED:
        chain = [
            m
            for m in chain
            if not m.startswith(("django_otp", "axes")) and not m.endswith("OTPRequiredMiddleware")
        ]
    settings.MIDDLEWARE = chain


@pytest.fixture(autouse=True)
def fast_hashing(settings) -> None:
    """Argon2 is deliberately slow; these tests are about lockout and sessions, not hashing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def user(db) -> User:
    return User.objects.create_user("sam.worker", password=PASSWORD)


@pytest.fixture
def child(db) -> Child:
    return Child.objects.create(
        la_child_id="C-SENTINEL-1",
        first_name="Ada",
        last_name="Sentinel",
        date_of_birth=date(2015, 3, 1),
        sex="2",
    )


@pytest.fixture
def note(child) -> CaseNote:
    return CaseNote.objects.create(child=child, date=date(2025, 1, 6), text="First visit notes.")


@pytest.fixture
def contact(child) -> Contact:
    received = timezone.make_aware(datetime(2025, 1, 2, 9, 30))
    return Contact.objects.create(
        child=child,
        received_at=received,
        contact_source="1A",
        summary="Neighbour Jo Bloggs reported shouting.",
    )
