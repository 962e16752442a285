from django.urls import URLPattern, URLResolver

app_name = "interact"
urlpatterns: list[URLPattern | URLResolver] = []
