"""Staff addresses of the website self-inspection (mounted at /workspace/inspection/, namespace "ws_inspection")."""

from django.urls import URLPattern, URLResolver, path

from . import views_inspection as views

app_name = "ws_inspection"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("<str:code>/", views.dashboard, name="dashboard"),
    path("<str:code>/children/", views.children, name="children"),
]
