"""URL map for protection's tests: the whole app, protection's pages, and small test views."""

from django.apps import apps
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.views.generic import UpdateView

from safeguard.journey.models import CaseNote
from safeguard.protection.locking import OptimisticLockMixin
from safeguard.urls import urlpatterns as app_urlpatterns


class NoteEdit(OptimisticLockMixin, UpdateView):
    """A small edit view using the locking mixin, as the web app's edit views will."""

    model = CaseNote
    fields = ["text"]
    template_name = "protection/record_form.html"
    success_url = "/"


def case_page(request: HttpRequest) -> HttpResponse:
    """Stands for any signed-in page."""
    return HttpResponse("case page")


def broken_database(request: HttpRequest) -> HttpResponse:
    raise OperationalError("could not connect to server: Connection refused")


def crash(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("SENTINEL-SECRET in an unexpected error")


urlpatterns = [
    path("test/crash/", crash, name="test-crash"),
    path("test/notes/<int:pk>/edit/", NoteEdit.as_view(), name="test-note-edit"),
    path("test/case/", case_page, name="test-case"),
    path("test/broken/", broken_database, name="test-broken"),
    *app_urlpatterns,
]
if apps.is_installed("django_otp"):  # until settings.py is wired, the OTP pages cannot load
    urlpatterns.insert(0, path("protection/", include("safeguard.protection.urls")))
