from django.urls import path

from . import views_reports as views

app_name = "ws_reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("<str:code>/<int:year>/", views.report_page, name="report"),
    path("<str:code>/<int:year>/create/", views.create, name="create"),
    path("<str:code>/<int:year>/recompute/", views.recompute, name="recompute"),
    path("<str:code>/<int:year>/edit/", views.edit, name="edit"),
    path("<str:code>/<int:year>/publish/", views.publish, name="publish"),
    path("<str:code>/<int:year>/figures/", views.figures, name="figures"),
    path("<str:code>/<int:year>/versions/<int:number>/", views.version, name="version"),
    path("<str:code>/<int:year>/report.<str:fmt>", views.download, name="download"),
    path("<str:code>/<int:year>/dashboard/", views.dashboard, name="dashboard"),
    path("<str:code>/audits/", views.audits, name="audits"),
    path("<str:code>/audits/<int:pk>/", views.audit_batch, name="audit_batch"),
    path("<str:code>/audits/<int:pk>/results.xlsx", views.audit_batch_xlsx, name="audit_batch_xlsx"),
]
