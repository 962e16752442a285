from django.urls import URLPattern, URLResolver

app_name = "apply"
urlpatterns: list[URLPattern | URLResolver] = []
