from django.urls import path

from . import views_applications as views

app_name = "apply"
urlpatterns = [
    path("", views.index, name="index"),
    path("track/", views.track, name="track"),
    path("track/<str:number>/", views.status, name="status"),
    path("track/<str:number>/letter.<str:fmt>", views.letter, name="letter"),
    path("submitted/<str:number>/", views.submitted, name="submitted"),
    path("<str:code>/", views.apply, name="form"),
]
