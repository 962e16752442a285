"""The snapshot of an item that each review revision keeps (版本快照): which fields, and their JSON form."""

from __future__ import annotations

import datetime as dt
from typing import Any

from .models import Item

# The fields an editor sets; a revision's snapshot holds exactly these plus the ids of the attachments (files
# to download) and of the body's pictures (image_ids).
ITEM_FIELDS = [
    "column_id", "title", "summary", "body", "document_number", "written_on", "topic", "genre", "keywords",
    "source", "is_policy", "is_normative", "validity", "effective_on", "expires_on", "abolished_on",
    "disclosure", "non_disclosure_reason", "interprets_id", "interpretation_form", "index_number",
]
_DATE_FIELDS = {"written_on", "effective_on", "expires_on", "abolished_on"}


def to_json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def from_json(name: str, value: Any) -> Any:
    if name in _DATE_FIELDS and value:
        return dt.date.fromisoformat(value)
    return value


def snapshot_from_data(
    data: dict[str, Any], attachment_ids: list[int], image_ids: list[int] | None = None
) -> dict[str, Any]:
    snap = {name: to_json(data.get(name)) for name in ITEM_FIELDS}
    snap["attachment_ids"] = sorted(attachment_ids)
    snap["image_ids"] = sorted(image_ids or [])
    return snap


def data_from_snapshot(snap: dict[str, Any]) -> dict[str, Any]:
    """The fields of a snapshot as Python values (dates as dates)."""
    return {name: from_json(name, snap.get(name)) for name in ITEM_FIELDS}


def apply_snapshot(item: Item, snap: dict[str, Any]) -> None:
    for name, value in data_from_snapshot(snap).items():
        setattr(item, name, value)
