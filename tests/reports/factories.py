"""Rows for report tests: organisations, columns and live items created directly (as tests/portal does)."""

from __future__ import annotations

import datetime as dt
import itertools
import os
from pathlib import Path
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from gongkai.catalog.models import ChannelRecord, Column, Item
from gongkai.orgs.models import Membership, Organisation
from gongkai.review.models import Revision

_serial = itertools.count(1)


def make_org(code: str, name: str, parent: Organisation | None = None, **fields: Any) -> Organisation:
    fields.setdefault("index_code", code.upper())
    return Organisation.objects.create(code=code, name=name, parent=parent, **fields)


def make_column(org: Organisation, slug: str, name: str, **fields: Any) -> Column:
    return Column.objects.create(organisation=org, slug=slug, name=name, **fields)


def at(year: int, month: int = 6, day: int = 1) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, 10, 0))


def make_item(column: Column, title: str, published_at: dt.datetime, *, live: bool = True, **fields: Any) -> Item:
    """A published item (live unless `live=False`, which leaves it withdrawn)."""
    n = next(_serial)
    item = Item.objects.create(
        organisation=column.organisation, column=column, title=title, published_at=published_at,
        index_number=f"{column.organisation.index_code}/{published_at.year}-{n:05d}", **fields,
    )
    if live:
        ct = ContentType.objects.get_for_model(item)
        item.live_revision = Revision.objects.create(content_type=ct, object_id=item.pk, number=1, snapshot={})
        item.go_live_at = published_at
    else:
        item.withdrawn_at = timezone.now()
    item.save()
    return item


def add_channel(item: Item, channel: str, on: dt.date) -> ChannelRecord:
    return ChannelRecord.objects.create(item=item, channel=channel, published_on=on)


def member(user: Any, org: Organisation, *roles: str) -> Any:
    for role in roles:
        Membership.objects.create(user=user, organisation=org, role=role)
    return user


GOLDEN = Path(__file__).parent / "golden"


def golden(name: str, text: str) -> None:
    """Compare `text` with tests/reports/golden/<name>; GONGKAI_UPDATE_GOLDEN=1 rewrites the file instead."""
    path = GOLDEN / name
    if os.environ.get("GONGKAI_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"{name} differs from its golden copy"
