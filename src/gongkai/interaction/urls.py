from django.urls import URLPattern, URLResolver

app_name = "interaction"
urlpatterns: list[URLPattern | URLResolver] = []
