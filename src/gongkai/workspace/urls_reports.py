from collections.abc import Callable

from django.http import HttpResponse
from django.urls import path

from . import views_reports as views

app_name = "ws_reports"

# The pages of one report, under the disclosure report's short addresses and under a family's name ("website/…").
_REPORT_PAGES: list[tuple[str, Callable[..., HttpResponse], str]] = [
    ("<str:code>/<int:year>/", views.report_page, "report"),
    ("<str:code>/<int:year>/create/", views.create, "create"),
    ("<str:code>/<int:year>/recompute/", views.recompute, "recompute"),
    ("<str:code>/<int:year>/edit/", views.edit, "edit"),
    ("<str:code>/<int:year>/publish/", views.publish, "publish"),
    ("<str:code>/<int:year>/figures/", views.figures, "figures"),
    ("<str:code>/<int:year>/versions/<int:number>/", views.version, "version"),
    ("<str:code>/<int:year>/report.<str:fmt>", views.download, "download"),
    ("<str:code>/<int:year>/dashboard/", views.dashboard, "dashboard"),
]

urlpatterns = [
    path("", views.index, name="index"),
    path("<str:code>/audits/", views.audits, name="audits"),
    path("<str:code>/audits/<int:pk>/", views.audit_batch, name="audit_batch"),
    path("<str:code>/audits/<int:pk>/results.xlsx", views.audit_batch_xlsx, name="audit_batch_xlsx"),
    path("quarterly/<str:code>/", views.quarterly, name="quarterly"),
    *[path(route, view, name=name) for route, view, name in _REPORT_PAGES],
    *[path("<slug:family>/" + route, view, name=f"family_{name}") for route, view, name in _REPORT_PAGES],
]
