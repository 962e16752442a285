"""Staff addresses of the visit statistics (mounted at /workspace/visits/, namespace "ws_visits")."""

from django.urls import URLPattern, URLResolver, path

from . import views_visits as views

app_name = "ws_visits"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("<str:code>/", views.site, name="site"),
]
