"""Authentication hardening: lockout (G10), TOTP (G14), session lifecycle and leavers (G15, G9)."""

from __future__ import annotations

import time
from datetime import timedelta
from unittest import mock

import pytest
from axes.models import AccessAttempt
from axes.models import AccessLog as AxesAccessLog
from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.test import Client, override_settings
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguard.protection.middleware import LOGIN_AT_KEY
from safeguard.protection.otp import WRONG_CODE
from safeguard.protection.sessions import end_sessions

from .conftest import PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.urls("safeguard.protection.tests.urls")]

CASE = "/test/case/"


def sign_in(client: Client, username: str, password: str):
    return client.post(
        "/login/", {"username": username, "password": password}, REMOTE_ADDR="10.0.0.7"
    )


def current_code(device: TOTPDevice) -> str:
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{code:0{device.digits}d}"


# --- G10: lockout after 10 failures, per account --------------------------------------------


def test_the_eleventh_attempt_is_refused_even_with_the_right_password(client, user):
    other = User.objects.create_user("alex.manager", password=PASSWORD)
    for _ in range(9):  # failures 1..9: each an ordinary "wrong password" page
        assert sign_in(client, "sam.worker", "wrong password!!").status_code == 200
    assert sign_in(client, "sam.worker", "wrong password!!").status_code == 429  # 10th locks
    locked = sign_in(client, "sam.worker", PASSWORD)  # attempt 11: right password, refused
    assert locked.status_code == 429
    assert "This account is locked" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # another account from the same address is unaffected
    assert sign_in(Client(), "alex.manager", PASSWORD).status_code == 302
    assert other.pk  # (used)


def test_nine_failures_do_not_lock(client, user):
    for _ in range(9):
        sign_in(client, "sam.worker", "wrong password!!")
    assert sign_in(client, "sam.worker", PASSWORD).status_code == 302


def test_failures_and_successes_are_logged_with_time_and_ip(client, user):
    sign_in(client, "sam.worker", "wrong password!!")
    attempt = AccessAttempt.objects.get(username="sam.worker")
    assert (attempt.ip_address, attempt.failures_since_start) == ("10.0.0.7", 1)
    assert sign_in(client, "sam.worker", PASSWORD).status_code == 302
    success = AxesAccessLog.objects.get(username="sam.worker")
    assert success.ip_address == "10.0.0.7"
    assert success.attempt_time.utcoffset() == timedelta(0)  # stored in UTC


def test_axes_is_set_to_ten():
    assert settings.AXES_FAILURE_LIMIT == 10
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"


# --- G14: a second factor for every user ----------------------------------------------------


