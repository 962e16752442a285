from django.urls import URLPattern, URLResolver

app_name = "ws_interaction"
urlpatterns: list[URLPattern | URLResolver] = []
