from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "api"
urlpatterns: list[URLPattern | URLResolver] = [
    path("openapi.json", views.openapi, name="openapi"),
    path("v1/organisations", views.organisations, name="organisations"),
    path("v1/organisations/<str:code>", views.organisation, name="organisation"),
    path("v1/organisations/<str:code>/columns", views.columns, name="columns"),
    path("v1/items", views.items, name="items"),
    path("v1/items/<str:pk>", views.item, name="item"),
    path("v1/search", views.search, name="search"),
    path("v1/reports", views.reports, name="reports"),
    path("v1/reports/<str:code>/<str:year>", views.report, name="report"),
    path("v1/staff/items", views.create_item, name="staff_create_item"),
    path("v1/staff/items/<str:pk>/submit", views.submit_item, name="staff_submit_item"),
    path("v1/staff/tasks/<str:pk>/decision", views.decide, name="staff_decide"),
    path("<path:rest>", views.not_found),
]
