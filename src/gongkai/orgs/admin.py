from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .admin_scoping import OrganisationScopedAdmin
from .models import Membership, Organisation


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1


@admin.register(Organisation)
class OrganisationAdmin(OrganisationScopedAdmin):
    organisation_lookup = "pk"
    list_display = ["name", "code", "index_code", "kind", "parent"]
    search_fields = ["name", "code", "index_code"]
    list_filter = ["kind"]
    inlines = [MembershipInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # An administrator may add organisations below their own (the parent field offers only those) but
        # not move one: the top of their scope has a parent they may not pick.
        if obj is not None and not request.user.is_superuser:
            return ["parent"]
        return []


@admin.register(Membership)
class MembershipAdmin(OrganisationScopedAdmin):
    list_display = ["user", "organisation", "role"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__last_name", "organisation__name"]
