from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from gongkai.orgs.admin_scoping import OrganisationScopedAdmin

from .models import Column, DutyList, Item


@admin.register(Column)
class ColumnAdmin(OrganisationScopedAdmin):
    list_display = ["name", "organisation", "slug", "statutory_category", "update_class", "expected_update_days",
                    "sort_order", "is_active"]
    list_filter = ["update_class", "is_active"]
    search_fields = ["name", "slug"]


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    """Read-only here: items change only through the workspace, so every change is reviewed and audited."""

    list_display = ["title", "organisation", "column", "index_number", "published_at"]
    list_filter = ["organisation", "topic", "genre", "validity"]
    search_fields = ["title", "index_number", "document_number"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(DutyList)
class DutyListAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "kind", "live_version"]
