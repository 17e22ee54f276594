"""Quality pages under /quality/ (included by safeguard/urls.py when this module exists).

Until the app is in INSTALLED_APPS the area has no pages, so the rest of the site keeps working.
"""

from django.apps import apps
from django.urls import path

app_name = "quality"
urlpatterns: list = []

if apps.is_installed("safeguard.quality"):
    from . import views

    urlpatterns = [
        path("", views.index, name="index"),
        path("trackers/<slug:key>/", views.tracker, name="tracker"),
        path("supervision/", views.supervision_tracker, name="supervision"),
        path(
            "supervision/child/<int:child_pk>/", views.supervision_record, name="supervision_record"
        ),
        path("supervision/worker/", views.worker_supervision_record, name="worker_supervision"),
        path("tasks/", views.tasks, name="tasks"),
        path("tasks/<int:pk>/done/", views.task_done, name="task_done"),
        path("audits/", views.audits, name="audits"),
        path("audits/programme/<int:pk>/", views.programme, name="programme"),
        path("audits/<int:pk>/", views.audit, name="audit"),
        path("audits/analysis/", views.audit_analysis, name="analysis"),
        path("panels/", views.panels, name="panels"),
        path("panels/<int:pk>/", views.panel, name="panel"),
        path("authorisations/", views.authorisations, name="authorisations"),
        path("workforce/", views.workforce_page, name="workforce"),
    ]
