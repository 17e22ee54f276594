"""URL map: every page requires login (LoginRequiredMiddleware) unless marked public."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("safeguard.web.urls")),
]
