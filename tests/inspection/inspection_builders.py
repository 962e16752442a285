"""Builders for the inspection tests: an organisation with columns and live items on chosen dates."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

from django.utils import timezone

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "portal"))
from portal_builders import make_column, make_item, make_org

from gongkai.catalog.models import Column, Item

AT = dt.date(2025, 6, 16)  # a Monday, well in the past


def noon(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12, 0)))


def publish(column: Column, day: dt.date, title: str = "信息", **fields: Any) -> Item:
    return make_item(column, title, published_at=noon(day), **fields)


__all__ = ["AT", "make_column", "make_org", "noon", "publish"]
