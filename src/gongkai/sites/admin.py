from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext

from gongkai.orgs.admin_scoping import OrganisationScopedAdmin

from . import services
from .models import Site


class SiteForm(forms.ModelForm[Site]):
    class Meta:
        model = Site
        fields = ["organisation", "name", "url", "aliases", "includes_subtree", "is_main", "platform_search",
                  "home_layout", "navigation", "logo", "colour", "site_code", "icp_number", "police_record_number",
                  "police_record_region", "party_mark_url", "party_mark_image"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors:
            services.check_hosts(self.instance)  # a name of another site: a form error, not a 500
        return data


@admin.register(Site)
class SiteAdmin(OrganisationScopedAdmin):
    """网站: an organisation administrator configures the sites of the organisations they administer; only a
    superuser names the platform's main site."""

    form = SiteForm
    list_display = ["name", "organisation", "url", "is_main", "platform_search"]
    search_fields = ["name", "organisation__name", "hosts__host"]
    filter_horizontal = ["navigation"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [] if request.user.is_superuser else ["is_main"]

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        ids = self._ids(request)
        if db_field.name == "navigation" and ids is not None and field is not None:
            field.queryset = field.queryset.filter(organisation_id__in=ids)  # type: ignore[union-attr]
        return field

    def save_model(self, request: HttpRequest, obj: Site, form: Any, change: bool) -> None:
        ids = self._ids(request)
        if ids is not None and obj.organisation_id not in ids:
            raise PermissionDenied(gettext("不能配置其他机构的网站。"))
        services.save_site(request.user, obj)  # validates, derives the host names, audits
