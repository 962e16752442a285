"""Staff addresses of 信息报送 (mounted at /workspace/syndication/, namespace "ws_syndication")."""

from django.urls import URLPattern, URLResolver, path

from . import views_syndication as views

app_name = "ws_syndication"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("items/<int:pk>/", views.item, name="item"),
    path("<str:code>/", views.organisation, name="organisation"),
]
