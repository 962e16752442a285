"""core.db.prepared: a read whose SQL is built once per shape gives what the ORM gives, for every later value."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gongkai.catalog.models import Item
from gongkai.core import db
from tests.portal.factories import build_site

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(db: None, settings: Any, tmp_path: Path) -> dict[str, Any]:
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_site()


def _live(now: dt.datetime) -> Any:
    return Item.objects.live(now).select_related("organisation", "column")


def test_rows_with_their_related_objects_for_every_value(site: dict[str, Any]) -> None:
    now = timezone.now()
    for item in Item.objects.all():
        got = db.prepared(Item, "test-one", lambda pk, now: _live(now).filter(pk=pk)[:1], item.pk, now)
        want = list(_live(now).filter(pk=item.pk)[:1])
        assert got == want
        if want:  # the related objects came with the row, with the same values
            assert got[0].organisation.name == want[0].organisation.name
            assert got[0].column.slug == want[0].column.slug
            assert got[0].published_at == want[0].published_at and got[0].published_at.tzinfo is not None


def test_the_time_is_a_value_not_a_constant(site: dict[str, Any]) -> None:
    scheduled = site["scheduled"]  # goes live tomorrow

    def one(pk: int, now: dt.datetime) -> Any:
        return _live(now).filter(pk=pk)

    assert db.prepared(Item, "test-time", one, scheduled.pk, timezone.now()) == []
    later = timezone.now() + dt.timedelta(days=3)
    assert db.prepared(Item, "test-time", one, scheduled.pk, later) == [scheduled]


def test_lists_of_values_and_flat_values(site: dict[str, Any]) -> None:
    ids = list(Item.objects.order_by("pk").values_list("pk", flat=True))
    for size in (1, 3, len(ids)):
        chosen = ids[-size:]
        got = db.prepared(Item, "test-flat", lambda *ids: Item.objects.filter(pk__in=ids).order_by("-pk").values_list(
            "title", flat=True), *chosen)
        assert got == list(Item.objects.filter(pk__in=chosen).order_by("-pk").values_list("title", flat=True))


def test_the_sql_is_built_once_per_shape(site: dict[str, Any], monkeypatch: Any) -> None:
    built: list[int] = []

    def build(pk: int) -> Any:
        built.append(pk)
        return Item.objects.filter(pk=pk)

    items = list(Item.objects.order_by("pk"))
    with CaptureQueriesContext(connection) as queries:
        for item in items:
            assert db.prepared(Item, "test-once", build, item.pk) == [item]
    assert len(built) == 1 and built[0] != items[0].pk  # once, with a stand-in value
    assert len(queries) == len(items)


def test_a_value_that_does_not_reach_the_sql_is_refused(site: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="does not reach the SQL"):
        db.prepared(Item, "test-lost", lambda pk: Item.objects.filter(pk=1), 5)
    with pytest.raises(ValueError, match="does not reach the SQL"):  # icontains wraps it in % … %
        db.prepared(Item, "test-contains", lambda text: Item.objects.filter(title__icontains=text), "通知")
    with pytest.raises(TypeError):
        db.prepared(Item, "test-float", lambda value: Item.objects.filter(pk=value), 1.5)


def test_strings_as_values(site: dict[str, Any]) -> None:
    titles = list(Item.objects.order_by("pk").values_list("title", flat=True)[:3])
    for title in [*titles, "没有这个标题", "it's \"quoted\" %_"]:
        found = db.prepared(Item, "test-title", lambda text: Item.objects.filter(title=text).order_by("pk"), title)
        assert found == list(Item.objects.filter(title=title).order_by("pk"))


def test_a_shape_that_can_match_nothing(site: dict[str, Any]) -> None:
    with CaptureQueriesContext(connection) as queries:
        assert db.prepared(Item, "test-empty", lambda now: _live(now).filter(pk__in=[]), timezone.now()) == []
    assert not queries


def test_rows_as_tuples(site: dict[str, Any]) -> None:
    ids = list(Item.objects.order_by("pk").values_list("pk", flat=True))[:3]
    got = db.prepared(Item, "test-tuples", lambda *ids: Item.objects.filter(pk__in=ids).order_by("pk").values_list(
        "pk", "title", "published_at"), *ids)
    assert got == list(Item.objects.filter(pk__in=ids).order_by("pk").values_list("pk", "title", "published_at"))
