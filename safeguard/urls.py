"""URL map: every page requires login (LoginRequiredMiddleware) unless marked public."""

from importlib.util import find_spec

from django.contrib import admin
from django.urls import include, path

urlpatterns = [path("admin/", admin.site.urls)]

# Each area of the app keeps its own urls module; areas not yet built are skipped.
for prefix, module in (
    ("returns/", "safeguard.returns.urls"),
    ("performance/", "safeguard.performance.urls"),
    ("quality/", "safeguard.quality.urls"),
    ("protection/", "safeguard.protection.urls"),
    ("", "safeguard.web.urls"),
):
    try:
        present = find_spec(module) is not None
    except ModuleNotFoundError:
        present = False
    if present:
        urlpatterns.append(path(prefix, include(module)))
