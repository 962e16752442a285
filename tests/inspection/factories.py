"""Builders for the inspection tests: an organisation with columns and live items on chosen dates."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from gongkai.catalog.models import Column, Item
from tests.portal.factories import make_column, make_item, make_org

AT = dt.date(2025, 6, 16)  # a Monday, well in the past


def noon(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12, 0)))


def publish(column: Column, day: dt.date, title: str = "信息", **fields: Any) -> Item:
    return make_item(column, title, published_at=noon(day), **fields)


__all__ = ["AT", "make_column", "make_org", "noon", "publish"]
