from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("workspace/", include("gongkai.workspace.urls")),
    path("", include("gongkai.portal.urls")),
]