@pytest.fixture
def device(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


@override_settings(SAFEGUARD_OTP_REQUIRED=True)
def test_signed_in_without_code_is_sent_to_verify(client, user, device):
    client.force_login(user)
    response = client.get(CASE)
    assert response.status_code == 302
    assert response["Location"].startswith("/protection/otp/verify/?next=/test/case/")


@override_settings(SAFEGUARD_OTP_REQUIRED=True)
def test_a_code_lets_the_user_in_and_works_only_once(client, user, device):
    client.force_login(user)
    code = current_code(device)
    before = client.session.session_key
    response = client.post("/protection/otp/verify/", {"token": code, "next": CASE})
    assert (response.status_code, response["Location"]) == (302, CASE)
    assert client.session.session_key != before  # new session key once verified
    assert client.get(CASE).status_code == 200
    # replay: the same code in a second session fails
    thief = Client()
    thief.force_login(user)
    replay = thief.post("/protection/otp/verify/", {"token": code, "next": CASE})
    assert replay.status_code == 200
    assert WRONG_CODE in replay.content.decode()
    assert thief.get(CASE).status_code == 302


@override_settings(SAFEGUARD_OTP_REQUIRED=True)
def test_a_wrong_code_is_refused(client, user, device):
    client.force_login(user)
    wrong = f"{(int(current_code(device)) + 1) % 1_000_000:06d}"
    response = client.post("/protection/otp/verify/", {"token": wrong})
    assert WRONG_CODE in response.content.decode()
    assert client.get(CASE).status_code == 302


@override_settings(SAFEGUARD_OTP_REQUIRED=True)
def test_a_user_without_a_device_sets_one_up(client, user):
    client.force_login(user)
    assert client.get(CASE)["Location"].startswith("/protection/otp/setup/")
    page = client.get("/protection/otp/setup/")
    new = TOTPDevice.objects.get(user=user)
    assert not new.confirmed
    assert "otpauth://totp/" in page.content.decode()
    response = client.post("/protection/otp/setup/", {"token": current_code(new)})
    assert response.status_code == 302
    new.refresh_from_db()
    assert new.confirmed
    assert client.get(CASE).status_code == 200


@override_settings(SAFEGUARD_OTP_REQUIRED=True)
def test_a_password_alone_cannot_enrol_a_second_device(client, user, device):
    client.force_login(user)
    response = client.get("/protection/otp/setup/")
    assert response["Location"].startswith("/protection/otp/verify/")
    assert TOTPDevice.objects.filter(user=user).count() == 1


@override_settings(SAFEGUARD_OTP_REQUIRED=True)
def test_admin_uses_the_same_second_factor(client, device):
    device.user.is_staff = device.user.is_superuser = True
    device.user.save()
    client.force_login(device.user)
    assert client.get("/admin/")["Location"].startswith("/protection/otp/verify/")


@override_settings(SAFEGUARD_OTP_REQUIRED=True)
def test_login_and_logout_need_no_code(client, user, device):
    assert client.get("/login/").status_code == 200
    client.force_login(user)
    assert client.post("/logout/").status_code == 302
    assert "_auth_user_id" not in client.session


@override_settings(SAFEGUARD_OTP_REQUIRED=False)
def test_demo_settings_skip_the_second_factor(client, user):
    client.force_login(user)
    assert client.get(CASE).status_code == 200


# --- G15: session lifecycle ------------------------------------------------------------------


def test_idle_timeout_is_thirty_minutes_and_activity_extends_it(client, user):
    assert (settings.SESSION_COOKIE_AGE, settings.SESSION_SAVE_EVERY_REQUEST) == (1800, True)
    client.force_login(user)
    start = timezone.now()
    with mock.patch("django.utils.timezone.now", return_value=start + timedelta(minutes=29)):
        assert client.get(CASE).status_code == 200  # active at 29 minutes: still signed in
    with mock.patch("django.utils.timezone.now", return_value=start + timedelta(minutes=58)):
        assert client.get(CASE).status_code == 200  # 29 idle minutes after the last request
    with mock.patch("django.utils.timezone.now", return_value=start + timedelta(minutes=89)):
        response = client.get(CASE)  # 31 idle minutes: signed out
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_absolute_lifetime_ends_an_active_session_after_ten_hours(client, user):
    client.force_login(user)
    assert client.get(CASE).status_code == 200
    session = client.session
    session[LOGIN_AT_KEY] = time.time() - settings.SAFEGUARD_SESSION_ABSOLUTE_SECONDS - 1
    session.save()
    assert client.get(CASE)["Location"].startswith("/login/")


def test_login_issues_a_new_session_key(client, user):
    client.get("/login/")
    session = client.session
    session["before"] = "anonymous"
    session.save()
    before = session.session_key
    assert sign_in(client, "sam.worker", PASSWORD).status_code == 302
    assert client.session.session_key != before
    assert not Session.objects.filter(session_key=before).exists()


def test_logout_kills_the_session_on_the_server(client, user):
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.post("/logout/")
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = cookie
    assert replay.get(CASE)["Location"].startswith("/login/")


def test_disabling_a_user_ends_all_their_sessions(user):
    desk, phone, colleague = Client(), Client(), Client()
    desk.force_login(user)
    phone.force_login(user)
    colleague.force_login(User.objects.create_user("alex.manager", password=PASSWORD))
    user.is_active = False
    user.save()
    assert Session.objects.count() == 1  # only the colleague's session is left
    for gone in (desk, phone):
        assert gone.get(CASE)["Location"].startswith("/login/")
    assert colleague.get(CASE).status_code == 200


def test_end_sessions_counts_and_leaves_others(user):
    mine, theirs = Client(), Client()
    mine.force_login(user)
    theirs.force_login(User.objects.create_user("alex.manager", password=PASSWORD))
    assert end_sessions(user.pk) == 1
    assert end_sessions(user.pk) == 0
    assert theirs.get(CASE).status_code == 200
