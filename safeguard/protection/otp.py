"""TOTP second factor: set up a device, verify a code once per login (ASVS 6.3.3, 6.5.1)."""

from __future__ import annotations

from base64 import b32encode
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from .middleware import otp_exempt

DEVICE_NAME = "Authenticator app"
WRONG_CODE = "That code is not right, or it has already been used. Enter the current code."
SET_UP_ALREADY = "A device is already set up for this account: enter a code from it."


class TokenForm(forms.Form):
    """A six-digit code from the authenticator app."""

    token = forms.RegexField(
        regex=r"^\d{6}$",
        max_length=6,
        label="Code from your app",
        error_messages={"invalid": WRONG_CODE},
    )


def has_confirmed_device(user: AbstractBaseUser) -> bool:
    """True when the user has a TOTP device they have proved they hold."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def _next_url(request: HttpRequest) -> str:
    """The page asked for before the second factor, if it is on this site; else home."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


def _go(name: str, request: HttpRequest) -> HttpResponse:
    """Redirect to another second-factor page, keeping where the user was going."""
    return HttpResponseRedirect(f"{reverse(name)}?{urlencode({'next': _next_url(request)})}")


def _verified(request: HttpRequest, device: TOTPDevice) -> HttpResponse:
    """Mark the session verified, with a fresh session key (ASVS 7.2.4)."""
    request.session.cycle_key()
    otp_login(request, device)
    return HttpResponseRedirect(_next_url(request))


@otp_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def setup(request: HttpRequest) -> HttpResponse:
    """Show a new secret once and confirm it with a code.

    A user who already has a confirmed device must verify with it: a stolen password alone must
    not be enough to enrol a new device.
    """
    if has_confirmed_device(request.user):
        return _go("protection:otp-verify", request)
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name=DEVICE_NAME, confirmed=False)
    form = TokenForm(request.POST or None)
    if form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            return _verified(request, device)
        form.add_error("token", WRONG_CODE)
    context = {
        "form": form,
        "secret": b32encode(device.bin_key).decode(),
        "config_url": device.config_url,
        "next": _next_url(request),
    }
    return render(request, "protection/otp_setup.html", context)


@otp_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """Ask for the current code; each code works once (django-otp keeps the last time step)."""
    if not has_confirmed_device(request.user):
        return _go("protection:otp-setup", request)
    form = TokenForm(request.POST or None)
    if form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"])
        if device is not None:
            return _verified(request, device)
        form.add_error("token", WRONG_CODE)
    return render(request, "protection/otp_verify.html", {"form": form, "next": _next_url(request)})
