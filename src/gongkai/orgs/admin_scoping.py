"""Django admin for organisation administrators (管理员), limited to their own organisations.

A superuser configures everything. An organisation's administrator (the `admin` role, with the staff flag) may
configure the rows that belong to the organisations they administer themselves — columns, review steps,
sensitive words, site details — and read, never change, those of the organisations below them (as in the
workspace). Roles are granted through `orgs.services` (orgs/admin.py). Every change is recorded in the audit trail.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext

from gongkai.core.services import record_event

from . import selectors
from .models import Organisation


def administered_organisation_ids(user: Any) -> set[int] | None:
    """The organisations whose configuration `user` may read here: None for a superuser, else those they
    administer and those below (staff only: the admin site is for staff)."""
    if not getattr(user, "is_staff", False) and not getattr(user, "is_superuser", False):
        return set()
    return selectors.administered_organisation_ids(user)


class OrganisationScopedAdmin(admin.ModelAdmin):
    """`organisation_lookup` is the path from the model to its organisation's id (e.g. "organisation_id")."""

    organisation_lookup = "organisation_id"

    def _ids(self, request: HttpRequest) -> set[int] | None:
        """Organisations whose rows the user may read here."""
        if not hasattr(request, "_gongkai_admin_org_ids"):
            request._gongkai_admin_org_ids = administered_organisation_ids(request.user)  # type: ignore[attr-defined]
        return request._gongkai_admin_org_ids  # type: ignore[attr-defined]

    def _writable_ids(self, request: HttpRequest) -> set[int] | None:
        """Organisations whose rows the user may add, change and delete: their own, not those below."""
        if not getattr(request.user, "is_staff", False):
            return set()
        if not hasattr(request, "_gongkai_admin_writable_ids"):
            request._gongkai_admin_writable_ids = selectors.granting_organisation_ids(request.user)  # type: ignore[attr-defined]
        return request._gongkai_admin_writable_ids  # type: ignore[attr-defined]

    def organisation_id_of(self, obj: models.Model) -> int | None:
        value: Any = obj
        for part in self.organisation_lookup.split("__"):
            value = getattr(value, part, None)
        return value if isinstance(value, int) else None

    def _allowed(self, ids: set[int] | None, obj: models.Model | None) -> bool:
        if ids is None:
            return True
        if not ids:
            return False
        return obj is None or self.organisation_id_of(obj) in ids

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._allowed(self._ids(request), None)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(self._ids(request), obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(self._writable_ids(request), obj)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return self._allowed(self._writable_ids(request), None)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(self._writable_ids(request), obj)

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[Any]:
        qs = super().get_queryset(request)
        ids = self._ids(request)
        return qs if ids is None else qs.filter(**{f"{self.organisation_lookup}__in": ids})

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        ids = self._writable_ids(request)
        if ids is not None and db_field.related_model is Organisation:
            kwargs["queryset"] = Organisation.objects.filter(pk__in=ids)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        ids = self._writable_ids(request)
        if ids is not None and self.organisation_id_of(obj) not in ids:
            # A forged form naming another organisation: refuse rather than save outside the user's scope.
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied(gettext("不能配置其他机构的数据。"))
        super().save_model(request, obj, form, change)
        record_event(
            actor=request.user, action="admin.changed" if change else "admin.added", obj=obj,
            organisation_id=self.organisation_id_of(obj), summary=f"{obj._meta.verbose_name}：{obj}"[:500],
        )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        record_event(
            actor=request.user, action="admin.deleted", obj=obj, organisation_id=self.organisation_id_of(obj),
            summary=f"{obj._meta.verbose_name}：{obj}"[:500],
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: models.QuerySet[Any]) -> None:
        # The list's bulk delete: the list shows the rows of organisations below too, which are read-only.
        ids = self._writable_ids(request)
        rows = list(queryset)
        if ids is not None and any(self.organisation_id_of(obj) not in ids for obj in rows):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied(gettext("不能删除其他机构的数据。"))
        for obj in rows:
            self.delete_model(request, obj)
