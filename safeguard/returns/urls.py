"""URLs of the returns page (under /returns/)."""

from django.urls import path

from . import views, views_validate

app_name = "returns"
urlpatterns = [
    path("", views.index, name="index"),
    path("upload/", views.upload, name="upload"),
    path("confirm/", views.confirm, name="confirm"),
    path("download/", views.download, name="download"),
    path("rejects.csv", views.rejects, name="rejects"),
    path("validate/", views_validate.validate_page, name="validate"),
    path("validate/upload/", views_validate.validate_upload, name="validate_upload"),
    path("validate/report.xlsx", views_validate.validate_download, name="validate_download"),
    path("children/<int:pk>/check/", views_validate.child_check, name="child_check"),
]
