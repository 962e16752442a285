from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from gongkai.orgs.admin_scoping import OrganisationScopedAdmin

from .models import Syndication


@admin.register(Syndication)
class SyndicationAdmin(OrganisationScopedAdmin):
    """信息报送, read only: submitted, accepted and withdrawn through the workspace and the review steps."""

    list_display = ["source", "organisation", "target_organisation", "column", "submitted_at", "accepted_at",
                    "withdrawn_at"]
    readonly_fields = fields = ("source", "column", "organisation", "target_organisation", "note", "submitted_by",
                                "submitted_at", "accepted_at", "copy", "withdrawn_at")

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
