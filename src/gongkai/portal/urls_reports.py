from django.urls import path

from . import views_reports as views

app_name = "portal_reports"
urlpatterns = [
    path("", views.report_list, name="list"),
    path("<str:code>/", views.report_list, name="org"),
    path("<str:code>/<int:year>/", views.report_page, name="report"),
    path("<str:code>/<int:year>/report.<str:fmt>", views.download, name="download"),
]
