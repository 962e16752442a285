from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "action", "object_type", "object_id", "actor", "address", "summary"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_id", "summary"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# The calendar's rows are written through core.calendar_services, so an edit in the admin site is
# permission-checked, audit-logged and lets other apps recompute open deadlines like any other change.
from typing import Any  # noqa: E402

from django.db.models import QuerySet  # noqa: E402
from django.http import HttpRequest  # noqa: E402

from .calendar_services import (  # noqa: E402
    declare_year_complete,
    remove_override,
    set_override,
    withdraw_year_declaration,
)
from .models import CalendarOverride, CalendarYearSchedule  # noqa: E402


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "name", "note", "entered_by", "entered_at"]
    list_filter = ["kind"]
    search_fields = ["name", "note"]
    date_hierarchy = "date"
    fields = ["date", "kind", "name", "note"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if change and "date" in form.changed_data:
            remove_override(request.user, form.initial["date"])
        saved = set_override(request.user, obj.date, obj.kind, obj.name, obj.note)
        obj.pk = saved.pk

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        remove_override(request.user, obj.date)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for obj in queryset:
            remove_override(request.user, obj.date)


@admin.register(CalendarYearSchedule)
class CalendarYearScheduleAdmin(admin.ModelAdmin):
    list_display = ["year", "source", "entered_by", "entered_at"]
    fields = ["year", "source"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if change and "year" in form.changed_data:
            withdraw_year_declaration(request.user, form.initial["year"])
        saved = declare_year_complete(request.user, obj.year, obj.source)
        obj.pk = saved.pk

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        withdraw_year_declaration(request.user, obj.year)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for obj in queryset:
            withdraw_year_declaration(request.user, obj.year)
