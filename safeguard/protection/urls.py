"""Pages of protection: the second-factor setup and verify pages."""

from django.urls import path

from . import otp

app_name = "protection"

urlpatterns = [
    path("otp/setup/", otp.setup, name="otp-setup"),
    path("otp/verify/", otp.verify, name="otp-verify"),
]
