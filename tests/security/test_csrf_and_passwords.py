"""CSRF on every state change (G12) and password storage and policy (G13)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client

from .test_headers import crawlable

pytestmark = [pytest.mark.django_db, pytest.mark.urls("safeguard.protection.tests.urls")]


def test_every_post_without_a_token_is_refused():
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.force_login(User.objects.create_superuser("admin.user"))
    refused = {url: client.post(url, {"anything": "1"}).status_code for url in crawlable()}
    assert {url: code for url, code in refused.items() if code != 403} == {}


def test_the_first_hasher_is_argon2id():
    assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert make_password("a long enough passphrase").startswith("argon2$argon2id$")


@pytest.mark.parametrize("password", ["short pass", "password1234", "123456789012"])
def test_short_common_and_numeric_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_long_passwords_without_composition_rules_are_accepted():
    validate_password("all lower case words make a fine passphrase")  # no digit, no capital
    validate_password("x" * 3 + "q" * 60 + "long enough and more than 64 characters")
    assert len("x" * 3 + "q" * 60 + "long enough and more than 64 characters") > 64
