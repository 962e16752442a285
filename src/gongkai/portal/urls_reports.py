from django.urls import path

from . import views_reports as views
from . import views_website_reports as website

app_name = "portal_reports"
urlpatterns = [
    path("", views.report_list, name="list"),
    # 政府网站工作年度报表, before the organisation codes (orgs.models.RESERVED_CODES keeps "website" free)
    path("website/", website.report_list, name="website_list"),
    path("website/<str:code>/", website.report_list, name="website_org"),
    path("website/<str:code>/<int:year>/", website.report_page, name="website_report"),
    path("website/<str:code>/<int:year>/report.<str:fmt>", website.download, name="website_download"),
    path("<str:code>/", views.report_list, name="org"),
    path("<str:code>/<int:year>/", views.report_page, name="report"),
    path("<str:code>/<int:year>/report.<str:fmt>", views.download, name="download"),
]
