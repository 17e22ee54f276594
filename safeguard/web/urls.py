"""Pages of the web app. LoginRequiredMiddleware guards every one except the login page."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import path

from . import views, views_documents, views_front_door, views_team

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("health/", login_not_required(views.health), name="health"),
    path("", views.home, name="home"),
    path("my-work/", views.my_work, name="my_work"),
    path("children/", views.children, name="children"),
    path("children/export.csv", views.children_export, name="children_export"),
    path("children/<int:pk>/", views.child_summary, name="child_summary"),
    path("children/<int:pk>/chronology/", views.child_chronology, name="child_chronology"),
    path(
        "children/<int:pk>/record/contact/",
        views_front_door.contact_for_child,
        name="contact_for_child",
    ),
    path("children/<int:pk>/record/<slug:step>/", views.child_step, name="child_step"),
    path(
        "children/<int:pk>/record/<slug:step>/<int:obj_id>/",
        views.child_step,
        name="child_step_edit",
    ),
    path(
        "children/<int:pk>/characteristics/",
        views.child_characteristics,
        name="child_characteristics",
    ),
    path("children/<int:pk>/transfer/", views_team.child_transfer, name="child_transfer"),
    path("children/<int:pk>/access-log/", views_team.child_access_log, name="child_access_log"),
    path("children/<int:pk>/emergency-access/", views_team.break_glass, name="break_glass"),
    path("children/<int:pk>/documents/", views_documents.child_documents, name="child_documents"),
    path(
        "children/<int:pk>/documents/<int:doc_id>/",
        views_documents.child_document_download,
        name="child_document_download",
    ),
    path("children/<int:pk>/<slug:section>/", views.child_section, name="child_section"),
    path("front-door/", views_front_door.front_door, name="front_door"),
    path("front-door/contacts/new/", views_front_door.contact_new, name="contact_new"),
    path(
        "front-door/contacts/<int:pk>/decide/",
        views_front_door.contact_decide,
        name="contact_decide",
    ),
    path(
        "front-door/contacts/<int:pk>/authorise/",
        views_front_door.contact_authorise,
        name="contact_authorise",
    ),
    path("team/", views_team.team, name="team"),
    path("team/worklists/", views_team.worklists, name="worklists"),
    path("access/alerts/", views_team.alerts, name="alerts"),
    path("access/alerts/<int:pk>/close/", views_team.alert_close, name="alert_close"),
]
