"""Input for the catalog services, as the workspace form would give it."""

from __future__ import annotations

from typing import Any

from gongkai.catalog.models import Column


def item_data(column: Column, **extra: Any) -> dict[str, Any]:
    """Every field `catalog.services.create_item` takes, for a plain notice in `column`; `extra` overrides."""
    data = {
        "column_id": column.pk, "title": "关于开展2024年度科技项目申报工作的通知", "summary": "",
        "body": "<p>各有关单位：现将申报事项通知如下。</p>", "document_number": "", "written_on": None,
        "topic": "11", "genre": "notice", "keywords": "", "source": "", "is_policy": False, "is_normative": False,
        "validity": "", "effective_on": None, "expires_on": None, "abolished_on": None, "disclosure": "proactive",
        "non_disclosure_reason": "", "interprets_id": None, "interpretation_form": "", "index_number": "",
    }
    data.update(extra)
    return data
