from django.urls import URLPattern, URLResolver

app_name = "ws_applications"
urlpatterns: list[URLPattern | URLResolver] = []
