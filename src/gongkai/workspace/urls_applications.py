from django.urls import path

from . import views_applications as views

app_name = "ws_applications"
urlpatterns = [
    path("", views.application_list, name="list"),
    path("new/", views.register, name="register"),
    path("stats/", views.stats, name="stats"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/act/<str:action>/", views.act, name="act"),
    path("<int:pk>/reveal/", views.reveal, name="reveal"),
    path("<int:pk>/appeals/", views.appeal_create, name="appeal_create"),
    path("<int:pk>/letter.<str:fmt>", views.letter, name="letter"),
    path("appeals/<int:pk>/decide/", views.appeal_decide, name="appeal_decide"),
]
