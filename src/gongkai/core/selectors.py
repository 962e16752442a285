"""Reads of the shared kernel."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import AuditEvent


def audit_events(
    organisation_ids: set[int] | None, *, object_type: str = "", object_id: str = "", actions: tuple[str, ...] = (),
) -> QuerySet[AuditEvent]:
    """Audit events of the given organisations (None: all), newest first; only `actions` when given."""
    qs = AuditEvent.objects.select_related("actor")
    if organisation_ids is not None:
        qs = qs.filter(organisation_id__in=organisation_ids)
    if actions:
        qs = qs.filter(action__in=actions)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=object_id)
    return qs.order_by("-at", "-id")
