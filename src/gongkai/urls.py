from django.contrib import admin
from django.urls import include, path

from gongkai.core import views as core_views
from gongkai.workspace.views_account import admin_login

# Public pages of each domain live under portal/, staff pages under workspace/, one URL module per domain
# so that the domains can grow without editing each other's routes.
urlpatterns = [
    path("healthz", core_views.health),
    path("readyz", core_views.ready),
    path("admin/login/", admin_login),  # the workspace's login: second factor and lock-out for the admin too
    path("admin/", admin.site.urls),
    path("api/", include("gongkai.api.urls")),
    path("workspace/applications/", include("gongkai.workspace.urls_applications")),
    path("workspace/interaction/", include("gongkai.workspace.urls_interaction")),
    path("workspace/reports/", include("gongkai.workspace.urls_reports")),
    path("workspace/inspection/", include("gongkai.workspace.urls_inspection")),
    path("workspace/visits/", include("gongkai.workspace.urls_visits")),
    path("workspace/syndication/", include("gongkai.workspace.urls_syndication")),
    path("workspace/", include("gongkai.workspace.urls")),
    path("apply/", include("gongkai.portal.urls_applications")),
    path("interact/", include("gongkai.portal.urls_interaction")),
    path("reports/", include("gongkai.portal.urls_reports")),
    path("", include("gongkai.portal.urls")),
]
