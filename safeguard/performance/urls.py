"""Performance pages (/performance/): the data book, scorecard, weekly report, data pack and the
children behind every figure."""

from django.urls import path

from . import views

app_name = "performance"

urlpatterns = [
    path("", views.index, name="index"),
    path("databook/", views.databook_page, name="databook"),
    path("databook/<slug:measure>/", views.databook_measure, name="databook_measure"),
    path("scorecard/", views.scorecard_page, name="scorecard"),
    path("weekly/", views.weekly_page, name="weekly"),
    path("self-evaluation/", views.pack_page, name="pack"),
    path("children/", views.children, name="children"),
    path("<slug:report>/download.<slug:fmt>", views.download, name="download"),
]
