from django.contrib import admin
from django.urls import include, path

from gongkai.core import views as core_views

urlpatterns = [
    path("healthz", core_views.health),
    path("admin/", admin.site.urls),
    path("workspace/", include("gongkai.workspace.urls")),
    path("", include("gongkai.portal.urls")),
]
