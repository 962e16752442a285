"""Public addresses of 政民互动 (mounted at /interact/, namespace "interact")."""

from django.urls import URLPattern, URLResolver, path

from . import views_interaction as views

app_name = "interact"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("write/", views.write, name="write"),
    path("write/done/", views.written, name="written"),
    path("track/", views.track, name="track"),
    path("letters/", views.letters, name="letters"),
    path("letters/<int:pk>/", views.letter, name="letter"),
    path("consultations/", views.consultations, name="consultations"),
    path("consultations/<int:pk>/", views.consultation, name="consultation"),
]
